"""The debrief's HSEEP evaluation loop: hot-wash feedback forms, the improvement plan, PDF/CSV.

The tiny two-agency scenario of ``test_debrief`` is played to the end by bots and
resumed into the app, which opens on the debrief.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_debrief import journal, notes, plain, ready, resumed_app, scenario  # noqa: F401
from textual.widgets import Input, Static, TextArea
from tui_helpers import screen_text

from tabletop.app.journals import resume_exercise
from tabletop.engine.exercise import Exercise
from tabletop.journal import Journal
from tabletop.loader.game import load_game
from tabletop.report import build_report
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.debrief import DebriefScreen
from tabletop.tui.screens.evaluation import FeedbackForm, PlanForm
from tabletop.tui.screens.forms import ChooseDialog
from tabletop.tui.widgets.choice import ChoiceField
from tabletop.tui.widgets.menu import Menu

SIZE = (120, 40)


async def test_feedback_form_is_journaled_and_shown(journal: Path) -> None:  # noqa: F811
    app, _ = resumed_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        feedback = plain(screen.query_one("#debrief-feedback", Static))
        assert (
            "Alpha Water Bureau: not given yet" in feedback
            and "Beta County: not given yet" in feedback
        )

        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, ChooseDialog)
        await pilot.press("down", "enter")  # beta
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FeedbackForm) and form.agency == "beta"

        form.query_one("#feedback-author", Input).value = "Chen, duty officer"
        form.query_one(
            "#feedback-strengths", TextArea
        ).text = "Warnings went out early.\nGood maps."
        form.query_one("#feedback-improvements", TextArea).text = "Share stock levels sooner."
        form.query_one("#rate-realism", Input).value = "4"
        form.query_one("#rate-organization", Input).value = "5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert screen.report is not None
        (fb,) = screen.report.feedback
        assert (fb.agency, fb.author, fb.ratings) == (
            "beta",
            "Chen, duty officer",
            {"organization": 5, "realism": 4},
        )
        feedback = plain(screen.query_one("#debrief-feedback", Static))
        assert "Beta County: given by Chen, duty officer" in feedback
        assert "Organized 5.0" in feedback and "Realistic 4.0" in feedback
        assert "Participant feedback of Beta County recorded" in screen_text(app)

        # Opening beta's form again shows what it gave; a bad rating keeps the form open.
        screen.feedback("beta")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FeedbackForm)
        assert form.query_one("#feedback-strengths", TextArea).text.startswith("Warnings")
        assert form.query_one("#rate-realism", Input).value == "4"
        n = len(app.session.records)
        form.query_one("#rate-materials", Input).value = "9"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "from 1 to 5" in plain(form.query_one("#form-error", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.session.records) == n
    events = [r.event for r in Journal(journal).read()]
    (given,) = [e for e in events if e.kind == "feedback_submitted"]
    assert given.strengths == "Warnings went out early.\nGood maps."
    assert given.improvements == "Share stock levels sooner."


async def test_plan_action_is_edited_in_the_debrief(journal: Path) -> None:  # noqa: F811
    app, expected = resumed_app(journal)
    assert expected.plan, "the tiny exercise drafts corrective actions"
    first = expected.plan[0]
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        menu = screen.query_one("#debrief-plan", Menu)
        assert len(menu.items) == len(expected.plan)
        menu.focus()
        await pilot.pause()
        detail = plain(screen.query_one("#debrief-detail", Static))
        assert "Improvement plan action 1" in detail and first.id in detail
        assert "Status: Open" in detail

        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PlanForm) and form.item.id == first.id
        assert form.query_one("#plan-owner", Input).value == first.owner
        form.query_one("#plan-owner", Input).value = "Tiny River Authority"
        form.query_one("#plan-poc", Input).value = "Li Wei, +86 138 0000"
        form.query_one("#plan-start", Input).value = "2026-12-01"
        form.query_one("#plan-due", Input).value = "2026-11-01"
        form.query_one("#plan-status", ChoiceField).value = "in_progress"
        await pilot.press("ctrl+s")
        await pilot.pause()
        # The engine refuses a due date before the start: the form stays, nothing is lost.
        assert app.screen is form
        assert "before the start date" in plain(form.query_one("#form-error", Static))
        form.query_one("#plan-due", Input).value = "2027-03-31"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert screen.report is not None
        row = screen.report.plan[0]
        assert (row.owner, row.poc, row.start, row.due, row.status) == (
            "Tiny River Authority",
            "Li Wei, +86 138 0000",
            "2026-12-01",
            "2027-03-31",
            "in_progress",
        )
        label = menu.items[0].label.plain
        assert "In progress" in label and "2027-03-31" in label and "Tiny River Authority" in label
        detail = plain(screen.query_one("#debrief-detail", Static))
        assert "Point of contact: Li Wei, +86 138 0000" in detail

        # Saving an unchanged form writes nothing.
        n = len(app.session.records)
        screen.edit_plan(first.id)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "nothing changed" in plain(app.screen.query_one("#form-error", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.session.records) == n
    events = [r.event for r in Journal(journal).read()]
    (update,) = [e for e in events if e.kind == "plan_action_updated"]
    assert (update.action, update.status, update.due) == (first.id, "in_progress", "2027-03-31")


async def test_evaluation_waits_for_the_end_of_the_exercise(scenario: Path) -> None:  # noqa: F811
    ex = Exercise.new(load_game(scenario), None)
    app = TabletopApp(exercise=ex, poll_interval=0, show_briefing=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = DebriefScreen(app.session)
        app.push_screen(screen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.clear_notifications()
        screen.action_feedback()
        await pilot.pause()
        assert app.screen is screen
        [(title, message, severity)] = notes(app)
        assert (title, severity) == ("Participant feedback", "warning")
        assert "end it first" in message
        app.clear_notifications()
        screen.edit_plan(None)
        await pilot.pause()
        assert app.screen is screen
        assert any("end it first" in m or "no action" in m for _, m, _ in notes(app))


async def test_export_all_writes_pdf_and_csv_next_to_the_journal(journal: Path) -> None:  # noqa: F811
    app, expected = resumed_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        paths = [journal.with_name(f"done.report.{f}") for f in ("md", "html", "json")]
        paths += [journal.with_name("done.timeline.csv"), journal.with_name("done.report.pdf")]
        [(title, message, severity)] = notes(app)
        assert (title, severity) == ("Report written", "information")
        assert sorted(message.split("\n")) == sorted(str(p.resolve()) for p in paths)
        app.clear_notifications()
        await pilot.press("f12")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert notes(app) == [
            ("Report written", str(journal.with_name("done.report.pdf").resolve()), "information")
        ]
    assert journal.with_name("done.report.pdf").read_bytes().startswith(b"%PDF-")
    csv_text = journal.with_name("done.timeline.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("seq,at,round,stage")
    decisions = sum(1 for st in expected.timeline for e in st.entries if e.category == "decision")
    assert csv_text.count(",decision,") == decisions


async def test_pdf_export_without_weasyprint_is_an_error_note(
    journal: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tabletop.report import pdf

    monkeypatch.setattr(pdf, "available", lambda: pdf.MISSING.format(why="no module"))
    app, _ = resumed_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        titles = {title: message for title, message, _ in notes(app)}
        assert "tabletop[pdf]" in titles["Report not written"]
        assert "done.report.md" in titles["Report written"]
    assert not journal.with_name("done.report.pdf").exists()
    assert journal.with_name("done.timeline.csv").is_file()


def test_report_of_the_tui_journal_has_the_feedback(journal: Path) -> None:  # noqa: F811
    """The CLI-less round trip: a form journaled by the engine shows in build_report."""
    from tabletop.model import commands as cm

    ex = resume_exercise(journal)
    try:
        ex.submit(cm.SubmitFeedback(agency="alpha", strengths="fast", ratings={"realism": 2}))
        report = build_report(ex.game, list(ex.records))
    finally:
        ex.close()
    assert [(f.agency, f.ratings) for f in report.feedback] == [("alpha", {"realism": 2})]
    assert report.feedback_means["realism"] == 2.0
    assert report.feedback_means["organization"] is None
