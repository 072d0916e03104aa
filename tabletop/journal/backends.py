"""One journal interface, two backends: a SQLite file or a PostgreSQL URL.

Everything outside ``tabletop/journal/`` opens journals through :func:`open_journal` and uses
only the :class:`JournalBackend` methods, so no backend-specific code lives elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from tabletop.journal.chain import Integrity
from tabletop.model.events import Record


@runtime_checkable
class JournalBackend(Protocol):
    """What every journal backend provides.

    Attributes:
        path: How the journal is named in messages (a file path, or the URL without password).
    """

    @property
    def path(self) -> Path | str:
        """The journal's name in messages."""

    @property
    def integrity(self) -> Integrity | None:
        """What the hash chain said at the last read (None before any read)."""

    def close(self) -> None:
        """Close the connection(s)."""

    def last_seq(self) -> int:
        """Sequence number of the last stored event (0 when empty)."""

    def decision(self, decision_id: str) -> list[Record]:
        """Records already stored for ``decision_id`` (empty when new)."""

    def append(self, records: Sequence[Record], *, expected_last: int) -> None:
        """Store ``records`` durably in one transaction (acknowledged only once committed)."""

    def read(self, after: int = 0) -> list[Record]:
        """Every record with ``seq > after``, validated."""

    def wait(self, after: int, timeout: float) -> bool:
        """Block until an event past ``after`` is stored or ``timeout`` seconds pass."""

    def checkpoint(self, *, wait: bool = False) -> bool:
        """Make every stored event part of the main file (a no-op for a database)."""

    def __enter__(self) -> JournalBackend:
        """Use as a context manager (closes on exit)."""

    def __exit__(self, *exc: object) -> None:
        """Close."""


def is_journal_url(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` is a database URL rather than a file path."""
    from tabletop.journal.postgres import is_url

    return is_url(target)


def _check_scheme(target: str | os.PathLike[str]) -> None:
    """Refuse ``scheme://...`` that is not PostgreSQL (a typo), in one sentence."""
    from tabletop.errors import JournalError

    text = str(target)
    if "://" not in text:
        if text.lower().startswith(("postgres:", "postgresql:", "postgres/", "postgresql/")):
            raise JournalError(
                f"{text}: not a journal URL; write postgresql://user@host/db?exercise=ID"
            )
        return

    scheme = str(target).split("://", 1)[0]
    raise JournalError(
        f"{target}: unknown journal URL scheme {scheme!r}; a journal is a file path or "
        "postgresql://user@host/db?exercise=ID"
        + (" (did you mean postgresql?)" if scheme.lower().startswith("postg") else "")
    )


def create_journal(target: str | os.PathLike[str], records: Sequence[Record]) -> JournalBackend:
    """Create a journal holding ``records`` atomically (complete or absent), and open it.

    Raises:
        JournalError: it exists already, or cannot be created (the message says why).
    """
    if is_journal_url(target):
        from tabletop.journal.postgres import PostgresJournal

        return PostgresJournal.create(str(target), records)
    _check_scheme(target)
    from tabletop.journal.sqlite import Journal

    return Journal.create(target, records)


def new_journal_target(
    target: str | os.PathLike[str] | None, scenario_id: str, label: str
) -> str | Path:
    """Where a new exercise is journaled.

    Args:
        target: What the user gave (a file, a URL, or None).
        scenario_id: The scenario's id.
        label: What plays it (``play``, a bot policy, ``script``).

    Returns:
        ``target`` itself; for None, a fresh file under ``journals/``
        (:func:`~tabletop.journal.paths.fresh_journal_path`); for a database URL
        without ``?exercise=``, the URL naming a fresh exercise id
        ``<scenario>-<label>-<UTC time>`` (``-2``... when taken).
    """
    from tabletop.journal.paths import fresh_journal_path

    if target is None:
        return fresh_journal_path(scenario_id, label)
    if is_journal_url(target):
        from datetime import UTC, datetime

        from tabletop.journal.postgres import free_exercise_id, split_url, with_exercise

        url = str(target)
        if split_url(url)[1] is None:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            return with_exercise(url, free_exercise_id(url, f"{scenario_id}-{label}-{stamp}"))
        return url
    _check_scheme(target)
    return Path(target)


def journal_exists(target: str | os.PathLike[str]) -> bool:
    """Whether a file exists at ``target`` (a URL: False; creating it says if it exists)."""
    return not is_journal_url(target) and Path(target).exists()


def journal_folder(target: str | os.PathLike[str]) -> Path | None:
    """The folder holding a journal file (None for a database URL)."""
    return None if is_journal_url(target) else Path(target).parent


def describe_target(target: str | os.PathLike[str]) -> str:
    """``target`` as shown to a user (a URL without its password)."""
    if is_journal_url(target):
        from tabletop.journal.postgres import redact

        return redact(str(target))
    return str(target)


def open_journal(target: str | os.PathLike[str], *, create: bool = False) -> JournalBackend:
    """Open (or create) the journal named by ``target``.

    Args:
        target: A SQLite file path, or ``postgresql://user@host/db?exercise=ID``.
        create: Create a new journal (refused when one with events exists there).

    Raises:
        JournalError: the journal cannot be opened or created (the message says why).
    """
    if is_journal_url(target):
        from tabletop.journal.postgres import PostgresJournal

        return PostgresJournal(str(target), create=create)
    _check_scheme(target)
    from tabletop.journal.sqlite import Journal

    return Journal(target, create=create)
