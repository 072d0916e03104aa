"""Damaged journals: a clear "journal damaged" message, never an internal error.

Seeded damage (bytes flipped, the file cut short, a page overwritten) is given
to ``replay``, ``report``, ``journal check`` and :meth:`Exercise.resume`; and to
the TUI, whose start screen shows the message instead of dying.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hostile import edit

from tabletop.app.journals import resume_exercise
from tabletop.bots import parse_policies, play_to_end
from tabletop.cli import main
from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.errors import JournalDamaged, JournalError
from tabletop.journal.check import check_journal
from tabletop.model import commands as cm
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.start import StartScreen


@pytest.fixture(scope="module")
def played(game: Game, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a journal of a whole cooperative exercise (WAL checkpointed)."""
    path = tmp_path_factory.mktemp("played") / "ex.tabletop"
    ex = Exercise.new(game, path)
    play_to_end(ex, parse_policies("cooperative", ex.state.order))
    ex.close()
    return path.read_bytes()


def damaged(original: bytes, case: int) -> bytes:
    """One seeded damage of three kinds: flipped bytes, cut short, a page of garbage."""
    rng = random.Random(case)
    b = bytearray(original)
    if case % 3 == 0:
        for _ in range(rng.randint(1, 40)):
            b[rng.randrange(100, len(b))] = rng.randrange(256)
    elif case % 3 == 1:
        b = b[: rng.randrange(len(b))]
    else:
        off = rng.randrange(0, len(b) - 4096)
        b[off : off + 4096] = rng.randbytes(4096)
    return bytes(b)


@pytest.mark.parametrize("case", range(30))
def test_damaged_journals_get_a_clear_message(
    case: int, played: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ex.tabletop"
    path.write_bytes(damaged(played, case))
    codes = {}
    for argv in (["replay", str(path)], ["report", str(path)], ["journal", "check", str(path)]):
        codes[argv[0]] = main(argv)
        out, err = capsys.readouterr()
        assert "internal error" not in err and "Traceback" not in err, (argv, err)
        if codes[argv[0]] == 1 and argv[0] != "journal":
            assert f"{path}:" in err
    try:
        resume_exercise(path).close()
        resumed = True
    except JournalError:  # a TabletopError: shown as a message everywhere
        resumed = False
    # check is never more optimistic than resume and replay
    if check_journal(path).ok:
        assert resumed and codes["replay"] == 0 and codes["journal"] == 0
    else:
        assert codes["journal"] == 1


def test_an_unreadable_row_is_journal_damaged_and_check_counts_the_rest(
    game: Game, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ex.tabletop"
    ex = Exercise.new(game, path)
    for i in range(3):
        ex.submit(cm.AddObservation(text=f"note {i}"))
    n = ex.last_seq
    ex.close()
    edit(path, "UPDATE events SET payload = '{not json' WHERE seq = ?", n - 1)
    with pytest.raises(
        JournalDamaged, match=rf"event {n - 1} \(observation_recorded\) is unreadable"
    ):
        resume_exercise(path)
    result = check_journal(path)
    assert not result.ok and result.readable == n - 2
    assert main(["journal", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"the first {n - 2} of {n} readable" in out
    assert "1 more readable after it" in out
    assert "journal damaged or edited" in out


def test_sqlite_errors_while_reading_are_journal_damaged(
    game: Game, tmp_path: Path, played: bytes
) -> None:
    path = tmp_path / "ex.tabletop"
    b = bytearray(played)
    # Overwrite the end of the file (event pages) but keep the header and schema.
    b[len(b) // 2 :] = b"\xff" * (len(b) - len(b) // 2)
    path.write_bytes(bytes(b))
    with pytest.raises(JournalError) as info:
        resume_exercise(path)
    assert "internal error" not in str(info.value)
    assert "journal check" in str(info.value)


def test_check_says_intact_for_a_good_journal(
    played: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ex.tabletop"
    path.write_bytes(played)
    path.chmod(0o600)
    assert main(["journal", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "SQLite integrity check: ok" in out
    assert "tamper evidence verified" in out
    assert "sha256 matches" in out
    assert out.rstrip().endswith("journal intact")


def test_check_changes_nothing(played: bytes, tmp_path: Path) -> None:
    path = tmp_path / "ex.tabletop"
    path.write_bytes(played)
    before = path.read_bytes()
    check_journal(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ex.tabletop"]


def test_journal_without_subcommand_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["journal"]) == 2
    assert "check" in capsys.readouterr().out


async def test_the_start_screen_shows_a_damaged_journal(played: bytes, tmp_path: Path) -> None:
    path = tmp_path / "ex.tabletop"
    b = bytearray(played)
    b[len(b) // 2 :] = b"\xff" * (len(b) - len(b) // 2)
    path.write_bytes(bytes(b))
    app = TabletopApp(scenario_dirs=[], journal_dir=tmp_path, poll_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.launcher.resume(str(path))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert isinstance(screen.problems, str) and str(path) in screen.problems
        assert "journal check" in screen.problems


def test_text_that_is_not_utf8_names_its_event(game: Game, tmp_path: Path) -> None:
    path = tmp_path / "ex.tabletop"
    ex = Exercise.new(game, path)
    ex.submit(cm.AddObservation(text="caf\u00e9"))
    n = ex.last_seq
    ex.close()
    # The observation's JSON with one byte that is not UTF-8 (a flipped bit on disk).
    edit(
        path,
        "UPDATE events SET payload = CAST(replace(payload, 'caf', X'ff') AS TEXT) WHERE seq = ?",
        n,
    )
    with pytest.raises(JournalError) as info:
        resume_exercise(path)
    assert f"event {n} (observation_recorded)" in str(info.value)
    # read with U+FFFD in place of the byte: the hash no longer matches, at that event
    result = check_journal(path)
    assert not result.ok and result.readable == n
    assert result.integrity is not None and result.integrity.first_bad == n
