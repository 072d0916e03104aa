"""Semantic checks of a scenario against its rule pack.

The file is well formed and every reference resolves, yet the exercise may be
silently wrong: an inject scheduled after its stage ends, an expectation no
agency can ever meet, a hierarchy upside down, a condition that can never be
true. Each finding is a located :class:`~tabletop.errors.Problem`; errors stop
the load, warnings (``severity="warning"``) are printed by ``tabletop
validate`` and refused by ``validate --strict``.

Every user-facing message is a plain literal here (one place for translators).
"""

from __future__ import annotations

import ast
import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tabletop.errors import ExpressionError
from tabletop.expr import _prepare
from tabletop.model.rules import LEVELS, ActionRule, RulePack
from tabletop.model.scenario import Agency

if TYPE_CHECKING:
    from tabletop.loader.game import _Collector, _Parts

# -- messages (errors) --------------------------------------------------------
ROUND_BEYOND_STAGE = "round {round} is beyond the {stage} stage, which has {rounds} round(s)"
TASK_BEYOND_STAGE = "by_round {round} is beyond the {stage} stage, which has {rounds} round(s)"
TASK_BEYOND_EXERCISE = (
    "by_round {round} is beyond the exercise, which has at most {rounds} rounds "
    "(without a stage, by_round counts rounds from the start)"
)
NOT_IN_STAGE = (
    "action '{action}' is not allowed in the {stage} stage (only in: {stages}): "
    "this can never be met"
)
WRONG_LEVEL = (
    "agency '{agency}' is {level}, but action '{action}' is only for {levels} agencies: "
    "this can never be met"
)
NO_AUTHORITY = (
    "agency '{agency}' lacks the '{authority}' authority that action '{action}' needs: "
    "this can never be met"
)
NOT_ADDRESSED = (
    "agency '{agency}' never receives this private inject (it goes to {to}): it cannot react to it"
)
CENTRAL_SUPERIOR = "a central agency has no superior (central is the top level)"
# -- messages (warnings) -------------------------------------------------------
NO_JURISDICTION = "no agency has jurisdiction over this region (list it in an agency's regions)"
NO_LEGAL_ACTION = "agency '{agency}' has no action it may take in the {stage} stage except pass"
NEVER_TRUE = "this condition can never be true: {name} is {bounds}, so `{test}` never holds"
NEVER_TRUE_BOUNDS = "always between {lo} and {hi}"
NEVER_TRUE_BELOW = "never below {lo}"

#: Range of every value a condition may read, by its last part (or whole name).
_FIELD_RANGE: dict[str, tuple[float, float]] = {
    "hazard": (0.0, 1.0),
    "containment": (0.0, 1.0),
    "prevention": (0.0, 1.0),
    "coverage": (0.0, 1.0),
    "trust": (0.0, 100.0),
    "reputation": (0.0, 100.0),
    "response_level": (0.0, 4.0),
    "max_hazard": (0.0, 1.0),
    "mean_hazard": (0.0, 1.0),
    "mean_trust": (0.0, 100.0),
    "min_trust": (0.0, 100.0),
}
#: Values that are never negative but have no upper bound.
_NON_NEGATIVE = (
    "harm",
    "need",
    "delivered",
    "unmet",
    "waste",
    "budget",
    "points",
    "total_harm",
    "active_agreements",
)


def stage_rounds(parts: _Parts, rules: RulePack) -> dict[str, int]:
    """Rounds of every stage (the scenario's ``stage_rounds`` over the pack's defaults)."""
    override = parts.info.stage_rounds if parts.info else {}
    return {s.id: override.get(s.id, s.rounds) for s in rules.stages}


def check_semantics(c: _Collector, parts: _Parts, rules: RulePack, locate: Callable) -> None:
    """Collect every semantic error and warning of a scenario whose references resolve.

    Args:
        c: The collector of the scenario file.
        parts: What validated of the scenario.
        rules: Its rule pack.
        locate: ``locate(loc, text, offset, message, severity)`` -> Problem inside an
            expression (the loader's ``_at``).
    """
    rounds = stage_rounds(parts, rules)
    _check_hierarchy(c, parts.agencies)
    _check_injects(c, parts, rules, rounds)
    _check_tasks(c, parts, rules, rounds)
    _check_jurisdiction(c, parts)
    _check_idle_agencies(c, parts, rules)
    _check_conditions(c, parts, rules, rounds, locate)


def _check_hierarchy(c: _Collector, agencies: dict[str, Agency]) -> None:
    for aid, ag in agencies.items():
        if ag.level == LEVELS[0] and ag.superior is not None:
            c.add(("agencies", aid, "superior"), CENTRAL_SUPERIOR)


def _never_met(
    rule: ActionRule, action: str, agency: Agency | None, agency_id: str | None, stage: str | None
) -> tuple[str, str] | None:
    """(field, message) when ``agency`` can never take ``action`` (in ``stage``), else None."""
    if stage is not None and rule.stages and stage not in rule.stages:
        return "action", NOT_IN_STAGE.format(
            action=action, stage=stage, stages=", ".join(rule.stages)
        )
    if agency is None:
        return None
    if rule.levels and agency.level not in rule.levels:
        return "agency", WRONG_LEVEL.format(
            agency=agency_id, level=agency.level, action=action, levels="/".join(rule.levels)
        )
    if rule.authority is not None and rule.authority not in agency.authority:
        return "agency", NO_AUTHORITY.format(
            agency=agency_id, authority=rule.authority, action=action
        )
    return None


def _check_injects(c: _Collector, parts: _Parts, rules: RulePack, rounds: dict[str, int]) -> None:
    for i, inj in parts.injects:
        n = rounds.get(inj.stage or "")
        if inj.round is not None and n is not None and inj.round > n:
            c.add(
                ("injects", i, "round"),
                ROUND_BEYOND_STAGE.format(round=inj.round, stage=inj.stage, rounds=n),
            )
        for x_i, exp in enumerate(inj.expect):
            base = ("injects", i, "expect", x_i)
            rule = rules.actions.get(exp.action)
            agency = parts.agencies.get(exp.agency)
            if rule is not None and agency is not None:
                found = _never_met(rule, exp.action, agency, exp.agency, inj.stage)
                if found is not None:
                    c.add((*base, found[0]), found[1])
            private = inj.is_private and "all" not in inj.to
            if agency is not None and private and exp.agency not in inj.to:
                to = ", ".join(inj.to) or "nobody"
                c.add((*base, "agency"), NOT_ADDRESSED.format(agency=exp.agency, to=to))


def _check_tasks(c: _Collector, parts: _Parts, rules: RulePack, rounds: dict[str, int]) -> None:
    for i, obj in parts.objectives:
        for t_i, task in enumerate(obj.tasks):
            base = ("objectives", i, "tasks", t_i)
            if task.by_round is not None:
                if task.stage is not None and task.stage in rounds:
                    if task.by_round > rounds[task.stage]:
                        c.add(
                            (*base, "by_round"),
                            TASK_BEYOND_STAGE.format(
                                round=task.by_round, stage=task.stage, rounds=rounds[task.stage]
                            ),
                        )
                elif task.stage is None and task.by_round > rules.pack.max_rounds:
                    c.add(
                        (*base, "by_round"),
                        TASK_BEYOND_EXERCISE.format(
                            round=task.by_round, rounds=rules.pack.max_rounds
                        ),
                    )
            rule = rules.actions.get(task.action)
            if rule is None or (task.stage is not None and task.stage not in rounds):
                continue
            if task.agency is not None and task.agency not in parts.agencies:
                continue
            agency = parts.agencies.get(task.agency) if task.agency else None
            found = _never_met(rule, task.action, agency, task.agency, task.stage)
            if found is not None:
                c.add((*base, found[0]), found[1])


def _check_jurisdiction(c: _Collector, parts: _Parts) -> None:
    covered = {r for ag in parts.agencies.values() for r in ag.regions}
    for rid in parts.regions:
        if rid not in covered:
            c.warn(("regions", rid), NO_JURISDICTION)


def _may_take(rule: ActionRule, agency: Agency, stage: str) -> bool:
    """Whether the catalogue lets ``agency`` take the action in ``stage`` at all."""
    if rule.stages and stage not in rule.stages:
        return False
    if rule.levels and agency.level not in rule.levels:
        return False
    return rule.authority is None or rule.authority in agency.authority


def _check_idle_agencies(c: _Collector, parts: _Parts, rules: RulePack) -> None:
    if not parts.agencies or not rules.actions:
        return
    for aid, ag in parts.agencies.items():
        for st in rules.stages:
            if not any(
                _may_take(rule, ag, st.id)
                for act_id, rule in rules.actions.items()
                if (rule.handler or act_id) != "pass"
            ):
                c.warn(("agencies", aid), NO_LEGAL_ACTION.format(agency=aid, stage=st.id))


# -- conditions that can never be true ---------------------------------------------


def _fmt(x: float) -> str:
    return str(int(x)) if math.isfinite(x) and x.is_integer() else repr(x)


def _name(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _number(node: ast.AST) -> float | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)  # type: ignore[arg-type]  # an int or a float (not a bool)
    return None


def value_range(name: str, rules: RulePack, rounds: dict[str, int]) -> tuple[float, float] | None:
    """The range of the condition name ``name`` (None when unbounded or not a number)."""
    last = name.rsplit(".", 1)[-1]
    if name == "round":
        return 1.0, float(max(rounds.values(), default=1))
    if name == "global_round":
        return 1.0, float(rules.pack.max_rounds)
    if name == "wave":
        return 1.0, float(rules.pack.max_waves)
    if name.startswith("fired."):
        return 0.0, 1.0
    if name in _FIELD_RANGE or (name.count(".") == 2 and last in _FIELD_RANGE):
        return _FIELD_RANGE[last]
    if name.startswith(("agreements.", "agencies.")) or last in _NON_NEGATIVE:
        return 0.0, math.inf
    return None


def _impossible(op: ast.cmpop, value: float, lo: float, hi: float) -> bool:
    if isinstance(op, ast.Gt):
        return value >= hi
    if isinstance(op, ast.GtE):
        return value > hi
    if isinstance(op, ast.Lt):
        return value <= lo
    if isinstance(op, ast.LtE):
        return value < lo
    if isinstance(op, ast.Eq):
        return value < lo or value > hi
    return False


_FLIPPED: dict[type, Callable[[], ast.cmpop]] = {
    ast.Gt: ast.Lt,
    ast.GtE: ast.LtE,
    ast.Lt: ast.Gt,
    ast.LtE: ast.GtE,
    ast.Eq: ast.Eq,
    ast.NotEq: ast.NotEq,
}


def never_true(
    node: ast.AST, ranges: Callable[[str], tuple[float, float] | None]
) -> tuple[ast.Compare, str, tuple[float, float]] | None:
    """The comparison that makes ``node`` never true, with its name and range, or None.

    Decided only for comparisons of a name with a number, joined by ``and``/``or``:
    ``a and b`` never holds when either never does, ``a or b`` when both never do.
    """
    if isinstance(node, ast.BoolOp):
        found = [never_true(v, ranges) for v in node.values]
        if isinstance(node.op, ast.And):
            return next((f for f in found if f is not None), None)
        return found[0] if found and all(f is not None for f in found) else None
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return None
    left, op, right = node.left, node.ops[0], node.comparators[0]
    name, value = _name(left), _number(right)
    if name is None or value is None:
        name, value = _name(right), _number(left)
        op = _FLIPPED.get(type(op), ast.NotEq)()
    if name is None or value is None:
        return None
    bounds = ranges(name)
    if bounds is None or not _impossible(op, value, *bounds):
        return None
    return node, name, bounds


def _check_conditions(
    c: _Collector, parts: _Parts, rules: RulePack, rounds: dict[str, int], locate: Callable
) -> None:
    for i, inj in parts.injects:
        if inj.when is None:
            continue
        stage_rounds_ = {inj.stage: rounds[inj.stage]} if inj.stage in rounds else rounds
        found = _condition_never_true(
            inj.when, functools.partial(value_range, rules=rules, rounds=stage_rounds_)
        )
        if found is None:
            continue
        offset, test, name, (lo, hi) = found
        bounds = (
            NEVER_TRUE_BELOW.format(lo=_fmt(lo))
            if math.isinf(hi)
            else NEVER_TRUE_BOUNDS.format(lo=_fmt(lo), hi=_fmt(hi))
        )
        message = NEVER_TRUE.format(name=name, bounds=bounds, test=test)
        c.problems.append(locate(("injects", i, "when"), inj.when, offset, message, "warning"))


def _condition_never_true(
    text: str, ranges: Callable[[str], tuple[float, float] | None]
) -> tuple[int, str, str, tuple[float, float]] | None:
    """(offset, comparison text, name, range) of what makes ``text`` never true, or None."""
    try:
        src, lead = _prepare(text, "expression")
        tree: Any = ast.parse(src, mode="eval")
    except (ExpressionError, SyntaxError, ValueError):
        return None
    found = never_true(tree.body, ranges)
    if found is None:
        return None
    node, name, bounds = found
    raw = src.encode("utf-8")
    start = len(raw[: node.col_offset].decode("utf-8", "replace"))
    segment = ast.get_source_segment(src, node) or name
    return lead + start, segment, name, bounds
