"""Snapshot tests of the main screens (SVG under ``__snapshots__``; theme pinned).

Regenerate after an intended change of the look with
``python -m pytest tests/tui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import SelectionList
from tui_helpers import reveal_turn

from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.proposal import ProposalForm

SIZE = (120, 40)
FIXED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def make_app(scenario: Path, *, briefing: bool = False) -> TabletopApp:
    """An in-memory exercise (no journal path on screen) with a fixed clock and theme."""
    ex = Exercise.new(load_game(scenario), None, clock=lambda: FIXED)
    app = TabletopApp(exercise=ex, show_briefing=briefing, poll_interval=0)
    app.theme = "textual-dark"
    return app


def test_briefing(snap_compare, tiny_scenario: Path) -> None:
    assert snap_compare(make_app(tiny_scenario, briefing=True), terminal_size=SIZE)


def test_handover(snap_compare, tiny_scenario: Path) -> None:
    assert snap_compare(make_app(tiny_scenario), terminal_size=SIZE)


def test_turn_screen(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        await pilot.press("enter")
        await pilot.pause()
        app.submit(cm.TakeAction(agency="alpha", action="monitor", region="downstream"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_action_form(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        screen = await reveal_turn(pilot)
        screen.choose_action("deploy")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_counter_beside_previous_version(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        spec = cm.CommitmentSpec(
            debtor="beta",
            creditor="alpha",
            deliverable="deliver",
            resource="rescue",
            amount=3,
            region="upstream",
            due_round=2,
        )
        app.submit(
            cm.ProposeAgreement(
                agency="alpha",
                mechanism="compensation",
                parties=["alpha", "beta"],
                commitments=[spec],
            )
        )
        app.submit(cm.EndTurn(agency="alpha"))
        counter = spec.model_copy(update={"amount": 2, "due_round": 3})
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        app.submit(cm.CounterProposal(agency="beta", proposal="P1", commitments=[counter]))
        app.submit(cm.EndTurn(agency="beta"))
        await pilot.pause()
        await pilot.press("enter")  # the round's results, then the handover
        await pilot.pause()
        screen = await reveal_turn(pilot)
        screen.open_proposal("P2")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_proposal_form(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        screen = await reveal_turn(pilot)
        screen.action_new_proposal()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProposalForm)
        form.query_one("#p-parties", SelectionList).select("beta")
        form.query_one("CommitmentRow").set_values(
            debtor="beta", creditor="alpha", resource="rescue", amount=3, region="upstream"
        )
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
