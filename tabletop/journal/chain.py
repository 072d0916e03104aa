"""Tamper evidence: every event carries a hash chained to the previous one.

Independent of the storage: a backend hands each stored row (sequence number,
decision id, index inside the decision, timestamp, kind, version, the event as
parsed JSON, the stored hash) to :class:`ChainVerifier`, and computes the hash
of a new row with :func:`record_hash`. The hash is the sha256 of the canonical
JSON (sorted keys, no spaces, UTF-8, no nan/inf) of the record and the previous
row's hash, so it does not depend on how a backend stores the JSON text.

The chain shows where a journal was edited with a database tool; it is not a
signature: whoever can write the file can recompute every hash. Keep the head
hash (``tabletop journal check`` and the report print it) somewhere else to
prove a journal complete.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

#: ``prev`` of the first event.
GENESIS = "0" * 64


class NotFinite(ValueError):
    """An event holds nan or inf (refused: it would not read back)."""


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 text, nan/inf refused.

    Raises:
        NotFinite: a float is nan or inf.
    """
    try:
        return json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except ValueError as exc:
        raise NotFinite(str(exc)) from exc


def record_hash(
    prev: str, seq: int, decision_id: str, idx: int, at: str, kind: str, v: int, event: Any
) -> str:
    """The hash of one stored event, chained to ``prev`` (the previous row's hash).

    The sha256 of ``canonical({"prev", "seq", "decision_id", "idx", "at", "kind", "v",
    "event"})``.

    Args:
        prev: Hash of the previous row (:data:`GENESIS` for the first).
        seq: Position in the journal.
        decision_id: The decision that produced the event.
        idx: Position of the event inside its decision.
        at: Timestamp as stored.
        kind: Event kind as stored.
        v: Event schema version as stored.
        event: The event as parsed JSON (a dict).
    """
    return record_hash_text(prev, seq, decision_id, idx, at, kind, v, canonical(event))


def _str(value: str) -> str:
    if type(value) is not str:
        raise NotFinite("a text column holds a non-text value")
    return encode_basestring(value)  # what json.dumps(value, ensure_ascii=False) writes


def record_hash_text(
    prev: str, seq: int, decision_id: str, idx: int, at: str, kind: str, v: int, event: str
) -> str:
    """:func:`record_hash` with the event already in canonical JSON (``canonical(event)``).

    The body is assembled as :func:`canonical` would write it (keys in sorted order),
    so both functions give the same hash; a backend that stores the canonical text
    verifies without encoding the event again.
    """
    if type(seq) is not int or type(idx) is not int or type(v) is not int:
        raise NotFinite("seq, idx and v must be integers")
    body = (
        f'{{"at":{_str(at)},"decision_id":{_str(decision_id)},"event":{event},'
        f'"idx":{idx},"kind":{_str(kind)},"prev":{_str(prev)},"seq":{seq},"v":{v}}}'
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Integrity:
    """What the hash chain says about a journal.

    Attributes:
        chained: Whether the journal's events carry hashes (format 2 and later).
        events: Events checked.
        head: Hash of the last event ("" without a chain).
        first_bad: Sequence number of the first event that does not match, None if none.
        kind: Kind of that event ("" when it is missing).
        missing: The event at ``first_bad`` is missing (events were deleted).
    """

    chained: bool
    events: int
    head: str = ""
    first_bad: int | None = None
    kind: str = ""
    missing: bool = False

    @property
    def ok(self) -> bool:
        """No event fails its hash (True for journals without a chain)."""
        return self.first_bad is None

    def describe(self) -> str:
        """One sentence for a user."""
        if not self.chained:
            return (
                "no tamper evidence: this journal was written before events carried hashes "
                "(format tabletop-journal/1)"
            )
        if self.first_bad is None:
            return f"tamper evidence verified: {self.events} events, chain head {self.head}"
        if self.missing:
            return (
                f"tamper evidence broken: event {self.first_bad} is missing "
                "(events were deleted from the journal)"
            )
        return (
            f"tamper evidence broken at event {self.first_bad} ({self.kind}): it does not match "
            "its hash: the journal was changed there after it was written (edited, or damaged "
            "on disk)"
        )


class ChainVerifier:
    """Checks rows in order; :attr:`result` says whether and where the chain breaks.

    Args:
        chained: Whether rows carry hashes.
        prev: Hash of the row before the first one fed (:data:`GENESIS` from the start).
        after: Sequence number of that row (0 from the start).
    """

    def __init__(self, chained: bool, prev: str = GENESIS, after: int = 0) -> None:
        self.chained = chained
        self.prev = prev
        self.last = after
        self.count = 0
        self.first_bad: int | None = None
        self.bad_kind = ""
        self.missing = False

    def feed(
        self,
        seq: int,
        decision_id: str,
        idx: int,
        at: str,
        kind: str,
        v: int,
        event: Any,
        stored: str | None,
        text: str | None = None,
    ) -> bool:
        """Check one row; returns whether it matches (always True without a chain).

        Args:
            seq, decision_id, idx, at, kind, v: The row's columns as stored.
            event: The event as parsed JSON.
            stored: The row's stored hash.
            text: The event's JSON text as stored, when the backend keeps it: tried
                first (it is canonical when this engine wrote it), saving an encoding.
        """
        self.count += 1
        if seq != self.last + 1 and self.first_bad is None:
            self.first_bad, self.missing = self.last + 1, True
        self.last = seq
        if not self.chained:
            return True
        try:
            good = text is not None and stored == record_hash_text(
                self.prev, seq, decision_id, idx, at, kind, v, text
            )
            if not good:
                good = stored == record_hash(self.prev, seq, decision_id, idx, at, kind, v, event)
        except (NotFinite, TypeError, ValueError):
            good = False
        if not good and self.first_bad is None:
            self.first_bad, self.bad_kind = seq, kind
        # Continue from the stored hash: only the edited row (or a deletion) is reported.
        self.prev = stored or ""
        return good

    @property
    def result(self) -> Integrity:
        """The verdict so far."""
        return Integrity(
            chained=self.chained,
            events=self.count,
            head=self.prev if self.chained else "",
            first_bad=self.first_bad,
            kind=self.bad_kind,
            missing=self.missing,
        )
