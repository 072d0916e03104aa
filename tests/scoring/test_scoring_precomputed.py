"""The scorer's once-per-exercise precomputations agree with the plain definitions.

``_Scorer`` groups facts once (coordination tallies, stage of a seq, ignored
directives...) and ``extract`` records a segment's end trust when the segment
ends; these tests compare them with the straightforward per-call computations
on bot-played journals, float for float.
"""

from __future__ import annotations

import pytest
from scoring_quad import quad

from tabletop.bots import parse_policies, play_to_end
from tabletop.engine.exercise import Exercise
from tabletop.scoring.counterfactual import counterfactual
from tabletop.scoring.dimensions import (
    COORDINATION,
    _negative_label,
    _Scorer,
    agreement_credits,
)
from tabletop.scoring.facts import Facts, extract

CASES = [(policy, seed) for policy in ("cooperative", "selfish", "random") for seed in (1, 2, 3)]


def _facts(policy: str, seed: int) -> tuple[Facts, Exercise]:
    game = quad()
    ex = Exercise.new(game, None, seed=seed)
    play_to_end(ex, parse_policies(policy, game.order))
    return extract(game, ex.records), ex


def _stage_at_by_scan(facts: Facts, seq: int) -> str:
    stage = facts.segments[0].stage if facts.segments else ""
    for seg in facts.segments:
        if seg.seq > seq:
            break
        stage = seg.stage
    return stage


@pytest.mark.parametrize(("policy", "seed"), CASES)
def test_stage_at_matches_a_scan_of_the_segments(policy: str, seed: int) -> None:
    facts, _ = _facts(policy, seed)
    scorer = _Scorer(facts, counterfactual(facts.game, facts.header.seed))
    for rec in facts.records:
        assert scorer.stage_at(rec.seq) == _stage_at_by_scan(facts, rec.seq)
    assert scorer.stage_at(0) == _stage_at_by_scan(facts, 0)


@pytest.mark.parametrize(("policy", "seed"), CASES)
def test_tallies_match_one_dimension_at_a_time(policy: str, seed: int) -> None:
    facts, _ = _facts(policy, seed)
    scorer = _Scorer(facts, counterfactual(facts.game, facts.header.seed))
    for agency in scorer.agencies:
        for stage in scorer.stages:
            tallies = scorer.tallies(agency, stage)
            for dim in COORDINATION:
                pos = neg = 0.0
                evidence: list[int] = []
                kinds: list[str] = []
                for act in scorer.acts.get((agency, stage), []):
                    c = scorer.credits[act.seq].get(dim, 0.0)
                    if c > 0:
                        pos += c
                        evidence.append(act.seq)
                    elif c < 0:
                        neg -= c
                        kinds.append(_negative_label(act))
                        evidence.append(act.seq)
                for ag in facts.agreements.values():
                    if ag.stage == stage:
                        c = agreement_credits(facts, agency, ag.proposal).get(dim, 0.0)
                        if c > 0:
                            pos += c
                            evidence.append(ag.seq)
                if dim == "vertical":
                    for d in facts.directives.values():
                        if (
                            d.target == agency
                            and d.status == "ignored"
                            and d.resolved_seq
                            and _stage_at_by_scan(facts, d.resolved_seq) == stage
                        ):
                            neg += 1.0
                            kinds.append("ignored directive")
                            evidence.append(d.resolved_seq)
                t = tallies[dim]
                assert (t.pos, t.neg) == (pos, neg)
                assert sorted(t.evidence) == sorted(evidence)
                assert sum(t.neg_kinds.values()) == len(kinds)


@pytest.mark.parametrize(("policy", "seed"), CASES)
def test_segment_end_trust_is_the_trust_when_the_next_one_starts(policy: str, seed: int) -> None:
    facts, ex = _facts(policy, seed)
    segs = facts.segments
    assert segs
    for seg, nxt in zip(segs, segs[1:], strict=False):
        assert seg.trust_end == nxt.trust_start
    assert segs[-1].trust_end == {r: x.trust for r, x in ex.state.regions.items()}
