"""A loaded game: scenario + rule pack + compiled expressions + derived tables.

Built by :mod:`tabletop.loader` after every check passed, so the engine can
trust every id it finds here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tabletop.expr import Effect, Expr
from tabletop.model.rules import ActionRule, RulePack, StageRule
from tabletop.model.scenario import Inject, Scenario
from tabletop.model.state import ExerciseState


@dataclass(slots=True, eq=False)
class GameCaches:
    """What is derived once per game and reused by every exercise of it.

    Explicit and per game (a :class:`Game` is frozen; its caches are the one mutable
    part, never compared): nothing here changes what a game is, only how fast its
    exercises run. Filled lazily by the functions named.

    Attributes:
        initial_state: The template of :func:`~tabletop.engine.evolve.initial_state`.
        events: Shared immutable turn and round events
            (:func:`~tabletop.engine.steps.shared_event`), by class and values.
        development: Fiscal capacity per agency (:func:`~tabletop.engine.formulas.development`).
        injects_due: Injects that may fire per (stage, stage round) (:meth:`Game.injects_due`).
        action_keys: The TUI's letter per catalogue action (``tui.widgets.actions``).
        bot_weights: The bots' worth of harm avoided per region, by (agency, local
            interest) (``bots.region_weights``).
        bot_links: The bots' links between own and others' regions, by agency.
        counterfactuals: The nobody-acts run per seed (``scoring.counterfactual``; typed
            there, the engine does not know the type).
    """

    initial_state: ExerciseState | None = None
    events: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    development: dict[str, float] = field(default_factory=dict)
    injects_due: dict[tuple[str, int], tuple[Inject, ...]] = field(default_factory=dict)
    action_keys: dict[str, str] | None = None
    bot_weights: dict[tuple[str, float], dict[str, float]] = field(default_factory=dict)
    bot_links: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    counterfactuals: dict[int, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Game:
    """Immutable description of one playable exercise.

    Attributes:
        scenario: The validated scenario.
        rules: The validated rule pack.
        scenario_path: Path the scenario was loaded from (for the journal).
        scenario_hash: sha256 of the scenario file bytes.
        rules_hash: sha256 of the rule-pack file bytes.
        conditions: Compiled conditions: ``inject:<id>``, ``advance:<stage>``, ``regress:<stage>``.
        inject_effects: Compiled effects per inject id.
        action_effects: Compiled effects per action id.
    """

    scenario: Scenario
    rules: RulePack
    scenario_path: str
    scenario_hash: str
    rules_hash: str
    conditions: dict[str, Expr] = field(default_factory=dict)
    inject_effects: dict[str, tuple[Effect, ...]] = field(default_factory=dict)
    action_effects: dict[str, tuple[Effect, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        sc = self.scenario
        object.__setattr__(self, "order", tuple(sc.agencies))
        object.__setattr__(self, "stage_ids", tuple(s.id for s in self.rules.stages))
        object.__setattr__(self, "injects", {i.id: i for i in sc.injects})
        owners: dict[str, list[str]] = {r: [] for r in sc.regions}
        for aid, ag in sc.agencies.items():
            for r in ag.regions:
                owners.setdefault(r, []).append(aid)
        object.__setattr__(self, "owners", {r: tuple(a) for r, a in owners.items()})
        object.__setattr__(
            self, "subordinates", {a: tuple(sc.subordinates(a)) for a in sc.agencies}
        )
        object.__setattr__(self, "superiors", {a: tuple(sc.chain_up(a)) for a in sc.agencies})
        # Regions an agency is responsible for: its own and its subordinates'.
        span: dict[str, tuple[str, ...]] = {}
        for aid, ag in sc.agencies.items():
            regs = list(ag.regions)
            for sub in self.subordinates[aid]:
                regs += [r for r in sc.agencies[sub].regions if r not in regs]
            span[aid] = tuple(regs)
        object.__setattr__(self, "span", span)
        incoming: dict[str, list[tuple[str, float]]] = {r: [] for r in sc.regions}
        for rid, reg in sc.regions.items():
            for link in reg.links:
                incoming[link.to].append((rid, link.k))
        object.__setattr__(self, "incoming", {r: tuple(v) for r, v in incoming.items()})
        scale = self.rules.formula.need_scale
        object.__setattr__(
            self,
            "need_base",
            {
                rid: r.population * r.exposure * r.vulnerability * scale
                for rid, r in sc.regions.items()
            },
        )
        object.__setattr__(
            self,
            "need_weights",
            tuple((res, rule.need_weight) for res, rule in self.rules.resources.items()),
        )
        object.__setattr__(self, "need_weight", dict(self.need_weights))
        handlers = {a: self.rules.handler(a) for a in self.rules.actions}
        by_handler: dict[str, list[str]] = {}
        for a, h in handlers.items():
            by_handler.setdefault(h, []).append(a)
        object.__setattr__(self, "handlers", handlers)
        object.__setattr__(self, "by_handler", {h: tuple(a) for h, a in by_handler.items()})
        # Tables the hot paths (legality, decide) read instead of rebuilding per call.
        object.__setattr__(self, "region_ids", tuple(sc.regions))
        object.__setattr__(self, "region_index", {r: i for i, r in enumerate(sc.regions)})
        object.__setattr__(self, "stage_rules", {st.id: st for st in self.rules.stages})
        object.__setattr__(self, "caches", GameCaches())
        order = self.order
        object.__setattr__(
            self,
            "next_agency",
            {a: order[i + 1] if i + 1 < len(order) else None for i, a in enumerate(order)},
        )
        object.__setattr__(
            self, "others", {a: tuple(b for b in self.order if b != a) for a in self.order}
        )
        object.__setattr__(
            self, "action_tags", {a: tuple(r.tags) for a, r in self.rules.actions.items()}
        )
        object.__setattr__(
            self,
            "orderable",
            tuple(
                a for a, h in handlers.items() if h not in ("pass", "accept", "reject", "counter")
            ),
        )
        object.__setattr__(
            self,
            "effect_names",
            {
                a: frozenset(n for eff in effects for n in eff.value.names)
                for a, effects in self.action_effects.items()
            },
        )

    # Attributes set in __post_init__ (declared for type checkers).
    order: tuple[str, ...] = field(init=False)
    stage_ids: tuple[str, ...] = field(init=False)
    injects: dict[str, Inject] = field(init=False)
    owners: dict[str, tuple[str, ...]] = field(init=False)
    subordinates: dict[str, tuple[str, ...]] = field(init=False)
    superiors: dict[str, tuple[str, ...]] = field(init=False)
    span: dict[str, tuple[str, ...]] = field(init=False)
    incoming: dict[str, tuple[tuple[str, float], ...]] = field(init=False)
    need_base: dict[str, float] = field(init=False)
    need_weights: tuple[tuple[str, float], ...] = field(init=False)
    need_weight: dict[str, float] = field(init=False)
    handlers: dict[str, str] = field(init=False)
    by_handler: dict[str, tuple[str, ...]] = field(init=False)
    region_ids: tuple[str, ...] = field(init=False)
    #: Position of each region in ``region_ids`` (scenario order).
    region_index: dict[str, int] = field(init=False)
    stage_rules: dict[str, StageRule] = field(init=False)
    #: What is derived once per game and reused in every exercise of it.
    caches: GameCaches = field(init=False, repr=False, compare=False)
    next_agency: dict[str, str | None] = field(init=False)
    others: dict[str, tuple[str, ...]] = field(init=False)
    action_tags: dict[str, tuple[str, ...]] = field(init=False)
    orderable: tuple[str, ...] = field(init=False)
    effect_names: dict[str, frozenset[str]] = field(init=False)

    def stage(self, stage_id: str) -> StageRule:
        """The rule of a stage (KeyError when absent)."""
        return self.stage_rules[stage_id]

    def injects_due(self, stage: str, stage_round: int) -> tuple[Inject, ...]:
        """Injects that may fire in round ``stage_round`` of ``stage``, in scenario order.

        Those scripted for this stage and round, and every inject left open on
        either (conditions are checked by the caller, as is whether it fired).
        """
        cache = self.caches.injects_due
        due = cache.get((stage, stage_round))
        if due is None:
            due = cache[stage, stage_round] = tuple(
                inj
                for inj in self.scenario.injects
                if inj.stage in (None, stage) and inj.round in (None, stage_round)
            )
        return due

    def stage_rounds(self, stage_id: str) -> int:
        """Rounds of a stage, with the scenario's override."""
        return self.scenario.scenario.stage_rounds.get(stage_id, self.stage(stage_id).rounds)

    def action(self, action_id: str) -> ActionRule:
        """The catalogue entry of an action."""
        return self.rules.actions[action_id]

    def handler(self, action_id: str) -> str:
        """The engine verb of an action."""
        return self.handlers[action_id]

    def actions_with(self, handler: str) -> tuple[str, ...]:
        """Catalogue ids whose verb is ``handler`` (catalogue order)."""
        return self.by_handler.get(handler, ())

    def axis(self, a: str, b: str) -> str:
        """``vertical`` when one agency is above the other, else ``horizontal``."""
        if b in self.superiors[a] or a in self.superiors[b]:
            return "vertical"
        return "horizontal"

    def is_subordinate(self, boss: str, sub: str) -> bool:
        """True when ``sub`` is somewhere below ``boss``."""
        return sub in self.subordinates[boss]
