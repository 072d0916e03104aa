"""Copy an exercise between journals of any backend (SQLite file <-> PostgreSQL)."""

from __future__ import annotations

import os

from tabletop.errors import JournalError
from tabletop.journal.backends import create_journal, open_journal


def copy_journal(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> int:
    """Copy every event of ``src`` into a new journal at ``dst``, in one transaction.

    Sequence numbers, decision ids and timestamps are kept, so the copy folds to the same
    state, resumes where the original stood, and has the same hash chain (same head hash).
    A source whose chain is broken is refused.

    Returns:
        The number of events copied.

    Raises:
        JournalError: ``src`` cannot be read, is empty, or ``dst`` exists with events
            (nothing is written then).
    """
    with open_journal(src) as source:
        records = source.read()
        integrity = source.integrity
        shown = source.path
    if not records:
        raise JournalError(f"{shown}: the journal holds no events; nothing to copy")
    if integrity is not None and not integrity.ok:
        raise JournalError(
            f"{shown}: {integrity.describe()}; not copied ('tabletop journal check' says more)"
        )
    # The events and the new journal appear together (complete or absent).
    create_journal(dst, records).close()
    return len(records)
