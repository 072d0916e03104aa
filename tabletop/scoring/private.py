"""Private scores: local self-interest as a driving force (DESIGN.md section 1).

Each agency's private score mixes the outcome of its own regions with the common
outcome by its ``local_interest``::

    private = local_interest x own + (1 - local_interest) x common

where ``own`` and ``common`` are the harm avoided (0-100) against the nobody-acts
run of the same seed, in the agency's regions and over every region. The same
function serves the debrief (from the extracted facts) and the turn screen
during play (from the journal so far): both read only ``round_resolved`` events.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tabletop.engine.game import Game
from tabletop.model import events as ev
from tabletop.scoring.counterfactual import Counterfactual, counterfactual
from tabletop.scoring.facts import Facts
from tabletop.scoring.models import PrivateScore, Score

#: Counterfactual harm below this leaves nothing to avoid.
MIN_HARM = 0.01

#: User-facing texts of the private score (one place, for the gettext catalogue).
TEXTS: dict[str, str] = {
    "none_yet": "No round has been resolved yet: nothing to score.",
    "no_harm": "Nobody acting would have caused no harm here yet: nothing to avoid.",
    "avoided": "Harm in {regions}: {actual:.1f} against {cf:.1f} with nobody acting "
    "(same seed), {pct:.0f}% avoided: {value:.0f}.",
    "own_as_common": "Nobody acting would have caused no harm in its own regions: the "
    "common score stands for them.",
    "mix": "Private score of {agency} (local interest {li:g}): {li:g} x own regions "
    "{own:.0f} + {rest:g} x common {common:.0f} = {value:.0f}. Only this agency sees it "
    "during play; the common score is the exercise's outcome.",
    "no_value": "Not scored: no harm to avoid yet.",
    "all_regions": "every region",
}


def own_regions(game: Game, agency: str) -> list[str]:
    """The regions whose outcome an agency cares about: its own, else the ones under it."""
    own = list(game.scenario.agencies[agency].regions) or list(game.span.get(agency, ()))
    return own or list(game.scenario.regions)


def _avoided(
    outcomes: Sequence[tuple[int, int, ev.RoundResolved]],
    cf: Counterfactual,
    regions: list[str] | None,
    label: str,
) -> Score:
    actual = base = 0.0
    seqs: list[int] = []
    for seq, rnd, e in outcomes:
        out = e.regions
        names: Iterable[str] = out if regions is None else regions
        actual += sum(out[r].harm_added for r in names if r in out)
        base += cf.harm_added(rnd, regions)
        seqs.append(seq)
    if not outcomes:
        return Score(value=None, explanation=TEXTS["none_yet"])
    if base < MIN_HARM:
        return Score(value=None, evidence=seqs, explanation=TEXTS["no_harm"])
    avoided = 1.0 - actual / base
    value = round(max(0.0, min(100.0, 100.0 * avoided)) + 0.0, 1)
    text = TEXTS["avoided"].format(
        regions=label, actual=actual, cf=base, pct=100 * avoided, value=value
    )
    return Score(value=value, evidence=seqs, explanation=text)


def _score(
    game: Game,
    agency: str,
    outcomes: Sequence[tuple[int, int, ev.RoundResolved]],
    cf: Counterfactual,
    common: Score,
) -> PrivateScore:
    li = float(game.scenario.agencies[agency].local_interest)
    regions = own_regions(game, agency)
    names = [game.scenario.regions[r].name for r in regions]
    label = ", ".join(names) if len(names) <= 3 else f"{', '.join(names[:3])} +{len(names) - 3}"
    own = _avoided(outcomes, cf, regions, label)
    if own.value is None and common.value is not None:
        own = Score(value=common.value, evidence=own.evidence, explanation=TEXTS["own_as_common"])
    if own.value is None or common.value is None:
        value = Score(value=None, explanation=TEXTS["no_value"])
    else:
        v = round(li * own.value + (1.0 - li) * common.value + 0.0, 1)
        value = Score(
            value=v,
            evidence=sorted(set(own.evidence) | set(common.evidence)),
            explanation=TEXTS["mix"].format(
                agency=agency,
                li=li,
                own=own.value,
                rest=round(1.0 - li, 4),
                common=common.value,
                value=v,
            ),
        )
    return PrivateScore(
        agency=agency, local_interest=li, regions=regions, own=own, common=common, value=value
    )


def _outcomes(records: Iterable[ev.Record]) -> list[tuple[int, int, ev.RoundResolved]]:
    return [(r.seq, r.event.round, r.event) for r in records if r.event.kind == "round_resolved"]


def private_scores(facts: Facts, cf: Counterfactual) -> dict[str, PrivateScore]:
    """Every agency's private score over the whole journal (the debrief's)."""
    g = facts.game
    outcomes = [
        (seg.resolved_seq, seg.round, seg.resolved)
        for seg in facts.segments
        if seg.resolved is not None
    ]
    common = _avoided(outcomes, cf, None, TEXTS["all_regions"])
    return {a: _score(g, a, outcomes, cf, common) for a in g.order}


def private_score(
    game: Game, records: Sequence[ev.Record], agency: str, cf: Counterfactual | None = None
) -> PrivateScore:
    """One agency's private score from the journal so far (the turn screen's).

    Args:
        game: The game played.
        records: The journal so far (first record ``exercise_started``).
        agency: The agency.
        cf: The nobody-acts run of the same seed (computed and cached when None).
    """
    if cf is None:
        head = records[0].event if records else None
        seed = head.seed if isinstance(head, ev.ExerciseStarted) else game.scenario.scenario.seed
        cf = counterfactual(game, seed)
    outcomes = _outcomes(records)
    common = _avoided(outcomes, cf, None, TEXTS["all_regions"])
    return _score(game, agency, outcomes, cf, common)
