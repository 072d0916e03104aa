"""Facilitator commands: pause, release, force stage, adjudicate, observe, undo, end."""

from __future__ import annotations

import pytest
from tabletop_helpers import Driver, of

from tabletop.engine.evolve import evolve, undone_seqs
from tabletop.engine.game import Game
from tabletop.errors import IllegalCommand
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.state import clone_state


def refused(d: Driver, command: cm.Command) -> str:
    """The IllegalCommand message ``command`` gets (nothing is recorded)."""
    before = len(d.ex.records)
    with pytest.raises(IllegalCommand) as info:
        d.submit(command)
    assert len(d.ex.records) == before
    return str(info.value)


def test_pause_and_resume(play: Driver) -> None:
    assert [e.kind for e in play.submit(cm.Pause())] == ["exercise_paused"]
    assert play.state.paused
    assert refused(play, cm.Pause()) == "already paused"
    # Facilitator commands still work while paused.
    play.submit(cm.AddObservation(text="Paused for a briefing"))
    assert [e.kind for e in play.submit(cm.Resume())] == ["exercise_resumed"]
    assert not play.state.paused
    assert refused(play, cm.Resume()) == "not paused"


def test_release_inject_errors(play: Driver) -> None:
    assert refused(play, cm.ReleaseInject(inject="meteor")) == "unknown inject 'meteor'"
    assert (
        refused(play, cm.ReleaseInject(inject="forecast")) == "inject 'forecast' has already fired"
    )


def test_release_private_inject_by_hand(play: Driver) -> None:
    (e,) = play.submit(cm.ReleaseInject(inject="disease_risk"))
    assert e.manual and e.private and e.to == ["b_health", "county"]
    assert "disease_risk" in [i.ref for i in play.state.inbox["county"]]
    assert "disease_risk" not in [i.ref for i in play.state.inbox["city"]]


def test_force_stage_moves_now_and_fires_the_stage_injects(play: Driver) -> None:
    play.act("monitor", region="linhe")
    events = play.submit(cm.ForceStage(stage="outbreak", reason="landfall came early"))
    changed = events[0]
    assert (changed.from_stage, changed.to_stage, changed.reason, changed.note) == (
        "gestation",
        "outbreak",
        "forced",
        "landfall came early",
    )
    # No second round_started: the round goes on as the new stage's first round, so the
    # deliveries already made this round still count for waste and duplication.
    assert of(events, "round_started") == []
    assert play.state.stage_round == 1
    assert [e.inject for e in of(events, "inject_fired")] == [
        "landfall",
        "discharge",
        "linhe_short",
    ]
    # The turn goes on in the new stage.
    assert (play.state.stage, play.state.round, play.state.active) == ("outbreak", 1, "mem")
    assert play.state.agencies["mem"].points == 2
    play.next_round()
    assert (play.state.stage, play.state.stage_round) == ("outbreak", 2)


def test_force_stage_errors(play: Driver) -> None:
    assert refused(play, cm.ForceStage(stage="aftermath", reason="x")).startswith(
        "unknown stage 'aftermath'"
    )
    assert refused(play, cm.ForceStage(stage="gestation", reason="x")) == (
        "already in the gestation stage"
    )


def test_adjudicate_overrides_with_a_logged_reason(play: Driver) -> None:
    (e,) = play.submit(
        cm.Adjudicate(target="regions.linhe.hazard", value=0.5, reason="levee breach")
    )
    assert (e.target, e.old, e.new, e.reason, e.round) == (
        "regions.linhe.hazard",
        0.05,
        0.5,
        "levee breach",
        1,
    )
    assert play.state.regions["linhe"].hazard == 0.5
    (e,) = play.submit(
        cm.Adjudicate(target="agencies.county.resources.rescue", value=9, reason="r")
    )
    assert play.state.agencies["county"].resources["rescue"] == 9.0
    (e,) = play.submit(cm.Adjudicate(target="regions.linhe.delivered.medical", value=2, reason="r"))
    assert play.state.regions["linhe"].delivered["medical"] == 2.0


def test_adjudicate_clamps_to_the_field_range(play: Driver) -> None:
    (e,) = play.submit(cm.Adjudicate(target="regions.linhe.hazard", value=3, reason="x"))
    assert e.new == 1.0
    (e,) = play.submit(cm.Adjudicate(target="regions.linhe.trust", value=-5, reason="x"))
    assert e.new == 0.0


def test_adjudicate_unknown_target_suggests_a_name(play: Driver) -> None:
    message = refused(play, cm.Adjudicate(target="regions.linhe.hazrd", value=1, reason="x"))
    assert (
        message == "cannot adjudicate 'regions.linhe.hazrd' (did you mean 'regions.linhe.hazard'?)"
    )
    message = refused(play, cm.Adjudicate(target="regions.linhe.need", value=1, reason="x"))
    assert message.startswith("cannot adjudicate 'regions.linhe.need'")


def test_adjudicate_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        cm.Adjudicate(target="regions.linhe.hazard", value=1, reason="")


def test_observation_is_recorded(play: Driver) -> None:
    (e,) = play.submit(cm.AddObservation(text="Slow to share", agency="a_water", author="eva"))
    assert (e.text, e.agency, e.author, e.round, e.stage) == (
        "Slow to share",
        "a_water",
        "eva",
        1,
        "gestation",
    )
    assert play.state.observations == 1
    assert refused(play, cm.AddObservation(text="x", agency="nasa")) == "unknown agency 'nasa'"


def test_undo_restores_the_turn_and_keeps_the_audit_trail(play: Driver) -> None:
    play.end_turn()  # a_em's turn
    before = clone_state(play.state)
    n = len(play.ex.records)
    play.act("monitor", region="linhe")
    play.act("activate_response", level="4")
    play.act("directive", target="city", order="issue_warning")
    assert play.state != before
    (undone,) = play.submit(cm.UndoTurn())
    assert (undone.kind, undone.agency, undone.round) == ("turn_undone", "a_em", 1)
    # Everything is as before the turn's decisions, except the count of applied events
    # and of ids given: the undone directive's id D1 stays used.
    before.events += 1
    before.issued["D"] = 1
    assert play.state == before
    assert play.state.agencies["a_em"].points == 3 and play.state.directives == {}
    # The undone decisions stay in the records (and would stay in the journal).
    kinds = [r.event.kind for r in play.ex.records[n:]]
    assert kinds == [
        "action_taken",
        "action_taken",
        "action_taken",
        "directive_issued",
        "turn_undone",
    ]
    assert undone_seqs(play.ex.records) == {r.seq for r in play.ex.records[n : n + 4]}
    assert play.ex.replayed() == play.state
    assert refused(play, cm.UndoTurn()) == "nothing to undo in this turn"
    # The agency plays on; a new directive gets a new id.
    play.act("monitor", region="reservoir")
    assert play.state.agencies["a_em"].points == 2
    play.act("directive", target="city", order="issue_warning")
    assert list(play.state.directives) == ["D2"]


def test_undo_of_a_counter_reopens_the_original(play: Driver) -> None:
    play.turn_to("a_water")
    play.propose(mechanism="compensation", parties=["a_water", "county"])
    play.turn_to("county")
    play.submit(cm.CounterProposal(agency="county", proposal="P1"))
    assert play.state.proposals["P1"].status == "superseded"
    play.submit(cm.UndoTurn())
    assert play.state.proposals["P1"].status == "open"
    assert "P2" not in play.state.proposals


def test_undo_needs_a_decision_in_this_turn(play: Driver) -> None:
    assert refused(play, cm.UndoTurn()) == "nothing to undo in this turn"
    play.act("monitor", region="linhe")
    play.end_turn()
    assert refused(play, cm.UndoTurn()) == "nothing to undo in this turn"


def test_end_exercise(play: Driver) -> None:
    (e,) = play.submit(cm.EndExercise(reason="time is up"))
    assert (e.reason, e.round) == ("time is up", 1)
    assert play.state.phase == "ended" and play.state.active is None
    assert refused(play, cm.EndExercise()) == "the exercise has already ended"
    assert refused(play, cm.Pause()) == "the exercise is not running (ended)"
    # Evaluators can still add observations and confirm ratings after the end.
    play.submit(cm.AddObservation(text="Good debrief"))
    (r,) = play.submit(cm.ConfirmRating(objective="early_warning", rating="S", note="late"))
    assert (r.objective, r.rating, r.note) == ("early_warning", "S", "late")


def test_confirm_rating_unknown_objective_suggests_one(play: Driver) -> None:
    message = refused(play, cm.ConfirmRating(objective="early_warnings", rating="P"))
    assert message == "unknown objective 'early_warnings' (did you mean 'early_warning'?)"


def test_start_twice_is_refused(play: Driver) -> None:
    assert refused(play, cm.StartExercise()) == "the exercise has already started"


def test_adjudicated_containment_changes_the_resolution(tiny_game: Game) -> None:
    control, changed = Driver(tiny_game), Driver(tiny_game)
    # Same number of events on both sides, so both draw the same noise.
    control.submit(cm.Adjudicate(target="regions.up.trust", value=60, reason="no-op"))
    changed.submit(cm.Adjudicate(target="regions.up.containment", value=1.0, reason="sandbags"))
    a = of(control.next_round(), "round_resolved")[0].regions["up"]
    b = of(changed.next_round(), "round_resolved")[0].regions["up"]
    assert a.noise == b.noise
    assert b.hazard < a.hazard


def test_ids_of_undone_decisions_are_never_given_again(play: Driver) -> None:
    play.turn_to("county")
    e = play.act("request_support", target="c_em", region="linhe", resource="rescue", amount=3)
    assert e.request == "Q1"
    play.submit(cm.UndoTurn())
    assert play.state.requests == {} and play.state.issued == {"Q": 1}
    again = play.act("request_support", target="c_em", region="linhe", resource="rescue", amount=2)
    assert again.request == "Q2" and list(play.state.requests) == ["Q2"]
    play.turn_to("a_water")
    (made,) = of(
        play.propose(mechanism="compensation", parties=["a_water", "county"]), "proposal_made"
    )
    assert made.proposal == "P1"
    play.submit(cm.UndoTurn())
    (made,) = of(
        play.propose(mechanism="compensation", parties=["a_water", "county"]), "proposal_made"
    )
    assert made.proposal == "P2" and list(play.state.proposals) == ["P2"]
    # The audit trail names every id once (the undone ones are still there, marked undone).
    requests = [r.event.request for r in play.ex.records if r.event.kind == "action_taken"]
    proposals = [r.event.proposal for r in play.ex.records if r.event.kind == "proposal_made"]
    assert [q for q in requests if q] == ["Q1", "Q2"] and proposals == ["P1", "P2"]
    assert play.ex.replayed() == play.state


def test_version_1_action_events_replay_as_written(play: Driver) -> None:
    """Journals written before action events carried their request id still fold the same."""
    play.turn_to("county")
    e = play.act("request_support", target="c_em", region="linhe", resource="rescue", amount=3)
    old = ev.ActionTaken.model_validate(
        {**e.model_dump(exclude={"request"}), "v": 1}
    )  # as a version-1 journal stores it
    state = clone_state(play.state)
    state.requests.clear()
    evolve(state, old)
    assert list(state.requests) == ["Q1"]  # numbered by count, as version 1 did


def test_adhoc_inject_is_journaled_like_a_scripted_one(tiny: Driver) -> None:
    [e] = tiny.submit(
        cm.ReleaseAdHocInject(
            title="Dam rumour", text="A caller says the dam leaks.", to=["town"], type="media"
        )
    )
    assert isinstance(e, ev.InjectFired)
    assert (e.inject, e.manual, e.private, e.to, e.type) == (
        "adhoc.1",
        True,
        True,
        ["town"],
        "media",
    )
    assert tiny.state.fired["adhoc.1"] == tiny.state.round
    assert [i.title for i in tiny.state.inbox["town"] if i.ref == "adhoc.1"] == ["Dam rumour"]
    assert not any(i.ref == "adhoc.1" for i in tiny.state.inbox["prov"])
    # To everyone: public, and the next one gets the next id.
    [e2] = tiny.submit(cm.ReleaseAdHocInject(title="Press", text="Cameras.", to=["all", "town"]))
    assert (e2.inject, e2.to, e2.private) == ("adhoc.2", ["all"], False)
    assert tiny.ex.replayed() == tiny.state


def test_adhoc_inject_errors(tiny: Driver) -> None:
    bad = cm.ReleaseAdHocInject(title="t", text="x", to=["tonw"])
    assert refused(tiny, bad) == "unknown agency 'tonw' (did you mean 'town'?)"
    assert refused(tiny, cm.ReleaseAdHocInject(title=" ", text="x", to=["all"])) == (
        "the inject needs a title"
    )
    tiny.submit(cm.EndExercise())
    assert "not running" in refused(tiny, cm.ReleaseAdHocInject(title="t", text="x", to=["all"]))


def test_session_events_change_nothing_in_the_game(tiny: Driver) -> None:
    """A PIN set or a refused attempt moves no value, not even the random stream's position."""
    before = clone_state(tiny.state)
    events = tiny.submit(
        cm.SetFacilitatorPin(scheme="scrypt:1:1:1", salt="ab" * 8, digest="cd" * 16)
    )
    events += tiny.submit(
        cm.RecordAccessRefused(action="adjudicate", seat="agency:town", reason="not yours")
    )
    assert [e.kind for e in events] == ["facilitator_pin_set", "facilitator_access_refused"]
    assert tiny.state == before
    assert tiny.ex.replayed() == before
    # The rest of the exercise draws what it would have drawn without them.
    plain = Driver(tiny.ex.game)
    for d in (tiny, plain):
        while d.state.phase == "running":
            d.submit(cm.EndTurn(agency=d.state.active))
    assert tiny.state.regions == plain.state.regions


def test_an_evaluator_rates_one_critical_task(play: Driver) -> None:
    cmd = cm.ConfirmRating(objective="early_warning", task="city_warning", rating="M", note="late")
    (e,) = play.submit(cmd)
    assert (e.objective, e.task, e.rating) == (
        "early_warning",
        "city_warning",
        "M",
    )
    message = refused(
        play, cm.ConfirmRating(objective="early_warning", task="city_warn", rating="P")
    )
    assert message == (
        "objective 'early_warning' has no critical task 'city_warn' (did you mean 'city_warning'?)"
    )
