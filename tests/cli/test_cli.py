"""The ``tabletop`` command: validate, run (bots and scripts), replay, schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tabletop_helpers import EXAMPLES, ROOT, RULES, SCENARIO

from tabletop.app.journals import resume_exercise
from tabletop.cli import main


def flat(text: str) -> str:
    """``text`` with every run of whitespace (including line breaks) made one space."""
    return " ".join(text.split())


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``tabletop argv...``; return (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def in_copy(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work inside a temporary project copy (short relative paths in messages)."""
    monkeypatch.chdir(project_copy)
    return project_copy


def test_validate_ok(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run_cli(
        capsys, "validate", "scenarios/typhoon-two-provinces.toml", "rules/standard.toml"
    )
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "scenarios/typhoon-two-provinces.toml: ok",
        "rules/standard.toml: ok",
    ]


def test_validate_bad_lists_every_located_problem(
    capsys: pytest.CaptureFixture[str], in_copy: Path
) -> None:
    path = in_copy / "scenarios" / SCENARIO.name
    text = path.read_text()
    text = text.replace('superior = "a_em"', 'superior = "a_emm"')
    text = text.replace('when = "regions.coastal_city.trust < 50"', 'when = "trust < 50"')
    path.write_text(text)
    code, out, err = run_cli(capsys, "validate", f"scenarios/{SCENARIO.name}")
    assert code == 1 and out == ""
    err = flat(err)
    assert (
        f"scenarios/{SCENARIO.name}:113:1: agencies.city.superior: unknown agency 'a_emm' "
        "(did you mean 'a_em'?)"
    ) in err
    assert f"scenarios/{SCENARIO.name}:244:9: injects[6].when: unknown name 'trust'" in err
    assert err.endswith("2 problems found.")


def test_validate_bad_rule_pack(capsys: pytest.CaptureFixture[str], in_copy: Path) -> None:
    rules = in_copy / "rules" / "standard.toml"
    rules.write_text(rules.read_text().replace("growth = 1.15", "growth = 9"))
    code, _, err = run_cli(capsys, "validate", "rules/standard.toml")
    assert code == 1
    assert "rules/standard.toml:" in err
    assert "stages[1].growth: must be less than or equal to 3 (got 9)" in flat(err)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "nope.toml: file not found"),
        (b"[scenario\nid = 1\n", "nope.toml:1:10: TOML syntax error"),
        (b'title = "caf\xe9"\n', "nope.toml:1:13: file is not valid UTF-8: byte 0xe9"),
        (b"[scenario]\nid = 'x'\n", "nope.toml:1:2: scenario: missing required key 'title'"),
    ],
)
def test_validate_never_shows_a_traceback(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: bytes | None,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    if content is not None:
        (tmp_path / "nope.toml").write_bytes(content)
    code, _, err = run_cli(capsys, "validate", "nope.toml")
    assert code == 1
    assert message in flat(err)


def test_validate_prints_each_problem_on_one_line(
    capsys: pytest.CaptureFixture[str], in_copy: Path
) -> None:
    path = in_copy / "scenarios" / SCENARIO.name
    path.write_text(path.read_text().replace('superior = "a_em"', 'superior = "a_emm"'))
    code, _, err = run_cli(capsys, "validate", str(path))
    assert code == 1
    first = err.splitlines()[0]
    assert first == (
        f"{path}:113:1: agencies.city.superior: unknown agency 'a_emm' (did you mean 'a_em'?)"
    )


@pytest.mark.parametrize("policy", ["cooperative", "selfish", "random", "mixed:a_water=selfish"])
def test_run_bots_plays_to_the_end_and_writes_a_journal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, policy: str
) -> None:
    journal = tmp_path / "bots.tabletop"
    code, out, err = run_cli(
        capsys, "run", str(SCENARIO), "--bots", policy, "--journal", str(journal)
    )
    assert code == 0, err
    assert "Status: all stages completed" in out
    assert flat(out).endswith(f"journal: {journal}") or f"journal: {journal}" in out
    ex = resume_exercise(journal)
    try:
        assert ex.state.phase == "ended"
        assert ex.records[0].event.kind == "exercise_started"
        assert sum(1 for r in ex.records if r.event.kind == "action_taken") > 10
    finally:
        ex.close()


def test_run_seed_override_is_recorded(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    journal = tmp_path / "seeded.tabletop"
    code, _, _ = run_cli(
        capsys,
        "run",
        str(SCENARIO),
        "--bots",
        "cooperative",
        "--seed",
        "5",
        "--journal",
        str(journal),
    )
    assert code == 0
    ex = resume_exercise(journal)
    try:
        assert ex.records[0].event.seed == 5
    finally:
        ex.close()


def test_run_script_example(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    journal = tmp_path / "script.tabletop"
    code, out, err = run_cli(
        capsys,
        "run",
        str(SCENARIO),
        "--script",
        str(EXAMPLES / "decisions.toml"),
        "--journal",
        str(journal),
    )
    assert code == 0, err
    assert "Stages: gestation -> outbreak -> continuation -> recovery" in out
    ex = resume_exercise(journal)
    try:
        events = [r.event for r in ex.records]
        assert ex.state.phase == "ended" and ex.state.round == 6
        assert [e.status for e in events if e.kind == "commitment_resolved"] == [
            "honoured",
            "honoured",
        ]
        assert ex.state.proposals["P1"].formalized
        taken = [(e.round, e.agency, e.action) for e in events if e.kind == "action_taken"]
        assert (6, "mem", "joint_review") in taken and (
            4,
            "a_water",
            "formalize_agreement",
        ) in taken
        assert not [e for e in events if e.kind == "action_taken" and "blind_deployment" in e.flags]
    finally:
        ex.close()


def test_run_script_with_bots_for_the_other_turns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    journal = tmp_path / "both.tabletop"
    code, _, err = run_cli(
        capsys,
        "run",
        str(SCENARIO),
        "--script",
        str(EXAMPLES / "decisions.toml"),
        "--bots",
        "cooperative",
        "--journal",
        str(journal),
    )
    assert code == 0, err
    assert journal.is_file()


def write_script(folder: Path, body: str) -> Path:
    """Write a decisions file and return its path."""
    path = folder / "decisions.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_run_script_with_bad_agency_and_action_is_located(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_script(
        tmp_path,
        '[[decisions]]\nround = 1\nagency = "mme"\naction = "monitor"\nregion = "linhe"\n\n'
        '[[decisions]]\nround = 1\nagency = "mem"\naction = "monitr"\nregion = "linhe"\n',
    )
    code, _, err = run_cli(
        capsys, "run", str(SCENARIO), "--script", "decisions.toml", "--journal", "x.tabletop"
    )
    assert code == 1
    err = flat(err)
    assert (
        "decisions.toml:3:1: decisions[0].agency: unknown agency 'mme' (did you mean 'mem'?)" in err
    )
    assert (
        "decisions.toml:10:1: decisions[1].action: unknown action 'monitr' "
        "(did you mean 'monitor'?)" in err
    )
    assert "2 problems found." in err
    assert not (tmp_path / "x.tabletop").exists()  # nothing started


def test_run_script_with_a_bad_field_is_located(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_script(
        tmp_path,
        '[[decisions]]\nround = 1\nagency = "mem"\naction = "monitor"\nregoin = "linhe"\n',
    )
    code, _, err = run_cli(capsys, "run", str(SCENARIO), "--script", "decisions.toml")
    assert code == 1
    assert (
        "decisions.toml:5:1: decisions[0].regoin: unknown key 'regoin' (did you mean 'region'?)"
        in flat(err)
    )


def test_run_script_with_an_illegal_decision_names_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_script(
        tmp_path,
        "# county may not give orders\n"
        '[[decisions]]\nround = 1\nagency = "county"\naction = "directive"\n'
        'target = "mem"\norder = "monitor"\n',
    )
    code, _, err = run_cli(
        capsys, "run", str(SCENARIO), "--script", "decisions.toml", "--journal", "x.tabletop"
    )
    assert code == 1
    assert (
        "error: decisions.toml:2: round 1, county: only for central/provincial/municipal "
        "agencies" in flat(err)
    )


def test_run_unknown_bot_policy(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(
        capsys, "run", str(SCENARIO), "--bots", "greedy", "--journal", str(tmp_path / "x")
    )
    assert code == 1
    assert flat(err) == (
        "error: unknown bot policy 'greedy' (choose cooperative, selfish, opportunist, random, passive or "
        "mixed:AGENCY=POLICY,...)"
    )
    assert not (tmp_path / "x").exists()


def test_run_unknown_agency_in_mixed_policy(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "run", str(SCENARIO), "--bots", "mixed:nasa=selfish")
    assert code == 1
    assert flat(err) == "error: unknown agency 'nasa' in 'mixed:nasa=selfish'"


def test_run_needs_a_script_or_bots(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "run", str(SCENARIO))
    assert code == 1
    assert flat(err) == "error: give --script FILE and/or --bots POLICY"


def test_run_refuses_an_existing_journal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    journal = tmp_path / "taken.tabletop"
    journal.write_text("something")
    code, _, err = run_cli(
        capsys, "run", str(SCENARIO), "--bots", "cooperative", "--journal", str(journal)
    )
    assert code == 1
    assert "already exists; resume it or choose another file" in flat(err)
    assert journal.read_text() == "something"


def test_replay_prints_the_final_state(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    journal = tmp_path / "r.tabletop"
    assert main(["run", str(SCENARIO), "--bots", "cooperative", "--journal", str(journal)]) == 0
    capsys.readouterr()
    code, out, err = run_cli(capsys, "replay", str(journal))
    assert code == 0 and err == ""
    assert "Typhoon Haikui: two provinces, one river" in out
    assert "Status: all stages completed; rounds played: 6" in flat(out)
    for name in ("Haizhou (coastal city)", "Linhe county", "Province C (inland)"):
        assert name in out


def test_replay_of_an_unfinished_exercise_says_whose_turn(
    capsys: pytest.CaptureFixture[str], game: object, tmp_path: Path
) -> None:
    from tabletop_helpers import Driver

    d = Driver(game, tmp_path / "open.tabletop")  # type: ignore[arg-type]
    d.turn_to("city")
    d.ex.close()
    code, out, _ = run_cli(capsys, "replay", str(tmp_path / "open.tabletop"))
    assert code == 0
    assert "next: city in round 1 (gestation)" in out


def test_replay_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "replay", str(tmp_path / "missing.tabletop"))
    assert (code, flat(err)) == (1, f"error: {tmp_path / 'missing.tabletop'}: no such journal")
    (tmp_path / "text.tabletop").write_text("hello\n" * 50)
    code, _, err = run_cli(capsys, "replay", str(tmp_path / "text.tabletop"))
    assert code == 1 and "not a tabletop journal" in flat(err)


def test_schema_writes_json_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "schema"
    code, out, _ = run_cli(capsys, "schema", "--out", str(out_dir))
    assert code == 0
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "rules.schema.json",
        "scenario.schema.json",
    ]
    assert f"wrote {out_dir / 'scenario.schema.json'}" in out.replace("\n", "")
    scenario = json.loads((out_dir / "scenario.schema.json").read_text())
    rules = json.loads((out_dir / "rules.schema.json").read_text())
    assert scenario["type"] == "object" and rules["type"] == "object"
    assert set(scenario["properties"]) == {
        "scenario",
        "regions",
        "agencies",
        "injects",
        "objectives",
    }
    assert {"Region", "Agency", "Inject", "Link"} <= set(scenario["$defs"])
    assert set(rules["properties"]) == {
        "pack",
        "resources",
        "stages",
        "actions",
        "formula",
        "scoring",
        "rating",
    }
    assert {"StageRule", "ActionRule", "Formula"} <= set(rules["$defs"])
    assert scenario["additionalProperties"] is False  # unknown keys are errors for editors too


def test_schema_is_valid_json_schema_and_accepts_the_bundled_files(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import tomllib

    assert main(["schema", "--out", str(tmp_path)]) == 0
    for name, data_file in (("scenario", SCENARIO), ("rules", RULES)):
        schema = json.loads((tmp_path / f"{name}.schema.json").read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(tomllib.loads(data_file.read_text()), schema)


def test_schema_to_an_unwritable_place(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_cli(capsys, "schema", "--out", str(blocker / "sub"))
    assert code == 1
    assert flat(err).startswith(f"error: cannot write schema to {blocker / 'sub'}")


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys)
    assert code == 2
    assert "usage: tabletop" in out


def test_copied_scenario_runs_from_its_folder(
    capsys: pytest.CaptureFixture[str], in_copy: Path
) -> None:
    shutil.copy(EXAMPLES / "decisions.toml", in_copy / "decisions.toml")
    code, out, err = run_cli(
        capsys,
        "run",
        f"scenarios/{SCENARIO.name}",
        "--script",
        "decisions.toml",
        "--journal",
        "j.tabletop",
    )
    assert code == 0, err
    assert "journal: j.tabletop" in out
