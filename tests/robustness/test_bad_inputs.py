"""Bad scenario and rule-pack files: every one is a located ScenarioError, never a crash.

Each case is one line of a table: a text substitution applied to the valid
default scenario (or to the standard rule pack), the dotted key the problem
must carry, and a fragment of its message. Each case is loaded with
:func:`tabletop.loader.game.load_game` (or :func:`load_rules`) and validated
with ``tabletop validate`` (exit code 1, no traceback). The inputs are small,
so nothing here asserts on time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tabletop.cli import main
from tabletop.errors import Problem, ScenarioError
from tabletop.loader.game import load_game, load_rules

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "scenarios" / "typhoon-two-provinces.toml"
STANDARD = ROOT / "rules" / "standard.toml"


@dataclass(frozen=True)
class Case:
    """One bad input: ``old`` -> ``new`` in the base file (first occurrence).

    Attributes:
        id: Test id.
        old: Text to replace (must occur in the base file).
        new: Replacement (``bytes`` for raw, possibly non-UTF-8, bytes).
        key: Dotted key the problem must carry ("" for syntax and encoding errors).
        fragment: Part of the message.
        located: Whether the problem must carry a line > 0.
    """

    id: str
    old: str
    new: str | bytes
    key: str
    fragment: str
    located: bool = True


def S(*args: object, **kw: object) -> Case:  # noqa: N802 - table shorthand
    """A scenario case."""
    return Case(*args, **kw)  # type: ignore[arg-type]


R = S  # rule-pack cases use the same shape

AN = 'name = "Ministry of Emergency Management"'
BAD_UTF8 = b'name = "Ministry of Emergency \xff\xfe Management"'
DEEP = "(" * 30 + "1" + ")" * 30
LONG = "x" * 2000

# fmt: off
SCENARIO_CASES = [
    # --- TOML syntax and encoding
    S("syntax-unclosed-header", "[scenario]", "[scenario", "", "TOML syntax error: expected ']'"),
    S("syntax-missing-value", "seed = 20261124", "seed = ", "", "TOML syntax error"),
    S("syntax-duplicate-key", "seed = 20261124", "seed = 1\nseed = 2", "", "TOML syntax error: cannot overwrite a value"),
    S("syntax-duplicate-table", "[regions.linhe]", "[regions.reservoir]", "", "cannot declare ('regions', 'reservoir') twice"),
    S("syntax-unterminated-string", 'name = "Linhe county"', 'name = "Linhe county', "", "TOML syntax error"),
    S("syntax-bare-word", "exposure = 0.8", "exposure = high", "", "TOML syntax error"),
    S("not-utf8", AN, BAD_UTF8, "", "file is not valid UTF-8: byte 0xff"),
    S("empty-file", "", "", "", "missing required key 'scenario'", located=False),
    # --- wrong types
    S("type-population-text", "population = 1200", 'population = "many"', "regions.coastal_city.population", "expected a number, got 'many'"),
    S("type-exposure-array", "exposure = 0.8", "exposure = [0.8]", "regions.coastal_city.exposure", "expected a number, got an array"),
    S("type-links-string", 'links = [{ to = "reservoir", k = 0.15 }]', 'links = "reservoir"', "regions.coastal_city.links", "expected an array"),
    S("type-seed-date", "seed = 20261124", "seed = 1979-05-27", "scenario.seed", "expected an integer"),
    S("type-seed-float", "seed = 20261124", "seed = 3.5", "scenario.seed", "an integer"),
    S("type-private-text", 'to = ["a_water"]', 'to = ["a_water"]\nprivate = "maybe"', "injects[1].private", "expected true or false"),
    S("type-to-string", 'to = ["county"]', 'to = "county"', "injects[4].to", "expected an array"),
    S("type-regions-array", "[regions.coastal_city]", "[[regions.coastal_city]]", "regions.coastal_city", "expected a table"),
    S("type-budget-table", "budget = 500", "budget = {}", "agencies.mem.budget", "expected a number, got a table"),
    # --- out of range and non-finite
    S("range-exposure", "exposure = 0.8", "exposure = 1.8", "regions.coastal_city.exposure", "less than or equal to 1"),
    S("range-population-negative", "population = 1200", "population = -5", "regions.coastal_city.population", "greater than 0"),
    S("range-link-k", 'k = 0.15 }]', 'k = 1.5 }]', "regions.coastal_city.links[0].k", "less than or equal to 1"),
    S("range-seed-negative", "seed = 20261124", "seed = -1", "scenario.seed", "greater than or equal to 0"),
    S("range-seed-huge", "seed = 20261124", "seed = 99999999999999999999", "scenario.seed", "less than or equal to"),
    S("range-local-interest", "local_interest = 0.0", "local_interest = 2", "agencies.mem.local_interest", "less than or equal to 1"),
    S("range-resource-negative", "resources = { rescue = 20,", "resources = { rescue = -3,", "agencies.mem.resources.rescue", "greater than or equal to 0"),
    S("range-round-zero", "round = 2\nto = [\"mem\"]", "round = 0\nto = [\"mem\"]", "injects[5].round", "greater than or equal to 1"),
    S("nan-hazard", "hazard = 0.35", "hazard = nan", "regions.coastal_city.hazard", "nan/inf are not allowed"),
    S("inf-budget", "budget = 500", "budget = inf", "agencies.mem.budget", "nan/inf are not allowed"),
    S("minus-inf-k", "k = 0.15 }]", "k = -inf }]", "regions.coastal_city.links[0].k", "nan/inf are not allowed"),
    # --- unknown and missing keys
    S("unknown-key-superior", 'superior = "a_em"', 'supperior = "a_em"', "agencies.city.supperior", "unknown key 'supperior' (did you mean 'superior'?)"),
    S("unknown-top-table", "[regions.coastal_city]", "[regiones.x]\na = 1\n[regions.coastal_city]", "regiones", "unknown key 'regiones' (did you mean 'regions'?)"),
    S("unknown-inject-key", 'title = "Landfall"', 'title = "Landfall"\nefects = []', "injects[2].efects", "unknown key 'efects' (did you mean 'effects'?)"),
    S("unknown-link-key", 'k = 0.15 }]', 'kk = 0.15 }]', "regions.coastal_city.links[0].kk", "unknown key 'kk'"),
    S("missing-level", 'level = "central"\n', "", "agencies.mem", "missing required key 'level'"),
    S("missing-rules", 'rules = "standard"\n', "", "scenario", "missing required key 'rules'"),
    S("missing-region-name", 'name = "Linhe county"\n', "", "regions.linhe", "missing required key 'name'"),
    S("missing-inject-trigger", "round = 2\nto = [\"mem\"]", "to = [\"mem\"]", "injects[5]", "an inject needs 'round'"),
    S("round-without-stage", 'id = "rumours"\n', 'id = "rumours"\nround = 2\n', "injects[6]", "'round' needs 'stage'"),
    S("literal-level", 'level = "county"', 'level = "country"', "agencies.county.level", "did you mean 'county'?"),
    S("literal-inject-type", 'type = "media"', 'type = "tweet"', "injects[6].type", "must be one of"),
    # --- duplicates and dangling references
    S("duplicate-inject-id", 'id = "second_band"', 'id = "landfall"', "injects[7].id", "duplicate inject id 'landfall'"),
    S("duplicate-objective-id", 'id = "mass_care"', 'id = "recovery"', "objectives[3].id", "duplicate objective id 'recovery'"),
    S("duplicate-task-id", '{ id = "linhe_request"', '{ id = "share_discharge"', "objectives[1].tasks[1].id", "duplicate task id 'share_discharge'"),
    S("dangling-superior", 'superior = "a_em"', 'superior = "a_emm"', "agencies.city.superior", "unknown agency 'a_emm' (did you mean 'a_em'?)"),
    S("dangling-link", 'to = "reservoir", k', 'to = "reservior", k', "regions.coastal_city.links[0].to", "unknown region 'reservior' (did you mean 'reservoir'?)"),
    S("dangling-agency-region", 'regions = ["linhe"]', 'regions = ["linhee"]', "agencies.county.regions[0]", "unknown region 'linhee'"),
    S("dangling-resource", "resources = { rescue = 20, supplies = 30", "resources = { rescue = 20, suplies = 30", "agencies.mem.resources.suplies", "unknown resource 'suplies' (did you mean 'supplies'?)"),
    S("dangling-authority", 'authority = ["funds"]', 'authority = ["fund"]', "agencies.a_water.authority[0]", "unknown authority 'fund'"),
    S("dangling-inject-stage", 'stage = "outbreak"', 'stage = "outbrake"', "injects[2].stage", "unknown stage 'outbrake' (did you mean 'outbreak'?)"),
    S("dangling-inject-to", 'to = ["county"]', 'to = ["countyy"]', "injects[4].to[0]", "unknown agency 'countyy'"),
    S("dangling-expect-action", 'action = "assign_counterpart", within', 'action = "assign_counterparts", within', "injects[5].expect[0].action", "unknown action 'assign_counterparts'"),
    S("dangling-expect-region", 'region = "coastal_city", objective', 'region = "coastal", objective', "injects[0].expect[1].region", "unknown region 'coastal'"),
    S("dangling-expect-objective", 'objective = "mass_care.linhe_medical"', 'objective = "mass_care.linhe_medic"', "injects[8].expect[0].objective", "unknown objective 'mass_care.linhe_medic'"),
    S("dangling-task-stage", 'stage = "continuation", by_round = 2', 'stage = "continuaton", by_round = 2', "objectives[2].tasks[1].stage", "unknown stage 'continuaton'"),
    S("dangling-task-agency", 'agency = "c_em", stage', 'agency = "d_em", stage', "objectives[1].tasks[3].agency", "unknown agency 'd_em'"),
    S("dangling-stage-rounds", "seed = 20261124", "seed = 20261124\nstage_rounds = { outbrak = 3 }", "scenario.stage_rounds.outbrak", "unknown stage 'outbrak'"),
    S("self-link", 'links = [{ to = "linhe", k = 0.1 }]', 'links = [{ to = "jiang_plain", k = 0.1 }]', "regions.jiang_plain.links[0].to", "cannot link to itself"),
    S("own-superior", 'superior = "a_em"', 'superior = "city"', "agencies.city.superior", "cannot be its own superior"),
    S("superior-below", 'superior = "mem"\nregions = ["jiang_plain"]\nbudget = 80', 'superior = "county"\nregions = ["jiang_plain"]\nbudget = 80', "agencies.b_health.superior", "superior 'county' is county, below this provincial agency"),
    S("superior-cycle", 'superior = "mem"\nregions = ["reservoir"]\nbudget = 200', 'superior = "city"\nregions = ["reservoir"]\nbudget = 200', "agencies.a_em.superior", "superiors form a cycle"),
    S("rules-not-found", 'rules = "standard"', 'rules = "standrad"', "scenario.rules", "rule pack 'standrad' not found"),
    # --- expression typos
    S("expr-when-typo", "regions.coastal_city.trust < 50", "regions.coastal_cty.trust < 50", "injects[6].when", "did you mean 'regions.coastal_city.trust'?"),
    S("expr-effect-typo", "regions.coastal_city.hazard += 0.15", "regions.coastal_city.hazrd += 0.15", "injects[2].effects[0]", "(did you mean 'regions.coastal_city.hazard'?)"),
    S("expr-effect-readonly", "regions.coastal_city.hazard += 0.15", "regions.coastal_city.harm += 0.15", "injects[2].effects[0]", "'regions.coastal_city.harm' cannot be changed by an effect"),
    S("expr-effect-compare", "regions.coastal_city.hazard += 0.15", "regions.coastal_city.hazard == 0.15", "injects[2].effects[0]", "an effect must be an assignment"),
    S("expr-syntax", "regions.coastal_city.trust < 50", "regions.coastal_city.trust <", "injects[6].when", "expected an expression after '<'"),
    S("expr-assign-in-condition", "regions.coastal_city.trust < 50", "regions.coastal_city.trust = 50", "injects[6].when", "'=' cannot be used here"),
    S("expr-unknown-function", "regions.coastal_city.trust < 50", "sqrt(regions.coastal_city.trust) < 50", "injects[6].when", "function 'sqrt' is not allowed"),
    S("expr-empty", "regions.coastal_city.trust < 50", "", "injects[6].when", "empty expression"),
    # --- expression attacks
    S("attack-import", "regions.coastal_city.trust < 50", "__import__('os').system('true')", "injects[6].when", "attribute access '.system' is not allowed"),
    S("attack-dunder-class", "regions.coastal_city.trust < 50", "().__class__.__bases__[0]", "injects[6].when", "subscripts like 'a[0]' are not allowed"),
    S("attack-dunder-attr", "regions.coastal_city.trust < 50", "regions.coastal_city.__class__ < 50", "injects[6].when", "'__class__' is not allowed: names may not start with '_'"),
    S("attack-eval", "regions.coastal_city.trust < 50", "eval('1') < 50", "injects[6].when", "function 'eval' is not allowed"),
    S("attack-lambda", "regions.coastal_city.trust < 50", "(lambda: 1)() < 50", "injects[6].when", "lambda is not allowed"),
    S("attack-comprehension", "regions.coastal_city.trust < 50", "[x for x in round] < 50", "injects[6].when", "comprehensions are not allowed"),
    S("attack-walrus", "regions.coastal_city.trust < 50", "(x := 50) < 50", "injects[6].when", "':=' (assignment expressions) is not allowed"),
    S("attack-subscript", "regions.coastal_city.trust < 50", "round[0] < 50", "injects[6].when", "subscripts like 'a[0]' are not allowed"),
    S("attack-huge-power", "regions.coastal_city.hazard += 0.15", "regions.coastal_city.hazard += 9 ** 9 ** 9", "injects[2].effects[0]", "exponent 387420489 is too large (limit 64)"),
    S("attack-huge-power-computed", "regions.coastal_city.trust < 50", "round ** 1000 < 50", "injects[6].when", "exponent 1000 is too large (limit 64)"),
    S("attack-deep-nesting", "regions.coastal_city.trust < 50", DEEP, "injects[6].when", "nested too deeply"),
    S("attack-huge-string", "regions.coastal_city.trust < 50", LONG, "injects[6].when", "too long"),
    S("attack-long-text-literal", "regions.coastal_city.trust < 50", "stage == '" + "a" * 100 + "'", "injects[6].when", "text literal is too long (100 characters, limit 64)"),
    S("attack-control-char", "regions.coastal_city.trust < 50", "round < 50 \\u0000", "injects[6].when", "control character"),
    S("attack-many-nodes", "regions.coastal_city.trust < 50", "+".join(["1"] * 230) + "<50", "injects[6].when", "expression is too complex"),
]

RULES_CASES = [
    R("rules-syntax", "[pack]", "[pack", "", "TOML syntax error"),
    R("rules-not-utf8", 'title = "Standard intergovernmental cooperation rules"', b'title = "Standard \xc3\x28 rules"', "", "not valid UTF-8"),
    R("rules-unknown-pack-key", "action_points = 3", "action_point = 3", "pack.action_point", "unknown key 'action_point' (did you mean 'action_points'?)"),
    R("rules-missing-title", 'title = "Standard intergovernmental cooperation rules"\n', "", "pack", "missing required key 'title'"),
    R("rules-range-max-waves", "max_waves = 2", "max_waves = 0", "pack.max_waves", "greater than or equal to 1"),
    R("rules-stage-function", 'function = "trigger"', 'function = "triger"', "stages[0].function", "did you mean 'trigger'?"),
    R("rules-duplicate-stage", 'id = "recovery"', 'id = "gestation"', "stages[3].id", "duplicate stage id 'gestation'"),
    R("rules-regress-to-unknown", 'regress_to = "outbreak"', 'regress_to = "outbrake"', "stages[2].regress_to", "unknown stage 'outbrake'"),
    R("rules-regress-forward", 'regress_to = "outbreak"', 'regress_to = "recovery"', "stages[2].regress_to", "earlier stage"),
    R("rules-regress-unpaired", 'regress_to = "outbreak"\n', "", "stages[2]", "regress_if and regress_to must be given together"),
    R("rules-advance-typo", 'advance_if = "max_hazard >= 0.6"', 'advance_if = "max_hazrd >= 0.6"', "stages[0].advance_if", "did you mean 'max_hazard'?"),
    R("rules-advance-scenario-name", 'advance_if = "max_hazard >= 0.6"', 'advance_if = "regions.linhe.hazard >= 0.6"', "stages[0].advance_if", "regions.linhe.hazard"),
    R("rules-regress-attack", 'regress_if = "max_hazard >= 0.7"', 'regress_if = "__import__(\'os\')"', "stages[2].regress_if", "names may not start with '_'"),
    R("rules-effect-typo", "self.reputation += 1 - 10 * (1 - accuracy)", "self.reputaton += 1 - 10 * (1 - accuracy)", "actions.report_up.effects[0]", "self.reputaton"),
    R("rules-effect-unknown-name", "self.reputation += 1 - 10 * (1 - accuracy)", "self.reputation += 1 - 10 * (1 - acuracy)", "actions.report_up.effects[0]", "did you mean 'accuracy'?"),
    R("rules-effect-huge-power", '"region.trust += 5"', '"region.trust += 10 ** 400"', "actions.public_release.effects[0]", "exponent"),
    R("rules-action-stage", 'stages = ["recovery"]\ntags = ["policy"]\neffects = ["self.reputation += 2", "region.prevention', 'stages = ["recovry"]\ntags = ["policy"]\neffects = ["self.reputation += 2", "region.prevention', "actions.set_rule.stages[0]", "unknown stage 'recovry'"),
    R("rules-handler", 'handler = "propose"', 'handler = "proposal"', "actions.propose_agreement.handler", "must be one of"),
    R("rules-mechanism-misplaced", 'title = "Monitor a region"', 'title = "Monitor a region"\nmechanism = "joint_operation"', "actions.monitor.mechanism", "only propose actions take a mechanism"),
    R("rules-cost-range", "cost = 2\nmin_parties = 3", "cost = 99\nmin_parties = 3", "actions.establish_joint_mechanism.cost", "less than or equal to 20"),
    R("rules-tag", 'tags = ["defect"]', 'tags = ["defekt"]', "actions.local_protection.tags[0]", "did you mean 'defect'?"),
    R("rules-level", 'levels = ["central", "provincial"]\nauthority = "funds"', 'levels = ["central", "state"]\nauthority = "funds"', "actions.special_funds.levels[1]", "must be one of"),
    R("rules-nan-formula", "mitigation = 0.6", "mitigation = nan", "formula.mitigation", "nan/inf are not allowed"),
    R("rules-warning-thresholds", "orange = 0.55, red = 0.75 }", "orange = 0.55 }", "formula.warning_thresholds", "warning_thresholds needs exactly"),
    R("rules-scoring-dimension", "[scoring.weights]\nhorizontal = 1.0", "[scoring.weights]\nhorizontl = 1.0", "scoring.weights.horizontl", "horizontl"),
    R("rules-need-weight-zero", "need_weight = 0.04", "need_weight = 0", "resources.rescue.need_weight", "greater than 0"),
    R("rules-unknown-formula-key", "mitigation = 0.6", "mitigaton = 0.6", "formula.mitigaton", "did you mean 'mitigation'?"),
]
# fmt: on


def _build(base: Path, case: Case) -> bytes:
    raw = base.read_bytes()
    if case.id.endswith("empty-file"):
        return b""
    old = case.old.encode("utf-8")
    assert old in raw, f"{case.id}: {case.old!r} is not in {base.name} any more"
    new = case.new if isinstance(case.new, bytes) else case.new.encode("utf-8")
    return raw.replace(old, new, 1)


def _check(problems: list[Problem], case: Case, path: Path) -> Problem:
    """The problem matching the case, with a location when the case has one."""
    shown = "\n".join(p.format() for p in problems)
    matches = [p for p in problems if p.key == case.key and case.fragment in p.message]
    assert matches, f"{case.id}: no problem with key {case.key!r} and {case.fragment!r}:\n{shown}"
    p = matches[0]
    assert p.file == str(path)
    if case.located:
        assert p.line > 0, f"{case.id}: not located:\n{shown}"
        assert p.source, f"{case.id}: no source line:\n{shown}"
    return p


def _squeeze(text: str) -> str:
    """``text`` without any whitespace (the console may wrap long lines anywhere)."""
    return "".join(text.split())


def _cli(path: Path, problem: Problem, capsys: pytest.CaptureFixture[str]) -> None:
    """``tabletop validate`` exits 1, shows the problem, and no traceback."""
    code = main(["validate", str(path)])
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert code == 1, out
    assert "Traceback" not in out
    assert "problem" in captured.err
    assert _squeeze(problem.format(caret=False)) in _squeeze(captured.err)


@pytest.mark.parametrize("case", SCENARIO_CASES, ids=[c.id for c in SCENARIO_CASES])
def test_bad_scenario(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(_build(DEFAULT, case))
    with pytest.raises(ScenarioError) as info:
        load_game(path)
    _cli(path, _check(info.value.problems, case, path), capsys)


@pytest.mark.parametrize("case", RULES_CASES, ids=[c.id for c in RULES_CASES])
def test_bad_rule_pack(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "rules" / "standard.toml"
    path.parent.mkdir()
    path.write_bytes(_build(STANDARD, case))
    with pytest.raises(ScenarioError) as info:
        load_rules(path)
    _cli(path, _check(info.value.problems, case, path), capsys)
    # A scenario next to the broken pack reports the pack's problems, located in the pack.
    scenario = tmp_path / "scenarios" / "typhoon.toml"
    scenario.parent.mkdir()
    scenario.write_bytes(DEFAULT.read_bytes())
    with pytest.raises(ScenarioError) as info:
        load_game(scenario)
    _check(info.value.problems, case, path)


def test_there_are_more_than_fifty_cases() -> None:
    assert len(SCENARIO_CASES) + len(RULES_CASES) >= 50
    ids = [c.id for c in SCENARIO_CASES + RULES_CASES]
    assert len(ids) == len(set(ids))


def test_missing_and_directory_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path, fragment in (
        (tmp_path / "nope.toml", "file not found"),
        (tmp_path, "is a directory"),
    ):
        with pytest.raises(ScenarioError) as info:
            load_game(path)
        assert fragment in info.value.problems[0].message
        assert main(["validate", str(path)]) == 1
        captured = capsys.readouterr()
        assert _squeeze(fragment) in _squeeze(captured.err)
        assert "Traceback" not in captured.out + captured.err


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    text = text.replace('superior = "a_em"', 'superior = "a_emm"', 1)
    text = text.replace('to = "reservoir", k', 'to = "reservior", k', 1)
    text = text.replace('stage = "outbreak"', 'stage = "outbrake"', 1)
    path = tmp_path / "many.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_game(path)
    keys = {p.key for p in info.value.problems}
    assert {
        "agencies.city.superior",
        "regions.coastal_city.links[0].to",
        "injects[2].stage",
    } <= keys
