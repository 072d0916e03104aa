"""Which screen is up (:class:`tabletop.tui.flow.ScreenFlow`): briefing, handover, turn, debrief."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import dom_text

from tabletop.app.session import Session
from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.briefing import BriefingScreen
from tabletop.tui.screens.debrief import DebriefScreen
from tabletop.tui.screens.facilitator import ObservationForm
from tabletop.tui.screens.handover import HandoverScreen

SIZE = (120, 40)


async def test_one_turn_screen_per_session_emptied_between_agencies(tiny_scenario: Path) -> None:
    app = TabletopApp(exercise=Exercise.new(load_game(tiny_scenario), None), poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        flow = app.flow
        assert isinstance(app.screen, HandoverScreen)
        turn = flow.turn_screen(session)
        assert turn in app.screen_stack and turn.viewer is None  # empty under the handover
        flow.show_turn(session, "alpha")
        await pilot.pause()
        assert app.screen is turn and turn.viewer == "alpha"
        assert "Alpha private briefing" in dom_text(app)
        app.submit(cm.EndTurn(agency="alpha"))  # the app asks the flow for beta's handover
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen) and app.screen.agency == "beta"
        assert flow.turn_screen(session) is turn
        assert turn.viewer is None
        assert "Alpha private briefing" not in dom_text(app)

        # A dialog is not a base screen.
        app.push_screen(ObservationForm(session.game, session.state, session.check))
        await pilot.pause()
        assert flow.base_screen() is app.screen_stack[-2]
        flow.go(turn)  # closes the dialog and the handover
        await pilot.pause()
        assert app.screen is turn

        # Another session gets a turn screen of its own.
        other = Session(Exercise.new(load_game(tiny_scenario), None))
        flow.enter(other, briefing=True)
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert flow.turn_screen(other) is not turn
        other.close()


async def test_an_ended_exercise_goes_to_the_debrief(tiny_scenario: Path) -> None:
    app = TabletopApp(exercise=Exercise.new(load_game(tiny_scenario), None), poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        app.flow.show_turn(session, "alpha")
        await pilot.pause()
        session.exercise.submit(cm.EndExercise(reason="time is up"))  # as the facilitator
        app.flow.after_change(session)
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert app.flow.turn_screen(session).viewer is None
        debrief = app.screen
        app.flow.after_change(session)  # already there: refreshed, not replaced
        await pilot.pause()
        assert app.screen is debrief
