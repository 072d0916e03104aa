"""The regions panel: what the agency at the keyboard may see of every region.

Values the agency may not see (``None`` in the view) are shown as "?".
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from tabletop.engine.view import AgencyView
from tabletop.tui.text import bar, num

WARNING_STYLE = {"blue": "blue", "yellow": "yellow", "orange": "dark_orange", "red": "red"}


#: Width of the region-name column; the five value columns take 10 cells each.
NAME_WIDTH = 17
CELL = 10


def _cell(value: float | None, maximum: float, style: str, digits: int = 1) -> Text:
    """A bar and its number in ``CELL`` cells; a lone "?" when the viewer may not know it."""
    if value is None:
        return Text(f"{'?':^4}".ljust(CELL), style="dim")
    return Text(bar(value, maximum, 4), style=style) + Text(f" {num(value, digits):>5}")


def _name(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class RegionsPanel(Static):
    """A table of regions (hazard, need, delivered, harm, trust as bars) and own assets.

    Rows are laid out as fixed-width text (a Rich table costs several times more
    to render, and this panel is redrawn at every decision).
    """

    plain: str = ""
    """Plain text of the agency line shown (empty when cleared)."""

    def clear(self) -> None:
        """Show nothing."""
        self.plain = ""
        self.update("")

    def show(self, view: AgencyView) -> None:
        """Render the private view of one agency."""
        lines = [
            Text(
                f"{'Region':<{NAME_WIDTH}} "
                + " ".join(
                    f"{h:<{CELL}}" for h in ("Hazard", "Need", "Delivered", "Harm", "Trust")
                ),
                style="bold",
            )
        ]
        needs = [r.need for r in view.regions if r.need is not None]
        need_scale = max([1.0, *needs])
        harms = [r.harm for r in view.regions if r.harm is not None]
        harm_scale = max([10.0, *harms])
        for r in view.regions:
            row = Text(no_wrap=True, overflow="ellipsis")
            if r.warning:
                row.append(
                    r.warning[0].upper(), style=f"bold reverse {WARNING_STYLE.get(r.warning, '')}"
                )
            else:
                row.append(" ")
            row.append(
                ("*" if r.own else " ") + _name(r.name, NAME_WIDTH - 2).ljust(NAME_WIDTH - 2) + " ",
                style="bold" if r.own else "",
            )
            scale = r.need if r.need is not None and r.need > 0 else 1e-9
            cells = (
                _cell(r.hazard, 1.0, "red", 2),
                _cell(r.need, need_scale, "yellow"),
                _cell(r.delivered, scale, "green"),
                _cell(r.harm, harm_scale, "magenta"),
                _cell(r.trust, 100.0, "cyan", 0),
            )
            for i, cell in enumerate(cells):
                row.append_text(cell)
                if i < len(cells) - 1:
                    row.append(" ")
            lines.append(row)
        res = ", ".join(f"{k} {v:g}" for k, v in view.resources.items() if v) or "none"
        own = Text.assemble(
            ("You: ", "bold"),
            f"{view.name} ({view.level} {view.department})  ",
            ("budget ", "bold"),
            f"{view.budget:g}  ",
            ("reputation ", "bold"),
            f"{view.reputation:.0f}  ",
            ("resources ", "bold"),
            res,
        )
        legend = Text(
            "* your region   ? not known to you (monitor, or ask for information)   "
            "B/Y/O/R warning issued",
            "dim",
        )
        self.plain = own.plain
        self.update(Group(*lines, own, legend))
