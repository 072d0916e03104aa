"""The SQLite journal: durability settings, header event, refusals, idempotency, stale writers."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from tabletop_helpers import SCENARIO, Driver, fixed_clock

from tabletop import ENGINE_VERSION
from tabletop.app.journals import resume_exercise
from tabletop.engine import Exercise
from tabletop.engine.game import Game
from tabletop.errors import JournalError, StaleWriter
from tabletop.journal import Journal
from tabletop.journal.sqlite import FORMAT
from tabletop.loader import load_game
from tabletop.loader.game import sha256_file
from tabletop.model import commands as cm


@pytest.fixture
def journaled(game: Game, tmp_path: Path) -> Driver:
    """A journaled exercise of the default scenario (closed after the test)."""
    d = Driver(game, tmp_path / "ex.tabletop")
    yield d
    d.ex.close()


def test_wal_and_synchronous_full(journaled: Driver) -> None:
    db = journaled.ex.journal._db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("SELECT value FROM meta WHERE key='format'").fetchone()[0] == FORMAT


def test_first_event_records_scenario_hash_engine_version_and_seed(
    game: Game, tmp_path: Path
) -> None:
    d = Driver(game, tmp_path / "ex.tabletop", seed=4242)
    d.ex.close()
    with Journal(tmp_path / "ex.tabletop") as journal:
        first = journal.read()[0]
    e = first.event
    assert (first.seq, e.kind, e.v) == (1, "exercise_started", 1)
    assert e.scenario_hash == sha256_file(SCENARIO) == game.scenario_hash
    assert e.rules_hash == game.rules_hash
    assert e.engine_version == ENGINE_VERSION
    assert e.seed == 4242 and e.scenario_id == "typhoon-two-provinces"
    assert e.order == list(game.order)
    assert first.at == fixed_clock().isoformat()


def test_rows_hold_kind_version_and_json(journaled: Driver) -> None:
    journaled.act("monitor", region="linhe")
    rows = journaled.ex.journal._db.execute(
        "SELECT seq, kind, v, payload FROM events ORDER BY seq"
    ).fetchall()
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    seq, kind, v, payload = rows[-1]
    assert (kind, v) == ("action_taken", 2)
    assert json.loads(payload)["region"] == "linhe"


def test_every_decision_is_on_disk_before_submit_returns(journaled: Driver, tmp_path: Path) -> None:
    journaled.act("monitor", region="linhe")
    with Journal(tmp_path / "ex.tabletop") as other:
        assert [r.event for r in other.read()] == journaled.events


def test_resume_folds_to_the_same_state(journaled: Driver, tmp_path: Path) -> None:
    journaled.act("activate_response", level="2")
    journaled.next_round()
    journaled.act("monitor", region="linhe")
    journaled.submit(cm.UndoTurn())
    live = journaled.state
    again = resume_exercise(tmp_path / "ex.tabletop", clock=fixed_clock)
    try:
        assert again.state == live
        assert again.last_seq == journaled.ex.last_seq
        # The resumed exercise goes on where the original stopped.
        again.submit(cm.TakeAction(agency="mem", action="monitor", region="reservoir"))
    finally:
        again.close()


def test_unknown_future_event_version_is_refused(journaled: Driver, tmp_path: Path) -> None:
    db = journaled.ex.journal._db
    db.execute("UPDATE events SET v = 99 WHERE seq = 3")
    with pytest.raises(JournalError) as info:
        resume_exercise(tmp_path / "ex.tabletop")
    assert str(info.value) == (
        f"{tmp_path / 'ex.tabletop'}: event 3 (round_started) has version 99; "
        "this engine reads up to 2: upgrade tabletop"
    )


def test_unreadable_event_is_refused(journaled: Driver, tmp_path: Path) -> None:
    journaled.ex.journal._db.execute(
        'UPDATE events SET payload = \'{"kind": "meteor"}\' WHERE seq = 2'
    )
    with (
        Journal(tmp_path / "ex.tabletop") as journal,
        pytest.raises(JournalError, match=r"event 2 \(stage_changed\) is unreadable"),
    ):
        journal.read()


def test_changed_scenario_is_refused_on_resume(project_copy: Path, tmp_path: Path) -> None:
    # A name of its own: an unchanged file of the same name in the project would be used.
    scenario = project_copy / "scenarios" / "mine.toml"
    scenario.write_bytes((project_copy / "scenarios" / SCENARIO.name).read_bytes())
    journal = tmp_path / "copy.tabletop"
    Driver(load_game(scenario), journal).ex.close()
    scenario.write_text(scenario.read_text().replace("seed = 20261124", "seed = 1"))
    with pytest.raises(JournalError) as info:
        resume_exercise(journal)
    assert str(info.value) == (
        f"{journal}: the scenario file {scenario} changed since the exercise started; "
        "restore it (the journal records its sha256) to resume"
    )


def test_changed_rule_pack_is_refused_on_resume(project_copy: Path, tmp_path: Path) -> None:
    scenario = project_copy / "scenarios" / SCENARIO.name
    rules = project_copy / "rules" / "standard.toml"
    journal = tmp_path / "copy.tabletop"
    Driver(load_game(scenario), journal).ex.close()
    rules.write_text(rules.read_text().replace("harm_rate = 0.5", "harm_rate = 0.6"))
    with pytest.raises(
        JournalError, match="the rule pack of .* changed since the exercise started"
    ):
        resume_exercise(journal)


def test_resume_finds_a_relative_scenario_from_another_directory(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project_copy)
    journal = project_copy / "journals" / "rel.tabletop"
    journal.parent.mkdir()
    d = Driver(load_game(Path("scenarios") / SCENARIO.name), journal)
    d.act("monitor", region="linhe")
    d.ex.close()
    monkeypatch.chdir(tmp_path)
    again = resume_exercise(journal)
    try:
        assert again.state == d.state
    finally:
        again.close()


def test_non_journal_files_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a journal\n" * 20)
    with pytest.raises(JournalError, match="not a tabletop journal"):
        Journal(text)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(JournalError, match=r"not a tabletop journal \(no such table: meta\)"):
        Journal(other)
    with pytest.raises(JournalError, match="no such journal"):
        Journal(tmp_path / "missing.tabletop")
    with pytest.raises(JournalError, match="has no exercise_started event"):
        Journal(tmp_path / "empty.tabletop", create=True).close()
        resume_exercise(tmp_path / "empty.tabletop")


def test_a_journal_of_another_format_is_refused(journaled: Driver, tmp_path: Path) -> None:
    journaled.ex.journal._db.execute("UPDATE meta SET value = 'tabletop-journal/9'")
    with pytest.raises(JournalError, match="unknown journal format tabletop-journal/9"):
        Journal(tmp_path / "ex.tabletop")


def test_a_refused_sqlite_file_is_left_untouched(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(JournalError):
        Journal(other)
    db = sqlite3.connect(other)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        db.close()


def test_create_refuses_an_existing_journal_with_events(journaled: Driver, tmp_path: Path) -> None:
    with pytest.raises(JournalError):
        Journal(tmp_path / "ex.tabletop", create=True)


def test_a_journal_in_a_missing_folder_says_so(game: Game, tmp_path: Path) -> None:
    with pytest.raises(JournalError) as info:
        Exercise.new(game, tmp_path / "missing" / "ex.tabletop")
    assert "not a tabletop journal" not in str(info.value)


def test_new_refuses_an_existing_file(journaled: Driver, game: Game, tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="already exists; resume it or choose another file"):
        Exercise.new(game, tmp_path / "ex.tabletop")


def test_duplicate_decision_id_is_stored_once(journaled: Driver, tmp_path: Path) -> None:
    command = cm.TakeAction(agency="mem", action="monitor", region="linhe", decision_id="mem-1")
    first = journaled.ex.submit(command)
    second = journaled.ex.submit(command)
    assert second == first
    assert journaled.state.agencies["mem"].points == 2
    rows = journaled.ex.journal._db.execute(
        "SELECT COUNT(*) FROM events WHERE decision_id = 'mem-1'"
    ).fetchone()
    assert rows[0] == 1
    # Another process retrying the same decision gets the stored records too.
    again = resume_exercise(tmp_path / "ex.tabletop")
    try:
        assert [r.seq for r in again.submit(command)] == [r.seq for r in first]
        assert len(again.records) == len(journaled.ex.records)
    finally:
        again.close()


def test_journal_append_refuses_a_stored_decision(journaled: Driver) -> None:
    journal = journaled.ex.journal
    last = journaled.ex.records[-1]
    from tabletop.model.events import Record

    copy = Record(journal.last_seq() + 1, last.decision_id, last.at, last.event)
    with pytest.raises(JournalError, match="decision already stored"):
        journal.append([copy], expected_last=journal.last_seq())


def test_stale_writer(journaled: Driver, tmp_path: Path) -> None:
    other = resume_exercise(tmp_path / "ex.tabletop")
    try:
        journaled.act("monitor", region="linhe")
        n = len(other.records)
        with pytest.raises(StaleWriter, match="another writer appended"):
            other.submit(cm.TakeAction(agency="mem", action="monitor", region="reservoir"))
        assert len(other.records) == n  # nothing applied
        # After reading what the other terminal wrote, the second writer goes on.
        assert [r.event.kind for r in other.refresh()] == ["action_taken"]
        assert other.state == journaled.state
        other.submit(cm.TakeAction(agency="mem", action="monitor", region="reservoir"))
    finally:
        other.close()


def test_refresh_refolds_after_an_undo_elsewhere(journaled: Driver, tmp_path: Path) -> None:
    other = resume_exercise(tmp_path / "ex.tabletop")
    try:
        journaled.act("monitor", region="linhe")
        journaled.submit(cm.UndoTurn())
        other.refresh()
        assert other.state == journaled.state
        assert other.state.agencies["mem"].points == 3
    finally:
        other.close()


def test_a_copied_journal_resumes(journaled: Driver, tmp_path: Path) -> None:
    journaled.act("monitor", region="linhe")
    journaled.ex.close()
    shutil.copy(tmp_path / "ex.tabletop", tmp_path / "copy.tabletop")
    again = resume_exercise(tmp_path / "copy.tabletop")
    try:
        assert again.state == journaled.state
    finally:
        again.close()


def test_retry_of_a_decision_another_terminal_stored_updates_the_state(
    journaled: Driver, tmp_path: Path
) -> None:
    other = resume_exercise(tmp_path / "ex.tabletop")
    try:
        command = cm.TakeAction(agency="mem", action="monitor", region="linhe", decision_id="k-1")
        journaled.ex.submit(command)
        records = other.submit(command)
        assert [r.event.kind for r in records] == ["action_taken"]
        assert other.state == journaled.state
    finally:
        other.close()
