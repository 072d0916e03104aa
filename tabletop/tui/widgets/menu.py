"""A light, fast keyboard menu: one line per item, a highlighted cursor, a hint line.

Textual's ``OptionList`` measures and wraps every prompt whenever one changes,
which costs more than 10 ms per refresh for the 24 actions of the standard
catalogue. This menu draws one line per item (truncated), only the lines in
view, and redraws in about a millisecond.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget


@dataclass(frozen=True, slots=True)
class MenuItem:
    """One line of a menu.

    Attributes:
        id: Sent with :class:`Menu.Selected`.
        label: What the line shows.
        enabled: Disabled items are dim; selecting one still sends ``Selected``
            (the owner says why it is not possible).
        hint: Longer text shown under the menu while the item is highlighted.
    """

    id: str
    label: Text
    enabled: bool = True
    hint: str = ""


class Menu(Widget, can_focus=True):
    """A vertical menu; Enter (or a click) posts :class:`Menu.Selected`.

    Args:
        hint_lines: Lines reserved under the items for the highlighted item's hint.
    """

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "move(-10)", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("home", "move(-1000)", show=False),
        Binding("end", "move(1000)", show=False),
        Binding("enter", "select", "Choose", show=False),
    ]

    DEFAULT_CSS = """
    Menu {
        height: auto;
        padding: 0 1;
    }
    """

    class _ItemMessage(Message):
        """Something happened to one item of a menu."""

        def __init__(self, menu: Menu, item_id: str) -> None:
            super().__init__()
            self.menu = menu
            self.item_id = item_id

        @property
        def control(self) -> Menu:
            """The menu (for ``@on(Menu.Selected, "#id")``)."""
            return self.menu

    class Selected(_ItemMessage):
        """An item was chosen."""

    class Highlighted(_ItemMessage):
        """The cursor moved to another item."""

    def __init__(
        self,
        items: Sequence[MenuItem] = (),
        *,
        hint_lines: int = 0,
        empty: str = "",
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.items: list[MenuItem] = list(items)
        self.hint_lines = hint_lines
        self.empty = empty
        self.index = 0
        self._top = 0

    # ------------------------------------------------------------------ data down

    def set_items(
        self, items: Sequence[MenuItem], *, keep: bool = True, empty: str | None = None
    ) -> None:
        """Replace the items; keep the cursor on the same id when possible."""
        current = self.highlighted_id if keep else None
        resized = len(items) != len(self.items)
        self.items = list(items)
        if empty is not None:
            self.empty = empty
        ids = [i.id for i in self.items]
        self.index = ids.index(current) if current in ids else 0
        if not keep:
            self._top = 0
        self.refresh(layout=resized)

    @property
    def highlighted_id(self) -> str | None:
        """The id under the cursor (None when empty)."""
        return self.items[self.index].id if 0 <= self.index < len(self.items) else None

    def highlight(self, item_id: str) -> None:
        """Move the cursor to ``item_id``."""
        for i, item in enumerate(self.items):
            if item.id == item_id:
                self.index = i
                self.refresh()
                return

    # ------------------------------------------------------------------ rendering

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """One line per item (at least one) plus the hint lines."""
        return max(1, len(self.items)) + self.hint_lines

    def _window(self) -> int:
        rows = max(1, self.content_size.height - self.hint_lines)
        if not self.hint_lines and len(self.items) > rows > 1:
            rows -= 1  # the last line says how many more there are
        return rows

    def render(self) -> Content:
        """The visible items, the cursor, and the hint."""
        width = max(1, self.content_size.width)
        rows = self._window()
        if not self.items:
            return Content.from_rich_text(Text(self.empty, style="italic dim"))
        if self.index < self._top:
            self._top = self.index
        elif self.index >= self._top + rows:
            self._top = self.index - rows + 1
        self._top = max(0, min(self._top, max(0, len(self.items) - rows)))
        out = Text(no_wrap=True, overflow="ellipsis")
        focused = self.has_focus
        for i in range(self._top, min(len(self.items), self._top + rows)):
            item = self.items[i]
            line = Text(no_wrap=True, overflow="ellipsis", end="")
            cursor = i == self.index
            line.append("▸" if cursor else " ", style="bold")
            label = item.label.copy()
            if not item.enabled:
                label.stylize("dim")
            line.append_text(label)
            line.truncate(width, overflow="ellipsis", pad=cursor)
            if cursor:
                line.stylize("reverse" if focused else "underline")
            if i > self._top:
                out.append("\n")
            out.append_text(line)
        above, below = self._top, len(self.items) - self._top - rows
        if not self.hint_lines and (above > 0 or below > 0):
            more = []
            if above > 0:
                more.append(f"{above} more above")
            if below > 0:
                more.append(f"{below} more below")
            out.append("\n")
            out.append(f" … {', '.join(more)}"[:width], style="italic dim")
        if self.hint_lines:
            hint = self.items[self.index].hint if self.items else ""
            more = []
            if above > 0:
                more.append(f"{above} more above")
            if below > 0:
                more.append(f"{below} more below")
            head = f"[{', '.join(more)}] " if more else ""
            lines = textwrap.wrap(head + hint, width) or [""]
            if len(lines) > self.hint_lines:
                lines = lines[: self.hint_lines]
                lines[-1] = lines[-1][: max(0, width - 1)] + "…"
            for text in lines:
                out.append("\n")
                out.append(text, style="italic dim")
        return Content.from_rich_text(out)

    # ------------------------------------------------------------------ input

    def action_move(self, step: int) -> None:
        """Move the cursor by ``step`` items."""
        if not self.items:
            return
        index = max(0, min(len(self.items) - 1, self.index + step))
        if index != self.index:
            self.index = index
            self.refresh()
            self.post_message(self.Highlighted(self, self.items[index].id))

    def action_select(self) -> None:
        """Choose the highlighted item."""
        if self.items:
            self.post_message(self.Selected(self, self.items[self.index].id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        i = self._top + offset.y
        if 0 <= i < len(self.items) and offset.y < self._window():
            self.index = i
            self.refresh()
            self.action_select()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
