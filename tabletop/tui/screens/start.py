"""Start screen: pick or type a scenario, pick a seed, or resume a journal.

Scenario problems are shown here (each located file:line:col with a caret),
never as a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tabletop.app.workspace import scenario_title
from tabletop.errors import Problem


class StartScreen(Screen[None]):
    """Choose what to play.

    Args:
        scenarios: Scenario files to offer.
        journals: Journal files to offer for resuming (newest first).
        path: A scenario path to pre-fill.
        seed: A seed to pre-fill.
        journal: A journal path to pre-fill for the new exercise.
    """

    class StartRequested(Message):
        """Start a new exercise."""

        def __init__(self, path: str, seed: int | None, journal: str | None) -> None:
            super().__init__()
            self.path = path
            self.seed = seed
            self.journal = journal

    class ResumeRequested(Message):
        """Resume a journal."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(
        self,
        scenarios: Sequence[Path],
        journals: Sequence[Path],
        *,
        path: str = "",
        seed: int | None = None,
        journal: str | None = None,
    ) -> None:
        super().__init__()
        self.scenarios = list(scenarios)
        self.journals = list(journals)
        self.initial_path = path
        self.initial_seed = seed
        self.initial_journal = journal
        self.problems: Sequence[Problem] | str | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            Text("tabletop: multi-agency disaster tabletop exercise", style="bold"),
            id="start-title",
        )
        with Horizontal(id="start-body"):
            with Vertical(id="start-new", classes="panel"):
                yield Label("New exercise: pick a scenario", classes="dialog-title")
                yield OptionList(
                    *[
                        Option(f"{scenario_title(p)}  [{p.name}]", id=str(p))
                        for p in self.scenarios
                    ],
                    id="scenarios",
                )
                yield Label("or type a scenario path")
                yield Input(self.initial_path, placeholder="scenarios/my-scenario.toml", id="path")
                yield Label("Seed (empty: the scenario's own)")
                yield Input(
                    "" if self.initial_seed is None else str(self.initial_seed),
                    type="integer",
                    id="seed",
                )
                yield Label("Journal file (empty: journals/<scenario>-play-<time>.tabletop)")
                yield Input(self.initial_journal or "", id="journal")
                yield Button("Start", id="start", variant="primary")
            with Vertical(id="start-resume", classes="panel"):
                yield Label("Resume an exercise", classes="dialog-title")
                yield OptionList(
                    *[Option(self._journal_label(p), id=str(p)) for p in self.journals],
                    id="journals",
                )
                yield Label("or type a journal path")
                yield Input(placeholder="journals/....tabletop", id="resume-path")
                yield Button("Resume", id="resume")
        with VerticalScroll(id="problems-scroll"):
            yield Static("", id="problems")
        yield Footer()

    @staticmethod
    def _journal_label(p: Path) -> str:
        try:
            when = datetime.fromtimestamp(p.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        except OSError:
            when = "?"
        return f"{p.name}  ({when})"

    def on_mount(self) -> None:
        self._render_problems()
        if self.scenarios:
            self.query_one("#scenarios").focus()
        else:
            self.query_one("#path").focus()

    # ------------------------------------------------------------------ data down

    def show_problems(self, problems: Sequence[Problem] | str) -> None:
        """Show why the scenario or journal cannot be used."""
        self.problems = problems
        if self.is_mounted:
            self._render_problems()

    def _render_problems(self) -> None:
        problems = self.problems
        scroll = self.query_one("#problems-scroll")
        if problems is None:
            scroll.display = False
            return
        text = Text()
        if isinstance(problems, str):
            text.append(problems, style="red")
        else:
            n = len(problems)
            text.append(f"{n} problem{'s' if n != 1 else ''} found:\n", style="bold red")
            for p in problems:
                text.append(p.format() + "\n")
        self.query_one("#problems", Static).update(text)
        scroll.display = True

    # ------------------------------------------------------------------ requests up

    def request_start(self) -> None:
        """Ask the app to load the scenario in the path field and start."""
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self.show_problems("Pick a scenario or type its path.")
            return
        seed_text = self.query_one("#seed", Input).value.strip()
        try:
            seed = int(seed_text) if seed_text else None
        except ValueError:
            self.show_problems(f"The seed must be a whole number, not '{seed_text}'.")
            return
        journal = self.query_one("#journal", Input).value.strip() or None
        self.post_message(self.StartRequested(path, seed, journal))

    def request_resume(self, path: str | None = None) -> None:
        """Ask the app to resume a journal."""
        path = path or self.query_one("#resume-path", Input).value.strip()
        if not path:
            self.show_problems("Pick a journal or type its path.")
            return
        self.post_message(self.ResumeRequested(path))

    @on(OptionList.OptionSelected, "#scenarios")
    def _scenario_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#path", Input).value = event.option_id or ""
        self.request_start()

    @on(OptionList.OptionSelected, "#journals")
    def _journal_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.request_resume(event.option_id)

    @on(Button.Pressed, "#start")
    @on(Input.Submitted, "#path, #seed, #journal")
    def _start(self) -> None:
        self.request_start()

    @on(Button.Pressed, "#resume")
    @on(Input.Submitted, "#resume-path")
    def _resume(self) -> None:
        self.request_resume()
