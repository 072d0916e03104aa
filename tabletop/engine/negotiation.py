"""Deciding proposals, answers and counter-proposals of agreements."""

from __future__ import annotations

from tabletop.engine.game import Game
from tabletop.engine.legal import block_reason, open_proposals_for, option
from tabletop.engine.steps import directed_by, next_id, require
from tabletop.errors import IllegalCommand
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.rules import MECHANISMS
from tabletop.model.state import ExerciseState


def _negotiation_action(
    game: Game, state: ExerciseState, agency: str, action: str, handler: str
) -> int:
    require(action in game.rules.actions, f"unknown action '{action}'")
    require(game.handler(action) == handler, f"'{action}' is not a {handler} action")
    why = block_reason(game, state, agency, action)
    if why is not None:
        raise IllegalCommand(why)
    return game.action(action).cost


def _check_commitments(
    game: Game, state: ExerciseState, parties: list[str], specs: list[cm.CommitmentSpec]
) -> None:
    sc = game.scenario
    for i, c in enumerate(specs, 1):
        where = f"commitment {i}: "
        require(c.debtor in parties, where + f"debtor '{c.debtor}' is not a party")
        require(c.creditor in parties, where + f"creditor '{c.creditor}' is not a party")
        require(c.debtor != c.creditor, where + "debtor and creditor must differ")
        require(c.due_round >= state.round, where + f"due round {c.due_round} has passed")
        if c.region is not None:
            require(c.region in sc.regions, where + f"unknown region '{c.region}'")
        if c.deliverable == "deliver":
            require(c.resource in game.rules.resources, where + "choose the resource to deliver")
            require(c.region is not None, where + "choose the region to deliver to")
            require(c.amount > 0, where + "the amount must be more than 0")
        elif c.deliverable == "funds":
            require(c.amount > 0, where + "the amount must be more than 0")
        elif c.deliverable == "action":
            require(c.action in game.rules.actions, where + f"unknown action '{c.action}'")


def propose(game: Game, state: ExerciseState, cmd: cm.ProposeAgreement) -> list[ev.Event]:
    cost = _negotiation_action(game, state, cmd.agency, cmd.action, "propose")
    rule = game.action(cmd.action)
    mechanism = rule.mechanism or cmd.mechanism
    require(mechanism in MECHANISMS, f"unknown mechanism '{cmd.mechanism}'")
    parties = list(dict.fromkeys(cmd.parties))
    if cmd.agency not in parties:
        parties.insert(0, cmd.agency)
    for p in parties:
        require(p in game.scenario.agencies, f"unknown agency '{p}'")
    need = max(rule.min_parties, 3 if mechanism == "joint_mechanism" else 2)
    require(len(parties) >= need, f"a {mechanism} needs at least {need} parties")
    _check_commitments(game, state, parties, cmd.commitments)
    flags = [] if any(_concrete(c) for c in cmd.commitments) else ["paper_cooperation"]
    return [
        ev.ProposalMade(
            directed_by=directed_by(state, cmd.agency, cmd.action, None),
            proposal=next_id(state, "P"),
            agency=cmd.agency,
            action=cmd.action,
            cost=cost,
            mechanism=mechanism,
            parties=parties,
            commitments=cmd.commitments,
            title=cmd.title
            or f"{mechanism.replace('_', ' ')} ({', '.join(_agency_name(game, p) for p in parties)})",
            round=state.round,
            stage=state.stage,
            flags=flags,
        )
    ]


def _concrete(c: cm.CommitmentSpec) -> bool:
    return c.deliverable in ("information", "action") or c.amount > 0


def _require_answerable(
    game: Game, state: ExerciseState, agency: str, action: str, proposal: str
) -> None:
    """The proposal must be among those the action offers the agency now."""
    offered = option(game, state, agency, action).param("proposal")
    if offered is not None and proposal in offered.choices:
        return
    p = state.proposals.get(proposal)
    if p is not None and proposal in open_proposals_for(state, agency):
        late = min(c.due_round for c in p.commitments)
        raise IllegalCommand(
            f"a commitment of {proposal} was due in round {late}, which has passed: "
            "counter it with a new due round or reject it"
        )
    raise IllegalCommand(f"proposal '{proposal}' is not waiting for {agency}'s answer")


def answer(game: Game, state: ExerciseState, cmd: cm.AnswerProposal) -> list[ev.Event]:
    handler = "accept" if cmd.accept else "reject"
    actions = game.actions_with(handler)
    require(bool(actions), f"the rule pack has no {handler} action")
    cost = _negotiation_action(game, state, cmd.agency, actions[0], handler)
    _require_answerable(game, state, cmd.agency, actions[0], cmd.proposal)
    p = state.proposals[cmd.proposal]
    events: list[ev.Event] = [
        ev.ProposalAnswered(
            proposal=p.id,
            agency=cmd.agency,
            action=actions[0],
            cost=cost,
            accepted=cmd.accept,
            round=state.round,
            stage=state.stage,
        )
    ]
    if not cmd.accept:
        events.append(ev.ProposalClosed(proposal=p.id, status="rejected", round=state.round))
    elif all(p.answers.get(a, False) for a in p.parties if a != cmd.agency):
        events.append(
            ev.AgreementActivated(
                proposal=p.id,
                round=state.round,
                stage=state.stage,
                commitment_ids=[f"{p.id}.c{i + 1}" for i in range(len(p.commitments))],
                paper=not any(_concrete(c) for c in p.commitments),
            )
        )
    return events


def counter(game: Game, state: ExerciseState, cmd: cm.CounterProposal) -> list[ev.Event]:
    actions = game.actions_with("counter")
    require(bool(actions), "the rule pack has no counter action")
    cost = _negotiation_action(game, state, cmd.agency, actions[0], "counter")
    _require_answerable(game, state, cmd.agency, actions[0], cmd.proposal)
    old = state.proposals[cmd.proposal]
    parties = list(dict.fromkeys(cmd.parties or old.parties))
    if cmd.agency not in parties:
        parties.insert(0, cmd.agency)
    for p in parties:
        require(p in game.scenario.agencies, f"unknown agency '{p}'")
    _check_commitments(game, state, parties, cmd.commitments)
    flags = [] if any(_concrete(c) for c in cmd.commitments) else ["paper_cooperation"]
    new_id = next_id(state, "P")
    return [
        ev.ProposalMade(
            proposal=new_id,
            parent=old.id,
            version=old.version + 1,
            agency=cmd.agency,
            action=actions[0],
            cost=cost,
            mechanism=old.mechanism,
            parties=parties,
            commitments=cmd.commitments,
            title=cmd.title or old.title,
            round=state.round,
            stage=state.stage,
            flags=flags,
        ),
        ev.ProposalClosed(proposal=old.id, status="superseded", round=state.round),
    ]


def _agency_name(game: Game, agency: str) -> str:
    """An agency's name for a default proposal title (its id when unknown)."""
    ag = game.scenario.agencies.get(agency)
    return ag.name if ag is not None else agency
