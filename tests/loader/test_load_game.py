"""load_game: every bad input is reported as file:line:col: dotted.key: message.

Each case starts from a copy of the valid default scenario and rule pack (in a temporary
project folder) and changes one piece of text; the expected line and column are computed from
where the change landed, so the cases survive edits elsewhere in the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from tabletop_helpers import RULES, SCENARIO

from tabletop.errors import Problem, ScenarioError
from tabletop.loader import load_game
from tabletop.loader.game import load_rules


@dataclass(frozen=True)
class Case:
    """One bad input.

    Attributes:
        file: ``scenario`` or ``rules``: which file is edited.
        old: Text that occurs exactly once in the valid file.
        new: Its replacement.
        key: Expected dotted key ("" for syntax errors).
        message: Expected message.
        at: Text on the reported line whose first character is the reported column.
    """

    file: str
    old: str
    new: str
    key: str
    message: str
    at: str


CASES = {
    "toml syntax": Case(
        "scenario",
        "[regions.linhe]\n",
        "[regions.linhe\n",
        "",
        "TOML syntax error: expected ']' at the end of a table declaration",
        "\n",  # just after the text: column 15
    ),
    "wrong type": Case(
        "scenario",
        "population = 1200",
        'population = "many"',
        "regions.coastal_city.population",
        "expected a number, got 'many'",
        'population = "many"',
    ),
    "out of range": Case(
        "scenario",
        "exposure = 0.8\nvulnerability = 0.5",
        "exposure = 1.8\nvulnerability = 0.5",
        "regions.coastal_city.exposure",
        "must be less than or equal to 1 (got 1.8)",
        "exposure = 1.8",
    ),
    "integer expected": Case(
        "scenario",
        "seed = 20261124",
        "seed = 1.5",
        "scenario.seed",
        "expected an integer, got 1.5",
        "seed = 1.5",
    ),
    "bad literal": Case(
        "scenario",
        'type = "media"',
        'type = "tweet"',
        "injects[6].type",
        "must be one of 'information', 'event', 'directive', 'media', 'resource', 'request' "
        "(got 'tweet') (did you mean 'event'?)",
        'type = "tweet"',
    ),
    "unknown key": Case(
        "scenario",
        'superior = "a_em"\nregions = ["coastal_city"]',
        'supperior = "a_em"\nregions = ["coastal_city"]',
        "agencies.city.supperior",
        "unknown key 'supperior' (did you mean 'superior'?)",
        'supperior = "a_em"',
    ),
    "missing key": Case(
        "scenario",
        'name = "Haizhou Municipal Government"\n',
        "",
        "agencies.city",
        "missing required key 'name'",
        "city]",
    ),
    "nan": Case(
        "scenario",
        "trust = 62",
        "trust = nan",
        "regions.coastal_city.trust",
        "nan/inf are not allowed",
        "nan",
    ),
    "unknown region": Case(
        "scenario",
        'regions = ["coastal_city"]',
        'regions = ["coastal_cty"]',
        "agencies.city.regions[0]",
        "unknown region 'coastal_cty' (did you mean 'coastal_city'?)",
        '"coastal_cty"',
    ),
    "unknown agency": Case(
        "scenario",
        'superior = "a_em"',
        'superior = "a_emm"',
        "agencies.city.superior",
        "unknown agency 'a_emm' (did you mean 'a_em'?)",
        'superior = "a_emm"',
    ),
    "unknown inject addressee": Case(
        "scenario",
        'to = ["b_health", "county"]',
        'to = ["b_helth", "county"]',
        "injects[8].to[0]",
        "unknown agency 'b_helth' (did you mean 'b_health'?)",
        '"b_helth"',
    ),
    "unknown stage": Case(
        "scenario",
        'stage = "continuation"\nround = 2',
        'stage = "continuaton"\nround = 2',
        "injects[8].stage",
        "unknown stage 'continuaton' (did you mean 'continuation'?)",
        'stage = "continuaton"',
    ),
    "unknown action": Case(
        "scenario",
        '{ agency = "city", action = "request_support", within = 1 }',
        '{ agency = "city", action = "request_suport", within = 1 }',
        "injects[2].expect[0].action",
        "unknown action 'request_suport' (did you mean 'request_support'?)",
        'action = "request_suport"',
    ),
    "unknown resource": Case(
        "scenario",
        "resources = { medical = 12, supplies = 4 }",
        "resources = { medicine = 12, supplies = 4 }",
        "agencies.b_health.resources.medicine",
        "unknown resource 'medicine' (did you mean 'medical'?)",
        "medicine",
    ),
    "unknown authority": Case(
        "scenario",
        'authority = ["funds"]\nlocal_interest = 0.7',
        'authority = ["fund"]\nlocal_interest = 0.7',
        "agencies.a_water.authority[0]",
        "unknown authority 'fund' (did you mean 'funds'?)",
        '"fund"',
    ),
    "superior at a lower level": Case(
        "scenario",
        'superior = "a_em"',
        'superior = "county"',
        "agencies.city.superior",
        "superior 'county' is county, below this municipal agency",
        'superior = "county"',
    ),
    "own superior": Case(
        "scenario",
        'superior = "a_em"',
        'superior = "city"',
        "agencies.city.superior",
        "an agency cannot be its own superior",
        'superior = "city"',
    ),
    "duplicate inject id": Case(
        "scenario",
        'id = "rumours"',
        'id = "forecast"',
        "injects[6].id",
        "duplicate inject id 'forecast' (first at injects[0])",
        'id = "forecast"',
    ),
    "round without stage": Case(
        "scenario",
        'stage = "continuation"\nround = 2',
        "round = 2",
        "injects[8]",
        "'round' needs 'stage'",
        "[[injects]]",
    ),
    "inject without trigger": Case(
        "scenario",
        'when = "regions.coastal_city.trust < 50"\n',
        "",
        "injects[6]",
        "an inject needs 'round' (with 'stage') or 'when'",
        "[[injects]]",
    ),
    "link to itself": Case(
        "scenario",
        'links = [{ to = "linhe", k = 0.35 }',
        'links = [{ to = "reservoir", k = 0.35 }',
        "regions.reservoir.links[0].to",
        "a region cannot link to itself",
        'to = "reservoir"',
    ),
    "expression typo in when": Case(
        "scenario",
        'when = "regions.coastal_city.trust < 50"',
        'when = "regions.coastal_city.trsut < 50"',
        "injects[6].when",
        "unknown name 'regions.coastal_city.trsut' (did you mean 'regions.coastal_city.trust'?)",
        "regions.coastal_city.trsut",
    ),
    "expression typo after the start": Case(
        "scenario",
        'when = "regions.coastal_city.trust < 50"',
        'when = "round >= 1 and regions.coastal_cty.trust < 50"',
        "injects[6].when",
        "unknown name 'regions.coastal_cty.trust' (did you mean 'regions.coastal_city.trust'?)",
        "regions.coastal_cty.trust",
    ),
    "expression syntax": Case(
        "scenario",
        'when = "regions.coastal_city.trust < 50"',
        'when = "regions.coastal_city.trust = 50"',
        "injects[6].when",
        "'=' cannot be used here (use '==' to compare)",
        "= 50",
    ),
    "expression attack": Case(
        "scenario",
        'when = "regions.coastal_city.trust < 50"',
        "when = \"__import__('os')\"",
        "injects[6].when",
        "'__import__' is not allowed: names may not start with '_'",
        "__import__",
    ),
    "expression attribute attack": Case(
        "scenario",
        'when = "regions.coastal_city.trust < 50"',
        'when = "max_hazard.__class__ == 1"',
        "injects[6].when",
        "'__class__' is not allowed: names may not start with '_'",
        "__class__",
    ),
    "effect on a non-writable name": Case(
        "scenario",
        'effects = ["regions.coastal_city.hazard += 0.15"]',
        'effects = ["regions.coastal_city.harm += 0.15"]',
        "injects[2].effects[0]",
        "'regions.coastal_city.harm' cannot be changed by an effect "
        "(did you mean 'regions.coastal_city.hazard'?)",
        "regions.coastal_city.harm",
    ),
    "rules file not found": Case(
        "scenario",
        'rules = "standard"',
        'rules = "nonesuch"',
        "scenario.rules",
        "rule pack 'nonesuch' not found (looked for rules/nonesuch.toml beside the scenarios "
        "folder and among the bundled packs)",
        'rules = "nonesuch"',
    ),
    "unknown stage override": Case(
        "scenario",
        "seed = 20261124",
        "seed = 20261124\nstage_rounds = { outbrek = 3 }",
        "scenario.stage_rounds.outbrek",
        "unknown stage 'outbrek' (did you mean 'outbreak'?)",
        "outbrek",
    ),
    "unknown task action": Case(
        "scenario",
        'action = "compensate", stage = "recovery"',
        'action = "compensat", stage = "recovery"',
        "objectives[3].tasks[0].action",
        "unknown action 'compensat' (did you mean 'compensate'?)",
        'action = "compensat"',
    ),
    "duplicate task id": Case(
        "scenario",
        '{ id = "formalize", text',
        '{ id = "compensation_deal", text',
        "objectives[3].tasks[1].id",
        "duplicate task id 'compensation_deal'",
        'id = "compensation_deal"',
    ),
    "unknown objective of an expectation": Case(
        "scenario",
        'objective = "recovery.review"',
        'objective = "recovery.reviw"',
        "injects[9].expect[0].objective",
        "unknown objective 'recovery.reviw' (did you mean 'recovery.review'?)",
        'objective = "recovery.reviw"',
    ),
    "unknown resource of a task": Case(
        "scenario",
        'resource = "medical", stage',
        'resource = "medic", stage',
        "objectives[2].tasks[1].resource",
        "unknown resource 'medic' (did you mean 'medical'?)",
        'resource = "medic"',
    ),
    "link coefficient out of range": Case(
        "scenario",
        'links = [{ to = "reservoir", k = 0.15 }]',
        'links = [{ to = "reservoir", k = 1.15 }]',
        "regions.coastal_city.links[0].k",
        "must be less than or equal to 1 (got 1.15)",
        "k = 1.15",
    ),
    "effect that is no assignment": Case(
        "scenario",
        '"regions.linhe.hazard += 0.08"]',
        '"regions.linhe.hazard + 0.08"]',
        "injects[7].effects[1]",
        "an effect must be an assignment like 'x += 1' or 'x = 2'",
        "regions.linhe.hazard + 0.08",
    ),
    "rules: unknown stage": Case(
        "rules",
        'stages = ["outbreak", "continuation"]',
        'stages = ["outbreak", "continuaton"]',
        "actions.joint_operation.stages[1]",
        "unknown stage 'continuaton' (did you mean 'continuation'?)",
        '"continuaton"',
    ),
    "rules: condition typo": Case(
        "rules",
        'advance_if = "max_hazard >= 0.6"',
        'advance_if = "max_hazrd >= 0.6"',
        "stages[0].advance_if",
        "unknown name 'max_hazrd' (did you mean 'max_hazard'?)",
        "max_hazrd",
    ),
    "rules: effect target": Case(
        "rules",
        'effects = ["region.trust += 5"]',
        'effects = ["regions.trust += 5"]',
        "actions.public_release.effects[0]",
        "'regions.trust' cannot be changed by an effect (did you mean 'region.trust'?)",
        "regions.trust",
    ),
    "rules: resurgence forward": Case(
        "rules",
        'regress_to = "outbreak"',
        'regress_to = "recovery"',
        "stages[2].regress_to",
        "a resurgence must go back to an earlier stage",
        'regress_to = "recovery"',
    ),
    "rules: out of range": Case(
        "rules",
        "action_points = 3",
        "action_points = 0",
        "pack.action_points",
        "must be greater than or equal to 1 (got 0)",
        "action_points = 0",
    ),
    "rules: unknown handler": Case(
        "rules",
        'handler = "propose"\ndescription = "Regional',
        'handler = "proposal"\ndescription = "Regional',
        "actions.propose_agreement.handler",
        "must be one of 'monitor', 'report_up', 'share_information', 'issue_warning', "
        "'public_release', 'deploy', 'invest_prevention', 'request_support', 'propose', "
        "'accept', 'reject', 'counter', 'local_protection', 'activate_response', 'directive', "
        "'special_funds', 'transfer_payment', 'assign_counterpart', 'formalize', 'set_rule', "
        "'joint_review', 'compensate', 'pass' (got 'proposal') (did you mean 'propose'?)",
        'handler = "proposal"',
    ),
}


def edit(project: Path, which: str, old: str, new: str) -> Path:
    """Replace ``old`` (which must occur exactly once) in the scenario or rule-pack copy.

    Returns:
        The edited file.
    """
    folder, name = ("scenarios", SCENARIO.name) if which == "scenario" else ("rules", RULES.name)
    path = project / folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def problems(project: Path) -> list[Problem]:
    """The problems load_game reports for the project's scenario."""
    with pytest.raises(ScenarioError) as info:
        load_game(project / "scenarios" / SCENARIO.name)
    return info.value.problems


def where(path: Path, old: str, new: str, at: str) -> tuple[int, int, str]:
    """(line, column, line text) of ``at`` inside the replacement of ``old`` by ``new``.

    The replacement starts where ``old`` started in the valid file. When ``at`` is not part
    of ``new`` the place searched for is the ``[[...]]``/``[...]`` header above the change.
    ``at == "\\n"`` means just past the end of the replaced text's first line.
    """
    valid = (SCENARIO if path.parent.name == "scenarios" else RULES).read_text(encoding="utf-8")
    start = valid.index(old)
    text = path.read_text(encoding="utf-8")
    if at == "\n":
        offset = start + new.index("\n")
    elif at in new:
        offset = start + new.index(at)
    else:
        offset = text.rindex(at, 0, start)
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1, text.splitlines()[line - 1]


def test_the_default_scenario_is_valid() -> None:
    game = load_game(SCENARIO)
    assert game.order[0] == "mem" and len(game.scenario.injects) == 10
    assert set(game.conditions) == {"advance:gestation", "regress:continuation", "inject:rumours"}
    assert set(game.inject_effects) == {"landfall", "discharge", "second_band"}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input(project_copy: Path, case: Case) -> None:
    path = edit(project_copy, case.file, case.old, case.new)
    got = problems(project_copy)
    assert len(got) == 1, [p.format() for p in got]
    (p,) = got
    assert p.file == str(path)
    assert (p.key, p.message) == (case.key, case.message)
    line, col, source = where(path, case.old, case.new, case.at)
    assert (p.line, p.col) == (line, col)
    assert p.source == source.rstrip()
    head = f"{path}:{p.line}:{p.col}: " + (f"{case.key}: " if case.key else "") + case.message
    assert p.format().splitlines() == [head, f"    {p.source}", "    " + " " * (p.col - 1) + "^"]


def test_missing_key_points_at_its_table(project_copy: Path) -> None:
    edit(project_copy, "scenario", 'name = "Haizhou Municipal Government"\n', "")
    (p,) = problems(project_copy)
    assert p.source == "[agencies.city]" and p.col == len("[agencies.") + 1


def test_caret_points_into_the_expression(project_copy: Path) -> None:
    edit(
        project_copy,
        "scenario",
        'when = "regions.coastal_city.trust < 50"',
        'when = "round >= 1 and regions.coastal_cty.trust < 50"',
    )
    (p,) = problems(project_copy)
    caret = p.format().splitlines()[-1]
    assert p.source[caret.index("^") - 4 :].startswith("regions.coastal_cty.trust")


def test_superiors_forming_a_cycle(project_copy: Path) -> None:
    text = project_copy / "scenarios" / SCENARIO.name
    edit(
        project_copy,
        "scenario",
        'superior = "mem"\nregions = ["jiang_plain"]\nbudget = 180',
        'superior = "b_health"\nregions = ["jiang_plain"]\nbudget = 180',
    )
    edit(
        project_copy,
        "scenario",
        'superior = "mem"\nregions = ["jiang_plain"]\nbudget = 80',
        'superior = "b_em"\nregions = ["jiang_plain"]\nbudget = 80',
    )
    (p,) = problems(project_copy)
    assert (p.key, p.message) == (
        "agencies.b_em.superior",
        "superiors form a cycle: b_em -> b_health -> b_em",
    )
    assert p.source == 'superior = "b_health"'
    assert text.read_text().splitlines()[p.line - 1] == 'superior = "b_health"'


def test_every_problem_is_reported(project_copy: Path) -> None:
    edit(project_copy, "scenario", 'superior = "a_em"', 'superior = "a_emm"')
    edit(
        project_copy,
        "scenario",
        'links = [{ to = "linhe", k = 0.1 }]',
        'links = [{ to = "lnhe", k = 0.1 }]',
    )
    edit(
        project_copy,
        "scenario",
        'stage = "continuation"\nround = 2',
        'stage = "continuaton"\nround = 2',
    )
    got = problems(project_copy)
    assert [(p.key, p.message) for p in got] == [
        ("regions.jiang_plain.links[0].to", "unknown region 'lnhe' (did you mean 'linhe'?)"),
        ("agencies.city.superior", "unknown agency 'a_emm' (did you mean 'a_em'?)"),
        ("injects[8].stage", "unknown stage 'continuaton' (did you mean 'continuation'?)"),
    ]
    assert len(str(ScenarioError(got)).splitlines()) == 9  # each: located line, source, caret


def test_every_type_problem_is_reported(project_copy: Path) -> None:
    edit(project_copy, "scenario", "population = 1200", 'population = "many"')
    edit(project_copy, "scenario", "seed = 20261124", "seed = 1.5")
    edit(project_copy, "scenario", 'type = "media"', 'type = "tweet"')
    got = problems(project_copy)
    assert [p.key for p in got] == [
        "scenario.seed",
        "regions.coastal_city.population",
        "injects[6].type",
    ]
    assert [p.line for p in got] == sorted(p.line for p in got)


def test_rule_pack_problems_name_the_rule_pack(project_copy: Path) -> None:
    rules = edit(
        project_copy, "rules", 'advance_if = "max_hazard >= 0.6"', 'advance_if = "max_hazrd >= 0.6"'
    )
    (p,) = problems(project_copy)
    assert p.file == str(rules)
    with pytest.raises(ScenarioError) as info:
        load_rules(rules)
    assert info.value.problems == [p]


def test_missing_scenario_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_game(tmp_path / "nope.toml")
    (p,) = info.value.problems
    assert p.format() == f"{tmp_path / 'nope.toml'}: file not found"


def test_rules_by_absolute_and_relative_path(tmp_path: Path) -> None:
    from tabletop_helpers import write_tiny

    absolute = load_game(write_tiny(tmp_path, RULES))
    assert absolute.rules.pack.id == "standard"
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "mine.toml").write_bytes(RULES.read_bytes())
    relative = load_game(write_tiny(tmp_path, "rules/mine.toml"))
    assert relative.rules_hash == absolute.rules_hash


def test_missing_rules_path_message(project_copy: Path) -> None:
    edit(project_copy, "scenario", 'rules = "standard"', 'rules = "../rules/nonesuch.toml"')
    (p,) = problems(project_copy)
    assert ".toml.toml" not in p.message


def test_problems_of_different_kinds_are_all_reported(project_copy: Path) -> None:
    edit(project_copy, "scenario", "population = 1200", 'population = "many"')
    edit(project_copy, "scenario", 'superior = "a_em"', 'superior = "a_emm"')
    edit(
        project_copy,
        "scenario",
        'when = "regions.coastal_city.trust < 50"',
        'when = "regions.coastal_city.trsut < 50"',
    )
    assert [p.key for p in problems(project_copy)] == [
        "regions.coastal_city.population",
        "agencies.city.superior",
        "injects[6].when",
    ]
