"""What one agency may see, and what everybody may see.

Private injects, requests, directives and proposals reach only their
addressees' inboxes; hazard figures of a region are visible only to agencies
responsible for it or holding current information on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from tabletop.engine.formulas import need_for
from tabletop.engine.game import Game
from tabletop.engine.legal import knows
from tabletop.model import events as ev
from tabletop.model.state import Commitment, ExerciseState, InboxItem, Proposal


@dataclass(frozen=True, slots=True)
class RegionView:
    """A region as one agency (or the public) sees it; unknown figures are None."""

    id: str
    name: str
    trust: float
    warning: str | None
    own: bool
    known: bool
    hazard: float | None
    need: float | None
    delivered: float | None
    harm: float | None
    containment: float | None
    learnt: int | None = None
    """Round the hazard figure was learnt in, when that is before the current round (an
    old figure must not look current); None for first-hand or this round's figures."""


@dataclass(frozen=True, slots=True)
class AgencyView:
    """Everything one agency may see during its turn."""

    agency: str
    name: str
    level: str
    department: str
    briefing: str
    points: int
    budget: float
    reputation: float
    resources: dict[str, float]
    regions: list[RegionView]
    inbox: list[InboxItem]
    proposals: list[Proposal]
    commitments: list[Commitment]


def _region(game: Game, state: ExerciseState, rid: str, seer: str | None) -> RegionView:
    r = state.regions[rid]
    # Figures are seen first-hand only in an agency's own regions; a superior
    # learns its subordinates' regions through reports, monitoring or sharing.
    own = seer is not None and rid in game.scenario.agencies[seer].regions
    known = seer is not None and (own or knows(game, state, seer, rid))
    learnt: int | None = None
    if seer is not None and not own and known:
        hazard: float | None = state.agencies[seer].intel.get(rid, r.hazard)
        seen = state.agencies[seer].intel_round.get(rid)
        learnt = seen if seen is not None and seen < state.round else None
    else:
        hazard = r.hazard if own else None
    full = own
    return RegionView(
        id=rid,
        name=game.scenario.regions[rid].name,
        trust=r.trust,
        warning=r.warning,
        own=own,
        known=known,
        hazard=hazard,
        need=sum(need_for(game, rid, r.hazard).values()) if full else None,
        delivered=sum(r.delivered.values()) if full else None,
        harm=r.harm if full else None,
        containment=r.containment if full else None,
        learnt=learnt,
    )


def agency_view(game: Game, state: ExerciseState, agency: str) -> AgencyView:
    """The private view of ``agency``."""
    a = game.scenario.agencies[agency]
    s = state.agencies[agency]
    return AgencyView(
        agency=agency,
        name=a.name,
        level=a.level,
        department=a.department,
        briefing=a.briefing,
        points=s.points,
        budget=s.budget,
        reputation=s.reputation,
        resources=dict(s.resources),
        regions=[_region(game, state, rid, agency) for rid in state.regions],
        inbox=list(state.inbox.get(agency, [])),
        proposals=[p for p in state.proposals.values() if agency in p.parties],
        commitments=[
            c for c in state.commitments.values() if agency in (c.spec.debtor, c.spec.creditor)
        ],
    )


def public_regions(game: Game, state: ExerciseState) -> list[RegionView]:
    """Regions as the public sees them (trust and warnings only)."""
    return [_region(game, state, rid, None) for rid in state.regions]


def public_inbox(state: ExerciseState) -> list[InboxItem]:
    """Injects every agency received (not private)."""
    seen: set[str] = set()
    out: list[InboxItem] = []
    for box in state.inbox.values():
        for item in box:
            if item.kind == "inject" and not item.private and item.ref not in seen:
                seen.add(item.ref)
                out.append(item)
    out.sort(key=lambda i: i.round)
    return out


#: A viewer who is no agency: only what everybody may see passes :func:`visible_to`.
PUBLIC_VIEWER = ""
#: Actions whose content is public (the press and the public see them).
PUBLIC_HANDLERS = frozenset({"issue_warning", "public_release", "activate_response"})


def visible_to(record: ev.Record, viewer: str | None, parties: dict[str, list[str]]) -> bool:
    """Whether ``viewer`` may read the log line of ``record``.

    Args:
        record: The journal record.
        viewer: The agency looking at the screen; None for the facilitator's full view,
            :data:`PUBLIC_VIEWER` for what everybody may see.
        parties: Proposal id -> parties (to filter negotiation events).
    """
    if viewer is None:
        return True
    e = record.event
    match e:
        case (
            ev.ExerciseStarted()
            | ev.RoundStarted()
            | ev.StageChanged()
            | ev.ExercisePaused()
            | ev.ExerciseResumed()
            | ev.ExerciseEnded()
            | ev.TurnStarted()
            | ev.TurnEnded()
            | ev.RoundResolved()
            | ev.TurnUndone()
        ):
            return True  # no private content
        case ev.InjectFired():
            return (not e.private) or "all" in e.to or viewer in e.to
        case ev.ActionTaken():
            return e.handler in PUBLIC_HANDLERS or viewer in (e.agency, e.target)
        case ev.ProposalMade():
            return viewer in e.parties
        case ev.ProposalAnswered() | ev.AgreementActivated() | ev.ProposalClosed():
            return viewer in parties.get(e.proposal, ())
        case ev.DirectiveIssued():
            return viewer in (e.issuer, e.target)
        case ev.CommitmentResolved():
            return viewer in (e.debtor, e.creditor)
        case ev.DirectiveResolved():
            return viewer == e.target
        case ev.Adjudicated():
            return True  # public, without its values
        case (
            ev.ObservationRecorded()
            | ev.RatingConfirmed()
            | ev.FeedbackSubmitted()
            | ev.PlanActionUpdated()
            | ev.ExpressionFailed()
            | ev.FacilitatorPinSet()
            | ev.FacilitatorAccessRefused()
            | ev.JoinCodesIssued()
        ):
            return False  # for the evaluators and the facilitator
        case _:
            assert_never(e)
