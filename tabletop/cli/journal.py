"""``tabletop journal SUBCOMMAND``: work on journal files.

Each subcommand is one ``_add_<name>(subparsers)`` function that registers its
parser and sets ``_journal_run``; :data:`SUBCOMMANDS` lists them in help order.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from tabletop.cli import COMMANDS


def _add_check(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="say what of a journal is readable and whether it was edited (changes nothing)",
        description="Open a journal read-only: SQLite's integrity check, every event read "
        "until the first unreadable one, the hash chain (tamper evidence), the scenario "
        "found by its sha256. Exit code 0 when the journal is intact, 1 otherwise.",
    )
    p.add_argument("journal", help="journal file")
    p.set_defaults(_journal_run=run_check)


def _add_export(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser(
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
    e.set_defaults(_journal_run=run_export)


#: Subcommand registrars, in help order (add new ones here).
SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (_add_check, _add_export)


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``tabletop journal`` and its subcommands."""
    p = sub.add_parser("journal", help=COMMANDS["journal"])
    jsub = p.add_subparsers(dest="journal_command", metavar="SUBCOMMAND")
    for add in SUBCOMMANDS:
        add(jsub)
    p.set_defaults(_journal_parser=p)
    return p


def run(args: argparse.Namespace) -> int:
    """Run the chosen journal subcommand (help without one)."""
    func = getattr(args, "_journal_run", None)
    if func is None:
        args._journal_parser.print_help()
        return 2
    return int(func(args) or 0)


_MARK = {"ok": "ok  ", "warn": "warn", "bad": "BAD "}
_STYLE = {"ok": "green", "warn": "yellow", "bad": "bold red"}


def run_check(args: argparse.Namespace) -> int:
    """Print what ``check_journal`` found; 0 when intact, 1 when damaged or edited."""
    from tabletop.app.journals import check_journal
    from tabletop.cli import console

    res = check_journal(args.journal)
    console.print(str(res.path), markup=False)
    for status, text in res.lines:
        console.print(
            f"  {_MARK[status]} {text}", style=_STYLE[status], markup=False, soft_wrap=True
        )
    if res.ok:
        console.print("journal intact", style="bold green")
        return 0
    console.print("journal damaged or edited: the lines marked BAD say where", style="bold red")
    return 1


def run_export(args: argparse.Namespace) -> int:
    """Export the journal and say how many events the copy holds."""
    from tabletop.app.journals import export_journal
    from tabletop.cli import console

    n = export_journal(args.journal, args.out, overwrite=args.force)
    console.print(
        f"{args.out}: {n} events copied from {args.journal}", markup=False, soft_wrap=True
    )
    return 0
