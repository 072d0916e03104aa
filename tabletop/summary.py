"""A short end-of-exercise summary (rich renderables, no Textual)."""

from __future__ import annotations

from collections import Counter

from rich.console import Group
from rich.table import Table
from rich.text import Text

from tabletop.engine.exercise import Exercise
from tabletop.engine.failures import describe_failure, failures_in


def summary_data(ex: Exercise) -> dict[str, object]:
    """Plain figures of the exercise so far (used by the CLI and the TUI)."""
    s = ex.state
    stages: list[str] = []
    flags: Counter[str] = Counter()
    commitments: Counter[str] = Counter()
    agreements = 0
    for rec in ex.records:
        e = rec.event
        if e.kind == "stage_changed":
            stages.append(e.to_stage)
        elif e.kind == "action_taken":
            flags.update(e.flags)
        elif e.kind == "commitment_resolved":
            commitments[e.status] += 1
        elif e.kind == "agreement_activated":
            agreements += 1
            if e.paper:
                flags["paper_cooperation"] += 1
    return {
        "scenario": ex.game.scenario.scenario.title,
        "phase": s.phase,
        "ended": s.ended_reason,
        "round": s.round,
        "stage": s.stage,
        "stages": stages,
        "harm": round(sum(r.harm for r in s.regions.values()), 2),
        "waste": round(sum(r.waste for r in s.regions.values()), 2),
        "mean_trust": round(sum(r.trust for r in s.regions.values()) / len(s.regions), 1),
        "agreements": agreements,
        "commitments": dict(commitments),
        "flags": dict(flags),
        "events": len(ex.records),
        "expression_failures": [describe_failure(e) for e in failures_in(ex.records)],
    }


def summary_renderable(ex: Exercise) -> Group:
    """A rich summary: headline figures and a table of regions."""
    d = summary_data(ex)
    head = Text()
    head.append(f"{d['scenario']}\n", style="bold")
    head.append(f"Stages: {' -> '.join(d['stages'])}\n")  # type: ignore[arg-type]
    status = d["ended"] or f"in progress ({d['stage']}, round {d['round']})"
    head.append(f"Status: {status}; rounds played: {d['round']}; events: {d['events']}\n")
    head.append(
        f"Total harm {d['harm']}, waste {d['waste']}, mean trust {d['mean_trust']}; "
        f"agreements {d['agreements']}, commitments "
        + (", ".join(f"{k} {v}" for k, v in sorted(d["commitments"].items())) or "none")  # type: ignore[attr-defined, union-attr]
        + "\n"
    )
    if d["flags"]:
        head.append(
            "Flags: " + ", ".join(f"{k} x{v}" for k, v in sorted(d["flags"].items())) + "\n"  # type: ignore[attr-defined]
        )  # type: ignore[union-attr]
    failures: list[str] = d["expression_failures"]  # type: ignore[assignment]
    if failures:
        head.append(
            f"Expressions that failed while playing (skipped, play went on): {len(failures)}\n",
            style="yellow",
        )
        for line in failures:
            head.append(f"  {line}\n", style="yellow")
    table = Table(title="Regions at the end", show_lines=False)
    for col in ("region", "hazard", "harm", "waste", "trust"):
        table.add_column(col, justify="left" if col == "region" else "right")
    for rid, r in ex.state.regions.items():
        table.add_row(
            ex.game.scenario.regions[rid].name,
            f"{r.hazard:.2f}",
            f"{r.harm:.1f}",
            f"{r.waste:.1f}",
            f"{r.trust:.0f}",
        )
    return Group(head, table)
