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
    p.add_argument("journal", help="journal file or postgresql:// URL")
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
    e.add_argument("journal", help="the journal to copy (a file, or a postgresql:// URL)")
    e.add_argument("out", help="the new file")
    e.add_argument("--force", action="store_true", help="replace OUT when it exists")
    e.set_defaults(_journal_run=run_export)


def _add_copy(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser(
        "copy",
        help="copy an exercise between journals: a file and PostgreSQL, either way",
        description=(
            "Copy every event of SRC into a new journal DST, in one transaction (DST is "
            "complete or absent). Either may be a file or postgresql://user@host/db?exercise=ID "
            "(without ?exercise= for DST: the exercise keeps the name of the source file). "
            "Sequence numbers, decision ids, timestamps and the hash chain are kept."
        ),
    )
    c.add_argument("src", help="the journal to copy (file or URL)")
    c.add_argument("dst", help="the new journal (file or URL)")
    c.set_defaults(_journal_run=run_copy)


def _add_codes(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser(
        "codes",
        help="issue join codes for every seat of a shared exercise (printed once)",
        description=(
            "Issue a join code per agency, one for the facilitator and one for the evaluator, "
            "and print them once: the journal keeps only salted scrypt hashes. Attaching to "
            "the exercise (--attach, --join, tabletop serve) then needs the seat's code. "
            "Running it again replaces every code."
        ),
    )
    c.add_argument("journal", help="the exercise's journal (file or URL)")
    c.set_defaults(_journal_run=run_codes)


#: Subcommand registrars, in help order (add new ones here).
SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    _add_check,
    _add_export,
    _add_copy,
    _add_codes,
)


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
    if res.events is None and not res.readable:
        console.print("journal not checked: the line marked BAD says why", style="bold red")
        return 1
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


def run_copy(args: argparse.Namespace) -> int:
    """Copy SRC into the new journal DST and say how many events it holds."""
    from tabletop.cli import console
    from tabletop.journal import describe_target
    from tabletop.journal.copy import copy_journal, copy_target

    dst = copy_target(args.src, args.dst)
    n = copy_journal(args.src, dst)
    console.print(
        f"{describe_target(dst)}: {n} events copied from {describe_target(args.src)}",
        markup=False,
        soft_wrap=True,
    )
    return 0


#: What ``journal codes`` prints under the codes.
CODES_NOTE = (
    "Give each seat its code (shown only now; the journal keeps salted hashes). "
    "Running 'tabletop journal codes' again replaces every code."
)


def print_codes(codes: dict[str, str], game_title: str) -> None:
    """Print the join codes of an exercise, one seat a line."""
    from tabletop.cli import console

    console.print(f"Join codes for {game_title}:", markup=False, style="bold")
    width = max(len(s) for s in codes)
    for seat, code in codes.items():
        console.print(f"  {seat:<{width}}  {code}", markup=False, highlight=False)
    console.print(CODES_NOTE, markup=False, soft_wrap=True)


def run_codes(args: argparse.Namespace) -> int:
    """Issue and print the join codes of every seat."""
    from tabletop.app.journals import resume_exercise
    from tabletop.app.session import issue_codes

    ex = resume_exercise(args.journal)
    try:
        codes = issue_codes(ex)
    finally:
        ex.close()
    print_codes(codes, ex.game.scenario.scenario.title)
    return 0
