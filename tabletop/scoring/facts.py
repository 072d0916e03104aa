"""One pass over a journal: the facts every score, rating and network is computed from.

:func:`extract` folds the journal (skipping undone decisions, like
:func:`tabletop.engine.evolve.fold`) and records, with the event ``seq``
behind each of them:

* the rounds played, cut into *segments* (one per ``round_started``; a forced
  stage change starts a new segment in the same round), with trust at the
  start and end of each and the round's resolution;
* every decision an agency took (:class:`Act`), with the agencies it involved;
* waste per region, resource and round, attributed to the agencies that
  deployed in that round, and duplicated deployments;
* agreements, commitments, directives, requests, inject expectations, ties
  between agencies, evaluator observations and confirmed ratings.

Everything is pure: the same records give the same facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from tabletop.engine.evolve import evolve, initial_state, undone_seqs
from tabletop.engine.formulas import need_for
from tabletop.engine.game import Game
from tabletop.errors import TabletopError
from tabletop.model import events as ev

#: Coordination layers of the cooperation network (tags of the rule pack).
LAYERS: tuple[str, ...] = ("resource", "information", "policy")
#: Waste below this (in resource units) is rounding noise.
EPS = 1e-6


@dataclass(slots=True)
class Segment:
    """A round (or the part of a round after a forced stage change).

    Attributes:
        index: Position in :attr:`Facts.segments`.
        round: Exercise round.
        stage: Stage id.
        stage_round: Round within the stage visit.
        wave: Resurgence count when the segment started.
        seq: Seq of its ``round_started``.
        trust_start: Region trust at the start.
        trust_end: Region trust at the end (set when the segment ends).
        hazard_start: Region hazard at the start.
        resolved: The round's resolution, when it happened in this segment.
        resolved_seq: Seq of ``resolved`` (0 when none).
    """

    index: int
    round: int
    stage: str
    stage_round: int
    wave: int
    seq: int
    trust_start: dict[str, float]
    trust_end: dict[str, float]
    hazard_start: dict[str, float]
    resolved: ev.RoundResolved | None = None
    resolved_seq: int = 0


#: The events an :class:`Act` is made from.
ActKind = Literal["action_taken", "proposal_made", "proposal_answered"]


@dataclass(slots=True)
class Act:
    """A decision of an agency (a catalogue action, a proposal or an answer).

    Attributes:
        seq: Journal position.
        kind: ``action_taken``, ``proposal_made`` or ``proposal_answered``.
        agency: Who acted.
        action: Catalogue action id.
        handler: Engine verb.
        round: Exercise round.
        stage: Stage id.
        stage_round: Round within the stage.
        segment: Index of the segment.
        region: Chosen region, if any.
        target: Chosen agency, if any.
        partners: Other agencies the decision involved (target, owners of the region
            delivered to, proposal parties, requester or creditor served).
        tags: Rule-pack tags, with the real axis of every partner added.
        flags: Engine flags (``concealment``, ``blind_deployment``...).
        directed_by: Directive the action complied with.
        amount: Amount (resources, funds, response level).
        resource: Resource deployed or requested.
        mode: Local-protection mode.
        accepted: For answers: accepted or rejected.
        proposal: Proposal id (proposals and answers).
        fulfils: Requests this deployment served.
        progress: Commitments this action advanced.
    """

    seq: int
    kind: ActKind
    agency: str
    action: str
    handler: str
    round: int
    stage: str
    stage_round: int
    segment: int
    region: str | None = None
    target: str | None = None
    partners: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    directed_by: str | None = None
    amount: float = 0.0
    resource: str | None = None
    mode: str | None = None
    accepted: bool | None = None
    proposal: str | None = None
    fulfils: tuple[str, ...] = ()
    progress: tuple[str, ...] = ()


@dataclass(slots=True)
class Waste:
    """Supply beyond need of one resource in one region in one round.

    Attributes:
        seq: Seq of the ``round_resolved``.
        segment: Segment index.
        round: Exercise round.
        stage: Stage id.
        region: Region id.
        resource: Resource id.
        amount: Units beyond need.
        shares: Agency -> units of the waste charged to it: the latest deliveries of the
            round are charged first, each at most what it sent; units another agency
            asked for (up to what a request served still lacked, or a delivery commitment
            still owed) only after all the others, and to the agency that asked.
        deploy_seqs: Agency -> seqs of its deployments of the resource there this round.
        duplicates: Agencies that deployed after another agency had already covered the
            region with the same resource this round (in journal order), unless every
            one of their deployments there was asked for or ordered by a directive.
    """

    seq: int
    segment: int
    round: int
    stage: str
    region: str
    resource: str
    amount: float
    shares: dict[str, float]
    deploy_seqs: dict[str, list[int]]
    duplicates: list[str]


@dataclass(slots=True)
class Agreement:
    """An activated agreement."""

    seq: int
    proposal: str
    stage: str
    round: int
    mechanism: str
    action: str
    proposer: str
    parties: tuple[str, ...]
    paper: bool
    proposal_seq: int
    formalized_seq: int = 0


@dataclass(slots=True)
class CommitmentResult:
    """A due commitment checked in resolution."""

    seq: int
    commitment: str
    proposal: str
    debtor: str
    creditor: str
    status: str
    share: float
    formalized: bool
    deliverable: str
    stage: str
    round: int


@dataclass(slots=True)
class Directive:
    """A directive (or counterpart assignment) and what became of it."""

    seq: int
    directive: str
    issuer: str
    target: str
    action: str
    region: str | None
    due_round: int
    stage: str
    counterpart: bool
    issued_by_act: int
    complied_seqs: list[int] = field(default_factory=list)
    status: str = "pending"
    resolved_seq: int = 0


@dataclass(slots=True)
class Request:
    """A request for support and the deployments that served it."""

    id: str
    seq: int
    requester: str
    target: str
    region: str | None
    resource: str | None
    amount: float
    stage: str
    fulfilled_seqs: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Expectation:
    """An action an inject expected from an agency, and whether it came in time.

    Attributes:
        inject: Inject id.
        inject_seq: Seq of the ``inject_fired``.
        agency: Who was expected to act.
        action: The expected catalogue action.
        region: Expected region, if any.
        fired_round: Round the inject fired in.
        deadline: Last round the action counts in.
        stage: Stage the inject fired in.
        met_seq: Seq of the first matching act in time (0 when none). An act taken
            before the inject fired, in the same visit of the stage, counts: early is met.
        directed: The matching act complied with a directive.
        status: ``met``, ``missed`` or ``pending`` (deadline not reached yet).
        objective: Objective (or ``objective.task``) the expectation evidences, if named.
        met_round: Round of the matching act (0 when none).
    """

    inject: str
    inject_seq: int
    agency: str
    action: str
    region: str | None
    fired_round: int
    deadline: int
    stage: str
    met_seq: int = 0
    directed: bool = False
    status: str = "pending"
    objective: str | None = None
    met_round: int = 0


@dataclass(slots=True)
class Tie:
    """An honoured tie from one agency to another.

    Attributes:
        seq: The event that made it.
        source: Agency that gave (shared, delivered, ordered, honoured).
        target: Agency that received.
        stage: Stage id.
        round: Exercise round.
        layers: Coordination layers (subset of :data:`LAYERS`).
        kind: ``action``, ``share``, ``delivery``, ``directive``, ``request``, ``commitment``.
        axis: ``horizontal`` or ``vertical``.
    """

    seq: int
    source: str
    target: str
    stage: str
    round: int
    layers: tuple[str, ...]
    kind: str
    axis: str


@dataclass(slots=True)
class Facts:
    """Everything extracted from one journal (see the module docstring)."""

    game: Game
    header: ev.ExerciseStarted
    records: list[ev.Record]
    undone: set[int]
    segments: list[Segment] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)
    waste: list[Waste] = field(default_factory=list)
    prevention_duplicates: list[tuple[int, str, str, int]] = field(default_factory=list)
    agreements: dict[str, Agreement] = field(default_factory=dict)
    commitments: list[CommitmentResult] = field(default_factory=list)
    directives: dict[str, Directive] = field(default_factory=dict)
    requests: dict[str, Request] = field(default_factory=dict)
    expectations: list[Expectation] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    injects: list[tuple[int, ev.InjectFired]] = field(default_factory=list)
    observations: list[tuple[int, ev.ObservationRecorded]] = field(default_factory=list)
    ratings: dict[str, list[tuple[int, ev.RatingConfirmed]]] = field(default_factory=dict)
    adjudications: list[tuple[int, ev.Adjudicated]] = field(default_factory=list)
    stage_changes: list[tuple[int, ev.StageChanged]] = field(default_factory=list)
    deployed: dict[tuple[int, str], float] = field(default_factory=dict)
    asked: dict[tuple[int, str], float] = field(default_factory=dict)
    blind_lost: dict[tuple[int, str], float] = field(default_factory=dict)
    ended: ev.ExerciseEnded | None = None
    ended_seq: int = 0
    final_round: int = 0
    initial_trust: dict[str, float] = field(default_factory=dict)
    initial_hazard: dict[str, float] = field(default_factory=dict)

    @property
    def stages(self) -> list[str]:
        """Stages played, in rule-pack order."""
        seen = {s.stage for s in self.segments}
        return [s for s in self.game.stage_ids if s in seen]

    def rounds_in(self, stage: str) -> int:
        """Number of segments played in ``stage``."""
        return sum(1 for s in self.segments if s.stage == stage)

    def own_regions(self, agency: str) -> tuple[str, ...]:
        """Regions an agency holds itself (scenario ``regions``)."""
        return tuple(self.game.scenario.agencies[agency].regions)


def _partners_of_region(game: Game, agency: str, region: str | None) -> tuple[str, ...]:
    """Owners of ``region`` other than ``agency`` (none when the agency owns it)."""
    if region is None:
        return ()
    owners = game.owners.get(region, ())
    if agency in owners:
        return ()
    return tuple(o for o in owners if o != agency)


def _with_axes(game: Game, agency: str, tags: Sequence[str], partners: Sequence[str]) -> tuple:
    """Tags plus the real axis (horizontal/vertical) of every partner."""
    out = list(dict.fromkeys(tags))
    for p in partners:
        axis = game.axis(agency, p)
        if axis not in out:
            out.append(axis)
    return tuple(out)


def _layers(tags: Sequence[str]) -> tuple[str, ...]:
    return tuple(t for t in LAYERS if t in tags)


class _Pass:
    """The extraction pass (kept as a class so each event kind has a small method)."""

    def __init__(self, game: Game, records: Sequence[ev.Record]) -> None:
        if not records or not isinstance(records[0].event, ev.ExerciseStarted):
            raise TabletopError("the journal has no exercise_started event")
        self.game = game
        self.state = initial_state(game)
        head = records[0].event
        self.state.seed = head.seed
        self.facts = Facts(
            game=game,
            header=head,
            records=list(records),
            undone=undone_seqs(records),
        )
        self.facts.initial_trust = {r: x.trust for r, x in self.state.regions.items()}
        self.facts.initial_hazard = {r: x.hazard for r, x in self.state.regions.items()}
        self.seg: Segment | None = None
        self.proposal_seq: dict[str, int] = {}
        self.proposal_action: dict[str, str] = {}
        # (region, resource) -> agency -> deploy seqs, this round only.
        self.round_deploys: dict[tuple[str, str], dict[str, list[int]]] = {}
        # (region, resource) -> parts of this round's deployments: (seq, agency, units,
        # asker, coordinated). The asker asked for those units (a requester served, a
        # creditor delivered to) or is None; coordinated parts were asked for or ordered.
        self.round_units: dict[tuple[str, str], list[tuple[int, str, float, str | None, bool]]] = {}
        # (agency, action) -> expectations, to match acts quickly.
        self.pending: dict[tuple[str, str], list[Expectation]] = {}
        # (agency, action) -> acts so far, to meet an expectation with an earlier act.
        self.acts_by_key: dict[tuple[str, str], list[Act]] = {}
        # First round of the current visit of the current stage.
        self.visit_round = 1

    # ------------------------------------------------------------------ helpers

    def _stage(self) -> str:
        return self.state.stage

    def _seg_index(self) -> int:
        return self.seg.index if self.seg is not None else -1

    # ------------------------------------------------------------------ main loop

    def _end_trust(self) -> None:
        """Record the current trust as the end trust of the current segment.

        Called when a segment ends (the next ``round_started``, or the end of the
        journal): the trust then is the trust after the segment's last event.
        """
        if self.seg is not None:
            for rid, r in self.state.regions.items():
                self.seg.trust_end[rid] = r.trust

    def run(self) -> Facts:
        f = self.facts
        for rec in f.records:
            seq = rec.seq
            if seq in f.undone:
                continue
            e = rec.event
            match e:
                case ev.RoundStarted():
                    self._on_round_started(seq, e)
                case ev.InjectFired():
                    self._on_inject_fired(seq, e)
                case ev.ActionTaken():
                    self._on_action_taken(seq, e)
                case ev.ProposalMade():
                    self._on_proposal_made(seq, e)
                case ev.ProposalAnswered():
                    self._on_proposal_answered(seq, e)
                case ev.AgreementActivated():
                    self._on_agreement_activated(seq, e)
                case ev.DirectiveIssued():
                    self._on_directive_issued(seq, e)
                case ev.DirectiveResolved():
                    self._on_directive_resolved(seq, e)
                case ev.CommitmentResolved():
                    self._on_commitment_resolved(seq, e)
                case ev.RoundResolved():
                    self._on_round_resolved(seq, e)
                case ev.ObservationRecorded():
                    self._on_observation_recorded(seq, e)
                case ev.RatingConfirmed():
                    self._on_rating_confirmed(seq, e)
                case ev.Adjudicated():
                    self._on_adjudicated(seq, e)
                case ev.StageChanged():
                    self._on_stage_changed(seq, e)
                case ev.ExerciseEnded():
                    self._on_exercise_ended(seq, e)
                case _:
                    pass  # nothing to extract before evolve
            evolve(self.state, e)
            self._after(seq, e)
        self._end_trust()
        f.final_round = self.state.round
        self._close_expectations(final=True)
        return f

    # ------------------------------------------------------------------ events (before evolve)

    def _on_round_started(self, seq: int, e: ev.RoundStarted) -> None:
        # A new round: the previous segment ends, expectations whose deadline passed
        # are settled.
        self._end_trust()
        self.round_deploys = {}
        self.round_units = {}
        s = self.state
        seg = Segment(
            index=len(self.facts.segments),
            round=e.round,
            stage=e.stage,
            stage_round=e.stage_round,
            wave=s.wave,
            seq=seq,
            trust_start={r: x.trust for r, x in s.regions.items()},
            trust_end={r: x.trust for r, x in s.regions.items()},
            hazard_start={r: x.hazard for r, x in s.regions.items()},
        )
        self.facts.segments.append(seg)
        self.seg = seg
        self._close_expectations(final=False, before_round=e.round)

    def _on_inject_fired(self, seq: int, e: ev.InjectFired) -> None:
        self.facts.injects.append((seq, e))
        inj = self.game.injects.get(e.inject)
        if inj is None:
            return
        for x in inj.expect:
            exp = Expectation(
                inject=e.inject,
                inject_seq=seq,
                agency=x.agency,
                action=x.action,
                region=x.region,
                fired_round=e.round,
                deadline=e.round + x.within,
                stage=e.stage,
                objective=x.objective,
            )
            self.facts.expectations.append(exp)
            # Early counts as met: an act of this visit of the stage, before the inject.
            for act in self.acts_by_key.get((x.agency, x.action), ()):
                if act.stage == e.stage and act.round >= self.visit_round and _meets(exp, act):
                    exp.status, exp.met_seq, exp.met_round = "met", act.seq, act.round
                    exp.directed = act.directed_by is not None
                    break
            else:
                self.pending.setdefault((x.agency, x.action), []).append(exp)

    def _on_action_taken(self, seq: int, e: ev.ActionTaken) -> None:
        g = self.game
        partners: list[str] = []
        if e.target is not None and e.target != e.agency:
            partners.append(e.target)
        if e.handler in ("deploy", "invest_prevention"):
            partners += _partners_of_region(g, e.agency, e.region)
        for qid in e.fulfils:
            q = self.state.requests.get(qid)
            if q is not None and q.requester != e.agency:
                partners.append(q.requester)
        for cid in e.progress:
            c = self.state.commitments.get(cid)
            if c is not None:
                partners.append(c.spec.creditor)
        if e.directed_by is not None:
            d = self.state.directives.get(e.directed_by)
            if d is not None:
                partners.append(d.issuer)
        partners = list(dict.fromkeys(p for p in partners if p != e.agency))
        act = Act(
            seq=seq,
            kind=e.kind,
            agency=e.agency,
            action=e.action,
            handler=e.handler,
            round=e.round,
            stage=e.stage,
            stage_round=self.state.stage_round,
            segment=self._seg_index(),
            region=e.region,
            target=e.target,
            partners=tuple(partners),
            tags=_with_axes(g, e.agency, e.tags, partners),
            flags=tuple(e.flags),
            directed_by=e.directed_by,
            amount=e.amount,
            resource=e.resource,
            mode=e.mode,
            fulfils=tuple(e.fulfils),
            progress=tuple(e.progress),
        )
        self.facts.acts.append(act)
        self._action_ties(seq, e, act)
        if e.handler == "deploy" and e.region is not None and e.resource is not None:
            key = (self._seg_index(), e.agency)
            self.facts.deployed[key] = self.facts.deployed.get(key, 0.0) + e.amount
            if "blind_deployment" in e.flags:
                lost = e.amount * (1.0 - g.rules.formula.blind_factor)
                self.facts.blind_lost[key] = self.facts.blind_lost.get(key, 0.0) + lost
            per = self.round_deploys.setdefault((e.region, e.resource), {})
            per.setdefault(e.agency, []).append(seq)
            units = self.round_units.setdefault((e.region, e.resource), [])
            left = e.amount
            for asker, n in self._asked_parts(e):
                units.append((seq, e.agency, n, asker, True))
                key = (self._seg_index(), asker)
                self.facts.asked[key] = self.facts.asked.get(key, 0.0) + n
                left -= n
            if left > EPS:
                ordered = e.directed_by is not None or left < e.amount
                units.append((seq, e.agency, left, None, ordered))
        elif e.handler == "invest_prevention" and e.region is not None:
            per = self.round_deploys.setdefault((e.region, "prevention"), {})
            if per and e.agency not in per:
                self.facts.prevention_duplicates.append((seq, e.agency, e.region, e.round))
            per.setdefault(e.agency, []).append(seq)
        elif e.handler == "formalize" and e.agreement in self.facts.agreements:
            ag = self.facts.agreements[e.agreement]
            if not ag.formalized_seq:
                ag.formalized_seq = seq
        if e.directed_by is not None and e.directed_by in self.facts.directives:
            self.facts.directives[e.directed_by].complied_seqs.append(seq)
        for qid in e.fulfils:
            if qid in self.facts.requests:
                self.facts.requests[qid].fulfilled_seqs.append(seq)
        self._match_expectations(act)

    def _asked_parts(self, e: ev.ActionTaken) -> list[tuple[str, float]]:
        """Units of a deployment that another agency asked for, and who asked.

        A request served counts up to what was still open of it (its requester asked);
        a delivery commitment advanced counts up to what was still owed (its creditor
        asked). Together never more than the deployment. A directive names no amount:
        what the agency sent on one is its own choice.
        """
        out: list[tuple[str, float]] = []
        left = e.amount
        for qid, total in e.fulfils.items():
            q = self.state.requests.get(qid)
            if q is not None and q.requester != e.agency:
                n = min(left, total - q.fulfilled)
                if n > EPS:
                    out.append((q.requester, n))
                    left -= n
        for cid, progress in e.progress.items():
            c = self.state.commitments.get(cid)
            if c is not None and c.spec.creditor != e.agency and c.spec.deliverable == "deliver":
                n = min(left, progress - c.progress)
                if n > EPS:
                    out.append((c.spec.creditor, n))
                    left -= n
        return out

    def _action_ties(self, seq: int, e: ev.ActionTaken, act: Act) -> None:
        """Ties made by an action: a target served, a delivery into another's region."""
        g = self.game
        if "defect" in e.tags or any(f in _NO_TIE_FLAGS for f in e.flags):
            return
        if e.handler in ("directive", "assign_counterpart", "request_support"):
            return  # tied when complied with / served (see _after and the deploy below)
        if e.target is not None and e.target != e.agency:
            kind = "share" if e.handler == "share_information" else "action"
            layers = _layers(e.tags) or ("policy",)
            self._tie(seq, e.agency, e.target, e.stage, e.round, layers, kind)
        if e.handler == "deploy":
            for owner in _partners_of_region(g, e.agency, e.region):
                self._tie(seq, e.agency, owner, e.stage, e.round, ("resource",), "delivery")
            for qid in e.fulfils:
                q = self.state.requests.get(qid)
                if q is None or q.requester == e.agency:
                    continue
                self._tie(seq, e.agency, q.requester, e.stage, e.round, ("resource",), "request")
        if e.directed_by is not None:
            d = self.state.directives.get(e.directed_by)
            if d is not None and d.issuer != e.agency:
                dl = ("resource",) if d.counterpart else ("policy",)
                self._tie(seq, d.issuer, e.agency, e.stage, e.round, dl, "directive")

    def _tie(
        self,
        seq: int,
        source: str,
        target: str,
        stage: str,
        rnd: int,
        layers: tuple[str, ...],
        kind: str,
    ) -> None:
        if source == target:
            return
        self.facts.ties.append(
            Tie(seq, source, target, stage, rnd, layers, kind, self.game.axis(source, target))
        )

    def _on_proposal_made(self, seq: int, e: ev.ProposalMade) -> None:
        self.proposal_seq[e.proposal] = seq
        self.proposal_action[e.proposal] = e.action
        partners = tuple(p for p in e.parties if p != e.agency)
        rule_tags = self.game.action(e.action).tags if e.action in self.game.rules.actions else []
        tags = [t for t in rule_tags if t not in ("horizontal", "vertical")]
        act = Act(
            seq=seq,
            kind=e.kind,
            agency=e.agency,
            action=e.action,
            handler="counter" if e.parent else "propose",
            round=e.round,
            stage=e.stage,
            stage_round=self.state.stage_round,
            segment=self._seg_index(),
            partners=partners,
            tags=_with_axes(self.game, e.agency, tags or ["policy"], partners),
            flags=tuple(e.flags),
            proposal=e.proposal,
        )
        self.facts.acts.append(act)
        self._match_expectations(act)

    def _on_proposal_answered(self, seq: int, e: ev.ProposalAnswered) -> None:
        p = self.state.proposals.get(e.proposal)
        partners = tuple(a for a in (p.parties if p else ()) if a != e.agency)
        act = Act(
            seq=seq,
            kind=e.kind,
            agency=e.agency,
            action=e.action,
            handler="accept" if e.accepted else "reject",
            round=e.round,
            stage=e.stage,
            stage_round=self.state.stage_round,
            segment=self._seg_index(),
            partners=partners,
            tags=("policy",),
            accepted=e.accepted,
            proposal=e.proposal,
        )
        self.facts.acts.append(act)
        self._match_expectations(act)

    def _on_agreement_activated(self, seq: int, e: ev.AgreementActivated) -> None:
        p = self.state.proposals.get(e.proposal)
        if p is None:
            return
        self.facts.agreements[e.proposal] = Agreement(
            seq=seq,
            proposal=e.proposal,
            stage=e.stage,
            round=e.round,
            mechanism=p.mechanism,
            action=self.proposal_action.get(e.proposal, ""),
            proposer=p.proposer,
            parties=tuple(p.parties),
            paper=e.paper,
            proposal_seq=self.proposal_seq.get(e.proposal, seq),
        )

    def _on_directive_issued(self, seq: int, e: ev.DirectiveIssued) -> None:
        act_seq = self.facts.acts[-1].seq if self.facts.acts else seq
        self.facts.directives[e.directive] = Directive(
            seq=seq,
            directive=e.directive,
            issuer=e.issuer,
            target=e.target,
            action=e.action,
            region=e.region,
            due_round=e.due_round,
            stage=e.stage,
            counterpart=e.counterpart,
            issued_by_act=act_seq,
        )

    def _on_directive_resolved(self, seq: int, e: ev.DirectiveResolved) -> None:
        d = self.facts.directives.get(e.directive)
        if d is not None:
            d.status = e.status
            d.resolved_seq = seq

    def _on_commitment_resolved(self, seq: int, e: ev.CommitmentResolved) -> None:
        c = self.state.commitments.get(e.commitment)
        deliverable = c.spec.deliverable if c is not None else "action"
        self.facts.commitments.append(
            CommitmentResult(
                seq=seq,
                commitment=e.commitment,
                proposal=e.proposal,
                debtor=e.debtor,
                creditor=e.creditor,
                status=e.status,
                share=e.share,
                formalized=e.formalized,
                deliverable=deliverable,
                stage=e.stage,
                round=e.round,
            )
        )
        if e.status == "honoured":
            layer = {"deliver": "resource", "funds": "resource", "information": "information"}
            layers = tuple(dict.fromkeys((layer.get(deliverable, "policy"), "policy")))
            self._tie(seq, e.debtor, e.creditor, e.stage, e.round, layers, "commitment")

    def _on_round_resolved(self, seq: int, e: ev.RoundResolved) -> None:
        """Per-resource waste of the round, attributed to this round's deployers."""
        g = self.game
        s = self.state
        seg = self.seg
        if seg is not None:
            seg.resolved = e
            seg.resolved_seq = seq
        for rid, r in s.regions.items():
            need = need_for(g, rid, r.hazard)
            out = e.regions.get(rid)
            moved = out.displaced if out is not None else {}
            for res, want in need.items():
                want += moved.get(res, 0.0)
                extra = r.delivered.get(res, 0.0) - want
                if extra <= EPS:
                    continue
                sent = s.deployed.get(rid, {}).get(res, {})
                seqs = dict(self.round_deploys.get((rid, res), {}))
                units = self.round_units.get((rid, res), [])
                # The last units to arrive are the ones beyond need: charge the latest
                # deployments of the round first, each at most what it sent; units another
                # agency asked for (a request served, a delivery commitment kept) only after
                # every other unit, and to the agency that asked for them.
                order = sorted(units, key=lambda u: (u[3] is None, u[0]), reverse=True)
                shares: dict[str, float] = {}
                left = extra
                for _seq, a, amount, asker, _coordinated in order:
                    charged = min(left, amount)
                    if charged > EPS:
                        who = asker or a
                        shares[who] = shares.get(who, 0.0) + charged
                    left -= charged
                asked_only = {
                    a
                    for a in sent
                    if any(u[1] == a for u in units) and all(u[4] for u in units if u[1] == a)
                }
                self.facts.waste.append(
                    Waste(
                        seq=seq,
                        segment=self._seg_index(),
                        round=e.round,
                        stage=e.stage,
                        region=rid,
                        resource=res,
                        amount=extra,
                        shares=shares,
                        deploy_seqs=seqs,
                        duplicates=[a for a in list(sent)[1:] if a not in asked_only]
                        if len(sent) > 1
                        else [],
                    )
                )

    def _on_observation_recorded(self, seq: int, e: ev.ObservationRecorded) -> None:
        self.facts.observations.append((seq, e))

    def _on_rating_confirmed(self, seq: int, e: ev.RatingConfirmed) -> None:
        # An objective's ratings under its id, a task's under ``objective.task``.
        key = e.objective if e.task is None else f"{e.objective}.{e.task}"
        self.facts.ratings.setdefault(key, []).append((seq, e))

    def _on_adjudicated(self, seq: int, e: ev.Adjudicated) -> None:
        self.facts.adjudications.append((seq, e))

    def _on_stage_changed(self, seq: int, e: ev.StageChanged) -> None:
        self.facts.stage_changes.append((seq, e))
        # A visit starts now (start, forced) or with the next round (at a round's end).
        self.visit_round = e.round if e.reason in ("start", "forced") else e.round + 1
        if e.reason == "forced" and self.seg is not None:
            # The facilitator moved the exercise mid-round: the rest of the round is the
            # new stage's round 1 and is scored as a segment of that stage.
            self._end_trust()
            s = self.state
            seg = Segment(
                index=len(self.facts.segments),
                round=s.round,
                stage=e.to_stage,
                stage_round=1,
                wave=s.wave,
                seq=seq,
                trust_start={r: x.trust for r, x in s.regions.items()},
                trust_end={r: x.trust for r, x in s.regions.items()},
                hazard_start={r: x.hazard for r, x in s.regions.items()},
            )
            self.facts.segments.append(seg)
            self.seg = seg

    def _on_exercise_ended(self, seq: int, e: ev.ExerciseEnded) -> None:
        self.facts.ended = e
        self.facts.ended_seq = seq

    # ------------------------------------------------------------------ after evolve

    def _after(self, seq: int, e: ev.Event) -> None:
        if e.kind == "action_taken" and e.handler == "request_support" and e.target:
            # evolve numbered the request: the newest one is this action's.
            qid = next(reversed(self.state.requests), None)
            q = self.state.requests.get(qid) if qid else None
            if q is not None and qid not in self.facts.requests:
                self.facts.requests[qid] = Request(  # type: ignore[index]
                    id=qid,  # type: ignore[arg-type]
                    seq=seq,
                    requester=q.requester,
                    target=q.target,
                    region=q.region,
                    resource=q.resource,
                    amount=q.amount,
                    stage=e.stage,
                )

    # ------------------------------------------------------------------ expectations

    def _match_expectations(self, act: Act) -> None:
        self.acts_by_key.setdefault((act.agency, act.action), []).append(act)
        for x in self.pending.get((act.agency, act.action), ()):
            if x.status != "pending":
                continue
            if act.round > x.deadline or not _meets(x, act):
                continue
            x.status = "met"
            x.met_seq = act.seq
            x.met_round = act.round
            x.directed = act.directed_by is not None

    def _close_expectations(self, *, final: bool, before_round: int = 0) -> None:
        ended = final and self.facts.ended is not None
        for key, xs in list(self.pending.items()):
            for x in xs:
                if x.status == "pending" and ((not final and x.deadline < before_round) or ended):
                    x.status = "missed"
            left = [x for x in xs if x.status == "pending"]
            if left:
                self.pending[key] = left
            else:
                del self.pending[key]


def _meets(x: Expectation, act: Act) -> bool:
    """True when ``act`` is the decision ``x`` expects (region, acceptance, not void)."""
    if x.region is not None and act.region != x.region:
        return False
    if act.kind == "proposal_answered" and not act.accepted:
        return False
    return not _VOID_FOR_EXPECT.intersection(act.flags)


#: Acts with these flags do not meet an expectation (as for critical tasks).
_VOID_FOR_EXPECT = frozenset({"concealment", "paper_cooperation"})

#: Flags that keep an action from counting as an honoured tie.
_NO_TIE_FLAGS = frozenset({"concealment", "paper_cooperation", "funds_before_local_budget"})


def extract(game: Game, records: Sequence[ev.Record]) -> Facts:
    """Fold ``records`` once and collect the facts of the debrief.

    Args:
        game: The scenario and rule pack the journal was played with.
        records: The whole journal, first record ``exercise_started``.

    Returns:
        The facts (undone decisions skipped, but kept in ``records`` and ``undone``).

    Raises:
        TabletopError: the journal does not start with ``exercise_started``.
    """
    return _Pass(game, records).run()
