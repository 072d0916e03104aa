"""``tabletop check-balance SCENARIO``: injects that never fire, tasks nobody achieves.

Plays the scenario headless with bots (as ``tabletop simulate`` does) and reports, located
in the scenario file, every inject that fired in no run and every critical task no run did
on time. Exit status 1 when any is found.
"""

from __future__ import annotations

import argparse

from tabletop.cli import COMMANDS
from tabletop.errors import Problem, TabletopError

NEVER_FIRED = "never fired in {runs} runs ('{policy}' bots): check its stage, round or condition"
NEVER_DONE = "no run did this critical task on time ({runs} runs, '{policy}' bots)"
FOUND = "{count} inject(s) or task(s) never reached."
BALANCED = "{path}: every inject fired and every critical task was done in some run ({runs} runs)"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser("check-balance", help=COMMANDS["check-balance"])
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument(
        "--runs", type=int, default=20, metavar="N", help="number of exercises (default 20)"
    )
    p.add_argument(
        "--bots",
        default="cooperative",
        metavar="POLICY",
        help="bot policy, as for `tabletop simulate` (default cooperative)",
    )
    p.add_argument("--seed", type=int, metavar="S", help="seed of the first run")
    return p


def balance_problems(path: str, runs: int, policy: str, seed: int | None) -> list[Problem]:
    """Located warnings for the injects and tasks the simulated runs never reached."""
    from tabletop.loader.game import load_game
    from tabletop.loader.source import TomlSource
    from tabletop.simulate import check_policy, simulate

    game = load_game(path)
    check_policy(policy, game)
    summary = simulate(path, runs=runs, policy=policy, seed=seed, game=game)
    source = TomlSource.read(path)
    out: list[Problem] = []

    def warn(loc: tuple[str | int, ...], message: str) -> None:
        p = source.problem(loc, message)
        out.append(Problem(p.file, p.line, p.col, p.key, p.message, p.source, "warning"))

    for i, inj in enumerate(game.scenario.injects):
        if summary.injects.get(inj.id, 1.0) == 0.0:
            warn(("injects", i), NEVER_FIRED.format(runs=summary.runs, policy=policy))
    for i, obj in enumerate(game.scenario.objectives):
        tasks = summary.objectives.get(obj.id, {}).get("tasks", {})
        for t_i, task in enumerate(obj.tasks):
            if tasks.get(task.id, {}).get("achieved", 1.0) == 0.0:
                loc = ("objectives", i, "tasks", t_i)
                warn(loc, NEVER_DONE.format(runs=summary.runs, policy=policy))
    return out


def run(args: argparse.Namespace) -> int:
    """Simulate and print the located warnings; 1 when there are any."""
    from tabletop.cli import err_console

    if args.runs < 1:
        raise TabletopError(f"--runs must be at least 1 (got {args.runs})")
    found = balance_problems(args.scenario, args.runs, args.bots, args.seed)
    if found:
        for p in found:
            err_console.print(p.format(), markup=False, soft_wrap=True)
        err_console.print(FOUND.format(count=len(found)), style="bold red")
        return 1
    print(BALANCED.format(path=args.scenario, runs=args.runs), flush=True)
    return 0
