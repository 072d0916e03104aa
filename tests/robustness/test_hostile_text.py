"""Terminal escape injection: no control character (but newline and tab) reaches a terminal raw.

Scenario files refuse them with a located problem; commands (player and facilitator
text) and journals show them visibly (``␛``); ``validate``'s source echo, ``run``,
``replay`` and ``report`` print none.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import ESCAPES, rewrite
from hypothesis import given
from hypothesis import strategies as st

from tabletop.cli import main
from tabletop.engine.exercise import Exercise
from tabletop.errors import ScenarioError
from tabletop.loader.game import load_game
from tabletop.model import commands as cm
from tabletop.sanitize import CONTROL, visible

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "scenarios" / "typhoon-two-provinces.toml"
TITLE = 'title = "Typhoon Haikui: two provinces, one river"'


def raw_controls(text: str) -> list[str]:
    """Control characters but newline and tab (what a terminal would act on)."""
    return CONTROL.findall(text)


@given(st.text())
def test_visible_keeps_length_and_leaves_no_control_character(text: str) -> None:
    shown = visible(text)
    assert len(shown) == len(text)
    assert not raw_controls(shown)
    assert shown.count("\n") == text.count("\n") and shown.count("\t") == text.count("\t")


def test_visible_shows_escape_as_a_symbol() -> None:
    assert visible("a\x1b[2Jb\x07\x7f\x9b") == "a\u241b[2Jb\u2407\u2421\ufffd"


def test_escaped_control_characters_in_a_scenario_are_located_problems(tmp_path: Path) -> None:
    text = DEFAULT.read_text(encoding="utf-8").replace(
        TITLE, 'title = "Typhoon \\u001b]52;c;aGk=\\u0007"', 1
    )
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_game(tmp_path / "s.toml")
    [problem] = info.value.problems
    assert problem.key == "scenario.title"
    assert problem.line == text.splitlines().index('title = "Typhoon \\u001b]52;c;aGk=\\u0007"') + 1
    assert problem.col > 0
    assert "control character U+001B" in problem.message


def test_control_characters_in_keys_and_arrays_are_refused(tmp_path: Path) -> None:
    text = DEFAULT.read_text(encoding="utf-8").replace(
        TITLE, TITLE + '\ntags = ["ok", "bad\\u009b"]\n"evil\\u001bkey" = 1', 1
    )
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_game(tmp_path / "s.toml")
    keys = {p.key for p in info.value.problems if "control character" in p.message}
    assert "scenario.tags[1]" in keys
    assert any(k.startswith('scenario."evil') for k in keys)


def test_validate_never_echoes_raw_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A raw ESC is a TOML syntax error: the echoed source line shows it as a symbol.
    raw = DEFAULT.read_text(encoding="utf-8").replace(TITLE, f'title = "x{ESCAPES}"', 1)
    (tmp_path / "raw.toml").write_text(raw, encoding="utf-8")
    escaped = DEFAULT.read_text(encoding="utf-8").replace(
        TITLE, 'title = "x\\u001b[2J"  # \\u001b is text here', 1
    )
    (tmp_path / "esc.toml").write_text(escaped, encoding="utf-8")
    for name in ("raw.toml", "esc.toml"):
        assert main(["validate", str(tmp_path / name)]) == 1
        out, err = capsys.readouterr()
        assert not raw_controls(out + err), name
        assert "Traceback" not in err
    assert main(["validate", str(tmp_path / "raw.toml")]) == 1
    assert "\u241b" in capsys.readouterr().err


def test_player_text_is_made_visible_in_commands() -> None:
    note = cm.AddObservation(text=f"look{ESCAPES}\nsecond line\tok")
    assert not raw_controls(note.text)
    assert note.text.startswith("look\u241b]52;")
    assert note.text.endswith("\nsecond line\tok")
    spec = {"debtor": "a\x1b", "creditor": "b", "deliverable": "funds", "amount": 1, "due_round": 2}
    prop = cm.ProposeAgreement(
        agency="mem", mechanism="x", parties=["p\x1b[2J"], title=ESCAPES, commitments=[spec]
    )
    assert not raw_controls(prop.title + "".join(prop.parties) + prop.commitments[0].debtor)


def test_run_replay_and_report_print_no_raw_control_character(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], game
) -> None:
    path = tmp_path / "ex.tabletop"
    ex = Exercise.new(game, path)
    ex.submit(cm.AddObservation(text=f"evaluator{ESCAPES}", author=f"eve{ESCAPES}"))
    inject = next(r.seq for r in ex.records if r.event.kind == "inject_fired")
    ex.close()
    # A crafted journal: raw control characters written into an inject's text,
    # with every hash recomputed so the chain holds.
    rewrite(path, inject, lambda e: e.update(title=f"t{ESCAPES}", text=f"x{ESCAPES}"))
    main(["report", str(path)])
    assert "evaluator\u241b" in capsys.readouterr().out  # shown, visibly
    for argv in (["replay", str(path)], ["report", str(path)], ["journal", "check", str(path)]):
        main(argv)
        out, err = capsys.readouterr()
        assert not raw_controls(out + err), argv
    script = tmp_path / "s.toml"
    script.write_text(
        '[[decisions]]\nround = 1\nagency = "mem"\naction = "monitr\\u001b]0;t\\u0007"\n',
        encoding="utf-8",
    )
    main(["run", str(DEFAULT), "--script", str(script), "--journal", str(tmp_path / "r.tabletop")])
    out, err = capsys.readouterr()
    assert not raw_controls(out + err)
    assert "decisions[0].action: control character U+001B is not allowed" in err


def test_journal_text_is_made_visible_when_read(tmp_path: Path, game) -> None:
    path = tmp_path / "ex.tabletop"
    Exercise.new(game, path).close()
    rewrite(path, 1, lambda e: e.update(scenario_id=f"id{ESCAPES}"))
    from tabletop.journal import Journal

    with Journal(path) as journal:
        head = journal.read()[0].event
        assert journal.integrity is not None and journal.integrity.ok
    assert not raw_controls(head.scenario_id)
    assert head.scenario_id.startswith("id\u241b")
