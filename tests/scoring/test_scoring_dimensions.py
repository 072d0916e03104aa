"""Scores of hand-played journals with known answers (tabletop.scoring)."""

from __future__ import annotations

import pytest
from scoring_quad import Play, dim, quad

from tabletop.model import commands as cm
from tabletop.scoring import act_credits, counterfactual, evaluate, score_exercise
from tabletop.scoring.facts import Act


def test_agency_that_only_cooperates_when_ordered_scores_zero_on_initiative() -> None:
    p = Play()
    p.act("boss", "directive", target="west", order="share_information")
    p.act("east", "share_information", target="west", region="east_r")
    seq = p.act("west", "share_information", target="east", region="west_r")
    p.next_round()
    e = p.evaluate()
    assert p.records[seq - 1].event.directed_by == "D1"
    assert dim(e, "west", "gestation", "initiative") == 0.0
    # One self-initiated act with a partner: 1 of the 2 action points a round asks for.
    assert dim(e, "east", "gestation", "initiative") == 50.0
    west = e.scores.agencies["west"].stages["gestation"].dimensions["initiative"]
    assert "0 self-initiated" in west.explanation and "1 on a directive" in west.explanation
    # Ordered cooperation is still cooperation: it counts on the axes.
    assert dim(e, "west", "gestation", "horizontal") == 100.0
    assert dim(e, "west", "gestation", "vertical") == 100.0
    assert seq in e.scores.agencies["west"].stages["gestation"].dimensions["horizontal"].evidence


def test_paper_agreement_earns_nothing_in_policy_and_zero_in_reliability() -> None:
    p = Play()
    pid = p.propose("east", ["east", "west"], [])
    p.answer("west", pid)
    p.next_round()
    e = p.evaluate()
    agreement = e.facts.agreements[pid]
    assert agreement.paper
    for agency in ("east", "west"):
        assert dim(e, agency, "gestation", "policy") == 0.0
        assert dim(e, agency, "gestation", "reliability") == 0.0
        assert dim(e, agency, "gestation", "horizontal") == 0.0
    assert [f.code for f in e.flags if f.code == "paper_agreement"] == ["paper_agreement"]
    rel = e.scores.agencies["west"].stages["gestation"].dimensions["reliability"]
    assert "paper agreement" in rel.explanation
    assert agreement.seq in rel.evidence


def test_concrete_agreement_honoured_scores_full_policy_and_reliability() -> None:
    p = Play()
    pid = p.propose(
        "east",
        ["east", "west"],
        [
            {
                "debtor": "east",
                "creditor": "west",
                "deliverable": "deliver",
                "resource": "rescue",
                "region": "west_r",
                "amount": 1,
                "due_round": 2,
            }
        ],
    )
    p.answer("west", pid)
    p.next_round()
    p.act("east", "deploy", region="west_r", resource="rescue", amount=1)
    p.next_round()
    e = p.evaluate()
    assert [c.status for c in e.facts.commitments] == ["honoured"]
    # Proposal 0.5 + agreement 1 against a target of 1 (one gestation round).
    assert dim(e, "east", "gestation", "policy") == 100.0
    assert dim(e, "west", "gestation", "policy") == 100.0
    assert dim(e, "east", "outbreak", "reliability") == 100.0
    assert dim(e, "west", "outbreak", "reliability") is None
    # The honoured commitment is a tie east -> west in the policy and resource layers.
    net = e.network.stages["outbreak"]
    assert net["policy"].edges == 1 and net["resource"].edges == 1


def test_formalized_commitments_count_double_in_reliability() -> None:
    p = Play()
    p.to_stage("continuation")
    due = p.ex.state.round + 1
    small = {
        "debtor": "east",
        "creditor": "west",
        "deliverable": "deliver",
        "resource": "rescue",
        "region": "west_r",
        "amount": 1,
        "due_round": due,
    }
    p1 = p.propose("east", ["east", "west"], [small])
    p.ex.submit(
        cm.ProposeAgreement(
            agency="east",
            mechanism="regional_cooperation",
            parties=["east", "west"],
            commitments=[cm.CommitmentSpec(**{**small, "amount": 30})],
        )
    )
    p.answer("west", p1)
    p.answer("west", "P2")
    p.next_round()
    p.act("east", "formalize_agreement", agreement=p1)
    p.act("east", "deploy", region="west_r", resource="rescue", amount=1)
    p.next_round()
    e = p.evaluate()
    got = {(c.commitment, c.status, c.formalized) for c in e.facts.commitments}
    assert got == {("P1.c1", "honoured", True), ("P2.c1", "broken", False)}
    # (2 x 1 + 1 x 0) / 3
    assert dim(e, "east", "continuation", "reliability") == pytest.approx(66.7)
    assert any(f.code == "broken_commitment" and f.severity == "major" for f in e.flags)


def test_duplicated_deployment_lowers_efficiency() -> None:
    alone = Play()
    alone.act("west", "monitor", region="town_r")
    alone.act("west", "deploy", region="town_r", resource="rescue", amount=10)
    alone.next_round()
    assert dim(alone.evaluate(), "west", "gestation", "efficiency") == 100.0

    p = Play()
    p.act("east", "monitor", region="town_r")
    p.act("east", "deploy", region="town_r", resource="rescue", amount=20)
    p.act("west", "monitor", region="town_r")
    second = p.act("west", "deploy", region="town_r", resource="rescue", amount=10)
    p.next_round()
    e = p.evaluate()
    # The town needs 20: east's 20 covered it, west's 10 arrived beyond need.
    (waste,) = [w for w in e.facts.waste if w.region == "town_r"]
    assert waste.amount == pytest.approx(10.0)
    assert waste.shares == {"west": pytest.approx(10.0)}
    assert waste.duplicates == ["west"]
    assert dim(e, "east", "gestation", "efficiency") == 100.0
    assert dim(e, "west", "gestation", "efficiency") == 0.0
    codes = {(f.code, f.agency) for f in e.flags}
    assert ("duplicated_deployment", "west") in codes and ("waste", "west") in codes
    assert second in e.scores.agencies["west"].stages["gestation"].dimensions["efficiency"].evidence


def test_blind_deployment_is_half_credit_and_half_lost() -> None:
    p = Play()
    seq = p.act("west", "deploy", region="town_r", resource="rescue", amount=10)
    p.next_round()
    e = p.evaluate()
    assert "blind_deployment" in p.records[seq - 1].event.flags
    # 5 of 10 misdirected: efficiency 50; resource credit 0.5 against 1.
    assert dim(e, "west", "gestation", "efficiency") == 50.0
    assert dim(e, "west", "gestation", "resource") == 50.0


def test_undone_decisions_stay_in_the_journal_but_do_not_count() -> None:
    p = Play()
    seq = p.act("east", "share_information", target="west", region="east_r")
    p.submit(cm.UndoTurn())
    p.next_round()
    e = p.evaluate()
    assert seq in e.facts.undone
    assert any(r.seq == seq for r in e.facts.records)
    assert dim(e, "east", "gestation", "horizontal") == 0.0
    assert not e.facts.ties
    assert (
        seq not in e.scores.agencies["east"].stages["gestation"].dimensions["horizontal"].evidence
    )


def test_concealment_costs_vertical_and_information() -> None:
    p = Play()
    seq = p.act("east", "report_up", region="east_r", accuracy=0.5)
    p.next_round()
    e = p.evaluate()
    assert dim(e, "east", "gestation", "vertical") == 0.0
    assert dim(e, "east", "gestation", "information") == 0.0
    (flag,) = [f for f in e.flags if f.code == "concealment"]
    assert flag.severity == "major" and flag.agency == "east" and flag.evidence == [seq]
    expl = e.scores.agencies["east"].stages["gestation"].dimensions["vertical"].explanation
    assert "concealment" in expl


def test_local_protection_while_neighbours_suffer_is_a_major_flag() -> None:
    p = Play()
    p.act("town", "local_protection", mode="close_border", region="town_r")
    p.next_round()
    e = p.evaluate()
    (flag,) = [f for f in e.flags if f.agency == "town"]
    assert flag.code == "protectionism_harm" and flag.severity == "major"
    assert "east_r" in flag.text
    assert dim(e, "town", "gestation", "horizontal") == 0.0


def test_ignored_directive_costs_vertical_and_is_flagged() -> None:
    p = Play()
    p.act("boss", "directive", target="west", order="monitor")
    p.next_round()
    p.next_round()
    e = p.evaluate()
    assert e.facts.directives["D1"].status == "ignored"
    assert dim(e, "west", "outbreak", "vertical") == 0.0
    assert "ignored directive" in (
        e.scores.agencies["west"].stages["outbreak"].dimensions["vertical"].explanation
    )
    assert any(f.code == "ignored_directive" and f.agency == "west" for f in e.flags)


def test_missed_inject_expectation_costs_initiative() -> None:
    p = Play()
    p.act("west", "monitor", region="east_r")
    p.next_round()
    e = p.evaluate()
    (x,) = e.facts.expectations
    assert (x.agency, x.action, x.status) == ("west", "share_information", "missed")
    # One self-initiated act (monitoring) minus one missed expectation.
    assert dim(e, "west", "gestation", "initiative") == 0.0
    expl = e.scores.agencies["west"].stages["gestation"].dimensions["initiative"].explanation
    assert "missed: share_information (flood_alert)" in expl
    assert any(f.code == "missed_expectation" for f in e.flags)


def test_no_peer_on_an_axis_means_not_scored() -> None:
    p = Play()
    p.next_round()
    e = p.evaluate()
    # Every other agency is below the ministry: it has no horizontal partner.
    assert dim(e, "boss", "gestation", "horizontal") is None
    assert dim(e, "east", "gestation", "horizontal") == 0.0


def test_nobody_acting_avoids_no_harm() -> None:
    p = Play()
    p.finish()
    e = p.evaluate()
    for agency in quad().order:
        for stage in e.scores.stages:
            assert dim(e, agency, stage, "outcome") == 0.0
    assert e.scores.total.dimensions["outcome"].value == 0.0
    cf = counterfactual(p.game, p.ex.state.seed)
    assert cf is counterfactual(p.game, p.ex.state.seed)  # cached
    for seg in e.facts.segments:
        assert seg.resolved is not None
        actual = sum(o.harm_added for o in seg.resolved.regions.values())
        assert actual == pytest.approx(cf.harm_added(seg.round))


def test_overall_is_the_stage_weighted_mean() -> None:
    p = Play()
    p.act("east", "share_information", target="west", region="east_r")
    p.next_round()
    scores = score_exercise(p.game, p.records)
    card = scores.agencies["east"].stages["gestation"]
    w = scores.weights["gestation"]
    used = {d: s.value for d, s in card.dimensions.items() if s.value is not None}
    expected = sum(v * w[d] for d, v in used.items()) / sum(w[d] for d in used)
    assert card.overall.value == pytest.approx(expected, abs=0.06)
    assert "gestation weights" in card.overall.explanation


def test_every_score_has_an_explanation_and_a_value_in_range() -> None:
    p = Play()
    p.act("boss", "activate_response", level="2")
    p.act("east", "monitor", region="town_r")
    p.act("east", "deploy", region="town_r", resource="rescue", amount=5)
    p.finish()
    s = evaluate(p.game, p.records).scores
    cards = [c for a in s.agencies.values() for c in [*a.stages.values(), a.total]]
    cards += [*s.stage_totals.values(), s.total]
    for card in cards:
        for sc in [*card.dimensions.values(), card.overall]:
            assert sc.explanation.endswith(".")
            assert sc.value is None or 0.0 <= sc.value <= 100.0


def _act(**kw: object) -> Act:
    base = dict(seq=1, kind="action_taken", agency="a", action="x", handler="x", round=1)
    base.update(stage="s", stage_round=1, segment=0)
    base.update(kw)
    return Act(**base)  # type: ignore[arg-type]


def test_act_credits_rules() -> None:
    assert act_credits(_act(tags=("information",))) == {"information": 0.5}
    assert act_credits(_act(handler="deploy", tags=("resource",))) == {}
    assert act_credits(_act(tags=("resource", "horizontal"), partners=("b",))) == {
        "resource": 1.0,
        "horizontal": 1.0,
    }
    assert act_credits(
        _act(tags=("resource", "horizontal"), partners=("b",), flags=("blind_deployment",))
    ) == {"resource": 0.5, "horizontal": 0.5}
    assert act_credits(_act(handler="local_protection", tags=("defect",), mode="hoard")) == {
        "horizontal": -1.0,
        "resource": -1.0,
    }
    assert act_credits(_act(tags=("information", "vertical"), flags=("concealment",))) == {
        "vertical": -1.0,
        "information": -1.0,
    }
    assert act_credits(_act(tags=("policy",), flags=("paper_cooperation",))) == {}
    assert act_credits(_act(kind="proposal_answered", tags=("policy",))) == {}
    directed = act_credits(_act(tags=("resource",), partners=("b",), directed_by="D1"))
    assert directed == {"resource": 1.0, "vertical": 1.0}
