"""``tabletop play`` argument handling (errors are messages, before any screen opens)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tabletop.cli import main
from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["play", "--attach", "x.tabletop"], "needs --as AGENCY"),
        (["play", "--as", "alpha"], "goes with --attach"),
        (["play", "--resume", "a", "--attach", "b", "--as", "c"], "not both"),
        (["play", "s.toml", "--resume", "a"], "start a new exercise"),
        (["play", "--resume", "missing.tabletop"], "no such journal"),
    ],
)
def test_play_refuses_bad_arguments(argv: list[str], message: str, capsys) -> None:
    assert main(argv) == 1
    assert message in capsys.readouterr().err


def test_attach_checks_the_agency(tiny_scenario: Path, tmp_path: Path, capsys) -> None:
    journal = tmp_path / "j.tabletop"
    Exercise.new(load_game(tiny_scenario), journal).close()
    assert main(["play", "--attach", str(journal), "--as", "gamma"]) == 1
    err = capsys.readouterr().err
    assert "unknown agency 'gamma'" in err
    assert "Traceback" not in err
