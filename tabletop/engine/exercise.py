"""A running exercise: game + state + journal + clock.

:meth:`Exercise.submit` is the only way a decision enters an exercise: it
decides and writes the events durably before it returns, so a decision the
screen acknowledged is always in the journal, and one the journal refused
leaves the state as it was.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tabletop.engine.decide import decide_in_place
from tabletop.engine.evolve import evolve, fold, initial_state
from tabletop.engine.game import Game
from tabletop.errors import JournalError, JournalTampered
from tabletop.files import read_regular
from tabletop.journal import (
    JournalBackend,
    create_journal,
    journal_exists,
    journal_folder,
    open_journal,
)
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


def scenario_candidates(recorded: str, journal: str | os.PathLike[str]) -> list[Path]:
    """Where the scenario a journal recorded may be now, most likely first.

    The journal stores the path as given when the exercise started (often relative
    to the folder it ran in), so the journal's folders and the project are tried too,
    then files of the same name beside the journal and in the project's scenarios.
    A journal in a database has no folder: the current folder and the project only.
    """
    from tabletop.loader.game import PROJECT_ROOT

    folder = journal_folder(journal)
    rec = Path(recorded)
    if rec.is_absolute():
        out = [rec]
    else:
        out = [Path.cwd() / rec]
        if folder is not None:
            out += [folder / rec, folder.parent / rec]
        out.append(PROJECT_ROOT / rec)
    if folder is not None:
        out.append(folder / rec.name)
    out += [Path.cwd() / rec.name, PROJECT_ROOT / "scenarios" / rec.name]
    return list(dict.fromkeys(out))


def locate_scenario(
    head: ExerciseStarted, journal: str | os.PathLike[str], hint: str = "to resume"
) -> Path:
    """The scenario file whose sha256 is the one the journal recorded.

    The recorded path comes from the journal and may point anywhere: only regular
    files of bounded size are read (:func:`tabletop.files.read_regular`: never a
    device or a FIFO), and a file is parsed only once its sha256 matches, so a
    foreign file's content is never loaded nor shown.

    Args:
        head: The journal's first event.
        journal: The journal's path or URL.
        hint: End of the message when only changed files are found.

    Raises:
        JournalError: no such regular file, or only changed ones.
    """
    changed: list[Path] = []
    for cand in scenario_candidates(head.scenario_path, journal):
        try:
            digest = hashlib.sha256(read_regular(cand)).hexdigest()
        except OSError:
            continue
        if digest == head.scenario_hash:
            return cand
        changed.append(cand)
    if changed:
        raise JournalError(
            f"{journal}: the scenario file {changed[0]} changed since the exercise started; "
            f"restore it (the journal records its sha256) {hint}"
        )
    raise JournalError(
        f"{journal}: cannot find the scenario {head.scenario_path} (a regular file with the "
        "sha256 the journal recorded)"
    )


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
        transaction (:func:`~tabletop.journal.create_journal`), so it is complete or absent.
        """
        if path is not None and journal_exists(path):
            raise JournalError(f"{path}: already exists; resume it or choose another file")
        ex = cls(game, None, clock=clock, seed=seed)
        records = ex.submit(cm.StartExercise())
        if path is not None:
            ex.journal = create_journal(path, records)
        return ex

    @classmethod
    def resume(
        cls, path: str | os.PathLike[str], *, clock: Clock = system_clock, strict: bool = True
    ) -> Exercise:
        """Reopen a journal: find its scenario (by sha256), reload it, check the chain, fold.

        Args:
            path: The journal (a file or a database URL).
            clock: Timestamps of new decisions.
            strict: Refuse a journal whose hash chain is broken (``JournalTampered``);
                with False it is opened and :attr:`integrity` says where it breaks
                (``replay`` and ``report`` show it).

        Raises:
            JournalError: unreadable or damaged journal, missing or changed scenario.
            JournalTampered: an event does not match its hash (when ``strict``).
        """
        from tabletop.loader import load_game

        journal = open_journal(path)
        path = journal.path
        try:
            records = journal.read()
            if not records or not isinstance(records[0].event, ExerciseStarted):
                raise JournalError(
                    f"{path}: the journal has no exercise_started event (an exercise never "
                    "started in it: delete the file and start again)"
                )
            integrity = journal.integrity
            if strict and integrity is not None and not integrity.ok:
                raise JournalTampered(
                    f"{path}: {integrity.describe()}; 'tabletop journal check {path}' says more",
                    integrity.first_bad or 0,
                )
            head = records[0].event
            game = load_game(locate_scenario(head, path))
            if game.scenario_hash != head.scenario_hash:
                raise JournalError(
                    f"{path}: the scenario file {head.scenario_path} changed since the exercise "
                    "started; restore it (the journal records its sha256) to resume"
                )
            if game.rules_hash != head.rules_hash:
                raise JournalError(
                    f"{path}: the rule pack of {head.scenario_path} changed since the exercise "
                    "started"
                )
        except BaseException:
            journal.close()
            raise
        ex = cls(game, journal, clock=clock, seed=head.seed)
        ex.records = records
        fold(ex.state, records)
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
