"""Result models of the debrief scoring (pydantic v2, immutable, JSON-ready)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Score(_Model):
    """One score with what it rests on.

    Attributes:
        value: 0-100, or None when there was nothing to judge (e.g. no commitment due).
        evidence: Journal seqs of the events behind the score.
        explanation: One sentence: what was counted and how it became the value.
    """

    value: float | None
    evidence: list[int] = Field(default_factory=list)
    explanation: str = ""


class ScoreCard(_Model):
    """The ten dimensions and the weighted overall of one agency/stage cell or aggregate."""

    dimensions: dict[str, Score]
    overall: Score


class AgencyScores(_Model):
    """Scores of one agency: per stage and over the whole exercise."""

    agency: str
    stages: dict[str, ScoreCard]
    total: ScoreCard


class PrivateScore(_Model):
    """An agency's private score: its own regions' outcome mixed with the common one.

    ``value = local_interest x own + (1 - local_interest) x common`` (DESIGN.md: local
    self-interest). Shown to that agency only during play; in the debrief next to the
    common score.

    Attributes:
        agency: Agency id.
        local_interest: The agency's ``local_interest`` (scenario), in [0, 1].
        regions: Its own regions (scenario ``regions``; else the regions under it).
        own: Harm avoided in those regions against the nobody-acts run, 0-100.
        common: Harm avoided over every region (the exercise's outcome), 0-100.
        value: The private score.
    """

    agency: str
    local_interest: float
    regions: list[str]
    own: Score
    common: Score
    value: Score


class Scores(_Model):
    """Every score of an exercise.

    Attributes:
        dimensions: Dimension ids in display order.
        stages: Stages played, in rule-pack order.
        rounds: Stage -> rounds played in it (the weight of the stage in totals).
        weights: Stage -> dimension -> weight used for the overall.
        agencies: Agency -> its scores.
        stage_totals: Stage -> all agencies together.
        total: The whole exercise.
        private: Agency -> its private score (local self-interest).
    """

    dimensions: list[str]
    stages: list[str]
    rounds: dict[str, int]
    weights: dict[str, dict[str, float]]
    agencies: dict[str, AgencyScores]
    stage_totals: dict[str, ScoreCard]
    total: ScoreCard
    private: dict[str, PrivateScore] = Field(default_factory=dict)


Severity = Literal["major", "minor"]


class Flag(_Model):
    """A problem the evaluator should look at (drives ratings and the improvement plan).

    Attributes:
        code: Stable id (``concealment``, ``broken_commitment``...).
        severity: ``major`` or ``minor``.
        agency: Responsible agency, when one is.
        stage: Stage it happened in.
        round: Exercise round.
        text: One human sentence.
        evidence: Journal seqs.
    """

    code: str
    severity: Severity
    agency: str | None
    stage: str
    round: int
    text: str
    evidence: list[int] = Field(default_factory=list)


class TaskEvidence(_Model):
    """An inject expectation that evidences a critical task, and the decision that met it.

    Attributes:
        inject: Inject id.
        title: Inject title.
        inject_seq: Seq of the ``inject_fired``.
        inject_round: Exercise round the inject fired in.
        agency: Agency the inject expected to act.
        action: Expected catalogue action.
        status: ``met``, ``missed`` or ``pending``.
        seq: Seq of the decision that met it (0 when none).
        round: Round of that decision (0 when none).
        rounds: Rounds from the inject to the decision (negative: done before the inject).
        seconds: Wall-clock seconds from the inject to the decision (journal times;
            negative when done before it), None when not met.
    """

    inject: str
    title: str
    inject_seq: int
    inject_round: int
    agency: str
    action: str
    status: Literal["met", "missed", "pending"]
    seq: int = 0
    round: int = 0
    rounds: int | None = None
    seconds: float | None = None


class TaskResult(_Model):
    """A critical task of an objective and whether it was done on time.

    Attributes:
        id: Task id.
        text: Task text from the scenario.
        agency: Who had to do it (None: any agency).
        status: ``on_time``, ``late``, ``missed`` or ``not_reached`` (its stage never came).
        seq: Seq of the decision that did it (0 when none).
        round: Exercise round it was done in (0 when not done).
        done_by: Agency that did it.
        deadline: Human description of the deadline.
        evidence: Inject expectations that name this task (``expect.objective``), with
            the decision that met each and the time from inject to decision.
    """

    id: str
    text: str
    agency: str | None
    status: Literal["on_time", "late", "missed", "not_reached"]
    seq: int = 0
    round: int = 0
    done_by: str | None = None
    deadline: str = ""
    evidence: list[TaskEvidence] = Field(default_factory=list)
    confirmed: Literal["P", "S", "M", "U"] | None = Field(
        None, description="The evaluator's rating of the task (its latest)."
    )
    confirmed_note: str = ""


Rating = Literal["P", "S", "M", "U"]


class ObjectiveRating(_Model):
    """HSEEP rating of one objective.

    Attributes:
        id: Objective id.
        title: Objective title.
        capability: Core capability.
        tasks: Critical tasks and their results.
        share: Share of critical tasks done on time.
        flags: Major and minor flags in the objective's scope.
        auto: Rating computed from the share and the flags.
        reason: Why ``auto`` (one or two sentences).
        confirmed: Latest rating the evaluator confirmed, if any.
        note: The evaluator's note with it.
        confirmed_seq: Seq of that ``rating_confirmed`` (0 when none).
        rating: The rating that counts: ``confirmed`` when present, else ``auto``.
        stages: Stages in scope.
        agencies: Agencies in scope.
    """

    id: str
    title: str
    capability: str
    tasks: list[TaskResult]
    share: float
    flags: list[Flag]
    auto: Rating
    reason: str
    confirmed: Rating | None = None
    note: str = ""
    confirmed_seq: int = 0
    rating: Rating
    stages: list[str]
    agencies: list[str]


class Edge(_Model):
    """An undirected tie between two agencies in one network.

    Attributes:
        a: First agency (scenario order).
        b: Second agency.
        weight: Number of honoured ties between them.
        axis: ``horizontal`` or ``vertical``.
        kinds: Kinds of ties (``share``, ``delivery``...).
        evidence: Seqs of the ties.
    """

    a: str
    b: str
    weight: int
    axis: str
    kinds: list[str]
    evidence: list[int]


class NetworkMetrics(_Model):
    """One cooperation network (one stage or the whole exercise, one layer or all).

    Attributes:
        layer: ``all``, ``resource``, ``information`` or ``policy``.
        nodes: Agencies (all of them, isolated ones included).
        ties: Number of honoured ties (directed events).
        edges: Distinct pairs of agencies tied.
        density: Edges / possible pairs.
        centralization: Freeman degree centralization (0 = even, 1 = a star).
        central: Agencies with the highest degree.
        brokers: Agencies with the highest betweenness (when above 0).
        degree: Agency -> number of partners.
        horizontal: Edges between agencies on the horizontal axis.
        vertical: Edges along the hierarchy.
        isolated: Agencies without any tie.
        links: The edges.
    """

    layer: str
    nodes: list[str]
    ties: int
    edges: int
    density: float
    centralization: float
    central: list[str]
    brokers: list[str]
    degree: dict[str, int]
    horizontal: int
    vertical: int
    isolated: list[str]
    links: list[Edge]


class Network(_Model):
    """Cooperation networks per stage and over the exercise, each per layer."""

    layers: list[str]
    stages: dict[str, dict[str, NetworkMetrics]]
    exercise: dict[str, NetworkMetrics]
