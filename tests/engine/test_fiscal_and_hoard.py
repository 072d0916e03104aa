"""Fiscal capacity (region ``development``) and hoarding change the world (issue 13, item 2)."""

from __future__ import annotations

import pytest
from tabletop_helpers import Driver, of

from tabletop.engine.evolve import evolve
from tabletop.engine.formulas import budget_recovery, development, displacement
from tabletop.engine.game import Game
from tabletop.engine.resolve import region_outcomes
from tabletop.errors import IllegalCommand
from tabletop.model import commands as cm
from tabletop.model.state import clone_state


def test_development_is_the_mean_of_the_agencys_own_regions(game: Game) -> None:
    assert development(game, "county") == pytest.approx(0.3)
    # The ministry holds no region itself: the mean of the regions under it.
    span = game.span["mem"]
    devs = [game.scenario.regions[r].development for r in span]
    assert development(game, "mem") == pytest.approx(sum(devs) / len(devs))


def test_budget_recovers_by_development_up_to_the_initial_budget(play: Driver) -> None:
    play.turn_to("city")
    play.act("invest_prevention", region="coastal_city", amount=30)  # 90 of 120 left
    play.turn_to("county")
    play.act("invest_prevention", region="linhe", amount=30)  # 10 of 40 left
    events = play.next_round()
    (resolved,) = of(events, "round_resolved")
    # county: 10 + 0.05 x 0.3 x 40 = 10.6; city: 90 + 0.05 x 0.7 x 120 = 94.2
    assert resolved.changes["agencies.county.budget"] == pytest.approx(10.6)
    assert resolved.changes["agencies.city.budget"] == pytest.approx(94.2)
    assert "agencies.mem.budget" not in resolved.changes  # untouched: nothing to recover
    assert play.state.agencies["county"].budget == pytest.approx(10.6)


def test_recovery_never_exceeds_the_initial_budget(play: Driver) -> None:
    s = clone_state(play.state)
    s.agencies["city"].budget = 119.9
    assert budget_recovery(play.game, s)["agencies.city.budget"] == 120.0


def test_funds_are_worth_more_to_a_poor_region(play: Driver) -> None:
    play.turn_to("c_em")
    play.act("transfer_payment", target="county", amount=10)  # Linhe: development 0.3
    play.act("transfer_payment", target="city", amount=10)  # Haizhou: development 0.7
    assert play.state.agencies["county"].budget == pytest.approx(40 + 13.5)
    assert play.state.agencies["city"].budget == pytest.approx(120 + 11.5)


def test_hoarding_withholds_resources_from_neighbours(play: Driver) -> None:
    play.turn_to("county")
    before = play.option("deploy").param("region").choices
    assert "reservoir" in before
    play.act("local_protection", mode="hoard")
    assert play.state.agencies["county"].hoarding
    assert play.option("deploy").param("region").choices == ("linhe",)
    with pytest.raises(IllegalCommand):
        play.submit(
            cm.TakeAction(
                agency="county", action="deploy", region="reservoir", resource="rescue", amount=1
            )
        )
    play.next_round()
    assert not play.state.agencies["county"].hoarding  # for one round only


def test_hoarding_displaces_need_across_the_links(play: Driver) -> None:
    g = play.game
    s = clone_state(play.state)
    s.agencies["county"].hoarding = True
    moved = displacement(g, s)
    n = g.need_base["linhe"] * s.regions["linhe"].hazard
    # Linhe is linked from the reservoir (k 0.35) and from the Jiang plain (k 0.1).
    assert moved["reservoir"] == pytest.approx(0.5 * 0.35 * n)
    assert moved["jiang_plain"] == pytest.approx(0.5 * 0.1 * n)
    assert moved["linhe"] == pytest.approx(-0.5 * 0.45 * n)
    assert sum(moved.values()) == pytest.approx(0.0)
    plain = region_outcomes(g, play.state)
    hoarded = region_outcomes(g, s)
    assert hoarded["linhe"]["unmet"] < plain["linhe"]["unmet"]
    assert hoarded["reservoir"]["unmet"] > plain["reservoir"]["unmet"]
    assert hoarded["reservoir"]["displaced"]["rescue"] > 0
    assert "displaced" not in plain["reservoir"]


def test_the_displacement_is_journaled_and_replays(play: Driver) -> None:
    play.turn_to("county")
    play.act("local_protection", mode="hoard")
    events = play.next_round()
    (resolved,) = of(events, "round_resolved")
    assert resolved.regions["reservoir"].displaced["supplies"] > 0
    assert resolved.regions["linhe"].displaced["supplies"] < 0
    from tabletop.engine.evolve import initial_state

    s = initial_state(play.game)
    for e in play.events:
        evolve(s, e)
    assert s.regions["reservoir"].unmet == play.state.regions["reservoir"].unmet


def test_money_is_kept_in_cents_so_the_shown_budget_can_be_spent(play: Driver) -> None:
    """A budget after recovery or a fund has at most two decimals (what the screen shows)."""
    s = clone_state(play.state)
    s.agencies["county"].budget = 10.05  # 10.05 + 0.05 x 0.3 x 40 = 10.65
    s.agencies["city"].budget = 1.003  # 1.003 + 4.2 = 5.203 -> 5.2
    changes = budget_recovery(play.game, s)
    assert changes["agencies.city.budget"] == 5.2
    assert all(round(v, 2) == v for v in changes.values())
    play.turn_to("c_em")
    play.act("transfer_payment", target="county", amount=3.33)  # worth 3.33 x 1.35 = 4.4955
    budget = play.state.agencies["county"].budget
    assert budget == round(budget, 2) == pytest.approx(40 + 4.5)
    play.turn_to("county")
    play.act("invest_prevention", region="linhe", amount=budget)  # all of it, as shown
    assert play.state.agencies["county"].budget == 0
