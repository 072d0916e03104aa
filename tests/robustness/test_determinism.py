"""An evaluator's note, a pause or a rating changes nothing in the exercise.

Random draws are keyed by (seed, round, draw site), not by the journal position,
so events that are not game decisions do not move them.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tabletop.bots import parse_policies, play_turn
from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.model import commands as cm

GAME_KINDS = ("exercise_started", "observation_recorded", "exercise_paused", "exercise_resumed")


def play(game: Game, policy: str, notes: set[int], pauses: set[int] = frozenset()) -> Exercise:
    """Play to the end; before turn ``n`` (counted from 0) add a note / pause and resume."""
    ex = Exercise.new(game, None)
    policies = parse_policies(policy, ex.state.order)
    turn = 0
    while ex.state.phase == "running" and ex.state.active is not None:
        if turn in notes:
            ex.submit(cm.AddObservation(text=f"note before turn {turn}", author="evaluator"))
        if turn in pauses:
            ex.submit(cm.Pause())
            ex.submit(cm.Resume())
        agency = ex.state.active
        play_turn(ex, agency, policies[agency])
        turn += 1
    return ex


def game_events(ex: Exercise) -> list:
    return [r.event for r in ex.records if r.event.kind not in GAME_KINDS]


def harm(ex: Exercise) -> float:
    return round(sum(r.harm for r in ex.state.regions.values()), 6)


def test_one_note_does_not_change_the_exercise(game: Game) -> None:
    plain = play(game, "cooperative", set())
    noted = play(game, "cooperative", {3})
    assert harm(noted) == harm(plain)
    assert game_events(noted) == game_events(plain)


@settings(max_examples=8, deadline=None)
@given(
    st.sets(st.integers(0, 40), max_size=6),
    st.sets(st.integers(0, 40), max_size=3),
    st.sampled_from(["cooperative", "selfish", "random"]),
)
def test_notes_and_pauses_anywhere_change_nothing(
    game: Game, notes: set[int], pauses: set[int], policy: str
) -> None:
    plain = play(game, policy, set())
    other = play(game, policy, notes, pauses)
    assert game_events(other) == game_events(plain)
    assert harm(other) == harm(plain)


def test_the_noise_depends_on_the_seed(game: Game) -> None:
    a = Exercise.new(game, None, seed=1)
    b = Exercise.new(game, None, seed=2)
    for ex in (a, b):
        policies = parse_policies("cooperative", ex.state.order)
        while ex.state.phase == "running" and ex.state.active is not None:
            play_turn(ex, ex.state.active, policies[ex.state.active])
    noise = [
        [
            o.noise
            for r in ex.records
            if r.event.kind == "round_resolved"
            for o in r.event.regions.values()
        ]
        for ex in (a, b)
    ]
    assert noise[0] != noise[1]
