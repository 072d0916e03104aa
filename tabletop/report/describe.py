"""One human sentence per journal event, for the report's timeline.

Actions, commitments and addressees are named as in the terminal UI's log
(:mod:`tabletop.describe`); the sentences themselves are the report's own.
"""

from __future__ import annotations

from typing import assert_never

from tabletop.describe import (
    action_title,
    agency_name,
    agency_names,
    named_commitments_text,
    named_recipients,
    region_name,
    resource_title,
    stage_title,
    warning_phrase,
)
from tabletop.engine.game import Game
from tabletop.model import events as ev

_MODES = {
    "hoard": "hoards its resources",
    "close_border": "closes the border",
    "withhold_data": "withholds its data",
}
#: Timeline category of each event kind shown (others are left out).
CATEGORY: dict[str, str] = {
    "action_taken": "decision",
    "proposal_made": "decision",
    "proposal_answered": "decision",
    "agreement_activated": "result",
    "proposal_closed": "result",
    "commitment_resolved": "result",
    "directive_resolved": "result",
    "inject_fired": "inject",
    "stage_changed": "stage",
    "round_resolved": "result",
    "adjudicated": "facilitator",
    "observation_recorded": "facilitator",
    "turn_undone": "facilitator",
    "exercise_paused": "facilitator",
    "exercise_resumed": "facilitator",
    "exercise_ended": "stage",
    "rating_confirmed": "facilitator",
    "facilitator_access_refused": "facilitator",
    "join_codes_issued": "facilitator",
}


def _num(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.2f}".rstrip("0").rstrip(".")


def describe_action(game: Game, e: ev.ActionTaken) -> str:
    """A sentence for one catalogue action (agencies, regions and resources by name)."""
    a, h = agency_name(game, e.agency), e.handler
    region = region_name(game, e.region, default="its regions")
    target = agency_name(game, e.target) if e.target else ""
    text: str
    if h == "monitor":
        text = f"{a} monitors {region}"
    elif h == "report_up":
        text = f"{a} reports the hazard of {region} to {target}"
        if e.accuracy < 1.0:
            text += f" at {e.accuracy:.0%} of its true level"
    elif h == "share_information":
        text = f"{a} shares its information on {region} with {target}"
    elif h == "issue_warning":
        text = f"{a} issues {warning_phrase(e.level)} for {region}"
    elif h == "public_release":
        text = f"{a} briefs the public on {region}"
    elif h == "deploy":
        text = f"{a} deploys {_num(e.amount)} {resource_title(game, e.resource)} to {region}"
    elif h == "invest_prevention":
        text = f"{a} invests {_num(e.amount)} in prevention in {region}"
    elif h == "request_support":
        what = f"{_num(e.amount)} {resource_title(game, e.resource)}" if e.resource else "support"
        text = f"{a} asks {target} for {what} for {region}"
    elif h == "local_protection":
        text = f"{a} {_MODES.get(e.mode or '', 'protects itself')}"
        if e.region:
            text += f" ({region})"
    elif h == "activate_response":
        text = f"{a} activates emergency response level {e.level or _num(e.amount)}"
    elif h == "directive":
        where = f" in {region}" if e.region else ""
        order = action_title(game, e.order) if e.order else "act"
        text = f"{a} orders {target}: {order}{where}"
    elif h == "special_funds":
        text = f"{a} allocates {_num(e.amount)} in special funds to {target}"
    elif h == "transfer_payment":
        text = f"{a} transfers {_num(e.amount)} to {target}"
    elif h == "compensate":
        text = f"{a} pays {_num(e.amount)} in compensation to {target}"
    elif h == "assign_counterpart":
        text = f"{a} assigns {target} to support {region} (counterpart)"
    elif h == "formalize":
        text = f"{a} formalizes agreement {e.agreement}"
    elif h == "set_rule":
        text = f"{a} sets a rule" + (f" for {region}" if e.region else "")
    elif h == "joint_review":
        text = f"{a} holds a joint review with {target}"
    else:
        text = f"{a}: {action_title(game, e.action)}"
        if e.target:
            text += f" ({target})"
    if e.directed_by:
        text += f", on directive {e.directed_by}"
    return text + "."


def describe(game: Game, e: ev.Event) -> str:
    """A sentence for any event shown in the timeline."""
    match e:
        case ev.ActionTaken():
            return describe_action(game, e)
        case ev.ProposalMade():
            counter = f" (counter to {e.parent})" if e.parent else ""
            what = named_commitments_text(game, e.commitments)
            mech = e.mechanism.replace("_", " ")
            others = agency_names(game, [p for p in e.parties if p != e.agency])
            who = agency_name(game, e.agency)
            return f"{who} proposes {e.proposal}{counter}, a {mech} with {others}: {what}."
        case ev.ProposalAnswered():
            verb = "accepts" if e.accepted else "rejects"
            return f"{agency_name(game, e.agency)} {verb} proposal {e.proposal}."
        case ev.AgreementActivated():
            paper = " It has no concrete deliverable (paper cooperation)." if e.paper else ""
            n = len(e.commitment_ids)
            return f"Agreement {e.proposal} is active with {n} commitment{'s' if n != 1 else ''}.{paper}"
        case ev.ProposalClosed():
            return f"Proposal {e.proposal} is {e.status}."
        case ev.CommitmentResolved():
            formal = " (formalized: counts double)" if e.formalized else ""
            return (
                f"Commitment {e.commitment} of {agency_name(game, e.debtor)} to "
                f"{agency_name(game, e.creditor)}: {e.status}, "
                f"{e.share:.0%} delivered{formal}."
            )
        case ev.DirectiveResolved():
            return f"Directive {e.directive} to {agency_name(game, e.target)}: {e.status}."
        case ev.InjectFired():
            to = named_recipients(game, e.to, everyone="everyone")
            manual = " (released by the facilitator)" if e.manual else ""
            return f"Inject '{e.title}' to {to}{manual}: {e.text}"
        case ev.StageChanged():
            to_stage = stage_title(game, e.to_stage)
            if e.from_stage is None:
                return f"The exercise starts in the {to_stage} stage."
            note = f": {e.note}" if e.note else ""
            return f"Stage {stage_title(game, e.from_stage)} -> {to_stage} ({e.reason}){note}."
        case ev.RoundResolved():
            harm = sum(o.harm_added for o in e.regions.values())
            worst = max(e.regions.items(), key=lambda kv: kv[1].hazard, default=None)
            text = f"Round {e.round} resolved: harm +{harm:.1f}"
            if worst is not None:
                text += f"; highest hazard {region_name(game, worst[0])} {worst[1].hazard:.2f}"
            return text + "."
        case ev.Adjudicated():
            return f"Facilitator sets {e.target} from {_num(e.old)} to {_num(e.new)}: {e.reason}."
        case ev.ObservationRecorded():
            about = f" about {agency_name(game, e.agency)}" if e.agency else ""
            return f"Observation by {e.author}{about}: {e.text}"
        case ev.TurnUndone():
            return f"Facilitator undoes the decisions of {agency_name(game, e.agency)} this turn."
        case ev.ExercisePaused():
            return "Facilitator pauses the exercise."
        case ev.ExerciseResumed():
            return "Facilitator resumes the exercise."
        case ev.ExerciseEnded():
            return f"The exercise ends: {e.reason}."
        case ev.RatingConfirmed():
            note = f": {e.note}" if e.note else ""
            title = next((o.title for o in game.scenario.objectives if o.id == e.objective), None)
            what = f"'{title}'" if title else e.objective
            return f"Evaluator rates objective {what} {e.rating}{note}."
        case ev.FeedbackSubmitted():
            by = f" ({e.author})" if e.author else ""
            return f"Participant feedback of {agency_name(game, e.agency)}{by} is recorded."
        case ev.PlanActionUpdated():
            return f"Improvement plan action {e.action} is updated."
        case ev.FacilitatorPinSet():
            return "The facilitator's PIN is set."
        case ev.FacilitatorAccessRefused():
            return f"Facilitator action '{e.action}' refused to {e.seat}: {e.reason}"
        case ev.JoinCodesIssued():
            return f"Join codes are issued for {len(e.codes)} seats."
        case (
            ev.ExerciseStarted()
            | ev.RoundStarted()
            | ev.TurnStarted()
            | ev.DirectiveIssued()
            | ev.TurnEnded()
            | ev.ExpressionFailed()
        ):
            return e.kind.replace("_", " ")
        case _:
            assert_never(e)
