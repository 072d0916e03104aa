"""Benchmarks of the tabletop engine: prints figures next to their targets.

Run from the repository root::

    python bench/run.py            # a few minutes
    python bench/run.py --quick    # shorter runs, rougher figures
    python bench/run.py --check    # exit status 1 when a checked target is not met
    python bench/run.py --only fold --only cli   # some sections only
    python bench/run.py --json     # machine-readable

Every target is a ratio to a reference measured in the same run (a pure-Python
arithmetic floor, raw ``tomllib``, ``json.loads``, a bare Textual app, bare
interpreter processes), so that a slower or loaded machine moves both sides. Times
are CPU time (``time.process_time``; child processes' ``getrusage``), best of
several runs, the two sides of a ratio measured in turn. This is a script, not a
test: without ``--check`` it never fails, it says what is missed. It imports
tabletop from the checkout it sits in (printed as "code from").

Measured, for the default scenario and generated ones (written as TOML into a
temporary folder):

* load + validate (``load_game``) versus a raw ``tomllib`` parse of the same file;
* headless exercises: the engine alone (nobody acting, against the floor) and with
  cooperative bots, next to the floor of that exercise (its events built and applied,
  no decision made);
* fold of a 10k-event journal versus ``json.loads`` of the same events;
* growth: the fold and the play of one 100k-event exercise per 10k events, and of
  10 to 400 agencies;
* durable appends per second (SQLite journal, one decision per transaction, wall time);
* the journal backends side by side (``bench/journals.py``): durable appends/s, read +
  fold of 10k events and follower latency (median, p99) for SQLite and a throwaway
  PostgreSQL server, in the same run (section ``journals``);
* report generation for 2000 decisions (when ``tabletop.report`` is available);
* TUI start to first screen versus a bare Textual app (when ``tabletop.tui`` is available);
* ``tabletop --help`` and ``tabletop validate`` start-up versus bare processes.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(ROOT))

from tabletop import __version__  # noqa: E402
from tabletop.bots import cooperative, parse_policies, play_to_end, play_turn  # noqa: E402
from tabletop.engine.evolve import evolve, fold, initial_state  # noqa: E402
from tabletop.engine.exercise import Exercise  # noqa: E402
from tabletop.engine.game import Game  # noqa: E402
from tabletop.engine.legal import open_proposals_for  # noqa: E402
from tabletop.journal import Journal  # noqa: E402
from tabletop.loader.game import load_game  # noqa: E402
from tabletop.model import commands as cm  # noqa: E402
from tabletop.model.events import Record  # noqa: E402

DEFAULT = ROOT / "scenarios" / "typhoon-two-provinces.toml"
RULES = ROOT / "rules" / "standard.toml"

# Targets are ratios to a reference measured in the same run, so that a loaded or
# slower machine moves both sides. The time targets of the product (500 exercises/s,
# a report in under 1 s) are converted with the arithmetic floor (FLOOR_LOOPS
# iterations of pure-Python arithmetic), which took FLOOR_CALIBRATION seconds on the
# project's 2-core machine when they were converted (best of 30; docs/bench.md).
FLOOR_LOOPS = 100_000
FLOOR_CALIBRATION = 0.0077
#: Engine alone, one default exercise: 1/500 s, in floors.
TARGET_EXERCISE_FLOORS = (1 / 500) / FLOOR_CALIBRATION
#: Report for 2000 decisions: 1 s, in floors.
TARGET_REPORT_FLOORS = 1.0 / FLOOR_CALIBRATION
TARGET_LOAD = 5.0
TARGET_FOLD = 3.0
#: Fold of 100k events / fold of 10k events of the same journal (10 when linear).
TARGET_FOLD_GROWTH = 12.0
#: Cost per event, 400 agencies / 10 agencies (1 when linear in agencies).
TARGET_AGENCY_GROWTH = 2.0
#: Agencies of the long journal of the growth section.
LONG_AGENCIES = 130
#: Cooperative play: cost per event of the last 10k events / the first 10k.
TARGET_PLAY_GROWTH = 1.5
#: ``tabletop --help`` / a bare argparse + rich process.
TARGET_HELP = 1.2
#: ``tabletop validate`` / a tomllib-only process (out of reach, docs/bench.md).
TARGET_VALIDATE = 2.0
#: ``tabletop validate`` / a process that only builds the same pydantic models.
TARGET_VALIDATE_MODELS = 1.3


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
    #: False for a target printed for the record but known to be out of reach
    #: (explained in docs/bench.md): ``--check`` does not fail on it.
    checked: bool = True


@dataclass
class Bench:
    """Collects figures and prints them as they come.

    Attributes:
        quiet: Print nothing (``--json``).
        figures: The figures so far.
        floor: Best time of the arithmetic floor in this run (seconds).
    """

    quiet: bool = False
    figures: list[Figure] = field(default_factory=list)
    floor: float = 0.0

    def add(self, fig: Figure) -> None:
        """Record and print a figure."""
        self.figures.append(fig)
        if self.quiet:
            return
        value = "n/a" if fig.value is None else _fmt(fig.value)
        line = f"  {fig.name:<58} {value:>10} {fig.unit:<12}"
        if fig.target:
            verdict = {True: "MET", False: "NOT MET", None: "-"}[fig.met]
            if not fig.checked:
                verdict += " (not checked)"
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


#: The clock of every in-process figure: this process's CPU time, so that the time
#: the machine gives to other programs is not counted (what they still cost us, in
#: shared caches and cores, slows the arithmetic floor as much: hence the ratios).
CLOCK = time.process_time


def best_time(fn: Callable[[], Any], *, repeat: int, budget: float = 2.0) -> float:
    """Best CPU time of ``fn`` over ``repeat`` calls (stops early after ``budget`` seconds)."""
    best = float("inf")
    spent = 0.0
    for _ in range(repeat):
        gc.collect()
        t0 = CLOCK()
        fn()
        dt = CLOCK() - t0
        best = min(best, dt)
        spent += dt
        if spent > budget:
            break
    return best


def rate(
    fn: Callable[[], Any], *, seconds: float, minimum: int = 3, wall: bool = False
) -> tuple[float, int]:
    """Calls of ``fn`` per CPU second (per wall second with ``wall``: waiting on a disk).

    Calls it for about ``seconds`` (at least ``minimum`` times).
    """
    clock = time.perf_counter if wall else CLOCK
    gc.collect()
    n = 0
    t0 = clock()
    while True:
        fn()
        n += 1
        dt = clock() - t0
        if n >= minimum and dt >= seconds:
            return n / dt, n


def arithmetic_floor(loops: int = FLOOR_LOOPS) -> float:
    """Pure-Python arithmetic, no allocation to speak of: the machine's speed right now."""
    x = 0.0
    for i in range(loops):
        x += (i % 7) * 0.5 - (i & 3)
    return x


def bench_floor(b: Bench, repeat: int) -> None:
    """Measure the arithmetic floor every time target of this run is a ratio to."""
    took = best_time(arithmetic_floor, repeat=repeat * 3, budget=3.0)
    b.floor = took if not b.floor else min(b.floor, took)
    b.add(
        Figure(
            "reference: arithmetic floor",
            took * 1000,
            "ms",
            note=f"{FLOOR_LOOPS:,} loops of pure-Python arithmetic, best of {repeat * 3}; "
            f"{FLOOR_CALIBRATION * 1000:.1f} ms when the time targets were converted",
        )
    )


def best_times(fns: dict[Any, Callable[[], Any]], *, repeat: int) -> dict[Any, float]:
    """Best wall time of each of ``fns``, calling them in turn ``repeat`` times.

    Taking turns spreads a change of the machine's load over every function, so
    that their ratios hold even when the load moves during the measurement.
    """
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for key, fn in fns.items():
            gc.collect()
            t0 = CLOCK()
            fn()
            best[key] = min(best[key], CLOCK() - t0)
    return best


def floor_now() -> float:
    """A quick reading of the arithmetic floor (best of 3), to scale a time measured now."""
    return best_time(arithmetic_floor, repeat=3)


# --------------------------------------------------------------------------- large scenario


DEPARTMENTS = ("emergency", "health", "water", "environment", "transport", "government")


def large_scenario_text(
    agencies: int = 100,
    injects: int = 1000,
    regions: int = 60,
    stage_rounds: dict[str, int] | None = None,
) -> str:
    """TOML text of a generated scenario: ``agencies`` agencies on four levels, ``injects`` injects.

    One central agency, 9% provincial, 30% municipal and the rest county agencies
    (9, 30 and 60 for 100), each below one superior; every county owns a region;
    regions form a river network; injects are spread over the four stages
    (scripted by round, some conditional) with small hazard effects and
    expectations. ``stage_rounds`` overrides the rule pack's rounds per stage.
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
    ]
    if stage_rounds:
        rounds = ", ".join(f"{k} = {v}" for k, v in stage_rounds.items())
        out.append(f"stage_rounds = {{ {rounds} }}")
    out.append("")
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
    n_prov = max(1, round(agencies * 0.09))
    n_muni = max(1, round(agencies * 0.3))
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


def write_large(folder: Path, text: str | None = None, *, max_rounds: int | None = None) -> Path:
    """Write a generated scenario (the large one by default) and the rule pack into ``folder``.

    ``max_rounds`` replaces the standard pack's round limit in its copy (for long journals).
    """
    (folder / "scenarios").mkdir(parents=True, exist_ok=True)
    (folder / "rules").mkdir(parents=True, exist_ok=True)
    rules = RULES.read_text(encoding="utf-8")
    if max_rounds is not None:
        rules = rules.replace("max_rounds = 24", f"max_rounds = {max_rounds}", 1)
    (folder / "rules" / "standard.toml").write_text(rules, encoding="utf-8")
    path = folder / "scenarios" / "bench-large.toml"
    path.write_text(large_scenario_text() if text is None else text, encoding="utf-8")
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
    times = best_times(
        {"raw": lambda: tomllib.loads(text), "full": lambda: load_game(path)}, repeat=repeat
    )
    raw, full = times["raw"], times["full"]
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
    # The events the engine made once for this game and shares (Game.caches).
    caches = getattr(game, "caches", None)
    found = caches.events if caches is not None else game.memo.get("events", {})
    shared = {id(e) for e in found.values()}
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
        b.add(Figure(name, per_s, "exercises/s", note=note))
        if target and policy is None:
            # Best single exercise against the best floor: both "best of", so that the
            # ratio holds on a loaded machine (the rate above includes interruptions).
            one = best_time(lambda: play(game, None, next(seeds)), repeat=30, budget=seconds)
            floors = one / b.floor
            b.add(
                Figure(
                    f"{label}: one exercise, engine alone / arithmetic floor",
                    floors,
                    "floors",
                    target=f"<= {TARGET_EXERCISE_FLOORS:.2f}",
                    met=floors <= TARGET_EXERCISE_FLOORS,
                    note=f"the 500/s target in floors; best exercise {one * 1000:.2f} ms, "
                    f"{1 / (TARGET_EXERCISE_FLOORS * b.floor):.0f}/s would meet it in this run",
                )
            )
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

    times = best_times(
        {"loads": lambda: [json.loads(p) for p in payloads], "fold": fold_all}, repeat=repeat
    )
    loads, folded = times["loads"], times["fold"]
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


def negotiating(ex: Exercise, agency: str, rng: random.Random) -> Iterator[cm.Command]:
    """Cooperative bots that also propose to a random partner and answer every proposal.

    A bench workload, not a policy of :mod:`tabletop.bots`: it fills a long journal
    with proposals settled both ways, which is what made folds super-linear.
    """
    s = ex.state
    for pid in open_proposals_for(s, agency):
        yield cm.AnswerProposal(agency=agency, proposal=pid, accept=rng.random() < 0.6)
    partners = ex.game.others[agency]
    if partners and rng.random() < 0.5:
        yield cm.ProposeAgreement(
            agency=agency, mechanism="regional_cooperation", parties=[rng.choice(partners)]
        )
    yield from cooperative(ex, agency, rng)


def long_play(
    game: Game, events: int, marks: int = 10_000
) -> tuple[list[Record], list[tuple[float, float]]]:
    """One exercise of ``negotiating`` bots, stopped once it holds ``events`` events.

    Returns its records and, for each successive ``marks`` events, the time per
    event of the whole play and of the engine alone (``Exercise.submit``: decide,
    records, evolve; the rest is the bots choosing), in arithmetic floors measured
    right after the chunk (the machine's load may change during a long play).
    """
    ex = Exercise.new(game, None, seed=1)
    engine = [0.0]
    submit = ex.submit

    def timed(command: cm.Command) -> list[Record]:
        t = CLOCK()
        try:
            return submit(command)
        finally:
            engine[0] += CLOCK() - t

    ex.submit = timed  # type: ignore[method-assign]
    chunks: list[tuple[float, float]] = []
    gc.collect()
    since, count = CLOCK(), len(ex.records)
    while ex.state.phase == "running" and ex.state.active is not None and len(ex.records) < events:
        play_turn(ex, ex.state.active, negotiating)
        if len(ex.records) - count >= marks:
            now, n = CLOCK(), len(ex.records) - count
            floor = floor_now()  # the machine's speed now: chunks are compared in floors
            chunks.append(((now - since) / n / floor, engine[0] / n / floor))
            since, count, engine[0] = CLOCK(), len(ex.records), 0.0
    return ex.records[:events], chunks


def bench_growth(b: Bench, folder: Path, repeat: int) -> None:
    """Fold and cooperative play as journals grow in events and in agencies."""
    # Events: one long journal, 130 agencies, stages of 50 rounds: its 100k events stay
    # in the operation stages (outbreak, continuation, a resurgence), so its first and
    # last 10k events are the same mix of events, and their costs compare.
    text = large_scenario_text(
        agencies=LONG_AGENCIES,
        injects=200,
        stage_rounds={"gestation": 50, "outbreak": 50, "continuation": 50, "recovery": 50},
    )
    game = load_game(write_large(folder / "long", text, max_rounds=400))
    records, chunks = long_play(game, 100_000)
    kinds = {r.event.kind for r in records}
    # The fold of the whole journal, timed per 10k events (best of each over the repeats):
    # on a loaded machine a one-second fold is rarely left alone, a chunk more often. The
    # negotiating bots never undo, so folding in chunks is exactly the fold of the whole.
    assert not any(r.event.kind == "turn_undone" for r in records)
    step = 10_000
    pieces = [records[i : i + step] for i in range(0, len(records), step)]
    best = [float("inf")] * len(pieces)
    first_k = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = CLOCK()
        fold(initial_state(game), records[:1_000])
        first_k = min(first_k, CLOCK() - t0)
        state = initial_state(game)
        for i, piece in enumerate(pieces):
            gc.collect()
            t0 = CLOCK()
            fold(state, piece)
            best[i] = min(best[i], CLOCK() - t0)
    per = {1_000: first_k, 10_000: best[0], len(records): sum(best)}
    for n, took in per.items():
        b.add(
            Figure(
                f"fold of one journal, first {n:,} events",
                took * 1000,
                "ms",
                note=f"{took / n * 1e6:.2f} us per event",
            )
        )
    growth = per[len(records)] / per[10_000]
    b.add(
        Figure(
            "fold growth: 100k events / 10k events",
            growth,
            "x",
            target=f"<= {TARGET_FOLD_GROWTH:g}",
            met=growth <= TARGET_FOLD_GROWTH,
            note=f"10 when linear; 1k -> 10k: {per[10_000] / per[1_000]:.1f}x; "
            f"{len(records):,} events of one exercise, {LONG_AGENCIES} agencies, "
            f"{sum(1 for r in records if r.event.kind == 'proposal_made'):,} proposals, "
            f"{len(kinds)} event kinds; per event, events 90k-100k / 0-10k: "
            f"{best[-1] / len(pieces[-1]) / (best[0] / len(pieces[0])):.2f}x",
        )
    )
    if len(chunks) >= 2:
        (first, first_engine), (last, last_engine) = chunks[0], chunks[-1]
        engine_growth = last_engine / first_engine
        b.add(
            Figure(
                "engine in play growth: per event, last 10k / first 10k",
                engine_growth,
                "x",
                target=f"<= {TARGET_PLAY_GROWTH:g}",
                met=engine_growth <= TARGET_PLAY_GROWTH,
                note=f"Exercise.submit (decide, records, evolve): {first_engine * b.floor * 1e6:.0f} "
                f"-> {last_engine * b.floor * 1e6:.0f} us per event at this run's floor; "
                "1 when linear",
            )
        )
        b.add(
            Figure(
                "cooperative play growth (bots included): last 10k / first 10k",
                last / first,
                "x",
                note=f"{first * b.floor * 1e6:.0f} -> {last * b.floor * 1e6:.0f} us per event "
                "at this run's floor: the bots' own "
                "scans of every request, proposal and commitment per turn (tabletop.bots)",
            )
        )
    # Agencies: one exercise each, 200 injects, regions growing with the agencies.
    counts = (10, 25, 50, 100, 200, 400)
    games: dict[int, Game] = {}
    journals: dict[int, list[Record]] = {}
    played: dict[int, float] = {}
    for agencies in counts:
        text = large_scenario_text(
            agencies=agencies, injects=200, regions=max(5, round(agencies * 0.6))
        )
        g = games[agencies] = load_game(write_large(folder / f"agencies-{agencies}", text))
        gc.collect()
        t0 = CLOCK()
        ex = Exercise.new(g, None, seed=1)
        play_to_end(ex, negotiating)
        # In floors measured right after: the load may change between the exercises.
        played[agencies] = (CLOCK() - t0) / len(ex.records) / floor_now()
        journals[agencies] = ex.records
    folds = best_times(
        {n: (lambda g=games[n], recs=journals[n]: fold(initial_state(g), recs)) for n in counts},
        repeat=repeat,
    )
    cost: dict[int, tuple[float, float]] = {}
    for agencies in counts:
        n = len(journals[agencies])
        cost[agencies] = (folds[agencies] / n, played[agencies])
        b.add(
            Figure(
                f"{agencies} agencies: fold per event",
                folds[agencies] / n * 1e6,
                "us",
                note=f"{n:,} events; play (bots + engine) "
                f"{played[agencies] * b.floor * 1e6:.0f} us per event at this run's floor",
            )
        )
    fold_ratio = cost[400][0] / cost[10][0]
    play_ratio = cost[400][1] / cost[10][1]
    b.add(
        Figure(
            "fold growth: per event, 400 agencies / 10 agencies",
            fold_ratio,
            "x",
            target=f"<= {TARGET_AGENCY_GROWTH:g}",
            met=fold_ratio <= TARGET_AGENCY_GROWTH,
            note="1 when linear in agencies",
        )
    )
    b.add(
        Figure(
            "cooperative play growth: per event, 400 agencies / 10 agencies",
            play_ratio,
            "x",
            target=f"<= {TARGET_AGENCY_GROWTH:g}",
            met=play_ratio <= TARGET_AGENCY_GROWTH,
            note="1 when linear in agencies",
        )
    )


def process_times(
    commands: dict[str, list[str]], env: dict[str, str], repeat: int
) -> dict[str, float]:
    """Best CPU time of fresh ``python argv...`` processes, run in turn ``repeat`` times.

    One warm-up run of each first (it fills the bytecode cache).
    """
    best = dict.fromkeys(commands, float("inf"))
    for argv in commands.values():
        subprocess.run([sys.executable, *argv], env=env, cwd=ROOT, capture_output=True, check=False)
    for _ in range(repeat):
        for key, argv in commands.items():
            before = _children_cpu()
            subprocess.run(
                [sys.executable, *argv], env=env, cwd=ROOT, capture_output=True, check=False
            )
            best[key] = min(best[key], _children_cpu() - before)
    return best


def _children_cpu() -> float:
    """CPU time (user + system) of the finished child processes so far."""
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def bench_cli(b: Bench, folder: Path, repeat: int) -> None:
    """Start-up of ``tabletop --help`` and ``validate`` against bare processes.

    Every process is a fresh interpreter with the same environment: this tree first
    on ``PYTHONPATH`` and compiled bytecode cached in a temporary folder (as after
    an installation; a warm-up run fills it), whatever ``PYTHONDONTWRITEBYTECODE`` says.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    scenario = str(DEFAULT)
    parse = f"import tomllib\nwith open({scenario!r}, 'rb') as f: tomllib.load(f)"
    bare_cli = (
        "import argparse\nfrom rich.console import Console\nConsole()\n"
        "p = argparse.ArgumentParser(prog='x')\ns = p.add_subparsers()\n"
        "[s.add_parser(n, help=n) for n in 'abcdefg']\np.print_help()"
    )
    models = "import tabletop.model.rules, tabletop.model.scenario"
    runs = process_times(
        {
            "bare": ["-c", "pass"],
            "tomllib": ["-c", parse],
            "argparse": ["-c", bare_cli],
            "models": ["-c", models],
            "help": ["-m", "tabletop.cli", "--help"],
            "validate": ["-m", "tabletop.cli", "validate", scenario],
        },
        env,
        repeat,
    )
    names = {
        "bare": "reference: python -c pass",
        "tomllib": "reference: a process parsing the scenario with tomllib",
        "argparse": "reference: a bare argparse + rich process",
        "models": "reference: a process importing the scenario models (pydantic)",
        "help": "tabletop --help",
        "validate": "tabletop validate (default scenario)",
    }
    for key, took in runs.items():
        b.add(Figure(names[key], took * 1000, "ms", note=f"best of {repeat} processes, in turn"))
    help_ratio = runs["help"] / runs["argparse"]
    b.add(
        Figure(
            "tabletop --help / argparse + rich",
            help_ratio,
            "x",
            target=f"<= {TARGET_HELP:g}x",
            met=help_ratio <= TARGET_HELP,
        )
    )
    validate_ratio = runs["validate"] / runs["tomllib"]
    floor_ratio = runs["models"] / runs["tomllib"]
    b.add(
        Figure(
            "tabletop validate / tomllib process",
            validate_ratio,
            "x",
            target=f"<= {TARGET_VALIDATE:g}x",
            met=validate_ratio <= TARGET_VALIDATE,
            checked=False,
            note=f"out of reach: importing the pydantic models alone is {floor_ratio:.1f}x "
            "(docs/bench.md)",
        )
    )
    models_ratio = runs["validate"] / runs["models"]
    b.add(
        Figure(
            "tabletop validate / process importing the models",
            models_ratio,
            "x",
            target=f"<= {TARGET_VALIDATE_MODELS:g}x",
            met=models_ratio <= TARGET_VALIDATE_MODELS,
            note="what validate adds to the models it must build: loader, checks, output",
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
            wall=True,
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


def bench_journals(b: Bench, quick: bool) -> None:
    """SQLite and PostgreSQL side by side (``bench/journals.py``; a real throwaway server)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import journals

    units = {"durable appends/s": "decisions/s"}
    for row in journals.measure(quick):
        value = row["value"]
        if not isinstance(value, float | int):
            b.add(Figure(f"{row['backend']}: {row['figure']}", None, "", note=str(value)))
            continue
        figure = row["figure"]
        unit = units.get(figure, "ms" if figure.endswith("(ms)") else "")
        name = figure.removesuffix(" (ms)")
        what = "decisions" if figure in units else "samples"
        note = f"{row['n']} {what}" if "n" in row else ""
        b.add(Figure(f"{row['backend']}: {name}", float(value), unit, note=note))


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
    # The text formats (md, html, json, csv); the PDF (WeasyPrint) is timed on its own.
    formats = tuple(
        getattr(report, "TEXT_FORMATS", None) or getattr(report, "FORMATS", ("md", "html", "json"))
    )
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

        def clear_cache(game: object = None) -> None:
            return None

    parts = {"build": float("inf"), "render": 0.0}

    def generate() -> None:
        clear_cache(large)  # the nobody-acting run is part of the report's cost
        t0 = CLOCK()
        rep = build(large, records)
        t1 = CLOCK()
        if render is not None:
            render(rep)
        t2 = CLOCK()
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
            note=f"{what}; {len(records):,} events of the large scenario",
        )
    )
    floors = took / b.floor
    b.add(
        Figure(
            "report generation / arithmetic floor",
            floors,
            "floors",
            target=f"<= {TARGET_REPORT_FLOORS:.0f}",
            met=floors <= TARGET_REPORT_FLOORS,
            note=f"the 1 s target in floors ({TARGET_REPORT_FLOORS * b.floor:.2f} s in this run)",
        )
    )


def bench_pdf(b: Bench, game: Game) -> None:
    """The PDF report (HSEEP layout, WeasyPrint) of the default scenario played cooperatively."""
    try:
        from tabletop.report import build_report, render_bytes
        from tabletop.report.pdf import available
    except ImportError:
        return
    if (why := available()) is not None:
        b.add(Figure("PDF report: not available", None, "", note=why))
        return
    ex = Exercise.new(game, None, seed=1)
    play_to_end(ex, parse_policies("cooperative", game.order))
    rep = build_report(game, list(ex.records))
    size = 0

    def write() -> None:
        nonlocal size
        size = len(render_bytes(rep, "pdf"))

    took = best_time(write, repeat=2, budget=10.0)
    b.add(
        Figure(
            "PDF report (default scenario)",
            took,
            "s",
            note=f"WeasyPrint layout of the built report, {size / 1024:.0f} KiB",
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
        t0 = CLOCK()
        app = make()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
        return CLOCK() - t0

    def tabletop_app() -> App[Any]:
        return TabletopApp(exercise=Exercise.new(game, None, seed=1), poll_interval=0)

    try:
        bare = ours = float("inf")
        for _ in range(repeat):  # in turn, so that a change of load hits both
            bare = min(bare, asyncio.run(first_screen(Bare)))
            ours = min(ours, asyncio.run(first_screen(tabletop_app)))
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not crash
        b.add(Figure("TUI: failed", None, "", note=f"{type(exc).__name__}: {exc}"))
        return
    b.add(Figure("reference: bare Textual app to first screen", bare * 1000, "ms", note="run_test"))
    b.add(
        Figure(
            "TUI: tabletop to first screen",
            ours * 1000,
            "ms",
            note="default scenario, exercise opened",
        )
    )
    b.add(Figure("TUI: tabletop / bare Textual app", ours / bare, "x"))


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
        "machine": platform.machine(),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "load average": _load_average(),
        "tabletop": __version__,
        "code from": str(Path(__import__("tabletop").__file__).resolve().parent),
    }


def _load_average() -> str:
    """The 1, 5 and 15 minute load averages (other programs sharing the machine)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs, rough figures")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--tmp", help="folder for journal files (default: the system temp dir)")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a ratio target is not met"
    )
    parser.add_argument(
        "--only",
        choices=(
            "load",
            "exercises",
            "fold",
            "growth",
            "appends",
            "journals",
            "report",
            "tui",
            "cli",
        ),
        action="append",
        help="run only these sections (repeatable; the arithmetic floor always runs)",
    )
    args = parser.parse_args(argv)
    want = set(
        args.only
        or ("load", "exercises", "fold", "growth", "appends", "journals", "report", "tui", "cli")
    )
    seconds = 0.5 if args.quick else 3.0
    repeat = 3 if args.quick else 10
    b = Bench(quiet=args.json)
    info = machine()
    if not args.json:
        print("tabletop benchmarks (one process, one core; targets are ratios, see docs/bench.md)")
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
        b.section("Reference")
        bench_floor(b, repeat)
        if "load" in want:
            b.section("Load and validate")
            bench_load(b, "default", DEFAULT, repeat)
            bench_load(b, "large", large_path, max(2, repeat // 3))
        if "exercises" in want:
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
        if "fold" in want:
            b.section("Fold of a 10k-event journal")
            bench_fold(b, "default", default_game, folder, repeat)
            bench_fold(b, "large", large_game, folder, repeat)
        if "growth" in want:
            b.section("Growth: one long journal; 10 to 400 agencies")
            bench_growth(b, folder, max(2, repeat // 3))
        if "appends" in want:
            b.section("Durable appends")
            bench_appends(b, folder, seconds)
        if "journals" in want:
            b.section("Journal backends: SQLite file and PostgreSQL server, same run")
            bench_journals(b, args.quick)
        if "report" in want:
            b.section("Report")
            bench_report(b, large_game, max(2, repeat // 3))
            bench_pdf(b, default_game)
        if "tui" in want:
            b.section("Terminal UI")
            bench_tui(b, 2 if args.quick else 5)
        if "cli" in want:
            b.section("Command-line start-up (fresh processes)")
            bench_cli(b, folder, 5 if args.quick else 15)
        b.section("Reference, again")
        bench_floor(b, repeat)
    info["load average after"] = _load_average()
    targets = [f for f in b.figures if f.met is not None and f.checked]
    failed = [f for f in targets if not f.met]
    if args.json:
        out = {"machine": info, "figures": [f.__dict__ for f in b.figures]}
        print(json.dumps(out, indent=2))
    else:
        print(f"\n{len(targets) - len(failed)} of {len(targets)} checked targets met.")
        for f in failed:
            print(f"  NOT MET: {f.name}: {_fmt(f.value or 0)} {f.unit} (target {f.target})")
        skipped = [f for f in b.figures if f.met is False and not f.checked]
        for f in skipped:
            print(f"  not checked (out of reach, docs/bench.md): {f.name} (target {f.target})")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
