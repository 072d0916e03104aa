"""Each catalogue action's effect on the state (default scenario, standard rule pack).

Turn order of the default scenario: mem, a_em, a_water, city, b_em, b_health, county, c_em.
"""

from __future__ import annotations

import pytest
from tabletop_helpers import Driver, of

from tabletop.errors import IllegalCommand
from tabletop.model import commands as cm


def test_monitor_gives_current_intel_and_costs_a_point(play: Driver) -> None:
    hazard = play.state.regions["linhe"].hazard
    e = play.act("monitor", region="linhe")
    assert e.intel == {"mem": {"linhe": hazard}}
    assert e.cost == 1 and "information" in e.tags
    mem = play.state.agencies["mem"]
    assert mem.intel["linhe"] == hazard
    assert mem.intel_round["linhe"] == play.state.round == 1
    assert mem.points == 2


@pytest.mark.parametrize(("accuracy", "flags", "reputation"), [(1.0, [], 51.0), (0.9, [], 50.0)])
def test_report_up_accurate_is_not_concealment(
    play: Driver, accuracy: float, flags: list[str], reputation: float
) -> None:
    play.turn_to("a_water")
    truth = play.state.regions["reservoir"].hazard
    e = play.act("report_up", region="reservoir", accuracy=accuracy)
    assert e.flags == flags
    assert e.target == "mem"
    assert e.intel == {"mem": {"reservoir": pytest.approx(truth * accuracy)}}
    # self.reputation += 1 - 10 * (1 - accuracy)
    assert play.state.agencies["a_water"].reputation == pytest.approx(reputation)


def test_report_up_understated_flags_concealment_and_misinforms_the_superior(
    play: Driver,
) -> None:
    play.turn_to("a_water")
    truth = play.state.regions["reservoir"].hazard
    e = play.act("report_up", region="reservoir", accuracy=0.5)
    assert e.flags == ["concealment"]
    assert "vertical" in e.tags and "horizontal" not in e.tags
    assert play.state.agencies["mem"].intel["reservoir"] == pytest.approx(truth * 0.5)
    assert play.state.agencies["mem"].intel["reservoir"] < truth
    assert play.state.agencies["a_water"].reputation == pytest.approx(50 + 1 - 10 * 0.5)


def test_share_information_passes_what_the_giver_knows(play: Driver) -> None:
    play.turn_to("a_water")
    hazard = play.state.regions["reservoir"].hazard
    e = play.act("share_information", target="county", region="reservoir")
    assert e.intel == {"county": {"reservoir": hazard}}
    assert "horizontal" in e.tags
    assert play.state.agencies["county"].intel_round["reservoir"] == 1
    assert play.state.agencies["a_water"].reputation == 51.0


def test_share_information_up_the_chain_is_tagged_vertical(play: Driver) -> None:
    play.turn_to("city")
    e = play.act("share_information", target="a_em", region="coastal_city")
    assert "vertical" in e.tags and "horizontal" not in e.tags


@pytest.mark.parametrize(
    ("level", "flags", "trust_delta", "prevention_delta"),
    [
        ("yellow", [], 4.0, 0.05),  # hazard 0.35 calls for yellow: fit 0
        ("blue", [], 1.0, 0.01),  # fit -1
        ("orange", [], 1.0, 0.05),  # fit +1
        ("red", ["over_warning"], -2.0, 0.05),  # fit +2
    ],
)
def test_issue_warning_fit_and_flags(
    play: Driver,
    level: str,
    flags: list[str],
    trust_delta: float,
    prevention_delta: float,
) -> None:
    play.turn_to("city")
    region = play.state.regions["coastal_city"]
    assert region.hazard == pytest.approx(0.35)
    trust, prevention = region.trust, region.prevention
    e = play.act("issue_warning", region="coastal_city", level=level)
    assert e.flags == flags
    # region.trust += 4 - 3 * abs(fit); region.prevention += 0.05 if fit >= 0 else 0.01
    assert region.trust == pytest.approx(trust + trust_delta)
    assert region.prevention == pytest.approx(prevention + prevention_delta)
    assert region.warning == level


def test_issue_warning_far_below_the_hazard_is_under_warning(play: Driver) -> None:
    play.submit(cm.Adjudicate(target="regions.coastal_city.hazard", value=0.8, reason="test"))
    play.turn_to("city")
    e = play.act("issue_warning", region="coastal_city", level="blue")  # red is due: fit -3
    assert e.flags == ["under_warning"]
    assert play.state.regions["coastal_city"].trust == pytest.approx(62 + 4 - 9)


def test_public_release_raises_trust(play: Driver) -> None:
    play.turn_to("city")
    play.act("public_release", region="coastal_city")
    assert play.state.regions["coastal_city"].trust == 67.0


def test_deploy_moves_stock_and_delivers_in_full_with_intel(play: Driver) -> None:
    play.turn_to("city")
    e = play.act("deploy", region="coastal_city", resource="rescue", amount=3)
    assert e.flags == []
    assert play.state.agencies["city"].resources["rescue"] == 5.0
    assert play.state.regions["coastal_city"].delivered["rescue"] == 3.0
    assert play.state.deployed == {"coastal_city": {"rescue": {"city": 3.0}}}


def test_deploy_without_intel_is_blind_and_halved(play: Driver) -> None:
    e = play.act("deploy", region="linhe", resource="rescue", amount=4)
    assert e.flags == ["blind_deployment"]
    assert play.state.agencies["mem"].resources["rescue"] == 16.0
    assert play.state.regions["linhe"].delivered["rescue"] == 2.0


def test_deploy_after_monitoring_is_not_blind(play: Driver) -> None:
    play.act("monitor", region="linhe")
    e = play.act("deploy", region="linhe", resource="rescue", amount=4)
    assert e.flags == []
    assert play.state.regions["linhe"].delivered["rescue"] == 4.0


def test_monitoring_stays_current_for_the_next_round_only(play: Driver) -> None:
    play.act("monitor", region="linhe")
    play.next_round()
    e = play.act("deploy", region="linhe", resource="rescue", amount=2)
    assert e.flags == []
    play.next_round()
    e = play.act("deploy", region="linhe", resource="rescue", amount=2)
    assert e.flags == ["blind_deployment"]


def test_deploy_more_than_the_chosen_resource_is_refused(play: Driver) -> None:
    # mem holds 30 supplies but only 10 medical teams.
    with pytest.raises(IllegalCommand, match="more than the 10 medical you hold"):
        play.act("deploy", region="linhe", resource="medical", amount=11)
    assert play.state.agencies["mem"].resources["medical"] == 10.0


def test_invest_prevention_spends_budget_for_prevention(play: Driver) -> None:
    play.turn_to("city")
    play.act("invest_prevention", region="coastal_city", amount=50)
    assert play.state.agencies["city"].budget == 70.0
    # region.prevention += amount * 0.004
    assert play.state.regions["coastal_city"].prevention == pytest.approx(0.2)
    assert play.state.deployed["coastal_city"]["prevention"] == {"city": 50.0}


def test_request_support_creates_a_request_a_deploy_fulfils(play: Driver) -> None:
    play.turn_to("county")
    e = play.act("request_support", target="c_em", region="linhe", resource="rescue", amount=3)
    assert e.tags == ["resource", "horizontal"]
    q = play.state.requests["Q1"]
    assert (q.requester, q.target, q.region, q.resource, q.amount, q.fulfilled) == (
        "county",
        "c_em",
        "linhe",
        "rescue",
        3.0,
        0.0,
    )
    assert [i.ref for i in play.state.inbox["c_em"] if i.kind == "request"] == ["Q1"]
    play.turn_to("c_em")
    d = play.act("deploy", region="linhe", resource="rescue", amount=3)
    assert d.fulfils == {"Q1": 3.0}
    assert play.state.requests["Q1"].fulfilled == 3.0


def test_request_support_upward_is_vertical(play: Driver) -> None:
    play.turn_to("county")
    e = play.act("request_support", target="b_em", region="linhe", resource="rescue", amount=3)
    assert "vertical" in e.tags


def test_one_deploy_does_not_fulfil_two_requests_twice(play: Driver) -> None:
    play.turn_to("county")
    play.act("request_support", target="c_em", region="linhe", resource="rescue", amount=3)
    play.act("request_support", target="c_em", region="linhe", resource="rescue", amount=2)
    play.turn_to("c_em")
    play.act("deploy", region="linhe", resource="rescue", amount=3)
    fulfilled = sum(q.fulfilled for q in play.state.requests.values())
    assert fulfilled == 3.0


def test_local_protection_close_border(play: Driver) -> None:
    play.turn_to("city")
    e = play.act("local_protection", mode="close_border", region="coastal_city")
    assert e.flags == ["local_protectionism"] and e.tags == ["defect"]
    assert play.state.regions["coastal_city"].border_closed is True
    assert play.state.agencies["city"].reputation == 45.0


def test_local_protection_close_border_needs_a_region(play: Driver) -> None:
    play.turn_to("city")
    with pytest.raises(IllegalCommand, match="choose the region to close"):
        play.act("local_protection", mode="close_border")


def test_local_protection_withhold_data_until_sharing_again(play: Driver) -> None:
    play.turn_to("a_water")
    play.act("local_protection", mode="withhold_data")
    assert play.state.agencies["a_water"].withholding is True
    play.act("share_information", target="county", region="reservoir")
    assert play.state.agencies["a_water"].withholding is False


def test_local_protection_hoard_only_flags(play: Driver) -> None:
    play.turn_to("city")
    before = play.state.agencies["city"].resources.copy()
    e = play.act("local_protection", mode="hoard")
    assert e.flags == ["local_protectionism"]
    assert play.state.agencies["city"].resources == before


def test_activate_response_sets_the_level(play: Driver) -> None:
    e = play.act("activate_response", level="3")
    assert e.amount == 3.0
    assert play.state.agencies["mem"].response_level == 3
    assert play.state.agencies["mem"].reputation == 51.0


def test_directive_complied_sets_directed_by_and_resolves_complied(play: Driver) -> None:
    events = play.submit(
        cm.TakeAction(
            agency="mem",
            action="directive",
            target="a_water",
            order="report_up",
            region="reservoir",
        )
    )
    issued = of(events, "directive_issued")[0]
    assert (issued.directive, issued.issuer, issued.target, issued.action) == (
        "D1",
        "mem",
        "a_water",
        "report_up",
    )
    assert issued.due_round == 2 and not issued.counterpart
    assert [i.ref for i in play.state.inbox["a_water"] if i.kind == "directive"] == ["D1"]
    play.turn_to("a_water")
    e = play.act("report_up", region="reservoir")
    assert e.directed_by == "D1"
    assert play.state.directives["D1"].status == "complied"
    play.next_round()
    events = play.next_round()  # due round 2 ends
    resolved = of(events, "directive_resolved")
    assert [(r.directive, r.status) for r in resolved] == [("D1", "complied")]


def test_directive_ignored_resolves_ignored_at_its_due_round(play: Driver) -> None:
    play.act("directive", target="county", order="monitor")
    assert of(play.next_round(), "directive_resolved") == []
    resolved = of(play.next_round(), "directive_resolved")
    assert [(r.directive, r.target, r.status) for r in resolved] == [("D1", "county", "ignored")]
    assert play.state.directives["D1"].status == "ignored"


def test_directive_for_another_region_is_not_compliance(play: Driver) -> None:
    play.act("directive", target="city", order="public_release", region="reservoir")
    play.turn_to("city")
    e = play.act("public_release", region="coastal_city")
    assert e.directed_by is None


def test_special_funds_flags_funds_before_local_budget(play: Driver) -> None:
    e = play.act("special_funds", target="county", amount=10)
    assert e.flags == ["funds_before_local_budget"]
    assert play.state.agencies["mem"].budget == 490.0
    # Linhe's development is 0.3: 10 is worth 10 x (1 + 0.5 x 0.7) = 13.5 to the county.
    assert play.state.agencies["county"].budget == 53.5
    assert "vertical" in e.tags


def test_special_funds_after_local_budget_is_used_is_not_flagged(play: Driver) -> None:
    play.turn_to("county")
    play.act("invest_prevention", region="linhe", amount=25)  # 15 of 40 left
    play.turn_to("mem")
    e = play.act("special_funds", target="county", amount=10)
    assert e.flags == []
    # 15 left, + 0.05 x 0.3 x 40 = 0.6 recovered at the round's end, + 10 worth 13.5.
    assert play.state.agencies["county"].budget == 29.1


def test_transfer_payment_moves_budget(play: Driver) -> None:
    play.turn_to("a_water")
    e = play.act("transfer_payment", target="county", amount=20)
    assert (play.state.agencies["a_water"].budget, play.state.agencies["county"].budget) == (
        130.0,
        67.0,  # 20 is worth 20 x (1 + 0.5 x (1 - 0.3)) to Linhe
    )
    assert e.flags == []


def test_assign_counterpart_orders_a_donor_to_deploy(play: Driver) -> None:
    events = play.submit(
        cm.TakeAction(agency="mem", action="assign_counterpart", target="c_em", region="linhe")
    )
    issued = of(events, "directive_issued")[0]
    assert issued.counterpart and issued.action == "deploy" and issued.region == "linhe"
    assert play.state.counterparts == [("c_em", "linhe")]
    play.turn_to("c_em")
    e = play.act("deploy", region="linhe", resource="rescue", amount=5)
    assert e.directed_by == "D1"
    assert play.state.directives["D1"].status == "complied"


def test_compensate_moves_budget_and_raises_reputation(play: Driver) -> None:
    play.turn_to("a_water")
    play.act("compensate", target="county", amount=15)
    assert play.state.agencies["a_water"].budget == 135.0
    assert play.state.agencies["county"].budget == 55.0
    assert play.state.agencies["a_water"].reputation == 52.0


def test_set_rule_and_joint_review_in_recovery(play: Driver) -> None:
    play.submit(cm.ForceStage(stage="recovery", reason="test"))
    play.turn_to("city")
    prevention = play.state.regions["coastal_city"].prevention
    play.act("set_rule", region="coastal_city")
    assert play.state.agencies["city"].reputation == 52.0
    assert play.state.regions["coastal_city"].prevention == pytest.approx(prevention + 0.05)
    play.act("joint_review", target="county")
    assert play.state.agencies["city"].reputation == 54.0
    assert play.state.agencies["county"].reputation == 51.0


def test_formalize_marks_the_agreement(play: Driver) -> None:
    play.submit(cm.ForceStage(stage="continuation", reason="test"))
    play.turn_to("a_water")
    commitment = cm.CommitmentSpec(
        debtor="a_water", creditor="county", deliverable="funds", amount=10, due_round=2
    )
    play.propose(mechanism="compensation", parties=["a_water", "county"], commitments=[commitment])
    play.turn_to("county")
    play.answer("P1")
    assert play.option("formalize_agreement").param("agreement").choices == ("P1",)
    e = play.act("formalize_agreement", agreement="P1")
    assert e.flags == []
    assert play.state.proposals["P1"].formalized is True
    assert play.state.agencies["county"].reputation == 52.0


def test_formalizing_a_paper_agreement_is_flagged(play: Driver) -> None:
    play.submit(cm.ForceStage(stage="continuation", reason="test"))
    play.turn_to("a_water")
    play.propose(mechanism="regional_cooperation", parties=["a_water", "county"])
    play.turn_to("county")
    play.answer("P1")
    e = play.act("formalize_agreement", agreement="P1")
    assert e.flags == ["paper_cooperation"]


def test_pass_ends_the_turn_without_an_action(play: Driver) -> None:
    events = play.submit(cm.TakeAction(agency="mem", action="pass"))
    assert [e.kind for e in events] == ["turn_ended", "turn_started"]
    assert events[0].points_left == 3
    assert play.state.active == "a_em"
    assert play.state.agencies["mem"].points == 0


def test_end_turn_of_the_last_agency_resolves_the_round(play: Driver) -> None:
    play.turn_to("c_em")
    kinds = [e.kind for e in play.end_turn()]
    assert kinds[:2] == ["turn_ended", "round_resolved"]
    assert kinds[-1] == "turn_started"
    assert play.state.round == 2 and play.state.active == "mem"


def test_directive_to_propose_is_complied_by_proposing(play: Driver) -> None:
    assert "propose_agreement" in play.option("directive").param("order").choices
    play.act("directive", target="a_water", order="propose_agreement")
    play.turn_to("a_water")
    play.propose(mechanism="compensation", parties=["a_water", "county"])
    assert play.state.directives["D1"].status == "complied"
