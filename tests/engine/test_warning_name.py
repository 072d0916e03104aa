"""``regions.<id>.warning`` in conditions: ``none`` until a warning is issued, then its level."""

from __future__ import annotations

from tabletop_helpers import SCENARIO

from tabletop.engine.evolve import initial_state
from tabletop.engine.names import StateEnv, state_env
from tabletop.expr import parse_expr
from tabletop.loader import load_game
from tabletop.loader.game import typed_names


def test_warning_level_is_readable_in_conditions() -> None:
    game = load_game(SCENARIO)
    state = initial_state(game)
    names = typed_names(["regions.linhe.warning", "stage"], [s.id for s in game.rules.stages])
    none = parse_expr("regions.linhe.warning == 'none'", names, condition=True)
    orange = parse_expr("regions.linhe.warning == 'orange'", names, condition=True)
    assert none.eval(StateEnv(state)) and not orange.eval(StateEnv(state))
    state.regions["linhe"].warning = "orange"
    assert orange.eval(StateEnv(state)) and not none.eval(StateEnv(state))
    assert state_env(state)["regions.linhe.warning"] == "orange"
