"""``tabletop validate FILE...``: check scenarios and rule packs, print located problems."""

from __future__ import annotations

import argparse

from tabletop.cli import COMMANDS
from tabletop.errors import ScenarioError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser("validate", help=COMMANDS["validate"])
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario or rule-pack TOML files")
    return p


def validate_file(path: str) -> None:
    """Load ``path`` as a rule pack (it has a [pack] table) or a scenario.

    Raises:
        ScenarioError: every problem found.
    """
    from tabletop.loader.game import load_game, load_rules
    from tabletop.loader.source import TomlSource

    data = TomlSource.read(path).parse()
    if "pack" in data and "scenario" not in data:
        load_rules(path)
    else:
        load_game(path)


def run(args: argparse.Namespace) -> int:
    """Validate every file; exit 1 when any has problems."""
    from tabletop.cli import print_error

    bad = 0
    for path in args.files:
        try:
            validate_file(path)
        except ScenarioError as exc:
            print_error(exc)
            bad += 1
        else:
            # Plain text: the "ok" lines need no styling, and rich is left unimported
            # (it costs a good part of this command's start-up).
            print(f"{path}: ok", flush=True)
    return 1 if bad else 0
