"""``tabletop journal check``: what of a journal file is readable, and whether it was edited.

Opens the file read-only (nothing is written, not even the WAL mode), runs
SQLite's ``integrity_check``, reads the events one by one until the first that
cannot be read, checks the hash chain and looks for the scenario by its sha256.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tabletop.errors import JournalError
from tabletop.journal.chain import ChainVerifier, Integrity
from tabletop.journal.sqlite import (
    DB_ERRORS,
    FORMAT_V1,
    FORMATS,
    decode_row,
    short,
    text_factory,
)
from tabletop.model.events import ExerciseStarted
from tabletop.sanitize import visible


@dataclass
class CheckResult:
    """What ``journal check`` found.

    Attributes:
        path: The journal.
        lines: ``(status, text)`` in order; status is ``ok``, ``warn`` or ``bad``.
        events: Events stored (rows counted), None when unknown.
        readable: Events read and validated before the first unreadable one.
        integrity: The hash chain's verdict over the readable events, None when unread.
    """

    path: Path
    lines: list[tuple[str, str]] = field(default_factory=list)
    events: int | None = None
    readable: int = 0
    integrity: Integrity | None = None

    @property
    def ok(self) -> bool:
        """Nothing is damaged nor edited (warnings allowed)."""
        return all(status != "bad" for status, _ in self.lines)

    def add(self, status: str, text: str) -> None:
        """Add a line (control characters shown visibly)."""
        self.lines.append((status, visible(text)))


#: Finds the scenario a journal recorded (raises ``JournalError`` when it cannot).
Locate = Callable[[ExerciseStarted, Path], Path]


def check_journal(path: str | os.PathLike[str], locate: Locate | None = None) -> CheckResult:
    """Check a journal without changing it.

    Args:
        path: The journal file, or a database URL.
        locate: Finds the scenario the journal recorded (:func:`tabletop.app.workspace.
            locate_scenario`); None leaves the scenario unchecked.

    Returns:
        Every finding, in order; :attr:`CheckResult.ok` is the verdict.
    """
    from tabletop.journal.backends import is_journal_url

    if is_journal_url(path):
        return _check_url(str(path), locate)
    jpath = Path(path)
    res = CheckResult(jpath)
    try:
        st = jpath.stat()
    except OSError as exc:
        res.add("bad", f"cannot open: {exc.strerror or exc}")
        return res
    if not stat.S_ISREG(st.st_mode):
        res.add("bad", "not a regular file")
        return res
    mode = stat.S_IMODE(st.st_mode)
    res.add(
        "ok" if not mode & 0o077 else "warn",
        f"file: {st.st_size} bytes, mode {mode:04o}"
        + ("" if not mode & 0o077 else " (others can read it: chmod 600)"),
    )
    wal = Path(f"{jpath}-wal")
    if wal.exists():
        res.add(
            "ok", f"write-ahead log {wal.name}: {wal.stat().st_size} bytes (part of the journal)"
        )
    try:
        # Without a -wal file there is nothing but the file itself: "immutable" keeps
        # SQLite from creating -wal and -shm files beside it.
        flags = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
        db = sqlite3.connect(f"{jpath.resolve().as_uri()}?{flags}", uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        res.add("bad", f"cannot open with SQLite: {short(exc)}")
        return res
    db.text_factory = text_factory
    try:
        _check_db(db, res, locate)
    finally:
        db.close()
    return res


def _check_url(url: str, locate: Locate | None) -> CheckResult:
    """Check an exercise in a database: every event read, the hash chain, the scenario."""
    from tabletop.journal.backends import open_journal
    from tabletop.journal.postgres import redact

    res = CheckResult(redact(url))  # type: ignore[arg-type]  # a URL, shown as given
    try:
        journal = open_journal(url)
    except JournalError as exc:
        res.add("bad", str(exc).removeprefix(f"{redact(url)}: "))
        return res
    with journal:
        res.path = journal.path  # type: ignore[assignment]
        res.add("ok", f"format {journal.format} (PostgreSQL, exercise {journal.exercise})")  # type: ignore[attr-defined]
        try:
            records = journal.read()
        except JournalError as exc:
            res.events = journal.last_seq()
            res.add("bad", f"events: {str(exc).removeprefix(f'{journal.path}: ')}")
            return res
    res.events = res.readable = len(records)
    res.add("ok", f"events: {len(records)} of {len(records)} readable")
    res.integrity = journal.integrity  # type: ignore[attr-defined]
    if records and res.integrity is not None:
        res.add("ok" if res.integrity.ok else "bad", res.integrity.describe())
    head = records[0].event if records else None
    if records and not isinstance(head, ExerciseStarted):
        res.add("bad", "the first event is not exercise_started")
    if isinstance(head, ExerciseStarted) and locate is not None:
        _check_scenario(head, res, locate)
    return res


def _check_db(db: sqlite3.Connection, res: CheckResult, locate: Locate | None) -> None:
    try:
        problems = [str(r[0]) for r in db.execute("PRAGMA integrity_check(20)").fetchall()]
    except DB_ERRORS as exc:
        res.add("bad", f"not a tabletop journal, or its SQLite header is damaged: {short(exc)}")
        return
    if problems == ["ok"]:
        res.add("ok", "SQLite integrity check: ok")
    else:
        res.add(
            "bad",
            f"SQLite integrity check: {len(problems)} problem(s), first: {short(problems[0])}",
        )
    try:
        fmt_row = db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
    except DB_ERRORS as exc:
        res.add("bad", f"no journal metadata: {short(exc)}")
        return
    fmt = str(fmt_row[0]) if fmt_row else "none"
    if fmt not in FORMATS:
        res.add("bad", f"unknown journal format {fmt[:40]}")
        return
    res.add("ok", f"format {fmt}")
    chained = fmt != FORMAT_V1
    try:
        res.events = int(db.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    except DB_ERRORS as exc:
        res.add("bad", f"cannot count the events: {short(exc)}")
    cols = "seq, decision_id, idx, at, kind, v, payload" + (", hash" if chained else "")
    chain = ChainVerifier(chained)
    head: ExerciseStarted | None = None
    last_seq = 0
    broken = ""
    later = 0  # events readable after the first unreadable one (not usable for a replay)
    try:
        cur = db.execute(f"SELECT {cols} FROM events ORDER BY seq")
        for row in cur:
            last_seq = row[0]
            if broken:
                try:
                    decode_row(res.path, row[:7], None)
                    later += 1
                except JournalError:
                    pass
                continue
            try:
                rec = decode_row(res.path, row[:7], chain, row[7] if chained else None)
            except JournalError as exc:
                broken = str(exc).removeprefix(f"{res.path}: ")
                continue
            if res.readable == 0 and isinstance(rec.event, ExerciseStarted):
                head = rec.event
            res.readable += 1
    except DB_ERRORS as exc:
        stop = f"SQLite cannot read past event {last_seq}: {short(exc)}"
        broken = f"{broken}; {stop}" if broken else stop
    total = "?" if res.events is None else str(res.events)
    if broken:
        more = f"; {later} more readable after it" if later else ""
        res.add("bad", f"events: the first {res.readable} of {total} readable; {broken}{more}")
    else:
        res.add("ok", f"events: {res.readable} of {total} readable")
    res.integrity = chain.result
    if res.readable:
        integrity = res.integrity
        status = "warn" if not integrity.chained else ("ok" if integrity.ok else "bad")
        res.add(status, integrity.describe())
    if res.readable and head is None:
        res.add("bad", "the first event is not exercise_started")
    if head is not None and locate is not None:
        _check_scenario(head, res, locate)


def _check_scenario(head: ExerciseStarted, res: CheckResult, locate: Locate) -> None:
    try:
        found = locate(head, res.path)
    except JournalError as exc:
        res.add("warn", str(exc).removeprefix(f"{res.path}: "))
        return
    res.add("ok", f"scenario {head.scenario_id}: {found} (sha256 matches)")
