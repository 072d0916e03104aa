"""Inline SVG charts for the HTML report (no scripts, no external resources).

Every function returns :class:`markupsafe.Markup`; every piece of text that
comes from a scenario or a journal is escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from tabletop.report.model import AgencyInfo, Report, RoundPoint
from tabletop.scoring.models import NetworkMetrics

#: Colour-blind-friendly palette (Okabe-Ito, then Tableau extras).
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
)
AXIS_COLOURS = {"horizontal": "#0072B2", "vertical": "#D55E00"}
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
LEVEL_ROWS = ("central", "provincial", "municipal", "county")


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, s: str, *, size: int = 11, anchor: str = "start", **kw: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in kw.items())
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}"{extra}>'
        f"{escape(s)}</text>"
    )


def _svg(width: int, height: int, body: list[str], label: str) -> Markup:
    return Markup(
        f'<svg viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}" '
        f'style="{FONT};max-width:100%;height:auto">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def colour(i: int) -> str:
    """The palette colour of series ``i``."""
    return PALETTE[i % len(PALETTE)]


def score_colour(value: float | None) -> str:
    """Background colour of a score cell: red (0) through yellow (50) to green (100)."""
    if value is None:
        return "#eeeeee"
    v = max(0.0, min(100.0, value)) / 100.0
    hue = 120.0 * v
    return f"hsl({hue:.0f},65%,82%)"


# --------------------------------------------------------------------------- scores


def scores_by_stage(report: Report) -> Markup:
    """Grouped bars: every agency's overall score in every stage, and the stage total."""
    s = report.scores
    stages = s.stages
    agencies = [a.id for a in report.agencies]
    series = ["all", *agencies]
    width = max(560, 90 + len(stages) * (len(series) * 9 + 30))
    height = 300
    left, right, top, bottom = 40, 10, 20, 100
    plot_w = width - left - right
    plot_h = height - top - bottom
    body: list[str] = []
    for tick in range(0, 101, 25):
        y = top + plot_h * (1 - tick / 100)
        body.append(
            f'<line x1="{left}" y1="{_f(y)}" x2="{width - right}" y2="{_f(y)}" stroke="#ddd"/>'
        )
        body.append(_text(left - 4, y + 4, str(tick), size=10, anchor="end"))
    group_w = plot_w / max(1, len(stages))
    bar_w = max(3.0, min(14.0, (group_w - 16) / len(series)))
    for gi, st in enumerate(stages):
        x0 = left + gi * group_w + (group_w - bar_w * len(series)) / 2
        for si, who in enumerate(series):
            if who == "all":
                value = s.stage_totals[st].overall.value
                fill = "#333333"
            else:
                value = s.agencies[who].stages[st].overall.value
                fill = colour(si - 1)
            if value is None:
                continue
            h = plot_h * value / 100
            x = x0 + si * bar_w
            body.append(
                f'<rect x="{_f(x)}" y="{_f(top + plot_h - h)}" width="{_f(bar_w - 1)}" '
                f'height="{_f(h)}" fill="{fill}"><title>{escape(who)} in {escape(st)}: '
                f"{value:.0f}</title></rect>"
            )
        body.append(
            _text(left + gi * group_w + group_w / 2, top + plot_h + 16, st, anchor="middle")
        )
    # Legend.
    lx: float = left
    ly = top + plot_h + 34
    for si, who in enumerate(series):
        fill = "#333333" if who == "all" else colour(si - 1)
        label = "all agencies" if who == "all" else who
        body.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{fill}"/>')
        body.append(_text(lx + 14, ly, label, size=10))
        lx += 24 + 6.5 * len(label)
        if lx > width - 90:
            lx, ly = left, ly + 16
    return _svg(width, height, body, "Overall score by stage and agency")


# --------------------------------------------------------------------------- rounds


def _stage_bands(
    points: Sequence[RoundPoint], x_of: Callable[[int], float], top: float, plot_h: float
) -> list[str]:
    body: list[str] = []
    shades = ("#f5f7fb", "#ffffff")
    i = 0
    start = 0
    for j in range(1, len(points) + 1):
        if j == len(points) or points[j].stage != points[start].stage:
            x1 = x_of(start) - 0.5 * (x_of(1) - x_of(0) if len(points) > 1 else 20)
            x2 = x_of(j - 1) + 0.5 * (x_of(1) - x_of(0) if len(points) > 1 else 20)
            body.append(
                f'<rect x="{_f(x1)}" y="{top}" width="{_f(x2 - x1)}" height="{_f(plot_h)}" '
                f'fill="{shades[i % 2]}"/>'
            )
            body.append(
                _text((x1 + x2) / 2, top - 6, points[start].stage, size=10, anchor="middle")
            )
            i += 1
            start = j
    return body


def line_chart(
    points: Sequence[RoundPoint],
    lines: Sequence[tuple[str, str, str, bool]],
    title: str,
    *,
    width: int = 560,
    height: int = 240,
) -> Markup:
    """Lines over rounds with the stages shaded behind them.

    Args:
        points: The rounds.
        lines: (label, attribute of :class:`RoundPoint`, colour, dashed).
        title: Accessible title.
        width: Width in px.
        height: Height in px.
    """
    left, right, top, bottom = 46, 12, 22, 52
    plot_w = width - left - right
    plot_h = height - top - bottom
    if not points:
        return _svg(width, 40, [_text(10, 24, "No round was resolved.")], title)
    values = [
        float(getattr(p, attr))
        for p in points
        for _, attr, _, _ in lines
        if getattr(p, attr) is not None
    ]
    top_v = max(values, default=1.0) or 1.0
    scale = 10 ** math.floor(math.log10(top_v)) if top_v > 0 else 1.0
    top_v = math.ceil(top_v / scale) * scale
    n = len(points)

    def x_of(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y_of(v: float) -> float:
        return top + plot_h * (1 - v / top_v)

    body = _stage_bands(points, x_of, top, plot_h)
    for k in range(5):
        v = top_v * k / 4
        y = y_of(v)
        body.append(
            f'<line x1="{left}" y1="{_f(y)}" x2="{width - right}" y2="{_f(y)}" stroke="#ddd"/>'
        )
        label = f"{v:.2f}" if top_v < 2 else f"{v:.0f}"
        body.append(_text(left - 4, y + 4, label, size=10, anchor="end"))
    for i, p in enumerate(points):
        body.append(_text(x_of(i), top + plot_h + 14, str(p.round), size=10, anchor="middle"))
    body.append(_text(left + plot_w / 2, top + plot_h + 27, "round", size=10, anchor="middle"))
    lx = left
    for label, attr, col, dashed in lines:
        pts = [
            f"{_f(x_of(i))},{_f(y_of(float(getattr(p, attr))))}"
            for i, p in enumerate(points)
            if getattr(p, attr) is not None
        ]
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        if pts:
            body.append(
                f'<polyline points="{" ".join(pts)}" fill="none" stroke="{col}" '
                f'stroke-width="2"{dash}/>'
            )
            for pt in pts:
                cx, cy = pt.split(",")
                body.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{col}"/>')
        ly = height - 6
        body.append(
            f'<line x1="{_f(lx)}" y1="{ly - 4}" x2="{_f(lx + 18)}" y2="{ly - 4}" stroke="{col}" '
            f'stroke-width="2"{dash}/>'
        )
        body.append(_text(lx + 22, ly, label, size=10))
        lx += 34 + 6 * len(label)
    return _svg(width, height, body, title)


def hazard_chart(report: Report) -> Markup:
    """Mean hazard per round, this exercise against nobody acting."""
    return line_chart(
        report.series,
        [
            ("mean hazard", "mean_hazard", "#D55E00", False),
            ("max hazard", "max_hazard", "#E69F00", False),
            ("mean hazard, nobody acting", "cf_mean_hazard", "#7F7F7F", True),
        ],
        "Hazard over rounds",
    )


def harm_chart(report: Report) -> Markup:
    """Cumulative harm per round, this exercise against nobody acting."""
    return line_chart(
        report.series,
        [
            ("harm", "harm", "#CC79A7", False),
            ("harm, nobody acting", "cf_harm", "#7F7F7F", True),
        ],
        "Cumulative harm over rounds",
    )


# --------------------------------------------------------------------------- network


def _positions(
    agencies: Sequence[AgencyInfo], width: int, height: int
) -> dict[str, tuple[float, float]]:
    """Agencies by level (central on top), each under its superior where there is room."""
    rows: dict[str, list[AgencyInfo]] = {lvl: [] for lvl in LEVEL_ROWS}
    for a in agencies:
        rows.setdefault(a.level, []).append(a)
    used = [lvl for lvl, items in rows.items() if items]
    pos: dict[str, tuple[float, float]] = {}
    margin, gap = 40.0, 64.0
    for r, lvl in enumerate(used):
        items = rows[lvl]
        y = 36 + (height - 66) * (r / (len(used) - 1)) if len(used) > 1 else height / 2
        want: list[tuple[float, str]] = []
        siblings: dict[str, list[str]] = {}
        for a in items:
            if a.superior in pos:
                siblings.setdefault(a.superior, []).append(a.id)
        room = width - 2 * margin
        # Alternate the side of each row so that a chain of command is not one straight line.
        shift = 30.0 if r % 2 else -30.0
        for i, a in enumerate(items):
            if a.superior in pos:
                group = siblings[a.superior]
                k = group.index(a.id)
                step = max(gap, min(140.0, room / len(group)))
                x = pos[a.superior][0] + shift + (k - (len(group) - 1) / 2) * step
            else:
                x = margin + (width - 2 * margin) * (i + 0.5) / len(items)
            want.append((x, a.id))
        want.sort()
        xs = [x for x, _ in want]
        for i in range(1, len(xs)):
            xs[i] = max(xs[i], xs[i - 1] + gap)
        span = xs[-1] - xs[0] if xs else 0.0
        if span > room:
            xs = [margin + (x - xs[0]) * room / span for x in xs]
        elif xs and xs[-1] > width - margin:
            xs = [x - (xs[-1] - (width - margin)) for x in xs]
        for x, (_, aid) in zip(xs, want, strict=True):
            pos[aid] = (max(margin, x), y)
    return pos


def network_chart(
    net: NetworkMetrics, agencies: Sequence[AgencyInfo], title: str, *, width: int = 460
) -> Markup:
    """The network drawn by level (central on top), ties coloured by axis."""
    height = 250
    pos = _positions(agencies, width, height - 20)
    body: list[str] = []
    top_w = max((e.weight for e in net.links), default=1)
    for e in net.links:
        if e.a not in pos or e.b not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e.a], pos[e.b]
        w = 1.0 + 4.0 * math.sqrt(e.weight / top_w)
        # Ties within one row arc above it, so they do not run through the agencies between.
        bend = -0.22 * abs(x2 - x1) if abs(y1 - y2) < 1 else 0.0
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2 + bend
        body.append(
            f'<path d="M{_f(x1)},{_f(y1)} Q{_f(mx)},{_f(my)} {_f(x2)},{_f(y2)}" fill="none" '
            f'stroke="{AXIS_COLOURS.get(e.axis, "#999")}" stroke-opacity="0.75" '
            f'stroke-width="{_f(w)}"><title>{escape(e.a)} - {escape(e.b)}: {e.weight} '
            f"tie{'s' if e.weight != 1 else ''} ({escape(', '.join(e.kinds))})</title></path>"
        )
    for a in agencies:
        if a.id not in pos:
            continue
        x, y = pos[a.id]
        deg = net.degree.get(a.id, 0)
        r = 7 + 2.0 * math.sqrt(deg)
        fill = "#ffffff" if deg == 0 else "#f3f3f3"
        stroke = "#000" if a.id in net.central else "#666"
        body.append(
            f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{2 if a.id in net.central else 1}"><title>{escape(a.name)}: '
            f"{deg} partner{'s' if deg != 1 else ''}</title></circle>"
        )
        body.append(_text(x, y + r + 11, a.id, size=10, anchor="middle"))
    ly = height - 6
    body.append(
        f'<line x1="8" y1="{ly - 4}" x2="26" y2="{ly - 4}" stroke="{AXIS_COLOURS["horizontal"]}" '
        'stroke-width="3"/>'
    )
    body.append(_text(30, ly, "horizontal", size=10))
    body.append(
        f'<line x1="100" y1="{ly - 4}" x2="118" y2="{ly - 4}" '
        f'stroke="{AXIS_COLOURS["vertical"]}" stroke-width="3"/>'
    )
    body.append(_text(122, ly, "vertical", size=10))
    body.append(
        _text(
            width - 6,
            ly,
            f"density {net.density:.2f}, centralization {net.centralization:.2f}",
            size=10,
            anchor="end",
        )
    )
    return _svg(width, height, body, title)
