"""The facilitator console (:class:`tabletop.tui.facilitator_actions.FacilitatorConsole`)."""

from __future__ import annotations

from pathlib import Path

from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.tui.app import TabletopApp
from tabletop.tui.facilitator_actions import FACILITATOR_ACTIONS
from tabletop.tui.screens.start import StartScreen

SIZE = (120, 40)


def test_console_actions_are_the_apps_function_keys() -> None:
    bound = {b.action for b in TabletopApp.BINDINGS} - {"help"}  # type: ignore[union-attr]
    assert bound == FACILITATOR_ACTIONS
    assert all(callable(getattr(TabletopApp, f"action_{a}")) for a in FACILITATOR_ACTIONS)


async def test_without_an_exercise_the_console_is_off(tmp_path: Path) -> None:
    app = TabletopApp(scenario_dirs=[], journal_dir=tmp_path, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        console = app.facilitator
        assert not any(console.allowed(a) for a in FACILITATOR_ACTIONS)
        assert console.allowed("quit")
        assert list(console.system_commands()) == []
        console.pause_toggle()
        console.observe()
        console.end_exercise()
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        messages = [n.message for n in app._notifications]  # noqa: SLF001
        assert messages == ["No exercise is running."] * 3


async def test_the_console_follows_the_exercise(tiny_scenario: Path) -> None:
    app = TabletopApp(exercise=Exercise.new(load_game(tiny_scenario), None), poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        console = app.facilitator
        assert all(console.allowed(a) for a in FACILITATOR_ACTIONS)
        titles = [c.title for c in console.system_commands()]
        assert titles[0] == "Facilitator: pause" and len(titles) == 10
        assert session.set_pin("2468").ok  # the facilitator's role, for the unlock period
        console.pause_toggle()
        assert session.state.paused
        assert [c.title for c in console.system_commands()][0] == "Facilitator: resume"
        console.pause_toggle()
        assert not session.state.paused
        console.undo_turn()  # nothing to undo: said, not asked
        await pilot.pause()
        assert any(n.title == "Cannot undo" for n in app._notifications)  # noqa: SLF001
        app.submit(cm.EndExercise(reason="done"))
        await pilot.pause()
        assert console.allowed("observe")
        assert not any(console.allowed(a) for a in FACILITATOR_ACTIONS - {"observe"})
