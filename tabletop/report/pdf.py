"""The AAR/IP as a PDF in the HSEEP layout (``tabletop report -o aar.pdf``).

Cover page, exercise overview, analysis of core capabilities (objectives with
their P/S/M/U ratings, strengths and areas for improvement), scores, then the
improvement plan as Appendix A (landscape), participants and the participant
feedback summary. The page is HTML (``templates/report.pdf.html.j2``, with the
report's inline SVG charts) laid out by WeasyPrint, an optional dependency:
``pip install 'tabletop[pdf]'``; it needs the Pango libraries of the system.
"""

from __future__ import annotations

from typing import Any

from tabletop.errors import TabletopError
from tabletop.report import charts
from tabletop.report.model import Report

#: Why there is no PDF when WeasyPrint cannot be used.
MISSING = (
    "PDF export needs WeasyPrint: pip install 'tabletop[pdf]' "
    "(and the Pango libraries: apt-get install libpango-1.0-0 libpangoft2-1.0-0); {why}"
)


def to_pdf_html(report: Report) -> str:
    """The HTML page WeasyPrint lays out (print CSS, paged, no script)."""
    from tabletop.report.render import _context, environment

    ctx: dict[str, Any] = _context(report)
    ctx["charts"] = {"hazard": charts.hazard_chart(report), "harm": charts.harm_chart(report)}
    return environment().get_template("report.pdf.html.j2").render(**ctx)


def available() -> str | None:
    """None when PDFs can be written here, else why not (for menus and messages)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint found no Pango
        return MISSING.format(why=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return None


def to_pdf(report: Report) -> bytes:
    """The report as PDF bytes.

    Raises:
        TabletopError: WeasyPrint or the system's Pango libraries are missing.
    """
    why = available()
    if why is not None:
        raise TabletopError(why)
    import logging

    from weasyprint import HTML

    # WeasyPrint logs every CSS property it ignores; the report's CSS is its own.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=to_pdf_html(report)).write_pdf()
