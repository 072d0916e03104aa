"""Commands: what a player or the facilitator asks the engine to do.

Commands are imperative and validated by :func:`tabletop.engine.decide`, which
either raises :class:`~tabletop.errors.IllegalCommand` or returns events.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from tabletop.model.base import UserInput

Deliverable = Literal["deliver", "funds", "information", "action"]


class CommitmentSpec(UserInput):
    """A concrete commitment inside a proposal: who owes what to whom by when."""

    debtor: str
    creditor: str
    deliverable: Deliverable
    amount: float = Field(0.0, ge=0.0, le=1e9)
    resource: str | None = None
    region: str | None = None
    action: str | None = None
    due_round: int = Field(ge=1, le=10_000, description="Exercise round it is due in.")

    def describe(self) -> str:
        """One-line human description."""
        what = {
            "deliver": f"deliver {self.amount:g} {self.resource or ''} to {self.region or '?'}",
            "funds": f"pay {self.amount:g} funds",
            "information": f"share information on {self.region or '?'}",
            "action": f"take action '{self.action or '?'}'"
            + (f" in {self.region}" if self.region else ""),
        }[self.deliverable]
        return f"{self.debtor} -> {self.creditor}: {what} by round {self.due_round}"


class _Cmd(UserInput):
    decision_id: str = Field("", max_length=80, description="Idempotency key; set by the caller.")


class StartExercise(_Cmd):
    """Open the exercise: record scenario hash, engine version and seed."""

    kind: Literal["start"] = "start"


class TakeAction(_Cmd):
    """An agency takes one catalogue action (everything but negotiation)."""

    kind: Literal["take_action"] = "take_action"
    agency: str
    action: str
    region: str | None = None
    target: str | None = None
    resource: str | None = None
    amount: float = Field(0.0, ge=0.0, le=1e9)
    level: str | None = None
    accuracy: float = Field(1.0, ge=0.0, le=1.0)
    mode: Literal["hoard", "close_border", "withhold_data"] | None = None
    order: str | None = Field(None, description="Ordered action id (directives).")
    agreement: str | None = None


class ProposeAgreement(_Cmd):
    """Propose a cooperation agreement with concrete commitments."""

    kind: Literal["propose_agreement"] = "propose_agreement"
    agency: str
    action: str = "propose_agreement"
    mechanism: str
    parties: list[str] = Field(
        min_length=1, max_length=50, description="Partners; the proposer is added when absent."
    )
    commitments: list[CommitmentSpec] = Field(default_factory=list, max_length=50)
    title: str = Field("", max_length=200)


class AnswerProposal(_Cmd):
    """Accept or reject a proposal addressed to the agency."""

    kind: Literal["answer_proposal"] = "answer_proposal"
    agency: str
    proposal: str
    accept: bool


class CounterProposal(_Cmd):
    """Answer a proposal with a new version (linked to the old one)."""

    kind: Literal["counter_proposal"] = "counter_proposal"
    agency: str
    proposal: str
    commitments: list[CommitmentSpec] = Field(default_factory=list, max_length=50)
    parties: list[str] | None = None
    title: str = Field("", max_length=200)


class EndTurn(_Cmd):
    """The active agency ends its turn (the last one triggers resolution)."""

    kind: Literal["end_turn"] = "end_turn"
    agency: str


class Pause(_Cmd):
    """Facilitator: pause (no player command is accepted while paused)."""

    kind: Literal["pause"] = "pause"


class Resume(_Cmd):
    """Facilitator: resume after a pause."""

    kind: Literal["resume"] = "resume"


class ReleaseInject(_Cmd):
    """Facilitator: fire an inject by hand now."""

    kind: Literal["release_inject"] = "release_inject"
    inject: str


class ForceStage(_Cmd):
    """Facilitator: move the exercise to another stage now."""

    kind: Literal["force_stage"] = "force_stage"
    stage: str
    reason: str = Field(min_length=1, max_length=500)


class Adjudicate(_Cmd):
    """Facilitator: override a state value, with a logged reason."""

    kind: Literal["adjudicate"] = "adjudicate"
    target: str = Field(description="Dotted name, e.g. regions.coastal_city.hazard.")
    value: float
    reason: str = Field(min_length=1, max_length=500)


class AddObservation(_Cmd):
    """Evaluator/facilitator observation for the after-action report."""

    kind: Literal["add_observation"] = "add_observation"
    text: str = Field(min_length=1, max_length=2000)
    agency: str | None = None
    author: str = Field("facilitator", max_length=80)


class UndoTurn(_Cmd):
    """Facilitator: undo the active agency's decisions in the current turn."""

    kind: Literal["undo_turn"] = "undo_turn"


class EndExercise(_Cmd):
    """Facilitator: end the exercise now."""

    kind: Literal["end_exercise"] = "end_exercise"
    reason: str = Field("ended by facilitator", max_length=500)


class ConfirmRating(_Cmd):
    """Evaluator: confirm or override an objective's P/S/M/U rating, or rate one of its tasks."""

    kind: Literal["confirm_rating"] = "confirm_rating"
    objective: str
    rating: Literal["P", "S", "M", "U"]
    note: str = Field("", max_length=2000)
    task: str | None = Field(
        None, max_length=120, description="A critical task of the objective: rate that task."
    )


class SubmitFeedback(_Cmd):
    """Hot wash: an agency's participant feedback form (legal once the exercise ended)."""

    kind: Literal["submit_feedback"] = "submit_feedback"
    agency: str
    author: str = Field("", max_length=120, description="Who filled it in (name, position).")
    strengths: str = Field("", max_length=4000)
    improvements: str = Field("", max_length=4000)
    ratings: dict[str, int] = Field(
        default_factory=dict, description="Question id -> 1..5 (see tabletop.model.evaluation)."
    )
    comments: str = Field("", max_length=4000)


class UpdatePlanAction(_Cmd):
    """Set a corrective action's owner, contact, dates or status (legal once the exercise ended).

    Fields left None stay as they were; ``""`` clears one. Dates are ``YYYY-MM-DD``.
    """

    kind: Literal["update_plan_action"] = "update_plan_action"
    action: str = Field(min_length=1, max_length=120, description="Improvement-plan row id.")
    owner: str | None = Field(None, max_length=200)
    poc: str | None = Field(None, max_length=200)
    start: str | None = Field(None, max_length=10)
    due: str | None = Field(None, max_length=10)
    status: Literal["open", "in_progress", "complete"] | None = None


class ReleaseAdHocInject(_Cmd):
    """Facilitator: write an inject during play and release it now (journaled like a scripted one)."""

    kind: Literal["release_adhoc_inject"] = "release_adhoc_inject"
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=4000)
    to: list[str] = Field(
        min_length=1, max_length=200, description="Agency ids, or ['all'] for everyone."
    )
    type: Literal["information", "event", "directive", "media", "resource", "request"] = (
        "information"
    )
    private: bool | None = Field(None, description="Default: private unless sent to all.")


class SetFacilitatorPin(_Cmd):
    """Record the facilitator's PIN as a salted hash (never the PIN itself)."""

    kind: Literal["set_facilitator_pin"] = "set_facilitator_pin"
    scheme: str = Field(max_length=80, description="Hash and parameters, e.g. scrypt:16384:8:1.")
    salt: str = Field(min_length=16, max_length=128, description="Hex.")
    digest: str = Field(min_length=32, max_length=256, description="Hex.")


class RecordAccessRefused(_Cmd):
    """Journal a refused attempt at a facilitator action (changes nothing in the game)."""

    kind: Literal["record_access_refused"] = "record_access_refused"
    action: str = Field(max_length=80, description="What was attempted, e.g. release_inject.")
    seat: str = Field(max_length=120, description="Who tried: the terminal's role.")
    reason: str = Field(max_length=300)


class SeatCode(UserInput):
    """A join code's salted hash, for one seat (an agency, ``facilitator`` or ``evaluator``)."""

    seat: str = Field(max_length=80)
    scheme: str = Field(max_length=80, description="Hash and parameters, e.g. scrypt:16384:8:1.")
    salt: str = Field(min_length=16, max_length=128, description="Hex.")
    digest: str = Field(min_length=32, max_length=256, description="Hex.")


class IssueJoinCodes(_Cmd):
    """Record the join codes of the seats as salted hashes (replacing any issued before)."""

    kind: Literal["issue_join_codes"] = "issue_join_codes"
    codes: list[SeatCode] = Field(min_length=1, max_length=200)


Command = Annotated[
    StartExercise
    | TakeAction
    | ProposeAgreement
    | AnswerProposal
    | CounterProposal
    | EndTurn
    | Pause
    | Resume
    | ReleaseInject
    | ForceStage
    | Adjudicate
    | AddObservation
    | UndoTurn
    | EndExercise
    | ConfirmRating
    | SubmitFeedback
    | UpdatePlanAction
    | ReleaseAdHocInject
    | SetFacilitatorPin
    | RecordAccessRefused
    | IssueJoinCodes,
    Field(discriminator="kind"),
]
COMMAND_ADAPTER: TypeAdapter[Command] = TypeAdapter(Command)
PLAYER_COMMANDS = (TakeAction, ProposeAgreement, AnswerProposal, CounterProposal, EndTurn)
