"""The HSEEP evaluation loop after the exercise: SubmitFeedback and UpdatePlanAction."""

from __future__ import annotations

import pytest
from tabletop_helpers import Driver

from tabletop.engine.evolve import evolve, fold, initial_state
from tabletop.errors import IllegalCommand
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.evaluation import FEEDBACK_QUESTIONS
from tabletop.model.state import clone_state


def refused(d: Driver, command: cm.Command) -> str:
    """The IllegalCommand message ``command`` gets (nothing is recorded)."""
    before = len(d.ex.records)
    with pytest.raises(IllegalCommand) as info:
        d.submit(command)
    assert len(d.ex.records) == before
    return str(info.value)


@pytest.fixture
def ended(play: Driver) -> Driver:
    play.submit(cm.EndExercise(reason="time is up"))
    return play


def test_feedback_and_plan_wait_for_the_end(play: Driver) -> None:
    feedback = cm.SubmitFeedback(agency="mem", strengths="quick warning")
    assert "end it first" in refused(play, feedback)
    assert "end it first" in refused(play, cm.UpdatePlanAction(action="scores.mem", status="open"))


def test_feedback_is_journaled_as_given(ended: Driver) -> None:
    state = clone_state(ended.state)
    (e,) = ended.submit(
        cm.SubmitFeedback(
            agency="county",
            author="  Wang, county EOC ",
            strengths="Sandbags were ready.",
            improvements=" Report upward sooner. ",
            ratings={"preparedness": 4, "organization": 5},
        )
    )
    assert isinstance(e, ev.FeedbackSubmitted) and e.v == 1
    assert (e.agency, e.author, e.improvements) == (
        "county",
        "Wang, county EOC",
        "Report upward sooner.",
    )
    # Ratings are kept in the questions' order, whatever order they came in.
    assert list(e.ratings) == ["organization", "preparedness"]
    # The evaluation changes nothing in the game state.
    assert evolve(state, e) == ended.state


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (cm.SubmitFeedback(agency="countyy", comments="x"), "unknown agency 'countyy'"),
        (cm.SubmitFeedback(agency="county", ratings={"realsm": 3}), "did you mean 'realism'"),
        (cm.SubmitFeedback(agency="county", ratings={"realism": 6}), "must be 1 to 5, not 6"),
        (cm.SubmitFeedback(agency="county", strengths="  "), "the feedback form is empty"),
        (cm.UpdatePlanAction(action="x y", status="open"), "not an improvement-plan action id"),
        (cm.UpdatePlanAction(action="scores.mem"), "nothing to change"),
        (cm.UpdatePlanAction(action="scores.mem", due="31/12/2026"), "write YYYY-MM-DD"),
        (cm.UpdatePlanAction(action="scores.mem", start="2026-02-30"), "is not a date"),
        (
            cm.UpdatePlanAction(action="scores.mem", start="2026-12-01", due="2026-11-30"),
            "the due date 2026-11-30 is before the start date 2026-12-01",
        ),
    ],
)
def test_bad_evaluation_commands_are_refused(
    ended: Driver, command: cm.Command, message: str
) -> None:
    assert message in refused(ended, command)


def test_plan_update_keeps_only_the_fields_given(ended: Driver) -> None:
    (e,) = ended.submit(
        cm.UpdatePlanAction(action="flag.waste.a_water", poc=" Li Wei ", due="2027-01-15")
    )
    assert isinstance(e, ev.PlanActionUpdated)
    assert (e.owner, e.poc, e.start, e.due, e.status) == (None, "Li Wei", None, "2027-01-15", None)
    (cleared,) = ended.submit(cm.UpdatePlanAction(action="flag.waste.a_water", due=""))
    assert cleared.due == ""


def test_evaluation_events_fold_and_round_trip(ended: Driver) -> None:
    ended.submit(cm.SubmitFeedback(agency="mem", ratings=dict.fromkeys(FEEDBACK_QUESTIONS, 3)))
    ended.submit(cm.UpdatePlanAction(action="scores.mem", status="complete"))
    for rec in ended.ex.records[-2:]:
        again = ev.EVENT_ADAPTER.validate_json(ev.EVENT_ADAPTER.dump_json(rec.event))
        assert again == rec.event
    refolded = fold(initial_state(ended.game), ended.ex.records)
    assert refolded == ended.state
