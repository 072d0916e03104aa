"""Roles at the terminal: facilitator keys refused on agency terminals, the PIN on hot-seat."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, SelectionList
from tui_helpers import PIN, dom_text, end_turn, screen_text

from tabletop.app.journals import resume_exercise
from tabletop.app.session import Session
from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.roles import MSG_AGENCY_TERMINAL, MSG_LOCKED
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.facilitator import AdHocInjectForm, AdjudicateForm, ReleaseInjectForm
from tabletop.tui.screens.forms import ConfirmDialog
from tabletop.tui.screens.handover import HandoverScreen
from tabletop.tui.screens.pin import PinDialog, PinSetupDialog
from tabletop.tui.screens.turn import TurnScreen

SIZE = (120, 40)

#: Every facilitator key and the action it asks for.
KEYS = {
    "f2": "pause_toggle",
    "f3": "release_inject",
    "f4": "force_stage",
    "f5": "adjudicate",
    "f6": "observe",
    "f7": "undo_turn",
    "f8": "end_exercise",
    "f9": "adhoc_inject",
}


def refusals(session: Session) -> list[tuple[str, str, str]]:
    return [
        (r.event.action, r.event.seat, r.event.reason)
        for r in session.records
        if r.event.kind == "facilitator_access_refused"
    ]


@pytest.mark.parametrize("key", list(KEYS))
async def test_an_agency_terminal_never_steers(
    key: str, tiny_scenario: Path, tmp_path: Path
) -> None:
    journal = tmp_path / "shared.tabletop"
    host = Exercise.new(load_game(tiny_scenario), journal)
    # Something alpha could undo, and a PIN on the hot-seat terminal: neither helps beta.
    host.submit(cm.TakeAction(agency="alpha", action="monitor", region="downstream"))
    Session(host).set_pin(PIN)
    app = TabletopApp(exercise=resume_exercise(journal), attach_as="beta", poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)
        session = app.session
        assert session is not None
        before = session.state
        fired, stage, events = dict(before.fired), before.stage, before.events
        assert "F3 inject" not in screen_text(app)  # the key bar offers player keys only
        await pilot.press(key)
        await pilot.pause()
        # No dialog, no secret on screen, nothing changed in the game.
        assert isinstance(app.screen, TurnScreen)
        assert not app.screen_stack[-1].query(Select)
        assert "Spare inject" not in screen_text(app)
        st = session.state
        assert (st.paused, st.fired, st.stage, st.phase) == (False, fired, stage, "running")
        assert st.events == events and st.agencies["alpha"].points == 2
        # The attempt is in the journal, with who tried and why it was refused.
        assert refusals(session) == [(KEYS[key], "agency:beta", MSG_AGENCY_TERMINAL)]
        assert any("agency's terminal" in n.message for n in app._notifications)  # noqa: SLF001
        # The command palette offers no facilitator entry either.
        assert list(app.facilitator.system_commands()) == []
        # Submitting the command itself is refused and journaled as well.
        assert not app.submit(cm.Adjudicate(target="regions.upstream.hazard", value=1, reason="x"))
        assert refusals(session)[-1][0] == "adjudicate"
    # Other terminals see the refusals; the host's state is untouched.
    host.refresh()
    assert [r.event.kind for r in host.records[-2:]] == ["facilitator_access_refused"] * 2
    assert host.state == host.replayed()
    host.close()


async def test_hot_seat_asks_for_the_pin(tiny_scenario: Path) -> None:
    now = [0.0]
    ex = Exercise.new(load_game(tiny_scenario), None)
    app = TabletopApp(exercise=ex, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        session.lock.clock = lambda: now[0]
        assert session.set_pin(PIN).ok
        session.lock.lock()
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)

        # A player presses F5: the PIN is asked; a wrong one is refused and journaled.
        await pilot.press("f5")
        dialog = app.screen
        assert isinstance(dialog, PinDialog)
        assert "hidden" not in screen_text(app) and not app.screen.query(AdjudicateForm)
        dialog.query_one("#pin", Input).value = "1357"
        dialog.action_submit()
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)
        assert refusals(session) == [
            ("unlock", "hot-seat (turn of alpha)", "wrong facilitator PIN")
        ]
        # Cancelling the PIN dialog does nothing.
        await pilot.press("f3")
        assert isinstance(app.screen, PinDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)

        # The facilitator's PIN opens the form.
        await pilot.press("f5")
        app.screen.query_one("#pin", Input).value = PIN
        app.screen.action_submit()
        await pilot.pause()
        assert isinstance(app.screen, AdjudicateForm)
        await pilot.press("escape")
        await pilot.pause()
        # Within the unlock period the other keys are not asked again.
        now[0] += 60
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ReleaseInjectForm)
        await pilot.press("escape")
        await pilot.pause()
        # After the period, asked again.
        now[0] += 1000
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PinDialog)
        app.screen.query_one("#pin", Input).value = PIN
        app.screen.action_submit()
        await pilot.pause()
        assert session.state.paused
        await pilot.press("f2")
        assert not session.state.paused

        # A handover locks the role again: the next player cannot use it.
        await end_turn(app, pilot)
        assert isinstance(app.screen, HandoverScreen)
        assert not session.may_steer
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, PinDialog)
        await pilot.press("escape")
        # A facilitator command submitted while locked is refused and journaled.
        assert not app.submit(cm.Pause())
        assert refusals(session)[-1] == ("pause", "hot-seat (turn of beta)", MSG_LOCKED)
        assert not session.state.paused


async def test_a_dialog_left_open_past_the_period_asks_again(tiny_scenario: Path) -> None:
    now = [0.0]
    app = TabletopApp(exercise=Exercise.new(load_game(tiny_scenario), None), poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        session.lock.clock = lambda: now[0]
        assert session.set_pin(PIN).ok
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        now[0] += 1000  # the facilitator wrote the reason slowly
        app.screen.action_submit()
        await pilot.pause()
        assert isinstance(app.screen, PinDialog)
        assert session.state.phase == "running"
        app.screen.query_one("#pin", Input).value = PIN
        app.screen.action_submit()
        await pilot.pause()
        assert session.state.phase == "ended"


async def test_adhoc_inject_from_the_console(tiny_scenario: Path) -> None:
    app = TabletopApp(exercise=Exercise.new(load_game(tiny_scenario), None), poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        assert session.set_pin(PIN).ok
        await pilot.press("f9")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AdHocInjectForm)
        form.action_submit()
        await pilot.pause()
        assert "enter the title" in str(form.query_one("#form-error").render())
        form.query_one("#title", Input).value = "Levee breach rumour"
        form.query_one("#text", Input).value = "Social media says the beta levee broke."
        form.action_submit()
        await pilot.pause()
        assert "choose who receives" in str(form.query_one("#form-error").render())
        form.query_one("#to", SelectionList).select("beta")
        form.query_one("#type", Select).value = "media"
        form.action_submit()
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        e = session.records[-1].event
        assert e.kind == "inject_fired"
        assert (e.inject, e.to, e.private, e.type, e.manual) == (
            "adhoc.1",
            ["beta"],
            True,
            "media",
            True,
        )
        # Private to beta: alpha's screen does not show it, beta's does.
        await pilot.press("enter")
        await pilot.pause()
        assert "Levee breach rumour" not in dom_text(app)
        await end_turn(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Levee breach rumour" in dom_text(app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Facilitator: ad-hoc inject" in titles


async def test_a_new_exercise_starts_with_the_pin(tiny_scenario: Path, tmp_path: Path) -> None:
    from tabletop.journal import Journal
    from tabletop.tui.screens.briefing import BriefingScreen

    journal = tmp_path / "new.tabletop"
    app = TabletopApp(scenario=tiny_scenario, journal=journal, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PinSetupDialog) and not dialog.query("#cancel")
        await pilot.press("escape")  # the PIN is required
        assert isinstance(app.screen, PinSetupDialog)
        await pilot.press(*"12", "enter")
        assert "at least 4" in str(dialog.query_one("#form-error").render())
        await pilot.press(*"46", "enter")  # Enter goes to the second field
        await pilot.press(*"1247", "enter")
        assert "differ" in str(dialog.query_one("#form-error").render())
        await pilot.press(*"1246", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert app.session is not None and app.session.may_steer
    with Journal(journal) as j:
        pins = [r.event for r in j.read() if r.event.kind == "facilitator_pin_set"]
    assert len(pins) == 1 and "1246" not in pins[0].model_dump_json()
    # A resumed hot-seat terminal knows the PIN from the journal.
    again = Session(resume_exercise(journal))
    assert again.lock.has_pin and not again.may_steer
    assert not again.unlock("2468") and again.unlock("1246") and again.may_steer
    again.close()


async def test_the_facilitator_changes_the_pin(tiny_scenario: Path) -> None:
    app = TabletopApp(exercise=Exercise.new(load_game(tiny_scenario), None), poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        assert session.set_pin(PIN).ok
        session.lock.lock()
        app.facilitator.change_pin()
        await pilot.pause()
        assert isinstance(app.screen, PinDialog)  # the current PIN first
        app.screen.query_one("#pin", Input).value = PIN
        app.screen.action_submit()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PinSetupDialog)
        dialog.query_one("#pin", Input).value = "97531"
        dialog.query_one("#again", Input).value = "97531"
        dialog.action_submit()
        await pilot.pause()
        session.lock.lock()
        assert not session.unlock(PIN) and session.unlock("97531")
        pins = [r for r in session.records if r.event.kind == "facilitator_pin_set"]
        assert len(pins) == 2
        # Without the facilitator's role the PIN cannot be changed.
        session.lock.lock()
        assert session.set_pin("0000").refused


async def test_the_debrief_notes_need_no_pin_but_give_no_role(tiny_scenario: Path) -> None:
    ex = Exercise.new(load_game(tiny_scenario), None)
    app = TabletopApp(exercise=ex, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        assert session.set_pin(PIN).ok
        ex.submit(cm.EndExercise(reason="time"))
        session.lock.lock()
        app.after_change()
        await pilot.pause()
        await pilot.press("f6")  # observations at the debrief: no PIN asked
        await pilot.pause()
        assert type(app.screen).__name__ == "ObservationForm"
        await pilot.press("escape")
        assert not session.may_steer  # ... and the facilitator's role was not granted
