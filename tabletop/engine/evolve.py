"""The reducer: ``evolve(state, event) -> state`` and ``fold``.

``evolve`` applies the numbers an event carries; it never computes outcomes
and never raises. ``fold`` rebuilds a state from journal records, skipping
decisions a facilitator undid (they stay in the journal).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import assert_never

from tabletop.engine.formulas import need_for
from tabletop.engine.game import Game
from tabletop.engine.names import set_value
from tabletop.model import events as ev
from tabletop.model.state import (
    AgencyState,
    Commitment,
    Directive,
    ExerciseState,
    InboxItem,
    Proposal,
    RegionState,
    Request,
    clone_state,
)


def initial_state(game: Game) -> ExerciseState:
    """The state before :class:`~tabletop.model.commands.StartExercise` (a fresh copy)."""
    template = game.caches.initial_state
    if template is None:
        template = game.caches.initial_state = _build_initial_state(game)
    return clone_state(template)


def _build_initial_state(game: Game) -> ExerciseState:
    sc = game.scenario
    res = list(game.rules.resources)
    regions = {
        rid: RegionState(
            hazard=r.hazard,
            containment=r.prevention,
            prevention=r.prevention,
            trust=r.trust,
            need=need_for(game, rid, r.hazard),
            delivered=dict.fromkeys(res, 0.0),
        )
        for rid, r in sc.regions.items()
    }
    agencies = {
        aid: AgencyState(
            budget=a.budget,
            resources={r: a.resources.get(r, 0.0) for r in res},
            intel={r: regions[r].hazard for r in a.regions},
            intel_round={r: 0 for r in a.regions},
        )
        for aid, a in sc.agencies.items()
    }
    return ExerciseState(
        order=list(game.order),
        regions=regions,
        agencies=agencies,
        seed=sc.scenario.seed,
        inbox={a: [] for a in game.order},
    )


def _inbox(state: ExerciseState, who: Iterable[str], item: InboxItem) -> None:
    for a in who:
        box = state.inbox.get(a)
        if box is not None:
            box.append(item)


def _apply_intel(state: ExerciseState, intel: dict[str, dict[str, float]]) -> None:
    for aid, known in intel.items():
        ag = state.agencies.get(aid)
        if ag is None:
            continue
        for rid, value in known.items():
            ag.intel[rid] = value
            ag.intel_round[rid] = state.round


def _changes(state: ExerciseState, changes: dict[str, float]) -> None:
    for name, value in changes.items():
        set_value(state, name, value)


def evolve(state: ExerciseState, event: ev.Event) -> ExerciseState:
    """Apply ``event`` to ``state`` in place and return it. Never raises for engine events."""
    if isinstance(event, ev.FacilitatorPinSet | ev.FacilitatorAccessRefused | ev.JoinCodesIssued):
        return state  # about the terminals (PIN, refused access, join codes), not the game
    state.events += 1
    match event:
        case ev.ActionTaken():
            _action(state, event)
        case ev.TurnStarted():
            state.active = event.agency
            order = state.order
            nxt = state.turn + 1
            # Turns go in order (agency ids are unique): look the index up only when not.
            if nxt < len(order) and order[nxt] == event.agency:
                state.turn = nxt
            else:
                state.turn = order.index(event.agency) if event.agency in order else -1
            state.turn_actions = 0
            if (ag := state.agencies.get(event.agency)) is not None:
                ag.points = event.points
        case ev.TurnEnded():
            if (ag := state.agencies.get(event.agency)) is not None:
                ag.points = 0
            state.active = None
            state.turn_actions = 0
        case ev.RoundResolved():
            _resolved(state, event)
        case ev.RoundStarted():
            state.round = event.round
            state.stage = event.stage
            state.stage_round = event.stage_round
            state.deployed = {}
        case ev.InjectFired():
            state.fired.setdefault(event.inject, event.round)
            _changes(state, event.changes)
            who = state.order if "all" in event.to else event.to
            _inbox(
                state,
                who,
                InboxItem(
                    "inject", event.inject, event.round, event.title, event.text, event.private
                ),
            )
        case ev.ProposalMade():
            _proposal(state, event)
        case ev.ProposalAnswered():
            if (p := state.proposals.get(event.proposal)) is not None:
                p.answers[event.agency] = event.accepted
            state.turn_actions += 1
            _spend(state, event.agency, event.cost)
        case ev.AgreementActivated():
            _settled(state, event.proposal)
            if (p := state.proposals.get(event.proposal)) is not None:
                p.status = "active"
                p.paper = event.paper
                for cid, spec in zip(event.commitment_ids, p.commitments, strict=False):
                    if cid not in state.commitments:
                        state.debts.setdefault(spec.debtor, []).append(cid)
                    state.commitments[cid] = Commitment(cid, p.id, spec)
        case ev.ProposalClosed():
            _settled(state, event.proposal)
            if (p := state.proposals.get(event.proposal)) is not None:
                p.status = event.status
        case ev.DirectiveIssued():
            _issue(state, "D")
            if event.directive not in state.directives:
                state.directives_to.setdefault(event.target, []).append(event.directive)
            state.directives[event.directive] = Directive(
                event.directive,
                event.issuer,
                event.target,
                event.action,
                event.region,
                event.due_round,
                event.counterpart,
            )
            if event.counterpart and event.region is not None:
                state.counterparts.append((event.target, event.region))
            where = f" in {event.region}" if event.region else ""
            _inbox(
                state,
                [event.target],
                InboxItem(
                    "directive",
                    event.directive,
                    event.round,
                    f"Directive from {event.issuer}",
                    f"{event.issuer} orders: {event.action}{where} by round {event.due_round}.",
                    True,
                ),
            )
        case ev.CommitmentResolved():
            if (c := state.commitments.get(event.commitment)) is not None:
                c.status = event.status
            _changes(state, event.changes)
        case ev.DirectiveResolved():
            if (d := state.directives.get(event.directive)) is not None:
                d.status = event.status
        case ev.StageChanged():
            state.stage = event.to_stage
            # A forced change happens mid-round: that round is the new stage's first.
            state.stage_round = 1 if event.reason == "forced" else 0
            if event.reason == "resurgence":
                state.wave += 1
            for r in state.regions.values():
                r.border_closed = False
        case ev.ExerciseStarted():
            state.phase = "running"
            state.seed = event.seed
            state.order = list(event.order)
        case ev.ExercisePaused():
            state.paused = True
        case ev.ExerciseResumed():
            state.paused = False
        case ev.Adjudicated():
            set_value(state, event.target, event.new)
        case ev.ObservationRecorded():
            state.observations += 1
        case ev.ExerciseEnded():
            state.phase = "ended"
            state.active = None
            state.ended_reason = event.reason
        case (
            ev.TurnUndone()
            | ev.RatingConfirmed()
            | ev.FeedbackSubmitted()
            | ev.PlanActionUpdated()
            | ev.ExpressionFailed()
        ):
            # Nothing changes here: fold skips the undone records, and the evaluation
            # (ratings, feedback, improvement plan) and failures only matter to the report.
            pass
        case _:
            assert_never(event)
    return state


def _issue(state: ExerciseState, prefix: str) -> None:
    """Count an id of ``prefix`` as given (see ``ExerciseState.issued``)."""
    state.issued[prefix] = state.issued.get(prefix, 0) + 1


def _reserve(state: ExerciseState, event: ev.Event) -> None:
    """Count the ids an undone decision had been given, so that none is given again."""
    match event:
        case ev.ProposalMade():
            _issue(state, "P")
        case ev.DirectiveIssued():
            _issue(state, "D")
        case ev.ActionTaken(handler="request_support") if event.target is not None:
            _issue(state, "Q")
        case _:
            pass  # gives no id


def _settled(state: ExerciseState, proposal: str) -> None:
    """A proposal no longer waits for answers: drop its items from every inbox.

    Only the inboxes the proposal reached are visited (``state.proposal_inbox``),
    each from its newest item back, stopping once its items are gone: a settled
    proposal is usually recent, so this costs about the number of its addressees,
    whatever the number of agencies or the length of the journal.
    """
    state.open_proposals.pop(proposal, None)
    holders = state.proposal_inbox.pop(proposal, None)
    if not holders:
        return
    for agency in dict.fromkeys(holders):
        box = state.inbox.get(agency)
        if box is None:
            continue
        left = holders.count(agency)
        i = len(box)
        while left and i:
            i -= 1
            item = box[i]
            if item.ref == proposal and item.kind == "proposal":
                del box[i]
                left -= 1


def _spend(state: ExerciseState, agency: str, cost: int) -> None:
    if (ag := state.agencies.get(agency)) is not None:
        ag.points = max(0, ag.points - cost)


def _action(state: ExerciseState, e: ev.ActionTaken) -> None:
    state.turn_actions += 1
    _spend(state, e.agency, e.cost)
    _changes(state, e.changes)
    _apply_intel(state, e.intel)
    h = e.handler
    if h == "deploy" or h == "invest_prevention":
        res = e.resource if h == "deploy" else "prevention"
        if e.region is not None and res is not None:
            per = state.deployed.setdefault(e.region, {}).setdefault(res, {})
            per[e.agency] = per.get(e.agency, 0.0) + e.amount
    elif h == "issue_warning" and e.region in state.regions:
        state.regions[e.region].warning = e.level
    elif h == "local_protection":
        if e.mode == "close_border" and e.region in state.regions:
            state.regions[e.region].border_closed = True
        elif e.mode == "withhold_data" and (ag := state.agencies.get(e.agency)) is not None:
            ag.withholding = True
        elif e.mode == "hoard" and (ag := state.agencies.get(e.agency)) is not None:
            ag.hoarding = True
    elif h == "activate_response" and (ag := state.agencies.get(e.agency)) is not None:
        ag.response_level = int(e.amount)
    elif h == "request_support" and e.target is not None:
        _issue(state, "Q")
        rid = e.request or f"Q{len(state.requests) + 1}"  # version 1 events carry no id
        if rid not in state.requests:
            state.requests_to.setdefault(e.target, []).append(rid)
        state.requests[rid] = Request(
            rid, e.agency, e.target, e.region, e.resource, e.amount, e.round
        )
        what = f"{e.amount:g} {e.resource or ''}".strip()
        _inbox(
            state,
            [e.target],
            InboxItem(
                "request",
                rid,
                e.round,
                f"Request from {e.agency}",
                f"{e.agency} asks for {what} for {e.region or 'its regions'}.",
                True,
            ),
        )
    elif h == "formalize" and e.agreement in state.proposals:
        state.proposals[e.agreement].formalized = True
    elif h == "share_information" and (ag := state.agencies.get(e.agency)) is not None:
        ag.withholding = False
    _comply(state, e.directed_by)
    for cid, progress in e.progress.items():
        if (c := state.commitments.get(cid)) is not None:
            c.progress = progress
    for qid, amount in e.fulfils.items():
        if (q := state.requests.get(qid)) is not None:
            q.fulfilled = amount
            if q.fulfilled >= q.amount and qid in (waiting := state.requests_to.get(q.target, ())):
                waiting.remove(qid)  # type: ignore[union-attr]  # answered in full: no longer waits


def _comply(state: ExerciseState, directive: str | None) -> None:
    if directive is not None and (d := state.directives.get(directive)) is not None:
        d.status = "complied"


def _proposal(state: ExerciseState, e: ev.ProposalMade) -> None:
    _issue(state, "P")
    _comply(state, e.directed_by)
    state.turn_actions += 1
    _spend(state, e.agency, e.cost)
    p = Proposal(
        e.proposal,
        e.parent,
        e.version,
        e.mechanism,
        e.agency,
        list(e.parties),
        list(e.commitments),
        e.title,
        e.round,
        answers={e.agency: True},
    )
    state.proposals[e.proposal] = p
    state.open_proposals[e.proposal] = None
    addressees = [a for a in e.parties if a != e.agency and a in state.inbox]
    if addressees:
        state.proposal_inbox.setdefault(e.proposal, []).extend(addressees)
    _inbox(
        state,
        addressees,
        InboxItem(
            "proposal",
            e.proposal,
            e.round,
            f"Proposal {e.proposal} from {e.agency}",
            e.title or e.mechanism,
            True,
        ),
    )


def _resolved(state: ExerciseState, e: ev.RoundResolved) -> None:
    for rid, out in e.regions.items():
        r = state.regions.get(rid)
        if r is None:
            continue
        r.hazard = out.hazard
        r.containment = out.containment
        r.containment_floor = 0.0
        r.need = dict(out.need)
        r.delivered = dict(out.delivered)
        r.unmet = out.unmet
        r.coverage = out.coverage
        r.harm = out.harm
        r.waste += out.waste
        r.unmet_rounds = out.unmet_rounds
        r.trust = out.trust
    _apply_intel(state, e.intel)
    _changes(state, e.changes)
    # Hoarding lasts for the round it was chosen in.
    for ag in state.agencies.values():
        ag.hoarding = False


def undone_seqs(records: Sequence[ev.Record]) -> set[int]:
    """Sequence numbers of the decisions taken back by ``turn_undone`` records."""
    undone: set[int] = set()
    turn_start = 0
    for i, rec in enumerate(records):
        kind = rec.event.kind
        if kind == "turn_started":
            turn_start = i
        elif kind == "turn_undone":
            for prior in records[turn_start + 1 : i]:
                if prior.event.kind in ev.UNDOABLE:
                    undone.add(prior.seq)
    return undone


def fold(state: ExerciseState, records: Sequence[ev.Record]) -> ExerciseState:
    """Apply ``records`` in order to ``state`` (in place), skipping undone decisions.

    An undone decision changes nothing but the count of ids given
    (``ExerciseState.issued``): its proposal, directive or request id stays used.
    """
    skip = undone_seqs(records)
    for rec in records:
        if rec.seq not in skip:
            evolve(state, rec.event)
        else:
            _reserve(state, rec.event)
    return state
