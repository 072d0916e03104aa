"""The headless engine: decide, evolve, fold, legal actions, views, exercises.

The names below are imported on first use (PEP 562): importing one submodule
(the loader needs only :mod:`tabletop.engine.game`, ``tabletop validate`` nothing
more) does not load the reducer, ``decide`` and the event models with it.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tabletop.engine.decide import decide
    from tabletop.engine.evolve import evolve, fold, initial_state
    from tabletop.engine.exercise import Exercise
    from tabletop.engine.game import Game
    from tabletop.engine.legal import ActionOption, Param, legal_actions
    from tabletop.engine.view import agency_view, public_regions

#: Exported name -> the submodule defining it.
_WHERE = {
    "ActionOption": "legal",
    "Exercise": "exercise",
    "Game": "game",
    "Param": "legal",
    "agency_view": "view",
    "decide": "decide",
    "evolve": "evolve",
    "fold": "evolve",
    "initial_state": "evolve",
    "legal_actions": "legal",
    "public_regions": "view",
}

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


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{where}"), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """Keeps ``tabletop.engine.decide`` and ``.evolve`` the functions, as they always were.

    Importing a submodule binds it on its package; two submodules are named after
    the function they export, and the package attribute stays the function.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and _WHERE.get(name) == name:
            self.__dict__.pop(name, None)  # found again (as the function) by __getattr__
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
