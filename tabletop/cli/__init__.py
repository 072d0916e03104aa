"""Command-line interface: ``tabletop <command>``.

Each subcommand lives in its own module with ``add_parser(subparsers)`` and
``run(args) -> int``; only the module of the command given is imported, so
``tabletop --help`` and ``tabletop validate`` do not pay for the engine, the
bots or the simulator. Every error a user can cause is a
:class:`~tabletop.errors.TabletopError` and is printed without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from tabletop import __version__
from tabletop.errors import ScenarioError, TabletopError
from tabletop.sanitize import visible

#: Subcommands in help order, each with the line ``tabletop --help`` shows for it.
#: Every module ``tabletop.cli.<name>`` registers its parser with this help.
COMMANDS: dict[str, str] = {
    "play": "play an exercise in the terminal (hot-seat, or attached to a shared journal)",
    "run": "play a scenario headless (script and/or bots) to the end",
    "validate": "check scenario and rule-pack files",
    "replay": "rebuild an exercise from its journal and print it",
    "report": "score a journal and write its after-action report (Markdown, HTML, JSON, PDF; the timeline as CSV)",
    "simulate": "play many seeded exercises headless with bots and summarise the outcomes",
    "schema": "write JSON Schema files for editors",
    "journal": "check, export, copy a journal (file or PostgreSQL); issue join codes",
    "serve": "serve the exercise to web browsers, one per agency or the facilitator",
    "new": "write a valid, commented scenario to start from",
    "check-balance": "play a scenario with bots and list injects that never fired and tasks never done",
    "msel": "export the injects (MSEL) to CSV/Excel, or merge an edited sheet back into the scenario",
}

if TYPE_CHECKING:
    from rich.console import Console

    #: Standard output and standard error (made on first use: rich costs start-up time).
    console: Console
    err_console: Console


def __getattr__(name: str) -> Any:
    if name in ("console", "err_console"):
        from rich.console import Console

        made = globals()[name] = Console(stderr=name == "err_console", highlight=False)
        return made
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _console(name: str) -> Console:
    """``console`` or ``err_console`` (made now if not yet)."""
    found = globals().get(name)
    return found if found is not None else __getattr__(name)


def chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names (its first word that is not an option), if any."""
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser; only the modules of ``commands`` are imported (None: all).

    The other subcommands are listed with their help line, so ``tabletop --help``
    imports no subcommand module (none of the engine, models, bots or simulator).
    """
    parser = argparse.ArgumentParser(
        prog="tabletop",
        description="Multi-agency disaster tabletop exercises: play, validate, replay, report.",
    )
    parser.add_argument("--version", action="version", version=f"tabletop {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = set(COMMANDS) if commands is None else set(commands)
    for name, summary in COMMANDS.items():
        if name not in wanted:
            sub.add_parser(name, help=summary)
            continue
        modname = f"tabletop.cli.{name.replace('-', '_')}"
        try:
            module = importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name == modname:
                continue
            raise
        p = module.add_parser(sub)
        p.set_defaults(_run=module.run)
    return parser


def print_error(exc: TabletopError, *, strict: bool = False) -> None:
    """Print a user error (every located problem for a ScenarioError).

    Args:
        exc: The error.
        strict: Warnings are refused (``validate --strict``): say so in the count.
    """
    err_console = _console("err_console")
    if isinstance(exc, ScenarioError):
        for p in exc.problems:
            err_console.print(p.format(), markup=False, soft_wrap=True)
        warned = sum(1 for p in exc.problems if p.is_warning)
        n = len(exc.problems) - warned
        if not n and strict:
            counted = f"{warned} warning{'s' if warned != 1 else ''} found (refused by --strict)."
            err_console.print(counted, style="bold red")
        elif not n:
            counted = f"{warned} warning{'s' if warned != 1 else ''} (the file can be used)."
            err_console.print(counted, style="bold yellow")
        elif warned:
            counted = f"{n} problem{'s' if n != 1 else ''} and {warned} warning{'s' if warned != 1 else ''} found."
            err_console.print(counted, style="bold red")
        else:
            err_console.print(f"{n} problem{'s' if n != 1 else ''} found.", style="bold red")
    else:
        err_console.print(f"error: {visible(str(exc))}", style="red", markup=False, soft_wrap=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tabletop`` console script."""
    if argv is None:
        argv = sys.argv[1:]
    command = chosen_command(argv)
    parser = build_parser([command] if command else [])
    args = parser.parse_args(argv)
    if getattr(args, "_run", None) is None:
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except TabletopError as exc:
        print_error(exc)
        return 1
    except KeyboardInterrupt:
        _console("err_console").print("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - last resort: never show a raw traceback
        log = _write_crash_log(exc)
        _console("err_console").print(
            f"internal error: {type(exc).__name__}: {visible(str(exc))}\n"
            f"This is a bug in tabletop; details were written to {log}. Your journal is intact.",
            style="bold red",
            markup=False,
        )
        return 70


def _write_crash_log(exc: BaseException) -> str:
    """Write the traceback to a temporary file and return its path."""
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile(
        "w", prefix="tabletop-crash-", suffix=".log", delete=False, encoding="utf-8"
    ) as fh:
        traceback.print_exception(exc, file=fh)
        return fh.name


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
