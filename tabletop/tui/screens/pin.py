"""The facilitator's PIN: set it at the start of a hot-seat exercise, enter it to unlock.

Both dialogs dismiss with the PIN typed (None when cancelled); the session hashes
it (only a salted hash reaches the journal) or checks it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from tabletop.roles import UNLOCK_SECONDS, pin_problem
from tabletop.tui.screens.forms import FormScreen, buttons

SETUP_TITLE = "Facilitator PIN"
SETUP_HELP = (
    "Choose a PIN for the facilitator. The function keys (pause, injects, stages, "
    "adjudication, undo, end) ask for it, so the players at this keyboard cannot use "
    "them. Only a salted hash is kept in the journal."
)
UNLOCK_TITLE = "Facilitator PIN"
UNLOCK_HELP = (
    "This needs the facilitator. Enter the facilitator's PIN; it stays unlocked for "
    f"{UNLOCK_SECONDS / 60:g} minutes after the last facilitator action, or until the "
    "next handover. A wrong PIN is logged."
)


class PinSetupDialog(FormScreen[str | None]):
    """Choose the facilitator's PIN (typed twice).

    Args:
        cancellable: Whether Escape may close it without a PIN.
    """

    def __init__(self, *, cancellable: bool = True) -> None:
        super().__init__()
        self.cancellable = cancellable

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(SETUP_TITLE, classes="dialog-title")
            yield Static(SETUP_HELP, classes="dialog-help")
            yield Label("PIN")
            yield Input(password=True, id="pin")
            yield Label("The same PIN again")
            yield Input(password=True, id="again")
            yield Static("", id="form-error", classes="form-error")
            if self.cancellable:
                yield buttons("Set PIN")
            else:
                yield Horizontal(
                    Button("Set PIN", id="submit", variant="primary"), classes="buttons"
                )

    def action_cancel(self) -> None:
        """Close without a PIN (unless a PIN is required now)."""
        if self.cancellable:
            self.dismiss(None)
        else:
            self.show_error("A facilitator PIN is needed to start the exercise.")

    def action_submit(self) -> None:
        """Dismiss with the PIN when both fields match and it is long enough.

        Enter in the first field goes to the second one.
        """
        pin_field = self.query_one("#pin", Input)
        again_field = self.query_one("#again", Input)
        pin, again = pin_field.value, again_field.value
        problem = pin_problem(pin)
        if self.focused is pin_field and not again and problem is None:
            again_field.focus()
            return
        if problem is not None:
            self.show_error(problem)
            return
        if pin != again:
            self.show_error("The two PINs differ.")
            self.query_one("#again", Input).value = ""
            return
        self.dismiss(pin)


class PinDialog(FormScreen[str | None]):
    """Enter the facilitator's PIN.

    Args:
        action: What the facilitator is about to do (shown).
    """

    def __init__(self, action: str = "") -> None:
        super().__init__()
        self.action_text = action

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(UNLOCK_TITLE, classes="dialog-title")
            if self.action_text:
                yield Static(self.action_text, classes="dialog-help")
            yield Static(UNLOCK_HELP, classes="dialog-help")
            yield Label("PIN")
            yield Input(password=True, id="pin")
            yield Static("", id="form-error", classes="form-error")
            yield buttons("Unlock")

    def action_submit(self) -> None:
        """Dismiss with the PIN typed."""
        pin = self.query_one("#pin", Input).value
        if not pin:
            self.show_error("Enter the PIN.")
            return
        self.dismiss(pin)
