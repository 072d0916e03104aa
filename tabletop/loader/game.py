"""Load a scenario and its rule pack into a :class:`~tabletop.engine.game.Game`.

Every problem is collected (TOML syntax, types, unknown and missing keys,
dangling references, cycles, expression errors) and raised together as one
:class:`~tabletop.errors.ScenarioError`, each located as file:line:col.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tabletop.engine.game import Game
from tabletop.engine.names import (
    GLOBAL_NAMES,
    action_targets,
    condition_names,
    effect_targets,
)
from tabletop.errors import ExpressionError, Problem, ScenarioError
from tabletop.expr import Effect, Expr, parse_effect, parse_expr
from tabletop.loader.source import Loc, TomlSource, did_you_mean, problems_from_validation
from tabletop.model.rules import LEVELS, MECHANISMS, RulePack
from tabletop.model.scenario import Scenario

#: Where bundled rule packs and scenarios live (the repository checkout).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _validate(source: TomlSource, data: dict[str, Any], model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, source, model)) from None


class _Collector:
    """Collects located problems for one file."""

    def __init__(self, source: TomlSource) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, loc: Loc, message: str) -> None:
        self.problems.append(self.source.problem(loc, message))

    def ref(
        self, loc: Loc, value: str | None, known: list[str] | tuple[str, ...], what: str
    ) -> None:
        if value is not None and value not in known:
            self.add(loc, f"unknown {what} '{value}'{did_you_mean(value, known)}")

    def expr(self, loc: Loc, text: str, compile_: Callable[[], Any]) -> Any:
        try:
            return compile_()
        except ExpressionError as exc:
            problem = self.source.problem(loc, f"{exc}")
            line = problem.source
            at = line.find(text) if text and line else -1
            if at >= 0:
                problem = Problem(
                    problem.file,
                    problem.line,
                    at + 1 + exc.offset,
                    problem.key,
                    problem.message,
                    line,
                )
            self.problems.append(problem)
            return None


def sha256_file(path: str | os.PathLike[str]) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_rules(
    path: str | os.PathLike[str],
) -> tuple[RulePack, dict[str, Expr], dict[str, tuple[Effect, ...]]]:
    """Load and check a rule pack; return it with its compiled conditions and effects."""
    source = TomlSource.read(path)
    rules: RulePack = _validate(source, source.parse(), RulePack)
    c = _Collector(source)
    stage_ids = [s.id for s in rules.stages]
    seen: set[str] = set()
    for i, st in enumerate(rules.stages):
        if st.id in seen:
            c.add(("stages", i, "id"), f"duplicate stage id '{st.id}'")
        seen.add(st.id)
        if st.regress_to is not None:
            c.ref(("stages", i, "regress_to"), st.regress_to, stage_ids, "stage")
            if st.regress_to in stage_ids and stage_ids.index(st.regress_to) >= i:
                c.add(("stages", i, "regress_to"), "a resurgence must go back to an earlier stage")
    names = list(GLOBAL_NAMES) + [f"agreements.{m}" for m in MECHANISMS]
    conditions: dict[str, Expr] = {}
    for i, st in enumerate(rules.stages):
        for field in ("advance_if", "regress_if"):
            text = getattr(st, field)
            if text is not None:
                got = c.expr(("stages", i, field), text, lambda t=text: parse_expr(t, names))
                if got is not None:
                    conditions[f"{field.split('_')[0]}:{st.id}"] = got
    effects: dict[str, tuple[Effect, ...]] = {}
    # Rule-pack effects cannot name scenario regions: only generic names.
    generic = _generic_action_names(rules)
    targets = action_targets(rules)
    for aid, act in rules.actions.items():
        for s_i, s in enumerate(act.stages):
            c.ref(("actions", aid, "stages", s_i), s, stage_ids, "stage")
        if act.mechanism is not None and (act.handler or aid) != "propose":
            c.add(("actions", aid, "mechanism"), "only propose actions take a mechanism")
        compiled: list[Effect] = []
        for e_i, text in enumerate(act.effects):
            got = c.expr(
                ("actions", aid, "effects", e_i),
                text,
                lambda t=text: parse_effect(t, targets, generic),
            )
            if got is not None:
                compiled.append(got)
        if compiled:
            effects[aid] = tuple(compiled)
    if c.problems:
        raise ScenarioError(c.problems)
    return rules, conditions, effects


def _generic_action_names(rules: RulePack) -> list[str]:
    """Action-effect names that do not depend on a scenario."""
    from tabletop.engine.names import ACTION_NAMES, AGENCY_READ, REGION_READ

    names = list(GLOBAL_NAMES) + list(ACTION_NAMES) + [f"agreements.{m}" for m in MECHANISMS]
    names += [f"region.{f}" for f in REGION_READ]
    for who in ("self", "target"):
        names += [f"{who}.{f}" for f in AGENCY_READ]
        names += [f"{who}.resources.{r}" for r in rules.resources]
    return names


def find_rules(scenario_path: Path, ref: str) -> Path | None:
    """Where the rule pack ``ref`` of a scenario file lives (None when nowhere)."""
    if ref.endswith(".toml") or "/" in ref or os.sep in ref:
        candidates = [scenario_path.parent / ref]
    else:
        candidates = [
            scenario_path.parent.parent / "rules" / f"{ref}.toml",
            scenario_path.parent / "rules" / f"{ref}.toml",
            Path.cwd() / "rules" / f"{ref}.toml",
            PROJECT_ROOT / "rules" / f"{ref}.toml",
        ]
    for cand in candidates:
        if cand.is_file():
            return cand
    return None


def load_game(path: str | os.PathLike[str]) -> Game:
    """Load a scenario file and its rule pack, check everything, compile expressions.

    Raises:
        ScenarioError: with every problem found, each located.
    """
    spath = Path(path)
    source = TomlSource.read(spath)
    data = source.parse()
    scenario: Scenario = _validate(source, data, Scenario)
    rules_path = find_rules(spath, scenario.scenario.rules)
    if rules_path is None:
        raise ScenarioError(
            [
                source.problem(
                    ("scenario", "rules"),
                    f"rule pack '{scenario.scenario.rules}' not found (looked for rules/"
                    f"{scenario.scenario.rules}.toml next to the scenarios folder)",
                )
            ]
        )
    rules, conditions, action_effects = load_rules(rules_path)
    conditions = dict(conditions)
    c = _Collector(source)
    inject_effects = _check_scenario(c, scenario, rules, conditions)
    if c.problems:
        raise ScenarioError(c.problems)
    return Game(
        scenario=scenario,
        rules=rules,
        scenario_path=str(spath),
        scenario_hash=sha256_file(spath),
        rules_hash=sha256_file(rules_path),
        conditions=conditions,
        inject_effects=inject_effects,
        action_effects=action_effects,
    )


def _check_scenario(
    c: _Collector, sc: Scenario, rules: RulePack, conditions: dict[str, Expr]
) -> dict[str, tuple[Effect, ...]]:
    regions = list(sc.regions)
    agencies = list(sc.agencies)
    stages = [s.id for s in rules.stages]
    actions = list(rules.actions)
    resources = list(rules.resources)
    authorities = sorted({a.authority for a in rules.actions.values() if a.authority})
    for st in sc.scenario.stage_rounds:
        c.ref(("scenario", "stage_rounds", st), st, stages, "stage")
    for rid, reg in sc.regions.items():
        for i, link in enumerate(reg.links):
            c.ref(("regions", rid, "links", i, "to"), link.to, regions, "region")
            if link.to == rid:
                c.add(("regions", rid, "links", i, "to"), "a region cannot link to itself")
    for aid, ag in sc.agencies.items():
        c.ref(("agencies", aid, "superior"), ag.superior, agencies, "agency")
        if ag.superior == aid:
            c.add(("agencies", aid, "superior"), "an agency cannot be its own superior")
        elif ag.superior in sc.agencies:
            boss = sc.agencies[ag.superior]
            if LEVELS.index(boss.level) > LEVELS.index(ag.level):
                c.add(
                    ("agencies", aid, "superior"),
                    f"superior '{ag.superior}' is {boss.level}, below this {ag.level} agency",
                )
        for i, r in enumerate(ag.regions):
            c.ref(("agencies", aid, "regions", i), r, regions, "region")
        for res in ag.resources:
            c.ref(("agencies", aid, "resources", res), res, resources, "resource")
        for i, auth in enumerate(ag.authority):
            c.ref(("agencies", aid, "authority", i), auth, authorities, "authority")
    _check_cycles(c, sc)
    names = condition_names(sc, rules)
    targets = effect_targets(sc, rules)
    inject_effects: dict[str, tuple[Effect, ...]] = {}
    seen: dict[str, int] = {}
    for i, inj in enumerate(sc.injects):
        if inj.id in seen:
            c.add(
                ("injects", i, "id"),
                f"duplicate inject id '{inj.id}' (first at injects[{seen[inj.id]}])",
            )
        seen.setdefault(inj.id, i)
        c.ref(("injects", i, "stage"), inj.stage, stages, "stage")
        for t_i, to in enumerate(inj.to):
            if to != "all":
                c.ref(("injects", i, "to", t_i), to, agencies + ["all"], "agency")
        if inj.when is not None:
            got = c.expr(("injects", i, "when"), inj.when, lambda t=inj.when: parse_expr(t, names))
            if got is not None:
                conditions[f"inject:{inj.id}"] = got
        compiled: list[Effect] = []
        for e_i, text in enumerate(inj.effects):
            got = c.expr(
                ("injects", i, "effects", e_i), text, lambda t=text: parse_effect(t, targets, names)
            )
            if got is not None:
                compiled.append(got)
        if compiled:
            inject_effects[inj.id] = tuple(compiled)
        for x_i, exp in enumerate(inj.expect):
            c.ref(("injects", i, "expect", x_i, "agency"), exp.agency, agencies, "agency")
            c.ref(("injects", i, "expect", x_i, "action"), exp.action, actions, "action")
            c.ref(("injects", i, "expect", x_i, "region"), exp.region, regions, "region")
    obj_seen: set[str] = set()
    for i, obj in enumerate(sc.objectives):
        if obj.id in obj_seen:
            c.add(("objectives", i, "id"), f"duplicate objective id '{obj.id}'")
        obj_seen.add(obj.id)
        task_seen: set[str] = set()
        for t_i, task in enumerate(obj.tasks):
            base = ("objectives", i, "tasks", t_i)
            if task.id in task_seen:
                c.add((*base, "id"), f"duplicate task id '{task.id}'")
            task_seen.add(task.id)
            c.ref((*base, "action"), task.action, actions, "action")
            c.ref((*base, "agency"), task.agency, agencies, "agency")
            c.ref((*base, "region"), task.region, regions, "region")
            c.ref((*base, "stage"), task.stage, stages, "stage")
    return inject_effects


def _check_cycles(c: _Collector, sc: Scenario) -> None:
    reported: set[str] = set()
    for start in sc.agencies:
        path: list[str] = []
        cur: str | None = start
        while cur is not None and cur in sc.agencies and cur not in path:
            path.append(cur)
            cur = sc.agencies[cur].superior
        if (
            cur is not None
            and cur in path
            and cur != path[-1]
            or (cur in path and len(path) > 1 and cur == start)
        ):
            cycle = path[path.index(cur) :] if cur in path else path
            key = min(cycle)
            if key not in reported and len(cycle) > 1:
                reported.add(key)
                c.add(
                    ("agencies", key, "superior"),
                    "superiors form a cycle: " + " -> ".join([*cycle, cycle[0]]),
                )


__all__ = ["PROJECT_ROOT", "find_rules", "load_game", "load_rules", "sha256_file"]
