"""Opening an exercise (:mod:`tabletop.tui.launcher`): start screen lists, problems, new journals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tabletop.app.session import Session
from tabletop.app.workspace import find_journals, find_scenarios
from tabletop.engine.exercise import Exercise
from tabletop.errors import JournalError
from tabletop.loader.game import load_game
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.handover import HandoverScreen
from tabletop.tui.screens.start import StartScreen

SIZE = (120, 40)


def test_find_scenarios_without_duplicates_default_first(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    for p in (one / "a.toml", one / "b.toml", two / "c.toml"):
        p.write_text("", encoding="utf-8")
    assert find_scenarios([one, two, one, tmp_path / "none"]) == [
        one / "a.toml",
        one / "b.toml",
        two / "c.toml",
    ]
    assert find_scenarios([one, two], first=str(two / "c.toml"))[0] == two / "c.toml"
    assert find_scenarios([one], first=str(tmp_path / "elsewhere.toml")) == [
        one / "a.toml",
        one / "b.toml",
    ]


def test_find_journals_newest_first(tmp_path: Path) -> None:
    assert find_journals(tmp_path / "none") == []
    old, new = tmp_path / "old.tabletop", tmp_path / "new.tabletop"
    old.write_text("", encoding="utf-8")
    new.write_text("", encoding="utf-8")
    os.utime(old, (1_000_000, 1_000_000))
    assert find_journals(tmp_path) == [new, old]


def test_session_new_names_or_takes_the_journal(tiny_scenario: Path, tmp_path: Path) -> None:
    game = load_game(tiny_scenario)
    fresh = Session.new(game, seed=3, journal_dir=tmp_path / "journals")
    assert fresh.journal_path is not None
    assert fresh.journal_path.parent == tmp_path / "journals"
    assert fresh.journal_path.name.startswith("tiny-play-")
    assert fresh.state.seed == 3
    fresh.close()
    named = Session.new(game, journal=tmp_path / "mine.tabletop")
    assert named.journal_path == tmp_path / "mine.tabletop"
    named.close()
    with pytest.raises(JournalError, match="already exists"):
        Session.new(game, journal=tmp_path / "mine.tabletop")


async def test_problems_land_on_a_start_screen(tiny_scenario: Path, tmp_path: Path) -> None:
    taken = tmp_path / "taken.tabletop"
    Exercise.new(load_game(tiny_scenario), taken).close()
    app = TabletopApp(scenario_dirs=[], journal_dir=tmp_path, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        launcher = app.launcher
        launcher.start(load_game(tiny_scenario), journal=str(taken))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert isinstance(screen.problems, str) and "already exists" in screen.problems
        launcher.resume(str(tmp_path / "missing.tabletop"))
        await pilot.pause()
        assert app.screen is screen
        assert isinstance(screen.problems, str) and "no such journal" in screen.problems
        launcher.resume(str(taken))
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        # Away from the start screen, a problem brings a new one.
        launcher.show_problems("journal gone")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and app.screen is not screen
        assert app.screen.problems == "journal gone"
