"""Several writers attached to one exercise journal (terminals on one host).

A writer that has not seen the latest event is rejected with ``StaleWriter``
and succeeds after :meth:`Exercise.refresh`; concurrent writers neither lose
nor duplicate events; a decision id is stored once, even when two processes
submit it; two processes playing the agencies hot-seat produce exactly the
exercise one process would.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tabletop.app.journals import resume_exercise
from tabletop.bots import parse_policies, play_to_end
from tabletop.engine.exercise import Exercise
from tabletop.errors import StaleWriter
from tabletop.journal import Journal
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.model.events import ObservationRecorded, Record

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "scenarios" / "typhoon-two-provinces.toml"


OBSERVER = """
import sys, time
from pathlib import Path
from tabletop.engine.exercise import Exercise
from tabletop.app.journals import resume_exercise
from tabletop.errors import StaleWriter
from tabletop.model import commands as cm

path, tag, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
ex = resume_exercise(path)
while not go.exists():
    time.sleep(0.001)
stale = 0
for i in range(count):
    command = cm.AddObservation(text=f"{tag} {i}", author=tag, decision_id=f"{tag}-{i}")
    while True:
        try:
            ex.submit(command)
            break
        except StaleWriter:
            stale += 1
            ex.refresh()
ex.refresh()
print(stale, len(ex.records))
"""

HOTSEAT = """
import sys, time
from tabletop.bots import cooperative, play_turn
from tabletop.engine.exercise import Exercise
from tabletop.app.journals import resume_exercise

path, mine = sys.argv[1], set(sys.argv[2].split(","))
ex = resume_exercise(path)
deadline = time.monotonic() + 60
turns = 0
while time.monotonic() < deadline:
    ex.refresh()
    if ex.state.phase == "ended":
        print(turns)
        sys.exit(0)
    if ex.state.active in mine:
        play_turn(ex, ex.state.active, cooperative)
        turns += 1
    else:
        time.sleep(0.001)
sys.exit("timed out")
"""

SUBMIT_ONCE = """
import sys
from tabletop.engine.exercise import Exercise
from tabletop.app.journals import resume_exercise
from tabletop.model import commands as cm

ex = resume_exercise(sys.argv[1])
records = ex.submit(cm.AddObservation(text="from the child", decision_id=sys.argv[2]))
print(len(records), records[0].seq)
"""


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A new exercise journal of the default scenario (seed 7), closed."""
    path = tmp_path / "shared.tabletop"
    Exercise.new(load_game(DEFAULT), path, seed=7).close()
    return path


def _child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def _finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    return out


def _intact(path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        seqs = [s for (s,) in db.execute("SELECT seq FROM events ORDER BY seq")]
        assert seqs == list(range(1, len(seqs) + 1))
    finally:
        db.close()


def test_stale_journal_append_is_rejected(journal: Path) -> None:
    a, b = Journal(journal), Journal(journal)
    try:
        last = a.last_seq()
        event = ObservationRecorded(text="a", agency=None, author="a", round=1, stage="gestation")
        a.append([Record(last + 1, "from-a", "t", event)], expected_last=last)
        with pytest.raises(StaleWriter, match="another writer appended"):
            b.append([Record(last + 1, "from-b", "t", event)], expected_last=last)
        b.append([Record(last + 2, "from-b", "t", event)], expected_last=b.last_seq())
        assert [r.decision_id for r in a.read(after=last)] == ["from-a", "from-b"]
    finally:
        a.close()
        b.close()


def test_stale_exercise_is_rejected_then_refresh_and_retry(journal: Path) -> None:
    first, second = resume_exercise(journal), resume_exercise(journal)
    try:
        agency = first.state.active
        assert agency is not None
        first.submit(cm.TakeAction(agency=agency, action="activate_response", level="2"))
        before = second.last_seq
        with pytest.raises(StaleWriter):
            second.submit(cm.AddObservation(text="late", decision_id="late-1"))
        assert second.last_seq == before, "a rejected decision changes nothing"
        got = second.refresh()
        assert [r.event.kind for r in got] == ["action_taken"]
        assert second.state == first.state
        second.submit(cm.AddObservation(text="late", decision_id="late-1"))
        first.refresh()
        assert first.state == second.state
        assert first.records == second.records
    finally:
        first.close()
        second.close()
    _intact(journal)


def test_stale_writer_across_processes(journal: Path) -> None:
    mine = resume_exercise(journal)
    try:
        out = _finish(_child(SUBMIT_ONCE, str(journal), "child-1"))
        assert int(out.split()[1]) == mine.last_seq + 1
        command = cm.AddObservation(text="from the parent", decision_id="parent-1")
        with pytest.raises(StaleWriter):
            mine.submit(command)
        assert [r.decision_id for r in mine.refresh()] == ["child-1"]
        (stored,) = mine.submit(command)
        assert stored.seq == mine.last_seq and stored.decision_id == "parent-1"
        assert mine.replayed() == mine.state
    finally:
        mine.close()
    _intact(journal)


def test_duplicate_decision_id_is_stored_once(journal: Path) -> None:
    ex = resume_exercise(journal)
    try:
        command = cm.AddObservation(text="twice", decision_id="obs-1")
        one = ex.submit(command)
        two = ex.submit(command)
        assert one == two
        assert [r.decision_id for r in ex.records].count("obs-1") == 1
        # A different command under the same id is not decided again either.
        three = ex.submit(cm.AddObservation(text="other text", decision_id="obs-1"))
        assert three == one
    finally:
        ex.close()
    with Journal(journal) as j:
        assert len(j.decision("obs-1")) == 1


def test_duplicate_decision_id_across_processes(journal: Path) -> None:
    stale = resume_exercise(journal)
    try:
        out = _finish(_child(SUBMIT_ONCE, str(journal), "shared-1"))
        count, seq = (int(x) for x in out.split())
        # The stale process retries the same decision: it gets the stored records back.
        again = stale.submit(cm.AddObservation(text="from the parent", decision_id="shared-1"))
        assert [r.seq for r in again] == [seq] and len(again) == count
        assert again[0].event.text == "from the child"
        stale.refresh()
        assert [r.decision_id for r in stale.records].count("shared-1") == 1
        assert stale.replayed() == stale.state
    finally:
        stale.close()
    with Journal(journal) as j:
        assert len(j.decision("shared-1")) == 1
    _intact(journal)


def test_two_processes_append_concurrently_without_loss_or_duplicates(
    journal: Path, tmp_path: Path
) -> None:
    with Journal(journal) as j:
        start = j.last_seq()
    count = 60
    go = tmp_path / "go"
    procs = [_child(OBSERVER, str(journal), tag, str(count), str(go)) for tag in ("left", "right")]
    time.sleep(0.05)
    go.touch()
    outs = [_finish(p) for p in procs]
    stale_retries = sum(int(o.split()[0]) for o in outs)
    with Journal(journal) as j:
        records = j.read()
    assert len(records) == start + 2 * count
    ids = [r.decision_id for r in records[start:]]
    assert sorted(ids) == sorted(f"{t}-{i}" for t in ("left", "right") for i in range(count))
    # Each writer's own decisions keep their order.
    for tag in ("left", "right"):
        mine = [int(i.split("-")[1]) for i in ids if i.startswith(tag)]
        assert mine == list(range(count))
    # The writer that finished last saw the whole journal.
    assert max(int(o.split()[1]) for o in outs) == len(records)
    assert stale_retries >= 0  # usually > 0: the writers did collide
    _intact(journal)
    ex = resume_exercise(journal)
    try:
        assert ex.state.observations == 2 * count
        assert ex.replayed() == ex.state
    finally:
        ex.close()


def test_two_terminals_play_hot_seat_like_one(journal: Path) -> None:
    game = load_game(DEFAULT)
    half = len(game.order) // 2
    left, right = ",".join(game.order[:half]), ",".join(game.order[half:])
    procs = [_child(HOTSEAT, str(journal), left), _child(HOTSEAT, str(journal), right)]
    turns = [int(_finish(p)) for p in procs]
    assert all(t > 0 for t in turns)
    _intact(journal)
    shared = resume_exercise(journal)
    try:
        assert shared.state.phase == "ended"
        alone = Exercise.new(game, None, seed=7)
        play_to_end(alone, parse_policies("cooperative", game.order))
        assert [r.event for r in shared.records] == [r.event for r in alone.records]
        assert shared.state == alone.state
    finally:
        shared.close()


def test_replay_of_a_shared_journal_in_a_fresh_process(journal: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tabletop.cli", "replay", str(journal)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0
    assert "Typhoon Haikui" in proc.stdout
