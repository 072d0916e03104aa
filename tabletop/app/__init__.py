"""The application layer: what the command line and the terminal UI do, without a screen.

Workspace discovery (:mod:`~tabletop.app.workspace`), opening, resuming and attaching
to journals (:mod:`~tabletop.app.journals`), the session behind the screens
(:mod:`~tabletop.app.session`) and report exports (:mod:`~tabletop.app.exports`).
``tabletop.cli`` and ``tabletop.tui`` call these; the engine knows none of them.

Names are imported lazily: ``tabletop --help`` must not pay for the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tabletop.app.journals import (
        OpenedJournal,
        append_commands,
        check_journal,
        export_journal,
        new_exercise,
        open_journal,
        resume_exercise,
    )
    from tabletop.app.workspace import journal_exists, locate_scenario

_WHERE = {
    "OpenedJournal": "tabletop.app.journals",
    "append_commands": "tabletop.app.journals",
    "check_journal": "tabletop.app.journals",
    "export_journal": "tabletop.app.journals",
    "new_exercise": "tabletop.app.journals",
    "open_journal": "tabletop.app.journals",
    "resume_exercise": "tabletop.app.journals",
    "journal_exists": "tabletop.app.workspace",
    "locate_scenario": "tabletop.app.workspace",
}

__all__ = [
    "OpenedJournal",
    "append_commands",
    "check_journal",
    "export_journal",
    "journal_exists",
    "locate_scenario",
    "new_exercise",
    "open_journal",
    "resume_exercise",
]


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'tabletop.app' has no attribute {name!r}")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value
    return value
