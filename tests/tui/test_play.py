"""The terminal UI end to end: a whole short exercise, hot-seat privacy, resume, attach."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, SelectionList
from tui_helpers import dom_text, screen_text, set_start_pin

from tabletop.app.journals import resume_exercise
from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.briefing import BriefingScreen
from tabletop.tui.screens.debrief import DebriefScreen
from tabletop.tui.screens.forms import ActionForm, ConfirmDialog
from tabletop.tui.screens.handover import HandoverScreen
from tabletop.tui.screens.proposal import ProposalForm, ProposalScreen
from tabletop.tui.screens.results import RoundResultsScreen
from tabletop.tui.screens.start import StartScreen
from tabletop.tui.screens.turn import TurnScreen
from tabletop.tui.widgets.choice import ChoiceField
from tabletop.tui.widgets.commitment import CommitmentRow

SIZE = (120, 40)


def kinds(app: TabletopApp) -> list[str]:
    assert app.session is not None
    return [r.event.kind for r in app.session.records]


async def reveal(app: TabletopApp, pilot, agency: str) -> TurnScreen:
    """From the handover screen of ``agency``, press Enter and return its turn screen.

    After the last turn of a round the round's results come first: Enter goes on.
    """
    if isinstance(app.screen, RoundResultsScreen):
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(app.screen, HandoverScreen), type(app.screen)
    assert app.screen.agency == agency
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, TurnScreen)
    assert app.screen.viewer == agency
    return app.screen


async def end_turn(app: TabletopApp, pilot) -> None:
    """ctrl+e; confirm with Enter when action points are left."""
    assert isinstance(app.screen, TurnScreen)
    app.screen.action_end_turn()
    await pilot.pause()
    if isinstance(app.screen, ConfirmDialog):
        await pilot.press("enter")
        await pilot.pause()


async def start(app: TabletopApp, pilot) -> None:
    await set_start_pin(pilot)
    assert isinstance(app.screen, BriefingScreen)
    await pilot.press("enter")
    await pilot.pause()


async def test_full_exercise_with_agreement_and_broken_commitment(
    tiny_scenario: Path, tmp_path: Path
) -> None:
    journal = tmp_path / "full.tabletop"
    app = TabletopApp(scenario=tiny_scenario, journal=journal, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)

        # Round 1, alpha: a proposal with a concrete commitment owed by beta.
        turn = await reveal(app, pilot, "alpha")
        text = screen_text(app)
        assert "Secret alpha memo" in text
        assert "Alpha private briefing" in text
        assert "Secret alpha memo" in dom_text(app)  # the check below can see it
        turn.choose_action("propose_agreement")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProposalForm)
        form.query_one("#p-title", Input).value = "Rescue for upstream"
        form.query_one("#p-parties", SelectionList).select("beta")
        row = form.query_one(CommitmentRow)
        row.set_values(
            debtor="beta",
            creditor="alpha",
            deliverable="deliver",
            resource="rescue",
            amount=3,
            region="upstream",
            due_round=2,
        )
        form.action_submit()
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)
        assert "proposal_made" in kinds(app)
        assert app.session is not None
        assert app.session.state.agencies["alpha"].points == 2
        await end_turn(app, pilot)

        # Handover: alpha's private inbox and briefing are gone from the screen and the DOM.
        assert isinstance(app.screen, HandoverScreen)
        hidden = dom_text(app)
        assert "Secret alpha memo" not in hidden
        assert "Alpha private briefing" not in hidden
        assert "Alpha Water Bureau" not in hidden
        text = screen_text(app)
        assert "Beta County" in text
        assert "Secret alpha memo" not in text
        assert "Alpha private briefing" not in text

        # Beta accepts.
        turn = await reveal(app, pilot, "beta")
        text = screen_text(app)
        assert "Secret alpha memo" not in text
        assert "spillway" not in text
        assert "Beta private briefing" in text
        assert "Secret alpha memo" not in dom_text(app)
        assert "P1" in text
        turn.open_proposal("P1")
        await pilot.pause()
        assert isinstance(app.screen, ProposalScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)
        assert "agreement_activated" in kinds(app)
        await end_turn(app, pilot)

        # Round 2: nobody delivers, so the commitment due in round 2 is broken.
        assert app.session.state.round == 2
        for agency in ("alpha", "beta"):
            await reveal(app, pilot, agency)
            await end_turn(app, pilot)
        broken = [
            r.event
            for r in app.session.records
            if r.event.kind == "commitment_resolved" and r.event.status == "broken"
        ]
        assert len(broken) == 1
        # Rounds 3 and 4 (continuation, recovery), then the debrief.
        for _ in range(2):
            for agency in ("alpha", "beta"):
                await reveal(app, pilot, agency)
                await end_turn(app, pilot)
        assert app.session.state.phase == "ended"
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "Debrief" in text
        assert "full.tabletop" in text
    # Everything the screen acknowledged is in the journal.
    replayed = resume_exercise(journal)
    try:
        assert replayed.state.phase == "ended"
        assert any(r.event.kind == "agreement_activated" for r in replayed.records)
    finally:
        replayed.close()


async def test_action_form_and_refusals_are_notifications(
    tiny_scenario: Path, tmp_path: Path
) -> None:
    app = TabletopApp(scenario=tiny_scenario, journal=tmp_path / "j.tabletop", poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        turn = await reveal(app, pilot, "alpha")
        turn.choose_action("deploy")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        form.query_one("#param-region", ChoiceField).value = "upstream"
        form.query_one("#param-resource", ChoiceField).value = "rescue"
        form.query_one("#param-amount", Input).value = "99"
        form.action_submit()
        await pilot.pause()
        # The engine's reason is shown in the form, which stays open.
        assert isinstance(app.screen, ActionForm)
        assert "more than" in str(form.query_one("#form-error").render())
        form.query_one("#param-amount", Input).value = "2"
        form.action_submit()
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)
        assert app.session is not None
        assert app.session.state.agencies["alpha"].resources["rescue"] == 8
        # A refused decision is a notification, never a traceback.
        assert app.submit(cm.EndTurn(agency="beta")) is False
        await pilot.pause()
        assert any("beta" in n.message for n in app._notifications)  # noqa: SLF001


async def test_resume_after_teardown_mid_round(tiny_scenario: Path, tmp_path: Path) -> None:
    journal = tmp_path / "resume.tabletop"
    app = TabletopApp(scenario=tiny_scenario, journal=journal, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await reveal(app, pilot, "alpha")
        await end_turn(app, pilot)
        await reveal(app, pilot, "beta")
        assert app.submit(cm.TakeAction(agency="beta", action="monitor", region="upstream"))
        await pilot.pause()
        assert app.session is not None
        before = len(app.session.records)
    # The app is gone mid-round (as if the terminal was killed); resume the journal.
    ex = resume_exercise(journal)
    assert len(ex.records) == before
    app2 = TabletopApp(exercise=ex, poll_interval=0)
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app2.screen, HandoverScreen)
        turn = await reveal(app2, pilot, "beta")
        assert app2.session is not None
        assert app2.session.state.round == 1
        assert app2.session.state.agencies["beta"].points == 2
        assert "Beta private briefing" in screen_text(app2)
        await end_turn(app2, pilot)
        assert isinstance(app2.screen, RoundResultsScreen)  # the room sees round 1's results
        assert app2.session.state.round == 2
        del turn


async def test_start_screen_shows_scenario_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[scenario]\nid = "bad"\ntitle = "Bad"\nbriefing = "x"\nrules = "nowhere"\n'
        '[regions.r]\nname = "R"\npopulation = 1\nexposure = 0.1\nvulnerability = 0.1\n'
        '[agencies.a]\nname = "A"\nlevel = "county"\ndepartment = "x"\n',
        encoding="utf-8",
    )
    app = TabletopApp(scenario=bad, journal=tmp_path / "j.tabletop", poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        text = screen_text(app)
        assert "1 problem found" in text
        assert "bad.toml:5:1: scenario.rules" in text
        assert 'rules = "nowhere"' in text
        assert "    ^" in text
        # Then the picker: type a good path and start.
    assert not (tmp_path / "j.tabletop").exists()


async def test_start_screen_picks_and_resumes(tiny_scenario: Path, tmp_path: Path) -> None:
    journals = tmp_path / "journals"
    app = TabletopApp(scenario_dirs=[tiny_scenario.parent], journal_dir=journals, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert "Tiny flood" in screen_text(app)
        app.screen.query_one("#seed", Input).value = "5"
        await pilot.press("enter")  # the scenario list has the focus: pick the first one
        await set_start_pin(pilot)
        assert isinstance(app.screen, BriefingScreen)
        assert app.session is not None
        assert app.session.state.seed == 5
        path = app.session.journal_path
        assert path is not None and path.parent == journals
    app2 = TabletopApp(scenario_dirs=[], journal_dir=journals, poll_interval=0)
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app2.screen
        assert isinstance(screen, StartScreen)
        screen.request_resume(str(path))
        await pilot.pause()
        assert isinstance(app2.screen, HandoverScreen)


async def test_attached_terminals_poll_and_handle_stale_writes(
    tiny_scenario: Path, tmp_path: Path
) -> None:
    journal = tmp_path / "shared.tabletop"
    host = Exercise.new(load_game(tiny_scenario), journal)  # another terminal, here a plain object
    ex = resume_exercise(journal)
    app = TabletopApp(exercise=ex, attach_as="beta", poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        turn = app.screen
        assert isinstance(turn, TurnScreen) and turn.viewer == "beta"
        assert "alpha's turn" in screen_text(app)
        # Beta cannot act out of turn.
        assert not app.submit(cm.EndTurn(agency="beta"))
        # The other terminal ends alpha's turn; polling brings it here.
        host.submit(cm.EndTurn(agency="alpha"))
        app.poll()
        await pilot.pause()
        assert app.screen is turn
        assert "Actions (3 AP left)" in screen_text(app)
        # Another writer appends first: the write is refused, the screen refreshed.
        host.submit(cm.AddObservation(text="slow start"))
        assert not app.submit(cm.TakeAction(agency="beta", action="monitor", region="downstream"))
        await pilot.pause()
        assert any("Another terminal" in n.message for n in app._notifications)  # noqa: SLF001
        assert app.session is not None
        assert app.submit(cm.TakeAction(agency="beta", action="monitor", region="downstream"))
    host.close()


async def test_the_turn_screen_shows_the_viewers_private_score_only(
    tiny_scenario: Path, tmp_path: Path
) -> None:
    from tabletop.scoring import private_score
    from tabletop.tui.widgets.private import PrivateScoreLine

    app = TabletopApp(scenario=tiny_scenario, journal=tmp_path / "p.tabletop", poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await reveal(app, pilot, "alpha")
        assert "Your private score none yet" in screen_text(app)
        await end_turn(app, pilot)
        await reveal(app, pilot, "beta")
        await end_turn(app, pilot)
        # Round 2: one round resolved (its public results first), alpha sees its own figure.
        assert isinstance(app.screen, RoundResultsScreen)
        assert "Your private score" not in dom_text(app)
        await reveal(app, pilot, "alpha")
        assert app.session is not None
        p = private_score(app.session.game, app.session.records, "alpha")
        assert p.value.value is not None
        line = str(app.screen.query_one(PrivateScoreLine).render())
        assert f"Your private score {p.value.value:.0f}" in line
        assert f"{p.local_interest:g} x own regions" in line
        await end_turn(app, pilot)
        assert "Your private score" not in dom_text(app)
