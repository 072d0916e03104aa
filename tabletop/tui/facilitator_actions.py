"""The facilitator console behind F2-F9 and the "Facilitator: ..." palette entries.

The app binds the keys and forwards its ``action_*`` methods to a
:class:`FacilitatorConsole`, which opens the dialogs of
:mod:`tabletop.tui.screens.facilitator` (or a confirmation) and submits the
command they dismiss with through the app: journal first, like every decision.

Every action needs the facilitator's role first (:meth:`FacilitatorConsole.authorise`):
on the hot-seat terminal the facilitator's PIN unlocks it for a while; an agency's
attached terminal never has it, and its attempts are refused and journaled
(``facilitator_access_refused``). The evaluator's terminal may add observations only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from tabletop.app.session import Session
from tabletop.bots import POLICIES
from tabletop.describe import named_recipients
from tabletop.model import commands as cm
from tabletop.roles import MSG_WRONG_PIN
from tabletop.tui.screens.facilitator import (
    AdHocInjectForm,
    AdjudicateForm,
    FacilitatorForm,
    ForceStageForm,
    ObservationForm,
    ReleaseInjectForm,
)
from tabletop.tui.screens.forms import ChooseDialog, ConfirmDialog
from tabletop.tui.screens.pin import PinDialog, PinSetupDialog

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
        "adhoc_inject",
    }
)

#: What each action does, shown in the PIN dialog.
ACTION_TITLES = {
    "pause_toggle": "Pause or resume the exercise (F2).",
    "release_inject": "Release a scripted inject (F3).",
    "force_stage": "Force a stage transition (F4).",
    "adjudicate": "Adjudicate a value (F5).",
    "observe": "Add an evaluator observation (F6).",
    "undo_turn": "Undo the active agency's turn (F7).",
    "end_exercise": "End the exercise (F8).",
    "adhoc_inject": "Write and release an ad-hoc inject (F9).",
    "add_observation": "Record an observation.",
    "confirm_rating": "Rate an objective.",
    "change_pin": "Choose a new facilitator PIN.",
    "seat_bot": "Let a bot play a seat.",
}


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

    # ------------------------------------------------------------------ the role

    def authorise(
        self, action: str, then: Callable[[], None], *, evaluator_ok: bool = False
    ) -> None:
        """Run ``then`` once this terminal holds the facilitator's role for ``action``.

        Hot-seat: asks for the PIN when locked (to set one when none is set yet).
        Attached agency (or evaluator, unless ``evaluator_ok``): refused, journaled.
        """
        s = self.app.session
        if s is None:
            self.app.notify("No exercise is running.", severity="warning")
            return
        if s.may_steer or (evaluator_ok and s.may_evaluate):
            if s.hot_seat:
                s.lock.touch()
            then()
            return
        if not s.hot_seat:
            why = s.steer_refusal()
            logged = s.record_refusal(action, why)
            self.app.notify(
                why, title="Refused (logged)" if logged else "Refused", severity="error"
            )
            return
        if not s.lock.has_pin:
            self.app.push_screen(PinSetupDialog(), lambda pin: self._pin_chosen(pin, then))
        else:
            self.app.push_screen(
                PinDialog(ACTION_TITLES.get(action, "")), lambda pin: self._pin_entered(pin, then)
            )

    def _pin_chosen(self, pin: str | None, then: Callable[[], None]) -> None:
        s = self.app.session
        if pin is None or s is None:
            return
        outcome = s.set_pin(pin)
        if not outcome.ok:
            self.app.notify(outcome.message, title="PIN not set", severity="error")
            return
        self.app.notify("Facilitator PIN set.")
        then()

    def _pin_entered(self, pin: str | None, then: Callable[[], None]) -> None:
        s = self.app.session
        if pin is None or s is None:
            return
        if s.unlock(pin):
            then()
        else:
            self.app.notify(f"{MSG_WRONG_PIN} (logged)", title="Refused", severity="error")

    def submit(self, command: cm.Command) -> None:
        """Submit a facilitator's (or evaluator's) command, asking for the PIN when locked."""
        s = self.app.session
        if s is not None and s.needs_unlock(command):
            self.authorise(command.kind, lambda: self.app.submit(command))  # type: ignore[arg-type]
        else:
            self.app.submit(command)

    # ------------------------------------------------------------------ the actions

    def _submit(self, command: cm.Command | None) -> None:
        if command is not None:
            self.submit(command)

    def _open(self, form: type[FacilitatorForm], session: Session | None) -> None:
        if session is not None:
            self.app.push_screen(form(session.game, session.state, session.check), self._submit)

    def _live(self, action: str, then: Callable[[Session], None]) -> None:
        """Run ``then(session)`` with the role, while an exercise is running."""
        if self._live_session() is None:
            return

        def go() -> None:
            if (s := self._live_session()) is not None:
                then(s)

        self.authorise(action, go)

    def pause_toggle(self) -> None:
        """F2: pause or resume the exercise."""

        def go(s: Session) -> None:
            if self.app.submit(cm.Resume() if s.state.paused else cm.Pause()):
                self.app.notify("Paused." if s.state.paused else "Resumed.")

        self._live("pause_toggle", go)

    def release_inject(self) -> None:
        """F3: release an inject by hand; a notification says it reached its addressees."""

        def go(s: Session) -> None:
            def released(command: cm.Command | None) -> None:
                if not isinstance(command, cm.ReleaseInject):
                    return

                def send() -> None:
                    if not self.app.submit(command):
                        return
                    inject = next(i for i in s.game.scenario.injects if i.id == command.inject)
                    if inject.is_private:  # the room may be looking: no title of a private inject
                        text = f"A private inject reached its {len(inject.to)} addressee(s)."
                    else:
                        to = named_recipients(s.game, inject.to, everyone="every agency")
                        text = f"'{inject.title}' released to {to}."
                    self.app.notify(text, title="Inject released")

                if s.needs_unlock(command):  # the unlock period ran out while the form was open
                    self.authorise(command.kind, send)
                else:
                    send()

            self.app.push_screen(ReleaseInjectForm(s.game, s.state, s.check), released)

        self._live("release_inject", go)

    def force_stage(self) -> None:
        """F4: force a stage transition (with a reason)."""
        self._live("force_stage", lambda s: self._open(ForceStageForm, s))

    def adjudicate(self) -> None:
        """F5: override a value (with a reason)."""
        self._live("adjudicate", lambda s: self._open(AdjudicateForm, s))

    def adhoc_inject(self) -> None:
        """F9: write an inject now (title, text, recipients, type) and release it."""
        self._live("adhoc_inject", lambda s: self._open(AdHocInjectForm, s))

    def observe(self) -> None:
        """F6: record an evaluator observation (also at the debrief)."""
        if self.app.session is None:
            self.app.notify("No exercise is running.", severity="warning")
            return

        def go() -> None:
            if (s := self.app.session) is not None:
                author = "evaluator" if s.evaluator else "facilitator"
                form = ObservationForm(s.game, s.state, s.check, author=author)
                self.app.push_screen(form, self._submit)

        self.authorise("observe", go, evaluator_ok=True)

    def undo_turn(self) -> None:
        """F7: undo the active agency's decisions of this turn."""
        self._live("undo_turn", self._undo_turn)

    def _undo_turn(self, s: Session) -> None:
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
            dialog, lambda ok: self.submit(cm.UndoTurn()) if ok is not None else None
        )

    def end_exercise(self) -> None:
        """F8: end the exercise (with a reason) and show the debrief."""
        if (s := self.app.session) is None or s.state.phase == "ended":
            self.app.notify("No exercise is running.", severity="warning")
            return
        self.authorise("end_exercise", self._end_exercise)

    def _end_exercise(self) -> None:
        if (s := self.app.session) is None or s.state.phase == "ended":
            return
        dialog = ConfirmDialog(
            "End the exercise now?",
            "Nobody can act afterwards; the debrief is shown.",
            reason="Reason (logged)",
            default="ended by facilitator",
            submit="End exercise",
        )
        self.app.push_screen(
            dialog, lambda why: self.submit(cm.EndExercise(reason=why)) if why else None
        )

    def seat_bot(self) -> None:
        """Palette: let a bot play an empty seat from now on (or give a bot's seat back)."""
        if self._live_session() is None:
            return

        def go() -> None:
            if (s := self._live_session()) is None:
                return
            agencies = s.game.scenario.agencies
            options = [
                (f"{a.name} ({aid})" + (f": bot, {s.bots[aid]}" if aid in s.bots else ""), aid)
                for aid, a in agencies.items()
                if aid != s.attach_as
            ]
            self.app.push_screen(ChooseDialog("Which seat?", options), self._seat_chosen)

        self.authorise("seat_bot", go)

    def _seat_chosen(self, agency: str | None) -> None:
        s = self.app.session
        if agency is None or s is None:
            return
        options = [(f"Bot: {name}", name) for name in POLICIES]
        if agency in s.bots:
            options.append(("A person again (no bot)", ""))
        self.app.push_screen(
            ChooseDialog(f"Who plays {agency}?", options),
            lambda policy: self._policy_chosen(agency, policy),
        )

    def _policy_chosen(self, agency: str, policy: str | None) -> None:
        s = self.app.session
        if policy is None or s is None:
            return
        if policy:
            s.bots[agency] = policy
            self.app.notify(f"A {policy} bot plays {agency} on this terminal.")
        else:
            s.bots.pop(agency, None)
            self.app.notify(f"{agency} is played by a person again.")
        self.app.after_change()

    def change_pin(self) -> None:
        """Palette: choose a new facilitator PIN (the current one is asked first)."""

        def go() -> None:
            self.app.push_screen(PinSetupDialog(), self._new_pin)

        self.authorise("change_pin", go)

    def _new_pin(self, pin: str | None) -> None:
        s = self.app.session
        if pin is None or s is None:
            return
        outcome = s.set_pin(pin)
        if outcome.ok:
            self.app.notify("New facilitator PIN set.")
        else:
            self.app.notify(outcome.message, title="PIN not changed", severity="error")

    def system_commands(self) -> Iterator[SystemCommand]:
        """The console's command palette entries (none before an exercise is open).

        An agency's terminal lists none; the evaluator's only the observation.
        """
        s = self.app.session
        if s is None or not (s.hot_seat or s.may_steer or s.evaluator):
            return
        if s.evaluator:
            yield SystemCommand(
                "Evaluator: add observation", "Evaluator note for the report (F6)", self.observe
            )
            return
        paused = s.state.paused
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
        yield SystemCommand(
            "Facilitator: ad-hoc inject",
            "Write an inject now and release it (F9)",
            self.adhoc_inject,
        )
        yield SystemCommand(
            "Facilitator: seat a bot",
            "A bot plays an empty seat from now on (or a person again)",
            self.seat_bot,
        )
        if s.hot_seat:
            yield SystemCommand(
                "Facilitator: change PIN",
                "Choose a new facilitator PIN (the journal keeps its salted hash)",
                self.change_pin,
            )
