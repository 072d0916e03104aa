"""Where a new journal goes: ``journals/<scenario>-<label>-<time>.tabletop``."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path


def fresh_journal_path(
    scenario_id: str, label: str, folder: str | os.PathLike[str] = "journals"
) -> Path:
    """A journal path that does not exist yet (the folder is created).

    Args:
        scenario_id: The scenario's id.
        label: What produced it (``play`` for the TUI, the bot policy or ``script``
            for ``tabletop run``).
        folder: Where journals go.

    Returns:
        ``<folder>/<scenario>-<label>-<UTC time>.tabletop``, with ``-2``, ``-3``...
        added when a journal of the same second exists.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    path = base / f"{scenario_id}-{label}-{stamp}.tabletop"
    n = 1
    while path.exists():
        n += 1
        path = base / f"{scenario_id}-{label}-{stamp}-{n}.tabletop"
    return path
