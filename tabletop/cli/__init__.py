"""Command-line interface: ``tabletop <command>``.

Each subcommand lives in its own module with ``add_parser(subparsers)`` and
``run(args) -> int``. Every error a user can cause is a
:class:`~tabletop.errors.TabletopError` and is printed without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from rich.console import Console

from tabletop import __version__
from tabletop.errors import ScenarioError, TabletopError

#: Subcommand modules, in help order.
COMMANDS = ("play", "run", "validate", "replay", "report", "simulate", "schema", "journal")

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available subcommand."""
    parser = argparse.ArgumentParser(
        prog="tabletop",
        description="Multi-agency disaster tabletop exercises: play, validate, replay, report.",
    )
    parser.add_argument("--version", action="version", version=f"tabletop {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"tabletop.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"tabletop.cli.{name}":
                continue
            raise
        p = module.add_parser(sub)
        p.set_defaults(_run=module.run)
    return parser


def print_error(exc: TabletopError) -> None:
    """Print a user error (every located problem for a ScenarioError)."""
    if isinstance(exc, ScenarioError):
        for p in exc.problems:
            err_console.print(p.format(), markup=False, soft_wrap=True)
        n = len(exc.problems)
        err_console.print(f"{n} problem{'s' if n != 1 else ''} found.", style="bold red")
    else:
        err_console.print(f"error: {exc}", style="red", markup=False, soft_wrap=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tabletop`` console script."""
    parser = build_parser()
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
        err_console.print("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - last resort: never show a raw traceback
        log = _write_crash_log(exc)
        err_console.print(
            f"internal error: {type(exc).__name__}: {exc}\n"
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
