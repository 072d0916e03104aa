"""Report generation stays fast: 2000 decisions in well under a second."""

from __future__ import annotations

import dataclasses
import time

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


def test_report_of_2000_decisions_takes_less_than_a_second() -> None:
    game = _long_game()
    ex = Exercise.new(game, None, seed=3, clock=fixed_clock)
    play_to_end(ex, parse_policies("random", game.order))
    decisions = sum(1 for r in ex.records if r.event.kind in DECISIONS)
    assert decisions >= 2000
    best = float("inf")
    for _ in range(3):
        clear_cache()  # the counterfactual run is part of the measured time
        start = time.perf_counter()
        report = build_report(game, ex.records)
        for fmt in ("md", "html", "json"):
            assert render(report, fmt)
        best = min(best, time.perf_counter() - start)
    assert best < 1.0, f"{decisions} decisions took {best:.2f} s"
