"""Benchmarks of the tabletop engine: prints figures next to their targets.

Run from the repository root::

    python bench/run.py            # about a minute
    python bench/run.py --quick    # a few seconds, rougher figures
    python bench/run.py --json     # machine-readable

This is a script, not a test: it never fails on a missed target, it says so.
Everything runs in this one process (one core), except that nothing else of
the machine is controlled: close other programs for stable figures.

Measured, for the default scenario and for a generated large one (100
agencies, 1000 injects, written as TOML into a temporary folder):

* load + validate (``load_game``) versus a raw ``tomllib`` parse of the same file;
* headless exercises per second: the engine alone (nobody acting, the target) and with
  cooperative bots, next to the floor of that exercise (its events built and applied, no
  decision made);
* fold of a 10k-event journal versus ``json.loads`` of the same events;
* durable appends per second (SQLite journal, one decision per transaction);
* report generation for 2000 decisions (when ``tabletop.report`` is available);
* TUI start to first screen versus a bare Textual app (when ``tabletop.tui`` is available).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(ROOT))

from tabletop import __version__  # noqa: E402
from tabletop.bots import parse_policies, play_to_end  # noqa: E402
from tabletop.engine.evolve import evolve, fold, initial_state  # noqa: E402
from tabletop.engine.exercise import Exercise  # noqa: E402
from tabletop.engine.game import Game  # noqa: E402
from tabletop.journal import Journal  # noqa: E402
from tabletop.loader.game import load_game  # noqa: E402
from tabletop.model import commands as cm  # noqa: E402
from tabletop.model.events import Record  # noqa: E402

DEFAULT = ROOT / "scenarios" / "typhoon-two-provinces.toml"
RULES = ROOT / "rules" / "standard.toml"

TARGET_EXERCISES = 500.0
TARGET_LOAD = 5.0
TARGET_FOLD = 3.0
TARGET_REPORT = 1.0


# --------------------------------------------------------------------------- results


@dataclass
class Figure:
    """One measured figure.

    Attributes:
        name: What was measured.
        value: The figure.
        unit: Its unit.
        target: The target in words ("" when there is none).
        met: Whether the target is met (None when there is none).
        note: How it was measured.
    """

    name: str
    value: float | None
    unit: str
    target: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Bench:
    """Collects figures and prints them as they come."""

    quiet: bool = False
    figures: list[Figure] = field(default_factory=list)

    def add(self, fig: Figure) -> None:
        """Record and print a figure."""
        self.figures.append(fig)
        if self.quiet:
            return
        value = "n/a" if fig.value is None else _fmt(fig.value)
        line = f"  {fig.name:<52} {value:>10} {fig.unit:<12}"
        if fig.target:
            verdict = {True: "MET", False: "NOT MET", None: "-"}[fig.met]
            line += f" target {fig.target:<9} {verdict}"
        print(line.rstrip())
        if fig.note:
            print(f"      {fig.note}")

    def section(self, title: str) -> None:
        """Print a section title."""
        if not self.quiet:
            print(f"\n{title}")


def _fmt(x: float) -> str:
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def best_time(fn: Callable[[], Any], *, repeat: int, budget: float = 2.0) -> float:
    """Best wall time of ``fn`` over ``repeat`` calls (stops early after ``budget`` seconds)."""
    best = float("inf")
    spent = 0.0
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        best = min(best, dt)
        spent += dt
        if spent > budget:
            break
    return best


def rate(fn: Callable[[], Any], *, seconds: float, minimum: int = 3) -> tuple[float, int]:
    """Calls of ``fn`` per second, calling it for about ``seconds`` (at least ``minimum`` times)."""
    gc.collect()
    n = 0
    t0 = time.perf_counter()
    while True:
        fn()
        n += 1
        dt = time.perf_counter() - t0
        if n >= minimum and dt >= seconds:
            return n / dt, n


# --------------------------------------------------------------------------- large scenario


DEPARTMENTS = ("emergency", "health", "water", "environment", "transport", "government")


def large_scenario_text(agencies: int = 100, injects: int = 1000, regions: int = 60) -> str:
    """TOML text of a generated scenario: ``agencies`` agencies on four levels, ``injects`` injects.

    One central agency, 9 provincial, 30 municipal and the rest county agencies
    (for 100), each below one superior; every county owns a region; regions
    form a river network; injects are spread over the four stages (scripted by
    round, some conditional) with small hazard effects and expectations.
    """
    rng = random.Random(20261124)
    out: list[str] = [
        "# Generated by bench/run.py: a large scenario for benchmarks.",
        "[scenario]",
        'id = "bench-large"',
        f'title = "Generated: {agencies} agencies, {injects} injects"',
        'briefing = "A generated basin-wide flood for benchmarks."',
        'rules = "standard"',
        "seed = 1",
        "",
    ]
    rids = [f"r{i:03d}" for i in range(regions)]
    for i, rid in enumerate(rids):
        links = []
        if i + 1 < regions:
            links.append(f'{{ to = "{rids[i + 1]}", k = {rng.uniform(0.05, 0.25):.2f} }}')
        if i + 7 < regions and rng.random() < 0.4:
            links.append(f'{{ to = "{rids[i + 7]}", k = {rng.uniform(0.02, 0.1):.2f} }}')
        out += [
            f"[regions.{rid}]",
            f'name = "Region {i}"',
            f"population = {rng.randint(50, 1500)}",
            f"exposure = {rng.uniform(0.2, 0.9):.2f}",
            f"vulnerability = {rng.uniform(0.2, 0.9):.2f}",
            f"development = {rng.uniform(0.2, 0.9):.2f}",
            f"hazard = {rng.uniform(0.0, 0.3) if i % 5 == 0 else 0.0:.2f}",
            f"trust = {rng.randint(50, 70)}",
            f"links = [{', '.join(links)}]",
            "",
        ]
    n_prov = 9
    n_muni = 30
    n_county = agencies - 1 - n_prov - n_muni
    ids: list[tuple[str, str, str | None, list[str]]] = [("central", "central", None, [])]
    provs = [f"p{i}" for i in range(n_prov)]
    munis = [f"m{i:02d}" for i in range(n_muni)]
    counties = [f"c{i:02d}" for i in range(n_county)]
    for i, p in enumerate(provs):
        ids.append((p, "provincial", "central", [rids[(i * 6) % regions]]))
    for i, m in enumerate(munis):
        ids.append((m, "municipal", provs[i % n_prov], [rids[(i * 2 + 1) % regions]]))
    for i, c in enumerate(counties):
        ids.append((c, "county", munis[i % n_muni], [rids[i % regions]]))
    for n, (aid, level, superior, regs) in enumerate(ids):
        big = level in ("central", "provincial")
        authority = '["response", "command", "funds"]' if big else '["response"]'
        if level == "county":
            authority = "[]"
        out += [
            f"[agencies.{aid}]",
            f'name = "Agency {aid}"',
            f'level = "{level}"',
            f'department = "{DEPARTMENTS[n % len(DEPARTMENTS)]}"',
        ]
        if superior:
            out.append(f'superior = "{superior}"')
        out += [
            f"regions = [{', '.join(f'{r!r}' for r in regs)}]".replace("'", '"'),
            f"budget = {rng.randint(20, 300)}",
            f"resources = {{ rescue = {rng.randint(1, 20)}, supplies = {rng.randint(1, 30)}, "
            f"medical = {rng.randint(0, 10)} }}",
            f"authority = {authority}",
            f"local_interest = {rng.uniform(0.0, 0.8):.2f}",
            "",
        ]
    agency_ids = [a for a, *_ in ids]
    stages = ("gestation", "outbreak", "continuation", "recovery")
    actions = ("monitor", "report_up", "share_information", "deploy", "issue_warning")
    for i in range(injects):
        stage = stages[i % 4]
        rid = rids[rng.randrange(regions)]
        who = rng.choice(agency_ids)
        out += ["[[injects]]", f'id = "inj{i:04d}"']
        if i % 10 == 9:
            out.append(f"when = \"regions.{rid}.hazard > 0.4 and stage == '{stage}'\"")
        else:
            out += [f'stage = "{stage}"', f"round = {1 + (i // 4) % 2}"]
        out += [
            f'to = ["{who}"]' if i % 3 else 'to = ["all"]',
            f'type = "{("information", "event", "media", "request")[i % 4]}"',
            f'title = "Inject {i}"',
            f'text = "Generated inject {i} about region {rid}."',
            f'effects = ["regions.{rid}.hazard += {rng.uniform(0.0, 0.01):.3f}"]',
            f'expect = [{{ agency = "{who}", action = "{rng.choice(actions)}", within = 1 }}]',
            "",
        ]
    for i in range(20):
        out += [
            "[[objectives]]",
            f'id = "obj{i:02d}"',
            'capability = "Operational Coordination"',
            f'title = "Objective {i}"',
            "tasks = [",
        ]
        for t in range(3):
            out.append(
                f'    {{ id = "t{t}", text = "Task {t}", action = "{actions[t]}", '
                f'agency = "{rng.choice(agency_ids)}", stage = "{stages[(i + t) % 4]}", '
                "by_round = 2 },"
            )
        out += ["]", ""]
    return "\n".join(out) + "\n"


def write_large(folder: Path) -> Path:
    """Write the large scenario (and the standard rule pack next to it) into ``folder``."""
    (folder / "scenarios").mkdir(parents=True, exist_ok=True)
    (folder / "rules").mkdir(parents=True, exist_ok=True)
    (folder / "rules" / "standard.toml").write_bytes(RULES.read_bytes())
    path = folder / "scenarios" / "bench-large.toml"
    path.write_text(large_scenario_text(), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- measurements


def play(game: Game, policy: str | None, seed: int) -> Exercise:
    """One in-memory exercise with bots (or nobody acting when ``policy`` is None)."""
    ex = Exercise.new(game, None, seed=seed)
    if policy is None:
        while ex.state.phase == "running" and ex.state.active is not None:
            ex.submit(cm.EndTurn(agency=ex.state.active))
    else:
        play_to_end(ex, parse_policies(policy, game.order))
    return ex


def bench_load(b: Bench, label: str, path: Path, repeat: int) -> None:
    """load_game versus tomllib on the same file."""
    text = path.read_text(encoding="utf-8")
    raw = best_time(lambda: tomllib.loads(text), repeat=repeat * 3)
    full = best_time(lambda: load_game(path), repeat=repeat)
    ratio = full / raw
    b.add(Figure(f"{label}: tomllib parse", raw * 1000, "ms", note=f"{len(text):,} bytes"))
    b.add(
        Figure(
            f"{label}: load + validate (load_game)",
            full * 1000,
            "ms",
            note="includes reading, parsing and checking the rule pack",
        )
    )
    b.add(
        Figure(
            f"{label}: load / tomllib",
            ratio,
            "x",
            target=f"<= {TARGET_LOAD:g}x",
            met=ratio <= TARGET_LOAD,
        )
    )


def floor_of(game: Game, records: list[Record]) -> Callable[[], None]:
    """An exercise with every decision already made: only its events and commands are built.

    For each decision of ``records``: one command validated (an ``EndTurn``, the
    cheapest) and one timestamp; for each event: the pydantic event validated from
    its fields (the turn and round markers the engine shares are reused, as the
    engine does), its ``Record`` and ``evolve``. No legality check, no resolution,
    no bot: what any exercise with these events costs at the least.
    """
    # The events the engine made once for this game and shares (Game.memo).
    shared = {id(e) for e in game.memo.get("events", {}).values()}
    decisions: list[list[Any]] = []
    last = None
    for r in records:
        if r.decision_id != last:
            decisions.append([])
            last = r.decision_id
        e = r.event
        reused = id(e) in shared
        decisions[-1].append(e if reused else (type(e), e.model_dump(exclude={"kind", "v"})))
    agency = game.order[0]

    def run() -> None:
        state = initial_state(game)
        seq = 0
        for events in decisions:
            cm.EndTurn(agency=agency)
            at = datetime.now(UTC).isoformat()
            for item in events:
                event = item[0](**item[1]) if isinstance(item, tuple) else item
                seq += 1
                Record(seq, "decision", at, event)
                evolve(state, event)

    return run


def bench_exercises(
    b: Bench, label: str, game: Game, seconds: float, *, target: bool, minimum: int = 3
) -> None:
    """Headless exercises per second: the engine alone (nobody acting) and cooperative bots.

    The target applies to the engine alone; with bots, the floor figure (the same
    exercise's events and commands, built and applied with no decision made) shows
    what the event model costs before any legality check or bot logic.
    """
    seeds = iter(range(1, 10**9))
    for policy, what in (
        (None, "engine alone (nobody acting)"),
        ("cooperative", "cooperative bots"),
    ):
        per_s, n = rate(
            lambda p=policy: play(game, p, next(seeds)), seconds=seconds, minimum=minimum
        )
        ex = play(game, policy, 1)
        decisions = len({r.decision_id for r in ex.records})
        note = (
            f"{n} exercises; seed 1: {len(ex.records)} events, {decisions} decisions, "
            f"{ex.state.round} rounds"
        )
        name = f"{label}: exercises/s, {what}"
        if target and policy is None:
            b.add(
                Figure(
                    name,
                    per_s,
                    "exercises/s",
                    target=f">= {TARGET_EXERCISES:g}/s",
                    met=per_s >= TARGET_EXERCISES,
                    note=note,
                )
            )
        else:
            b.add(Figure(name, per_s, "exercises/s", note=note))
        if policy is not None:
            floor, _ = rate(floor_of(game, ex.records), seconds=seconds, minimum=minimum)
            b.add(
                Figure(
                    f"{label}: floor of that exercise (no decisions)",
                    floor,
                    "exercises/s",
                    note=(
                        "its commands and events validated, recorded and applied with nothing "
                        f"decided; deciding (legality, effects, resolution, bots) takes the other "
                        f"{1 - per_s / floor:.0%} of a bot-played exercise"
                    ),
                )
            )


def bench_bot_ratio(b: Bench, game: Game, seconds: float) -> None:
    """Negotiating bots against the engine alone, measured in turn in the same run (issue 11).

    Each policy plays whole exercises (proposals, answers, commitments on); the
    figure is its exercises/s as a share of the engine-alone exercises/s,
    each the better of two alternating measurements so both see the same load.
    """
    seeds = iter(range(1, 10**9))
    best: dict[str | None, float] = {}
    for _ in range(2):
        for policy in (None, "cooperative", "selfish", "opportunist"):
            per_s, _ = rate(lambda p=policy: play(game, p, next(seeds)), seconds=seconds / 2)
            best[policy] = max(best.get(policy, 0.0), per_s)
    alone = best[None]
    for policy in ("cooperative", "selfish", "opportunist"):
        ratio = best[policy] / alone
        b.add(
            Figure(
                f"default: {policy} bots / engine alone",
                100 * ratio,
                "%",
                target=">= 50%",
                met=ratio >= 0.5,
                note=f"{best[policy]:.0f} against {alone:.0f} exercises/s, negotiation on",
            )
        )


def journals_of(game: Game, events: int = 10_000) -> list[list[Record]]:
    """Journals of cooperative exercises (seeds 1, 2, ...) holding ``events`` events in all.

    The last journal is cut to make the total exact (any prefix of a journal folds).
    """
    out: list[list[Record]] = []
    total = 0
    seed = 0
    while total < events:
        seed += 1
        records = play(game, "cooperative", seed).records[: events - total]
        out.append(records)
        total += len(records)
    return out


def bench_fold(b: Bench, label: str, game: Game, folder: Path, repeat: int) -> None:
    """Fold of 10k events versus json.loads of the same events (and reading them from SQLite)."""
    journals = journals_of(game)
    payloads = [r.event.model_dump_json() for js in journals for r in js]
    kinds = len({r.event.kind for js in journals for r in js})

    def fold_all() -> None:
        for js in journals:
            fold(initial_state(game), js)

    loads = best_time(lambda: [json.loads(p) for p in payloads], repeat=repeat)
    folded = best_time(fold_all, repeat=repeat)
    paths = []
    for i, js in enumerate(journals):
        path = folder / f"fold-{label}-{i}.tabletop"
        with Journal(path, create=True) as j:
            j.append(js, expected_last=0)
        paths.append(path)

    def read_and_fold() -> None:
        for path in paths:
            with Journal(path) as j:
                fold(initial_state(game), j.read())

    cold = best_time(read_and_fold, repeat=max(2, repeat // 2))
    where = (
        f"{len(journals)} journals of cooperative play"
        if len(journals) > 1
        else "one journal of cooperative play"
    )
    b.add(
        Figure(
            f"{label}: json.loads of 10k events",
            loads * 1000,
            "ms",
            note=f"{where}, {kinds} event kinds",
        )
    )
    b.add(Figure(f"{label}: fold of 10k events", folded * 1000, "ms", note="events in memory"))
    b.add(
        Figure(
            f"{label}: fold / json.loads",
            folded / loads,
            "x",
            target=f"<= {TARGET_FOLD:g}x",
            met=folded / loads <= TARGET_FOLD,
        )
    )
    b.add(
        Figure(
            f"{label}: read journal + validate + fold",
            cold * 1000,
            "ms",
            note=f"{cold / loads:.1f}x json.loads (SQLite read, pydantic validation, fold)",
        )
    )


def bench_appends(b: Bench, folder: Path, seconds: float) -> None:
    """Durable appends per second: one decision per transaction (WAL, synchronous=FULL)."""
    game = load_game(DEFAULT)
    path = folder / "appends.tabletop"
    ex = Exercise.new(game, path, seed=1)
    counter = iter(range(10**9))
    try:
        per_s, n = rate(
            lambda: ex.submit(cm.AddObservation(text=f"note {next(counter)}")),
            seconds=seconds,
            minimum=20,
        )
    finally:
        ex.close()
    fs = _filesystem(folder)
    b.add(
        Figure(
            "durable appends (Exercise.submit, 1 decision/transaction)",
            per_s,
            "decisions/s",
            note=f"{n} decisions, WAL + synchronous=FULL on {fs} ({folder})",
        )
    )


def _filesystem(folder: Path) -> str:
    """The file-system type holding ``folder`` (Linux), or "unknown"."""
    try:
        mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "unknown"
    best = ("", "unknown")
    target = str(folder.resolve())
    for parts in mounts:
        if len(parts) >= 3 and target.startswith(parts[1]) and len(parts[1]) > len(best[0]):
            best = (parts[1], parts[2])
    return best[1]


def _report_functions() -> tuple[Callable[..., Any], Callable[[Any], Any] | None] | None:
    """``(build, render_all)`` from :mod:`tabletop.report`, None when it is not there."""
    try:
        import tabletop.report as report
    except ImportError:
        return None
    build = getattr(report, "build_report", None)
    if build is None:
        try:
            from tabletop.report.build import build_report as build
        except ImportError:
            return None
    render = getattr(report, "render", None)
    formats = tuple(getattr(report, "FORMATS", ("md", "html", "json")))
    if render is None:
        return build, None
    return build, lambda rep: [render(rep, fmt) for fmt in formats]


def bench_report(b: Bench, large: Game, repeat: int) -> None:
    """Report generation for a journal of 2000 decisions."""
    fns = _report_functions()
    if fns is None:
        b.add(Figure("report: not available", None, "", note="tabletop.report is not installed"))
        return
    build, render = fns
    ex = Exercise.new(large, None, seed=1)
    policies = parse_policies("cooperative", large.order)
    from tabletop.bots import play_turn

    def decisions() -> int:
        return len({r.decision_id for r in ex.records})

    while decisions() < 2000 and ex.state.phase == "running" and ex.state.active:
        play_turn(ex, ex.state.active, policies[ex.state.active])
    while decisions() < 2000:
        ex.submit(cm.AddObservation(text="evaluator note"))
    seen: set[str] = set()
    cut = len(ex.records)
    for i, r in enumerate(ex.records):
        seen.add(r.decision_id)
        if len(seen) > 2000:
            cut = i
            break
    records = ex.records[:cut]

    try:
        from tabletop.scoring.counterfactual import clear_cache
    except ImportError:

        def clear_cache() -> None:
            return None

    parts = {"build": float("inf"), "render": 0.0}

    def generate() -> None:
        clear_cache()  # the nobody-acting run is part of the report's cost
        t0 = time.perf_counter()
        rep = build(large, records)
        t1 = time.perf_counter()
        if render is not None:
            render(rep)
        t2 = time.perf_counter()
        if t1 - t0 < parts["build"]:
            parts["build"], parts["render"] = t1 - t0, t2 - t1

    try:
        took = best_time(generate, repeat=repeat, budget=10.0)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not crash
        b.add(Figure("report: failed", None, "", note=f"{type(exc).__name__}: {exc}"))
        return
    what = (
        f"build {parts['build']:.2f} s (scoring, counterfactual included) + render "
        f"{parts['render']:.2f} s (every format)"
        if render is not None
        else "build only"
    )
    b.add(
        Figure(
            "report generation, 2000 decisions",
            took,
            "s",
            target=f"< {TARGET_REPORT:g} s",
            met=took < TARGET_REPORT,
            note=f"{what}; {len(records):,} events of the large scenario",
        )
    )


def bench_tui(b: Bench, repeat: int) -> None:
    """TUI start to first screen versus a bare Textual app (headless, App.run_test)."""
    try:
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        from tabletop.tui.app import TabletopApp
    except ImportError:
        b.add(Figure("TUI: not available", None, "", note="tabletop.tui is not installed"))
        return

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    game = load_game(DEFAULT)

    async def first_screen(make: Callable[[], App[Any]]) -> float:
        t0 = time.perf_counter()
        app = make()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
        return time.perf_counter() - t0

    def tabletop_app() -> App[Any]:
        return TabletopApp(exercise=Exercise.new(game, None, seed=1), poll_interval=0)

    def measure(make: Callable[[], App[Any]]) -> float:
        return min(asyncio.run(first_screen(make)) for _ in range(repeat))

    try:
        bare = measure(Bare)
        ours = measure(tabletop_app)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not crash
        b.add(Figure("TUI: failed", None, "", note=f"{type(exc).__name__}: {exc}"))
        return
    b.add(Figure("TUI: bare Textual app to first screen", bare * 1000, "ms", note="run_test"))
    b.add(
        Figure(
            "TUI: tabletop to first screen",
            ours * 1000,
            "ms",
            note=f"{ours / bare:.1f}x the bare app (default scenario, exercise opened)",
        )
    )


# --------------------------------------------------------------------------- main


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "tabletop": __version__,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs, rough figures")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--tmp", help="folder for journal files (default: the system temp dir)")
    args = parser.parse_args(argv)
    seconds = 0.5 if args.quick else 3.0
    repeat = 3 if args.quick else 10
    b = Bench(quiet=args.json)
    info = machine()
    if not args.json:
        print("tabletop benchmarks (one process, one core)")
        for k, v in info.items():
            print(f"  {k:<10} {v}")
    with tempfile.TemporaryDirectory(prefix="tabletop-bench-", dir=args.tmp) as tmp:
        folder = Path(tmp)
        large_path = write_large(folder)
        default_game = load_game(DEFAULT)
        large_game = load_game(large_path)
        sc = large_game.scenario
        if not args.json:
            print(
                f"  large      generated: {len(sc.agencies)} agencies, {len(sc.regions)} regions, "
                f"{len(sc.injects)} injects, {len(sc.objectives)} objectives"
            )
        b.section("Load and validate")
        bench_load(b, "default", DEFAULT, repeat)
        bench_load(b, "large", large_path, max(2, repeat // 3))
        b.section("Headless exercises (single core)")
        bench_exercises(b, "default", default_game, seconds, target=True)
        bench_bot_ratio(b, default_game, seconds)
        bench_exercises(
            b,
            "large",
            large_game,
            seconds,
            target=False,
            minimum=1 if args.quick else 2,
        )
        b.section("Fold of a 10k-event journal")
        bench_fold(b, "default", default_game, folder, repeat)
        bench_fold(b, "large", large_game, folder, repeat)
        b.section("Durable appends")
        bench_appends(b, folder, seconds)
        b.section("Report")
        bench_report(b, large_game, max(2, repeat // 3))
        b.section("Terminal UI")
        bench_tui(b, 2 if args.quick else 5)
    if args.json:
        out = {"machine": info, "figures": [f.__dict__ for f in b.figures]}
        print(json.dumps(out, indent=2))
    else:
        targets = [f for f in b.figures if f.met is not None]
        met = sum(1 for f in targets if f.met)
        print(f"\n{met} of {len(targets)} targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
