"""The public briefing shown once at the start of an exercise."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from tabletop.app.session import Session


class BriefingScreen(Screen[None]):
    """Scenario title, briefing, agencies and stages (all public); Enter begins.

    Args:
        session: The new exercise.
    """

    BINDINGS = [Binding("enter", "begin", "Begin the exercise", priority=True)]

    class Begin(Message):
        """The room has read the briefing."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="briefing-scroll"):
            yield Static(self.render_briefing(), id="briefing")
        yield Footer()

    def render_briefing(self) -> Group:
        """The briefing as rich renderables."""
        g = self.session.game
        sc = g.scenario
        head = Text()
        head.append(sc.scenario.title + "\n", style="bold underline")
        head.append(sc.scenario.briefing.strip() + "\n")
        agencies = Table(title="Agencies (turn order)", expand=True, title_justify="left")
        for col in ("#", "agency", "level", "department", "superior", "regions"):
            agencies.add_column(col)
        for i, (aid, a) in enumerate(sc.agencies.items(), 1):
            agencies.add_row(
                str(i),
                f"{a.name} ({aid})",
                a.level,
                a.department,
                a.superior or "-",
                ", ".join(a.regions),
            )
        stages = Table(title="Stages", expand=True, title_justify="left")
        for col in ("stage", "cooperation function", "rounds"):
            stages.add_column(col)
        for st in g.rules.stages:
            stages.add_row(st.title, st.function, str(g.stage_rounds(st.id)))
        seed = Text(
            f"Seed {self.session.state.seed}. Journal: {self.session.journal_path or '(in memory)'}\n"
            "Each agency plays in turn at this keyboard; a handover screen hides everything "
            "between agencies. Press Enter to begin.",
            style="italic",
        )
        return Group(head, agencies, stages, seed)

    def action_begin(self) -> None:
        """Start the first turn (through the handover screen)."""
        self.post_message(self.Begin())
