"""``tabletop report JOURNAL`` on real journals (tabletop.cli.report)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from report_fixtures import DATA, fixed_clock

from tabletop.bots import parse_policies, play_to_end
from tabletop.cli import main
from tabletop.engine.exercise import Exercise
from tabletop.journal import Journal
from tabletop.loader import load_game


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with the scenario, its rule pack and a played journal."""
    root = tmp_path_factory.mktemp("proj")
    (root / "scenarios").mkdir()
    (root / "rules").mkdir()
    shutil.copy(DATA / "typhoon.toml", root / "scenarios" / "typhoon.toml")
    shutil.copy(DATA / "rules" / "standard.toml", root / "rules" / "standard.toml")
    (root / "journals").mkdir()
    game = load_game(root / "scenarios" / "typhoon.toml")
    ex = Exercise.new(game, root / "journals" / "coop.tabletop", clock=fixed_clock)
    play_to_end(ex, parse_policies("mixed:county=selfish", game.order))
    ex.close()
    return root


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_report_writes_each_format(project: Path, fmt: str, capsys) -> None:  # noqa: ANN001
    out = project / "out" / f"report.{fmt}"
    code = main(
        ["report", str(project / "journals" / "coop.tabletop"), "--format", fmt, "-o", str(out)]
    )
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert f"wrote {out}" in capsys.readouterr().out
    if fmt == "json":
        assert json.loads(text)["overview"]["status"] == "ended"
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>") and "<svg" in text
    else:
        assert text.startswith("# After-Action Report / Improvement Plan")


def test_format_follows_the_output_suffix_and_defaults_to_markdown(
    project: Path,
    capsys,  # noqa: ANN001
) -> None:
    journal = str(project / "journals" / "coop.tabletop")
    out = project / "out" / "auto.json"
    assert main(["report", journal, "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["schema_version"] == 1
    capsys.readouterr()
    assert main(["report", journal]) == 0
    assert capsys.readouterr().out.startswith("# After-Action Report")


def test_report_finds_the_scenario_from_another_folder(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys,  # noqa: ANN001
) -> None:
    # Journals record the scenario path as given to `tabletop run` (relative here).
    game = load_game(project / "scenarios" / "typhoon.toml")
    monkeypatch.chdir(project)
    rel = load_game("scenarios/typhoon.toml")
    assert rel.scenario_hash == game.scenario_hash
    ex = Exercise.new(rel, project / "journals" / "rel.tabletop", clock=fixed_clock)
    ex.close()
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(project / "journals" / "rel.tabletop"), "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["overview"]["status"] == "running"


def test_confirm_records_the_evaluators_rating_in_the_journal(
    project: Path,
    tmp_path: Path,
    capsys,  # noqa: ANN001
) -> None:
    journal = tmp_path / "confirm.tabletop"
    shutil.copy(project / "journals" / "coop.tabletop", journal)
    code = main(
        ["report", str(journal), "-f", "json", "--confirm", "early_warning=m:warning came late"]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    (ob,) = [o for o in data["objectives"] if o["id"] == "early_warning"]
    assert (ob["confirmed"], ob["rating"], ob["note"]) == ("M", "M", "warning came late")
    with Journal(journal) as j:
        last = j.read()[-1].event
    assert (last.kind, last.objective, last.rating) == ("rating_confirmed", "early_warning", "M")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "nowhere.tabletop"], "no such journal"),
        (["report", "{j}", "--confirm", "early_warning"], "OBJECTIVE=P|S|M|U"),
        (
            ["report", "{j}", "--confirm", "early_warning=P", "--confirm", "nope=P"],
            "unknown objective 'nope'",
        ),
    ],
)
def test_user_errors_are_messages_not_tracebacks(
    project: Path,
    tmp_path: Path,
    args: list[str],
    message: str,
    capsys,  # noqa: ANN001
) -> None:
    journal = tmp_path / "errors.tabletop"
    shutil.copy(project / "journals" / "coop.tabletop", journal)
    with Journal(journal) as j:
        before = j.last_seq()
    assert main([a.replace("{j}", str(journal)) for a in args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    if journal.exists():
        with Journal(journal) as j:
            assert j.last_seq() == before  # nothing half-written


def test_changed_scenario_is_refused(project: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "rules").mkdir()
    shutil.copy(project / "rules" / "standard.toml", tmp_path / "rules" / "standard.toml")
    scenario = tmp_path / "scenarios" / "typhoon.toml"
    shutil.copy(project / "scenarios" / "typhoon.toml", scenario)
    ex = Exercise.new(load_game(scenario), tmp_path / "j.tabletop", clock=fixed_clock)
    ex.close()
    scenario.write_text(scenario.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert main(["report", str(tmp_path / "j.tabletop")]) == 1
    assert "changed since" in capsys.readouterr().err
