"""The action menu: built only from ``legal_actions``, in the catalogue's order, with letters.

The order is the rule pack's (it does not move when an action becomes
impossible), and each action keeps one letter for the whole exercise: pressing
it on the turn screen chooses the action at once (:func:`action_keys`).
"""

from __future__ import annotations

import string

from rich.text import Text

from tabletop.engine.game import Game
from tabletop.engine.legal import ActionOption
from tabletop.tui.widgets.menu import Menu, MenuItem


def action_keys(game: Game) -> dict[str, str]:
    """A letter per catalogue action (action id -> letter), the same all exercise long.

    Each action takes, in catalogue order, the first free letter among the
    initials of its title's words, then among the other letters of its title,
    then the first free letter of the alphabet; beyond 26 actions the rest have none.
    """
    memo = game.caches.action_keys
    if memo is not None:
        return memo
    taken: set[str] = set()
    keys: dict[str, str] = {}
    for aid, rule in game.rules.actions.items():
        title = rule.title.lower()
        initials = [w[0] for w in title.split() if w and w[0] in string.ascii_lowercase]
        rest = [c for c in title if c in string.ascii_lowercase]
        for c in [*initials, *rest, *string.ascii_lowercase]:
            if c not in taken:
                taken.add(c)
                keys[aid] = c
                break
    game.caches.action_keys = keys
    return keys


class ActionMenu(Menu):
    """Catalogue actions of the agency at the keyboard; disabled ones say why."""

    keys: dict[str, str] = {}  # noqa: RUF012 - replaced by show(), never mutated
    """Letter -> action id of the actions listed (see :func:`action_keys`)."""

    def show(self, game: Game, options: list[ActionOption], blocked: str | None = None) -> None:
        """List ``options``; ``blocked`` replaces them with one line saying why nobody may act."""
        if blocked is not None:
            self.keys = {}
            self.set_items([], empty=blocked)
            return
        letters = action_keys(game)
        items: list[MenuItem] = []
        keys: dict[str, str] = {}
        for o in options:
            key = letters.get(o.action)
            label = Text(f"{key or ' '} ", style="bold underline" if o.enabled else "dim")
            if key:
                keys[key] = o.action
            label.append(o.title, style="bold" if o.enabled else "")
            label.append(
                f"  {o.cost} AP" if o.cost else "  free", style="cyan" if o.enabled else ""
            )
            if not o.enabled:
                label.append(f"  {o.reason}", style="italic")
            hint = o.reason if not o.enabled else game.action(o.action).description
            items.append(MenuItem(o.action, label, o.enabled, hint))
        self.keys = keys
        self.set_items(items)
