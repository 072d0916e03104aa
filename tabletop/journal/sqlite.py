"""SQLite journal: one row per event, WAL mode, ``synchronous=FULL``.

A row holds the sequence number, the decision id (unique with the event's
index inside the decision), the event kind and schema version, the
timestamp given by the caller's clock, and the event as JSON. Appends are
transactions that check the writer saw the latest row (``StaleWriter``
otherwise), so several processes on one host can share a journal.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from tabletop.errors import JournalError, StaleWriter
from tabletop.model.events import EVENT_ADAPTER, EVENT_VERSION, Record

FORMAT = "tabletop-journal/1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    decision_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    v INTEGER NOT NULL,
    at TEXT NOT NULL,
    payload TEXT NOT NULL,
    UNIQUE (decision_id, idx)
);
"""


class Journal:
    """An exercise journal file.

    Args:
        path: The SQLite file.
        create: Create the file when it does not exist (refused when it exists and has events).
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = False) -> None:
        self.path = Path(path)
        if create:
            if self.path.is_dir():
                raise JournalError(f"{self.path}: is a directory")
            if not self.path.parent.is_dir():
                raise JournalError(
                    f"{self.path}: cannot create: folder {self.path.parent} does not exist"
                )
            if self.path.exists() and self.path.stat().st_size > 0:
                raise JournalError(f"{self.path}: already exists; resume it or choose another file")
        elif not self.path.is_file():
            raise JournalError(f"{self.path}: no such journal")
        try:
            self._db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise JournalError(f"{self.path}: cannot open ({exc})") from exc
        try:
            if create:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.executescript(_SCHEMA)
                self._db.execute(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES ('format', ?)", (FORMAT,)
                )
            # Check the format before changing the file's modes: a foreign file stays as it is.
            fmt = self._db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise JournalError(f"{self.path}: not a tabletop journal ({exc})") from exc
        if fmt is None or fmt[0] != FORMAT:
            self._db.close()
            raise JournalError(f"{self.path}: unknown journal format {fmt[0] if fmt else 'none'}")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def last_seq(self) -> int:
        """Sequence number of the last stored event (0 when empty)."""
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        return int(row[0])

    def decision(self, decision_id: str) -> list[Record]:
        """Records already stored for ``decision_id`` (empty when new)."""
        rows = self._db.execute(
            "SELECT seq, decision_id, at, kind, v, payload FROM events WHERE decision_id=? ORDER BY seq",
            (decision_id,),
        ).fetchall()
        return [self._record(r) for r in rows]

    def append(self, records: Sequence[Record], *, expected_last: int) -> None:
        """Store ``records`` durably in one transaction.

        Args:
            records: Records numbered from ``expected_last + 1``.
            expected_last: The last sequence number this writer has seen.

        Raises:
            StaleWriter: another writer appended since (nothing is written).
            JournalError: the decision id was already stored, or the disk failed.
        """
        if not records:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise JournalError(f"{self.path}: cannot write ({exc})") from exc
        try:
            last = self.last_seq()
            if last != expected_last:
                raise StaleWriter(
                    f"{self.path}: another writer appended (journal at {last}, this writer at {expected_last})"
                )
            self._db.executemany(
                "INSERT INTO events(seq, decision_id, idx, kind, v, at, payload) VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        r.seq,
                        r.decision_id,
                        i,
                        r.event.kind,
                        r.event.v,
                        r.at,
                        r.event.model_dump_json(),
                    )
                    for i, r in enumerate(records)
                ],
            )
            self._db.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            self._db.execute("ROLLBACK")
            raise JournalError(f"{self.path}: decision already stored ({exc})") from exc
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def read(self, after: int = 0) -> list[Record]:
        """Every record with ``seq > after``, validated.

        Raises:
            JournalError: a row is unreadable or from a newer engine.
        """
        rows = self._db.execute(
            "SELECT seq, decision_id, at, kind, v, payload FROM events WHERE seq > ? ORDER BY seq",
            (after,),
        ).fetchall()
        return [self._record(r) for r in rows]

    def wait(self, after: int, timeout: float) -> bool:
        """Block until the journal holds an event past ``after`` or ``timeout`` seconds pass.

        SQLite has no notification between processes: this checks ``PRAGMA data_version``
        (which changes when another connection commits) every 20 ms.

        Returns:
            True when there is news to :meth:`read`.
        """
        deadline = time.monotonic() + timeout
        version = None
        while True:
            now = self._db.execute("PRAGMA data_version").fetchone()[0]
            if now != version:
                version = now
                if self.last_seq() > after:
                    return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def _record(self, row: tuple) -> Record:
        seq, decision_id, at, kind, v, payload = row
        if v > EVENT_VERSION:
            raise JournalError(
                f"{self.path}: event {seq} ({kind}) has version {v}; this engine reads up to "
                f"{EVENT_VERSION}: upgrade tabletop"
            )
        try:
            event = EVENT_ADAPTER.validate_python(json.loads(payload))
        except (ValidationError, ValueError) as exc:
            raise JournalError(f"{self.path}: event {seq} ({kind}) is unreadable: {exc}") from exc
        return Record(seq=seq, decision_id=decision_id, at=at, event=event)
