"""What one agency may see (agency_view) and what the public sees (public_regions)."""

from __future__ import annotations

import pytest
from tabletop_helpers import Driver

from tabletop.engine import agency_view, public_regions
from tabletop.engine.view import public_inbox
from tabletop.model import commands as cm


def regions(play: Driver, agency: str) -> dict:
    """Region id -> RegionView for ``agency``."""
    return {r.id: r for r in agency_view(play.game, play.state, agency).regions}


def test_view_hides_other_agencies_private_injects(play: Driver) -> None:
    water = agency_view(play.game, play.state, "a_water")
    county = agency_view(play.game, play.state, "county")
    assert [i.ref for i in water.inbox] == ["forecast", "reservoir_level"]
    assert [i.ref for i in county.inbox] == ["forecast"]
    assert [i.ref for i in public_inbox(play.state)] == ["forecast"]


def test_view_shows_own_figures_and_hides_unknown_regions(play: Driver) -> None:
    seen = regions(play, "county")
    linhe, city = seen["linhe"], seen["coastal_city"]
    assert linhe.own and linhe.known
    assert linhe.hazard == play.state.regions["linhe"].hazard
    assert linhe.need is not None and linhe.harm == 0.0 and linhe.containment == 0.0
    assert not city.own and not city.known
    assert (city.hazard, city.need, city.delivered, city.harm, city.containment) == (
        None,
        None,
        None,
        None,
        None,
    )
    # Trust and warnings are public.
    assert city.trust == 62.0 and city.warning is None


def test_superior_sees_subordinate_regions_only_through_reports(play: Driver) -> None:
    assert regions(play, "mem")["reservoir"].hazard is None
    play.turn_to("a_water")
    truth = play.state.regions["reservoir"].hazard
    play.act("report_up", region="reservoir", accuracy=0.5)
    seen = regions(play, "mem")["reservoir"]
    assert seen.known and not seen.own
    assert seen.hazard == pytest.approx(truth * 0.5)  # what it was told, not the truth
    assert seen.need is None  # second-hand: only the hazard figure


def test_monitoring_reveals_a_region(play: Driver) -> None:
    play.act("monitor", region="province_c")
    seen = regions(play, "mem")["province_c"]
    assert seen.known and seen.hazard == 0.0


def test_view_lists_only_the_agencys_proposals_and_commitments(play: Driver) -> None:
    play.turn_to("a_water")
    play.propose(
        mechanism="compensation",
        parties=["a_water", "county"],
        commitments=[
            cm.CommitmentSpec(
                debtor="a_water", creditor="county", deliverable="funds", amount=5, due_round=2
            )
        ],
    )
    play.turn_to("county")
    play.answer("P1")
    county = agency_view(play.game, play.state, "county")
    city = agency_view(play.game, play.state, "city")
    assert [p.id for p in county.proposals] == ["P1"]
    assert [c.id for c in county.commitments] == ["P1.c1"]
    assert city.proposals == [] and city.commitments == []


def test_view_carries_the_agencys_own_numbers(play: Driver) -> None:
    v = agency_view(play.game, play.state, "mem")
    assert (v.name, v.level, v.points, v.budget, v.reputation) == (
        "Ministry of Emergency Management",
        "central",
        3,
        500.0,
        50.0,
    )
    assert v.resources == {"rescue": 20.0, "supplies": 30.0, "medical": 10.0}
    v.resources["rescue"] = 0  # a copy: the state is untouched
    assert play.state.agencies["mem"].resources["rescue"] == 20.0


def test_public_regions_show_only_trust_and_warnings(play: Driver) -> None:
    play.turn_to("city")
    play.act("issue_warning", region="coastal_city", level="yellow")
    views = {r.id: r for r in public_regions(play.game, play.state)}
    city = views["coastal_city"]
    assert city.warning == "yellow" and city.trust == 66.0
    assert all(r.hazard is None and not r.known for r in views.values())
