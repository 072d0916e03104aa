"""The data model: commands, events, scenario and rule-pack models, state, errors."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from tabletop_helpers import Driver

from tabletop.engine.game import Game
from tabletop.errors import (
    ExpressionError,
    IllegalCommand,
    JournalError,
    Problem,
    ScenarioError,
    StaleWriter,
    TabletopError,
)
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.rules import Formula, StageRule
from tabletop.model.scenario import Agency, Inject
from tabletop.model.state import clone_state


def test_commitment_describe() -> None:
    deliver = cm.CommitmentSpec(
        debtor="c_em",
        creditor="county",
        deliverable="deliver",
        resource="rescue",
        region="linhe",
        amount=3,
        due_round=2,
    )
    assert deliver.describe() == "c_em -> county: deliver 3 rescue to linhe by round 2"
    funds = cm.CommitmentSpec(
        debtor="a", creditor="b", deliverable="funds", amount=2.5, due_round=1
    )
    assert funds.describe() == "a -> b: pay 2.5 funds by round 1"
    action = cm.CommitmentSpec(
        debtor="a", creditor="b", deliverable="action", action="monitor", region="x", due_round=4
    )
    assert action.describe() == "a -> b: take action 'monitor' in x by round 4"


def test_commands_parse_from_dicts_by_kind() -> None:
    command = cm.COMMAND_ADAPTER.validate_python(
        {"kind": "take_action", "agency": "mem", "action": "monitor", "region": "linhe"}
    )
    assert isinstance(command, cm.TakeAction) and command.accuracy == 1.0
    command = cm.COMMAND_ADAPTER.validate_python({"kind": "end_turn", "agency": "mem"})
    assert isinstance(command, cm.EndTurn)


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "take_action", "agency": "mem", "action": "monitor", "regoin": "linhe"},
        {"kind": "take_action", "agency": "mem", "action": "report_up", "accuracy": 1.5},
        {"kind": "take_action", "agency": "mem", "action": "deploy", "amount": -1},
        {"kind": "take_action", "agency": "mem", "action": "local_protection", "mode": "flee"},
        {"kind": "force_stage", "stage": "outbreak", "reason": ""},
        {"kind": "launch_rocket"},
    ],
)
def test_bad_commands_are_refused_by_the_model(data: dict) -> None:
    with pytest.raises(ValidationError):
        cm.COMMAND_ADAPTER.validate_python(data)


def test_commands_are_immutable() -> None:
    command = cm.EndTurn(agency="mem")
    with pytest.raises(ValidationError):
        command.agency = "city"  # type: ignore[misc]


def test_a_proposal_to_one_partner_can_be_written_as_offered(play: Driver) -> None:
    play.turn_to("a_water")
    offered = play.option("propose_agreement").param("parties")
    assert "a_water" not in offered.choices
    events = play.submit(
        cm.ProposeAgreement(agency="a_water", mechanism="compensation", parties=["county"])
    )
    assert events[0].parties == ["a_water", "county"]


def test_every_event_of_a_played_round_survives_json(play: Driver) -> None:
    play.act("monitor", region="linhe")
    play.act("directive", target="city", order="public_release")
    play.turn_to("a_water")
    play.propose(mechanism="compensation", parties=["a_water", "county"])
    play.next_round()
    kinds = set()
    for record in play.ex.records:
        text = record.event.model_dump_json()
        again = ev.EVENT_ADAPTER.validate_json(text)
        assert again == record.event
        assert again.v == (2 if again.kind == "action_taken" else 1)
        kinds.add(again.kind)
    assert {"exercise_started", "action_taken", "round_resolved", "directive_issued"} <= kinds
    assert ev.EVENT_VERSION == 2


def test_undoable_events_are_the_player_decisions() -> None:
    assert {
        "action_taken",
        "proposal_made",
        "proposal_answered",
        "agreement_activated",
        "proposal_closed",
        "directive_issued",
    } == ev.UNDOABLE


def test_records_are_frozen() -> None:
    record = ev.Record(1, "d", "2026-01-01T00:00:00+00:00", ev.ExercisePaused())
    with pytest.raises(AttributeError):
        record.seq = 2  # type: ignore[misc]
    assert record.seq == 1


def test_inject_privacy_defaults_to_its_addressees() -> None:
    public = Inject(id="a", stage="s", round=1, title="t", text="x")
    private = Inject(id="b", stage="s", round=1, to=["city"], title="t", text="x")
    forced = Inject(id="c", stage="s", round=1, to=["city"], private=False, title="t", text="x")
    assert (public.is_private, private.is_private, forced.is_private) == (False, True, False)


def test_inject_needs_a_trigger() -> None:
    with pytest.raises(ValidationError, match="needs 'round'"):
        Inject(id="a", title="t", text="x")
    with pytest.raises(ValidationError, match="'round' needs 'stage'"):
        Inject(id="a", round=1, title="t", text="x")
    assert Inject(id="a", when="round > 1", title="t", text="x").stage is None


def test_agency_resources_must_not_be_negative() -> None:
    with pytest.raises(ValidationError, match="rescue"):
        Agency(name="n", level="county", department="d", resources={"rescue": -1})


def test_stage_regress_fields_come_together() -> None:
    with pytest.raises(ValidationError, match="regress_if and regress_to must be given together"):
        StageRule(id="s", title="S", function="trigger", rounds=1, regress_if="wave < 1")


def test_warning_thresholds_need_all_four_levels() -> None:
    with pytest.raises(ValidationError, match="warning_thresholds needs exactly"):
        Formula(warning_thresholds={"blue": 0.1, "red": 0.9})


def test_hierarchy_helpers(game: Game) -> None:
    sc = game.scenario
    assert sc.chain_up("county") == ["b_em", "mem"]
    assert sc.chain_up("mem") == []
    assert sc.subordinates("a_em") == ["city"]
    assert set(sc.subordinates("mem")) == set(game.order) - {"mem"}
    assert game.span["b_em"] == ("jiang_plain", "linhe")
    assert game.axis("county", "mem") == "vertical"
    assert game.axis("county", "a_water") == "horizontal"
    assert game.is_subordinate("mem", "county") and not game.is_subordinate("county", "mem")


def test_rule_pack_lookups(game: Game) -> None:
    rules = game.rules
    assert rules.stage_index("continuation") == 2
    assert rules.stage("outbreak").growth == 1.15
    assert rules.handler("establish_joint_mechanism") == "propose"
    assert rules.handler("monitor") == "monitor"
    assert game.actions_with("propose") == (
        "propose_agreement",
        "joint_operation",
        "establish_joint_mechanism",
    )
    assert game.stage_rounds("outbreak") == 2
    with pytest.raises(KeyError):
        rules.stage("aftermath")


def test_clone_state_is_equal_and_independent(play: Driver) -> None:
    play.act("deploy", region="linhe", resource="rescue", amount=2)
    play.turn_to("a_water")
    play.propose(mechanism="compensation", parties=["a_water", "county"])
    original = play.state
    copy = clone_state(original)
    assert copy == original
    copy.regions["linhe"].delivered["rescue"] = 99.0
    copy.agencies["mem"].resources["rescue"] = 0.0
    copy.proposals["P1"].answers["county"] = True
    copy.inbox["county"].clear()
    copy.deployed["linhe"]["rescue"]["mem"] = 0.0
    assert original.regions["linhe"].delivered["rescue"] == 1.0  # blind: half of 2
    assert original.agencies["mem"].resources["rescue"] == 18.0
    assert original.proposals["P1"].answers == {"a_water": True}
    assert original.inbox["county"]
    assert original.deployed["linhe"]["rescue"]["mem"] == 2.0
    assert copy != original


def test_problem_format() -> None:
    p = Problem("s.toml", 3, 5, "agencies.mem.level", "bad level", 'level = "x"')
    assert p.location() == "s.toml:3:5"
    assert p.format() == 's.toml:3:5: agencies.mem.level: bad level\n    level = "x"\n        ^'
    assert p.format(caret=False) == "s.toml:3:5: agencies.mem.level: bad level"
    assert Problem("s.toml", 0, 0, "", "file not found").format() == "s.toml: file not found"
    assert Problem("s.toml", 7, 0, "k", "m").location() == "s.toml:7"


def test_scenario_error_lists_every_problem() -> None:
    problems = [Problem("a.toml", 1, 1, "x", "one"), Problem("a.toml", 2, 1, "y", "two")]
    error = ScenarioError(problems)
    assert error.problems == problems
    assert str(error) == "a.toml:1:1: x: one\na.toml:2:1: y: two"


def test_every_user_error_is_a_tabletop_error_and_a_value_error() -> None:
    for cls in (ScenarioError, ExpressionError, IllegalCommand, JournalError, StaleWriter):
        assert issubclass(cls, TabletopError) and issubclass(cls, ValueError)
    assert issubclass(StaleWriter, JournalError)
    assert ExpressionError("bad", 4).offset == 4
