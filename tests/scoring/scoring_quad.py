"""Helpers of the scoring tests: the four-agency fixture scenario and a small driver.

Turn order is boss, east, west, town. ``Play`` submits commands through a real
in-memory :class:`~tabletop.engine.exercise.Exercise`, so every journal the tests
score is one the engine really writes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.loader import load_game
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.scoring import Evaluation, evaluate

DATA = Path(__file__).resolve().parent / "data"
FIXED = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    """The clock of every scoring-test exercise."""
    return FIXED


@cache
def quad() -> Game:
    """The four-agency scenario (rule pack without early or backward stage changes)."""
    return load_game(DATA / "quad.toml")


class Play:
    """An in-memory exercise of the quad scenario driven command by command."""

    def __init__(self, game: Game | None = None) -> None:
        self.game = game or quad()
        self.ex = Exercise.new(self.game, None, clock=fixed_clock)

    @property
    def records(self) -> list[ev.Record]:
        """Every record so far."""
        return self.ex.records

    def turn(self, agency: str) -> None:
        """End turns until ``agency`` is active."""
        for _ in range(200):
            if self.ex.state.active == agency:
                return
            assert self.ex.state.phase == "running"
            self.ex.submit(cm.EndTurn(agency=self.ex.state.active))
        raise AssertionError(f"{agency}'s turn never came")

    def act(self, agency: str, action: str, **params: Any) -> int:
        """``agency`` takes ``action`` (ending turns until it is active); returns the seq."""
        self.turn(agency)
        recs = self.ex.submit(cm.TakeAction(agency=agency, action=action, **params))
        return next(r.seq for r in recs if r.event.kind == "action_taken")

    def propose(self, agency: str, parties: list[str], commitments: list[dict]) -> str:
        """``agency`` proposes a regional cooperation agreement; returns the proposal id."""
        self.turn(agency)
        recs = self.ex.submit(
            cm.ProposeAgreement(
                agency=agency,
                mechanism="regional_cooperation",
                parties=parties,
                commitments=[cm.CommitmentSpec(**c) for c in commitments],
            )
        )
        return next(r.event.proposal for r in recs if r.event.kind == "proposal_made")

    def answer(self, agency: str, proposal: str, accept: bool = True) -> None:
        """``agency`` answers a proposal."""
        self.turn(agency)
        self.ex.submit(cm.AnswerProposal(agency=agency, proposal=proposal, accept=accept))

    def submit(self, command: cm.Command) -> list[ev.Record]:
        """Submit any command."""
        return self.ex.submit(command)

    def next_round(self) -> None:
        """End every turn left in this round."""
        start = self.ex.state.round
        while self.ex.state.phase == "running" and self.ex.state.round == start:
            self.ex.submit(cm.EndTurn(agency=self.ex.state.active))

    def to_stage(self, stage: str) -> None:
        """Play empty rounds until ``stage`` begins."""
        for _ in range(50):
            if self.ex.state.stage == stage:
                return
            self.next_round()
        raise AssertionError(f"stage {stage} never came")

    def finish(self) -> None:
        """Play empty rounds to the end."""
        while self.ex.state.phase == "running":
            self.next_round()

    def evaluate(self) -> Evaluation:
        """Score the journal so far."""
        return evaluate(self.game, self.records)


def dim(e: Evaluation, agency: str, stage: str, dimension: str) -> float | None:
    """One score value."""
    return e.scores.agencies[agency].stages[stage].dimensions[dimension].value
