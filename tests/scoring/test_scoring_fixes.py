"""Report scoring errors of issue 16, item 2: early expectations, resource tasks,
initiative and efficiency that separate good from poor play."""

from __future__ import annotations

from functools import cache

import pytest
from scoring_quad import Play
from tabletop_helpers import SCENARIO

from tabletop.bots import parse_policies, play_to_end
from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.loader import load_game
from tabletop.report import build_report
from tabletop.scoring import Evaluation, evaluate


@cache
def _typhoon() -> Game:
    return load_game(SCENARIO)


def test_an_action_before_the_inject_meets_its_expectation_everywhere() -> None:
    g = _typhoon()
    p = Play(g)
    p.to_stage("outbreak")
    # The ministry assigns counterpart support in outbreak round 1; the inject that asks
    # for it only fires in round 2.
    seq = p.act("mem", "assign_counterpart", target="c_em", region="linhe")
    p.finish()
    e = p.evaluate()
    (x,) = [x for x in e.facts.expectations if x.inject == "counterpart_plan"]
    assert (x.status, x.met_seq) == ("met", seq)
    assert x.met_round < x.fired_round
    (ob,) = [o for o in e.objectives if o.id == "operational_coordination"]
    task = next(t for t in ob.tasks if t.id == "counterpart")
    assert task.status == "on_time"
    report = build_report(g, p.records)
    issues = [row.issue for row in report.plan]
    assert not any("assign_counterpart" in i for i in issues), issues
    assert not any(
        fl.code == "missed_expectation" and "assign_counterpart" in fl.text for fl in e.flags
    )


def test_a_task_that_names_a_resource_counts_only_that_resource() -> None:
    g = _typhoon()
    p = Play(g)
    p.to_stage("outbreak")
    p.act("city", "deploy", region="coastal_city", resource="supplies", amount=5)
    p.next_round()
    (ob,) = [o for o in p.evaluate().objectives if o.id == "mass_care"]
    rescue = next(t for t in ob.tasks if t.id == "city_rescue")
    assert rescue.status != "on_time"
    p2 = Play(g)
    p2.to_stage("outbreak")
    seq = p2.act("city", "deploy", region="coastal_city", resource="rescue", amount=5)
    p2.next_round()
    (ob2,) = [o for o in p2.evaluate().objectives if o.id == "mass_care"]
    rescue2 = next(t for t in ob2.tasks if t.id == "city_rescue")
    assert (rescue2.status, rescue2.seq) == ("on_time", seq)


def test_delivering_exactly_what_was_asked_is_efficient() -> None:
    p = Play()
    # The town asks east for 30 rescue teams: more than the town will need (about 27).
    p.act("town", "request_support", target="east", region="town_r", resource="rescue", amount=30)
    p.next_round()
    p.act("east", "monitor", region="town_r")
    p.act("east", "deploy", region="town_r", resource="rescue", amount=30)
    p.next_round()
    e = p.evaluate()
    (w,) = [w for w in e.facts.waste if w.region == "town_r"]
    assert w.amount > 1 and set(w.shares) == {"town"}
    east = e.scores.agencies["east"].stages["outbreak"].dimensions["efficiency"]
    assert east.value == 100.0, east
    town = e.scores.agencies["town"].stages["outbreak"].dimensions["efficiency"]
    assert town.value is not None and town.value < 100.0
    assert "sent at its request" in town.explanation


@cache
def _bots(policy: str) -> Evaluation:
    g = _typhoon()
    ex = Exercise.new(g, None, seed=2026)
    play_to_end(ex, parse_policies(policy, g.order))
    return evaluate(g, ex.records)


PASSIVE = "mixed:" + ",".join(
    f"{a}=passive" for a in ("a_em", "a_water", "city", "b_em", "b_health", "county", "c_em")
)


def test_initiative_tells_agencies_apart_and_separates_good_from_poor_play() -> None:
    coop = _bots("cooperative")
    cells = {
        c.dimensions["initiative"].value
        for ag in coop.scores.agencies.values()
        for c in ag.stages.values()
    }
    assert len(cells) > 3, cells
    c = coop.scores.total.dimensions["initiative"].value
    assert c is not None and 50 < c < 100
    selfish = _bots("selfish").scores.total.dimensions["initiative"].value
    assert selfish is not None and selfish < c / 4
    # Agencies that only act on a directive show no initiative.
    passive = _bots(PASSIVE)
    for a in ("a_em", "b_em", "c_em"):
        assert passive.scores.agencies[a].total.dimensions["initiative"].value == 0.0


@pytest.mark.parametrize("dimension", ["efficiency", "initiative"])
def test_cooperative_beats_selfish(dimension: str) -> None:
    coop = _bots("cooperative").scores.total.dimensions[dimension].value
    selfish = _bots("selfish").scores.total.dimensions[dimension].value
    assert coop is not None and selfish is not None and coop > selfish + 20


def test_units_beyond_what_was_asked_stay_with_the_deliverer() -> None:
    p = Play()
    p.act("town", "request_support", target="east", region="town_r", resource="rescue", amount=10)
    p.next_round()
    p.act("east", "monitor", region="town_r")
    p.act("east", "deploy", region="town_r", resource="rescue", amount=30)
    p.next_round()
    e = p.evaluate()
    (w,) = [w for w in e.facts.waste if w.region == "town_r"]
    # 10 were asked for; the 20 more were east's own choice and are charged first.
    assert set(w.shares) == {"east"}
    assert e.facts.asked[(w.segment, "town")] == 10
    east = e.scores.agencies["east"].stages["outbreak"].dimensions["efficiency"]
    assert east.value is not None and east.value < 100.0
