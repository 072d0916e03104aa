"""A faster, clearer turn (issue 16): two-way deals, small terminals, letters, help, results.

Each test plays the tiny two-agency scenario in the app with Pilot.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tabletop_helpers import ROOT as PROJECT_ROOT
from textual.widgets import Button, Input, SelectionList
from tui_helpers import PIN, reveal_turn, screen_text

from tabletop.app.journals import resume_exercise
from tabletop.describe import fmt_amount, time_text, warning_phrase
from tabletop.engine.exercise import Exercise
from tabletop.engine.view import agency_view
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.forms import ActionForm, ConfirmDialog
from tabletop.tui.screens.handover import HandoverScreen
from tabletop.tui.screens.help import HelpScreen
from tabletop.tui.screens.proposal import ProposalForm
from tabletop.tui.screens.results import RoundResultsScreen
from tabletop.tui.screens.turn import TurnScreen
from tabletop.tui.widgets.actions import ActionMenu, action_keys
from tabletop.tui.widgets.choice import ChoiceField
from tabletop.tui.widgets.commitment import CommitmentRow
from tabletop.tui.widgets.log import DecisionLog
from tabletop.tui.widgets.status import StatusBar


def make_app(scenario: Path, **kwargs) -> TabletopApp:
    ex = Exercise.new(load_game(scenario), None)
    return TabletopApp(exercise=ex, poll_interval=0, **kwargs)


def on_screen(widget, size: tuple[int, int]) -> bool:
    """The widget is drawn whole inside the terminal (and inside its scroll view)."""
    r = widget.region
    return r.height > 0 and r.y >= 0 and r.y + r.height <= size[1] and r.x + r.width <= size[0]


# ---------------------------------------------------------------- 16.3 two-way deals


@pytest.mark.parametrize("size", [(120, 40), (200, 60)])
async def test_two_commitment_agreement_through_the_form(tiny_scenario: Path, size) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=size) as pilot:
        turn = await reveal_turn(pilot)
        turn.action_new_proposal()
        await pilot.pause()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProposalForm)
        form.query_one("#p-title", Input).value = "Rescue for supplies"
        form.query_one("#p-parties", SelectionList).select("beta")
        form.query_one(CommitmentRow).set_values(
            debtor="beta", creditor="alpha", resource="rescue", amount=3, region="upstream"
        )
        await pilot.click("#p-add")  # the button, as a player presses it
        await pilot.pause()
        rows = list(form.query(CommitmentRow))
        assert len(rows) == 2
        first, second = rows
        # The second row is drawn whole (not only its border) and has the focus.
        assert second.region.height == first.region.height >= 5
        assert on_screen(second, size)
        assert app.focused is second.query_one(".c-debtor")
        second.set_values(
            debtor="alpha", creditor="beta", resource="supplies", amount=2, region="downstream"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)
        made = [r.event for r in app.session.records if r.event.kind == "proposal_made"]
        assert len(made) == 1
        got = [(c.debtor, c.creditor, c.resource, c.amount) for c in made[0].commitments]
        assert got == [("beta", "alpha", "rescue", 3.0), ("alpha", "beta", "supplies", 2.0)]


# ---------------------------------------------------------------- 16.4 small terminals

SMALL = (80, 24)


async def test_deploy_form_fits_80x24(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=SMALL) as pilot:
        turn = await reveal_turn(pilot)
        turn.choose_action("deploy")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        for button in form.query(Button):
            assert on_screen(button, SMALL), button
        amount = form.query_one("#param-amount", Input)
        amount.focus()
        await pilot.pause()
        assert on_screen(amount, SMALL)
        amount.value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)


async def test_proposal_form_fits_80x24(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=SMALL) as pilot:
        turn = await reveal_turn(pilot)
        turn.action_new_proposal()
        await pilot.pause()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProposalForm)
        for button in form.query(".buttons Button"):
            assert on_screen(button, SMALL), button
        row = form.add_commitment()
        await pilot.pause()
        await pilot.pause()
        assert on_screen(row, SMALL)
        for button in form.query(".buttons Button"):
            assert on_screen(button, SMALL), button


async def test_status_bar_keeps_the_active_agency_at_120x40(
    tiny_scenario: Path, tmp_path: Path
) -> None:
    journal = tmp_path / ("a-very-long-journal-name-" * 4 + "play-20261124-090000.tabletop")
    ex = Exercise.new(load_game(tiny_scenario), journal)
    app = TabletopApp(exercise=ex, attach_as="alpha", poll_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert lines[0].startswith(" Stage Gestation")
        assert lines[1].startswith(" Active Alpha Water Bureau (alpha)")
        assert "Action points 3/3" in lines[1]
        assert "This terminal: Alpha Water Bureau" in lines[1]


async def test_compact_regions_at_80_columns(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=SMALL) as pilot:
        await reveal_turn(pilot)
        text = screen_text(app)
        assert "Hazard Need   Deliv. Harm   Trust" in text  # one header line, no wrap


# ---------------------------------------------------------------- 16.6 a faster turn


def test_action_letters_are_distinct_and_stable(tiny_scenario: Path) -> None:
    game = load_game(tiny_scenario)
    keys = action_keys(game)
    assert len(set(keys.values())) == len(keys) == min(26, len(game.rules.actions))
    assert keys["monitor"] == "m" and keys["deploy"] == "d"
    assert action_keys(game) is keys  # computed once per game


async def test_a_letter_opens_its_action_and_the_order_does_not_move(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        turn = await reveal_turn(pilot)
        menu = turn.query_one(ActionMenu)
        before = [i.id for i in menu.items]
        assert before == list(app.session.game.rules.actions)  # the catalogue's order
        await pilot.press("m")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm) and form.option.action == "monitor"
        await pilot.press("ctrl+s")  # the region defaults to the first choice
        await pilot.pause()
        for _ in range(2):
            app.submit(cm.TakeAction(agency="alpha", action="monitor", region="downstream"))
        await pilot.pause()
        assert app.session.state.agencies["alpha"].points == 0
        assert [i.id for i in menu.items] == before  # nothing moved when all became impossible
        assert "m Monitor a region" in screen_text(app)


async def test_f1_help_lists_the_keys_and_this_turns_letters(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await reveal_turn(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Actions of this turn" in text
        assert "m   Monitor a region" in text
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)
        assert isinstance(app.focused, ActionMenu)


async def test_help_on_the_handover_screen_has_no_private_letters(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Actions of this turn" not in text
        assert "ctrl+e" in text


async def test_ending_a_turn_with_points_left_asks_first(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await reveal_turn(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "3 action point(s)" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen) and app.session.state.active == "alpha"
        assert isinstance(app.focused, ActionMenu)  # focus back on the main panel
        await pilot.press("ctrl+e", "enter")
        await pilot.pause()
        assert app.session.state.active == "beta"
        assert isinstance(app.screen, HandoverScreen)


async def test_ending_a_turn_without_points_does_not_ask(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await reveal_turn(pilot)
        for _ in range(3):
            app.submit(cm.TakeAction(agency="alpha", action="monitor", region="downstream"))
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)


async def test_quit_asks_first_during_an_exercise(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await reveal_turn(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "cannot be resumed" in screen_text(app)  # an exercise without a journal
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TurnScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def test_focus_returns_to_the_menu_after_a_dialog(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        turn = await reveal_turn(pilot)
        turn.query_one("#inbox-scroll").focus()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, ActionMenu)


async def test_round_results_show_the_room_public_things_only(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await reveal_turn(pilot)
        app.submit(
            cm.TakeAction(agency="alpha", action="issue_warning", region="upstream", level="orange")
        )
        app.submit(cm.EndTurn(agency="alpha"))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        app.submit(cm.EndTurn(agency="beta"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoundResultsScreen) and screen.round == 1
        text = screen_text(app)
        assert "Round 1 results" in text
        assert "Upstream district" in text and "->" in text  # trust before -> after
        assert "Issue a public warning in Upstream district (an orange" in text
        assert "Storm warning" in text  # the public inject
        assert "Secret alpha memo" not in text  # alpha's private inject
        assert "spillway" not in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen) and app.screen.agency == "alpha"


async def test_round_results_are_not_shown_again_after_a_resume(
    tiny_scenario: Path, tmp_path: Path
) -> None:
    journal = tmp_path / "r.tabletop"
    ex = Exercise.new(load_game(tiny_scenario), journal)
    ex.submit(cm.EndTurn(agency="alpha"))
    ex.submit(cm.EndTurn(agency="beta"))
    ex.close()
    app = TabletopApp(exercise=resume_exercise(journal), poll_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)


async def test_old_hazard_is_marked_with_its_round(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await reveal_turn(pilot)
        app.submit(cm.TakeAction(agency="alpha", action="monitor", region="downstream"))
        await pilot.pause()
        assert "R1 ~" not in screen_text(app)  # this round's figure is current
        app.submit(cm.EndTurn(agency="alpha"))
        app.submit(cm.EndTurn(agency="beta"))
        await pilot.pause()
        await pilot.press("enter")  # round results
        await pilot.pause()
        await pilot.press("enter")  # handover
        await pilot.pause()
        s = app.session
        view = agency_view(s.game, s.state, "alpha")
        down = next(r for r in view.regions if r.id == "downstream")
        assert down.learnt == 1 and down.hazard is not None
        text = screen_text(app)
        assert "R1 ~" in text
        assert "as learnt in round n, not current" in text


async def test_turn_timer_is_shown_and_turns_yellow_past_the_limit(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario, turn_timer=60)
    async with app.run_test(size=(120, 40)) as pilot:
        turn = await reveal_turn(pilot)
        turn.tick_timer()
        await pilot.pause()
        assert " of 1:00" in screen_text(app)
        turn.turn_started = time.monotonic() - 95
        turn.tick_timer()
        await pilot.pause()
        assert "1:35: over the 1:00 limit" in screen_text(app)
        assert turn.query_one(StatusBar).timer is not None


async def test_no_timer_unless_the_facilitator_sets_one(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        turn = await reveal_turn(pilot)
        turn.tick_timer()
        await pilot.pause()
        status = screen_text(app).splitlines()[:2]
        assert not any("Turn " in line for line in status), status


async def test_f3_release_says_what_was_released(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await reveal_turn(pilot)
        assert app.session is not None and app.session.set_pin(PIN).ok
        await pilot.press("f3")
        await pilot.pause()
        app.screen.dismiss(cm.ReleaseInject(inject="spare"))
        await pilot.pause()
        messages = [n.message for n in app._notifications]  # noqa: SLF001
        assert "'Spare inject' released to every agency." in messages
        assert isinstance(app.focused, ActionMenu)


async def test_cut_lists_say_how_many_more(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await reveal_turn(pilot)
        field = ChoiceField([(f"choice {i}", str(i)) for i in range(12)], id="many")
        await app.screen.mount(field)
        await pilot.pause()
        assert field.region.height == 7  # max-height
        assert "… 8 more below" in screen_text(app)
        field.focus()
        await pilot.press("end")
        await pilot.pause()
        assert "… 8 more above" in screen_text(app)


async def test_names_instead_of_ids_in_the_log(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await reveal_turn(pilot)
        app.submit(
            cm.TakeAction(
                agency="alpha", action="deploy", region="downstream", resource="rescue", amount=2
            )
        )
        await pilot.pause()
        shown = app.screen.query_one(DecisionLog).shown
        assert (
            "R1  Alpha Water Bureau: Deploy resources in Downstream district 2 Rescue teams  [blind deployment]"
            in shown
        )
        assert "Alpha Water Bureau: Deploy resources" in screen_text(app)


def test_text_slips() -> None:
    assert fmt_amount(1_000_000) == "1,000,000"
    assert fmt_amount(2.5) == "2.5"
    assert fmt_amount(3.0) == "3"
    assert warning_phrase("orange") == "an orange warning"
    assert warning_phrase("red") == "a red warning"
    assert time_text("2026-11-24T09:00:00+00:00") == "2026-11-24 09:00 UTC"
    assert time_text("not a time") == "not a time"


async def test_commitment_rows_default_to_a_two_way_deal(tiny_scenario: Path) -> None:
    app = make_app(tiny_scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        turn = await reveal_turn(pilot)
        turn.action_new_proposal()
        await pilot.pause()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProposalForm)
        form.query_one("#p-parties", SelectionList).select("beta")
        await pilot.pause()
        first = form.query_one(CommitmentRow)
        assert (first.spec().debtor, first.spec().creditor) == ("alpha", "beta")  # I offer
        second = form.add_commitment()
        await pilot.pause()
        await pilot.pause()
        assert (second.spec().debtor, second.spec().creditor) == ("beta", "alpha")  # in return


def test_default_proposal_title_names_the_parties(tiny_scenario: Path) -> None:
    ex = Exercise.new(load_game(tiny_scenario), None)
    ex.submit(
        cm.ProposeAgreement(
            agency="alpha", mechanism="compensation", parties=["alpha", "beta"], commitments=[]
        )
    )
    made = next(r.event for r in ex.records if r.event.kind == "proposal_made")
    assert made.title == "compensation (Alpha Water Bureau, Beta County)"


def test_inbox_names_directives_and_requests() -> None:
    from tabletop.tui.text import inbox_text

    game = load_game(PROJECT_ROOT / "scenarios" / "typhoon-two-provinces.toml")
    ex = Exercise.new(game, None)
    assert ex.state.active == "mem"
    ex.submit(
        cm.TakeAction(
            agency="mem", action="directive", target="a_em", order="report_up", region="linhe"
        )
    )
    ex.submit(
        cm.TakeAction(
            agency="mem",
            action="request_support",
            target="c_em",
            region="coastal_city",
            resource="rescue",
            amount=1_000_000,
        )
    )
    items = {i.kind: i for box in ex.state.inbox.values() for i in box}
    title, text = inbox_text(game, ex.state, items["directive"])
    assert title == "Directive from Ministry of Emergency Management"
    assert "orders: Report to superior in Linhe county by round" in text
    assert "report_up" not in text and "a_em" not in text
    title, text = inbox_text(game, ex.state, items["request"])
    assert text == (
        "Ministry of Emergency Management asks for 1,000,000 Rescue teams for Haizhou (coastal city)."
    )
    ex.close()
