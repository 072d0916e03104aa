"""Error messages a new author meets: each located, naming what is wrong and how to fix it."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from tabletop_helpers import SCENARIO

from tabletop.errors import Problem, ScenarioError
from tabletop.loader import load_game
from tabletop.loader.game import EMPTY_SCENARIO
from tabletop.loader.source import TomlSource


def syntax(text: str) -> Problem:
    with pytest.raises(ScenarioError) as info:
        TomlSource.from_text(text, "x.toml").parse()
    (problem,) = info.value.problems
    return problem


def scenario_problems(project: Path, old: str, new: str) -> tuple[Path, list[Problem]]:
    path = project / "scenarios" / SCENARIO.name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_game(path)
    return path, info.value.problems


# (text, line, col, message)
SYNTAX = {
    "duplicate key": (
        'a = 1\n[t]\nname = "x"\nname = "y"\n',
        4,
        1,
        "TOML syntax error: duplicate key 'name': it is already set in this table",
    ),
    "duplicate dotted key": (
        "[t]\na.b = 1\n  a.b = 2\n",
        3,
        3,
        "TOML syntax error: duplicate key 'a.b': it is already set in this table",
    ),
    "duplicate table": (
        "[t]\nb = 1\n[t]\n",
        3,
        3,
        "TOML syntax error: duplicate table [t]: each table is declared once",
    ),
    "inline table over two lines": (
        '[regions.up]\nlinks = [{ to = "down",\n  k = 0.3 }]\n',
        2,
        24,
        "TOML syntax error: inline tables ({ ... }) must be written on one line and without "
        "a trailing comma (TOML 1.0); for a longer table use its own header instead:\n"
        '    [[regions.up.links]]\n    to = "down"',
    ),
    "inline table with a trailing comma": (
        "[agencies.mem]\nresources = { rescue = 20, supplies = 30, }\n",
        2,
        43,
        "TOML syntax error: inline tables ({ ... }) must be written on one line and without "
        "a trailing comma (TOML 1.0); for a longer table use its own header instead:\n"
        "    [agencies.mem.resources]\n    rescue = 20\n    supplies = 30",
    ),
    "two byte-order marks": (
        "\ufeff\ufeffa = 1\n",
        1,
        1,
        "the file starts with two byte-order marks (U+FEFF): remove the extra one",
    ),
}


@pytest.mark.parametrize("case", SYNTAX.values(), ids=SYNTAX.keys())
def test_syntax_message(case: tuple[str, int, int, str]) -> None:
    text, line, col, message = case
    p = syntax(text)
    assert (p.line, p.col, p.message) == (line, col, message)


def test_one_byte_order_mark_is_dropped_once(tmp_path: Path) -> None:
    one = tmp_path / "one.toml"
    one.write_bytes(codecs.BOM_UTF8 + b"a = 1\n")
    assert TomlSource.read(one).parse() == {"a": 1}
    two = tmp_path / "two.toml"
    two.write_bytes(codecs.BOM_UTF8 * 2 + b"a = 1\n")
    with pytest.raises(ScenarioError) as info:
        TomlSource.read(two).parse()
    (p,) = info.value.problems
    assert (p.file, p.line, p.col) == (str(two), 1, 1) and "two byte-order marks" in p.message


def test_empty_file_points_at_its_start(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_game(path)
    (p,) = info.value.problems
    assert (p.line, p.col, p.key, p.message) == (1, 1, "", EMPTY_SCENARIO)


def test_missing_scenario_table_points_at_line_one(project_copy: Path) -> None:
    path, got = scenario_problems(project_copy, "[scenario]\n", "[scenari0]\n")
    missing = [p for p in got if p.message == "missing required table [scenario]"]
    assert [(p.line, p.col, p.key) for p in missing] == [(1, 1, "")]


def test_missing_regions_say_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[scenario]\nid = "x"\ntitle = "t"\nbriefing = "b"\nrules = "standard"\n')
    with pytest.raises(ScenarioError) as info:
        load_game(path)
    messages = {(p.line, p.col, p.message) for p in info.value.problems}
    assert (1, 1, "missing required tables [regions.<id>] (one for each)") in messages
    assert (1, 1, "missing required tables [agencies.<id>] (one for each)") in messages


def test_reserved_agency_id_is_located(project_copy: Path) -> None:
    path, got = scenario_problems(project_copy, "[agencies.c_em]\n", "[agencies.all]\n")
    reserved = [p for p in got if "'all' is reserved" in p.message]
    assert len(reserved) == 1
    p = reserved[0]
    assert p.key == "agencies.all" and p.source == "[agencies.all]" and p.col == 11


def test_caret_under_a_tab_indented_value() -> None:
    p = Problem("x.toml", 3, 2, "regions.up.trust", "too high", "\ttrust = 620")
    lines = p.format().splitlines()
    assert lines[1] == "    " + "    trust = 620"
    assert lines[2].index("^") == lines[1].index("t")


def test_caret_under_a_tab_inside_a_line() -> None:
    p = Problem("x.toml", 1, 10, "k", "bad", "k = [1,\t\t2]")
    lines = p.format().splitlines()
    assert lines[2].index("^") == lines[1].index("2")


def test_expression_in_a_multi_line_string_is_located_inside_it(project_copy: Path) -> None:
    new = 'when = """\nround >= 1 and\n  regions.coastal_cty.trust < 50"""'
    path, (p,) = scenario_problems(project_copy, 'when = "regions.coastal_city.trust < 50"', new)
    assert p.source == '  regions.coastal_cty.trust < 50"""' and p.col == 3
    text = path.read_text(encoding="utf-8")
    assert p.line == text[: text.index("  regions.coastal_cty")].count("\n") + 1


def test_expression_with_escaped_quotes_is_located_inside_it(project_copy: Path) -> None:
    new = 'when = "stage == \\"outbreak\\" and regions.coastal_cty.trust < 50"'
    _, (p,) = scenario_problems(project_copy, 'when = "regions.coastal_city.trust < 50"', new)
    assert p.source[p.col - 1 :].startswith("regions.coastal_cty.trust")


def test_expression_with_a_line_ending_backslash_is_located(project_copy: Path) -> None:
    new = 'when = """round >= 1 and \\\n    regions.coastal_cty.trust < 50"""'
    _, (p,) = scenario_problems(project_copy, 'when = "regions.coastal_city.trust < 50"', new)
    assert p.source[p.col - 1 :].startswith("regions.coastal_cty.trust")


def test_literal_string_expression_is_located(project_copy: Path) -> None:
    new = "when = 'round >= 1 and regions.coastal_cty.trust < 50'"
    _, (p,) = scenario_problems(project_copy, 'when = "regions.coastal_city.trust < 50"', new)
    assert p.source[p.col - 1 :].startswith("regions.coastal_cty.trust")
