"""Bot policies that play agencies headless: cooperative, selfish, opportunist, random.

A bot only ever chooses among :func:`~tabletop.engine.legal.legal_actions`
(every command it yields is built from the choices :func:`option` offers now)
and submits through :meth:`Exercise.submit`, like a human at the terminal.
Its randomness comes from a ``random.Random`` seeded from the exercise seed,
the agency and the round.

Every decision comes with a one-line reason (:class:`Decision`):
:func:`play_turn` logs it on the ``tabletop.bots`` logger at DEBUG level and
appends it to a ``trace`` list when given one (``tabletop run --explain``).

The policies negotiate: they propose agreements with concrete commitments
(regional cooperation between neighbours on a link, counterpart support,
compensation upstream/downstream, joint inter-department operations, a joint
prevention/control mechanism of three or more agencies when risk spreads),
answer every proposal they receive, and honour (or break) what they promised.
What an agency gains is weighed with :func:`region_weights`, per region, by the
game's private-score rule (:func:`tabletop.scoring.private_score`): the agency's own
regions' outcome mixed with the common one by its ``local_interest`` (cooperative bots weigh every region alike,
selfish ones only their own, opportunists by their ``local_interest``).
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from tabletop.engine.exercise import Exercise
from tabletop.engine.formulas import need_of
from tabletop.engine.game import Game
from tabletop.engine.legal import (
    NEGOTIATION,
    ActionOption,
    known_regions,
    knows,
    legal_actions,
    option,
)
from tabletop.errors import IllegalCommand
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.rules import WARNING_LEVELS
from tabletop.model.state import ExerciseState, Proposal

__all__ = [
    "POLICIES",
    "POLICY_FUNCTIONS",
    "Decision",
    "Policy",
    "TraceEntry",
    "cooperative",
    "opportunist",
    "parse_policies",
    "passive",
    "play_to_end",
    "play_turn",
    "random_policy",
    "region_weights",
    "selfish",
]

log = logging.getLogger("tabletop.bots")


@dataclass(frozen=True, slots=True)
class Decision:
    """A command a policy wants to submit (None: a choice not to act, e.g. a broken promise), and why."""

    command: cm.Command | None
    reason: str


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """One bot decision as played: who, when, what, why, and whether the engine took it."""

    round: int
    stage: str
    agency: str
    command: str
    reason: str
    accepted: bool
    refusal: str = ""

    def line(self) -> str:
        """One human line, e.g. ``round 2 outbreak  a_em  deploy ...: largest unmet need``."""
        mark = "" if self.accepted else f"  [refused: {self.refusal}]"
        return f"round {self.round} {self.stage:<12} {self.agency:<12} {self.command}: {self.reason}{mark}"


Policy = Callable[[Exercise, str, random.Random], Iterator[Decision]]
POLICIES = ("cooperative", "selfish", "opportunist", "random", "passive")

#: A region counts as "at risk" from this hazard on (blue warning level).
RISK = 0.15
#: Smallest amount worth a commitment (and unmet need worth a deal).
MIN_GAP = 0.5
#: Smallest unmet need worth a deployment of its own.
MIN_DEPLOY = 0.1
#: Commitments of a deal of 3+ parties fall due this many rounds after the proposal: every
#: party gets a turn after the last acceptance (which can come in the next round). In a
#: two-party deal the last to accept activates it and can deliver at once: due next round.
DUE = 2


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
        super().seed(a, version)  # type: ignore[arg-type]

    def random(self) -> float:  # noqa: D102
        self._ready()
        return super().random()

    def getrandbits(self, k: int) -> int:  # noqa: D102
        self._ready()
        return super().getrandbits(k)

    def getstate(self) -> tuple[object, ...]:  # type: ignore[override]  # noqa: D102
        self._ready()
        return super().getstate()

    def setstate(self, state: tuple[object, ...]) -> None:  # noqa: D102
        self._pending = None
        super().setstate(state)


# --------------------------------------------------------------------------- private score


def region_weights(
    game: Game, agency: str, local_interest: float | None = None
) -> dict[str, float]:
    """How much one unit of harm avoided in each region is worth to ``agency``.

    The game's mixing rule (:func:`tabletop.scoring.private_score`: own regions'
    outcome weighted by ``local_interest``, the common one by ``1 - li``), taken per
    region: ``li`` for owning the region plus ``1 - li`` for its share of the common
    outcome. ``local_interest`` overrides
    the agency's own value (0: cooperative, 1: selfish). Cached per game.
    """
    li = game.scenario.agencies[agency].local_interest if local_interest is None else local_interest
    key = (agency, li)
    cache = game.caches.bot_weights
    out = cache.get(key)
    if out is None:
        own = game.scenario.agencies[agency].regions
        out = cache[key] = {r: (li if r in own else 0.0) + (1.0 - li) for r in game.region_ids}
    return out


# --------------------------------------------------------------------------- commands

_DEFAULTS: dict[type, dict[str, object]] = {}
_M = TypeVar("_M", bound=BaseModel)


def _build(cls: type[_M], **fields: object) -> _M:
    """A command built from values already checked against the legal choices, unvalidated.

    What ``model_construct`` does, without its per-field default lookups (which
    cost more than validating): the defaults of ``cls`` are computed once. Only
    for fields whose values the caller took from :func:`option`'s choices.
    """
    base = _DEFAULTS.get(cls)
    if base is None:
        base = _DEFAULTS[cls] = {
            name: f.get_default(call_default_factory=True)
            for name, f in cls.model_fields.items()
            if not f.is_required()
        }
    data = {**base, **fields}
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", data)
    object.__setattr__(model, "__pydantic_fields_set__", set(fields))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


# --------------------------------------------------------------------------- one turn


class _Turn:
    """What a policy looks at during one turn (always the live state)."""

    __slots__ = (
        "ex",
        "g",
        "agency",
        "me",
        "rng",
        "li",
        "w",
        "_options",
        "_at",
        "_owed_at",
        "_tally",
        "_promised_at",
        "_promises",
    )

    def __init__(self, ex: Exercise, agency: str, rng: random.Random, li: float | None) -> None:
        self.ex = ex
        self.g = ex.game
        self.agency = agency
        self.me = ex.game.scenario.agencies[agency]
        self.rng = rng
        self.li = self.me.local_interest if li is None else li
        self.w = region_weights(ex.game, agency, self.li)
        self._options: dict[str, ActionOption] = {}
        self._at = -1
        self._owed_at = -1
        self._promised_at = -1
        self._promises: tuple[dict[Any, list[float]], dict[Any, dict[str, float]]] = ({}, {})
        self._tally: tuple[dict[Any, list[float]], dict[Any, dict[str, float]]] = (
            {},
            {},
        )

    def option(self, action_id: str) -> ActionOption:
        """:func:`option` for the agency, cached while the state does not change.

        The state changes only through events (its ``events`` counter), so what
        the policy looks up between two decisions is computed once.
        """
        s = self.ex.state
        if s.events != self._at:
            self._options.clear()
            self._at = s.events
        o = self._options.get(action_id)
        if o is None:
            o = self._options[action_id] = option(self.g, s, self.agency, action_id)
        return o

    @property
    def s(self) -> ExerciseState:
        return self.ex.state

    @property
    def points(self) -> int:
        s = self.ex.state
        return s.agencies[self.agency].points if s.active == self.agency else 0

    @property
    def stage_fn(self) -> str:
        return self.g.stage(self.ex.state.stage).function

    def first(self, handler: str) -> ActionOption | None:
        """The first enabled catalogue action with verb ``handler``."""
        for action_id in self.g.actions_with(handler):
            if self.g.action(action_id).cost > self.points:
                continue
            o = self.option(action_id)
            if o.enabled:
                return o
        return None

    def act(self, handler: str, reason: str, **kw: object) -> Decision | None:
        """A ``TakeAction`` for verb ``handler`` when its parameters are among the legal choices."""
        o = self.first(handler)
        if o is None:
            return None
        for p in o.params:
            value = kw.get(p.name)
            if p.choices or not p.optional and p.maximum is None:
                if value is None:
                    if not p.optional:
                        return None
                elif value not in p.choices:
                    return None
            elif p.maximum is not None and p.name == "amount":
                amount = float(value or 0.0)  # type: ignore[arg-type]
                if amount <= 0 or amount > p.maximum + 1e-9:
                    return None
        if handler == "deploy":
            stock = self.s.agencies[self.agency].resources.get(str(kw.get("resource")), 0.0)
            if float(kw.get("amount", 0.0)) > stock + 1e-9:  # type: ignore[arg-type]
                return None
        if (
            handler == "local_protection"
            and kw.get("mode") == "close_border"
            and not kw.get("region")
        ):
            return None
        # Built from legal choices only: no need to validate again.
        cmd = _build(cm.TakeAction, agency=self.agency, action=o.action, **kw)
        return Decision(cmd, reason)

    def unmet(self, region: str, resource: str) -> float:
        r = self.ex.state.regions[region]
        return need_of(self.g, region, r.hazard, resource) - r.delivered.get(resource, 0.0)

    def promised(self, region: str, resource: str, exclude: str | None = None) -> float:
        """Deliveries of ``resource`` to ``region`` anyone promised and has not made yet.

        Pending commitments and open proposals (but ``exclude``), tallied once per state.
        """
        s = self.ex.state
        if s.events != self._promised_at:
            self._promised_at = s.events
            due: dict[tuple[str | None, str | None], list[float]] = {}
            for c in s.commitments.values():
                spec = c.spec
                if c.status == "pending" and spec.deliverable == "deliver":
                    due.setdefault((spec.region, spec.resource), []).append(
                        max(0.0, spec.amount - c.progress)
                    )
            offered: dict[tuple[str | None, str | None], dict[str, float]] = {}
            for p in s.proposals.values():
                if p.status == "open":
                    for c in p.commitments:  # type: ignore[assignment]
                        if c.deliverable == "deliver":  # type: ignore[attr-defined]
                            per = offered.setdefault((c.region, c.resource), {})  # type: ignore[attr-defined]
                            per[p.id] = per.get(p.id, 0.0) + c.amount  # type: ignore[attr-defined]
            self._promises = (due, offered)
        due, offered = self._promises
        key = (region, resource)
        per = offered.get(key, {})
        return math.fsum([*due.get(key, ()), *(v for pid, v in per.items() if pid != exclude)])

    def open_gap(self, region: str, resource: str, exclude: str | None = None) -> float:
        """Unmet need that nobody has promised to fill yet (what a new delivery should cover)."""
        return self.unmet(region, resource) - self.promised(region, resource, exclude)

    def spare(self, resource: str, exclude: str | None = None) -> float:
        """Stock of ``resource`` not yet promised in pending commitments."""
        s = self.ex.state
        have = s.agencies[self.agency].resources.get(resource, 0.0)
        return max(0.0, have - self._owed("deliver", resource, exclude))

    def _owed(
        self, deliverable: str, resource: str | None = None, exclude: str | None = None
    ) -> float:
        """What the agency still owes in pending commitments and open proposals (but ``exclude``).

        Tallied once per state (like :meth:`option`): (deliverable, resource) -> amount,
        and per open proposal what it would add.
        """
        s = self.ex.state
        if s.events != self._owed_at:
            self._owed_at = s.events
            me = self.agency
            due: dict[tuple[str, str | None], list[float]] = {}
            for c in s.commitments.values():
                spec = c.spec
                if c.status == "pending" and spec.debtor == me:
                    due.setdefault((spec.deliverable, spec.resource), []).append(
                        spec.amount - c.progress
                    )
            offered: dict[tuple[str, str | None], dict[str, float]] = {}
            for p in s.proposals.values():
                if p.status == "open" and me in p.parties:
                    for c in p.commitments:  # type: ignore[assignment]
                        if c.debtor == me:  # type: ignore[attr-defined]
                            per = offered.setdefault((c.deliverable, c.resource), {})  # type: ignore[attr-defined]
                            per[p.id] = per.get(p.id, 0.0) + c.amount  # type: ignore[attr-defined]
            self._tally = (due, offered)
        due, offered = self._tally
        key = (deliverable, resource)
        per = offered.get(key, {})
        return math.fsum([*due.get(key, ()), *(v for pid, v in per.items() if pid != exclude)])

    def spare_budget(self, exclude: str | None = None) -> float:
        """Budget not yet promised in pending commitments and open proposals."""
        return max(
            0.0, self.ex.state.agencies[self.agency].budget - self._owed("funds", None, exclude)
        )

    def best_gap(
        self, regions: tuple[str, ...] | list[str], resources: tuple[str, ...] | list[str]
    ) -> tuple[float, str, str] | None:
        """The largest weighted unmet need among ``regions`` x ``resources``: (value, region, resource)."""
        best: tuple[float, str, str] | None = None
        for rid in regions:
            wr = self.w[rid]
            if wr <= 0:
                continue
            for res in resources:
                gap = self.open_gap(rid, res)
                if gap > MIN_DEPLOY and (best is None or gap * wr > best[0]):
                    best = (gap * wr, rid, res)
        return best

    def done_this_turn(self, handler: str) -> bool:
        """True when the agency already took a ``handler`` action in its current turn."""
        for r in reversed(self.ex.records):
            e = r.event
            if isinstance(e, ev.TurnStarted):
                return False
            if isinstance(e, ev.ActionTaken) and e.handler == handler:
                return True
        return False

    def known(self) -> list[str]:
        return list(known_regions(self.g, self.ex.state, self.agency))


def _deploy(t: _Turn, regions: list[str] | tuple[str, ...], why: str) -> Iterator[Decision]:
    """Deploy to the largest (weighted) open need among ``regions`` (never more than the need)."""
    o = t.first("deploy")
    if o is None:
        return
    res_param = o.param("resource")
    best = t.best_gap(regions, res_param.choices if res_param else ())
    if best is None:
        return
    _, rid, res = best
    gap = t.open_gap(rid, res)
    # Never what it has promised elsewhere.
    amount = round(min(gap, t.spare(res), t.s.agencies[t.agency].resources[res]), 2)
    if amount > 0:
        d = t.act(
            "deploy",
            f"{why}: unmet {res} need of {gap:.1f} in {rid}",
            region=rid,
            resource=res,
            amount=amount,
        )
        if d is not None:
            yield d


# --------------------------------------------------------------------------- commitments


def _target_of(c: cm.CommitmentSpec) -> float:
    return c.amount if c.deliverable in ("deliver", "funds") and c.amount > 0 else 1.0


def _honour(
    t: _Turn, keep: Callable[[_Turn, cm.CommitmentSpec, float], str | None]
) -> Iterator[Decision]:
    """Work on the agency's pending commitments; ``keep`` returns why to break one (None: honour)."""
    s = t.s
    for cid in [
        cid
        for cid in s.debts.get(t.agency, ())  # its own debts (indexed by evolve)
        if s.commitments[cid].status == "pending"
    ]:
        c = s.commitments[cid]
        spec = c.spec
        left = _target_of(spec) - c.progress
        if c.status != "pending" or left <= 1e-9 or spec.due_round < s.round:
            continue
        why_not = keep(t, spec, left)
        if why_not is not None:
            yield Decision(None, f"does not honour {cid} ({spec.describe()}): {why_not}")
            continue
        what = f"honours {cid} ({spec.describe()})"
        if spec.deliverable == "deliver" and spec.resource and spec.region:
            if not knows(t.g, s, t.agency, spec.region):
                d = t.act("monitor", f"{what}: looks at {spec.region} first", region=spec.region)
                if d is not None:
                    yield d
            amount = round(min(left, s.agencies[t.agency].resources.get(spec.resource, 0.0)), 2)
            if amount > 0:
                d = t.act("deploy", what, region=spec.region, resource=spec.resource, amount=amount)
                if d is not None:
                    yield d
        elif spec.deliverable == "funds":
            amount = round(min(left, s.agencies[t.agency].budget), 2)
            for handler in ("compensate", "transfer_payment"):
                d = t.act(handler, what, target=spec.creditor, amount=amount)
                if d is not None:
                    yield d
                    break
        elif spec.deliverable == "information" and spec.region:
            d = t.act("share_information", what, target=spec.creditor, region=spec.region)
            if d is not None:
                yield d
        elif spec.deliverable == "action" and spec.action:
            handler = t.g.handlers.get(spec.action, "")
            d = t.act(handler, what, region=spec.region) if handler else None
            if d is not None:
                yield d


def _keep_always(t: _Turn, spec: cm.CommitmentSpec, left: float) -> str | None:
    return None


def _own_need(t: _Turn, resource: str | None) -> float:
    """Unmet need of ``resource`` (or of any) in the agency's own regions."""
    res = (resource,) if resource else tuple(t.g.rules.resources)
    return math.fsum(max(0.0, t.unmet(r, x)) for r in t.me.regions for x in res)


def _keep_if_own_safe(t: _Turn, spec: cm.CommitmentSpec, left: float) -> str | None:
    """Selfish: break deliveries and payments whenever its own regions could use them."""
    if spec.deliverable == "deliver" and _own_need(t, spec.resource) > MIN_GAP:
        return f"its own regions need {spec.resource} (hoards them)"
    if spec.deliverable == "funds" and any(t.s.regions[r].hazard >= RISK for r in t.me.regions):
        return "keeps its budget for its own regions"
    return None


def _keep_if_worth_it(t: _Turn, spec: cm.CommitmentSpec, left: float) -> str | None:
    """Opportunist: honour when the private value (by local_interest) beats the own use."""
    if spec.deliverable == "deliver" and spec.region and spec.resource:
        gain = t.w[spec.region] * max(
            min(left, max(0.0, t.unmet(spec.region, spec.resource))), left * 0.5
        )
        own = max(
            (min(left, max(0.0, t.unmet(r, spec.resource))) for r in t.me.regions), default=0.0
        )
        # Breaking also costs reputation: counted as the common share of what was promised.
        if own > gain + (1.0 - t.li) * left:
            return (
                f"keeping it is worth {gain:.1f} to it, its own regions {own:.1f} "
                f"(local interest {t.li:g})"
            )
    if (
        spec.deliverable == "funds"
        and t.li >= 0.6
        and any(t.s.regions[r].hazard >= RISK for r in t.me.regions)
    ):
        return f"keeps its budget for its own regions (local interest {t.li:g})"
    return None


# --------------------------------------------------------------------------- answering


def _deal_value(t: _Turn, p: Proposal) -> float:
    """What a proposal is worth to the agency (weighted by :func:`region_weights`)."""
    g, s = t.g, t.s
    value = 0.0
    if p.mechanism in ("joint_operation", "joint_mechanism"):
        covered = {r for a in p.parties for r in g.span[a]}
        value += sum(t.w[r] for r in sorted(covered) if s.regions[r].hazard >= RISK)
    for c in p.commitments:
        if c.deliverable == "deliver" and c.region and c.resource:
            useful = max(0.0, t.open_gap(c.region, c.resource, p.id))
            if s.regions[c.region].hazard >= RISK:
                useful += 0.5 * c.amount
            value += t.w[c.region] * min(c.amount, useful)
            if c.debtor == t.agency:
                # What the agency gives up: its own regions' use of the same stock.
                value -= t.li * min(c.amount, _own_need(t, c.resource))
        elif c.deliverable == "information":
            value += 0.5 if c.creditor == t.agency else 0.25 * (1.0 - t.li)
        elif c.deliverable == "funds":
            value += (1.0 - t.li) * 0.1 * c.amount if c.creditor != t.agency else 0.1 * c.amount
            if c.debtor == t.agency:
                value -= t.li * 0.1 * c.amount
        elif c.deliverable == "action":
            value += 0.25
    return value


def _fitted(t: _Turn, p: Proposal) -> list[cm.CommitmentSpec] | None:
    """The commitments adjusted to the agency's stock and to due rounds still ahead (None: fits)."""
    s = t.s
    out: list[cm.CommitmentSpec] = []
    changed = False
    budget = t.spare_budget(p.id)
    for c in p.commitments:
        due = c.due_round
        amount = c.amount
        if due < s.round + (0 if c.debtor != t.agency else 0):
            due, changed = s.round + DUE, True
        if c.debtor == t.agency and c.deliverable == "deliver" and c.resource:
            spare = t.spare(c.resource, p.id)
            if spare + 1e-9 < amount:
                amount, changed = round(math.floor(spare * 100) / 100, 2), True
        elif c.debtor == t.agency and c.deliverable == "funds" and budget + 1e-9 < amount:
            amount, changed = round(math.floor(budget * 50) / 100, 2), True
        if c.deliverable in ("deliver", "funds") and amount < MIN_GAP:
            changed = True
            continue
        out.append(c.model_copy(update={"due_round": due, "amount": amount}) if changed else c)
    return out if changed else None


def _answer(t: _Turn, judge: bool) -> Iterator[Decision]:
    """Answer every proposal waiting for the agency: accept, counter or reject.

    ``judge`` False accepts whatever can be accepted (the selfish way: promises are cheap).
    """
    s = t.s
    pending = [
        pid
        for pid, p in s.proposals.items()
        if p.status == "open" and t.agency in p.parties and t.agency not in p.answers
    ]
    for pid in pending:
        p = s.proposals.get(pid)
        if p is None or p.status != "open" or t.agency in p.answers:
            continue
        accept = t.first("accept")
        acceptable = accept is not None and pid in (accept.param("proposal") or _NO).choices
        fitted = _fitted(t, p)
        concrete = any(
            c.deliverable in ("information", "action") or c.amount > 0 for c in p.commitments
        )
        if not judge and acceptable:
            yield Decision(_answer_cmd(t, pid, True), f"accepts {pid}: promises cost nothing now")
            continue
        if judge and not concrete:
            d = _reject(t, pid, f"rejects {pid}: no concrete deliverable (paper cooperation)")
            if d is not None:
                yield d
            continue
        if fitted is not None or not acceptable:
            counter = t.first("counter")
            if (
                judge
                and fitted
                and counter is not None
                and p.version < 3
                and any(c.deliverable in ("information", "action") or c.amount > 0 for c in fitted)
            ):
                yield Decision(
                    _build(
                        cm.CounterProposal,
                        agency=t.agency,
                        proposal=pid,
                        commitments=fitted,
                        parties=None,
                        title="",
                    ),
                    f"counters {pid}: the terms do not fit its stock or the due rounds",
                )
                continue
            d = _reject(t, pid, f"rejects {pid}: it cannot keep these terms")
            if d is not None:
                yield d
            continue
        value = _deal_value(t, p)
        if value > 0:
            yield Decision(
                _answer_cmd(t, pid, True),
                f"accepts {pid} ({p.mechanism}): worth {value:.1f} to the outcome it weighs",
            )
        else:
            d = _reject(
                t, pid, f"rejects {pid} ({p.mechanism}): worth {value:.1f} to the outcome it weighs"
            )
            if d is not None:
                yield d


class _NoParam:
    choices: tuple[str, ...] = ()


_NO = _NoParam()


def _answer_cmd(t: _Turn, pid: str, accept: bool) -> cm.AnswerProposal:
    return _build(cm.AnswerProposal, agency=t.agency, proposal=pid, accept=accept)


def _reject(t: _Turn, pid: str, reason: str) -> Decision | None:
    o = t.first("reject")
    if o is None or pid not in (o.param("proposal") or _NO).choices:
        return None
    return Decision(_answer_cmd(t, pid, False), reason)


# --------------------------------------------------------------------------- proposing


def _spec(
    debtor: str, creditor: str, deliverable: str, due: int, **kw: object
) -> cm.CommitmentSpec:
    fields = {"amount": 0.0, "resource": None, "region": None, "action": None, **kw}
    return _build(
        cm.CommitmentSpec,
        debtor=debtor,
        creditor=creditor,
        deliverable=deliverable,
        due_round=due,
        **fields,
    )


def _proposed_this_round(t: _Turn) -> bool:
    s = t.s
    return any(p.proposer == t.agency and p.round == s.round for p in s.proposals.values())


def _busy(t: _Turn, mechanism: str, partners: list[str]) -> bool:
    """A deal of this kind with these partners is open or still has pending commitments,
    or the agency already proposed this round."""
    s = t.s
    want = {t.agency, *partners}
    for p in s.proposals.values():
        if p.proposer == t.agency and p.round == s.round:
            return True
        if p.mechanism != mechanism or not want <= set(p.parties) | {t.agency}:
            continue
        if p.status == "open":
            return True
        if p.status == "active" and (
            mechanism in ("joint_mechanism", "joint_operation")
            or any(c.proposal == p.id and c.status == "pending" for c in s.commitments.values())
        ):
            return True
    return False


def _rounds_left(t: _Turn) -> int:
    """Rounds still planned after this one (stage lengths; a resurgence would add more)."""
    g, s = t.g, t.s
    ids = g.stage_ids
    here = ids.index(s.stage)
    return max(0, g.stage_rounds(s.stage) - s.stage_round) + sum(
        g.stage_rounds(st) for st in ids[here + 1 :]
    )


def _propose_cmd(
    t: _Turn, mechanism: str, parties: list[str], specs: list[cm.CommitmentSpec], reason: str
) -> Decision | None:
    g = t.g
    generic: str | None = None
    chosen: str | None = None
    for action_id in g.actions_with("propose"):
        m = g.action(action_id).mechanism
        if m == mechanism:
            chosen = action_id
            break
        if m is None and generic is None:
            generic = action_id
    action_id = chosen or generic  # type: ignore[assignment]
    if action_id is None or g.action(action_id).cost > t.points:
        return None
    if any(c.due_round > t.s.round + _rounds_left(t) for c in specs):
        return None  # it would fall due after the exercise: a promise nobody can check
    o = t.option(action_id)
    partners = o.param("parties")
    if not o.enabled or partners is None or any(p not in partners.choices for p in parties):
        return None
    if len({t.agency, *parties}) < max(
        g.action(action_id).min_parties, 3 if mechanism == "joint_mechanism" else 2
    ):
        return None
    cmd = _build(
        cm.ProposeAgreement,
        agency=t.agency,
        action=action_id,
        mechanism=mechanism,
        parties=[t.agency, *parties],
        commitments=specs,
        title="",
    )
    return Decision(cmd, reason)


def _links_out(t: _Turn) -> list[tuple[str, str, str]]:
    """(own region, linked region, its owner) for links between own and others' regions, both ways.

    Static for a game: computed once per agency.
    """
    cache = t.g.caches.bot_links
    out = cache.get(t.agency)
    if out is None:
        out = cache[t.agency] = _links_of(t)
    return out


def _links_of(t: _Turn) -> list[tuple[str, str, str]]:
    g = t.g
    own = t.me.regions
    out: list[tuple[str, str, str]] = []
    for rid in own:
        for link in g.scenario.regions[rid].links:
            for owner in g.owners.get(link.to, ()):
                if owner != t.agency and link.to not in own:
                    out.append((rid, link.to, owner))
    for src in g.region_ids:
        if src in own:
            continue
        for link in g.scenario.regions[src].links:
            if link.to in own:
                for owner in g.owners.get(src, ()):
                    if owner != t.agency:
                        out.append((link.to, src, owner))
    return out


def _in_joint(t: _Turn, mechanism: str) -> bool:
    """The agency is already party to an open or active deal of ``mechanism`` (one is enough)."""
    return any(
        p.mechanism == mechanism and p.status in ("open", "active") and t.agency in p.parties
        for p in t.s.proposals.values()
    )


def _joint_mechanism(t: _Turn) -> Decision | None:
    """Risk spreads across jurisdictions: a joint prevention/control mechanism of 3+ agencies."""
    s, g = t.s, t.g
    spreading = [
        (rid, other, owner)
        for rid, other, owner in _links_out(t)
        if max(s.regions[rid].hazard, s.regions[other].hazard) >= RISK
    ]
    if not spreading:
        return None
    partners = list(dict.fromkeys(owner for _, _, owner in spreading))
    if len(partners) < 2 and g.superiors[t.agency]:
        partners.append(g.superiors[t.agency][0])
    partners = partners[:4]
    if _busy(t, "joint_mechanism", []) or _in_joint(t, "joint_mechanism"):
        return None
    due = s.round + DUE
    mine = spreading[0][0]
    specs = [_spec(t.agency, p, "information", due, region=mine) for p in partners]
    for p in partners:
        theirs = g.scenario.agencies[p].regions
        if theirs:
            specs.append(_spec(p, t.agency, "information", due, region=theirs[0]))
    return _propose_cmd(
        t,
        "joint_mechanism",
        partners,
        specs,
        f"risk spreads from {spreading[0][0]} across jurisdictions: joint mechanism with {', '.join(partners)}",
    )


def _joint_operation(t: _Turn) -> Decision | None:
    """Departments sharing a stricken region: a joint inter-department operation."""
    s, g = t.s, t.g
    for rid in t.me.regions:
        if s.regions[rid].hazard < RISK:
            continue
        partners = [
            a
            for a in g.owners.get(rid, ())
            if a != t.agency and g.scenario.agencies[a].department != t.me.department
        ]
        if not partners or _busy(t, "joint_operation", partners) or _in_joint(t, "joint_operation"):
            continue
        due = s.round + (1 if len(partners) == 1 else DUE)
        specs: list[cm.CommitmentSpec] = []
        for who in [t.agency, *partners]:
            stock = s.agencies[who].resources
            best = max(
                (
                    (max(0.0, t.open_gap(rid, res)), res)
                    for res in sorted(stock)
                    if stock[res] >= 1.0
                ),
                default=None,
            )
            if best is None:
                continue
            amount = round(min(max(best[0] / (len(partners) + 1), 1.0), stock[best[1]] * 0.3), 2)
            if who == t.agency:
                amount = min(amount, round(t.spare(best[1]), 2))
            if amount >= MIN_GAP:
                specs.append(
                    _spec(
                        who,
                        t.agency if who != t.agency else partners[0],
                        "deliver",
                        due,
                        resource=best[1],
                        region=rid,
                        amount=amount,
                    )
                )
        if specs:
            return _propose_cmd(
                t,
                "joint_operation",
                partners,
                specs,
                f"{rid} is at risk (hazard {s.regions[rid].hazard:.2f}) and shared with other departments: joint operation",
            )
    return None


def _offer_delivery(
    t: _Turn, partner: str, region: str, mechanism: str, why: str
) -> Decision | None:
    """Promise the partner a delivery to ``region`` (what it needs most that the agency holds)."""
    s = t.s
    best: tuple[float, str] | None = None
    for res, have in sorted(s.agencies[t.agency].resources.items()):
        if have < 1:
            continue
        gap = t.open_gap(region, res)
        if gap > MIN_GAP and (best is None or gap > best[0]) and t.spare(res) >= 1:
            best = (gap, res)
    if best is None:
        return None
    gap, res = best
    amount = round(min(gap, t.spare(res) * 0.6), 2)
    if amount < MIN_GAP:
        return None
    due = s.round + 1
    specs = [_spec(t.agency, partner, "deliver", due, resource=res, region=region, amount=amount)]
    if g_regions := t.g.scenario.agencies[partner].regions:
        specs.append(
            _spec(
                partner,
                t.agency,
                "information",
                due,
                region=region if region in g_regions else g_regions[0],
            )
        )
    return _propose_cmd(
        t, mechanism, [partner], specs, f"{why}: {amount:g} {res} to {region} (unmet {gap:.1f})"
    )


def _neighbour_deal(t: _Turn) -> Decision | None:
    """Regional cooperation with a neighbour on a link: deliver where its region needs it."""
    for _, other, owner in _links_out(t):
        if not _busy(t, "regional_cooperation", [owner]):
            d = _offer_delivery(
                t, owner, other, "regional_cooperation", f"neighbour {owner} on a link needs help"
            )
            if d is not None:
                return d
    return None


def _counterpart_deal(t: _Turn) -> Decision | None:
    """A donor whose own regions are safe supports the worst-hit region elsewhere."""
    s, g = t.s, t.g
    if not t.me.regions or any(s.regions[r].hazard >= RISK for r in t.me.regions):
        return None
    worst = max(
        (r for r in g.region_ids if r not in t.me.regions and g.owners.get(r)),
        key=lambda r: (sum(max(0.0, t.open_gap(r, x)) for x in g.rules.resources), r),
        default=None,
    )
    if worst is None:
        return None
    owner = g.owners[worst][0]
    if _busy(t, "counterpart_support", [owner]):
        return None
    return _offer_delivery(
        t, owner, worst, "counterpart_support", f"its regions are safe; {worst} is hit hardest"
    )


def _compensation_deal(t: _Turn) -> Decision | None:
    """Upstream pays downstream for the harm its region's spread caused."""
    s, g = t.s, t.g
    for rid in t.me.regions:
        for link in g.scenario.regions[rid].links:
            if link.to in t.me.regions or s.regions[link.to].harm < 1.0:
                continue
            for owner in g.owners.get(link.to, ()):
                if owner == t.agency or _busy(t, "compensation", [owner]):
                    continue
                amount = round(min(20.0, t.spare_budget() * 0.15), 2)
                if amount < 1:
                    return None
                specs = [_spec(t.agency, owner, "funds", s.round + 1, amount=amount)]
                return _propose_cmd(
                    t,
                    "compensation",
                    [owner],
                    specs,
                    f"upstream {rid} spreads into {link.to} (harm {s.regions[link.to].harm:.1f}): compensation",
                )
    return None


def _ask_delivery(t: _Turn) -> Decision | None:
    """Selfish proposal: a neighbour delivers to the agency's own region; it promises a token back."""
    s = t.s
    for own, other, owner in _links_out(t):
        if _busy(t, "regional_cooperation", [owner]):
            continue
        stock = s.agencies[owner].resources
        asks = [(max(0.0, t.unmet(own, r)), r) for r in sorted(stock) if stock[r] >= 2]
        asks = [a for a in asks if a[0] > MIN_GAP]
        mine = [r for r, v in sorted(s.agencies[t.agency].resources.items()) if v >= 1]
        if not asks or not mine:
            continue
        gap, res = max(asks)
        due = s.round + 1
        specs = [
            _spec(
                owner,
                t.agency,
                "deliver",
                due,
                resource=res,
                region=own,
                amount=round(min(gap, stock[res] * 0.5), 2),
            ),
            _spec(t.agency, owner, "deliver", due, resource=mine[0], region=other, amount=1.0),
        ]
        return _propose_cmd(
            t, "regional_cooperation", [owner], specs, f"asks {owner} for {res} for its own {own}"
        )
    return None


# --------------------------------------------------------------------------- policies


def _warning_level(t: _Turn, region: str) -> str:
    hz = t.s.regions[region].hazard
    level = WARNING_LEVELS[0]
    for lvl in WARNING_LEVELS:
        if hz >= t.g.rules.formula.warning_thresholds[lvl]:
            level = lvl
    return level


def _maybe(d: Decision | None) -> Iterator[Decision]:
    if d is not None:
        yield d


def _inform(t: _Turn) -> Iterator[Decision]:
    """Trigger-stage information work: response level, reports up, downstream sharing, warnings."""
    g, s = t.g, t.s
    if s.agencies[t.agency].response_level < 2:
        yield from _maybe(
            t.act("activate_response", "the hazard is rising: response level 2", level="2")
        )
    for rid in t.me.regions:
        if g.superiors[t.agency] and not t.done_this_turn("report_up"):
            yield from _maybe(
                t.act(
                    "report_up",
                    f"reports {rid} truthfully to its superior",
                    region=rid,
                    accuracy=1.0,
                )
            )
        for link in g.scenario.regions[rid].links:
            for owner in g.owners.get(link.to, ()):
                if owner != t.agency:
                    yield from _maybe(
                        t.act(
                            "share_information",
                            f"{link.to} is downstream of {rid}",
                            target=owner,
                            region=rid,
                        )
                    )
    for rid in g.span[t.agency]:
        level = _warning_level(t, rid)
        if s.regions[rid].warning != level and s.regions[rid].hazard >= RISK:
            yield from _maybe(
                t.act(
                    "issue_warning",
                    f"hazard {s.regions[rid].hazard:.2f} calls for {level}",
                    region=rid,
                    level=level,
                )
            )


def _directives(t: _Turn) -> Iterator[Decision]:
    s = t.s
    for d in [s.directives[i] for i in s.directives_to.get(t.agency, ())]:
        if d.target == t.agency and d.status == "pending" and d.action == "deploy" and d.region:
            if not knows(t.g, s, t.agency, d.region):
                yield from _maybe(
                    t.act(
                        "monitor", f"directive {d.id}: looks at {d.region} first", region=d.region
                    )
                )
            yield from _deploy(t, [d.region], f"directive {d.id} from {d.issuer}")


def _operate(t: _Turn) -> Iterator[Decision]:
    """Outbreak/continuation work: counterparts, requests, deployments where the need is."""
    g, s = t.g, t.s
    if t.me.level in ("central", "provincial") and t.first("assign_counterpart"):
        worst = max(g.region_ids, key=lambda r: s.regions[r].hazard)
        donors = [
            a
            for a in g.subordinates[t.agency]
            if sum(s.agencies[a].resources.values()) > 20 and worst not in g.span[a]
        ]
        if donors and (donors[0], worst) not in s.counterparts:
            yield from _maybe(
                t.act(
                    "assign_counterpart",
                    f"{worst} is worst hit; {donors[0]} has stock to spare",
                    target=donors[0],
                    region=worst,
                )
            )
    for q in [s.requests[i] for i in s.requests_to.get(t.agency, ())]:
        if q.target == t.agency and q.fulfilled < q.amount and q.region:
            yield from _deploy(t, [q.region], f"request {q.id} from {q.requester}")
    known = t.known()
    if not t.me.regions and not known:
        worst = max(g.span[t.agency] or g.region_ids, key=lambda r: s.regions[r].hazard)
        yield from _maybe(t.act("monitor", "a coordinator looks before it sends", region=worst))
        known = t.known()
    yield from _deploy(t, known, "largest need it knows of")
    for rid in t.me.regions:
        if t.unmet(rid, "rescue") > 3 and g.superiors[t.agency]:
            yield from _maybe(
                t.act(
                    "request_support",
                    f"{rid} lacks rescue teams",
                    target=g.superiors[t.agency][0],
                    region=rid,
                    resource="rescue",
                    amount=3.0,
                )
            )
    yield from _deploy(t, t.known(), "largest need it knows of")


def _recover(t: _Turn) -> Iterator[Decision]:
    """Recovery: formalize agreements, review jointly, set rules, compensate downstream."""
    g, s = t.g, t.s
    for pid, p in list(s.proposals.items()):
        if p.status == "active" and t.agency in p.parties and not p.formalized and not p.paper:
            yield from _maybe(
                t.act("formalize", f"turns agreement {pid} into a rule", agreement=pid)
            )
    partners = [a for a in g.order if a != t.agency]
    if partners:
        who = t.rng.choice(partners)
        yield from _maybe(t.act("joint_review", f"reviews the response with {who}", target=who))
    if t.me.regions:
        yield from _maybe(
            t.act(
                "set_rule",
                f"writes the lesson for {t.me.regions[0]} into regulation",
                region=t.me.regions[0],
            )
        )
    for rid in t.me.regions:
        for link in g.scenario.regions[rid].links:
            for owner in g.owners.get(link.to, ()):
                if (
                    owner != t.agency
                    and link.to not in t.me.regions
                    and s.regions[link.to].harm >= 1.0
                ):
                    amount = round(min(20.0, t.spare_budget() * 0.2), 2)
                    if amount >= 1:
                        yield from _maybe(
                            t.act(
                                "compensate",
                                f"upstream {rid} compensates {owner} for {link.to}",
                                target=owner,
                                amount=amount,
                            )
                        )


def _steady_trust(t: _Turn) -> Iterator[Decision]:
    for rid in t.g.span[t.agency]:
        if t.s.regions[rid].trust < 50:
            yield from _maybe(
                t.act(
                    "public_release", f"trust in {rid} is {t.s.regions[rid].trust:.0f}", region=rid
                )
            )


def _negotiate(
    t: _Turn, deals: tuple[Callable[[_Turn], Decision | None], ...]
) -> Iterator[Decision]:
    """Propose the first deal that helps (at most one proposal per turn)."""
    if not deals or t.points < 1 or _proposed_this_round(t):
        return
    for make in deals:
        d = make(t)
        if d is not None:
            yield d
            return


_COOPERATIVE_DEALS: dict[str, tuple[Callable[[_Turn], Decision | None], ...]] = {
    "trigger": (_joint_mechanism,),
    "operation": (_joint_mechanism, _joint_operation, _counterpart_deal, _neighbour_deal),
    "adjustment": (_joint_operation, _compensation_deal, _neighbour_deal, _counterpart_deal),
    "evaluation": (),
}


def _play(
    t: _Turn, keep: Callable[[_Turn, cm.CommitmentSpec, float], str | None]
) -> Iterator[Decision]:
    """The common skeleton of the cooperative and opportunist policies."""
    s = t.s
    fn = t.stage_fn
    yield from _answer(t, judge=True)
    yield from _honour(t, keep)
    yield from _directives(t)
    if fn == "trigger" or s.stage_round == 1:
        yield from _inform(t)
    yield from _negotiate(t, _COOPERATIVE_DEALS.get(fn, ()))
    if fn in ("operation", "adjustment"):
        yield from _operate(t)
    if fn == "evaluation":
        yield from _recover(t)
    yield from _steady_trust(t)


def cooperative(ex: Exercise, agency: str, rng: random.Random) -> Iterator[Decision]:
    """Share, warn, agree and honour, help where the need is largest, formalize in recovery.

    Weighs every region alike (``local_interest`` 0): accepts a proposal that is
    good for the common outcome, counters one whose terms do not fit its stock,
    rejects paper cooperation; proposes joint mechanisms when risk spreads,
    joint operations across departments, counterpart support from safe regions,
    regional cooperation on links and compensation upstream to downstream.
    """
    yield from _play(_Turn(ex, agency, rng, 0.0), _keep_always)


def opportunist(ex: Exercise, agency: str, rng: random.Random) -> Iterator[Decision]:
    """Cooperates as far as its private score (own regions mixed by ``local_interest``) gains.

    Decides like the cooperative policy but weighs every region with
    :func:`region_weights` at the agency's own ``local_interest``: it helps
    where the weighted need is largest, accepts what is worth it, and breaks a
    commitment when its own regions would gain more from the same stock.
    """
    t = _Turn(ex, agency, rng, None)
    if (
        t.li >= 0.7
        and t.s.stage_round == 1
        and any(t.s.regions[r].hazard >= 0.55 for r in t.me.regions)
    ):
        yield from _maybe(
            t.act(
                "local_protection",
                f"hoards: its own regions are hit (local interest {t.li:g})",
                mode="hoard",
            )
        )
    yield from _play(t, _keep_if_worth_it)


def selfish(ex: Exercise, agency: str, rng: random.Random) -> Iterator[Decision]:
    """Local protectionism: conceal, hoard, close borders, promise much and break it.

    Accepts every proposal and proposes deals that bring resources to its own
    regions, but breaks deliveries and payments whenever its own regions gain.
    """
    t = _Turn(ex, agency, rng, 1.0)
    g, s = t.g, t.s
    me = t.me
    yield from _answer(t, judge=False)
    yield from _honour(t, _keep_if_own_safe)
    if g.stage(s.stage).function in ("operation", "adjustment"):
        yield from _maybe(_ask_delivery(t))
    for rid in me.regions:
        if g.superiors[agency] and s.stage_round == 1:
            yield from _maybe(
                t.act("report_up", f"understates {rid} to its superior", region=rid, accuracy=0.6)
            )
    if me.regions and s.stage_round == 1:
        yield from _maybe(
            t.act(
                "local_protection",
                f"closes the border of {me.regions[0]}",
                mode="close_border",
                region=me.regions[0],
            )
        )
    if s.stage_round == 2:
        yield from _maybe(t.act("local_protection", "withholds its data", mode="withhold_data"))
    if me.regions and t.first("deploy") is not None:
        for res, amount in list(s.agencies[agency].resources.items()):
            if amount >= 1:
                yield from _maybe(
                    t.act(
                        "deploy",
                        f"piles {res} into its own {me.regions[0]}, whatever the need",
                        region=me.regions[0],
                        resource=res,
                        amount=round(amount / 2, 2),
                    )
                )
    if t.first("special_funds"):
        for sub in g.subordinates[agency][:1]:
            yield from _maybe(
                t.act(
                    "special_funds",
                    f"funds {sub} before its own budget is used",
                    target=sub,
                    amount=10.0,
                )
            )


def random_policy(ex: Exercise, agency: str, rng: random.Random) -> Iterator[Decision]:
    """Uniformly random legal actions with random parameters (a fuzzer, not a strategy)."""
    t = _Turn(ex, agency, rng, 0.0)
    for _ in range(6):
        opts = [
            o
            for o in legal_actions(ex.game, ex.state, agency)
            if o.enabled and o.handler not in ("pass", "propose", "counter")
        ]
        if not opts:
            return
        o = rng.choice(opts)
        if o.handler in ("accept", "reject"):
            choices = o.param("proposal")
            if choices and choices.choices:
                pid = rng.choice(choices.choices)
                yield Decision(
                    _answer_cmd(t, pid, o.handler == "accept"), f"random {o.handler} of {pid}"
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
                top = min(p.maximum, 20.0)
                if o.handler == "deploy" and "resource" in kw:
                    top = min(
                        top, ex.state.agencies[agency].resources.get(str(kw["resource"]), 0.0)
                    )
                amount = round(rng.uniform(0.1, top), 2) if top > 0.1 else 0.0
                if amount <= 0:
                    break
                kw[p.name] = amount
        d = t.act(o.handler, f"random {o.action}", **kw)
        if d is not None and d.command.action == o.action:  # type: ignore[union-attr]
            yield d


def passive(ex: Exercise, agency: str, rng: random.Random) -> Iterator[Decision]:
    """Passive cooperation: does what a directive orders, and nothing else.

    The debrief's initiative score must tell this apart from cooperation an agency
    starts itself (docs/report.md).
    """
    t = _Turn(ex, agency, rng, 0.0)
    s = t.s
    for d in [s.directives[i] for i in s.directives_to.get(agency, ())]:
        if d.status != "pending":
            continue
        if d.action == "deploy" and d.region:
            yield from _deploy(t, [d.region], f"directive {d.id} from {d.issuer}")
            continue
        o = t.option(d.action)
        if not o.enabled or o.handler in NEGOTIATION:
            continue  # ordered to negotiate, a passive agency waits to be proposed to
        kw: dict[str, object] = {}
        for p in o.params:
            if p.name == "region" and d.region and d.region in p.choices:
                kw["region"] = d.region
            elif p.choices and not p.optional:
                kw[p.name] = p.choices[0]
            elif p.maximum is not None and p.maximum > 0:
                kw[p.name] = round(min(p.maximum, 10.0), 2)
        yield from _maybe(t.act(o.handler, f"directive {d.id} from {d.issuer} orders it", **kw))


POLICY_FUNCTIONS: dict[str, Policy] = {
    "cooperative": cooperative,
    "selfish": selfish,
    "opportunist": opportunist,
    "random": random_policy,
    "passive": passive,
}


def describe_command(command: cm.Command | None) -> str:
    """A short text of a bot command for traces (``deploy rescue 4 -> linhe``)."""
    if command is None:
        return "(no action)"
    if isinstance(command, cm.TakeAction):
        parts = [command.action]
        if command.resource:
            parts.append(f"{command.amount:g} {command.resource}")
        elif command.amount and command.action not in ("report_up",):
            parts.append(f"{command.amount:g}")
        if command.target:
            parts.append(f"-> {command.target}")
        if command.region:
            parts.append(f"@ {command.region}")
        if command.level:
            parts.append(command.level)
        if command.mode:
            parts.append(command.mode)
        if command.agreement:
            parts.append(command.agreement)
        return " ".join(parts)
    if isinstance(command, cm.ProposeAgreement):
        return f"propose {command.mechanism} with {', '.join(p for p in command.parties if p != command.agency)}"
    if isinstance(command, cm.AnswerProposal):
        return f"{'accept' if command.accept else 'reject'} {command.proposal}"
    if isinstance(command, cm.CounterProposal):
        return f"counter {command.proposal}"
    return command.kind


def play_turn(
    ex: Exercise, agency: str, policy: Policy, trace: list[TraceEntry] | None = None
) -> int:
    """Let ``policy`` play ``agency``'s current turn, then end it. Returns decisions accepted.

    Each decision's reason goes to the ``tabletop.bots`` logger (DEBUG) and,
    when ``trace`` is given, into it (refused ones too, with the engine's reason).
    """
    rng = _LazyRandom(f"{ex.state.seed}:{agency}:{ex.state.round}")
    done = 0
    explain = trace is not None or log.isEnabledFor(logging.DEBUG)
    for decision in policy(ex, agency, rng):
        if ex.state.active != agency or ex.state.agencies[agency].points <= 0:
            break
        command = decision.command
        refusal = ""
        round_, stage = ex.state.round, ex.state.stage
        if command is not None:
            try:
                ex.submit(command)
                done += 1
            except IllegalCommand as exc:
                refusal = str(exc)
        if explain:
            entry = TraceEntry(
                round_,
                stage,
                agency,
                describe_command(command),
                decision.reason,
                not refusal,
                refusal,
            )
            if trace is not None:
                trace.append(entry)
            log.debug("%s", entry.line())
    if ex.state.active == agency and ex.state.phase == "running":
        ex.submit(cm.EndTurn(agency=agency))
    return done


def play_to_end(
    ex: Exercise, policies: dict[str, Policy] | Policy, trace: list[TraceEntry] | None = None
) -> None:
    """Play every remaining turn with ``policies`` (one for all, or per agency)."""
    while ex.state.phase == "running" and ex.state.active is not None:
        agency = ex.state.active
        policy = policies if callable(policies) else policies[agency]
        play_turn(ex, agency, policy, trace)


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
