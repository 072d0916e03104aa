"""Opening an exercise: the start screen, loading a scenario, starting or resuming a journal.

A scenario is loaded and checked off the UI thread; the exercise is created on
the UI thread (SQLite). Scenario and journal problems are shown on the start
screen, never as a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import Worker

from tabletop.app.journals import resume_exercise
from tabletop.app.session import Session
from tabletop.app.workspace import find_journals, find_scenarios
from tabletop.engine.exercise import Clock, system_clock
from tabletop.engine.game import Game
from tabletop.errors import Problem, ScenarioError, TabletopError
from tabletop.loader.game import load_game
from tabletop.tui.screens.pin import PinSetupDialog
from tabletop.tui.screens.start import StartScreen

if TYPE_CHECKING:
    from tabletop.tui.app import TabletopApp


class Launcher:
    """Opens an exercise for the app, from its arguments or from the start screen.

    Args:
        app: The app that shows the exercise once open (``app.open_session``).
        scenario: Scenario to start at once (the picker is skipped unless it has problems).
        seed: Seed of a new exercise (None: the scenario's).
        journal: Journal path of a new exercise (None: journals/<scenario>-play-<time>.tabletop).
        default_scenario: Scenario pre-filled on the start screen.
        scenario_dirs: Where the start screen looks for scenarios.
        journal_dir: Where new journals go and where the start screen looks for them.
        clock: Timestamps of decisions.
    """

    def __init__(
        self,
        app: TabletopApp,
        *,
        scenario: str | os.PathLike[str] | None = None,
        seed: int | None = None,
        journal: str | os.PathLike[str] | None = None,
        default_scenario: str | None = None,
        scenario_dirs: Iterable[Path] | None = None,
        journal_dir: Path | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.app = app
        self.scenario = str(scenario) if scenario is not None else None
        self.seed = seed
        self.journal = str(journal) if journal is not None else None
        self.default_scenario = default_scenario
        self.scenario_dirs = list(scenario_dirs) if scenario_dirs is not None else None
        self.journal_dir = journal_dir
        self.clock = clock

    def start_screen(self) -> StartScreen:
        """A start screen offering the scenarios and journals found, pre-filled."""
        return StartScreen(
            find_scenarios(self.scenario_dirs, first=self.default_scenario),
            find_journals(self.journal_dir),
            path=self.scenario or self.default_scenario or "",
            seed=self.seed,
            journal=self.journal,
        )

    def show_start(self) -> None:
        """Show the start screen; load the scenario given at launch at once, if any."""
        self.app.push_screen(self.start_screen())
        if self.scenario is not None:
            self.load(self.scenario, self.seed, self.journal)

    def load(self, path: str, seed: int | None, journal: str | None) -> Worker[None]:
        """Load and check a scenario off the UI thread, then start it."""
        return self.app.run_worker(
            partial(self._load, path, seed, journal),
            name="load_scenario",
            group="load",
            exclusive=True,
            thread=True,
        )

    def _load(self, path: str, seed: int | None, journal: str | None) -> None:
        app = self.app
        try:
            game = load_game(Path(path).resolve())
        except ScenarioError as exc:
            problems = list(exc.problems)
            app.call_from_thread(self.show_problems, problems)
            return
        except (TabletopError, OSError) as exc:
            app.call_from_thread(self.show_problems, f"{path}: {exc}")
            return
        app.call_from_thread(self.start, game, seed, journal)

    def show_problems(self, problems: Sequence[Problem] | str) -> None:
        """Show why a scenario or journal cannot be used, on a start screen."""
        flow = self.app.flow
        screen = flow.base_screen()
        if not isinstance(screen, StartScreen):
            flow.go(self.start_screen())
            screen = self.app.screen
        assert isinstance(screen, StartScreen)
        screen.show_problems(problems)

    def start(self, game: Game, seed: int | None = None, journal: str | None = None) -> None:
        """Create a new journaled exercise and show its briefing (on the UI thread: SQLite)."""
        try:
            session = Session.new(
                game,
                seed=seed,
                journal=journal,
                journal_dir=self.journal_dir or "journals",
                clock=self.clock,
                bots=self.app.bots,
            )
        except (TabletopError, OSError) as exc:
            self.show_problems(str(exc))
            return
        self.app.open_session(session, briefing=True)
        # The facilitator starts the exercise: the PIN that guards the function keys now.
        self.app.push_screen(PinSetupDialog(cancellable=False), self._pin_chosen)

    def _pin_chosen(self, pin: str | None) -> None:
        session = self.app.session
        if pin is None or session is None:
            return
        outcome = session.set_pin(pin)
        if outcome.ok:
            self.app.notify("Facilitator PIN set.")
        else:
            self.app.notify(outcome.message, title="PIN not set", severity="error")

    def resume(self, path: str) -> None:
        """Resume a journal and continue where it stopped."""
        try:
            ex = resume_exercise(path, clock=self.clock)
        except ScenarioError as exc:
            self.show_problems(exc.problems)
            return
        except (TabletopError, OSError) as exc:
            self.show_problems(str(exc))
            return
        try:
            session = Session(ex, bots=self.app.bots)
        except TabletopError as exc:
            ex.close()
            self.show_problems(str(exc))
            return
        self.app.open_session(session, briefing=False)
