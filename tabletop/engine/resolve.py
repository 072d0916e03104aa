"""Round resolution: hazard, spread, need, harm, trust, commitments, stages.

Runs when the last agency of a round ends its turn. Every random draw and
every computed value goes into the events, in a fixed order (scenario order
of regions and agencies, never set order).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from tabletop.engine.failures import failure
from tabletop.engine.formulas import budget_recovery, displacement
from tabletop.engine.names import StateEnv
from tabletop.engine.steps import Work, begin_round, rng_for
from tabletop.errors import ExpressionError
from tabletop.model import events as ev
from tabletop.model.state import ExerciseState

if TYPE_CHECKING:
    from tabletop.engine.game import Game


def _bonus(game: Game, s: ExerciseState) -> dict[str, float]:
    """Containment bonus per region from response levels and joint work."""
    f = game.rules.formula
    bonus = dict.fromkeys(s.regions, 0.0)
    for aid, ag in s.agencies.items():
        if ag.response_level:
            for rid in game.span[aid]:
                bonus[rid] = max(bonus[rid], ag.response_level * f.response_containment)
    for p in s.proposals.values():
        if p.status != "active" or p.mechanism not in ("joint_operation", "joint_mechanism"):
            continue
        covered: list[str] = []
        for a in p.parties:
            covered += [r for r in game.span[a] if r not in covered]
        for rid in covered:
            bonus[rid] += f.joint_containment
    return bonus


def region_outcomes(
    game: Game, s: ExerciseState, rng_salt: str = "resolve"
) -> dict[str, dict[str, Any]]:
    """Compute every region's values after this round (pure; draws noise from the exercise stream).

    Returns plain field tables of :class:`~tabletop.model.events.RegionOutcome`:
    ``RoundResolved`` validates them all in one go.
    """
    f = game.rules.formula
    rng = rng_for(s, rng_salt)
    growth = game.stage(s.stage).growth
    bonus = _bonus(game, s)
    weights = game.need_weights
    keep = 1.0 - f.consumption
    base = game.need_base
    coverage_containment = f.coverage_containment
    moved = displacement(game, s)
    # First pass: coverage and containment of every region (spread needs all of them),
    # and what is left of the deliveries (what met the need, less this round's consumption).
    pre: dict[str, tuple[dict[str, float], float, float, float, bool, float]] = {}
    for rid, r in s.regions.items():
        need_base = base[rid] * r.hazard + moved.get(rid, 0.0)
        delivered = r.delivered
        kept: dict[str, float] = {}
        total_need = met = unmet = waste = 0.0
        for res, w in weights:
            v = round(need_base * w, 4)  # need_for, inlined: calling it costs ~4% of a run
            d = delivered.get(res, 0.0)
            total_need += v
            if d < v:
                met += d
                unmet += v - d
                kept[res] = round(d * keep, 4)
            else:
                met += v
                waste += d - v
                kept[res] = round(v * keep, 4)
        active = total_need > 1e-9
        coverage = met / total_need if active else 1.0
        containment = (
            r.prevention + bonus[rid] + (coverage * coverage_containment if active else 0.0)
        )
        if containment < r.containment_floor:
            containment = r.containment_floor
        containment = 1.0 if containment > 1.0 else (0.0 if containment < 0.0 else containment)
        pre[rid] = (kept, coverage, unmet, waste, active, containment)
    out: dict[str, dict[str, Any]] = {}
    regions = s.regions
    noise_range = f.noise
    for rid, r in regions.items():
        kept, coverage, unmet, waste, active, containment = pre[rid]
        spread = 0.0
        for src, k in game.incoming[rid]:
            spread += k * regions[src].hazard * (1.0 - pre[src][5])
        if r.border_closed:
            spread *= f.border_spread
        noise = 0.0
        if noise_range > 0 and r.hazard > 0:
            noise = round(rng.uniform(-noise_range, noise_range), 6)
        hazard = r.hazard * growth * (1.0 - f.mitigation * containment) + spread + noise
        hazard = round(1.0 if hazard > 1.0 else (0.0 if hazard < 0.0 else hazard), 6)
        harm_added = f.harm_rate * unmet * (1.0 + f.harm_persistence * r.unmet_rounds)
        trust = r.trust
        if active:
            trust += f.trust_recovery * coverage - f.trust_unmet * (1.0 - coverage)
        new_base = base[rid] * hazard
        new_need: dict[str, float] = {}
        for res, w in weights:  # need_for at the new hazard, inlined as above
            new_need[res] = round(new_base * w, 4)
        out[rid] = dict(
            hazard=hazard,
            containment=round(containment, 6),
            need=new_need,
            delivered=kept,
            unmet=round(unmet, 4),
            coverage=round(coverage, 6),
            harm=round(r.harm + harm_added, 4),
            harm_added=round(harm_added, 4),
            waste=round(waste, 4),
            unmet_rounds=r.unmet_rounds + 1 if active and coverage < 0.8 else 0,
            trust=round(100.0 if trust > 100.0 else (0.0 if trust < 0.0 else trust), 4),
            noise=noise,
        )
        if rid in moved:
            out[rid]["displaced"] = {res: round(moved[rid] * w, 4) for res, w in weights}
    return out


def _shared_intel(
    game: Game, s: ExerciseState, outcomes: dict[str, dict[str, Any]]
) -> dict[str, dict[str, float]]:
    """Joint mechanisms share every party's regions with every other party."""
    intel: dict[str, dict[str, float]] = {}
    for p in s.proposals.values():
        if p.status != "active" or p.mechanism != "joint_mechanism":
            continue
        for giver in p.parties:
            if s.agencies[giver].withholding:
                continue
            for rid in game.scenario.agencies[giver].regions:
                for taker in p.parties:
                    if taker != giver:
                        intel.setdefault(taker, {})[rid] = outcomes[rid]["hazard"]
    return intel


def resolve_round(game: Game, w: Work) -> None:
    """Emit the resolution of the round that just ended, then the next round's start."""
    s = w.state
    outcomes = region_outcomes(game, s)
    w.emit(
        ev.RoundResolved(
            round=s.round,
            stage=s.stage,
            regions=outcomes,  # type: ignore[arg-type]
            intel=_shared_intel(game, s, outcomes),
            changes=budget_recovery(game, s),
        )
    )
    _commitments(game, w)
    _directives(w)
    _accountability(game, w)
    if _transition(game, w):
        return
    begin_round(game, w)


def _commitments(game: Game, w: Work) -> None:
    s = w.state
    f = game.rules.formula
    for cid, c in list(s.commitments.items()):
        spec = c.spec
        if c.status != "pending" or spec.due_round > s.round:
            continue
        target = (
            spec.amount if spec.deliverable in ("deliver", "funds") and spec.amount > 0 else 1.0
        )
        share = min(1.0, c.progress / target)
        if share >= f.honoured_share:
            status = "honoured"
        elif share >= f.partial_share:
            status = "partial"
        else:
            status = "broken"
        formal = s.proposals[c.proposal].formalized
        mult = 2.0 if formal else 1.0
        changes: dict[str, float] = {}
        rep_name = f"agencies.{spec.debtor}.reputation"
        rep = s.agencies[spec.debtor].reputation
        if status == "honoured":
            rep += f.reputation_honoured * mult
        elif status == "partial":
            rep -= f.reputation_broken * mult / 2
        else:
            rep -= f.reputation_broken * mult
            for rid in game.scenario.agencies[spec.creditor].regions:
                name = f"regions.{rid}.trust"
                cur = changes.get(name, s.regions[rid].trust)
                changes[name] = max(0.0, cur - f.trust_broken * mult)
        changes[rep_name] = round(min(100.0, max(0.0, rep)), 4)
        w.emit(
            ev.CommitmentResolved(
                commitment=cid,
                proposal=c.proposal,
                debtor=spec.debtor,
                creditor=spec.creditor,
                status=status,  # type: ignore[arg-type]
                share=round(share, 4),
                formalized=formal,
                round=s.round,
                stage=s.stage,
                changes=changes,
            )
        )


def _directives(w: Work) -> None:
    s = w.state
    for did, d in list(s.directives.items()):
        if d.due_round == s.round and d.status in ("pending", "complied"):
            status = "complied" if d.status == "complied" else "ignored"
            w.emit(
                ev.DirectiveResolved(directive=did, target=d.target, status=status, round=s.round)  # type: ignore[arg-type]
            )


def _accountability(game: Game, w: Work) -> None:
    s = w.state
    limit = game.rules.formula.accountability_trust
    for rid, r in s.regions.items():
        if r.trust >= limit:
            continue
        iid = f"accountability.{rid}.{s.stage}.{s.wave}"
        owners = list(game.owners.get(rid, ()))
        if iid in s.fired or not owners:
            continue
        bosses = [b for o in owners for b in game.superiors[o][:1]]
        who = bosses[0] if bosses else "The public"
        name = game.scenario.regions[rid].name
        w.emit(
            ev.InjectFired(
                inject=iid,
                round=s.round,
                stage=s.stage,
                to=owners,
                private=True,
                type="directive",
                title=f"Accountability: {name}",
                text=(
                    f"Public trust in {name} fell to {r.trust:.0f}. {who} demands an explanation "
                    "and a corrective plan next round."
                ),
            )
        )


def _transition(game: Game, w: Work) -> bool:
    """Emit a stage change or the end; return True when the exercise ended."""
    s = w.state
    rule = game.stage(s.stage)
    if s.round >= game.rules.pack.max_rounds:
        w.emit(ev.ExerciseEnded(reason="round limit reached", round=s.round))
        return True
    env = StateEnv(s)
    can_regress = rule.regress_to is not None and s.wave + 1 < game.rules.pack.max_waves
    if can_regress and _holds(game, w, "regress_if", env):
        w.emit(
            ev.StageChanged(
                from_stage=s.stage,
                to_stage=rule.regress_to or s.stage,
                reason="resurgence",
                round=s.round,
                note="resurgence: the hazard is rising again",
            )
        )
        return False
    reason: Literal["condition", "rounds"] | None = None
    if rule.advance_if is not None and _holds(game, w, "advance_if", env):
        reason = "condition"
    elif s.stage_round >= game.stage_rounds(s.stage):
        reason = "rounds"
    if reason is None:
        return False
    idx = game.stage_ids.index(s.stage)
    if idx + 1 >= len(game.stage_ids):
        w.emit(ev.ExerciseEnded(reason="all stages completed", round=s.round))
        return True
    w.emit(
        ev.StageChanged(
            from_stage=s.stage,
            to_stage=game.stage_ids[idx + 1],
            reason=reason,
            round=s.round,
        )
    )
    return False


def _holds(game: Game, w: Work, part: Literal["advance_if", "regress_if"], env: StateEnv) -> bool:
    """Whether the stage's condition holds; one that fails is journaled and counts as false."""
    s = w.state
    cond = game.conditions[f"{part.split('_')[0]}:{s.stage}"]
    try:
        return cond.truthy(env)
    except ExpressionError as exc:
        w.emit(failure(s, "stage", s.stage, part, cond, exc))
        return False
