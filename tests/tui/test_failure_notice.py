"""A failing effect mid-round: the facilitator sees a notice and the session goes on."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Select, Static
from tui_helpers import PIN, TINY, reveal_turn

from tabletop.app.session import EXPRESSION_FAILED
from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.debrief import DebriefScreen
from tabletop.tui.screens.facilitator import ReleaseInjectForm
from tabletop.tui.screens.handover import HandoverScreen

SIZE = (120, 40)
#: In round 1 the lower bound 2 is above the upper bound: the effect fails when evaluated.
BAD = "regions.upstream.trust -= clamp(round, 2, round)"


def plain(widget: Static) -> str:
    """The text a Static holds, unwrapped."""
    console = Console(width=1000, file=io.StringIO(), record=True)
    console.print(widget.content)
    return " ".join(console.export_text().split())


def failing_scenario(tmp_path: Path) -> Path:
    text = TINY.replace(
        'text = "Released by hand in tests."',
        f'text = "Released by hand in tests."\neffects = ["regions.upstream.hazard += 0.1", "{BAD}"]',
    )
    assert BAD in text
    path = tmp_path / "tiny.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_failing_effect_mid_round_is_notified_and_play_goes_on(tmp_path: Path) -> None:
    path = failing_scenario(tmp_path)
    ex = Exercise.new(load_game(path), None)
    app = TabletopApp(exercise=ex, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await reveal_turn(pilot)
        session = app.session
        assert session is not None
        assert app.submit(cm.TakeAction(agency="alpha", action="monitor", region="downstream"))
        trust = session.state.regions["upstream"].trust
        hazard = session.state.regions["upstream"].hazard

        # Mid-turn the facilitator releases the inject whose second effect fails (F3).
        assert session.set_pin(PIN).ok
        await pilot.press("f3")
        form = app.screen
        assert isinstance(form, ReleaseInjectForm)
        form.query_one("#inject", Select).value = "spare"
        form.action_submit()
        await pilot.pause()
        assert [r.event.kind for r in session.records[-2:]] == ["inject_fired", "expression_failed"]
        failed = session.records[-1].event
        assert failed.ref == "spare" and failed.key == "injects[2].effects[1]"
        # The failing effect was skipped; the other one applied.
        assert session.state.regions["upstream"].trust == trust
        assert session.state.regions["upstream"].hazard > hazard
        notices = [n for n in app._notifications if n.title == EXPRESSION_FAILED]  # noqa: SLF001
        assert len(notices) == 1
        assert notices[0].severity == "warning"
        assert notices[0].message == (
            f"{path}:{failed.line}:{failed.col}: injects[2].effects[1]: clamp(): lower bound 2 "
            "is above upper bound 1 (inject 'spare', round 1: effect skipped)"
        )

        # The session goes on: the same agency acts again, the round is played out.
        assert app.submit(cm.TakeAction(agency="alpha", action="monitor", region="upstream"))
        assert app.submit(cm.EndTurn(agency="alpha"))
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        await reveal_turn(pilot)
        assert app.submit(cm.EndTurn(agency="beta"))
        await pilot.pause()
        assert session.state.round == 2 and session.state.phase == "running"

        # The debrief lists the failure.
        assert session.unlock(PIN)  # the handover locked the facilitator's role again
        assert app.submit(cm.EndExercise(reason="end of the test"))
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        summary = plain(app.screen.query_one("#debrief-summary", Static))
        assert "Expressions that failed while playing (skipped, play went on): 1" in summary
        assert "clamp(): lower bound 2 is above upper bound 1 (inject 'spare'" in summary
