"""The evaluator's rating of an objective: confirm the automatic P/S/M/U or override it.

Dismisses with a :class:`~tabletop.model.commands.ConfirmRating` (None when
cancelled); the debrief sends it up to the app, which journals it.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tabletop.model import commands as cm
from tabletop.scoring.models import ObjectiveRating, TaskResult
from tabletop.scoring.rating import RATING_TITLES
from tabletop.tui.screens.forms import Check, CommandForm, buttons
from tabletop.tui.widgets.choice import ChoiceField

#: Colour of each rating on screen.
RATING_STYLE = {"P": "bold green", "S": "bold yellow", "M": "bold dark_orange", "U": "bold red"}
#: The rating a task's form starts at, from what the journal says of it.
TASK_DEFAULT = {"on_time": "P", "late": "S", "missed": "U", "not_reached": "U"}


class RatingForm(CommandForm[cm.ConfirmRating | None]):
    """Choose P/S/M/U for one objective and say why.

    The rating starts at the evaluator's latest one, else the automatic one, so
    confirming the automatic rating is ctrl+s (or Enter in the note).

    Args:
        objective: The objective as the report rated it.
        check: Dry-run check of a command (None when legal).
    """

    def __init__(
        self, objective: ObjectiveRating, check: Check, *, task: TaskResult | None = None
    ) -> None:
        super().__init__()
        self.objective = objective
        self.check = check
        self.rated_task = task

    def compose(self) -> ComposeResult:
        if self.rated_task is not None:
            yield from self._compose_task(self.rated_task)
            return
        o = self.objective
        auto = Text("Automatic rating ")
        auto.append(o.auto, style=RATING_STYLE[o.auto])
        auto.append(f" ({RATING_TITLES[o.auto]}): {o.reason}")
        if o.confirmed is not None:
            auto.append("\nEvaluator so far ")
            auto.append(o.confirmed, style=RATING_STYLE[o.confirmed])
            auto.append(f": {o.note}" if o.note else "")
        choices = [(f"{r}  {title}", r) for r, title in RATING_TITLES.items()]
        with Vertical(classes="dialog"):
            yield Label(f"Evaluator: rate '{o.title}'", classes="dialog-title")
            yield Static(auto, classes="dialog-help")
            yield Label("Rating (arrows or the letter; Enter goes to the note)")
            yield ChoiceField(choices, value=o.confirmed or o.auto, id="rating")
            yield Label("Note (kept in the journal with the rating)")
            yield Input(o.note, id="note", placeholder="why this rating")
            yield Static("", id="form-error", classes="form-error")
            yield buttons("Confirm rating")

    def _compose_task(self, t: TaskResult) -> ComposeResult:
        """The same form for one critical task: its status from the journal, then P/S/M/U."""
        help_ = Text(f"Objective '{self.objective.title}'. From the journal: ")
        help_.append(t.status.replace("_", " "), style="bold")
        help_.append(f", due {t.deadline}")
        if t.confirmed is not None:
            help_.append("\nEvaluator so far ")
            help_.append(t.confirmed, style=RATING_STYLE[t.confirmed])
            help_.append(f": {t.confirmed_note}" if t.confirmed_note else "")
        choices = [(f"{r}  {title}", r) for r, title in RATING_TITLES.items()]
        with Vertical(classes="dialog"):
            yield Label(f"Evaluator: rate the task '{t.text}'", classes="dialog-title")
            yield Static(help_, classes="dialog-help")
            yield Label("Rating (arrows or the letter; Enter goes to the note)")
            yield ChoiceField(choices, value=t.confirmed or TASK_DEFAULT[t.status], id="rating")
            yield Label("Note (kept in the journal with the rating)")
            yield Input(t.confirmed_note, id="note", placeholder="what the evaluator saw")
            yield Static("", id="form-error", classes="form-error")
            yield buttons("Confirm rating")

    def on_key(self, event: events.Key) -> None:
        """P, S, M or U choose the rating while the rating list has the focus."""
        field = self.query_one("#rating", ChoiceField)
        char = (event.character or "").upper()
        if self.focused is field and char in RATING_TITLES:
            field.value = char
            event.stop()

    def build(self) -> cm.ConfirmRating:
        """The command the form describes.

        Raises:
            ValueError: no rating is chosen, or the note is too long.
        """
        rating = self.query_one("#rating", ChoiceField).value
        if rating is None:
            raise ValueError("choose a rating")
        note = self.query_one("#note", Input).value.strip()
        task = self.rated_task.id if self.rated_task is not None else None
        return cm.ConfirmRating(objective=self.objective.id, rating=rating, note=note, task=task)  # type: ignore[arg-type]
