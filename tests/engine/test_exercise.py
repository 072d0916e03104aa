"""Exercise.submit decides on the live state: a failure before the events are stored loses nothing."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from tabletop_helpers import SCENARIO, fixed_clock

from tabletop.engine.decide import decide, decide_in_place
from tabletop.engine.evolve import evolve
from tabletop.engine.exercise import Exercise
from tabletop.errors import IllegalCommand, JournalError
from tabletop.loader import load_game
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.events import Record
from tabletop.model.state import clone_state


class FailingJournal:
    """A journal whose disk is full from the moment ``fail`` is set."""

    def __init__(self) -> None:
        self.fail = False
        self.stored: list[Record] = []

    def append(self, records: list[Record], *, expected_last: int) -> None:
        if self.fail:
            raise JournalError("disk full")
        self.stored.extend(records)

    def decision(self, decision_id: str) -> bool:
        return any(r.decision_id == decision_id for r in self.stored)

    def checkpoint(self, *, wait: bool = False) -> bool:
        """Nothing to copy: every record is stored at once."""
        return True

    def close(self) -> None:
        """Nothing to close."""


def _to_last_turn_of_round(ex: Exercise) -> None:
    """End turns until the active agency is the last of the round (its end resolves the round)."""
    while ex.game.next_agency[ex.state.active] is not None:
        ex.submit(cm.EndTurn(agency=ex.state.active))


@pytest.fixture
def exercise() -> Exercise:
    journal = FailingJournal()
    ex = Exercise(load_game(SCENARIO), journal, clock=fixed_clock)  # type: ignore[arg-type]
    ex.submit(cm.StartExercise())
    return ex


def test_a_refused_write_of_a_resolution_leaves_the_state_as_it_was(exercise: Exercise) -> None:
    _to_last_turn_of_round(exercise)
    before = clone_state(exercise.state)
    n = len(exercise.records)
    exercise.journal.fail = True  # type: ignore[union-attr]
    with pytest.raises(JournalError, match="disk full"):
        exercise.submit(cm.EndTurn(agency=exercise.state.active))
    assert exercise.state == before
    assert len(exercise.records) == n
    exercise.journal.fail = False  # type: ignore[union-attr]
    # The same decision succeeds once the disk has room, and resolves the round.
    records = exercise.submit(cm.EndTurn(agency=exercise.state.active))
    assert "round_resolved" in [r.event.kind for r in records]
    assert exercise.state == exercise.replayed()


def test_an_illegal_command_changes_nothing(exercise: Exercise) -> None:
    before = clone_state(exercise.state)
    other = next(a for a in exercise.game.order if a != exercise.state.active)
    with pytest.raises(IllegalCommand, match="turn"):
        exercise.submit(cm.EndTurn(agency=other))
    assert exercise.state == before


def test_decide_never_changes_the_state_it_is_given(exercise: Exercise) -> None:
    _to_last_turn_of_round(exercise)
    before = clone_state(exercise.state)
    events = decide(exercise.game, exercise.state, cm.EndTurn(agency=exercise.state.active))
    assert exercise.state == before
    assert [e.kind for e in events][:2] == ["turn_ended", "round_resolved"]


@pytest.mark.parametrize("last", [False, True], ids=["mid-round", "round-ending"])
def test_decide_in_place_equals_evolving_the_events(exercise: Exercise, last: bool) -> None:
    if last:
        _to_last_turn_of_round(exercise)
    command = cm.EndTurn(agency=exercise.state.active)
    expected = clone_state(exercise.state)
    for event in decide(exercise.game, exercise.state, command):
        evolve(expected, event)
    live = clone_state(exercise.state)
    decide_in_place(exercise.game, live, command)
    assert live == expected


def test_turn_and_round_markers_are_shared_immutable_events() -> None:
    game = load_game(SCENARIO)
    a = Exercise.new(game, None, clock=fixed_clock, seed=1)
    b = Exercise.new(game, None, clock=fixed_clock, seed=2)
    first_a = next(r.event for r in a.records if r.event.kind == "turn_started")
    first_b = next(r.event for r in b.records if r.event.kind == "turn_started")
    assert first_a is first_b  # made once per game
    assert first_a == ev.TurnStarted(agency=game.order[0], points=game.rules.pack.action_points)
    with pytest.raises(ValidationError):
        first_a.points = 0  # type: ignore[misc]
    a.submit(cm.EndTurn(agency=game.order[0]))
    assert a.state == a.replayed()
