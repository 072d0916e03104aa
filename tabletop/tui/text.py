"""Plain-text helpers of the terminal UI: bars, numbers and decision-log lines.

Nothing here imports Textual, so the formatting (and above all the privacy
filter of the decision log) can be tested without an app. Actions, commitments
and addressees are named as in the report (:mod:`tabletop.describe`); the
compact lines themselves are the log's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from tabletop.describe import (
    action_title,
    agency_name,
    fmt_amount,
    named_commitments_text,
    named_recipients,
    region_name,
    resource_title,
    stage_title,
    warning_phrase,
)
from tabletop.engine.evolve import undone_seqs
from tabletop.engine.game import Game
from tabletop.engine.view import PUBLIC_VIEWER, visible_to
from tabletop.model import events as ev
from tabletop.model.events import ActionTaken, Record
from tabletop.model.state import ExerciseState, InboxItem

BAR_FULL = "█"
BAR_EMPTY = "░"


def bar(value: float | None, maximum: float, width: int = 8) -> str:
    """A horizontal bar of ``width`` cells, "?" padded when the value is unknown.

    Args:
        value: The value to draw (None when the viewer may not see it).
        maximum: The value that fills the bar.
        width: Number of cells.
    """
    if value is None:
        return "?".center(width)
    share = 0.0 if maximum <= 0 else max(0.0, min(1.0, value / maximum))
    full = round(share * width)
    return BAR_FULL * full + BAR_EMPTY * (width - full)


def num(value: float | None, digits: int = 1) -> str:
    """A number for display; "?" when unknown."""
    if value is None:
        return "?"
    return f"{value:.{digits}f}"


def agency_label(game: Game, agency: str | None) -> str:
    """``Name (id)`` of an agency, or "-" when None."""
    if agency is None:
        return "-"
    ag = game.scenario.agencies.get(agency)
    return f"{ag.name} ({agency})" if ag is not None else agency


def stage_label(game: Game, stage: str) -> str:
    """``Outbreak (operation)``: a stage with its cooperation function."""
    if not stage:
        return "-"
    rule = game.stage(stage)
    return f"{rule.title} ({rule.function})"


def describe(game: Game, record: Record) -> str | None:
    """One human-readable line for a record (None for records not worth a line)."""
    e = record.event
    match e:
        case ev.ExerciseStarted():
            return f"Exercise started: {game.scenario.scenario.title} (seed {e.seed})"
        case ev.StageChanged():
            why = {
                "start": "start",
                "rounds": "its rounds are over",
                "condition": "its condition was met",
                "resurgence": "resurgence",
                "forced": f"forced by the facilitator: {e.note}",
            }[e.reason]
            return f"Stage -> {stage_label(game, e.to_stage)} ({why})"
        case ev.RoundStarted():
            return f"Round {e.round} begins ({stage_title(game, e.stage)}, stage round {e.stage_round})"
        case ev.InjectFired():
            how = "released by the facilitator" if e.manual else e.type
            return f"Inject [{how}] to {named_recipients(game, e.to)}: {e.title}"
        case ev.TurnStarted():
            return None
        case ev.TurnEnded():
            return f"{agency_name(game, e.agency)} ended its turn"
        case ev.ActionTaken():
            return _action_line(game, e)
        case ev.ProposalMade():
            version = f" v{e.version} (counter to {e.parent})" if e.parent else ""
            what = named_commitments_text(game, e.commitments)
            return (
                f"{agency_name(game, e.agency)} proposed {e.proposal}{version}: {e.title} - {what}"
            )
        case ev.ProposalAnswered():
            verb = "accepted" if e.accepted else "rejected"
            return f"{agency_name(game, e.agency)} {verb} {e.proposal}"
        case ev.AgreementActivated():
            paper = " (paper cooperation: nothing concrete)" if e.paper else ""
            return f"Agreement {e.proposal} is active{paper}"
        case ev.ProposalClosed():
            return f"Proposal {e.proposal} {e.status}"
        case ev.DirectiveIssued():
            where = f" in {region_name(game, e.region)}" if e.region else ""
            return (
                f"{agency_name(game, e.issuer)} ordered {agency_name(game, e.target)}: "
                f"{action_title(game, e.action)}{where} by round {e.due_round}"
            )
        case ev.RoundResolved():
            return f"Round {e.round} resolved"
        case ev.CommitmentResolved():
            return (
                f"Commitment {e.commitment} ({agency_name(game, e.debtor)} -> "
                f"{agency_name(game, e.creditor)}): {e.status.upper()} "
                f"({e.share:.0%} delivered)"
            )
        case ev.DirectiveResolved():
            return f"Directive {e.directive} to {agency_name(game, e.target)}: {e.status}"
        case ev.ExercisePaused():
            return "Facilitator paused the exercise"
        case ev.ExerciseResumed():
            return "Facilitator resumed the exercise"
        case ev.Adjudicated():
            return f"Facilitator adjudicated {e.target}: {e.reason}"
        case ev.ObservationRecorded():
            about = f" on {agency_name(game, e.agency)}" if e.agency else ""
            return f"Observation by {e.author}{about}: {e.text}"
        case ev.TurnUndone():
            return f"Facilitator undid the decisions of {agency_name(game, e.agency)} this turn"
        case ev.ExerciseEnded():
            return f"Exercise ended: {e.reason}"
        case ev.RatingConfirmed():
            obj = next(
                (o.title for o in game.scenario.objectives if o.id == e.objective), e.objective
            )
            return f"Rating of '{obj}' confirmed: {e.rating}"
        case ev.FeedbackSubmitted():
            return f"Participant feedback of {agency_name(game, e.agency)} recorded"
        case ev.PlanActionUpdated():
            return f"Improvement plan action {e.action} updated"
        case ev.ExpressionFailed():
            return None  # a notice to the facilitator instead (it may name a private inject)
        case ev.FacilitatorPinSet():
            return "Facilitator PIN set"
        case ev.FacilitatorAccessRefused():
            return f"Refused: {e.seat} tried '{e.action}' ({e.reason})"
        case ev.JoinCodesIssued():
            return "Join codes issued"
        case _:
            assert_never(e)


def _action_line(game: Game, a: ActionTaken) -> str:
    title = action_title(game, a.action)
    bits: list[str] = []
    if a.target:
        bits.append(f"-> {agency_name(game, a.target)}")
    if a.region:
        bits.append(f"in {region_name(game, a.region)}")
    if a.resource:
        bits.append(f"{fmt_amount(a.amount)} {resource_title(game, a.resource)}")
    elif a.handler in ("invest_prevention", "special_funds", "transfer_payment", "compensate"):
        bits.append(f"{fmt_amount(a.amount)} funds")
    if a.level:
        if a.handler == "issue_warning":
            bits.append(f"({warning_phrase(a.level)})")
        else:
            bits.append(a.level if title.lower().endswith("level") else f"level {a.level}")
    if a.mode:
        bits.append(a.mode.replace("_", " "))
    if a.order:
        bits.append(f"order: {action_title(game, a.order)}")
    if a.agreement:
        # "Formalize agreement P1", not "Formalize agreement agreement P1".
        bits.append(a.agreement if "agreement" in title.lower() else f"agreement {a.agreement}")
    if a.handler == "report_up" and a.accuracy < 1.0:
        bits.append(f"accuracy {a.accuracy:.0%}")
    line = f"{agency_name(game, a.agency)}: {title}"
    if bits:
        line += " " + " ".join(bits)
    if a.flags:
        line += "  [" + ", ".join(f.replace("_", " ") for f in a.flags) + "]"
    return line


def public_round_lines(game: Game, records: Sequence[Record], rnd: int) -> list[str]:
    """The log lines of round ``rnd`` that everybody may read (the round-results screen)."""
    parties: dict[str, list[str]] = {}
    out: list[str] = []
    current = 0
    for rec in records:
        e = rec.event
        if e.kind == "round_started":
            current = e.round
        if current != rnd or e.kind in ("round_started", "round_resolved", "turn_ended"):
            continue
        if not visible_to(rec, PUBLIC_VIEWER, parties):
            continue
        line = describe(game, rec)
        if line is not None:
            out.append(line)
    return out


def trust_changes(
    game: Game, records: Sequence[Record], rnd: int
) -> list[tuple[str, str, float, float]]:
    """(region id, region name, trust before, trust after) over round ``rnd``'s resolution.

    Trust and warnings are public (the press reports them); "before" is the
    previous resolution's trust, or the scenario's starting trust.
    """
    before = {rid: r.trust for rid, r in game.scenario.regions.items()}
    after = dict(before)
    for rec in records:
        e = rec.event
        if e.kind != "round_resolved":
            continue
        trusts = {rid: o.trust for rid, o in e.regions.items()}
        if e.round < rnd:
            before.update(trusts)
            after.update(trusts)
        elif e.round == rnd:
            after.update(trusts)
            break
    return [(rid, region_name(game, rid), before[rid], after[rid]) for rid in game.scenario.regions]


def log_lines(
    game: Game,
    records: Sequence[Record],
    viewer: str | None,
    *,
    always: frozenset[str] = frozenset(),
) -> list[str]:
    """The decision log as ``viewer`` may read it, oldest first.

    Args:
        game: The game the records belong to.
        records: Journal records in order.
        viewer: The agency at the keyboard; None for the facilitator's full log,
            ``PUBLIC_VIEWER`` for what everybody may see.
        always: Event kinds shown whatever ``viewer`` may see (the evaluator's notes
            and ratings on its public log).
    """
    undone = undone_seqs(records)
    parties: dict[str, list[str]] = {}
    out: list[str] = []
    rnd = 0
    for rec in records:
        e = rec.event
        if e.kind == "round_started":
            rnd = e.round
        elif e.kind == "proposal_made":
            parties[e.proposal] = list(e.parties)
        if e.kind not in always and not visible_to(rec, viewer, parties):
            continue
        line = describe(game, rec)
        if line is None:
            continue
        if rec.seq in undone:
            line += "  (undone)"
        out.append(f"R{rnd:<2} {line}")
    return out


def inbox_text(game: Game, state: ExerciseState, item: InboxItem) -> tuple[str, str]:
    """(title, text) of an inbox item with names instead of ids.

    The engine writes directives, requests and proposals into the inbox with ids
    (``a_em orders: report_up``); the screen names them from the item's record in the
    state (the same facts the item holds). Injects are shown as the scenario wrote them.
    """
    if item.kind == "directive" and (d := state.directives.get(item.ref)) is not None:
        issuer = agency_name(game, d.issuer)
        where = f" in {region_name(game, d.region)}" if d.region else ""
        return (
            f"Directive from {issuer}",
            f"{issuer} orders: {action_title(game, d.action)}{where} by round {d.due_round}.",
        )
    if item.kind == "request" and (q := state.requests.get(item.ref)) is not None:
        who = agency_name(game, q.requester)
        what = (
            f"{fmt_amount(q.amount)} {resource_title(game, q.resource)}"
            if q.resource
            else "support"
        )
        where = region_name(game, q.region, default="its regions")
        return f"Request from {who}", f"{who} asks for {what} for {where}."
    if item.kind == "proposal" and (p := state.proposals.get(item.ref)) is not None:
        return f"Proposal {p.id} from {agency_name(game, p.proposer)}", item.text
    return item.title, item.text
