"""Tamper evidence: each event's hash is chained to the previous one.

An edit made with a database tool breaks the chain at the edited event;
``resume`` refuses it, ``replay`` and ``report`` warn and say where, ``journal
check`` names it. Journals of format 1 (no hashes) still read ("no tamper
evidence"). nan and inf never enter a journal.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hostile import edit
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tabletop.app.journals import resume_exercise
from tabletop.cli import main
from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.errors import IllegalCommand, JournalError, JournalTampered
from tabletop.journal import Journal
from tabletop.journal.chain import GENESIS, ChainVerifier, canonical, record_hash
from tabletop.journal.check import check_journal
from tabletop.journal.sqlite import FORMAT_V1
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.events import Record


@pytest.fixture
def journal(game: Game, tmp_path: Path) -> Path:
    path = tmp_path / "ex.tabletop"
    ex = Exercise.new(game, path)
    for i in range(4):
        ex.submit(cm.AddObservation(text=f"note {i}"))
    ex.close()
    return path


def seq_of(path: Path, text: str) -> int:
    with Journal(path) as j:
        return next(r.seq for r in j.read() if getattr(r.event, "text", None) == text)


def test_an_intact_journal_verifies(journal: Path) -> None:
    with Journal(journal) as j:
        records = j.read()
        integrity = j.integrity
    assert integrity is not None and integrity.ok and integrity.chained
    assert integrity.events == len(records)
    db = sqlite3.connect(journal)
    head = db.execute("SELECT hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()[0]
    db.close()
    assert integrity.head == head


def test_an_edited_event_is_found_everywhere(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seq = seq_of(journal, "note 1")
    edit(
        journal,
        "UPDATE events SET payload = replace(payload, 'note 1', 'note X') WHERE seq = ?",
        seq,
    )
    with pytest.raises(JournalTampered) as info:
        resume_exercise(journal)
    assert info.value.seq == seq
    assert f"tamper evidence broken at event {seq} (observation_recorded)" in str(info.value)
    assert main(["replay", str(journal)]) == 0
    assert f"warning: tamper evidence broken at event {seq}" in capsys.readouterr().err
    assert main(["report", str(journal)]) == 0
    out, err = capsys.readouterr()
    assert f"warning: tamper evidence broken at event {seq}" in err
    assert "note X" in out  # the report shows the journal as it is, with the warning
    result = check_journal(journal)
    assert not result.ok and result.integrity is not None and result.integrity.first_bad == seq
    # the rest of the chain still holds: only the edited event is named
    assert main(["journal", "check", str(journal)]) == 1
    out = capsys.readouterr().out
    assert f"broken at event {seq} (observation_recorded)" in out


def test_editing_a_column_breaks_the_chain_too(journal: Path) -> None:
    seq = seq_of(journal, "note 2")
    edit(journal, "UPDATE events SET at = '2000-01-01T00:00:00+00:00' WHERE seq = ?", seq)
    with pytest.raises(JournalTampered) as info:
        resume_exercise(journal)
    assert info.value.seq == seq


def test_a_deleted_event_is_found(journal: Path) -> None:
    seq = seq_of(journal, "note 1")
    edit(journal, "DELETE FROM events WHERE seq = ?", seq)
    with pytest.raises(JournalTampered, match=f"event {seq} is missing"):
        resume_exercise(journal)


def test_appends_continue_the_chain_and_replay_verifies(journal: Path) -> None:
    ex = resume_exercise(journal)
    ex.submit(cm.AddObservation(text="after resume"))
    ex.close()
    again = resume_exercise(journal)
    assert again.integrity is not None and again.integrity.ok
    assert again.integrity.events == len(again.records)
    again.close()


def test_refresh_verifies_what_other_writers_appended(journal: Path) -> None:
    reader = resume_exercise(journal)
    writer = resume_exercise(journal)
    writer.submit(cm.AddObservation(text="from the other terminal"))
    writer.close()
    reader.refresh()
    assert reader.integrity is not None and reader.integrity.ok
    reader.close()


def make_v1(path: Path, records: list[Record]) -> None:
    """A journal as the first format wrote it (no hash column)."""
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE events (seq INTEGER PRIMARY KEY, decision_id TEXT NOT NULL,
            idx INTEGER NOT NULL, kind TEXT NOT NULL, v INTEGER NOT NULL, at TEXT NOT NULL,
            payload TEXT NOT NULL, UNIQUE (decision_id, idx));
        """
    )
    db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT_V1,))
    db.executemany(
        "INSERT INTO events VALUES (?,?,?,?,?,?,?)",
        [
            (r.seq, r.decision_id, i, r.event.kind, r.event.v, r.at, r.event.model_dump_json())
            for i, r in enumerate(records)
        ],
    )
    db.commit()
    db.close()


def test_format_1_journals_read_without_tamper_evidence(
    game: Game, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ex = Exercise.new(game, None)
    ex.submit(cm.AddObservation(text="old"))
    path = tmp_path / "old.tabletop"
    make_v1(path, ex.records)
    old = resume_exercise(path)
    assert old.state == ex.state
    assert old.integrity is not None and not old.integrity.chained and old.integrity.ok
    old.submit(cm.AddObservation(text="appended to a format-1 journal"))
    old.close()
    assert main(["replay", str(path)]) == 0
    assert "no tamper evidence" in capsys.readouterr().err
    assert main(["journal", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "format tabletop-journal/1" in out and "no tamper evidence" in out


def test_nan_and_inf_never_enter_a_journal(journal: Path, game: Game) -> None:
    with pytest.raises(ValidationError):
        cm.Adjudicate(target="regions.coastal_city.hazard", value=float("nan"), reason="x")
    with pytest.raises(ValidationError):
        cm.TakeAction(agency="mem", action="invest_prevention", amount=float("inf"))
    ex = resume_exercise(journal)
    before = list(ex.records)
    region = next(iter(game.scenario.regions))
    sneaky = cm.Adjudicate.model_construct(
        kind="adjudicate",
        decision_id="",
        target=f"regions.{region}.trust",
        value=float("inf"),
        reason="bypassing validation",
    )
    with pytest.raises(IllegalCommand, match="finite"):  # the engine refuses it
        ex.submit(sneaky)
    # and the journal itself refuses an event holding nan (it would read back as null)
    bad = ev.Adjudicated.model_construct(
        kind="adjudicated", v=1, target="x", old=1.0, new=float("nan"), reason="r", round=1
    )
    with pytest.raises(JournalError, match="not a finite number"):
        ex.journal.append([Record(ex.last_seq + 1, "d", "t", bad)], expected_last=ex.last_seq)
    ex.close()
    with Journal(journal) as j:
        assert j.read() == before


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_the_hash_depends_on_content_not_on_key_order(event: dict) -> None:
    reordered = dict(reversed(list(event.items())))
    h = record_hash(GENESIS, 1, "d", 0, "t", "k", 1, event)
    assert h == record_hash(GENESIS, 1, "d", 0, "t", "k", 1, reordered)
    import json

    assert h == record_hash(GENESIS, 1, "d", 0, "t", "k", 1, json.loads(canonical(event)))
    assert h != record_hash(GENESIS, 2, "d", 0, "t", "k", 1, event)


def test_the_verifier_needs_no_database() -> None:
    events = [{"kind": "x", "n": i} for i in range(3)]
    prev, rows = GENESIS, []
    for i, e in enumerate(events, 1):
        prev = record_hash(prev, i, "d", i, "t", "x", 1, e)
        rows.append((i, "d", i, "t", "x", 1, e, prev))
    good = ChainVerifier(True)
    assert all(good.feed(*r) for r in rows) and good.result.ok
    bad = ChainVerifier(True)
    rows[1] = (*rows[1][:6], {"kind": "x", "n": 99}, rows[1][7])
    assert [bad.feed(*r) for r in rows] == [True, False, True]
    assert bad.result.first_bad == 2
