"""The exercise behind the screens: submit, check, poll (no Textual here).

A :class:`Session` wraps one :class:`~tabletop.engine.exercise.Exercise`.
Every decision goes through :meth:`Session.submit`, which calls
``Exercise.submit`` (in the journal before it returns; a refused write
leaves the state as it was) and turns every
``TabletopError`` into a message for the screen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tabletop.engine.decide import decide
from tabletop.engine.exercise import Clock, Exercise, system_clock
from tabletop.engine.failures import describe_failure, failures_in
from tabletop.engine.game import Game
from tabletop.errors import StaleWriter, TabletopError
from tabletop.journal import fresh_journal_path
from tabletop.model import commands as cm
from tabletop.model.events import Record
from tabletop.model.state import ExerciseState


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a submitted command.

    Attributes:
        ok: The decision is durable in the journal and applied.
        message: Why not (empty when ok).
        stale: Another terminal wrote first; the session has been refreshed.
        failures: One line per expression that failed while deciding (journaled as
            ``expression_failed``; the effect was skipped and play goes on).
    """

    ok: bool
    message: str = ""
    stale: bool = False
    failures: tuple[str, ...] = ()


class Session:
    """One exercise as played from one terminal.

    Args:
        exercise: The running exercise.
        attach_as: The agency this terminal plays when attached to a shared
            journal; None for hot-seat play (every agency at this keyboard).
    """

    def __init__(self, exercise: Exercise, *, attach_as: str | None = None) -> None:
        self.exercise = exercise
        self.attach_as = attach_as
        if attach_as is not None and attach_as not in exercise.game.scenario.agencies:
            known = ", ".join(exercise.game.order)
            raise TabletopError(f"unknown agency '{attach_as}' (agencies: {known})")

    @classmethod
    def new(
        cls,
        game: Game,
        *,
        seed: int | None = None,
        journal: str | os.PathLike[str] | None = None,
        journal_dir: str | os.PathLike[str] = "journals",
        clock: Clock = system_clock,
    ) -> Session:
        """Start a new journaled exercise of ``game``.

        Args:
            game: The loaded scenario and rule pack.
            seed: The exercise's seed (None: the scenario's).
            journal: The journal file (None or empty: a fresh one from
                :func:`~tabletop.journal.fresh_journal_path`).
            journal_dir: Where the fresh journal goes.
            clock: Timestamps of decisions.

        Raises:
            TabletopError: The journal exists already or cannot be opened.
            OSError: The journal's folder cannot be made.
        """
        path = (
            Path(journal)
            if journal
            else fresh_journal_path(game.scenario.scenario.id, "play", journal_dir)
        )
        return cls(Exercise.new(game, path, clock=clock, seed=seed))

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
    def journal_path(self) -> Path | None:
        """The journal file (None for an in-memory exercise)."""
        j = self.exercise.journal
        return None if j is None else j.path

    @property
    def attached(self) -> bool:
        """True when this terminal plays one agency of a shared journal."""
        return self.attach_as is not None

    @property
    def viewer(self) -> str | None:
        """The agency whose private view is on screen now."""
        return self.attach_as if self.attach_as is not None else self.state.active

    # ------------------------------------------------------------------ deciding

    def check(self, command: cm.Command) -> str | None:
        """Why ``command`` would be refused now (None when legal); decides on nothing."""
        try:
            decide(self.game, self.state, command)
        except TabletopError as exc:
            return str(exc)
        return None

    def submit(self, command: cm.Command) -> Outcome:
        """Submit a decision: durable in the journal once this returns, or no change at all."""
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
            return self.exercise.refresh()
        except TabletopError:
            return []

    def close(self) -> None:
        """Close the journal."""
        self.exercise.close()


#: Title of the notice shown to the facilitator when an expression failed.
EXPRESSION_FAILED = "An expression failed (play goes on)"


def failure_lines(records: list[Record]) -> tuple[str, ...]:
    """One line per ``expression_failed`` among ``records`` (for a notice to the facilitator)."""
    return tuple(describe_failure(e) for e in failures_in(records))
