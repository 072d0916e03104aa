"""``tabletop validate FILE...``: check scenarios and rule packs, print located problems."""

from __future__ import annotations

import argparse

from tabletop.cli import COMMANDS
from tabletop.errors import Problem, ScenarioError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser("validate", help=COMMANDS["validate"])
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario or rule-pack TOML files")
    p.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (exit 1 when any is found)"
    )
    return p


def validate_file(path: str) -> list[Problem]:
    """Load ``path`` as a rule pack (it has a [pack] table) or a scenario.

    Returns:
        The warnings found (the file can be used).

    Raises:
        ScenarioError: every error found (with the warnings).
    """
    from tabletop.loader.game import load_game, load_rules
    from tabletop.loader.source import TomlSource

    source = TomlSource.read(path)
    data = source.parse() if source.text.strip() else {}
    warnings: list[Problem] = []
    if "pack" in data and "scenario" not in data:
        load_rules(path)
    else:
        load_game(path, warnings=warnings)
    return warnings


def run(args: argparse.Namespace) -> int:
    """Validate every file; exit 1 when any has errors (or warnings, with ``--strict``)."""
    from tabletop.cli import print_error

    bad = 0
    for path in args.files:
        try:
            warnings = validate_file(path)
        except ScenarioError as exc:
            print_error(exc)
            bad += 1
        else:
            if warnings:
                print_error(ScenarioError(warnings), strict=args.strict)
                bad += bool(args.strict)
                continue
            # Plain text: the "ok" lines need no styling, and rich is left unimported
            # (it costs a good part of this command's start-up).
            print(f"{path}: ok", flush=True)
    return 1 if bad else 0
