"""The facilitator console: F-keys and command palette entries over the engine's commands."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select
from tui_helpers import screen_text

from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.debrief import DebriefScreen
from tabletop.tui.screens.facilitator import (
    AdjudicateForm,
    ForceStageForm,
    ObservationForm,
    ReleaseInjectForm,
)
from tabletop.tui.screens.forms import ConfirmDialog
from tabletop.tui.screens.handover import HandoverScreen
from tabletop.tui.screens.pin import PinSetupDialog
from tabletop.tui.screens.turn import TurnScreen

SIZE = (120, 40)


def last_kind(app: TabletopApp) -> str:
    assert app.session is not None
    return app.session.records[-1].event.kind


async def test_facilitator_console(tiny_scenario: Path) -> None:
    ex = Exercise.new(load_game(tiny_scenario), None)
    app = TabletopApp(exercise=ex, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)
        session = app.session
        assert session is not None

        # F2 pauses: nobody may act; F2 again resumes. With no PIN in the journal yet,
        # the first facilitator key asks the facilitator to choose one.
        await pilot.press("f2")
        dialog = app.screen
        assert isinstance(dialog, PinSetupDialog)
        dialog.query_one("#pin", Input).value = "2468"
        dialog.query_one("#again", Input).value = "2468"
        dialog.action_submit()
        await pilot.pause()
        assert session.state.paused
        assert "PAUSED" in screen_text(app)
        assert not app.submit(cm.TakeAction(agency="alpha", action="monitor", region="upstream"))
        await pilot.press("f2")
        assert not session.state.paused

        # F3 releases an inject that has not fired.
        await pilot.press("f3")
        form = app.screen
        assert isinstance(form, ReleaseInjectForm)
        form.query_one("#inject", Select).value = "spare"
        form.action_submit()
        await pilot.pause()
        assert "spare" in session.state.fired
        assert "Spare inject" in screen_text(app)

        # F7 undoes the active agency's decisions of this turn (after a confirmation).
        assert app.submit(cm.TakeAction(agency="alpha", action="monitor", region="downstream"))
        assert session.state.agencies["alpha"].points == 2
        await pilot.press("f7")
        assert isinstance(app.screen, ConfirmDialog)
        app.screen.action_submit()
        await pilot.pause()
        assert last_kind(app) == "turn_undone"
        assert session.state.agencies["alpha"].points == 3
        assert "(undone)" in screen_text(app)

        # F5 adjudicates a value with a reason.
        await pilot.press("f5")
        form = app.screen
        assert isinstance(form, AdjudicateForm)
        form.query_one("#target", Select).value = "regions.upstream.hazard"
        await pilot.pause()
        assert form.query_one("#value", Input).value == "0.2"
        form.query_one("#value", Input).value = "0.5"
        form.action_submit()
        await pilot.pause()
        assert isinstance(app.screen, AdjudicateForm)  # the reason is missing
        form.query_one("#reason", Input).value = "the dam report was late"
        form.action_submit()
        await pilot.pause()
        assert session.state.regions["upstream"].hazard == 0.5

        # F6 records an observation.
        await pilot.press("f6")
        form = app.screen
        assert isinstance(form, ObservationForm)
        form.query_one("#text", Input).value = "alpha hesitates to share"
        form.query_one("#agency", Select).value = "alpha"
        form.action_submit()
        await pilot.pause()
        assert last_kind(app) == "observation_recorded"

        # F4 forces a stage, with a reason.
        await pilot.press("f4")
        form = app.screen
        assert isinstance(form, ForceStageForm)
        form.query_one("#stage", Select).value = "outbreak"
        form.query_one("#reason", Input).value = "speed up"
        form.action_submit()
        await pilot.pause()
        assert session.state.stage == "outbreak"
        assert "Outbreak (operation)" in screen_text(app)

        # The same console is in the command palette.
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for word in (
            "pause",
            "release inject",
            "force stage",
            "adjudicate",
            "undo",
            "end exercise",
        ):
            assert any(word in t for t in titles), word

        # F8 ends the exercise: the debrief follows.
        await pilot.press("f8")
        assert isinstance(app.screen, ConfirmDialog)
        app.screen.action_submit()
        await pilot.pause()
        assert session.state.phase == "ended"
        assert isinstance(app.screen, DebriefScreen)
        assert "ended by facilitator" in screen_text(app)
        # Evaluators may still add observations at the debrief.
        await pilot.press("f6")
        form = app.screen
        assert isinstance(form, ObservationForm)
        form.query_one("#text", Input).value = "late note from the evaluator"
        form.action_submit()
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert "late note from the evaluator" in screen_text(app)
