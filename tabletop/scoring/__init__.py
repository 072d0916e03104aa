"""Debrief scoring: pure functions from journal records and the game to explained scores.

Typical use::

    from tabletop.scoring import evaluate
    ev = evaluate(game, records)          # records: list[tabletop.model.events.Record]
    ev.scores.agencies["mem"].stages["outbreak"].dimensions["vertical"].explanation

Undone decisions stay in the journal but never count. Nothing here imports
Textual or reads a clock; the only engine run is the cached counterfactual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tabletop.engine.game import Game
from tabletop.model.events import Record
from tabletop.scoring.counterfactual import Counterfactual, counterfactual
from tabletop.scoring.dimensions import COORDINATION, DESCRIPTIONS, TITLES, act_credits, score
from tabletop.scoring.facts import Facts, extract
from tabletop.scoring.models import (
    AgencyScores,
    Flag,
    Network,
    NetworkMetrics,
    ObjectiveRating,
    PrivateScore,
    Score,
    ScoreCard,
    Scores,
    TaskEvidence,
    TaskResult,
)
from tabletop.scoring.network import cooperation_network
from tabletop.scoring.private import private_score, private_scores
from tabletop.scoring.rating import find_flags, rate_objectives

__all__ = [
    "COORDINATION",
    "DESCRIPTIONS",
    "TITLES",
    "AgencyScores",
    "Counterfactual",
    "Evaluation",
    "Facts",
    "Flag",
    "Network",
    "NetworkMetrics",
    "ObjectiveRating",
    "PrivateScore",
    "Score",
    "ScoreCard",
    "Scores",
    "TaskEvidence",
    "TaskResult",
    "act_credits",
    "cooperation_network",
    "counterfactual",
    "evaluate",
    "extract",
    "find_flags",
    "private_score",
    "private_scores",
    "rate_objectives",
    "score",
    "score_exercise",
]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Everything the debrief computes from one journal.

    Attributes:
        facts: The extracted facts (segments, acts, ties...).
        counterfactual: The nobody-acts run of the same seed.
        scores: Scores per agency and stage.
        flags: Every flag, in journal order.
        objectives: HSEEP ratings, in scenario order.
        network: Cooperation networks per stage and layer.
    """

    facts: Facts
    counterfactual: Counterfactual
    scores: Scores
    flags: list[Flag]
    objectives: list[ObjectiveRating]
    network: Network


def evaluate(
    game: Game, records: Sequence[Record], *, cf: Counterfactual | None = None
) -> Evaluation:
    """Score, flag, rate and map the cooperation of one exercise.

    Args:
        game: The scenario and rule pack the journal was played with.
        records: The journal, first record ``exercise_started``.
        cf: The counterfactual run (computed and cached when None).

    Returns:
        The evaluation.

    Raises:
        TabletopError: the journal does not start with ``exercise_started``.
    """
    facts = extract(game, records)
    cf = cf if cf is not None else counterfactual(game, facts.header.seed)
    flags = find_flags(facts)
    return Evaluation(
        facts=facts,
        counterfactual=cf,
        scores=score(facts, cf),
        flags=flags,
        objectives=rate_objectives(facts, flags),
        network=cooperation_network(facts),
    )


def score_exercise(game: Game, records: Sequence[Record]) -> Scores:
    """Scores 0-100 per agency and stage (with evidence and explanations) of a journal."""
    facts = extract(game, records)
    return score(facts, counterfactual(game, facts.header.seed))
