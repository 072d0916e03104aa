"""``tabletop journal export JOURNAL OUT``: copy a journal into one complete file."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "journal",
        help="journal files: export a complete copy (safe while the exercise runs)",
        description="Work with journal files.",
    )
    jsub = p.add_subparsers(dest="journal_command", metavar="ACTION", required=True)
    e = jsub.add_parser(
        "export",
        help="copy a journal into one self-contained file (SQLite backup API)",
        description=(
            "Copy JOURNAL into OUT with SQLite's online backup API. The copy holds every "
            "event, also those still in the journal's -wal file, and needs no -wal of its "
            "own; terminals may go on playing meanwhile."
        ),
    )
    e.add_argument("journal", help="the journal to copy")
    e.add_argument("out", help="the new file")
    e.add_argument("--force", action="store_true", help="replace OUT when it exists")
    return p


def run(args: argparse.Namespace) -> int:
    """Export the journal and say how many events the copy holds."""
    from tabletop.cli import console
    from tabletop.journal.export import export_journal

    n = export_journal(args.journal, args.out, overwrite=args.force)
    console.print(
        f"{args.out}: {n} events copied from {args.journal}", markup=False, soft_wrap=True
    )
    return 0
