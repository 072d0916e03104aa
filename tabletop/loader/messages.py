"""Readable messages for validation errors in scenarios and rule packs.

:func:`problems_from_validation` converts a :class:`pydantic.ValidationError`
into one :class:`~tabletop.errors.Problem` per error, located with a
:class:`~tabletop.loader.source.TomlSource` and with messages rewritten for
humans ("unknown key 'supperior' (did you mean 'superior'?)").
"""

from __future__ import annotations

import collections.abc
import enum
import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from pydantic import BaseModel, Discriminator, Tag, ValidationError
from pydantic.fields import FieldInfo

from tabletop.errors import Problem, did_you_mean
from tabletop.loader.source import Loc, TomlSource

__all__ = ["problems_from_validation"]

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")
_SHOULD = re.compile(
    r"^(?:Input|String|List|Value|Dictionary|Tuple|Set|Decimal|Object|Data|Bytes|Number)"
    r" should (?P<verb>be |have )?"
)


def _describe(value: Any) -> str:
    """Describe an input value in TOML terms for "got ..." messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _one_of(choices: Iterable[Any]) -> str:
    return ", ".join(repr(c) if isinstance(c, str) else _describe(c) for c in choices)


# ---------------------------------------------------------------------------
# Walking a model type along an error location
# ---------------------------------------------------------------------------

_UNKNOWN: Any = Any
_NOT_A_TAG = object()
_SEQUENCES = (list, tuple, set, frozenset, collections.abc.Sequence, collections.abc.Set)
_MAPPINGS = (dict, collections.abc.Mapping, collections.abc.MutableMapping)


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _discriminator_of(metadata: Iterable[Any]) -> Any:
    """The discriminator (field name or callable) found in Annotated metadata."""
    for meta in metadata:
        disc = getattr(meta, "discriminator", None) if isinstance(meta, FieldInfo) else None
        if isinstance(meta, Discriminator):
            disc = meta.discriminator
        if disc is not None:
            return disc.discriminator if isinstance(disc, Discriminator) else disc
    return None


def _unwrap(tp: Any, disc: Any) -> tuple[Any, Any]:
    """Strip Annotated, Optional and type aliases; pick up discriminators."""
    while True:
        if isinstance(disc, Discriminator):
            disc = disc.discriminator
        if hasattr(tp, "__value__") and not isinstance(tp, type):  # PEP 695 alias
            tp = tp.__value__
        elif typing.get_origin(tp) is typing.Annotated:
            disc = _discriminator_of(getattr(tp, "__metadata__", ())) or disc
            tp = typing.get_args(tp)[0]
        elif _is_union(tp):
            members = [m for m in typing.get_args(tp) if m is not type(None)]
            if len(members) != 1:
                return tp, disc
            tp = members[0]
        else:
            return tp, disc


def _field(model: type[BaseModel], key: str) -> FieldInfo | None:
    for name, info in model.model_fields.items():
        alias = info.validation_alias if isinstance(info.validation_alias, str) else info.alias
        if key in (name, alias):
            return info
    return None


def _field_names(tp: Any) -> list[str]:
    """Allowed keys (aliases and names) of a model, or of every model of a union."""
    tp, _ = _unwrap(tp, None)
    if _is_union(tp):
        names: list[str] = []
        for member in typing.get_args(tp):
            names += [n for n in _field_names(member) if n not in names]
        return names
    if not _is_model(tp):
        return []
    names = []
    for name, info in tp.model_fields.items():
        alias = info.validation_alias if isinstance(info.validation_alias, str) else info.alias
        names.append(alias or name)
    return names


def _literal_values(tp: Any) -> list[Any]:
    """The values of a Literal or Enum type (after unwrapping), else []."""
    tp, _ = _unwrap(tp, None)
    if typing.get_origin(tp) is typing.Literal:
        return list(typing.get_args(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return [m.value for m in tp]
    return []


def _tags(member: Any, disc: Any) -> set[str]:
    """Tags pydantic may use for one member of a discriminated union."""
    tags = {m.tag for m in getattr(member, "__metadata__", ()) if isinstance(m, Tag)}
    member, _ = _unwrap(member, None)
    if isinstance(disc, str) and _is_model(member):
        info = _field(member, disc)
        if info is not None:
            values = _literal_values(info.annotation)
            tags |= {str(v.value if isinstance(v, enum.Enum) else v) for v in values}
    return tags


def _smart_tag_matches(member: Any, tag: str) -> bool:
    """Whether ``tag`` is the label pydantic gives ``member`` in a smart union."""
    if any(isinstance(m, Tag) and m.tag == tag for m in getattr(member, "__metadata__", ())):
        return True
    member, _ = _unwrap(member, None)
    name = getattr(member, "__name__", None)
    origin = typing.get_origin(member)
    if isinstance(member, type) and tag == name:
        return True
    if origin is typing.Literal:
        return tag.startswith("literal[")
    if origin is not None and tag.startswith(f"{getattr(origin, '__name__', '')}["):
        return True
    # Wrapped members: "function-after[check(), int]", "constrained-int[...]" ...
    return bool(name) and "[" in tag and tag.endswith((f", {name}]", f"[{name}]"))


def _union_member(tp: Any, disc: Any, data: Any, part: str | int) -> Any:
    """Return the member of union ``tp`` tagged ``part``, or ``_NOT_A_TAG``."""
    if not isinstance(part, str):
        return _NOT_A_TAG
    members = [m for m in typing.get_args(tp) if m is not type(None)]
    if disc is not None:
        for member in members:
            if part in _tags(member, disc):
                return member
        if isinstance(disc, str) and isinstance(data, dict) and data.get(disc) == part:
            return _UNKNOWN
        return _NOT_A_TAG
    for member in members:
        if _smart_tag_matches(member, part):
            return member
    if _looks_like_tag(part, data):
        return _UNKNOWN
    return _NOT_A_TAG


def _looks_like_tag(part: str | int, data: Any) -> bool:
    """Union-member labels such as ``function-after[check(), int]``."""
    if not isinstance(part, str) or not part.endswith("]") or "[" not in part:
        return False
    return not (isinstance(data, dict) and part in data)


def _child(tp: Any, part: str | int, data: Any) -> tuple[Any, Any, Any]:
    """Step from ``tp`` into key/index ``part``: (type, discriminator, data)."""
    sub: Any = None
    if isinstance(data, dict) and isinstance(part, str):
        sub = data.get(part)
    elif isinstance(data, list) and isinstance(part, int) and -len(data) <= part < len(data):
        sub = data[part]
    if _is_model(tp) and isinstance(part, str):
        info = _field(tp, part)
        if info is None:
            return _UNKNOWN, None, sub
        disc = info.discriminator or _discriminator_of(info.metadata)
        return info.annotation, disc, sub
    if _is_union(tp):
        for member in typing.get_args(tp):
            found = _child(_unwrap(member, None)[0], part, data)
            if found[0] is not _UNKNOWN:
                return found
        return _UNKNOWN, None, sub
    origin = typing.get_origin(tp) or tp
    args = typing.get_args(tp)
    if origin in _SEQUENCES and isinstance(part, int):
        if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            return (args[part] if 0 <= part < len(args) else _UNKNOWN), None, sub
        return (args[0] if args else _UNKNOWN), None, sub
    if origin in _MAPPINGS and isinstance(part, str):
        return (args[1] if len(args) == 2 else _UNKNOWN), None, sub
    return _UNKNOWN, None, sub


@dataclass
class _Walk:
    """A pydantic error location resolved against the model type.

    Attributes:
        loc: The location with union-member labels removed.
        types: ``types[i]`` is the type found at ``loc[:i]``.
        branch: Length of ``loc`` where the first union-member label was dropped, or -1.
        member: That label (which union member the error belongs to).
    """

    loc: Loc
    types: list[Any]
    branch: int = -1
    member: str | int = ""


def _walk(model: Any, data: Any, raw: Loc) -> _Walk:
    """Resolve ``raw`` (a pydantic loc) along ``model`` and ``data``."""
    clean: list[str | int] = []
    found: list[Any] = [model]
    branch, label = -1, ""
    tp, disc = model, None
    for part in raw:
        tp, disc = _unwrap(tp, disc)
        if part == "[key]":  # error in a dict key: point at the key itself
            continue
        if _is_union(tp):
            member = _union_member(tp, disc, data, part)
            if member is not _NOT_A_TAG:
                tp, disc = member, None
                found[-1] = member
                if branch < 0:
                    branch, label = len(clean), str(part)
                continue
        elif tp is _UNKNOWN and _looks_like_tag(part, data):
            continue
        clean.append(part)
        tp, disc, data = _child(tp, part, data)
        found.append(tp)
    return _Walk(tuple(clean), found, branch, label)


# ---------------------------------------------------------------------------
# Validation errors -> problems
# ---------------------------------------------------------------------------

_EXPECTED = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "decimal_type": "a number",
    "decimal_parsing": "a number",
    "string_type": "a string",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "an array",
    "tuple_type": "an array",
    "set_type": "an array",
    "frozen_set_type": "an array",
    "iterable_type": "an array",
    "dict_type": "a table",
    "mapping_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "dataclass_type": "a table",
    "datetime_type": "a date-time",
    "datetime_parsing": "a date-time",
    "datetime_from_date_parsing": "a date-time",
    "date_type": "a date",
    "date_parsing": "a date",
    "date_from_datetime_parsing": "a date",
    "time_type": "a time",
    "time_parsing": "a time",
    "none_required": "nothing",
}
_PREFIXES = ("Value error, ", "Assertion failed, ")
_UNSET: Any = object()


@dataclass
class _Item:
    """One pydantic error on its way to becoming a problem.

    Attributes:
        loc: Where to report it.
        message: Human message.
        branch: For errors inside one member of a union, the union's location.
        member: The union member's label.
        expected: For a type mismatch on the union value itself, what was expected.
        got: Description of the value for such a mismatch.
        variant: True for a literal mismatch on a direct key of the member (the
            member is another variant, such as ``kind = "a"`` vs ``Literal["b"]``).
    """

    loc: Loc
    message: str
    branch: Loc | None = None
    member: str | int = ""
    expected: str = ""
    got: str = ""
    variant: bool = False


def _dig(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _item(error: Any, walk: _Walk, prefix: Loc) -> _Item:
    """Turn one pydantic error dict into an :class:`_Item`."""
    kind: str = error["type"]
    message: str = error["msg"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    value = error.get("input")
    loc = (*prefix, *walk.loc)
    branch = (*prefix, *walk.loc[: walk.branch]) if walk.branch >= 0 else None
    member = walk.member
    here = walk.types[len(walk.loc)] if len(walk.types) > len(walk.loc) else _UNKNOWN
    last = walk.loc[-1] if walk.loc else ""

    if kind == "extra_forbidden":
        parent = walk.types[len(walk.loc) - 1] if walk.loc else _UNKNOWN
        name = str(last)
        text = f"unknown key '{name}'" + did_you_mean(name, _field_names(parent))
        return _Item(loc, text, branch, member)
    if kind == "missing" and walk.loc:
        if len(loc) == 1 and _is_model(_unwrap(walk.types[-1], None)[0]):
            return _Item((), f"missing required table [{last}]", branch, member)
        if len(loc) == 1 and typing.get_origin(_unwrap(walk.types[-1], None)[0]) in _MAPPINGS:
            return _Item(
                (), f"missing required tables [{last}.<id>] (one for each)", branch, member
            )
        return _Item(loc[:-1], f"missing required key '{last}'", branch, member)
    if kind == "union_tag_not_found":
        disc = str(ctx.get("discriminator", "kind")).strip("'\"")
        return _Item(loc, f"missing required key '{disc}'", branch, member)
    if kind == "union_tag_invalid":
        disc = str(ctx.get("discriminator", "kind")).strip("'\"")
        choices = _QUOTED.findall(str(ctx.get("expected_tags", "")))
        tag = str(ctx.get("tag", ""))
        text = f"must be one of {_one_of(choices)} (got {tag!r})" + did_you_mean(tag, choices)
        return _Item((*loc, disc), text, branch, member)
    if kind in ("literal_error", "enum"):
        choices = _literal_values(here) or _QUOTED.findall(str(ctx.get("expected", "")))
        text = f"must be one of {_one_of(choices)} (got {_describe(value)})"
        if isinstance(value, str):
            text += did_you_mean(value, (str(c) for c in choices))
        variant = branch is not None and len(loc) == len(branch) + 1
        return _Item(loc, text, branch, member, variant=variant)
    if kind in _EXPECTED:
        got = _describe(value)
        item = _Item(loc, f"expected {_EXPECTED[kind]}, got {got}", branch, member)
        if branch is not None and loc == branch:
            item.expected, item.got = _EXPECTED[kind], got
        return item
    for strip in _PREFIXES:
        if message.startswith(strip):
            return _Item(loc, message.removeprefix(strip), branch, member)
    if match := _SHOULD.match(message):
        message = f"must {match['verb'] or ''}{message[match.end() :]}"
        if isinstance(value, str | int | float) and "got" not in message:
            message += f" (got {_describe(value)})"
    return _Item(loc, message, branch, member)


def _merge_union_branches(items: list[_Item]) -> list[_Item]:
    """Collapse errors pydantic reports once per member of a (smart) union.

    For one union value, members whose errors are all "wrong type" are dropped
    when another member got further, and members that are another variant
    (wrong literal tag) are dropped when some member is closer.  When every
    member failed on the type, their expectations are joined ("expected an
    integer or a string, got an array").
    """
    members: dict[Loc, dict[str | int, list[_Item]]] = {}
    for item in items:
        if item.branch is not None:
            members.setdefault(item.branch, {}).setdefault(item.member, []).append(item)
    keep: dict[Loc, list[_Item]] = {}
    for branch, by_member in members.items():
        typed = [m for m in by_member.values() if all(i.expected for i in m)]
        variant = [m for m in by_member.values() if m not in typed and any(i.variant for i in m)]
        close = [m for m in by_member.values() if m not in typed and m not in variant]
        chosen = close or variant
        if chosen:
            keep[branch] = [i for m in chosen for i in m]
            continue
        expected: list[str] = []
        for m in typed:
            expected += [i.expected for i in m if i.expected not in expected]
        got = typed[0][0].got
        keep[branch] = [_Item(branch, f"expected {' or '.join(expected)}, got {got}")]
    out: list[_Item] = []
    for item in items:
        if item.branch is None:
            out.append(item)
        elif item.branch in keep:
            out += keep.pop(item.branch)
    return out


def problems_from_validation(
    err: ValidationError,
    source: TomlSource,
    model: Any,
    prefix: Loc = (),
    *,
    data: Any = _UNSET,
) -> list[Problem]:
    """Convert a pydantic validation error into located, readable problems.

    Args:
        err: The error raised while validating (part of) ``source``.
        source: The TOML source the data came from.
        model: The type validated (a model class, or e.g. ``list[Model]``).
        prefix: Location in the document of the validated data.
        data: The data that was validated; defaults to the document at ``prefix``.
            Pass it when the loader reshaped the document before validation.

    Returns:
        One problem per error (union members' type mismatches merged), sorted
        by position, duplicates removed.
    """
    prefix = tuple(prefix)
    if data is _UNSET:
        data = _dig(source._document(), prefix)
    items = [
        _item(error, _walk(model, data, tuple(error["loc"])), prefix)
        for error in err.errors(include_url=False)
    ]
    problems: list[Problem] = []
    for item in _merge_union_branches(items):
        problem = source.problem(item.loc, item.message)
        if not problem.line and not item.loc:  # a missing top-level table: the file's start
            problem = Problem(problem.file, 1, 1, "", item.message, source.line(1))
        if problem not in problems:
            problems.append(problem)
    problems.sort(key=lambda p: (p.line, p.col))
    return problems
