"""A long exercise (2000+ decisions) gives a complete report in every format.

How long that takes is measured by ``bench/run.py`` (target < 1 s), not by a test.
"""

from __future__ import annotations

import dataclasses
import json

from report_fixtures import fixed_clock, typhoon

from tabletop.bots import parse_policies, play_to_end
from tabletop.engine.exercise import Exercise
from tabletop.report import build_report, render
from tabletop.scoring.counterfactual import clear_cache

DECISIONS = ("action_taken", "proposal_made", "proposal_answered")


def _long_game():  # noqa: ANN202 - test helper
    """The default scenario stretched to 56 rounds with 8 action points a turn."""
    g = typhoon()
    pack = g.rules.pack.model_copy(update={"action_points": 8, "max_rounds": 60})
    rounds = {"gestation": 6, "outbreak": 20, "continuation": 20, "recovery": 10}
    info = g.scenario.scenario.model_copy(update={"stage_rounds": rounds})
    return dataclasses.replace(
        g,
        rules=g.rules.model_copy(update={"pack": pack}),
        scenario=g.scenario.model_copy(update={"scenario": info}),
        scenario_hash=g.scenario_hash + "-long",
    )


def test_report_of_2000_decisions_is_complete_in_every_format() -> None:
    game = _long_game()
    ex = Exercise.new(game, None, seed=3, clock=fixed_clock)
    play_to_end(ex, parse_policies("random", game.order))
    decisions = sum(1 for r in ex.records if r.event.kind in DECISIONS)
    assert decisions >= 2000
    clear_cache(game)
    report = build_report(game, ex.records)
    data = json.loads(render(report, "json"))
    # Every decision is counted and on the timeline; every agency is in the report.
    assert data["overview"]["decisions"] == decisions
    entries = [e for part in data["timeline"] for e in part["entries"]]
    assert sum(1 for e in entries if e["category"] == "decision") >= decisions
    assert [a["id"] for a in data["agencies"]] == list(game.order)
    assert "<svg" in render(report, "html")
    assert "## 5. Improvement plan" in render(report, "md")
