"""Where things are: the workspace's scenarios and journals, the bundled data, a journal's scenario.

The workspace is the folder tabletop runs in: ``./scenarios`` (the facilitator's own
scenarios, listed first) and ``./journals`` (where new journals go). The bundled
scenarios and rule packs come from :mod:`tabletop.data` (package resources).

Journals are named by a *target*, opaque here: a file path today, possibly a
database URL tomorrow. :func:`journal_exists` is the one place that asks whether one
exists.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from tabletop.data import DEFAULT_SCENARIO, scenarios_dir
from tabletop.errors import JournalError
from tabletop.files import read_regular
from tabletop.model.events import ExerciseStarted
from tabletop.sanitize import visible

#: A journal's name: a file path (or, with other backends, a URL).
JournalTarget = str | os.PathLike[str]


def journal_exists(target: JournalTarget) -> bool:
    """Whether a journal already exists at ``target`` (a file, or an exercise in a database)."""
    from tabletop.journal.backends import journal_exists as exists

    return exists(target)


def scenario_folders() -> list[Path]:
    """Where scenarios are offered: ``./scenarios``, then the bundled ones."""
    return [Path.cwd() / "scenarios", scenarios_dir()]


def default_scenario() -> Path | None:
    """The default scenario: ``./scenarios/typhoon-two-provinces.toml``, else the bundled one."""
    for folder in scenario_folders():
        cand = folder / DEFAULT_SCENARIO
        if cand.is_file():
            return cand
    return None


def find_scenarios(
    folders: Iterable[Path] | None = None, first: str | os.PathLike[str] | None = None
) -> list[Path]:
    """Scenario files in ./scenarios and the bundled scenarios (no duplicates).

    Args:
        folders: Where to look (None: :func:`scenario_folders`).
        first: A scenario to list first (the pre-selected default), when found.
    """
    folders = list(folders) if folders is not None else scenario_folders()
    seen: set[Path] = set()
    out: list[Path] = []
    for folder in folders:
        for p in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            if p.resolve() not in seen:
                seen.add(p.resolve())
                out.append(p)
    if first is not None:
        default = Path(first).resolve()
        out.sort(key=lambda p: p.resolve() != default)
    return out


def find_journals(folder: Path | None = None) -> list[Path]:
    """Journal files in ./journals, newest first."""
    folder = folder if folder is not None else Path.cwd() / "journals"
    if not folder.is_dir():
        return []
    found = list(folder.glob("*.tabletop"))
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def scenario_title(path: Path) -> str:
    """The scenario's title, read cheaply (the file name when unreadable)."""
    try:
        # A regular file of bounded size only (a FIFO must not hang the start screen).
        text = read_regular(path).decode("utf-8")
        return visible(str(tomllib.loads(text)["scenario"]["title"]))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
        return path.stem


def scenario_candidates(recorded: str, journal: JournalTarget) -> list[Path]:
    """Where the scenario a journal recorded may be now, most likely first.

    The journal stores the path as given when the exercise started (often relative
    to the folder it ran in), so the journal's folders are tried too, then files of
    the same name beside the journal and among the bundled scenarios. A journal in a
    database has no folder: the current folder and the bundled scenarios only.
    """
    from tabletop.journal.backends import journal_folder

    folder = journal_folder(journal)
    rec = Path(recorded)
    if rec.is_absolute():
        out = [rec]
    else:
        out = [Path.cwd() / rec]
        if folder is not None:
            out += [folder / rec, folder.parent / rec]
    if folder is not None:
        out.append(folder / rec.name)
    out += [Path.cwd() / rec.name, scenarios_dir() / rec.name]
    return list(dict.fromkeys(out))


def locate_scenario(
    head: ExerciseStarted, journal: JournalTarget, purpose: Literal["resume", "report"] = "resume"
) -> Path:
    """The scenario file whose sha256 is the one the journal recorded.

    The recorded path comes from the journal and may point anywhere: only regular
    files of bounded size are read (:func:`tabletop.files.read_regular`: never a
    device or a FIFO), and a file is parsed only once its sha256 matches, so a
    foreign file's content is never loaded nor shown.

    Args:
        head: The journal's first event.
        journal: The journal's path.
        purpose: What the scenario is wanted for (the messages say what to do).

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
    if purpose == "report":
        if changed:
            raise JournalError(
                f"{journal}: the scenario file {changed[0]} changed since the exercise was "
                "played; restore it (the journal records its sha256) or pass --scenario"
            )
        raise JournalError(
            f"{journal}: cannot find the scenario {head.scenario_path}; pass --scenario FILE"
        )
    if changed:
        raise JournalError(
            f"{journal}: the scenario file {changed[0]} changed since the exercise started; "
            "restore it (the journal records its sha256) to resume"
        )
    raise JournalError(
        f"{journal}: cannot find the scenario {head.scenario_path} (a regular file with the "
        "sha256 the journal recorded)"
    )
