"""Semantic checks: what is well formed yet makes an exercise silently wrong.

Each case edits a copy of the default scenario (or rule pack) and expects exactly one
error, or exactly one warning, with its dotted key, message and position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from tabletop_helpers import RULES, SCENARIO, write_tiny

from tabletop.errors import Problem, ScenarioError
from tabletop.loader import load_game


@dataclass(frozen=True)
class Case:
    """One edit and the one problem it must cause.

    Attributes:
        old: Text occurring exactly once in the valid scenario.
        new: Its replacement.
        key: Expected dotted key.
        message: Expected message.
        at: Text occurring once in the edited file whose first character is the position.
    """

    old: str
    new: str
    key: str
    message: str
    at: str


ERRORS = {
    "inject round beyond its stage": Case(
        'stage = "gestation"\nround = 1\nto = ["all"]',
        'stage = "gestation"\nround = 3\nto = ["all"]',
        "injects[0].round",
        "round 3 is beyond the gestation stage, which has 1 round(s)",
        "round = 3",
    ),
    "task deadline beyond its stage": Case(
        'agency = "mem", stage = "gestation", by_round = 1',
        'agency = "mem", stage = "gestation", by_round = 2',
        "objectives[0].tasks[0].by_round",
        "by_round 2 is beyond the gestation stage, which has 1 round(s)",
        "by_round = 2",
    ),
    "task deadline beyond the exercise": Case(
        'action = "compensate", stage = "recovery", by_round = 1',
        'action = "compensate", by_round = 99',
        "objectives[3].tasks[0].by_round",
        "by_round 99 is beyond the exercise, which has at most 24 rounds "
        "(without a stage, by_round counts rounds from the start)",
        "by_round = 99",
    ),
    "expected action not allowed in the stage": Case(
        '{ agency = "city", action = "request_support", within = 1 }',
        '{ agency = "city", action = "set_rule", within = 1 }',
        "injects[2].expect[0].action",
        "action 'set_rule' is not allowed in the outbreak stage (only in: recovery): "
        "this can never be met",
        'action = "set_rule"',
    ),
    "expected agency lacks the authority": Case(
        '{ agency = "mem", action = "activate_response"',
        '{ agency = "c_em", action = "activate_response"',
        "injects[0].expect[0].agency",
        "agency 'c_em' lacks the 'response' authority that action 'activate_response' needs: "
        "this can never be met",
        'agency = "c_em"',
    ),
    "expected agency at a level the action excludes": Case(
        '{ agency = "city", action = "issue_warning", within = 1',
        '{ agency = "county", action = "activate_response", within = 1',
        "injects[0].expect[1].agency",
        "agency 'county' is county, but action 'activate_response' is only for "
        "central/provincial/municipal agencies: this can never be met",
        'agency = "county", action = "activate_response"',
    ),
    "expected agency never receives the private inject": Case(
        '{ agency = "a_water", action = "propose_agreement"',
        '{ agency = "b_em", action = "propose_agreement"',
        "injects[3].expect[0].agency",
        "agency 'b_em' never receives this private inject (it goes to a_water, a_em): "
        "it cannot react to it",
        'agency = "b_em", action = "propose_agreement"',
    ),
    "task that its agency can never do": Case(
        'action = "assign_counterpart", agency = "mem"',
        'action = "assign_counterpart", agency = "county"',
        "objectives[1].tasks[2].agency",
        "agency 'county' is county, but action 'assign_counterpart' is only for "
        "central/provincial agencies: this can never be met",
        'agency = "county", stage = "outbreak", by_round = 2',
    ),
    "task action not allowed in its stage": Case(
        'action = "joint_review", stage = "recovery"',
        'action = "joint_review", stage = "outbreak"',
        "objectives[3].tasks[2].action",
        "action 'joint_review' is not allowed in the outbreak stage (only in: recovery): "
        "this can never be met",
        'action = "joint_review", stage = "outbreak"',
    ),
    "central agency with a superior": Case(
        'level = "provincial"\ndepartment = "emergency"\nsuperior = "mem"\nregions = ["province_c"]',
        'level = "central"\ndepartment = "emergency"\nsuperior = "mem"\nregions = ["province_c"]',
        "agencies.c_em.superior",
        "a central agency has no superior (central is the top level)",
        'superior = "mem"\nregions = ["province_c"]',
    ),
    "superior at a lower level": Case(
        'department = "health"\nsuperior = "mem"',
        'department = "health"\nsuperior = "county"',
        "agencies.b_health.superior",
        "superior 'county' is county, below this provincial agency",
        'superior = "county"',
    ),
    "unknown warning level in a condition": Case(
        'when = "regions.coastal_city.trust < 50"',
        "when = \"regions.coastal_city.warning == 'rd'\"",
        "injects[6].when",
        "unknown warning level 'rd' (did you mean 'red'?)",
        "'rd'",
    ),
    "unknown stage in a condition": Case(
        'when = "regions.coastal_city.trust < 50"',
        "when = \"stage == 'outbrake'\"",
        "injects[6].when",
        "unknown stage 'outbrake' (did you mean 'outbreak'?)",
        "'outbrake'",
    ),
    "dotted id proposes the id alone": Case(
        'superior = "a_em"',
        'superior = "agencies.a_em"',
        "agencies.city.superior",
        "unknown agency 'agencies.a_em' (did you mean 'a_em'? write the id alone)",
        'superior = "agencies.a_em"',
    ),
}

WARNINGS = {
    "condition above the variable's range": Case(
        'when = "regions.coastal_city.trust < 50"',
        'when = "regions.coastal_city.trust > 100"',
        "injects[6].when",
        "this condition can never be true: regions.coastal_city.trust is always between 0 "
        "and 100, so `regions.coastal_city.trust > 100` never holds",
        "regions.coastal_city.trust > 100",
    ),
    "condition below the variable's range, in an and": Case(
        'when = "regions.coastal_city.trust < 50"',
        'when = "round >= 1 and 0 > regions.linhe.hazard"',
        "injects[6].when",
        "this condition can never be true: regions.linhe.hazard is always between 0 and 1, "
        "so `0 > regions.linhe.hazard` never holds",
        "0 > regions",
    ),
    "condition on a round the stages never reach": Case(
        'when = "regions.coastal_city.trust < 50"',
        'when = "round > 2"',
        "injects[6].when",
        "this condition can never be true: round is always between 1 and 2, "
        "so `round > 2` never holds",
        "round > 2",
    ),
    "condition in a multi-line string": Case(
        'when = "regions.coastal_city.trust < 50"',
        'when = """\nregions.coastal_city.trust < 50 and\n  mean_hazard > 1"""',
        "injects[6].when",
        "this condition can never be true: mean_hazard is always between 0 and 1, "
        "so `mean_hazard > 1` never holds",
        "mean_hazard > 1",
    ),
    "region nobody has jurisdiction over": Case(
        'superior = "mem"\nregions = ["province_c"]\n',
        'superior = "mem"\n',
        "regions.province_c",
        "no agency has jurisdiction over this region (list it in an agency's regions)",
        "province_c]",
    ),
}


def edited(project: Path, old: str, new: str) -> Path:
    path = project / "scenarios" / SCENARIO.name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def position(path: Path, new: str, at: str) -> tuple[int, int]:
    """Where ``at`` is: inside the replacement ``new`` when part of it, else once in the file."""
    text = path.read_text(encoding="utf-8")
    if at in new and text.count(new) == 1:
        offset = text.index(new) + new.index(at)
    else:
        assert text.count(at) == 1, f"{at!r} occurs {text.count(at)} times"
        offset = text.index(at)
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def check(p: Problem, path: Path, case: Case) -> None:
    assert (p.file, p.key, p.message) == (str(path), case.key, case.message)
    assert (p.line, p.col) == position(path, case.new, case.at)


def test_the_bundled_scenarios_have_no_semantic_problem() -> None:
    for path in sorted(SCENARIO.parent.glob("*.toml")):
        warnings: list[Problem] = []
        load_game(path, warnings=warnings)
        assert warnings == [], [w.format() for w in warnings]


@pytest.mark.parametrize("case", ERRORS.values(), ids=ERRORS.keys())
def test_error(project_copy: Path, case: Case) -> None:
    path = edited(project_copy, case.old, case.new)
    with pytest.raises(ScenarioError) as info:
        load_game(path)
    got = info.value.problems
    assert len(got) == 1, [p.format() for p in got]
    assert got[0].severity == "error"
    check(got[0], path, case)


@pytest.mark.parametrize("case", WARNINGS.values(), ids=WARNINGS.keys())
def test_warning(project_copy: Path, case: Case) -> None:
    path = edited(project_copy, case.old, case.new)
    warnings: list[Problem] = []
    load_game(path, warnings=warnings)
    assert len(warnings) == 1, [p.format() for p in warnings]
    assert warnings[0].severity == "warning" and warnings[0].is_warning
    check(warnings[0], path, case)
    assert "warning: " + case.message in warnings[0].format()


def test_a_condition_possible_on_one_side_of_an_or_is_not_reported(project_copy: Path) -> None:
    path = edited(
        project_copy,
        'when = "regions.coastal_city.trust < 50"',
        'when = "regions.coastal_city.trust > 100 or max_hazard > 0.9"',
    )
    warnings: list[Problem] = []
    load_game(path, warnings=warnings)
    assert warnings == []


def test_warnings_are_reported_with_errors(project_copy: Path) -> None:
    path = edited(
        project_copy, 'superior = "mem"\nregions = ["province_c"]\n', 'superior = "mem"\n'
    )
    text = path.read_text(encoding="utf-8").replace('superior = "a_em"', 'superior = "a_emm"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_game(path)
    assert [p.severity for p in info.value.problems] == ["error"]
    # Semantic checks run only once every reference resolves: the typo alone is shown.
    assert info.value.problems[0].message == "unknown agency 'a_emm' (did you mean 'a_em'?)"


def test_objective_without_a_critical_task_is_an_error(project_copy: Path) -> None:
    path = project_copy / "scenarios" / SCENARIO.name
    text = path.read_text(encoding="utf-8")
    cut = text.index('tasks = [\n    { id = "compensation_deal"')
    path.write_text(text[:cut] + "tasks = []\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_game(path)
    (p,) = [p for p in info.value.problems if p.key == "objectives[3].tasks"]
    assert p.message.startswith("must have at least 1 item")
    assert (p.line, p.col) == (text[:cut].count("\n") + 1, 1)


def test_agency_without_any_legal_action_in_a_stage(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    text = re.sub(r"(?m)^stages = \[.*\]\n", "", RULES.read_text(encoding="utf-8"))
    text = re.sub(r"(?m)^(\[actions\.(?!pass\])\w+\]\n)", '\\1stages = ["recovery"]\n', text)
    rules.write_text(text, encoding="utf-8")
    warnings: list[Problem] = []
    load_game(write_tiny(tmp_path, rules), warnings=warnings)
    messages = [(w.key, w.message) for w in warnings if w.key.startswith("agencies.")]
    assert (
        "agencies.prov",
        "agency 'prov' has no action it may take in the gestation stage except pass",
    ) in messages
    assert len(messages) == 2 * 3  # two agencies, three stages before recovery
    assert all(w.is_warning for w in warnings)


def test_validate_prints_warnings_and_exits_0_unless_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tabletop.cli import main

    path = write_tiny(tmp_path)  # region "far" belongs to nobody
    assert main(["validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert f"{path}:26:10: regions.far: warning: no agency has jurisdiction" in err
    assert "1 warning (the file can be used)." in err
    assert main(["validate", "--strict", str(path)]) == 1
    assert "1 warning found (refused by --strict)." in capsys.readouterr().err
