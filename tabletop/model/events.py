"""Events: what happened, in the past tense.

Events carry every outcome (including random draws), so
:func:`tabletop.engine.evolve` only applies numbers and never computes or
fails. Each event kind has a ``v`` (schema version); the journal refuses
versions newer than it knows.
"""

from __future__ import annotations

from typing import Annotated, Literal, NamedTuple

from pydantic import Field, TypeAdapter

from tabletop.model.base import Strict
from tabletop.model.commands import CommitmentSpec, SeatCode

#: The newest event schema version this engine reads (and writes, for ``action_taken``).
EVENT_VERSION = 2


class _Ev(Strict):
    v: int = 1


class ExerciseStarted(_Ev):
    """First event of every journal."""

    kind: Literal["exercise_started"] = "exercise_started"
    scenario_id: str
    scenario_path: str
    scenario_hash: str
    rules_hash: str
    engine_version: str
    seed: int
    order: list[str]


class RoundStarted(_Ev):
    """A new round begins."""

    kind: Literal["round_started"] = "round_started"
    round: int
    stage: str
    stage_round: int


class InjectFired(_Ev):
    """An inject (scripted, conditional, manual or generated) reached its addressees."""

    kind: Literal["inject_fired"] = "inject_fired"
    inject: str
    round: int
    stage: str
    to: list[str]
    private: bool
    type: str
    title: str
    text: str
    manual: bool = False
    changes: dict[str, float] = Field(default_factory=dict)


class TurnStarted(_Ev):
    """An agency's turn begins with its action points."""

    kind: Literal["turn_started"] = "turn_started"
    agency: str
    points: int


class ActionTaken(_Ev):
    """An agency took a catalogue action; ``changes`` are the resulting values."""

    v: int = 2
    kind: Literal["action_taken"] = "action_taken"
    agency: str
    action: str
    handler: str
    cost: int
    round: int
    stage: str
    region: str | None = None
    target: str | None = None
    resource: str | None = None
    amount: float = 0.0
    level: str | None = None
    accuracy: float = 1.0
    mode: str | None = None
    order: str | None = None
    agreement: str | None = None
    tags: list[str] = Field(default_factory=list)
    changes: dict[str, float] = Field(default_factory=dict)
    intel: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="Agency -> region -> hazard it now knows."
    )
    flags: list[str] = Field(default_factory=list)
    directed_by: str | None = None
    progress: dict[str, float] = Field(
        default_factory=dict, description="Commitment id -> progress after this action."
    )
    fulfils: dict[str, float] = Field(
        default_factory=dict, description="Request id -> amount fulfilled after this action."
    )
    request: str | None = Field(
        default=None,
        description="Id of the request a request_support made (version 2; version 1 "
        "events leave it out and the request is numbered by count).",
    )


class ProposalMade(_Ev):
    """A proposal (or a counter, with ``parent``) was put to its parties."""

    kind: Literal["proposal_made"] = "proposal_made"
    directed_by: str | None = None
    proposal: str
    parent: str | None = None
    version: int = 1
    agency: str
    action: str
    cost: int
    mechanism: str
    parties: list[str]
    commitments: list[CommitmentSpec]
    title: str
    round: int
    stage: str
    flags: list[str] = Field(default_factory=list)


class ProposalAnswered(_Ev):
    """A party accepted or rejected a proposal."""

    kind: Literal["proposal_answered"] = "proposal_answered"
    proposal: str
    agency: str
    action: str
    cost: int
    accepted: bool
    round: int
    stage: str


class AgreementActivated(_Ev):
    """Every party accepted: the agreement and its commitments are active."""

    kind: Literal["agreement_activated"] = "agreement_activated"
    proposal: str
    round: int
    stage: str
    commitment_ids: list[str]
    paper: bool = Field(description="No concrete deliverable: paper cooperation.")


class ProposalClosed(_Ev):
    """A proposal was rejected or superseded by a counter."""

    kind: Literal["proposal_closed"] = "proposal_closed"
    proposal: str
    status: Literal["rejected", "superseded"]
    round: int


class DirectiveIssued(_Ev):
    """A superior ordered a subordinate to act by a round."""

    kind: Literal["directive_issued"] = "directive_issued"
    directive: str
    issuer: str
    target: str
    action: str
    region: str | None = None
    due_round: int
    round: int
    stage: str
    counterpart: bool = False


class TurnEnded(_Ev):
    """An agency ended its turn."""

    kind: Literal["turn_ended"] = "turn_ended"
    agency: str
    points_left: int


class RegionOutcome(Strict):
    """A region's values after a round's resolution."""

    hazard: float
    containment: float
    need: dict[str, float]
    delivered: dict[str, float]
    unmet: float
    coverage: float
    harm: float
    harm_added: float
    waste: float
    unmet_rounds: int
    trust: float
    noise: float
    #: Need added (+) or taken away (-) this round by hoarding, per resource (older
    #: journals: none).
    displaced: dict[str, float] = Field(default_factory=dict)


class RoundResolved(_Ev):
    """Deterministic resolution of a round (hazard, spread, need, harm, trust)."""

    kind: Literal["round_resolved"] = "round_resolved"
    round: int
    stage: str
    regions: dict[str, RegionOutcome]
    intel: dict[str, dict[str, float]] = Field(default_factory=dict)
    #: Values set by the round's fiscal recovery (``agencies.X.budget``; older journals: none).
    changes: dict[str, float] = Field(default_factory=dict)


class CommitmentResolved(_Ev):
    """A due commitment was checked."""

    kind: Literal["commitment_resolved"] = "commitment_resolved"
    commitment: str
    proposal: str
    debtor: str
    creditor: str
    status: Literal["honoured", "partial", "broken"]
    share: float
    formalized: bool
    round: int
    stage: str
    changes: dict[str, float] = Field(default_factory=dict)


class DirectiveResolved(_Ev):
    """A directive's deadline passed."""

    kind: Literal["directive_resolved"] = "directive_resolved"
    directive: str
    target: str
    status: Literal["complied", "ignored"]
    round: int


class StageChanged(_Ev):
    """The exercise moved to another stage."""

    kind: Literal["stage_changed"] = "stage_changed"
    from_stage: str | None
    to_stage: str
    reason: Literal["start", "rounds", "condition", "resurgence", "forced"]
    round: int
    note: str = ""


class ExercisePaused(_Ev):
    """Facilitator paused the exercise."""

    kind: Literal["exercise_paused"] = "exercise_paused"


class ExerciseResumed(_Ev):
    """Facilitator resumed the exercise."""

    kind: Literal["exercise_resumed"] = "exercise_resumed"


class Adjudicated(_Ev):
    """Facilitator overrode a value."""

    kind: Literal["adjudicated"] = "adjudicated"
    target: str
    old: float
    new: float
    reason: str
    round: int


class ObservationRecorded(_Ev):
    """Evaluator or facilitator note."""

    kind: Literal["observation_recorded"] = "observation_recorded"
    text: str
    agency: str | None
    author: str
    round: int
    stage: str


class TurnUndone(_Ev):
    """Facilitator undid the active agency's decisions of this turn (kept in the journal)."""

    kind: Literal["turn_undone"] = "turn_undone"
    agency: str
    round: int


class ExerciseEnded(_Ev):
    """The exercise is over."""

    kind: Literal["exercise_ended"] = "exercise_ended"
    reason: str
    round: int


class RatingConfirmed(_Ev):
    """Evaluator confirmed or overrode an objective rating."""

    kind: Literal["rating_confirmed"] = "rating_confirmed"
    objective: str
    rating: Literal["P", "S", "M", "U"]
    note: str
    task: str | None = None


class FeedbackSubmitted(_Ev):
    """An agency's participant feedback form of the hot wash (its latest one counts)."""

    kind: Literal["feedback_submitted"] = "feedback_submitted"
    agency: str
    author: str = ""
    strengths: str = ""
    improvements: str = ""
    ratings: dict[str, int] = Field(
        default_factory=dict, description="Question id -> 1..5 (unanswered ones left out)."
    )
    comments: str = ""


class PlanActionUpdated(_Ev):
    """The improvement plan's corrective action got an owner, a contact, dates or a status.

    Only the fields given (not None) change; ``""`` clears one.
    """

    kind: Literal["plan_action_updated"] = "plan_action_updated"
    action: str
    owner: str | None = None
    poc: str | None = None
    start: str | None = None
    due: str | None = None
    status: Literal["open", "in_progress", "complete"] | None = None


class ExpressionFailed(_Ev):
    """A condition or effect could not be evaluated while the exercise ran.

    Expressions are type-checked when the scenario loads; what can still fail
    (a result too large, ``clamp`` bounds crossing, zero to a negative power) is
    recorded here instead of stopping the exercise. A failed effect was skipped
    (the state is unchanged by it; the inject's or action's other effects
    applied); a failed condition counted as false. Changes nothing in the state.
    """

    kind: Literal["expression_failed"] = "expression_failed"
    source: Literal["inject", "action", "stage"]
    ref: str = Field(description="The inject, action or stage id.")
    agency: str | None = Field(default=None, description="The acting agency (actions).")
    part: Literal["when", "effect", "advance_if", "regress_if"]
    text: str = Field(description="The expression or effect as written.")
    file: str
    line: int
    col: int
    key: str = Field(description="Dotted key of the expression: injects[2].effects[0].")
    message: str
    round: int
    stage: str


class FacilitatorPinSet(_Ev):
    """The facilitator's PIN was set: its salted hash (the PIN itself is never stored)."""

    kind: Literal["facilitator_pin_set"] = "facilitator_pin_set"
    scheme: str
    salt: str
    digest: str
    round: int


class FacilitatorAccessRefused(_Ev):
    """A facilitator action was refused to a terminal without the facilitator's role."""

    kind: Literal["facilitator_access_refused"] = "facilitator_access_refused"
    action: str
    seat: str
    reason: str
    round: int


class JoinCodesIssued(_Ev):
    """The facilitator issued join codes (their salted hashes; the codes are never stored)."""

    kind: Literal["join_codes_issued"] = "join_codes_issued"
    codes: list[SeatCode]
    round: int


Event = Annotated[
    ExerciseStarted
    | RoundStarted
    | InjectFired
    | TurnStarted
    | ActionTaken
    | ProposalMade
    | ProposalAnswered
    | AgreementActivated
    | ProposalClosed
    | DirectiveIssued
    | TurnEnded
    | RoundResolved
    | CommitmentResolved
    | DirectiveResolved
    | StageChanged
    | ExercisePaused
    | ExerciseResumed
    | Adjudicated
    | ObservationRecorded
    | TurnUndone
    | ExerciseEnded
    | RatingConfirmed
    | FeedbackSubmitted
    | PlanActionUpdated
    | ExpressionFailed
    | FacilitatorPinSet
    | FacilitatorAccessRefused
    | JoinCodesIssued,
    Field(discriminator="kind"),
]
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)

#: Player decisions that an undo of the current turn takes back.
UNDOABLE = frozenset(
    {
        "action_taken",
        "proposal_made",
        "proposal_answered",
        "agreement_activated",
        "proposal_closed",
        "directive_issued",
    }
)


#: Events about the terminals, not the game: ``evolve`` leaves the state as it is
#: (not even the events counter that seeds the random draws moves).
SESSION_KINDS = frozenset(
    {"facilitator_pin_set", "facilitator_access_refused", "join_codes_issued"}
)


class Record(NamedTuple):
    """An event as stored in the journal.

    Attributes:
        seq: 1-based position in the journal.
        decision_id: The decision (command) that produced it.
        at: ISO timestamp from the clock passed to the engine.
        event: The event itself.
    """

    seq: int
    decision_id: str
    at: str
    event: Event
