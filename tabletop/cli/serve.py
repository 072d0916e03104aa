"""``tabletop serve JOURNAL``: the terminal UI in web browsers (textual-serve), one journal.

Each browser that opens the page runs ``tabletop play --join JOURNAL`` on this host: a join
screen asks the seat (an agency, the facilitator, the evaluator) and its join code. Join codes
are issued and printed at the start when the exercise has none yet (``tabletop journal codes``
issues new ones). Needs textual-serve (``pip install 'tabletop[serve]'``).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from tabletop.cli import COMMANDS
from tabletop.errors import TabletopError

MSG_NO_SERVE = "tabletop serve needs textual-serve: install it with pip install 'tabletop[serve]'"
MSG_CODES_BEFORE = (
    "Join codes were issued before (they are shown only once); "
    "'tabletop journal codes JOURNAL' issues new ones."
)
MSG_OPEN = "Open {url} in a browser per agency, the facilitator and the evaluator. Ctrl+C stops."
MSG_PORT = "cannot serve on {host}:{port} ({why}); choose another --port"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "serve",
        help=COMMANDS["serve"],
        description=(
            "Serve the exercise of JOURNAL (a file on this host or a postgresql:// URL) to web "
            "browsers. Each browser gets a join screen: its seat and join code. Codes are "
            "issued and printed now when the exercise has none. Start the exercise first "
            "(tabletop play or tabletop run --journal)."
        ),
    )
    p.add_argument("journal", help="the exercise's journal (file or postgresql:// URL)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    return p


def join_command(target: str) -> str:
    """The shell command each browser connection runs."""
    return shlex.join([sys.executable, "-m", "tabletop.cli", "play", "--join", target])


def run(args: argparse.Namespace) -> int:
    """Check the journal, issue join codes if none, and serve until Ctrl+C."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise TabletopError(MSG_NO_SERVE) from None
    from tabletop.app.journals import resume_exercise
    from tabletop.app.session import issue_codes
    from tabletop.cli import console
    from tabletop.cli.journal import print_codes
    from tabletop.journal import describe_target, is_journal_url
    from tabletop.roles import journaled_codes

    target = args.journal if is_journal_url(args.journal) else str(Path(args.journal).resolve())
    if not 0 < args.port < 65536:
        raise TabletopError(f"--port {args.port}: a port is 1 to 65535")
    ex = resume_exercise(target)
    try:
        title = ex.game.scenario.scenario.title
        codes = None if journaled_codes(ex.records) else issue_codes(ex)
    finally:
        ex.close()
    if codes is not None:
        print_codes(codes, title)
    else:
        console.print(MSG_CODES_BEFORE, markup=False, soft_wrap=True)
    url = f"http://{args.host}:{args.port}"

    class _Server(Server):  # type: ignore[misc]
        async def on_startup(self, app: object) -> None:
            console.print(f"Serving {describe_target(target)}", markup=False)
            console.print(MSG_OPEN.format(url=url), markup=False, soft_wrap=True)

    server = _Server(join_command(target), host=args.host, port=args.port, title=title)
    try:
        server.serve()
    except OSError as exc:
        raise TabletopError(
            MSG_PORT.format(host=args.host, port=args.port, why=exc.strerror or exc)
        ) from None
    return 0
