"""Keys per typical turn and per proposal in the terminal UI (the default scenario).

Plays, with real key presses through Pilot, a typical turn of the Ministry (reveal,
monitor Linhe county, deploy 5 rescue teams to Linhe county, share the information
on Linhe county with Province A's emergency department, end the turn) and a typical
proposal of Province A's emergency department (title, one other party, one
commitment: 4 rescue teams to Haizhou by the next round). Each key is counted; the
journal is checked afterwards, so the count is that of a turn that really happened.

Two ways of playing are counted: ``arrows`` (menus walked with up/down, values with
the arrows, as the first version of the UI required) and ``letters`` (a letter
chooses an action or a value, as the UI offers now). Run it on an older checkout
(``git archive``) to get the "before" figures of that version.

    python bench/tui_keys.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from textual.widgets import Input, SelectionList

from tabletop.engine.exercise import Exercise
from tabletop.loader.game import load_game
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.forms import ActionForm, ConfirmDialog
from tabletop.tui.screens.proposal import ProposalForm
from tabletop.tui.screens.turn import TurnScreen
from tabletop.tui.widgets.choice import ChoiceField, CycleField

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SCENARIO = PROJECT_ROOT / "scenarios" / "typhoon-two-provinces.toml"


class Keys:
    """Presses keys through Pilot and counts them."""

    def __init__(self, pilot: Any, letters: bool) -> None:
        self.pilot = pilot
        self.letters = letters
        self.count = 0

    async def press(self, *keys: str) -> None:
        for key in keys:
            self.count += 1
            await self.pilot.press(key)
        await self.pilot.pause()

    @property
    def app(self) -> TabletopApp:
        return self.pilot.app

    # ------------------------------------------------------------------ turn screen

    async def action(self, action: str) -> None:
        """Open ``action`` from the turn screen's menu."""
        turn = self.app.screen
        assert isinstance(turn, TurnScreen), turn
        menu = turn.query_one("#actions")
        keys = getattr(menu, "keys", None)
        if self.letters and keys:
            letter = next(k for k, a in keys.items() if a == action)
            await self.press(letter)
            return
        if self.app.focused is not menu:
            await self.press("tab")  # from the last panel, as a player does
        target = [i.id for i in menu.items].index(action)
        step = "down" if target > menu.index else "up"
        await self.press(*[step] * abs(target - menu.index), "enter")

    # ------------------------------------------------------------------ form fields

    async def choose(self, field: ChoiceField, value: str) -> None:
        """Move a list field to ``value`` (letter jumps when they are quicker), then on."""
        ids = [i.id for i in field.items]
        target = ids.index(value)
        label = field.items[target].label.plain
        jumps = [
            i
            for i in range(len(ids))
            if field.items[i].label.plain[:1].lower() == label[:1].lower()
        ]
        supports_letters = "on_key" in type(field).__dict__
        if self.letters and supports_letters and label[:1].isalnum():
            # Presses of the letter from the current item, cycling as the field does.
            order = sorted(jumps, key=lambda i: (i - field.index - 1) % len(ids))
            presses = order.index(target) + 1 if field.index != target else 0
            if presses < abs(target - field.index):
                await self.press(*[label[0].lower()] * presses)
                await self.press("enter")
                return
        step = "down" if target > field.index else "up"
        await self.press(*[step] * abs(target - field.index), "enter")

    async def cycle(self, field: CycleField, value: str | None) -> None:
        """Set a one-line cycling field: letters when quicker, else arrows."""
        values = [v for _, v in field.choices]
        target = values.index(value)
        n = len(values)
        right = (target - field.index) % n
        best = ["right"] * right
        label = field.choices[target][0]
        if self.letters and label[:1].isalnum():
            presses, i = 0, field.index
            while i != target and presses < n:
                presses += 1
                i = next(
                    (i + k) % n
                    for k in range(1, n + 1)
                    if field.choices[(i + k) % n][0].lower().startswith(label[0].lower())
                )
            if i == target and presses < len(best):
                best = [label[0].lower()] * presses
        await self.press(*best)

    async def focus(self, widget: Any) -> None:
        """Tab to ``widget`` (counted)."""
        for _ in range(60):
            if self.app.focused is widget:
                return
            await self.press("tab")
        raise AssertionError(f"cannot reach {widget}")

    async def type(self, text: str) -> None:
        await self.press(*list(text))


async def typical_turn(keys: Keys) -> None:
    app = keys.app
    await keys.press("enter")  # reveal the turn
    await keys.action("monitor")
    form = app.screen
    assert isinstance(form, ActionForm)
    await keys.choose(form.query_one("#param-region", ChoiceField), "linhe")
    await keys.press("ctrl+s")
    await keys.action("deploy")
    form = app.screen
    assert isinstance(form, ActionForm)
    await keys.choose(form.query_one("#param-region", ChoiceField), "linhe")
    await keys.choose(form.query_one("#param-resource", ChoiceField), "rescue")
    await keys.type("5")
    await keys.press("ctrl+s")
    await keys.action("share_information")
    form = app.screen
    assert isinstance(form, ActionForm)
    await keys.choose(form.query_one("#param-region", ChoiceField), "linhe")
    await keys.choose(form.query_one("#param-target", ChoiceField), "a_em")
    await keys.press("ctrl+s")
    await keys.press("ctrl+e")
    if isinstance(app.screen, ConfirmDialog):
        await keys.press("enter")


async def typical_proposal(keys: Keys) -> None:
    app = keys.app
    await keys.press("enter")  # reveal the turn
    await keys.press("ctrl+n")
    await keys.pilot.pause(0.05)
    form = app.screen
    assert isinstance(form, ProposalForm)
    await keys.type("Rescue")
    parties = form.query_one("#p-parties", SelectionList)
    await keys.focus(parties)
    target = [parties.get_option_at_index(i).value for i in range(parties.option_count)].index(
        "city"
    )
    await keys.press(*["down"] * (target - (parties.highlighted or 0)), "space")
    row = form.query_one("CommitmentRow")
    for cls, value in (
        ("c-debtor", "a_em"),
        ("c-creditor", "city"),
        ("c-resource", "rescue"),
        ("c-amount", "4"),
        ("c-region", "coastal_city"),
    ):
        if cls == "c-amount":
            amount = row.query_one(".c-amount", Input)
            await keys.focus(amount)
            await keys.type(value)
            continue
        field = row.query_one(f".{cls}", CycleField)
        if field.value != value:
            await keys.focus(field)
            await keys.cycle(field, value)
    await keys.press("ctrl+s")


async def measure(letters: bool) -> tuple[int, int]:
    ex = Exercise.new(load_game(SCENARIO), None)
    app = TabletopApp(exercise=ex, poll_interval=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        turn = Keys(pilot, letters)
        await typical_turn(turn)
        kinds = [r.event.kind for r in ex.records]
        taken = [r.event.action for r in ex.records if r.event.kind == "action_taken"]
        assert taken == ["monitor", "deploy", "share_information"], taken
        assert kinds[-1] != "turn_ended" or ex.state.active != "mem"
        deploy = next(
            r.event
            for r in ex.records
            if r.event.kind == "action_taken" and r.event.action == "deploy"
        )
        assert (deploy.region, deploy.resource, deploy.amount) == ("linhe", "rescue", 5.0)
        assert ex.state.active == "a_em", ex.state.active
        await pilot.pause()
        proposal = Keys(pilot, letters)
        await typical_proposal(proposal)
        made = [r.event for r in ex.records if r.event.kind == "proposal_made"]
        assert len(made) == 1, "the proposal was not sent"
        c = made[0].commitments[0]
        assert (c.debtor, c.creditor, c.resource, c.amount, c.region) == (
            "a_em",
            "city",
            "rescue",
            4.0,
            "coastal_city",
        ), c
        assert made[0].parties == ["a_em", "city"], made[0].parties
    return turn.count, proposal.count


async def main() -> int:
    print(f"{'way of playing':<16} {'typical turn':>12} {'proposal':>9}")
    for name, letters in (("arrows", False), ("letters", True)):
        t, p = await measure(letters)
        print(f"{name:<16} {t:>9} keys {p:>5} keys")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(asyncio.run(main()))
