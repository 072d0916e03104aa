"""Expressions are type-checked when a scenario loads: located messages that name the types.

Each case edits one expression of a copy of the default scenario or the standard rule pack;
the expected column is that of ``at`` inside the edited line, so the cases survive edits
elsewhere in the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from tabletop_helpers import RULES, SCENARIO

from tabletop.errors import Problem, ScenarioError
from tabletop.loader import load_game


@dataclass(frozen=True)
class Case:
    """One mistyped expression.

    Attributes:
        file: ``scenario`` or ``rules``.
        old: Text that occurs exactly once in the valid file.
        new: Its replacement (containing the bad expression).
        key: Expected dotted key.
        message: Expected message, exactly.
        at: Text inside ``new`` whose first character is the expected column.
    """

    file: str
    old: str
    new: str
    key: str
    message: str
    at: str


LANDFALL = 'effects = ["regions.coastal_city.hazard += 0.15"]'
RUMOURS = 'when = "regions.coastal_city.trust < 50"'
PUBLIC_RELEASE = 'effects = ["region.trust += 5"]'
INVEST = 'effects = ["region.prevention += amount * 0.004"]'
ADVANCE = 'advance_if = "max_hazard >= 0.6"'

CASES = {
    "text times a number": Case(
        "scenario",
        LANDFALL,
        'effects = ["regions.coastal_city.hazard = stage * 1000000"]',
        "injects[2].effects[0]",
        "`stage` is a stage id (text); `*` needs numbers",
        "stage",
    ),
    "text assigned to a number": Case(
        "scenario",
        LANDFALL,
        'effects = ["regions.coastal_city.hazard = stage"]',
        "injects[2].effects[0]",
        "`stage` is a stage id (text); `regions.coastal_city.hazard =` needs a number",
        "stage",
    ),
    "text ordered with <": Case(
        "scenario",
        RUMOURS,
        'when = "regions.coastal_city.trust < stage"',
        "injects[6].when",
        "`stage` is a stage id (text); `<` needs numbers (text can only be compared with == or !=)",
        "stage",
    ),
    "text literal ordered with >": Case(
        "scenario",
        RUMOURS,
        "when = \"stage > 'outbreak'\"",
        "injects[6].when",
        "`stage` is a stage id (text); `>` needs numbers (text can only be compared with == or !=)",
        "stage",
    ),
    "boolean added to a number": Case(
        "scenario",
        RUMOURS,
        'when = "(regions.coastal_city.trust < 50) + 1 > 1"',
        "injects[6].when",
        "`regions.coastal_city.trust < 50` is a boolean (true/false); `+` needs numbers",
        "regions",
    ),
    "text added to text": Case(
        "scenario",
        RUMOURS,
        "when = \"stage + stage == 'x'\"",
        "injects[6].when",
        "`stage` is a stage id (text); `+` needs numbers",
        "stage",
    ),
    "text compared with a number": Case(
        "scenario",
        RUMOURS,
        'when = "stage == 2"',
        "injects[6].when",
        "`stage` is a stage id (text) but `2` is a number; `==` compares values of the same type",
        "stage",
    ),
    "unknown stage id": Case(
        "scenario",
        RUMOURS,
        "when = \"stage == 'outbrek'\"",
        "injects[6].when",
        "unknown stage 'outbrek' (did you mean 'outbreak'?)",
        "'outbrek'",
    ),
    "text as a condition": Case(
        "scenario",
        RUMOURS,
        'when = "stage"',
        "injects[6].when",
        "`stage` is a stage id (text); a condition must be true or false",
        "stage",
    ),
    "not of text": Case(
        "scenario",
        RUMOURS,
        'when = "not stage"',
        "injects[6].when",
        "`stage` is a stage id (text); `not` needs true/false (or a number)",
        "stage",
    ),
    "function of text": Case(
        "scenario",
        LANDFALL,
        'effects = ["regions.coastal_city.hazard += abs(stage)"]',
        "injects[2].effects[0]",
        "`stage` is a stage id (text); `abs()` needs numbers",
        "stage)",
    ),
    "choices of different types": Case(
        "rules",
        PUBLIC_RELEASE,
        'effects = ["region.trust += 5 if round > 1 else stage"]',
        "actions.public_release.effects[0]",
        "`5` is a number but `stage` is a stage id (text); both choices of "
        "`... if ... else ...` need the same type",
        "stage",
    ),
    "boolean assigned to a number": Case(
        "rules",
        PUBLIC_RELEASE,
        'effects = ["region.trust = fit > 0"]',
        "actions.public_release.effects[0]",
        "`fit > 0` is a boolean (true/false); `region.trust =` needs a number",
        "fit",
    ),
    "stage condition of the rule pack": Case(
        "rules",
        ADVANCE,
        'advance_if = "max_hazard >= stage"',
        "stages[0].advance_if",
        "`stage` is a stage id (text); `>=` needs numbers "
        "(text can only be compared with == or !=)",
        "stage",
    ),
    "constant exponent above the limit": Case(
        "rules",
        INVEST,
        'effects = ["region.prevention += amount ** 65"]',
        "actions.invest_prevention.effects[0]",
        "exponent 65 is too large (limit 64)",
        "65",
    ),
    "constant clamp bounds crossed": Case(
        "rules",
        INVEST,
        'effects = ["region.prevention += clamp(amount, 1, 0)"]',
        "actions.invest_prevention.effects[0]",
        "clamp(): lower bound 1 is above upper bound 0",
        "clamp",
    ),
    "constant zero to a negative power": Case(
        "rules",
        INVEST,
        'effects = ["region.prevention += amount * (1 - 1) ** -1"]',
        "actions.invest_prevention.effects[0]",
        "cannot raise zero to a negative power",
        "(1 - 1)",
    ),
}


def _edit(project: Path, which: str, old: str, new: str) -> Path:
    folder, name = ("scenarios", SCENARIO.name) if which == "scenario" else ("rules", RULES.name)
    path = project / folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _problems(project: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_game(project / "scenarios" / SCENARIO.name)
    return info.value.problems


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_mistyped_expression_is_a_located_problem(project_copy: Path, case: Case) -> None:
    path = _edit(project_copy, case.file, case.old, case.new)
    got = _problems(project_copy)
    assert len(got) == 1, [p.format() for p in got]
    (p,) = got
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if case.new in text)
    col = lines[line - 1].index(case.new) + case.new.index(case.at) + 1
    assert p.format().splitlines()[0] == f"{path}:{line}:{col}: {case.key}: {case.message}"
    assert p.format().splitlines()[2] == "    " + " " * (col - 1) + "^"


def test_a_stage_compared_with_a_valid_id_loads(project_copy: Path) -> None:
    _edit(
        project_copy, "scenario", RUMOURS, "when = \"stage == 'outbreak' and not fired.landfall\""
    )
    game = load_game(project_copy / "scenarios" / SCENARIO.name)
    assert game.conditions["inject:rumours"].ty.kind == "bool"


def test_numbers_still_work_as_conditions(project_copy: Path) -> None:
    _edit(project_copy, "scenario", RUMOURS, 'when = "fired.landfall"')
    game = load_game(project_copy / "scenarios" / SCENARIO.name)
    assert game.conditions["inject:rumours"].ty.kind == "num"


def test_every_mistyped_expression_is_reported(project_copy: Path) -> None:
    _edit(project_copy, "scenario", RUMOURS, 'when = "stage * 2 > 1"')
    _edit(project_copy, "scenario", LANDFALL, 'effects = ["regions.coastal_city.hazard = stage"]')
    messages = [p.message for p in _problems(project_copy)]
    assert messages == [
        "`stage` is a stage id (text); `regions.coastal_city.hazard =` needs a number",
        "`stage` is a stage id (text); `*` needs numbers",
    ]
