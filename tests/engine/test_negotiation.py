"""Negotiation: proposals, answers, counters, agreements and commitment checks (DESIGN.md §2).

a_water moves before county in each round; county before c_em.
"""

from __future__ import annotations

import pytest
from tabletop_helpers import Driver, of

from tabletop.errors import IllegalCommand
from tabletop.model import commands as cm


def funds(amount: float = 20, due: int = 2) -> cm.CommitmentSpec:
    """a_water owes county ``amount`` funds by round ``due``."""
    return cm.CommitmentSpec(
        debtor="a_water", creditor="county", deliverable="funds", amount=amount, due_round=due
    )


def agree(play: Driver, *commitments: cm.CommitmentSpec, formalize: bool = False) -> None:
    """a_water proposes a compensation deal to county, which accepts (round 1)."""
    play.turn_to("a_water")
    play.propose(
        mechanism="compensation", parties=["a_water", "county"], commitments=list(commitments)
    )
    play.turn_to("county")
    events = play.answer("P1")
    assert of(events, "agreement_activated")
    if formalize:
        play.submit(cm.ForceStage(stage="continuation", reason="test formalization"))
        play.act("formalize_agreement", agreement="P1")


def test_proposal_reaches_the_parties(play: Driver) -> None:
    play.turn_to("a_water")
    events = play.propose(
        mechanism="compensation",
        parties=["a_water", "county"],
        commitments=[funds()],
        title="Linhe compensation",
    )
    made = of(events, "proposal_made")[0]
    assert (made.proposal, made.parent, made.version, made.cost) == ("P1", None, 1, 1)
    assert made.parties == ["a_water", "county"] and made.flags == []
    p = play.state.proposals["P1"]
    assert p.status == "open" and p.answers == {"a_water": True}
    assert [i.ref for i in play.state.inbox["county"] if i.kind == "proposal"] == ["P1"]
    assert play.state.agencies["a_water"].points == 2
    play.turn_to("county")
    assert play.option("accept_agreement").param("proposal").choices == ("P1",)


def test_the_proposer_is_added_to_the_parties(play: Driver) -> None:
    play.turn_to("a_water")
    made = of(
        play.propose(mechanism="regional_cooperation", parties=["county", "b_em"]),
        "proposal_made",
    )[0]
    assert made.parties == ["a_water", "county", "b_em"]


def test_all_accept_activates_the_agreement(play: Driver) -> None:
    play.turn_to("a_water")
    play.propose(mechanism="compensation", parties=["a_water", "county"], commitments=[funds()])
    play.turn_to("county")
    events = play.answer("P1")
    assert [e.kind for e in events] == ["proposal_answered", "agreement_activated"]
    assert events[0].accepted and events[0].cost == 0
    active = events[1]
    assert active.commitment_ids == ["P1.c1"] and active.paper is False
    assert play.state.proposals["P1"].status == "active"
    c = play.state.commitments["P1.c1"]
    assert (c.status, c.progress, c.spec.amount) == ("pending", 0.0, 20.0)


def test_agreement_waits_for_every_party(play: Driver) -> None:
    play.turn_to("a_water")
    play.propose(mechanism="regional_cooperation", parties=["a_water", "b_em", "county"])
    play.turn_to("b_em")
    assert [e.kind for e in play.answer("P1")] == ["proposal_answered"]
    assert play.state.proposals["P1"].status == "open"
    play.turn_to("county")
    assert of(play.answer("P1"), "agreement_activated")


def test_reject_closes_the_proposal(play: Driver) -> None:
    play.turn_to("a_water")
    play.propose(mechanism="compensation", parties=["a_water", "county"], commitments=[funds()])
    play.turn_to("county")
    events = play.answer("P1", accept=False)
    assert [e.kind for e in events] == ["proposal_answered", "proposal_closed"]
    assert events[1].status == "rejected"
    assert play.state.proposals["P1"].status == "rejected"
    assert play.state.commitments == {}
    with pytest.raises(IllegalCommand, match="not waiting for county's answer"):
        play.answer("P1")


def test_counter_supersedes_with_a_linked_version(play: Driver) -> None:
    play.turn_to("a_water")
    play.propose(mechanism="compensation", parties=["a_water", "county"], commitments=[funds()])
    play.turn_to("county")
    events = play.submit(
        cm.CounterProposal(agency="county", proposal="P1", commitments=[funds(amount=35)])
    )
    assert [e.kind for e in events] == ["proposal_made", "proposal_closed"]
    made, closed = events
    assert (made.proposal, made.parent, made.version, made.mechanism) == (
        "P2",
        "P1",
        2,
        "compensation",
    )
    assert made.action == "counter_agreement" and made.cost == 1
    assert (closed.proposal, closed.status) == ("P1", "superseded")
    assert play.state.proposals["P1"].status == "superseded"
    assert play.state.proposals["P2"].answers == {"county": True}
    # The original proposer must now accept the new version.
    play.turn_to("a_water")
    assert play.option("accept_agreement").param("proposal").choices == ("P2",)
    events = play.answer("P2")
    assert of(events, "agreement_activated")[0].commitment_ids == ["P2.c1"]
    assert play.state.commitments["P2.c1"].spec.amount == 35.0


def test_paper_agreement_is_flagged(play: Driver) -> None:
    play.turn_to("a_water")
    made = of(
        play.propose(mechanism="regional_cooperation", parties=["a_water", "county"]),
        "proposal_made",
    )[0]
    assert made.flags == ["paper_cooperation"]
    play.turn_to("county")
    active = of(play.answer("P1"), "agreement_activated")[0]
    assert active.paper is True and active.commitment_ids == []
    assert play.state.proposals["P1"].paper is True


def test_joint_mechanism_needs_three_parties(play: Driver) -> None:
    with pytest.raises(IllegalCommand, match="a joint_mechanism needs at least 3 parties"):
        play.propose(
            action="establish_joint_mechanism", mechanism="joint_mechanism", parties=["mem", "a_em"]
        )


def test_a_fixed_mechanism_action_overrides_the_mechanism(play: Driver) -> None:
    play.to_stage("outbreak")
    made = of(
        play.propose(
            action="joint_operation", mechanism="regional_cooperation", parties=["mem", "a_em"]
        ),
        "proposal_made",
    )[0]
    assert made.mechanism == "joint_operation" and made.action == "joint_operation"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"debtor": "c_em", "creditor": "county", "deliverable": "funds", "amount": 5},
            "commitment 1: debtor 'c_em' is not a party",
        ),
        (
            {"debtor": "a_water", "creditor": "a_water", "deliverable": "funds", "amount": 5},
            "commitment 1: debtor and creditor must differ",
        ),
        (
            {"debtor": "a_water", "creditor": "county", "deliverable": "funds", "amount": 0},
            "commitment 1: the amount must be more than 0",
        ),
        (
            {"debtor": "a_water", "creditor": "county", "deliverable": "deliver", "amount": 2},
            "commitment 1: choose the resource to deliver",
        ),
        (
            {
                "debtor": "a_water",
                "creditor": "county",
                "deliverable": "information",
                "region": "mars",
            },
            "commitment 1: unknown region 'mars'",
        ),
        (
            {"debtor": "a_water", "creditor": "county", "deliverable": "action", "action": "fly"},
            "commitment 1: unknown action 'fly'",
        ),
    ],
)
def test_bad_commitments_are_refused(play: Driver, spec: dict, message: str) -> None:
    play.turn_to("a_water")
    with pytest.raises(IllegalCommand) as info:
        play.propose(
            mechanism="compensation",
            parties=["a_water", "county"],
            commitments=[cm.CommitmentSpec(due_round=2, **spec)],
        )
    assert str(info.value) == message


def test_a_commitment_due_in_the_past_is_refused(play: Driver) -> None:
    play.next_round()
    play.turn_to("a_water")
    with pytest.raises(IllegalCommand, match="commitment 1: due round 1 has passed"):
        play.propose(
            mechanism="compensation", parties=["a_water", "county"], commitments=[funds(due=1)]
        )


def resolve_due(play: Driver) -> list:
    """Play to the end of round 2 and return its commitment_resolved events."""
    events = []
    while play.state.round <= 2 and play.state.phase == "running":
        events += play.next_round()
    return of(events, "commitment_resolved")


def test_honoured_commitment_raises_reputation(play: Driver) -> None:
    agree(play, funds(20))
    play.turn_to("a_water")  # round 2
    e = play.act("compensate", target="county", amount=20)
    assert e.progress == {"P1.c1": 20.0}
    rep = play.state.agencies["a_water"].reputation
    (resolved,) = resolve_due(play)
    assert (resolved.status, resolved.share, resolved.formalized) == ("honoured", 1.0, False)
    assert resolved.changes == {"agencies.a_water.reputation": rep + 5}
    assert play.state.commitments["P1.c1"].status == "honoured"


def test_partial_commitment_costs_half_the_broken_penalty(play: Driver) -> None:
    agree(play, funds(20))
    play.turn_to("a_water")
    play.act("compensate", target="county", amount=12)  # share 0.6
    rep = play.state.agencies["a_water"].reputation
    (resolved,) = resolve_due(play)
    assert (resolved.status, resolved.share) == ("partial", 0.6)
    assert resolved.changes == {"agencies.a_water.reputation": rep - 5}


def test_broken_commitment_costs_reputation_and_the_creditors_trust(play: Driver) -> None:
    agree(play, funds(20))
    play.turn_to("c_em")
    rep = play.state.agencies["a_water"].reputation
    events = play.next_round()  # end of round 1: not due yet
    assert of(events, "commitment_resolved") == []
    play.turn_to("c_em")
    trust_before = play.state.regions["linhe"].trust
    events = play.next_round()
    (resolved,) = of(events, "commitment_resolved")
    trust_after_round = of(events, "round_resolved")[0].regions["linhe"].trust
    assert (resolved.status, resolved.share) == ("broken", 0.0)
    assert resolved.changes["agencies.a_water.reputation"] == rep - 10
    assert resolved.changes["regions.linhe.trust"] == pytest.approx(trust_after_round - 3)
    assert play.state.regions["linhe"].trust == pytest.approx(trust_after_round - 3)
    assert trust_before != trust_after_round  # the round's own trust change came first


def test_formalized_commitments_count_double(play: Driver) -> None:
    agree(play, funds(20, due=2), funds(30, due=2), formalize=True)
    play.turn_to("a_water")
    play.act("compensate", target="county", amount=20)  # honours c1, nothing towards c2
    rep = play.state.agencies["a_water"].reputation
    first, second = resolve_due(play)
    assert (first.status, first.formalized) == ("honoured", True)
    assert first.changes["agencies.a_water.reputation"] == rep + 10
    # c2 got the same 20 (funds to the creditor count for each), 20/30 = partial
    assert second.status == "partial"
    assert second.changes["agencies.a_water.reputation"] == rep + 10 - 10


def test_formalized_broken_commitment_doubles_the_trust_loss(play: Driver) -> None:
    agree(play, funds(20, due=2), formalize=True)
    events = []
    while play.state.round <= 2:
        events += play.next_round()
    (resolved,) = of(events, "commitment_resolved")
    trust = [e for e in events if e.kind == "round_resolved"][-1].regions["linhe"].trust
    assert resolved.status == "broken" and resolved.formalized
    assert resolved.changes["regions.linhe.trust"] == pytest.approx(trust - 6)


def test_delivery_commitment_progresses_with_deployments(play: Driver) -> None:
    play.turn_to("b_em")
    play.propose(
        mechanism="regional_cooperation",
        parties=["b_em", "county"],
        commitments=[
            cm.CommitmentSpec(
                debtor="b_em",
                creditor="county",
                deliverable="deliver",
                resource="rescue",
                region="linhe",
                amount=4,
                due_round=2,
            )
        ],
    )
    play.turn_to("county")
    play.answer("P1")
    play.turn_to("b_em")
    assert play.act("deploy", region="jiang_plain", resource="rescue", amount=2).progress == {}
    assert play.act("deploy", region="linhe", resource="supplies", amount=2).progress == {}
    e = play.act("deploy", region="linhe", resource="rescue", amount=4)
    assert e.progress == {"P1.c1": 4.0}
    assert [r.status for r in resolve_due(play)] == ["honoured"]


def test_action_commitment_is_honoured_by_that_action(play: Driver) -> None:
    play.turn_to("a_water")
    play.propose(
        mechanism="regional_cooperation",
        parties=["a_water", "county"],
        commitments=[
            cm.CommitmentSpec(
                debtor="county",
                creditor="a_water",
                deliverable="action",
                action="public_release",
                region="linhe",
                due_round=1,
            )
        ],
    )
    play.turn_to("county")
    play.answer("P1")
    assert play.act("public_release", region="linhe").progress == {"P1.c1": 1.0}
    (resolved,) = of(play.next_round(), "commitment_resolved")
    assert resolved.status == "honoured"


def _agree_information(play: Driver) -> None:
    """a_water owes county information on the reservoir by round 2; back at a_water's turn."""
    play.turn_to("a_water")
    play.propose(
        mechanism="regional_cooperation",
        parties=["a_water", "county"],
        commitments=[
            cm.CommitmentSpec(
                debtor="a_water",
                creditor="county",
                deliverable="information",
                region="reservoir",
                due_round=2,
            )
        ],
    )
    play.turn_to("county")
    play.answer("P1")
    play.turn_to("a_water")


def test_information_commitment_needs_the_creditor_to_get_it(play: Driver) -> None:
    _agree_information(play)
    # Shared with b_health, not with the creditor county: nothing towards the commitment.
    e = play.act("share_information", target="b_health", region="reservoir")
    assert e.progress == {}


def test_information_commitment_honoured_by_sharing_with_the_creditor(play: Driver) -> None:
    _agree_information(play)
    e = play.act("share_information", target="county", region="reservoir")
    assert e.progress == {"P1.c1": 1.0}
    assert [r.status for r in resolve_due(play)] == ["honoured"]
