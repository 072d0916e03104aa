"""Bot policies that play agencies headless: cooperative, selfish, random, passive.

A bot only ever chooses among :func:`~tabletop.engine.legal.legal_actions`
and submits through :meth:`Exercise.submit`, like a human at the terminal.
Its randomness comes from a ``random.Random`` seeded from the exercise seed,
the agency and the round.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from tabletop.engine.exercise import Exercise
from tabletop.engine.legal import (
    ActionOption,
    known_regions,
    knows,
    legal_actions,
    open_proposals_for,
    option,
)
from tabletop.engine.resolve import need_of
from tabletop.errors import IllegalCommand
from tabletop.model import commands as cm
from tabletop.model.rules import WARNING_LEVELS

Policy = Callable[[Exercise, str, random.Random], Iterator[cm.Command]]
POLICIES = ("cooperative", "selfish", "random", "passive")


class _LazyRandom(random.Random):
    """A ``random.Random`` seeded on its first draw, with the same draws as one seeded at once.

    Seeding a Mersenne Twister from a string costs more than most bot turns
    (which never draw), so :func:`play_turn` hands policies this instead.
    """

    def __init__(self, seed: str) -> None:  # noqa: D107 - no super().__init__: seeding waits
        self._pending: str | None = seed
        self.gauss_next = None

    def _ready(self) -> None:
        if self._pending is not None:
            seed, self._pending = self._pending, None
            super().seed(seed)

    def seed(self, a: object = None, version: int = 2) -> None:  # noqa: D102
        self._pending = None
        super().seed(a, version)

    def random(self) -> float:  # noqa: D102
        self._ready()
        return super().random()

    def getrandbits(self, k: int) -> int:  # noqa: D102
        self._ready()
        return super().getrandbits(k)

    def getstate(self) -> tuple[object, ...]:  # noqa: D102
        self._ready()
        return super().getstate()

    def setstate(self, state: tuple[object, ...]) -> None:  # noqa: D102
        self._pending = None
        super().setstate(state)


def _options(ex: Exercise, agency: str) -> dict[str, ActionOption]:
    return {o.action: o for o in legal_actions(ex.game, ex.state, agency) if o.enabled}


def _first(ex: Exercise, agency: str, handler: str) -> ActionOption | None:
    """The first enabled catalogue action with verb ``handler``."""
    for action_id in ex.game.actions_with(handler):
        o = option(ex.game, ex.state, agency, action_id)
        if o.enabled:
            return o
    return None


def _unmet(ex: Exercise, region: str, resource: str) -> float:
    r = ex.state.regions[region]
    return need_of(ex.game, region, r.hazard, resource) - r.delivered.get(resource, 0.0)


def _done_this_turn(ex: Exercise, handler: str) -> bool:
    """True when the active agency already took a ``handler`` action in its current turn."""
    for r in reversed(ex.records):
        e = r.event
        if e.kind == "turn_started":
            return False
        if e.kind == "action_taken" and e.handler == handler:
            return True
    return False


def _warning_level(ex: Exercise, region: str) -> str:
    hz = ex.state.regions[region].hazard
    level = WARNING_LEVELS[0]
    for lvl in WARNING_LEVELS:
        if hz >= ex.game.rules.formula.warning_thresholds[lvl]:
            level = lvl
    return level


def _deploy(
    ex: Exercise, agency: str, regions: list[str] | tuple[str, ...]
) -> Iterator[cm.Command]:
    """Deploy to the largest unmet need among ``regions`` (never more than the need)."""
    opt = _first(ex, agency, "deploy")
    if opt is None:
        return
    res_param = opt.param("resource")
    best: tuple[float, str, str] | None = None
    for rid in regions:
        for res in res_param.choices if res_param else ():
            gap = _unmet(ex, rid, res)
            if gap > 0.5 and (best is None or gap > best[0]):
                best = (gap, rid, res)
    if best is None:
        return
    gap, rid, res = best
    amount = round(min(gap, ex.state.agencies[agency].resources[res]), 2)
    if amount > 0:
        yield cm.TakeAction(
            agency=agency, action=opt.action, region=rid, resource=res, amount=amount
        )


def cooperative(ex: Exercise, agency: str, rng: random.Random) -> Iterator[cm.Command]:
    """Share, warn, honour commitments, help where the need is largest, agree and formalize."""
    g, s = ex.game, ex.state
    me = g.scenario.agencies[agency]
    for pid in open_proposals_for(s, agency):
        yield cm.AnswerProposal(agency=agency, proposal=pid, accept=True)
    # Honour commitments first.
    for c in map(s.commitments.__getitem__, s.debts.get(agency, ())):  # its own debts
        spec = c.spec
        if c.status == "pending" and spec.debtor == agency and c.progress < max(spec.amount, 1):
            if spec.deliverable == "deliver" and spec.resource and spec.region:
                left = min(
                    spec.amount - c.progress, s.agencies[agency].resources.get(spec.resource, 0)
                )
                if left > 0:
                    yield cm.TakeAction(
                        agency=agency,
                        action="deploy",
                        region=spec.region,
                        resource=spec.resource,
                        amount=round(left, 2),
                    )
            elif spec.deliverable == "funds":
                yield cm.TakeAction(
                    agency=agency,
                    action="compensate",
                    target=spec.creditor,
                    amount=spec.amount - c.progress,
                )
            elif spec.deliverable == "information" and spec.region:
                yield cm.TakeAction(
                    agency=agency,
                    action="share_information",
                    target=spec.creditor,
                    region=spec.region,
                )
    # Directives addressed to me.
    for d in map(s.directives.__getitem__, s.directives_to.get(agency, ())):
        if d.target == agency and d.status == "pending" and d.action == "deploy" and d.region:
            if not knows(g, s, agency, d.region):
                yield cm.TakeAction(agency=agency, action="monitor", region=d.region)
            yield from _deploy(ex, agency, [d.region])
    stage_fn = g.stage(s.stage).function
    if stage_fn == "trigger" or s.stage_round == 1:
        if _first(ex, agency, "activate_response") and s.agencies[agency].response_level < 2:
            yield cm.TakeAction(agency=agency, action="activate_response", level="2")
        for rid in me.regions:
            if g.superiors[agency] and not _done_this_turn(ex, "report_up"):
                yield cm.TakeAction(agency=agency, action="report_up", region=rid)
            # Tell whoever is downstream.
            for link in g.scenario.regions[rid].links:
                for owner in g.owners.get(link.to, ()):
                    if owner != agency:
                        yield cm.TakeAction(
                            agency=agency, action="share_information", target=owner, region=rid
                        )
        for rid in g.span[agency]:
            if s.regions[rid].warning != _warning_level(ex, rid) and s.regions[rid].hazard >= 0.15:
                yield cm.TakeAction(
                    agency=agency, action="issue_warning", region=rid, level=_warning_level(ex, rid)
                )
    if stage_fn in ("operation", "adjustment"):
        if me.level in ("central", "provincial") and _first(ex, agency, "assign_counterpart"):
            worst = max(g.scenario.regions, key=lambda r: s.regions[r].hazard)
            donors = [
                a
                for a in g.subordinates[agency]
                if sum(s.agencies[a].resources.values()) > 20 and worst not in g.span[a]
            ]
            if donors and (donors[0], worst) not in s.counterparts:
                yield cm.TakeAction(
                    agency=agency, action="assign_counterpart", target=donors[0], region=worst
                )
        # Upstream agencies offer downstream partners a delivery agreement.
        if s.stage_round == 1 and stage_fn == "operation":
            for rid in me.regions:
                for link in g.scenario.regions[rid].links:
                    partners = [o for o in g.owners.get(link.to, ()) if o != agency]
                    stocked = [r for r, v in s.agencies[agency].resources.items() if v >= 2]
                    if (
                        partners
                        and stocked
                        and not any(
                            p.proposer == agency and partners[0] in p.parties
                            for p in s.proposals.values()
                        )
                    ):
                        yield cm.ProposeAgreement(
                            agency=agency,
                            mechanism="compensation"
                            if me.department == "water"
                            else "regional_cooperation",
                            parties=[agency, partners[0]],
                            commitments=[
                                cm.CommitmentSpec(
                                    debtor=agency,
                                    creditor=partners[0],
                                    deliverable="deliver",
                                    resource=stocked[0],
                                    region=link.to,
                                    amount=2,
                                    due_round=s.round + 1,
                                )
                            ],
                        )
        for q in map(s.requests.__getitem__, s.requests_to.get(agency, ())):
            if q.target == agency and q.fulfilled < q.amount and q.region:
                yield from _deploy(ex, agency, [q.region])
        known = list(known_regions(g, s, agency))
        if not me.regions and not known:
            # A coordinator without regions of its own looks before it sends.
            worst = max(g.span[agency] or g.scenario.regions, key=lambda r: s.regions[r].hazard)
            yield cm.TakeAction(agency=agency, action="monitor", region=worst)
            known = list(known_regions(g, s, agency))
        yield from _deploy(ex, agency, known)
        for rid in me.regions:
            if _unmet(ex, rid, "rescue") > 3 and g.superiors[agency]:
                yield cm.TakeAction(
                    agency=agency,
                    action="request_support",
                    target=g.superiors[agency][0],
                    region=rid,
                    resource="rescue",
                    amount=3,
                )
        yield from _deploy(ex, agency, known)
    if stage_fn == "evaluation":
        for pid, p in s.proposals.items():
            if p.status == "active" and agency in p.parties and not p.formalized and not p.paper:
                yield cm.TakeAction(agency=agency, action="formalize_agreement", agreement=pid)
        partners = [a for a in g.order if a != agency]
        if partners:
            yield cm.TakeAction(agency=agency, action="joint_review", target=rng.choice(partners))
        if me.regions:
            yield cm.TakeAction(agency=agency, action="set_rule", region=me.regions[0])
        if me.department == "water":
            for owner in g.order:
                if owner != agency and "linhe" in g.scenario.agencies[owner].regions:
                    yield cm.TakeAction(agency=agency, action="compensate", target=owner, amount=20)
    for rid in g.span[agency]:
        if s.regions[rid].trust < 50:
            yield cm.TakeAction(agency=agency, action="public_release", region=rid)


def selfish(ex: Exercise, agency: str, rng: random.Random) -> Iterator[cm.Command]:
    """Local protectionism: conceal, hoard, close borders, serve only its own regions."""
    g, s = ex.game, ex.state
    me = g.scenario.agencies[agency]
    for pid in open_proposals_for(s, agency):
        # Accepts deals that benefit it, then does not deliver.
        yield cm.AnswerProposal(agency=agency, proposal=pid, accept=True)
    for rid in me.regions:
        if g.superiors[agency] and s.stage_round == 1:
            yield cm.TakeAction(agency=agency, action="report_up", region=rid, accuracy=0.6)
    if me.regions and s.stage_round == 1:
        yield cm.TakeAction(
            agency=agency, action="local_protection", mode="close_border", region=me.regions[0]
        )
    if s.stage_round == 2:
        yield cm.TakeAction(agency=agency, action="local_protection", mode="withhold_data")
        if me.regions:
            yield cm.TakeAction(agency=agency, action="local_protection", mode="hoard")
    opt = _first(ex, agency, "deploy")
    if opt is not None and me.regions:
        for res, amount in s.agencies[agency].resources.items():
            if amount >= 1:
                # Piles everything into its own first region, whatever the need.
                yield cm.TakeAction(
                    agency=agency,
                    action="deploy",
                    region=me.regions[0],
                    resource=res,
                    amount=round(amount / 2, 2),
                )
    if _first(ex, agency, "special_funds"):
        for sub in g.subordinates[agency][:1]:
            yield cm.TakeAction(agency=agency, action="special_funds", target=sub, amount=10)


def random_policy(ex: Exercise, agency: str, rng: random.Random) -> Iterator[cm.Command]:
    """Uniformly random legal actions with random parameters (a fuzzer, not a strategy)."""
    for _ in range(6):
        opts = [
            o
            for o in _options(ex, agency).values()
            if o.handler not in ("pass", "propose", "counter")
        ]
        if not opts:
            return
        o = rng.choice(opts)
        if o.handler in ("accept", "reject"):
            choices = o.param("proposal")
            if choices and choices.choices:
                yield cm.AnswerProposal(
                    agency=agency,
                    proposal=rng.choice(choices.choices),
                    accept=o.handler == "accept",
                )
            continue
        kw: dict[str, object] = {}
        for p in o.params:
            if p.choices:
                if p.optional and rng.random() < 0.3:
                    continue
                kw[p.name] = rng.choice(p.choices)
            elif p.name == "accuracy":
                kw[p.name] = round(rng.uniform(0.5, 1.0), 2)
            elif p.maximum is not None and p.maximum > 0:
                kw[p.name] = round(rng.uniform(0.1, min(p.maximum, 20.0)), 2)
        try:
            yield cm.TakeAction(agency=agency, action=o.action, **kw)  # type: ignore[arg-type]
        except ValueError:
            continue


def passive(ex: Exercise, agency: str, rng: random.Random) -> Iterator[cm.Command]:
    """Passive cooperation: does what a directive orders, and nothing else."""
    g, s = ex.game, ex.state
    for d in list(s.directives.values()):
        if d.target != agency or d.status != "pending":
            continue
        if d.action == "deploy" and d.region:
            yield from _deploy(ex, agency, [d.region])
            continue
        opt = option(g, s, agency, d.action)
        if not opt.enabled:
            continue
        kw: dict[str, object] = {}
        for p in opt.params:
            if p.name == "region" and d.region and d.region in p.choices:
                kw["region"] = d.region
            elif p.choices and not p.optional:
                kw[p.name] = p.choices[0]
            elif p.maximum is not None and p.maximum > 0:
                kw[p.name] = round(min(p.maximum, 10.0), 2)
        try:
            yield cm.TakeAction(agency=agency, action=d.action, **kw)  # type: ignore[arg-type]
        except ValueError:
            continue


POLICY_FUNCTIONS: dict[str, Policy] = {
    "cooperative": cooperative,
    "selfish": selfish,
    "random": random_policy,
    "passive": passive,
}


def play_turn(ex: Exercise, agency: str, policy: Policy) -> int:
    """Let ``policy`` play ``agency``'s current turn, then end it. Returns decisions accepted."""
    rng = _LazyRandom(f"{ex.state.seed}:{agency}:{ex.state.round}")
    done = 0
    for command in policy(ex, agency, rng):
        if ex.state.active != agency or ex.state.agencies[agency].points <= 0:
            break
        try:
            ex.submit(command)
            done += 1
        except IllegalCommand:
            continue
    if ex.state.active == agency and ex.state.phase == "running":
        ex.submit(cm.EndTurn(agency=agency))
    return done


def play_to_end(ex: Exercise, policies: dict[str, Policy] | Policy) -> None:
    """Play every remaining turn with ``policies`` (one for all, or per agency)."""
    while ex.state.phase == "running" and ex.state.active is not None:
        agency = ex.state.active
        policy = policies if callable(policies) else policies[agency]
        play_turn(ex, agency, policy)


def parse_policies(spec: str, agencies: list[str] | tuple[str, ...]) -> dict[str, Policy]:
    """Parse ``cooperative`` or ``mixed:a_em=selfish,county=random`` (others cooperative).

    Raises:
        ValueError: unknown policy or agency.
    """
    if spec in POLICY_FUNCTIONS:
        return dict.fromkeys(agencies, POLICY_FUNCTIONS[spec])
    if not spec.startswith("mixed"):
        raise ValueError(
            f"unknown bot policy '{spec}' (choose {', '.join(POLICIES)} or mixed:AGENCY=POLICY,...)"
        )
    out = dict.fromkeys(agencies, POLICY_FUNCTIONS["cooperative"])
    _, _, body = spec.partition(":")
    for part in filter(None, body.split(",")):
        who, _, name = part.partition("=")
        if who not in out:
            raise ValueError(f"unknown agency '{who}' in '{spec}'")
        if name not in POLICY_FUNCTIONS:
            raise ValueError(f"unknown bot policy '{name}' in '{spec}'")
        out[who] = POLICY_FUNCTIONS[name]
    return out
