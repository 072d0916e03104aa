"""Formulas shared by decisions, resolution, views and scoring: need, fiscal capacity, displacement.

Pure functions of the game (and the state where named); no step emits events here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tabletop.model.state import ExerciseState

if TYPE_CHECKING:
    from tabletop.engine.game import Game


def need_for(game: Game, region: str, hazard: float) -> dict[str, float]:
    """need = population * exposure * hazard * vulnerability * need_scale, per resource weight."""
    base = game.need_base[region] * hazard
    return {res: round(base * w, 4) for res, w in game.need_weights}


def need_of(game: Game, region: str, hazard: float, resource: str) -> float:
    """One resource of :func:`need_for` (0 for a resource the rule pack does not have)."""
    weight = game.need_weight.get(resource)
    return 0.0 if weight is None else round(game.need_base[region] * hazard * weight, 4)


def development(game: Game, agency: str) -> float:
    """Fiscal capacity of an agency: the mean ``development`` of its own regions.

    An agency without regions of its own takes the mean of the regions it answers for
    (its subordinates'), and 0.5 when it has none at all.
    """
    memo = game.caches.development
    hit = memo.get(agency)
    if hit is None:
        sc = game.scenario
        regs = list(sc.agencies[agency].regions) or list(game.span.get(agency, ()))
        devs = [sc.regions[r].development for r in regs if r in sc.regions]
        hit = memo[agency] = sum(devs) / len(devs) if devs else 0.5
    return hit


def fund_worth(game: Game, target: str, amount: float) -> float:
    """Budget a special fund or transfer payment of ``amount`` is worth to ``target``.

    ``amount x (1 + fund_leverage x (1 - development))``: the same money goes further
    where fiscal capacity is low.
    """
    lev = game.rules.formula.fund_leverage
    # Money is kept in cents, so the budget a player sees is the budget the engine checks.
    return round(amount * (1.0 + lev * (1.0 - development(game, target))), 2)


def budget_recovery(game: Game, s: ExerciseState) -> dict[str, float]:
    """New budgets after a round's fiscal recovery (``agencies.X.budget`` -> value).

    Each agency below its initial budget ``B0`` recovers ``budget_recovery x development
    x B0``, never above ``B0``. Agencies at or above it are not listed.
    """
    rate = game.rules.formula.budget_recovery
    out: dict[str, float] = {}
    if rate <= 0:
        return out
    for aid, ag in s.agencies.items():
        b0 = game.scenario.agencies[aid].budget
        if b0 <= 0 or ag.budget >= b0:
            continue
        new = min(b0, ag.budget + rate * development(game, aid) * b0)
        out[f"agencies.{aid}.budget"] = round(new, 2)  # in cents, as shown
    return out


def displacement(game: Game, s: ExerciseState) -> dict[str, float]:
    """Need moved by hoarding this round, as a signed multiple of each region's need base.

    For every hoarding agency and each of its own regions ``R`` with need base
    ``n = need_base(R) x hazard(R)``: every neighbour ``N`` linked to or from ``R``
    (not the agency's own) receives ``hoard_displacement x k x n`` (``k`` the link's
    coefficient, the larger one when linked both ways), and ``R`` loses the same; the
    total taken from ``R`` is capped at ``n``. Returned values are need-base units (x the
    resource's need weight gives the need of that resource).
    """
    share = game.rules.formula.hoard_displacement
    out: dict[str, float] = {}
    if share <= 0:
        return out
    sc = game.scenario
    for aid in game.order:
        if not s.agencies[aid].hoarding:
            continue
        own = sc.agencies[aid].regions
        for rid in own:
            n = game.need_base[rid] * s.regions[rid].hazard
            if n <= 0:
                continue
            ks: dict[str, float] = {}
            for lk in sc.regions[rid].links:
                if lk.to not in own:
                    ks[lk.to] = max(ks.get(lk.to, 0.0), lk.k)
            for src, k in game.incoming[rid]:
                if src not in own:
                    ks[src] = max(ks.get(src, 0.0), k)
            total = sum(share * k for k in ks.values())
            scale = 1.0 / total if total > 1.0 else 1.0
            for nid, k in ks.items():
                moved = n * share * k * scale
                out[nid] = out.get(nid, 0.0) + moved
                out[rid] = out.get(rid, 0.0) - moved
    return out
