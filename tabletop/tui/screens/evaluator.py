"""The evaluator's terminal: the public picture, evaluator notes, live ratings; no acting.

``tabletop play --attach JOURNAL --as evaluator`` opens this screen. It shows what
the public may know (stage, round, the active agency, regions' trust and warnings,
public injects and decisions) plus the evaluators' observations and ratings. The
evaluator adds observations (F6) and rates objectives live (Enter on an objective:
the report is built in a worker for the automatic rating, then the rating dialog
opens); both are journaled like at the debrief. Nothing private of any agency is
shown, and the facilitator's keys are refused (and logged).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from tabletop.app.session import Session
from tabletop.engine.game import Game
from tabletop.engine.view import PUBLIC_VIEWER, public_regions
from tabletop.model import commands as cm
from tabletop.model.events import RatingConfirmed, Record
from tabletop.report import build_report
from tabletop.scoring.models import ObjectiveRating, TaskResult
from tabletop.tui.messages import Decide
from tabletop.tui.screens.rating import RATING_STYLE, RatingForm
from tabletop.tui.text import log_lines
from tabletop.tui.widgets.log import DecisionLog
from tabletop.tui.widgets.menu import Menu, MenuItem
from tabletop.tui.widgets.status import KeyBar, StatusBar

#: Journal events for the evaluators besides the public ones.
EVALUATOR_KINDS = frozenset({"observation_recorded", "rating_confirmed"})
RATE_GROUP = "evaluator-rate"


def evaluator_lines(game: Game, records: Sequence[Record]) -> list[str]:
    """The decision log of the evaluator: public records, observations and ratings."""
    return log_lines(game, records, PUBLIC_VIEWER, always=EVALUATOR_KINDS)


def latest_ratings(records: Sequence[Record]) -> dict[str, tuple[str, str]]:
    """Objective (or ``objective.task``) -> (rating, note) of the evaluators' latest rating."""
    out: dict[str, tuple[str, str]] = {}
    for rec in records:
        e = rec.event
        if isinstance(e, RatingConfirmed):
            key = e.objective if e.task is None else f"{e.objective}.{e.task}"
            out[key] = (e.rating, e.note)
    return out


class EvaluatorScreen(Screen[None]):
    """The evaluator's live view of an exercise.

    Args:
        session: The exercise (an evaluator's session).
    """

    BINDINGS = [Binding("ctrl+r", "rate", "Rate objective")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Static(id="eval-regions", classes="panel")
                yield DecisionLog(id="log")
            with Vertical(id="right"):
                yield Menu(id="eval-objectives", empty="The scenario has no objectives.")
                yield Static(id="eval-notes", classes="panel")
        yield KeyBar(
            (("Enter", "rate objective"), ("F6", "observation"), ("Tab", "panels"))
            + (("^P", "palette"), ("^Q", "quit")),
            classes="keybar",
        )

    def on_mount(self) -> None:
        self.query_one("#eval-regions").border_title = "Regions (public)"
        self.query_one("#log").border_title = "Decision log (public) and evaluator notes"
        self.query_one("#eval-objectives").border_title = "Objectives: evaluator rating"
        self.query_one("#eval-notes").border_title = "Evaluator observations"
        self.refresh_view()
        self.query_one("#eval-objectives", Menu).focus()

    def refresh_view(self) -> None:
        """Redraw from the journal (this terminal or another wrote)."""
        s = self.session
        game, st = s.game, s.state
        self.query_one(StatusBar).show(s)
        regions = Text()
        regions.append(f"{'Region':<28} {'Trust':>5}  Warning\n", style="bold")
        for r in public_regions(game, st):
            regions.append(f"{r.name[:28]:<28} {r.trust:>5.0f}  {r.warning or '-'}\n")
        regions.append("Hazard, need and harm are known to the agencies only.", style="dim")
        self.query_one("#eval-regions", Static).update(regions)
        self.query_one(DecisionLog).show(evaluator_lines(game, s.records))
        rated = latest_ratings(s.records)
        items = []
        for o in game.scenario.objectives:
            label = Text()
            got = rated.get(o.id)
            if got is None:
                label.append("-  ", style="dim")
            else:
                label.append(f"{got[0]}  ", style=RATING_STYLE.get(got[0], ""))
            label.append(o.title)
            items.append(MenuItem(o.id, label, hint=o.title))
            for t in o.tasks:  # each critical task can be rated live too
                task = Text("   ")
                got = rated.get(f"{o.id}.{t.id}")
                if got is None:
                    task.append("-  ", style="dim")
                else:
                    task.append(f"{got[0]}  ", style=RATING_STYLE.get(got[0], ""))
                task.append(f"task: {t.text}")
                items.append(MenuItem(f"{o.id}.{t.id}", task, hint=t.text))
        self.query_one("#eval-objectives", Menu).set_items(items)
        notes = Text()
        for rec in s.records:
            e = rec.event
            if e.kind == "observation_recorded":
                about = f" about {e.agency}" if e.agency else ""
                notes.append(f"R{e.round} {e.author}{about}: ", style="bold")
                notes.append(f"{e.text}\n")
        if not notes.plain:
            notes.append("None yet: F6 adds one.", style="dim")
        self.query_one("#eval-notes", Static).update(notes)

    # ------------------------------------------------------------------ rating

    @on(Menu.Selected, "#eval-objectives")
    def _selected(self, event: Menu.Selected) -> None:
        event.stop()
        self.rate(event.item_id)

    def action_rate(self) -> None:
        """Rate the highlighted objective."""
        self.rate(self.query_one("#eval-objectives", Menu).highlighted_id)

    def rate(self, item_id: str | None) -> None:
        """Build the report (for the automatic rating), then open the rating dialog.

        Args:
            item_id: An objective id, or ``objective.task`` for one critical task.
        """
        if item_id is None:
            self.notify("The scenario has no objectives to rate.", severity="warning")
            return
        self.notify("Scoring the journal...", timeout=2)
        s = self.session
        objective_id, _, task_id = item_id.partition(".")
        self._score(s.game, list(s.records), objective_id, task_id or None)

    @work(thread=True, exclusive=True, group=RATE_GROUP, exit_on_error=False)
    def _score(
        self, game: Game, records: list[Record], objective_id: str, task_id: str | None
    ) -> tuple[ObjectiveRating, TaskResult | None]:
        """Worker: the objective (and the task) as the report rates it now."""
        report = build_report(game, records)
        objective = next(o for o in report.objectives if o.id == objective_id)
        task = next((t for t in objective.tasks if t.id == task_id), None)
        return objective, task

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != RATE_GROUP:
            return
        if event.state == WorkerState.SUCCESS and isinstance(worker.result, tuple):
            objective, task = worker.result
            self.app.push_screen(RatingForm(objective, self.session.check, task=task), self._rated)
        elif event.state == WorkerState.ERROR:
            self.notify(str(worker.error), title="Cannot rate now", severity="error")

    def _rated(self, command: cm.ConfirmRating | None) -> None:
        if command is not None:
            self.post_message(Decide(command))
