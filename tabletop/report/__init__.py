"""After-Action Report / Improvement Plan of an exercise (Markdown, HTML, JSON, CSV, PDF).

The TUI debrief and the ``tabletop report`` command both use::

    from tabletop.report import build_report, render
    report = build_report(game, records)      # a pydantic model (tabletop.report.model.Report)
    text = render(report, "md")               # or "html", "json", "csv" (timeline)
    data = render_bytes(report, "pdf")        # any format as file bytes (PDF: HSEEP layout)

Headless: nothing here imports Textual.
"""

from __future__ import annotations

from tabletop.report.build import build_report, report_from
from tabletop.report.model import SCHEMA_VERSION, Report
from tabletop.report.render import (
    FORMATS,
    TEXT_FORMATS,
    render,
    render_bytes,
    to_html,
    to_json,
    to_markdown,
)

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "TEXT_FORMATS",
    "Report",
    "build_report",
    "render",
    "render_bytes",
    "report_from",
    "to_html",
    "to_json",
    "to_markdown",
]
