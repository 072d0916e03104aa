"""Copy an exercise between journals of any backend (SQLite file <-> PostgreSQL)."""

from __future__ import annotations

import os

from tabletop.errors import JournalError
from tabletop.journal.backends import open_journal


def copy_journal(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> int:
    """Copy every event of ``src`` into a new journal at ``dst``, in one transaction.

    Sequence numbers, decision ids and timestamps are kept, so the copy folds to the same
    state and resumes where the original stood.

    Returns:
        The number of events copied.

    Raises:
        JournalError: ``src`` cannot be read, is empty, or ``dst`` exists with events
            (nothing is written then).
    """
    with open_journal(src) as source:
        records = source.read()
    if not records:
        raise JournalError(f"{src}: the journal holds no events; nothing to copy")
    with open_journal(dst, create=True) as target:
        target.append(records, expected_last=0)
    return len(records)
