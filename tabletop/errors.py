"""Error hierarchy of tabletop.

Every error a user can provoke is a subclass of :class:`TabletopError` (itself a
``ValueError``, as in python-chess), so the CLI and the TUI catch one type and
show a message instead of a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from tabletop.sanitize import visible


class TabletopError(ValueError):
    """Base class of every error tabletop raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in a scenario or rule-pack file.

    Attributes:
        file: Path of the file as given by the user.
        line: 1-based line, 0 when unknown.
        col: 1-based column, 0 when unknown.
        key: Dotted key of the offending value (``agencies.mem.superior``), "" for syntax errors.
        message: What is wrong, with a "did you mean" hint when one exists.
        source: The offending source line (for the caret display), "" when unknown.
        severity: ``"error"`` (the file cannot be used) or ``"warning"`` (it can, but the
            exercise is probably not what its author meant; ``validate --strict`` refuses it).
    """

    file: str
    line: int
    col: int
    key: str
    message: str
    source: str = ""
    severity: str = "error"

    @property
    def is_warning(self) -> bool:
        """True for a warning (printed, but the file still loads)."""
        return self.severity == "warning"

    def location(self) -> str:
        """Return ``file:line:col`` (omitting unknown parts)."""
        loc = self.file
        if self.line:
            loc += f":{self.line}"
            if self.col:
                loc += f":{self.col}"
        return loc

    def format(self, *, caret: bool = True) -> str:
        """Render as ``file:line:col: key: message`` plus source line and caret.

        Control characters (in the file name, the message or the echoed source line)
        are shown visibly: a file's bytes never reach the terminal raw.
        """
        head = f"{self.location()}: "
        if self.key:
            head += f"{self.key}: "
        text = head + (f"warning: {self.message}" if self.is_warning else self.message)
        if caret and self.source:
            text += "\n    " + self.source.expandtabs(4) + "\n    " + _caret(self.source, self.col)
        return visible(text)


def _caret(line: str, col: int) -> str:
    """Spaces and a ``^`` under column ``col`` of ``line`` once its tabs are expanded."""
    before = line[: max(col, 1) - 1].expandtabs(4)
    return " " * len(before) + "^"


class ScenarioError(TabletopError):
    """A scenario or rule pack could not be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems) or "invalid scenario")


class ExpressionError(TabletopError):
    """An expression in a condition or effect is invalid.

    Attributes:
        offset: 0-based character offset inside the expression text, when known.
    """

    def __init__(self, message: str, offset: int = 0) -> None:
        self.offset = offset
        super().__init__(message)


class IllegalCommand(TabletopError):
    """A command is not legal in the current state (wrong turn, no points, bad target...)."""


class JournalError(TabletopError):
    """The journal cannot be opened, read, appended to or replayed."""


class StaleWriter(JournalError):
    """Another writer appended to the journal since this one last read it."""


class JournalDamaged(JournalError):
    """The journal file is damaged: SQLite cannot read it, or an event is unreadable."""


class JournalTampered(JournalError):
    """An event does not match its hash: the journal was edited after it was written.

    Attributes:
        seq: The first event whose hash does not match.
    """

    def __init__(self, message: str, seq: int) -> None:
        self.seq = seq
        super().__init__(message)


def did_you_mean(word: str, choices: Iterable[object]) -> str:
    """A "did you mean" hint for a misspelt word (the one used by every message).

    Compared case-insensitively; the closest choice is suggested as spelt. Choices
    containing ``*`` (name patterns such as ``fired.*``) are never suggested.

    Args:
        word: What the user wrote.
        choices: The words that would have been accepted.

    Returns:
        ``" (did you mean 'x'?)"``, or ``""`` when nothing is close enough.
    """
    by_lower: dict[str, str] = {}
    for choice in choices:
        text = str(choice)
        if "*" not in text:
            by_lower.setdefault(text.lower(), text)
    match = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean '{by_lower[match[0]]}'?)" if match else ""
