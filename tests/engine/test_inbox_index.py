"""The proposal indexes of the state (``proposal_inbox``, ``open_proposals``).

Settling a proposal visits only the inboxes it reached. Random negotiation
(proposals to random parties, accepted, rejected or countered at random, with
turn ends and undos in between) must leave every inbox exactly as the old
definition does: every proposal item of a settled proposal removed from every
agency's inbox; and the proposals waiting for an agency's answer must be those
a scan of every proposal finds.
"""

from __future__ import annotations

import importlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabletop.engine.evolve import fold, initial_state, undone_seqs
from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.engine.legal import open_proposals_for
from tabletop.errors import IllegalCommand
from tabletop.model import commands as cm
from tabletop.model.state import ExerciseState

# The module (``tabletop.engine.evolve`` the attribute is the function).
evolve_module = importlib.import_module("tabletop.engine.evolve")


def _settled_by_scan(state: ExerciseState, proposal: str) -> None:
    """The old definition: drop the proposal's items from every agency's inbox."""
    for box in state.inbox.values():
        box[:] = [i for i in box if not (i.kind == "proposal" and i.ref == proposal)]


def _negotiate(game: Game, seed: int, decisions: int) -> Exercise:
    """Random negotiation: propose, answer, counter, undo and end turns at random."""
    rng = random.Random(seed)
    ex = Exercise.new(game, None, seed=seed)
    agencies = list(game.order)
    for _ in range(decisions):
        s = ex.state
        if s.phase != "running" or s.active is None:
            break
        me = s.active
        waiting = open_proposals_for(s, me)
        roll = rng.random()
        others = [a for a in agencies if a != me]
        if waiting and roll < 0.45:
            pid = rng.choice(waiting)
            pick = rng.random()
            if pick < 0.4:
                command: cm.Command = cm.AnswerProposal(agency=me, proposal=pid, accept=True)
            elif pick < 0.7:
                command = cm.AnswerProposal(agency=me, proposal=pid, accept=False)
            else:
                command = cm.CounterProposal(agency=me, proposal=pid, title="counter")
        elif roll < 0.8:
            parties = rng.sample(others, k=min(len(others), rng.randint(1, 3)))
            command = cm.ProposeAgreement(
                agency=me, mechanism="regional_cooperation", parties=parties
            )
        elif roll < 0.85:
            command = cm.UndoTurn()
        else:
            command = cm.EndTurn(agency=me)
        try:
            ex.submit(command)
        except IllegalCommand:
            ex.submit(cm.EndTurn(agency=me))
    return ex


def _check(game: Game, ex: Exercise) -> None:
    """The live inbox equals the one folded with the old definition; fold equals live."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(evolve_module, "_settled", _settled_by_scan)
        reference = fold(initial_state(game), ex.records)
    assert ex.state.inbox == reference.inbox
    assert ex.replayed() == ex.state
    # Who must answer is found among the open proposals only: same answer as a full scan.
    for agency in game.order:
        assert open_proposals_for(ex.state, agency) == [
            pid
            for pid, p in ex.state.proposals.items()
            if p.status == "open" and agency in p.parties and agency not in p.answers
        ]


@pytest.mark.parametrize("seed", range(1, 9))
def test_indexed_inbox_equals_full_scan(game: Game, seed: int) -> None:
    ex = _negotiate(game, seed, decisions=400)
    kinds = {r.event.kind for r in ex.records}
    # The play settled proposals both ways, so the index was really used.
    assert {"proposal_made", "proposal_closed", "agreement_activated"} <= kinds
    undone = undone_seqs(ex.records)
    settled = {
        r.event.proposal
        for r in ex.records
        if r.event.kind in ("proposal_closed", "agreement_activated") and r.seq not in undone
    }
    assert not any(
        i.kind == "proposal" and i.ref in settled for box in ex.state.inbox.values() for i in box
    )
    _check(game, ex)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), decisions=st.integers(1, 300))
def test_indexed_inbox_equals_full_scan_at_any_point(game: Game, seed: int, decisions: int) -> None:
    _check(game, _negotiate(game, seed, decisions))
