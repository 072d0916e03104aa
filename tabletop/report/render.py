"""Render a :class:`~tabletop.report.model.Report` as Markdown, HTML or JSON.

HTML is one self-contained file: inline CSS and inline SVG charts, no script
and no external URL, so it opens offline and can be mailed as is. Templates
live in ``tabletop/report/templates/*.j2``; HTML templates are autoescaped.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from tabletop.describe import time_text
from tabletop.errors import TabletopError
from tabletop.model.evaluation import (
    FEEDBACK_QUESTIONS,
    FEEDBACK_SCALE,
    FEEDBACK_SHORT,
    PLAN_STATUSES,
)
from tabletop.report import charts
from tabletop.report.model import Report
from tabletop.scoring.rating import RATING_TITLES

#: Every export format; ``pdf`` is bytes (:func:`render_bytes`), the others text.
FORMATS: tuple[str, ...] = ("md", "html", "json", "csv", "pdf")
#: The formats :func:`render` returns as text.
TEXT_FORMATS: tuple[str, ...] = ("md", "html", "json", "csv")
#: Digits kept for floats in the JSON report.
JSON_DIGITS = 4


def _autoescape(name: str | None) -> bool:
    return name is None or not name.endswith(".md.j2")


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"


def _num(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _evidence(seqs: list[int] | tuple[int, ...], n: int = 8) -> str:
    if not seqs:
        return ""
    shown = ", ".join(str(s) for s in seqs[:n])
    more = len(seqs) - n
    return f"#{shown}" + (f" (+{more} more)" if more > 0 else "")


#: Texts of the time from an inject to the decision it asked for.
LAG_TEXTS: dict[str, str] = {
    "same": "in the round of the inject",
    "after_one": "1 round after the inject",
    "after": "{n} rounds after the inject",
    "before_one": "1 round before the inject",
    "before": "{n} rounds before the inject",
    "seconds": "{n:.0f} s",
    "minutes": "{n:.0f} min",
    "hours": "{n:.1f} h",
    "early": "{t} before",
}


def _lag(rounds: int | None) -> str:
    """Rounds from an inject to a decision, in words."""
    if rounds is None:
        return ""
    if rounds == 0:
        return LAG_TEXTS["same"]
    if rounds == 1:
        return LAG_TEXTS["after_one"]
    if rounds == -1:
        return LAG_TEXTS["before_one"]
    key = "after" if rounds > 0 else "before"
    return LAG_TEXTS[key].format(n=abs(rounds))


def _duration(seconds: float | None) -> str:
    """Wall-clock time from an inject to a decision (``early`` when before it)."""
    if seconds is None:
        return ""
    n = abs(seconds)
    if n < 120:
        text = LAG_TEXTS["seconds"].format(n=n)
    elif n < 7200:
        text = LAG_TEXTS["minutes"].format(n=n / 60)
    else:
        text = LAG_TEXTS["hours"].format(n=n / 3600)
    return LAG_TEXTS["early"].format(t=text) if seconds < 0 else text


#: Characters that start Markdown constructs anywhere in a line: escapes, code spans,
#: links and images (``[...](javascript:...)``), raw HTML and autolinks (``<...>``).
_MD_INLINE = re.compile(r"([\\`\[\]<>])")
#: What a line may start with to become a heading, quote, list, table, rule,
#: setext underline or code fence.
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-*=|~]|\d+[.)])")


def markdown_text(text: Any) -> str:
    """User text made inert in Markdown: it reads as written and builds nothing.

    Backslashes, backticks, brackets and angle brackets are escaped (no raw HTML,
    no link or image, ``javascript:`` or other, no code span), line breaks become
    spaces, and a leading ``#``, ``>``, ``-``, ``+``, ``*``, ``=``, ``|``, ``~`` or
    ``1.`` is escaped (no heading, quote, list, rule or code fence).
    """
    flat = " ".join(str(text).splitlines())
    escaped = _MD_INLINE.sub(r"\\\1", flat)
    return _MD_LINE_START.sub(_escape_start, escaped.lstrip(), count=1)


def _escape_start(m: re.Match[str]) -> str:
    mark = m[2]
    if mark[0].isdigit():  # "1." starts a list: escape the dot ("1\.")
        return f"{m[1]}{mark[:-1]}\\{mark[-1]}"
    return f"{m[1]}\\{mark}"


def _cell(text: Any) -> str:
    """Markdown table cell: user text made inert (:func:`markdown_text`), no pipe."""
    return markdown_text(text).replace("|", "\\|")


@cache
def environment() -> Environment:
    """The Jinja environment of the report templates (autoescape on except for Markdown)."""
    env = Environment(
        loader=PackageLoader("tabletop.report", "templates"),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        score=_score,
        pct=_pct,
        num=_num,
        evidence=_evidence,
        cell=_cell,
        lag=_lag,
        duration=_duration,
        md=markdown_text,
        colour=charts.score_colour,
        time=time_text,
    )
    env.globals.update(
        rating_titles=RATING_TITLES,
        plan_statuses=PLAN_STATUSES,
        feedback_questions=FEEDBACK_QUESTIONS,
        feedback_short=FEEDBACK_SHORT,
        feedback_scale=FEEDBACK_SCALE,
    )
    return env


def _round(obj: Any, digits: int = JSON_DIGITS) -> Any:
    if isinstance(obj, float):
        return round(obj, digits) + 0.0
    if isinstance(obj, dict):
        return {k: _round(v, digits) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_round(v, digits) for v in obj]
    return obj


def to_json(report: Report) -> str:
    """Stable JSON: sorted keys, floats rounded to :data:`JSON_DIGITS`, trailing newline."""
    data = _round(report.model_dump(mode="json"))
    if not data["expression_failures"]:  # present only when an expression failed
        del data["expression_failures"]
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _context(report: Report) -> dict[str, Any]:
    agencies = {a.id: a for a in report.agencies}
    return {
        "r": report,
        "o": report.overview,
        "agency_ids": [a.id for a in report.agencies],
        "agencies": agencies,
        "dim_titles": {d.id: d.title for d in report.dimensions},
    }


def to_markdown(report: Report) -> str:
    """The report as GitHub-flavoured Markdown."""
    return environment().get_template("report.md.j2").render(**_context(report))


def to_html(report: Report) -> str:
    """The report as one self-contained HTML page with inline SVG charts."""
    ctx = _context(report)
    ctx["charts"] = {
        "scores": charts.scores_by_stage(report),
        "hazard": charts.hazard_chart(report),
        "harm": charts.harm_chart(report),
        "network": {
            stage: charts.network_chart(
                layers["all"], report.agencies, f"Cooperation network, {stage}"
            )
            for stage, layers in report.network.stages.items()
        },
        "network_exercise": charts.network_chart(
            report.network.exercise["all"],
            report.agencies,
            "Cooperation network, whole exercise",
            width=620,
        ),
    }
    return environment().get_template("report.html.j2").render(**ctx)


def render(report: Report, fmt: str = "md") -> str:
    """Render ``report`` as ``md``, ``html``, ``json`` or ``csv`` (the decision timeline).

    Raises:
        TabletopError: unknown format, or ``pdf`` (binary: use :func:`render_bytes`).
    """
    if fmt == "md":
        return to_markdown(report)
    if fmt == "html":
        return to_html(report)
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        from tabletop.report.timeline_csv import to_csv

        return to_csv(report)
    if fmt == "pdf":
        raise TabletopError("a PDF report is binary: write it to a file (-o aar.pdf)")
    raise TabletopError(f"unknown report format '{fmt}' (choose {', '.join(FORMATS)})")


def render_bytes(report: Report, fmt: str = "md") -> bytes:
    """The file contents of ``report`` in any of :data:`FORMATS`.

    Text formats are UTF-8; CSV starts with a byte-order mark so that spreadsheets
    read it as UTF-8.

    Raises:
        TabletopError: unknown format, or no WeasyPrint for ``pdf``.
    """
    if fmt == "pdf":
        from tabletop.report.pdf import to_pdf

        return to_pdf(report)
    return render(report, fmt).encode("utf-8-sig" if fmt == "csv" else "utf-8")
