"""Exercise state: mutable dataclasses folded from the journal.

The state is derived data: ``fold(initial_state(game), records)`` rebuilds it.
:func:`tabletop.engine.evolve` mutates a state in place (fast enough for
hundreds of headless exercises per second); callers that need the old value
keep a copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # an annotation only: the state module stays free of pydantic
    from tabletop.model.commands import CommitmentSpec

Phase = Literal["setup", "running", "ended"]


@dataclass(slots=True)
class RegionState:
    """Live values of one region."""

    hazard: float
    containment: float
    prevention: float
    trust: float
    need: dict[str, float]
    delivered: dict[str, float]
    harm: float = 0.0
    unmet: float = 0.0
    coverage: float = 1.0
    waste: float = 0.0
    unmet_rounds: int = 0
    warning: str | None = None
    border_closed: bool = False
    #: Containment written by an effect or the facilitator: holds for the next resolution.
    containment_floor: float = 0.0


@dataclass(slots=True)
class AgencyState:
    """Live values of one agency."""

    budget: float
    resources: dict[str, float]
    reputation: float = 50.0
    points: int = 0
    response_level: int = 0
    withholding: bool = False
    intel: dict[str, float] = field(default_factory=dict)
    intel_round: dict[str, int] = field(default_factory=dict)
    #: Hoarding this round (local protection, mode hoard): deploys only to its own regions,
    #: and part of its regions' need is displaced to linked neighbours at resolution.
    hoarding: bool = False


@dataclass(slots=True)
class Commitment:
    """An active commitment of an agreement."""

    id: str
    proposal: str
    spec: CommitmentSpec
    status: Literal["pending", "honoured", "partial", "broken"] = "pending"
    progress: float = 0.0


@dataclass(slots=True)
class Proposal:
    """A proposal or agreement (one version)."""

    id: str
    parent: str | None
    version: int
    mechanism: str
    proposer: str
    parties: list[str]
    commitments: list[CommitmentSpec]
    title: str
    round: int
    answers: dict[str, bool] = field(default_factory=dict)
    status: Literal["open", "active", "rejected", "superseded"] = "open"
    formalized: bool = False
    paper: bool = False


@dataclass(slots=True)
class Directive:
    """An order from a superior."""

    id: str
    issuer: str
    target: str
    action: str
    region: str | None
    due_round: int
    counterpart: bool = False
    status: Literal["pending", "complied", "ignored"] = "pending"


@dataclass(slots=True)
class Request:
    """A request for support, answered by a deployment."""

    id: str
    requester: str
    target: str
    region: str | None
    resource: str | None
    amount: float
    round: int
    fulfilled: float = 0.0


@dataclass(slots=True)
class InboxItem:
    """Something addressed to an agency (inject, request, directive)."""

    kind: Literal["inject", "request", "directive", "proposal"]
    ref: str
    round: int
    title: str
    text: str
    private: bool


@dataclass(slots=True)
class ExerciseState:
    """Everything the engine knows about a running exercise."""

    order: list[str]
    regions: dict[str, RegionState]
    agencies: dict[str, AgencyState]
    phase: Phase = "setup"
    seed: int = 0
    stage: str = ""
    stage_round: int = 0
    round: int = 0
    wave: int = 0
    turn: int = -1
    active: str | None = None
    paused: bool = False
    turn_actions: int = 0
    fired: dict[str, int] = field(default_factory=dict)
    inbox: dict[str, list[InboxItem]] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    commitments: dict[str, Commitment] = field(default_factory=dict)
    directives: dict[str, Directive] = field(default_factory=dict)
    requests: dict[str, Request] = field(default_factory=dict)
    counterparts: list[tuple[str, str]] = field(default_factory=list)
    #: This round's deliveries and investments: region -> resource -> agency -> amount.
    deployed: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    observations: int = 0
    ended_reason: str = ""
    events: int = 0
    #: Ids issued so far per prefix (``P`` proposals, ``D`` directives, ``Q`` requests),
    #: those of undone decisions included, so an id is never given twice.
    issued: dict[str, int] = field(default_factory=dict)
    #: Where each proposal's inbox item is: proposal id -> agencies whose inbox got it
    #: (one entry per item). Derived by ``evolve`` so that settling a proposal visits
    #: only its addressees' inboxes, not every agency's.
    proposal_inbox: dict[str, list[str]] = field(default_factory=dict)
    #: What the legality functions derived from this state (each agency's action
    #: options, known regions), valid while ``events`` is unchanged: every change of
    #: a state goes through ``evolve``, which counts it. Not state: never compared,
    #: shown or copied.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    #: Ids of the proposals still open, in the order they were made (derived by
    #: ``evolve``): who must answer is found among these, not among every proposal.
    open_proposals: dict[str, None] = field(default_factory=dict)
    #: Ids per agency, in the order given (derived by ``evolve``): the commitments it
    #: owes, the requests addressed to it not yet fulfilled in full, and the directives
    #: addressed to it. What one agency's action serves or answers is looked for among
    #: its own, not among everyone's.
    debts: dict[str, list[str]] = field(default_factory=dict)
    requests_to: dict[str, list[str]] = field(default_factory=dict)
    directives_to: dict[str, list[str]] = field(default_factory=dict)


def clone_state(s: ExerciseState) -> ExerciseState:
    """A copy of ``s`` that shares nothing mutable with it (much faster than deepcopy).

    Immutable members (pydantic ``CommitmentSpec``, ``InboxItem`` rows, which are
    never mutated after creation) are shared.
    """
    return ExerciseState(
        order=list(s.order),
        regions={
            k: RegionState(
                r.hazard,
                r.containment,
                r.prevention,
                r.trust,
                dict(r.need),
                dict(r.delivered),
                r.harm,
                r.unmet,
                r.coverage,
                r.waste,
                r.unmet_rounds,
                r.warning,
                r.border_closed,
                r.containment_floor,
            )
            for k, r in s.regions.items()
        },
        agencies={
            k: AgencyState(
                a.budget,
                dict(a.resources),
                a.reputation,
                a.points,
                a.response_level,
                a.withholding,
                dict(a.intel),
                dict(a.intel_round),
                a.hoarding,
            )
            for k, a in s.agencies.items()
        },
        phase=s.phase,
        seed=s.seed,
        stage=s.stage,
        stage_round=s.stage_round,
        round=s.round,
        wave=s.wave,
        turn=s.turn,
        active=s.active,
        paused=s.paused,
        turn_actions=s.turn_actions,
        fired=dict(s.fired),
        inbox={k: list(v) for k, v in s.inbox.items()},
        proposals={
            k: Proposal(
                p.id,
                p.parent,
                p.version,
                p.mechanism,
                p.proposer,
                list(p.parties),
                list(p.commitments),
                p.title,
                p.round,
                dict(p.answers),
                p.status,
                p.formalized,
                p.paper,
            )
            for k, p in s.proposals.items()
        },
        commitments={
            k: Commitment(c.id, c.proposal, c.spec, c.status, c.progress)
            for k, c in s.commitments.items()
        },
        directives={
            k: Directive(
                d.id, d.issuer, d.target, d.action, d.region, d.due_round, d.counterpart, d.status
            )
            for k, d in s.directives.items()
        },
        requests={
            k: Request(
                q.id, q.requester, q.target, q.region, q.resource, q.amount, q.round, q.fulfilled
            )
            for k, q in s.requests.items()
        },
        counterparts=list(s.counterparts),
        deployed={r: {res: dict(per) for res, per in d.items()} for r, d in s.deployed.items()},
        observations=s.observations,
        ended_reason=s.ended_reason,
        events=s.events,
        issued=dict(s.issued),
        proposal_inbox={k: list(v) for k, v in s.proposal_inbox.items()},
        open_proposals=dict(s.open_proposals),
        debts={k: list(v) for k, v in s.debts.items()},
        requests_to={k: list(v) for k, v in s.requests_to.items()},
        directives_to={k: list(v) for k, v in s.directives_to.items()},
    )
