"""Decisions that start the exercise and end turns (the last turn of a round resolves it)."""

from __future__ import annotations

from tabletop import ENGINE_VERSION
from tabletop.engine.game import Game
from tabletop.engine.resolve import resolve_round
from tabletop.engine.steps import Work, begin_round, require, require_turn, shared_event
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.state import ExerciseState


def start(game: Game, state: ExerciseState, cmd: cm.StartExercise) -> list[ev.Event]:
    require(state.phase == "setup", "the exercise has already started")
    w = Work(state)
    w.emit(
        ev.ExerciseStarted(
            scenario_id=game.scenario.scenario.id,
            scenario_path=game.scenario_path,
            scenario_hash=game.scenario_hash,
            rules_hash=game.rules_hash,
            engine_version=ENGINE_VERSION,
            seed=state.seed,
            order=list(game.order),
        )
    )
    first = game.stage_ids[0]
    w.emit(ev.StageChanged(from_stage=None, to_stage=first, reason="start", round=1))
    begin_round(game, w)
    return w.events


def end_turn(game: Game, state: ExerciseState, cmd: cm.EndTurn) -> list[ev.Event]:
    require_turn(state, cmd.agency)
    ended = shared_event(
        game, ev.TurnEnded, agency=cmd.agency, points_left=state.agencies[cmd.agency].points
    )
    nxt = game.next_agency[cmd.agency]
    if nxt is not None:
        # The next agency's turn: no step depends on another, nothing applied here.
        return [
            ended,
            shared_event(game, ev.TurnStarted, agency=nxt, points=game.rules.pack.action_points),
        ]
    w = Work(state)
    w.emit(ended)
    resolve_round(game, w)
    return w.events
