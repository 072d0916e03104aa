"""An agency's turn: status, regions, private inbox, proposals, action menu, decision log.

A ``TurnScreen`` shows one agency at a time (its ``viewer``). It is composed
once per exercise and kept installed so a turn appears in a few milliseconds.
When the turn passes, :meth:`TurnScreen.clear` empties every panel (the
agency's inbox, briefing, regions and log leave the DOM, not just the view)
before the app shows the handover screen; :meth:`TurnScreen.show_agency`
fills them for the next agency after it pressed Enter.
"""

from __future__ import annotations

import time

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen

from tabletop.app.session import Session
from tabletop.engine.legal import ActionOption, legal_actions, turn_problem
from tabletop.engine.view import agency_view
from tabletop.model import commands as cm
from tabletop.tui.messages import Decide
from tabletop.tui.screens.forms import ActionForm, ChooseDialog, ConfirmDialog
from tabletop.tui.screens.help import HelpScreen
from tabletop.tui.screens.proposal import ProposalForm, ProposalScreen
from tabletop.tui.text import log_lines
from tabletop.tui.widgets.actions import ActionMenu, action_keys
from tabletop.tui.widgets.inbox import InboxPanel, ProposalList
from tabletop.tui.widgets.log import DecisionLog
from tabletop.tui.widgets.menu import Menu
from tabletop.tui.widgets.private import PrivateScoreLine
from tabletop.tui.widgets.regions import RegionsPanel
from tabletop.tui.widgets.status import KeyBar, StatusBar

ANSWERS = ("accept", "reject", "counter")


class TurnScreen(Screen[None]):
    """The private screen of one agency.

    Args:
        session: The exercise.
        viewer: The agency whose view is shown first (None: empty until :meth:`show_agency`).
    """

    BINDINGS = [
        Binding("ctrl+e", "end_turn", "End turn"),
        Binding("ctrl+n", "new_proposal", "Propose"),
    ]

    def __init__(
        self, session: Session, viewer: str | None = None, *, turn_limit: float | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.viewer: str | None = viewer
        self.turn_limit = turn_limit
        """The facilitator's turn timer in seconds (None: the timer only counts)."""
        self.turn_started: float | None = None
        """When the viewer's screen was revealed (the TUI's monotonic clock)."""
        self._ready = False

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield RegionsPanel(id="regions")
                yield PrivateScoreLine(id="private")
                yield DecisionLog(id="log")
            with Vertical(id="right"):
                with VerticalScroll(id="inbox-scroll"):
                    yield InboxPanel(id="inbox")
                yield ProposalList(id="proposals")
                yield ActionMenu(id="actions", hint_lines=2)
        yield KeyBar(KeyBar.PLAYER_KEYS if self.session.attached else None, id="keys")

    def on_mount(self) -> None:
        self._ready = True
        self.query_one("#regions").border_title = "Regions"
        self.query_one("#log").border_title = "Decision log"
        self.query_one("#proposals").border_title = "Proposals"
        self.set_interval(1.0, self.tick_timer, name="turn-timer")
        if self.viewer is not None:
            self.show_agency(self.viewer)
        else:
            self.clear()

    # ------------------------------------------------------------------ data down

    def show_agency(self, agency: str) -> None:
        """Show the private view of ``agency`` (the screen may be off display)."""
        if agency != self.viewer or self.turn_started is None:
            self.turn_started = time.monotonic()
        self.viewer = agency
        if not self._ready:
            return
        self.tick_timer(redraw=False)
        name = self.session.game.scenario.agencies[agency].name
        self.query_one("#inbox-scroll").border_title = f"Inbox of {name} (private)"
        self.query_one("#inbox-scroll").scroll_home(animate=False)
        self.refresh_view()
        menu = self.query_one(ActionMenu)
        menu.index = 0
        if self.focused is not menu:
            self.set_focus(menu)

    def clear(self) -> None:
        """Remove everything private from the screen (between two agencies)."""
        self.viewer = None
        self.turn_started = None
        if not self._ready:
            return
        self.query_one("#inbox-scroll").border_title = "Inbox"
        for panel in (
            self.query_one(StatusBar),
            self.query_one(RegionsPanel),
            self.query_one(InboxPanel),
            self.query_one(PrivateScoreLine),
        ):
            panel.clear()
        self.query_one(ProposalList).set_items([], keep=False, empty="")
        self.query_one(ActionMenu).set_items([], keep=False, empty="")
        self.query_one(DecisionLog).show([])

    def options(self) -> list[ActionOption]:
        """The catalogue as ``legal_actions`` offers it to the viewer now."""
        if self.viewer is None:
            return []
        return legal_actions(self.session.game, self.session.state, self.viewer)

    def refresh_view(self) -> None:
        """Redraw every panel from the session's current state."""
        if self.viewer is None:
            return
        s = self.session
        state = s.state
        view = agency_view(s.game, state, self.viewer)
        self.query_one(StatusBar).show(s)
        titles = {rid: r.title for rid, r in s.game.rules.resources.items()}
        self.query_one(RegionsPanel).show(view, titles)
        self.query_one(PrivateScoreLine).show(s, self.viewer)
        self.query_one(InboxPanel).show(view, s.game, state)
        self.query_one(ProposalList).show(view.proposals, self.viewer, s.game)
        blocked = turn_problem(state, self.viewer)
        menu = self.query_one(ActionMenu)
        if blocked is None:
            menu.show(s.game, self.options())
            menu.border_title = f"Actions ({view.points} AP left)"
        else:
            menu.show(s.game, [], blocked)
            menu.border_title = "Actions"
        self.query_one(DecisionLog).show(log_lines(s.game, s.records, self.viewer))

    def tick_timer(self, *, redraw: bool = True) -> None:
        """Show how long the turn has lasted against the facilitator's limit (display only:
        the engine has no clock). Without a limit (``--turn-timer``) nothing is shown."""
        if self.viewer is None or self.turn_started is None or self.turn_limit is None:
            return
        bar = self.query_one(StatusBar)
        elapsed = time.monotonic() - self.turn_started
        if redraw:
            bar.tick(elapsed, self.turn_limit)
        else:
            bar.timer = (elapsed, self.turn_limit)

    def on_screen_resume(self) -> None:
        """After a dialog the keys go to the action menu again (unless on the proposals)."""
        if self.viewer is not None and not isinstance(self.focused, (ActionMenu, ProposalList)):
            self.set_focus(self.query_one(ActionMenu))

    def on_key(self, event: events.Key) -> None:
        """A letter chooses the action shown with it (see ``action_keys``)."""
        char = event.character
        if self.viewer is None or not char or len(char) != 1 or not char.isalpha():
            return
        action = self.query_one(ActionMenu).keys.get(char.lower())
        if action is not None:
            event.stop()
            event.prevent_default()
            self.query_one(ActionMenu).highlight(action)
            self.choose_action(action)

    def help_actions(self) -> list[tuple[str, str]]:
        """(letter, title) of the viewer's actions, for the help screen."""
        if self.viewer is None:
            return []
        keys = action_keys(self.session.game)
        return [(keys[o.action], o.title) for o in self.options() if o.action in keys]

    def action_help(self) -> None:
        """F1 on the turn screen: the keys, with this turn's action letters."""
        self.app.push_screen(HelpScreen(self.help_actions()))

    # ------------------------------------------------------------------ decisions up

    def decide(self, command: cm.Command | None) -> None:
        """Send a decision to the app (ignored when None: a cancelled dialog)."""
        if command is not None:
            self.post_message(Decide(command))

    @on(Menu.Selected, "#actions")
    def _action_selected(self, event: Menu.Selected) -> None:
        event.stop()
        self.choose_action(event.item_id)

    @on(Menu.Selected, "#proposals")
    def _proposal_selected(self, event: Menu.Selected) -> None:
        event.stop()
        self.open_proposal(event.item_id)

    def choose_action(self, action_id: str) -> None:
        """Start the catalogue action ``action_id``: a form when it has parameters."""
        s = self.session
        if self.viewer is None:
            return
        opt = next((o for o in self.options() if o.action == action_id), None)
        if opt is None:
            self.notify(f"Unknown action '{action_id}'.", severity="error")
            return
        if not opt.enabled:
            self.notify(f"{opt.title}: {opt.reason}", severity="warning")
            return
        h = opt.handler
        if h == "pass":
            self.action_end_turn()
        elif h == "propose":
            form = ProposalForm(s.game, self.viewer, s.state.round, s.check, option=opt)
            self.app.push_screen(form, self.decide)
        elif h in ANSWERS:
            param = opt.param("proposal")
            waiting = param.choices if param else ()
            if len(waiting) == 1:
                self.open_proposal(waiting[0])
            else:
                items = [(f"{pid}: {s.state.proposals[pid].title}", pid) for pid in waiting]
                self.app.push_screen(
                    ChooseDialog("Which proposal?", items),
                    lambda pid: self.open_proposal(pid) if pid else None,
                )
        elif not opt.params:
            self.decide(cm.TakeAction(agency=self.viewer, action=opt.action))
        else:
            self.app.push_screen(ActionForm(s.game, self.viewer, opt, s.check), self.decide)

    def open_proposal(self, proposal: str) -> None:
        """Show a proposal beside its previous version, with the legal answers."""
        s = self.session
        if self.viewer is None or proposal not in s.state.proposals:
            return
        allowed = frozenset(
            o.handler
            for o in self.options()
            if o.handler in ANSWERS
            and o.enabled
            and proposal in (o.param("proposal").choices if o.param("proposal") else ())  # type: ignore[union-attr]
        )
        screen = ProposalScreen(s.game, s.state, self.viewer, proposal, allowed, s.check)
        self.app.push_screen(screen, self.decide)

    def action_end_turn(self) -> None:
        """End the viewer's turn; ask first when it still has action points to spend."""
        if self.viewer is None:
            return
        agency = self.viewer
        points = self.session.state.agencies[agency].points
        spendable = points > 0 and any(
            o.enabled and o.cost > 0 and o.handler != "pass" for o in self.options()
        )
        if not spendable:
            self.end_turn_now()
            return
        name = self.session.game.scenario.agencies[agency].name
        dialog = ConfirmDialog(
            "End the turn?",
            f"{name} still has {points} action point(s); they are lost at the end of the turn.",
            submit="End turn",
        )

        def done(answer: str | None) -> None:
            if answer is not None and self.viewer == agency:
                self.end_turn_now()

        self.app.push_screen(dialog, done)

    def end_turn_now(self) -> None:
        """End the viewer's turn without asking."""
        if self.viewer is not None:
            self.decide(cm.EndTurn(agency=self.viewer))

    def action_new_proposal(self) -> None:
        """Open the proposal form (the catalogue's first propose action)."""
        opt = next((o for o in self.options() if o.handler == "propose" and o.enabled), None)
        if opt is None:
            why = next((o.reason for o in self.options() if o.handler == "propose"), "")
            self.notify(f"You cannot propose now: {why}", severity="warning")
            return
        self.choose_action(opt.action)
