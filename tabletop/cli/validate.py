"""``tabletop validate FILE...``: check scenarios and rule packs, print located problems."""

from __future__ import annotations

import argparse

from tabletop.errors import ScenarioError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser("validate", help="check scenario and rule-pack files")
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
    from tabletop.cli import console, print_error

    bad = 0
    for path in args.files:
        try:
            validate_file(path)
        except ScenarioError as exc:
            print_error(exc)
            bad += 1
        else:
            console.print(f"{path}: ok", markup=False)
    return 1 if bad else 0
