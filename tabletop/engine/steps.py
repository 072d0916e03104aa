"""Steps shared by the decisions and the round's resolution.

The work in progress (:class:`Work`: the state and the events emitted so far,
each applied as it is made), the draw streams, ids, turn and round starts and
injects. Imported by :mod:`~tabletop.engine.turns`, :mod:`~tabletop.engine.actions`,
:mod:`~tabletop.engine.negotiation`, :mod:`~tabletop.engine.facilitator` and
:mod:`~tabletop.engine.resolve`; imports none of them.
"""

from __future__ import annotations

import random
from typing import TypeVar

from pydantic import BaseModel

from tabletop.engine.evolve import evolve
from tabletop.engine.failures import failure
from tabletop.engine.game import Game
from tabletop.engine.legal import turn_problem
from tabletop.engine.names import StateEnv, clamp_for, get_value
from tabletop.errors import ExpressionError, IllegalCommand
from tabletop.model import events as ev
from tabletop.model.state import ExerciseState


def rng_for(state: ExerciseState, salt: str) -> random.Random:
    """The random stream of one draw site in the current round.

    Seeded from (exercise seed, round, salt), where the salt names the decision
    that draws (``resolve`` for the end-of-round resolution; a draw inside a
    player's decision would name the agency and its decision in the round). Not
    from the journal position: an observation, a pause or a rating, which change
    nothing in the game, do not move any draw. A resumed or replayed exercise
    draws what the original drew; outcomes go into events anyway.
    """
    return random.Random(f"{state.seed}:{state.round}:{salt}")


_E = TypeVar("_E", bound=BaseModel)


def shared_event(game: Game, kind: type[_E], **fields: str | int) -> _E:
    """One immutable event per distinct value, made once per game and shared.

    Turn and round markers (``turn_started``, ``turn_ended``, ``round_started``)
    repeat the same few values in every exercise of a game; events are frozen,
    so the same instance can stand in every journal that records it.
    """
    key = (kind, *fields.values())
    cache = game.caches.events
    event = cache.get(key)
    if event is None:
        event = cache[key] = kind(**fields)
    return event


def next_id(state: ExerciseState, prefix: str) -> str:
    """The next proposal (``P``), directive (``D``) or request (``Q``) id.

    Never one given before, even to a decision the facilitator undid.
    """
    return f"{prefix}{state.issued.get(prefix, 0) + 1}"


def require(ok: bool, message: str) -> None:
    if not ok:
        raise IllegalCommand(message)


class Work:
    """The state being decided on, and the events made so far (each applied as it is made)."""

    def __init__(self, state: ExerciseState) -> None:
        self.state = state
        self.events: list[ev.Event] = []

    def emit(self, event: ev.Event) -> None:
        self.events.append(event)
        evolve(self.state, event)


def begin_round(game: Game, w: Work) -> None:
    s = w.state
    w.emit(
        shared_event(
            game, ev.RoundStarted, round=s.round + 1, stage=s.stage, stage_round=s.stage_round + 1
        )
    )
    fire_due_injects(game, w)
    start_turn(game, w, game.order[0])


def start_turn(game: Game, w: Work, agency: str) -> None:
    w.emit(shared_event(game, ev.TurnStarted, agency=agency, points=game.rules.pack.action_points))


def fire_due_injects(game: Game, w: Work) -> None:
    s = w.state
    env: StateEnv | None = None
    for inj in game.injects_due(s.stage, s.stage_round):
        if inj.id in s.fired:
            continue
        if inj.when is not None:
            if env is None:
                env = StateEnv(s)
            when = game.conditions[f"inject:{inj.id}"]
            try:
                due = when.truthy(env)
            except ExpressionError as exc:  # journaled; the condition counts as false
                w.emit(failure(s, "inject", inj.id, "when", when, exc))
                continue
            if not due:
                continue
        for event in inject_events(game, s, inj.id, manual=False):
            w.emit(event)


def inject_events(game: Game, s: ExerciseState, inject_id: str, *, manual: bool) -> list[ev.Event]:
    """The inject's ``inject_fired``, then an ``expression_failed`` per effect that failed."""
    inj = game.injects[inject_id]
    changes: dict[str, float] = {}
    failed: list[ev.Event] = []
    effects = game.inject_effects.get(inject_id, ())
    if effects:
        env = StateEnv(s)
        for eff in effects:
            current = changes.get(eff.target)
            if current is None:
                current = get_value(s, eff.target)
            try:
                changes[eff.target] = clamp_for(eff.target, eff.apply(env, current))
            except ExpressionError as exc:  # journaled; this effect is skipped
                failed.append(failure(s, "inject", inject_id, "effect", eff, exc))
    fired = ev.InjectFired(
        inject=inj.id,
        round=s.round,
        stage=s.stage,
        to=list(inj.to),
        private=inj.is_private,
        type=inj.type,
        title=inj.title,
        text=inj.text,
        manual=manual,
        changes=changes,
    )
    return [fired, *failed]


def require_turn(state: ExerciseState, agency: str) -> None:
    why = turn_problem(state, agency)
    if why is not None:
        raise IllegalCommand(why)


def directed_by(state: ExerciseState, agency: str, action: str, region: str | None) -> str | None:
    directives = state.directives
    for did in state.directives_to.get(agency, ()):
        d = directives[did]
        if (
            d.target == agency
            and d.status == "pending"
            and d.action == action
            and (d.region is None or d.region == region)
            and d.due_round >= state.round
        ):
            return did
    return None
