"""One source of legality: what an agency may do now, and with which parameters.

``decide`` calls :func:`check_action` and :func:`param_choices`; the TUI
builds its menus and forms from :func:`legal_actions`. Nothing else decides
legality.
"""

from __future__ import annotations

from dataclasses import dataclass

from tabletop.engine.game import Game
from tabletop.model.rules import MECHANISMS, WARNING_LEVELS
from tabletop.model.state import ExerciseState

NEGOTIATION = ("propose", "accept", "reject", "counter")
RESPONSE_LEVELS = ("1", "2", "3", "4")
PROTECTION_MODES = ("hoard", "close_border", "withhold_data")


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of an action and its legal values.

    Attributes:
        name: Field of the command (``region``, ``target``, ``resource``, ``amount``...).
        choices: Legal values for a choice parameter (empty for numbers).
        maximum: Upper bound for a number parameter.
        optional: The parameter may be left out.
    """

    name: str
    choices: tuple[str, ...] = ()
    maximum: float | None = None
    optional: bool = False


@dataclass(frozen=True, slots=True)
class ActionOption:
    """A catalogue action as offered to one agency right now."""

    action: str
    title: str
    handler: str
    cost: int
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    enabled: bool
    reason: str = ""

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``, if the action has one."""
        for p in self.params:
            if p.name == name:
                return p
        return None


def turn_problem(state: ExerciseState, agency: str) -> str | None:
    """Why ``agency`` may not act at all now (None when it may)."""
    if state.phase == "setup":
        return "the exercise has not started"
    if state.phase == "ended":
        return "the exercise has ended"
    if state.paused:
        return "the exercise is paused by the facilitator"
    if agency not in state.agencies:
        return f"unknown agency '{agency}'"
    if state.active != agency:
        return f"it is {state.active}'s turn, not {agency}'s"
    return None


def block_reason(game: Game, state: ExerciseState, agency: str, action_id: str) -> str | None:
    """Why ``agency`` may not take ``action_id`` now, ignoring parameters (None when it may)."""
    if (why := turn_problem(state, agency)) is not None:
        return why
    rule = game.rules.actions.get(action_id)
    if rule is None:
        return f"unknown action '{action_id}'"
    if rule.stages and state.stage not in rule.stages:
        return f"not allowed in the {state.stage} stage"
    ag = game.scenario.agencies[agency]
    if rule.levels and ag.level not in rule.levels:
        return f"only for {'/'.join(rule.levels)} agencies"
    if rule.authority is not None and rule.authority not in ag.authority:
        return f"needs the '{rule.authority}' authority"
    if rule.cost > state.agencies[agency].points:
        return f"needs {rule.cost} action point(s), {state.agencies[agency].points} left"
    return None


def knows(game: Game, state: ExerciseState, agency: str, region: str) -> bool:
    """True when the agency has current information on ``region``."""
    if region in game.scenario.agencies[agency].regions:
        return True
    seen = state.agencies[agency].intel_round.get(region)
    return seen is not None and seen >= state.round - 1


def open_proposals_for(state: ExerciseState, agency: str) -> list[str]:
    """Open proposals that wait for ``agency``'s answer."""
    return [
        pid
        for pid, p in state.proposals.items()
        if p.status == "open" and agency in p.parties and agency not in p.answers
    ]


def param_choices(game: Game, state: ExerciseState, agency: str, handler: str) -> tuple[Param, ...]:
    """Parameters of a verb for ``agency`` now, with their legal values."""
    sc = game.scenario
    ag = state.agencies[agency]
    regions = tuple(sc.regions)
    span = game.span[agency]
    others = tuple(a for a in game.order if a != agency)
    subs = game.subordinates[agency]
    stocked = tuple(r for r, v in ag.resources.items() if v > 0)
    if handler == "monitor":
        return (Param("region", regions),)
    if handler == "report_up":
        return (Param("region", span), Param("accuracy", maximum=1.0))
    if handler == "share_information":
        known = tuple(r for r in regions if knows(game, state, agency, r))
        return (Param("target", others), Param("region", known))
    if handler == "issue_warning":
        return (Param("region", span), Param("level", WARNING_LEVELS))
    if handler == "public_release":
        return (Param("region", span),)
    if handler == "deploy":
        most = max((ag.resources[r] for r in stocked), default=0.0)
        return (Param("region", regions), Param("resource", stocked), Param("amount", maximum=most))
    if handler == "invest_prevention":
        return (Param("region", span), Param("amount", maximum=ag.budget))
    if handler == "request_support":
        return (
            Param("target", others),
            Param("region", span),
            Param("resource", tuple(game.rules.resources)),
            Param("amount", maximum=1e6),
        )
    if handler == "local_protection":
        return (Param("mode", PROTECTION_MODES), Param("region", span, optional=True))
    if handler == "activate_response":
        return (Param("level", RESPONSE_LEVELS),)
    if handler == "directive":
        orders = tuple(
            a
            for a in game.rules.actions
            if game.handler(a) not in ("pass", "accept", "reject", "counter")
        )
        return (
            Param("target", subs),
            Param("order", orders),
            Param("region", regions, optional=True),
        )
    if handler == "special_funds":
        return (Param("target", subs), Param("amount", maximum=ag.budget))
    if handler in ("transfer_payment", "compensate"):
        return (Param("target", others), Param("amount", maximum=ag.budget))
    if handler == "assign_counterpart":
        return (Param("target", subs), Param("region", regions))
    if handler == "formalize":
        mine = tuple(
            pid
            for pid, p in state.proposals.items()
            if p.status == "active" and agency in p.parties and not p.formalized
        )
        return (Param("agreement", mine),)
    if handler == "set_rule":
        return (Param("region", span, optional=True),)
    if handler == "joint_review":
        return (Param("target", others),)
    if handler == "propose":
        return (Param("mechanism", MECHANISMS), Param("parties", others))
    if handler == "accept":
        # A proposal whose commitments are already past due can only be countered or rejected.
        acceptable = tuple(
            pid
            for pid in open_proposals_for(state, agency)
            if all(c.due_round >= state.round for c in state.proposals[pid].commitments)
        )
        return (Param("proposal", acceptable),)
    if handler in ("reject", "counter"):
        return (Param("proposal", tuple(open_proposals_for(state, agency))),)
    return ()


def _unusable(
    handler: str, params: tuple[Param, ...], game: Game, agency: str, action_id: str
) -> str | None:
    """Why no parameter choice can make the verb legal (None when one may)."""
    for p in params:
        if not p.optional and p.maximum is None and not p.choices:
            return {
                "target": "no agency to address",
                "region": "no region available",
                "resource": "no resources left",
                "agreement": "no active agreement to formalize",
                "proposal": "no proposal waiting for your answer",
            }.get(p.name, f"no {p.name} available")
        if p.maximum is not None and p.maximum <= 0 and p.name == "amount":
            return "nothing left to give"
    if handler == "report_up" and not game.superiors[agency]:
        return "no superior to report to"
    if handler == "propose":
        need = min_parties(game, action_id)
        if len(game.order) < need:
            return f"needs at least {need} agencies in the exercise"
    return None


def min_parties(game: Game, action_id: str) -> int:
    """Parties a proposal through ``action_id`` needs (3 for a joint mechanism)."""
    rule = game.action(action_id)
    return max(rule.min_parties, 3 if rule.mechanism == "joint_mechanism" else 2)


def option(game: Game, state: ExerciseState, agency: str, action_id: str) -> ActionOption:
    """One catalogue action as offered to ``agency`` now."""
    rule = game.rules.actions[action_id]
    handler = game.handler(action_id)
    why = block_reason(game, state, agency, action_id)
    params = param_choices(game, state, agency, handler) if why is None else ()
    if why is None:
        why = _unusable(handler, params, game, agency, action_id)
    return ActionOption(
        action=action_id,
        title=rule.title,
        handler=handler,
        cost=rule.cost,
        tags=tuple(rule.tags),
        params=params,
        enabled=why is None,
        reason=why or "",
    )


def legal_actions(game: Game, state: ExerciseState, agency: str) -> list[ActionOption]:
    """Every catalogue action with its parameters and whether ``agency`` may take it now."""
    return [option(game, state, agency, action_id) for action_id in game.rules.actions]
