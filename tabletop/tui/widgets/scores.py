"""A light score table: one row per agency, one column per stage, a cell cursor.

Drawn as fixed-width text in about a millisecond (a ``DataTable`` builds a
cache of styled cells and costs several times more to mount). The cursor moves
over cells with the arrows; the screen shows the explanations of the cell under
it (:class:`ScoreTable.Highlighted`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.widget import Widget

#: Agency id of the row of all agencies together.
ALL = ""


def score_style(value: float | None) -> str:
    """Colour of a score: red below 40, yellow below 70, else green; dim when n/a."""
    if value is None:
        return "dim"
    if value < 40:
        return "bold red"
    if value < 70:
        return "yellow"
    return "green"


def score_text(value: float | None) -> str:
    """A score as the report prints it: a whole number, or ``n/a``."""
    return "n/a" if value is None else f"{value:.0f}"


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One row of the table.

    Attributes:
        id: Agency id (:data:`ALL` for all agencies together).
        label: What the first column shows.
        cells: One score per column (None: nothing to judge, or the stage was not played).
    """

    id: str
    label: str
    cells: tuple[float | None, ...]


class ScoreTable(Widget, can_focus=True):
    """Scores with a cell cursor: arrows move it, :class:`Highlighted` reports the cell."""

    BINDINGS = [
        Binding("up", "move(0, -1)", "Up", show=False),
        Binding("down", "move(0, 1)", "Down", show=False),
        Binding("left", "move(-1, 0)", "Left", show=False),
        Binding("right", "move(1, 0)", "Right", show=False),
        Binding("home", "move(0, -1000)", show=False),
        Binding("end", "move(0, 1000)", show=False),
    ]

    DEFAULT_CSS = """
    ScoreTable {
        height: auto;
        padding: 0 1;
    }
    """

    class Highlighted(Message):
        """The cursor is on another cell (also sent when the data changed)."""

        def __init__(self, table: ScoreTable, row: str, column: str) -> None:
            super().__init__()
            self.table = table
            self.row = row
            self.column = column

        @property
        def control(self) -> ScoreTable:
            """The table (for ``@on(ScoreTable.Highlighted, "#id")``)."""
            return self.table

    def __init__(
        self,
        *,
        empty: str = "",
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns: list[tuple[str, str]] = []
        self.rows: list[ScoreRow] = []
        self.empty = empty
        self.row_index = 0
        self.column_index = 0

    # ------------------------------------------------------------------ data down

    def set_data(self, columns: Sequence[tuple[str, str]], rows: Sequence[ScoreRow]) -> None:
        """Replace the table; the cursor stays on the same agency and column when they remain.

        Args:
            columns: (id, title) of each score column.
            rows: The rows, each with one cell per column.
        """
        row_id, column_id = self.row_id, self.column_id
        resized = len(rows) != len(self.rows)
        self.columns = list(columns)
        self.rows = list(rows)
        row_ids = [r.id for r in self.rows]
        column_ids = [c for c, _ in self.columns]
        self.row_index = row_ids.index(row_id) if row_id in row_ids else 0
        self.column_index = column_ids.index(column_id) if column_id in column_ids else 0
        self.refresh(layout=resized)
        self._announce()

    @property
    def row_id(self) -> str | None:
        """Agency id of the cursor's row (None when the table is empty)."""
        return self.rows[self.row_index].id if 0 <= self.row_index < len(self.rows) else None

    @property
    def column_id(self) -> str | None:
        """Id of the cursor's column (None when there is none)."""
        if 0 <= self.column_index < len(self.columns):
            return self.columns[self.column_index][0]
        return None

    def move_to(self, row: str, column: str | None = None) -> None:
        """Put the cursor on agency ``row`` (and ``column`` when given)."""
        for i, r in enumerate(self.rows):
            if r.id == row:
                self.row_index = i
        for i, (c, _) in enumerate(self.columns):
            if c == column:
                self.column_index = i
        self.refresh()
        self._announce()

    # ------------------------------------------------------------------ rendering

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """A header line and one line per row."""
        return 1 + max(1, len(self.rows))

    def _widths(self, width: int) -> tuple[int, list[int]]:
        """Width of the label column and of each score column, fitted to ``width``."""
        label = max([len(r.label) for r in self.rows] + [6]) + 1
        cols = [max(5, min(len(t), 12)) + 2 for _, t in self.columns]
        while label + sum(cols) > width and max(cols, default=0) > 6:
            i = cols.index(max(cols))
            cols[i] -= 1
        label = max(6, min(label, width - sum(cols)))
        return label, cols

    def render(self) -> Content:
        """The header and the rows; the cursor cell reversed (underlined when not focused)."""
        width = max(1, self.content_size.width)
        if not self.rows:
            return Content.from_rich_text(Text(self.empty, style="italic dim"))
        label_w, widths = self._widths(width)
        out = Text(no_wrap=True, overflow="ellipsis")
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(" " * label_w)
        for i, ((_, title), w) in enumerate(zip(self.columns, widths, strict=True)):
            t = title if len(title) <= w - 1 else title[: w - 2] + "…"
            style = "bold underline" if i == self.column_index else "bold"
            head.append(" " * (w - len(t) - 1))
            head.append(t, style=style)
            head.append(" ")
        out.append_text(head)
        focused = self.has_focus
        for r, row in enumerate(self.rows):
            line = Text(no_wrap=True, overflow="ellipsis")
            name = row.label if len(row.label) < label_w else row.label[: label_w - 2] + "…"
            current_row = r == self.row_index
            line.append(name.ljust(label_w), style="bold" if current_row or row.id == ALL else "")
            for c, w in enumerate(widths):
                value = row.cells[c] if c < len(row.cells) else None
                text = score_text(value)
                style = score_style(value)
                if current_row and c == self.column_index:
                    cursor = "reverse" if focused else "underline"
                    line.append(" " * max(0, w - len(text) - 2))
                    line.append(f" {text} ", style=f"{style} {cursor}")
                else:
                    line.append(" " * max(0, w - len(text) - 1))
                    line.append(text, style=style)
                    line.append(" ")
            out.append("\n")
            out.append_text(line)
        return Content.from_rich_text(out)

    # ------------------------------------------------------------------ input

    def action_move(self, dx: int, dy: int) -> None:
        """Move the cursor by ``dx`` columns and ``dy`` rows."""
        if not self.rows or not self.columns:
            return
        row = max(0, min(len(self.rows) - 1, self.row_index + dy))
        col = max(0, min(len(self.columns) - 1, self.column_index + dx))
        if (row, col) != (self.row_index, self.column_index):
            self.row_index, self.column_index = row, col
            self.refresh()
            self._keep_visible()
            self._announce()

    def _announce(self) -> None:
        if self.row_id is not None and self.column_id is not None:
            self.post_message(self.Highlighted(self, self.row_id, self.column_id))

    def _keep_visible(self) -> None:
        """Scroll the container so the cursor's row is on screen (long agency lists)."""
        parent = self.parent
        if isinstance(parent, ScrollableContainer):
            vr = self.virtual_region
            top = vr.y + self.styles.gutter.top + 1 + self.row_index
            if self.row_index == 0:  # the first row: show the header and the border too
                region = Region(vr.x, vr.y, vr.width, top - vr.y + 1)
            else:
                region = Region(vr.x, top, vr.width, 1)
            parent.scroll_to_region(region, animate=False, immediate=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
