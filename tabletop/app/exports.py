"""Exporting the After-Action Report: where its files go, written atomically.

The debrief screen and the command line write the report through here: one
format that cannot be written (no WeasyPrint for the PDF, a folder in the way)
does not keep the others from being written, and no file is ever half-written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tabletop.app.session import Session
from tabletop.errors import TabletopError
from tabletop.report import FORMATS, Report, render_bytes


def report_paths(session: Session) -> dict[str, Path]:
    """Where the exported report goes: ``<journal stem>.report.<md|html|json|pdf>`` next to it.

    The CSV decision timeline is ``<journal stem>.timeline.csv``.

    An exercise without a journal (in memory) writes ``<scenario id>.report.*`` in the
    current directory.
    """
    journal = session.journal_path
    if not isinstance(journal, Path):  # in memory, or a journal in a database
        base = Path.cwd() / session.game.scenario.scenario.id
    else:
        base = journal.resolve().with_suffix("")
    return {
        fmt: base.with_name(
            f"{base.name}.timeline.csv" if fmt == "csv" else f"{base.name}.report.{fmt}"
        )
        for fmt in FORMATS
    }


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file (no half-written report).

    Raises:
        TabletopError: the file cannot be written (the message names it).
    """
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file (no half-written report).

    Raises:
        TabletopError: the file cannot be written (the message names it).
    """
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise TabletopError(f"cannot write {path}: {exc.strerror or exc}") from exc


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export wrote, and why the rest was not written."""

    written: list[Path]
    errors: list[str]


def export_report(report: Report, targets: list[tuple[str, Path]]) -> Exported:
    """Render ``report`` in each (format, path) of ``targets`` and write it there."""
    written: list[Path] = []
    errors: list[str] = []
    for fmt, path in targets:
        try:
            write_bytes_atomic(path, render_bytes(report, fmt))
        except TabletopError as exc:
            errors.append(str(exc))
        else:
            written.append(path)
    return Exported(written, errors)
