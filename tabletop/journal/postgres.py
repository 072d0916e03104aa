"""PostgreSQL journal: the SQLite journal's event schema and guarantees on a shared server.

One database holds any number of exercises: the table ``tabletop_exercises`` has a row per
exercise (its id, format and last sequence number) and ``tabletop_events`` a row per event,
keyed by (exercise, seq) and unique by (exercise, decision id, index). A trigger refuses
``UPDATE`` and ``DELETE`` on events (append-only). Rows are those of the SQLite journal
(:mod:`tabletop.journal.rows`): canonical JSON, each event's hash chained to the previous one,
checked on every full read (:attr:`PostgresJournal.integrity`). An append locks its exercise's row
(``SELECT ... FOR UPDATE``), so writers on several machines are serialized: a writer that has
not seen the latest event gets :class:`~tabletop.errors.StaleWriter`, as with SQLite. Every
commit sends ``NOTIFY tabletop_events``, so followers wait for news instead of polling.

The exercise is named in the URL: ``postgresql://user@host/db?exercise=ID``; the rest of the
URL is handed to libpq unchanged. Needs psycopg 3 (``pip install 'tabletop[postgres]'``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tabletop.errors import JournalDamaged, JournalError, StaleWriter
from tabletop.journal.chain import GENESIS, ChainVerifier, Integrity
from tabletop.journal.rows import decode_row, encode_rows
from tabletop.model.events import Record

#: The SQLite journal's format: events carry a chained hash (:mod:`tabletop.journal.chain`).
FORMAT = "tabletop-journal/2"
CHANNEL = "tabletop_events"
SCHEMES = ("postgresql", "postgres")
_EXERCISE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tabletop_exercises (
    id TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seq BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS tabletop_events (
    exercise TEXT NOT NULL REFERENCES tabletop_exercises(id),
    seq BIGINT NOT NULL,
    decision_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    v INTEGER NOT NULL,
    at TEXT NOT NULL,
    payload TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (exercise, seq),
    UNIQUE (exercise, decision_id, idx)
);
CREATE OR REPLACE FUNCTION tabletop_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'tabletop journal events are append-only';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER tabletop_events_append_only BEFORE UPDATE OR DELETE ON tabletop_events
    FOR EACH ROW EXECUTE FUNCTION tabletop_append_only();
"""


def is_url(target: object) -> bool:
    """Whether ``target`` names a PostgreSQL journal (``postgresql://`` or ``postgres://``)."""
    return isinstance(target, str) and target.split("://", 1)[0].lower() in SCHEMES


def split_url(url: str) -> tuple[str, str | None]:
    """Split a journal URL into the libpq URL and the exercise id (None when not given).

    Raises:
        JournalError: the exercise id is not a plain name.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    exercise = None
    rest = []
    for key, value in query:
        if key == "exercise":
            exercise = value
        else:
            rest.append((key, value))
    if exercise is not None and not _EXERCISE_ID.match(exercise):
        raise JournalError(
            f"{redact(url)}: exercise id {exercise!r} must be letters, digits, '.', '_' or '-'"
        )
    return urlunsplit(parts._replace(query=urlencode(rest))), exercise


def with_exercise(url: str, exercise: str) -> str:
    """``url`` naming ``exercise`` (replacing any exercise it named)."""
    base, _ = split_url(url)
    parts = urlsplit(base)
    query = parse_qsl(parts.query, keep_blank_values=True) + [("exercise", exercise)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise JournalError(
            "PostgreSQL journals need psycopg 3: install it with "
            "pip install 'tabletop[postgres]' (or pip install 'psycopg[binary]')"
        ) from exc
    return psycopg


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


_INSERT = (
    "INSERT INTO tabletop_events(exercise, seq, decision_id, idx, kind, v, at, payload, hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_COLS = "seq, decision_id, idx, at, kind, v, payload, hash"


def _connect(url: str, what: str) -> Any:
    """A connection (autocommit) to the server ``url`` names, or a one-sentence JournalError."""
    psycopg = _psycopg()
    conninfo, _ = split_url(url)
    try:
        return psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise JournalError(
            f"{redact(url)}: cannot connect to PostgreSQL ({_first_line(exc)}); "
            f"check the host, port, database, user and password in the URL{what}"
        ) from exc


def _ensure_schema(db: Any, path: str) -> None:
    """Create the journal tables when the database has none (one creator at a time)."""
    psycopg = _psycopg()
    try:
        with db.transaction():
            # CREATE ... IF NOT EXISTS races between creators otherwise.
            db.execute("SELECT pg_advisory_xact_lock(hashtext('tabletop_schema'))")
            exists = db.execute("SELECT to_regclass('tabletop_events') IS NOT NULL")
            if not exists.fetchone()[0]:
                db.execute(_SCHEMA)
            has_hash = db.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_name = 'tabletop_events' AND column_name = 'hash'"
            ).fetchone()[0]
    except psycopg.Error as exc:
        raise JournalError(
            f"{path}: cannot create the journal tables ({_first_line(exc)})"
        ) from exc
    if not has_hash:
        raise JournalError(
            f"{path}: the database holds journal tables of an older tabletop (no hash column); "
            "use another database"
        )


def free_exercise_id(url: str, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... : the first id no exercise in ``url``'s database has.

    Raises:
        JournalError: the server cannot be reached.
    """
    db = _connect(url, "")
    try:
        known = db.execute("SELECT to_regclass('tabletop_exercises') IS NOT NULL").fetchone()[0]
        ids = (
            {
                r[0]
                for r in db.execute(
                    "SELECT id FROM tabletop_exercises WHERE id LIKE %s", (base + "%",)
                )
            }
            if known
            else set()
        )
    except _psycopg().Error as exc:
        raise JournalError(
            f"{redact(url)}: cannot read the exercises ({_first_line(exc)})"
        ) from exc
    finally:
        db.close()
    name, n = base, 1
    while name in ids:
        n += 1
        name = f"{base}-{n}"
    return name


class PostgresJournal:
    """One exercise's journal in a PostgreSQL database.

    Args:
        url: ``postgresql://user[:password]@host[:port]/db?exercise=ID``.
        create: Create the exercise empty (refused when it exists and has events);
            :meth:`create` makes one with its first events. Without an exercise id in
            the URL, ``create`` is refused; when reading, a database holding exactly one
            exercise opens that one.

    Raises:
        JournalError: psycopg is missing, the server is unreachable or refuses the login,
            the URL is malformed, or the exercise does not exist (or exists, with ``create``).
    """

    def __init__(self, url: str, *, create: bool = False) -> None:
        self.url = url
        _, exercise = split_url(url)
        self.path = redact(url)
        psycopg = _psycopg()
        self._errors = psycopg.Error
        self._listener: Any = None
        #: What the hash chain said at the last full :meth:`read`.
        self.integrity: Integrity | None = None
        #: Events carry a chained hash (always, in PostgreSQL).
        self.chained = True
        self.format = FORMAT
        self._db = _connect(url, "")
        try:
            if create:
                if exercise is None:
                    raise JournalError(
                        f"{self.path}: name the exercise to create: add ?exercise=ID to the URL"
                    )
                _ensure_schema(self._db, self.path)
                self._create(exercise)
            else:
                exercise = self._find(exercise)
        except BaseException:
            self._db.close()
            raise
        self.exercise = exercise
        self.url = with_exercise(url, exercise)
        self.path = redact(self.url)

    @classmethod
    def create(cls, url: str, records: Sequence[Record]) -> PostgresJournal:
        """Create the exercise holding ``records`` in one transaction, and open it.

        The exercise row and its first events commit together: a failure (or a crash)
        leaves no exercise at all, never an empty one that cannot be resumed.

        Raises:
            JournalError: the exercise exists, the URL names none, or the server failed.
        """
        _, exercise = split_url(url)
        path = redact(url)
        if exercise is None:
            raise JournalError(f"{path}: name the exercise to create: add ?exercise=ID to the URL")
        psycopg = _psycopg()
        rows = [(exercise, *row) for row in encode_rows(path, records, GENESIS)]
        db = _connect(url, "")
        try:
            _ensure_schema(db, path)
            with db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (exercise,))
                if db.execute(
                    "SELECT 1 FROM tabletop_exercises WHERE id = %s", (exercise,)
                ).fetchone():
                    raise JournalError(
                        f"{path}: exercise {exercise} already exists; resume it or choose "
                        "another id"
                    )
                db.execute(
                    "INSERT INTO tabletop_exercises(id, format, last_seq) VALUES (%s, %s, %s)",
                    (exercise, FORMAT, records[-1].seq if records else 0),
                )
                with db.cursor() as cur:
                    cur.executemany(_INSERT, rows)
                db.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{exercise}:{len(rows)}"))
        except psycopg.errors.UniqueViolation as exc:
            raise JournalError(
                f"{path}: exercise {exercise} already exists; resume it or choose another id"
            ) from exc
        except psycopg.Error as exc:
            raise JournalError(f"{path}: cannot create the exercise ({_first_line(exc)})") from exc
        finally:
            db.close()
        return cls(url)

    # ------------------------------------------------------------------ set-up

    def _create(self, exercise: str) -> None:
        with self._guard("create the exercise"), self._db.transaction():
            row = self._db.execute(
                "SELECT format, last_seq FROM tabletop_exercises WHERE id = %s FOR UPDATE",
                (exercise,),
            ).fetchone()
            if row is not None and row[1] > 0:
                raise JournalError(
                    f"{self.path}: exercise {exercise} already exists; resume it or choose another id"
                )
            if row is None:
                self._db.execute(
                    "INSERT INTO tabletop_exercises(id, format) VALUES (%s, %s)",
                    (exercise, FORMAT),
                )

    def _find(self, exercise: str | None) -> str:
        with self._guard("read the exercises"):
            known = self._db.execute(
                "SELECT to_regclass('tabletop_exercises') IS NOT NULL"
            ).fetchone()[0]
            ids = (
                [r[0] for r in self._db.execute("SELECT id FROM tabletop_exercises ORDER BY id")]
                if known
                else []
            )
        if exercise is None:
            if len(ids) == 1:
                return ids[0]
            if not ids:
                raise JournalError(f"{self.path}: no exercise in this database")
            raise JournalError(
                f"{self.path}: the database holds {len(ids)} exercises; add ?exercise=ID "
                f"to the URL (one of: {', '.join(ids[:10])}{', ...' if len(ids) > 10 else ''})"
            )
        if exercise not in ids:
            raise JournalError(f"{self.path}: no exercise {exercise!r} in this database")
        fmt = self._db.execute(
            "SELECT format FROM tabletop_exercises WHERE id = %s", (exercise,)
        ).fetchone()[0]
        if fmt != FORMAT:
            raise JournalError(f"{self.path}: unknown journal format {fmt}")
        return exercise

    @contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Turn a database error into a :class:`JournalError` naming what failed."""
        try:
            yield
        except self._errors as exc:
            raise JournalError(f"{self.path}: cannot {what} ({_first_line(exc)})") from exc

    # ------------------------------------------------------------------ interface

    def close(self) -> None:
        """Close the connections."""
        self._db.close()
        if self._listener is not None:
            self._listener.close()

    def checkpoint(self, *, wait: bool = False) -> bool:
        """Nothing to do: every committed event is in the database (kept for the interface)."""
        return True

    def __enter__(self) -> PostgresJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def last_seq(self) -> int:
        """Sequence number of the last stored event (0 when empty)."""
        with self._guard("read"):
            row = self._db.execute(
                "SELECT last_seq FROM tabletop_exercises WHERE id = %s", (self.exercise,)
            ).fetchone()
        return int(row[0]) if row else 0

    def decision(self, decision_id: str) -> list[Record]:
        """Records already stored for ``decision_id`` (empty when new)."""
        with self._guard("read"):
            rows = self._db.execute(
                f"SELECT {_COLS} FROM tabletop_events "
                "WHERE exercise = %s AND decision_id = %s ORDER BY seq",
                (self.exercise, decision_id),
            ).fetchall()
        return [decode_row(self.path, tuple(r[:7]), None) for r in rows]

    def append(self, records: Sequence[Record], *, expected_last: int) -> None:
        """Store ``records`` durably in one transaction; returns after COMMIT.

        Args:
            records: Records numbered from ``expected_last + 1``.
            expected_last: The last sequence number this writer has seen.

        Raises:
            StaleWriter: another writer appended since (nothing is written).
            JournalError: the decision id was already stored, an event holds nan/inf,
                or the server failed (nothing is written).
        """
        if not records:
            return
        psycopg = _psycopg()
        try:
            with self._db.transaction():
                last = self._db.execute(
                    "SELECT last_seq FROM tabletop_exercises WHERE id = %s FOR UPDATE",
                    (self.exercise,),
                ).fetchone()[0]
                if last != expected_last:
                    raise StaleWriter(
                        f"{self.path}: another writer appended (journal at {last}, "
                        f"this writer at {expected_last})"
                    )
                prev = GENESIS
                if last:
                    row = self._db.execute(
                        "SELECT hash FROM tabletop_events WHERE exercise = %s AND seq = %s",
                        (self.exercise, last),
                    ).fetchone()
                    prev = row[0] if row else ""
                rows = [(self.exercise, *r) for r in encode_rows(self.path, records, prev)]
                with self._db.cursor() as cur:
                    cur.executemany(_INSERT, rows)
                self._db.execute(
                    "UPDATE tabletop_exercises SET last_seq = %s WHERE id = %s",
                    (records[-1].seq, self.exercise),
                )
                self._db.execute(
                    "SELECT pg_notify(%s, %s)", (CHANNEL, f"{self.exercise}:{records[-1].seq}")
                )
        except psycopg.errors.UniqueViolation as exc:
            raise JournalError(
                f"{self.path}: decision already stored ({_first_line(exc)})"
            ) from exc
        except psycopg.Error as exc:
            raise JournalError(f"{self.path}: cannot write ({_first_line(exc)})") from exc

    def read(self, after: int = 0) -> list[Record]:
        """Every record with ``seq > after``, validated, its hash checked.

        What the hash chain says is kept in :attr:`integrity` (a read from the start
        replaces it; a later read only records a new break).

        Raises:
            JournalDamaged: a row is unreadable.
            JournalError: a row is from a newer engine, or the server failed.
        """
        with self._guard("read"):
            prev = GENESIS
            if after:
                row = self._db.execute(
                    "SELECT hash FROM tabletop_events WHERE exercise = %s AND seq = %s",
                    (self.exercise, after),
                ).fetchone()
                prev = row[0] if row else ""
            rows = self._db.execute(
                f"SELECT {_COLS} FROM tabletop_events "
                "WHERE exercise = %s AND seq > %s ORDER BY seq",
                (self.exercise, after),
            ).fetchall()
        chain = ChainVerifier(True, prev, after)
        try:
            out = [decode_row(self.path, tuple(r[:7]), chain, r[7]) for r in rows]
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

        Uses ``LISTEN``/``NOTIFY`` on a second connection: a follower wakes when a writer
        commits, without polling the table.

        Returns:
            True when there is news to :meth:`read`.
        """
        with self._guard("listen for new events"):
            if self._listener is None:
                self._listener = _connect(self.url, "")
                self._listener.execute(f"LISTEN {CHANNEL}")
            if self.last_seq() > after:
                return True
            prefix = f"{self.exercise}:"
            for note in self._listener.notifies(timeout=timeout):
                if note.payload.startswith(prefix) and int(note.payload[len(prefix) :]) > after:
                    return True
        return self.last_seq() > after
