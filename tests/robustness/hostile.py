"""Helpers for the hostile-input tests: a journal an attacker rewrote (hashes recomputed)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tabletop.journal.chain import GENESIS, canonical, record_hash

#: Terminal escape sequences a hostile text may carry: OSC 52 clipboard write,
#: window title, clear screen, 8-bit CSI, BEL, backspace, DEL.
ESCAPES = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;owned\x07\x1b[2J\x9b31m\x08\x7f"


def rewrite(path: Path, seq: int, change: Callable[[dict[str, Any]], None]) -> None:
    """Change event ``seq``'s payload and recompute every hash (what a careful forger does)."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute(
            "SELECT seq, decision_id, idx, at, kind, v, payload FROM events ORDER BY seq"
        ).fetchall()
        prev = GENESIS
        for s, decision_id, idx, at, kind, v, payload in rows:
            data = json.loads(payload)
            if s == seq:
                change(data)
            h = record_hash(prev, s, decision_id, idx, at, kind, v, data)
            db.execute("UPDATE events SET payload=?, hash=? WHERE seq=?", (canonical(data), h, s))
            prev = h
        db.commit()
    finally:
        db.close()


def edit(path: Path, sql: str, *params: object) -> None:
    """Run one statement on the journal (a naive edit: hashes left as they were)."""
    db = sqlite3.connect(path)
    try:
        db.execute(sql, params)
        db.commit()
    finally:
        db.close()
