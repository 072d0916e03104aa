"""Snapshots of every screen and form at 80x24, the smallest terminal a room will use.

The theme is pinned and the clock fixed, as in ``test_snapshots.py``. Regenerate after
an intended change of the look with
``python -m pytest tests/tui/test_snapshots_small.py --snapshot-update``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from tabletop_helpers import ROOT as PROJECT_ROOT
from textual.widgets import Input, SelectionList
from tui_helpers import PIN, TINY, reveal_turn

from tabletop.bots import cooperative, play_to_end
from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.debrief import DebriefScreen
from tabletop.tui.screens.proposal import ProposalForm
from tabletop.tui.screens.rating import RatingForm
from tabletop.tui.widgets.commitment import CommitmentRow

SMALL = (80, 24)
FIXED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def make_app(scenario: Path, *, briefing: bool = False) -> TabletopApp:
    """An in-memory exercise (no journal path on screen) with a fixed clock and theme."""
    ex = Exercise.new(load_game(scenario), None, clock=lambda: FIXED)
    app = TabletopApp(exercise=ex, show_briefing=briefing, poll_interval=0)
    app.theme = "textual-dark"
    return app


OBJECTIVES = """
[[objectives]]
id = "watch"
capability = "Situational Assessment"
title = "Watch the river"
tasks = [
    { id = "share_up", text = "Alpha shares what it knows", action = "share_information", agency = "alpha", stage = "gestation", by_round = 1 },
]
"""

SPEC = cm.CommitmentSpec(
    debtor="beta",
    creditor="alpha",
    deliverable="deliver",
    resource="rescue",
    amount=3,
    region="upstream",
    due_round=2,
)


def test_start_screen(snap_compare, tmp_path: Path) -> None:
    app = TabletopApp(
        scenario_dirs=[PROJECT_ROOT / "scenarios"], journal_dir=tmp_path, poll_interval=0
    )
    app.theme = "textual-dark"

    async def run_before(pilot) -> None:
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_briefing(snap_compare, tiny_scenario: Path) -> None:
    assert snap_compare(make_app(tiny_scenario, briefing=True), terminal_size=SMALL)


def test_handover(snap_compare, tiny_scenario: Path) -> None:
    assert snap_compare(make_app(tiny_scenario), terminal_size=SMALL)


def test_turn_screen(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        await reveal_turn(pilot)
        app.submit(cm.TakeAction(agency="alpha", action="monitor", region="downstream"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_deploy_form(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        await reveal_turn(pilot)
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#param-amount", Input).focus()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_proposal_form_with_two_commitments(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        screen = await reveal_turn(pilot)
        screen.action_new_proposal()
        await pilot.pause()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProposalForm)
        form.query_one("#p-parties", SelectionList).select("beta")
        form.query_one(CommitmentRow).set_values(
            debtor="beta", creditor="alpha", resource="rescue", amount=3, region="upstream"
        )
        form.add_commitment()
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_proposal_beside_its_previous_version(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        app.submit(
            cm.ProposeAgreement(
                agency="alpha",
                mechanism="compensation",
                parties=["alpha", "beta"],
                commitments=[SPEC],
            )
        )
        app.submit(cm.EndTurn(agency="alpha"))
        await pilot.pause()
        counter = SPEC.model_copy(update={"amount": 2, "due_round": 3})
        await pilot.press("enter")
        await pilot.pause()
        app.submit(cm.CounterProposal(agency="beta", proposal="P1", commitments=[counter]))
        app.submit(cm.EndTurn(agency="beta"))
        await pilot.pause()
        await pilot.press("enter")  # round results
        await pilot.pause()
        screen = await reveal_turn(pilot)
        screen.open_proposal("P2")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_round_results(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        app.submit(
            cm.TakeAction(agency="alpha", action="issue_warning", region="upstream", level="orange")
        )
        app.submit(cm.EndTurn(agency="alpha"))
        app.submit(cm.EndTurn(agency="beta"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_help(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        await reveal_turn(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_confirm_end_turn(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        await reveal_turn(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


@pytest.mark.parametrize("key", ["f3", "f4", "f5", "f6"])
def test_facilitator_dialog(snap_compare, tiny_scenario: Path, key: str) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        await pilot.pause()
        assert app.session is not None and app.session.set_pin(PIN).ok  # the facilitator's role
        await pilot.press(key)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def ended_app(tmp_path: Path) -> TabletopApp:
    scenario = tmp_path / "tiny-objectives.toml"
    scenario.write_text(TINY + OBJECTIVES, encoding="utf-8")
    ex = Exercise.new(load_game(scenario), None, clock=lambda: FIXED)
    play_to_end(ex, cooperative)
    app = TabletopApp(exercise=ex, poll_interval=0)
    app.theme = "textual-dark"
    return app


def test_debrief(snap_compare, tmp_path: Path) -> None:
    app = ended_app(tmp_path)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_rating_form(snap_compare, tmp_path: Path) -> None:
    app = ended_app(tmp_path)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        screen.query_one("#debrief-objectives").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RatingForm)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
