"""The action menu: built only from ``legal_actions`` (enabled ones first)."""

from __future__ import annotations

from rich.text import Text

from tabletop.engine.game import Game
from tabletop.engine.legal import ActionOption
from tabletop.tui.widgets.menu import Menu, MenuItem


class ActionMenu(Menu):
    """Catalogue actions of the agency at the keyboard; disabled ones say why."""

    def show(self, game: Game, options: list[ActionOption], blocked: str | None = None) -> None:
        """List ``options``; ``blocked`` replaces them with one line saying why nobody may act."""
        if blocked is not None:
            self.set_items([], empty=blocked)
            return
        items: list[MenuItem] = []
        for o in sorted(options, key=lambda o: not o.enabled):
            label = Text(o.title, style="bold" if o.enabled else "")
            label.append(
                f"  {o.cost} AP" if o.cost else "  free", style="cyan" if o.enabled else ""
            )
            if not o.enabled:
                label.append(f"  {o.reason}", style="italic")
            hint = o.reason if not o.enabled else game.action(o.action).description
            items.append(MenuItem(o.action, label, o.enabled, hint))
        self.set_items(items)
