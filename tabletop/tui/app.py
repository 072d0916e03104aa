"""The tabletop Textual app: navigation between screens, submission, facilitator keys.

The app stays thin: screens live in :mod:`tabletop.tui.screens`, widgets in
:mod:`tabletop.tui.widgets`, the exercise behind them in
:class:`tabletop.tui.session.Session`. Screens send decisions up as
:class:`~tabletop.tui.messages.Decide` messages; the app submits them
(journal first) and then tells the screens to redraw.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from tabletop.engine.exercise import Clock, Exercise, system_clock
from tabletop.engine.game import Game
from tabletop.errors import ScenarioError, TabletopError
from tabletop.loader.game import PROJECT_ROOT, load_game
from tabletop.model import commands as cm
from tabletop.tui.messages import Decide
from tabletop.tui.screens.briefing import BriefingScreen
from tabletop.tui.screens.debrief import DebriefScreen
from tabletop.tui.screens.facilitator import (
    AdjudicateForm,
    ForceStageForm,
    ObservationForm,
    ReleaseInjectForm,
)
from tabletop.tui.screens.forms import ConfirmDialog
from tabletop.tui.screens.handover import HandoverScreen
from tabletop.tui.screens.start import StartScreen
from tabletop.tui.screens.turn import TurnScreen
from tabletop.tui.session import Session, default_journal

#: Seconds between two reads of the shared journal.
POLL_INTERVAL = 0.5


def find_scenarios(folders: Iterable[Path] | None = None) -> list[Path]:
    """Scenario files in ./scenarios and the project's scenarios folder (no duplicates)."""
    folders = (
        list(folders)
        if folders is not None
        else [Path.cwd() / "scenarios", PROJECT_ROOT / "scenarios"]
    )
    seen: set[Path] = set()
    out: list[Path] = []
    for folder in folders:
        for p in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            if p.resolve() not in seen:
                seen.add(p.resolve())
                out.append(p)
    return out


def find_journals(folder: Path | None = None) -> list[Path]:
    """Journal files in ./journals, newest first."""
    folder = folder if folder is not None else Path.cwd() / "journals"
    if not folder.is_dir():
        return []
    found = list(folder.glob("*.tabletop"))
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


class TabletopApp(App[int]):
    """Run a tabletop exercise at one keyboard (hot-seat) or attached to a shared journal.

    Args:
        scenario: Scenario to start at once (the picker is skipped unless it has problems).
        seed: Seed of a new exercise (None: the scenario's).
        journal: Journal path of a new exercise (None: journals/<scenario>-play-<time>.tabletop).
        exercise: An exercise already opened (resumed, attached, or made by a test).
        attach_as: Play only this agency of ``exercise`` (several terminals, one journal).
        show_briefing: Show the briefing before the first turn of ``exercise``.
        default_scenario: Scenario pre-filled on the start screen.
        scenario_dirs: Where the start screen looks for scenarios.
        journal_dir: Where new journals go and where the start screen looks for them.
        clock: Timestamps of decisions.
        poll_interval: Seconds between reads of the journal (0: never poll).
    """

    CSS_PATH = "app.tcss"
    TITLE = "tabletop"
    BINDINGS = [
        Binding("f2", "pause_toggle", "Pause/Resume"),
        Binding("f3", "release_inject", "Inject"),
        Binding("f4", "force_stage", "Stage"),
        Binding("f5", "adjudicate", "Adjudicate"),
        Binding("f6", "observe", "Observe"),
        Binding("f7", "undo_turn", "Undo"),
        Binding("f8", "end_exercise", "End"),
    ]

    def __init__(
        self,
        *,
        scenario: str | os.PathLike[str] | None = None,
        seed: int | None = None,
        journal: str | os.PathLike[str] | None = None,
        exercise: Exercise | None = None,
        attach_as: str | None = None,
        show_briefing: bool = False,
        default_scenario: str | None = None,
        scenario_dirs: Iterable[Path] | None = None,
        journal_dir: Path | None = None,
        clock: Clock = system_clock,
        poll_interval: float = POLL_INTERVAL,
    ) -> None:
        super().__init__()
        self.scenario_arg = str(scenario) if scenario is not None else None
        self.seed_arg = seed
        self.journal_arg = str(journal) if journal is not None else None
        self.scenario_dirs = list(scenario_dirs) if scenario_dirs is not None else None
        self.journal_dir = journal_dir
        self.clock = clock
        self.poll_interval = poll_interval
        self.show_briefing = show_briefing
        self.default_scenario = default_scenario
        self.session: Session | None = None
        self._turn: TurnScreen | None = None
        if exercise is not None:
            self.session = Session(exercise, attach_as=attach_as)

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        if self.session is not None:
            self._open(self.session, briefing=self.show_briefing)
        elif self.scenario_arg is not None:
            self.push_screen(self._start_screen())
            self.load_scenario(self.scenario_arg, self.seed_arg, self.journal_arg)
        else:
            self.push_screen(self._start_screen())

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()

    def _start_screen(self) -> StartScreen:
        scenarios = find_scenarios(self.scenario_dirs)
        if self.default_scenario is not None:
            default = Path(self.default_scenario).resolve()
            scenarios.sort(key=lambda p: p.resolve() != default)
        return StartScreen(
            scenarios,
            find_journals(self.journal_dir),
            path=self.scenario_arg or self.default_scenario or "",
            seed=self.seed_arg,
            journal=self.journal_arg,
        )

    @work(thread=True, exclusive=True, group="load")
    def load_scenario(self, path: str, seed: int | None, journal: str | None) -> None:
        """Load and check a scenario off the UI thread, then start it."""
        try:
            game = load_game(Path(path).resolve())
        except ScenarioError as exc:
            problems = list(exc.problems)
            self.call_from_thread(self._show_problems, problems)
            return
        except (TabletopError, OSError) as exc:
            self.call_from_thread(self._show_problems, f"{path}: {exc}")
            return
        self.call_from_thread(self.start_exercise, game, seed, journal)

    def _show_problems(self, problems: list | str) -> None:
        screen = self._base_screen()
        if not isinstance(screen, StartScreen):
            self._go(self._start_screen())
            screen = self.screen
        assert isinstance(screen, StartScreen)
        screen.show_problems(problems)

    def start_exercise(
        self, game: Game, seed: int | None = None, journal: str | None = None
    ) -> None:
        """Create a new journaled exercise and show its briefing (on the UI thread: SQLite)."""
        try:
            path = (
                Path(journal)
                if journal
                else default_journal(game.scenario.scenario.id, self.journal_dir or "journals")
            )
            ex = Exercise.new(game, path, clock=self.clock, seed=seed)
        except (TabletopError, OSError) as exc:
            self._show_problems(str(exc))
            return
        self._open(Session(ex), briefing=True)

    def resume_exercise(self, path: str) -> None:
        """Resume a journal and continue where it stopped."""
        try:
            ex = Exercise.resume(path, clock=self.clock)
        except ScenarioError as exc:
            self._show_problems(exc.problems)
            return
        except (TabletopError, OSError) as exc:
            self._show_problems(str(exc))
            return
        self._open(Session(ex), briefing=False)

    def _open(self, session: Session, *, briefing: bool) -> None:
        if self.session is not None and self.session is not session:
            self.session.close()
        self.session = session
        self.sub_title = session.game.scenario.scenario.title
        if session.journal_path is not None and self.poll_interval > 0:
            self.set_interval(self.poll_interval, self.poll, name="poll")
        if session.state.phase != "running":
            self._go(DebriefScreen(session))
        elif session.attached:
            self._show_turn(session.attach_as or "")
        elif briefing:
            self._base_turn().clear()
            self.push_screen(BriefingScreen(session))
        else:
            self._show_handover(session.state.active or "")

    @on(StartScreen.StartRequested)
    def _start_requested(self, event: StartScreen.StartRequested) -> None:
        self.load_scenario(event.path, event.seed, event.journal)

    @on(StartScreen.ResumeRequested)
    def _resume_requested(self, event: StartScreen.ResumeRequested) -> None:
        self.resume_exercise(event.path)

    @on(BriefingScreen.Begin)
    def _begin(self) -> None:
        assert self.session is not None
        self._show_handover(self.session.state.active or "")

    @on(HandoverScreen.Revealed)
    def _revealed(self, event: HandoverScreen.Revealed) -> None:
        assert self.session is not None
        if self.session.state.active == event.agency:
            self._show_turn(event.agency)
        else:
            self.after_change()

    # ------------------------------------------------------------------ navigation
    #
    # During play the bottom screen is the TurnScreen (composed once). The
    # briefing and the handover are pushed over it, dialogs over those; the
    # TurnScreen is emptied before anything is pushed over it between agencies.

    def _base_screen(self) -> Screen:
        """The top screen that is not a dialog."""
        for screen in reversed(self.screen_stack):
            if not isinstance(screen, ModalScreen):
                return screen
        return self.screen

    def _go(self, screen: Screen) -> None:
        """Make ``screen`` the only screen (dialogs and pushed screens are closed)."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) <= 1:
            self.push_screen(screen)
        elif self.screen is not screen:
            self.switch_screen(screen)

    def turn_screen(self) -> TurnScreen:
        """The turn screen of the current session (composed once, kept installed)."""
        assert self.session is not None
        if self._turn is None or self._turn.session is not self.session:
            if self._turn is not None and self._turn not in self.screen_stack:
                self.uninstall_screen(self._turn)
            self._turn = TurnScreen(self.session)
            self.install_screen(self._turn, name=f"turn-{id(self._turn)}")
        return self._turn

    def _base_turn(self) -> TurnScreen:
        """Make the turn screen the current screen, closing what is over it."""
        turn = self.turn_screen()
        if turn in self.screen_stack:
            while self.screen is not turn:
                self.pop_screen()
        else:
            self._go(turn)
        return turn

    def _show_turn(self, agency: str) -> None:
        """Show ``agency``'s private turn screen."""
        turn = self.turn_screen()
        turn.show_agency(agency)
        self._base_turn()

    def _show_handover(self, agency: str) -> None:
        """Empty the turn screen, then hide it under the handover screen of ``agency``."""
        assert self.session is not None
        self.turn_screen().clear()  # nothing private stays in the DOM between two agencies
        self._base_turn()
        self.push_screen(HandoverScreen(self.session, agency))

    def after_change(self) -> None:
        """Bring the screens up to date after the state changed (here or in another terminal)."""
        s = self.session
        if s is None:
            return
        st = s.state
        base = self._base_screen()
        if st.phase == "ended" or (st.active is None and not s.attached):
            if self._turn is not None:
                self._turn.clear()
            if isinstance(base, DebriefScreen):
                base.refresh_view()
            else:
                self._go(DebriefScreen(s))
            return
        if isinstance(base, TurnScreen):
            if s.attached or base.viewer == st.active:
                base.refresh_view()
            else:
                self._show_handover(st.active or "")
        elif isinstance(base, HandoverScreen):
            if base.agency == st.active:
                base.refresh_view()
            else:
                self._show_handover(st.active or "")

    def poll(self) -> None:
        """Read decisions other terminals appended; redraw when there are any."""
        if self.session is not None and self.session.poll():
            self.after_change()

    # ------------------------------------------------------------------ decisions

    def submit(self, command: cm.Command) -> bool:
        """Submit a decision (journal first); show why when refused. True when applied."""
        if self.session is None:
            self.notify("No exercise is running.", severity="warning")
            return False
        outcome = self.session.submit(command)
        if not outcome.ok:
            self.notify(
                outcome.message, title="Not done", severity="warning" if outcome.stale else "error"
            )
            if outcome.stale:
                self.after_change()
            return False
        self.after_change()
        return True

    @on(Decide)
    def _decide(self, message: Decide) -> None:
        message.stop()
        self.submit(message.command)

    def _decide_cb(self, command: cm.Command | None) -> None:
        if command is not None:
            self.submit(command)

    # ------------------------------------------------------------------ facilitator console

    FACILITATOR_ACTIONS = frozenset(
        {
            "pause_toggle",
            "release_inject",
            "force_stage",
            "adjudicate",
            "observe",
            "undo_turn",
            "end_exercise",
        }
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the facilitator keys until an exercise is open."""
        if action == "observe":
            return self.session is not None  # evaluators may still note things at the debrief
        if action in self.FACILITATOR_ACTIONS:
            return self.session is not None and self.session.state.phase == "running"
        return True

    def _live_session(self) -> Session | None:
        s = self.session
        if s is None or s.state.phase != "running":
            self.notify("No exercise is running.", severity="warning")
            return None
        return s

    def action_pause_toggle(self) -> None:
        """F2: pause or resume the exercise."""
        if (s := self._live_session()) is not None:
            self.submit(cm.Resume() if s.state.paused else cm.Pause())
            self.notify("Paused." if s.state.paused else "Resumed.")

    def action_release_inject(self) -> None:
        """F3: release an inject by hand."""
        if (s := self._live_session()) is not None:
            self.push_screen(ReleaseInjectForm(s.game, s.state, s.check), self._decide_cb)

    def action_force_stage(self) -> None:
        """F4: force a stage transition (with a reason)."""
        if (s := self._live_session()) is not None:
            self.push_screen(ForceStageForm(s.game, s.state, s.check), self._decide_cb)

    def action_adjudicate(self) -> None:
        """F5: override a value (with a reason)."""
        if (s := self._live_session()) is not None:
            self.push_screen(AdjudicateForm(s.game, s.state, s.check), self._decide_cb)

    def action_observe(self) -> None:
        """F6: record an evaluator observation."""
        if (s := self.session) is not None:
            self.push_screen(ObservationForm(s.game, s.state, s.check), self._decide_cb)
        else:
            self.notify("No exercise is running.", severity="warning")

    def action_undo_turn(self) -> None:
        """F7: undo the active agency's decisions of this turn."""
        if (s := self._live_session()) is None:
            return
        why = s.check(cm.UndoTurn())
        if why is not None:
            self.notify(why, title="Cannot undo", severity="warning")
            return
        dialog = ConfirmDialog(
            f"Undo {s.state.active}'s decisions of this turn?",
            "The decisions stay in the journal, marked as undone.",
            submit="Undo",
        )
        self.push_screen(dialog, lambda ok: self.submit(cm.UndoTurn()) if ok is not None else None)

    def action_end_exercise(self) -> None:
        """F8: end the exercise (with a reason) and show the debrief."""
        if (s := self.session) is None or s.state.phase == "ended":
            self.notify("No exercise is running.", severity="warning")
            return
        dialog = ConfirmDialog(
            "End the exercise now?",
            "Nobody can act afterwards; the debrief is shown.",
            reason="Reason (logged)",
            default="ended by facilitator",
            submit="End exercise",
        )
        self.push_screen(
            dialog, lambda why: self.submit(cm.EndExercise(reason=why)) if why else None
        )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Command palette entries: the facilitator console, then Textual's own."""
        if self.session is not None:
            paused = self.session.state.paused
            yield SystemCommand(
                "Facilitator: resume" if paused else "Facilitator: pause",
                "Stop or restart play (F2)",
                self.action_pause_toggle,
            )
            yield SystemCommand(
                "Facilitator: release inject",
                "Fire a scripted inject now (F3)",
                self.action_release_inject,
            )
            yield SystemCommand(
                "Facilitator: force stage",
                "Move to another stage, with a reason (F4)",
                self.action_force_stage,
            )
            yield SystemCommand(
                "Facilitator: adjudicate",
                "Override a value, with a reason (F5)",
                self.action_adjudicate,
            )
            yield SystemCommand(
                "Facilitator: add observation",
                "Evaluator note for the report (F6)",
                self.action_observe,
            )
            yield SystemCommand(
                "Facilitator: undo turn",
                "Undo the active agency's turn (F7)",
                self.action_undo_turn,
            )
            yield SystemCommand(
                "Facilitator: end exercise",
                "End now and show the debrief (F8)",
                self.action_end_exercise,
            )
        yield from super().get_system_commands(screen)
