"""The ten score dimensions, per agency and stage, and their weighted overall.

Every function here is pure: it reads :class:`~tabletop.scoring.facts.Facts`
(and the counterfactual) and returns :class:`~tabletop.scoring.models.Score`
values with their evidence and a one-sentence explanation. ``docs/report.md``
states the same rules in prose; keep the two in step.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tabletop.model.rules import SCORE_DIMENSIONS
from tabletop.scoring.counterfactual import Counterfactual
from tabletop.scoring.facts import Act, Agreement, Expectation, Facts, Segment, Waste
from tabletop.scoring.models import AgencyScores, Score, ScoreCard, Scores
from tabletop.scoring.private import private_scores

#: The five coordination dimensions, scored from the tags of what agencies did.
COORDINATION: tuple[str, ...] = ("horizontal", "vertical", "resource", "information", "policy")
#: Net coordination credit per round that earns 100 in a coordination dimension.
TARGET_PER_ROUND = 1.0
#: Share of a round's action points spent on self-initiated cooperation that earns 100.
INITIATIVE_SHARE = 2 / 3
#: Credit of an act that involves no other agency (a warning, monitoring, a response level).
SOLO_CREDIT = 0.5
#: Credit of a proposal (the agreement itself earns the full credit when every party accepts).
PROPOSAL_CREDIT = 0.5
#: Efficiency points lost per duplicated deployment or investment.
DUPLICATE_PENALTY = 10.0
#: Trust score: 50 plus this many points per point of trust gained (minus per point lost).
TRUST_SCALE = 5.0
#: Counterfactual harm below this leaves nothing to avoid: outcome is not scored.
MIN_HARM = 0.01
#: Flags that void an action's credit (it did not help anyone).
VOID_FLAGS = frozenset(
    {"funds_before_local_budget", "over_warning", "under_warning", "paper_cooperation"}
)

TITLES: dict[str, str] = {
    "horizontal": "Horizontal cooperation",
    "vertical": "Vertical cooperation",
    "resource": "Resource coordination",
    "information": "Information coordination",
    "policy": "Policy coordination",
    "initiative": "Initiative",
    "efficiency": "Efficiency",
    "reliability": "Reliability",
    "outcome": "Outcome",
    "trust": "Public trust",
}

DESCRIPTIONS: dict[str, str] = {
    "horizontal": "Cooperation with agencies outside one's own chain of command (shares, "
    "deliveries, agreements, joint work), minus local protectionism.",
    "vertical": "Cooperation along the hierarchy: accurate reports, directives, response levels, "
    "requests, compliance with orders; minus concealment and ignored directives.",
    "resource": "Resources moved to or for other agencies: deliveries into their regions, "
    "requests, funds, counterpart support, joint operations; minus hoarding.",
    "information": "Information gathered and passed on: monitoring, reports, shares, warnings, "
    "joint mechanisms; minus concealment and withheld data.",
    "policy": "Agreements, response levels, directives, rules, formalization and reviews; "
    "paper agreements earn nothing.",
    "initiative": "Cooperation the agency started itself (not on a directive), minus the "
    "actions injects expected of it that never came.",
    "efficiency": "Share of what the agency deployed that was neither wasted (beyond need) nor "
    "misdirected (blind), minus duplicated deployments.",
    "reliability": "Commitments honoured (partial counts half; formalized ones count double; a "
    "paper agreement counts as a commitment not kept).",
    "outcome": "Harm avoided in the agency's regions compared with the same seed played with "
    "nobody acting.",
    "trust": "Change of public trust in the agency's regions (50 = unchanged).",
}


# --------------------------------------------------------------------------- helpers


def clamp(x: float, lo: float = 0.0, hi: float = 100.0) -> float:
    """``x`` limited to [lo, hi]."""
    return max(lo, min(hi, x))


def r1(x: float) -> float:
    """Round a score to one decimal."""
    return round(x + 0.0, 1)


def _plural(n: float, word: str) -> str:
    n_i = int(n) if float(n).is_integer() else n
    return f"{n_i:g} {word}" if n == 1 else f"{n_i:g} {word}s"


def _counted(counter: Mapping[str, int]) -> str:
    return ", ".join(f"{k} x{v}" if v > 1 else k for k, v in sorted(counter.items()))


def _regions_text(regions: Iterable[str]) -> str:
    regs = list(regions)
    if len(regs) > 3:
        return f"{', '.join(regs[:3])} and {len(regs) - 3} more"
    return ", ".join(regs) or "no region"


def weights_for(facts: Facts, stage: str) -> dict[str, float]:
    """Dimension weights of ``stage``: the stage's own, else the rule pack's defaults."""
    rules = facts.game.rules
    base = rules.scoring.weights
    own = rules.stage(stage).weights
    return {d: float(own.get(d, base.get(d, 1.0))) for d in SCORE_DIMENSIONS}  # type: ignore[call-overload]


# --------------------------------------------------------------------------- credits


def act_credits(act: Act) -> dict[str, float]:
    """Coordination credit of one act per dimension (negative for defection).

    Rules (``docs/report.md``): an act earns 1 in each coordination tag when it
    involves another agency, :data:`SOLO_CREDIT` when it involves none (nothing in
    ``resource``: serving one's own region is not coordination); a blind deployment
    earns half; a proposal earns :data:`PROPOSAL_CREDIT`; compliance with a directive
    also earns 1 in ``vertical``. Concealment costs 1 in ``vertical`` and
    ``information``; local protection costs 1 in ``horizontal`` and 1 more in the
    layer of its mode (hoard: ``resource``, withhold data: ``information``).
    """
    if act.kind == "proposal_answered":
        return {}
    if "defect" in act.tags or act.handler == "local_protection":
        out = {"horizontal": -1.0}
        if act.mode == "hoard":
            out["resource"] = -1.0
        elif act.mode == "withhold_data":
            out["information"] = -1.0
        return out
    if "concealment" in act.flags:
        return {"vertical": -1.0, "information": -1.0}
    if VOID_FLAGS.intersection(act.flags):
        return {}
    out: dict[str, float] = {}  # type: ignore[no-redef]
    if act.kind == "proposal_made":
        for d in COORDINATION:
            if d in act.tags:
                out[d] = PROPOSAL_CREDIT
        return out
    mult = 0.5 if "blind_deployment" in act.flags else 1.0
    for d in COORDINATION:
        if d not in act.tags:
            continue
        if act.partners:
            out[d] = mult
        elif d != "resource":
            out[d] = SOLO_CREDIT * mult
    if act.directed_by is not None:
        out["vertical"] = max(out.get("vertical", 0.0), 1.0)
    return out


def agreement_credits(facts: Facts, agency: str, proposal: str) -> dict[str, float]:
    """Credit of an activated agreement for one party (nothing for a paper agreement)."""
    ag = facts.agreements[proposal]
    if ag.paper or agency not in ag.parties:
        return {}
    g = facts.game
    out = {"policy": 1.0}
    for other in ag.parties:
        if other != agency:
            out[g.axis(agency, other)] = 1.0
    tags = g.action(ag.action).tags if ag.action in g.rules.actions else []
    for t in ("resource", "information"):
        if t in tags:
            out[t] = 1.0
    return out


# --------------------------------------------------------------------------- the scorer


@dataclass(slots=True)
class _Tally:
    """Coordination credit of one agency in one stage and one dimension, being summed.

    Attributes:
        pos: Sum of the positive credits, in journal order.
        neg: Sum of the costs (positive number), in journal order.
        pos_kinds: What earned credit (action id or ``agreement``) -> count (a plain dict:
            a Counter is several times slower to create, and most tallies stay empty).
        neg_kinds: What cost credit -> count.
        evidence: Seqs behind the credits and costs (unsorted, may repeat).
    """

    pos: float = 0.0
    neg: float = 0.0
    pos_kinds: dict[str, int] = field(default_factory=dict)
    neg_kinds: dict[str, int] = field(default_factory=dict)
    evidence: list[int] = field(default_factory=list)

    def credit(self, c: float, kind: str, seq: int) -> None:
        """Add a positive credit ``c`` earned by ``kind`` at ``seq``."""
        self.pos += c
        self.pos_kinds[kind] = self.pos_kinds.get(kind, 0) + 1
        self.evidence.append(seq)

    def cost(self, c: float, kind: str, seq: int) -> None:
        """Add a cost ``c`` (a positive number) caused by ``kind`` at ``seq``."""
        self.neg += c
        self.neg_kinds[kind] = self.neg_kinds.get(kind, 0) + 1
        self.evidence.append(seq)


class _Scorer:
    """Computes :class:`Scores` from facts (one instance per report).

    Everything a score needs more than once (the coordination tallies of an
    agency in a stage, its regions, the harm over a set of regions, the stage
    weights) is computed once and kept, so that scoring stays linear in the
    size of the journal.
    """

    def __init__(self, facts: Facts, cf: Counterfactual) -> None:
        self.f = facts
        self.cf = cf
        self.g = facts.game
        self.agencies = list(self.g.order)
        self.stages = facts.stages
        self.segs: dict[str, list[Segment]] = {s: [] for s in self.stages}
        for seg in facts.segments:
            self.segs.setdefault(seg.stage, []).append(seg)
        self.acts: dict[tuple[str, str], list[Act]] = {}
        for a in facts.acts:
            self.acts.setdefault((a.agency, a.stage), []).append(a)
        self.credits = {a.seq: act_credits(a) for a in facts.acts}
        self.expectations: dict[tuple[str, str], list[Expectation]] = {}
        for x in facts.expectations:
            self.expectations.setdefault((x.agency, x.stage), []).append(x)
        self.waste_by_stage: dict[str, list[Waste]] = {}
        for w in facts.waste:
            self.waste_by_stage.setdefault(w.stage, []).append(w)
        seg_stage = {s.index: s.stage for s in facts.segments}
        self.seg_stage = seg_stage
        # Stage of each seq, for events that carry no stage: segment starts in journal order.
        self._seg_starts: list[int] = [s.seq for s in facts.segments]
        self._seg_start_stages: list[str] = [s.stage for s in facts.segments]
        # Axes (horizontal/vertical) on which each agency has at least one other agency.
        self.axes: dict[str, set[str]] = {
            a: {self.g.axis(a, b) for b in self.agencies if b != a} for a in self.agencies
        }
        self.agreements_by_stage: dict[str, list[Agreement]] = {}
        for ag in facts.agreements.values():
            self.agreements_by_stage.setdefault(ag.stage, []).append(ag)
        # (target, stage) -> resolved seqs of the directives the target ignored.
        self.ignored: dict[tuple[str, str], list[int]] = {}
        for d in facts.directives.values():
            if d.status == "ignored" and d.resolved_seq:
                key = (d.target, self.stage_at(d.resolved_seq))
                self.ignored.setdefault(key, []).append(d.resolved_seq)
        # (agency, stage) -> units deployed / lost to blind deployment, per segment in
        # the order of the facts (so that the sums add in the same order).
        self.deployed: dict[tuple[str, str], list[float]] = {}
        for (seg, a), v in facts.deployed.items():  # type: ignore[assignment]
            if seg in seg_stage:
                self.deployed.setdefault((a, seg_stage[seg]), []).append(v)  # type: ignore[arg-type, index]
        self.asked: dict[tuple[str, str], list[float]] = {}
        for (seg, a), v in facts.asked.items():  # type: ignore[assignment]
            if seg in seg_stage:
                self.asked.setdefault((a, seg_stage[seg]), []).append(v)  # type: ignore[arg-type, index]
        self.blind_lost: dict[tuple[str, str], list[float]] = {}
        for (seg, a), v in facts.blind_lost.items():  # type: ignore[assignment]
            if seg in seg_stage:
                self.blind_lost.setdefault((a, seg_stage[seg]), []).append(v)  # type: ignore[arg-type, index]
        self.prevention_dups: dict[tuple[str, str], list[int]] = {}
        for seq, who, _region, _rnd in facts.prevention_duplicates:
            self.prevention_dups.setdefault((who, self.stage_at(seq)), []).append(seq)
        self._tallies: dict[tuple[str, str], dict[str, _Tally]] = {}
        self._regions: dict[tuple[str, str], list[str]] = {}
        self._harms: dict[tuple[str, tuple[str, ...]], tuple[float, float, list[int]]] = {}
        self._weights: dict[str, dict[str, float]] = {}

    def stage_at(self, seq: int) -> str:
        """Stage of the segment a seq belongs to (the first stage before any segment)."""
        if not self._seg_starts:
            return ""
        i = bisect_right(self._seg_starts, seq) - 1
        return self._seg_start_stages[max(i, 0)]

    def weights(self, stage: str) -> dict[str, float]:
        """Dimension weights of ``stage`` (see :func:`weights_for`), computed once."""
        w = self._weights.get(stage)
        if w is None:
            w = self._weights[stage] = weights_for(self.f, stage)
        return w

    # ------------------------------------------------------------------ coordination

    def tallies(self, agency: str, stage: str) -> dict[str, _Tally]:
        """Credits and costs of ``agency`` in ``stage`` per coordination dimension.

        One pass over the agency's acts, the stage's agreements and the directives
        it ignored fills all five dimensions; each dimension's sums add in journal
        order, as if it were summed on its own.
        """
        key = (agency, stage)
        out = self._tallies.get(key)
        if out is not None:
            return out
        out = {d: _Tally() for d in COORDINATION}
        for act in self.acts.get(key, []):
            for dim, c in self.credits[act.seq].items():
                if c > 0:
                    out[dim].credit(c, act.action, act.seq)
                elif c < 0:
                    out[dim].cost(-c, _negative_label(act), act.seq)
        for ag in self.agreements_by_stage.get(stage, []):
            for dim, c in agreement_credits(self.f, agency, ag.proposal).items():
                if c > 0:
                    out[dim].credit(c, "agreement", ag.seq)
        for seq in self.ignored.get(key, []):
            out["vertical"].cost(1.0, "ignored directive", seq)
        self._tallies[key] = out
        return out

    def coordination(self, agency: str, stage: str, dim: str) -> Score:
        rounds = len(self.segs.get(stage, []))
        if dim in ("horizontal", "vertical") and dim not in self.axes[agency]:
            return Score(
                value=None,
                evidence=[],
                explanation=f"No other agency is on the {dim} axis of this one: nothing to judge.",
            )
        target = rounds * TARGET_PER_ROUND
        t = self.tallies(agency, stage)[dim]
        net = t.pos - t.neg
        value = r1(clamp(100.0 * net / target)) if target > 0 else 0.0
        parts = [f"{_plural(sum(t.pos_kinds.values()), 'act')} earned +{t.pos:g}"]
        if t.pos_kinds:
            parts[0] += f" ({_counted(t.pos_kinds)})"
        if t.neg:
            parts.append(f"{_counted(t.neg_kinds)} cost -{t.neg:g}")
        text = (
            f"{'; '.join(parts)}: net {net:g} against a target of {target:g} "
            f"({_plural(rounds, 'round')} x {TARGET_PER_ROUND:g}) gives {value:.0f}."
        )
        return Score(value=value, evidence=sorted(set(t.evidence)), explanation=text)

    # ------------------------------------------------------------------ initiative

    def initiative(self, agency: str, stage: str) -> Score:
        rounds = len(self.segs.get(stage, []))
        points = self.g.rules.pack.action_points
        target = rounds * points * INITIATIVE_SHARE
        own = 0.0
        n_own = n_solo = directed = 0
        evidence: list[int] = []
        for act in self.acts.get((agency, stage), []):
            if act.kind == "proposal_answered":
                continue
            if sum(v for v in self.credits[act.seq].values() if v > 0) <= 0:
                continue
            evidence.append(act.seq)
            if act.directed_by is not None:
                directed += 1
                continue
            cost = float(max(1, self.cost(act.action)))
            if act.partners or act.kind == "proposal_made":
                own += cost
                n_own += 1
            else:
                own += cost * SOLO_CREDIT
                n_solo += 1
        mine = self.expectations.get((agency, stage), [])
        missed = [x for x in mine if x.status == "missed"]
        met = [x for x in mine if x.status == "met"]
        evidence += [x.inject_seq for x in missed]
        net = own - len(missed)
        value = r1(clamp(100.0 * net / target)) if target > 0 else 0.0
        text = (
            f"{_plural(n_own, 'self-initiated act')} with other agencies and {n_solo} on its own "
            f"(x{SOLO_CREDIT:g}), {directed} on a directive (not counted)"
        )
        if met or missed:
            text += f", {len(met)} of {len(met) + len(missed)} inject expectations met"
            if missed:
                what = Counter(f"{x.action} ({x.inject})" for x in missed)
                text += f" (missed: {_counted(what)})"
        text += (
            f": {own:g} action points - {len(missed)} missed against a target of {target:g} "
            f"({_plural(rounds, 'round')} x {points} points x {INITIATIVE_SHARE:g}) "
            f"gives {value:.0f}."
        )
        return Score(value=value, evidence=sorted(set(evidence)), explanation=text)

    def cost(self, action: str) -> int:
        """Action points of a catalogue action (1 for an id the rule pack lacks)."""
        rule = self.g.rules.actions.get(action)
        return rule.cost if rule is not None else 1

    # ------------------------------------------------------------------ efficiency

    def efficiency(self, agency: str, stage: str) -> Score:
        seg_ids = {s.index for s in self.segs.get(stage, [])}
        own = sum(self.deployed.get((agency, stage), []))
        asked = sum(self.asked.get((agency, stage), []))
        sent = own + asked
        blind = sum(self.blind_lost.get((agency, stage), []))
        wasted = 0.0
        dups: list[int] = []
        evidence: list[int] = []
        for w in self.waste_by_stage.get(stage, []):
            if w.segment not in seg_ids:
                continue
            share = w.shares.get(agency, 0.0)
            if share > 0:
                wasted += share
                evidence.append(w.seq)
                evidence += w.deploy_seqs.get(agency, [])
            if agency in w.duplicates:
                seqs = w.deploy_seqs.get(agency, [w.seq])
                dups.append(seqs[0])
        dups += self.prevention_dups.get((agency, stage), [])
        evidence += dups
        for act in self.acts.get((agency, stage), []):
            if "blind_deployment" in act.flags:
                evidence.append(act.seq)
        if sent <= 0 and not dups:
            return Score(
                value=None,
                evidence=[],
                explanation="Deployed nothing in this stage: nothing to judge.",
            )
        lost = wasted + blind
        base = 100.0 * (1.0 - lost / sent) if sent > 0 else 100.0
        value = r1(clamp(base - DUPLICATE_PENALTY * len(dups)))
        got = f" and {asked:.1f} sent at its request" if asked > 0 else ""
        text = (
            f"Deployed {own:.1f} units{got}, {wasted:.1f} beyond need and {blind:.1f} "
            f"misdirected without information ({base:.0f}% useful)"
        )
        if dups:
            text += f", {_plural(len(dups), 'duplicated deployment')} (-{DUPLICATE_PENALTY:g} each)"
        text += f": {value:.0f}."
        return Score(value=value, evidence=sorted(set(evidence)), explanation=text)

    # ------------------------------------------------------------------ reliability

    def reliability(self, agency: str, stage: str) -> Score:
        items: list[tuple[float, float, int]] = []
        counts: Counter[str] = Counter()
        for c in self.f.commitments:
            if c.debtor != agency or c.stage != stage:
                continue
            w = 2.0 if c.formalized else 1.0
            v = {"honoured": 1.0, "partial": 0.5}.get(c.status, 0.0)
            items.append((w, v, c.seq))
            counts[c.status + (" (formalized)" if c.formalized else "")] += 1
        for ag in self.f.agreements.values():
            if ag.paper and ag.stage == stage and agency in ag.parties:
                items.append((1.0, 0.0, ag.seq))
                counts["paper agreement"] += 1
        if not items:
            return Score(
                value=None, evidence=[], explanation="No commitment of this agency fell due."
            )
        total_w = sum(w for w, _, _ in items)
        value = r1(100.0 * sum(w * v for w, v, _ in items) / total_w)
        text = (
            f"Commitments due: {_counted(counts)} (honoured 1, partial 0.5, broken or paper 0, "
            f"formalized x2): {value:.0f}."
        )
        return Score(value=value, evidence=sorted(s for _, _, s in items), explanation=text)

    # ------------------------------------------------------------------ outcome & trust

    def regions_of(self, agency: str, stage: str) -> list[str]:
        """Regions an agency answers for in a stage: its span and where it delivered.

        Computed once per agency and stage; callers get their own list.
        """
        regs = self._regions.get((agency, stage))
        if regs is None:
            regs = list(self.g.span.get(agency, ()))
            for act in self.acts.get((agency, stage), []):
                if act.handler == "deploy" and act.region and act.region not in regs:
                    regs.append(act.region)
            self._regions[(agency, stage)] = regs
        return list(regs)

    def outcome(self, agency: str | None, stage: str) -> Score:
        all_regions = list(self.g.scenario.regions)
        regions = all_regions if agency is None else self.regions_of(agency, stage) or all_regions
        actual, cf, seqs = self._harm(stage, regions)
        if cf < MIN_HARM and regions != all_regions:
            regions = all_regions
            actual, cf, seqs = self._harm(stage, regions)
        if cf < MIN_HARM:
            return Score(
                value=None,
                evidence=seqs,
                explanation="Nobody acting would have caused no harm here: nothing to avoid.",
            )
        avoided = 1.0 - actual / cf
        value = r1(clamp(100.0 * avoided))
        text = (
            f"Harm in {_regions_text(regions)}: {actual:.1f} against {cf:.1f} with nobody acting "
            f"(same seed), {100 * avoided:.0f}% avoided: {value:.0f}."
        )
        return Score(value=value, evidence=seqs, explanation=text)

    def _harm(self, stage: str, regions: list[str]) -> tuple[float, float, list[int]]:
        """Harm added in ``regions`` over ``stage``: actual, counterfactual, round seqs.

        Agencies often answer for the same regions, so each (stage, regions) is summed
        once; callers get their own list of seqs.
        """
        key = (stage, tuple(regions))
        hit = self._harms.get(key)
        if hit is None:
            actual = cf = 0.0
            seqs: list[int] = []
            for seg in self.segs.get(stage, []):
                if seg.resolved is None:
                    continue
                out = seg.resolved.regions
                actual += sum(out[r].harm_added for r in regions if r in out)
                cf += self.cf.harm_added(seg.round, regions)
                seqs.append(seg.resolved_seq)
            hit = self._harms[key] = (actual, cf, seqs)
        actual, cf, seqs = hit
        return actual, cf, list(seqs)

    def trust(self, agency: str | None, stage: str) -> Score:
        all_regions = list(self.g.scenario.regions)
        regions = all_regions if agency is None else self.regions_of(agency, stage) or all_regions
        delta = 0.0
        seqs: list[int] = []
        for seg in self.segs.get(stage, []):
            delta += sum(seg.trust_end[r] - seg.trust_start[r] for r in regions) / len(regions)
            if seg.resolved_seq:
                seqs.append(seg.resolved_seq)
        value = r1(clamp(50.0 + TRUST_SCALE * delta))
        text = (
            f"Mean public trust in {_regions_text(regions)} moved {delta:+.1f} points over the "
            f"stage (50 + {TRUST_SCALE:g} per point): {value:.0f}."
        )
        return Score(value=value, evidence=seqs, explanation=text)

    # ------------------------------------------------------------------ cards

    def card(self, agency: str, stage: str) -> ScoreCard:
        dims: dict[str, Score] = {}
        for d in COORDINATION:
            dims[d] = self.coordination(agency, stage, d)
        dims["initiative"] = self.initiative(agency, stage)
        dims["efficiency"] = self.efficiency(agency, stage)
        dims["reliability"] = self.reliability(agency, stage)
        dims["outcome"] = self.outcome(agency, stage)
        dims["trust"] = self.trust(agency, stage)
        dims = {d: dims[d] for d in SCORE_DIMENSIONS}
        return ScoreCard(dimensions=dims, overall=self.overall(dims, stage))

    def overall(self, dims: dict[str, Score], stage: str) -> Score:
        w = self.weights(stage)
        used = [(d, s.value, w[d]) for d, s in dims.items() if s.value is not None and w[d] > 0]
        total_w = sum(x for _, _, x in used)
        if total_w <= 0:
            return Score(value=None, explanation="No dimension could be scored.")
        value = r1(sum(v * x for _, v, x in used) / total_w)
        top = sorted(used, key=lambda t: (-t[2], t[0]))[:3]
        skipped = [d for d, s in dims.items() if s.value is None]
        text = (
            f"Weighted mean of {len(used)} dimensions with the {stage} weights "
            f"(heaviest: {', '.join(f'{d} x{x:g}' for d, _, x in top)})"
        )
        if skipped:
            text += f"; not scored: {', '.join(skipped)}"
        text += f": {value:.0f}."
        return Score(value=value, explanation=text)

    def stage_total(self, stage: str, cells: dict[str, ScoreCard]) -> ScoreCard:
        dims: dict[str, Score] = {}
        for d in SCORE_DIMENSIONS:
            if d == "outcome":
                dims[d] = self.outcome(None, stage)
                continue
            if d == "trust":
                dims[d] = self.trust(None, stage)
                continue
            vals = [(a, c.dimensions[d]) for a, c in cells.items()]
            scored = [(a, s) for a, s in vals if s.value is not None]
            # A mean over every agency: its evidence is in the agencies' cells.
            ev: list[int] = []
            if not scored:
                dims[d] = Score(value=None, evidence=ev, explanation="No agency could be scored.")
                continue
            mean = r1(sum(s.value or 0.0 for _, s in scored) / len(scored))
            best = max(scored, key=lambda t: t[1].value or 0.0)
            worst = min(scored, key=lambda t: t[1].value or 0.0)
            dims[d] = Score(
                value=mean,
                evidence=ev,
                explanation=(
                    f"Mean of {len(scored)} agencies (highest {best[0]} {best[1].value:.0f}, "
                    f"lowest {worst[0]} {worst[1].value:.0f}): {mean:.0f}."
                ),
            )
        return ScoreCard(dimensions=dims, overall=self.overall(dims, stage))

    def combine(self, cards: dict[str, ScoreCard], what: str) -> ScoreCard:
        """Rounds-weighted mean of stage cards (an agency's or the exercise's total)."""
        rounds = {s: len(self.segs.get(s, [])) for s in cards}
        dims: dict[str, Score] = {}
        for d in SCORE_DIMENSIONS:
            dims[d] = _weighted(
                [(cards[s].dimensions[d], rounds[s], s) for s in cards], f"{what} {d}"
            )
        overall = _weighted([(cards[s].overall, rounds[s], s) for s in cards], f"{what} overall")
        return ScoreCard(dimensions=dims, overall=overall)

    def exercise_total(self, stage_cards: dict[str, ScoreCard]) -> ScoreCard:
        card = self.combine(stage_cards, "exercise")
        dims = dict(card.dimensions)
        dims["outcome"] = self._exercise_outcome()
        return ScoreCard(dimensions=dims, overall=card.overall)

    def _exercise_outcome(self) -> Score:
        actual = cf = 0.0
        seqs: list[int] = []
        for seg in self.f.segments:
            if seg.resolved is None:
                continue
            actual += sum(o.harm_added for o in seg.resolved.regions.values())
            cf += self.cf.harm_added(seg.round)
            seqs.append(seg.resolved_seq)
        if cf < MIN_HARM:
            return Score(value=None, evidence=seqs, explanation="No harm to avoid.")
        avoided = 1.0 - actual / cf
        value = r1(clamp(100.0 * avoided))
        return Score(
            value=value,
            evidence=seqs,
            explanation=(
                f"Total harm {actual:.1f} against {cf:.1f} with nobody acting (same seed), "
                f"{100 * avoided:.0f}% avoided: {value:.0f}."
            ),
        )

    def run(self) -> Scores:
        agencies: dict[str, AgencyScores] = {}
        by_stage: dict[str, dict[str, ScoreCard]] = {s: {} for s in self.stages}
        for a in self.agencies:
            cards = {s: self.card(a, s) for s in self.stages}
            for s, c in cards.items():
                by_stage[s][a] = c
            agencies[a] = AgencyScores(agency=a, stages=cards, total=self.combine(cards, a))
        stage_totals = {s: self.stage_total(s, by_stage[s]) for s in self.stages}
        return Scores(
            dimensions=list(SCORE_DIMENSIONS),
            stages=list(self.stages),
            rounds={s: len(self.segs.get(s, [])) for s in self.stages},
            weights={s: dict(self.weights(s)) for s in self.stages},
            agencies=agencies,
            stage_totals=stage_totals,
            total=self.exercise_total(stage_totals),
            private=private_scores(self.f, self.cf),
        )


def _negative_label(act: Act) -> str:
    if act.handler == "local_protection":
        return f"local protection ({act.mode or 'unknown'})"
    if "concealment" in act.flags:
        return "concealment"
    return act.action


def _weighted(parts: list[tuple[Score, int, str]], what: str) -> Score:
    scored = [(s, n, st) for s, n, st in parts if s.value is not None and n > 0]
    evidence = sorted(set().union(*(s.evidence for s, _, _ in parts)))
    if not scored:
        return Score(value=None, evidence=evidence, explanation="Not scored in any stage.")
    total = sum(n for _, n, _ in scored)
    value = r1(sum((s.value or 0.0) * n for s, n, _ in scored) / total)
    shown = ", ".join(f"{st} {s.value:.0f} x{n}" for s, n, st in scored)
    return Score(
        value=value,
        evidence=evidence,
        explanation=f"Mean over stages weighted by rounds played ({shown}): {value:.0f}.",
    )


def score(facts: Facts, cf: Counterfactual) -> Scores:
    """Every score of an exercise from its facts and its counterfactual run.

    Args:
        facts: From :func:`tabletop.scoring.facts.extract`.
        cf: From :func:`tabletop.scoring.counterfactual.counterfactual` (same seed).

    Returns:
        Scores per agency and stage, per agency, per stage and for the exercise.
    """
    return _Scorer(facts, cf).run()
