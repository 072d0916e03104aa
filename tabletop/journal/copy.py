"""Copy an exercise between journals of any backend (SQLite file <-> PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path

from tabletop.errors import JournalError
from tabletop.journal.backends import create_journal, is_journal_url, open_journal


def copy_target(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> str:
    """Where :func:`copy_journal` writes: a database URL without ``?exercise=`` gets one.

    The new exercise is named after the source file (``room1.tabletop`` -> ``room1``).

    Raises:
        JournalError: both are URLs and ``dst`` names no exercise.
    """
    if not is_journal_url(dst):
        return str(dst)
    from tabletop.journal.postgres import redact, split_url, with_exercise

    if split_url(str(dst))[1] is not None:
        return str(dst)
    if is_journal_url(src):
        raise JournalError(f"{redact(str(dst))}: name the new exercise: add ?exercise=ID")
    return with_exercise(str(dst), Path(src).stem)


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
