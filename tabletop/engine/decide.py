"""``decide(game, state, command) -> events``: checks a command, may raise.

``decide`` never changes the state it is given (it works on a copy).
``decide_in_place`` applies the events to the state as they are made, which is
what ``Exercise.submit`` uses: multi-step decisions (the last ``EndTurn`` of a
round runs the whole resolution) need each step to see the previous one, and
evolving the live state avoids both a copy and a second pass.
"""

from __future__ import annotations

from typing import assert_never

from tabletop.engine import actions, facilitator, negotiation, turns
from tabletop.engine.evolve import evolve
from tabletop.engine.game import Game
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.state import ExerciseState, clone_state


def decide(game: Game, state: ExerciseState, command: cm.Command) -> list[ev.Event]:
    """Check ``command`` against ``state`` and return the events it causes; ``state`` is unchanged.

    Raises:
        IllegalCommand: the command is not legal now (the message says why).
    """
    return decide_in_place(game, clone_state(state), command)


def decide_in_place(game: Game, state: ExerciseState, command: cm.Command) -> list[ev.Event]:
    """:func:`decide`, applying the events to ``state`` as they are made.

    Afterwards ``state`` equals ``evolve`` of every returned event applied in turn,
    without the copy :func:`decide` makes (a round's resolution needs each step's
    state, so it evolves as it goes). When it raises, ``state`` is unchanged if its
    ``events`` counter is; otherwise the caller must rebuild it (``Exercise`` refolds).

    Raises:
        IllegalCommand: the command is not legal now (the message says why).
    """
    before = state.events
    events = _decide(game, state, command)
    # Steps that never needed an intermediate state return their events unapplied;
    # the applied ones (through Work.emit) always come first.
    for event in events[state.events - before :]:
        evolve(state, event)
    return events


def _decide(game: Game, state: ExerciseState, command: cm.Command) -> list[ev.Event]:
    """The events of one command, by its class (the Command union is closed)."""
    match command:
        case cm.TakeAction():
            return actions.take_action(game, state, command)
        case cm.EndTurn():
            return turns.end_turn(game, state, command)
        case cm.ProposeAgreement():
            return negotiation.propose(game, state, command)
        case cm.AnswerProposal():
            return negotiation.answer(game, state, command)
        case cm.CounterProposal():
            return negotiation.counter(game, state, command)
        case cm.StartExercise():
            return turns.start(game, state, command)
        case cm.Pause():
            return facilitator.pause(game, state, command)
        case cm.Resume():
            return facilitator.resume(game, state, command)
        case cm.ReleaseInject():
            return facilitator.release(game, state, command)
        case cm.ForceStage():
            return facilitator.force_stage(game, state, command)
        case cm.Adjudicate():
            return facilitator.adjudicate(game, state, command)
        case cm.AddObservation():
            return facilitator.observe(game, state, command)
        case cm.UndoTurn():
            return facilitator.undo(game, state, command)
        case cm.EndExercise():
            return facilitator.end(game, state, command)
        case cm.ConfirmRating():
            return facilitator.confirm(game, state, command)
        case cm.SubmitFeedback():
            return facilitator.feedback(game, state, command)
        case cm.UpdatePlanAction():
            return facilitator.plan_update(game, state, command)
        case cm.ReleaseAdHocInject():
            return facilitator.release_adhoc(game, state, command)
        case cm.SetFacilitatorPin():
            return facilitator.set_pin(game, state, command)
        case cm.RecordAccessRefused():
            return facilitator.access_refused(game, state, command)
        case cm.IssueJoinCodes():
            return facilitator.issue_codes(game, state, command)
        case _:
            assert_never(command)
