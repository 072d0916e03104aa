"""Tests of the safe expression language (tabletop.expr)."""

from __future__ import annotations

import copy
import pickle

import pytest

from tabletop.errors import ExpressionError, TabletopError, did_you_mean
from tabletop.expr import (
    Effect,
    Expr,
    KnownNames,
    Value,
    parse_effect,
    parse_expr,
)

NAMES = (
    "regions.coastal_city.hazard",
    "regions.river_town.hazard",
    "stage",
    "round",
    "x",
    "y",
    "z",
    "flag",
    "self.trust",
    "fired.*",
)
TARGETS = ("regions.coastal_city.hazard", "self.trust", "agencies.*.points")
ENV: dict[str, Value] = {
    "regions.coastal_city.hazard": 0.75,
    "regions.river_town.hazard": 0.25,
    "stage": "response",
    "round": 3.0,
    "x": 2.0,
    "y": 10.0,
    "z": 0.0,
    "flag": True,
    "self.trust": 50.0,
    "fired.flood_warning": True,
}


def ev(text: str, env: dict[str, Value] | None = None) -> Value:
    """Parse against NAMES and evaluate in ENV (or ``env``)."""
    return parse_expr(text, NAMES).eval(ENV if env is None else env)


def parse_error(text: str) -> ExpressionError:
    """Return the ExpressionError raised when parsing ``text`` against NAMES."""
    with pytest.raises(ExpressionError) as info:
        parse_expr(text, NAMES)
    return info.value


def eval_error(text: str, env: dict[str, Value]) -> ExpressionError:
    """Return the ExpressionError raised when evaluating ``text`` in ``env``."""
    expr = parse_expr(text, NAMES)
    with pytest.raises(ExpressionError) as info:
        expr.eval(env)
    return info.value


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("7 - 10", -3.0),
        ("7 / 2", 3.5),
        ("7 // 2", 3.0),
        ("-7 // 2", -4.0),
        ("7 % 3", 1.0),
        ("-7 % 3", 2.0),
        ("2 ** 10", 1024.0),
        ("2 ** -1", 0.5),
        ("2 ** 3 ** 2", 512.0),
        ("-x", -2.0),
        ("+x", 2.0),
        ("--x", 2.0),
        ("x * y + round", 23.0),
        ("flag + 1", 2.0),
    ],
)
def test_arithmetic(text: str, expected: float) -> None:
    result = ev(text)
    assert result == expected
    assert type(result) is float


def test_integer_literals_become_floats() -> None:
    assert type(ev("1")) is float
    assert type(ev("x")) is float
    assert ev("x", {"x": 3}) == 3.0
    assert type(ev("x", {"x": 3})) is float


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x < y", True),
        ("x > y", False),
        ("x <= 2", True),
        ("x >= 2.5", False),
        ("x == 2", True),
        ("x != 2", False),
        ("0 < x < y", True),
        ("0 < y < x", False),
        ("1 < 2 < 3 < 4 <= 4", True),
        ("stage == 'response'", True),
        ('stage == "recovery"', False),
        ("'response' == stage", True),
        ("stage != 'response'", False),
        ("stage == x", False),
        ("flag == true", True),
        ("flag == 1", True),
    ],
)
def test_comparisons(text: str, expected: bool) -> None:
    assert ev(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x > 1 and y > 1", True),
        ("x > 1 and y > 100", False),
        ("x > 100 or y > 1", True),
        ("x > 100 or y > 100", False),
        ("not flag", False),
        ("not z", True),
        ("x and y", True),
        ("z or x", True),
        ("z or z or z", False),
        ("x and y and flag", True),
        ("True and not False", True),
        ("x > 1 and stage == 'response' or false", True),
    ],
)
def test_boolean_operators_return_booleans(text: str, expected: bool) -> None:
    assert ev(text) is expected


def test_and_or_short_circuit() -> None:
    # The right operand would fail (no value for y) if it were evaluated.
    assert ev("z and y", {"z": 0.0}) is False
    assert ev("x or y", {"x": 1.0}) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x if flag else y", 2.0),
        ("x if z else y", 10.0),
        ("1 if stage == 'response' else 2", 1.0),
        ("stage if flag else 'x' == stage", "response"),
        ("(x if true else y) * 2", 4.0),
    ],
)
def test_conditional(text: str, expected: Value) -> None:
    assert ev(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("min(x, y)", 2.0),
        ("min(y, x, -1)", -1.0),
        ("max(x, y)", 10.0),
        ("max(1, 2, 3, y)", 10.0),
        ("abs(-x)", 2.0),
        ("abs(x - y)", 8.0),
        ("clamp(y, 0, 5)", 5.0),
        ("clamp(-y, 0, 5)", 0.0),
        ("clamp(x, 0, 5)", 2.0),
        ("round(2.567)", 3.0),
        ("round(2.567, 2)", 2.57),
        ("round(1234, -2)", 1200.0),
        ("round(2.5)", 2.0),
        ("round(3.5)", 4.0),
        ("min(x, flag)", 1.0),
    ],
)
def test_functions(text: str, expected: float) -> None:
    result = ev(text)
    assert result == expected
    assert type(result) is float


def test_dotted_names_are_flat_keys() -> None:
    expr = parse_expr("regions.coastal_city.hazard - regions.river_town.hazard", NAMES)
    assert expr.eval(ENV) == 0.5
    assert expr.names == ("regions.coastal_city.hazard", "regions.river_town.hazard")


def test_names_are_sorted_unique_and_exclude_constants_and_functions() -> None:
    expr = parse_expr("y + x + min(x, round) if stage == 'a' else 0", NAMES)
    assert expr.names == ("round", "stage", "x", "y")


def test_name_patterns() -> None:
    expr = parse_expr("fired.flood_warning and not fired.other.thing", NAMES)
    assert expr.names == ("fired.flood_warning", "fired.other.thing")
    assert expr.eval({"fired.flood_warning": True, "fired.other.thing": False}) is True


def test_spaces_newlines_and_comments() -> None:
    assert ev("  x +\n  y  # total") == 12.0
    assert ev("(x\n + 1)") == 3.0


def test_non_ascii_offsets_are_characters() -> None:
    err = parse_error("x == 'été' and nope")
    assert str(err) == "unknown name 'nope'"
    assert err.offset == 15


def test_division_by_zero_is_zero() -> None:
    assert ev("x / 0") == 0.0
    assert ev("x // z") == 0.0
    assert ev("x % z") == 0.0
    assert ev("1 / (x - 2)") == 0.0


def test_constant_subexpressions_are_folded() -> None:
    # Folded at parse time, so the runtime environment needs no values at all.
    assert parse_expr("2 ** 8 + max(1, 2) * 3", ()).eval({}) == 262.0
    assert parse_expr("1 if 2 > 1 else 0", ()).eval({}) == 1.0


# ---------------------------------------------------------------------------
# Expr object
# ---------------------------------------------------------------------------


def test_truthy_and_number() -> None:
    assert parse_expr("x - 2", NAMES).truthy(ENV) is False
    assert parse_expr("stage", NAMES).truthy(ENV) is True
    assert parse_expr("x > 1", NAMES).number(ENV) == 1.0
    assert parse_expr("flag", NAMES).number({"flag": False}) == 0.0
    with pytest.raises(ExpressionError, match=r"^expected a number, got text 'response'$"):
        parse_expr("stage", NAMES).number(ENV)


def test_equality_hash_repr() -> None:
    a = parse_expr("x + 1", NAMES)
    b = parse_expr("x + 1", ["x"])
    assert a == b
    assert hash(a) == hash(b)
    assert a != parse_expr("x+1", NAMES)
    assert a != "x + 1"
    assert repr(a) == "Expr('x + 1')"
    assert a.text == "x + 1"
    assert len({a, b}) == 1


def test_copy_and_pickle() -> None:
    expr = parse_expr("regions.coastal_city.hazard * 2 > x", NAMES)
    assert copy.deepcopy(expr) is expr
    clone = pickle.loads(pickle.dumps(expr))
    assert clone == expr
    assert clone.eval(ENV) is False


def test_errors_are_tabletop_errors() -> None:
    err = parse_error("nope")
    assert isinstance(err, TabletopError)
    assert isinstance(err, ValueError)


# ---------------------------------------------------------------------------
# Rejected constructs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        (
            "(1).__class__",
            "attribute access '.__class__' is not allowed "
            "(only dotted names like 'regions.city.hazard')",
            4,
        ),
        (
            "min(x, y).real",
            "attribute access '.real' is not allowed "
            "(only dotted names like 'regions.city.hazard')",
            10,
        ),
        ("x.__class__", "'__class__' is not allowed: names may not start with '_'", 2),
        ("_x + 1", "'_x' is not allowed: names may not start with '_'", 0),
        ("__import__('os')", "'__import__' is not allowed: names may not start with '_'", 0),
        (
            "open('x')",
            "function 'open' is not allowed (allowed: abs, clamp, max, min, round)",
            0,
        ),
        (
            "x + os.system('ls')",
            "function 'os.system' is not allowed (allowed: abs, clamp, max, min, round)",
            4,
        ),
        ("clmap(x, 0, 1)", "function 'clmap' is not allowed (did you mean 'clamp'?)", 0),
        ("(lambda: 1)()", "lambda is not allowed", 1),
        ("min(x, y)(1)", "only the functions abs, clamp, max, min, round can be called", 0),
        ("x[0]", "subscripts like 'a[0]' are not allowed (use dotted names like 'a.b')", 0),
        ("1 + x[1:2]", "subscripts like 'a[0]' are not allowed (use dotted names like 'a.b')", 4),
        ("lambda: 1", "lambda is not allowed", 0),
        ("[x for x in y]", "comprehensions are not allowed", 0),
        ("max(x for x in y)", "comprehensions are not allowed", 3),
        ("{x: 1 for x in y}", "comprehensions are not allowed", 0),
        ("f'{x}' == stage", "f-strings are not allowed", 0),
        ("(x := 1)", "':=' (assignment expressions) is not allowed", 1),
        ("x, y", "tuples like 'a, b' are not allowed", 0),
        ("[x]", "lists are not allowed", 0),
        ("{x}", "sets are not allowed", 0),
        ("{'a': x}", "dicts are not allowed", 0),
        ("min(*x)", "starred arguments ('*x') are not allowed", 4),
        ("round(x, ndigits=2)", "keyword arguments are not allowed", 9),
        ("x is None", "operator 'is' is not allowed", 5),
        ("x in y", "operator 'in' is not allowed", 5),
        ("x not in y", "operator 'not in' is not allowed", 9),
        ("x & y", "operator '&' is not allowed", 0),
        ("x << 2", "operator '<<' is not allowed", 0),
        ("~x", "operator '~' is not allowed", 0),
        ("x @ y", "operator '@' is not allowed", 0),
        ("None", "'None' is not allowed", 0),
        ("1j", "complex numbers are not allowed", 0),
        ("b'x' == stage", "bytes literals are not allowed", 0),
        ("...", "'...' is not allowed", 0),
        ("'a' + stage", "`'a'` is text; `+` needs numbers", 0),
        (
            "stage < 'z'",
            "`'z'` is text; `<` needs numbers (text can only be compared with == or !=)",
            8,
        ),
        (
            "'a' if x else 1",
            "`'a'` is text but `1` is a number; both choices of `... if ... else ...` "
            "need the same type",
            14,
        ),
        ("true * 3", "`true` is a boolean (true/false); `*` needs numbers", 0),
        ("abs(1, 2)", "abs() takes 1 argument (got 2)", 0),
        ("clamp(x, 1)", "clamp() takes 3 arguments (got 2)", 0),
        ("min(x)", "min() takes at least 2 arguments (got 1)", 0),
        ("round(x, 1, 2)", "round() takes 1 or 2 arguments (got 3)", 0),
        ("1e999 > x", "number is too large", 0),
        ("1e308 * 10", "result is too large", 0),
        ("round(x, 0.5)", "round(): digits must be a whole number, not 0.5", 0),
        ("clamp(x, 2, 1)", "clamp(): lower bound 2 is above upper bound 1", 0),
    ],
)
def test_rejected_constructs(text: str, message: str, offset: int) -> None:
    err = parse_error(text)
    assert str(err) == message
    assert err.offset == offset


def test_long_text_literal() -> None:
    err = parse_error("stage == '" + "a" * 65 + "'")
    assert str(err) == "text literal is too long (65 characters, limit 64)"
    assert err.offset == 9
    assert ev("stage == '" + "a" * 64 + "'") is False


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("x and", "expected an expression after 'and'", 5),
        ("x and and y", "expected an expression after 'and'", 6),
        ("x +", "expected an expression after '+'", 3),
        ("x + * y", "expected an expression after '+'", 4),
        ("not", "expected an expression after 'not'", 3),
        ("x if y else", "expected an expression after 'else'", 11),
        ("min(x,,y)", "expected an expression after ','", 6),
        ("x if y", "expected 'else' after 'if' expression", 0),
        ("stage = 'x'", "'=' cannot be used here (use '==' to compare)", 6),
        ("x += 1", "'+=' cannot be used here", 2),
        ("x y", "missing operator before 'y'", 2),
        ("x $ y", "unexpected '$'", 2),
        ("x 'a'", "missing operator before 'a'", 2),
        ("x + \\", "unexpected '\\'", 4),
        ("x.", "expected a name after '.'", 2),
        ("min(x, y", "'(' was never closed", 3),
        ("x + y)", "unmatched ')'", 5),
        ("(x]", "']' does not match '('", 2),
        ("stage == 'abc", "unterminated text literal", 9),
        ("stage == '''a'''", "triple-quoted text is not allowed", 9),
        ("", "empty expression", 0),
        ("   # just a comment", "empty expression", 0),
        ("x\x00", "control character U+0000 is not allowed", 1),
    ],
)
def test_syntax_errors(text: str, message: str, offset: int) -> None:
    err = parse_error(text)
    assert str(err) == message
    assert err.offset == offset


# ---------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------


def test_huge_power_is_rejected_at_parse_time() -> None:
    # Rejected from the constant exponent before any power is computed (numbers are floats,
    # so no huge integer is ever built); how fast is the bench's business, not a test's.
    err = parse_error("9**9**9")
    assert str(err) == "exponent 387420489 is too large (limit 64)"
    assert err.offset == 3


def test_constant_exponent_limit_at_parse_time() -> None:
    assert str(parse_error("x ** 65")) == "exponent 65 is too large (limit 64)"
    assert parse_error("x ** -65").offset == 5
    assert ev("2 ** 64") == 2.0**64
    assert ev("2 ** -64") == 2.0**-64


def test_computed_exponent_limit_at_run_time() -> None:
    err = eval_error("2 ** y", {"y": 65.0})
    assert str(err) == "exponent 65 is too large (limit 64)"
    assert err.offset == 5
    assert ev("2 ** y", {"y": 64.0}) == 2.0**64


def test_deep_nesting_rejected_before_parsing() -> None:
    err = parse_error("(" * 1000 + "x" + ")" * 1000)
    assert str(err) == "expression is too long (2001 characters, limit 500)"
    err = parse_error("(" * 200 + "x" + ")" * 200)
    assert str(err) == "expression is nested too deeply (more than 20 levels of brackets)"
    assert err.offset == 20
    assert ev("(" * 20 + "x" + ")" * 20) == 2.0


def test_brackets_inside_text_literals_do_not_count() -> None:
    assert ev("stage == '((((((((((((((((((((((((('") is False


def test_long_text_rejected() -> None:
    err = parse_error("x" * 10_000)
    assert str(err) == "expression is too long (10000 characters, limit 500)"
    assert err.offset == 500


def test_node_count_limit() -> None:
    err = parse_error(" + ".join(["x"] * 101))
    assert str(err) == "expression is too complex (202 parts, limit 200)"
    assert ev(" + ".join(["x"] * 99)) == 198.0


def test_long_unary_chain_is_too_complex() -> None:
    err = parse_error("-" * 400 + "x")
    assert str(err) == "expression is too complex (402 parts, limit 200)"


# ---------------------------------------------------------------------------
# Runtime errors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "env", "message", "offset"),
    [
        ("x + y", {"x": 1.0}, "no value for 'y'", 4),
        ("x ** 2", {"x": 1e200}, "result is too large", 0),
        ("x * x", {"x": 1e200}, "result is too large", 0),
        ("x + x", {"x": 1.7e308}, "result is too large", 0),
        ("(x - 3) ** 0.5", {"x": 1.0}, "cannot raise a negative number to a fractional power", 0),
        ("x ** -1", {"x": 0.0}, "cannot raise zero to a negative power", 0),
        ("1 + stage", {"stage": "response"}, "expected a number, got text 'response'", 4),
        ("stage < 1", {"stage": "response"}, "text can only be compared with == or !=, not '<'", 0),
        (
            "clamp(x, y, 1)",
            {"x": 0.0, "y": 2.0},
            "clamp(): lower bound 2 is above upper bound 1",
            0,
        ),
        ("x + 1", {"x": 10**400}, "value of 'x' is too large", 0),
        ("x + 1", {"x": None}, "value of 'x' is a NoneType, not a number, boolean or text", 0),
    ],
)
def test_runtime_errors(text: str, env: dict[str, Value], message: str, offset: int) -> None:
    err = eval_error(text, env)
    assert str(err) == message
    assert err.offset == offset


# ---------------------------------------------------------------------------
# did you mean
# ---------------------------------------------------------------------------


def test_unknown_name_did_you_mean() -> None:
    err = parse_error("regions.coastl_city.hazard > 0.5")
    assert str(err) == (
        "unknown name 'regions.coastl_city.hazard' (did you mean 'regions.coastal_city.hazard'?)"
    )
    assert err.offset == 0
    err = parse_error("x + qqqq")
    assert str(err) == "unknown name 'qqqq'"
    assert err.offset == 4


def test_did_you_mean() -> None:
    assert did_you_mean("stgae", ["stage", "round"]) == " (did you mean 'stage'?)"
    assert did_you_mean("zzz", ["stage", "round"]) == ""
    assert did_you_mean("fired", ["fired.*"]) == ""
    assert did_you_mean("x", []) == ""


def test_patterns_do_not_accept_other_prefixes() -> None:
    err = parse_error("fire.x")
    assert str(err) == "unknown name 'fire.x'"


# ---------------------------------------------------------------------------
# Effects
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "op", "expected"),
    [
        ("self.trust = x * 3", "=", 6.0),
        ("self.trust += x", "+=", 12.0),
        ("self.trust -= 5", "-=", 5.0),
        ("self.trust *= x", "*=", 20.0),
        ("self.trust /= 4", "/=", 2.5),
        ("self.trust /= z", "/=", 0.0),
    ],
)
def test_effect_ops(text: str, op: str, expected: float) -> None:
    effect = parse_effect(text, TARGETS, NAMES)
    assert isinstance(effect, Effect)
    assert effect.target == "self.trust"
    assert effect.op == op
    assert effect.apply(ENV, 10.0) == expected


def test_effect_fields() -> None:
    effect = parse_effect("regions.coastal_city.hazard += 0.2 * round", TARGETS, NAMES)
    assert effect.text == "regions.coastal_city.hazard += 0.2 * round"
    assert effect.target == "regions.coastal_city.hazard"
    assert effect.value == parse_expr("0.2 * round", ["round"])
    assert isinstance(effect.value, Expr)
    assert effect.value.names == ("round",)
    assert effect.value_offset == 31
    assert effect.apply(ENV, 0.5) == pytest.approx(1.1)
    assert effect == parse_effect("regions.coastal_city.hazard += 0.2 * round", TARGETS, NAMES)


def test_effect_target_pattern() -> None:
    effect = parse_effect("agencies.mem.points += 1", TARGETS, NAMES)
    assert effect.target == "agencies.mem.points"
    assert effect.apply({}, 3.0) == 4.0


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        (
            "self.trst -= 5",
            "'self.trst' cannot be changed by an effect (did you mean 'self.trust'?)",
            0,
        ),
        ("x = 1", "'x' cannot be changed by an effect", 0),
        ("self.__class__ = 1", "'__class__' is not allowed: names may not start with '_'", 5),
        (
            "self.trust[0] = 1",
            "subscripts like 'a[0]' are not allowed (use dotted names like 'a.b')",
            0,
        ),
        ("self.trust, x = 1, 2", "tuples like 'a, b' are not allowed", 0),
        (
            "self.trust //= 2",
            "operator '//=' is not allowed in effects (allowed: =, +=, -=, *=, /=)",
            0,
        ),
        ("self.trust = x = 1", "an effect assigns to one target only", 13),
        (
            "self.trust += 1; x = 2",
            "an effect must be a single assignment (found 2 statements)",
            17,
        ),
        ("self.trust", "an effect must be an assignment like 'x += 1' or 'x = 2'", 0),
        ("import os", "an effect must be an assignment like 'x += 1' or 'x = 2'", 0),
        ("self.trust: float = 1", "type annotations are not allowed in effects", 0),
        ("self.trust +=", "expected an expression after '+='", 13),
        ("self.trust += nope", "unknown name 'nope'", 14),
        ("  self.trust += 2 ** 99", "exponent 99 is too large (limit 64)", 21),
        (
            "self.trust += open('x')",
            "function 'open' is not allowed (allowed: abs, clamp, max, min, round)",
            14,
        ),
        (
            "self.trust += " + "1 + " * 200 + "1",
            "effect is too long (815 characters, limit 500)",
            500,
        ),
    ],
)
def test_effect_errors(text: str, message: str, offset: int) -> None:
    with pytest.raises(ExpressionError) as info:
        parse_effect(text, TARGETS, NAMES)
    assert str(info.value) == message
    assert info.value.offset == offset


def test_effect_runtime_error_offset_is_relative_to_effect_text() -> None:
    effect = parse_effect("self.trust += 1 + stage", TARGETS, NAMES)
    with pytest.raises(ExpressionError) as info:
        effect.apply(ENV, 1.0)
    assert str(info.value) == "expected a number, got text 'response'"
    assert info.value.offset == 18


def test_effect_overflow() -> None:
    effect = parse_effect("self.trust *= y", TARGETS, NAMES)
    with pytest.raises(ExpressionError, match=r"^result is too large$"):
        effect.apply({"y": 1e300}, 1e300)


def test_effect_pickles() -> None:
    effect = parse_effect("self.trust -= x / 2", TARGETS, NAMES)
    clone = pickle.loads(pickle.dumps(effect))
    assert clone == effect
    assert clone.apply(ENV, 10.0) == 9.0


def test_known_names_are_built_once_and_reused() -> None:
    names = KnownNames(["regions.a.hazard", "fired.*"])
    assert KnownNames.of(names) is names
    assert parse_expr("regions.a.hazard > 0.5 and fired.x", names).names == (
        "fired.x",
        "regions.a.hazard",
    )
    with pytest.raises(ExpressionError, match="did you mean 'regions.a.hazard'"):
        parse_expr("regions.a.hazrd > 0", names)
    effect = parse_effect("regions.a.hazard += 0.1", KnownNames(["regions.a.hazard"]), names)
    assert effect.target == "regions.a.hazard"
