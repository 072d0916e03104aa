"""The After-Action Report / Improvement Plan as data (pydantic v2).

:class:`Report` is what ``tabletop report --format json`` prints (documented in
``docs/report-json.md``) and what the Markdown and HTML renderers and the TUI
debrief read. Bump :data:`SCHEMA_VERSION` on any incompatible change.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tabletop.scoring.models import Flag, Network, ObjectiveRating, Scores

#: Version of the JSON layout (``schema_version`` in every report).
SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Overview(_Model):
    """Exercise overview: what was played, when, how it ended, headline figures."""

    scenario_id: str
    title: str
    briefing: str
    rules_id: str
    rules_title: str
    seed: int
    scenario_hash: str
    rules_hash: str
    engine_version: str
    started_at: str
    ended_at: str
    status: Literal["ended", "running"]
    ended_reason: str
    rounds: int
    stages_played: list[str]
    resurgences: int
    decisions: int
    undone: int
    events: int
    harm: float
    counterfactual_harm: float
    harm_avoided: float | None
    waste: float
    trust_start: float
    trust_end: float
    agreements: int
    paper_agreements: int
    commitments: dict[str, int]
    adjudications: int
    forced_stages: int
    manual_injects: int
    overall: float | None


class DimensionInfo(_Model):
    """A score dimension: id, title and what it measures."""

    id: str
    title: str
    description: str


class StageInfo(_Model):
    """A stage of the rule pack as played."""

    id: str
    title: str
    function: str
    rounds: int
    weights: dict[str, float]


class AgencyInfo(_Model):
    """An agency of the scenario."""

    id: str
    name: str
    level: str
    department: str
    superior: str | None
    regions: list[str]


class RegionInfo(_Model):
    """A region of the scenario."""

    id: str
    name: str
    population: float


class Finding(_Model):
    """A strength or an area for improvement.

    Attributes:
        kind: ``objective``, ``dimension``, ``outcome``, ``flag``, ``task``, ``network``,
            ``agency`` or ``commitments``.
        text: One or two sentences.
        agencies: Agencies concerned.
        evidence: Journal seqs.
    """

    kind: str
    text: str
    agencies: list[str] = Field(default_factory=list)
    evidence: list[int] = Field(default_factory=list)


class PlanItem(_Model):
    """A row of the improvement plan.

    Attributes:
        issue: What went wrong.
        corrective_action: What to change.
        responsible: Agency responsible for the change.
        capability: Core capability concerned ("" when none).
        priority: ``high`` (major flag or missed critical task), ``medium`` (minor flag),
            ``low`` (weak score).
        evidence: Journal seqs.
        id: Stable id of the row (``flag.<code>.<agency>``, ``task.<objective>.<task>``,
            ``scores.<agency>``); ``plan_action_updated`` events name it.
        owner: Primary responsible organisation (the responsible agency's name until
            the debrief sets another).
        poc: Point of contact in that organisation.
        start: Start date ``YYYY-MM-DD`` ("" when not set).
        due: Completion (due) date ``YYYY-MM-DD`` ("" when not set).
        status: ``open``, ``in_progress`` or ``complete``.
        updated_seq: Journal seq of the latest update of the row (0: never updated).
    """

    issue: str
    corrective_action: str
    responsible: str
    capability: str
    priority: Literal["high", "medium", "low"]
    evidence: list[int] = Field(default_factory=list)
    id: str = ""
    owner: str = ""
    poc: str = ""
    start: str = ""
    due: str = ""
    status: Literal["open", "in_progress", "complete"] = "open"
    updated_seq: int = 0


class Feedback(_Model):
    """An agency's participant feedback form (hot wash), its latest submission.

    Attributes:
        agency: The agency.
        author: Who filled it in ("" when not given).
        strengths: Strengths the participants saw.
        improvements: Areas for improvement they saw.
        ratings: Question id (``tabletop.model.evaluation.FEEDBACK_QUESTIONS``) -> 1..5.
        comments: Anything else.
        seq: Journal seq of this submission.
        revisions: Earlier submissions of the same agency it replaces.
    """

    agency: str
    author: str
    strengths: str
    improvements: str
    ratings: dict[str, int]
    comments: str
    seq: int
    revisions: int = 0


class TimelineEntry(_Model):
    """One line of the timeline.

    Attributes:
        seq: Journal position.
        round: Exercise round.
        stage_round: Round within the stage.
        agency: Agency that decided (None for system and facilitator events).
        category: ``decision``, ``result``, ``inject``, ``stage`` or ``facilitator``.
        text: What happened.
        flags: Engine flags of the decision.
        undone: The facilitator undid it (kept for the audit trail; it does not count).
        at: The journal timestamp of the event (ISO 8601).
    """

    seq: int
    round: int
    stage_round: int
    agency: str | None
    category: str
    text: str
    flags: list[str] = Field(default_factory=list)
    undone: bool = False
    at: str = ""


class TimelineStage(_Model):
    """The timeline of one visit of a stage."""

    stage: str
    title: str
    wave: int
    first_round: int
    last_round: int
    entries: list[TimelineEntry]


class Observation(_Model):
    """An evaluator or facilitator observation."""

    seq: int
    round: int
    stage: str
    agency: str | None
    author: str
    text: str


class ExpressionFailure(_Model):
    """A condition or effect that failed while the exercise ran (``expression_failed``).

    The effect was skipped (a condition counted as false) and play went on.
    """

    seq: int
    round: int
    stage: str
    source: Literal["inject", "action", "stage"]
    ref: str
    agency: str | None
    part: str
    key: str
    line: int
    col: int
    text: str
    message: str
    summary: str


class RoundPoint(_Model):
    """Figures of one resolved round, next to the nobody-acts run of the same seed."""

    round: int
    stage: str
    mean_hazard: float
    max_hazard: float
    harm_added: float
    harm: float
    mean_trust: float
    waste: float
    cf_mean_hazard: float | None
    cf_harm_added: float | None
    cf_harm: float | None


class Report(_Model):
    """The whole After-Action Report / Improvement Plan (see docs/report-json.md)."""

    schema_version: int = SCHEMA_VERSION
    overview: Overview
    dimensions: list[DimensionInfo]
    stages: list[StageInfo]
    agencies: list[AgencyInfo]
    regions: list[RegionInfo]
    scores: Scores
    objectives: list[ObjectiveRating]
    flags: list[Flag]
    strengths: list[Finding]
    improvements: list[Finding]
    plan: list[PlanItem]
    timeline: list[TimelineStage]
    observations: list[Observation]
    network: Network
    series: list[RoundPoint]
    feedback: list[Feedback] = Field(default_factory=list)
    feedback_means: dict[str, float | None] = Field(
        default_factory=dict, description="Question id -> mean rating over the agencies."
    )
    expression_failures: list[ExpressionFailure] = Field(default_factory=list)
