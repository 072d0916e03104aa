"""Opening journals: resume or attach to an exercise, read one for a report, check, export.

Every way into an existing journal goes through here: the journal is read, its hash
chain checked, the scenario it recorded found by sha256 (:func:`locate_scenario`) and
loaded, and the game compared with the hashes the journal recorded.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tabletop.app.workspace import JournalTarget, journal_exists, locate_scenario
from tabletop.engine.decide import decide
from tabletop.engine.exercise import Clock, Exercise, system_clock
from tabletop.engine.game import Game
from tabletop.errors import JournalError, JournalTampered
from tabletop.journal.backends import open_journal as _open_backend
from tabletop.journal.chain import Integrity
from tabletop.journal.check import CheckResult
from tabletop.journal.check import check_journal as _check_journal
from tabletop.journal.export import export_journal as _export_journal
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.model.events import ExerciseStarted, Record


@dataclass(frozen=True, slots=True)
class OpenedJournal:
    """A journal read for a report or a replay.

    Attributes:
        game: The scenario and rule pack it was played with.
        records: Every record, in order.
        integrity: What its hash chain says (None when it has none).
    """

    game: Game
    records: list[Record]
    integrity: Integrity | None


def _head(target: JournalTarget, records: list[Record]) -> ExerciseStarted:
    if not records or not isinstance(records[0].event, ExerciseStarted):
        raise JournalError(
            f"{target}: the journal has no exercise_started event (an exercise never "
            "started in it: delete the file and start again)"
        )
    return records[0].event


def new_exercise(
    game: Game,
    target: JournalTarget | None = None,
    *,
    clock: Clock = system_clock,
    seed: int | None = None,
) -> Exercise:
    """Start a new exercise of ``game``, journaled at ``target`` (in memory when None).

    Raises:
        JournalError: a journal already exists there, or it cannot be created.
    """
    if target is not None and journal_exists(target):
        raise JournalError(f"{target}: already exists; resume it or choose another file")
    return Exercise.new(game, target, clock=clock, seed=seed)


def resume_exercise(
    target: JournalTarget, *, clock: Clock = system_clock, strict: bool = True
) -> Exercise:
    """Reopen a journal: find its scenario (by sha256), reload it, check the chain, fold.

    The same call resumes a hot-seat exercise after a crash and attaches one more
    terminal to a running one (several writers share a journal).

    Args:
        target: The journal.
        clock: Timestamps of new decisions.
        strict: Refuse a journal whose hash chain is broken (``JournalTampered``);
            with False it is opened and ``Exercise.integrity`` says where it breaks
            (``replay`` and ``report`` show it).

    Raises:
        JournalError: unreadable or damaged journal, missing or changed scenario.
        JournalTampered: an event does not match its hash (when ``strict``).
        ScenarioError: the scenario no longer loads.
    """
    journal = _open_backend(target)
    try:
        records = journal.read()
        head = _head(target, records)
        integrity = journal.integrity
        if strict and integrity is not None and not integrity.ok:
            raise JournalTampered(
                f"{target}: {integrity.describe()}; 'tabletop journal check {target}' says more",
                integrity.first_bad or 0,
            )
        game = load_game(locate_scenario(head, target))
        if game.scenario_hash != head.scenario_hash:
            raise JournalError(
                f"{target}: the scenario file {head.scenario_path} changed since the exercise "
                "started; restore it (the journal records its sha256) to resume"
            )
        if game.rules_hash != head.rules_hash:
            raise JournalError(
                f"{target}: the rule pack of {head.scenario_path} changed since the exercise "
                "started"
            )
        return Exercise.reopen(game, journal, records, clock=clock)
    except BaseException:
        journal.close()
        raise


def open_journal(
    target: JournalTarget, scenario: str | os.PathLike[str] | None = None
) -> OpenedJournal:
    """The game, every record of a journal and its hash chain's verdict (read only).

    Args:
        target: The journal.
        scenario: The scenario file, when it is not where the journal says.

    Raises:
        JournalError: unreadable journal, missing or changed scenario or rule pack.
        ScenarioError: the scenario no longer loads.
    """
    with _open_backend(target) as journal:
        records = journal.read()
        integrity = journal.integrity
    if not records or not isinstance(records[0].event, ExerciseStarted):
        raise JournalError(f"{target}: the journal has no exercise_started event")
    head = records[0].event
    spath = (
        Path(scenario) if scenario is not None else locate_scenario(head, target, purpose="report")
    )
    game = load_game(spath)
    if game.scenario_hash != head.scenario_hash:
        raise JournalError(
            f"{target}: {spath} is not the scenario this exercise was played with "
            "(its sha256 differs)"
        )
    if game.rules_hash != head.rules_hash:
        raise JournalError(
            f"{target}: the rule pack of {spath} changed since the exercise was played"
        )
    return OpenedJournal(game, records, integrity)


def append_commands(
    target: JournalTarget, game: Game, records: list[Record], commands: Sequence[cm.Command]
) -> list[Record]:
    """Journal ``commands`` after checking every one (nothing is written when one is refused).

    Used after the exercise (ratings, feedback, plan updates from the command line).

    Returns:
        Every record of the journal afterwards.

    Raises:
        IllegalCommand: a command the engine refuses (its message).
    """
    ex = Exercise.reopen(game, _open_backend(target), records)
    try:
        for c in commands:
            decide(game, ex.state, c)
        for c in commands:
            ex.submit(c)
        return list(ex.records)
    finally:
        ex.close()


def check_journal(target: JournalTarget) -> CheckResult:
    """What is readable in a journal, whether it was edited, whether its scenario is there."""
    return _check_journal(target, locate=locate_scenario)


def export_journal(target: JournalTarget, out: JournalTarget, *, overwrite: bool = False) -> int:
    """A complete copy of a journal, even mid-round; returns the number of events copied."""
    return _export_journal(target, out, overwrite=overwrite)


__all__ = [
    "OpenedJournal",
    "append_commands",
    "check_journal",
    "export_journal",
    "new_exercise",
    "open_journal",
    "resume_exercise",
]
