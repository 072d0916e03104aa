"""Rule pack: stages, action catalogue, formula parameters, scoring weights.

A rule pack is a TOML file in ``rules/``. Every number the engine uses to
resolve a round comes from here, so a facilitator can tune the game without
touching code.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, field_validator, model_validator

from tabletop.model.base import Id, Strict

StageFunction = Literal["trigger", "operation", "adjustment", "evaluation"]
Level = Literal["central", "provincial", "municipal", "county"]
LEVELS: tuple[str, ...] = ("central", "provincial", "municipal", "county")
Tag = Literal["horizontal", "vertical", "resource", "information", "policy", "defect"]
Mechanism = Literal[
    "regional_cooperation",
    "joint_operation",
    "joint_mechanism",
    "counterpart_support",
    "compensation",
]
MECHANISMS: tuple[str, ...] = get_args(Mechanism)
Handler = Literal[
    "monitor",
    "report_up",
    "share_information",
    "issue_warning",
    "public_release",
    "deploy",
    "invest_prevention",
    "request_support",
    "propose",
    "accept",
    "reject",
    "counter",
    "local_protection",
    "activate_response",
    "directive",
    "special_funds",
    "transfer_payment",
    "assign_counterpart",
    "formalize",
    "set_rule",
    "joint_review",
    "compensate",
    "pass",
]
ScoreDimension = Literal[
    "horizontal",
    "vertical",
    "resource",
    "information",
    "policy",
    "initiative",
    "efficiency",
    "reliability",
    "outcome",
    "trust",
]
SCORE_DIMENSIONS: tuple[str, ...] = get_args(ScoreDimension)
WARNING_LEVELS: tuple[str, ...] = ("blue", "yellow", "orange", "red")


class PackInfo(Strict):
    """Header of a rule pack."""

    id: str
    title: str
    version: int = 1
    action_points: int = Field(3, ge=1, le=20)
    max_rounds: int = Field(24, ge=1, le=500)
    max_waves: int = Field(
        2, ge=1, le=10, description="Waves of the disaster: 1 + returns to an earlier stage."
    )


class StageRule(Strict):
    """One stage of the disaster and its cooperation function."""

    id: Id
    title: str
    function: StageFunction
    rounds: int = Field(ge=1, le=50, description="Default number of rounds.")
    growth: float = Field(1.0, ge=0.0, le=3.0, description="Hazard growth factor per round.")
    advance_if: str | None = Field(None, description="Condition for leaving the stage early.")
    regress_if: str | None = Field(None, description="Condition for a resurgence.")
    regress_to: str | None = None
    weights: dict[ScoreDimension, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _regress_pair(self) -> StageRule:
        if (self.regress_if is None) != (self.regress_to is None):
            raise ValueError("regress_if and regress_to must be given together")
        return self


class ActionRule(Strict):
    """One entry of the action catalogue."""

    title: str
    handler: Handler | None = Field(None, description="Engine verb; defaults to the action id.")
    description: str = ""
    cost: int = Field(1, ge=0, le=20, description="Action points.")
    stages: list[str] = Field(default_factory=list, description="Allowed stages; empty = all.")
    levels: list[Level] = Field(default_factory=list, description="Allowed levels; empty = all.")
    authority: str | None = Field(None, description="Authority the agency must hold.")
    tags: list[Tag] = Field(default_factory=list)
    effects: list[str] = Field(default_factory=list, description="Effect expressions.")
    mechanism: Mechanism | None = Field(None, description="For propose: the fixed mechanism.")
    min_parties: int = Field(2, ge=2, le=50)


class ResourceRule(Strict):
    """A resource type and how much of it a region needs."""

    title: str
    unit: str = "units"
    need_weight: float = Field(gt=0.0, le=1000.0)


class Formula(Strict):
    """Tunable parameters of the resolution formulas (DESIGN.md section 2)."""

    mitigation: float = Field(0.6, ge=0.0, le=1.0)
    coverage_containment: float = Field(0.6, ge=0.0, le=1.0)
    need_scale: float = Field(1.0, gt=0.0, le=1e6)
    harm_rate: float = Field(1.0, ge=0.0, le=100.0)
    harm_persistence: float = Field(0.25, ge=0.0, le=10.0)
    consumption: float = Field(0.5, ge=0.0, le=1.0)
    trust_unmet: float = Field(8.0, ge=0.0, le=100.0)
    trust_recovery: float = Field(2.0, ge=0.0, le=100.0)
    accountability_trust: float = Field(40.0, ge=0.0, le=100.0)
    response_containment: float = Field(0.03, ge=0.0, le=1.0)
    joint_containment: float = Field(0.05, ge=0.0, le=1.0)
    noise: float = Field(0.02, ge=0.0, le=0.5)
    blind_factor: float = Field(0.5, ge=0.0, le=1.0, description="Share delivered without intel.")
    border_spread: float = Field(
        0.5, ge=0.0, le=1.0, description="Incoming spread kept when closed."
    )
    warning_thresholds: dict[str, float] = Field(
        default_factory=lambda: {"blue": 0.15, "yellow": 0.35, "orange": 0.55, "red": 0.75}
    )
    honoured_share: float = Field(0.95, ge=0.0, le=1.0)
    partial_share: float = Field(0.5, ge=0.0, le=1.0)
    reputation_honoured: float = Field(5.0, ge=0.0, le=100.0)
    reputation_broken: float = Field(10.0, ge=0.0, le=100.0)
    trust_broken: float = Field(3.0, ge=0.0, le=100.0)
    budget_recovery: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Share of its initial budget an agency recovers per round, times development.",
    )
    fund_leverage: float = Field(
        0.5,
        ge=0.0,
        le=10.0,
        description="Extra worth of funds received, times (1 - the receiver's development).",
    )
    hoard_displacement: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Share of a hoarding region's need pushed along each link, times k.",
    )

    @field_validator("warning_thresholds")
    @classmethod
    def _levels(cls, v: dict[str, float]) -> dict[str, float]:
        missing = [lvl for lvl in WARNING_LEVELS if lvl not in v]
        extra = [k for k in v if k not in WARNING_LEVELS]
        if missing or extra:
            raise ValueError(f"warning_thresholds needs exactly {', '.join(WARNING_LEVELS)}")
        return v


class Rating(Strict):
    """HSEEP rating thresholds: share of critical tasks achieved on time."""

    performed: float = Field(0.9, ge=0.0, le=1.0)
    some_challenges: float = Field(0.6, ge=0.0, le=1.0)
    major_challenges: float = Field(0.3, ge=0.0, le=1.0)
    waste_flag: float = Field(0.10, ge=0.0, le=1.0)


class Scoring(Strict):
    """Default weights of the score dimensions (stages may override)."""

    weights: dict[ScoreDimension, float] = Field(
        default_factory=lambda: dict.fromkeys(SCORE_DIMENSIONS, 1.0)  # type: ignore[arg-type]
    )


class RulePack(Strict):
    """A whole rule pack file."""

    pack: PackInfo
    resources: dict[Id, ResourceRule]
    stages: list[StageRule] = Field(min_length=1)
    actions: dict[Id, ActionRule]
    formula: Formula = Formula()
    scoring: Scoring = Scoring()
    rating: Rating = Rating()

    def stage(self, stage_id: str) -> StageRule:
        """Return the stage with ``stage_id`` (KeyError when absent)."""
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise KeyError(stage_id)

    def stage_index(self, stage_id: str) -> int:
        """Return the position of ``stage_id`` in the stage order."""
        return [s.id for s in self.stages].index(stage_id)

    def handler(self, action_id: str) -> str:
        """Return the engine verb behind ``action_id``."""
        rule = self.actions[action_id]
        return rule.handler or action_id
