"""A form field choosing one value from a short list (a light replacement for ``Select``).

The highlighted item is the value: arrows move it, Enter moves on to the next
field. It draws in about a millisecond where a ``Select`` with its overlay
costs several, which keeps the parameter forms quick to open.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget

from tabletop.tui.widgets.menu import Menu, MenuItem

#: The id of the "nothing chosen" item of an optional field.
NONE = ""


class ChoiceField(Menu):
    """Pick one of ``choices`` ((label, value) pairs).

    Args:
        choices: The values and their labels, in order.
        value: The value chosen at first (None: the first item, or "none" when optional).
        optional: Offer a "(none)" item whose value is None.
        none_label: Label of that item.
    """

    DEFAULT_CSS = """
    ChoiceField {
        height: auto;
        max-height: 7;
        border: round $panel-lighten-2;
        padding: 0 1;
    }
    ChoiceField:focus {
        border: round $accent;
    }
    """

    def __init__(
        self,
        choices: Sequence[tuple[str, str]],
        *,
        value: str | None = None,
        optional: bool = False,
        none_label: str = "(none)",
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        items = [MenuItem(v, Text(label)) for label, v in choices]
        if optional:
            items.insert(0, MenuItem(NONE, Text(none_label, style="italic")))
        super().__init__(items, id=id, classes=classes, empty="nothing to choose")
        if value is not None:
            self.highlight(value)

    @property
    def value(self) -> str | None:
        """The chosen value (None for the "(none)" item or an empty list)."""
        v = self.highlighted_id
        return None if v in (None, NONE) else v

    @value.setter
    def value(self, value: str | None) -> None:
        self.highlight(NONE if value is None else value)

    def action_select(self) -> None:
        """Enter: keep the value and go to the next field."""
        self.screen.focus_next()

    def on_key(self, event: events.Key) -> None:
        """A letter or digit moves to the next item whose label starts with it."""
        char = event.character
        n = len(self.items)
        if not char or not char.isalnum() or n < 2:
            return
        for k in range(1, n + 1):
            i = (self.index + k) % n
            if self.items[i].label.plain.lower().startswith(char.lower()):
                event.stop()
                self.index = i
                self.refresh()
                self.post_message(self.Highlighted(self, self.items[i].id))
                return


class CycleField(Widget, can_focus=True):
    """A one-line field cycling through values: ← → (or space) change it, a letter jumps.

    Compact enough for a row of commitment fields.

    Args:
        choices: (label, value) pairs.
        value: The value at first (None: the first, or "none" when optional).
        optional: Offer a "none" entry whose value is None.
        none_label: Label of that entry.
        prefix: A label drawn before the value (saves a Label widget).
    """

    BINDINGS = [
        Binding("left", "step(-1)", "Previous", show=False),
        Binding("right", "step(1)", "Next", show=False),
        Binding("space", "step(1)", "Next", show=False),
    ]

    DEFAULT_CSS = """
    CycleField {
        height: 1;
        width: 1fr;
        background: $boost;
        margin: 0 1 0 0;
    }
    CycleField:focus {
        background: $accent 40%;
        text-style: bold;
    }
    """

    def __init__(
        self,
        choices: Sequence[tuple[str, str]],
        *,
        value: str | None = None,
        optional: bool = False,
        none_label: str = "-",
        prefix: str = "",
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.prefix = prefix
        self.choices: list[tuple[str, str | None]] = list(choices)
        if optional:
            self.choices.insert(0, (none_label, None))
        self.index = 0
        self.value = value

    @property
    def value(self) -> str | None:
        """The current value (None for the "none" entry)."""
        return self.choices[self.index][1] if self.choices else None

    @value.setter
    def value(self, value: str | None) -> None:
        for i, (_, v) in enumerate(self.choices):
            if v == value:
                self.index = i
                self.refresh()
                return

    def render(self) -> Content:
        """``prefix ‹ label ›``."""
        label = self.choices[self.index][0] if self.choices else ""
        room = self.content_size.width - len(self.prefix) - 4
        if 0 < room < len(label):
            label = label[: max(1, room - 1)] + "…"
        return Content(f"{self.prefix}‹ {label} ›")

    def action_step(self, step: int) -> None:
        """Next or previous value."""
        if self.choices:
            self.index = (self.index + step) % len(self.choices)
            self.refresh()

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if char and char.isalnum() and len(self.choices) > 1:
            n = len(self.choices)
            for k in range(1, n + 1):
                label = self.choices[(self.index + k) % n][0]
                if label.lower().startswith(char.lower()):
                    self.index = (self.index + k) % n
                    self.refresh()
                    event.stop()
                    return

    def on_click(self) -> None:
        self.action_step(1)
