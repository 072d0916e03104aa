"""Stage transitions and injects (by stage/round, by condition, by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tabletop_helpers import Driver, of, tiny_variant

from tabletop.model import commands as cm


def stage_changes(d: Driver) -> list[tuple[str | None, str, str, int]]:
    """(from, to, reason, round) of every stage change so far."""
    return [(e.from_stage, e.to_stage, e.reason, e.round) for e in of(d.events, "stage_changed")]


def test_start_opens_the_first_stage_and_round(play: Driver) -> None:
    kinds = [e.kind for e in play.events]
    assert kinds[:3] == ["exercise_started", "stage_changed", "round_started"]
    assert kinds[-1] == "turn_started"
    assert (play.state.stage, play.state.round, play.state.stage_round) == ("gestation", 1, 1)
    assert play.state.active == "mem" and play.state.agencies["mem"].points == 3
    assert play.state.phase == "running"


def test_stages_follow_their_rounds_to_the_end(tiny: Driver) -> None:
    """Nobody acts: the hazard in the hills comes back once (max_waves = 2), then recovery."""
    while tiny.state.phase == "running":
        tiny.next_round()
    assert stage_changes(tiny) == [
        (None, "gestation", "start", 1),
        ("gestation", "outbreak", "rounds", 1),
        ("outbreak", "continuation", "rounds", 3),
        ("continuation", "outbreak", "resurgence", 4),
        ("outbreak", "continuation", "rounds", 6),
        ("continuation", "recovery", "rounds", 8),
    ]
    (ended,) = of(tiny.events, "exercise_ended")
    assert (ended.reason, ended.round) == ("all stages completed", 9)
    assert tiny.state.phase == "ended" and tiny.state.active is None
    assert tiny.state.ended_reason == "all stages completed"


def test_round_and_stage_round_counters(tiny: Driver) -> None:
    tiny.to_stage("outbreak")
    assert (tiny.state.round, tiny.state.stage_round) == (2, 1)
    tiny.next_round()
    assert (tiny.state.round, tiny.state.stage_round) == (3, 2)


def test_advance_if_leaves_a_stage_early(tmp_path: Path) -> None:
    d = Driver(tiny_variant(tmp_path, "stage_rounds = { gestation = 3 }\n"))
    assert d.game.stage_rounds("gestation") == 3
    d.next_round()
    assert d.state.stage == "gestation"  # max_hazard < 0.6 after round 1
    d.submit(cm.Adjudicate(target="regions.up.hazard", value=0.9, reason="storm"))
    d.next_round()
    assert stage_changes(d)[-1] == ("gestation", "outbreak", "condition", 2)


def test_resurgence_goes_back_to_outbreak_once(tiny: Driver) -> None:
    tiny.to_stage("continuation")
    tiny.submit(cm.Adjudicate(target="regions.up.hazard", value=1.0, reason="dam breach"))
    tiny.next_round()
    assert stage_changes(tiny)[-1] == ("continuation", "outbreak", "resurgence", 4)
    assert (tiny.state.stage, tiny.state.wave, tiny.state.stage_round) == ("outbreak", 1, 1)
    # Injects of the outbreak do not fire again in the second wave.
    assert "aftershock" in tiny.state.fired
    again = [e.inject for e in of(tiny.next_round(), "inject_fired")]
    assert "aftershock" not in again
    tiny.to_stage("continuation")
    tiny.submit(cm.Adjudicate(target="regions.up.hazard", value=1.0, reason="again"))
    tiny.next_round()
    # max_waves = 2: the second wave is the last; the stage runs its rounds instead.
    assert tiny.state.stage == "continuation" and tiny.state.wave == 1
    tiny.next_round()
    assert stage_changes(tiny)[-1][1:3] == ("recovery", "rounds")


def test_max_rounds_ends_the_exercise(tmp_path: Path) -> None:
    d = Driver(tiny_variant(tmp_path, rules_sub=("max_rounds = 24", "max_rounds = 2")))
    d.next_round()
    events = d.next_round()
    (ended,) = of(events, "exercise_ended")
    assert (ended.reason, ended.round) == ("round limit reached", 2)
    assert d.state.phase == "ended"


def test_max_waves_one_allows_no_resurgence(tmp_path: Path) -> None:
    d = Driver(tiny_variant(tmp_path, rules_sub=("max_waves = 2", "max_waves = 1")))
    d.to_stage("continuation")
    d.submit(cm.Adjudicate(target="regions.up.hazard", value=1.0, reason="dam breach"))
    d.next_round()
    assert d.state.stage == "continuation" and d.state.wave == 0


def test_scripted_injects_fire_at_their_stage_round(play: Driver) -> None:
    fired = [(e.inject, e.round, e.stage) for e in of(play.events, "inject_fired")]
    assert fired == [("forecast", 1, "gestation"), ("reservoir_level", 1, "gestation")]
    hazard = play.state.regions["coastal_city"].hazard
    events = play.next_round()
    landfall = {e.inject: e for e in of(events, "inject_fired")}
    assert list(landfall) == ["landfall", "discharge", "linhe_short"]
    # Effects are computed at firing time from the state at round start.
    resolved = of(events, "round_resolved")[0].regions["coastal_city"].hazard
    assert landfall["landfall"].changes == {"regions.coastal_city.hazard": resolved + 0.15}
    assert play.state.regions["coastal_city"].hazard == pytest.approx(resolved + 0.15)
    assert hazard != resolved
    events = play.next_round()
    scripted = [
        e.inject
        for e in of(events, "inject_fired")
        if e.inject in play.game.injects and play.game.injects[e.inject].when is None
    ]
    assert scripted == ["counterpart_plan"]


def test_private_injects_reach_only_their_addressees(play: Driver) -> None:
    (reservoir,) = [e for e in play.events if getattr(e, "inject", "") == "reservoir_level"]
    assert reservoir.private and reservoir.to == ["a_water"]
    assert [i.ref for i in play.state.inbox["a_water"]] == ["forecast", "reservoir_level"]
    for other in ("mem", "a_em", "county"):
        assert [i.ref for i in play.state.inbox[other]] == ["forecast"]


def test_conditional_inject_fires_at_the_next_round_start(tiny: Driver) -> None:
    tiny.submit(cm.Adjudicate(target="regions.down.trust", value=20, reason="rumours"))
    assert "panic" not in tiny.state.fired
    events = tiny.next_round()
    (panic,) = [e for e in of(events, "inject_fired") if e.inject == "panic"]
    assert (panic.round, panic.private, panic.type, panic.manual) == (2, True, "media", False)
    assert tiny.state.fired["panic"] == 2
    # A fired inject never fires again.
    assert not [e for e in of(tiny.next_round(), "inject_fired") if e.inject == "panic"]


def test_inject_effects_are_clamped(tiny: Driver) -> None:
    tiny.submit(cm.Adjudicate(target="regions.down.hazard", value=0.95, reason="test"))
    (e,) = tiny.submit(cm.ReleaseInject(inject="aftershock"))
    assert e.changes == {"regions.down.hazard": 1.0}


def test_manual_release_fires_now_and_never_again(tiny: Driver) -> None:
    (e,) = tiny.submit(cm.ReleaseInject(inject="aftershock"))
    assert (e.inject, e.manual, e.round, e.stage) == ("aftershock", True, 1, "gestation")
    assert e.changes == {"regions.down.hazard": pytest.approx(0.2)}
    assert tiny.state.regions["down"].hazard == pytest.approx(0.2)
    assert tiny.state.fired["aftershock"] == 1
    tiny.to_stage("outbreak")
    events = tiny.next_round()  # outbreak round 2, its scripted time
    assert "aftershock" not in [e.inject for e in of(events, "inject_fired")]
