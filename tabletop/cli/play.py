"""``tabletop play [SCENARIO]``: run an exercise in the terminal UI (Textual).

Textual is imported only inside :func:`run`, so the rest of the command line
(and the headless core) never loads it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tabletop.cli import COMMANDS
from tabletop.errors import TabletopError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    from tabletop.bots import POLICIES

    p = sub.add_parser(
        "play",
        help=COMMANDS["play"],
        description=(
            "Play an exercise at one keyboard. Without SCENARIO a start screen lets you pick "
            "a scenario or resume a journal; --resume continues a journal; --attach JOURNAL "
            "--as AGENCY plays one agency of an exercise shared by several terminals (--as "
            "evaluator: the evaluator's terminal). --bot AGENCY=POLICY lets a bot take a seat."
        ),
    )
    p.add_argument("scenario", nargs="?", help="scenario TOML file (skips the start screen)")
    p.add_argument("--seed", type=int, help="override the scenario seed")
    p.add_argument("--journal", help="journal file of the new exercise")
    p.add_argument("--resume", metavar="JOURNAL", help="continue an exercise from its journal")
    p.add_argument("--attach", metavar="JOURNAL", help="join an exercise another terminal runs")
    p.add_argument(
        "--as",
        dest="as_agency",
        metavar="AGENCY",
        help="the agency to play (with --attach), or 'evaluator' to observe and rate",
    )
    p.add_argument(
        "--bot",
        action="append",
        metavar="AGENCY=POLICY",
        help=f"a bot plays AGENCY ({', '.join(POLICIES)}) on this terminal; repeatable",
    )
    p.add_argument(
        "--turn-timer",
        type=float,
        metavar="MINUTES",
        help="time per turn shown on the turn screen, over time in yellow (display only)",
    )
    return p


def default_scenario() -> Path | None:
    """The default scenario (./scenarios first, then the bundled one)."""
    from tabletop.app.workspace import default_scenario as found

    return found()


def run(args: argparse.Namespace) -> int:
    """Open the exercise asked for and run the app until it quits."""
    if args.attach and args.resume:
        raise TabletopError("give either --resume or --attach, not both")
    if args.as_agency and not args.attach:
        raise TabletopError("--as AGENCY goes with --attach JOURNAL")
    if args.attach and not args.as_agency:
        raise TabletopError("--attach JOURNAL needs --as AGENCY (the agency this terminal plays)")
    timer = getattr(args, "turn_timer", None)
    if timer is not None and timer <= 0:
        raise TabletopError("--turn-timer MINUTES must be more than 0")
    turn_timer = timer * 60 if timer is not None else None
    if (args.attach or args.resume) and (args.scenario or args.seed is not None or args.journal):
        raise TabletopError(
            "SCENARIO, --seed and --journal start a new exercise: not with --resume/--attach"
        )

    from tabletop.app.journals import resume_exercise
    from tabletop.app.session import Session
    from tabletop.tui.app import TabletopApp
    from tabletop.tui.bot_seat import parse_bot_seats

    bots = parse_bot_seats(args.bot)
    if args.resume or args.attach:
        ex = resume_exercise(args.resume or args.attach)
        try:
            # Checks the agency and the bot seats before the screen opens.
            session = Session(ex, attach_as=args.as_agency, bots=bots)
        except TabletopError:
            ex.close()
            raise
        if session.evaluator and bots:
            ex.close()
            raise TabletopError("--bot: the evaluator's terminal cannot play a seat")
        app = TabletopApp(exercise=ex, attach_as=args.as_agency, bots=bots, turn_timer=turn_timer)
    else:
        found = default_scenario()
        app = TabletopApp(
            scenario=args.scenario,
            seed=args.seed,
            journal=args.journal,
            default_scenario=str(found) if found is not None else None,
            turn_timer=turn_timer,
            bots=bots,
        )
    code = app.run()
    return int(code or 0)
