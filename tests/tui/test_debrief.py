"""The debrief screen: the report's scores and ratings, exports, the evaluator's rating.

A tiny scenario (two agencies, one round per stage, two objectives) is played to
the end by cooperative bots headless, then resumed into the app, which opens on
the debrief. The expected figures come from ``build_report`` on the same journal.
"""

from __future__ import annotations

import io
import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, LoadingIndicator, Static
from tui_helpers import TINY, screen_text

from tabletop.app.journals import resume_exercise
from tabletop.bots import cooperative, play_to_end
from tabletop.engine.exercise import Exercise
from tabletop.journal import Journal
from tabletop.loader.game import load_game
from tabletop.report import Report, build_report
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens import debrief as debrief_module
from tabletop.tui.screens.debrief import TOTAL, DebriefScreen
from tabletop.tui.screens.rating import RatingForm
from tabletop.tui.widgets.choice import ChoiceField
from tabletop.tui.widgets.menu import Menu
from tabletop.tui.widgets.scores import ScoreTable, score_text

SIZE = (120, 40)
FIXED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

OBJECTIVES = """
[[objectives]]
id = "watch"
capability = "Situational Assessment"
title = "Watch the river"
tasks = [
    { id = "share_up", text = "Alpha shares what it knows", action = "share_information", agency = "alpha", stage = "gestation", by_round = 1 },
]

[[objectives]]
id = "help"
capability = "Operational Coordination"
title = "Help downstream"
tasks = [
    { id = "deploy_down", text = "Rescue reaches downstream", action = "deploy", region = "downstream", stage = "outbreak", by_round = 1 },
]
"""


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    """The tiny scenario with two objectives."""
    path = tmp_path / "tiny-objectives.toml"
    path.write_text(TINY + OBJECTIVES, encoding="utf-8")
    return path


@pytest.fixture
def journal(scenario: Path, tmp_path: Path) -> Path:
    """A journal of the tiny scenario played to the end by cooperative bots."""
    path = tmp_path / "done.tabletop"
    ex = Exercise.new(load_game(scenario), path, clock=lambda: FIXED)
    try:
        play_to_end(ex, cooperative)
        assert ex.state.phase == "ended"
    finally:
        ex.close()
    return path


def resumed_app(journal: Path) -> tuple[TabletopApp, Report]:
    """The app on the resumed (finished) journal, and the report the test expects."""
    ex = resume_exercise(journal, clock=lambda: FIXED)
    expected = build_report(ex.game, list(ex.records))
    app = TabletopApp(exercise=ex, poll_interval=0)
    return app, expected


def notes(app: TabletopApp) -> list[tuple[str, str, str]]:
    """The notifications on screen: (title, message, severity)."""
    return [(n.title, n.message, n.severity) for n in app._notifications]  # noqa: SLF001


def plain(widget: Static) -> str:
    """The text a Static holds, unwrapped (explanations wrap on screen)."""
    console = Console(width=1000, file=io.StringIO(), record=True)
    console.print(widget.content)
    return " ".join(console.export_text().split())


async def ready(app: TabletopApp, pilot) -> DebriefScreen:
    """Wait for the report worker; return the debrief screen."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, DebriefScreen)
    assert screen.report is not None
    return screen


async def test_debrief_shows_the_report_built_in_a_worker(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = threading.Event()
    real = debrief_module.build_report

    def slow_build(game, records):  # noqa: ANN001, ANN202 - same signature as build_report
        gate.wait(10)
        return real(game, records)

    monkeypatch.setattr(debrief_module, "build_report", slow_build)
    app, expected = resumed_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        # The report is still being built: the screen is up, with a loading indicator.
        assert screen.query(LoadingIndicator)
        text = screen_text(app)
        assert "Scoring the journal" in text
        assert "done.tabletop" in text  # the journal path is there from the start
        await pilot.press("tab")  # the UI answers meanwhile
        gate.set()
        screen = await ready(app, pilot)
        assert not screen.query(LoadingIndicator)

        text = screen_text(app)
        overall = expected.overview.overall
        assert f"Overall {score_text(overall)}/100" in text
        # Every agency's overall score, in its row of the table.
        for agency, name in (("alpha", "Alpha Water Bureau"), ("beta", "Beta County")):
            total = expected.scores.agencies[agency].total.overall.value
            row = next(line for line in text.splitlines() if line.startswith(f"│ {name} "))
            assert row.split()[1 + len(name.split())] == score_text(total), row
        stage = expected.scores.stages[1]
        first_stage = expected.stages[[s.id for s in expected.stages].index(stage)].title
        assert first_stage in text

        # Moving the cursor explains the cell: beta's scores in the second stage played.
        table = screen.query_one(ScoreTable)
        table.focus()
        await pilot.press("down", "right", "right")
        await pilot.pause()
        assert (table.row_id, table.column_id) == ("beta", stage)
        detail = plain(screen.query_one("#debrief-detail", Static))
        card = expected.scores.agencies["beta"].stages[stage]
        assert " ".join(card.overall.explanation.split()) in detail
        for score in card.dimensions.values():
            assert " ".join(score.explanation.split()) in detail

        # The objectives with their automatic rating and reason.
        for o in expected.objectives:
            assert o.title in text
            assert f"auto {o.auto}" in text
        await pilot.press("tab")
        await pilot.pause()
        assert screen.focused is screen.query_one("#debrief-objectives", Menu)
        detail = plain(screen.query_one("#debrief-detail", Static))
        assert " ".join(expected.objectives[0].reason.split()) in detail

        # Strengths and areas for improvement, from the report.
        findings = plain(screen.query_one("#debrief-findings", Static))
        assert "Strengths" in findings and "Areas for improvement" in findings
        for f in expected.strengths + expected.improvements:
            assert " ".join(f.text.split()) in findings


async def test_export_writes_the_report_files_next_to_the_journal(journal: Path) -> None:
    app, expected = resumed_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        fmts = ("md", "html", "json", "pdf")
        paths = {fmt: journal.with_name(f"done.report.{fmt}") for fmt in fmts}
        paths["csv"] = journal.with_name("done.timeline.csv")
        for path in paths.values():
            assert path.is_file(), path
        [(title, message, severity)] = notes(app)
        assert (title, severity) == ("Report written", "information")
        order = ("md", "html", "json", "csv", "pdf")
        assert message.split("\n") == [str(paths[f].resolve()) for f in order]
    html = paths["html"].read_text(encoding="utf-8")
    assert "http" not in html
    assert expected.overview.title in html
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["overview"]["overall"] == pytest.approx(expected.overview.overall, abs=1e-3)
    assert "After-Action Report" in paths["md"].read_text(encoding="utf-8")


async def test_export_one_format_and_errors_are_notifications(journal: Path) -> None:
    blocked = journal.with_name("done.report.md")
    blocked.mkdir()  # a folder where the Markdown file should go
    app, _ = resumed_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("f9")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, DebriefScreen)
        [(title, message, severity)] = notes(app)
        assert (title, severity) == ("Report not written", "error")
        assert str(blocked.resolve()) in message
        assert "Traceback" not in message
        app.clear_notifications()
        await pilot.press("f11")  # JSON alone
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert notes(app) == [
            ("Report written", str(journal.with_name("done.report.json").resolve()), "information")
        ]
    assert journal.with_name("done.report.json").is_file()
    assert not journal.with_name("done.report.html").exists()
    assert not list(journal.parent.glob(".*.tmp"))


async def test_confirming_a_rating_is_journaled_and_shown(journal: Path) -> None:
    app, expected = resumed_app(journal)
    auto = {o.id: o.auto for o in expected.objectives}
    override = next(r for r in "PSMU" if r != auto["help"])
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        menu = screen.query_one("#debrief-objectives", Menu)
        menu.focus()
        await pilot.press("down")
        assert menu.highlighted_id == "help"
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RatingForm)
        # The form starts at the automatic rating; a letter chooses another one.
        field = form.query_one("#rating", ChoiceField)
        assert field.value == auto["help"]
        await pilot.press(override.lower())
        assert field.value == override
        form.query_one("#note", Input).value = "downstream was helped, a day late"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert screen.report is not None
        rated = next(o for o in screen.report.objectives if o.id == "help")
        assert (rated.auto, rated.confirmed, rated.rating) == (auto["help"], override, override)
        label = menu.items[menu.index].label.plain
        assert f"auto {auto['help']}" in label and f"eval {override}" in label
        text = screen_text(app)
        assert f"eval {override}" in text
        detail = plain(screen.query_one("#debrief-detail", Static))
        assert "downstream was helped, a day late" in detail

        # Escape cancels without writing anything.
        n = len(app.session.records)
        screen.rate("watch")
        await pilot.pause()
        assert isinstance(app.screen, RatingForm)
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.session.records) == n
    events = [r.event for r in Journal(journal).read()]
    confirmed = [e for e in events if e.kind == "rating_confirmed"]
    assert len(confirmed) == 1
    assert (confirmed[0].objective, confirmed[0].rating) == ("help", override)
    assert confirmed[0].note == "downstream was helped, a day late"


async def test_score_card_lookup_covers_totals(journal: Path) -> None:
    app, expected = resumed_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        assert screen.score_card("alpha", TOTAL) == expected.scores.agencies["alpha"].total
        assert screen.score_card("", TOTAL) == expected.scores.total
        assert screen.score_card("nobody", TOTAL) is None


def test_debrief_snapshot(snap_compare, scenario: Path) -> None:
    ex = Exercise.new(load_game(scenario), None, clock=lambda: FIXED)
    play_to_end(ex, cooperative)
    app = TabletopApp(exercise=ex, poll_interval=0)
    app.theme = "textual-dark"

    async def run_before(pilot) -> None:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_an_agencys_total_shows_its_private_score(journal: Path) -> None:
    app, expected = resumed_app(journal)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        table = screen.query_one(ScoreTable)
        table.focus()
        await pilot.pause()
        assert (table.row_id, table.column_id) == ("alpha", TOTAL)
        detail = plain(screen.query_one("#debrief-detail", Static))
        private = expected.scores.private["alpha"]
        assert f"Private {score_text(private.value.value)}" in detail
        assert " ".join(private.value.explanation.split()) in detail
