"""``tabletop simulate SCENARIO``: play many seeded exercises with bots, summarise balance."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tabletop.bots import POLICIES
from tabletop.cli import COMMANDS
from tabletop.errors import TabletopError
from tabletop.simulate import Stat, Summary


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "simulate",
        help=COMMANDS["simulate"],
        description=(
            "Play N exercises of a scenario headless and in memory (run i uses seed S+i), each "
            "also played with nobody acting, and print a summary: harm, waste, trust, stage "
            "durations, resurgences, per-agency figures and how often playing changed the outcome."
        ),
    )
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument(
        "--runs", type=int, default=100, metavar="N", help="number of exercises (default 100)"
    )
    p.add_argument(
        "--bots",
        default="cooperative",
        metavar="POLICY",
        help=f"bot policy: {', '.join(POLICIES)}, or mixed:AGENCY=POLICY,... (default cooperative)",
    )
    p.add_argument(
        "--workers", type=int, default=1, metavar="K", help="worker processes (default 1)"
    )
    p.add_argument(
        "--seed",
        type=int,
        metavar="S",
        help="seed of the first run, S+i for run i (default: the scenario's seed)",
    )
    p.add_argument(
        "--compare",
        metavar="POLICY",
        help="also play the same seeds with POLICY (e.g. selfish) and show the paired gap "
        "in harm and score with a 95%% confidence interval",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the balance page (self-contained HTML with charts) to FILE, e.g. balance.html",
    )
    p.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    p.add_argument(
        "--no-results",
        action="store_true",
        help="with --json: leave out the per-run results",
    )
    p.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail (status 1) when an expression fails in any run, instead of skipping it",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Run the batch, show progress on stderr, print the summary on stdout."""
    from tabletop.cli import console, err_console
    from tabletop.loader.game import load_game
    from tabletop.simulate import check_policy, simulate

    if args.runs < 1:
        raise TabletopError(f"--runs must be at least 1 (got {args.runs})")
    if args.workers < 1:
        raise TabletopError(f"--workers must be at least 1 (got {args.workers})")
    game = load_game(args.scenario)
    check_policy(args.bots, game)
    if args.compare is not None:
        check_policy(args.compare, game)
    total = args.runs * (2 if args.compare else 1)
    show = not args.no_progress and err_console.is_terminal
    shown: AbstractContextManager[object] = nullcontext()
    progress: Callable[[int], None] | None = None
    if show:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        bar = Progress(
            TextColumn("[bold]simulate[/] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err_console,
            transient=True,
        )
        label = args.bots + (f" vs {args.compare}" if args.compare else "")
        task = bar.add_task(f"{game.scenario.scenario.id} ({label})", total=total)
        shown = bar

        def progress(done: int) -> None:
            bar.update(task, completed=done)

    with shown:
        summary = simulate(
            args.scenario,
            runs=args.runs,
            policy=args.bots,
            seed=args.seed,
            workers=args.workers,
            progress=progress,
            game=game,
            compare_with=args.compare,
        )
    if args.output:
        from pathlib import Path

        from tabletop.report.balance import to_html

        try:
            Path(args.output).write_text(to_html(summary), encoding="utf-8")
        except OSError as exc:
            raise TabletopError(f"{args.output}: cannot write ({exc.strerror})") from None
        err_console.print(f"balance page: {args.output}", markup=False)
    if args.strict and summary.failures:
        first, count = next(iter(summary.failures.items()))
        raise TabletopError(
            f"{first}: an expression failed in {count} of {summary.runs} runs (--strict)"
        )
    if args.json:
        data = summary.to_dict(with_results=not args.no_results)
        console.file.write(json.dumps(data, indent=2) + "\n")
        console.file.flush()
    else:
        console.print(summary_renderable(summary))
    return 0


def _row(name: str, s: Stat, digits: int = 1) -> list[str]:
    return [name, f"{s.mean:.{digits}f}", f"{s.min:.{digits}f}", f"{s.max:.{digits}f}"]


def _stat_table(title: str, first: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(first)
    for col in ("mean", "min", "max"):
        table.add_column(col, justify="right")
    return table


def summary_renderable(s: Summary) -> RenderableType:
    """The summary as rich tables: outcome, stages, agencies, and the balance verdict."""
    head = Text()
    head.append(f"{s.title}\n", style="bold")
    head.append(
        f"{s.runs} run{'s' if s.runs != 1 else ''} with '{s.policy}' bots, seeds {s.seed}.."
        f"{s.seed + s.runs - 1}, {s.workers} worker{'s' if s.workers != 1 else ''}, "
        f"{s.seconds:.1f} s ({s.runs_per_second:.0f} runs/s incl. the nobody-acting runs)\n"
    )
    outcome = _stat_table("Outcome", "figure")
    outcome.add_row(*_row("total harm", s.harm))
    outcome.add_row(*_row("total harm, nobody acting", s.baseline))
    outcome.add_row(*_row("harm avoided", s.avoided))
    outcome.add_row(*_row("waste", s.waste))
    outcome.add_row(*_row("mean trust", s.trust))
    outcome.add_row(*_row("rounds", s.rounds))
    stages = _stat_table("Rounds per stage (all waves)", "stage")
    for name, stat in s.stages.items():
        stages.add_row(*_row(name, stat))
    label = "overall score" if s.figure == "score" else f"{s.figure} at the end"
    agencies = _stat_table(f"Agencies: {label}", "agency")
    for name, stat in s.agencies.items():
        agencies.add_row(*_row(name, stat))
    injects = Table(title="Injects: share of runs in which each fired", title_justify="left")
    injects.add_column("inject")
    injects.add_column("fired", justify="right")
    for name, share in s.injects.items():
        injects.add_row(name, Text(f"{share:.0%}", style="red" if share == 0 else ""))
    objectives = Table(
        title="Objectives: share of runs rated P/S/M/U; critical tasks done on time",
        title_justify="left",
    )
    objectives.add_column("objective / task")
    objectives.add_column("achieved", justify="right")
    for r in ("P", "S", "M", "U"):
        objectives.add_column(r, justify="right")
    for oid, o in s.objectives.items():
        objectives.add_row(
            oid, f"{o['achieved']:.0%}", *(f"{o['ratings'][r]:.0%}" for r in ("P", "S", "M", "U"))
        )
        for tid, t in o["tasks"].items():
            objectives.add_row(
                f"  {tid}", Text(f"{t['achieved']:.0%}", style="red" if t["achieved"] == 0 else "")
            )
    negotiation = _stat_table("Negotiation per run", "count")
    for name, stat in s.agreements.items():
        negotiation.add_row(*_row(name, stat))
    tail = Text()
    spread = s.harm
    tail.append(
        f"Harm percentiles: p5 {spread.p5:.1f}, p25 {spread.p25:.1f}, median {spread.p50:.1f}, "
        f"p75 {spread.p75:.1f}, p95 {spread.p95:.1f}; mean agency score {s.score.mean:.1f} "
        f"(p5 {s.score.p5:.1f}, p95 {s.score.p95:.1f}).\n"
    )
    tail.append(
        f"Resurgence in {s.resurgence_runs} of {s.runs} runs ({s.share(s.resurgence_runs):.0%})"
        + "".join(
            f"; from {stage} in {share:.0%}" for stage, share in s.resurgence_from.items() if share
        )
        + ".\n"
    )
    if s.comparison is not None:
        c = s.comparison
        tail.append(
            f"'{c.policy}' on the same seeds: mean harm {c.harm.mean:.1f} "
            f"(gap {c.harm_gap.mean:+.1f}, 95% CI {c.harm_gap.low:+.1f} to {c.harm_gap.high:+.1f}); "
            f"mean score {c.score.mean:.1f} (gap {c.score_gap.mean:+.1f}, 95% CI "
            f"{c.score_gap.low:+.1f} to {c.score_gap.high:+.1f}); agreements {c.agreements.mean:.1f}, "
            f"commitments broken {c.broken.mean:.1f} per run.\n",
            style="bold",
        )
    tail.append(
        f"Cooperation changes the outcome in {s.changed_runs} of {s.runs} runs "
        f"({s.share(s.changed_runs):.0%}): less harm than nobody acting in {s.less_harm}, "
        f"more in {s.more_harm}; mean harm avoided {s.avoided.mean:.1f} of "
        f"{s.baseline.mean:.1f}"
        + (f" ({s.avoided.mean / s.baseline.mean:.0%})" if s.baseline.mean > 0 else "")
        + ".\n"
    )
    ended = ", ".join(f"{k} x{v}" for k, v in sorted(s.ended.items()))
    tail.append(f"Ended: {ended}.\n")
    for note in s.notes():
        tail.append(f"Note: {note}\n", style="yellow")
    for warning in s.warnings():
        tail.append(f"Warning: {warning}\n", style="red")
    parts: list[RenderableType] = [head, outcome, stages, agencies, injects]
    if s.objectives:
        parts.append(objectives)
    parts += [negotiation, tail]
    return Group(*parts)
