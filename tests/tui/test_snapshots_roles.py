"""Snapshots of the role screens: the evaluator's terminal, the PIN and the ad-hoc inject form.

Regenerate after an intended change of the look with
``python -m pytest tests/tui/test_snapshots_roles.py --snapshot-update``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Input
from tui_helpers import PIN

from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.tui.app import TabletopApp

FIXED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def make_app(scenario: Path, **kwargs: object) -> TabletopApp:
    """An in-memory exercise (no journal path on screen) with a fixed clock and theme."""
    ex = Exercise.new(load_game(scenario), None, clock=lambda: FIXED)
    ex.submit(cm.AddObservation(text="alpha shares late", author="eva", agency="alpha"))
    app = TabletopApp(exercise=ex, poll_interval=0, **kwargs)  # type: ignore[arg-type]
    app.theme = "textual-dark"
    return app


def test_evaluator_terminal(snap_compare, tiny_scenario: Path) -> None:
    assert snap_compare(make_app(tiny_scenario, attach_as="evaluator"), terminal_size=(120, 40))


def test_pin_dialog_small(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        assert app.session is not None
        assert app.session.set_pin(PIN).ok
        app.session.lock.lock()
        await pilot.press("f3")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_adhoc_inject_form_small(snap_compare, tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)

    async def run_before(pilot) -> None:
        assert app.session is not None
        assert app.session.set_pin(PIN).ok
        await pilot.press("f9")
        await pilot.pause()
        app.screen.query_one("#title", Input).value = "Levee rumour"
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
