"""Critical tasks list the inject expectations that evidence them (issue 13, item 3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

from tabletop_helpers import SCENARIO

from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.loader import load_game
from tabletop.model import commands as cm
from tabletop.report import build_report, render
from tabletop.scoring import evaluate


@cache
def _typhoon() -> Game:
    return load_game(SCENARIO)


class _Clock:
    """A test clock that moves 30 seconds at each reading."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=30)
        return self.now


def _to(ex: Exercise, agency: str) -> None:
    while ex.state.active != agency:
        ex.submit(cm.EndTurn(agency=ex.state.active))


def _played() -> Exercise:
    ex = Exercise.new(_typhoon(), None, clock=_Clock())
    # Gestation round 1: the ministry sets a response level (the inject "typhoon_warning"
    # fired at the round start expects it within 1 round).
    _to(ex, "mem")
    ex.submit(cm.TakeAction(agency="mem", action="activate_response", level="2"))
    return ex


def test_each_task_lists_the_injects_and_decisions_that_evidence_it() -> None:
    ex = _played()
    e = evaluate(_typhoon(), ex.records)
    (ob,) = [o for o in e.objectives if o.id == "early_warning"]
    task = next(t for t in ob.tasks if t.id == "response_level")
    (x,) = task.evidence
    assert x.agency == "mem" and x.action == "activate_response"
    assert (x.status, x.seq, x.rounds) == ("met", task.seq, 0)
    assert x.seconds is not None and x.seconds > 0
    warn = next(t for t in ob.tasks if t.id == "city_warning")
    assert [w.status for w in warn.evidence] == ["pending"]
    # A task no inject names has no evidence.
    (rec,) = [o for o in e.objectives if o.id == "recovery"]
    assert next(t for t in rec.tasks if t.id == "formalize").evidence == []


def test_the_report_shows_the_evidence_and_the_time_from_inject_to_action() -> None:
    ex = _played()
    report = build_report(_typhoon(), ex.records)
    md = render(report, "md")
    assert "expected `mem` to activate_response: done in round 1" in md
    assert "in the round of the inject" in md
    html = render(report, "html")
    assert "expected mem to activate_response" in html


def test_an_objective_without_a_task_evidences_tasks_with_the_same_action() -> None:
    from tabletop.scoring.facts import Expectation
    from tabletop.scoring.rating import evidences

    (ob,) = [o for o in _typhoon().scenario.objectives if o.id == "recovery"]
    review = next(t for t in ob.tasks if t.id == "review")
    x = Expectation("i", 1, "mem", "joint_review", None, 1, 1, "recovery", objective="recovery")
    assert evidences(ob, review, x)
    other = next(t for t in ob.tasks if t.id == "formalize")
    assert not evidences(ob, other, x)
