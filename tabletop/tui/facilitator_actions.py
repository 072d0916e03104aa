"""The facilitator console behind F2-F8 and the "Facilitator: ..." palette entries.

The app binds the keys and forwards its ``action_*`` methods to a
:class:`FacilitatorConsole`, which opens the dialogs of
:mod:`tabletop.tui.screens.facilitator` (or a confirmation) and submits the
command they dismiss with through the app: journal first, like every decision.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from tabletop.describe import named_recipients
from tabletop.model import commands as cm
from tabletop.tui.screens.facilitator import (
    AdjudicateForm,
    FacilitatorForm,
    ForceStageForm,
    ObservationForm,
    ReleaseInjectForm,
)
from tabletop.tui.screens.forms import ConfirmDialog
from tabletop.tui.session import Session

if TYPE_CHECKING:
    from tabletop.tui.app import TabletopApp

#: The app's actions that belong to the console (F2-F8).
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


class FacilitatorConsole:
    """Pause, injects, stages, adjudication, observations, undo and the end of an exercise.

    Args:
        app: The app whose session the console steers; commands go through ``app.submit``.
    """

    def __init__(self, app: TabletopApp) -> None:
        self.app = app

    def allowed(self, action: str) -> bool:
        """Whether the app's ``action`` may run now: the console needs an open exercise."""
        session = self.app.session
        if action == "observe":
            return session is not None  # evaluators may still note things at the debrief
        if action in FACILITATOR_ACTIONS:
            return session is not None and session.state.phase == "running"
        return True

    def _live_session(self) -> Session | None:
        s = self.app.session
        if s is None or s.state.phase != "running":
            self.app.notify("No exercise is running.", severity="warning")
            return None
        return s

    def _submit(self, command: cm.Command | None) -> None:
        if command is not None:
            self.app.submit(command)

    def _open(self, form: type[FacilitatorForm], session: Session | None) -> None:
        if session is not None:
            self.app.push_screen(form(session.game, session.state, session.check), self._submit)

    def pause_toggle(self) -> None:
        """F2: pause or resume the exercise."""
        if (s := self._live_session()) is not None:
            self.app.submit(cm.Resume() if s.state.paused else cm.Pause())
            self.app.notify("Paused." if s.state.paused else "Resumed.")

    def release_inject(self) -> None:
        """F3: release an inject by hand; a notification says it reached its addressees."""
        s = self._live_session()
        if s is None:
            return

        def released(command: cm.Command | None) -> None:
            if isinstance(command, cm.ReleaseInject) and self.app.submit(command):
                inject = next(i for i in s.game.scenario.injects if i.id == command.inject)
                if inject.is_private:  # the room may be looking: no title of a private inject
                    text = f"A private inject reached its {len(inject.to)} addressee(s)."
                else:
                    to = named_recipients(s.game, inject.to, everyone="every agency")
                    text = f"'{inject.title}' released to {to}."
                self.app.notify(text, title="Inject released")

        self.app.push_screen(ReleaseInjectForm(s.game, s.state, s.check), released)

    def force_stage(self) -> None:
        """F4: force a stage transition (with a reason)."""
        self._open(ForceStageForm, self._live_session())

    def adjudicate(self) -> None:
        """F5: override a value (with a reason)."""
        self._open(AdjudicateForm, self._live_session())

    def observe(self) -> None:
        """F6: record an evaluator observation (also at the debrief)."""
        if self.app.session is None:
            self.app.notify("No exercise is running.", severity="warning")
        self._open(ObservationForm, self.app.session)

    def undo_turn(self) -> None:
        """F7: undo the active agency's decisions of this turn."""
        if (s := self._live_session()) is None:
            return
        why = s.check(cm.UndoTurn())
        if why is not None:
            self.app.notify(why, title="Cannot undo", severity="warning")
            return
        dialog = ConfirmDialog(
            f"Undo {s.state.active}'s decisions of this turn?",
            "The decisions stay in the journal, marked as undone.",
            submit="Undo",
        )
        self.app.push_screen(
            dialog, lambda ok: self.app.submit(cm.UndoTurn()) if ok is not None else None
        )

    def end_exercise(self) -> None:
        """F8: end the exercise (with a reason) and show the debrief."""
        if (s := self.app.session) is None or s.state.phase == "ended":
            self.app.notify("No exercise is running.", severity="warning")
            return
        dialog = ConfirmDialog(
            "End the exercise now?",
            "Nobody can act afterwards; the debrief is shown.",
            reason="Reason (logged)",
            default="ended by facilitator",
            submit="End exercise",
        )
        self.app.push_screen(
            dialog, lambda why: self.app.submit(cm.EndExercise(reason=why)) if why else None
        )

    def system_commands(self) -> Iterator[SystemCommand]:
        """The console's command palette entries (none before an exercise is open)."""
        if self.app.session is None:
            return
        paused = self.app.session.state.paused
        yield SystemCommand(
            "Facilitator: resume" if paused else "Facilitator: pause",
            "Stop or restart play (F2)",
            self.pause_toggle,
        )
        yield SystemCommand(
            "Facilitator: release inject", "Fire a scripted inject now (F3)", self.release_inject
        )
        yield SystemCommand(
            "Facilitator: force stage",
            "Move to another stage, with a reason (F4)",
            self.force_stage,
        )
        yield SystemCommand(
            "Facilitator: adjudicate", "Override a value, with a reason (F5)", self.adjudicate
        )
        yield SystemCommand(
            "Facilitator: add observation", "Evaluator note for the report (F6)", self.observe
        )
        yield SystemCommand(
            "Facilitator: undo turn", "Undo the active agency's turn (F7)", self.undo_turn
        )
        yield SystemCommand(
            "Facilitator: end exercise", "End now and show the debrief (F8)", self.end_exercise
        )
