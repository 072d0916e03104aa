"""F1: the keys of every screen, and the action letters of the turn on screen."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

#: (screen, ((key, what), ...)) in the order a player meets them.
HELP: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("F1", "this help"),
            ("ctrl+p", "command palette"),
            ("ctrl+q", "quit (asks first; every decision is already in the journal)"),
        ),
    ),
    (
        "Handover and round results",
        (("Enter / space", "reveal the next agency's screen, or go on"),),
    ),
    (
        "Turn",
        (
            ("a letter", "the action with that letter (shown before each action)"),
            ("up / down, Enter", "move in the action menu, choose"),
            ("Tab / shift+Tab", "inbox, proposals, actions"),
            ("ctrl+n", "propose an agreement"),
            ("ctrl+e", "end the turn (asks when action points are left)"),
        ),
    ),
    (
        "Action form",
        (
            ("up / down", "choose a value"),
            ("Tab / Enter", "next field"),
            ("ctrl+s", "submit"),
            ("Esc", "cancel"),
        ),
    ),
    (
        "Proposal form",
        (
            ("left / right / space", "change a value; a letter jumps to it"),
            ("Tab", "next field"),
            ("Add commitment", "one more commitment row (two-way deals)"),
            ("ctrl+s", "send"),
            ("Esc", "cancel"),
        ),
    ),
    ("Proposal", (("a / r / c", "accept, reject, counter"), ("Esc", "close"))),
    (
        "Facilitator (any screen)",
        (
            ("F2", "pause / resume"),
            ("F3", "release an inject"),
            ("F4", "force a stage"),
            ("F5", "adjudicate a value"),
            ("F6", "evaluator observation"),
            ("F7", "undo the active agency's turn"),
            ("F8", "end the exercise"),
        ),
    ),
    (
        "Debrief",
        (
            ("arrows, Tab", "scores, objectives, explanations"),
            ("Enter / ctrl+r", "rate an objective"),
            ("ctrl+s / F9 / F10 / F11", "export all / Markdown / HTML / JSON"),
        ),
    ),
)


def help_text(actions: Sequence[tuple[str, str]] = ()) -> Group:
    """The help as Rich text; ``actions`` are (letter, action title) of the turn on screen."""
    out: list[Text] = []
    if actions:
        out.append(Text("Actions of this turn", style="bold underline"))
        for key, title in actions:
            out.append(Text.assemble("  ", (f"{key:<3}", "bold reverse"), f" {title}"))
        out.append(Text(""))
    for screen, keys in HELP:
        out.append(Text(screen, style="bold underline"))
        for key, what in keys:
            out.append(Text.assemble("  ", (key, "bold"), f"  {what}"))
        out.append(Text(""))
    return Group(*out)


class HelpScreen(ModalScreen[None]):
    """Keys of each screen (F1, Esc or Enter closes).

    Args:
        actions: (letter, title) of the actions of the turn on screen, if any.
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f1", "close", "Close", priority=True),
        Binding("enter", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, actions: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__()
        self.actions = list(actions)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog has-fields", id="help"):
            yield Label("Keys (F1 or Esc closes)", classes="dialog-title")
            with VerticalScroll(classes="fields", id="help-scroll"):
                yield Static(help_text(self.actions), id="help-text")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
