"""What a journal points to, and how it is created.

A journal's recorded scenario path is read only as a regular file of bounded
size, compared by sha256 before any parsing, never echoed; a new journal is
complete or absent (schema and first events in one transaction, then linked
into place), a scenario that fails at its start leaves no journal, and journals
(with their ``-wal``) are readable by their owner only.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hostile import rewrite

from tabletop.app.journals import resume_exercise
from tabletop.cli import main
from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.errors import IllegalCommand, JournalError, ScenarioError
from tabletop.files import MAX_SOURCE_BYTES, FileTooLarge, NotRegularFile, read_regular
from tabletop.loader.game import load_game
from tabletop.model import commands as cm

ROOT = Path(__file__).resolve().parents[2]
SECRET = "TABLETOP_TEST_SECRET=hunter2"


def pointing_to(tmp_path: Path, game: Game, target: str) -> Path:
    """A journal whose exercise_started names ``target`` (hashes recomputed)."""
    path = tmp_path / f"to-{abs(hash(target))}.tabletop"
    Exercise.new(game, path).close()
    rewrite(path, 1, lambda e: e.update(scenario_path=target))
    return path


def resume_within(path: Path, seconds: float = 20.0) -> BaseException | None:
    """Resume in a thread; fail the test if it blocks. Returns what it raised."""
    out: list[BaseException | None] = []

    def work() -> None:
        try:
            resume_exercise(path).close()
            out.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            out.append(exc)

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "resume blocked"
    return out[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_recorded_fifo_or_device_is_never_read(tmp_path: Path, game: Game) -> None:
    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)
    for target in (str(fifo), "/dev/zero"):
        exc = resume_within(pointing_to(tmp_path, game, target))
        assert isinstance(exc, JournalError)
        assert "cannot find the scenario" in str(exc)


def test_a_recorded_foreign_file_is_never_echoed(
    tmp_path: Path, game: Game, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.toml"
    secret.write_text(f'{SECRET}\n[scenario\nbroken = "toml"\n', encoding="utf-8")
    journal = pointing_to(tmp_path, game, str(secret))
    exc = resume_within(journal)
    assert isinstance(exc, JournalError)
    assert "changed since the exercise started" in str(exc)
    assert "hunter2" not in str(exc)
    for argv in (
        ["replay", str(journal)],
        ["report", str(journal)],
        ["journal", "check", str(journal)],
    ):
        main(argv)
        out, err = capsys.readouterr()
        assert "hunter2" not in out + err, argv


def test_read_regular_refuses_devices_fifos_and_large_files(tmp_path: Path) -> None:
    with pytest.raises(NotRegularFile):
        read_regular("/dev/zero")
    big = tmp_path / "big.toml"
    with big.open("wb") as fh:
        fh.truncate(MAX_SOURCE_BYTES + 1)
    with pytest.raises(FileTooLarge):
        read_regular(big)
    assert read_regular(big, limit=MAX_SOURCE_BYTES + 1) == b"\0" * (MAX_SOURCE_BYTES + 1)


def test_validate_refuses_a_large_file_with_a_message(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"# x\n" * (MAX_SOURCE_BYTES // 4 + 1))
    with pytest.raises(ScenarioError, match="file too large"):
        load_game(big)


def test_a_scenario_that_fails_at_start_leaves_no_journal(
    tmp_path: Path, game: Game, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tabletop.engine.exercise as exercise

    def refuse(*args: object, **kw: object) -> None:
        raise IllegalCommand("the scenario cannot start")

    monkeypatch.setattr(exercise, "decide_in_place", refuse)
    path = tmp_path / "ex.tabletop"
    with pytest.raises(IllegalCommand):
        Exercise.new(game, path)
    assert list(tmp_path.iterdir()) == []


KILLED = """
import os, signal, sys
from tabletop.engine.exercise import Exercise
from tabletop.app.journals import resume_exercise
from tabletop.loader.game import load_game

game = load_game(sys.argv[1])
os.link = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)  # killed before the link
Exercise.new(game, sys.argv[2])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_kill_during_creation_leaves_no_journal_and_the_path_reusable(
    tmp_path: Path, game: Game
) -> None:
    path = tmp_path / "ex.tabletop"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLED,
            str(ROOT / "scenarios" / "typhoon-two-provinces.toml"),
            str(path),
        ],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -9
    assert not path.exists()
    leftovers = [p.name for p in tmp_path.iterdir()]
    assert all(name.startswith(".ex.tabletop.") and ".partial" in name for name in leftovers)
    ex = Exercise.new(game, path)  # the path can be used again
    ex.close()
    again = resume_exercise(path)
    assert again.records[0].event.kind == "exercise_started"
    again.close()


def test_create_refuses_a_path_taken_meanwhile(tmp_path: Path, game: Game) -> None:
    path = tmp_path / "ex.tabletop"
    real_link = os.link

    def racing_link(src: str, dst: str) -> None:
        Path(dst).write_bytes(b"someone else's")
        real_link(src, dst)

    import tabletop.journal.sqlite as sqlite_mod

    original = sqlite_mod.os.link
    sqlite_mod.os.link = racing_link  # type: ignore[assignment]
    try:
        with pytest.raises(JournalError, match="already exists"):
            Exercise.new(game, path)
    finally:
        sqlite_mod.os.link = original  # type: ignore[assignment]
    assert path.read_bytes() == b"someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["ex.tabletop"]


def test_journals_are_created_mode_0600(tmp_path: Path, game: Game) -> None:
    old = os.umask(0)
    try:
        ex = Exercise.new(game, tmp_path / "ex.tabletop")
        ex.submit(cm.AddObservation(text="note"))
        files = [p for p in tmp_path.iterdir() if p.name.startswith("ex.tabletop")]
        assert tmp_path / "ex.tabletop-wal" in files  # the WAL holds the last decisions
        for p in files:
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
        ex.close()
    finally:
        os.umask(old)
