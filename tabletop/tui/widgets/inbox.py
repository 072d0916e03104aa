"""The private inbox of the agency at the keyboard, and its list of proposals."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from tabletop.describe import agency_name, commitment_text, fmt_amount
from tabletop.engine.game import Game
from tabletop.engine.view import AgencyView
from tabletop.model.state import ExerciseState, Proposal
from tabletop.tui.text import inbox_text
from tabletop.tui.widgets.menu import Menu, MenuItem

KIND_STYLE = {
    "inject": "bold yellow",
    "request": "bold green",
    "directive": "bold red",
    "proposal": "bold cyan",
    "commitment": "bold magenta",
}


class InboxPanel(Static):
    """Briefing, inbox items (newest first) and the agency's commitments."""

    plain: str = ""
    """Plain text of what the panel shows (empty when cleared)."""

    def clear(self) -> None:
        """Show nothing."""
        self.plain = ""
        self.update("")

    def show(self, view: AgencyView, game: Game, state: ExerciseState | None = None) -> None:
        """Render the inbox of one agency (``game`` and ``state`` name what it refers to)."""
        parts: list[Text] = []
        if view.briefing:
            parts.append(Text.assemble(("Your briefing: ", "bold"), view.briefing.strip()))
        if not view.inbox:
            parts.append(Text("Inbox empty.", style="dim"))
        for item in reversed(view.inbox):
            head = Text(f"R{item.round} ")
            head.append(f"[{item.kind}]", style=KIND_STYLE.get(item.kind, "bold"))
            title, text = (
                inbox_text(game, state, item) if state is not None else (item.title, item.text)
            )
            head.append(f" {title}", style="bold")
            if item.private:
                head.append("  private", style="italic dim")
            parts.append(head)
            parts.append(Text("   " + text.strip()))
        mine = [c for c in view.commitments if c.status == "pending"]
        done = [c for c in view.commitments if c.status != "pending"]
        if view.commitments:
            parts.append(Text("Commitments", style="bold underline"))
        for c in [*mine, *done]:
            s = c.spec
            target = s.amount if s.deliverable in ("deliver", "funds") and s.amount > 0 else 1.0
            who = "you owe" if s.debtor == view.agency else "owed to you"
            line = Text(f" {c.id} ({who}) {commitment_text(game, s)}  ")
            style = {"pending": "yellow", "honoured": "green", "partial": "yellow"}.get(
                c.status, "red"
            )
            line.append(f"{c.status} {fmt_amount(c.progress)}/{fmt_amount(target)}", style=style)
            parts.append(line)
        self.plain = "\n".join(t.plain for t in parts)
        self.update(Group(*parts))


def proposal_status(p: Proposal, agency: str) -> str:
    """Short status of a proposal as ``agency`` sees it."""
    if p.status != "open":
        return p.status
    if agency not in p.answers:
        return "YOUR ANSWER"
    waiting = [a for a in p.parties if a not in p.answers]
    return "waiting for " + ", ".join(waiting) if waiting else "open"


class ProposalList(Menu):
    """Proposals the agency is party to (those waiting for its answer first)."""

    def show(self, proposals: list[Proposal], agency: str, game: Game | None = None) -> None:
        """List ``proposals``; selecting one opens it (proposers by name with ``game``)."""
        order = sorted(
            proposals,
            key=lambda p: (not (p.status == "open" and agency not in p.answers), p.status, p.id),
        )
        items = []
        for p in order:
            label = Text(f"{p.id} v{p.version} ", style="bold")
            status = proposal_status(p, agency)
            label.append(status, style="bold yellow" if "YOUR" in status else "dim")
            by = agency_name(game, p.proposer) if game is not None else p.proposer
            label.append(f" {p.mechanism.replace('_', ' ')} by {by}")
            items.append(MenuItem(p.id, label, True, p.title))
        self.set_items(items, empty="No proposals.")
