"""After-Action Report / Improvement Plan of an exercise (Markdown, HTML, JSON).

The TUI debrief and the ``tabletop report`` command both use::

    from tabletop.report import build_report, render
    report = build_report(game, records)      # a pydantic model (tabletop.report.model.Report)
    text = render(report, "md")               # or "html", "json"

Headless: nothing here imports Textual.
"""

from __future__ import annotations

from tabletop.report.build import build_report, report_from
from tabletop.report.model import SCHEMA_VERSION, Report
from tabletop.report.render import FORMATS, render, to_html, to_json, to_markdown

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "Report",
    "build_report",
    "render",
    "report_from",
    "to_html",
    "to_json",
    "to_markdown",
]
