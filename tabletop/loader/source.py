"""TOML sources that turn syntax and validation errors into located problems.

Scenarios and rule packs are TOML files written by facilitators, so every
error must point at the offending key: ``file:line:col: dotted.key: message``
followed by the source line and a caret (see :class:`tabletop.errors.Problem`).

:class:`TomlSource` reads and parses a file (reporting I/O, encoding, syntax
and nan/inf problems) and maps pydantic-style locations such as
``("regions", 2, "links", 0, "k")`` back to a line and column.  It does so
with a small character-level scanner that indexes every key, table header and
array element of a document that :mod:`tomllib` has already accepted.

:func:`problems_from_validation` converts a :class:`pydantic.ValidationError`
into one :class:`~tabletop.errors.Problem` per error, with messages rewritten
for humans ("unknown key 'supperior' (did you mean 'superior'?)").
"""

from __future__ import annotations

import bisect
import codecs
import collections.abc
import difflib
import enum
import math
import os
import re
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from pydantic import BaseModel, Discriminator, Tag, ValidationError
from pydantic.fields import FieldInfo

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python < 3.11
    import tomli as tomllib  # type: ignore[no-redef]

from tabletop.errors import Problem, ScenarioError
from tabletop.files import MAX_SOURCE_BYTES, FileTooLarge, NotRegularFile, read_regular
from tabletop.sanitize import first_control

__all__ = [
    "Loc",
    "TomlSource",
    "did_you_mean",
    "dotted",
    "problems_from_validation",
]

Loc = tuple[str | int, ...]
"""A pydantic-style location: table keys (``str``) and array indexes (``int``)."""

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")
_SHOULD = re.compile(
    r"^(?:Input|String|List|Value|Dictionary|Tuple|Set|Decimal|Object|Data|Bytes|Number)"
    r" should (?P<verb>be |have )?"
)


# ---------------------------------------------------------------------------
# Scanner: one pass over the text, indexing keys and array elements.
# ---------------------------------------------------------------------------

_WS = frozenset(" \t")
_BARE_STOP = frozenset(" \t\r\n.=[]{},#\"'")
_SCALAR_STOP = frozenset(",]}\n#")


@dataclass
class _Index:
    """Offsets found by :class:`_Scanner`.

    Attributes:
        keys: Loc -> offset of the key naming it (or of the ``[[`` header / the
            element start for array elements).
        values: Loc -> offset of the first character of its value (key/value
            pairs and inline array elements only).
    """

    keys: dict[Loc, int] = field(default_factory=dict)
    values: dict[Loc, int] = field(default_factory=dict)


class _Scanner:
    """Character-level TOML scanner building an :class:`_Index`.

    It assumes the text is valid TOML (tomllib checked it first) and never
    raises: on unexpected input it skips a character and carries on, so the
    index is merely incomplete.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.index = _Index()
        self._explicit: set[Loc] = set()
        self._aot: dict[Loc, int] = {}

    # -- driver -------------------------------------------------------------

    def run(self) -> _Index:
        """Scan the whole document and return the index."""
        table: Loc = ()
        while True:
            self._skip(newlines=True)
            if self.pos >= self.n:
                break
            start = self.pos
            if self.text.startswith("[[", self.pos):
                table = self._array_header()
            elif self.text[self.pos] == "[":
                table = self._table_header()
            else:
                self._keyval(table)
            if self.pos == start:  # pragma: no cover - only on invalid TOML
                self.pos += 1
        return self.index

    # -- low level ----------------------------------------------------------

    def _peek(self) -> str:
        return self.text[self.pos] if self.pos < self.n else ""

    def _skip(self, *, newlines: bool = False) -> None:
        """Skip blanks and comments (and newlines when asked)."""
        text, n = self.text, self.n
        while self.pos < n:
            c = text[self.pos]
            if c in _WS or (newlines and c in "\r\n"):
                self.pos += 1
            elif c == "#":
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end
            else:
                return

    def _string_end(self, start: int) -> int:
        """Return the offset just past the string literal starting at ``start``."""
        text, n = self.text, self.n
        for delim, escapes in (('"""', True), ("'''", False)):
            if text.startswith(delim, start):
                i = start + 3
                while i < n:
                    if escapes and text[i] == "\\":
                        i += 2
                    elif text.startswith(delim, i):
                        end = i + 3
                        # Up to two quotes may precede the closing delimiter.
                        while end < n and end - i < 5 and text[end] == delim[0]:
                            end += 1
                        return end
                    else:
                        i += 1
                return n
        quote = text[start]
        i = start + 1
        while i < n:
            c = text[i]
            if c == "\\" and quote == '"':
                i += 2
            elif c == quote:
                return i + 1
            elif c == "\n":
                return i
            else:
                i += 1
        return n

    def _note(self, loc: Loc, offset: int, *, explicit: bool) -> None:
        """Record a key; explicit definitions win over implicit mentions."""
        keys = self.index.keys
        if explicit:
            if loc not in self._explicit:
                keys[loc] = offset
                self._explicit.add(loc)
        else:
            keys.setdefault(loc, offset)

    # -- grammar ------------------------------------------------------------

    def _key(self) -> list[tuple[str, int]]:
        """Read a (possibly dotted, possibly quoted) key: [(name, offset), ...]."""
        parts: list[tuple[str, int]] = []
        while True:
            self._skip()
            start = self.pos
            c = self._peek()
            if c in ("'", '"'):
                self.pos = self._string_end(start)
                parts.append((_decode_key(self.text[start : self.pos]), start))
            else:
                while self.pos < self.n and self.text[self.pos] not in _BARE_STOP:
                    self.pos += 1
                if self.pos == start:
                    return parts
                parts.append((self.text[start : self.pos], start))
            self._skip()
            if self._peek() != ".":
                return parts
            self.pos += 1

    def _resolve(self, parts: list[tuple[str, int]]) -> Loc:
        """Walk header parts, entering the last element of arrays of tables."""
        loc: Loc = ()
        for name, offset in parts:
            loc = (*loc, name)
            self._note(loc, offset, explicit=False)
            if loc in self._aot:
                loc = (*loc, self._aot[loc] - 1)
        return loc

    def _table_header(self) -> Loc:
        self.pos += 1
        parts = self._key()
        self._skip()
        if self._peek() == "]":
            self.pos += 1
        if not parts:  # pragma: no cover - only on invalid TOML
            return ()
        loc = (*self._resolve(parts[:-1]), parts[-1][0])
        self._note(loc, parts[-1][1], explicit=True)
        return loc

    def _array_header(self) -> Loc:
        start = self.pos
        self.pos += 2
        parts = self._key()
        self._skip()
        if self.text.startswith("]]", self.pos):
            self.pos += 2
        if not parts:  # pragma: no cover - only on invalid TOML
            return ()
        loc = (*self._resolve(parts[:-1]), parts[-1][0])
        self._note(loc, parts[-1][1], explicit=False)
        count = self._aot.get(loc, 0)
        self._aot[loc] = count + 1
        element = (*loc, count)
        self._note(element, start, explicit=True)
        return element

    def _keyval(self, base: Loc) -> None:
        parts = self._key()
        if not parts:
            return
        loc = base
        for i, (name, offset) in enumerate(parts):
            loc = (*loc, name)
            self._note(loc, offset, explicit=i == len(parts) - 1)
        self._skip()
        if self._peek() == "=":
            self.pos += 1
            self._skip()
            self._value(loc)

    def _value(self, loc: Loc) -> None:
        self.index.values.setdefault(loc, self.pos)
        c = self._peek()
        if c in ('"', "'"):
            self.pos = self._string_end(self.pos)
        elif c == "{":
            self.pos += 1
            while True:
                self._skip(newlines=True)
                c = self._peek()
                if c in ("}", ""):
                    self.pos += 1
                    return
                if c == ",":
                    self.pos += 1
                    continue
                before = self.pos
                self._keyval(loc)
                if self.pos == before:  # pragma: no cover - only on invalid TOML
                    self.pos += 1
        elif c == "[":
            self.pos += 1
            i = 0
            while True:
                self._skip(newlines=True)
                c = self._peek()
                if c in ("]", ""):
                    self.pos += 1
                    return
                if c == ",":
                    self.pos += 1
                    continue
                element = (*loc, i)
                self._note(element, self.pos, explicit=True)
                before = self.pos
                self._value(element)
                i += 1
                if self.pos == before:  # pragma: no cover - only on invalid TOML
                    self.pos += 1
        else:
            while self.pos < self.n and self.text[self.pos] not in _SCALAR_STOP:
                self.pos += 1


def _decode_key(raw: str) -> str:
    """Decode a quoted key token (``"a b"`` or ``'a b'``) to its name."""
    if raw.startswith("'"):
        return raw[1:].removesuffix("'")
    if "\\" not in raw:
        return raw[1:].removesuffix('"')
    try:
        return str(tomllib.loads(f"k = {raw}")["k"])
    except tomllib.TOMLDecodeError:  # pragma: no cover - only on invalid TOML
        return raw[1:].removesuffix('"')


# ---------------------------------------------------------------------------
# TomlSource
# ---------------------------------------------------------------------------


class TomlSource:
    """The text of one TOML file, able to locate keys and report problems.

    Attributes:
        path: The path as given by the caller (used verbatim in messages).
        text: The text, without BOM and with ``\\r\\n`` normalised to ``\\n``
            (as tomllib does, so line and column numbers agree).
        lines: ``text`` split on ``\\n``.
    """

    def __init__(self, text: str, path: str = "<string>") -> None:
        """Wrap ``text``; prefer :meth:`read` or :meth:`from_text`.

        Args:
            text: TOML text (a leading BOM is dropped).
            path: Name shown in messages.
        """
        self.path = path
        self.text = text.removeprefix("\ufeff").replace("\r\n", "\n")
        self.lines = self.text.split("\n")
        self._index: _Index | None = None
        self._starts: list[int] | None = None
        self._data: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"TomlSource({self.path!r}, {len(self.lines)} lines)"

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> TomlSource:
        """Read a UTF-8 TOML file.

        Args:
            path: File to read; shown as given in messages.

        Returns:
            The source.

        Raises:
            ScenarioError: The file is missing, unreadable or not valid UTF-8.
        """
        shown = os.fsdecode(path)
        try:
            raw = read_regular(path)
        except NotRegularFile:
            message = "not a regular file (a device, FIFO or socket)"
        except FileTooLarge:
            message = f"file too large (the limit is {MAX_SOURCE_BYTES // (1024 * 1024)} MiB)"
        except FileNotFoundError:
            message = "file not found"
        except IsADirectoryError:
            message = "is a directory, not a file"
        except PermissionError:
            message = "permission denied"
        except OSError as exc:
            message = f"cannot read file: {exc.strerror or exc}"
        else:
            raw = raw.removeprefix(codecs.BOM_UTF8)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ScenarioError([_decode_problem(shown, raw, exc.start)]) from None
            return cls(text, shown)
        raise ScenarioError([Problem(shown, 0, 0, "", message)])

    @classmethod
    def from_text(cls, text: str, path: str = "<string>") -> TomlSource:
        """Wrap TOML text that did not come from a file (tests, editors).

        Args:
            text: TOML text.
            path: Name shown in messages.

        Returns:
            The source.
        """
        return cls(text, path)

    # -- parsing ------------------------------------------------------------

    def parse(self) -> dict[str, Any]:
        """Parse the text with tomllib.

        Returns:
            The document.

        Raises:
            ScenarioError: A syntax error (one problem, located), or nan/inf
                float values (one problem for each).
        """
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError([self._syntax_problem(exc)]) from None
        bad = [self._value_problem(loc, "nan/inf are not allowed") for loc in _non_finite(data)]
        bad += [
            self._value_problem(loc, f"control character {code} is not allowed in text")
            for loc, code in _control_text(data)
        ]
        if bad:
            raise ScenarioError(sorted(bad, key=lambda p: (p.line, p.col)))
        self._data = data
        return data

    def _syntax_problem(self, exc: tomllib.TOMLDecodeError) -> Problem:
        message = str(getattr(exc, "msg", None) or exc)
        line = int(getattr(exc, "lineno", 0) or 0)
        col = int(getattr(exc, "colno", 0) or 0)
        if match := _AT_LINE.search(message):
            line, col = int(match[1]), int(match[2])
            message = message[: match.start()]
        elif match := _AT_END.search(message):
            message = message[: match.start()]
            line, col = self._end_position()
        message = message[:1].lower() + message[1:]
        return Problem(self.path, line, col, "", f"TOML syntax error: {message}", self.line(line))

    def _end_position(self) -> tuple[int, int]:
        """Position just after the last non-blank character."""
        for number in range(len(self.lines), 0, -1):
            text = self.lines[number - 1].rstrip()
            if text:
                return number, len(text) + 1
        return 1, 1

    def _value_problem(self, loc: Loc, message: str) -> Problem:
        offset = self._scan().values.get(loc)
        line, col = self._line_col(offset) if offset is not None else self.locate(loc)
        return Problem(self.path, line, col, dotted(loc), message, self.line(line))

    def _document(self) -> Any:
        """The parsed document (parsing quietly when needed), None if invalid."""
        if self._data is None:
            try:
                self._data = tomllib.loads(self.text)
            except tomllib.TOMLDecodeError:
                return None
        return self._data

    # -- locating -----------------------------------------------------------

    def _scan(self) -> _Index:
        if self._index is None:
            self._index = _Scanner(self.text).run()
        return self._index

    def _line_col(self, offset: int) -> tuple[int, int]:
        if self._starts is None:
            starts = [0]
            for line in self.lines[:-1]:
                starts.append(starts[-1] + len(line) + 1)
            self._starts = starts
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def line(self, number: int) -> str:
        """Return line ``number`` (1-based) without trailing blanks, "" if out of range.

        Args:
            number: 1-based line number.

        Returns:
            The line text.
        """
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1].rstrip()
        return ""

    def locate(self, loc: Loc) -> tuple[int, int]:
        """Find the key named by a pydantic-style location.

        Array elements (``int`` parts) locate to the ``[[header]]`` of an array
        of tables or to the first character of an inline array element.

        Args:
            loc: Path of keys and array indexes, e.g. ``("regions", 2, "links", 0, "k")``.

        Returns:
            1-based ``(line, col)`` of the key; of its deepest ancestor found
            when the key itself is absent (a missing key); ``(0, 0)`` if nothing is found.
        """
        keys = self._scan().keys
        loc = tuple(loc)
        while loc:
            offset = keys.get(loc)
            if offset is not None:
                return self._line_col(offset)
            loc = loc[:-1]
        return 0, 0

    def problem(self, loc: Loc, message: str) -> Problem:
        """Build a problem located at ``loc``.

        Args:
            loc: Location of the offending key.
            message: What is wrong.

        Returns:
            The problem, with ``key=dotted(loc)`` and the source line.
        """
        line, col = self.locate(loc)
        return Problem(self.path, line, col, dotted(loc), message, self.line(line))


def _decode_problem(path: str, raw: bytes, bad: int) -> Problem:
    """Locate the first byte that is not UTF-8."""
    start = raw.rfind(b"\n", 0, bad) + 1
    end = raw.find(b"\n", bad)
    line = raw.count(b"\n", 0, bad) + 1
    col = len(raw[start:bad].decode("utf-8", "replace")) + 1
    source = raw[start : end if end >= 0 else len(raw)].decode("utf-8", "replace").rstrip()
    message = f"file is not valid UTF-8: byte 0x{raw[bad]:02x} cannot be decoded (save it as UTF-8)"
    return Problem(path, line, col, "", message, source)


def _control_text(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Yield (location, ``U+001B``) for every key or string holding a control character.

    Newline and tab are allowed; ESC and the rest would reach players' terminals raw.
    """
    if isinstance(value, str):
        if (code := first_control(value)) is not None:
            yield loc, code
    elif isinstance(value, dict):
        for key, item in value.items():
            if (code := first_control(key)) is not None:
                yield (*loc, key), code
            yield from _control_text(item, (*loc, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _control_text(item, (*loc, i))


def _non_finite(value: Any, loc: Loc = ()) -> Iterator[Loc]:
    """Yield the location of every nan/inf float in a parsed document."""
    if isinstance(value, float) and not math.isfinite(value):
        yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _non_finite(item, (*loc, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _non_finite(item, (*loc, i))


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def dotted(loc: Loc) -> str:
    """Render a location as a TOML-like dotted key.

    Args:
        loc: Path of keys and indexes.

    Returns:
        E.g. ``regions[2].links[0].k`` or ``agencies.mem.level``; keys that
        are not bare TOML keys are quoted (``regions."new york".name``).
    """
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
            continue
        name = str(part)
        if not _BARE_KEY.fullmatch(name):
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out += f".{name}" if out else name
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Suggest the closest choice (case-insensitively).

    Args:
        word: What the user wrote.
        choices: Valid spellings.

    Returns:
        ``" (did you mean 'x'?)"`` or ``""`` when nothing is close enough.
    """
    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(str(choice).lower(), str(choice))
    match = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean '{by_lower[match[0]]}'?)" if match else ""


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
                    branch, label = len(clean), part
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
        if problem not in problems:
            problems.append(problem)
    problems.sort(key=lambda p: (p.line, p.col))
    return problems
