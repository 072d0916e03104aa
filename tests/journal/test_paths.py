"""Where a new journal goes."""

from __future__ import annotations

import re
from pathlib import Path

from tabletop.journal import fresh_journal_path


def test_a_fresh_path_is_named_after_the_scenario_and_never_reused(tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "journals"
    first = fresh_journal_path("typhoon", "play", folder)
    assert folder.is_dir() and first.parent == folder
    assert re.fullmatch(r"typhoon-play-\d{8}-\d{6}\.tabletop", first.name)
    first.touch()
    second = fresh_journal_path("typhoon", "play", folder)
    assert second != first and not second.exists()
    if second.stem.startswith(first.stem):  # the same second: numbered
        assert second.name == f"{first.stem}-2.tabletop"
