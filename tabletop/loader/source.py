"""TOML sources that turn syntax and validation errors into located problems.

Scenarios and rule packs are TOML files written by facilitators, so every
error must point at the offending key: ``file:line:col: dotted.key: message``
followed by the source line and a caret (see :class:`tabletop.errors.Problem`).

:class:`TomlSource` reads and parses a file (reporting I/O, encoding, syntax
and nan/inf problems) and maps pydantic-style locations such as
``("regions", 2, "links", 0, "k")`` back to a line and column.  It does so
with a small character-level scanner that indexes every key, table header and
array element of a document that :mod:`tomllib` has already accepted.

:mod:`tabletop.loader.messages` turns validation errors into problems located
with it.
"""

from __future__ import annotations

import bisect
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

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
    "dotted",
]

Loc = tuple[str | int, ...]
"""A pydantic-style location: table keys (``str``) and array indexes (``int``)."""

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


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
        if self.text.startswith("\ufeff"):
            raise ScenarioError([self._bom_problem()])
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
        if explained := _explain_syntax(message, self.lines, line, col):
            message, col = explained
        return Problem(self.path, line, col, "", f"TOML syntax error: {message}", self.line(line))

    def _bom_problem(self) -> Problem:
        """A second byte-order mark after the first (the first one is dropped)."""
        message = "the file starts with two byte-order marks (U+FEFF): remove the extra one"
        return Problem(self.path, 1, 1, "", message, self.line(1))

    def string_position(self, loc: Loc, offset: int) -> tuple[int, int] | None:
        """Line and column of character ``offset`` of the string value at ``loc``.

        Follows the string as written (one-line or \"\"\" multi-line, escapes such as
        ``\\"`` counted as the one character they stand for). None when ``loc``
        holds no string literal or ``offset`` is past its end.
        """
        start = self._scan().values.get(tuple(loc))
        if start is None:
            return None
        at = _string_char_offset(self.text, start, offset)
        return None if at is None else self._line_col(at)

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
            for text in self.lines[:-1]:
                starts.append(starts[-1] + len(text) + 1)
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


_INLINE_HINT = (
    "inline tables ({{ ... }}) must be written on one line and without a trailing comma "
    "(TOML 1.0); for a longer table use its own header instead:\n    {header}\n{pairs}"
)


def _explain_syntax(message: str, lines: list[str], line: int, col: int) -> tuple[str, int] | None:
    """A clearer message (and column) for parser errors new authors often meet, or None."""
    text = lines[line - 1] if 1 <= line <= len(lines) else ""
    if message.startswith("cannot overwrite a value"):
        key = text.split("=", 1)[0].strip()
        if key:
            return (
                f"duplicate key '{key}': it is already set in this table",
                len(text) - len(text.lstrip()) + 1,
            )
    if message.startswith("cannot declare") and message.endswith("twice"):
        header = text.strip()
        return f"duplicate table {header}: each table is declared once", col
    if message.startswith("invalid initial character for a key part"):
        before = text[: col - 1]
        if before.count("{") > before.count("}"):
            header = _block_header(lines, line, before)
            inside = text[text.rfind("{", 0, col - 1) + 1 :].split("}", 1)[0]
            pairs = [p.strip() for p in inside.split(",") if "=" in p] or ["key = value"]
            shown = "\n".join(f"    {p}" for p in pairs)
            return _INLINE_HINT.format(header=header, pairs=shown), col
    return None


def _block_header(lines: list[str], line: int, before: str) -> str:
    """The ``[[table.key]]`` (or ``[table.key]``) header that replaces an inline table."""
    head = before[: before.rfind("{")].rstrip()
    is_array = head.endswith("[")
    key = head.rstrip("[ \t").removesuffix("=").strip()
    table = ""
    for number in range(line - 1, 0, -1):
        stripped = lines[number - 1].strip()
        if stripped.startswith("["):
            table = stripped.strip("[]").strip()
            break
    name = f"{table}.{key}" if table else key
    return f"[[{name}]]" if is_array else f"[{name}]"


def _string_char_offset(text: str, start: int, offset: int) -> int | None:
    """Offset in ``text`` of decoded character ``offset`` of the string literal at ``start``."""
    if text.startswith(('"""', "'''"), start):
        quote, i = text[start], start + 3
        if text.startswith("\n", i):  # a newline right after the delimiter is trimmed
            i += 1
    elif start < len(text) and text[start] in "\"'":
        quote, i = text[start], start + 1
    else:
        return None
    n = len(text)
    closing = quote * (3 if text.startswith(quote * 3, start) else 1)
    while i < n:
        c = text[i]
        if c == "\\" and quote == '"' and text[i + 1 : i + 2] in ("\n", " ", "\t"):
            i += 1  # a line-ending backslash: trimmed with the blanks up to the next text
            while i < n and text[i] in " \t\n":
                i += 1
            continue
        if offset == 0:
            return i
        if text.startswith(closing, i):
            return None
        if c == "\\" and quote == '"':
            i += {"u": 6, "U": 10}.get(text[i + 1 : i + 2], 2)
        else:
            i += 1
        offset -= 1
    return None


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
