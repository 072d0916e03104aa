"""PostgreSQL journal: the SQLite journal's event schema and guarantees on a shared server.

One database holds any number of exercises: the table ``tabletop_exercises`` has a row per
exercise (its id, format and last sequence number) and ``tabletop_events`` a row per event,
keyed by (exercise, seq) and unique by (exercise, decision id, index). A trigger refuses
``UPDATE`` and ``DELETE`` on events (append-only). An append locks its exercise's row
(``SELECT ... FOR UPDATE``), so writers on several machines are serialized: a writer that has
not seen the latest event gets :class:`~tabletop.errors.StaleWriter`, as with SQLite. Every
commit sends ``NOTIFY tabletop_events``, so followers wait for news instead of polling.

The exercise is named in the URL: ``postgresql://user@host/db?exercise=ID``; the rest of the
URL is handed to libpq unchanged. Needs psycopg 3 (``pip install 'tabletop[postgres]'``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import ValidationError

from tabletop.errors import JournalError, StaleWriter
from tabletop.model.events import EVENT_ADAPTER, EVENT_VERSION, Record

FORMAT = "tabletop-journal/1"
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


class PostgresJournal:
    """One exercise's journal in a PostgreSQL database.

    Args:
        url: ``postgresql://user[:password]@host[:port]/db?exercise=ID``.
        create: Create the exercise (refused when it exists and has events). Without an
            exercise id in the URL, ``create`` is refused; when reading, a database holding
            exactly one exercise opens that one.

    Raises:
        JournalError: psycopg is missing, the server is unreachable or refuses the login,
            the URL is malformed, or the exercise does not exist (or exists, with ``create``).
    """

    def __init__(self, url: str, *, create: bool = False) -> None:
        self.url = url
        conninfo, exercise = split_url(url)
        self.path = redact(url)
        psycopg = _psycopg()
        self._errors = psycopg.Error
        self._listener: Any = None
        try:
            self._db = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise JournalError(
                f"{self.path}: cannot connect to PostgreSQL ({_first_line(exc)}); "
                "check the host, port, database, user and password in the URL"
            ) from exc
        try:
            if create:
                if exercise is None:
                    raise JournalError(
                        f"{self.path}: name the exercise to create: add ?exercise=ID to the URL"
                    )
                self._ensure_schema()
                self._create(exercise)
            else:
                exercise = self._find(exercise)
        except BaseException:
            self._db.close()
            raise
        self.exercise = exercise
        self.path = redact(with_exercise(url, exercise))

    # ------------------------------------------------------------------ set-up

    def _ensure_schema(self) -> None:
        with self._guard("create the journal tables"), self._db.transaction():
            # One creator at a time: CREATE ... IF NOT EXISTS races otherwise.
            self._db.execute("SELECT pg_advisory_xact_lock(hashtext('tabletop_schema'))")
            exists = self._db.execute("SELECT to_regclass('tabletop_events') IS NOT NULL")
            if not exists.fetchone()[0]:
                self._db.execute(_SCHEMA)

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
                "SELECT seq, decision_id, at, kind, v, payload FROM tabletop_events "
                "WHERE exercise = %s AND decision_id = %s ORDER BY seq",
                (self.exercise, decision_id),
            ).fetchall()
        return [self._record(r) for r in rows]

    def append(self, records: Sequence[Record], *, expected_last: int) -> None:
        """Store ``records`` durably in one transaction; returns after COMMIT.

        Args:
            records: Records numbered from ``expected_last + 1``.
            expected_last: The last sequence number this writer has seen.

        Raises:
            StaleWriter: another writer appended since (nothing is written).
            JournalError: the decision id was already stored, or the server failed.
        """
        if not records:
            return
        psycopg = _psycopg()
        rows = [
            (
                self.exercise,
                r.seq,
                r.decision_id,
                i,
                r.event.kind,
                r.event.v,
                r.at,
                r.event.model_dump_json(),
            )
            for i, r in enumerate(records)
        ]
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
                with self._db.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO tabletop_events"
                        "(exercise, seq, decision_id, idx, kind, v, at, payload) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                        rows,
                    )
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
        """Every record with ``seq > after``, validated.

        Raises:
            JournalError: a row is unreadable or from a newer engine, or the server failed.
        """
        with self._guard("read"):
            rows = self._db.execute(
                "SELECT seq, decision_id, at, kind, v, payload FROM tabletop_events "
                "WHERE exercise = %s AND seq > %s ORDER BY seq",
                (self.exercise, after),
            ).fetchall()
        return [self._record(r) for r in rows]

    def wait(self, after: int, timeout: float) -> bool:
        """Block until the journal holds an event past ``after`` or ``timeout`` seconds pass.

        Uses ``LISTEN``/``NOTIFY`` on a second connection: a follower wakes when a writer
        commits, without polling the table.

        Returns:
            True when there is news to :meth:`read`.
        """
        psycopg = _psycopg()
        with self._guard("listen for new events"):
            if self._listener is None:
                conninfo, _ = split_url(self.url)
                self._listener = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
                self._listener.execute(f"LISTEN {CHANNEL}")
            if self.last_seq() > after:
                return True
            prefix = f"{self.exercise}:"
            for note in self._listener.notifies(timeout=timeout):
                if note.payload.startswith(prefix) and int(note.payload[len(prefix) :]) > after:
                    return True
        return self.last_seq() > after

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
