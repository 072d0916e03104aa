"""``tabletop report JOURNAL``: the After-Action Report / Improvement Plan of an exercise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tabletop.cli import COMMANDS
from tabletop.errors import TabletopError

if TYPE_CHECKING:
    from tabletop.engine.game import Game
    from tabletop.model.events import Record

_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "report",
        help=COMMANDS["report"],
        description=(
            "Score a journal and write its After-Action Report / Improvement Plan. "
            "See docs/report.md for the scores and docs/report-json.md for the JSON."
        ),
    )
    p.add_argument("journal", help="journal file")
    p.add_argument(
        "--format",
        "-f",
        choices=("md", "html", "json"),
        help="output format (default: from the -o suffix, else md)",
    )
    p.add_argument("-o", "--output", help="write to FILE instead of standard output")
    p.add_argument("--scenario", help="scenario file, when it is not where the journal says")
    p.add_argument(
        "--confirm",
        action="append",
        default=[],
        metavar="OBJECTIVE=RATING[:NOTE]",
        help="evaluator: record a P/S/M/U rating for an objective in the journal (repeatable)",
    )
    return p


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.output:
        return _SUFFIXES.get(Path(args.output).suffix.lower(), "md")
    return "md"


def _confirm(path: str, game: Game, records: list[Record], specs: list[str]) -> list[Record]:
    """Append the evaluator's ratings to the journal; return the updated records.

    Raises:
        TabletopError: a malformed ``--confirm`` or an unknown objective (nothing is written).
    """
    from tabletop.engine.evolve import fold
    from tabletop.engine.exercise import Exercise
    from tabletop.journal import Journal
    from tabletop.model import commands as cm

    commands: list[cm.ConfirmRating] = []
    for spec in specs:
        objective, sep, rest = spec.partition("=")
        rating, _, note = rest.partition(":")
        rating = rating.strip().upper()
        if not sep or rating not in ("P", "S", "M", "U"):
            raise TabletopError(f"--confirm '{spec}': write OBJECTIVE=P|S|M|U[:NOTE]")
        known = [o.id for o in game.scenario.objectives]
        if objective.strip() not in known:
            from tabletop.expr import did_you_mean

            raise TabletopError(
                f"--confirm '{spec}': unknown objective '{objective.strip()}'"
                f"{did_you_mean(objective.strip(), known)}"
            )
        commands.append(
            cm.ConfirmRating(objective=objective.strip(), rating=rating, note=note.strip())
        )
    ex = Exercise(game, Journal(path), seed=records[0].event.seed)
    try:
        ex.records = list(records)
        fold(ex.state, ex.records)
        for c in commands:
            ex.submit(c)
        return list(ex.records)
    finally:
        ex.close()


def run(args: argparse.Namespace) -> int:
    """Build the report and print or write it."""
    from tabletop.cli import console
    from tabletop.report import build_report, render
    from tabletop.report.load import load_journal

    fmt = _format(args)
    game, records = load_journal(args.journal, args.scenario)
    if args.confirm:
        records = _confirm(args.journal, game, records, args.confirm)
    text = render(build_report(game, records), fmt)
    if args.output:
        out = Path(args.output)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise TabletopError(f"cannot write {out}: {exc}") from exc
        console.print(f"wrote {out} ({fmt})", markup=False)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0
