"""The tabletop Textual app: composition, key bindings and routing of the screens' messages.

The app stays thin: screens live in :mod:`tabletop.tui.screens`, widgets in
:mod:`tabletop.tui.widgets`, the exercise behind them in
:class:`tabletop.app.session.Session`. Opening an exercise is the
:class:`~tabletop.tui.launcher.Launcher`'s job, choosing the screen that is up the
:class:`~tabletop.tui.flow.ScreenFlow`'s, the facilitator's function keys the
:class:`~tabletop.tui.facilitator_actions.FacilitatorConsole`'s. Screens send
decisions up as :class:`~tabletop.tui.messages.Decide` messages; the app submits
them (journal first) and then tells the screens to redraw.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tabletop.app.session import EXPRESSION_FAILED, Session, failure_lines
from tabletop.engine.exercise import Clock, Exercise, system_clock
from tabletop.model import commands as cm
from tabletop.tui.facilitator_actions import FacilitatorConsole
from tabletop.tui.flow import ScreenFlow
from tabletop.tui.launcher import Launcher
from tabletop.tui.messages import Decide
from tabletop.tui.screens.bot_turn import BOT_STEP_SECONDS, BotTurnScreen
from tabletop.tui.screens.briefing import BriefingScreen
from tabletop.tui.screens.forms import ConfirmDialog
from tabletop.tui.screens.handover import HandoverScreen
from tabletop.tui.screens.help import HelpScreen
from tabletop.tui.screens.join import JoinScreen
from tabletop.tui.screens.results import RoundResultsScreen
from tabletop.tui.screens.start import StartScreen

#: Seconds between two reads of the shared journal.
POLL_INTERVAL = 0.5


class TabletopApp(App[int]):
    """Run a tabletop exercise at one keyboard (hot-seat) or attached to a shared journal.

    Args:
        scenario: Scenario to start at once (the picker is skipped unless it has problems).
        seed: Seed of a new exercise (None: the scenario's).
        journal: Journal path of a new exercise (None: journals/<scenario>-play-<time>.tabletop).
        exercise: An exercise already opened (resumed, attached, or made by a test).
        attach_as: Play only this agency of ``exercise`` (several terminals, one journal),
            or ``"evaluator"`` for the evaluator's terminal.
        join: Show the join screen first (seat and join code; ``attach_as`` fixes the seat).
        bots: Agency -> bot policy, for the seats bots take (``--bot county=cooperative``).
        bot_delay: Seconds between two decisions of a bot, so the room can follow.
        show_briefing: Show the briefing before the first turn of ``exercise``.
        default_scenario: Scenario pre-filled on the start screen.
        scenario_dirs: Where the start screen looks for scenarios.
        journal_dir: Where new journals go and where the start screen looks for them.
        clock: Timestamps of decisions.
        poll_interval: Seconds between reads of the journal (0: never poll).
        turn_timer: The facilitator's time per turn in seconds, shown on the turn screen
            (display only; None: the turn's time is shown without a limit).
    """

    CSS_PATH = "app.tcss"
    TITLE = "tabletop"
    #: Screen classes for small terminals (app.tcss: 80x24 keeps every form usable).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("f1", "help", "Help", priority=True),
        Binding("f2", "pause_toggle", "Pause/Resume"),
        Binding("f3", "release_inject", "Inject"),
        Binding("f4", "force_stage", "Stage"),
        Binding("f5", "adjudicate", "Adjudicate"),
        Binding("f6", "observe", "Observe"),
        Binding("f7", "undo_turn", "Undo"),
        Binding("f8", "end_exercise", "End"),
        Binding("f9", "adhoc_inject", "Ad-hoc inject"),
    ]

    def __init__(
        self,
        *,
        scenario: str | os.PathLike[str] | None = None,
        seed: int | None = None,
        journal: str | os.PathLike[str] | None = None,
        exercise: Exercise | None = None,
        attach_as: str | None = None,
        join: bool = False,
        bots: Mapping[str, str] | None = None,
        bot_delay: float = BOT_STEP_SECONDS,
        show_briefing: bool = False,
        default_scenario: str | None = None,
        scenario_dirs: Iterable[Path] | None = None,
        journal_dir: Path | None = None,
        clock: Clock = system_clock,
        poll_interval: float = POLL_INTERVAL,
        turn_timer: float | None = None,
    ) -> None:
        super().__init__()
        self.poll_interval = poll_interval
        self.turn_timer = turn_timer
        self.show_briefing = show_briefing
        self.session: Session | None = None
        self.bots = dict(bots or {})
        self.flow = ScreenFlow(self, bot_delay=bot_delay)
        self.facilitator = FacilitatorConsole(self)
        self.launcher = Launcher(
            self,
            scenario=scenario,
            seed=seed,
            journal=journal,
            default_scenario=default_scenario,
            scenario_dirs=scenario_dirs,
            journal_dir=journal_dir,
            clock=clock,
        )
        #: The shared exercise waiting for its seat and code (the join screen).
        self.joining: Exercise | None = None
        self.join_seat = attach_as
        if exercise is not None and join:
            self.joining = exercise
        elif exercise is not None and attach_as is not None:
            self.session = Session.for_seat(exercise, attach_as, bots=self.bots)
        elif exercise is not None:
            self.session = Session(exercise, bots=self.bots)

    def on_mount(self) -> None:
        if self.joining is not None:
            self.push_screen(JoinScreen(self.joining, self.join_seat), self._joined)
        elif self.session is not None:
            self.open_session(self.session, briefing=self.show_briefing)
        else:
            self.launcher.show_start()

    def _joined(self, seat: str | None) -> None:
        """The join screen took a seat: open the exercise as that seat."""
        if seat is None or self.joining is None:
            self.exit()
            return
        exercise, self.joining = self.joining, None
        self.open_session(Session.for_seat(exercise, seat, bots=self.bots), briefing=False)

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()
        elif self.joining is not None:
            self.joining.close()

    def open_session(self, session: Session, *, briefing: bool) -> None:
        """Make ``session`` the app's exercise (closing another) and show its first screen."""
        if self.session is not None and self.session is not session:
            self.session.close()
        self.session = session
        self.sub_title = session.game.scenario.scenario.title
        if session.journal_path is not None and self.poll_interval > 0:
            self.set_interval(self.poll_interval, self.poll, name="poll")
        self.flow.enter(session, briefing=briefing)

    # ------------------------------------------------------------------ routing

    @on(StartScreen.StartRequested)
    def _start_requested(self, event: StartScreen.StartRequested) -> None:
        self.launcher.load(event.path, event.seed, event.journal)

    @on(StartScreen.ResumeRequested)
    def _resume_requested(self, event: StartScreen.ResumeRequested) -> None:
        self.launcher.resume(event.path)

    @on(BriefingScreen.Begin)
    def _begin(self) -> None:
        assert self.session is not None
        self.flow.show_handover(self.session, self.session.state.active or "")

    @on(HandoverScreen.Revealed)
    def _revealed(self, event: HandoverScreen.Revealed) -> None:
        assert self.session is not None
        if self.session.state.active == event.agency:
            self.flow.show_turn(self.session, event.agency)
        else:
            self.after_change()

    @on(RoundResultsScreen.Continue)
    def _results_seen(self) -> None:
        assert self.session is not None
        self.flow.show_handover(self.session, self.session.state.active or "")

    @on(Decide)
    def _decide(self, message: Decide) -> None:
        message.stop()
        self.facilitator.submit(message.command)  # asks for the PIN first where needed

    @on(BotTurnScreen.Finished)
    def _bot_finished(self) -> None:
        self.after_change()

    def after_change(self) -> None:
        """Bring the screens up to date after the state changed (here or in another terminal)."""
        if self.session is not None:
            self.flow.after_change(self.session)

    def poll(self) -> None:
        """Read decisions other terminals appended; redraw when there are any."""
        if self.session is not None and (new := self.session.poll()):
            self.notify_failures(failure_lines(new))
            self.after_change()

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
        self.notify_failures(outcome.failures)
        self.after_change()
        return True

    def notify_failures(self, lines: tuple[str, ...]) -> None:
        """Tell the facilitator about expressions that failed (skipped; play goes on)."""
        for line in lines:
            self.notify(line, title=EXPRESSION_FAILED, severity="warning", timeout=20)

    # ------------------------------------------------------------------ help and quit

    def action_help(self) -> None:
        """F1: the keys of each screen (on a turn, with its action letters)."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        from tabletop.tui.screens.turn import TurnScreen

        if isinstance(self.screen, TurnScreen):
            self.screen.action_help()
        else:
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        """ctrl+q: ask first during an exercise (a second ctrl+q quits at once)."""
        running = self.session is not None and self.session.state.phase == "running"
        if not running or isinstance(self.screen, ConfirmDialog):
            self.exit()
            return
        path = self.session.journal_path if self.session is not None else None
        text = (
            f"Every decision is in the journal; continue later with tabletop play --resume {path}"
            if path is not None
            else "This exercise has no journal: it cannot be resumed."
        )

        def done(answer: str | None) -> None:
            if answer is not None:
                self.exit()

        self.push_screen(ConfirmDialog("Quit tabletop?", text, submit="Quit"), done)

    # ------------------------------------------------------------------ facilitator console

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the facilitator keys until an exercise is open."""
        return self.facilitator.allowed(action)

    def action_pause_toggle(self) -> None:
        """F2: pause or resume the exercise."""
        self.facilitator.pause_toggle()

    def action_release_inject(self) -> None:
        """F3: release an inject by hand."""
        self.facilitator.release_inject()

    def action_force_stage(self) -> None:
        """F4: force a stage transition (with a reason)."""
        self.facilitator.force_stage()

    def action_adjudicate(self) -> None:
        """F5: override a value (with a reason)."""
        self.facilitator.adjudicate()

    def action_observe(self) -> None:
        """F6: record an evaluator observation."""
        self.facilitator.observe()

    def action_undo_turn(self) -> None:
        """F7: undo the active agency's decisions of this turn."""
        self.facilitator.undo_turn()

    def action_end_exercise(self) -> None:
        """F8: end the exercise (with a reason) and show the debrief."""
        self.facilitator.end_exercise()

    def action_adhoc_inject(self) -> None:
        """F9: write an inject now and release it."""
        self.facilitator.adhoc_inject()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Command palette entries: the facilitator console, then Textual's own."""
        yield from self.facilitator.system_commands()
        yield from super().get_system_commands(screen)
