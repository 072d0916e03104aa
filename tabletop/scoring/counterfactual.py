"""The counterfactual: the same scenario and seed played with nobody acting.

Outcome scores compare the harm of the real exercise with this run, round by
round. The run only depends on the game and the seed, so it is cached per
seed in the game's own caches (``Game.caches.counterfactuals``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock

from tabletop.engine.game import Game
from tabletop.model import commands as cm
from tabletop.model import events as ev

#: Safety net: a nobody-acts run never needs more decisions than this.
_MAX_DECISIONS = 100_000
_CACHE_SIZE = 32


@dataclass(frozen=True, slots=True)
class Counterfactual:
    """Round-by-round outcome of the nobody-acts run.

    Attributes:
        seed: The seed it was played with.
        rounds: Exercise round -> region -> outcome of that round's resolution.
        stages: Exercise round -> stage it was played in.
        ended: Why the run ended.
    """

    seed: int
    rounds: dict[int, dict[str, ev.RegionOutcome]]
    stages: dict[int, str]
    ended: str

    @property
    def last_round(self) -> int:
        """The last resolved round (0 when none)."""
        return max(self.rounds, default=0)

    def outcome(self, rnd: int) -> dict[str, ev.RegionOutcome]:
        """Region outcomes of round ``rnd`` (the last round's when the run was shorter)."""
        if rnd in self.rounds:
            return self.rounds[rnd]
        if not self.rounds:
            return {}
        return self.rounds[self.last_round]

    def harm_added(self, rnd: int, regions: list[str] | tuple[str, ...] | None = None) -> float:
        """Harm added in round ``rnd`` over ``regions`` (all when None)."""
        out = self.outcome(rnd)
        keys = out.keys() if regions is None else regions
        return sum(out[r].harm_added for r in keys if r in out)


#: Simulation workers may be threads sharing one game.
_lock = Lock()


def _epoch() -> datetime:
    return datetime(2000, 1, 1, tzinfo=UTC)


def run_counterfactual(game: Game, seed: int) -> Counterfactual:
    """Play ``game`` with ``seed`` where every agency only ends its turn (uncached).

    Args:
        game: The scenario and rule pack.
        seed: The exercise seed (``ExerciseStarted.seed`` of the real run).

    Returns:
        The round-by-round outcomes.
    """
    from tabletop.engine.exercise import Exercise

    ex = Exercise.new(game, None, seed=seed, clock=_epoch)
    for _ in range(_MAX_DECISIONS):
        if ex.state.phase == "ended" or ex.state.active is None:
            break
        ex.submit(cm.EndTurn(agency=ex.state.active))
    rounds: dict[int, dict[str, ev.RegionOutcome]] = {}
    stages: dict[int, str] = {}
    ended = ""
    for rec in ex.records:
        e = rec.event
        if e.kind == "round_resolved":
            rounds[e.round] = dict(e.regions)
            stages[e.round] = e.stage
        elif e.kind == "exercise_ended":
            ended = e.reason
    return Counterfactual(seed=seed, rounds=rounds, stages=stages, ended=ended)


def counterfactual(game: Game, seed: int) -> Counterfactual:
    """The nobody-acts run of ``game`` with ``seed``, cached in the game per seed.

    The cache lives and dies with the :class:`Game`; code that alters a loaded game in
    memory must call :func:`clear_cache`, or it would get the run of the unaltered game.
    """
    cache = game.caches.counterfactuals
    with _lock:
        hit = cache.get(seed)
    if isinstance(hit, Counterfactual):
        return hit
    cf = run_counterfactual(game, seed)
    with _lock:
        if len(cache) >= _CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[seed] = cf
    return cf


def clear_cache(game: Game) -> None:
    """Forget every counterfactual cached for ``game`` (tests, benchmarks)."""
    with _lock:
        game.caches.counterfactuals.clear()
