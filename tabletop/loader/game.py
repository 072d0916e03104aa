"""Load a scenario and its rule pack into a :class:`~tabletop.engine.game.Game`.

Every problem is collected (TOML syntax, types, unknown and missing keys,
dangling references, cycles, expression errors) and raised together as one
:class:`~tabletop.errors.ScenarioError`, each located as file:line:col.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tabletop.data import bundled_rules
from tabletop.engine.game import Game
from tabletop.engine.names import (
    NO_WARNING,
    action_names,
    action_targets,
    generic_names,
    names_for,
    targets_for,
)
from tabletop.errors import ExpressionError, Problem, ScenarioError, did_you_mean
from tabletop.expr import NUMBER, Effect, Expr, KnownNames, Ty, parse_effect, parse_expr
from tabletop.files import read_regular
from tabletop.loader.checks import check_semantics
from tabletop.loader.messages import problems_from_validation
from tabletop.loader.source import Loc, TomlSource
from tabletop.model.rules import LEVELS, WARNING_LEVELS, RulePack
from tabletop.model.scenario import (
    RESERVED_ALL,
    Agency,
    Inject,
    Objective,
    Region,
    Scenario,
    ScenarioInfo,
)

#: The problem of an empty scenario file.
EMPTY_SCENARIO = (
    "the file is empty: a scenario needs a [scenario] table (id, title, briefing, rules), "
    "[regions.<id>] tables and [agencies.<id>] tables (`tabletop new` writes one to start from)"
)


def _validate(source: TomlSource, data: dict[str, Any], model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, source, model)) from None


def typed_names(names: list[str], stages: list[str]) -> KnownNames:
    """``names`` with their static types: ``stage`` is a stage id, ``regions.<id>.warning``
    a warning level (``none`` before any warning), every other name a number."""
    types = {"stage": Ty.text_id("stage", stages)}
    level = Ty.text_id("warning level", (NO_WARNING, *WARNING_LEVELS))
    types |= {n: level for n in names if n.startswith("regions.") and n.endswith(".warning")}
    return KnownNames(names, types, NUMBER)


def _at(
    source: TomlSource, loc: Loc, text: str, offset: int, message: str, severity: str = "error"
) -> Problem:
    """The problem ``message`` at character ``offset`` of the expression ``text`` at ``loc``.

    The column is that of the character as written in the file (in a one-line or a
    multi-line string, escapes such as ``\\"`` followed), else that of the value.
    """
    problem = source.problem(loc, message)
    found = source.string_position(loc, offset)
    if found is None:
        src = problem.source
        at = src.find(text) if text and src else -1
        if at < 0:
            return Problem(*_fields(problem)[:6], severity)
        found = (problem.line, at + 1 + offset)
    line, col = found
    return Problem(problem.file, line, col, problem.key, message, source.line(line), severity)


def _fields(p: Problem) -> tuple[str, int, int, str, str, str]:
    return p.file, p.line, p.col, p.key, p.message, p.source


class _Origin:
    """Where an expression was written (:class:`tabletop.expr.Origin`), located lazily.

    Locating scans the TOML text, so it is done only when an expression fails
    while an exercise runs, never while loading.
    """

    __slots__ = ("loc", "source", "text")

    def __init__(self, source: TomlSource, loc: Loc, text: str) -> None:
        self.source = source
        self.loc = loc
        self.text = text

    def locate(self, offset: int) -> tuple[str, int, int, str]:
        """``(file, line, col, dotted key)`` of character ``offset`` of the expression."""
        p = _at(self.source, self.loc, self.text, offset, "")
        return p.file, p.line, p.col, p.key


class _Collector:
    """Collects located problems for one file."""

    def __init__(self, source: TomlSource) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, loc: Loc, message: str) -> None:
        self.problems.append(self.source.problem(loc, message))

    def warn(self, loc: Loc, message: str) -> None:
        """Collect a warning: printed, but the scenario still loads."""
        p = self.source.problem(loc, message)
        self.problems.append(Problem(*_fields(p), "warning"))

    def ref(
        self, loc: Loc, value: str | None, known: list[str] | tuple[str, ...], what: str
    ) -> None:
        if value is not None and value not in known:
            self.add(loc, f"unknown {what} '{value}'{_hint(value, known)}")

    def expr(self, loc: Loc, text: str, compile_: Callable[[], Any]) -> Any:
        try:
            return compile_()
        except ExpressionError as exc:
            self.problems.append(_at(self.source, loc, text, exc.offset, f"{exc}"))
            return None

    def condition(self, loc: Loc, text: str, names: KnownNames) -> Expr | None:
        """Compile the condition ``text`` at ``loc``; a problem is collected when it is bad."""
        origin = _Origin(self.source, loc, text)
        return self.expr(loc, text, lambda: parse_expr(text, names, condition=True, origin=origin))

    def effects(
        self, loc: Loc, texts: list[str], targets: KnownNames, names: KnownNames
    ) -> tuple[Effect, ...]:
        """Compile effect texts at ``loc[i]``; problems are collected, bad ones left out."""
        out: list[Effect] = []
        source = self.source
        for i, text in enumerate(texts):
            where = (*loc, i)
            got = self.expr(
                where,
                text,
                lambda t=text, w=where: parse_effect(  # type: ignore[misc]
                    t, targets, names, origin=_Origin(source, w, t)
                ),
            )
            if got is not None:
                out.append(got)
        return tuple(out)


def _hint(value: str, known: list[str] | tuple[str, ...]) -> str:
    """The did-you-mean of an unknown id: a dotted value (``agencies.mem``) whose last
    part is an id proposes that id; any proposal is one of ``known``."""
    if "." in value:
        last = value.rsplit(".", 1)[-1]
        if last in known and value not in known:
            return f" (did you mean '{last}'? write the id alone)"
    return did_you_mean(value, known)


def sha256_file(path: str | os.PathLike[str]) -> str:
    """sha256 of a file's bytes (a regular file of bounded size: :func:`~tabletop.files.read_regular`)."""
    return hashlib.sha256(read_regular(path)).hexdigest()


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
    names = typed_names(generic_names(), stage_ids)
    conditions: dict[str, Expr] = {}
    for i, st in enumerate(rules.stages):
        for field in ("advance_if", "regress_if"):
            text = getattr(st, field)
            if text is not None:
                got = c.condition(("stages", i, field), text, names)
                if got is not None:
                    conditions[f"{field.split('_')[0]}:{st.id}"] = got
    effects: dict[str, tuple[Effect, ...]] = {}
    # Rule-pack effects cannot name scenario regions: only generic names.
    generic = typed_names(action_names(rules), stage_ids)
    targets = KnownNames(action_targets(rules))
    for aid, act in rules.actions.items():
        for s_i, s in enumerate(act.stages):
            c.ref(("actions", aid, "stages", s_i), s, stage_ids, "stage")
        if act.mechanism is not None and (act.handler or aid) != "propose":
            c.add(("actions", aid, "mechanism"), "only propose actions take a mechanism")
        compiled = c.effects(("actions", aid, "effects"), act.effects, targets, generic)
        if compiled:
            effects[aid] = compiled
    if c.problems:
        raise ScenarioError(c.problems)
    return rules, conditions, effects


def _is_path(ref: str) -> bool:
    """True when a scenario's ``rules`` value is a path rather than a pack id."""
    return ref.endswith(".toml") or "/" in ref or os.sep in ref


def find_rules(scenario_path: Path, ref: str) -> Path | None:
    """Where the rule pack ``ref`` of a scenario file lives (None when nowhere).

    A path is relative to the scenario file. A pack id is looked for in the ``rules/``
    folder beside the scenario's folder, then in a ``rules/`` folder inside it, then
    among the packs bundled with tabletop (:mod:`tabletop.data`); never relative to the
    working directory.
    """
    if _is_path(ref):
        candidates = [scenario_path.parent / ref]
    else:
        candidates = [
            scenario_path.parent.parent / "rules" / f"{ref}.toml",
            scenario_path.parent / "rules" / f"{ref}.toml",
        ]
    for cand in candidates:
        if cand.is_file():
            return cand
    return None if _is_path(ref) else bundled_rules(ref)


@dataclass
class _Parts:
    """What validated of a scenario file, with every id the file declares.

    When the whole file validates this is the whole scenario. When it does not,
    each item is validated on its own, so reference and expression problems of
    the valid items are still found; ids come from the raw file so that a
    reference to an item with a type error is not also reported as unknown.
    """

    info: ScenarioInfo | None
    regions: dict[str, Region]
    agencies: dict[str, Agency]
    injects: list[tuple[int, Inject]]
    objectives: list[tuple[int, Objective]]
    region_ids: list[str]
    agency_ids: list[str]
    inject_ids: list[str]

    @classmethod
    def whole(cls, sc: Scenario) -> _Parts:
        return cls(
            sc.scenario,
            dict(sc.regions),
            dict(sc.agencies),
            list(enumerate(sc.injects)),
            list(enumerate(sc.objectives)),
            list(sc.regions),
            list(sc.agencies),
            [i.id for i in sc.injects],
        )

    @classmethod
    def partial(cls, data: dict[str, Any]) -> _Parts:
        def one(model: type[BaseModel], raw: Any) -> Any:
            try:
                return model.model_validate(raw)
            except ValidationError:
                return None

        def table(key: str, model: type[BaseModel]) -> tuple[dict[str, Any], list[str]]:
            raw = data.get(key)
            if not isinstance(raw, dict):
                return {}, []
            valid = {k: v for k, v in ((k, one(model, v)) for k, v in raw.items()) if v is not None}
            return valid, [k for k in raw if isinstance(k, str)]

        def rows(key: str, model: type[BaseModel]) -> list[tuple[int, Any]]:
            raw = data.get(key)
            if not isinstance(raw, list):
                return []
            return [(i, v) for i, v in ((i, one(model, r)) for i, r in enumerate(raw)) if v]

        regions, region_ids = table("regions", Region)
        agencies, agency_ids = table("agencies", Agency)
        raw = data.get("injects")
        raw_injects: list[Any] = raw if isinstance(raw, list) else []
        inject_ids = [
            r["id"] for r in raw_injects if isinstance(r, dict) and isinstance(r.get("id"), str)
        ]
        return cls(
            one(ScenarioInfo, data.get("scenario")),
            regions,
            agencies,
            rows("injects", Inject),
            rows("objectives", Objective),
            region_ids,
            agency_ids,
            inject_ids,
        )


def load_game(path: str | os.PathLike[str], *, warnings: list[Problem] | None = None) -> Game:
    """Load a scenario file and its rule pack, check everything, compile expressions.

    Args:
        path: The scenario file.
        warnings: When given, the warnings found (problems with ``severity="warning"``)
            are appended to it; they never stop the load.

    Raises:
        ScenarioError: with every error found, each located (and the warnings too).
    """
    spath = Path(path)
    source = TomlSource.read(spath)
    if not source.text.strip():
        raise ScenarioError([Problem(source.path, 1, 1, "", EMPTY_SCENARIO)])
    data = source.parse()
    problems: list[Problem] = []
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
        parts = _Parts.whole(scenario)
    except ValidationError as exc:
        problems = [
            source.problem(("agencies", "all"), p.message) if p.message == RESERVED_ALL else p
            for p in problems_from_validation(exc, source, Scenario)
        ]
        parts = _Parts.partial(data)
    raw_info = data.get("scenario")
    if parts.info is not None:
        ref: Any = parts.info.rules
    else:
        ref = raw_info.get("rules") if isinstance(raw_info, dict) else None
    if not isinstance(ref, str):
        raise ScenarioError(problems)
    rules_path = find_rules(spath, ref)
    if rules_path is None:
        where = (
            f"no file {spath.parent / ref}"
            if _is_path(ref)
            else f"looked for rules/{ref}.toml beside the scenarios folder and among the bundled packs"
        )
        problems.append(
            source.problem(("scenario", "rules"), f"rule pack '{ref}' not found ({where})")
        )
        raise ScenarioError(problems)
    try:
        rules, conditions, action_effects = load_rules(rules_path)
    except ScenarioError as exc:
        raise ScenarioError(problems + exc.problems) from None
    conditions = dict(conditions)
    c = _Collector(source)
    inject_effects = _check_scenario(c, parts, rules, conditions)
    if not problems and not any(not p.is_warning for p in c.problems):
        # Semantic checks need every reference resolved: only then are they run.
        check_semantics(c, parts, rules, lambda *a: _at(source, *a))
    found = [p for p in problems + c.problems if not p.is_warning]
    warned = [p for p in c.problems if p.is_warning]
    if found:
        seen: set[Problem] = set()
        merged = [p for p in found + warned if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]
        merged.sort(key=lambda p: (p.line == 0, p.line, p.col))
        raise ScenarioError(merged)
    if warnings is not None:
        warnings.extend(sorted(warned, key=lambda p: (p.line == 0, p.line, p.col)))
    assert scenario is not None
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
    c: _Collector, parts: _Parts, rules: RulePack, conditions: dict[str, Expr]
) -> dict[str, tuple[Effect, ...]]:
    regions = parts.region_ids
    agencies = parts.agency_ids
    stages = [s.id for s in rules.stages]
    actions = list(rules.actions)
    resources = list(rules.resources)
    authorities = sorted({a.authority for a in rules.actions.values() if a.authority})
    for st in parts.info.stage_rounds if parts.info else ():
        c.ref(("scenario", "stage_rounds", st), st, stages, "stage")
    for rid, reg in parts.regions.items():
        for i, link in enumerate(reg.links):
            c.ref(("regions", rid, "links", i, "to"), link.to, regions, "region")
            if link.to == rid:
                c.add(("regions", rid, "links", i, "to"), "a region cannot link to itself")
    for aid, ag in parts.agencies.items():
        c.ref(("agencies", aid, "superior"), ag.superior, agencies, "agency")
        if ag.superior == aid:
            c.add(("agencies", aid, "superior"), "an agency cannot be its own superior")
        elif ag.superior in parts.agencies:
            boss = parts.agencies[ag.superior]
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
    _check_cycles(c, parts.agencies)
    # Built once: every inject's condition and effects are checked against them.
    names = typed_names(names_for(regions, agencies, parts.inject_ids, resources), stages)
    targets = KnownNames(targets_for(regions, agencies, resources))
    inject_effects: dict[str, tuple[Effect, ...]] = {}
    seen: dict[str, int] = {}
    for i, inj in parts.injects:
        if inj.id in seen:
            c.add(
                ("injects", i, "id"),
                f"duplicate inject id '{inj.id}' (first at injects[{seen[inj.id]}])",
            )
        seen.setdefault(inj.id, i)
        c.ref(("injects", i, "stage"), inj.stage, stages, "stage")
        for t_i, to in enumerate(inj.to):
            if to != "all":
                c.ref(("injects", i, "to", t_i), to, [*agencies, "all"], "agency")
        if inj.when is not None:
            got = c.condition(("injects", i, "when"), inj.when, names)
            if got is not None:
                conditions[f"inject:{inj.id}"] = got
        compiled = c.effects(("injects", i, "effects"), inj.effects, targets, names)
        if compiled:
            inject_effects[inj.id] = compiled
        for x_i, exp in enumerate(inj.expect):
            c.ref(("injects", i, "expect", x_i, "agency"), exp.agency, agencies, "agency")
            c.ref(("injects", i, "expect", x_i, "action"), exp.action, actions, "action")
            c.ref(("injects", i, "expect", x_i, "region"), exp.region, regions, "region")
    obj_seen: set[str] = set()
    for i, obj in parts.objectives:
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
            c.ref((*base, "resource"), task.resource, resources, "resource")
            c.ref((*base, "stage"), task.stage, stages, "stage")
    _check_evidence(c, parts)
    return inject_effects


def _check_evidence(c: _Collector, parts: _Parts) -> None:
    """Every ``expect.objective`` names an objective or ``objective.task`` of the scenario."""
    known: list[str] = []
    for _, obj in parts.objectives:
        known.append(obj.id)
        known += [f"{obj.id}.{t.id}" for t in obj.tasks]
    for i, inj in parts.injects:
        for x_i, exp in enumerate(inj.expect):
            c.ref(("injects", i, "expect", x_i, "objective"), exp.objective, known, "objective")


def _check_cycles(c: _Collector, agencies: dict[str, Agency]) -> None:
    """Report each cycle of superiors once (at its smallest id)."""
    reported: set[str] = set()
    for start in agencies:
        path: list[str] = []
        cur: str | None = start
        while cur is not None and cur in agencies and cur not in path:
            path.append(cur)
            cur = agencies[cur].superior
        if cur is None or cur not in path:
            continue
        cycle = path[path.index(cur) :]
        key = min(cycle)
        if len(cycle) > 1 and key not in reported:  # self-superior is reported elsewhere
            reported.add(key)
            c.add(
                ("agencies", key, "superior"),
                "superiors form a cycle: " + " -> ".join([*cycle, cycle[0]]),
            )


__all__ = ["find_rules", "load_game", "load_rules", "sha256_file", "typed_names"]
