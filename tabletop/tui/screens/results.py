"""Round results: what the whole room may see once a round is resolved.

Shown on the shared terminal between the last turn of a round and the handover
of the next one. Only public content is on it (every agency is looking): the
trust of each region before and after the round, the warnings in force, the
stage, and the public lines of the decision log of that round (warnings,
public releases, public injects, stage changes). Hazard, harm and everything
an agency must find out by itself stay off this screen.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tabletop.app.session import Session
from tabletop.tui.text import public_round_lines, stage_label, trust_changes
from tabletop.tui.widgets.regions import WARNING_STYLE
from tabletop.tui.widgets.status import KeyBar

#: Public log lines shown; the rest is counted ("N more").
LINES_SHOWN = 12


class RoundResultsScreen(Screen[None]):
    """The room's summary of round ``round``; Enter goes on to the next handover.

    Args:
        session: The exercise.
        round: The round just resolved.
    """

    BINDINGS = [
        Binding("enter", "next", "Continue", priority=True),
        Binding("space", "next", "Continue", show=False),
    ]

    class Continue(Message):
        """The room has seen the results."""

    def __init__(self, session: Session, round: int) -> None:  # noqa: A002 - the round number
        super().__init__()
        self.session = session
        self.round = round

    def compose(self) -> ComposeResult:
        with Middle(), Center(), VerticalScroll(id="results-scroll", classes="results"):
            yield Static(id="results")
        yield KeyBar(
            (("Enter", "next agency"), ("F1", "help"), ("F2", "pause"), ("F3", "inject"))
            + (("F6", "observe"), ("F8", "end"), ("^P", "palette")),
            classes="keybar",
        )

    def on_mount(self) -> None:
        for box in self.query("#results-scroll"):  # none when popped before it was shown
            box.border_title = f"Round {self.round} results"
        for panel in self.query("#results").results(Static):
            panel.update(self.render_results())

    def render_results(self) -> Group:
        """The public summary of the round."""
        s = self.session
        game, st = s.game, s.state
        out: list[Text] = [
            Text(f"Round {self.round} is over.", style="bold"),
            Text(f"Now: round {st.round}, {stage_label(game, st.stage)}"),
            Text(""),
            Text("Public trust by region", style="bold underline"),
        ]
        for rid, name, before, after in trust_changes(game, s.records, self.round):
            warning = st.regions[rid].warning if rid in st.regions else None
            line = Text("  ")
            if warning:
                line.append(
                    warning[0].upper(), style=f"bold reverse {WARNING_STYLE.get(warning, '')}"
                )
            else:
                line.append(" ")
            line.append(f" {name:<30.30} {before:>4.0f} -> {after:>4.0f}  ")
            delta = after - before
            if abs(delta) >= 0.5:
                line.append(f"{delta:+.0f}", style="green" if delta > 0 else "red")
            out.append(line)
        out.append(Text(""))
        out.append(Text("Public events of the round", style="bold underline"))
        lines = public_round_lines(game, s.records, self.round)
        if not lines:
            out.append(Text("  nothing public happened", style="dim italic"))
        for line in lines[:LINES_SHOWN]:  # type: ignore[assignment]
            out.append(Text(f"  {line}"))
        if len(lines) > LINES_SHOWN:
            out.append(Text(f"  ... {len(lines) - LINES_SHOWN} more", style="dim italic"))
        out.append(Text(""))
        out.append(
            Text("Each agency sees its own figures on its turn. Press Enter.", style="italic")
        )
        return Group(*out)

    def action_next(self) -> None:
        """Go on to the handover of the next agency."""
        self.post_message(self.Continue())
