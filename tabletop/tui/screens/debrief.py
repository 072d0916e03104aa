"""End of exercise: the summary so far, the journal path and the full decision log.

Kept in its own module so the scores and the report of ``tabletop.scoring``
and ``tabletop.report`` can be added as more sections (see :meth:`DebriefScreen.sections`).
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tabletop.summary import summary_renderable
from tabletop.tui.session import Session
from tabletop.tui.text import log_lines


class DebriefScreen(Screen[None]):
    """The debrief: summary, journal path, every decision (nothing is private any more).

    Args:
        session: The ended (or abandoned) exercise.
    """

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", priority=True)]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="debrief-scroll"):
            for i, section in enumerate(self.sections()):
                yield Static(section, classes="debrief-section", id=f"debrief-{i}")
        yield Footer()

    def refresh_view(self) -> None:
        """Redraw the sections (an observation was added, another terminal wrote)."""
        for i, section in enumerate(self.sections()):
            for static in self.query(f"#debrief-{i}"):
                static.update(section)  # type: ignore[attr-defined]

    def sections(self) -> list[RenderableType]:
        """The debrief's sections, in order (scores and report links go here later)."""
        s = self.session
        head = Text("Debrief\n", style="bold underline")
        path = s.journal_path
        head.append("Journal: ", style="bold")
        head.append(str(path.resolve()) if path is not None else "(in memory: nothing saved)")
        if path is not None:
            head.append("\nEvery decision is in the journal.")
        head.append("\nF6 adds an evaluator observation; ctrl+q quits.")
        log = Text("Decision log (all agencies)\n", style="bold underline")
        log.append("\n".join(log_lines(s.game, s.records, None)))
        return [head, summary_renderable(s.exercise), log]
