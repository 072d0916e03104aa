"""Facilitator console dialogs: release an inject, write one, force a stage, adjudicate, observe.

Each dialog dismisses with the command to submit (None when cancelled).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, SelectionList, Static

from tabletop.describe import recipients
from tabletop.engine.game import Game
from tabletop.engine.names import adjudicable, get_value
from tabletop.model import commands as cm
from tabletop.model.state import ExerciseState
from tabletop.tui.screens.forms import Check, CommandForm, buttons, parse_number


class FacilitatorForm(CommandForm[cm.Command | None]):
    """A facilitator form: ``build`` the command, check it, dismiss with it."""

    def __init__(self, game: Game, state: ExerciseState, check: Check) -> None:
        super().__init__()
        self.game = game
        self.state = state
        self.check = check

    def _text(self, selector: str, what: str) -> str:
        text = self.query_one(selector, Input).value.strip()
        if not text:
            raise ValueError(f"enter the {what}")
        return text

    def _choice(self, selector: str, what: str) -> str:
        v = self.query_one(selector, Select).value
        if v is Select.NULL:
            raise ValueError(f"choose the {what}")
        return str(v)


class ReleaseInjectForm(FacilitatorForm):
    """Fire one of the scenario's injects that has not fired yet."""

    def compose(self) -> ComposeResult:
        pending = [i for i in self.game.scenario.injects if i.id not in self.state.fired]
        with Vertical(classes="dialog"):
            yield Label("Facilitator: release an inject now", classes="dialog-title")
            if pending:
                items = []
                for i in pending:
                    when = f"{i.stage} r{i.round}" if i.round is not None else f"when {i.when}"
                    items.append((f"{i.id}: {i.title} [{when}; to {recipients(i.to)}]", i.id))
                yield Select(items, prompt="inject", id="inject")
            else:
                yield Static("Every scripted inject has fired.", classes="dialog-help")
            yield Static("", id="form-error", classes="form-error")
            yield buttons("Release")

    def build(self) -> cm.Command:
        """A ReleaseInject command."""
        if not self.query("#inject"):
            raise ValueError("nothing left to release")
        return cm.ReleaseInject(inject=self._choice("#inject", "inject"))


class ForceStageForm(FacilitatorForm):
    """Move the exercise to another stage now, with a reason."""

    def compose(self) -> ComposeResult:
        stages = [
            (f"{s.title} ({s.function})", s.id)
            for s in self.game.rules.stages
            if s.id != self.state.stage
        ]
        with Vertical(classes="dialog"):
            yield Label("Facilitator: force a stage transition", classes="dialog-title")
            yield Static(
                f"Now: {self.state.stage}. The round goes on in the new stage.",
                classes="dialog-help",
            )
            yield Label("Stage")
            yield Select(stages, prompt="stage", id="stage")
            yield Label("Reason (logged)")
            yield Input(id="reason")
            yield Static("", id="form-error", classes="form-error")
            yield buttons("Force stage")

    def build(self) -> cm.Command:
        """A ForceStage command."""
        return cm.ForceStage(
            stage=self._choice("#stage", "stage"), reason=self._text("#reason", "reason")
        )


class AdjudicateForm(FacilitatorForm):
    """Override a state value by dotted name, with a logged reason."""

    def compose(self) -> ComposeResult:
        names = adjudicable(self.game.scenario, self.game.rules)
        with Vertical(classes="dialog"):
            yield Label("Facilitator: adjudicate a value", classes="dialog-title")
            yield Label("Value (type to search)")
            yield Select([(n, n) for n in names], prompt="value", id="target", type_to_search=True)
            yield Static("", id="current", classes="dialog-help")
            yield Label("New value")
            yield Input(type="number", id="value")
            yield Label("Reason (logged)")
            yield Input(id="reason")
            yield Static("", id="form-error", classes="form-error")
            yield buttons("Adjudicate")

    @on(Select.Changed, "#target")
    def _target_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        try:
            now = get_value(self.state, str(event.value))
        except KeyError:
            return
        self.query_one("#current", Static).update(f"Current value: {now:g}")
        self.query_one("#value", Input).value = f"{now:g}"

    def build(self) -> cm.Command:
        """An Adjudicate command."""
        return cm.Adjudicate(
            target=self._choice("#target", "value to override"),
            value=parse_number(self.query_one("#value", Input).value, "new value"),
            reason=self._text("#reason", "reason"),
        )


class ObservationForm(FacilitatorForm):
    """An evaluator observation for the after-action report.

    Args:
        author: The author pre-filled (``evaluator`` on the evaluator's terminal).
    """

    def __init__(
        self, game: Game, state: ExerciseState, check: Check, *, author: str = "facilitator"
    ) -> None:
        super().__init__(game, state, check)
        self.author = author

    def compose(self) -> ComposeResult:
        agencies = [(f"{a.name} ({aid})", aid) for aid, a in self.game.scenario.agencies.items()]
        with Vertical(classes="dialog"):
            yield Label("Evaluator: add an observation", classes="dialog-title")
            yield Label("About (optional)")
            yield Select(agencies, prompt="the whole exercise", id="agency")
            yield Label("Observation")
            yield Input(id="text", placeholder="what you saw")
            yield Label("Author")
            yield Input(self.author, id="author")
            yield Static("", id="form-error", classes="form-error")
            yield buttons("Record")

    def build(self) -> cm.Command:
        """An AddObservation command."""
        agency = self.query_one("#agency", Select).value
        return cm.AddObservation(
            text=self._text("#text", "observation"),
            agency=None if agency is Select.NULL else str(agency),
            author=self.query_one("#author", Input).value.strip() or "facilitator",
        )


#: Inject types offered for an ad-hoc inject (those of scripted injects).
INJECT_TYPES = (
    ("Information", "information"),
    ("Event", "event"),
    ("Directive", "directive"),
    ("Media", "media"),
    ("Resource", "resource"),
    ("Request", "request"),
)


class AdHocInjectForm(FacilitatorForm):
    """Write an inject during play (title, text, recipients, type) and release it now."""

    def compose(self) -> ComposeResult:
        agencies = [(f"{a.name} ({aid})", aid) for aid, a in self.game.scenario.agencies.items()]
        # A tall dialog whose fields scroll: the buttons stay visible on a small terminal.
        with Vertical(classes="dialog tall"):
            yield Label("Facilitator: write and release an inject", classes="dialog-title")
            with VerticalScroll(classes="tall-fields"):
                yield Static(
                    "Journaled like a scripted inject; private unless sent to everyone.",
                    classes="dialog-help",
                )
                yield Label("Title")
                yield Input(id="title", max_length=200)
                yield Label("Text")
                yield Input(id="text", max_length=4000, placeholder="what the recipients read")
                yield Label("To (space toggles)")
                yield SelectionList[str](("Everyone", "all"), *agencies, id="to")
                yield Label("Type")
                yield Select(INJECT_TYPES, value="information", allow_blank=False, id="type")
            yield Static("", id="form-error", classes="form-error")
            yield buttons("Release")

    def build(self) -> cm.Command:
        """A ReleaseAdHocInject command."""
        title = self._text("#title", "title")
        text = self._text("#text", "text")
        to = list(self.query_one("#to", SelectionList).selected)
        if not to:
            raise ValueError("choose who receives the inject")
        return cm.ReleaseAdHocInject(
            title=title,
            text=text,
            to=["all"] if "all" in to else to,
            type=self._choice("#type", "type"),  # type: ignore[arg-type]
        )
