"""Headless ``run`` and ``simulate`` with an expression that fails while playing.

The failure is reported (a warning, the summary) and play goes on; ``--strict`` stops with
a clear error and status 1, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tabletop_helpers import SCENARIO

from tabletop.cli import main
from tabletop.journal import Journal

LANDFALL = 'effects = ["regions.coastal_city.hazard += 0.15"]'
BAD = "regions.coastal_city.trust -= clamp(round, 2, round)"


@pytest.fixture
def failing(project_copy: Path) -> tuple[Path, str]:
    """The default scenario whose landfall inject has an effect failing in its round 1.

    Returns:
        The scenario and the located start of the expected failure line.
    """
    path = project_copy / "scenarios" / SCENARIO.name
    text = path.read_text(encoding="utf-8")
    text = text.replace(LANDFALL, f'effects = ["regions.coastal_city.hazard += 0.15", "{BAD}"]')
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    line = next(i for i, t in enumerate(lines, 1) if BAD in t)
    col = lines[line - 1].index(BAD) + BAD.index("clamp") + 1
    return path, (
        f"{path}:{line}:{col}: injects[2].effects[1]: clamp(): lower bound 2 is above upper "
        "bound 1 (inject 'landfall', round 2"
    )


def test_run_warns_and_plays_to_the_end(
    capsys: pytest.CaptureFixture[str], failing: tuple[Path, str], tmp_path: Path
) -> None:
    path, located = failing
    journal = tmp_path / "run.tabletop"
    assert main(["run", str(path), "--bots", "cooperative", "--journal", str(journal)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"warning: {located}: effect skipped)"]
    assert "Expressions that failed while playing (skipped, play went on): 1" in out
    assert "all stages completed" in out
    kinds = [r.event.kind for r in Journal(journal).read()]
    assert kinds.count("expression_failed") == 1 and kinds[-1] == "exercise_ended"


def test_run_strict_stops_with_a_clear_error(
    capsys: pytest.CaptureFixture[str], failing: tuple[Path, str], tmp_path: Path
) -> None:
    path, located = failing
    journal = tmp_path / "strict.tabletop"
    args = ["run", str(path), "--bots", "cooperative", "--journal", str(journal), "--strict"]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"error: {located}): stopped (--strict); the journal {journal} keeps the exercise up to "
        "here"
    ]
    assert "Traceback" not in err
    kinds = [r.event.kind for r in Journal(journal).read()]
    assert "expression_failed" in kinds and "exercise_ended" not in kinds


def test_simulate_reports_the_failure_and_continues(
    capsys: pytest.CaptureFixture[str], failing: tuple[Path, str]
) -> None:
    path, located = failing
    assert main(["simulate", str(path), "--runs", "2", "--json", "--no-progress"]) == 0
    data = json.loads(capsys.readouterr().out)
    where = located.removesuffix(", round 2") + ")"
    assert data["expression_failures"] == {where: 2}
    assert all(r["failures"] == [where] for r in data["results"])
    assert any(where in note for note in data["notes"])


def test_simulate_strict_fails(
    capsys: pytest.CaptureFixture[str], failing: tuple[Path, str]
) -> None:
    path, located = failing
    assert main(["simulate", str(path), "--runs", "2", "--strict", "--no-progress"]) == 1
    out, err = capsys.readouterr()
    where = located.removesuffix(", round 2") + ")"
    assert out == ""
    assert err.splitlines() == [f"error: {where}: an expression failed in 2 of 2 runs (--strict)"]
