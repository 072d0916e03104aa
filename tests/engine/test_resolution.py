"""Round resolution: the formulas of docs/engine.md, checked against an independent reference."""

from __future__ import annotations

from typing import Any

import pytest
from tabletop_helpers import Driver, of

from tabletop.engine.game import Game
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.state import ExerciseState, clone_state


def reference(game: Game, s: ExerciseState, noise: dict[str, float]) -> dict[str, dict[str, Any]]:
    """Recompute a round's outcome from the rule-pack formulas (the documented ones).

    Args:
        game: The game.
        s: The state just before resolution.
        noise: The noise each region drew (recorded in the event).

    Returns:
        Region id -> expected values.
    """
    f = game.rules.formula
    growth = game.stage(s.stage).growth
    bonus = dict.fromkeys(s.regions, 0.0)
    for aid, ag in s.agencies.items():
        for rid in game.span[aid]:
            bonus[rid] = max(bonus[rid], ag.response_level * f.response_containment)
    for p in s.proposals.values():
        if p.status == "active" and p.mechanism in ("joint_operation", "joint_mechanism"):
            covered = {rid for a in p.parties for rid in game.span[a]}
            for rid in covered:
                bonus[rid] += f.joint_containment
    pre: dict[str, dict[str, Any]] = {}
    for rid, r in s.regions.items():
        reg = game.scenario.regions[rid]
        base = reg.population * reg.exposure * r.hazard * reg.vulnerability * f.need_scale
        need = {res: base * rule.need_weight for res, rule in game.rules.resources.items()}
        total = sum(need.values())
        met = sum(min(r.delivered[k], v) for k, v in need.items())
        active = total > 1e-9
        coverage = met / total if active else 1.0
        containment = (
            r.prevention + bonus[rid] + (coverage * f.coverage_containment if active else 0)
        )
        pre[rid] = {
            "need": need,
            "coverage": coverage,
            "active": active,
            "unmet": sum(max(0.0, v - r.delivered[k]) for k, v in need.items()),
            "waste": sum(max(0.0, r.delivered[k] - v) for k, v in need.items()),
            "containment": min(1.0, max(0.0, containment)),
        }
    out: dict[str, dict[str, Any]] = {}
    for rid, r in s.regions.items():
        p = pre[rid]
        spread = sum(
            link.k * s.regions[src].hazard * (1 - pre[src]["containment"])
            for src, reg in game.scenario.regions.items()
            for link in reg.links
            if link.to == rid
        )
        if r.border_closed:
            spread *= f.border_spread
        hazard = r.hazard * growth * (1 - f.mitigation * p["containment"]) + spread + noise[rid]
        if p["active"]:
            trust = r.trust + f.trust_recovery * p["coverage"] - f.trust_unmet * (1 - p["coverage"])
        else:
            trust = r.trust
        harm_added = f.harm_rate * p["unmet"] * (1 + f.harm_persistence * r.unmet_rounds)
        out[rid] = {
            "hazard": min(1.0, max(0.0, hazard)),
            "containment": p["containment"],
            "coverage": p["coverage"],
            "unmet": p["unmet"],
            "waste": p["waste"],
            "harm_added": harm_added,
            "harm": r.harm + harm_added,
            "trust": min(100.0, max(0.0, trust)),
            "unmet_rounds": r.unmet_rounds + 1 if p["active"] and p["coverage"] < 0.8 else 0,
            "delivered": {
                k: min(r.delivered[k], v) * (1 - f.consumption) for k, v in p["need"].items()
            },
        }
    return out


def resolve(play: Driver) -> tuple[ExerciseState, ev.RoundResolved, list[ev.Event]]:
    """End every remaining turn of the round; return (state before, RoundResolved, events)."""
    while True:
        last = play.state.active == play.state.order[-1]
        before = clone_state(play.state)
        events = play.end_turn()
        if last:
            return before, of(events, "round_resolved")[0], events


def check(game: Game, before: ExerciseState, resolved: ev.RoundResolved) -> None:
    """Assert every region's outcome matches the reference formulas."""
    noise = {rid: o.noise for rid, o in resolved.regions.items()}
    expected = reference(game, before, noise)
    for rid, o in resolved.regions.items():
        x = expected[rid]
        assert o.hazard == pytest.approx(x["hazard"], abs=1e-5), rid
        assert o.containment == pytest.approx(x["containment"], abs=1e-5), rid
        assert o.coverage == pytest.approx(x["coverage"], abs=1e-5), rid
        assert o.unmet == pytest.approx(x["unmet"], abs=1e-3), rid
        assert o.waste == pytest.approx(x["waste"], abs=1e-3), rid
        assert o.harm_added == pytest.approx(x["harm_added"], abs=1e-3), rid
        assert o.harm == pytest.approx(x["harm"], abs=1e-3), rid
        assert o.trust == pytest.approx(x["trust"], abs=1e-3), rid
        assert o.unmet_rounds == x["unmet_rounds"], rid
        assert o.delivered == pytest.approx(x["delivered"], abs=1e-3), rid
        # The new need follows the new hazard.
        reg = game.scenario.regions[rid]
        base = reg.population * reg.exposure * o.hazard * reg.vulnerability
        assert sum(o.need.values()) == pytest.approx(base * 0.13, abs=1e-3), rid


def test_quiet_round_by_hand(tiny: Driver) -> None:
    """Round 1 of the tiny scenario with nobody acting, computed by hand."""
    before, resolved, _ = resolve(tiny)
    up, down, far = (resolved.regions[r] for r in ("up", "down", "far"))
    assert before.regions["up"].hazard == pytest.approx(0.45)  # 0.4 + the 'alert' inject
    # hazard' = hazard * growth(1.25) * (1 - 0.6 * containment 0) + spread + noise
    assert up.hazard == pytest.approx(0.45 * 1.25 + up.noise)
    # spread up -> down: k 0.3 * 0.45 * (1 - 0)
    assert down.hazard == pytest.approx(0.1 * 1.25 + 0.3 * 0.45 + down.noise)
    assert abs(up.noise) <= 0.02 and abs(down.noise) <= 0.02
    assert far.noise == 0.0 and far.hazard == 0.0  # nothing grows from zero
    # need = population * exposure * hazard * vulnerability * need_weight (0.04 + 0.06 + 0.03)
    assert up.unmet == pytest.approx(100 * 0.5 * 0.45 * 0.5 * 0.13)
    assert up.coverage == 0.0 and up.unmet_rounds == 1
    assert up.harm_added == pytest.approx(0.5 * up.unmet, abs=1e-4)  # harm_rate, no persistence
    assert up.trust == pytest.approx(60 - 8)  # trust_unmet * (1 - coverage)
    assert far.trust == 70.0 and far.coverage == 1.0 and far.unmet_rounds == 0
    assert tiny.state.regions["up"].hazard == up.hazard
    assert tiny.state.regions["up"].need == up.need
    check(tiny.game, before, resolved)


def test_harm_grows_with_the_rounds_need_stays_unmet(tiny: Driver) -> None:
    resolve(tiny)
    before, resolved, _ = resolve(tiny)
    up = resolved.regions["up"]
    assert before.regions["up"].unmet_rounds == 1
    assert up.unmet_rounds == 2
    assert up.harm_added == pytest.approx(0.5 * up.unmet * (1 + 0.25 * 1), abs=1e-3)
    assert up.harm == pytest.approx(before.regions["up"].harm + up.harm_added, abs=1e-3)


def test_deliveries_raise_containment_and_oversupply_is_waste(tiny: Driver) -> None:
    tiny.act("deploy", region="up", resource="rescue", amount=10)  # need ~0.45: waste
    tiny.act("deploy", region="up", resource="supplies", amount=0.5)  # below need
    before, resolved, _ = resolve(tiny)
    up = resolved.regions["up"]
    need = 100 * 0.5 * 0.45 * 0.5
    met = need * 0.04 + 0.5
    assert up.coverage == pytest.approx(met / (need * 0.13), abs=1e-5)
    assert up.containment == pytest.approx(up.coverage * 0.6, abs=1e-5)
    assert up.waste == pytest.approx(10 - need * 0.04, abs=1e-3)
    assert tiny.state.regions["up"].waste == pytest.approx(up.waste, abs=1e-3)
    # delivered carries over, consumed by half, never above the need
    assert up.delivered["rescue"] == pytest.approx(need * 0.04 * 0.5, abs=1e-3)
    assert up.delivered["supplies"] == pytest.approx(0.25, abs=1e-3)
    check(tiny.game, before, resolved)


def test_closed_border_halves_incoming_spread(tiny: Driver) -> None:
    tiny.turn_to("town")
    tiny.act("local_protection", mode="close_border", region="down")
    before, resolved, _ = resolve(tiny)
    down = resolved.regions["down"]
    assert down.hazard == pytest.approx(0.1 * 1.25 + 0.5 * 0.3 * 0.45 + down.noise)
    check(tiny.game, before, resolved)
    # Borders reopen when the stage changes.
    assert tiny.state.stage == "outbreak"
    assert tiny.state.regions["down"].border_closed is False


def test_response_level_contains_every_region_in_the_span(tiny: Driver) -> None:
    tiny.act("activate_response", level="4")
    before, resolved, _ = resolve(tiny)
    assert resolved.regions["up"].containment == pytest.approx(4 * 0.03)
    assert resolved.regions["down"].containment == pytest.approx(4 * 0.03)
    assert resolved.regions["far"].containment == 0.0
    check(tiny.game, before, resolved)


def test_busy_round_matches_the_reference(play: Driver) -> None:
    """Many actions at once in the default scenario (response, deliveries, joint work)."""
    play.submit(cm.ForceStage(stage="outbreak", reason="joint operations are allowed"))
    play.act("activate_response", level="2")
    play.act("monitor", region="coastal_city")
    play.act("deploy", region="coastal_city", resource="rescue", amount=15)
    play.turn_to("a_em")
    play.propose(action="joint_operation", mechanism="joint_operation", parties=["a_em", "b_em"])
    play.turn_to("city")
    play.act("invest_prevention", region="coastal_city", amount=50)
    play.act("deploy", region="coastal_city", resource="supplies", amount=10)
    play.act("local_protection", mode="close_border", region="coastal_city")
    play.turn_to("b_em")
    play.answer("P1")
    play.act("deploy", region="jiang_plain", resource="medical", amount=4)
    before, resolved, _ = resolve(play)
    assert play.game.scenario.regions["coastal_city"].links[0].to == "reservoir"
    assert resolved.regions["reservoir"].containment > 0.06 - 1e-9  # joint operation bonus
    check(play.game, before, resolved)
    before, resolved, _ = resolve(play)  # and the next, quieter round
    check(play.game, before, resolved)


def test_resolution_is_deterministic_for_a_seed(tiny_game: Game) -> None:
    a, b, c = Driver(tiny_game), Driver(tiny_game), Driver(tiny_game, seed=99)
    for d in (a, b, c):
        d.next_round()
    noise = [
        {r: o.noise for r, o in of(d.events, "round_resolved")[0].regions.items()}
        for d in (a, b, c)
    ]
    assert noise[0] == noise[1]
    assert noise[0] != noise[2]


def test_joint_mechanism_shares_intel_unless_withheld(play: Driver) -> None:
    play.turn_to("a_water")
    play.propose(
        action="establish_joint_mechanism",
        mechanism="joint_mechanism",
        parties=["a_water", "b_em", "county"],
    )
    play.turn_to("b_em")
    play.answer("P1")
    play.act("local_protection", mode="withhold_data")
    play.turn_to("county")
    play.answer("P1")
    _, resolved, _ = resolve(play)
    hazards = {r: o.hazard for r, o in resolved.regions.items()}
    # b_em withholds: nobody learns its jiang_plain; it still receives the others' regions.
    assert resolved.intel == {
        "b_em": {"reservoir": hazards["reservoir"], "linhe": hazards["linhe"]},
        "county": {"reservoir": hazards["reservoir"]},
        "a_water": {"linhe": hazards["linhe"]},
    }
    assert play.state.agencies["county"].intel["reservoir"] == hazards["reservoir"]


def test_low_trust_fires_an_accountability_inject_once_per_stage(tiny: Driver) -> None:
    tiny.submit(cm.Adjudicate(target="regions.down.trust", value=35, reason="riots"))
    tiny.submit(cm.Adjudicate(target="regions.far.trust", value=10, reason="nobody's region"))
    _, _, events = resolve(tiny)
    fired = [e for e in of(events, "inject_fired") if e.inject.startswith("accountability")]
    assert [(e.inject, e.to, e.private, e.type) for e in fired] == [
        ("accountability.down.gestation.0", ["town"], True, "directive")
    ]
    assert "prov demands an explanation" in fired[0].text
    assert "accountability.down.gestation.0" in [i.ref for i in tiny.state.inbox["town"]]
    assert all(not i.ref.startswith("accountability") for i in tiny.state.inbox["prov"])
    _, _, events = resolve(tiny)  # outbreak round 1: a new stage, a new inject
    fired = [e.inject for e in of(events, "inject_fired") if e.inject.startswith("account")]
    assert fired == ["accountability.down.outbreak.0"]
    _, _, events = resolve(tiny)  # outbreak round 2: already held to account
    assert not [e for e in of(events, "inject_fired") if e.inject.startswith("accountability.down")]


def test_accountability_of_an_agency_without_superior_reads_well(tiny: Driver) -> None:
    # prov owns 'up' and has no superior: the public holds it to account.
    tiny.submit(cm.Adjudicate(target="regions.up.trust", value=20, reason="test"))
    _, _, events = resolve(tiny)
    (fired,) = [e for e in of(events, "inject_fired") if e.inject.startswith("accountability")]
    assert fired.inject == "accountability.up.gestation.0" and fired.to == ["prov"]
    assert ". The public demands an explanation" in fired.text
