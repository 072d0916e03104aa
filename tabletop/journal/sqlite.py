"""SQLite journal: one row per event, WAL mode, ``synchronous=FULL``.

A row holds the sequence number, the decision id (unique with the event's
index inside the decision), the event kind and schema version, the
timestamp given by the caller's clock, the event as canonical JSON and (format
2) its hash chained to the previous row's (:mod:`tabletop.journal.chain`).
Appends are transactions that check the writer saw the latest row
(``StaleWriter`` otherwise), so several processes on one host can share a
journal. A new journal appears complete or not at all (:meth:`Journal.create`),
readable by its owner only (mode 0600).
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from tabletop.errors import JournalDamaged, JournalError, StaleWriter
from tabletop.journal.chain import GENESIS, ChainVerifier, Integrity
from tabletop.journal.rows import decode_row, encode_rows
from tabletop.model.events import Record
from tabletop.sanitize import visible

#: Format of journals this engine writes: events carry a chained hash.
FORMAT = "tabletop-journal/2"
#: The first format (no hash column): still read and appended to, without tamper evidence.
FORMAT_V1 = "tabletop-journal/1"
FORMATS = (FORMAT_V1, FORMAT)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    decision_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    v INTEGER NOT NULL,
    at TEXT NOT NULL,
    payload TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (decision_id, idx)
)""",
)


#: What reading a damaged file raises: SQLite's errors, and undecodable names in its schema.
DB_ERRORS = (sqlite3.DatabaseError, UnicodeDecodeError)


def short(exc: BaseException | str, limit: int = 160) -> str:
    """An exception's (or a message's) first line, at most ``limit`` characters, control characters visible."""
    lines = str(exc).splitlines() or [type(exc).__name__]
    text = visible(lines[0])
    return text if len(text) <= limit else text[: limit - 3] + "..."


def text_factory(raw: bytes) -> str:
    """SQLite TEXT as str; bytes that are not UTF-8 (damage) read as U+FFFD, not an error."""
    return raw.decode("utf-8", "replace")


def _undecodable(exc: BaseException) -> bool:
    """Whether ``exc`` is Python's sqlite3 failing to decode TEXT that is not UTF-8."""
    return isinstance(exc, UnicodeDecodeError) or "Could not decode to UTF-8" in str(exc)


def _damaged(path: Path, exc: BaseException) -> JournalDamaged:
    return JournalDamaged(
        f"{path}: journal damaged ({short(exc)}); "
        f"'tabletop journal check {path}' shows what is readable"
    )


def _new_file(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. folders on Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


class Journal:
    """An exercise journal file.

    Args:
        path: The SQLite file.
        create: Create an empty journal when the file does not exist (refused when it
            exists and has events); :meth:`create` makes one with its first events.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = False) -> None:
        self.path = Path(path)
        #: What the hash chain said at the last full :meth:`read`.
        self.integrity: Integrity | None = None
        if create:
            self._check_new(self.path)
            if not self.path.exists():
                try:
                    _new_file(self.path)
                except FileExistsError:
                    pass
                except OSError as exc:
                    raise JournalError(
                        f"{self.path}: cannot create ({exc.strerror or exc})"
                    ) from exc
        elif not self.path.is_file():
            if self.path.exists():
                raise JournalError(f"{self.path}: not a regular file, so not a journal")
            raise JournalError(f"{self.path}: no such journal")
        try:
            self._db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise JournalError(f"{self.path}: cannot open ({short(exc)})") from exc
        try:
            if create:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("BEGIN IMMEDIATE")
                for stmt in _SCHEMA:
                    self._db.execute(stmt)
                self._db.execute(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES ('format', ?)", (FORMAT,)
                )
                self._db.execute("COMMIT")
            # Check the format before changing the file's modes: a foreign file stays as it is.
            fmt = self._db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
        except DB_ERRORS as exc:
            self._db.close()
            if "not a database" in str(exc) or "malformed" in str(exc):
                raise JournalError(
                    f"{self.path}: not a tabletop journal, or a damaged one ({short(exc)}); "
                    f"'tabletop journal check {self.path}' shows what is readable"
                ) from exc
            raise JournalError(f"{self.path}: not a tabletop journal ({short(exc)})") from exc
        if fmt is None or fmt[0] not in FORMATS:
            self._db.close()
            shown = visible(str(fmt[0]))[:40] if fmt else "none"
            raise JournalError(f"{self.path}: unknown journal format {shown}")
        self.format = str(fmt[0])
        #: Whether events carry a chained hash (format 2).
        self.chained = self.format != FORMAT_V1
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
        except DB_ERRORS as exc:
            self._db.close()
            raise _damaged(self.path, exc) from exc

    @staticmethod
    def _check_new(path: Path) -> None:
        if path.is_dir():
            raise JournalError(f"{path}: is a directory")
        if not path.parent.is_dir():
            raise JournalError(f"{path}: cannot create: folder {path.parent} does not exist")
        if path.exists() and path.stat().st_size > 0:
            raise JournalError(f"{path}: already exists; resume it or choose another file")

    @classmethod
    def create(cls, path: str | os.PathLike[str], records: Sequence[Record]) -> Journal:
        """Create a journal holding ``records``, atomically, and open it.

        The schema and the records are written in one transaction to a hidden file
        beside ``path`` (``.NAME.<random>.partial``, mode 0600), which is then linked
        to ``path``: a crash leaves either no journal or a complete one (and at most
        a stray ``.partial`` file), never an empty journal that cannot be resumed.

        Raises:
            JournalError: ``path`` exists, its folder does not, or the disk failed.
        """
        final = Path(path)
        cls._check_new(final)
        if final.exists():
            raise JournalError(f"{final}: already exists; resume it or choose another file")
        tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:12]}.partial")
        try:
            _new_file(tmp)
            db = sqlite3.connect(tmp, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
                db.execute("BEGIN IMMEDIATE")
                for stmt in _SCHEMA:
                    db.execute(stmt)
                db.execute("INSERT INTO meta(key, value) VALUES ('format', ?)", (FORMAT,))
                db.executemany(_INSERT, encode_rows(tmp, records, GENESIS))
                db.execute("COMMIT")
            finally:
                db.close()  # the last connection checkpoints the WAL into the file
            _fsync(tmp)
            try:
                os.link(tmp, final)
            except FileExistsError as exc:
                raise JournalError(
                    f"{final}: already exists; resume it or choose another file"
                ) from exc
            except OSError:  # no hard links on this file system
                if final.exists():
                    raise JournalError(
                        f"{final}: already exists; resume it or choose another file"
                    ) from None
                os.replace(tmp, final)
            _fsync(final.parent)
        except sqlite3.Error as exc:
            raise JournalError(f"{final}: cannot create ({exc})") from exc
        except OSError as exc:
            raise JournalError(f"{final}: cannot create ({exc.strerror or exc})") from exc
        finally:
            for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                try:
                    leftover.unlink()
                except FileNotFoundError:
                    pass
                except OSError:  # pragma: no cover - left for the user to delete
                    pass
        return cls(final)

    def close(self) -> None:
        """Checkpoint the write-ahead log into the file, then close the connection."""
        self.checkpoint(wait=True)
        self._db.close()

    def checkpoint(self, *, wait: bool = False) -> bool:
        """Copy the write-ahead log into the ``.tabletop`` file (``PRAGMA wal_checkpoint``).

        Afterwards a copy of the file alone holds every event stored so far.

        Args:
            wait: Wait for readers and empty the ``-wal`` file (``TRUNCATE``); otherwise
                copy what no reader holds, without waiting (``PASSIVE``).

        Returns:
            True when every stored page is in the file.
        """
        mode = "TRUNCATE" if wait else "PASSIVE"
        try:
            busy, _, _ = self._db.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        except sqlite3.Error:
            return False
        return busy == 0

    def backup(self, target: str | os.PathLike[str]) -> None:
        """Copy the whole journal into the new file ``target`` (SQLite's online backup API).

        The copy is one self-contained file (rollback-journal mode, no ``-wal``).

        Raises:
            JournalError: the copy cannot be written.
        """
        try:
            dest = sqlite3.connect(target, isolation_level=None)
        except sqlite3.Error as exc:
            raise JournalError(f"{target}: cannot create ({exc})") from exc
        try:
            self._db.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as exc:
            raise JournalError(f"{target}: cannot write the copy ({exc})") from exc
        finally:
            dest.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def last_seq(self) -> int:
        """Sequence number of the last stored event (0 when empty)."""
        try:
            row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        except DB_ERRORS as exc:
            raise _damaged(self.path, exc) from exc
        return int(row[0])

    def decision(self, decision_id: str) -> list[Record]:
        """Records already stored for ``decision_id`` (empty when new)."""
        try:
            rows = self._db.execute(
                "SELECT seq, decision_id, idx, at, kind, v, payload FROM events "
                "WHERE decision_id=? ORDER BY seq",
                (decision_id,),
            ).fetchall()
        except DB_ERRORS as exc:
            raise _damaged(self.path, exc) from exc
        return [self._record(*r, None) for r in rows]  # type: ignore[call-arg]

    def _head(self) -> tuple[int, str]:
        """(seq, hash) of the last row; (0, GENESIS) when empty."""
        if self.chained:
            row = self._db.execute(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        else:
            row = self._db.execute(
                "SELECT seq, '' FROM events ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def append(self, records: Sequence[Record], *, expected_last: int) -> None:
        """Store ``records`` durably in one transaction.

        Args:
            records: Records numbered from ``expected_last + 1``.
            expected_last: The last sequence number this writer has seen.

        Raises:
            StaleWriter: another writer appended since (nothing is written).
            JournalError: the decision id was already stored, an event holds nan/inf,
                or the disk failed (nothing is written).
        """
        if not records:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise JournalError(f"{self.path}: cannot write ({exc})") from exc
        except DB_ERRORS as exc:
            raise _damaged(self.path, exc) from exc
        try:
            last, prev = self._head()
            if last != expected_last:
                raise StaleWriter(
                    f"{self.path}: another writer appended (journal at {last}, this writer at {expected_last})"
                )
            rows = encode_rows(self.path, records, prev)
            if self.chained:
                self._db.executemany(_INSERT, rows)
            else:
                self._db.executemany(_INSERT_V1, [r[:-1] for r in rows])
            self._db.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            self._db.execute("ROLLBACK")
            raise JournalError(f"{self.path}: decision already stored ({exc})") from exc
        except DB_ERRORS as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise _damaged(self.path, exc) from exc
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def read(self, after: int = 0) -> list[Record]:
        """Every record with ``seq > after``, validated, its hash checked.

        What the hash chain says is kept in :attr:`integrity` (a read from the start
        replaces it; a later read only records a new break).

        Raises:
            JournalDamaged: SQLite cannot read the file, or a row is unreadable.
            JournalError: a row is from a newer engine.
        """
        try:
            if after and self.chained:
                row = self._db.execute("SELECT hash FROM events WHERE seq=?", (after,)).fetchone()
                prev = str(row[0]) if row else ""
            else:
                prev = GENESIS
            cols = "seq, decision_id, idx, at, kind, v, payload"
            if self.chained:
                cols += ", hash"
            sql = f"SELECT {cols} FROM events WHERE seq > ? ORDER BY seq"
            try:
                rows = self._db.execute(sql, (after,)).fetchall()
            except DB_ERRORS as exc:
                if not _undecodable(exc):
                    raise
                # Damaged text: read it with U+FFFD (the hash check then names the row).
                self._db.text_factory = text_factory
                try:
                    rows = self._db.execute(sql, (after,)).fetchall()
                finally:
                    self._db.text_factory = str
        except DB_ERRORS as exc:
            raise _damaged(self.path, exc) from exc
        chain = ChainVerifier(self.chained, prev, after)
        try:
            out = [self._record(*r[:7], chain, r[7] if self.chained else None) for r in rows]  # type: ignore[call-arg]
        except JournalDamaged as exc:
            raise JournalDamaged(
                f"{exc}; 'tabletop journal check {self.path}' shows what is readable"
            ) from exc
        result = chain.result
        if after == 0 or self.integrity is None or not result.ok and self.integrity.ok:
            self.integrity = result
        return out

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

    def _record(
        self,
        seq: int,
        decision_id: str,
        idx: int,
        at: str,
        kind: str,
        v: int,
        payload: str,
        chain: ChainVerifier | None,
        stored: str | None = None,
    ) -> Record:
        return decode_row(self.path, (seq, decision_id, idx, at, kind, v, payload), chain, stored)


_INSERT = (
    "INSERT INTO events(seq, decision_id, idx, kind, v, at, payload, hash) VALUES (?,?,?,?,?,?,?,?)"
)
_INSERT_V1 = (
    "INSERT INTO events(seq, decision_id, idx, kind, v, at, payload) VALUES (?,?,?,?,?,?,?)"
)


__all__ = ["FORMAT", "FORMATS", "FORMAT_V1", "Journal", "decode_row"]
