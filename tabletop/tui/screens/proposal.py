"""Negotiation: compose a proposal or a counter, and read one beside its previous version."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, SelectionList, Static

from tabletop.describe import agency_name, commitment_text
from tabletop.engine.game import Game
from tabletop.engine.legal import ActionOption
from tabletop.model import commands as cm
from tabletop.model.rules import MECHANISMS
from tabletop.model.state import ExerciseState, Proposal
from tabletop.tui.screens.forms import Check, CommandForm, buttons
from tabletop.tui.widgets.choice import CycleField
from tabletop.tui.widgets.commitment import CommitmentRow

ProposalCommand = cm.ProposeAgreement | cm.CounterProposal


class ProposalForm(CommandForm[ProposalCommand | None]):
    """Compose a proposal (or a counter to ``counter_of``) with concrete commitments.

    Args:
        game: The game.
        agency: The proposing agency.
        current_round: The exercise round (default due round is the next one).
        check: Dry-run check of the command.
        option: The propose action chosen from the menu (None for a counter).
        counter_of: The proposal being countered (its fields are the starting point).
    """

    def __init__(
        self,
        game: Game,
        agency: str,
        current_round: int,
        check: Check,
        *,
        option: ActionOption | None = None,
        counter_of: Proposal | None = None,
    ) -> None:
        super().__init__()
        self.game = game
        self.agency = agency
        self.current_round = current_round
        self.check = check
        self.option = option
        self.counter_of = counter_of

    @property
    def fixed_mechanism(self) -> str | None:
        """The mechanism set by the action or by the countered proposal (None: free choice)."""
        if self.counter_of is not None:
            return self.counter_of.mechanism
        if self.option is not None:
            return self.game.action(self.option.action).mechanism
        return None

    def compose(self) -> ComposeResult:
        old = self.counter_of
        head = (
            f"Counter {old.id} v{old.version}: {old.title}"
            if old is not None
            else (self.option.title if self.option else "Propose an agreement")
        )
        with Vertical(classes="dialog wide has-fields"):
            yield Label(head, classes="dialog-title")
            # The fields are many widgets: they are mounted right after the first frame,
            # so the key that opened the form is answered at once (docs/tui.md, latency).
            yield VerticalScroll(classes="fields", can_focus=False, id="p-fields")
            yield Static("", id="form-error", classes="form-error")
            yield buttons("Send counter" if old is not None else "Send proposal")

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_fields)

    async def _mount_fields(self) -> None:
        await self.query_one("#p-fields", VerticalScroll).mount_all(self._fields())
        self.query_one("#p-title", Input).focus()

    def _fields(self) -> list[Widget]:
        """The editable fields, starting from the countered version if any."""
        old = self.counter_of
        others = [a for a in self.game.order if a != self.agency]
        chosen = set(old.parties) if old is not None else set()
        mechanism: Widget
        if self.fixed_mechanism is not None:
            mechanism = Static(self.fixed_mechanism.replace("_", " "), id="p-mechanism-fixed")
        else:
            mechanism = CycleField(
                [(m.replace("_", " "), m) for m in MECHANISMS],
                value="regional_cooperation",
                id="p-mechanism",
            )
        specs = old.commitments if old is not None else [None]
        return [
            Label("Title"),
            Input(old.title if old else "", placeholder="short name", id="p-title"),
            Label("Mechanism"),
            mechanism,
            Label(f"Parties (you, {agency_name(self.game, self.agency)}, are always one)"),
            SelectionList[str](
                *[(self.game.scenario.agencies[a].name, a, a in chosen) for a in others],
                id="p-parties",
            ),
            Label("Commitments (debtor owes the creditor a deliverable by a round)"),
            Vertical(
                *[
                    CommitmentRow(self.game, self.current_round + 1, spec, debtor=self.agency)
                    for spec in specs
                ],
                id="p-commitments",
            ),
            Button("Add commitment", id="p-add"),
        ]

    def add_commitment(self) -> CommitmentRow:
        """Add an empty commitment row, bring it into view with the focus on it, and return it."""
        picked = list(self.query_one("#p-parties", SelectionList).selected)
        row = CommitmentRow(
            self.game,
            self.current_round + 1,
            focus=True,
            debtor=picked[0] if picked else None,
            creditor=self.agency,
        )
        self.query_one("#p-commitments", Vertical).mount(row)
        return row

    @on(SelectionList.SelectedChanged, "#p-parties")
    def _parties_changed(self) -> None:
        """The first party chosen becomes the creditor of rows still at their defaults."""
        picked = list(self.query_one("#p-parties", SelectionList).selected)
        if not picked:
            return
        default = self.game.order[-1]
        for row in self.query(CommitmentRow):
            if row.spec_in is None and row.is_mounted:
                field = row.query_one(".c-creditor", CycleField)
                if field.value in (default, row.creditor) and row.creditor != self.agency:
                    field.value = picked[0]
                    row.creditor = picked[0]

    @on(Button.Pressed, "#p-add")
    def _add(self) -> None:
        self.add_commitment()

    def build(self) -> ProposalCommand:
        """The command the form describes.

        Raises:
            ValueError: a field is invalid (pydantic's ValidationError is one).
        """
        title = self.query_one("#p-title", Input).value.strip()
        picked = list(self.query_one("#p-parties", SelectionList).selected)
        parties = [p for p in self.game.order if p in picked or p == self.agency]
        specs = [row.spec() for row in self.query(CommitmentRow)]
        if self.counter_of is not None:
            return cm.CounterProposal(
                agency=self.agency,
                proposal=self.counter_of.id,
                commitments=specs,
                parties=parties,
                title=title,
            )
        if self.fixed_mechanism is not None:
            mechanism = self.fixed_mechanism
        else:
            mechanism = str(self.query_one("#p-mechanism", CycleField).value)
        if len(parties) < 2:
            raise ValueError("choose at least one other party")
        return cm.ProposeAgreement(
            agency=self.agency,
            action=self.option.action if self.option else "propose_agreement",
            mechanism=mechanism,
            parties=parties,
            commitments=specs,
            title=title,
        )


def _version(game: Game, p: Proposal, other: Proposal | None, label: str) -> Group:
    """One version of a proposal; lines absent from ``other`` are marked."""
    mark, style = ("+", "green") if label == "this" else ("-", "red")
    theirs = {commitment_text(game, c) for c in other.commitments} if other is not None else None
    out = [
        Text(
            f"{p.id} v{p.version} by {agency_name(game, p.proposer)} (round {p.round})",
            style="bold",
        ),
        Text(p.title),
        Text(f"Mechanism: {p.mechanism.replace('_', ' ')}"),
    ]
    parties = Text("Parties:")
    for i, a in enumerate(p.parties):
        changed = other is not None and a not in other.parties
        parties.append(
            ("," if i else "") + f" {agency_name(game, a)}",
            style=f"bold {style}" if changed else "",
        )
    out.append(parties)
    out.append(Text("Commitments:", style="bold"))
    if not p.commitments:
        out.append(Text("  none: paper cooperation", style="italic red"))
    for c in p.commitments:
        text = commitment_text(game, c)
        if theirs is not None and text not in theirs:
            out.append(Text(f"{mark} {text}", style=f"bold {style}"))
        else:
            out.append(Text(f"  {text}"))
    answers = Text("Answers: ")
    for a in p.parties:
        name = agency_name(game, a)
        if a in p.answers:
            answers.append(f"{name} {'yes' if p.answers[a] else 'no'}  ")
        else:
            answers.append(f"{name} waiting  ", style="yellow")
    out.append(answers)
    out.append(Text(f"Status: {p.status}", style="bold"))
    return Group(*out)


class ProposalScreen(ModalScreen[cm.Command | None]):
    """A proposal beside the version it counters; accept, reject or counter it.

    Args:
        game: The game.
        state: The current state (read only).
        agency: The agency at the keyboard.
        proposal: The proposal id.
        allowed: Which answers are legal now (subset of accept, reject, counter).
        check: Dry-run check (for the counter form).
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("a", "answer('accept')", "Accept"),
        Binding("r", "answer('reject')", "Reject"),
        Binding("c", "answer('counter')", "Counter"),
    ]

    def __init__(
        self,
        game: Game,
        state: ExerciseState,
        agency: str,
        proposal: str,
        allowed: frozenset[str],
        check: Check,
    ) -> None:
        super().__init__()
        self.game = game
        self.state = state
        self.agency = agency
        self.proposal = state.proposals[proposal]
        self.allowed = allowed
        self.check = check

    def compose(self) -> ComposeResult:
        p = self.proposal
        parent = self.state.proposals.get(p.parent) if p.parent else None
        with Vertical(classes="dialog wide has-fields"):
            yield Label(f"Proposal {p.id}: {p.title}", classes="dialog-title")
            with Horizontal(classes="versions fields"):
                if parent is not None:
                    with VerticalScroll(classes="version", can_focus=False):
                        yield Label("Previous version", classes="version-title")
                        yield Static(_version(self.game, parent, p, "previous"))
                with VerticalScroll(classes="version", can_focus=False):
                    yield Label(
                        "This version" if parent is not None else "Proposal",
                        classes="version-title",
                    )
                    yield Static(_version(self.game, p, parent, "this"))
            with Horizontal(classes="buttons"):
                yield Button(
                    "Accept (a)",
                    id="accept",
                    variant="success",
                    disabled="accept" not in self.allowed,
                )
                yield Button(
                    "Reject (r)",
                    id="reject",
                    variant="error",
                    disabled="reject" not in self.allowed,
                )
                yield Button(
                    "Counter (c)",
                    id="counter",
                    variant="warning",
                    disabled="counter" not in self.allowed,
                )
                yield Button("Close (Esc)", id="close")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "close":
            self.action_close()
        elif event.button.id is not None:
            self.action_answer(event.button.id)

    def action_close(self) -> None:
        """Close without answering."""
        self.dismiss(None)

    def action_answer(self, how: str) -> None:
        """Accept, reject or open the counter form."""
        if how not in self.allowed:
            self.notify(f"You cannot {how} {self.proposal.id} now.", severity="warning")
            return
        if how in ("accept", "reject"):
            self.dismiss(
                cm.AnswerProposal(
                    agency=self.agency, proposal=self.proposal.id, accept=how == "accept"
                )
            )
            return
        form = ProposalForm(
            self.game, self.agency, self.state.round, self.check, counter_of=self.proposal
        )

        def done(cmd: ProposalCommand | None) -> None:
            if cmd is not None:
                self.dismiss(cmd)

        self.app.push_screen(form, done)
