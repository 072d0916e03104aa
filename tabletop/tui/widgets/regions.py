"""The regions panel: what the agency at the keyboard may see of every region.

Values the agency may not see (``None`` in the view) are shown as "?".
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from tabletop.engine.view import AgencyView
from tabletop.tui.text import bar, fmt_amount, num

WARNING_STYLE = {"blue": "blue", "yellow": "yellow", "orange": "dark_orange", "red": "red"}


#: Width of the region-name column; the five value columns take 10 cells each.
NAME_WIDTH = 17
CELL = 10
#: Value columns without their bars (narrow terminals).
COMPACT_CELL = 6
LEGEND = (
    "* your region   ? not known to you (monitor, or ask for information)   B/Y/O/R warning issued"
)
COMPACT_LEGEND = "* yours  ? unknown (monitor)  B/Y/O/R warning"
OLD_LEGEND = "Rn ~x: the hazard as learnt in round n, not current (monitor again)"
HEADERS = ("Hazard", "Need", "Delivered", "Harm", "Trust")
COMPACT_HEADERS = ("Hazard", "Need", "Deliv.", "Harm", "Trust")


def _cell(
    value: float | None, maximum: float, style: str, digits: int = 1, compact: bool = False
) -> Text:
    """A bar and its number in ``CELL`` cells; a lone "?" when the viewer may not know it."""
    width = COMPACT_CELL if compact else CELL
    if value is None:
        return Text(f"{'?':^4}".ljust(width), style="dim")
    if compact:
        return Text(f"{num(value, digits):>5} ", style=style)
    return Text(bar(value, maximum, 4), style=style) + Text(f" {num(value, digits):>5}")


def _old_cell(value: float, learnt: int, compact: bool) -> Text:
    """A hazard figure learnt in an earlier round: its round, no bar, dim (not current)."""
    width = COMPACT_CELL if compact else CELL
    text = f"R{learnt}~{num(value, 2)}" if compact else f"R{learnt} ~{num(value, 2):>5}"
    return Text(text[:width].ljust(width), style="dim italic")


def _name(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class RegionsPanel(Static):
    """A table of regions (hazard, need, delivered, harm, trust as bars) and own assets.

    Rows are laid out as fixed-width text (a Rich table costs several times more
    to render, and this panel is redrawn at every decision). When the panel is
    narrower than the full table (80-column terminals) the bars are left out.
    """

    plain: str = ""
    """Plain text of the agency line shown (empty when cleared)."""

    _view: AgencyView | None = None
    _compact: bool = False
    _titles: dict[str, str] = {}  # noqa: RUF012 - replaced, never mutated

    def clear(self) -> None:
        """Show nothing."""
        self.plain = ""
        self._view = None
        self.update("")

    def on_resize(self) -> None:
        if self._view is not None and self._fits_compact() != self._compact:
            self.show(self._view)

    def _fits_compact(self) -> bool:
        width = self.content_size.width or self.app.size.width
        return width < NAME_WIDTH + len(HEADERS) * (CELL + 1)  # the full table's 72 cells

    def show(self, view: AgencyView, resource_titles: dict[str, str] | None = None) -> None:
        """Render the private view of one agency (resources named by ``resource_titles``)."""
        if resource_titles is not None:
            self._titles = resource_titles
        titles = self._titles
        self._view = view
        compact = self._compact = self._fits_compact()
        width = COMPACT_CELL if compact else CELL
        headers = COMPACT_HEADERS if compact else HEADERS
        room = (self.content_size.width or self.app.size.width) - len(headers) * (width + 1) - 1
        name_width = max(8, min(NAME_WIDTH, room)) if compact else NAME_WIDTH
        lines = [
            Text(
                f"{'Region':<{name_width}} " + " ".join(f"{h:<{width}}" for h in headers),
                style="bold",
                no_wrap=True,
                overflow="ellipsis",
            )
        ]
        needs = [r.need for r in view.regions if r.need is not None]
        need_scale = max([1.0, *needs])
        harms = [r.harm for r in view.regions if r.harm is not None]
        harm_scale = max([10.0, *harms])
        old = False
        for r in view.regions:
            row = Text(no_wrap=True, overflow="ellipsis")
            if r.warning:
                row.append(
                    r.warning[0].upper(), style=f"bold reverse {WARNING_STYLE.get(r.warning, '')}"
                )
            else:
                row.append(" ")
            row.append(
                ("*" if r.own else " ") + _name(r.name, name_width - 2).ljust(name_width - 2) + " ",
                style="bold" if r.own else "",
            )
            scale = r.need if r.need is not None and r.need > 0 else 1e-9
            if r.hazard is not None and r.learnt is not None:
                old = True
                hazard = _old_cell(r.hazard, r.learnt, compact)
            else:
                hazard = _cell(r.hazard, 1.0, "red", 2, compact)
            cells = (
                hazard,
                _cell(r.need, need_scale, "yellow", 1, compact),
                _cell(r.delivered, scale, "green", 1, compact),
                _cell(r.harm, harm_scale, "magenta", 1, compact),
                _cell(r.trust, 100.0, "cyan", 0, compact),
            )
            for i, cell in enumerate(cells):
                row.append_text(cell)
                if i < len(cells) - 1:
                    row.append(" ")
            lines.append(row)
        res = (
            ", ".join(f"{titles.get(k, k)} {fmt_amount(v)}" for k, v in view.resources.items() if v)
            or "none"
        )
        own = Text.assemble(
            ("You: ", "bold"),
            f"{view.name} ({view.level} {view.department})  ",
            ("budget ", "bold"),
            f"{fmt_amount(view.budget)}  ",
            ("reputation ", "bold"),
            f"{view.reputation:.0f}  ",
            ("resources ", "bold"),
            res,
        )
        legend = Text(COMPACT_LEGEND if compact else LEGEND, "dim")
        parts = [*lines, own, legend]
        if old:
            parts.append(Text(OLD_LEGEND, "dim italic"))
        self.plain = own.plain
        self.update(Group(*parts))
