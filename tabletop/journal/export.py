"""Export a journal to one self-contained file (SQLite's online backup API; a copy for PostgreSQL).

During play the journal is in WAL mode: recent events live in the ``-wal`` file
beside the ``.tabletop`` until a checkpoint copies them in. Copying the
``.tabletop`` alone may lose them; :func:`export_journal` never does, even while
other terminals are still writing.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tabletop.errors import JournalError
from tabletop.journal.sqlite import Journal


def export_journal(
    source: str | os.PathLike[str], target: str | os.PathLike[str], *, overwrite: bool = False
) -> int:
    """Copy the journal ``source`` into the single file ``target``.

    The copy is written beside ``target`` under a temporary name, checked (it opens
    as a journal with as many events as the source had), then renamed, so a failed
    export leaves no half-written file.

    Args:
        source: The journal to copy (it may be in use by running terminals).
        target: The new file.
        overwrite: Replace ``target`` when it exists.

    Returns:
        The number of events in the copy.

    Raises:
        JournalError: the source is not a journal, the target exists (without
            ``overwrite``), or the copy cannot be written.
    """
    from tabletop.journal.backends import is_journal_url

    out = Path(target)
    if is_journal_url(source):
        return _export_url(str(source), out, overwrite=overwrite)
    src = Path(source)
    if out.is_dir():
        raise JournalError(f"{out}: is a directory")
    if out.exists() and not overwrite:
        raise JournalError(f"{out}: already exists (choose another file, or replace it: --force)")
    if not out.parent.is_dir():
        raise JournalError(f"{out}: folder {out.parent} does not exist")
    if out.exists() and out.resolve() == src.resolve():
        raise JournalError(f"{out}: is the journal itself")
    tmp = out.with_name(f".{out.name}.part")
    with Journal(src) as journal:
        events = journal.last_seq()
        tmp.unlink(missing_ok=True)
        try:
            journal.backup(tmp)
            copied = _events_in(tmp)
            if copied < events:  # pragma: no cover - the backup API copies a snapshot
                raise JournalError(f"{out}: the copy holds {copied} of {events} events")
            os.replace(tmp, out)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return copied


def _export_url(source: str, out: Path, *, overwrite: bool) -> int:
    """Export an exercise from a database into the new SQLite file ``out`` (no half file)."""
    from tabletop.journal.copy import copy_journal

    if out.is_dir():
        raise JournalError(f"{out}: is a directory")
    if out.exists() and not overwrite:
        raise JournalError(f"{out}: already exists (choose another file, or replace it: --force)")
    if not out.parent.is_dir():
        raise JournalError(f"{out}: folder {out.parent} does not exist")
    tmp = out.with_name(f".{out.name}.part")
    tmp.unlink(missing_ok=True)
    try:
        n = copy_journal(source, tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return n


def _events_in(path: Path) -> int:
    """The last sequence number in a copy (read without switching it to WAL mode)."""
    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])
    except sqlite3.Error as exc:
        raise JournalError(f"{path}: the copy is unreadable ({exc})") from exc
    finally:
        db.close()
