"""Open a journal for the debrief: its records and the game it was played with."""

from __future__ import annotations

import os
from pathlib import Path

from tabletop.engine.exercise import scenario_candidates
from tabletop.engine.game import Game
from tabletop.errors import JournalError
from tabletop.journal import open_journal
from tabletop.journal.chain import Integrity
from tabletop.model.events import ExerciseStarted, Record


def find_scenario(head: ExerciseStarted, journal: str | os.PathLike[str]) -> Path:
    """The scenario file whose sha256 is the one the journal recorded.

    The journal stores the scenario path as given to ``tabletop run`` (often relative
    to the folder it ran in), so the folder of the journal and the project are tried too.

    Raises:
        JournalError: no file with that name, or only changed ones.
    """
    from tabletop.loader.game import sha256_file

    changed: list[Path] = []
    for cand in scenario_candidates(head.scenario_path, journal):
        try:
            # Regular files of bounded size only; compared by hash before any parsing.
            digest = sha256_file(cand)
        except OSError:
            continue
        if digest == head.scenario_hash:
            return cand
        changed.append(cand)
    if changed:
        raise JournalError(
            f"{journal}: the scenario file {changed[0]} changed since the exercise was played; "
            "restore it (the journal records its sha256) or pass --scenario"
        )
    raise JournalError(
        f"{journal}: cannot find the scenario {head.scenario_path}; pass --scenario FILE"
    )


def load_journal(
    path: str | os.PathLike[str], scenario: str | os.PathLike[str] | None = None
) -> tuple[Game, list[Record]]:
    """The game and every record of a journal, checked against the recorded hashes.

    See :func:`load_journal_checked`, which also says what the hash chain found.
    """
    game, records, _ = load_journal_checked(path, scenario)
    return game, records


def load_journal_checked(
    path: str | os.PathLike[str], scenario: str | os.PathLike[str] | None = None
) -> tuple[Game, list[Record], Integrity | None]:
    """The game, every record of a journal and its hash chain's verdict.

    Args:
        path: The journal file or database URL.
        scenario: The scenario file, when it is not where the journal says.

    Raises:
        JournalError: unreadable journal, missing or changed scenario or rule pack.
        ScenarioError: the scenario no longer loads.
    """
    from tabletop.loader.game import load_game

    with open_journal(path) as journal:
        jpath = journal.path
        records = journal.read()
        integrity = journal.integrity
    if not records or not isinstance(records[0].event, ExerciseStarted):
        raise JournalError(f"{jpath}: the journal has no exercise_started event")
    head = records[0].event
    spath = Path(scenario) if scenario is not None else find_scenario(head, jpath)
    game = load_game(spath)
    if game.scenario_hash != head.scenario_hash:
        raise JournalError(
            f"{jpath}: {spath} is not the scenario this exercise was played with "
            "(its sha256 differs)"
        )
    if game.rules_hash != head.rules_hash:
        raise JournalError(
            f"{jpath}: the rule pack of {spath} changed since the exercise was played"
        )
    return game, records, integrity
