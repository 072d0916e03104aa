"""A bot takes an empty seat in live play: its turn on screen, with its reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
from tabletop_helpers import ROOT as PROJECT_ROOT
from tui_helpers import end_turn, screen_text

from tabletop.app.session import Session
from tabletop.bots import POLICY_FUNCTIONS, play_turn
from tabletop.engine.exercise import Exercise
from tabletop.errors import TabletopError
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.tui.app import TabletopApp
from tabletop.tui.bot_seat import BotTurn, parse_bot_seats
from tabletop.tui.screens.bot_turn import BotTurnScreen
from tabletop.tui.screens.handover import HandoverScreen
from tabletop.tui.screens.results import RoundResultsScreen
from tabletop.tui.screens.turn import TurnScreen

SIZE = (120, 40)
DEFAULT = PROJECT_ROOT / "scenarios" / "typhoon-two-provinces.toml"


def test_parse_bot_seats() -> None:
    assert parse_bot_seats(["county=cooperative", "a_em=selfish", "city"]) == {
        "county": "cooperative",
        "a_em": "selfish",
        "city": "cooperative",
    }
    assert parse_bot_seats(None) == {}
    for bad, message in (
        (["county=clever"], "unknown bot policy 'clever'"),
        (["=random"], "AGENCY=POLICY"),
        (["county", "county=random"], "given twice"),
    ):
        with pytest.raises(TabletopError, match=message):
            parse_bot_seats(bad)


def test_bot_seats_must_be_agencies(tiny_scenario: Path) -> None:
    ex = Exercise.new(load_game(tiny_scenario), None)
    with pytest.raises(TabletopError, match="unknown agency 'gamma'"):
        Session(ex, bots={"gamma": "random"})
    with pytest.raises(TabletopError, match="the agency this terminal plays"):
        Session(ex, attach_as="beta", bots={"beta": "random"})


def test_a_bot_turn_decides_like_a_headless_bot() -> None:
    """Step by step through the session, the same decisions as ``bots.play_turn``."""
    game = load_game(DEFAULT)
    live = Session(Exercise.new(game, None), bots={"a_em": "cooperative"})
    headless = Exercise.new(game, None)
    for ex in (live.exercise, headless):
        ex.submit(cm.EndTurn(agency=ex.state.active))  # mem
    assert live.state.active == headless.state.active == "a_em"
    turn = BotTurn(live, "a_em", "cooperative")
    while turn.step() is not None:
        pass
    play_turn(headless, "a_em", POLICY_FUNCTIONS["cooperative"])
    kinds = [r.event for r in live.records]
    assert kinds == [r.event for r in headless.records]
    assert turn.steps[-1].command.kind == "end_turn"
    assert all(s.reason for s in turn.steps)
    assert any(s.ok and s.lines for s in turn.steps)


async def test_a_bot_plays_its_seat_on_screen(tiny_scenario: Path) -> None:
    ex = Exercise.new(load_game(tiny_scenario), None)
    app = TabletopApp(exercise=ex, bots={"beta": "cooperative"}, bot_delay=0.3, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)
        await end_turn(app, pilot)
        # Beta's seat is the bot's: its screen, not a handover, and nothing of alpha's.
        screen = app.screen
        assert isinstance(screen, BotTurnScreen)
        assert "Beta County (beta) is played by a bot" in screen_text(app)
        assert "Alpha private briefing" not in screen_text(app)
        shown = ""
        for _ in range(200):
            if not isinstance(app.screen, BotTurnScreen):
                break
            shown += screen_text(app)
            await pilot.pause(0.05)
        assert "why: " in shown  # each decision with its reason
        assert "Turn over" in shown  # held on screen after the bot ended its turn
        assert session.state.active == "alpha" and session.state.round == 2
        await pilot.pause()
        # The round's results for the room, then the next human player's handover screen.
        assert isinstance(app.screen, RoundResultsScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen) and app.screen.agency == "alpha"
        assert screen.turn.steps and screen.turn.steps[-1].command.kind == "end_turn"
        ended = [r for r in session.records if r.event.kind == "turn_ended"]
        assert [r.event.agency for r in ended] == ["alpha", "beta"]


async def test_the_bot_waits_while_paused(tiny_scenario: Path) -> None:
    ex = Exercise.new(load_game(tiny_scenario), None)
    ex.submit(cm.EndTurn(agency="alpha"))
    ex.submit(cm.Pause())
    app = TabletopApp(exercise=ex, bots={"beta": "random"}, bot_delay=0.01, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert isinstance(app.screen, BotTurnScreen)
        assert "paused by the facilitator" in screen_text(app)
        assert app.screen.turn.steps == []
        ex.submit(cm.Resume())
        for _ in range(200):
            if ex.state.active != "beta":
                break
            await pilot.pause(0.02)
        assert ex.state.active == "alpha"


def test_bot_reasons_are_the_policys_own() -> None:
    """Each step shows the reason the policy gave (as ``tabletop run --explain`` prints)."""
    from tabletop.bots import TraceEntry

    game = load_game(DEFAULT)
    live = Session(Exercise.new(game, None), bots={"a_em": "selfish"})
    headless = Exercise.new(game, None)
    for ex in (live.exercise, headless):
        ex.submit(cm.EndTurn(agency=ex.state.active))  # mem
    turn = BotTurn(live, "a_em", "selfish")
    while turn.step() is not None:
        pass
    trace: list[TraceEntry] = []
    play_turn(headless, "a_em", POLICY_FUNCTIONS["selfish"], trace)
    assert [s.reason for s in turn.steps[: len(trace)]] == [t.reason for t in trace]
    assert turn.steps[-1].reason in (
        "no action points left",
        "nothing more its policy wants to do this turn",
    )
