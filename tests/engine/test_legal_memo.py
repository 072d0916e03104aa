"""Legality remembered per state (``ExerciseState.memo``) equals legality computed afresh.

Random and cooperative bots play; after every decision the remembered options of
the agency to act, and every agency's known regions, must equal what a fresh
computation (and, for known regions, a scan of every region) gives; the per-agency
indexes of commitments, requests and directives must equal a scan of them all.
"""

from __future__ import annotations

import pytest

from tabletop.bots import parse_policies, play_turn
from tabletop.engine.evolve import evolve
from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.engine.legal import _option, known_regions, knows, legal_actions, option
from tabletop.model import events as ev


def _fresh_options(game: Game, ex: Exercise, agency: str) -> list[object]:
    return [_option(game, ex.state, agency, a) for a in game.rules.actions]


@pytest.mark.parametrize("policy", ["random", "cooperative", "mixed:a_em=selfish"])
def test_remembered_legality_equals_fresh(game: Game, policy: str) -> None:
    ex = Exercise.new(game, None, seed=7)
    policies = parse_policies(policy, game.order)
    checked = 0
    while ex.state.phase == "running" and ex.state.active is not None:
        agency = ex.state.active
        assert legal_actions(game, ex.state, agency) == _fresh_options(game, ex, agency)
        s = ex.state
        for a in game.order:
            scan = tuple(r for r in game.region_ids if knows(game, s, a, r))
            assert known_regions(game, s, a) == scan
            # The per-agency indexes evolve keeps equal a scan of everything.
            assert s.debts.get(a, []) == [k for k, c in s.commitments.items() if c.spec.debtor == a]
            assert s.requests_to.get(a, []) == [
                k for k, q in s.requests.items() if q.target == a and q.fulfilled < q.amount
            ]
            assert s.directives_to.get(a, []) == [
                k for k, d in s.directives.items() if d.target == a
            ]
        checked += 1
        play_turn(ex, agency, policies[agency])
    assert checked > 20
    # The indexes were really filled.
    if policy == "cooperative":
        assert s.commitments and s.directives
    if policy == "random":
        assert s.requests


def test_a_change_of_state_forgets_what_was_remembered(game: Game) -> None:
    ex = Exercise.new(game, None, seed=1)
    agency = ex.state.active
    assert agency is not None
    before = option(game, ex.state, agency, "monitor")
    assert before.enabled and option(game, ex.state, agency, "monitor") is before
    evolve(ex.state, ev.ExercisePaused())
    paused = option(game, ex.state, agency, "monitor")
    assert not paused.enabled and "paused" in paused.reason
