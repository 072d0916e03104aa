"""Private scores: local self-interest mixes own regions' outcome with the common one."""

from __future__ import annotations

from functools import cache

import pytest
from scoring_quad import Play
from tabletop_helpers import SCENARIO

from tabletop.bots import parse_policies, play_to_end
from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.loader import load_game
from tabletop.report import build_report, render
from tabletop.scoring import evaluate, private_score


@cache
def _typhoon() -> Game:
    return load_game(SCENARIO)


@cache
def _records(policy: str) -> tuple:
    g = _typhoon()
    ex = Exercise.new(g, None, seed=2026)
    play_to_end(ex, parse_policies(policy, g.order))
    return tuple(ex.records)


def test_private_mixes_own_and_common_by_local_interest() -> None:
    e = evaluate(_typhoon(), list(_records("cooperative")))
    common = e.scores.total.dimensions["outcome"].value
    for a, p in e.scores.private.items():
        li = _typhoon().scenario.agencies[a].local_interest
        assert p.local_interest == li
        assert p.common.value == common
        assert p.value.value == pytest.approx(li * p.own.value + (1 - li) * p.common.value, abs=0.1)
        assert f"local interest {li:g}" in p.value.explanation
    # The county (local interest 0.7) cares about Linhe only.
    assert e.scores.private["county"].regions == ["linhe"]
    # The ministry has no local interest: its private score is the common one.
    assert e.scores.private["mem"].value.value == common


def test_the_live_score_of_the_turn_screen_is_the_debriefs() -> None:
    recs = list(_records("mixed:county=selfish"))
    e = evaluate(_typhoon(), recs)
    assert private_score(_typhoon(), recs, "county") == e.scores.private["county"]


def test_before_any_resolution_there_is_nothing_to_score() -> None:
    p = Play()
    live = private_score(p.game, p.records, "east")
    assert live.value.value is None
    assert "No round" in live.own.explanation


def test_own_regions_outcome_moves_the_private_score_not_the_common_one() -> None:
    # In the quad scenario east holds east_r; deliveries there help east's private score.
    p = Play()
    p.act("east", "deploy", region="east_r", resource="rescue", amount=20)
    p.next_round()
    helped = private_score(p.game, p.records, "east")
    q = Play()
    q.next_round()
    idle = private_score(q.game, q.records, "east")
    assert helped.own.value > idle.own.value
    assert helped.value.value > idle.value.value


def test_the_report_lists_private_scores_next_to_the_common_one() -> None:
    report = build_report(_typhoon(), list(_records("cooperative")))
    md = render(report, "md")
    assert "### Private scores (local self-interest)" in md
    assert "| `county` | 0.70 | linhe |" in md
    assert "Private score of county (local interest 0.7)" in md
    assert "Private scores (local self-interest)" in render(report, "html")
    assert "private" in report.model_dump()["scores"]
