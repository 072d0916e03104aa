"""How events name things (:mod:`tabletop.describe`), the same in the report and the TUI log."""

from __future__ import annotations

from tabletop.describe import (
    NO_COMMITMENT,
    action_title,
    commitment_text,
    commitments_text,
    fmt_amount,
    recipients,
)
from tabletop.engine.game import Game
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.events import Record
from tabletop.report.describe import describe as sentence
from tabletop.tui.text import describe as log_line

RESCUE = cm.CommitmentSpec(
    debtor="county",
    creditor="a_water",
    deliverable="deliver",
    resource="rescue",
    region="linhe",
    amount=3,
    due_round=2,
)
FUNDS = cm.CommitmentSpec(
    debtor="mem", creditor="county", deliverable="funds", amount=5, due_round=3
)


def record(event: ev.Event) -> Record:
    return Record(seq=1, decision_id="d1", at="2026-01-01T00:00:00+00:00", event=event)


def action(**changes: object) -> ev.ActionTaken:
    fields: dict[str, object] = {
        "agency": "county",
        "action": "monitor",
        "handler": "monitor",
        "cost": 1,
        "round": 1,
        "stage": "gestation",
        "region": "linhe",
    }
    return ev.ActionTaken(**(fields | changes))  # type: ignore[arg-type]


def proposal(commitments: list[cm.CommitmentSpec]) -> ev.ProposalMade:
    return ev.ProposalMade(
        proposal="P1",
        agency="county",
        action="propose_agreement",
        cost=1,
        mechanism="mutual_aid",
        parties=["county", "a_water"],
        commitments=commitments,
        title="Rescue teams",
        round=1,
        stage="outbreak",
    )


def inject(to: list[str]) -> ev.InjectFired:
    return ev.InjectFired(
        inject="i1",
        round=1,
        stage="gestation",
        to=to,
        private=False,
        type="event",
        title="Levee seepage",
        text="Water seeps through the levee.",
    )


def test_action_title_is_the_rule_packs_title_or_the_id(game: Game) -> None:
    assert action_title(game, "monitor") == game.action("monitor").title == "Monitor a region"
    assert action_title(game, "no_such_action") == "no_such_action"


def test_commitments_text() -> None:
    assert commitments_text([RESCUE, FUNDS]) == f"{RESCUE.describe()}; {FUNDS.describe()}"
    assert commitments_text([]) == NO_COMMITMENT == "no concrete commitment"


def test_recipients() -> None:
    assert recipients(["all"]) == "all"
    assert recipients(["county", "all"], everyone="everyone") == "everyone"
    assert recipients(["county", "a_water"]) == "county, a_water"
    assert recipients([]) == ""


def test_report_and_log_name_an_unknown_action_alike(game: Game) -> None:
    e = action(action="no_such_action", handler="custom", region=None, target="mem")
    county = "Linhe County Government"
    mem = "Ministry of Emergency Management"
    assert sentence(game, e) == f"{county}: no_such_action ({mem})."
    assert log_line(game, record(e)) == f"{county}: no_such_action -> {mem}"
    known = action()
    assert log_line(game, record(known)) == f"{county}: Monitor a region in Linhe county"
    assert sentence(game, known) == f"{county} monitors Linhe county."  # the report's own verb


def test_report_and_log_name_commitments_alike(game: Game) -> None:
    named = commitment_text(game, RESCUE)
    assert named == (
        "Linhe County Government -> Province A Water Resources Department: "
        "deliver 3 Rescue teams to Linhe county by round 2"
    )
    full = proposal([RESCUE])
    assert sentence(game, full) == (
        "Linhe County Government proposes P1, a mutual aid with "
        f"Province A Water Resources Department: {named}."
    )
    assert log_line(game, record(full)) == (
        f"Linhe County Government proposed P1: Rescue teams - {named}"
    )
    empty = proposal([])
    assert sentence(game, empty).endswith(": no concrete commitment.")
    assert log_line(game, record(empty)).endswith(" - no concrete commitment")


def test_report_and_log_name_addressees(game: Game) -> None:
    everyone = inject(["all"])
    assert sentence(game, everyone).startswith("Inject 'Levee seepage' to everyone: ")
    assert log_line(game, record(everyone)) == "Inject [event] to all: Levee seepage"
    some = inject(["county", "mem"])
    names = "Linhe County Government, Ministry of Emergency Management"
    assert sentence(game, some).startswith(f"Inject 'Levee seepage' to {names}: ")
    assert log_line(game, record(some)) == f"Inject [event] to {names}: Levee seepage"


def test_warnings_take_the_right_article(game: Game) -> None:
    orange = action(action="issue_warning", handler="issue_warning", level="orange")
    assert "issues an orange warning for Linhe county" in sentence(game, orange)
    assert log_line(game, record(orange)).endswith("(an orange warning)")
    red = action(action="issue_warning", handler="issue_warning", level="red")
    assert "issues a red warning" in sentence(game, red)


def test_big_amounts_are_not_scientific(game: Game) -> None:
    pay = action(
        action="transfer_payment",
        handler="transfer_payment",
        region=None,
        target="county",
        amount=1_000_000,
    )
    assert "1,000,000" in sentence(game, pay)
    assert "1,000,000 funds" in log_line(game, record(pay))
    assert "e+" not in sentence(game, pay) + log_line(game, record(pay))
    assert fmt_amount(1_000_000) == "1,000,000"


def test_formalize_does_not_say_agreement_twice(game: Game) -> None:
    formal = [a for a, r in game.rules.actions.items() if r.handler == "formalize"]
    assert formal
    e = action(action=formal[0], handler="formalize", region=None, agreement="P1")
    line = log_line(game, record(e))
    assert "agreement agreement" not in line.lower()
    assert line.endswith("P1")
