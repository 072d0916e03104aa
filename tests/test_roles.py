"""Roles, the facilitator's PIN and its unlock period (``tabletop/roles.py``)."""

from __future__ import annotations

import pytest

from tabletop.model import commands as cm
from tabletop.roles import (
    EVALUATOR_COMMANDS,
    FACILITATOR_COMMANDS,
    MSG_AGENCY_TERMINAL,
    MSG_EVALUATOR_TERMINAL,
    MSG_LOCKED,
    MSG_NOT_YOUR_AGENCY,
    FacilitatorLock,
    Role,
    hash_pin,
    pin_matches,
    pin_problem,
    refusal,
)

FACILITATOR_SAMPLES: list[cm.Command] = [
    cm.Pause(),
    cm.Resume(),
    cm.ReleaseInject(inject="x"),
    cm.ForceStage(stage="recovery", reason="r"),
    cm.Adjudicate(target="regions.a.hazard", value=1, reason="r"),
    cm.UndoTurn(),
    cm.EndExercise(),
    cm.ReleaseAdHocInject(title="t", text="x", to=["all"]),
    cm.SetFacilitatorPin(scheme="scrypt:16384:8:1", salt="00" * 16, digest="00" * 32),
    cm.IssueJoinCodes(
        codes=[
            cm.SeatCode(seat="a_em", scheme="scrypt:16384:8:1", salt="00" * 16, digest="00" * 32)
        ]
    ),
]
EVALUATOR_SAMPLES: list[cm.Command] = [
    cm.AddObservation(text="note"),
    cm.ConfirmRating(objective="o", rating="S"),
    cm.SubmitFeedback(agency="a_em", strengths="early warnings"),
    cm.UpdatePlanAction(action="flag.late_report.county", status="complete"),
]


def test_the_samples_cover_every_guarded_command() -> None:
    assert {c.kind for c in FACILITATOR_SAMPLES} == FACILITATOR_COMMANDS
    assert {c.kind for c in EVALUATOR_SAMPLES} == EVALUATOR_COMMANDS


@pytest.mark.parametrize("command", FACILITATOR_SAMPLES, ids=lambda c: c.kind)
def test_only_the_facilitator_steers(command: cm.Command) -> None:
    assert refusal([Role.facilitator()], command) is None
    assert refusal([Role.of_agency("county")], command) == MSG_AGENCY_TERMINAL
    assert refusal([Role.evaluator()], command) == MSG_EVALUATOR_TERMINAL
    # The hot-seat terminal may unlock the role with the PIN: it is told so.
    assert refusal([Role.of_agency("county")], command, can_unlock=True) == MSG_LOCKED


@pytest.mark.parametrize("command", EVALUATOR_SAMPLES, ids=lambda c: c.kind)
def test_evaluators_and_the_facilitator_observe_and_rate(command: cm.Command) -> None:
    assert refusal([Role.evaluator()], command) is None
    assert refusal([Role.facilitator()], command) is None
    assert refusal([Role.of_agency("county")], command) is not None


def test_an_agency_fills_in_its_own_feedback_form_only() -> None:
    county = [Role.of_agency("county")]
    assert refusal(county, cm.SubmitFeedback(agency="county", strengths="maps")) is None
    assert refusal(county, cm.SubmitFeedback(agency="a_em", strengths="maps")) is not None
    assert refusal(county, cm.UpdatePlanAction(action="scores.county", status="open")) is not None


def test_players_act_for_their_own_agency_only() -> None:
    mine = cm.TakeAction(agency="county", action="monitor", region="r")
    theirs = cm.EndTurn(agency="a_em")
    county = [Role.of_agency("county")]
    assert refusal(county, mine) is None
    assert refusal(county, theirs) == MSG_NOT_YOUR_AGENCY
    assert refusal([Role.facilitator()], mine) == MSG_NOT_YOUR_AGENCY
    assert refusal([Role.evaluator()], mine) == MSG_NOT_YOUR_AGENCY
    # Several roles: any one that permits is enough.
    assert refusal([Role.of_agency("a_em"), *county], theirs) is None
    # Anyone may have a refusal journaled.
    note = cm.RecordAccessRefused(action="pause", seat="agency:county", reason="no")
    assert refusal(county, note) is None


def test_role_labels() -> None:
    assert Role.of_agency("county").label == "agency:county"
    assert Role.facilitator().label == "facilitator"
    assert Role.evaluator().label == "evaluator"


def test_pin_hash_is_salted_and_checks() -> None:
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a.salt != b.salt and a.digest != b.digest
    assert "2468" not in a.digest + a.salt + a.scheme
    assert a.scheme.startswith("scrypt:")
    assert pin_matches("2468", a) and pin_matches("2468", b)
    assert not pin_matches("2469", a)
    assert not pin_matches("2468", type(a)("md5:1:1:1", a.salt, a.digest))
    assert not pin_matches("2468", type(a)(a.scheme, "not hex", a.digest))
    # The same salt gives the same digest (a stored hash can be checked later).
    assert hash_pin("2468", salt=bytes.fromhex(a.salt)) == a


@pytest.mark.parametrize(("pin", "ok"), [("123", False), ("1234", True), (" 1234", False)])
def test_pin_rules(pin: str, ok: bool) -> None:
    assert (pin_problem(pin) is None) is ok
    if not ok:
        with pytest.raises(ValueError):
            hash_pin(pin)


def test_lock_unlock_period_and_relock() -> None:
    now = [100.0]
    lock = FacilitatorLock(hash_pin("2468"), clock=lambda: now[0], period=60)
    assert lock.has_pin and not lock.unlocked
    assert not lock.unlock("0000") and not lock.unlocked
    assert lock.unlock("2468") and lock.unlocked
    now[0] += 59
    assert lock.unlocked
    lock.touch()  # a facilitator action keeps it for another period
    now[0] += 59
    assert lock.unlocked
    now[0] += 2
    assert not lock.unlocked
    assert lock.unlock("2468")
    lock.lock()
    assert not lock.unlocked
    lock.touch()  # using a key while locked does not unlock
    assert not lock.unlocked
    assert not FacilitatorLock(None).unlock("2468")


# ---------------------------------------------------------------- join codes


def test_join_codes_are_random_hashed_and_forgiving_in_case_and_dashes() -> None:
    from tabletop.model.events import JoinCodesIssued, Record
    from tabletop.roles import (
        CODE_ALPHABET,
        code_matches,
        issue_join_codes,
        journaled_codes,
        seat_role,
    )

    codes, command = issue_join_codes(["a_em", "facilitator", "evaluator"])
    assert set(codes) == {"a_em", "facilitator", "evaluator"}
    assert len(set(codes.values())) == 3
    for code in codes.values():
        raw = code.replace("-", "")
        assert len(raw) == 8 and set(raw) <= set(CODE_ALPHABET)
    # Only hashes are journaled: no code appears in the command.
    dumped = command.model_dump_json()
    assert not any(code.replace("-", "") in dumped.upper() for code in codes.values())
    records = [Record(1, "d", "t", JoinCodesIssued(codes=command.codes, round=1))]
    stored = journaled_codes(records)
    assert code_matches(stored, "a_em", codes["a_em"].lower().replace("-", " "))
    assert not code_matches(stored, "a_em", codes["facilitator"])
    assert not code_matches(stored, "nobody", codes["a_em"])
    assert seat_role("facilitator") == Role.facilitator()
    assert seat_role("evaluator") == Role.evaluator()
    assert seat_role("a_em") == Role.of_agency("a_em")
    # Issuing again replaces every code.
    again, command2 = issue_join_codes(["a_em"])
    records.append(Record(2, "e", "t", JoinCodesIssued(codes=command2.codes, round=1)))
    latest = journaled_codes(records)
    assert set(latest) == {"a_em"} and not code_matches(latest, "a_em", codes["a_em"])
