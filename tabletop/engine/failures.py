"""Run-time expression failures: journaled, never fatal.

Every expression is type-checked when the scenario loads, but some problems
only show with the values of a running exercise (a result too large for a
float, ``clamp`` bounds that cross, zero raised to a negative power). The
engine catches them where conditions and effects are evaluated and records an
:class:`~tabletop.model.events.ExpressionFailed` event: the effect is skipped,
the condition counts as false, and play goes on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Literal

from tabletop.errors import ExpressionError
from tabletop.expr import Effect, Expr
from tabletop.model import events as ev
from tabletop.model.events import Record
from tabletop.model.state import ExerciseState

Source = Literal["inject", "action", "stage"]
Part = Literal["when", "effect", "advance_if", "regress_if"]


def failure(
    state: ExerciseState,
    source: Source,
    ref: str,
    part: Part,
    item: Expr | Effect,
    error: ExpressionError,
    *,
    agency: str | None = None,
) -> ev.ExpressionFailed:
    """The event recording that ``item`` (of inject/action/stage ``ref``) failed with ``error``.

    The location is that of the failing character when the loader recorded where
    the expression was written (``item.origin``), else the position is 0:0.
    """
    offset = max(0, error.offset)
    file, line, col, key = "", 0, 0, ""
    if item.origin is not None:
        # A failure to locate must not end the exercise either.
        with contextlib.suppress(Exception):
            file, line, col, key = item.origin.locate(offset)
    return ev.ExpressionFailed(
        source=source,
        ref=ref,
        agency=agency,
        part=part,
        text=item.text,
        file=file,
        line=line,
        col=col,
        key=key,
        message=str(error),
        round=state.round,
        stage=state.stage,
    )


def describe_failure(e: ev.ExpressionFailed, *, when: bool = True, done: bool = True) -> str:
    """One line for people: where, the message, what failed, and what the engine did instead.

    Args:
        e: The failure.
        when: Name the round it happened in.
        done: Say what the engine did instead (skipped the effect, took the condition
            as false).
    """
    where = f"{e.file}:{e.line}:{e.col}: " if e.file else ""
    key = f"{e.key}: " if e.key else ""
    if e.source == "inject":
        what = f"inject '{e.ref}'"
    elif e.source == "action":
        what = f"action '{e.ref}' of {e.agency}" if e.agency else f"action '{e.ref}'"
    else:
        what = f"stage '{e.ref}'"
    if when:
        what += f", round {e.round}"
    if done:
        what += ": effect skipped" if e.part == "effect" else ": condition taken as false"
    return f"{where}{key}{e.message} ({what})"


def failures_in(records: Iterable[Record]) -> list[ev.ExpressionFailed]:
    """The ``expression_failed`` events among ``records``, in journal order."""
    return [r.event for r in records if r.event.kind == "expression_failed"]
