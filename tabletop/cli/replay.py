"""``tabletop replay JOURNAL``: re-fold a journal and print the final state."""

from __future__ import annotations

import argparse

from tabletop.cli import COMMANDS


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser("replay", help=COMMANDS["replay"])
    p.add_argument("journal", help="journal file")
    return p


def run(args: argparse.Namespace) -> int:
    """Fold the journal (refusing changed scenarios and future versions) and print the summary."""
    from tabletop.app.journals import resume_exercise
    from tabletop.cli import console, err_console
    from tabletop.summary import summary_renderable

    ex = resume_exercise(args.journal, strict=False)
    try:
        integrity = ex.integrity
        if integrity is not None and not integrity.ok:
            err_console.print(
                f"warning: {integrity.describe()}", style="bold red", markup=False, soft_wrap=True
            )
        elif integrity is not None and not integrity.chained:
            err_console.print(f"note: {integrity.describe()}", markup=False, soft_wrap=True)
        console.print(summary_renderable(ex))
        if ex.state.phase == "running":
            console.print(
                f"next: {ex.state.active} in round {ex.state.round} ({ex.state.stage})",
                markup=False,
            )
    finally:
        ex.close()
    return 0
