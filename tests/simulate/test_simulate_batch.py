"""Batch simulation (:mod:`tabletop.simulate`): determinism, summaries, workers, errors."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tabletop.bots import parse_policies, play_to_end
from tabletop.engine.exercise import Exercise
from tabletop.errors import ScenarioError, TabletopError
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.simulate import RunResult, Stat, baseline_harm, play_run, simulate

ROOT = Path(__file__).resolve().parents[2]
TYPHOON = ROOT / "scenarios" / "typhoon-two-provinces.toml"
EPIDEMIC = ROOT / "scenarios" / "epidemic.toml"


def test_stat_of_values_and_of_nothing() -> None:
    s = Stat.of([1.0, 2.0, 6.0])
    assert (s.mean, s.min, s.max, s.n) == (3.0, 1.0, 6.0, 3)
    assert Stat.of([]) == Stat(0.0, 0.0, 0.0, 0)
    assert s.rounded(1) == {
        "mean": 3.0,
        "min": 1.0,
        "max": 6.0,
        "n": 3,
        "p5": 1.1,
        "p25": 1.5,
        "p50": 2.0,
        "p75": 4.0,
        "p95": 5.6,
    }


def test_play_run_matches_a_hand_played_exercise() -> None:
    game = load_game(TYPHOON)
    r = play_run(game, "cooperative", 7, index=3)
    ex = Exercise.new(game, None, seed=7)
    play_to_end(ex, parse_policies("cooperative", game.order))
    assert r.index == 3 and r.seed == 7
    assert r.harm == pytest.approx(math.fsum(x.harm for x in ex.state.regions.values()))
    assert r.rounds == ex.state.round
    assert r.events == len(ex.records)
    assert r.ended == "all stages completed"
    assert r.stages == ["gestation", "outbreak", "continuation", "recovery"]
    assert sum(r.stage_rounds.values()) == r.rounds
    assert set(r.figures) == set(game.order)
    assert r.figure in ("score", "reputation")


def test_baseline_is_the_same_seed_with_nobody_acting() -> None:
    game = load_game(TYPHOON)
    ex = Exercise.new(game, None, seed=11)
    while ex.state.phase != "ended":
        ex.submit(cm.EndTurn(agency=ex.state.active))
    assert not [r for r in ex.records if r.event.kind == "action_taken"]
    expected = math.fsum(x.harm for x in ex.state.regions.values())
    assert baseline_harm(game, 11) == pytest.approx(expected)
    assert play_run(game, "cooperative", 11).baseline_harm == pytest.approx(expected)


def test_run_result_says_whether_playing_changed_the_outcome() -> None:
    def result(harm: float, base: float) -> RunResult:
        return RunResult(0, 0, harm, 0, 0, 0, 0, "", {}, [], 0, "reputation", {}, base)

    assert result(50, 100).changed == -1
    assert result(100, 100).changed == 0
    assert result(103, 100).changed == 0  # within 5%
    assert result(120, 100).changed == 1
    assert result(0.2, 0.0).changed == 0  # floor of 0.5
    assert result(50, 100).harm_avoided == 50


def test_simulate_summary_is_deterministic_and_seeded() -> None:
    calls: list[int] = []
    a = simulate(TYPHOON, runs=4, policy="cooperative", seed=100, progress=calls.append)
    b = simulate(TYPHOON, runs=4, policy="cooperative", seed=100)
    assert [r.seed for r in a.results] == [100, 101, 102, 103]
    assert a.results == b.results
    assert calls == [1, 2, 3, 4]
    assert a.runs == 4 and a.seed == 100 and a.policy == "cooperative"
    assert a.harm.n == 4
    assert a.harm.min <= a.harm.mean <= a.harm.max
    assert a.less_harm == 4 and a.more_harm == 0, "cooperative bots beat nobody acting"
    assert a.avoided.mean > 0
    assert set(a.stages) == {"gestation", "outbreak", "continuation", "recovery"}
    assert a.stages["gestation"].mean == 1
    assert a.resurgence_runs == 0
    assert a.ended == {"all stages completed": 4}
    assert set(a.agencies) == set(load_game(TYPHOON).order)


def test_default_seed_is_the_scenario_seed() -> None:
    s = simulate(TYPHOON, runs=1)
    assert s.seed == load_game(TYPHOON).scenario.scenario.seed
    assert s.results[0].seed == s.seed


def test_epidemic_resurgence_in_every_run() -> None:
    s = simulate(EPIDEMIC, runs=3, policy="selfish", seed=1)
    assert s.resurgence_runs == 3
    assert s.stages["outbreak"].min == 4, "two outbreak stages of two rounds"
    d = s.to_dict()
    assert d["resurgence"] == {"runs": 3, "share": 1.0}


def test_cooperative_leaves_less_harm_than_selfish() -> None:
    coop = simulate(TYPHOON, runs=3, policy="cooperative", seed=5)
    selfish = simulate(TYPHOON, runs=3, policy="selfish", seed=5)
    assert coop.harm.mean < 0.75 * selfish.harm.mean
    assert coop.waste.mean < selfish.waste.mean
    # Same seeds, same nobody-acting baseline.
    assert coop.baseline == selfish.baseline


def test_mixed_policy_per_agency() -> None:
    s = simulate(TYPHOON, runs=2, policy="mixed:a_water=selfish,county=random", seed=3)
    assert s.runs == 2 and s.policy.startswith("mixed:")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"runs": 0}, "--runs must be between 1"),
        ({"runs": 1, "workers": 0}, "--workers must be between 1"),
        ({"runs": 1, "policy": "greedy"}, "unknown bot policy 'greedy'"),
        ({"runs": 1, "policy": "mixed:nobody=selfish"}, "unknown agency 'nobody'"),
        ({"runs": 1, "policy": "mixed:county=lazy"}, "unknown bot policy 'lazy'"),
        ({"runs": 1, "seed": -1}, "--seed must be between"),
    ],
)
def test_bad_arguments_are_user_errors(kwargs: dict, fragment: str) -> None:
    with pytest.raises(TabletopError, match=fragment):
        simulate(TYPHOON, **kwargs)


def test_bad_scenario_is_a_scenario_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario\n", encoding="utf-8")
    with pytest.raises(ScenarioError):
        simulate(bad, runs=1)


def test_workers_give_the_same_results_as_one_process() -> None:
    one = simulate(EPIDEMIC, runs=6, policy="cooperative", seed=40, workers=1)
    calls: list[int] = []
    two = simulate(
        EPIDEMIC, runs=6, policy="cooperative", seed=40, workers=2, progress=calls.append
    )
    assert two.workers == 2
    assert two.results == one.results
    assert calls and calls[-1] == 6 and calls == sorted(calls)
    a, b = one.to_dict(), two.to_dict()
    for key in ("seconds", "runs_per_second", "workers"):
        a.pop(key), b.pop(key)
    assert a == b


def test_worker_refuses_a_scenario_that_changed() -> None:
    from tabletop.simulate import _run_chunk

    with pytest.raises(TabletopError, match="changed during the batch"):
        _run_chunk(str(TYPHOON), "0" * 64, "cooperative", [(0, 1)])
    game = load_game(TYPHOON)
    (got,) = _run_chunk(str(TYPHOON), game.scenario_hash, "cooperative", [(0, 1)])
    assert got == play_run(game, "cooperative", 1, 0)


def test_gap_confidence_interval() -> None:
    from tabletop.simulate import Gap

    g = Gap.of([1.0, 2.0, 3.0, 4.0])
    assert g.mean == 2.5 and g.n == 4
    # t(0.975, 3) = 3.182, sd = 1.291: half-width 2.054
    assert g.low == pytest.approx(2.5 - 2.054, abs=1e-3)
    assert g.high == pytest.approx(2.5 + 2.054, abs=1e-3)
    assert Gap.of([]) == Gap(0.0, 0.0, 0.0, 0)
    assert Gap.of([5.0]) == Gap(5.0, 5.0, 5.0, 1)


def test_compare_pairs_the_same_seeds() -> None:
    s = simulate(TYPHOON, runs=3, seed=2, compare_with="selfish")
    c = s.comparison
    assert c is not None and c.summary is not None
    assert [r.seed for r in c.summary.results] == [r.seed for r in s.results]
    gaps = [b.harm - a.harm for a, b in zip(s.results, c.summary.results, strict=True)]
    assert c.harm_gap.mean == pytest.approx(sum(gaps) / 3)
