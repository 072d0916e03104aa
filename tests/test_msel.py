"""MSEL spreadsheets: export, unchanged round trip, merged edits, located sheet errors."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from tabletop_helpers import RULES, SCENARIO

from tabletop.cli import main
from tabletop.errors import ScenarioError
from tabletop.loader import load_game
from tabletop.msel import COLUMNS, export_msel, import_msel, read_sheet

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("tomlkit")


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "rules").mkdir()
    shutil.copy(RULES, tmp_path / "rules" / RULES.name)
    return Path(shutil.copy(SCENARIO, tmp_path / "scenarios" / SCENARIO.name))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_unchanged_gives_the_identical_file(
    scenario: Path, tmp_path: Path, suffix: str
) -> None:
    sheet = tmp_path / f"msel{suffix}"
    before = scenario.read_bytes()
    assert export_msel(scenario, sheet) == 10
    assert import_msel(sheet, scenario) == (10, False)
    assert scenario.read_bytes() == before


def test_exported_rows(scenario: Path, tmp_path: Path) -> None:
    export_msel(scenario, tmp_path / "m.csv")
    rows = read_sheet(tmp_path / "m.csv")
    assert tuple(rows[0]) == COLUMNS
    forecast = dict(zip(COLUMNS, rows[1], strict=True))
    assert forecast["id"] == "forecast" and forecast["round"] == "1" and forecast["to"] == "all"
    assert forecast["expected actions"] == "mem activate_response\ncity issue_warning coastal_city"
    assert forecast["deadline"] == "1\n1"
    assert forecast["objective"] == "early_warning.response_level\nearly_warning.city_warning"
    rumours = dict(zip(COLUMNS, rows[7], strict=True))
    assert rumours["condition"] == "regions.coastal_city.trust < 50" and rumours["round"] == ""


def test_excel_edits_are_merged_keeping_comments_and_layout(scenario: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "m.xlsx"
    export_msel(scenario, sheet)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["MSEL"]
    ws["C4"] = 2  # landfall: outbreak round 1 -> 2
    ws.append(["late_news", "continuation", 2, "", "b_em", "media", "Late news", "Questions."])
    wb.save(sheet)
    before = scenario.read_text(encoding="utf-8")
    assert import_msel(sheet, scenario) == (11, True)
    after = scenario.read_text(encoding="utf-8")
    landfall = before.index('id = "landfall"')
    expected = before[:landfall] + before[landfall:].replace("round = 1", "round = 2", 1)
    new_inject = (
        '\n[[injects]]\nid = "late_news"\nstage = "continuation"\nround = 2\nto = ["b_em"]\n'
        'type = "media"\ntitle = "Late news"\ntext = "Questions."\n'
    )
    cut = expected.index("\n", expected.index('objective = "recovery.review" }]')) + 1
    assert after == expected[:cut] + new_inject + expected[cut:]
    game = load_game(scenario)
    assert game.injects["landfall"].round == 2 and game.injects["late_news"].to == ["b_em"]


def test_changed_expectations_keep_their_notes(scenario: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    export_msel(scenario, sheet)
    rows = read_sheet(sheet)
    discharge = rows[4]
    assert discharge[0] == "discharge"
    discharge[9] = "2\n0"  # the first expectation's deadline: within 1 -> 2
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    sheet.write_text(buf.getvalue(), encoding="utf-8")
    import_msel(sheet, scenario)
    text = scenario.read_text(encoding="utf-8")
    assert (
        '    { agency = "a_water", action = "propose_agreement", within = 2, '
        'note = "Compensation deal with Linhe" },\n' in text
    )


def write_csv(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_sheet_errors_name_the_row_and_column(scenario: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    export_msel(scenario, sheet)
    rows = read_sheet(sheet)
    rows[2][2] = "soon"  # reservoir_level round
    rows[6][8] = "mem"  # counterpart_plan: no action
    rows[9][0] = "forecast"  # a second forecast row
    write_csv(sheet, rows)
    before = scenario.read_bytes()
    with pytest.raises(ScenarioError) as info:
        import_msel(sheet, scenario)
    got = [(p.file, p.line, p.col, p.key, p.message) for p in info.value.problems]
    assert got == [
        (
            str(sheet),
            3,
            3,
            "injects[reservoir_level].round",
            "expected a whole number of rounds, got 'soon' (row 3, column C 'round')",
        ),
        (
            str(sheet),
            7,
            9,
            "injects[counterpart_plan].expect[0]",
            "write one expectation per line as 'agency action' or 'agency action region' "
            "(row 7, column I 'expected actions')",
        ),
        (
            str(sheet),
            10,
            1,
            "injects[forecast]",
            "inject 'forecast' is on row 2 already (row 10, column A 'id')",
        ),
    ]
    assert scenario.read_bytes() == before


def test_scenario_problems_of_a_row_point_at_its_cell(scenario: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    export_msel(scenario, sheet)
    rows = read_sheet(sheet)
    rows[7][4] = "cty"  # counterpart... row 8 is rumours: to = cty
    write_csv(sheet, rows)
    before = scenario.read_bytes()
    with pytest.raises(ScenarioError) as info:
        import_msel(sheet, scenario)
    (p,) = info.value.problems
    assert (p.file, p.line, p.col, p.key) == (str(sheet), 8, 5, "injects[6].to[0]")
    assert p.message == "unknown agency 'cty' (did you mean 'city'?) (row 8, column E 'to')"
    assert scenario.read_bytes() == before


def test_a_sheet_without_the_columns(scenario: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    write_csv(sheet, [["id", "when"], ["x", "round > 1"]])
    with pytest.raises(ScenarioError) as info:
        import_msel(sheet, scenario)
    (p,) = info.value.problems
    assert (p.line, p.col) == (1, 1) and p.message.startswith("the first row must name")
    assert "missing: stage, round, condition, to" in p.message


def test_cli_round_trip(scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "msel.xlsx"
    assert main(["msel", "export", str(scenario), "-o", str(sheet)]) == 0
    assert main(["msel", "import", str(sheet), "--into", str(scenario)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {sheet}: 10 inject(s)" in out and "unchanged (10 row(s)" in out
    assert main(["msel", "export", str(scenario), "-o", str(tmp_path / "m.txt")]) == 1
    assert "a MSEL sheet is a .csv or .xlsx file" in capsys.readouterr().err


def test_semicolon_separated_csv_is_read(scenario: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    export_msel(scenario, sheet)
    rows = read_sheet(sheet)
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows(rows)
    sheet.write_text(buf.getvalue(), encoding="utf-8-sig")
    assert read_sheet(sheet) == rows
    before = scenario.read_bytes()
    assert import_msel(sheet, scenario) == (10, False)
    assert scenario.read_bytes() == before
