"""``tabletop report JOURNAL``: the After-Action Report / Improvement Plan of an exercise."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from tabletop.cli import COMMANDS
from tabletop.errors import TabletopError
from tabletop.model.evaluation import FEEDBACK_QUESTIONS, PLAN_FIELDS
from tabletop.report.render import FORMATS

if TYPE_CHECKING:
    from tabletop.engine.game import Game
    from tabletop.model.events import Record

_SUFFIXES = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
    ".pdf": "pdf",
}
#: Status words ``--plan`` accepts besides the ids.
_STATUS_WORDS = {"in progress": "in_progress", "in-progress": "in_progress", "done": "complete"}


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "report",
        help=COMMANDS["report"],
        description=(
            "Score a journal and write its After-Action Report / Improvement Plan. "
            "See docs/report.md for the scores, the improvement plan and the formats, and "
            "docs/report-json.md for the JSON."
        ),
    )
    p.add_argument("journal", help="journal file")
    p.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        help="output format: md, html, json, pdf (HSEEP layout; needs tabletop[pdf]) or csv "
        "(the decision timeline); default: from the -o suffix, else md",
    )
    p.add_argument("-o", "--output", help="write to FILE instead of standard output")
    p.add_argument("--scenario", help="scenario file, when it is not where the journal says")
    p.add_argument(
        "--confirm",
        action="append",
        default=[],
        metavar="OBJECTIVE=RATING[:NOTE]",
        help="evaluator: record a P/S/M/U rating for an objective in the journal (repeatable)",
    )
    p.add_argument(
        "--plan",
        action="append",
        default=[],
        metavar="ID:KEY=VALUE;...",
        help="improvement plan: set an action's owner, poc, start, due (YYYY-MM-DD) or status "
        "(open, in_progress, complete); ID is the plan row's id or its number; "
        "after the exercise ended (repeatable)",
    )
    p.add_argument(
        "--feedback",
        action="append",
        default=[],
        metavar="AGENCY:KEY=VALUE;...",
        help="hot wash: record an agency's participant feedback (author, strengths, "
        "improvements, comments, and 1-5 ratings: "
        + ", ".join(FEEDBACK_QUESTIONS)
        + "); after the exercise ended (repeatable)",
    )
    return p


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.output:
        return _SUFFIXES.get(Path(args.output).suffix.lower(), "md")
    return "md"


def _confirm(path: str, game: Game, records: list[Record], specs: list[str]) -> list[Record]:
    """Append the evaluator's ratings to the journal; return the updated records.

    Raises:
        TabletopError: a malformed ``--confirm`` or an unknown objective (nothing is written).
    """
    from tabletop.model import commands as cm

    commands: list[cm.ConfirmRating] = []
    for spec in specs:
        objective, sep, rest = spec.partition("=")
        rating, _, note = rest.partition(":")
        rating = rating.strip().upper()
        if not sep or rating not in ("P", "S", "M", "U"):
            raise TabletopError(f"--confirm '{spec}': write OBJECTIVE=P|S|M|U[:NOTE]")
        known = [o.id for o in game.scenario.objectives]
        if objective.strip() not in known:
            from tabletop.errors import did_you_mean

            raise TabletopError(
                f"--confirm '{spec}': unknown objective '{objective.strip()}'"
                f"{did_you_mean(objective.strip(), known)}"
            )
        commands.append(
            cm.ConfirmRating(objective=objective.strip(), rating=rating, note=note.strip())  # type: ignore[arg-type]
        )
    return _append(path, game, records, commands)


def _append(path: str, game: Game, records: list[Record], commands: Sequence[Any]) -> list[Record]:
    """Journal ``commands`` after checking every one (nothing is written when one is refused).

    Raises:
        TabletopError: a command the engine refuses (its message).
    """
    from tabletop.app.journals import append_commands

    return append_commands(path, game, records, commands)


def _pairs(option: str, spec: str, head: str) -> tuple[str, dict[str, str]]:
    """``HEAD:key=value;key=value`` -> (head, {key: value}).

    Raises:
        TabletopError: no ``:``, an empty head, or a part without ``=``.
    """
    name, sep, rest = spec.partition(":")
    if not sep or not name.strip():
        raise TabletopError(f"{option} '{spec}': write {head}:KEY=VALUE;KEY=VALUE")
    values: dict[str, str] = {}
    for part in rest.split(";"):
        if not part.strip():
            continue
        key, eq, value = part.partition("=")
        if not eq:
            raise TabletopError(f"{option} '{spec}': '{part.strip()}' is not KEY=VALUE")
        values[key.strip().lower()] = value.strip()
    return name.strip(), values


def _unknown_key(option: str, spec: str, key: str, known: Sequence[str]) -> TabletopError:
    from tabletop.errors import did_you_mean

    return TabletopError(
        f"{option} '{spec}': unknown key '{key}'{did_you_mean(key, list(known))} "
        f"(keys: {', '.join(known)})"
    )


def plan_commands(game: Game, records: list[Record], specs: list[str]) -> list[Any]:
    """``--plan`` specs as ``UpdatePlanAction`` commands (rows found by id or number).

    Raises:
        TabletopError: a malformed spec, an unknown row or key, or a due date before the
            start date once merged with the row's current dates.
    """
    from tabletop.errors import did_you_mean
    from tabletop.model import commands as cm
    from tabletop.report import build_report

    if not specs:
        return []
    plan = build_report(game, records).plan
    rows = {p.id: p for p in plan}
    out: list[cm.UpdatePlanAction] = []
    for spec in specs:
        ref, values = _pairs("--plan", spec, "ID")
        if ref.isdigit():
            if not 1 <= int(ref) <= len(plan):
                raise TabletopError(
                    f"--plan '{spec}': the plan has rows 1 to {len(plan)}, not {ref}"
                )
            row = plan[int(ref) - 1]
        elif ref in rows:
            row = rows[ref]
        else:
            raise TabletopError(
                f"--plan '{spec}': no improvement-plan action '{ref}'{did_you_mean(ref, list(rows))}"
            )
        for key in values:
            if key not in PLAN_FIELDS:
                raise _unknown_key("--plan", spec, key, list(PLAN_FIELDS))
        if "status" in values:
            word = values["status"].lower()
            values["status"] = _STATUS_WORDS.get(word, word.replace(" ", "_"))
        start = values.get("start", row.start)
        due = values.get("due", row.due)
        if start and due and due < start:
            raise TabletopError(f"--plan '{spec}': the due date {due} is before the start {start}")
        try:
            out.append(cm.UpdatePlanAction(action=row.id, **values))  # type: ignore[arg-type]
        except ValidationError as exc:
            raise TabletopError(f"--plan '{spec}': {_validation(exc)}") from None
    return out


def feedback_commands(game: Game, specs: list[str]) -> list[Any]:
    """``--feedback`` specs as ``SubmitFeedback`` commands.

    Raises:
        TabletopError: a malformed spec, an unknown key or a rating that is not 1-5.
    """
    from tabletop.model import commands as cm

    texts = ("author", "strengths", "improvements", "comments")
    out: list[cm.SubmitFeedback] = []
    for spec in specs:
        agency, values = _pairs("--feedback", spec, "AGENCY")
        fields: dict[str, Any] = {}
        ratings: dict[str, int] = {}
        for key, value in values.items():
            if key in texts:
                fields[key] = value
            elif key in FEEDBACK_QUESTIONS:
                if value not in ("1", "2", "3", "4", "5"):
                    raise TabletopError(f"--feedback '{spec}': {key} must be 1 to 5, not '{value}'")
                ratings[key] = int(value)
            else:
                raise _unknown_key("--feedback", spec, key, [*texts, *FEEDBACK_QUESTIONS])
        try:
            out.append(cm.SubmitFeedback(agency=agency, ratings=ratings, **fields))
        except ValidationError as exc:
            raise TabletopError(f"--feedback '{spec}': {_validation(exc)}") from None
    return out


def _validation(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
        for e in exc.errors()
    )


def run(args: argparse.Namespace) -> int:
    """Build the report and print or write it."""
    from tabletop.app.journals import open_journal
    from tabletop.cli import console, err_console
    from tabletop.report import build_report, render, render_bytes

    fmt = _format(args)
    if fmt == "pdf" and not args.output:
        raise TabletopError("a PDF report is binary: write it to a file with -o aar.pdf")
    if fmt == "pdf":
        from tabletop.report.pdf import available

        if (why := available()) is not None:
            raise TabletopError(why)
    opened = open_journal(args.journal, args.scenario)
    game, records, integrity = opened.game, opened.records, opened.integrity
    if integrity is not None and not integrity.ok:
        err_console.print(
            f"warning: {integrity.describe()}; this report shows the journal as it is now",
            style="bold red",
            markup=False,
            soft_wrap=True,
        )
    elif integrity is not None and not integrity.chained:
        err_console.print(f"note: {integrity.describe()}", markup=False, soft_wrap=True)
    if args.confirm:
        records = _confirm(args.journal, game, records, args.confirm)
    extra = [*feedback_commands(game, args.feedback), *plan_commands(game, records, args.plan)]
    if extra:
        records = _append(args.journal, game, records, extra)
    report = build_report(game, records)
    if args.output:
        out = Path(args.output)
        data = render_bytes(report, fmt)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        except OSError as exc:
            raise TabletopError(f"cannot write {out}: {exc}") from exc
        console.print(f"wrote {out} ({fmt})", markup=False)
    else:
        sys.stdout.write(render(report, fmt))
        sys.stdout.flush()
    return 0
