"""The report's content and its Markdown and HTML renderings (tabletop.report)."""

from __future__ import annotations

import re

import pytest
from report_fixtures import fixed_clock, played, typhoon

from tabletop.engine.exercise import Exercise
from tabletop.errors import TabletopError
from tabletop.model import commands as cm
from tabletop.report import build_report, render

FORBIDDEN = ("http://", "https://", "//cdn", "<script src", "<link href")


@pytest.fixture(scope="module")
def coop():  # noqa: ANN201 - fixture
    return build_report(typhoon(), played("cooperative"))


@pytest.fixture(scope="module")
def selfish():  # noqa: ANN201 - fixture
    return build_report(typhoon(), played("selfish"))


def test_html_is_one_self_contained_file_with_charts(coop) -> None:  # noqa: ANN001
    html = render(coop, "html")
    lowered = html.lower()
    for bad in FORBIDDEN:
        assert bad not in lowered, bad
    assert "<script" not in lowered and "<link" not in lowered and "@import" not in lowered
    assert not re.search(r"""(src|href)=["'](?!#)""", html), "only in-page links allowed"
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    # Scores by stage, hazard, harm, the whole network and one network per stage.
    assert html.count("<svg") == 4 + len(coop.scores.stages)
    for title in ("Overall score by stage and agency", "Hazard over rounds", "Cumulative harm"):
        assert title in html


def test_html_escapes_what_players_and_evaluators_typed() -> None:
    game = typhoon()
    ex = Exercise.new(game, None, clock=fixed_clock)
    ex.submit(cm.AddObservation(text="<script>alert('x')</script> & <b>bold</b>", author="eva"))
    html = render(build_report(game, ex.records), "html")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html and "&amp; &lt;b&gt;bold" in html


def test_markdown_has_every_aar_ip_section(coop) -> None:  # noqa: ANN001
    md = render(coop, "md")
    for heading in (
        "# After-Action Report / Improvement Plan",
        "## 1. Exercise overview",
        "## 2. Objectives and ratings",
        "## 3. Strengths",
        "## 4. Areas for improvement",
        "## 5. Improvement plan",
        "## 6. Scores",
        "## 7. Cooperation network",
        "## 8. Timeline of decisions",
        "## 9. Evaluator observations",
        "## 10. How each score was reached",
    ):
        assert heading in md
    for stage in coop.scores.stages:
        assert f"| {stage} |" in md or f" {stage} |" in md
    # Table rows never break: no cell holds a raw pipe or newline.
    for line in md.splitlines():
        if line.startswith("| `"):
            assert line.endswith("|")


def test_render_refuses_unknown_formats(coop) -> None:  # noqa: ANN001
    with pytest.raises(TabletopError, match="unknown report format"):
        render(coop, "docx")


def test_cooperative_and_selfish_runs_are_clearly_separated(coop, selfish) -> None:  # noqa: ANN001
    c, s = coop.scores.total, selfish.scores.total
    assert c.overall.value - s.overall.value >= 30
    for d in ("horizontal", "vertical", "resource", "information", "policy", "initiative"):
        assert c.dimensions[d].value > s.dimensions[d].value + 20, d
    for d in ("outcome", "trust"):
        assert c.dimensions[d].value > s.dimensions[d].value, d
    assert coop.overview.harm < selfish.overview.harm
    codes = {f.code for f in selfish.flags}
    assert {"concealment", "protectionism_harm"} <= codes
    assert not {"concealment", "protectionism_harm"} & {f.code for f in coop.flags}
    assert selfish.network.exercise["all"].edges < coop.network.exercise["all"].edges
    ranks = "PSMU"
    assert sum(ranks.index(o.rating) for o in coop.objectives) < sum(
        ranks.index(o.rating) for o in selfish.objectives
    )


def test_report_sections_are_filled(coop) -> None:  # noqa: ANN001
    o = coop.overview
    assert o.status == "ended" and o.rounds == len(coop.series)
    assert o.stages_played == coop.scores.stages
    assert o.harm_avoided is not None and 0 < o.harm_avoided <= 1
    assert coop.strengths and coop.improvements and coop.plan
    for item in coop.plan:
        assert item.responsible in {a.id for a in coop.agencies} | {"facilitator"}
        assert item.priority in ("high", "medium", "low")
    decisions = [e for st in coop.timeline for e in st.entries if e.category == "decision"]
    assert len(decisions) == o.decisions
    assert [st.stage for st in coop.timeline] == o.stages_played
    for p in coop.series:
        assert p.cf_harm is not None and p.cf_harm >= p.harm - 1e-6


def test_report_of_an_exercise_still_running_with_facilitator_events() -> None:
    game = typhoon()
    ex = Exercise.new(game, None, clock=fixed_clock)
    ex.submit(cm.TakeAction(agency="mem", action="monitor", region="reservoir"))
    ex.submit(cm.UndoTurn())
    ex.submit(cm.AddObservation(text="mem hesitated", agency="mem", author="eva"))
    ex.submit(cm.EndTurn(agency="mem"))
    ex.submit(cm.ForceStage(stage="outbreak", reason="speed up"))
    ex.submit(cm.Adjudicate(target="regions.linhe.trust", value=50, reason="rumour"))
    report = build_report(game, ex.records)
    assert report.overview.status == "running"
    assert report.overview.undone == 1 and report.overview.decisions == 0
    assert report.overview.forced_stages == 1 and report.overview.adjudications == 1
    assert [o.text for o in report.observations] == ["mem hesitated"]
    entries = [e for st in report.timeline for e in st.entries]
    assert [e.undone for e in entries if e.category == "decision"] == [True]
    assert [st.stage for st in report.timeline] == ["gestation", "outbreak"]
    for fmt in ("md", "html", "json"):
        assert render(report, fmt)
