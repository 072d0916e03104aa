"""Forced stage changes are scored like any other stage (issue 13, item 1)."""

from __future__ import annotations

from functools import cache

from scoring_quad import Play
from tabletop_helpers import SCENARIO

from tabletop.engine.game import Game
from tabletop.loader import load_game
from tabletop.model import commands as cm
from tabletop.report import build_report


@cache
def _typhoon() -> Game:
    return load_game(SCENARIO)


def _forced_review() -> tuple[Play, int]:
    p = Play(_typhoon())
    p.next_round()
    p.submit(cm.ForceStage(stage="recovery", reason="skip ahead"))
    seq = p.act("mem", "joint_review", target="c_em")
    p.finish()
    return p, seq


def test_a_forced_stage_gets_its_own_segment() -> None:
    p, seq = _forced_review()
    f = p.evaluate().facts
    forced = [s for s in f.segments if s.stage == "recovery"]
    assert forced, "the forced stage has no segment"
    assert forced[0].round == 2 and forced[0].stage_round == 1
    act = next(a for a in f.acts if a.seq == seq)
    assert act.stage == "recovery" and act.segment == forced[0].index


def test_a_joint_review_after_forcing_recovery_is_held() -> None:
    p, seq = _forced_review()
    e = p.evaluate()
    (rec,) = [o for o in e.objectives if o.id == "recovery"]
    review = next(t for t in rec.tasks if t.id == "review")
    assert (review.status, review.seq, review.done_by) == ("on_time", seq, "mem")
    assert "recovery" in e.scores.stages
    assert e.scores.rounds["recovery"] >= 1
    card = e.scores.agencies["mem"].stages["recovery"]
    assert card.dimensions["policy"].value and card.dimensions["policy"].value > 0
    assert seq in card.dimensions["policy"].evidence
    # The inject of recovery round 1 (expects the ministry's joint review) is met.
    rx = [x for x in e.facts.expectations if x.inject == "reconstruction"]
    assert rx and all(x.status == "met" for x in rx)
    report = build_report(_typhoon(), p.records)
    assert "recovery" in [s.id for s in report.stages]
    assert report.overview.stages_played[-1] == "recovery"
    assert report.series and report.series[-1].stage == "recovery"
    assert not any("joint_review" in fl.text for fl in report.flags)
