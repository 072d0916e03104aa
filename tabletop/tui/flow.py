"""Which screen is up during an exercise: briefing, handover, an agency's turn, debrief.

During play the bottom screen is the :class:`~tabletop.tui.screens.turn.TurnScreen`,
composed once per session and kept installed. The briefing and the handover are
pushed over it, dialogs over those; the turn screen is emptied before anything is
pushed over it between agencies, so nothing private stays in the DOM.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import ModalScreen, Screen

from tabletop.app.session import Session
from tabletop.tui.screens.bot_turn import BOT_STEP_SECONDS, BotTurnScreen
from tabletop.tui.screens.briefing import BriefingScreen
from tabletop.tui.screens.debrief import DebriefScreen
from tabletop.tui.screens.evaluator import EvaluatorScreen
from tabletop.tui.screens.handover import HandoverScreen
from tabletop.tui.screens.results import RoundResultsScreen
from tabletop.tui.screens.turn import TurnScreen


class ScreenFlow:
    """Moves an app's screen stack along with the exercise; the screens get the session.

    Args:
        app: The app whose screen stack this manages.
        bot_delay: Seconds between two decisions of a bot playing a seat.
    """

    def __init__(self, app: App[Any], *, bot_delay: float = BOT_STEP_SECONDS) -> None:
        self.app = app
        self.bot_delay = bot_delay
        self._turn: TurnScreen | None = None
        self._results_seen: int | None = None
        """The last round whose results the room has seen (None: not known yet)."""

    def base_screen(self) -> Screen:
        """The top screen that is not a dialog."""
        app = self.app
        for screen in reversed(app.screen_stack):
            if not isinstance(screen, ModalScreen):
                return screen
        return app.screen

    def go(self, screen: Screen) -> None:
        """Make ``screen`` the only screen (dialogs and pushed screens are closed)."""
        app = self.app
        while len(app.screen_stack) > 2:
            app.pop_screen()
        if len(app.screen_stack) <= 1:
            app.push_screen(screen)
        elif app.screen is not screen:
            app.switch_screen(screen)

    def turn_screen(self, session: Session) -> TurnScreen:
        """The turn screen of ``session`` (composed once, kept installed)."""
        if self._turn is None or self._turn.session is not session:
            if self._turn is not None and self._turn not in self.app.screen_stack:
                self.app.uninstall_screen(self._turn)
            self._turn = TurnScreen(session, turn_limit=getattr(self.app, "turn_timer", None))
            self._results_seen = last_resolved(session)
            self.app.install_screen(self._turn, name=f"turn-{id(self._turn)}")
        return self._turn

    def base_turn(self, session: Session) -> TurnScreen:
        """Make the turn screen the current screen, closing what is over it."""
        turn = self.turn_screen(session)
        if turn in self.app.screen_stack:
            while self.app.screen is not turn:
                self.app.pop_screen()
        else:
            self.go(turn)
        return turn

    def enter(self, session: Session, *, briefing: bool) -> None:
        """The first screen of a session just opened (new, resumed or attached)."""
        if session.state.phase != "running":
            self.go(DebriefScreen(session))
        elif session.evaluator:
            self.go(EvaluatorScreen(session))
        elif session.state.active in session.bots:
            self.show_bot(session, session.state.active or "")
        elif session.attached:
            self.show_turn(session, session.attach_as or "")
        elif briefing:
            self.base_turn(session).clear()
            self.app.push_screen(BriefingScreen(session))
        else:
            self.show_handover(session, session.state.active or "")

    def show_turn(self, session: Session, agency: str) -> None:
        """Show ``agency``'s private turn screen."""
        self.turn_screen(session).show_agency(agency)
        self.base_turn(session)

    def show_handover(self, session: Session, agency: str) -> None:
        """Empty the turn screen, then hide it under the handover screen of ``agency``.

        The facilitator's role, if unlocked on this keyboard, is locked again: the
        next player is about to sit down. On the hot-seat terminal a round just resolved
        shows its results to the room first (:class:`RoundResultsScreen`); its Enter comes
        back here. A bot's seat gets the bot's screen instead of the handover.
        """
        session.lock.lock()
        self.turn_screen(session).clear()  # nothing private stays in the DOM between agencies
        self.base_turn(session)
        resolved = last_resolved(session)
        if not session.attached and resolved > (self._results_seen or 0):
            self._results_seen = resolved
            self.app.push_screen(RoundResultsScreen(session, resolved))
            return
        if agency in session.bots:
            self.show_bot(session, agency)
            return
        self.app.push_screen(HandoverScreen(session, agency))

    def show_bot(self, session: Session, agency: str) -> None:
        """Empty the turn screen and show the bot playing ``agency``'s turn."""
        self.turn_screen(session).clear()
        self.base_turn(session)
        self.app.push_screen(
            BotTurnScreen(session, agency, session.bots[agency], delay=self.bot_delay)
        )

    def after_change(self, session: Session) -> None:
        """Bring the screens up to date after the state changed (here or in another terminal)."""
        st = session.state
        base = self.base_screen()
        if st.phase == "ended" or (st.active is None and not session.attached):
            if self._turn is not None:
                self._turn.clear()
            if isinstance(base, DebriefScreen):
                base.refresh_view()
            else:
                self.go(DebriefScreen(session))
            return
        if session.evaluator:
            if isinstance(base, EvaluatorScreen):
                base.refresh_view()
            else:
                self.go(EvaluatorScreen(session))
            return
        if st.active in session.bots:
            if isinstance(base, BotTurnScreen) and base.agency == st.active and not base.turn.done:
                base.refresh_view()
            else:
                self.show_bot(session, st.active or "")
            return
        if isinstance(base, BotTurnScreen):
            if session.attached:
                self.show_turn(session, session.attach_as or "")
            else:
                self.show_handover(session, st.active or "")
        elif isinstance(base, TurnScreen):
            if session.attached or base.viewer == st.active:
                base.refresh_view()
            else:
                self.show_handover(session, st.active or "")
        elif isinstance(base, RoundResultsScreen):
            return  # the room reads the results; Enter goes on to the handover
        elif isinstance(base, HandoverScreen):
            if base.agency == st.active:
                base.refresh_view()
            else:
                self.show_handover(session, st.active or "")


def last_resolved(session: Session) -> int:
    """The last round resolved in the session's journal (0: none yet)."""
    for rec in reversed(session.records):
        if rec.event.kind == "round_resolved":
            return rec.event.round
    return 0
