"""The bundled scenarios: valid, rich, playable to the end by every bot policy, balanced.

Every file in ``scenarios/`` is checked, so a new scenario is covered as soon as
it is added. The epidemic must relapse from continuation into outbreak (a
resurgence), and in every scenario cooperative bots must leave clearly less
harm than selfish ones.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pytest

from tabletop.bots import parse_policies, play_to_end
from tabletop.cli import main
from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.loader.game import load_game

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
NAMES = [p.stem for p in SCENARIOS]
STAGES = ("gestation", "outbreak", "continuation", "recovery")
SEEDS = (1, 2, 3, 4, 5)
#: "Clearly less": cooperative harm at most this share of selfish harm.
CLEARLY = 0.75


@cache
def game(name: str) -> Game:
    """The loaded bundled scenario ``name`` (loaded once per test session)."""
    return load_game(ROOT / "scenarios" / f"{name}.toml")


def mixed(g: Game) -> str:
    """A mixed policy: first agency selfish, second random, the others cooperative."""
    return f"mixed:{g.order[0]}=selfish,{g.order[1]}=random"


@cache
def played(name: str, policy: str, seed: int | None = None) -> Exercise:
    """The bundled scenario played to the end in memory (cached: tests only read it)."""
    g = game(name)
    spec = mixed(g) if policy == "mixed" else policy
    ex = Exercise.new(g, None, seed=seed)
    play_to_end(ex, parse_policies(spec, g.order))
    return ex


def harm(ex: Exercise) -> float:
    """Total harm at the end."""
    return math.fsum(r.harm for r in ex.state.regions.values())


def test_the_three_scenarios_are_bundled() -> None:
    assert {"typhoon-two-provinces", "chemical-river", "epidemic"} <= set(NAMES)


@pytest.mark.parametrize("path", SCENARIOS, ids=NAMES)
def test_validate_cli_accepts_bundled_scenario(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}: ok" in out


@pytest.mark.parametrize("name", NAMES)
def test_scenario_uses_standard_rules(name: str) -> None:
    assert game(name).scenario.scenario.rules == "standard"
    assert game(name).rules.pack.id == "standard"


@pytest.mark.parametrize("name", NAMES)
def test_scenario_is_rich(name: str) -> None:
    """Regions with links, agencies on both axes, injects in every stage, objectives."""
    sc = game(name).scenario
    assert len(sc.regions) >= 4
    assert sum(len(r.links) for r in sc.regions.values()) >= 3
    levels = {a.level for a in sc.agencies.values()}
    departments = {a.department for a in sc.agencies.values()}
    assert len(levels) >= 3, "vertical axis: at least three levels of government"
    assert len(departments) >= 3, "horizontal axis: at least three departments"
    with_superior = [a for a in sc.agencies.values() if a.superior]
    assert len(with_superior) >= len(sc.agencies) // 2
    # A superior with subordinates on the same level as one another (horizontal peers).
    peers = {(a.level, a.superior) for a in with_superior}
    assert len(peers) < len(with_superior)
    scripted = {i.stage for i in sc.injects if i.stage}
    assert set(STAGES) <= scripted, "injects in all four stages"
    assert any(i.when for i in sc.injects), "at least one conditional inject"
    assert any(i.is_private for i in sc.injects), "at least one private inject"
    expected_in = {i.stage for i in sc.injects if i.expect and i.stage}
    assert len(expected_in) >= 3, "expectations in most stages"
    assert len(sc.objectives) >= 3
    assert all(len(o.tasks) >= 2 for o in sc.objectives)
    assert {t.stage for o in sc.objectives for t in o.tasks} >= set(STAGES)


@pytest.mark.parametrize("policy", ["cooperative", "selfish", "random", "mixed"])
@pytest.mark.parametrize("name", NAMES)
def test_every_policy_plays_to_the_end(name: str, policy: str) -> None:
    ex = played(name, policy)
    assert ex.state.phase == "ended"
    assert ex.state.ended_reason == "all stages completed"
    path = [r.event.to_stage for r in ex.records if r.event.kind == "stage_changed"]
    assert path[0] == "gestation" and path[-1] == "recovery"
    assert set(path) == set(STAGES)
    assert ex.replayed() == ex.state, "fold(journal) == live state"


def _resurgences(ex: Exercise) -> list[tuple[str | None, str]]:
    return [
        (r.event.from_stage, r.event.to_stage)
        for r in ex.records
        if r.event.kind == "stage_changed" and r.event.reason == "resurgence"
    ]


# Seed 2: one where the cooperative bots do not contain the variant (most seeds; see below).
@pytest.mark.parametrize(
    ("policy", "seed"), [("cooperative", 2), ("selfish", None), ("random", None), ("mixed", None)]
)
def test_epidemic_resurgence_sends_continuation_back_to_outbreak(
    policy: str, seed: int | None
) -> None:
    ex = played("epidemic", policy, seed)
    assert _resurgences(ex) == [("continuation", "outbreak")]
    path = [r.event.to_stage for r in ex.records if r.event.kind == "stage_changed"]
    assert path == [
        "gestation",
        "outbreak",
        "continuation",
        "outbreak",
        "continuation",
        "recovery",
    ]
    assert ex.state.wave == 1
    fired = [r.event.inject for r in ex.records if r.event.kind == "inject_fired"]
    assert "imported_cluster" in fired and "second_wave" in fired


@pytest.mark.parametrize("seed", SEEDS)
def test_epidemic_resurgence_happens_for_every_seed_without_cooperation(seed: int) -> None:
    assert _resurgences(played("epidemic", "selfish", seed))


def test_epidemic_resurgence_is_often_but_not_always_contained_by_cooperation() -> None:
    # Negotiating bots (joint mechanism, joint operation, full coverage) can hold the
    # variant below the regress threshold: simulate's resurgence rate shows how often.
    hit = sum(bool(_resurgences(played("epidemic", "cooperative", s))) for s in range(1, 21))
    assert 5 <= hit <= 19


def test_epidemic_resurgence_comes_from_a_continuation_inject() -> None:
    sc = game("epidemic").scenario
    raisers = [
        i
        for i in sc.injects
        if i.stage == "continuation" and any(".hazard" in e for e in i.effects)
    ]
    assert raisers
    cont = game("epidemic").stage("continuation")
    assert cont.regress_if == "max_hazard >= 0.7" and cont.regress_to == "outbreak"


def test_epidemic_exercises_the_cooperation_mechanisms() -> None:
    sc = game("epidemic").scenario
    wanted = {x.action for i in sc.injects for x in i.expect}
    wanted |= {t.action for o in sc.objectives for t in o.tasks}
    assert {"establish_joint_mechanism", "assign_counterpart", "report_up"} <= wanted


def test_chemical_river_exercises_compensation_and_joint_monitoring() -> None:
    sc = game("chemical-river").scenario
    wanted = {x.action for i in sc.injects for x in i.expect}
    wanted |= {t.action for o in sc.objectives for t in o.tasks}
    assert {"establish_joint_mechanism", "compensate", "propose_agreement"} <= wanted
    # The river crosses the provincial border: a link between two provinces' regions.
    owners = {r: {a.superior for a in sc.agencies.values() if r in a.regions} for r in sc.regions}
    assert any(
        owners[src] and owners[link.to] and owners[src] != owners[link.to]
        for src, reg in sc.regions.items()
        for link in reg.links
    )


def test_chemical_river_cooperative_bots_agree_on_compensation() -> None:
    ex = played("chemical-river", "cooperative")
    mechanisms = {r.event.mechanism for r in ex.records if r.event.kind == "proposal_made"}
    assert "compensation" in mechanisms
    honoured = [r.event for r in ex.records if r.event.kind == "commitment_resolved"]
    assert honoured and all(e.status == "honoured" for e in honoured)


@pytest.mark.parametrize("name", NAMES)
def test_cooperation_clearly_beats_selfishness(name: str) -> None:
    coop = [harm(played(name, "cooperative", s)) for s in SEEDS]
    selfish = [harm(played(name, "selfish", s)) for s in SEEDS]
    for c, s in zip(coop, selfish, strict=True):
        assert c < s
    assert sum(coop) <= CLEARLY * sum(selfish), (coop, selfish)


@pytest.mark.parametrize("name", NAMES)
def test_selfish_play_is_flagged(name: str) -> None:
    ex = played(name, "selfish")
    flags = {f for r in ex.records if r.event.kind == "action_taken" for f in r.event.flags}
    assert {"concealment", "local_protectionism"} <= flags
    waste = math.fsum(r.waste for r in ex.state.regions.values())
    coop_waste = math.fsum(r.waste for r in played(name, "cooperative").state.regions.values())
    assert waste > coop_waste
