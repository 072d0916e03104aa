"""One journal interface, two backends: a SQLite file or a PostgreSQL URL.

Everything outside ``tabletop/journal/`` opens journals through :func:`open_journal` and uses
only the :class:`JournalBackend` methods, so no backend-specific code lives elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from tabletop.model.events import Record


@runtime_checkable
class JournalBackend(Protocol):
    """What every journal backend provides.

    Attributes:
        path: How the journal is named in messages (a file path, or the URL without password).
    """

    path: object

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


def is_journal_url(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` is a database URL rather than a file path."""
    from tabletop.journal.postgres import is_url

    return is_url(target)


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
    scheme = str(target).split("://", 1)[0] if "://" in str(target) else None
    if scheme is not None:
        from tabletop.errors import JournalError

        raise JournalError(
            f"{target}: unknown journal URL scheme {scheme!r}; a journal is a file path or "
            "postgresql://user@host/db?exercise=ID"
            + (" (did you mean postgresql?)" if scheme.lower().startswith("postg") else "")
        )
    from tabletop.journal.sqlite import Journal

    return Journal(target, create=create)
