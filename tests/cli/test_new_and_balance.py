"""``tabletop new`` writes a scenario that validates and plays; ``check-balance`` finds gaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from tabletop.cli import main
from tabletop.errors import Problem
from tabletop.loader import load_game
from tabletop.scaffold import scaffold
from tabletop.simulate import play_run


@pytest.mark.parametrize(("regions", "agencies"), [(3, 6), (1, 2), (5, 3), (2, 20)])
def test_scaffold_validates_without_any_problem(
    tmp_path: Path, regions: int, agencies: int
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(scaffold("My flood", regions=regions, agencies=agencies), encoding="utf-8")
    warnings: list[Problem] = []
    game = load_game(path, warnings=warnings)
    assert warnings == []
    assert len(game.scenario.regions) == regions and len(game.scenario.agencies) == agencies
    assert [s.id for s in game.rules.stages] == [
        "gestation",
        "outbreak",
        "continuation",
        "recovery",
    ]


def test_new_writes_a_file_that_plays_to_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "my-flood", "--regions", "3", "--agencies", "6"]) == 0
    path = tmp_path / "my-flood.toml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# my-flood: a scenario written by `tabletop new`")
    assert main(["validate", "--strict", str(path)]) == 0
    assert "my-flood.toml: ok" in capsys.readouterr().out
    result = play_run(load_game(path), "cooperative", 1)
    assert result.stages == ["gestation", "outbreak", "continuation", "recovery"]
    assert result.ended and result.failures == ()


def test_new_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.toml").write_text("keep me", encoding="utf-8")
    assert main(["new", "x"]) == 1
    assert "x.toml: already exists" in capsys.readouterr().err
    assert (tmp_path / "x.toml").read_text(encoding="utf-8") == "keep me"


def test_new_refuses_bad_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "x", "--agencies", "1", "-o", str(tmp_path / "x.toml")]) == 1
    assert "--agencies must be between 2 and 20 (got 1)" in capsys.readouterr().err
    assert not (tmp_path / "x.toml").exists()


def test_check_balance_locates_what_never_happened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = scaffold("gaps", regions=2, agencies=3).replace(
        'when = "min_trust < 45"',
        'when = "min_trust < 45 and fired.second_wave > 0.5 and wave > 1"',
    )
    text = text.replace(
        'action = "joint_review", stage = "recovery", by_round = 1',
        'action = "request_support", stage = "recovery", by_round = 1',
    )
    path = tmp_path / "gaps.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["check-balance", str(path), "--runs", "3"]) == 1
    err = capsys.readouterr().err
    lines = text.splitlines()
    rumours = lines.index('id = "rumours"')  # 0-based index of the line below [[injects]]
    assert (
        f"{path}:{rumours}:1: injects[3]: warning: never fired in 3 runs ('cooperative' bots): "
        "check its stage, round or condition" in err
    )
    assert "objectives[2].tasks[0]: warning: no run did this critical task on time" in err
    assert "2 inject(s) or task(s) never reached." in err


def test_check_balance_of_a_balanced_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(scaffold("ok", regions=3, agencies=6), encoding="utf-8")
    assert main(["check-balance", str(path), "--runs", "3"]) == 0
    assert "every inject fired and every critical task was done" in capsys.readouterr().out
