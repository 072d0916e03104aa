"""Dialogs: an action's parameter form, a chooser and a confirmation.

Each is a ``ModalScreen[T]`` that dismisses with its result (None when
cancelled). Forms check their command with a ``check`` callback (a dry run
of the engine's ``decide``) and keep the dialog open with the engine's
message when it would be refused, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from pydantic import ValidationError
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tabletop.describe import fmt_amount
from tabletop.engine.game import Game
from tabletop.engine.legal import ActionOption, Param
from tabletop.model import commands as cm
from tabletop.tui.widgets.choice import ChoiceField

Check = Callable[[cm.Command], "str | None"]
T = TypeVar("T")

PARAM_LABELS = {
    "region": "Region",
    "target": "Agency",
    "resource": "Resource",
    "amount": "Amount",
    "level": "Level",
    "accuracy": "Accuracy (1 = the truth; below 0.9 is flagged as concealment)",
    "mode": "Mode",
    "order": "Ordered action",
    "agreement": "Agreement",
}


def validation_message(exc: ValidationError) -> str:
    """A short message from a pydantic error (field: problem; ...)."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", ""))
    return "; ".join(parts)


def choice_label(game: Game, name: str, value: str) -> str:
    """A readable label for a parameter value (names instead of ids)."""
    sc = game.scenario
    if name == "region" and value in sc.regions:
        return f"{sc.regions[value].name} ({value})"
    if name == "target" and value in sc.agencies:
        return f"{sc.agencies[value].name} ({value})"
    if name == "order" and value in game.rules.actions:
        return f"{game.action(value).title} ({value})"
    if name == "resource" and value in game.rules.resources:
        return game.rules.resources[value].title
    return value.replace("_", " ")


def parse_number(text: str, what: str) -> float:
    """A float from an input, with a readable error.

    Raises:
        ValueError: the text is empty or not a number.
    """
    text = text.strip()
    if not text:
        raise ValueError(f"enter the {what}")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"the {what} must be a number, not '{text}'") from None


class FormScreen(ModalScreen[T]):
    """Common frame of the dialogs: an error line, Escape to cancel, ctrl+s to submit."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Submit", priority=True),
    ]

    def show_error(self, message: str) -> None:
        """Show why the form cannot be submitted (the dialog stays open)."""
        self.query_one("#form-error", Static).update(message)

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)

    def action_submit(self) -> None:  # pragma: no cover - overridden
        """Submit the form."""

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Input.Submitted)
    def _input_submitted(self) -> None:
        self.action_submit()


class CommandForm(FormScreen[T]):
    """A form that builds a command, checks it with the engine, and dismisses with it.

    Subclasses set ``self.check`` (a dry run of the engine: the reason it would
    refuse, or None) and implement :meth:`build`.
    """

    check: Check

    def build(self) -> T:  # pragma: no cover - overridden
        """The command the form describes.

        Raises:
            ValueError: a field is invalid (pydantic's ValidationError is one).
        """
        raise NotImplementedError

    def action_submit(self) -> None:
        """Check the command; dismiss with it when the engine would accept it."""
        try:
            cmd = self.build()
        except ValidationError as exc:
            self.show_error(validation_message(exc))
            return
        except ValueError as exc:
            self.show_error(str(exc))
            return
        why = self.check(cmd)  # type: ignore[arg-type]
        if why is not None:
            self.show_error(why)
            return
        self.dismiss(cmd)


def buttons(submit: str = "Submit") -> Horizontal:
    """The Submit / Cancel row."""
    return Horizontal(
        Button(submit, id="submit", variant="primary"),
        Button("Cancel", id="cancel"),
        classes="buttons",
    )


class ActionForm(CommandForm[cm.TakeAction | None]):
    """Parameters of one catalogue action, built from its legal ``Param`` values.

    Args:
        game: The game (for readable labels).
        agency: The acting agency.
        option: The action as offered by ``legal_actions``.
        check: Dry-run check of a command (None when legal).
    """

    def __init__(self, game: Game, agency: str, option: ActionOption, check: Check) -> None:
        super().__init__()
        self.game = game
        self.agency = agency
        self.option = option
        self.check = check

    def compose(self) -> ComposeResult:
        opt = self.option
        with Vertical(classes="dialog has-fields"):
            yield Label(f"{opt.title}  ({opt.cost} AP)", classes="dialog-title")
            desc = self.game.action(opt.action).description
            if desc:
                yield Static(desc, classes="dialog-help")
            with VerticalScroll(classes="fields", can_focus=False):
                for p in opt.params:
                    yield from self._field(p)
            yield Static("", id="form-error", classes="form-error")
            yield buttons()

    def _field(self, p: Param) -> ComposeResult:
        label = PARAM_LABELS.get(p.name, p.name)
        if p.choices:
            if p.optional:
                label += " (optional)"
            yield Label(label)
            items = [(choice_label(self.game, p.name, c), c) for c in p.choices]
            yield ChoiceField(items, optional=p.optional, id=f"param-{p.name}")
        else:
            most = p.maximum or 0.0
            if p.name == "amount":
                label += f" (at most {fmt_amount(most)})"
            yield Label(label)
            yield Input(
                value="1" if p.name == "accuracy" else "",
                placeholder=f"0 - {fmt_amount(most)}",
                type="number",
                id=f"param-{p.name}",
            )

    def values(self) -> dict[str, object]:
        """Field values read from the widgets (raises ValueError on a bad number)."""
        out: dict[str, object] = {}
        for p in self.option.params:
            if p.choices:
                v = self.query_one(f"#param-{p.name}", ChoiceField).value
                if v is not None:
                    out[p.name] = v
            else:
                out[p.name] = parse_number(self.query_one(f"#param-{p.name}", Input).value, p.name)
        return out

    def build(self) -> cm.TakeAction:
        """The command the form describes.

        Raises:
            ValueError: a field is invalid (pydantic's ValidationError is one).
        """
        return cm.TakeAction(agency=self.agency, action=self.option.action, **self.values())  # type: ignore[arg-type]


class ChooseDialog(ModalScreen[str | None]):
    """Pick one of a few values.

    Args:
        title: What to choose.
        options: (label, value) pairs.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, options: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(*[Option(label, id=value) for label, value in self.options])
            yield Static("Enter: choose   Escape: cancel", classes="dialog-help")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)


class ConfirmDialog(FormScreen[str | None]):
    """Ask before a serious step; optionally ask for a reason.

    Dismisses with the reason ("" when none is asked) or None when cancelled.

    Args:
        title: The question.
        text: What will happen.
        reason: Label of the reason field; None for no field.
        default: Pre-filled reason.
        submit: Label of the confirm button.
    """

    def __init__(
        self,
        title: str,
        text: str,
        *,
        reason: str | None = None,
        default: str = "",
        submit: str = "Confirm",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.reason = reason
        self.default = default
        self.submit_label = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.text, classes="dialog-help")
            if self.reason is None:
                yield Static("Enter or y: yes   Esc or n: no", classes="dialog-help")
            if self.reason is not None:
                yield Label(self.reason)
                yield Input(self.default, id="reason")
            yield Static("", id="form-error", classes="form-error")
            yield buttons(self.submit_label)

    def on_mount(self) -> None:
        # Enter confirms at once when no reason is asked (the button has the focus).
        if self.reason is None:
            self.query_one("#submit", Button).focus()

    def on_key(self, event: events.Key) -> None:
        """``y`` confirms, ``n`` cancels (only when no reason is asked)."""
        if self.reason is None and event.character in ("y", "n"):
            event.stop()
            if event.character == "y":
                self.action_submit()
            else:
                self.action_cancel()

    def action_submit(self) -> None:
        """Confirm (a reason is required when asked for)."""
        if self.reason is None:
            self.dismiss("")
            return
        text = self.query_one("#reason", Input).value.strip()
        if not text:
            self.show_error("a reason is required")
            return
        self.dismiss(text)
