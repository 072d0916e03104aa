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
            "evaluator: the evaluator's terminal; --as facilitator: the facilitator's); "
            "--join JOURNAL asks the seat and its join code on a screen (what tabletop serve "
            "runs for each browser). A journal is a file or a postgresql:// URL. "
            "--bot AGENCY=POLICY lets a bot take a seat."
        ),
    )
    p.add_argument("scenario", nargs="?", help="scenario TOML file (skips the start screen)")
    p.add_argument("--seed", type=int, help="override the scenario seed")
    p.add_argument("--journal", help="journal file or postgresql:// URL of the new exercise")
    p.add_argument("--resume", metavar="JOURNAL", help="continue an exercise from its journal")
    p.add_argument("--attach", metavar="JOURNAL", help="join an exercise another terminal runs")
    p.add_argument(
        "--join",
        metavar="JOURNAL",
        help="join a shared exercise: a screen asks the seat and its join code",
    )
    p.add_argument(
        "--as",
        dest="as_agency",
        metavar="AGENCY",
        help="the agency to play (with --attach), 'evaluator' to observe and rate, "
        "or 'facilitator'",
    )
    p.add_argument(
        "--code",
        help="the seat's join code (with --attach, when the facilitator issued codes)",
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
    join = getattr(args, "join", None)
    code = getattr(args, "code", None)
    if args.attach and args.resume:
        raise TabletopError("give either --resume or --attach, not both")
    if join and (args.attach or args.resume):
        raise TabletopError("--join JOURNAL asks the seat itself: not with --resume/--attach")
    if join:
        args.attach = join
    if code and not args.attach:
        raise TabletopError("--code goes with --attach JOURNAL --as AGENCY (or --join)")
    if args.as_agency and not args.attach:
        raise TabletopError("--as AGENCY goes with --attach JOURNAL")
    if args.attach and not args.as_agency and not join:
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
    from tabletop.app.session import Session, join_refusal
    from tabletop.roles import FACILITATOR, journaled_codes
    from tabletop.tui.app import TabletopApp
    from tabletop.tui.bot_seat import parse_bot_seats

    bots = parse_bot_seats(args.bot)
    if args.resume or args.attach:
        ex = resume_exercise(args.resume or args.attach)
        seat = args.as_agency
        ask = bool(join)  # the join screen asks the seat and the code
        try:
            if seat is not None and args.attach:
                # Checks the agency and the bot seats before the screen opens.
                session = Session.for_seat(ex, seat, bots=bots)
                if session.evaluator and bots:
                    raise TabletopError("--bot: the evaluator's terminal cannot play a seat")
                if code or not (journaled_codes(ex.records) or seat == FACILITATOR):
                    why = join_refusal(ex, seat, code)
                    if why is not None:
                        raise TabletopError(why)
                    ask = False
                else:
                    ask = True  # the seat needs its code: the join screen asks it
        except TabletopError:
            ex.close()
            raise
        app = TabletopApp(exercise=ex, attach_as=seat, join=ask, bots=bots, turn_timer=turn_timer)
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
