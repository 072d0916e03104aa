"""The HSEEP evaluation loop in the report: feedback, plan owners/dates/status, CSV and PDF."""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from report_fixtures import SEED, fixed_clock, typhoon

from tabletop.bots import parse_policies, play_to_end
from tabletop.engine.exercise import Exercise
from tabletop.errors import TabletopError
from tabletop.model import commands as cm
from tabletop.model.events import Record
from tabletop.report import build_report, render, render_bytes
from tabletop.report.model import Report
from tabletop.report.timeline_csv import COLUMNS

OWNER = "Haizhou Emergency Office"
POC = "Li Wei, duty chief"


@cache
def evaluated() -> tuple[tuple[Record, ...], str, str]:
    """A mixed exercise played to the end, then evaluated: two forms and two plan updates.

    Returns:
        The records, the id of the plan row updated twice, the id of a row not drafted.
    """
    game = typhoon()
    ex = Exercise.new(game, None, seed=SEED, clock=fixed_clock)
    play_to_end(ex, parse_policies("mixed:county=selfish", game.order))
    plan = build_report(game, list(ex.records)).plan
    row = plan[0].id
    for c in (
        cm.SubmitFeedback(agency="county", strengths="first draft", ratings={"realism": 2}),
        cm.SubmitFeedback(
            agency="mem",
            author="Zhang, duty officer",
            strengths="Warnings went out early.",
            improvements="Share stock levels sooner.\nRehearse the counterpart plan.",
            ratings={"organization": 5, "realism": 4, "preparedness": 3},
        ),
        cm.SubmitFeedback(
            agency="county",
            author="Wang",
            improvements="=cmd|' /C calc'!A0",
            ratings={"realism": 4, "organization": 2},
        ),
        cm.UpdatePlanAction(action=row, owner=OWNER, poc=POC, start="2026-12-01"),
        cm.UpdatePlanAction(action=row, due="2027-03-31", status="in_progress"),
        cm.UpdatePlanAction(action="flag.gone.nobody", status="complete"),
    ):
        ex.submit(c)
    return tuple(ex.records), row, "flag.gone.nobody"


@cache
def report() -> Report:
    return build_report(typhoon(), list(evaluated()[0]))


def test_plan_rows_have_unique_ids_and_default_owners() -> None:
    plan = report().plan
    ids = [p.id for p in plan]
    assert len(ids) == len(set(ids)) and all(ids)
    names = {a.id: a.name for a in report().agencies}
    _, updated, _ = evaluated()
    for p in plan:
        if p.id in (updated, "flag.gone.nobody"):
            continue
        assert (p.owner, p.poc, p.start, p.due, p.status, p.updated_seq) == (
            names.get(p.responsible, ""),
            "",
            "",
            "",
            "open",
            0,
        )


def test_plan_updates_apply_field_by_field_in_journal_order() -> None:
    records, updated, gone = evaluated()
    rows = {p.id: p for p in report().plan}
    row = rows[updated]
    assert (row.owner, row.poc, row.start, row.due, row.status) == (
        OWNER,
        POC,
        "2026-12-01",
        "2027-03-31",
        "in_progress",
    )
    assert row.updated_seq == records[-2].seq
    # An update of a row the scoring no longer drafts keeps its own row.
    kept = rows[gone]
    assert kept.status == "complete" and "no longer drafted" in kept.issue


def test_latest_feedback_of_each_agency_counts() -> None:
    r = report()
    assert [f.agency for f in r.feedback] == ["mem", "county"]  # scenario order
    county = r.feedback[1]
    assert (county.author, county.revisions, county.strengths) == ("Wang", 1, "")
    assert county.ratings == {"organization": 2, "realism": 4}
    assert r.feedback_means == {
        "organization": 3.5,
        "realism": 4.0,
        "facilitation": None,
        "materials": None,
        "preparedness": 3.0,
    }


def test_every_text_format_shows_the_plan_and_the_feedback() -> None:
    r = report()
    _, updated, _ = evaluated()
    md = render(r, "md")
    assert "## 11. Participant feedback (hot wash)" in md
    assert "> Rehearse the counterpart plan." in md
    row = next(line for line in md.splitlines() if f"`{updated}`" in line)
    for value in (OWNER, POC, "2026-12-01", "2027-03-31", "In progress"):
        assert value in row
    html = render(r, "html")
    assert f'<tr id="plan-{updated}">' in html and POC in html
    assert "Participant feedback (hot wash)" in html and "Warnings went out early." in html
    data = json.loads(render(r, "json"))
    (plan_row,) = [p for p in data["plan"] if p["id"] == updated]
    assert (plan_row["owner"], plan_row["status"], plan_row["due"]) == (
        OWNER,
        "in_progress",
        "2027-03-31",
    )
    assert data["feedback"][0]["ratings"] == {"organization": 5, "preparedness": 3, "realism": 4}
    assert data["feedback_means"]["facilitation"] is None


def test_reports_without_evaluation_say_so() -> None:
    game = typhoon()
    ex = Exercise.new(game, None, seed=SEED, clock=fixed_clock)
    ex.close()
    r = build_report(game, list(ex.records))
    assert r.feedback == [] and set(r.feedback_means.values()) == {None}
    assert "No participant feedback recorded yet" in render(r, "md")


def test_csv_timeline_has_every_entry_and_escapes_formulas() -> None:
    r = report()
    data = render_bytes(r, "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for spreadsheets
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    entries = [(st, e) for st in r.timeline for e in st.entries]
    assert len(rows) == 1 + len(entries)
    for row, (st, e) in zip(rows[1:], entries, strict=True):
        record = dict(zip(COLUMNS, row, strict=True))
        assert int(record["seq"]) == e.seq
        assert (record["stage"], record["category"]) == (st.stage, e.category)
        assert record["at"] == "2026-11-24T09:00:00+00:00"
        assert record["text"].lstrip("'") == e.text
    decisions = [row for row in rows[1:] if row[COLUMNS.index("category")] == "decision"]
    assert decisions and all(row[COLUMNS.index("agency")] for row in decisions)


def test_csv_cells_that_look_like_formulas_get_an_apostrophe() -> None:
    from tabletop.report.timeline_csv import _safe

    assert _safe("=SUM(A1)") == "'=SUM(A1)"
    assert _safe("@cmd") == "'@cmd"
    assert _safe("mem deploys") == "mem deploys"
    assert _safe(3) == 3


def test_pdf_is_the_hseep_layout(tmp_path: Path) -> None:
    import pypdfium2 as pdfium  # the test extra's PDF reader

    r = report()
    data = render_bytes(r, "pdf")
    assert data.startswith(b"%PDF-")
    path = tmp_path / "aar.pdf"
    path.write_bytes(data)
    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = len(pdf)
        assert pages >= 6
        texts = [pdf[i].get_textpage().get_text_range() for i in range(pages)]
        sizes = [pdf[i].get_size() for i in range(pages)]
        # Cover: the title, the exercise name, the date; A4 portrait.
        cover = " ".join(texts[0].split())
        assert "After-Action Report /" in cover and "Improvement Plan" in cover
        assert r.overview.title in cover and "2026-11-24" in cover
        assert sizes[0][0] < sizes[0][1]
        flat = [" ".join(t.split()) for t in texts]
        overview = next(i for i, t in enumerate(flat) if "Exercise Overview" in t)
        analysis = next(i for i, t in enumerate(flat) if "Analysis of Core Capabilities" in t)
        appendix = next(i for i, t in enumerate(flat) if "Appendix A: Improvement Plan" in t)
        assert 0 < overview < analysis < appendix
        for o in r.objectives:
            assert any(o.title in t for t in flat[analysis:appendix]), o.title
        # The improvement plan is a landscape appendix with the owners set in the debrief.
        assert sizes[appendix][0] > sizes[appendix][1]
        assert any(OWNER in t and "In progress" in t for t in flat[appendix:])
        assert any("Appendix C: Participant Feedback Summary" in t for t in flat[appendix:])
        assert any("Zhang, duty officer" in t for t in flat[appendix:])
        assert f"Page 2 of {pages}" in flat[1]

        # Render the cover to PNG: a real picture, mostly white, with dark text on it.
        image = pdf[0].render(scale=1.0).to_pil().convert("L")
        png = tmp_path / "cover.png"
        image.save(png)
        assert png.stat().st_size > 1000
        width, height = image.size
        assert abs(width - sizes[0][0]) <= 1 and abs(height - sizes[0][1]) <= 1
        histogram = image.histogram()
        dark = sum(histogram[:128])
        assert 0.002 < dark / (width * height) < 0.2
        # The overview page carries the inline SVG charts: drawn, not blank.
        chart_page = pdf[overview].render(scale=1.0).to_pil().convert("RGB")
        colours = [c for _, c in chart_page.getcolors(1 << 24) or [] if len(set(c)) > 1]
        assert len(colours) > 10  # coloured chart lines and rating cells
    finally:
        pdf.close()


def test_pdf_without_weasyprint_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_weasyprint(name: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if name == "weasyprint":
            raise ImportError("No module named 'weasyprint'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(TabletopError, match=r"pip install 'tabletop\[pdf\]'"):
        render_bytes(report(), "pdf")
    with pytest.raises(TabletopError, match="binary"):
        render(report(), "pdf")


@settings(max_examples=60, deadline=None)
@given(texts=hs.lists(hs.text(max_size=40), min_size=1, max_size=5))
def test_csv_round_trips_any_text(texts: list[str]) -> None:
    from tabletop.report.model import TimelineEntry, TimelineStage

    entries = [
        TimelineEntry(
            seq=i + 1, round=1, stage_round=1, agency=None, category="facilitator", text=t
        )
        for i, t in enumerate(texts)
    ]
    stage = TimelineStage(
        stage="gestation",
        title="Gestation, 1",
        wave=0,
        first_round=1,
        last_round=1,
        entries=entries,
    )
    text = render(report().model_copy(update={"timeline": [stage]}), "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(texts)
    for row, t in zip(rows[1:], texts, strict=True):
        cell = row[COLUMNS.index("text")]
        assert cell == ("'" + t if t.startswith(("=", "+", "-", "@", "\t", "\r")) else t)
        assert row[COLUMNS.index("stage_title")] == "Gestation, 1"
