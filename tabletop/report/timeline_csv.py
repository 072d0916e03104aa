"""The decision timeline of a report as CSV (``tabletop report -f csv``).

One row per timeline entry, in journal order, with the stage visit it belongs
to. Written with the standard :mod:`csv` module (RFC 4180 quoting, CRLF line
ends). A cell that a spreadsheet would read as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe, so
that a facilitator's note cannot run as one when the file is opened.
"""

from __future__ import annotations

import csv
import io

from tabletop.report.model import Report

#: Column names, in order (documented in docs/report.md).
COLUMNS: tuple[str, ...] = (
    "seq",
    "at",
    "round",
    "stage",
    "stage_title",
    "wave",
    "stage_round",
    "agency",
    "category",
    "text",
    "flags",
    "undone",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def to_csv(report: Report) -> str:
    """The timeline as CSV text with a header row (flags joined by ``;``)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for st in report.timeline:
        for e in st.entries:
            row = (
                e.seq,
                e.at,
                e.round,
                st.stage,
                st.title,
                st.wave + 1,
                e.stage_round,
                e.agency or "",
                e.category,
                e.text,
                ";".join(e.flags),
                "yes" if e.undone else "",
            )
            writer.writerow([_safe(v) for v in row])
    return out.getvalue()
