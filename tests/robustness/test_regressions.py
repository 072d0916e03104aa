"""Regression tests for bugs found by the robustness work (all fixed).

Each test states the behaviour the engine must keep.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tabletop.bots import parse_policies, play_to_end
from tabletop.engine.exercise import Exercise
from tabletop.errors import ScenarioError
from tabletop.loader.game import load_game

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "scenarios" / "typhoon-two-provinces.toml"


def _write(tmp_path: Path, text: str, name: str = "bug.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_region_id_with_a_dot_never_crashes_the_engine(tmp_path: Path) -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    text = text.replace("[regions.linhe]", '[regions."lin.he"]')
    text = text.replace('"linhe"', '"lin.he"').replace("regions.linhe.", "regions.lin.he.")
    path = _write(tmp_path, text)
    try:
        game = load_game(path)
    except ScenarioError:
        return  # rejected with a located problem: fine
    ex = Exercise.new(game, None)
    play_to_end(ex, parse_policies("cooperative", game.order))
    assert ex.state.phase == "ended"


def test_agency_called_all_is_refused(tmp_path: Path) -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    text = text.replace("[agencies.county]", "[agencies.all]").replace('"county"', '"all"')
    text = text.replace('level = "all"', 'level = "county"')
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_game(path)
    assert any("all" in p.message for p in info.value.problems)


@pytest.mark.parametrize("rounds", [0, -3])
def test_stage_rounds_override_is_range_checked(tmp_path: Path, rounds: int) -> None:
    text = DEFAULT.read_text(encoding="utf-8").replace(
        "seed = 20261124", f"seed = 20261124\nstage_rounds = {{ outbreak = {rounds} }}", 1
    )
    with pytest.raises(ScenarioError) as info:
        load_game(_write(tmp_path, text))
    assert [p.key for p in info.value.problems] == ["scenario.stage_rounds.outbreak"]


def test_negative_resource_is_located_at_the_resource(tmp_path: Path) -> None:
    text = DEFAULT.read_text(encoding="utf-8").replace(
        "resources = { rescue = 20,", "resources = { rescue = -3,", 1
    )
    with pytest.raises(ScenarioError) as info:
        load_game(_write(tmp_path, text))
    (p,) = info.value.problems
    assert p.key == "agencies.mem.resources.rescue"
    assert "resources = { rescue = -3" in p.source


def test_validate_prints_each_problem_on_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "a-rather-long-folder-name-for-scenarios" / "and-another-level"
    folder.mkdir(parents=True)
    text = DEFAULT.read_text(encoding="utf-8").replace('superior = "a_em"', 'superior = "a_emm"')
    path = _write(folder, text, "typhoon-copy.toml")
    proc = subprocess.run(
        [sys.executable, "-m", "tabletop.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    head = f"{path}:113:1: agencies.city.superior: unknown agency 'a_emm' (did you mean 'a_em'?)"
    assert head in proc.stderr.splitlines()
