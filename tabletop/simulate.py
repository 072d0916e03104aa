"""Batch simulation: play many seeded exercises headless and summarise them.

A facilitator uses this to see whether a scenario is balanced before running
it with people: how much harm cooperative (or selfish, random, mixed) bots
leave, how often the continuation stage relapses into a resurgence, how long
each stage lasts, how the agencies fare, and how often playing at all changes
the outcome compared with the same seed played with nobody acting.

Everything here is headless (no Textual) and in memory (no journal). Run ``i``
of a batch uses seed ``seed + i``, so a batch is reproducible and its results
do not depend on the number of worker processes. With ``workers > 1`` the runs
are split into chunks for a :class:`concurrent.futures.ProcessPoolExecutor`;
each worker process loads the scenario from its path once (a
:class:`~tabletop.engine.game.Game` is never pickled).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tabletop.bots import parse_policies, play_to_end
from tabletop.engine.exercise import Exercise
from tabletop.engine.failures import describe_failure, failures_in
from tabletop.engine.game import Game
from tabletop.errors import TabletopError
from tabletop.model import commands as cm
from tabletop.model import events as ev

__all__ = [
    "AGREEMENT_KEYS",
    "MAX_RUNS",
    "MAX_WORKERS",
    "Comparison",
    "Gap",
    "RunResult",
    "Stat",
    "Summary",
    "baseline_harm",
    "check_policy",
    "compare",
    "play_run",
    "simulate",
    "summarize",
]

MAX_RUNS = 1_000_000
"""Largest accepted number of runs in one batch."""
MAX_WORKERS = 256
"""Largest accepted number of worker processes."""
AGREEMENT_KEYS = (
    "proposed",
    "countered",
    "rejected",
    "active",
    "honoured",
    "partial",
    "broken",
    "pending",
)
"""Negotiation counts of a run: proposals made (counters included), counters, rejections,
agreements activated, and their commitments honoured / partial / broken / still pending."""
RATINGS = ("P", "S", "M", "U")
CHANGE_SHARE = 0.05
"""A run "changes the outcome" when its harm differs from the nobody-acting
harm of the same seed by more than this share of the latter (or 0.5 when that
is larger)."""
CHANGE_FLOOR = 0.5

Progress = Callable[[int], None]
"""Called with the number of runs finished so far."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class RunResult:
    """Figures of one simulated exercise.

    Attributes:
        index: Position in the batch (0-based).
        seed: The exercise seed (batch seed + index).
        harm: Total harm over all regions at the end.
        waste: Total waste over all regions at the end.
        mean_trust: Mean public trust over all regions at the end.
        rounds: Rounds played.
        events: Events in the (in-memory) journal.
        ended: Why the exercise ended.
        stage_rounds: Rounds resolved in each stage (all waves together).
        stages: The stage path, e.g. ``["gestation", "outbreak", ...]``.
        resurgences: How many times a stage relapsed (``stage_changed`` with
            reason ``resurgence``).
        figure: What ``figures`` holds: ``score`` or ``reputation``.
        figures: Per-agency figure at the end.
        baseline_harm: Total harm of the same seed played with nobody acting.
        failures: One line per expression that failed while playing (the effect
            skipped or the condition taken as false; see ``expression_failed``).
        injects: Injects that fired, in firing order.
        agreements: Negotiation counts (:data:`AGREEMENT_KEYS`).
        objectives: Objective id -> automatic P/S/M/U rating (empty without scoring).
        tasks: ``objective.task`` -> ``on_time``, ``late``, ``missed`` or ``not_reached``.
        resurgence_from: The stage each resurgence left.
    """

    index: int
    seed: int
    harm: float
    waste: float
    mean_trust: float
    rounds: int
    events: int
    ended: str
    stage_rounds: dict[str, int]
    stages: list[str]
    resurgences: int
    figure: str
    figures: dict[str, float]
    baseline_harm: float
    failures: tuple[str, ...] = ()
    injects: tuple[str, ...] = ()
    agreements: dict[str, int] = field(default_factory=dict)
    objectives: dict[str, str] = field(default_factory=dict)
    tasks: dict[str, str] = field(default_factory=dict)
    resurgence_from: tuple[str, ...] = ()

    @property
    def mean_score(self) -> float:
        """Mean of the per-agency figures (0 when there are none)."""
        return math.fsum(self.figures.values()) / len(self.figures) if self.figures else 0.0

    @property
    def harm_avoided(self) -> float:
        """Harm the players avoided compared with nobody acting (negative: they caused more)."""
        return self.baseline_harm - self.harm

    @property
    def changed(self) -> int:
        """``-1`` (less harm than nobody acting), ``1`` (more) or ``0`` (no real difference)."""
        tolerance = max(CHANGE_FLOOR, CHANGE_SHARE * self.baseline_harm)
        if self.harm < self.baseline_harm - tolerance:
            return -1
        if self.harm > self.baseline_harm + tolerance:
            return 1
        return 0


@dataclass(frozen=True, slots=True)
class Stat:
    """Mean, minimum, maximum and percentiles of a figure over the runs (and how many had it).

    ``p5`` .. ``p95`` are the 5th, 25th, 50th (median), 75th and 95th percentiles
    (linear interpolation between the closest ranks).
    """

    mean: float
    min: float
    max: float
    n: int
    p5: float = 0.0
    p25: float = 0.0
    p50: float = 0.0
    p75: float = 0.0
    p95: float = 0.0

    @classmethod
    def of(cls, values: Sequence[float]) -> Stat:
        """Summarise ``values`` (all zeros when empty)."""
        if not values:
            return cls(0.0, 0.0, 0.0, 0)
        ordered = sorted(values)
        q = [percentile(ordered, p) for p in PERCENTILES]
        return cls(math.fsum(values) / len(values), ordered[0], ordered[-1], len(values), *q)

    def rounded(self, digits: int = 2) -> dict[str, float]:
        """A plain dict with rounded values (for JSON)."""
        out: dict[str, float] = {
            "mean": round(self.mean, digits),
            "min": round(self.min, digits),
            "max": round(self.max, digits),
            "n": self.n,
        }
        for p in PERCENTILES:
            out[f"p{p}"] = round(getattr(self, f"p{p}"), digits)
        return out


#: Percentiles every :class:`Stat` carries.
PERCENTILES = (5, 25, 50, 75, 95)


def percentile(ordered: Sequence[float], p: float) -> float:
    """The ``p``-th percentile of sorted ``ordered`` (linear between closest ranks)."""
    if not ordered:
        return 0.0
    pos = (len(ordered) - 1) * p / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


# Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom (then 1.96).
_T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Gap:
    """Mean of paired differences (other policy minus this one, same seeds) with a 95% CI."""

    mean: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, diffs: Sequence[float]) -> Gap:
        """The mean of ``diffs`` and its 95% confidence interval (Student's t)."""
        n = len(diffs)
        if n == 0:
            return cls(0.0, 0.0, 0.0, 0)
        mean = math.fsum(diffs) / n
        if n == 1:
            return cls(mean, mean, mean, 1)
        var = math.fsum((d - mean) ** 2 for d in diffs) / (n - 1)
        t = _T95[n - 2] if n - 1 <= len(_T95) else 1.96
        half = t * math.sqrt(var / n)
        return cls(mean, mean - half, mean + half, n)

    def rounded(self, digits: int = 2) -> dict[str, float]:
        """A plain dict with rounded values (for JSON)."""
        return {
            "mean": round(self.mean, digits),
            "ci95": [round(self.low, digits), round(self.high, digits)],  # type: ignore[dict-item]
            "n": self.n,
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """The same seeds played with another policy, and the paired gap to this batch.

    Attributes:
        policy: The other policy.
        harm: Its total harm.
        score: Its mean agency score per run.
        agreements: Its agreements activated per run.
        broken: Its commitments broken per run.
        harm_gap: Its harm minus this batch's harm, seed by seed.
        score_gap: This batch's mean score minus its mean score, seed by seed.
        summary: The other batch's whole summary.
    """

    policy: str
    harm: Stat
    score: Stat
    agreements: Stat
    broken: Stat
    harm_gap: Gap
    score_gap: Gap
    summary: Summary | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "policy": self.policy,
            "harm": self.harm.rounded(),
            "mean_score": self.score.rounded(),
            "agreements_active": self.agreements.rounded(),
            "commitments_broken": self.broken.rounded(),
            "harm_gap": self.harm_gap.rounded(),
            "score_gap": self.score_gap.rounded(),
        }


@dataclass(slots=True)
class Summary:
    """What a batch of runs says about a scenario.

    Attributes:
        scenario: Scenario id.
        title: Scenario title.
        path: Scenario file.
        policy: The bot policy specification.
        runs: Number of runs.
        seed: Seed of the first run.
        workers: Worker processes used.
        seconds: Wall-clock time of the batch.
        figure: Name of the per-agency figure: ``score`` (overall score from
            :mod:`tabletop.scoring`) or ``reputation`` (at the end).
        harm: Total harm.
        waste: Total waste.
        trust: Mean public trust at the end.
        rounds: Rounds played.
        stages: Rounds spent in each stage (stage order of the rule pack).
        resurgence_runs: Runs with at least one resurgence.
        ended: Count of end reasons.
        agencies: Per-agency figure.
        baseline: Harm of the same seeds played with nobody acting.
        avoided: Harm avoided compared with nobody acting.
        less_harm: Runs with clearly less harm than nobody acting.
        more_harm: Runs with clearly more harm than nobody acting.
        results: Every run, in batch order.
        failures: Each distinct expression failure (where, message, what) and the
            number of runs it happened in.
        score: Mean agency figure per run.
        injects: Inject id -> share of the runs in which it fired (scenario order).
        objectives: Objective id -> ``title``, ``achieved`` (share of runs rated P or S),
            ``ratings`` (P/S/M/U -> share) and ``tasks`` (task id -> ``text``,
            ``achieved`` (share done on time), ``late`` (share done late)).
        resurgence_from: Stage -> share of the runs in which a resurgence left it.
        agreements: Negotiation count (:data:`AGREEMENT_KEYS`) -> statistics per run.
        comparison: The same seeds played with another policy (``--compare``).
    """

    scenario: str
    title: str
    path: str
    policy: str
    runs: int
    seed: int
    workers: int
    seconds: float
    figure: str
    harm: Stat
    waste: Stat
    trust: Stat
    rounds: Stat
    stages: dict[str, Stat]
    resurgence_runs: int
    ended: dict[str, int]
    agencies: dict[str, Stat]
    baseline: Stat
    avoided: Stat
    less_harm: int
    more_harm: int
    results: list[RunResult] = field(repr=False)
    failures: dict[str, int] = field(default_factory=dict)
    score: Stat = field(default_factory=lambda: Stat.of([]))
    injects: dict[str, float] = field(default_factory=dict)
    objectives: dict[str, dict[str, Any]] = field(default_factory=dict)
    resurgence_from: dict[str, float] = field(default_factory=dict)
    agreements: dict[str, Stat] = field(default_factory=dict)
    comparison: Comparison | None = None

    @property
    def changed_runs(self) -> int:
        """Runs whose harm clearly differs from nobody acting."""
        return self.less_harm + self.more_harm

    @property
    def runs_per_second(self) -> float:
        """Throughput of the batch (runs and their baselines)."""
        return self.runs / self.seconds if self.seconds > 0 else 0.0

    def share(self, count: int) -> float:
        """``count`` as a share of the runs (0..1)."""
        return count / self.runs if self.runs else 0.0

    def notes(self) -> list[str]:
        """Plain-language hints on balance for the facilitator."""
        out: list[str] = []
        if self.share(self.changed_runs) < 0.5:
            out.append(
                "Playing changed the outcome in fewer than half of the runs: the hazards may be "
                "too weak (nothing to prevent) or too strong (nothing can be prevented)."
            )
        if self.share(self.more_harm) > 0.0:
            out.append(
                f"In {self.share(self.more_harm):.0%} of the runs the players caused more harm "
                "than nobody acting."
            )
        if self.baseline.mean > 0 and self.avoided.mean < 0.1 * self.baseline.mean:
            out.append("The players avoided less than 10% of the harm on average.")
        if 0 < self.resurgence_runs < self.runs:
            out.append(
                f"A resurgence happened in {self.share(self.resurgence_runs):.0%} of the runs: "
                "the stage path depends on the seed."
            )
        if self.harm.mean > 0 and self.harm.max > 2 * self.harm.min + 1:
            out.append("Harm varies a lot between seeds (max more than twice min).")
        for failure, count in self.failures.items():
            out.append(
                f"An expression failed in {count} of {self.runs} runs (skipped, play went on): "
                f"{failure}"
            )
        return out

    def warnings(self) -> list[str]:
        """One line for every inject that never fired and every critical task no run did on time."""
        out: list[str] = []
        for inject, share in self.injects.items():
            if share == 0.0:
                out.append(
                    f"Inject '{inject}' never fired in {self.runs} runs: check its stage, "
                    "round or condition."
                )
        for oid, o in self.objectives.items():
            for tid, task in o["tasks"].items():
                if task["achieved"] == 0.0:
                    out.append(
                        f"Critical task '{tid}' of objective '{oid}' was not done on time in any "
                        f"of {self.runs} runs ('{self.policy}' bots)."
                    )
        return out

    def to_dict(self, *, with_results: bool = True) -> dict[str, Any]:
        """A JSON-ready dict of the summary (and of every run when asked)."""
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "title": self.title,
            "path": self.path,
            "policy": self.policy,
            "runs": self.runs,
            "seed": self.seed,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "runs_per_second": round(self.runs_per_second, 1),
            "harm": self.harm.rounded(),
            "waste": self.waste.rounded(),
            "mean_trust": self.trust.rounded(),
            "rounds": self.rounds.rounded(),
            "stages": {k: v.rounded() for k, v in self.stages.items()},
            "resurgence": {
                "runs": self.resurgence_runs,
                "share": round(self.share(self.resurgence_runs), 4),
            },
            "ended": dict(self.ended),
            "agency_figure": self.figure,
            "agencies": {k: v.rounded() for k, v in self.agencies.items()},
            "nobody_acting": {
                "harm": self.baseline.rounded(),
                "harm_avoided": self.avoided.rounded(),
                "changed_runs": self.changed_runs,
                "changed_share": round(self.share(self.changed_runs), 4),
                "less_harm_runs": self.less_harm,
                "more_harm_runs": self.more_harm,
            },
            "notes": self.notes(),
            "expression_failures": dict(self.failures),
            "mean_score": self.score.rounded(),
            "injects": {k: round(v, 4) for k, v in self.injects.items()},
            "objectives": _rounded(self.objectives),
            "resurgence_from": {k: round(v, 4) for k, v in self.resurgence_from.items()},
            "agreements": {k: v.rounded() for k, v in self.agreements.items()},
            "comparison": self.comparison.to_dict() if self.comparison is not None else None,
            "warnings": self.warnings(),
        }
        if with_results:
            out["results"] = [_result_dict(r) for r in self.results]
        return out


def _rounded(value: Any) -> Any:
    """``value`` with every float rounded to 4 digits (nested dicts)."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def _result_dict(r: RunResult) -> dict[str, Any]:
    d = asdict(r)
    for k in ("harm", "waste", "mean_trust", "baseline_harm"):
        d[k] = round(d[k], 4)
    d["figures"] = {a: round(v, 2) for a, v in r.figures.items()}
    d["failures"] = list(r.failures)
    return d


# --------------------------------------------------------------------------- one run


def check_policy(spec: str, game: Game) -> None:
    """Check a bot policy specification against a game.

    Raises:
        TabletopError: unknown policy or agency.
    """
    try:
        parse_policies(spec, game.order)
    except ValueError as exc:
        raise TabletopError(str(exc)) from None


def baseline_harm(game: Game, seed: int) -> float:
    """Total harm of ``seed`` played with nobody acting (every agency ends its turn).

    Uses the (cached) counterfactual of :mod:`tabletop.scoring` when it is
    available, so scoring the run afterwards does not play it again.
    """
    run = _counterfactual()
    if run is not None:
        cf = run(game, seed)
        return math.fsum(o.harm for o in cf.outcome(cf.last_round).values())
    ex = Exercise.new(game, None, seed=seed)
    while ex.state.phase == "running" and ex.state.active is not None:
        ex.submit(cm.EndTurn(agency=ex.state.active))
    return math.fsum(r.harm for r in ex.state.regions.values())


def _counterfactual() -> Callable[[Game, int], Any] | None:
    """``tabletop.scoring.counterfactual.counterfactual`` when that module exists."""
    try:
        from tabletop.scoring.counterfactual import counterfactual
    except ImportError:
        return None
    return counterfactual


def _figures(ex: Exercise) -> tuple[str, dict[str, float], dict[str, str], dict[str, str]]:
    """Per-agency figure, objective ratings and task results of a run.

    The figure is the overall score (0-100) when :mod:`tabletop.scoring` works;
    otherwise the reputation at the end (the run's ``figure`` says which one it
    is) and no ratings.
    """
    try:
        from tabletop.scoring import evaluate
    except ImportError:
        evaluate = None  # type: ignore[assignment]
    if evaluate is not None:
        try:
            result = evaluate(ex.game, ex.records)
            figures = {
                a: float(sc.total.overall.value)
                for a, sc in result.scores.agencies.items()
                if sc.total.overall.value is not None
            }
            ratings = {o.id: o.auto for o in result.objectives}
            tasks = {f"{o.id}.{t.id}": t.status for o in result.objectives for t in o.tasks}
            return "score", figures, ratings, tasks  # type: ignore[return-value]
        except Exception:  # noqa: BLE001 - a scoring problem must not stop a batch
            pass
    return "reputation", {a: s.reputation for a, s in ex.state.agencies.items()}, {}, {}


def _negotiation(ex: Exercise) -> dict[str, int]:
    """Negotiation counts of a finished run (:data:`AGREEMENT_KEYS`)."""
    out = dict.fromkeys(AGREEMENT_KEYS, 0)
    for rec in ex.records:
        e = rec.event
        if isinstance(e, ev.ProposalMade):
            out["proposed"] += 1
            if e.parent is not None:
                out["countered"] += 1
        elif isinstance(e, ev.ProposalClosed) and e.status == "rejected":
            out["rejected"] += 1
        elif isinstance(e, ev.AgreementActivated):
            out["active"] += 1
        elif isinstance(e, ev.CommitmentResolved):
            out[e.status] += 1
    out["pending"] = sum(1 for c in ex.state.commitments.values() if c.status == "pending")
    return out


def play_run(game: Game, policy: str, seed: int, index: int = 0) -> RunResult:
    """Play one exercise with ``policy`` bots, and the same seed with nobody acting.

    Args:
        game: The loaded scenario.
        policy: ``cooperative``, ``selfish``, ``random`` or ``mixed:AGENCY=POLICY,...``.
        seed: The exercise seed.
        index: Position in the batch (recorded in the result).

    Raises:
        TabletopError: unknown policy or agency.
    """
    try:
        policies = parse_policies(policy, game.order)
    except ValueError as exc:
        raise TabletopError(str(exc)) from None
    ex = Exercise.new(game, None, seed=seed)
    play_to_end(ex, policies)
    stage_rounds = dict.fromkeys(game.stage_ids, 0)
    stages: list[str] = []
    resurgence_from: list[str] = []
    injects: list[str] = []
    for rec in ex.records:
        e = rec.event
        if isinstance(e, ev.RoundResolved):
            stage_rounds[e.stage] = stage_rounds.get(e.stage, 0) + 1
        elif isinstance(e, ev.StageChanged):
            stages.append(e.to_stage)
            if e.reason == "resurgence":
                resurgence_from.append(e.from_stage or "")
        elif isinstance(e, ev.InjectFired):
            injects.append(e.inject)
    regions = ex.state.regions.values()
    base = baseline_harm(game, seed)
    figure, figures, ratings, tasks = _figures(ex)
    return RunResult(
        index=index,
        seed=seed,
        harm=math.fsum(r.harm for r in regions),
        waste=math.fsum(r.waste for r in regions),
        mean_trust=math.fsum(r.trust for r in regions) / len(ex.state.regions),
        rounds=ex.state.round,
        events=len(ex.records),
        ended=ex.state.ended_reason or ex.state.phase,
        stage_rounds=stage_rounds,
        stages=stages,
        resurgences=len(resurgence_from),
        figure=figure,
        figures=figures,
        baseline_harm=base,
        failures=tuple(
            describe_failure(e, when=False, done=False) for e in failures_in(ex.records)
        ),
        injects=tuple(injects),
        agreements=_negotiation(ex),
        objectives=ratings,
        tasks=tasks,
        resurgence_from=tuple(resurgence_from),
    )


# --------------------------------------------------------------------------- batches

#: Games loaded in this worker process, by resolved path (a worker serves one batch).
_GAMES: dict[str, Game] = {}


def _game(path: str) -> Game:
    """The game at ``path``, loaded once per worker process."""
    from tabletop.loader.game import load_game

    key = str(Path(path).resolve())
    game = _GAMES.get(key)
    if game is None:
        game = _GAMES[key] = load_game(path)
    return game


def _run_chunk(
    path: str, scenario_hash: str, policy: str, jobs: list[tuple[int, int]]
) -> list[RunResult]:
    """Worker entry point: load the game from ``path`` (once per process) and play ``jobs``.

    Raises:
        ScenarioError: the scenario stopped loading since the batch started.
        TabletopError: the scenario file changed since the batch started.
    """
    game = _game(path)
    if game.scenario_hash != scenario_hash:
        raise TabletopError(f"{path}: the scenario file changed during the batch; run it again")
    return [play_run(game, policy, seed, index) for index, seed in jobs]


def _chunks(jobs: list[tuple[int, int]], workers: int) -> list[list[tuple[int, int]]]:
    """Split the jobs into about four chunks per worker (at most 50 runs each)."""
    size = max(1, min(50, math.ceil(len(jobs) / (workers * 4))))
    return [jobs[i : i + size] for i in range(0, len(jobs), size)]


def simulate(
    path: str | os.PathLike[str],
    *,
    runs: int,
    policy: str = "cooperative",
    seed: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    game: Game | None = None,
    compare_with: str | None = None,
) -> Summary:
    """Play ``runs`` seeded exercises of the scenario at ``path`` and summarise them.

    Args:
        path: Scenario file (reloaded by each worker process).
        runs: Number of exercises (run ``i`` uses seed ``seed + i``).
        policy: Bot policy for every agency, or ``mixed:AGENCY=POLICY,...``.
        seed: Seed of the first run; the scenario's seed when None.
        workers: Worker processes; 1 plays in this process.
        progress: Called with the number of finished runs after each chunk.
        game: The already loaded game (saves loading it again in this process).
        compare_with: Another policy to play the same seeds with; the summary's
            ``comparison`` then holds the paired gap (``progress`` counts both batches).

    Raises:
        ScenarioError: the scenario has problems.
        TabletopError: bad runs, workers or policy.
    """
    if not 1 <= runs <= MAX_RUNS:
        raise TabletopError(f"--runs must be between 1 and {MAX_RUNS} (got {runs})")
    if not 1 <= workers <= MAX_WORKERS:
        raise TabletopError(f"--workers must be between 1 and {MAX_WORKERS} (got {workers})")
    path = os.fspath(path)
    if game is None:
        from tabletop.loader.game import load_game

        game = load_game(path)
    check_policy(policy, game)
    if compare_with is not None:
        check_policy(compare_with, game)
    first = game.scenario.scenario.seed if seed is None else seed
    if not 0 <= first <= 2**63 - 1 - runs:
        raise TabletopError(f"--seed must be between 0 and 2**63 - 1 - runs (got {first})")
    jobs = [(i, first + i) for i in range(runs)]
    workers = min(workers, runs)
    summary = _batch(game, path, policy, jobs, first, workers, progress)
    if compare_with is not None:
        offset = progress
        if progress is not None:

            def offset(done: int) -> None:
                progress(runs + done)

        other = _batch(game, path, compare_with, jobs, first, workers, offset)
        summary.comparison = compare(summary, other)
    return summary


def _batch(
    game: Game,
    path: str,
    policy: str,
    jobs: list[tuple[int, int]],
    first: int,
    workers: int,
    progress: Progress | None,
) -> Summary:
    """Play ``jobs`` with ``policy`` and summarise them."""
    started = time.perf_counter()
    results: list[RunResult] = []
    if workers == 1:
        for index, s in jobs:
            results.append(play_run(game, policy, s, index))
            if progress is not None:
                progress(len(results))
    else:
        results = _parallel(path, game.scenario_hash, policy, jobs, workers, progress)
    results.sort(key=lambda r: r.index)
    return summarize(
        game,
        path,
        policy,
        results,
        seed=first,
        workers=workers,
        seconds=time.perf_counter() - started,
    )


def _parallel(
    path: str,
    scenario_hash: str,
    policy: str,
    jobs: list[tuple[int, int]],
    workers: int,
    progress: Progress | None,
) -> list[RunResult]:
    """Play the jobs in a pool of ``workers`` spawned processes."""
    results: list[RunResult] = []
    # "spawn": workers start clean (no inherited threads or locks) on every platform.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    finished = False
    try:
        pending: set[Future[list[RunResult]]] = {
            pool.submit(_run_chunk, path, scenario_hash, policy, chunk)
            for chunk in _chunks(jobs, workers)
        }
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                try:
                    results.extend(fut.result())
                except BrokenProcessPool as exc:
                    raise TabletopError(f"a simulation worker process died ({exc})") from None
            if progress is not None:
                progress(len(results))
        finished = True
    finally:
        # On an error or Ctrl-C, do not wait for the queued chunks.
        pool.shutdown(wait=finished, cancel_futures=not finished)
    return results


def summarize(
    game: Game,
    path: str,
    policy: str,
    results: list[RunResult],
    *,
    seed: int,
    workers: int = 1,
    seconds: float = 0.0,
) -> Summary:
    """Summarise run results (in batch order) into a :class:`Summary`."""
    kinds = {r.figure for r in results} or {"reputation"}
    figure = kinds.pop() if len(kinds) == 1 else "mixed"
    agencies = {a: Stat.of([r.figures[a] for r in results if a in r.figures]) for a in game.order}
    stages = {s: Stat.of([r.stage_rounds.get(s, 0) for r in results]) for s in game.stage_ids}
    n = len(results) or 1
    fired = Counter(i for r in results for i in dict.fromkeys(r.injects))
    injects = {i.id: fired.get(i.id, 0) / n for i in game.scenario.injects}
    scored = [r for r in results if r.objectives]
    objectives: dict[str, dict[str, Any]] = {}
    if scored:
        m = len(scored)
        for o in game.scenario.objectives:
            ratings = Counter(r.objectives.get(o.id, "U") for r in scored)
            tasks: dict[str, Any] = {}
            for t in o.tasks:
                key = f"{o.id}.{t.id}"
                status = Counter(r.tasks.get(key, "missed") for r in scored)
                tasks[t.id] = {
                    "text": t.text,
                    "achieved": status["on_time"] / m,
                    "late": status["late"] / m,
                }
            objectives[o.id] = {
                "title": o.title,
                "achieved": (ratings["P"] + ratings["S"]) / m,
                "ratings": {k: ratings[k] / m for k in RATINGS},
                "tasks": tasks,
            }
    left = Counter(st for r in results for st in dict.fromkeys(r.resurgence_from))
    resurgence_from = {st: left.get(st, 0) / n for st in game.stage_ids}
    agreements = {k: Stat.of([r.agreements.get(k, 0) for r in results]) for k in AGREEMENT_KEYS}
    return Summary(
        scenario=game.scenario.scenario.id,
        title=game.scenario.scenario.title,
        path=path,
        policy=policy,
        runs=len(results),
        seed=seed,
        workers=workers,
        seconds=seconds,
        figure=figure,
        harm=Stat.of([r.harm for r in results]),
        waste=Stat.of([r.waste for r in results]),
        trust=Stat.of([r.mean_trust for r in results]),
        rounds=Stat.of([r.rounds for r in results]),
        stages=stages,
        resurgence_runs=sum(1 for r in results if r.resurgences),
        ended=dict(Counter(r.ended for r in results)),
        agencies=agencies,
        baseline=Stat.of([r.baseline_harm for r in results]),
        avoided=Stat.of([r.harm_avoided for r in results]),
        less_harm=sum(1 for r in results if r.changed < 0),
        more_harm=sum(1 for r in results if r.changed > 0),
        results=results,
        failures=dict(Counter(f for r in results for f in dict.fromkeys(r.failures))),
        score=Stat.of([r.mean_score for r in results]),
        injects=injects,
        objectives=objectives,
        resurgence_from=resurgence_from,
        agreements=agreements,
    )


def compare(summary: Summary, other: Summary) -> Comparison:
    """The paired comparison of ``other`` (same seeds, another policy) with ``summary``."""
    theirs = {r.seed: r for r in other.results}
    pairs = [(r, theirs[r.seed]) for r in summary.results if r.seed in theirs]
    return Comparison(
        policy=other.policy,
        harm=other.harm,
        score=other.score,
        agreements=other.agreements.get("active", Stat.of([])),
        broken=other.agreements.get("broken", Stat.of([])),
        harm_gap=Gap.of([b.harm - a.harm for a, b in pairs]),
        score_gap=Gap.of([a.mean_score - b.mean_score for a, b in pairs]),
        summary=other,
    )
