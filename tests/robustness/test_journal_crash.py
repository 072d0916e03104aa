"""Crash safety: a writer killed with SIGKILL mid-append never loses an acknowledged decision.

A child process resumes the exercise journal and submits decisions in a loop
(bot moves while the exercise runs, observations once it has ended), printing
each decision id on stdout only after :meth:`Exercise.submit` returned. The
test kills it with SIGKILL at a random moment, many times over; then every
printed (acknowledged) decision must be in the journal, every decision must be
stored whole, the journal must fold, its hash chain hold, and SQLite report it intact.
Runs against both backends (a file, and a real PostgreSQL server: ``target``).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from tabletop.app.journals import resume_exercise
from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "scenarios" / "typhoon-two-provinces.toml"
KILLS = 20

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


CHILD = """
import random, sys
from tabletop.bots import cooperative
from tabletop.engine.exercise import Exercise
from tabletop.app.journals import resume_exercise
from tabletop.errors import IllegalCommand
from tabletop.model import commands as cm

path, tag = sys.argv[1], sys.argv[2]
ex = resume_exercise(path)
n = 0

def submit(command):
    global n
    n += 1
    did = f"{tag}-{n}"
    ex.submit(command.model_copy(update={"decision_id": did}))
    sys.stdout.write(did + "\\n")
    sys.stdout.flush()

while True:
    st = ex.state
    if st.phase != "running" or st.active is None:
        submit(cm.AddObservation(text=f"observation {n} by {tag}"))
        continue
    agency = st.active
    rng = random.Random(f"{st.seed}:{agency}:{st.round}")
    for decision in cooperative(ex, agency, rng):
        if ex.state.active != agency or ex.state.agencies[agency].points <= 0:
            break
        if decision.command is None:
            continue
        try:
            submit(decision.command)
        except IllegalCommand:
            continue
    if ex.state.active == agency and ex.state.phase == "running":
        submit(cm.EndTurn(agency=agency))
"""


def _kill_once(path: Path, tag: str, rng: random.Random) -> tuple[list[str], str]:
    """Run a writer, SIGKILL it after a few acknowledgements; return them and its stderr."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), tag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    acked: list[str] = []
    wanted = rng.randint(1, 12)
    try:
        while len(acked) < wanted:
            line = proc.stdout.readline()
            if not line.endswith("\n"):
                break  # the child died on its own: reported below
            acked.append(line.strip())
        time.sleep(rng.uniform(0.0, 0.01))
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    rest = proc.stdout.read()
    # Only complete lines were acknowledged (a line cut by the kill was not).
    acked += [line for line in rest.split("\n")[:-1] if line]
    err = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, f"writer {tag} died by itself:\n{err}"
    return acked, err


def test_sigkilled_writer_loses_no_acknowledged_decision(tmp_path: Path, target: str) -> None:
    """On both backends: a SQLite file, and a real PostgreSQL server (``target``)."""
    path = Path(target) if "://" not in target else target
    Exercise.new(load_game(DEFAULT), path, seed=99).close()
    rng = random.Random(2024)
    acked: list[str] = []
    for i in range(KILLS):
        got, err = _kill_once(path, f"k{i}", rng)
        assert "Traceback" not in err, err
        acked += got
    assert len(acked) >= KILLS

    ex = resume_exercise(path)
    try:
        stored = [r.decision_id for r in ex.records]
        missing = sorted(set(acked) - set(stored))
        assert not missing, f"acknowledged but lost: {missing}"
        # Sequence numbers are contiguous and each decision is stored once, whole.
        assert [r.seq for r in ex.records] == list(range(1, len(ex.records) + 1))
        seqs: dict[str, list[int]] = defaultdict(list)
        for r in ex.records:
            seqs[r.decision_id].append(r.seq)
        for did, s in seqs.items():
            assert s == list(range(s[0], s[0] + len(s))), f"decision {did} is split"
        # At most the one decision in flight per kill was stored without an acknowledgement.
        unacked = set(stored) - set(acked) - {ex.records[0].decision_id}
        assert len(unacked) <= KILLS
        # The journal folds, and the live fold equals a fresh one.
        assert ex.replayed() == ex.state
        assert ex.state.phase in ("running", "ended")
    finally:
        ex.close()

    assert ex.integrity is not None and ex.integrity.ok
    if "://" in target:
        return  # PostgreSQL: unique (exercise, decision_id, idx) makes duplicates impossible
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        dup = db.execute(
            "SELECT decision_id, idx, COUNT(*) FROM events GROUP BY decision_id, idx HAVING COUNT(*) > 1"
        ).fetchall()
        assert dup == []
    db.close()
