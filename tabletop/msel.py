"""The MSEL (Master Scenario Events List) as a spreadsheet: CSV or Excel.

:func:`export_msel` writes one row per inject of a scenario; :func:`import_msel`
merges an edited sheet back into the scenario's TOML with tomlkit, changing only
the values that differ, so comments, order and layout of the file are kept (an
unchanged sheet gives a byte-identical file). Rows whose id is not in the
scenario become new injects; injects without a row are left as they are.

Expectations take three aligned cells, one line per expectation: "expected
actions" (``agency action`` or ``agency action region``), "deadline" (rounds
after the inject fires, the ``within`` key) and "objective" (``-`` for none).

Every problem of the sheet is located by row and column (``msel.xlsx:5:3``,
with the column letter and header in the message); the merged scenario is
validated before it is written, and nothing is written when anything is wrong.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tabletop.errors import Problem, ScenarioError, TabletopError

#: Columns of the sheet, in order.
COLUMNS: tuple[str, ...] = (
    "id",
    "stage",
    "round",
    "condition",
    "to",
    "type",
    "title",
    "text",
    "expected actions",
    "deadline",
    "objective",
)
#: The scenario key behind each column (the expectation columns are handled together).
_KEYS = {"id": "id", "stage": "stage", "round": "round", "condition": "when", "to": "to"}
_KEYS |= {"type": "type", "title": "title", "text": "text"}
#: The column to point at for a problem of a scenario key inside an inject.
_COLUMN_OF = {v: k for k, v in _KEYS.items()} | {
    "expect": "expected actions",
    "agency": "expected actions",
    "action": "expected actions",
    "region": "expected actions",
    "within": "deadline",
    "objective": "objective",
}
_INJECT_KEY = re.compile(r"^injects\[(\d+)\](?:\.(\w+))?(?:\[(\d+)\])?(?:\.(\w+))?")

# -- messages --------------------------------------------------------------------
BAD_HEADER = "the first row must name the columns {columns} (missing: {missing})"
NO_ID = "every row needs an inject id"
DUPLICATE_ID = "inject '{id}' is on row {first} already"
NOT_A_ROUND = "expected a whole number of rounds, got '{value}'"
BAD_EXPECT = "write one expectation per line as 'agency action' or 'agency action region'"
LINES_DIFFER = (
    "{column} has {got} line(s) but expected actions has {want}: give one line for each expectation"
)
NOT_A_SHEET = "{path}: a MSEL sheet is a .csv or .xlsx file"
NO_ROWS = "the sheet has no header row"
UNREADABLE = "{path}: cannot read the spreadsheet ({reason})"
NEEDS_OPENPYXL = "Excel sheets need openpyxl: pip install 'tabletop[msel]'"
NEEDS_TOMLKIT = "merging into TOML needs tomlkit: pip install 'tabletop[msel]'"


@dataclass(frozen=True, slots=True)
class _Expect:
    agency: str
    action: str
    region: str | None
    within: int
    objective: str | None


def _expects(raw: list[dict[str, Any]]) -> list[_Expect]:
    return [
        _Expect(
            str(x.get("agency", "")),
            str(x.get("action", "")),
            x.get("region"),
            int(x.get("within", 1)),
            x.get("objective"),
        )
        for x in raw
    ]


def rows_of(data: dict[str, Any]) -> list[list[str]]:
    """The sheet (header first) of a parsed scenario document."""
    rows = [list(COLUMNS)]
    for inj in data.get("injects", []):
        exp = _expects(inj.get("expect", []))
        rows.append(
            [
                str(inj.get("id", "")),
                str(inj.get("stage") or ""),
                "" if inj.get("round") is None else str(inj["round"]),
                str(inj.get("when") or ""),
                ", ".join(inj.get("to", ["all"])),
                str(inj.get("type", "information")),
                str(inj.get("title", "")),
                str(inj.get("text", "")),
                "\n".join(" ".join(filter(None, (x.agency, x.action, x.region))) for x in exp),
                "\n".join(str(x.within) for x in exp),
                "\n".join(x.objective or "-" for x in exp),
            ]
        )
    return rows


def export_msel(scenario: str | os.PathLike[str], output: str | os.PathLike[str]) -> int:
    """Write the MSEL of ``scenario`` to ``output`` (.csv or .xlsx); return the row count.

    Raises:
        ScenarioError: the scenario does not load.
        TabletopError: the output cannot be written or has another extension.
    """
    from tabletop.loader.game import load_game
    from tabletop.loader.source import TomlSource

    load_game(scenario)
    rows = rows_of(TomlSource.read(scenario).parse())
    out = Path(output)
    suffix = out.suffix.lower()
    try:
        if suffix == ".csv":
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerows(rows)
            out.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")
        elif suffix == ".xlsx":
            _write_xlsx(out, rows)
        else:
            raise TabletopError(NOT_A_SHEET.format(path=output))
    except OSError as exc:
        raise TabletopError(f"{output}: cannot write ({exc.strerror})") from None
    return len(rows) - 1


def _write_xlsx(path: Path, rows: list[list[str]]) -> None:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
    except ModuleNotFoundError:
        raise TabletopError(NEEDS_OPENPYXL) from None
    wb = Workbook()
    ws = wb.active
    ws.title = "MSEL"
    widths = (16, 12, 7, 30, 18, 11, 30, 60, 34, 9, 34)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if r > 1 and c == 3 and value.isdigit():
                cell.value = int(value)
            else:
                cell.value = value
                cell.data_type = "s"  # text, never a formula (a condition may start with '=')
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 1:
                cell.font = Font(bold=True)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[chr(ord("A") + c - 1)].width = width
    ws.freeze_panes = "B2"
    wb.save(path)


def read_sheet(path: str | os.PathLike[str]) -> list[list[str]]:
    """Every row of a .csv or .xlsx sheet as text cells (the first row is the header).

    Raises:
        TabletopError: the file cannot be read or is neither CSV nor Excel.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix == ".csv":
            from tabletop.files import read_regular

            text = read_regular(p).decode("utf-8-sig")
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
            return [list(r) for r in reader]
        if suffix == ".xlsx":
            return _read_xlsx(p)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise TabletopError(UNREADABLE.format(path=path, reason=reason)) from None
    raise TabletopError(NOT_A_SHEET.format(path=path))


def _delimiter(text: str) -> str:
    """``,`` or, for sheets saved by Excel in locales that use it, ``;`` (or a tab)."""
    header = text.split("\n", 1)[0]
    for sep in (",", ";", "\t"):
        if header.count(sep) >= len(COLUMNS) - 1:
            return sep
    return ","


def _read_xlsx(path: Path) -> list[list[str]]:
    try:
        from openpyxl import load_workbook
    except ModuleNotFoundError:
        raise TabletopError(NEEDS_OPENPYXL) from None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise TabletopError(UNREADABLE.format(path=path, reason=str(exc))) from None
    ws = wb["MSEL"] if "MSEL" in wb.sheetnames else wb.worksheets[0]
    rows: list[list[str]] = []
    for row in ws.iter_rows(values_only=True):
        rows.append([_cell_text(v) for v in row])
    wb.close()
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _letter(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


class _Sheet:
    """Rows of a sheet with located problems."""

    def __init__(self, path: str, rows: list[list[str]]) -> None:
        self.path = path
        self.problems: list[Problem] = []
        if not rows:
            self.problems.append(Problem(path, 1, 1, "", NO_ROWS))
            self.header: dict[str, int] = {}
            self.rows: list[tuple[int, list[str]]] = []
            return
        self.header = {name.strip().lower(): i for i, name in enumerate(rows[0])}
        missing = [c for c in COLUMNS if c not in self.header]
        if missing:
            message = BAD_HEADER.format(columns=", ".join(COLUMNS), missing=", ".join(missing))
            self.problems.append(Problem(path, 1, 1, "", message))
        self.rows = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]

    def cell(self, row: list[str], column: str) -> str:
        i = self.header.get(column)
        return row[i] if i is not None and i < len(row) else ""

    def problem(self, number: int, column: str, key: str, message: str) -> Problem:
        col = self.header.get(column, 0) + 1
        where = f" (row {number}, column {_letter(col)} '{column}')"
        return Problem(self.path, number, col, key, message + where)

    def add(self, number: int, column: str, key: str, message: str) -> None:
        self.problems.append(self.problem(number, column, key, message))


def _parse_expects(sheet: _Sheet, number: int, row: list[str], key: str) -> list[_Expect] | None:
    def lines(column: str) -> list[str]:
        return [ln.strip() for ln in sheet.cell(row, column).splitlines() if ln.strip()]

    actions, deadlines, objectives = (
        lines("expected actions"),
        lines("deadline"),
        lines("objective"),
    )
    ok = True
    for column, got in (("deadline", deadlines), ("objective", objectives)):
        if got and len(got) != len(actions):
            sheet.add(
                number,
                column,
                key,
                LINES_DIFFER.format(column=column, got=len(got), want=len(actions)),
            )
            ok = False
    out: list[_Expect] = []
    for i, line in enumerate(actions):
        words = line.split()
        if len(words) not in (2, 3):
            sheet.add(number, "expected actions", f"{key}.expect[{i}]", BAD_EXPECT)
            ok = False
            continue
        within = deadlines[i] if i < len(deadlines) else "1"
        if not within.isdigit():
            sheet.add(
                number, "deadline", f"{key}.expect[{i}].within", NOT_A_ROUND.format(value=within)
            )
            ok = False
            continue
        obj = objectives[i] if i < len(objectives) else "-"
        out.append(
            _Expect(
                words[0],
                words[1],
                words[2] if len(words) == 3 else None,
                int(within),
                None if obj == "-" else obj,
            )
        )
    return out if ok else None


def merge_rows(text: str, sheet: _Sheet) -> tuple[str, dict[str, int]]:
    """``text`` (a scenario) with the sheet's rows merged in; also inject id -> row number."""
    try:
        import tomlkit
    except ModuleNotFoundError:
        raise TabletopError(NEEDS_TOMLKIT) from None
    doc = tomlkit.parse(text)
    injects = doc.get("injects", [])
    by_id = {str(t.get("id")): t for t in injects}
    added: list[Any] = []
    seen: dict[str, int] = {}
    for number, row in sheet.rows:
        iid = sheet.cell(row, "id").strip()
        key = f"injects[{iid}]"
        if not iid:
            sheet.add(number, "id", "", NO_ID)
            continue
        if iid in seen:
            sheet.add(number, "id", key, DUPLICATE_ID.format(id=iid, first=seen[iid]))
            continue
        seen[iid] = number
        round_text = sheet.cell(row, "round").strip()
        if round_text and not round_text.isdigit():
            sheet.add(number, "round", f"{key}.round", NOT_A_ROUND.format(value=round_text))
            continue
        expects = _parse_expects(sheet, number, row, key)
        if expects is None:
            continue
        table = by_id.get(iid)
        new = table is None
        if table is None:
            table = tomlkit.table()
            table["id"] = iid
            added.append(table)
            by_id[iid] = table
        _set(table, "stage", sheet.cell(row, "stage").strip() or None, None)
        _set(table, "round", int(round_text) if round_text else None, None)
        _set(table, "when", sheet.cell(row, "condition").strip() or None, None)
        to = [t.strip() for t in sheet.cell(row, "to").split(",") if t.strip()] or ["all"]
        _set(table, "to", to, ["all"])
        _set(table, "type", sheet.cell(row, "type").strip() or "information", "information")
        _set(table, "title", sheet.cell(row, "title"), None)
        _set(table, "text", sheet.cell(row, "text"), None)
        old = list(table.get("expect", []))
        if _expects([dict(x) for x in old]) != expects:
            _set_expects(table, old, expects)
        if new:
            table.add(tomlkit.nl())
    out = tomlkit.dumps(doc)
    if added:
        block = tomlkit.document()
        aot = tomlkit.aot()
        for table in added:
            aot.append(table)
        block.append("injects", aot)
        out = _insert_after_injects(out, tomlkit.dumps(block))
    return out, seen


def _insert_after_injects(text: str, block: str) -> str:
    """``text`` with ``block`` (``[[injects]]`` tables) after its last inject.

    Comments and blank lines before the next table belong to what follows (a section
    comment such as ``# --- objectives``), so the block goes before them.
    """
    lines = text.splitlines(keepends=True)
    last = max((i for i, ln in enumerate(lines) if ln.startswith("[[injects]]")), default=-1)
    if last < 0:
        return text.rstrip("\n") + "\n\n" + block
    end = next(
        (i for i in range(last + 1, len(lines)) if lines[i].lstrip().startswith("[")),
        len(lines),
    )
    while end > last + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    head = "".join(lines[:end])
    if not head.endswith("\n"):
        head += "\n"
    return head + "\n" + block.rstrip("\n") + "\n" + "".join(lines[end:])


def _set(table: Any, key: str, value: Any, default: Any) -> None:
    """Set ``key`` only when its effective value differs (absent means ``default``;
    ``None`` removes the key)."""
    current = table.get(key, default)
    if hasattr(current, "unwrap"):
        current = current.unwrap()
    if current == value:
        return
    if value is None:
        if key in table:
            del table[key]
        return
    table[key] = value


def _set_expects(table: Any, old: list[Any], expects: list[_Expect]) -> None:
    """Write the expectations in the layout of the bundled scenarios (one per line)."""
    import json

    import tomlkit

    if not expects:
        if "expect" in table:
            del table["expect"]
        return
    lines: list[str] = []
    for i, x in enumerate(expects):
        pairs = [("agency", x.agency), ("action", x.action), ("within", x.within)]
        if x.region is not None:
            pairs.append(("region", x.region))
        note = old[i].get("note") if i < len(old) and hasattr(old[i], "get") else None
        if note:
            pairs.append(("note", str(note)))
        if x.objective is not None:
            pairs.append(("objective", x.objective))
        inner = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in pairs)
        lines.append(f"{{ {inner} }}")
    if len(lines) == 1:
        text = f"expect = [{lines[0]}]\n"
    else:
        text = "expect = [\n" + "".join(f"    {line},\n" for line in lines) + "]\n"
    table["expect"] = tomlkit.parse(text)["expect"]


def import_msel(
    sheet_path: str | os.PathLike[str],
    scenario: str | os.PathLike[str],
) -> tuple[int, bool]:
    """Merge the sheet into the scenario file; return (rows, whether the file changed).

    The merged scenario is validated first (its problems are reported at the sheet's row
    and column where they come from a row); nothing is written when there is any problem.

    Raises:
        ScenarioError: problems of the sheet or of the merged scenario.
        TabletopError: a file cannot be read or written.
    """
    from tabletop.loader.game import load_game
    from tabletop.loader.source import TomlSource

    shown = os.fsdecode(sheet_path)
    sheet = _Sheet(shown, read_sheet(sheet_path))
    if sheet.problems:
        raise ScenarioError(sheet.problems)
    source = TomlSource.read(scenario)
    source.parse()
    merged, rows = merge_rows(source.text, sheet)
    if sheet.problems:
        raise ScenarioError(sheet.problems)
    target = Path(scenario)
    if merged == source.text:
        return len(sheet.rows), False
    fd, tmp = tempfile.mkstemp(prefix=".msel-", suffix=".toml", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(merged)
        try:
            load_game(tmp)
        except ScenarioError as exc:
            raise ScenarioError(_to_sheet(exc.problems, sheet, merged, rows, str(target))) from None
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return len(sheet.rows), True


def _to_sheet(
    problems: list[Problem], sheet: _Sheet, merged: str, rows: dict[str, int], scenario: str
) -> list[Problem]:
    """Problems of the merged scenario, pointed at the sheet's cell when a row caused them."""
    import tomllib

    ids = [str(i.get("id")) for i in tomllib.loads(merged).get("injects", [])]
    out: list[Problem] = []
    for p in problems:
        m = _INJECT_KEY.match(p.key)
        if m is not None and int(m[1]) < len(ids) and ids[int(m[1])] in rows:
            field = m[4] or m[2] or "id"
            column = _COLUMN_OF.get(field, "id")
            out.append(sheet.problem(rows[ids[int(m[1])]], column, p.key, p.message))
        else:
            out.append(Problem(scenario, 0, 0, p.key, p.message, "", p.severity))
    return out
