"""One source of legality: what an agency may do now, and with which parameters.

``decide`` checks a chosen action with :func:`option` (its parameters' legal
values come from :func:`param_choices`); the TUI builds its menus and forms,
and the bots their choices, from :func:`legal_actions` and :func:`option`.
Nothing else decides legality.
"""

from __future__ import annotations

from collections.abc import Callable
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


def _memo(state: ExerciseState) -> dict[object, object]:
    """The state's memo of derived legality, emptied when the state has changed."""
    memo = state.memo
    if memo.get("events") != state.events:
        memo.clear()
        memo["events"] = state.events
    return memo


def known_regions(game: Game, state: ExerciseState, agency: str) -> tuple[str, ...]:
    """The regions :func:`knows` is true of for ``agency``, in scenario order.

    Only the agency's own regions and those it has intelligence on can be known,
    so only they are looked at (not every region of the scenario). Remembered
    until the state changes.
    """
    memo = _memo(state)
    key = ("known", agency)
    found = memo.get(key)
    if found is None:
        index = game.region_index
        candidates = dict.fromkeys(
            [*game.scenario.agencies[agency].regions, *state.agencies[agency].intel_round]
        )
        found = memo[key] = tuple(
            sorted(
                (r for r in candidates if r in index and knows(game, state, agency, r)),
                key=index.__getitem__,
            )
        )
    return found  # type: ignore[return-value]


def open_proposals_for(state: ExerciseState, agency: str) -> list[str]:
    """Open proposals that wait for ``agency``'s answer."""
    proposals = state.proposals
    return [
        pid
        for pid in state.open_proposals
        if (p := proposals[pid]).status == "open"
        and agency in p.parties
        and agency not in p.answers
    ]


def param_choices(game: Game, state: ExerciseState, agency: str, handler: str) -> tuple[Param, ...]:
    """Parameters of a verb for ``agency`` now, with their legal values."""
    build = _PARAMS.get(handler)
    return build(game, state, agency) if build is not None else ()


# One builder per verb: each computes only what its parameters need (this runs for
# every menu entry and every decision, so nothing is built that is not used).
_Builder = Callable[[Game, ExerciseState, str], tuple[Param, ...]]


def _stocked(state: ExerciseState, agency: str) -> tuple[str, ...]:
    return tuple(r for r, v in state.agencies[agency].resources.items() if v > 0)


def _deploy_params(game: Game, state: ExerciseState, agency: str) -> tuple[Param, ...]:
    ag = state.agencies[agency]
    stocked = _stocked(state, agency)
    most = max((ag.resources[r] for r in stocked), default=0.0)
    # A hoarding agency withholds its resources from its neighbours this round.
    regions = game.scenario.agencies[agency].regions if ag.hoarding else game.region_ids
    return (
        Param("region", tuple(regions)),
        Param("resource", stocked),
        Param("amount", maximum=most),
    )


def _share_params(game: Game, state: ExerciseState, agency: str) -> tuple[Param, ...]:
    return (
        Param("target", game.others[agency]),
        Param("region", known_regions(game, state, agency)),
    )


def _formalize_params(game: Game, state: ExerciseState, agency: str) -> tuple[Param, ...]:
    mine = tuple(
        pid
        for pid, p in state.proposals.items()
        if p.status == "active" and agency in p.parties and not p.formalized
    )
    return (Param("agreement", mine),)


def _accept_params(game: Game, state: ExerciseState, agency: str) -> tuple[Param, ...]:
    # A proposal whose commitments are already past due can only be countered or rejected.
    acceptable = tuple(
        pid
        for pid in open_proposals_for(state, agency)
        if all(c.due_round >= state.round for c in state.proposals[pid].commitments)
    )
    return (Param("proposal", acceptable),)


_PARAMS: dict[str, _Builder] = {
    "monitor": lambda g, s, a: (Param("region", g.region_ids),),
    "report_up": lambda g, s, a: (Param("region", g.span[a]), Param("accuracy", maximum=1.0)),
    "share_information": _share_params,
    "issue_warning": lambda g, s, a: (Param("region", g.span[a]), Param("level", WARNING_LEVELS)),
    "public_release": lambda g, s, a: (Param("region", g.span[a]),),
    "deploy": _deploy_params,
    "invest_prevention": lambda g, s, a: (
        Param("region", g.span[a]),
        Param("amount", maximum=s.agencies[a].budget),
    ),
    "request_support": lambda g, s, a: (
        Param("target", g.others[a]),
        Param("region", g.span[a]),
        Param("resource", tuple(g.rules.resources)),
        Param("amount", maximum=1e6),
    ),
    "local_protection": lambda g, s, a: (
        Param("mode", PROTECTION_MODES),
        Param("region", g.span[a], optional=True),
    ),
    "activate_response": lambda g, s, a: (Param("level", RESPONSE_LEVELS),),
    "directive": lambda g, s, a: (
        Param("target", g.subordinates[a]),
        Param("order", g.orderable),
        Param("region", g.region_ids, optional=True),
    ),
    "special_funds": lambda g, s, a: (
        Param("target", g.subordinates[a]),
        Param("amount", maximum=s.agencies[a].budget),
    ),
    "transfer_payment": lambda g, s, a: (
        Param("target", g.others[a]),
        Param("amount", maximum=s.agencies[a].budget),
    ),
    "compensate": lambda g, s, a: (
        Param("target", g.others[a]),
        Param("amount", maximum=s.agencies[a].budget),
    ),
    "assign_counterpart": lambda g, s, a: (
        Param("target", g.subordinates[a]),
        Param("region", g.region_ids),
    ),
    "formalize": _formalize_params,
    "set_rule": lambda g, s, a: (Param("region", g.span[a], optional=True),),
    "joint_review": lambda g, s, a: (Param("target", g.others[a]),),
    "propose": lambda g, s, a: (Param("mechanism", MECHANISMS), Param("parties", g.others[a])),
    "accept": _accept_params,
    "reject": lambda g, s, a: (Param("proposal", tuple(open_proposals_for(s, a))),),
    "counter": lambda g, s, a: (Param("proposal", tuple(open_proposals_for(s, a))),),
}


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
    """One catalogue action as offered to ``agency`` now.

    Remembered until the state changes: the menu or bot that offered an action
    and ``decide``, which checks the one chosen, share one computation.
    """
    memo = _memo(state)
    key = (agency, action_id)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _option(game, state, agency, action_id)
    return found  # type: ignore[return-value]


def _option(game: Game, state: ExerciseState, agency: str, action_id: str) -> ActionOption:
    rule = game.rules.actions[action_id]
    handler = game.handlers[action_id]
    why = block_reason(game, state, agency, action_id)
    params: tuple[Param, ...] = ()
    if why is None:
        params = param_choices(game, state, agency, handler)
        why = _unusable(handler, params, game, agency, action_id)
    return ActionOption(
        action_id,
        rule.title,
        handler,
        rule.cost,
        game.action_tags[action_id],
        params,
        why is None,
        why or "",
    )


def legal_actions(game: Game, state: ExerciseState, agency: str) -> list[ActionOption]:
    """Every catalogue action with its parameters and whether ``agency`` may take it now."""
    return [option(game, state, agency, action_id) for action_id in game.rules.actions]
