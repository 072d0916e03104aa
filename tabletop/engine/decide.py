"""``decide(game, state, command) -> events``: checks a command, may raise.

``decide`` never changes the state it is given (it works on a copy).
``decide_in_place`` applies the events to the state as they are made, which is
what ``Exercise.submit`` uses: multi-step decisions (the last ``EndTurn`` of a
round runs the whole resolution) need each step to see the previous one, and
evolving the live state avoids both a copy and a second pass.
"""

from __future__ import annotations

import random
import re
from datetime import date
from typing import TypeVar

from pydantic import BaseModel

from tabletop import ENGINE_VERSION
from tabletop.engine.evolve import evolve
from tabletop.engine.failures import failure
from tabletop.engine.game import Game
from tabletop.engine.legal import (
    NEGOTIATION,
    RESPONSE_LEVELS,
    block_reason,
    knows,
    open_proposals_for,
    option,
    turn_problem,
)
from tabletop.engine.names import (
    StateEnv,
    adjudicable,
    agency_values,
    clamp_for,
    get_value,
    region_values,
)
from tabletop.engine.resolve import fund_worth
from tabletop.errors import ExpressionError, IllegalCommand
from tabletop.expr import did_you_mean
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.evaluation import FEEDBACK_QUESTIONS
from tabletop.model.rules import MECHANISMS, WARNING_LEVELS
from tabletop.model.state import ExerciseState, clone_state


def rng_for(state: ExerciseState, salt: str) -> random.Random:
    """The random stream of one draw site in the current round.

    Seeded from (exercise seed, round, salt), where the salt names the decision
    that draws (``resolve`` for the end-of-round resolution; a draw inside a
    player's decision would name the agency and its decision in the round). Not
    from the journal position: an observation, a pause or a rating, which change
    nothing in the game, do not move any draw. A resumed or replayed exercise
    draws what the original drew; outcomes go into events anyway.
    """
    return random.Random(f"{state.seed}:{state.round}:{salt}")


_E = TypeVar("_E", bound=BaseModel)
#: Ids of improvement-plan rows (``flag.waste.mem``, ``task.<objective>.<task>``...).
_PLAN_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _shared(game: Game, kind: type[_E], **fields: str | int) -> _E:
    """One immutable event per distinct value, made once per game and shared.

    Turn and round markers (``turn_started``, ``turn_ended``, ``round_started``)
    repeat the same few values in every exercise of a game; events are frozen,
    so the same instance can stand in every journal that records it.
    """
    key = (kind, *fields.values())
    cache = game.memo.setdefault("events", {})
    event = cache.get(key)
    if event is None:
        event = cache[key] = kind(**fields)
    return event


def _next_id(state: ExerciseState, prefix: str) -> str:
    """The next proposal (``P``), directive (``D``) or request (``Q``) id.

    Never one given before, even to a decision the facilitator undid.
    """
    return f"{prefix}{state.issued.get(prefix, 0) + 1}"


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise IllegalCommand(message)


class _Work:
    """The state being decided on, and the events made so far (each applied as it is made)."""

    def __init__(self, state: ExerciseState) -> None:
        self.state = state
        self.events: list[ev.Event] = []

    def emit(self, event: ev.Event) -> None:
        self.events.append(event)
        evolve(self.state, event)


def decide(game: Game, state: ExerciseState, command: cm.Command) -> list[ev.Event]:
    """Check ``command`` against ``state`` and return the events it causes; ``state`` is unchanged.

    Raises:
        IllegalCommand: the command is not legal now (the message says why).
    """
    return decide_in_place(game, clone_state(state), command)


def decide_in_place(game: Game, state: ExerciseState, command: cm.Command) -> list[ev.Event]:
    """:func:`decide`, applying the events to ``state`` as they are made.

    Afterwards ``state`` equals ``evolve`` of every returned event applied in turn,
    without the copy :func:`decide` makes (a round's resolution needs each step's
    state, so it evolves as it goes). When it raises, ``state`` is unchanged if its
    ``events`` counter is; otherwise the caller must rebuild it (``Exercise`` refolds).

    Raises:
        IllegalCommand: the command is not legal now (the message says why).
    """
    fn = _DISPATCH.get(command.kind)
    if fn is None:  # pragma: no cover - the Command union is closed
        raise IllegalCommand(f"unknown command '{command.kind}'")
    before = state.events
    events = fn(game, state, command)
    # Steps that never needed an intermediate state return their events unapplied;
    # the applied ones (through _Work.emit) always come first.
    for event in events[state.events - before :]:
        evolve(state, event)
    return events


# --------------------------------------------------------------------------- lifecycle


def _start(game: Game, state: ExerciseState, cmd: cm.StartExercise) -> list[ev.Event]:
    _require(state.phase == "setup", "the exercise has already started")
    w = _Work(state)
    w.emit(
        ev.ExerciseStarted(
            scenario_id=game.scenario.scenario.id,
            scenario_path=game.scenario_path,
            scenario_hash=game.scenario_hash,
            rules_hash=game.rules_hash,
            engine_version=ENGINE_VERSION,
            seed=state.seed,
            order=list(game.order),
        )
    )
    first = game.stage_ids[0]
    w.emit(ev.StageChanged(from_stage=None, to_stage=first, reason="start", round=1))
    _begin_round(game, w)
    return w.events


def _begin_round(game: Game, w: _Work) -> None:
    s = w.state
    w.emit(
        _shared(
            game, ev.RoundStarted, round=s.round + 1, stage=s.stage, stage_round=s.stage_round + 1
        )
    )
    _fire_due_injects(game, w)
    _start_turn(game, w, game.order[0])


def _start_turn(game: Game, w: _Work, agency: str) -> None:
    w.emit(_shared(game, ev.TurnStarted, agency=agency, points=game.rules.pack.action_points))


def _fire_due_injects(game: Game, w: _Work) -> None:
    s = w.state
    env: StateEnv | None = None
    for inj in game.injects_due(s.stage, s.stage_round):
        if inj.id in s.fired:
            continue
        if inj.when is not None:
            if env is None:
                env = StateEnv(s)
            when = game.conditions[f"inject:{inj.id}"]
            try:
                due = when.truthy(env)
            except ExpressionError as exc:  # journaled; the condition counts as false
                w.emit(failure(s, "inject", inj.id, "when", when, exc))
                continue
            if not due:
                continue
        for event in _inject_events(game, s, inj.id, manual=False):
            w.emit(event)


def _inject_events(game: Game, s: ExerciseState, inject_id: str, *, manual: bool) -> list[ev.Event]:
    """The inject's ``inject_fired``, then an ``expression_failed`` per effect that failed."""
    inj = game.injects[inject_id]
    changes: dict[str, float] = {}
    failed: list[ev.Event] = []
    effects = game.inject_effects.get(inject_id, ())
    if effects:
        env = StateEnv(s)
        for eff in effects:
            current = changes.get(eff.target)
            if current is None:
                current = get_value(s, eff.target)
            try:
                changes[eff.target] = clamp_for(eff.target, eff.apply(env, current))
            except ExpressionError as exc:  # journaled; this effect is skipped
                failed.append(failure(s, "inject", inject_id, "effect", eff, exc))
    fired = ev.InjectFired(
        inject=inj.id,
        round=s.round,
        stage=s.stage,
        to=list(inj.to),
        private=inj.is_private,
        type=inj.type,
        title=inj.title,
        text=inj.text,
        manual=manual,
        changes=changes,
    )
    return [fired, *failed]


def _end_turn(game: Game, state: ExerciseState, cmd: cm.EndTurn) -> list[ev.Event]:
    _require_turn(state, cmd.agency)
    ended = _shared(
        game, ev.TurnEnded, agency=cmd.agency, points_left=state.agencies[cmd.agency].points
    )
    nxt = game.next_agency[cmd.agency]
    if nxt is not None:
        # The next agency's turn: no step depends on another, nothing applied here.
        return [
            ended,
            _shared(game, ev.TurnStarted, agency=nxt, points=game.rules.pack.action_points),
        ]
    from tabletop.engine.resolve import resolve_round

    w = _Work(state)
    w.emit(ended)
    resolve_round(game, w)
    return w.events


def _require_turn(state: ExerciseState, agency: str) -> None:
    why = turn_problem(state, agency)
    if why is not None:
        raise IllegalCommand(why)


# --------------------------------------------------------------------------- actions


def _choice(
    params: dict[str, tuple[str, ...]], name: str, value: str | None, optional: bool = False
) -> None:
    if value is None:
        _require(optional, f"choose {'an' if name[0] in 'aeiou' else 'a'} {name}")
        return
    legal = params.get(name, ())
    if value not in legal:
        shown = ", ".join(legal) if legal else "none available"
        raise IllegalCommand(f"{name} '{value}' is not possible here (possible: {shown})")


def _take_action(game: Game, state: ExerciseState, cmd: cm.TakeAction) -> list[ev.Event]:
    handler = game.handlers.get(cmd.action)
    if handler == "pass":
        return _end_turn(game, state, cm.EndTurn(agency=cmd.agency))
    if handler is None:
        names = list(game.rules.actions)
        raise IllegalCommand(f"unknown action '{cmd.action}'{did_you_mean(cmd.action, names)}")
    _require(handler not in NEGOTIATION, f"'{cmd.action}' is a negotiation: use a proposal command")
    offered = option(game, state, cmd.agency, cmd.action)
    if not offered.enabled:
        raise IllegalCommand(offered.reason)
    spec = {p.name: p for p in offered.params}
    choices = {n: p.choices for n, p in spec.items()}
    for name in ("region", "target", "resource", "level", "mode", "order", "agreement"):
        if name in spec:
            _choice(choices, name, getattr(cmd, name), spec[name].optional)
    if "amount" in spec:
        most = spec["amount"].maximum or 0.0
        _require(cmd.amount > 0, "the amount must be more than 0")
        _require(
            cmd.amount <= most + 1e-9,
            f"the amount {cmd.amount:g} is more than the {most:g} available",
        )
    if handler == "deploy" and cmd.resource is not None:
        stock = state.agencies[cmd.agency].resources.get(cmd.resource, 0.0)
        _require(
            cmd.amount <= stock + 1e-9,
            f"the amount {cmd.amount:g} is more than the {stock:g} {cmd.resource} you hold",
        )
    failed: list[ev.Event] = []
    events: list[ev.Event] = [_action_event(game, state, cmd, handler, failed)]
    if handler in ("directive", "assign_counterpart"):
        events.append(_directive_event(state, cmd, counterpart=handler == "assign_counterpart"))
    return events + failed


def _action_event(
    game: Game, state: ExerciseState, cmd: cm.TakeAction, handler: str, failed: list[ev.Event]
) -> ev.ActionTaken:
    """The action's event; an ``expression_failed`` per effect that failed goes to ``failed``."""
    sc = game.scenario
    f = game.rules.formula
    rule = game.action(cmd.action)
    agency = cmd.agency
    changes: dict[str, float] = {}
    intel: dict[str, dict[str, float]] = {}
    flags: list[str] = []
    amount = cmd.amount
    fit = 0.0
    region = cmd.region
    tags = list(game.action_tags[cmd.action])
    if cmd.target is not None and cmd.target != agency:
        axis = game.axis(agency, cmd.target)
        tags = [t for t in tags if t not in ("horizontal", "vertical")] + [axis]

    def add(name: str, delta: float) -> None:
        cur = changes.get(name)
        if cur is None:
            cur = get_value(state, name)
        changes[name] = clamp_for(name, cur + delta)

    if handler == "monitor":
        assert region is not None
        intel[agency] = {region: state.regions[region].hazard}
    elif handler == "report_up":
        assert region is not None
        boss = game.superiors[agency][0]
        if region in sc.agencies[agency].regions:
            known = state.regions[region].hazard
        else:
            known = state.agencies[agency].intel.get(region, 0.0)
        intel[boss] = {region: round(known * cmd.accuracy, 6)}
        if cmd.accuracy < 0.9:
            flags.append("concealment")
        tags = [t for t in tags if t not in ("horizontal", "vertical")] + ["vertical"]
    elif handler == "share_information":
        assert region is not None and cmd.target is not None
        known = state.agencies[agency].intel.get(region, state.regions[region].hazard)
        if region in sc.agencies[agency].regions:
            known = state.regions[region].hazard
        intel[cmd.target] = {region: known}
    elif handler == "issue_warning":
        assert region is not None and cmd.level is not None
        hazard = state.regions[region].hazard
        due = 0
        for i, lvl in enumerate(WARNING_LEVELS):
            if hazard >= f.warning_thresholds[lvl]:
                due = i + 1
        fit = float(WARNING_LEVELS.index(cmd.level) + 1 - due)
        if fit <= -2:
            flags.append("under_warning")
        elif fit >= 2:
            flags.append("over_warning")
    elif handler == "deploy":
        assert region is not None and cmd.resource is not None
        add(f"agencies.{agency}.resources.{cmd.resource}", -amount)
        effective = amount if knows(game, state, agency, region) else amount * f.blind_factor
        if effective < amount:
            flags.append("blind_deployment")
        add(f"regions.{region}.delivered.{cmd.resource}", effective)
    elif handler == "invest_prevention":
        add(f"agencies.{agency}.budget", -amount)
    elif handler in ("special_funds", "transfer_payment", "compensate"):
        assert cmd.target is not None
        add(f"agencies.{agency}.budget", -amount)
        # Special funds and transfer payments are worth more where fiscal capacity is low.
        worth = amount if handler == "compensate" else fund_worth(game, cmd.target, amount)
        add(f"agencies.{cmd.target}.budget", worth)
        if handler == "special_funds":
            initial = sc.agencies[cmd.target].budget
            if initial > 0 and state.agencies[cmd.target].budget > 0.5 * initial:
                flags.append("funds_before_local_budget")
    elif handler == "local_protection":
        assert cmd.mode is not None
        _require(cmd.mode != "close_border" or region is not None, "choose the region to close")
        flags.append("local_protectionism")
    elif handler == "activate_response":
        assert cmd.level is not None
        amount = float(RESPONSE_LEVELS.index(cmd.level) + 1)
    elif handler == "formalize":
        assert cmd.agreement is not None
        if state.proposals[cmd.agreement].paper:
            flags.append("paper_cooperation")
    directed = _directed_by(state, agency, cmd.action, region)
    receiver = game.superiors[agency][0] if handler == "report_up" else cmd.target
    progress = _progress(state, agency, handler, cmd, amount, region, receiver)
    fulfils: dict[str, float] = {}
    if handler == "deploy":
        # What is sent fulfils open requests to this agency for the region, oldest first
        # (as for commitments; a blind deployment is already penalised by what arrives).
        left = amount
        requests = state.requests
        for qid in state.requests_to.get(agency, ()):
            q = requests[qid]
            if left <= 1e-9:
                break
            if (
                q.target == agency
                and q.region == region
                and q.resource in (None, cmd.resource)
                and q.fulfilled < q.amount
            ):
                take = min(left, q.amount - q.fulfilled)
                fulfils[qid] = q.fulfilled + take
                left -= take
    effects = game.action_effects.get(cmd.action, ())
    if effects:
        names = game.effect_names[cmd.action]
        env = _action_env(game, state, agency, cmd.target, region, amount, fit, cmd.accuracy, names)
        for eff in effects:
            name = _bind(eff.target, agency, cmd.target, region)
            if name is None:
                continue
            cur = changes.get(name)
            if cur is None:
                cur = get_value(state, name)
            try:
                changes[name] = clamp_for(name, eff.apply(env, cur))
            except ExpressionError as exc:  # journaled; this effect is skipped
                failed.append(
                    failure(state, "action", cmd.action, "effect", eff, exc, agency=agency)
                )
    return ev.ActionTaken(
        agency=agency,
        action=cmd.action,
        handler=handler,
        cost=rule.cost,
        round=state.round,
        stage=state.stage,
        region=region,
        target=cmd.target if handler != "report_up" else game.superiors[agency][0],
        resource=cmd.resource,
        amount=amount,
        level=cmd.level,
        accuracy=cmd.accuracy,
        mode=cmd.mode,
        order=cmd.order,
        agreement=cmd.agreement,
        tags=tags,
        changes=changes,
        intel=intel,
        flags=flags,
        directed_by=directed,
        progress=progress,
        fulfils=fulfils,
        request=_next_id(state, "Q") if handler == "request_support" else None,
    )


def _bind(target: str, agency: str, other: str | None, region: str | None) -> str | None:
    """Map an action-effect name (``region.trust``) to a state name."""
    head, _, rest = target.partition(".")
    if head == "region":
        return f"regions.{region}.{rest}" if region else None
    if head == "self":
        return f"agencies.{agency}.{rest}"
    if head == "target":
        return f"agencies.{other}.{rest}" if other else None
    return target


def _action_env(
    game: Game,
    state: ExerciseState,
    agency: str,
    target: str | None,
    region: str | None,
    amount: float,
    fit: float,
    accuracy: float,
    names: frozenset[str],
) -> dict[str, float | str]:
    """The values of exactly the names the action's effects read."""
    env: dict[str, float | str] = {}
    local = {"amount": amount, "fit": fit, "accuracy": accuracy, "level_index": amount}
    whole: StateEnv | None = None
    for name in names:
        head, _, rest = name.partition(".")
        if name in local:
            env[name] = local[name]
        elif head in ("self", "target"):
            a = state.agencies[agency if head == "self" or target is None else target]
            if rest.startswith("resources."):
                env[name] = a.resources.get(rest[len("resources.") :], 0.0)
            else:
                env[name] = agency_values(a)[rest]
        elif head == "region":
            env[name] = region_values(state.regions[region])[rest] if region else 0.0
        else:
            if whole is None:
                whole = StateEnv(state)
            env[name] = whole[name]
    return env


def _directed_by(state: ExerciseState, agency: str, action: str, region: str | None) -> str | None:
    directives = state.directives
    for did in state.directives_to.get(agency, ()):
        d = directives[did]
        if (
            d.target == agency
            and d.status == "pending"
            and d.action == action
            and (d.region is None or d.region == region)
            and d.due_round >= state.round
        ):
            return did
    return None


def _progress(
    state: ExerciseState,
    agency: str,
    handler: str,
    cmd: cm.TakeAction,
    amount: float,
    region: str | None,
    receiver: str | None,
) -> dict[str, float]:
    """New progress of the agency's pending commitments that this action serves."""
    out: dict[str, float] = {}
    commitments = state.commitments
    for cid in state.debts.get(agency, ()):
        c = commitments[cid]
        s = c.spec
        if c.status != "pending" or s.debtor != agency:
            continue
        gained = 0.0
        if s.deliverable == "deliver" and handler == "deploy":
            if s.region in (None, region) and s.resource in (None, cmd.resource):
                gained = amount
        elif s.deliverable == "funds" and handler in (
            "compensate",
            "transfer_payment",
            "special_funds",
        ):
            if cmd.target == s.creditor:
                gained = amount
        elif s.deliverable == "information" and handler in ("share_information", "report_up"):
            if s.region in (None, region) and receiver == s.creditor:
                gained = 1.0
        elif s.deliverable == "action" and cmd.action == s.action and s.region in (None, region):
            gained = 1.0
        if gained:
            out[cid] = c.progress + gained
    return out


# --------------------------------------------------------------------------- directives


def _directive_event(
    state: ExerciseState, cmd: cm.TakeAction, counterpart: bool
) -> ev.DirectiveIssued:
    """The directive a ``directive`` or ``assign_counterpart`` action issues."""
    return ev.DirectiveIssued(
        directive=_next_id(state, "D"),
        issuer=cmd.agency,
        target=cmd.target or "",
        action="deploy" if counterpart else (cmd.order or ""),
        region=cmd.region,
        due_round=state.round + 1,
        round=state.round,
        stage=state.stage,
        counterpart=counterpart,
    )


# --------------------------------------------------------------------------- negotiation


def _negotiation_action(
    game: Game, state: ExerciseState, agency: str, action: str, handler: str
) -> int:
    _require(action in game.rules.actions, f"unknown action '{action}'")
    _require(game.handler(action) == handler, f"'{action}' is not a {handler} action")
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
        _require(c.debtor in parties, where + f"debtor '{c.debtor}' is not a party")
        _require(c.creditor in parties, where + f"creditor '{c.creditor}' is not a party")
        _require(c.debtor != c.creditor, where + "debtor and creditor must differ")
        _require(c.due_round >= state.round, where + f"due round {c.due_round} has passed")
        if c.region is not None:
            _require(c.region in sc.regions, where + f"unknown region '{c.region}'")
        if c.deliverable == "deliver":
            _require(c.resource in game.rules.resources, where + "choose the resource to deliver")
            _require(c.region is not None, where + "choose the region to deliver to")
            _require(c.amount > 0, where + "the amount must be more than 0")
        elif c.deliverable == "funds":
            _require(c.amount > 0, where + "the amount must be more than 0")
        elif c.deliverable == "action":
            _require(c.action in game.rules.actions, where + f"unknown action '{c.action}'")


def _propose(game: Game, state: ExerciseState, cmd: cm.ProposeAgreement) -> list[ev.Event]:
    cost = _negotiation_action(game, state, cmd.agency, cmd.action, "propose")
    rule = game.action(cmd.action)
    mechanism = rule.mechanism or cmd.mechanism
    _require(mechanism in MECHANISMS, f"unknown mechanism '{cmd.mechanism}'")
    parties = list(dict.fromkeys(cmd.parties))
    if cmd.agency not in parties:
        parties.insert(0, cmd.agency)
    for p in parties:
        _require(p in game.scenario.agencies, f"unknown agency '{p}'")
    need = max(rule.min_parties, 3 if mechanism == "joint_mechanism" else 2)
    _require(len(parties) >= need, f"a {mechanism} needs at least {need} parties")
    _check_commitments(game, state, parties, cmd.commitments)
    flags = [] if any(_concrete(c) for c in cmd.commitments) else ["paper_cooperation"]
    return [
        ev.ProposalMade(
            directed_by=_directed_by(state, cmd.agency, cmd.action, None),
            proposal=_next_id(state, "P"),
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


def _answer(game: Game, state: ExerciseState, cmd: cm.AnswerProposal) -> list[ev.Event]:
    handler = "accept" if cmd.accept else "reject"
    actions = game.actions_with(handler)
    _require(bool(actions), f"the rule pack has no {handler} action")
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


def _counter(game: Game, state: ExerciseState, cmd: cm.CounterProposal) -> list[ev.Event]:
    actions = game.actions_with("counter")
    _require(bool(actions), "the rule pack has no counter action")
    cost = _negotiation_action(game, state, cmd.agency, actions[0], "counter")
    _require_answerable(game, state, cmd.agency, actions[0], cmd.proposal)
    old = state.proposals[cmd.proposal]
    parties = list(dict.fromkeys(cmd.parties or old.parties))
    if cmd.agency not in parties:
        parties.insert(0, cmd.agency)
    for p in parties:
        _require(p in game.scenario.agencies, f"unknown agency '{p}'")
    _check_commitments(game, state, parties, cmd.commitments)
    flags = [] if any(_concrete(c) for c in cmd.commitments) else ["paper_cooperation"]
    new_id = _next_id(state, "P")
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


# --------------------------------------------------------------------------- facilitator


def _running(state: ExerciseState) -> None:
    _require(state.phase == "running", f"the exercise is not running ({state.phase})")


def _pause(game: Game, state: ExerciseState, cmd: cm.Pause) -> list[ev.Event]:
    _running(state)
    _require(not state.paused, "already paused")
    return [ev.ExercisePaused()]


def _resume(game: Game, state: ExerciseState, cmd: cm.Resume) -> list[ev.Event]:
    _running(state)
    _require(state.paused, "not paused")
    return [ev.ExerciseResumed()]


def _release(game: Game, state: ExerciseState, cmd: cm.ReleaseInject) -> list[ev.Event]:
    _running(state)
    _require(
        cmd.inject in game.injects,
        f"unknown inject '{cmd.inject}'{did_you_mean(cmd.inject, game.injects)}",
    )
    _require(cmd.inject not in state.fired, f"inject '{cmd.inject}' has already fired")
    return _inject_events(game, state, cmd.inject, manual=True)


def _force_stage(game: Game, state: ExerciseState, cmd: cm.ForceStage) -> list[ev.Event]:
    _running(state)
    _require(
        cmd.stage in game.stage_ids,
        f"unknown stage '{cmd.stage}'{did_you_mean(cmd.stage, game.stage_ids)}",
    )
    _require(cmd.stage != state.stage, f"already in the {cmd.stage} stage")
    w = _Work(state)
    w.emit(
        ev.StageChanged(
            from_stage=state.stage,
            to_stage=cmd.stage,
            reason="forced",
            round=state.round,
            note=cmd.reason,
        )
    )
    # The round goes on in the new stage (its round 1); its round-1 injects fire now.
    _fire_due_injects(game, w)
    return w.events


def _adjudicate(game: Game, state: ExerciseState, cmd: cm.Adjudicate) -> list[ev.Event]:
    _running(state)
    names = adjudicable(game.scenario, game.rules)
    if cmd.target not in names:
        raise IllegalCommand(f"cannot adjudicate '{cmd.target}'{did_you_mean(cmd.target, names)}")
    _require(cmd.value == cmd.value and abs(cmd.value) < 1e12, "the value must be a finite number")
    old = get_value(state, cmd.target)
    new = clamp_for(cmd.target, cmd.value)
    return [
        ev.Adjudicated(target=cmd.target, old=old, new=new, reason=cmd.reason, round=state.round)
    ]


def _observe(game: Game, state: ExerciseState, cmd: cm.AddObservation) -> list[ev.Event]:
    _require(state.phase != "setup", "the exercise has not started")
    if cmd.agency is not None:
        _require(cmd.agency in game.scenario.agencies, f"unknown agency '{cmd.agency}'")
    return [
        ev.ObservationRecorded(
            text=cmd.text,
            agency=cmd.agency,
            author=cmd.author,
            round=state.round,
            stage=state.stage,
        )
    ]


def _undo(game: Game, state: ExerciseState, cmd: cm.UndoTurn) -> list[ev.Event]:
    _running(state)
    _require(state.active is not None, "no turn in progress")
    _require(state.turn_actions > 0, "nothing to undo in this turn")
    return [ev.TurnUndone(agency=state.active or "", round=state.round)]


def _end(game: Game, state: ExerciseState, cmd: cm.EndExercise) -> list[ev.Event]:
    _require(state.phase != "ended", "the exercise has already ended")
    return [ev.ExerciseEnded(reason=cmd.reason, round=state.round)]


def _confirm(game: Game, state: ExerciseState, cmd: cm.ConfirmRating) -> list[ev.Event]:
    ids = [o.id for o in game.scenario.objectives]
    if cmd.objective not in ids:
        raise IllegalCommand(
            f"unknown objective '{cmd.objective}'{did_you_mean(cmd.objective, ids)}"
        )
    return [ev.RatingConfirmed(objective=cmd.objective, rating=cmd.rating, note=cmd.note)]


def _after_end(state: ExerciseState, what: str) -> None:
    _require(
        state.phase == "ended",
        f"{what} comes after the exercise: end it first (facilitator F8 / end_exercise)",
    )


def _feedback(game: Game, state: ExerciseState, cmd: cm.SubmitFeedback) -> list[ev.Event]:
    _after_end(state, "participant feedback")
    agencies = list(game.scenario.agencies)
    if cmd.agency not in agencies:
        raise IllegalCommand(f"unknown agency '{cmd.agency}'{did_you_mean(cmd.agency, agencies)}")
    for question, value in cmd.ratings.items():
        if question not in FEEDBACK_QUESTIONS:
            raise IllegalCommand(
                f"unknown feedback question '{question}'"
                f"{did_you_mean(question, list(FEEDBACK_QUESTIONS))}"
            )
        _require(1 <= value <= 5, f"feedback rating '{question}' must be 1 to 5, not {value}")
    texts = (cmd.strengths, cmd.improvements, cmd.comments)
    _require(
        any(t.strip() for t in texts) or bool(cmd.ratings),
        "the feedback form is empty: write a strength, an area for improvement or a rating",
    )
    return [
        ev.FeedbackSubmitted(
            agency=cmd.agency,
            author=cmd.author.strip(),
            strengths=cmd.strengths.strip(),
            improvements=cmd.improvements.strip(),
            ratings={q: cmd.ratings[q] for q in FEEDBACK_QUESTIONS if q in cmd.ratings},
            comments=cmd.comments.strip(),
        )
    ]


#: Prefix of the ids of injects the facilitator writes during play (``adhoc.1``, ...).
ADHOC_PREFIX = "adhoc."


def _release_adhoc(game: Game, state: ExerciseState, cmd: cm.ReleaseAdHocInject) -> list[ev.Event]:
    _running(state)
    to = list(dict.fromkeys(cmd.to))
    if "all" in to:
        to = ["all"]
    for a in to:
        if a != "all" and a not in game.scenario.agencies:
            raise IllegalCommand(f"unknown agency '{a}'{did_you_mean(a, game.scenario.agencies)}")
    _require(bool(cmd.title.strip()), "the inject needs a title")
    _require(bool(cmd.text.strip()), "the inject needs a text")
    n = 1 + sum(1 for i in state.fired if i.startswith(ADHOC_PREFIX))
    return [
        ev.InjectFired(
            inject=f"{ADHOC_PREFIX}{n}",
            round=state.round,
            stage=state.stage,
            to=to,
            private=("all" not in to) if cmd.private is None else cmd.private,
            type=cmd.type,
            title=cmd.title.strip(),
            text=cmd.text.strip(),
            manual=True,
        )
    ]


def _iso_date(value: str | None, what: str) -> str | None:
    """``value`` stripped, checked as ``YYYY-MM-DD`` (None and "" pass)."""
    if value is None or not value.strip():
        return value if value is None else ""
    value = value.strip()
    try:
        date.fromisoformat(value)
    except ValueError:
        raise IllegalCommand(f"the {what} date '{value}' is not a date: write YYYY-MM-DD") from None
    _require(len(value) == 10, f"the {what} date '{value}' is not a date: write YYYY-MM-DD")
    return value


def _plan_update(game: Game, state: ExerciseState, cmd: cm.UpdatePlanAction) -> list[ev.Event]:
    _after_end(state, "the improvement plan")
    _require(
        _PLAN_ID.fullmatch(cmd.action) is not None,
        f"'{cmd.action}' is not an improvement-plan action id",
    )
    start = _iso_date(cmd.start, "start")
    due = _iso_date(cmd.due, "due")
    if start and due:
        _require(start <= due, f"the due date {due} is before the start date {start}")
    fields = (cmd.owner, cmd.poc, start, due, cmd.status)
    _require(
        any(f is not None for f in fields),
        "nothing to change: give owner, poc, start, due or status",
    )
    return [
        ev.PlanActionUpdated(
            action=cmd.action,
            owner=None if cmd.owner is None else cmd.owner.strip(),
            poc=None if cmd.poc is None else cmd.poc.strip(),
            start=start,
            due=due,
            status=cmd.status,
        )
    ]


def _set_pin(game: Game, state: ExerciseState, cmd: cm.SetFacilitatorPin) -> list[ev.Event]:
    _require(state.phase != "setup", "the exercise has not started")
    return [
        ev.FacilitatorPinSet(scheme=cmd.scheme, salt=cmd.salt, digest=cmd.digest, round=state.round)
    ]


def _access_refused(
    game: Game, state: ExerciseState, cmd: cm.RecordAccessRefused
) -> list[ev.Event]:
    _require(state.phase != "setup", "the exercise has not started")
    return [
        ev.FacilitatorAccessRefused(
            action=cmd.action, seat=cmd.seat, reason=cmd.reason, round=state.round
        )
    ]


def _issue_codes(game: Game, state: ExerciseState, cmd: cm.IssueJoinCodes) -> list[ev.Event]:
    _require(state.phase != "setup", "the exercise has not started")
    seats = [*game.order, "facilitator", "evaluator"]
    for c in cmd.codes:
        _require(c.seat in seats, f"unknown seat '{c.seat}' (seats: {', '.join(seats)})")
    return [ev.JoinCodesIssued(codes=list(cmd.codes), round=state.round)]


_DISPATCH = {
    "start": _start,
    "take_action": _take_action,
    "propose_agreement": _propose,
    "answer_proposal": _answer,
    "counter_proposal": _counter,
    "end_turn": _end_turn,
    "pause": _pause,
    "resume": _resume,
    "release_inject": _release,
    "force_stage": _force_stage,
    "adjudicate": _adjudicate,
    "add_observation": _observe,
    "undo_turn": _undo,
    "end_exercise": _end,
    "confirm_rating": _confirm,
    "submit_feedback": _feedback,
    "update_plan_action": _plan_update,
    "release_adhoc_inject": _release_adhoc,
    "set_facilitator_pin": _set_pin,
    "record_access_refused": _access_refused,
    "issue_join_codes": _issue_codes,
}


def _agency_name(game: Game, agency: str) -> str:
    """An agency's name for a default proposal title (its id when unknown)."""
    ag = game.scenario.agencies.get(agency)
    return ag.name if ag is not None else agency
