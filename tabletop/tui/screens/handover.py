"""Hot-seat handover: hide everything and say which agency comes next."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tabletop.app.session import Session
from tabletop.tui.text import stage_label
from tabletop.tui.widgets.status import KeyBar


class HandoverScreen(Screen[None]):
    """A blank screen naming the next agency; the next player presses Enter to reveal.

    Nothing private is on this screen: only the round, the stage and the name
    of the agency whose turn it is.

    Args:
        session: The exercise.
        agency: The agency that plays next.
    """

    BINDINGS = [
        Binding("enter", "reveal", "Reveal", priority=True),
        Binding("space", "reveal", "Reveal", show=False),
    ]

    class Revealed(Message):
        """The next player is at the keyboard."""

        def __init__(self, agency: str) -> None:
            super().__init__()
            self.agency = agency

    def __init__(self, session: Session, agency: str) -> None:
        super().__init__()
        self.session = session
        self.agency = agency

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(id="handover", classes="handover")
        yield KeyBar(
            (
                ("Enter", "reveal"),
                ("F1", "help"),
                ("F2", "pause"),
                ("F3", "inject"),
                ("F4", "stage"),
            )
            + (("F5", "adjudicate"), ("F6", "observe"), ("F8", "end"), ("^P", "palette")),
            classes="keybar",
        )

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        """Redraw (the state may have changed under a pause, for example)."""
        s = self.session
        st = s.state
        ag = s.game.scenario.agencies[self.agency]
        text = Text(justify="center")
        text.append(f"Round {st.round} - {stage_label(s.game, st.stage)}\n\n", style="bold")
        text.append("Next at the keyboard\n\n")
        text.append(f"{ag.name}\n", style="bold reverse")
        text.append(f"({self.agency}, {ag.level} {ag.department})\n\n")
        if st.paused:
            text.append("The exercise is paused by the facilitator.\n\n", style="bold red")
        text.append("Everything else is hidden. Pass the keyboard,\n")
        text.append("then press Enter to reveal this agency's screen.", style="italic")
        for panel in self.query("#handover").results(Static):  # none once popped unseen
            panel.update(text)

    def action_reveal(self) -> None:
        """Ask the app to show the agency's private screen."""
        self.post_message(self.Revealed(self.agency))
