"""The headless engine: decide, evolve, fold, legal actions, views, exercises."""

from tabletop.engine.decide import decide
from tabletop.engine.evolve import evolve, fold, initial_state
from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.engine.legal import ActionOption, Param, legal_actions
from tabletop.engine.view import agency_view, public_regions

__all__ = [
    "ActionOption",
    "Exercise",
    "Game",
    "Param",
    "agency_view",
    "decide",
    "evolve",
    "fold",
    "initial_state",
    "legal_actions",
    "public_regions",
]
