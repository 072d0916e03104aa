"""The balance page of ``tabletop simulate -o balance.html``: one self-contained HTML file.

Inline CSS and inline SVG charts (drawn with the primitives of
:mod:`tabletop.report.charts`), no script and no external URL, like the
after-action report. It shows what a facilitator checks before a session:
the spread of harm and scores, cooperative against selfish play, how often
every inject fired, how often every objective and critical task was achieved,
how long every stage lasted and how often it relapsed, and the negotiation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from tabletop.report.charts import _f, _svg, _text, colour
from tabletop.report.render import environment

if TYPE_CHECKING:
    from tabletop.simulate import Stat, Summary

#: Bar colours of the P/S/M/U ratings (as the report's rating badges).
RATING_COLOURS = {"P": "#7cc47c", "S": "#f2d45c", "M": "#f4a259", "U": "#e06666"}


def share_bars(rows: Sequence[tuple[str, float]], label: str, *, warn_zero: bool = True) -> Markup:
    """Horizontal bars 0-100%: one per row (``(name, share)``); zero shares drawn in red."""
    left, right, row_h, top = 230, 60, 20, 24
    width = 640
    height = top + row_h * max(1, len(rows)) + 10
    plot_w = width - left - right
    body: list[str] = []
    for tick in (0, 25, 50, 75, 100):
        x = left + plot_w * tick / 100
        body.append(
            f'<line x1="{_f(x)}" y1="{top - 6}" x2="{_f(x)}" y2="{height - 8}" stroke="#ddd"/>'
        )
        body.append(_text(x, top - 10, f"{tick}%", size=10, anchor="middle"))
    for i, (name, share) in enumerate(rows):
        y = top + i * row_h
        shown = name if len(name) <= 34 else name[:33] + "…"
        body.append(_text(left - 6, y + 14, shown, size=11, anchor="end"))
        w = plot_w * max(0.0, min(1.0, share))
        fill = "#D55E00" if warn_zero and share == 0 else colour(0)
        body.append(
            f'<rect x="{left}" y="{y + 3}" width="{_f(max(w, 1.5))}" height="{row_h - 6}" '
            f'fill="{fill}"><title>{escape(name)}: {share:.0%}</title></rect>'
        )
        body.append(_text(left + w + 4, y + 14, f"{share:.0%}", size=10))
    return _svg(width, height, body, label)


def rating_bars(objectives: dict[str, dict[str, Any]], label: str) -> Markup:
    """One stacked bar per objective: the share of runs rated P, S, M and U."""
    left, right, row_h, top = 230, 20, 22, 30
    width = 640
    height = top + row_h * max(1, len(objectives)) + 10
    plot_w = width - left - right
    body: list[str] = []
    lx = left
    for r, fill in RATING_COLOURS.items():
        body.append(f'<rect x="{lx}" y="6" width="10" height="10" fill="{fill}"/>')
        body.append(_text(lx + 14, 15, r, size=10))
        lx += 40
    for i, (oid, o) in enumerate(objectives.items()):
        y = top + i * row_h
        body.append(_text(left - 6, y + 14, oid, size=11, anchor="end"))
        x = float(left)
        for r, fill in RATING_COLOURS.items():
            share = o["ratings"].get(r, 0.0)
            if share <= 0:
                continue
            w = plot_w * share
            body.append(
                f'<rect x="{_f(x)}" y="{y + 3}" width="{_f(w)}" height="{row_h - 6}" '
                f'fill="{fill}"><title>{escape(oid)}: {r} in {share:.0%} of the runs</title></rect>'
            )
            if w > 26:
                body.append(_text(x + w / 2, y + 15, f"{share:.0%}", size=10, anchor="middle"))
            x += w
    return _svg(width, height, body, label)


def spread_chart(series: Sequence[tuple[str, Stat]], label: str) -> Markup:
    """Box plots side by side: whiskers p5-p95, box p25-p75, median line, mean dot."""
    width, height = 420, 260
    left, right, top, bottom = 50, 10, 14, 40
    plot_h = height - top - bottom
    top_value = max((s.max for _, s in series), default=1.0) or 1.0
    top_value *= 1.05
    body: list[str] = []

    def y(v: float) -> float:
        return top + plot_h * (1 - v / top_value)

    for k in range(5):
        v = top_value * k / 4
        body.append(
            f'<line x1="{left}" y1="{_f(y(v))}" x2="{width - right}" y2="{_f(y(v))}" '
            'stroke="#ddd"/>'
        )
        body.append(_text(left - 4, y(v) + 4, f"{v:.0f}", size=10, anchor="end"))
    slot = (width - left - right) / max(1, len(series))
    for i, (name, s) in enumerate(series):
        cx = left + slot * (i + 0.5)
        half = min(40.0, slot / 4)
        fill = colour(i)
        tip = (
            f"{name}: mean {s.mean:.1f}, p5 {s.p5:.1f}, p25 {s.p25:.1f}, median {s.p50:.1f}, "
            f"p75 {s.p75:.1f}, p95 {s.p95:.1f} ({s.n} runs)"
        )
        body.append(
            f"<g><title>{escape(tip)}</title>"
            f'<line x1="{_f(cx)}" y1="{_f(y(s.p95))}" x2="{_f(cx)}" y2="{_f(y(s.p5))}" '
            f'stroke="{fill}"/>'
            f'<rect x="{_f(cx - half)}" y="{_f(y(s.p75))}" width="{_f(2 * half)}" '
            f'height="{_f(max(1.0, y(s.p25) - y(s.p75)))}" fill="{fill}" fill-opacity="0.35" '
            f'stroke="{fill}"/>'
            f'<line x1="{_f(cx - half)}" y1="{_f(y(s.p50))}" x2="{_f(cx + half)}" '
            f'y2="{_f(y(s.p50))}" stroke="{fill}" stroke-width="2"/>'
            f'<circle cx="{_f(cx)}" cy="{_f(y(s.mean))}" r="3" fill="#000"/></g>'
        )
        body.append(_text(cx, height - bottom + 16, name, anchor="middle"))
        body.append(_text(cx, height - bottom + 30, f"mean {s.mean:.1f}", size=10, anchor="middle"))
    return _svg(width, height, body, label)


def grouped_bars(
    groups: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], label: str
) -> Markup:
    """Vertical bars: for every group one bar per series (e.g. agreements per policy)."""
    width = max(420, 60 + len(groups) * (len(series) * 16 + 26))
    height = 240
    left, right, top, bottom = 40, 10, 24, 46
    plot_h = height - top - bottom
    top_value = max((v for _, vals in series for v in vals), default=1.0) or 1.0
    top_value *= 1.1
    body: list[str] = []
    for k in range(5):
        v = top_value * k / 4
        yy = top + plot_h * (1 - k / 4)
        body.append(
            f'<line x1="{left}" y1="{_f(yy)}" x2="{width - right}" y2="{_f(yy)}" stroke="#ddd"/>'
        )
        body.append(_text(left - 4, yy + 4, f"{v:.1f}", size=10, anchor="end"))
    group_w = (width - left - right) / max(1, len(groups))
    bar_w = max(4.0, min(16.0, (group_w - 12) / max(1, len(series))))
    for gi, g in enumerate(groups):
        x0 = left + gi * group_w + (group_w - bar_w * len(series)) / 2
        for si, (name, vals) in enumerate(series):
            v = vals[gi]
            h = plot_h * v / top_value
            body.append(
                f'<rect x="{_f(x0 + si * bar_w)}" y="{_f(top + plot_h - h)}" '
                f'width="{_f(bar_w - 1)}" height="{_f(h)}" fill="{colour(si)}">'
                f"<title>{escape(name)}, {escape(g)}: {v:.2f}</title></rect>"
            )
        body.append(
            _text(left + gi * group_w + group_w / 2, top + plot_h + 14, g, size=10, anchor="middle")
        )
    lx = left
    for si, (name, _) in enumerate(series):
        body.append(f'<rect x="{lx}" y="6" width="10" height="10" fill="{colour(si)}"/>')
        body.append(_text(lx + 14, 15, name, size=10))
        lx += 24 + 6.5 * len(name)  # type: ignore[assignment]
    return _svg(width, height, body, label)


def to_html(summary: Summary) -> str:
    """The balance page of a simulation batch (with its comparison when there is one)."""
    s = summary
    other = s.comparison
    harm_series: list[tuple[str, Stat]] = [(s.policy, s.harm)]
    score_series: list[tuple[str, Stat]] = [(s.policy, s.score)]
    if other is not None:
        harm_series.append((other.policy, other.harm))
        score_series.append((other.policy, other.score))
    harm_series.append(("nobody acting", s.baseline))
    keys = ["proposed", "active", "honoured", "partial", "broken", "countered", "rejected"]
    agreement_series: list[tuple[str, Sequence[float]]] = [
        (s.policy, [s.agreements[k].mean for k in keys])
    ]
    if other is not None and other.summary is not None:
        agreement_series.append((other.policy, [other.summary.agreements[k].mean for k in keys]))
    charts = {
        "harm": spread_chart(harm_series, "Total harm per run"),
        "score": spread_chart(score_series, "Mean agency score per run"),
        "injects": share_bars(list(s.injects.items()), "Share of runs in which each inject fired"),
        "ratings": rating_bars(s.objectives, "Objective ratings over the runs"),
        "tasks": share_bars(
            [
                (f"{oid}.{tid}", t["achieved"])
                for oid, o in s.objectives.items()
                for tid, t in o["tasks"].items()
            ],
            "Share of runs in which each critical task was done on time",
        ),
        "stages": grouped_bars(
            list(s.stages),
            [("mean rounds", [st.mean for st in s.stages.values()])],
            "Mean rounds per stage",
        ),
        "agreements": grouped_bars(keys, agreement_series, "Negotiation per run (mean)"),
    }
    return environment().get_template("balance.html.j2").render(s=s, c=other, charts=charts)
