"""Tests for :mod:`tabletop.loader.source` and :mod:`tabletop.loader.messages`: locating keys and readable problems."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tabletop.errors import Problem, ScenarioError, did_you_mean
from tabletop.loader.messages import problems_from_validation
from tabletop.loader.source import Loc, TomlSource, dotted

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def src(text: str) -> TomlSource:
    """A source named ``x.toml`` that tomllib accepts."""
    source = TomlSource.from_text(text, "x.toml")
    source.parse()
    return source


def at(text: str, loc: Loc) -> tuple[int, int]:
    """Locate ``loc`` in ``text``."""
    return src(text).locate(loc)


def raised(source: TomlSource) -> list[Problem]:
    """The problems of the ScenarioError ``source.parse()`` raises."""
    with pytest.raises(ScenarioError) as info:
        source.parse()
    return info.value.problems


# ---------------------------------------------------------------------------
# locate
# ---------------------------------------------------------------------------

TABLES = """\
title = "Flood"

[agencies]
[agencies.mem]
name = "Emergency Management"
superior = "gov"

[ agencies . "county fire" ]
level = "local"
"""


def test_locate_plain_key_and_table_headers() -> None:
    assert at(TABLES, ("title",)) == (1, 1)
    assert at(TABLES, ("agencies",)) == (3, 2)
    assert at(TABLES, ("agencies", "mem")) == (4, 11)
    assert at(TABLES, ("agencies", "mem", "superior")) == (6, 1)


def test_locate_quoted_key_in_spaced_header() -> None:
    assert at(TABLES, ("agencies", "county fire")) == (8, 14)
    assert at(TABLES, ("agencies", "county fire", "level")) == (9, 1)


def test_explicit_table_header_wins_over_earlier_implicit_mention() -> None:
    text = "[a.b.c]\nx = 1\n[a.b]\ny = 2\n"
    assert at(text, ("a", "b")) == (3, 4)
    assert at(text, ("a", "b", "c")) == (1, 6)


def test_locate_dotted_and_quoted_keys() -> None:
    text = (
        'top = 1\nsite.address . "post code" = "X1"\n"a b" = 2\n\'lit key\' = 3\n"esc\\u0041" = 4\n'
    )
    assert at(text, ("site",)) == (2, 1)
    assert at(text, ("site", "address")) == (2, 6)
    assert at(text, ("site", "address", "post code")) == (2, 16)
    assert at(text, ("a b",)) == (3, 1)
    assert at(text, ("lit key",)) == (4, 1)
    assert at(text, ("escA",)) == (5, 1)


def test_locate_inside_nested_inline_tables() -> None:
    text = "[r]\nx = { a = 1, b = { c = 2, 'd e' = 3 } }\n"
    assert at(text, ("r", "x")) == (2, 1)
    assert at(text, ("r", "x", "a")) == (2, 7)
    assert at(text, ("r", "x", "b")) == (2, 14)
    assert at(text, ("r", "x", "b", "c")) == (2, 20)
    assert at(text, ("r", "x", "b", "d e")) == (2, 27)


def test_locate_inline_tables_inside_multiline_array() -> None:
    text = (
        "[regions.r1]\n"
        'links = [ {to="x", k=0.2},   # first\n'
        "          # a comment with k = 9 and [fake]\n"
        '  {to = "y", k = 0.1},\n'
        "]\n"
    )
    assert at(text, ("regions", "r1", "links")) == (2, 1)
    assert at(text, ("regions", "r1", "links", 0)) == (2, 11)
    assert at(text, ("regions", "r1", "links", 0, "k")) == (2, 20)
    assert at(text, ("regions", "r1", "links", 1)) == (4, 3)
    assert at(text, ("regions", "r1", "links", 1, "k")) == (4, 14)


def test_locate_scalar_elements_and_nested_arrays() -> None:
    text = 'to = ["a", "b,]", "c"]\nm = [[1, 2], [3]]\n'
    assert at(text, ("to", 2)) == (1, 19)
    assert at(text, ("m", 1)) == (2, 14)
    assert at(text, ("m", 1, 0)) == (2, 15)
    assert at(text, ("m", 0, 1)) == (2, 10)


def test_locate_arrays_of_tables_counts_headers() -> None:
    text = (
        "[[regions]]\n"  # 1
        'name = "r0"\n'
        "[[regions]]\n"  # 3
        'name = "r1"\n'
        "[regions.profile]\n"  # 5: table of the last element
        "exposure = 0.3\n"
        "[[regions.links]]\n"  # 7
        'to = "r0"\n'
        "[[regions.links]]\n"  # 9
        "k = 0.1\n"
        "[[regions]]\n"  # 11
        "  [[regions.links]]\n"  # 12
        "  k = 0.5\n"
    )
    assert at(text, ("regions",)) == (1, 3)
    assert at(text, ("regions", 0)) == (1, 1)
    assert at(text, ("regions", 1, "name")) == (4, 1)
    assert at(text, ("regions", 1, "profile", "exposure")) == (6, 1)
    assert at(text, ("regions", 1, "links", 1)) == (9, 1)
    assert at(text, ("regions", 1, "links", 1, "k")) == (10, 1)
    assert at(text, ("regions", 2, "links", 0)) == (12, 3)
    assert at(text, ("regions", 2, "links", 0, "k")) == (13, 3)


def test_multiline_strings_and_comments_hide_fake_keys() -> None:
    text = (
        "a = 1 # b = 2\n"
        'text = """\n'
        "[injects]\n"
        'b = "not a key" \\"""\n'
        'still text""""\n'
        "lit = '''\n"
        "c = 3\n"
        "[[d]]'''\n"
        "# c = 4\n"
        "b = 5\n"
        "c = 6\n"
        "[[d]]\n"
    )
    data = src(text).parse()
    assert data["text"].endswith('still text"')
    assert at(text, ("b",)) == (10, 1)
    assert at(text, ("c",)) == (11, 1)
    assert at(text, ("d", 0)) == (12, 1)
    assert at(text, ("injects",)) == (0, 0)


def test_locate_falls_back_to_deepest_ancestor_or_zero() -> None:
    text = "[agencies.mem]\nname = 'x'\n"
    assert at(text, ("agencies", "mem", "population")) == (1, 11)
    assert at(text, ("agencies", "fire", "level")) == (1, 2)
    assert at(text, ("nothing", "here")) == (0, 0)
    assert at(text, ()) == (0, 0)


def test_crlf_and_bom_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_bytes(b"\xef\xbb\xbfa = 1\r\n[t]\r\nkey = 'v'\r\n")
    source = TomlSource.read(path)
    assert source.parse() == {"a": 1, "t": {"key": "v"}}
    assert source.locate(("a",)) == (1, 1)
    assert source.locate(("t", "key")) == (3, 1)
    assert source.lines[2] == "key = 'v'"


def test_problem_carries_key_and_caret_line() -> None:
    source = src("[agencies.mem]\n  level = 'x'\n")
    problem = source.problem(("agencies", "mem", "level"), "bad level")
    assert problem == Problem("x.toml", 2, 3, "agencies.mem.level", "bad level", "  level = 'x'")
    assert problem.format() == (
        "x.toml:2:3: agencies.mem.level: bad level\n      level = 'x'\n      ^"
    )


# ---------------------------------------------------------------------------
# read / parse problems
# ---------------------------------------------------------------------------


def test_syntax_error_is_located_without_suffix() -> None:
    (problem,) = raised(TomlSource.from_text("a = 1\nb = = 2\n", "x.toml"))
    assert (problem.line, problem.col) == (2, 5)
    assert problem.message == "TOML syntax error: invalid value"
    assert problem.format() == (
        "x.toml:2:5: TOML syntax error: invalid value\n    b = = 2\n        ^"
    )


def test_syntax_error_at_end_of_document_points_after_last_text() -> None:
    (problem,) = raised(TomlSource.from_text('a = 1\nx = """abc\n\n', "x.toml"))
    assert problem.message == "TOML syntax error: unterminated string"
    assert (problem.line, problem.col, problem.source) == (2, 11, 'x = """abc')


def test_duplicate_table_is_a_located_syntax_error() -> None:
    (problem,) = raised(TomlSource.from_text("[a]\nb = 1\n[a]\n", "x.toml"))
    assert (problem.line, problem.col) == (3, 3)
    assert problem.message == "TOML syntax error: duplicate table [a]: each table is declared once"


def test_nan_and_inf_are_each_reported_at_their_value() -> None:
    text = "ok = 1.5\nhazard = nan\n[r]\nlevels = [0.1, -inf]\n"
    problems = raised(TomlSource.from_text(text, "x.toml"))
    assert [p.format(caret=False) for p in problems] == [
        "x.toml:2:10: hazard: nan/inf are not allowed",
        "x.toml:4:16: r.levels[1]: nan/inf are not allowed",
    ]
    assert problems[1].source == "levels = [0.1, -inf]"


def test_non_utf8_file_reports_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'title = "x"\nname = "Caf' + b'\xe9 \xff"\n')
    with pytest.raises(ScenarioError) as info:
        TomlSource.read(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.col) == (str(path), 2, 12)
    assert problem.message.startswith("file is not valid UTF-8: byte 0xe9")
    assert problem.source == 'name = "Caf\ufffd \ufffd"'


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        TomlSource.read(tmp_path / "nope.toml")
    assert info.value.problems == [Problem(str(tmp_path / "nope.toml"), 0, 0, "", "file not found")]
    assert str(info.value) == f"{tmp_path / 'nope.toml'}: file not found"
    with pytest.raises(ScenarioError) as info:
        TomlSource.read(tmp_path)
    assert info.value.problems[0].message == "is a directory, not a file"


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------


def test_dotted() -> None:
    assert dotted(("regions", 2, "links", 0, "k")) == "regions[2].links[0].k"
    assert dotted(("agencies", "mem", "level")) == "agencies.mem.level"
    assert dotted(("regions", "new york", "name")) == 'regions."new york".name'
    assert dotted(()) == ""


def test_did_you_mean() -> None:
    assert did_you_mean("supperior", ["name", "superior"]) == " (did you mean 'superior'?)"
    assert did_you_mean("Level", ["level"]) == " (did you mean 'level'?)"
    assert did_you_mean("zzz", ["name", "superior"]) == ""


# ---------------------------------------------------------------------------
# problems_from_validation
# ---------------------------------------------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Agency(Strict):
    name: str
    level: Literal["federal", "state", "local"]
    superior: str | None = None


class Link(Strict):
    to: str
    k: float = Field(ge=0.0, le=1.0)


class Region(Strict):
    name: str
    population: float = Field(gt=0)
    links: list[Link] = []


class Inject(Strict):
    id: str
    round: int
    text: str

    @model_validator(mode="after")
    def _check(self) -> Inject:
        if self.round > 10:
            raise ValueError("round must be at most 10")
        return self


class Move(Strict):
    kind: Literal["move"]
    to: str


class Wait(Strict):
    kind: Literal["wait"]
    rounds: int = 1


Step = Annotated[Move | Wait, Field(discriminator="kind")]


class Scenario(Strict):
    title: str
    agencies: dict[str, Agency] = {}
    regions: dict[str, Region] = {}
    injects: list[Inject] = []
    steps: list[Step] = []
    seed: int | str = 0


def validation_problems(text: str, model: type[BaseModel] = Scenario) -> list[Problem]:
    """Validate ``text`` against ``model`` and convert the error."""
    source = src(text)
    with pytest.raises(ValidationError) as info:
        model.model_validate(source.parse())
    return problems_from_validation(info.value, source, model)


BROKEN = """\
title = "Flood"
[agencies.mem]
name = "Emergency Management"
supperior = "gov"
level = "stat"
[regions.coast]
name = "Coast"
links = [ { to = "hills", k = 0.2 },
          { to = "delta", k = 1.5 } ]
[regions.hills]
name = "Hills"
population = "many"
[[injects]]
id = "i1"
round = 12
text = "Levee breach"
[[steps]]
kind = "mvoe"
[[steps]]
kind = "wait"
roudns = 2
[[steps]]
to = "hills"
"""


def test_every_validation_problem_is_reported_in_order() -> None:
    problems = validation_problems(BROKEN)
    assert [p.format(caret=False) for p in problems] == [
        "x.toml:4:1: agencies.mem.supperior: unknown key 'supperior' (did you mean 'superior'?)",
        "x.toml:5:1: agencies.mem.level: must be one of 'federal', 'state', 'local' (got 'stat')"
        " (did you mean 'state'?)",
        "x.toml:6:10: regions.coast: missing required key 'population'",
        "x.toml:9:27: regions.coast.links[1].k: must be less than or equal to 1 (got 1.5)",
        "x.toml:12:1: regions.hills.population: expected a number, got 'many'",
        "x.toml:13:1: injects[0]: round must be at most 10",
        "x.toml:18:1: steps[0].kind: must be one of 'move', 'wait' (got 'mvoe')"
        " (did you mean 'move'?)",
        "x.toml:21:1: steps[1].roudns: unknown key 'roudns' (did you mean 'rounds'?)",
        "x.toml:22:1: steps[2]: missing required key 'kind'",
    ]


def test_unknown_key_full_format_with_caret() -> None:
    problem = validation_problems(BROKEN)[0]
    assert problem.format() == (
        "x.toml:4:1: agencies.mem.supperior: unknown key 'supperior' (did you mean 'superior'?)\n"
        '    supperior = "gov"\n'
        "    ^"
    )


def test_missing_key_caret_points_at_table_header() -> None:
    problem = validation_problems(BROKEN)[2]
    assert problem.format() == (
        "x.toml:6:10: regions.coast: missing required key 'population'\n"
        "    [regions.coast]\n"
        "             ^"
    )


def test_missing_top_level_key_points_at_the_start_of_the_file() -> None:
    (problem,) = validation_problems("[agencies]\n")
    assert problem.format() == "x.toml:1:1: missing required key 'title'\n    [agencies]\n    ^"


def test_smart_union_type_mismatches_are_merged() -> None:
    (problem,) = validation_problems('title = "t"\nseed = [1]\n')
    assert problem.format(caret=False) == (
        "x.toml:2:1: seed: expected an integer or a string, got an array"
    )


def test_discriminated_member_inside_inline_array() -> None:
    text = 'title = "t"\nsteps = [ { kind = "move", too = "x" } ]\n'
    assert [p.format(caret=False) for p in validation_problems(text)] == [
        "x.toml:2:11: steps[0]: missing required key 'to'",
        "x.toml:2:28: steps[0].too: unknown key 'too' (did you mean 'to'?)",
    ]


def test_prefix_locates_a_validated_sub_table() -> None:
    source = src("[meta]\nx = 1\n[agencies.mem]\nname = 'M'\nlevel = 'federal'\nbudget = 5\n")
    data = source.parse()["agencies"]["mem"]
    with pytest.raises(ValidationError) as info:
        Agency.model_validate(data)
    problems = problems_from_validation(info.value, source, Agency, ("agencies", "mem"))
    assert [p.format(caret=False) for p in problems] == [
        "x.toml:6:1: agencies.mem.budget: unknown key 'budget'",
    ]
