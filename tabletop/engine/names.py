"""Names visible to expressions, and reading/writing state values by dotted name.

Conditions see a flat table of dotted names (``regions.coastal_city.hazard``);
effects write to a few of them. Nothing here touches Python attributes by a
name taken from facilitator text: every name maps to an explicit field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

from tabletop.model.rules import MECHANISMS, RulePack
from tabletop.model.scenario import Scenario
from tabletop.model.state import AgencyState, ExerciseState, RegionState

REGION_READ = (
    "hazard",
    "containment",
    "prevention",
    "trust",
    "harm",
    "need",
    "delivered",
    "unmet",
    "coverage",
    "waste",
)
REGION_WRITE = ("hazard", "containment", "prevention", "trust")
AGENCY_READ = ("budget", "reputation", "response_level", "points")
AGENCY_WRITE = ("budget", "reputation")
GLOBAL_NAMES = (
    "stage",
    "round",
    "global_round",
    "wave",
    "max_hazard",
    "mean_hazard",
    "total_harm",
    "mean_trust",
    "min_trust",
    "active_agreements",
)
#: The value of ``regions.<id>.warning`` before any warning is issued there.
NO_WARNING = "none"
#: Extra names an action effect may read.
ACTION_NAMES = ("amount", "fit", "accuracy", "level_index")
BOUNDS: dict[str, tuple[float, float]] = {
    "hazard": (0.0, 1.0),
    "containment": (0.0, 1.0),
    "prevention": (0.0, 1.0),
    "trust": (0.0, 100.0),
    "reputation": (0.0, 100.0),
    "budget": (0.0, 1e12),
    "resources": (0.0, 1e12),
    "delivered": (0.0, 1e12),
    "harm": (0.0, 1e12),
}


def condition_names(scenario: Scenario, rules: RulePack) -> list[str]:
    """Every name a condition in this scenario may read."""
    return names_for(
        list(scenario.regions),
        list(scenario.agencies),
        [i.id for i in scenario.injects],
        list(rules.resources),
    )


def names_for(
    regions: Iterable[str], agencies: Iterable[str], injects: Iterable[str], resources: list[str]
) -> list[str]:
    """Condition names for these region, agency, inject and resource ids."""
    names = generic_names()
    for rid in regions:
        names += [f"regions.{rid}.{f}" for f in REGION_READ]
        names.append(f"regions.{rid}.warning")
    for aid in agencies:
        names += [f"agencies.{aid}.{f}" for f in AGENCY_READ]
        names += [f"agencies.{aid}.resources.{r}" for r in resources]
    names += [f"fired.{i}" for i in injects]
    return names


def effect_targets(scenario: Scenario, rules: RulePack) -> list[str]:
    """Every name an inject effect may write."""
    return targets_for(list(scenario.regions), list(scenario.agencies), list(rules.resources))


def targets_for(regions: Iterable[str], agencies: Iterable[str], resources: list[str]) -> list[str]:
    """Inject-effect targets for these region, agency and resource ids."""
    out = [f"regions.{rid}.{f}" for rid in regions for f in REGION_WRITE]
    for aid in agencies:
        out += [f"agencies.{aid}.{f}" for f in AGENCY_WRITE]
        out += [f"agencies.{aid}.resources.{r}" for r in resources]
    return out


def generic_names() -> list[str]:
    """Condition names that do not depend on a scenario (rule-pack stage conditions)."""
    return list(GLOBAL_NAMES) + [f"agreements.{m}" for m in MECHANISMS]


def action_names(rules: RulePack) -> list[str]:
    """Names a rule-pack action effect may read: generic names plus the acting context."""
    names = generic_names() + list(ACTION_NAMES)
    names += [f"region.{f}" for f in REGION_READ]
    for who in ("self", "target"):
        names += [f"{who}.{f}" for f in AGENCY_READ]
        names += [f"{who}.resources.{r}" for r in rules.resources]
    return names


def action_targets(rules: RulePack) -> list[str]:
    """Names an action effect may write."""
    out = [f"region.{f}" for f in REGION_WRITE]
    for who in ("self", "target"):
        out += [f"{who}.{f}" for f in AGENCY_WRITE]
        out += [f"{who}.resources.{r}" for r in rules.resources]
    return out


def region_values(r: RegionState) -> dict[str, float]:
    """The readable values of one region."""
    return {
        "hazard": r.hazard,
        "containment": r.containment,
        "prevention": r.prevention,
        "trust": r.trust,
        "harm": r.harm,
        "need": sum(r.need.values()),
        "delivered": sum(r.delivered.values()),
        "unmet": r.unmet,
        "coverage": r.coverage,
        "waste": r.waste,
    }


def agency_values(a: AgencyState) -> dict[str, float]:
    """The readable values of one agency (without resources)."""
    return {
        "budget": a.budget,
        "reputation": a.reputation,
        "response_level": float(a.response_level),
        "points": float(a.points),
    }


def state_env(state: ExerciseState) -> dict[str, float | str]:
    """Flat table of every condition name and its current value."""
    env: dict[str, float | str] = {
        "stage": state.stage,
        "round": float(state.stage_round),
        "global_round": float(state.round),
        "wave": float(state.wave),
    }
    hazards: list[float] = []
    trusts: list[float] = []
    harm = 0.0
    for rid, r in state.regions.items():
        for k, v in region_values(r).items():
            env[f"regions.{rid}.{k}"] = v
        env[f"regions.{rid}.warning"] = r.warning or NO_WARNING
        hazards.append(r.hazard)
        trusts.append(r.trust)
        harm += r.harm
    for aid, a in state.agencies.items():
        for k, v in agency_values(a).items():
            env[f"agencies.{aid}.{k}"] = v
        for res, v in a.resources.items():
            env[f"agencies.{aid}.resources.{res}"] = v
    env["max_hazard"] = max(hazards)
    env["mean_hazard"] = sum(hazards) / len(hazards)
    env["total_harm"] = harm
    env["mean_trust"] = sum(trusts) / len(trusts)
    env["min_trust"] = min(trusts)
    active = [p for p in state.proposals.values() if p.status == "active"]
    env["active_agreements"] = float(len(active))
    for m in MECHANISMS:
        env[f"agreements.{m}"] = float(sum(1 for p in active if p.mechanism == m))
    for iid in state.fired:
        env[f"fired.{iid}"] = 1.0
    return env


class StateEnv(Mapping[str, float | str]):
    """A lazy, read-only name table over a state: computes only the names read.

    Conditions usually read two or three names; building the whole table every
    round would dominate headless simulation time.
    """

    __slots__ = ("_state", "_cache")

    def __init__(self, state: ExerciseState) -> None:
        self._state = state
        self._cache: dict[str, float | str] = {}

    def __getitem__(self, name: str) -> float | str:
        try:
            return self._cache[name]
        except KeyError:
            value = self._compute(name)
            self._cache[name] = value
            return value

    def _compute(self, name: str) -> float | str:
        s = self._state
        head, _, rest = name.partition(".")
        if not rest:
            if name in ("stage", "round", "global_round", "wave"):
                return {  # type: ignore[return-value]
                    "stage": s.stage,
                    "round": float(s.stage_round),
                    "global_round": float(s.round),
                    "wave": float(s.wave),
                }[name]
            if name in _AGGREGATES:
                return _AGGREGATES[name](s)
            raise KeyError(name)
        if head == "regions":
            rid, _, field = rest.partition(".")
            if field == "warning":
                return s.regions[rid].warning or NO_WARNING
            return region_values(s.regions[rid])[field]
        if head == "agencies":
            aid, _, field = rest.partition(".")
            a = s.agencies[aid]
            if field.startswith("resources."):
                return a.resources[field[len("resources.") :]]
            return agency_values(a)[field]
        if head == "fired":
            return 1.0 if rest in s.fired else 0.0
        if head == "agreements":
            return float(
                sum(1 for p in s.proposals.values() if p.status == "active" and p.mechanism == rest)
            )
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(state_env(self._state))

    def __len__(self) -> int:
        return len(state_env(self._state))


_AGGREGATES = {
    "max_hazard": lambda s: max(r.hazard for r in s.regions.values()),
    "mean_hazard": lambda s: sum(r.hazard for r in s.regions.values()) / len(s.regions),
    "total_harm": lambda s: sum(r.harm for r in s.regions.values()),
    "mean_trust": lambda s: sum(r.trust for r in s.regions.values()) / len(s.regions),
    "min_trust": lambda s: min(r.trust for r in s.regions.values()),
    "active_agreements": lambda s: float(
        sum(1 for p in s.proposals.values() if p.status == "active")
    ),
}


@lru_cache(maxsize=8192)
def _parts(name: str) -> tuple[str, ...]:
    """``name`` split at its dots (cached: the engine reads and writes the same few names)."""
    return tuple(name.split("."))


@lru_cache(maxsize=8192)
def _bounds(name: str) -> tuple[float, float]:
    parts = _parts(name)
    field = parts[2] if len(parts) > 2 else parts[-1]
    return BOUNDS.get(field, (-1e12, 1e12))


def clamp_for(name: str, value: float) -> float:
    """Clamp ``value`` to the bounds of the field ``name`` refers to."""
    lo, hi = _bounds(name)
    return min(hi, max(lo, value))


def get_value(state: ExerciseState, name: str) -> float:
    """Read a writable numeric value by dotted name (KeyError when unknown)."""
    parts = _parts(name)
    if parts[0] == "regions" and len(parts) in (3, 4):
        region = state.regions[parts[1]]
        if len(parts) == 4:
            if parts[2] != "delivered":
                raise KeyError(name)
            return region.delivered.get(parts[3], 0.0)
        if parts[2] in REGION_WRITE or parts[2] in ("harm",):
            return float(getattr(region, parts[2]))
    if parts[0] == "agencies" and len(parts) in (3, 4):
        agency = state.agencies[parts[1]]
        if len(parts) == 4:
            if parts[2] != "resources":
                raise KeyError(name)
            return agency.resources.get(parts[3], 0.0)
        if parts[2] in AGENCY_WRITE:
            return float(getattr(agency, parts[2]))
    raise KeyError(name)


def set_value(state: ExerciseState, name: str, value: float) -> None:
    """Write a numeric value by dotted name; unknown names are ignored.

    Only names produced by the engine reach this function (it backs
    ``evolve``), which must never fail.
    """
    parts = _parts(name)
    try:
        if parts[0] == "regions":
            region = state.regions[parts[1]]
            if len(parts) == 4 and parts[2] == "delivered":
                region.delivered[parts[3]] = value
            elif len(parts) == 3 and parts[2] in (*REGION_WRITE, "harm"):
                setattr(region, parts[2], value)
                if parts[2] == "containment":
                    region.containment_floor = value
        elif parts[0] == "agencies":
            agency = state.agencies[parts[1]]
            if len(parts) == 4 and parts[2] == "resources":
                agency.resources[parts[3]] = value
            elif len(parts) == 3 and parts[2] in AGENCY_WRITE:
                setattr(agency, parts[2], value)
    except (KeyError, IndexError):
        return


def adjudicable(scenario: Scenario, rules: RulePack) -> list[str]:
    """Names the facilitator may override."""
    out = effect_targets(scenario, rules)
    out += [f"regions.{rid}.harm" for rid in scenario.regions]
    out += [f"regions.{rid}.delivered.{r}" for rid in scenario.regions for r in rules.resources]
    return sorted(out)
