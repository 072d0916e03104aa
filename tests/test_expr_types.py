"""The static types of expressions: what passes the checker never has a type error at run time.

Expressions are generated from a grammar over typed names (mostly well typed, with an operand
of any type now and then, so that the checker also sees mistakes); every one the checker
accepts is evaluated on random values of its names.
"""

from __future__ import annotations

import math
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.engine.names import StateEnv, condition_names
from tabletop.errors import ExpressionError
from tabletop.expr import BOOLEAN, NUMBER, KnownNames, Ty, parse_effect, parse_expr
from tabletop.loader.game import typed_names
from tabletop.model.state import ExerciseState

STAGES = ("gestation", "outbreak")
NAMES = KnownNames(
    ["x", "y", "round", "fit", "flag", "stage"],
    {"stage": Ty.text_id("stage", STAGES), "flag": BOOLEAN},
    NUMBER,
)
#: Messages of what may still fail with some values: never a type.
RUN_TIME = (
    "result is too large",
    "cannot raise zero to a negative power",
    "cannot raise a negative number to a fractional power",
    "clamp(): lower bound",
    "round(): cannot round",
    "round(): digits must be a whole number",
    "exponent ",
)

LITERALS = ("0", "1", "2", "0.5", "-1", "3", "64", "1e300")
#: Leaves of each type: a toy world, and the default scenario's names.
LEAVES = {
    "toy": {
        "num": ("x", "y", "round", "fit", *LITERALS),
        "bool": ("flag", "true", "false"),
        "text": ("stage", "'outbreak'", "'gestation'", "'x'"),
    },
    "game": {
        "num": (
            "round",
            "wave",
            "max_hazard",
            "regions.coastal_city.hazard",
            "regions.linhe.trust",
            "regions.reservoir.need",
            "agencies.mem.budget",
            "agencies.city.resources.rescue",
            "fired.landfall",
            "agreements.joint_operation",
            *LITERALS,
        ),
        "bool": ("true", "false"),
        "text": ("stage", "'outbreak'", "'recovery'", "'x'"),
    },
}


@cache
def expr(kind: str, depth: int, world: str = "toy") -> st.SearchStrategy[str]:
    """Expressions meant to be of ``kind`` (``num``, ``bool``, ``text``), ``depth`` levels deep."""
    leaf = st.sampled_from(LEAVES[world][kind])
    if depth == 0:
        return leaf

    def sub(k: str) -> st.SearchStrategy[str]:
        # Now and then an operand of another type: the checker must reject those.
        wrong = st.sampled_from([o for o in ("num", "bool", "text") if o != k])
        return st.one_of(
            expr(k, depth - 1, world),
            expr(k, depth - 1, world),
            expr(k, depth - 1, world),
            expr(k, depth - 1, world),
            expr(k, depth - 1, world),
            expr(k, depth - 1, world),
            wrong.flatmap(lambda o: expr(o, depth - 1, world)),
        )

    num, boolean, text = sub("num"), sub("bool"), sub("text")
    truth = st.one_of(boolean, num)
    if kind == "num":
        ops = st.sampled_from(["+", "-", "*", "/", "//", "%", "**"])
        compound = st.one_of(
            st.tuples(num, ops, num).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            num.map(lambda a: f"(-{a})"),
            num.map(lambda a: f"abs({a})"),
            st.tuples(num, num, num).map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})"),
            st.tuples(st.sampled_from(["max", "min"]), num, num).map(
                lambda t: f"{t[0]}({t[1]}, {t[2]})"
            ),
            num.map(lambda a: f"round({a})"),
            st.tuples(num, num).map(lambda t: f"round({t[0]}, {t[1]})"),
            st.tuples(num, truth, num).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        )
    elif kind == "bool":
        order = st.sampled_from(["<", "<=", ">", ">="])
        same = st.sampled_from(["==", "!="])
        compound = st.one_of(
            st.tuples(num, order, num).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(num, order, num, order, num).map(
                lambda t: f"({t[0]} {t[1]} {t[2]} {t[3]} {t[4]})"
            ),
            st.tuples(text, same, text).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(num, same, num).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(truth, st.sampled_from(["and", "or"]), truth).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            truth.map(lambda a: f"(not {a})"),
        )
    else:
        compound = st.tuples(text, truth, text).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})")
    return st.one_of(leaf, compound, compound)


NUMBERS = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 64.0, 1e6]),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)
ENVS = st.fixed_dictionaries(
    {
        "x": NUMBERS,
        "y": NUMBERS,
        "round": st.integers(1, 20).map(float),
        "fit": st.integers(-4, 4).map(float),
        "flag": st.booleans(),
        "stage": st.sampled_from(STAGES),
    }
)
ANY_EXPR = st.sampled_from(["num", "bool", "text"]).flatmap(lambda k: expr(k, 3))


def _python_type(kind: str) -> type:
    return {"num": float, "bool": bool, "text": str}[kind]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_EXPR, envs=st.lists(ENVS, min_size=1, max_size=4))
def test_checked_expressions_never_fail_on_types(text: str, envs: list[dict[str, object]]) -> None:
    try:
        compiled = parse_expr(text, NAMES)
    except ExpressionError:
        return  # rejected when loading: the point is what gets through
    assert compiled.ty.kind in ("num", "bool", "text")
    for env in envs:
        try:
            value = compiled.eval(env)  # type: ignore[arg-type]
        except ExpressionError as exc:
            assert str(exc).startswith(RUN_TIME), f"{text!r} on {env}: {exc}"
            continue
        assert type(value) is _python_type(compiled.ty.kind), (text, env, value)
        if compiled.ty.kind == "num":
            assert math.isfinite(value)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_EXPR, env=ENVS, current=NUMBERS)
def test_checked_effects_always_give_a_number(
    text: str, env: dict[str, object], current: float
) -> None:
    try:
        effect = parse_effect(f"x += {text}", ["x"], NAMES)
    except ExpressionError:
        return
    try:
        result = effect.apply(env, current)  # type: ignore[arg-type]
    except ExpressionError as exc:
        assert str(exc).startswith(RUN_TIME), f"{text!r} on {env}: {exc}"
        return
    assert type(result) is float and math.isfinite(result)


GAME_EXPR = st.sampled_from(["num", "bool", "text"]).flatmap(lambda k: expr(k, 3, "game"))
UNIT = st.floats(min_value=0.0, max_value=1.0)


@st.composite
def game_states(draw: st.DrawFn, game: Game) -> ExerciseState:
    """A state of the default scenario with random values within the engine's bounds."""
    state = Exercise.new(game, None).state
    state.stage = draw(st.sampled_from(game.stage_ids))
    state.stage_round = draw(st.integers(1, 6))
    state.round = draw(st.integers(state.stage_round, 20))
    state.wave = draw(st.integers(0, 2))
    for r in state.regions.values():
        r.hazard, r.prevention, r.containment = draw(UNIT), draw(UNIT), draw(UNIT)
        r.trust = draw(st.floats(0.0, 100.0))
        r.harm = draw(st.floats(0.0, 1e6))
        r.need = {k: draw(st.floats(0.0, 1e4)) for k in r.need}
    for a in state.agencies.values():
        a.budget = draw(st.floats(0.0, 1e9))
        a.resources = {k: draw(st.floats(0.0, 1e6)) for k in a.resources}
    if draw(st.booleans()):
        state.fired["landfall"] = state.round
    return state


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=GAME_EXPR, data=st.data())
def test_checked_conditions_never_fail_on_types_on_game_states(
    game: Game, text: str, data: st.DataObject
) -> None:
    """With the loader's names and types, evaluated on random states of the default scenario."""
    known = typed_names(condition_names(game.scenario, game.rules), list(game.stage_ids))
    try:
        compiled = parse_expr(text, known, condition=True)
    except ExpressionError:
        return
    env = StateEnv(data.draw(game_states(game)))
    try:
        value = compiled.eval(env)
    except ExpressionError as exc:
        assert str(exc).startswith(RUN_TIME), f"{text!r}: {exc}"
        return
    assert type(value) is _python_type(compiled.ty.kind), (text, value)
    assert compiled.ty.kind != "text"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("x + 1", "num"),
        ("x > 1 and flag", "bool"),
        ("fit or flag", "bool"),
        ("stage if flag else 'outbreak'", "text"),
        ("x if flag else y", "num"),
        ("clamp(x, 0, 1)", "num"),
        ("stage == 'outbreak'", "bool"),
    ],
)
def test_static_type_of_an_expression(text: str, kind: str) -> None:
    assert parse_expr(text, NAMES).ty.kind == kind


def test_names_without_types_are_checked_when_evaluated() -> None:
    compiled = parse_expr("a * 2", ["a"])
    assert compiled.ty.kind == "num"
    with pytest.raises(ExpressionError, match="expected a number, got text 'z'"):
        compiled.eval({"a": "z"})
