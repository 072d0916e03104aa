"""Several writer processes on one journal (both backends): nothing lost, duplicated or reordered.

Each process resumes the journal as an :class:`~tabletop.engine.exercise.Exercise` and appends
observations; a stale writer (another process appended first) refreshes and retries, as the
TUI does. Afterwards every acknowledged decision is stored exactly once, in the order of
acknowledgement per process, with contiguous sequence numbers and an intact hash chain.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tabletop.app.journals import resume_exercise
from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "scenarios" / "typhoon-two-provinces.toml"
WRITERS = 3
EACH = 15

CHILD = """
import sys
from tabletop.app.journals import resume_exercise
from tabletop.errors import JournalError, StaleWriter
from tabletop.model import commands as cm

target, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
ex = resume_exercise(target)
for n in range(count):
    did = f"{tag}-{n}"
    while True:
        try:
            ex.submit(cm.AddObservation(text=f"{tag} note {n}", decision_id=did))
            break
        except StaleWriter:
            ex.refresh()
        except JournalError as exc:
            if "locked" not in str(exc):
                raise
            ex.refresh()
    print(did, flush=True)
ex.close()
"""


def test_writer_processes_lose_duplicate_and_reorder_nothing(target: str) -> None:
    journal = Path(target) if "://" not in target else target
    Exercise.new(load_game(DEFAULT), journal, seed=5).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, target, f"p{i}", str(EACH)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for i in range(WRITERS)
    ]
    acked: dict[str, list[str]] = {}
    for i, p in enumerate(procs):
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "Traceback" not in err
        acked[f"p{i}"] = out.split()
    ex = resume_exercise(journal)
    try:
        ids = [r.decision_id for r in ex.records if r.event.kind == "observation_recorded"]
        assert sorted(ids) == sorted(d for v in acked.values() for d in v)
        assert len(ids) == len(set(ids)) == WRITERS * EACH
        for tag, mine in acked.items():
            assert [d for d in ids if d.startswith(f"{tag}-")] == mine
        assert [r.seq for r in ex.records] == list(range(1, len(ex.records) + 1))
        assert ex.integrity is not None and ex.integrity.ok
        assert ex.replayed() == ex.state
    finally:
        ex.close()
