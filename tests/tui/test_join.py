"""Joining a shared exercise: the join screen, join codes, refusals journaled, private views kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select
from tui_helpers import dom_text, screen_text

from tabletop.app.journals import resume_exercise
from tabletop.app.session import Session, issue_codes, join_refusal
from tabletop.cli import main
from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game
from tabletop.roles import MSG_CODE_NEEDED, MSG_WRONG_CODE
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.join import JoinScreen
from tabletop.tui.screens.turn import TurnScreen

SIZE = (120, 40)
ALPHA_SECRET = "the dam is weaker than anyone knows"
BETA_SECRET = "your levees are old"


def refusals(ex: Exercise) -> list[tuple[str, str, str]]:
    return [
        (r.event.action, r.event.seat, r.event.reason)
        for r in ex.records
        if r.event.kind == "facilitator_access_refused"
    ]


@pytest.fixture
def shared(tiny_scenario: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A shared journal with join codes issued; returns it and the codes."""
    journal = tmp_path / "shared.tabletop"
    host = Exercise.new(load_game(tiny_scenario), journal)
    codes = issue_codes(host)
    host.close()
    return journal, codes


def test_without_codes_attaching_works_as_before_but_not_as_facilitator(
    tiny_scenario: Path, tmp_path: Path
) -> None:
    journal = tmp_path / "plain.tabletop"
    Exercise.new(load_game(tiny_scenario), journal).close()
    ex = resume_exercise(journal)
    try:
        assert join_refusal(ex, "alpha", None) is None
        assert join_refusal(ex, "evaluator", None) is None
        assert join_refusal(ex, "facilitator", None) == MSG_CODE_NEEDED.format(seat="facilitator")
        assert "Unknown seat 'gamma'" in (join_refusal(ex, "gamma", None) or "")
    finally:
        ex.close()


def test_a_wrong_code_is_refused_journaled_and_changes_nothing_else(shared) -> None:
    journal, codes = shared
    ex = resume_exercise(journal)
    try:
        before = ex.replayed()
        assert join_refusal(ex, "alpha", None) == MSG_CODE_NEEDED.format(seat="alpha")
        assert join_refusal(ex, "alpha", codes["beta"]) == MSG_WRONG_CODE.format(seat="alpha")
        assert refusals(ex) == [("join", "alpha", "wrong join code")]
        assert ex.state == before  # a session event: the game is as it was
        assert join_refusal(ex, "alpha", codes["alpha"]) is None
        assert join_refusal(ex, "facilitator", codes["facilitator"]) is None
        assert len(refusals(ex)) == 1
    finally:
        ex.close()
    # The refusal is in the journal for every other terminal too.
    again = resume_exercise(journal)
    assert refusals(again) == [("join", "alpha", "wrong join code")]
    again.close()


def test_the_facilitator_seat_steers_but_plays_no_agency(shared) -> None:
    journal, codes = shared
    session = Session.for_seat(resume_exercise(journal), "facilitator")
    try:
        assert session.may_steer and not session.hot_seat
        from tabletop.model import commands as cm

        out = session.submit(cm.TakeAction(agency="alpha", action="monitor", region="downstream"))
        assert out.refused
    finally:
        session.close()


async def test_the_join_screen_asks_the_seat_and_code_then_shows_only_that_agency(
    shared,
) -> None:
    journal, codes = shared
    app = TabletopApp(exercise=resume_exercise(journal), join=True, poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen)
        text = screen_text(app)
        assert "Join the exercise" in text
        assert ALPHA_SECRET not in dom_text(app) and BETA_SECRET not in dom_text(app)
        app.screen.query_one("#seat", Select).value = "beta"
        app.screen.query_one("#code", Input).value = codes["alpha"]
        app.screen.action_submit()
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen)
        assert "Wrong join code for beta" in screen_text(app)
        app.screen.query_one("#code", Input).value = codes["beta"].lower()
        app.screen.action_submit()
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)
        session = app.session
        assert session is not None and session.attach_as == "beta"
        assert BETA_SECRET in dom_text(app)
        assert ALPHA_SECRET not in dom_text(app)
        assert refusals(session.exercise) == [("join", "beta", "wrong join code")]


def test_attach_with_a_wrong_code_is_one_clear_sentence(shared, capsys) -> None:
    journal, codes = shared
    rc = main(["play", "--attach", str(journal), "--as", "alpha", "--code", codes["beta"]])
    err = capsys.readouterr().err
    assert rc == 1
    assert "Wrong join code for alpha" in err and "Traceback" not in err
    ex = resume_exercise(journal)
    assert refusals(ex) == [("join", "alpha", "wrong join code")]
    ex.close()


def test_journal_codes_prints_each_code_once_and_stores_hashes(shared, capsys) -> None:
    journal, old = shared
    assert main(["journal", "codes", str(journal)]) == 0
    out = capsys.readouterr().out
    lines = [line.split() for line in out.splitlines() if line.startswith("  ")]
    new = {seat: code for seat, code in lines}
    assert set(new) == {"alpha", "beta", "facilitator", "evaluator"}
    assert journal.read_bytes().find(new["alpha"].encode()) == -1
    ex = resume_exercise(journal)
    try:
        assert join_refusal(ex, "alpha", new["alpha"]) is None
        assert join_refusal(ex, "alpha", old["alpha"]) is not None  # replaced
    finally:
        ex.close()
