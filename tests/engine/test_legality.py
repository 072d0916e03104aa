"""Legality: decide raises IllegalCommand with the reason legal_actions shows for the option."""

from __future__ import annotations

import pytest
from tabletop_helpers import Driver

from tabletop.engine import legal_actions
from tabletop.engine.game import Game
from tabletop.errors import IllegalCommand
from tabletop.model import commands as cm


def refused(play: Driver, command: cm.Command) -> str:
    """Submit ``command``, expect IllegalCommand, return its message; nothing is recorded."""
    before = len(play.ex.records)
    with pytest.raises(IllegalCommand) as info:
        play.submit(command)
    assert len(play.ex.records) == before
    return str(info.value)


def test_wrong_turn(play: Driver) -> None:
    message = refused(play, cm.TakeAction(agency="county", action="monitor", region="linhe"))
    assert message == "it is mem's turn, not county's"
    options = legal_actions(play.game, play.state, "county")
    assert all(not o.enabled and o.reason == message for o in options)
    assert refused(play, cm.EndTurn(agency="county")) == message


def test_unknown_agency(play: Driver) -> None:
    message = refused(play, cm.TakeAction(agency="nasa", action="monitor", region="linhe"))
    assert message == "unknown agency 'nasa'"


def test_paused(play: Driver) -> None:
    play.submit(cm.Pause())
    message = refused(play, cm.TakeAction(agency="mem", action="monitor", region="linhe"))
    assert message == "the exercise is paused by the facilitator"
    assert play.option("monitor").reason == message and not play.option("monitor").enabled
    assert refused(play, cm.EndTurn(agency="mem")) == message
    play.submit(cm.Resume())
    play.act("monitor", region="linhe")


def test_wrong_stage(play: Driver) -> None:
    message = refused(play, cm.TakeAction(agency="mem", action="joint_review", target="city"))
    assert message == "not allowed in the gestation stage"
    assert play.option("joint_review").reason == message


def test_wrong_level(play: Driver) -> None:
    play.turn_to("county")
    message = refused(
        play, cm.TakeAction(agency="county", action="directive", target="mem", order="monitor")
    )
    assert message == "only for central/provincial/municipal agencies"
    assert play.option("directive").reason == message


def test_missing_authority(play: Driver) -> None:
    play.turn_to("a_water")
    message = refused(play, cm.TakeAction(agency="a_water", action="activate_response", level="2"))
    assert message == "needs the 'response' authority"
    assert play.option("activate_response").reason == message


def test_not_enough_points(play: Driver) -> None:
    play.act("monitor", region="linhe")
    play.act("monitor", region="jiang_plain")
    message = refused(
        play,
        cm.ProposeAgreement(
            agency="mem",
            action="establish_joint_mechanism",
            mechanism="joint_mechanism",
            parties=["mem", "a_em", "b_em"],
        ),
    )
    assert message == "needs 2 action point(s), 1 left"
    assert play.option("establish_joint_mechanism").reason == message
    play.act("monitor", region="reservoir")
    message = refused(play, cm.TakeAction(agency="mem", action="monitor", region="linhe"))
    assert message == "needs 1 action point(s), 0 left"
    assert play.option("monitor").reason == message
    # Free actions stay possible with no points left.
    assert play.option("pass").enabled


def test_no_superior_to_report_to(play: Driver) -> None:
    message = refused(play, cm.TakeAction(agency="mem", action="report_up", region="linhe"))
    assert message == "no superior to report to"
    assert play.option("report_up").reason == message


def test_nothing_known_to_share(play: Driver) -> None:
    message = refused(
        play, cm.TakeAction(agency="mem", action="share_information", target="city", region="linhe")
    )
    assert message == "no region available"
    assert play.option("share_information").reason == message


def test_nothing_to_answer(play: Driver) -> None:
    message = refused(play, cm.AnswerProposal(agency="mem", proposal="P1", accept=True))
    assert message == "proposal 'P1' is not waiting for mem's answer"
    assert play.option("accept_agreement").reason == "no proposal waiting for your answer"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"action": "monitor", "region": "atlantis"},
            "region 'atlantis' is not possible here (possible: coastal_city, reservoir, "
            "jiang_plain, linhe, province_c)",
        ),
        ({"action": "monitor"}, "choose a region"),
        (
            {"action": "issue_warning", "region": "linhe", "level": "purple"},
            "level 'purple' is not possible here (possible: blue, yellow, orange, red)",
        ),
        (
            {"action": "activate_response", "level": "5"},
            "level '5' is not possible here (possible: 1, 2, 3, 4)",
        ),
        (
            {"action": "directive", "target": "mem", "order": "monitor"},
            "target 'mem' is not possible here (possible: a_em, a_water, b_em, b_health, "
            "c_em, city, county)",
        ),
        (
            {"action": "deploy", "region": "linhe", "resource": "rescue", "amount": 0},
            "the amount must be more than 0",
        ),
        (
            {"action": "deploy", "region": "linhe", "resource": "rescue", "amount": 31},
            "the amount 31 is more than the 30 available",
        ),
        (
            {"action": "special_funds", "target": "county", "amount": 501},
            "the amount 501 is more than the 500 available",
        ),
        (
            {"action": "monitr", "region": "linhe"},
            "unknown action 'monitr' (did you mean 'monitor'?)",
        ),
        (
            {"action": "propose_agreement"},
            "'propose_agreement' is a negotiation: use a proposal command",
        ),
    ],
)
def test_bad_parameter_choice(play: Driver, params: dict, message: str) -> None:
    assert refused(play, cm.TakeAction(agency="mem", **params)) == message


def test_bad_choices_are_not_offered(play: Driver) -> None:
    option = play.option("monitor")
    assert option.enabled
    assert "atlantis" not in option.param("region").choices
    assert play.option("directive").param("target").choices == (
        "a_em",
        "a_water",
        "b_em",
        "b_health",
        "c_em",
        "city",
        "county",
    )
    assert play.option("deploy").param("amount").maximum == 30.0


def test_spans_limit_regional_actions(play: Driver) -> None:
    play.turn_to("county")
    assert play.option("issue_warning").param("region").choices == ("linhe",)
    message = refused(
        play,
        cm.TakeAction(agency="county", action="issue_warning", region="coastal_city", level="red"),
    )
    assert message == "region 'coastal_city' is not possible here (possible: linhe)"


def test_nothing_is_legal_before_the_start(game: Game) -> None:
    from tabletop.engine import initial_state

    state = initial_state(game)
    assert {o.reason for o in legal_actions(game, state, "mem")} == {"the exercise has not started"}


def test_nothing_is_legal_after_the_end(play: Driver) -> None:
    play.submit(cm.EndExercise())
    message = refused(play, cm.TakeAction(agency="mem", action="monitor", region="linhe"))
    assert message == "the exercise has ended"
    assert {o.reason for o in legal_actions(play.game, play.state, "mem")} == {message}


def test_every_enabled_option_with_its_first_choices_is_accepted(play: Driver) -> None:
    """The menu and decide agree: the first legal value of each parameter is accepted."""
    for o in legal_actions(play.game, play.state, "mem"):
        if not o.enabled or o.handler in ("pass", "propose", "accept", "reject", "counter"):
            continue
        kw: dict = {}
        for p in o.params:
            if p.choices:
                kw[p.name] = p.choices[0]
            elif p.name == "amount":
                kw[p.name] = 1.0
        if o.handler == "local_protection":
            kw["region"] = "linhe"
        snapshot = len(play.ex.records)
        play.act(o.action, **kw)
        assert len(play.ex.records) > snapshot
        play.submit(cm.UndoTurn())
        assert play.state.agencies["mem"].points == 3


def test_joint_mechanism_is_not_offered_without_three_agencies(tiny: Driver) -> None:
    option = tiny.option("establish_joint_mechanism")
    with pytest.raises(IllegalCommand, match="needs at least 3 parties"):
        tiny.propose(
            action="establish_joint_mechanism",
            mechanism="joint_mechanism",
            parties=["prov", "town"],
        )
    assert not option.enabled


def test_missing_parameter_messages_read_well(play: Driver) -> None:
    message = refused(play, cm.TakeAction(agency="mem", action="directive", target="city"))
    assert message == "choose an order"
