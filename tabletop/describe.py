"""How journal events name things, shared by the two event describers.

The After-Action Report writes prose sentences (:mod:`tabletop.report.describe`)
and the terminal UI compact log lines (:mod:`tabletop.tui.text`); both name a
catalogue action, a proposal's commitments and an inject's addressees the same
way, with the helpers here. Headless: nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Sequence

from tabletop.engine.game import Game
from tabletop.model.commands import CommitmentSpec

#: Addressee of an inject that goes to every agency.
EVERYONE = "all"
#: What a proposal without any commitment offers.
NO_COMMITMENT = "no concrete commitment"


def action_title(game: Game, action: str) -> str:
    """The rule pack's title of a catalogue action (its id when the pack does not know it)."""
    return game.action(action).title if action in game.rules.actions else action


def commitments_text(commitments: Sequence[CommitmentSpec]) -> str:
    """A proposal's commitments, ``; ``-separated (or that there is none concrete)."""
    return "; ".join(c.describe() for c in commitments) or NO_COMMITMENT


def recipients(to: Sequence[str], everyone: str = EVERYONE) -> str:
    """The addressees of an inject: ``everyone`` when it goes to all agencies, else their ids."""
    return everyone if EVERYONE in to else ", ".join(to)
