"""Scenario: regions, agencies, injects (the MSEL) and objectives.

A scenario is a TOML file in ``scenarios/`` that names the rule pack it is
played with. Cross-references (agency, region, stage and action ids) are
checked by :mod:`tabletop.loader`, which knows the rule pack.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from tabletop.model.base import Id, Strict
from tabletop.model.rules import Level

InjectType = Literal["information", "event", "directive", "media", "resource", "request"]


class Link(Strict):
    """Risk spreads from the owning region to ``to`` with coefficient ``k``."""

    to: Id
    k: float = Field(ge=0.0, le=1.0)


class Region(Strict):
    """A region and its vulnerability profile."""

    name: str
    population: float = Field(gt=0, le=1e7, description="Thousands of people.")
    exposure: float = Field(ge=0.0, le=1.0)
    vulnerability: float = Field(ge=0.0, le=1.0)
    development: float = Field(0.5, ge=0.0, le=1.0, description="Fiscal capacity.")
    hazard: float = Field(0.0, ge=0.0, le=1.0, description="Initial hazard.")
    trust: float = Field(60.0, ge=0.0, le=100.0)
    prevention: float = Field(0.0, ge=0.0, le=1.0)
    links: list[Link] = Field(default_factory=list)


class Agency(Strict):
    """An agency: one department at one level of government."""

    name: str
    level: Level
    department: str
    superior: str | None = None
    regions: list[str] = Field(default_factory=list)
    budget: float = Field(0.0, ge=0.0, le=1e9)
    resources: dict[str, Annotated[float, Field(ge=0.0, le=1e9)]] = Field(default_factory=dict)
    authority: list[str] = Field(default_factory=list)
    local_interest: float = Field(0.5, ge=0.0, le=1.0)
    briefing: str = ""


class Expectation(Strict):
    """An action the inject expects from an agency within a deadline."""

    agency: str
    action: str
    within: int = Field(1, ge=0, le=50, description="Rounds after the inject fires.")
    region: str | None = None
    note: str = ""
    objective: str | None = Field(
        None,
        description="Objective (or 'objective.task') this action evidences in the report.",
    )


class Inject(Strict):
    """One MSEL row."""

    id: Id
    stage: str | None = None
    round: int | None = Field(None, ge=1, le=500, description="Round within the stage.")
    when: str | None = Field(None, description="Condition checked at each round start.")
    to: list[str] = Field(default_factory=lambda: ["all"])
    private: bool | None = Field(None, description="Default: private unless sent to all.")
    type: InjectType = "information"
    title: str
    text: str
    effects: list[str] = Field(default_factory=list)
    expect: list[Expectation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _trigger(self) -> Inject:
        if self.round is None and self.when is None:
            raise ValueError("an inject needs 'round' (with 'stage') or 'when'")
        if self.round is not None and self.stage is None:
            raise ValueError("'round' needs 'stage'")
        return self

    @property
    def is_private(self) -> bool:
        """True when only the addressed agencies may see the inject."""
        if self.private is not None:
            return self.private
        return "all" not in self.to


class CriticalTask(Strict):
    """A critical task of an objective: an action by a deadline."""

    id: Id
    text: str
    action: str
    agency: str | None = Field(None, description="Who must do it; any agency when absent.")
    region: str | None = None
    resource: str | None = Field(None, description="For deploy tasks: only this resource counts.")
    stage: str | None = None
    by_round: int | None = Field(None, ge=1, le=500, description="Deadline: round within stage.")


class Objective(Strict):
    """An exercise objective tied to a core capability."""

    id: Id
    capability: str
    title: str
    tasks: list[CriticalTask] = Field(min_length=1)


class ScenarioInfo(Strict):
    """Header of a scenario file."""

    id: str
    title: str
    briefing: str
    rules: str = Field(description="Rule pack id (file rules/<id>.toml) or a path.")
    seed: int = Field(1, ge=0, le=2**63 - 1)
    stage_rounds: dict[str, Annotated[int, Field(ge=1, le=50)]] = Field(
        default_factory=dict, description="Overrides of the rule pack's stage rounds."
    )


class Scenario(Strict):
    """A whole scenario file."""

    scenario: ScenarioInfo
    regions: dict[Id, Region] = Field(min_length=1)
    agencies: dict[Id, Agency] = Field(min_length=1)
    injects: list[Inject] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)

    @model_validator(mode="after")
    def _reserved(self) -> Scenario:
        if "all" in self.agencies:
            raise ValueError(
                "'all' is reserved (injects to \"all\" reach every agency): rename the agency"
            )
        return self

    def subordinates(self, agency_id: str) -> list[str]:
        """Return every agency below ``agency_id`` in the hierarchy (breadth first)."""
        out: list[str] = []
        frontier = [agency_id]
        while frontier:
            nxt = [a for a, ag in self.agencies.items() if ag.superior in frontier]
            out.extend(n for n in nxt if n not in out)
            frontier = nxt
        return out

    def chain_up(self, agency_id: str) -> list[str]:
        """Return the superiors of ``agency_id`` from nearest to top."""
        out: list[str] = []
        cur = self.agencies[agency_id].superior
        while cur is not None and cur not in out and cur in self.agencies:
            out.append(cur)
            cur = self.agencies[cur].superior
        return out
