"""The exercise behind the screens: submit, check, poll (no Textual here).

A :class:`Session` wraps one :class:`~tabletop.engine.exercise.Exercise`.
Every decision goes through :meth:`Session.submit`, which calls
``Exercise.submit`` (in the journal before it returns; a refused write
leaves the state as it was) and turns every
``TabletopError`` into a message for the screen.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tabletop.engine.decide import decide
from tabletop.engine.exercise import Clock, Exercise, system_clock
from tabletop.engine.failures import describe_failure, failures_in
from tabletop.engine.game import Game
from tabletop.errors import StaleWriter, TabletopError
from tabletop.journal import fresh_journal_path, new_journal_target
from tabletop.model import commands as cm
from tabletop.model.events import Record
from tabletop.model.state import ExerciseState
from tabletop.roles import (
    EVALUATOR,
    EVALUATOR_COMMANDS,
    FACILITATOR,
    FACILITATOR_COMMANDS,
    MSG_CODE_NEEDED,
    MSG_UNKNOWN_SEAT,
    MSG_WRONG_CODE,
    FacilitatorLock,
    Role,
    code_matches,
    hash_pin,
    issue_join_codes,
    join_seats,
    journaled_codes,
    journaled_pin,
    may_steer,
    refusal,
    steer_refusal,
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a submitted command.

    Attributes:
        ok: The decision is durable in the journal and applied.
        message: Why not (empty when ok).
        stale: Another terminal wrote first; the session has been refreshed.
        failures: One line per expression that failed while deciding (journaled as
            ``expression_failed``; the effect was skipped and play goes on).
        refused: The terminal's role does not allow the command (the attempt is journaled).
    """

    ok: bool
    message: str = ""
    stale: bool = False
    failures: tuple[str, ...] = ()
    refused: bool = False


class Session:
    """One exercise as played from one terminal, with the terminal's roles.

    A hot-seat terminal (no ``attach_as``, no ``role``) plays whichever agency is
    active and holds the facilitator's role while the PIN has unlocked it
    (:attr:`lock`). An attached terminal holds one role for good: an agency's
    (``attach_as``) or the evaluator's (``attach_as="evaluator"``), never the
    facilitator's. Bot seats (``bots``) are agencies this terminal lets a policy play.

    Args:
        exercise: The running exercise.
        attach_as: The agency this terminal plays when attached to a shared
            journal, or ``"evaluator"``; None for hot-seat play (every agency at this keyboard).
        role: The terminal's role, when not derived from ``attach_as`` (a
            facilitator-only terminal: ``Role.facilitator()``).
        bots: Agency -> bot policy name, for the seats bots take.
        lock_clock: Monotonic seconds for the facilitator's unlock period.

    Raises:
        TabletopError: ``attach_as`` or a bot seat is not an agency of the scenario.
    """

    def __init__(
        self,
        exercise: Exercise,
        *,
        attach_as: str | None = None,
        role: Role | None = None,
        bots: Mapping[str, str] | None = None,
        lock_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.exercise = exercise
        agencies = exercise.game.scenario.agencies
        if attach_as == EVALUATOR and attach_as not in agencies:
            role, attach_as = Role.evaluator(), None
        self.attach_as = attach_as
        if attach_as is not None and attach_as not in agencies:
            known = ", ".join(exercise.game.order)
            raise TabletopError(f"unknown agency '{attach_as}' (agencies: {known}; or {EVALUATOR})")
        if role is None and attach_as is not None:
            role = Role.of_agency(attach_as)
        #: The terminal's fixed role; None on the hot-seat terminal.
        self.role = role
        self.bots = dict(bots or {})
        for agency in self.bots:
            if agency not in agencies:
                known = ", ".join(exercise.game.order)
                raise TabletopError(f"--bot: unknown agency '{agency}' (agencies: {known})")
            if agency == attach_as:
                raise TabletopError(f"--bot: {agency} is the agency this terminal plays")
        #: The facilitator's role on the hot-seat terminal (PIN and unlock period).
        self.lock = FacilitatorLock(journaled_pin(exercise.records), clock=lock_clock)

    @classmethod
    def for_seat(
        cls, exercise: Exercise, seat: str, *, bots: Mapping[str, str] | None = None
    ) -> Session:
        """A terminal holding one seat of a shared exercise (after :func:`join_refusal`).

        Args:
            exercise: The shared exercise.
            seat: An agency, ``facilitator`` (a facilitator-only terminal) or ``evaluator``.
            bots: Agency -> bot policy name, for the seats this terminal lets bots play.
        """
        if seat == FACILITATOR and seat not in exercise.game.scenario.agencies:
            return cls(exercise, role=Role.facilitator(), bots=bots)
        return cls(exercise, attach_as=seat, bots=bots)

    @classmethod
    def new(
        cls,
        game: Game,
        *,
        seed: int | None = None,
        journal: str | os.PathLike[str] | None = None,
        journal_dir: str | os.PathLike[str] = "journals",
        clock: Clock = system_clock,
        bots: Mapping[str, str] | None = None,
    ) -> Session:
        """Start a new journaled exercise of ``game``.

        Args:
            game: The loaded scenario and rule pack.
            seed: The exercise's seed (None: the scenario's).
            journal: The journal file or database URL (None or empty: a fresh file from
                :func:`~tabletop.journal.fresh_journal_path`).
            journal_dir: Where the fresh journal goes.
            clock: Timestamps of decisions.
            bots: Agency -> bot policy name, for the seats bots take.

        Raises:
            TabletopError: The journal exists already or cannot be opened, or a bot seat
                is not an agency.
            OSError: The journal's folder cannot be made.
        """
        path = (
            new_journal_target(journal, game.scenario.scenario.id, "play")
            if journal
            else fresh_journal_path(game.scenario.scenario.id, "play", journal_dir)
        )
        for agency in bots or {}:
            if agency not in game.scenario.agencies:
                known = ", ".join(game.order)
                raise TabletopError(f"--bot: unknown agency '{agency}' (agencies: {known})")
        return cls(Exercise.new(game, path, clock=clock, seed=seed), bots=bots)

    # ------------------------------------------------------------------ reading

    @property
    def game(self) -> Game:
        """The loaded scenario and rule pack."""
        return self.exercise.game

    @property
    def state(self) -> ExerciseState:
        """The current state (a new object after an undo: never cache it)."""
        return self.exercise.state

    @property
    def records(self) -> list[Record]:
        """Every journal record known to this terminal."""
        return self.exercise.records

    @property
    def journal_path(self) -> Path | str | None:
        """The journal file, or URL without password (None for an in-memory exercise)."""
        j = self.exercise.journal
        return None if j is None else j.path

    @property
    def attached(self) -> bool:
        """True when this terminal plays one agency of a shared journal."""
        return self.attach_as is not None

    @property
    def viewer(self) -> str | None:
        """The agency whose private view is on screen now (None for the evaluator)."""
        if self.evaluator:
            return None
        return self.attach_as if self.attach_as is not None else self.state.active

    # ------------------------------------------------------------------ roles

    @property
    def hot_seat(self) -> bool:
        """True on the shared keyboard: players in turn, the facilitator behind a PIN."""
        return self.role is None

    @property
    def evaluator(self) -> bool:
        """True on an evaluator's terminal (sees the public picture, rates, cannot act)."""
        return self.role is not None and self.role.kind == "evaluator"

    @property
    def seat(self) -> str:
        """Who sits at this terminal, as journaled with a refused attempt."""
        if self.role is not None:
            return self.role.label
        active = self.state.active
        return f"hot-seat (turn of {active})" if active else "hot-seat"

    def roles(self) -> list[Role]:
        """The roles this terminal holds now."""
        out: list[Role] = []
        if self.role is None:
            # Every agency plays at this keyboard (the engine says whose turn it is).
            out.extend(Role.of_agency(a) for a in self.game.order if a not in self.bots)
            if self.lock.unlocked:
                out.append(Role.facilitator())
            elif self.state.phase == "ended":
                # The debrief: nothing is secret any more; the room rates and notes.
                out.append(Role.evaluator())
        else:
            out.append(self.role)
        out.extend(Role.of_agency(a) for a in self.bots)
        return out

    @property
    def may_steer(self) -> bool:
        """Whether the facilitator's role is held now."""
        return may_steer(self.roles())

    @property
    def may_evaluate(self) -> bool:
        """Whether observations and ratings may be written now (facilitator or evaluator)."""
        return any(r.kind in ("facilitator", "evaluator") for r in self.roles())

    def needs_unlock(self, command: cm.Command) -> bool:
        """True when ``command`` needs the facilitator's PIN first (hot-seat, locked)."""
        return (
            self.hot_seat
            and (command.kind in FACILITATOR_COMMANDS or command.kind in EVALUATOR_COMMANDS)
            and refusal(self.roles(), command) is not None
        )

    def steer_refusal(self) -> str:
        """Why this terminal cannot take a facilitator action now."""
        return steer_refusal(self.roles(), can_unlock=self.hot_seat)

    def record_refusal(self, action: str, reason: str) -> bool:
        """Journal a refused attempt at ``action`` (changes nothing in the game).

        Returns:
            True when it is in the journal.
        """
        command = cm.RecordAccessRefused(action=action, seat=self.seat, reason=reason)
        for _ in range(2):
            try:
                self.exercise.submit(command)
            except StaleWriter:
                self.poll()
                continue
            except TabletopError:
                return False
            return True
        return False

    def set_pin(self, pin: str) -> Outcome:
        """Set the facilitator's PIN (journaled as a salted hash) and unlock.

        Only the hot-seat or a facilitator's terminal may; a PIN already set may be
        changed only with the facilitator's role.
        """
        if not (self.hot_seat or self.may_steer) or (self.lock.has_pin and not self.may_steer):
            return Outcome(False, self.steer_refusal(), refused=True)
        try:
            pin_hash = hash_pin(pin)
        except ValueError as exc:
            return Outcome(False, str(exc))
        try:
            self.exercise.submit(pin_hash.command())
        except StaleWriter:
            self.poll()
            return Outcome(False, "Another terminal wrote first; try again.", stale=True)
        except TabletopError as exc:
            return Outcome(False, str(exc))
        self.lock.pin = pin_hash
        self.lock.grant()
        return Outcome(True)

    def unlock(self, pin: str) -> bool:
        """Take the facilitator's role with ``pin``; a wrong PIN is journaled as refused."""
        if self.hot_seat and self.lock.unlock(pin):
            return True
        self.record_refusal("unlock", "wrong facilitator PIN" if self.hot_seat else self.seat)
        return False

    # ------------------------------------------------------------------ deciding

    def check(self, command: cm.Command) -> str | None:
        """Why ``command`` would be refused now (None when legal); decides on nothing."""
        try:
            decide(self.game, self.state, command)
        except TabletopError as exc:
            return str(exc)
        return None

    def submit(self, command: cm.Command) -> Outcome:
        """Submit a decision: durable in the journal once this returns, or no change at all.

        A command the terminal's roles do not allow is refused (and the attempt
        journaled as ``facilitator_access_refused`` when it was a facilitator's or
        evaluator's command).
        """
        why = refusal(self.roles(), command, can_unlock=self.hot_seat)
        if why is not None:
            if command.kind in FACILITATOR_COMMANDS or command.kind in EVALUATOR_COMMANDS:
                self.record_refusal(command.kind, why)
            return Outcome(False, why, refused=True)
        if self.hot_seat and command.kind in FACILITATOR_COMMANDS:
            self.lock.touch()
        try:
            records = self.exercise.submit(command)
        except StaleWriter:
            self.poll()
            return Outcome(
                False, "Another terminal decided first; the screen is up to date now.", stale=True
            )
        except TabletopError as exc:
            return Outcome(False, str(exc))
        return Outcome(True, failures=failure_lines(records))

    def poll(self) -> list[Record]:
        """Read what other terminals appended to the journal (cheap when nothing is new)."""
        try:
            new = self.exercise.refresh()
        except TabletopError:
            return []
        if any(r.event.kind == "facilitator_pin_set" for r in new):
            self.lock.pin = journaled_pin(self.records)
        return new

    def close(self) -> None:
        """Close the journal."""
        self.exercise.close()


def issue_codes(exercise: Exercise) -> dict[str, str]:
    """Issue new join codes for every seat and journal their hashes (replacing older codes).

    Returns:
        Seat -> code, to show once (only salted hashes are in the journal).

    Raises:
        TabletopError: the journal refused the write.
    """
    codes, command = issue_join_codes(join_seats(exercise.game.order))
    for _ in range(5):
        try:
            exercise.submit(command)
            return codes
        except StaleWriter:
            exercise.refresh()
    exercise.submit(command)
    return codes


def join_refusal(exercise: Exercise, seat: str, code: str | None) -> str | None:
    """Why ``seat`` of a shared exercise cannot be taken with ``code`` (None: it may).

    Without join codes in the journal any agency's or the evaluator's seat may be
    taken as before; the facilitator's seat always needs its code. A wrong code is
    journaled (``facilitator_access_refused``, action ``join``) and changes nothing else.
    """
    seats = join_seats(exercise.game.order)
    if seat not in seats:
        return MSG_UNKNOWN_SEAT.format(seat=seat, seats=", ".join(seats))
    codes = journaled_codes(exercise.records)
    if not codes and seat != FACILITATOR:
        return None
    if not code:
        return MSG_CODE_NEEDED.format(seat=seat)
    if code_matches(codes, seat, code):
        return None
    command = cm.RecordAccessRefused(action="join", seat=seat, reason="wrong join code")
    for _ in range(3):
        try:
            exercise.submit(command)
            break
        except StaleWriter:
            exercise.refresh()
        except TabletopError:
            break
    return MSG_WRONG_CODE.format(seat=seat)


#: Title of the notice shown to the facilitator when an expression failed.
EXPRESSION_FAILED = "An expression failed (play goes on)"


def failure_lines(records: list[Record]) -> tuple[str, ...]:
    """One line per ``expression_failed`` among ``records`` (for a notice to the facilitator)."""
    return tuple(describe_failure(e) for e in failures_in(records))
