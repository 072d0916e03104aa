"""The evaluator's terminal: the public picture and evaluator notes, live ratings, no acting."""

from __future__ import annotations

from pathlib import Path

from tabletop_helpers import ROOT as PROJECT_ROOT
from textual.widgets import Input, Label, Select
from tui_helpers import screen_text

from tabletop.app.journals import resume_exercise
from tabletop.app.session import Session
from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.roles import MSG_EVALUATOR_TERMINAL
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.evaluator import EvaluatorScreen
from tabletop.tui.screens.facilitator import ObservationForm
from tabletop.tui.screens.rating import RatingForm
from tabletop.tui.widgets.log import DecisionLog
from tabletop.tui.widgets.menu import Menu

SIZE = (120, 40)
DEFAULT = PROJECT_ROOT / "scenarios" / "typhoon-two-provinces.toml"


def evaluator_text(app: TabletopApp) -> str:
    """What the screen shows and every line its log holds."""
    return screen_text(app) + "\n".join(app.screen.query_one(DecisionLog).shown)


async def test_the_evaluator_sees_the_public_picture_and_notes(
    tiny_scenario: Path, tmp_path: Path
) -> None:
    journal = tmp_path / "shared.tabletop"
    host = Exercise.new(load_game(tiny_scenario), journal)
    host.submit(cm.AddObservation(text="alpha hesitates", author="eva"))
    app = TabletopApp(exercise=resume_exercise(journal), attach_as="evaluator", poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        session = app.session
        assert session is not None and session.evaluator and session.viewer is None
        text = evaluator_text(app)
        assert "Storm warning" in text  # a public inject
        assert "Upstream district" in text and "Downstream district" in text
        assert "alpha hesitates" in text  # evaluator notes
        for secret in ("Secret alpha memo", "spillway", "private briefing", "Spare inject"):
            assert secret not in text, secret

        # It follows the other terminals (public decisions only).
        host.submit(cm.TakeAction(agency="alpha", action="monitor", region="downstream"))
        host.submit(cm.EndTurn(agency="alpha"))
        app.poll()
        await pilot.pause()
        assert "Alpha Water Bureau ended its turn" in evaluator_text(app)

        # It may add observations (journaled like the facilitator's) ...
        await pilot.press("f6")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ObservationForm)
        form.query_one("#text", Input).value = "beta waits for orders"
        form.query_one("#agency", Select).value = "beta"
        form.query_one("#author", Input).value = "evaluator 2"
        form.action_submit()
        await pilot.pause()
        assert isinstance(app.screen, EvaluatorScreen)
        e = session.records[-1].event
        assert (e.kind, e.text, e.agency, e.author) == (
            "observation_recorded",
            "beta waits for orders",
            "beta",
            "evaluator 2",
        )
        assert "beta waits for orders" in evaluator_text(app)

        # ... but not act nor steer: refused and journaled.
        assert not app.submit(cm.EndTurn(agency="beta"))
        for key in ("f2", "f3", "f5", "f8"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, EvaluatorScreen)
        refused = [r.event for r in session.records if r.event.kind == "facilitator_access_refused"]
        assert [(e.action, e.seat, e.reason) for e in refused] == [
            (a, "evaluator", MSG_EVALUATOR_TERMINAL)
            for a in ("pause_toggle", "release_inject", "adjudicate", "end_exercise")
        ]
        assert not session.state.paused and session.state.phase == "running"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Evaluator: add observation" in titles
        assert not any(t.startswith("Facilitator") for t in titles)
    host.close()


async def test_the_evaluator_rates_objectives_live(tmp_path: Path) -> None:
    journal = tmp_path / "shared.tabletop"
    host = Exercise.new(load_game(DEFAULT), journal)
    app = TabletopApp(exercise=resume_exercise(journal), attach_as="evaluator", poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EvaluatorScreen)
        menu = screen.query_one("#eval-objectives", Menu)
        assert menu.highlighted_id == "early_warning"
        assert "Qingshan reservoir at 92%" not in evaluator_text(app)  # a_water's private inject
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RatingForm)
        assert form.objective.id == "early_warning"
        await pilot.press("m")
        form.query_one("#note", Input).value = "the warning came late"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        e = app.session.records[-1].event
        assert (e.kind, e.objective, e.rating, e.note) == (
            "rating_confirmed",
            "early_warning",
            "M",
            "the warning came late",
        )
        assert "M  Recognise the risk" in screen_text(app)
    host.refresh()
    assert host.records[-1].event.kind == "rating_confirmed"
    host.close()


async def test_the_evaluator_rates_a_critical_task_live(tmp_path: Path) -> None:
    journal = tmp_path / "shared.tabletop"
    host = Exercise.new(load_game(DEFAULT), journal)
    app = TabletopApp(exercise=resume_exercise(journal), attach_as="evaluator", poll_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EvaluatorScreen)
        menu = screen.query_one("#eval-objectives", Menu)
        assert "early_warning.city_warning" in [i.id for i in menu.items]
        screen.rate("early_warning.city_warning")
        await app.workers.wait_for_complete()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RatingForm)
        assert form.rated_task is not None and form.rated_task.id == "city_warning"
        title = str(form.query_one(".dialog-title", Label).render())
        assert title == "Evaluator: rate the task 'Haizhou warns its population before landfall'"
        await pilot.press("s")
        form.query_one("#note", Input).value = "warned, but only in Chinese"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        e = app.session.records[-1].event
        assert (e.kind, e.objective, e.task, e.rating, e.note) == (
            "rating_confirmed",
            "early_warning",
            "city_warning",
            "S",
            "warned, but only in Chinese",
        )
        item = next(i for i in menu.items if i.id == "early_warning.city_warning")
        assert str(item.label).strip().startswith("S  task: Haizhou warns its population")
    host.refresh()
    # The report shows the evaluator's rating next to the task; the objective is not rated.
    from tabletop.report import build_report, render

    report = build_report(host.game, host.records)
    objective = next(o for o in report.objectives if o.id == "early_warning")
    task = next(t for t in objective.tasks if t.id == "city_warning")
    assert (task.confirmed, task.confirmed_note) == ("S", "warned, but only in Chinese")
    assert objective.confirmed is None
    assert "evaluator: S (warned, but only in Chinese)" in render(report, "md")
    host.close()


def test_attach_as_evaluator_takes_the_evaluators_role(tiny_scenario: Path) -> None:
    ex = Exercise.new(load_game(tiny_scenario), None)
    assert Session(ex, attach_as="evaluator").evaluator
    assert Session(ex, attach_as="beta").role is not None
    assert not Session(ex, attach_as="beta").evaluator
