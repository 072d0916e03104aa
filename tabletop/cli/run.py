"""``tabletop run SCENARIO``: play headless with a decision script and/or bots."""

from __future__ import annotations

import argparse

from tabletop.cli import COMMANDS
from tabletop.errors import IllegalCommand, TabletopError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    from tabletop.bots import POLICIES

    p = sub.add_parser("run", help=COMMANDS["run"])
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--script", help="decisions TOML file (see docs/scripts.md)")
    p.add_argument(
        "--bots",
        help=f"bot policy for agencies: {', '.join(POLICIES)}, or mixed:AGENCY=POLICY,...",
    )
    p.add_argument("--seed", type=int, help="override the scenario seed")
    p.add_argument(
        "--explain",
        action="store_true",
        help="print every bot decision with its one-line reason",
    )
    p.add_argument(
        "--journal",
        help="journal file or postgresql:// URL to write (default: journals/<id>-<time>.tabletop)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="stop at the first expression that fails, instead of skipping it and playing on",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Play to the end, print a summary and the journal path."""
    from tabletop.bots import TraceEntry, parse_policies, play_turn
    from tabletop.cli import console, err_console
    from tabletop.engine.exercise import Exercise
    from tabletop.engine.failures import describe_failure, failures_in
    from tabletop.journal import describe_target, new_journal_target
    from tabletop.loader.game import load_game
    from tabletop.model import commands as cm
    from tabletop.scripts import load_script
    from tabletop.summary import summary_renderable

    if not args.script and not args.bots:
        raise TabletopError("give --script FILE and/or --bots POLICY")
    game = load_game(args.scenario)
    script = load_script(args.script, game) if args.script else None
    try:
        policies = parse_policies(args.bots, game.order) if args.bots else None
    except ValueError as exc:
        raise TabletopError(str(exc)) from None
    label = args.bots.split(":")[0] if args.bots else "script"
    target = new_journal_target(args.journal, game.scenario.scenario.id, label)
    ex = Exercise.new(game, target, seed=args.seed)
    journal = describe_target(target)
    seen = 0

    def report_failures() -> None:
        """Warn about the expressions that failed since the last call (stop if --strict)."""
        nonlocal seen
        new, seen = ex.records[seen:], len(ex.records)
        for e in failures_in(new):
            if args.strict:
                raise TabletopError(
                    f"{describe_failure(e, done=False)}: stopped (--strict); "
                    f"the journal {journal} keeps the exercise up to here"
                )
            err_console.print(
                f"warning: {describe_failure(e)}", style="yellow", markup=False, soft_wrap=True
            )

    trace: list[TraceEntry] | None = [] if args.explain else None
    try:
        while ex.state.phase == "running" and ex.state.active is not None:
            report_failures()
            agency, rnd = ex.state.active, ex.state.round
            scripted = script.for_turn(rnd, agency) if script else []
            for d in scripted:
                if ex.state.active != agency:
                    break
                try:
                    ex.submit(d.command)
                except IllegalCommand as exc:
                    raise TabletopError(f"{d.where}: round {rnd}, {agency}: {exc}") from None
            if ex.state.active != agency:
                continue
            if policies is not None and not scripted:
                play_turn(ex, agency, policies[agency], trace)
            else:
                ex.submit(cm.EndTurn(agency=agency))
        report_failures()
    finally:
        ex.close()
    for entry in trace or ():
        console.print(entry.line(), markup=False, highlight=False, soft_wrap=True)
    console.print(summary_renderable(ex))
    console.print(f"journal: {journal}", markup=False, soft_wrap=True)
    return 0
