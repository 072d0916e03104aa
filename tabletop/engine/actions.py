"""Deciding ``take_action``: the rule pack's actions, their effects, directives and requests."""

from __future__ import annotations

from tabletop.engine.failures import failure
from tabletop.engine.formulas import fund_worth
from tabletop.engine.game import Game
from tabletop.engine.legal import NEGOTIATION, RESPONSE_LEVELS, knows, option
from tabletop.engine.names import StateEnv, agency_values, clamp_for, get_value, region_values
from tabletop.engine.steps import directed_by, next_id, require
from tabletop.engine.turns import end_turn
from tabletop.errors import ExpressionError, IllegalCommand, did_you_mean
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.rules import WARNING_LEVELS
from tabletop.model.state import ExerciseState


def _choice(
    params: dict[str, tuple[str, ...]], name: str, value: str | None, optional: bool = False
) -> None:
    if value is None:
        require(optional, f"choose {'an' if name[0] in 'aeiou' else 'a'} {name}")
        return
    legal = params.get(name, ())
    if value not in legal:
        shown = ", ".join(legal) if legal else "none available"
        raise IllegalCommand(f"{name} '{value}' is not possible here (possible: {shown})")


def take_action(game: Game, state: ExerciseState, cmd: cm.TakeAction) -> list[ev.Event]:
    handler = game.handlers.get(cmd.action)
    if handler == "pass":
        return end_turn(game, state, cm.EndTurn(agency=cmd.agency))
    if handler is None:
        names = list(game.rules.actions)
        raise IllegalCommand(f"unknown action '{cmd.action}'{did_you_mean(cmd.action, names)}")
    require(handler not in NEGOTIATION, f"'{cmd.action}' is a negotiation: use a proposal command")
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
        require(cmd.amount > 0, "the amount must be more than 0")
        require(
            cmd.amount <= most + 1e-9,
            f"the amount {cmd.amount:g} is more than the {most:g} available",
        )
    if handler == "deploy" and cmd.resource is not None:
        stock = state.agencies[cmd.agency].resources.get(cmd.resource, 0.0)
        require(
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
        require(cmd.mode != "close_border" or region is not None, "choose the region to close")
        flags.append("local_protectionism")
    elif handler == "activate_response":
        assert cmd.level is not None
        amount = float(RESPONSE_LEVELS.index(cmd.level) + 1)
    elif handler == "formalize":
        assert cmd.agreement is not None
        if state.proposals[cmd.agreement].paper:
            flags.append("paper_cooperation")
    directed = directed_by(state, agency, cmd.action, region)
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
        request=next_id(state, "Q") if handler == "request_support" else None,
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


def _directive_event(
    state: ExerciseState, cmd: cm.TakeAction, counterpart: bool
) -> ev.DirectiveIssued:
    """The directive a ``directive`` or ``assign_counterpart`` action issues."""
    return ev.DirectiveIssued(
        directive=next_id(state, "D"),
        issuer=cmd.agency,
        target=cmd.target or "",
        action="deploy" if counterpart else (cmd.order or ""),
        region=cmd.region,
        due_round=state.round + 1,
        round=state.round,
        stage=state.stage,
        counterpart=counterpart,
    )
