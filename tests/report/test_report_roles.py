"""The report of a journal with ad-hoc injects, a facilitator PIN and refused attempts."""

from __future__ import annotations

from pathlib import Path

from tabletop_helpers import SCENARIO

from tabletop.app.journals import resume_exercise
from tabletop.engine import Exercise
from tabletop.loader import load_game
from tabletop.model import commands as cm
from tabletop.report import build_report, render
from tabletop.roles import hash_pin


def test_adhoc_injects_and_refusals_in_the_report(tmp_path: Path) -> None:
    game = load_game(SCENARIO)
    ex = Exercise.new(game, tmp_path / "j.tabletop")
    ex.submit(hash_pin("2468").command())
    ex.submit(
        cm.ReleaseAdHocInject(
            title="Bridge closed", text="The Linhe bridge is closed to trucks.", to=["county"]
        )
    )
    ex.submit(cm.RecordAccessRefused(action="adjudicate", seat="agency:county", reason="no role"))
    while ex.state.phase == "running":
        ex.submit(cm.EndTurn(agency=ex.state.active))
    report = build_report(game, ex.records)
    md = render(report, "md")
    assert "Bridge closed" in md
    assert "Facilitator action 'adjudicate' refused to agency:county: no role" in md
    assert "2468" not in md and "facilitator_pin_set" not in md
    # The journal folds back to the same state.
    again = resume_exercise(tmp_path / "j.tabletop")
    assert again.state == ex.state
    again.close()
    ex.close()
