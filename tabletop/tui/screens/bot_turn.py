"""A bot plays an empty seat: its decisions appear one by one, each with its reason."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from tabletop.app.session import Session
from tabletop.tui.bot_seat import BotStep, BotTurn
from tabletop.tui.text import stage_label
from tabletop.tui.widgets.status import KeyBar

#: Seconds between two decisions of a bot, so the room can follow them.
BOT_STEP_SECONDS = 0.8
#: The bot's screen stays this many steps after its turn ended (Enter goes on at once).
HOLD_STEPS = 3


class BotTurnScreen(Screen[None]):
    """The turn of an agency a bot plays; nothing of any other agency is shown.

    Args:
        session: The exercise.
        agency: The bot's agency (its turn now).
        policy: The bot's policy name.
        delay: Seconds between two decisions.
    """

    BINDINGS = [Binding("enter", "next", "Go on", priority=True)]

    class Finished(Message):
        """The bot ended its turn (or the turn is over for another reason)."""

    def __init__(
        self, session: Session, agency: str, policy: str, *, delay: float = BOT_STEP_SECONDS
    ) -> None:
        super().__init__()
        self.session = session
        self.agency = agency
        self.turn = BotTurn(session, agency, policy)
        self.delay = delay
        self._timer: Timer | None = None
        self._finished = False
        self._posted = False

    def compose(self) -> ComposeResult:
        yield Static(id="bot-head", classes="bot-head")
        with VerticalScroll(id="bot-steps-scroll"):
            yield Static(id="bot-steps")
        yield KeyBar(
            (("F2", "pause"), ("F3", "inject"), ("F6", "observe"), ("F8", "end")),
            classes="keybar",
        )

    def on_mount(self) -> None:
        self.refresh_view()
        self._timer = self.set_interval(max(self.delay, 0.01), self._tick, name="bot-step")

    def _tick(self) -> None:
        step = self.turn.step()
        if step is not None:
            self.refresh_view()
        if self.turn.done and not self._finished:
            self._finished = True
            if self._timer is not None:
                self._timer.stop()
            self.refresh_view()
            # The room reads the last decisions before the next seat's screen.
            self.set_timer(max(self.delay, 0.01) * HOLD_STEPS, self.action_next)

    def action_next(self) -> None:
        """Go on to the next seat once the bot's turn is over."""
        if self.turn.done and not self._posted:
            self._posted = True
            self.post_message(self.Finished())

    def refresh_view(self) -> None:
        """Redraw the head (pause, round) and the decisions so far."""
        s = self.session
        st = s.state
        ag = s.game.scenario.agencies[self.agency]
        head = Text()
        head.append(f"Round {st.round} - {stage_label(s.game, st.stage)}    ", style="bold")
        head.append(f"{ag.name} ({self.agency}) is played by a bot\n", style="bold reverse")
        head.append(f"Policy: {self.turn.policy}: it {self.turn.strategy}.\n")
        if st.paused:
            head.append("The exercise is paused by the facilitator.\n", style="bold red")
        self.query_one("#bot-head", Static).update(head)
        body = Text()
        for n, step in enumerate(self.turn.steps, 1):
            body.append_text(step_text(n, step))
        if not self.turn.steps:
            body.append("Thinking...", style="italic")
        elif self.turn.done:
            body.append("\nTurn over. Enter goes on.", style="italic")
        self.query_one("#bot-steps", Static).update(body)


def step_text(n: int, step: BotStep) -> Text:
    """One decision of a bot: what it did, why, and the engine's refusal if any."""
    text = Text()
    if step.lines:
        what = "; ".join(step.lines)
    elif step.command is None:
        what = "holds back"
    else:
        what = step.command.kind.replace("_", " ")
    text.append(f"{n:>2}. ", style="bold")
    text.append(what + "\n")
    if step.reason:
        text.append(f"    why: {step.reason}\n", style="italic")
    if not step.ok:
        text.append(f"    refused: {step.message}\n", style="red")
    return text
