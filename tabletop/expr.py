"""A tiny, safe expression language for scenario conditions and effects.

Facilitators write conditions (``regions.coastal_city.hazard > 0.6 and round >= 3``)
and effects (``self.trust -= 5``) in TOML. This module parses them with
:func:`ast.parse`, checks every node against an allowlist, and compiles the tree
into nested Python closures, so an :class:`Expr` is parsed once and evaluated
cheaply many times. Python's ``eval``/``exec`` are never used.

The language:

* Numbers (every numeric literal becomes a ``float``, so ``9**9**9`` can never build
  a huge integer), ``true``/``false`` (``True``/``False`` work too), and short text
  literals (at most 64 characters).
* Names and dotted names. ``a.b.c`` is not attribute access: it is looked up as the
  single key ``"a.b.c"`` in a flat mapping. No name segment may start with ``_``.
* Arithmetic ``+ - * / // % **`` and unary ``+``/``-``; comparisons ``== != < <= > >=``
  (chains like ``0 < x <= 1`` work); ``and``/``or``/``not`` (always giving a
  boolean); ``a if c else b``; calls of ``abs``, ``clamp(x, lo, hi)``, ``max``,
  ``min`` and ``round(x[, n])`` (Python rounding: ties go to the even digit).

Semantics worth knowing:

* Division by zero (``/``, ``//``, ``%`` and the ``/=`` effect) evaluates to ``0.0``
  instead of failing, so a scenario never crashes mid-exercise on an empty pool.
* Any other arithmetic problem (a result too large for a float, a negative number
  raised to a fractional power, zero raised to a negative power) raises
  :class:`~tabletop.errors.ExpressionError`. ``**`` accepts exponents in
  ``[-64, 64]`` only; a constant exponent outside that range is rejected when
  parsing, a computed one when evaluating.
* Constant sub-expressions are computed once when parsing, so their errors are
  reported at parse time.
* Static types: every sub-expression is a number, a boolean or text (:class:`Ty`), and
  the compiler checks every operator against them: arithmetic, ordering and the
  functions need numbers (a boolean is not a number), ``==``/``!=`` two values of the
  same type, ``and``/``or``/``not`` and conditions booleans or numbers, both choices of
  ``a if c else b`` the same type, an effect's value a number. The types of names come
  from a :class:`KnownNames` (the loader's: ``stage`` is a stage id, every other name a
  number); a name of unknown type (:data:`ANY`) is checked when evaluated instead.
  A type error names the types ("`stage` is a stage id (text); `*` needs numbers").

Limits (checked before :func:`ast.parse` runs): at most 500 characters and 20 levels
of brackets; after parsing, at most 200 syntax nodes (operators and load contexts
are not counted).

Every error is an :class:`~tabletop.errors.ExpressionError` whose ``offset`` is the
0-based character offset of the problem inside the expression text.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import warnings
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from types import MappingProxyType
from typing import Any, NoReturn, Protocol

from tabletop.errors import ExpressionError, did_you_mean

__all__ = [
    "ANY",
    "BOOLEAN",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_TEXT",
    "NUMBER",
    "TEXT",
    "Effect",
    "Expr",
    "KnownNames",
    "Origin",
    "Ty",
    "Value",
    "did_you_mean",
    "parse_effect",
    "parse_expr",
]

Value = float | bool | str
"""What an expression evaluates to, and what the environment maps names to."""

MAX_LENGTH = 500
"""Longest accepted expression or effect text, in characters."""
MAX_DEPTH = 20
"""Deepest accepted bracket nesting."""
MAX_NODES = 200
"""Largest accepted syntax tree (operators and contexts are not counted)."""
MAX_TEXT = 64
"""Longest accepted text literal, in characters."""
MAX_EXPONENT = 64
"""Largest accepted absolute value of an exponent of ``**``."""
FUNCTIONS: tuple[str, ...] = ("abs", "clamp", "max", "min", "round")
"""Functions an expression may call."""

EFFECT_OPS: tuple[str, ...] = ("=", "+=", "-=", "*=", "/=")
"""Operators an effect may use."""


@dataclass(frozen=True, slots=True)
class Ty:
    """The static type of a name or sub-expression.

    Attributes:
        kind: ``"num"``, ``"bool"``, ``"text"``, or ``"any"`` (not known until evaluated:
            checked at run time).
        label: How messages name it (``"a number"``, ``"a stage id (text)"``).
        noun: For text ids, what the id names (``"stage"``); empty otherwise.
        values: For text ids, every valid id (a text literal compared with the name
            must be one of them); empty when any text is valid.
    """

    kind: str
    label: str
    noun: str = ""
    values: tuple[str, ...] = ()

    @classmethod
    def text_id(cls, noun: str, values: Iterable[str] = ()) -> Ty:
        """The type of a text id naming a ``noun`` (one of ``values`` when given)."""
        return cls("text", f"a {noun} id (text)", noun, tuple(values))


NUMBER = Ty("num", "a number")
BOOLEAN = Ty("bool", "a boolean (true/false)")
TEXT = Ty("text", "text")
ANY = Ty("any", "a value")

_Env = Mapping[str, Any]
_Fn = Callable[[_Env], Any]
_EMPTY: _Env = MappingProxyType({})

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _fmt(number: float) -> str:
    """Format a number for an error message (``3`` rather than ``3.0``)."""
    if math.isfinite(number) and number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number)


def _show(value: Any) -> str:
    """Quote a runtime value for an error message, shortening long text."""
    if isinstance(value, str):
        return repr(value if len(value) <= 30 else value[:27] + "...")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _fmt(value)
    return repr(value)


class KnownNames:
    """A collection of accepted names: exact names plus ``*`` patterns.

    :func:`parse_expr` and :func:`parse_effect` accept one in place of a plain
    collection, so a loader compiling many expressions over the same names
    builds the set once.
    """

    __slots__ = ("default", "exact", "patterns", "types")

    @classmethod
    def of(cls, names: Collection[str] | KnownNames) -> KnownNames:
        """``names`` itself when it already is one, else a new one."""
        return names if isinstance(names, KnownNames) else cls(names)

    def __init__(
        self,
        names: Collection[str],
        types: Mapping[str, Ty] | None = None,
        default: Ty = ANY,
    ) -> None:
        """Collect ``names``.

        Args:
            names: Exact names and ``*`` patterns.
            types: The static type of some names (exact names only).
            default: The type of every other name; :data:`ANY` (the default) leaves
                the names unchecked until evaluation.
        """
        self.types: Mapping[str, Ty] = types or {}
        self.default = default
        self.exact: set[str] = set()
        self.patterns: list[str] = []
        for name in names:
            if "*" in name:
                self.patterns.append(name)
            else:
                self.exact.add(name)

    def __contains__(self, name: object) -> bool:
        if name in self.exact:
            return True
        return isinstance(name, str) and any(fnmatchcase(name, p) for p in self.patterns)

    def hint(self, name: str) -> str:
        """Return the did-you-mean hint for an unknown name."""
        return did_you_mean(name, self.exact)

    def type_of(self, name: str) -> Ty:
        """The static type of a known name."""
        return self.types.get(name, self.default)


# ---------------------------------------------------------------------------
# Pre-parse checks and syntax errors
# ---------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")
_CLOSING = {")": "(", "]": "[", "}": "{"}


def _prepare(text: str, what: str) -> tuple[str, int]:
    """Check the raw limits and turn ``text`` into one line ready for ``ast.parse``.

    Comments and line breaks outside text literals become spaces, so the result has
    the same length as ``text`` and every offset into it is an offset into ``text``.

    Args:
        text: The expression or effect as written.
        what: ``"expression"`` or ``"effect"``, for messages.

    Returns:
        The cleaned text with leading whitespace removed, and the number of
        characters removed.

    Raises:
        ExpressionError: The text is too long, too deeply nested, has unbalanced
            brackets, an unterminated text literal, a control character, or is empty.
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"{what} is too long ({len(text)} characters, limit {MAX_LENGTH})", MAX_LENGTH
        )
    bad = _CONTROL.search(text)
    if bad:
        raise ExpressionError(
            f"control character U+{ord(bad.group()):04X} is not allowed", bad.start()
        )
    out = list(text)
    stack: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":
            if text.startswith(ch * 3, i):
                raise ExpressionError("triple-quoted text is not allowed", i)
            j = i + 1
            while j < n and text[j] != ch and text[j] not in "\r\n":
                j += 2 if text[j] == "\\" and j + 1 < n and text[j + 1] not in "\r\n" else 1
            if j >= n or text[j] != ch:
                raise ExpressionError("unterminated text literal", i)
            i = j + 1
            continue
        if ch == "#":
            while i < n and text[i] not in "\r\n":
                out[i] = " "
                i += 1
            continue
        if ch in "\r\n":
            out[i] = " "
        elif ch in "([{":
            stack.append(i)
            if len(stack) > MAX_DEPTH:
                raise ExpressionError(
                    f"{what} is nested too deeply (more than {MAX_DEPTH} levels of brackets)", i
                )
        elif ch in _CLOSING:
            if not stack:
                raise ExpressionError(f"unmatched '{ch}'", i)
            opening = text[stack.pop()]
            if opening != _CLOSING[ch]:
                raise ExpressionError(f"'{ch}' does not match '{opening}'", i)
        i += 1
    if stack:
        raise ExpressionError(f"'{text[stack[-1]]}' was never closed", stack[-1])
    clean = "".join(out)
    stripped = clean.lstrip()
    if not stripped.strip():
        raise ExpressionError(f"empty {what}", 0)
    return stripped, len(clean) - len(stripped)


_TOKEN = re.compile(
    r"""\s*(
        \d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?[jJ]?
      | \.\d[\d_]*(?:[eE][+-]?\d+)?
      | [^\W\d]\w*
      | '(?:[^'\\]|\\.)*'? | "(?:[^"\\]|\\.)*"?
      | \*\*=? | //=? | [-+*/%<>=!:]= | << | >> | \S
    )""",
    re.VERBOSE,
)
_ASSIGN_OPS = frozenset({"+=", "-=", "*=", "/=", "//=", "%=", "**="})
_NEEDS_OPERAND = _ASSIGN_OPS | {
    *("and", "or", "not", "if", "else", "in", "is", "=", ":="),
    *("+", "-", "*", "/", "//", "%", "**", "<", "<=", ">", ">=", "==", "!="),
    *("(", "[", "{", ","),
}
_WORD_CONSTANTS = frozenset({"True", "False", "None"})
_USE_EQ = "'=' cannot be used here (use '==' to compare)"


def _is_operand_start(token: str) -> bool:
    """Whether a token can begin an operand (name, number, text or ``(``)."""
    first = token[0]
    if first.isdigit() or first in "'\"(" or (first == "." and len(token) > 1):
        return True
    return token.isidentifier() and (not keyword.iskeyword(token) or token in _WORD_CONSTANTS)


def _is_operand_end(token: str) -> bool:
    """Whether a token can end an operand (name, number, text or a closing bracket)."""
    return token in (")", "]", "}") or (token != "(" and _is_operand_start(token))


def _quote(token: str) -> str:
    """Quote a token for a message (text literals already carry quotes)."""
    return token if token[0] in "'\"" else f"'{token}'"


def _syntax_error(error: SyntaxError, src: str, lead: int) -> ExpressionError:
    """Translate Python's SyntaxError into a short, human-oriented ExpressionError.

    Args:
        error: What :func:`ast.parse` raised.
        src: The text that was parsed (cleaned, without leading whitespace).
        lead: How many characters were stripped from the front of the original text.

    Returns:
        The error to raise, with an offset into the original text.
    """
    msg = re.sub(r" \(detected at line \d+\)", "", error.msg or "invalid syntax")
    end = len(src.rstrip())
    pos = (error.offset or 0) - 1
    if (error.lineno or 1) != 1 or pos < 0 or pos > end:
        pos = end
    if msg == "invalid syntax":
        before = [m.group(1) for m in _TOKEN.finditer(src[:pos]) if m.group(1)]
        prev = before[-1] if before else ""
        here = _TOKEN.match(src, pos) if pos < end else None
        cur = here.group(1) if here else ""
        if here:
            pos = here.start(1)
        if cur == "=":
            msg = _USE_EQ
        elif cur in _ASSIGN_OPS:
            msg = f"'{cur}' cannot be used here"
        elif prev == ".":
            msg = "expected a name after '.'"
        elif prev in _NEEDS_OPERAND and not (cur and _is_operand_start(cur)):
            msg = f"expected an expression after '{prev}'"
        elif not cur:
            msg = "incomplete expression"
        elif prev and _is_operand_end(prev) and _is_operand_start(cur):
            msg = f"missing operator before {_quote(cur)}"
        else:
            msg = f"unexpected {_quote(cur)}"
    elif msg.startswith("unexpected character after line continuation"):
        msg = "unexpected '\\'"
    elif msg.startswith("invalid syntax. Maybe you meant '=='"):
        msg = _USE_EQ
    elif msg.startswith("invalid syntax. "):
        msg = msg.removeprefix("invalid syntax. ")
    return ExpressionError(msg, lead + pos)


_UNCOUNTED = (ast.expr_context, ast.operator, ast.unaryop, ast.boolop, ast.cmpop)
"""Node types not counted towards MAX_NODES (operators and load contexts)."""


def _parse(src: str, lead: int, mode: str, what: str) -> ast.AST:
    """Run :func:`ast.parse` and check the size of the resulting tree.

    Raises:
        ExpressionError: Syntax error, or more than ``MAX_NODES`` nodes.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(src, mode=mode)
    except SyntaxError as exc:
        raise _syntax_error(exc, src, lead) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # pragma: no cover - defensive
        raise ExpressionError(f"cannot parse {what}: {exc}", lead) from None
    count = sum(1 for node in ast.walk(tree) if not isinstance(node, _UNCOUNTED))
    if count > MAX_NODES:
        raise ExpressionError(f"{what} is too complex ({count} parts, limit {MAX_NODES})", 0)
    return tree


# ---------------------------------------------------------------------------
# Compiler: ast -> closures
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Node:
    """A compiled sub-expression.

    Attributes:
        fn: Evaluates the sub-expression in an environment.
        ty: Its static type (``num`` always evaluates to a float).
        const: Whether it is a constant (already folded).
    """

    fn: _Fn
    ty: Ty
    const: bool = False

    @property
    def kind(self) -> str:
        """``ty.kind``."""
        return self.ty.kind


def _constant(value: Value) -> _Node:
    """Wrap a known value as a constant node."""

    def const(env: _Env) -> Value:
        return value

    ty = BOOLEAN if isinstance(value, bool) else TEXT if isinstance(value, str) else NUMBER
    return _Node(const, ty, True)


_FORBIDDEN: dict[type, str] = {
    ast.Subscript: "subscripts like 'a[0]' are not allowed (use dotted names like 'a.b')",
    ast.Slice: "slices are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.FormattedValue: "f-strings are not allowed",
    ast.NamedExpr: "':=' (assignment expressions) is not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples like 'a, b' are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.Starred: "starred arguments ('*x') are not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
}

_SYMBOLS: dict[type, str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.MatMult: "@",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.Invert: "~",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}

_ARITY: dict[str, tuple[int, int | None, str]] = {
    "abs": (1, 1, "1 argument"),
    "clamp": (3, 3, "3 arguments"),
    "max": (2, None, "at least 2 arguments"),
    "min": (2, None, "at least 2 arguments"),
    "round": (1, 2, "1 or 2 arguments"),
}

_TOO_LARGE = "result is too large"
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


def _exponent_message(exponent: float) -> str:
    return f"exponent {_fmt(exponent)} is too large (limit {MAX_EXPONENT})"


class _Src:
    """Maps ast positions (UTF-8 byte columns on line 1) to offsets into the text."""

    __slots__ = ("encoded", "lead", "text")

    def __init__(self, src: str, lead: int) -> None:
        self.lead = lead
        self.text = src
        self.encoded = None if src.isascii() else src.encode()

    def col(self, byte_col: int) -> int:
        """Convert a byte column of the parsed text to a character offset."""
        if self.encoded is None:
            return self.lead + byte_col
        return self.lead + len(self.encoded[:byte_col].decode("utf-8", "ignore"))

    def at(self, node: ast.AST) -> int:
        """Offset of the first character of ``node``."""
        return self.col(getattr(node, "col_offset", 0))

    def end(self, node: ast.AST) -> int:
        """Offset just past the last character of ``node``."""
        return self.col(getattr(node, "end_col_offset", 0) or 0)

    def segment(self, node: ast.AST) -> str:
        """The text of ``node``, shortened for a message."""
        text = " ".join(self.text[self.at(node) - self.lead : self.end(node) - self.lead].split())
        return text if len(text) <= 40 else text[:37] + "..."


class _Compiler:
    """Compiles an allowlisted ast into closures, collecting the names it reads."""

    def __init__(self, src: _Src, known: KnownNames) -> None:
        self.src = src
        self.known = known
        self.names: set[str] = set()

    # -- plumbing ----------------------------------------------------------

    def fail(self, message: str, where: ast.AST | int) -> NoReturn:
        """Raise an ExpressionError located at a node or an offset."""
        offset = where if isinstance(where, int) else self.src.at(where)
        raise ExpressionError(message, offset)

    def compile(self, node: ast.AST) -> _Node:
        """Compile one node (and its children).

        Args:
            node: The node.

        Returns:
            The compiled node; constant sub-trees are already evaluated.

        Raises:
            ExpressionError: A construct outside the language, an unknown name, a
                type error or a constant out of range.
        """
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name | ast.Attribute):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.UnaryOp):
            return self.unaryop(node)
        if isinstance(node, ast.BoolOp):
            return self.boolop(node)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.IfExp):
            return self.ifexp(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        message = _FORBIDDEN.get(type(node), f"'{type(node).__name__}' is not allowed")
        self.fail(message, node)

    @staticmethod
    def finish(fn: _Fn, ty: Ty, children: Iterable[_Node]) -> _Node:
        """Build a node, folding it into a constant when all children are constant."""
        if all(child.const for child in children):
            return _constant(fn(_EMPTY))
        return _Node(fn, ty)

    def mistyped(self, node: ast.AST, ty: Ty, needs: str) -> NoReturn:
        """Raise the type error "`x` is <type>; <needs>" located at ``node``."""
        self.fail(f"`{self.src.segment(node)}` is {ty.label}; {needs}", node)

    def number(self, node: ast.AST, op: str) -> tuple[_Fn, _Node]:
        """Compile an operand that must be a number; return (float-producing fn, node).

        An operand of unknown type (a name without a type) is checked when evaluated.

        Args:
            node: The operand.
            op: The operator or function that needs it, for the message.
        """
        compiled = self.compile(node)
        fn = compiled.fn
        kind = compiled.kind
        if kind == "num":
            return fn, compiled
        if kind != "any":
            self.mistyped(node, compiled.ty, f"`{op}` needs numbers")
        offset = self.src.at(node)

        def as_number(env: _Env) -> float:
            value = fn(env)
            if value.__class__ is str:
                raise ExpressionError(f"expected a number, got text {_show(value)}", offset)
            return float(value)

        return as_number, compiled

    # -- leaves ------------------------------------------------------------

    def truth(self, node: ast.AST, op: str) -> _Node:
        """Compile an operand of ``and``/``or``/``not``/``if``: a boolean or a number."""
        compiled = self.compile(node)
        if compiled.kind == "text":
            self.mistyped(node, compiled.ty, f"`{op}` needs true/false (or a number)")
        return compiled

    def constant(self, node: ast.Constant) -> _Node:
        """Compile a literal."""
        value = node.value
        if isinstance(value, bool):
            return _constant(value)
        if isinstance(value, int | float):
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
            if not math.isfinite(number):
                self.fail("number is too large", node)
            return _constant(number)
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                self.fail(
                    f"text literal is too long ({len(value)} characters, limit {MAX_TEXT})", node
                )
            return _constant(value)
        if isinstance(value, complex):
            self.fail("complex numbers are not allowed", node)
        if isinstance(value, bytes):
            self.fail("bytes literals are not allowed", node)
        if value is None:
            self.fail("'None' is not allowed", node)
        self.fail(f"'{ast.unparse(node)}' is not allowed", node)

    def dotted(self, node: ast.Name | ast.Attribute) -> str:
        """Return the dotted name spelled by a Name/Attribute chain.

        Raises:
            ExpressionError: The chain does not start with a name (real attribute
                access), or a segment starts with ``_``.
        """
        parts: list[tuple[str, int]] = []
        current: ast.AST = node
        while isinstance(current, ast.Attribute):
            parts.append((current.attr, self.src.end(current) - len(current.attr)))
            current = current.value
        if not isinstance(current, ast.Name):
            attr, offset = parts[-1]
            self.fail(
                f"attribute access '.{attr}' is not allowed "
                "(only dotted names like 'regions.city.hazard')",
                offset,
            )
        parts.append((current.id, self.src.at(current)))
        parts.reverse()
        for part, offset in parts:
            if part.startswith("_"):
                self.fail(f"'{part}' is not allowed: names may not start with '_'", offset)
        return ".".join(part for part, _ in parts)

    def name(self, node: ast.Name | ast.Attribute) -> _Node:
        """Compile a (dotted) name into an environment lookup."""
        key = self.dotted(node)
        if key in ("true", "false"):
            return _constant(key == "true")
        if key not in self.known:
            self.fail(f"unknown name '{key}'{self.known.hint(key)}", node)
        self.names.add(key)
        offset = self.src.at(node)
        ty = self.known.type_of(key)

        def load(env: _Env) -> Value:
            try:
                value = env[key]
            except KeyError:
                raise ExpressionError(f"no value for '{key}'", offset) from None
            cls = value.__class__
            if cls is float or cls is bool or cls is str:
                return value
            if isinstance(value, bool):
                return bool(value)
            if isinstance(value, str):
                return str(value)
            if isinstance(value, int | float):
                try:
                    return float(value)
                except OverflowError:
                    raise ExpressionError(f"value of '{key}' is too large", offset) from None
            raise ExpressionError(
                f"value of '{key}' is a {type(value).__name__}, not a number, boolean or text",
                offset,
            )

        return _Node(load, ty)

    # -- operators ---------------------------------------------------------

    def binop(self, node: ast.BinOp) -> _Node:
        """Compile arithmetic."""
        symbol = _SYMBOLS.get(type(node.op), "?")
        if not isinstance(node.op, _ARITHMETIC):
            self.fail(f"operator '{symbol}' is not allowed", node)
        left, lnode = self.number(node.left, symbol)
        right, rnode = self.number(node.right, symbol)
        offset = self.src.at(node)
        isfinite = math.isfinite
        fn: _Fn

        if isinstance(node.op, ast.Add):

            def fn(env: _Env) -> float:
                result = left(env) + right(env)
                if isfinite(result):
                    return result
                raise ExpressionError(_TOO_LARGE, offset)

        elif isinstance(node.op, ast.Sub):

            def fn(env: _Env) -> float:
                result = left(env) - right(env)
                if isfinite(result):
                    return result
                raise ExpressionError(_TOO_LARGE, offset)

        elif isinstance(node.op, ast.Mult):

            def fn(env: _Env) -> float:
                result = left(env) * right(env)
                if isfinite(result):
                    return result
                raise ExpressionError(_TOO_LARGE, offset)

        elif isinstance(node.op, ast.Pow):
            exponent_offset = self.src.at(node.right)
            if rnode.const:  # reject a constant exponent now, even if the base varies
                exponent = right(_EMPTY)
                if not -MAX_EXPONENT <= exponent <= MAX_EXPONENT:
                    self.fail(_exponent_message(exponent), exponent_offset)
            fn = self._power(left, right, offset, exponent_offset)
        else:
            fn = self._division(symbol, left, right, offset)
        return self.finish(fn, NUMBER, (lnode, rnode))

    @staticmethod
    def _division(symbol: str, left: _Fn, right: _Fn, offset: int) -> _Fn:
        """Build ``/``, ``//`` or ``%``; a zero divisor gives 0.0."""
        compute: Callable[[float, float], float] = {
            "/": float.__truediv__,
            "//": float.__floordiv__,
            "%": float.__mod__,
        }[symbol]
        isfinite = math.isfinite

        def divide(env: _Env) -> float:
            a = left(env)
            b = right(env)
            if b == 0.0:
                return 0.0
            try:
                result = compute(a, b)
            except ArithmeticError:
                raise ExpressionError(_TOO_LARGE, offset) from None
            if isfinite(result):
                return result
            raise ExpressionError(_TOO_LARGE, offset)

        return divide

    @staticmethod
    def _power(left: _Fn, right: _Fn, offset: int, exponent_offset: int) -> _Fn:
        """Build ``**`` with the exponent limit and overflow checks."""
        isfinite = math.isfinite
        limit = float(MAX_EXPONENT)

        def power(env: _Env) -> float:
            a = left(env)
            b = right(env)
            if not -limit <= b <= limit:
                raise ExpressionError(_exponent_message(b), exponent_offset)
            try:
                result = a**b
            except ZeroDivisionError:
                raise ExpressionError("cannot raise zero to a negative power", offset) from None
            except ArithmeticError:
                raise ExpressionError(_TOO_LARGE, offset) from None
            if result.__class__ is complex:
                raise ExpressionError(
                    "cannot raise a negative number to a fractional power", offset
                )
            if isfinite(result):
                return result
            raise ExpressionError(_TOO_LARGE, offset)

        return power

    def unaryop(self, node: ast.UnaryOp) -> _Node:
        """Compile ``not``, unary ``-`` and unary ``+``."""
        if isinstance(node.op, ast.Not):
            operand = self.truth(node.operand, "not")
            inner = operand.fn

            def negate(env: _Env) -> bool:
                return not inner(env)

            return self.finish(negate, BOOLEAN, (operand,))
        if isinstance(node.op, ast.USub):
            number, operand = self.number(node.operand, "-")

            def minus(env: _Env) -> float:
                return -number(env)

            return self.finish(minus, NUMBER, (operand,))
        if isinstance(node.op, ast.UAdd):
            number, operand = self.number(node.operand, "+")
            return self.finish(number, NUMBER, (operand,))
        self.fail(f"operator '{_SYMBOLS.get(type(node.op), '?')}' is not allowed", node)

    def boolop(self, node: ast.BoolOp) -> _Node:
        """Compile ``and``/``or`` (short-circuiting, always returning a boolean)."""
        word = "and" if isinstance(node.op, ast.And) else "or"
        operands = [self.truth(value, word) for value in node.values]
        fns = tuple(operand.fn for operand in operands)
        fn: _Fn
        if isinstance(node.op, ast.And):
            if len(fns) == 2:
                a, b = fns

                def fn(env: _Env) -> bool:
                    return bool(a(env) and b(env))

            else:

                def fn(env: _Env) -> bool:
                    return all(f(env) for f in fns)

        elif len(fns) == 2:
            a, b = fns

            def fn(env: _Env) -> bool:
                return bool(a(env) or b(env))

        else:

            def fn(env: _Env) -> bool:
                return any(f(env) for f in fns)

        return self.finish(fn, BOOLEAN, operands)

    def compare(self, node: ast.Compare) -> _Node:
        """Compile a (possibly chained) comparison."""
        ops = node.ops
        for op, right in zip(ops, node.comparators, strict=True):
            if not isinstance(op, ast.Eq | ast.NotEq | ast.Lt | ast.LtE | ast.Gt | ast.GtE):
                symbol = _SYMBOLS.get(type(op), "?")
                self.fail(f"operator '{symbol}' is not allowed", right)
        nodes = [node.left, *node.comparators]
        operands = [self.compile(sub) for sub in nodes]
        for i, op in enumerate(ops):
            self.compared(op, nodes[i], operands[i], nodes[i + 1], operands[i + 1])
        checks = [
            self._comparison(op, operands[i], operands[i + 1], self.src.at(nodes[i]))
            for i, op in enumerate(ops)
        ]
        fn: _Fn
        if len(checks) == 1:
            check = checks[0]
            left, right = operands[0].fn, operands[1].fn  # type: ignore[assignment]

            def fn(env: _Env) -> bool:
                return check(left(env), right(env))  # type: ignore[operator]

        else:
            fns = tuple(operand.fn for operand in operands)
            pairs = tuple(zip(checks, fns[1:], strict=True))
            first = fns[0]

            def fn(env: _Env) -> bool:
                a = first(env)
                for check, f in pairs:
                    b = f(env)
                    if not check(a, b):
                        return False
                    a = b
                return True

        return self.finish(fn, BOOLEAN, operands)

    def compared(
        self, op: ast.cmpop, lnode: ast.AST, left: _Node, rnode: ast.AST, right: _Node
    ) -> None:
        """Type-check one comparison ``left op right``.

        Ordering needs numbers; ``==``/``!=`` need two values of the same type, and a
        text id compared with a text literal needs a valid id.
        """
        symbol = _SYMBOLS[type(op)]
        if not isinstance(op, ast.Eq | ast.NotEq):
            for sub, operand in ((lnode, left), (rnode, right)):
                if operand.kind not in ("num", "any"):
                    hint = " (text can only be compared with == or !=)"
                    self.mistyped(
                        sub,
                        operand.ty,
                        f"`{symbol}` needs numbers{hint if operand.kind == 'text' else ''}",
                    )
            return
        a, b = left.ty, right.ty
        if a.kind == "any" or b.kind == "any":
            return
        if a.kind != b.kind:
            self.fail(
                f"`{self.src.segment(lnode)}` is {a.label} but `{self.src.segment(rnode)}` is "
                f"{b.label}; `{symbol}` compares values of the same type",
                lnode,
            )
        for ids, other, where in ((a, right, rnode), (b, left, lnode)):
            if ids.values and other.const:
                value = other.fn(_EMPTY)
                if value not in ids.values:
                    self.fail(
                        f"unknown {ids.noun} '{value}'{did_you_mean(value, ids.values)}", where
                    )

    @staticmethod
    def _comparison(
        op: ast.cmpop, left: _Node, right: _Node, offset: int
    ) -> Callable[[Any, Any], bool]:
        """Return the two-argument check for one comparison operator."""
        if isinstance(op, ast.Eq):
            return _eq
        if isinstance(op, ast.NotEq):
            return _ne
        compare: Callable[[Any, Any], bool] = {
            ast.Lt: _lt,
            ast.LtE: _le,
            ast.Gt: _gt,
            ast.GtE: _ge,
        }[type(op)]
        if left.kind in ("num", "bool") and right.kind in ("num", "bool"):
            return compare
        symbol = _SYMBOLS[type(op)]

        def ordered(a: Any, b: Any) -> bool:
            if a.__class__ is str or b.__class__ is str:
                raise ExpressionError(
                    f"text can only be compared with == or !=, not '{symbol}'", offset
                )
            return compare(a, b)

        return ordered

    def ifexp(self, node: ast.IfExp) -> _Node:
        """Compile ``body if test else orelse``."""
        test = self.truth(node.test, "if")
        body = self.compile(node.body)
        orelse = self.compile(node.orelse)
        kinds = (body.kind, orelse.kind)
        if body.kind != orelse.kind and "any" not in kinds:
            self.fail(
                f"`{self.src.segment(node.body)}` is {body.ty.label} but "
                f"`{self.src.segment(node.orelse)}` is {orelse.ty.label}; both choices of "
                "`... if ... else ...` need the same type",
                node.orelse,
            )
        if test.const:
            return body if test.fn(_EMPTY) else orelse
        t, b, o = test.fn, body.fn, orelse.fn

        def choose(env: _Env) -> Value:
            return b(env) if t(env) else o(env)

        if body.ty == orelse.ty:
            ty = body.ty
        elif "any" in kinds:
            ty = ANY
        else:  # two text ids of different kinds, or an id and text
            ty = TEXT
        return self.finish(choose, ty, (test, body, orelse))

    def call(self, node: ast.Call) -> _Node:
        """Compile a call of an allowlisted function."""
        func = node.func
        if isinstance(func, ast.Attribute):
            name = self.dotted(func)
            self.fail(f"function '{name}' is not allowed (allowed: {', '.join(FUNCTIONS)})", func)
        if not isinstance(func, ast.Name):
            self.compile(func)  # reports a forbidden construct (lambda, ...) if there is one
            self.fail(f"only the functions {', '.join(FUNCTIONS)} can be called", func)
        name = func.id
        if name.startswith("_"):
            self.fail(f"'{name}' is not allowed: names may not start with '_'", func)
        if name not in _ARITY:
            hint = did_you_mean(name, FUNCTIONS) or f" (allowed: {', '.join(FUNCTIONS)})"
            self.fail(f"function '{name}' is not allowed{hint}", func)
        if node.keywords:
            self.fail("keyword arguments are not allowed", node.keywords[0])
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                self.fail(_FORBIDDEN[ast.Starred], arg)
        compiled = [self.number(arg, f"{name}()") for arg in node.args]
        low, high, wording = _ARITY[name]
        count = len(node.args)
        if count < low or (high is not None and count > high):
            self.fail(f"{name}() takes {wording} (got {count})", node)
        fns = tuple(fn for fn, _ in compiled)
        offset = self.src.at(node)
        # Check constant arguments now rather than at every evaluation.
        known = [fn(_EMPTY) if operand.const else None for fn, operand in compiled]
        digits = known[1] if name == "round" and count == 2 else None
        if digits is not None and not digits.is_integer():
            self.fail(_round_digits_message(digits), node)
        low, high = known[1:3] if name == "clamp" else (None, None)  # type: ignore[assignment]
        if low is not None and high is not None and low > high:
            self.fail(_clamp_message(low, high), node)
        fn = _FUNCTION_BUILDERS[name](fns, offset)
        return self.finish(fn, NUMBER, [operand for _, operand in compiled])


def _eq(a: Any, b: Any) -> bool:
    return a == b


def _ne(a: Any, b: Any) -> bool:
    return a != b


def _lt(a: Any, b: Any) -> bool:
    return a < b


def _le(a: Any, b: Any) -> bool:
    return a <= b


def _gt(a: Any, b: Any) -> bool:
    return a > b


def _ge(a: Any, b: Any) -> bool:
    return a >= b


def _clamp_message(low: float, high: float) -> str:
    return f"clamp(): lower bound {_fmt(low)} is above upper bound {_fmt(high)}"


def _round_digits_message(digits: float) -> str:
    return f"round(): digits must be a whole number, not {_fmt(digits)}"


def _build_abs(fns: tuple[_Fn, ...], offset: int) -> _Fn:
    (x,) = fns

    def absolute(env: _Env) -> float:
        return abs(x(env))

    return absolute


def _build_extreme(pick: Callable[..., float]) -> Callable[[tuple[_Fn, ...], int], _Fn]:
    def build(fns: tuple[_Fn, ...], offset: int) -> _Fn:
        if len(fns) == 2:
            a, b = fns

            def extreme2(env: _Env) -> float:
                return pick(a(env), b(env))

            return extreme2

        def extreme(env: _Env) -> float:
            return pick([f(env) for f in fns])

        return extreme

    return build


def _build_clamp(fns: tuple[_Fn, ...], offset: int) -> _Fn:
    x, lo, hi = fns

    def clamp(env: _Env) -> float:
        value, low, high = x(env), lo(env), hi(env)
        if low > high:
            raise ExpressionError(_clamp_message(low, high), offset)
        return low if value < low else high if value > high else value

    return clamp


def _build_round(fns: tuple[_Fn, ...], offset: int) -> _Fn:
    if len(fns) == 1:
        (x,) = fns

        def round1(env: _Env) -> float:
            try:
                return float(round(x(env)))
            except (ValueError, OverflowError):
                raise ExpressionError("round(): cannot round this number", offset) from None

        return round1
    x, n = fns

    def round2(env: _Env) -> float:
        value, digits = x(env), n(env)
        if not digits.is_integer():
            raise ExpressionError(_round_digits_message(digits), offset)
        try:
            return round(value, int(digits))
        except (ValueError, OverflowError):
            raise ExpressionError("round(): cannot round this number", offset) from None

    return round2


_FUNCTION_BUILDERS: dict[str, Callable[[tuple[_Fn, ...], int], _Fn]] = {
    "abs": _build_abs,
    "clamp": _build_clamp,
    "max": _build_extreme(max),
    "min": _build_extreme(min),
    "round": _build_round,
}

# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


class Expr:
    """A parsed, compiled expression; cheap to evaluate many times.

    Two expressions with the same text are equal. Instances are immutable.

    Attributes:
        text: The source text.
        names: Sorted unique dotted names the expression reads.
        ty: Its static type (what it evaluates to; :data:`ANY` when it reads
            names of unknown type).
        origin: Where the text was written (see :class:`Origin`), or None.
    """

    __slots__ = ("_fn", "names", "origin", "text", "ty")

    text: str
    names: tuple[str, ...]
    ty: Ty
    origin: Origin | None

    def __init__(
        self,
        text: str,
        names: tuple[str, ...],
        fn: _Fn,
        ty: Ty = ANY,
        origin: Origin | None = None,
    ) -> None:
        """Wrap compiled code; use :func:`parse_expr` to build one."""
        self.text = text
        self.names = names
        self._fn = fn
        self.ty = ty
        self.origin = origin

    def eval(self, env: Mapping[str, Value]) -> Value:
        """Evaluate the expression.

        Args:
            env: Flat mapping of dotted name to value (``{"regions.city.hazard": 0.4}``).

        Returns:
            The value (a float, a bool, or text).

        Raises:
            ExpressionError: A name has no value in ``env``, or an arithmetic error.
        """
        try:
            return self._fn(env)
        except ExpressionError:
            raise
        except (ArithmeticError, TypeError, ValueError) as exc:  # pragma: no cover - defensive
            raise ExpressionError(f"cannot evaluate: {exc}", 0) from None

    def truthy(self, env: Mapping[str, Value]) -> bool:
        """Evaluate and convert to a boolean (0, "" and false are false).

        Raises:
            ExpressionError: As :meth:`eval`.
        """
        return bool(self.eval(env))

    def number(self, env: Mapping[str, Value]) -> float:
        """Evaluate and convert to a float (a boolean gives 0.0 or 1.0).

        Raises:
            ExpressionError: As :meth:`eval`, or the result is text.
        """
        value = self.eval(env)
        if isinstance(value, str):
            raise ExpressionError(f"expected a number, got text {_show(value)}", 0)
        return float(value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Expr):
            return self.text == other.text
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"Expr({self.text!r})"

    def __copy__(self) -> Expr:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Expr:
        return self

    def __reduce__(self) -> tuple[Callable[..., Expr], tuple[str, tuple[str, ...]]]:
        # Closures cannot be pickled: re-parse from the text. Every name it reads
        # was known when it was first parsed, so its own names suffice.
        return parse_expr, (self.text, self.names)


class Origin(Protocol):
    """Where an expression was written: turns an offset into a source location.

    The loader attaches one to every expression of a scenario or rule pack, so a
    run-time failure can name file:line:col (computed only when it happens).
    """

    def locate(self, offset: int) -> tuple[str, int, int, str]:
        """``(file, line, col, dotted key)`` of character ``offset`` of the text."""
        ...


@dataclass(frozen=True)
class Effect:
    """One assignment ``target op value`` applied to a numeric state value.

    Attributes:
        text: The source text.
        target: Dotted name assigned to.
        op: One of ``=``, ``+=``, ``-=``, ``*=``, ``/=``.
        value: The right-hand side.
        value_offset: Offset of ``value.text`` inside ``text`` (errors raised by
            :meth:`apply` are relative to ``text``).
        origin: Where ``text`` was written, or None.
    """

    text: str
    target: str
    op: str
    value: Expr
    value_offset: int = field(default=0, repr=False, compare=False)
    origin: Origin | None = field(default=None, repr=False, compare=False)

    def apply(self, env: Mapping[str, Value], current: float) -> float:
        """Compute the new value of the target.

        ``/=`` by zero gives 0.0, like ``/``.

        Args:
            env: Flat mapping of dotted name to value, for evaluating ``value``.
            current: The target's current value.

        Returns:
            The target's new value.

        Raises:
            ExpressionError: The value cannot be evaluated, is text, or the result
                is too large.
        """
        try:
            amount = self.value.number(env)
        except ExpressionError as exc:
            raise ExpressionError(str(exc), exc.offset + self.value_offset) from None
        op = self.op
        current = float(current)
        if op == "=":
            result = amount
        elif op == "+=":
            result = current + amount
        elif op == "-=":
            result = current - amount
        elif op == "*=":
            result = current * amount
        else:
            result = current / amount if amount else 0.0
        if not math.isfinite(result):
            raise ExpressionError(_TOO_LARGE, 0)
        return result


def parse_expr(
    text: str,
    names: Collection[str] | KnownNames,
    *,
    condition: bool = False,
    origin: Origin | None = None,
) -> Expr:
    """Parse, type-check and compile an expression.

    Args:
        text: The expression, e.g. ``"regions.coastal_city.hazard > 0.5 and round >= 2"``.
        names: Dotted names the expression may read. A name containing ``*`` is an
            fnmatch-style pattern (``"fired.*"`` accepts ``fired.anything``). A
            :class:`KnownNames` is used as it is (with the types of its names).
        condition: The expression is a condition: its value must be a boolean or
            a number, not text.
        origin: Where the text was written (kept on the result).

    Returns:
        The compiled expression.

    Raises:
        ExpressionError: The text is invalid, uses a construct outside the
            language, reads an unknown name, has a type error, or exceeds a limit.
    """
    src, lead = _prepare(text, "expression")
    tree = _parse(src, lead, "eval", "expression")
    assert isinstance(tree, ast.Expression)
    compiler = _Compiler(_Src(src, lead), KnownNames.of(names))
    compiled = compiler.compile(tree.body)
    if condition and compiled.kind == "text":
        compiler.mistyped(tree.body, compiled.ty, "a condition must be true or false")
    return Expr(text, tuple(sorted(compiler.names)), compiled.fn, compiled.ty, origin)


_AUG_OPS: dict[type, str] = {ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/="}


def parse_effect(
    text: str,
    targets: Collection[str] | KnownNames,
    names: Collection[str] | KnownNames,
    *,
    origin: Origin | None = None,
) -> Effect:
    """Parse an effect: one statement ``target op value``; the value must be a number.

    Args:
        text: The effect, e.g. ``"regions.coastal_city.hazard += 0.2"``.
        targets: Dotted names an effect may assign to (``*`` patterns allowed); every
            target holds a number.
        names: Dotted names the value may read (``*`` patterns allowed).
        origin: Where the text was written (kept on the result).

    Returns:
        The compiled effect.

    Raises:
        ExpressionError: The text is not one allowed assignment, the target is not
            allowed, or the value is not a valid expression.
    """
    src, lead = _prepare(text, "effect")
    tree = _parse(src, lead, "exec", "effect")
    assert isinstance(tree, ast.Module)
    where = _Src(src, lead)
    compiler = _Compiler(where, KnownNames.of(targets))
    body = tree.body
    if len(body) != 1:
        compiler.fail(
            f"an effect must be a single assignment (found {len(body)} statements)", body[1]
        )
    stmt = body[0]
    if isinstance(stmt, ast.Assign):
        if len(stmt.targets) != 1:
            compiler.fail("an effect assigns to one target only", stmt.targets[1])
        target_node, op = stmt.targets[0], "="
    elif isinstance(stmt, ast.AugAssign):
        if type(stmt.op) not in _AUG_OPS:
            symbol = _SYMBOLS.get(type(stmt.op), "?") + "="
            compiler.fail(
                f"operator '{symbol}' is not allowed in effects (allowed: {', '.join(EFFECT_OPS)})",
                stmt,
            )
        target_node, op = stmt.target, _AUG_OPS[type(stmt.op)]
    elif isinstance(stmt, ast.AnnAssign):
        compiler.fail("type annotations are not allowed in effects", stmt)
    else:
        compiler.fail("an effect must be an assignment like 'x += 1' or 'x = 2'", stmt)
    if not isinstance(target_node, ast.Name | ast.Attribute):
        message = _FORBIDDEN.get(type(target_node), "an effect must assign to a dotted name")
        compiler.fail(message, target_node)
    target = compiler.dotted(target_node)
    if target not in compiler.known:
        compiler.fail(
            f"'{target}' cannot be changed by an effect{compiler.known.hint(target)}",
            target_node,
        )
    start, end = where.at(stmt.value), where.end(stmt.value)
    try:
        value = parse_expr(text[start:end], names)
    except ExpressionError as exc:
        raise ExpressionError(str(exc), exc.offset + start) from None
    if value.ty.kind not in ("num", "any"):
        compiler.mistyped(stmt.value, value.ty, f"`{target} {op}` needs a number")
    return Effect(text=text, target=target, op=op, value=value, value_offset=start, origin=origin)
