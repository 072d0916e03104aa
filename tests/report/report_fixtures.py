"""Helpers of the report tests: a bundled copy of the default scenario, played by bots.

The copy (``data/typhoon.toml`` with ``data/rules/standard.toml``) keeps the golden
report independent of edits to the shipped scenario and rule pack.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from tabletop.bots import parse_policies, play_to_end
from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.loader import load_game
from tabletop.model.events import Record

DATA = Path(__file__).resolve().parent / "data"
SCENARIO = DATA / "typhoon.toml"
GOLDEN = DATA / "golden-cooperative.json"
SEED = 2026
FIXED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    """The clock of every report-test exercise."""
    return FIXED


@cache
def typhoon() -> Game:
    """The bundled copy of the default scenario."""
    return load_game(SCENARIO)


@cache
def played(policy: str, seed: int = SEED) -> tuple[Record, ...]:
    """The records of the copy played to the end in memory by bots (cached)."""
    game = typhoon()
    ex = Exercise.new(game, None, seed=seed, clock=fixed_clock)
    play_to_end(ex, parse_policies(policy, game.order))
    return tuple(ex.records)
