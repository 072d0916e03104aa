"""The join screen: a browser or terminal of a shared exercise chooses its seat and gives its code.

It dismisses with the seat once the code matched (``tabletop.app.session.join_refusal``);
a wrong code is journaled and the screen stays, saying so. Nothing private is shown
before the seat is taken.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from tabletop.app.session import join_refusal
from tabletop.engine.exercise import Exercise
from tabletop.roles import EVALUATOR, FACILITATOR, join_seats, journaled_codes

TITLE = "Join the exercise"
HELP_CODES = (
    "Choose your seat and type the join code the facilitator gave you. A wrong code is "
    "logged in the exercise's audit trail."
)
HELP_NO_CODES = (
    "Choose your seat. This exercise has no join codes: every seat but the facilitator's "
    "may be taken without one."
)
SEAT_LABEL = "Seat"
CODE_LABEL = "Join code"
JOIN_BUTTON = "Join"
FACILITATOR_SEAT = "Facilitator"
EVALUATOR_SEAT = "Evaluator"
NO_SEAT = "Choose a seat."


class JoinScreen(Screen[str]):
    """Choose a seat (unless given) and type its join code.

    Args:
        exercise: The shared exercise.
        seat: The seat asked for on the command line (None: the player chooses).
    """

    BINDINGS = [Binding("ctrl+s", "submit", "Join", priority=True)]

    def __init__(self, exercise: Exercise, seat: str | None = None) -> None:
        super().__init__()
        self.exercise = exercise
        self.seat = seat

    def _options(self) -> list[tuple[str, str]]:
        game = self.exercise.game
        out: list[tuple[str, str]] = []
        for seat in join_seats(game.order):
            if seat == FACILITATOR:
                out.append((FACILITATOR_SEAT, seat))
            elif seat == EVALUATOR:
                out.append((EVALUATOR_SEAT, seat))
            else:
                out.append((f"{game.scenario.agencies[seat].name} ({seat})", seat))
        return out

    def compose(self) -> ComposeResult:
        codes = bool(journaled_codes(self.exercise.records))
        title = self.exercise.game.scenario.scenario.title
        with Vertical(classes="dialog", id="join"):
            yield Label(f"{TITLE}: {title}", classes="dialog-title")
            yield Static(HELP_CODES if codes else HELP_NO_CODES, classes="dialog-help")
            yield Label(SEAT_LABEL)
            yield Select(
                self._options(),
                value=self.seat if self.seat is not None else Select.NULL,
                id="seat",
                allow_blank=self.seat is None,
                disabled=self.seat is not None,
            )
            yield Label(CODE_LABEL)
            yield Input(password=False, id="code", placeholder="ABCD-EFGH")
            yield Static("", id="form-error", classes="form-error")
            yield Horizontal(Button(JOIN_BUTTON, id="submit", variant="primary"), classes="buttons")

    def on_mount(self) -> None:
        if self.seat is not None:
            self.query_one("#code", Input).focus()
        else:
            self.query_one("#seat", Select).focus()

    def on_input_submitted(self) -> None:
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            self.action_submit()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL:
            self.query_one("#code", Input).focus()

    def action_submit(self) -> None:
        """Check the code; dismiss with the seat, or say why not (a wrong code is journaled)."""
        value = self.query_one("#seat", Select).value
        if value is Select.NULL:
            self.query_one("#form-error", Static).update(NO_SEAT)
            return
        seat = str(value)
        code_field = self.query_one("#code", Input)
        why = join_refusal(self.exercise, seat, code_field.value.strip() or None)
        if why is not None:
            code_field.value = ""
            self.query_one("#form-error", Static).update(why)
            return
        self.dismiss(seat)
