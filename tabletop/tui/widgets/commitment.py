"""One editable commitment row of a proposal: who owes what to whom by when."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from tabletop.engine.game import Game
from tabletop.model.commands import CommitmentSpec
from tabletop.tui.widgets.choice import CycleField

DELIVERABLES = (
    ("deliver", "deliver"),
    ("funds", "funds"),
    ("information", "information"),
    ("action", "action"),
)


def _int(text: str, what: str) -> int:
    text = text.strip()
    if not text:
        raise ValueError(f"enter the {what}")
    try:
        return int(float(text))
    except ValueError:
        raise ValueError(f"the {what} must be a whole number, not '{text}'") from None


class CommitmentRow(Vertical):
    """Editable fields of one :class:`~tabletop.model.commands.CommitmentSpec`.

    Args:
        game: The game (agencies, regions, resources, actions to choose from).
        due_round: Default due round.
        spec: Values to start from (a counter starts from the previous version).
        focus: Take the focus once mounted (a row just added).
        debtor: Default debtor (the proposer: "I offer ...").
        creditor: Default creditor (the first other party chosen).
    """

    DEFAULT_CLASSES = "commitment-row"

    def __init__(
        self,
        game: Game,
        due_round: int,
        spec: CommitmentSpec | None = None,
        *,
        focus: bool = False,
        debtor: str | None = None,
        creditor: str | None = None,
    ) -> None:
        super().__init__()
        self.debtor = debtor
        self.creditor = creditor
        self.game = game
        self.due_round = due_round
        self.spec_in = spec
        self.focus_first = focus

    def on_mount(self) -> None:
        if self.focus_first:  # a row just added: show it whole, ready to type
            self.call_after_refresh(self._show)

    def _show(self) -> None:
        self.scroll_visible(animate=False)
        self.query_one(".c-debtor").focus()

    def compose(self) -> ComposeResult:
        g = self.game
        s = self.spec_in
        agencies = [(g.scenario.agencies[a].name, a) for a in g.order]
        with Horizontal(classes="c-line"):
            yield CycleField(
                agencies,
                value=s.debtor if s else self.debtor,
                prefix="Debtor ",
                classes="c-debtor",
            )
            yield CycleField(
                agencies,
                value=s.creditor if s else (self.creditor or g.order[-1]),
                prefix="owes creditor ",
                classes="c-creditor",
            )
        with Horizontal(classes="c-line"):
            yield CycleField(
                DELIVERABLES,
                value=s.deliverable if s else "deliver",
                prefix="What ",
                classes="c-deliverable",
            )
            yield CycleField(
                [(r.title, rid) for rid, r in g.rules.resources.items()],
                value=s.resource if s else None,
                optional=True,
                prefix="Resource ",
                classes="c-resource",
            )
            yield Label("Amount", classes="c-label")
            yield Input(
                f"{s.amount:g}" if s and s.amount else "",
                type="number",
                classes="c-amount",
                compact=True,
            )
        with Horizontal(classes="c-line"):
            yield CycleField(
                [(r.name, rid) for rid, r in g.scenario.regions.items()],
                value=s.region if s else None,
                optional=True,
                prefix="Region ",
                classes="c-region",
            )
            yield CycleField(
                [(rule.title, a) for a, rule in g.rules.actions.items()],
                value=s.action if s else None,
                optional=True,
                prefix="Action ",
                classes="c-action",
            )
            yield Label("Due round", classes="c-label")
            yield Input(
                str(s.due_round if s else self.due_round),
                type="integer",
                classes="c-due",
                compact=True,
            )
            yield Button("Remove", classes="c-remove", variant="error", compact=True)

    def _select(self, cls: str) -> str | None:
        return self.query_one(f".{cls}", CycleField).value

    def set_values(self, **values: object) -> None:
        """Set fields by name (debtor, creditor, deliverable, resource, region, action, amount, due_round)."""
        for name, value in values.items():
            if name in ("amount", "due_round"):
                cls = "c-amount" if name == "amount" else "c-due"
                self.query_one(f".{cls}", Input).value = "" if value is None else f"{value:g}"  # type: ignore[str-format]
            else:
                self.query_one(f".c-{name}", CycleField).value = value  # type: ignore[assignment]

    def spec(self) -> CommitmentSpec:
        """The commitment these fields describe.

        Raises:
            ValueError: a field is missing or invalid (pydantic's ValidationError is one).
        """
        debtor = self._select("c-debtor")
        creditor = self._select("c-creditor")
        if debtor is None or creditor is None:
            raise ValueError("choose the debtor and the creditor of every commitment")
        deliverable = self._select("c-deliverable") or "deliver"
        amount_text = self.query_one(".c-amount", Input).value.strip()
        try:
            amount = float(amount_text) if amount_text else 0.0
        except ValueError:
            raise ValueError(f"the amount must be a number, not '{amount_text}'") from None
        return CommitmentSpec(
            debtor=debtor,
            creditor=creditor,
            deliverable=deliverable,  # type: ignore[arg-type]
            amount=amount,
            resource=self._select("c-resource") if deliverable == "deliver" else None,
            region=self._select("c-region"),
            action=self._select("c-action") if deliverable == "action" else None,
            due_round=_int(self.query_one(".c-due", Input).value, "due round"),
        )

    @on(Button.Pressed, ".c-remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        self.remove()
