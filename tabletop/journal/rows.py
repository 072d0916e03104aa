"""Rows of a journal, backend-independent: encoding records, decoding and checking rows.

Both backends store a row as ``(seq, decision_id, idx, kind, v, at, payload, hash)`` with the
event as canonical JSON and its hash chained to the previous row's
(:mod:`tabletop.journal.chain`); they share this code, so they store and verify alike.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic import ValidationError

from tabletop.errors import JournalDamaged, JournalError
from tabletop.journal.chain import ChainVerifier, NotFinite, canonical, record_hash_text
from tabletop.model.events import EVENT_ADAPTER, EVENT_VERSION, Record
from tabletop.sanitize import CONTROL_IN_JSON, clean, visible


def encode_rows(path: object, records: Sequence[Record], prev: str) -> list[tuple]:
    """Rows for ``records`` (canonical JSON payloads, chained hashes).

    ``idx`` counts the events of each decision from 0 (a batch may hold several
    decisions: a copy of a whole journal).

    Raises:
        JournalError: an event holds nan or inf (it would not read back).
    """
    rows: list[tuple] = []
    i, decision = -1, None
    for r in records:
        i = i + 1 if r.decision_id == decision else 0
        decision = r.decision_id
        data = r.event.model_dump()
        try:
            payload = canonical(data)
        except NotFinite as exc:
            raise JournalError(
                f"{path}: event {r.seq} ({r.event.kind}) holds a value that is not a finite "
                "number (nan or inf); nothing was written"
            ) from exc
        h = record_hash_text(prev, r.seq, r.decision_id, i, r.at, r.event.kind, r.event.v, payload)
        rows.append((r.seq, r.decision_id, i, r.event.kind, r.event.v, r.at, payload, h))
        prev = h
    return rows


def decode_row(
    path: object, row: tuple, chain: ChainVerifier | None, stored: str | None = None
) -> Record:
    """One stored row as a validated record (its hash fed to ``chain`` before validation).

    Args:
        path: The journal (for messages).
        row: ``(seq, decision_id, idx, at, kind, v, payload)``.
        chain: The verifier of this read (None: no check).
        stored: The row's stored hash.

    Raises:
        JournalDamaged: the payload is not JSON or not a valid event.
        JournalError: the event is from a newer engine.
    """
    seq, decision_id, idx, at, kind, v, payload = row
    shown = kind if isinstance(kind, str) and kind.isidentifier() else visible(str(kind))[:40]
    if not isinstance(v, int) or v > EVENT_VERSION:
        raise JournalError(
            f"{path}: event {seq} ({shown}) has version {v}; this engine reads up to "
            f"{EVENT_VERSION}: upgrade tabletop"
        )
    try:
        data = json.loads(payload)
    except (ValueError, TypeError) as exc:
        raise JournalDamaged(
            f"{path}: event {seq} ({shown}) is unreadable: not JSON ({exc})"
        ) from exc
    matches = True
    if chain is not None:
        text = payload if isinstance(payload, str) else None
        matches = chain.feed(seq, decision_id, idx, at, kind, v, data, stored, text)
    if isinstance(payload, str) and _may_hold_control(payload):
        data = clean(data)
    try:
        event = EVENT_ADAPTER.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the top"
        edited = "" if matches else " (and it does not match its hash: it was edited)"
        raise JournalDamaged(
            f"{path}: event {seq} ({shown}) is unreadable{edited}: "
            f"{exc.error_count()} problem(s), first at {visible(where)[:80]}: {first['msg']}"
        ) from exc
    if not (isinstance(decision_id, str) and decision_id.isprintable()):
        decision_id = visible(str(decision_id))
    if not (isinstance(at, str) and at.isprintable()):
        at = visible(str(at))
    return Record(seq=seq, decision_id=decision_id, at=at, event=event)


def _may_hold_control(payload: str) -> bool:
    """Whether a JSON text may hold a control character (cheap tests first)."""
    if payload.isascii() and "\\u00" not in payload and "\x7f" not in payload:
        return False
    return CONTROL_IN_JSON.search(payload) is not None
