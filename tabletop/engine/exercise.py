"""A running exercise: game + state + journal + clock.

:meth:`Exercise.submit` is the only way a decision enters an exercise: it
decides and writes the events durably before it returns, so a decision the
screen acknowledged is always in the journal, and one the journal refused
leaves the state as it was.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from tabletop.engine.decide import decide_in_place
from tabletop.engine.evolve import evolve, fold, initial_state
from tabletop.engine.game import Game
from tabletop.errors import JournalError
from tabletop.journal.backends import JournalBackend, create_journal, journal_exists
from tabletop.journal.chain import Integrity
from tabletop.model import commands as cm
from tabletop.model.events import ExerciseStarted, Record
from tabletop.model.state import ExerciseState

Clock = Callable[[], datetime]

#: Events after which the journal's write-ahead log is checkpointed into its file.
_CHECKPOINT_AFTER = frozenset({"round_resolved", "exercise_ended"})


def system_clock() -> datetime:
    """The wall clock (UTC); the engine itself never reads a clock."""
    return datetime.now(UTC)


class Exercise:
    """One exercise being played (or replayed).

    Args:
        game: The loaded scenario and rule pack.
        journal: Where decisions are stored; None keeps them in memory only.
        clock: Gives the timestamp of each decision.
        seed: Overrides the scenario's seed for a new exercise.
    """

    def __init__(
        self,
        game: Game,
        journal: JournalBackend | None = None,
        *,
        clock: Clock = system_clock,
        seed: int | None = None,
    ) -> None:
        self.game = game
        self.journal = journal
        self.clock = clock
        #: The exercise seed (the scenario's unless overridden).
        self.seed = game.scenario.scenario.seed if seed is None else seed
        self.state = self._fresh()
        self.records: list[Record] = []
        # Decision ids: a random prefix per process and a counter (unique across writers).
        self._id_prefix = uuid.uuid4().hex[:16]
        self._id_count = 0

    # ------------------------------------------------------------------ creation

    @classmethod
    def new(
        cls,
        game: Game,
        path: str | os.PathLike[str] | None = None,
        *,
        clock: Clock = system_clock,
        seed: int | None = None,
    ) -> Exercise:
        """Start a new exercise, journaled at ``path`` (a file or a URL; in memory when None).

        The start is decided first, in memory: a scenario that fails at its start
        leaves no journal. The journal is then created with its first events in one
        transaction (:func:`~tabletop.journal.backends.create_journal`), so it is complete
        or absent.
        """
        if path is not None and journal_exists(path):
            raise JournalError(f"{path}: already exists; resume it or choose another file")
        ex = cls(game, None, clock=clock, seed=seed)
        records = ex.submit(cm.StartExercise())
        if path is not None:
            ex.journal = create_journal(path, records)
        return ex

    @classmethod
    def reopen(
        cls,
        game: Game,
        journal: JournalBackend,
        records: list[Record],
        *,
        clock: Clock = system_clock,
    ) -> Exercise:
        """Continue the exercise of ``records`` (read from ``journal``, played with ``game``).

        The caller has checked that ``game`` is the one the journal recorded
        (:func:`tabletop.app.journals.resume_exercise` finds and checks it).

        Raises:
            JournalError: ``records`` do not start with ``exercise_started``.
        """
        if not records or not isinstance(records[0].event, ExerciseStarted):
            raise JournalError(f"{journal.path}: the journal has no exercise_started event")
        ex = cls(game, journal, clock=clock, seed=records[0].event.seed)
        ex.records = list(records)
        fold(ex.state, ex.records)
        return ex

    @property
    def integrity(self) -> Integrity | None:
        """What the journal's hash chain says (None in memory)."""
        return None if self.journal is None else self.journal.integrity

    # ------------------------------------------------------------------ decisions

    @property
    def last_seq(self) -> int:
        """Sequence number of the last record known to this process."""
        return self.records[-1].seq if self.records else 0

    def submit(self, command: cm.Command) -> list[Record]:
        """Decide, store durably, and only then return. Returns the new records.

        The events are applied to the live state as they are decided (no copy);
        if anything fails before they are stored, the state is rebuilt from the
        stored records, so a refused decision leaves no trace.

        A command whose ``decision_id`` is already stored is not decided again:
        the stored records are returned (idempotent retries).

        Raises:
            IllegalCommand: the command is not legal now.
            JournalError: the journal refused the write (nothing is applied).
        """
        if command.decision_id:
            done = [r for r in self.records if r.decision_id == command.decision_id]
            if not done and self.journal is not None and self.journal.decision(command.decision_id):
                # Another writer stored it: catch up, so the state includes it.
                self.refresh()
                done = [r for r in self.records if r.decision_id == command.decision_id]
            if done:
                return done
            decision_id = command.decision_id
        else:
            self._id_count += 1
            decision_id = f"{self._id_prefix}-{self._id_count}"
        # Decided on the live state (no copy); whatever goes wrong before the
        # events are stored, the state is rebuilt from the stored records.
        applied = self.state.events
        try:
            events = decide_in_place(self.game, self.state, command)
            at = self.clock().isoformat()
            seq = self.last_seq
            records = [Record(seq + i + 1, decision_id, at, e) for i, e in enumerate(events)]
            if self.journal is not None:
                self.journal.append(records, expected_last=seq)
        except BaseException:
            if self.state.events != applied:
                self.state = self.replayed()
            raise
        self.records.extend(records)
        if self.journal is not None and any(r.event.kind in _CHECKPOINT_AFTER for r in records):
            # A round is over: copy the write-ahead log into the file, so a copy of
            # the .tabletop alone holds the exercise up to here.
            self.journal.checkpoint()
        if command.kind == "undo_turn":
            # fold skips the decisions an undo takes back: rebuild.
            self.state = self.replayed()
        return records

    def _apply(self, records: list[Record]) -> None:
        """Evolve the state by ``records`` (just appended); an undo refolds from the start."""
        state = self.state
        for r in records:
            if r.event.kind == "turn_undone":
                self.state = self.replayed()
                return
            evolve(state, r.event)

    def refresh(self) -> list[Record]:
        """Read records other processes appended; apply them. Returns them."""
        if self.journal is None:
            return []
        new = self.journal.read(after=self.last_seq)
        if not new:
            return []
        self.records.extend(new)
        self._apply(new)
        return new

    def _fresh(self) -> ExerciseState:
        st = initial_state(self.game)
        st.seed = self.seed
        return st

    def replayed(self) -> ExerciseState:
        """A state folded afresh from every record (for invariant checks)."""
        return fold(self._fresh(), self.records)

    def close(self) -> None:
        """Close the journal."""
        if self.journal is not None:
            self.journal.close()
