"""A copy of a journal holds the whole exercise: checkpoints at round ends, ``journal export``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tabletop_helpers import Driver

from tabletop.app.journals import resume_exercise
from tabletop.cli import main
from tabletop.engine.game import Game
from tabletop.errors import JournalError
from tabletop.journal import Journal
from tabletop.journal.export import export_journal
from tabletop.model import commands as cm


def events_in_copy(path: Path, tmp_path: Path) -> int:
    """Copy the .tabletop file alone (no -wal, as a user would) and count its events."""
    copy = tmp_path / "copied.tabletop"
    copy.unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    with Journal(copy) as journal:
        return journal.last_seq()


def end_round(d: Driver) -> None:
    first = d.state.round
    while d.state.round == first and d.state.phase == "running":
        d.submit(cm.EndTurn(agency=d.state.active))


def test_round_end_checkpoints_the_journal_into_its_file(game: Game, tmp_path: Path) -> None:
    path = tmp_path / "live.tabletop"
    d = Driver(game, path)
    try:
        end_round(d)
        done = d.ex.last_seq
        assert events_in_copy(path, tmp_path) == done  # the file alone holds round 1
        d.act("monitor", region="linhe")  # within a round: the -wal holds it until the end
        end_round(d)
        assert events_in_copy(path, tmp_path) == d.ex.last_seq
    finally:
        d.ex.close()
    # On close the log is emptied into the file.
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


def test_export_copies_everything_while_the_exercise_runs(game: Game, tmp_path: Path) -> None:
    path = tmp_path / "live.tabletop"
    d = Driver(game, path)
    try:
        d.act("monitor", region="linhe")  # not checkpointed yet
        out = tmp_path / "copy.tabletop"
        assert export_journal(path, out) == d.ex.last_seq
        assert not Path(f"{out}-wal").exists()
        with Journal(out) as copy:
            assert copy.read() == d.ex.records
        # The copy resumes like the original.
        again = resume_exercise(out)
        assert again.state == d.state
        again.close()
        with pytest.raises(JournalError, match="already exists"):
            export_journal(path, out)
        d.act("monitor", region="coastal_city")
        assert export_journal(path, out, overwrite=True) == d.ex.last_seq
    finally:
        d.ex.close()


def test_export_refusals(game: Game, tmp_path: Path) -> None:
    path = tmp_path / "j.tabletop"
    Driver(game, path).ex.close()
    with pytest.raises(JournalError, match="no such journal"):
        export_journal(tmp_path / "missing.tabletop", tmp_path / "o.tabletop")
    with pytest.raises(JournalError, match="does not exist"):
        export_journal(path, tmp_path / "nowhere" / "o.tabletop")
    with pytest.raises(JournalError, match="is a directory"):
        export_journal(path, tmp_path)
    with pytest.raises(JournalError, match="the journal itself"):
        export_journal(path, path, overwrite=True)
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a journal", encoding="utf-8")
    with pytest.raises(JournalError, match="not a tabletop journal"):
        export_journal(foreign, tmp_path / "o.tabletop")
    assert not (tmp_path / "o.tabletop").exists()
    assert not list(tmp_path.glob(".*.part"))


def test_cli_journal_export(game: Game, tmp_path: Path, capsys) -> None:
    path = tmp_path / "j.tabletop"
    d = Driver(game, path)
    n = d.ex.last_seq
    out = tmp_path / "backup.tabletop"
    try:
        assert main(["journal", "export", str(path), str(out)]) == 0
        assert f"{n} events copied" in capsys.readouterr().out
        assert main(["journal", "export", str(path), str(out)]) == 1
        err = capsys.readouterr().err
        assert "already exists" in err and "Traceback" not in err
        assert main(["journal", "export", str(path), str(out), "--force"]) == 0
    finally:
        d.ex.close()
    assert main(["report", str(out), "-f", "json", "-o", str(tmp_path / "r.json")]) == 0
