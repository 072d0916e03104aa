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


def test_play_checks_bot_seats(tiny_scenario: Path, tmp_path: Path, capsys) -> None:
    journal = tmp_path / "j.tabletop"
    Exercise.new(load_game(tiny_scenario), journal).close()
    for argv, message in (
        (["play", "--resume", str(journal), "--bot", "beta=clever"], "unknown bot policy"),
        (["play", "--resume", str(journal), "--bot", "gamma=random"], "unknown agency 'gamma'"),
        (["play", "--attach", str(journal), "--as", "beta", "--bot", "beta"], "this terminal"),
        (
            ["play", "--attach", str(journal), "--as", "evaluator", "--bot", "beta"],
            "evaluator's terminal cannot play",
        ),
    ):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err


def test_play_passes_roles_and_bots_to_the_app(
    tiny_scenario: Path, tmp_path: Path, monkeypatch
) -> None:
    from tabletop.tui.app import TabletopApp

    journal = tmp_path / "j.tabletop"
    Exercise.new(load_game(tiny_scenario), journal).close()
    seen: list[TabletopApp] = []

    def fake_run(self: TabletopApp) -> int:
        seen.append(self)
        return 0

    monkeypatch.setattr(TabletopApp, "run", fake_run)
    assert main(["play", "--attach", str(journal), "--as", "evaluator"]) == 0
    assert seen[-1].session is not None and seen[-1].session.evaluator
    seen[-1].session.close()
    assert main(["play", "--resume", str(journal), "--bot", "beta=selfish"]) == 0
    assert seen[-1].session is not None and seen[-1].session.bots == {"beta": "selfish"}
    assert seen[-1].session.hot_seat
    seen[-1].session.close()
