"""HSEEP ratings, flags and evaluator confirmations (tabletop.scoring.rating)."""

from __future__ import annotations

from scoring_quad import Play

from tabletop.model import commands as cm
from tabletop.scoring.rating import RATING_FLAGS, SEVERITY


def _rating(p: Play):  # noqa: ANN202 - test helper
    (ob,) = p.evaluate().objectives
    return ob


def test_all_tasks_on_time_and_no_flag_is_performed() -> None:
    p = Play()
    p.act("boss", "activate_response", level="2")
    p.act("east", "report_up", region="east_r")
    p.act("east", "issue_warning", region="east_r", level="blue")
    p.next_round()
    ob = _rating(p)
    assert [t.status for t in ob.tasks] == ["on_time", "on_time", "on_time"]
    assert ob.share == 1.0
    assert (ob.auto, ob.rating, ob.confirmed) == ("P", "P", None)
    assert "3 of 3 critical tasks on time" in ob.reason


def test_share_of_tasks_sets_the_rating() -> None:
    p = Play()
    p.act("boss", "activate_response", level="2")
    p.act("east", "report_up", region="east_r")
    p.next_round()
    ob = _rating(p)
    assert ob.share == round(2 / 3, 4)
    assert ob.auto == "S"
    assert "not done: east_warns" in ob.reason


def test_late_task_is_a_minor_flag() -> None:
    p = Play()
    p.act("boss", "activate_response", level="2")
    p.act("east", "report_up", region="east_r")
    p.next_round()
    p.act("east", "issue_warning", region="east_r", level="blue")
    p.next_round()
    ob = _rating(p)
    assert [t.status for t in ob.tasks] == ["on_time", "on_time", "late"]
    assert [f.code for f in ob.flags] == ["late_task"]
    assert ob.auto == "S"


def test_concealment_voids_the_task_and_caps_the_rating() -> None:
    p = Play()
    p.act("boss", "activate_response", level="2")
    p.act("east", "report_up", region="east_r", accuracy=0.5)
    p.act("east", "issue_warning", region="east_r", level="blue")
    p.next_round()
    ob = _rating(p)
    assert [t.status for t in ob.tasks] == ["on_time", "missed", "on_time"]
    assert any(f.code == "concealment" and f.severity == "major" for f in ob.flags)
    # 2/3 on time would be S; the major flag caps it at M.
    assert ob.auto == "M"
    assert "cap it at M" in ob.reason


def test_nothing_done_is_unable_to_be_performed() -> None:
    p = Play()
    p.finish()
    ob = _rating(p)
    assert [t.status for t in ob.tasks] == ["missed"] * 3
    assert ob.auto == "U"


def test_tasks_of_a_stage_not_reached_yet_are_not_reached() -> None:
    p = Play()
    ob = _rating(p)  # still in gestation round 1: the deadline has not passed
    assert {t.status for t in ob.tasks} == {"not_reached"}


def test_evaluator_confirmation_counts_and_both_are_shown() -> None:
    p = Play()
    p.act("boss", "activate_response", level="2")
    p.act("east", "report_up", region="east_r")
    p.next_round()
    p.submit(cm.ConfirmRating(objective="warning", rating="M", note="first look"))
    p.submit(cm.ConfirmRating(objective="warning", rating="P", note="the warning came from TV"))
    ob = _rating(p)
    assert ob.auto == "S"
    assert (ob.confirmed, ob.rating, ob.note) == ("P", "P", "the warning came from TV")
    assert ob.confirmed_seq == p.records[-1].seq


def test_flag_severities_are_declared() -> None:
    assert set(RATING_FLAGS) <= set(SEVERITY)
    assert {RATING_FLAGS[c] for c in ("concealment", "broken_commitment")} == {"major"}
    assert RATING_FLAGS["waste"] == RATING_FLAGS["late_task"] == "minor"
