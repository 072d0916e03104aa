"""Flags and HSEEP-style objective ratings (P/S/M/U).

A *flag* is a problem found in the journal (concealment, a broken commitment,
waste...). Every flag goes into the report's areas for improvement and the
improvement plan; the flags in :data:`RATING_FLAGS` also cap the rating of the
objectives whose scope they fall in.

An objective's rating is the worse of two ratings:

* by the share of its critical tasks done on time, against the rule pack's
  ``rating.performed`` / ``some_challenges`` / ``major_challenges`` thresholds
  (P / S / M, else U);
* by its flags: any major flag caps it at M, any minor flag at S.

The evaluator can confirm or override it (``rating_confirmed`` events); the
latest confirmation counts and both are shown.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

from tabletop.describe import (
    action_title,
    agency_name,
    agency_names,
    fmt_amount,
    region_name,
    resource_title,
    stage_title,
)
from tabletop.model.scenario import CriticalTask, Objective
from tabletop.scoring.facts import Act, Expectation, Facts, Segment
from tabletop.scoring.models import Flag, ObjectiveRating, Rating, TaskEvidence, TaskResult

if TYPE_CHECKING:
    from tabletop.engine.game import Game

#: Flags that count in objective ratings, with their severity.
RATING_FLAGS: dict[str, str] = {
    "concealment": "major",
    "broken_commitment": "major",
    "protectionism_harm": "major",
    "waste": "minor",
    "partial_commitment": "minor",
    "late_task": "minor",
}
#: Severity of every flag code (the ones not in RATING_FLAGS only feed the improvement plan).
SEVERITY: dict[str, str] = {
    **RATING_FLAGS,
    "local_protectionism": "minor",
    "paper_agreement": "minor",
    "duplicated_deployment": "minor",
    "blind_deployment": "minor",
    "ignored_directive": "minor",
    "funds_before_local_budget": "minor",
    "missed_expectation": "minor",
    "missed_task": "major",
}
RATINGS: tuple[str, ...] = ("P", "S", "M", "U")
RATING_TITLES: dict[str, str] = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
#: Harm added below this in a round does not count as harm to a neighbour.
MIN_HARM = 0.01
#: Acts with these flags do not accomplish a critical task.
_VOID_FOR_TASKS = frozenset({"concealment", "paper_cooperation"})


def _flag(code: str, agency: str | None, stage: str, rnd: int, text: str, ev: list[int]) -> Flag:
    return Flag(
        code=code,
        severity=SEVERITY.get(code, "minor"),  # type: ignore[arg-type]
        agency=agency,
        stage=stage,
        round=rnd,
        text=text,
        evidence=sorted(set(ev)),
    )


# --------------------------------------------------------------------------- flags


def find_flags(facts: Facts) -> list[Flag]:
    """Every flag of the exercise, in journal order.

    Args:
        facts: From :func:`tabletop.scoring.facts.extract`.

    Returns:
        Flags with their evidence (see :data:`SEVERITY` for the codes).
    """
    g = facts.game

    def an(agency: str | None) -> str:
        return agency_name(g, agency)

    def rn(region: str | None) -> str:
        return region_name(g, region)

    out: list[Flag] = []
    resolved = {s.round: s for s in facts.segments if s.resolved is not None}
    for act in facts.acts:
        if "concealment" in act.flags:
            out.append(
                _flag(
                    "concealment",
                    act.agency,
                    act.stage,
                    act.round,
                    f"{an(act.agency)} understated the hazard of {rn(act.region)} to "
                    f"{an(act.target)} (round {act.round}).",
                    [act.seq],
                )
            )
        if act.handler == "local_protection":
            out.append(_protection_flag(facts, act, resolved.get(act.round)))
        if "blind_deployment" in act.flags:
            lost = act.amount * (1.0 - g.rules.formula.blind_factor)
            out.append(
                _flag(
                    "blind_deployment",
                    act.agency,
                    act.stage,
                    act.round,
                    f"{an(act.agency)} sent {fmt_amount(act.amount)} "
                    f"{resource_title(g, act.resource)} to {rn(act.region)} without current "
                    f"information: {fmt_amount(round(lost, 2))} misdirected.",
                    [act.seq],
                )
            )
        if "funds_before_local_budget" in act.flags:
            out.append(
                _flag(
                    "funds_before_local_budget",
                    act.agency,
                    act.stage,
                    act.round,
                    f"{an(act.agency)} granted special funds to {an(act.target)} before its own "
                    "budget was half used.",
                    [act.seq],
                )
            )
    for c in facts.commitments:
        if c.status in ("broken", "partial"):
            code = "broken_commitment" if c.status == "broken" else "partial_commitment"
            formal = " formalized" if c.formalized else ""
            out.append(
                _flag(
                    code,
                    c.debtor,
                    c.stage,
                    c.round,
                    f"{an(c.debtor)} {'broke' if c.status == 'broken' else 'only partly kept'} "
                    f"its{formal} commitment {c.commitment} to {an(c.creditor)} "
                    f"({c.share:.0%} delivered).",
                    [c.seq],
                )
            )
    for ag in facts.agreements.values():
        if ag.paper:
            out.append(
                _flag(
                    "paper_agreement",
                    ag.proposer,
                    ag.stage,
                    ag.round,
                    f"Agreement {ag.proposal} ({agency_names(g, ag.parties)}) has no concrete "
                    "deliverable: paper cooperation.",
                    [ag.proposal_seq, ag.seq],
                )
            )
    for d in facts.directives.values():
        if d.status == "ignored":
            where = f" in {rn(d.region)}" if d.region else ""
            out.append(
                _flag(
                    "ignored_directive",
                    d.target,
                    d.stage,
                    d.due_round,
                    f"{an(d.target)} ignored the directive {d.directive} of {an(d.issuer)}: "
                    f"'{action_title(g, d.action)}'{where}.",
                    [d.seq, d.resolved_seq],
                )
            )
    for x in facts.expectations:
        if x.status == "missed":
            where = f" in {rn(x.region)}" if x.region else ""
            out.append(
                _flag(
                    "missed_expectation",
                    x.agency,
                    x.stage,
                    x.deadline,
                    f"{an(x.agency)} did not take the action '{action_title(g, x.action)}'"
                    f"{where} by round {x.deadline}, as the inject '{_inject_title(g, x.inject)}' "
                    "expected.",
                    [x.inject_seq],
                )
            )
    out += _waste_flags(facts)
    out.sort(key=lambda fl: (fl.evidence[0] if fl.evidence else 0, fl.code, fl.agency or ""))
    return out


def _inject_title(game: Game, inject: str) -> str:
    """A scripted inject's title (its id for an ad-hoc or unknown one)."""
    return next((i.title for i in game.scenario.injects if i.id == inject), inject)


def _neighbours(facts: Facts, agency: str) -> list[str]:
    """Regions a local protection by ``agency`` can hurt: linked to or from its own."""
    g = facts.game
    own = set(facts.own_regions(agency))
    out: list[str] = []
    for rid, reg in g.scenario.regions.items():
        if rid in own:
            out += [lk.to for lk in reg.links if lk.to not in own]
        elif any(lk.to in own for lk in reg.links):
            out.append(rid)
    if not own:
        out = list(g.span.get(agency, ())) or list(g.scenario.regions)
    return list(dict.fromkeys(out))


def _protection_flag(facts: Facts, act: Act, seg: Segment | None) -> Flag:
    """Local protection, major when a neighbouring region suffered harm that round."""
    hurt: list[tuple[str, float]] = []
    evidence = [act.seq]
    if seg is not None and seg.resolved is not None:
        for rid in _neighbours(facts, act.agency):
            out = seg.resolved.regions.get(rid)
            if out is not None and out.harm_added > MIN_HARM:
                hurt.append((rid, out.harm_added))
        if hurt:
            evidence.append(seg.resolved_seq)
    mode = (act.mode or "protection").replace("_", " ")
    g = facts.game
    who = agency_name(g, act.agency)
    if hurt:
        where = ", ".join(f"{region_name(g, r)} (+{h:.1f} harm)" for r, h in hurt)
        return _flag(
            "protectionism_harm",
            act.agency,
            act.stage,
            act.round,
            f"{who} chose local protection ({mode}) while neighbouring {where} "
            "suffered that round.",
            evidence,
        )
    return _flag(
        "local_protectionism",
        act.agency,
        act.stage,
        act.round,
        f"{who} chose local protection ({mode}).",
        evidence,
    )


def _waste_flags(facts: Facts) -> list[Flag]:
    """Waste over ``rating.waste_flag`` of what an agency deployed in a stage; duplicates."""
    g = facts.game
    limit = g.rules.rating.waste_flag
    seg_stage = {s.index: s.stage for s in facts.segments}
    sent: Counter[tuple[str, str]] = Counter()
    for (seg, agency), amount in [*facts.deployed.items(), *facts.asked.items()]:
        sent[(agency, seg_stage.get(seg, ""))] += amount  # type: ignore[assignment]
    wasted: Counter[tuple[str, str]] = Counter()
    seqs: dict[tuple[str, str], list[int]] = {}
    rounds: dict[tuple[str, str], int] = {}
    out: list[Flag] = []
    for w in facts.waste:
        for agency, share in w.shares.items():
            key = (agency, w.stage)
            wasted[key] += share  # type: ignore[assignment]
            seqs.setdefault(key, []).extend([*w.deploy_seqs.get(agency, []), w.seq])
            rounds.setdefault(key, w.round)
        for agency in w.duplicates:
            first = [a for a in w.deploy_seqs if a != agency][:1]
            out.append(
                _flag(
                    "duplicated_deployment",
                    agency,
                    w.stage,
                    w.round,
                    f"{agency_name(g, agency)} sent {resource_title(g, w.resource)} to "
                    f"{region_name(g, w.region)} in round {w.round} after "
                    f"{agency_names(g, first) or 'another agency'} had: {w.amount:.1f} beyond "
                    "need.",
                    [*w.deploy_seqs.get(agency, []), w.seq],
                )
            )
    for seq, agency, region, rnd in facts.prevention_duplicates:
        stage = next((s.stage for s in facts.segments if s.round == rnd), "")
        out.append(
            _flag(
                "duplicated_deployment",
                agency,
                stage,
                rnd,
                f"{agency_name(g, agency)} invested in prevention in {region_name(g, region)} "
                f"in round {rnd} after another agency had: duplicated construction.",
                [seq],
            )
        )
    for key, amount in wasted.items():
        agency, stage = key
        total = sent.get(key, 0.0)
        if total > 0 and amount / total > limit:
            out.append(
                _flag(
                    "waste",
                    agency,
                    stage,
                    rounds.get(key, 0),
                    f"{agency_name(g, agency)} sent {amount:.1f} of {total:.1f} units beyond need "
                    f"in the {stage_title(g, stage)} stage ({amount / total:.0%}, over the "
                    f"{limit:.0%} limit).",
                    seqs.get(key, []),
                )
            )
    return out


# --------------------------------------------------------------------------- tasks


def _first_visit(facts: Facts, stage: str) -> list[Segment]:
    """Segments of the first visit of ``stage``."""
    out: list[Segment] = []
    for seg in facts.segments:
        if seg.stage == stage:
            if out and seg.index != out[-1].index + 1:
                break
            out.append(seg)
        elif out:
            break
    return out


def _matches(task: CriticalTask, act: Act) -> bool:
    if act.action != task.action:
        return False
    if task.agency is not None and act.agency != task.agency:
        return False
    if task.region is not None and act.region != task.region:
        return False
    if task.resource is not None and act.resource != task.resource:
        return False
    if act.kind == "proposal_answered" and not act.accepted:
        return False
    return not _VOID_FOR_TASKS.intersection(act.flags)


def task_result(
    facts: Facts, task: CriticalTask, by_action: dict[str, list[Act]] | None = None
) -> TaskResult:
    """Whether a critical task was done on time, late, or not at all.

    Args:
        facts: The facts of the exercise.
        task: The critical task.
        by_action: Acts indexed by action id (built when None).
    """
    pool = by_action.get(task.action, []) if by_action is not None else facts.acts
    acts = [a for a in pool if _matches(task, a)]
    order = facts.game.stage_ids

    def result(status: str, act: Act | None, deadline: str) -> TaskResult:
        return TaskResult(
            id=task.id,
            text=task.text,
            agency=task.agency,
            status=status,  # type: ignore[arg-type]
            seq=act.seq if act else 0,
            round=act.round if act else 0,
            done_by=act.agency if act else None,
            deadline=deadline,
        )

    if task.stage is None:
        deadline = f"round {task.by_round}" if task.by_round else "end of exercise"
        if not acts:
            reached = task.by_round is None or facts.final_round >= task.by_round
            return result("missed" if reached or facts.ended else "not_reached", None, deadline)
        first = acts[0]
        on_time = task.by_round is None or first.round <= task.by_round
        return result("on_time" if on_time else "late", first, deadline)
    visit = _first_visit(facts, task.stage)
    deadline = (
        f"{task.stage} round {task.by_round}" if task.by_round else f"end of {task.stage} stage"
    )
    if not visit:
        return result("not_reached", None, deadline)
    if task.by_round is not None:
        within = [s for s in visit if s.stage_round <= task.by_round] or visit[:1]
    else:
        within = visit
    last_round = within[-1].round
    first_round = visit[0].round
    idx = order.index(task.stage) if task.stage in order else 0
    in_stage = [a for a in acts if a.stage == task.stage and a.round >= first_round]
    on_time = [a for a in in_stage if a.round <= last_round]  # type: ignore[assignment]
    if on_time:
        return result("on_time", on_time[0], deadline)  # type: ignore[index]
    later = [
        a
        for a in acts
        if a.round > last_round
        and (a.stage == task.stage or (a.stage in order and order.index(a.stage) > idx))
    ]
    if later:
        return result("late", later[0], deadline)
    still_open = facts.ended is None and facts.final_round <= last_round
    return result("not_reached" if still_open else "missed", None, deadline)


# --------------------------------------------------------------------------- evidence


def evidences(obj: Objective, task: CriticalTask, x: Expectation) -> bool:
    """True when expectation ``x`` names ``task`` (``objective.task``), or names ``obj``
    and asks for the task's action (by the task's agency, when it names one)."""
    if x.objective is None:
        return False
    if x.objective == f"{obj.id}.{task.id}":
        return True
    return (
        x.objective == obj.id
        and x.action == task.action
        and (task.agency is None or task.agency == x.agency)
    )


def _seconds(facts: Facts, a: int, b: int) -> float | None:
    """Wall-clock seconds from record ``a`` to record ``b`` (None when a time is unreadable)."""

    def at(seq: int) -> str:
        rec = facts.records[seq - 1] if 0 < seq <= len(facts.records) else None
        if rec is None or rec.seq != seq:
            rec = next(r for r in facts.records if r.seq == seq)
        return rec.at

    try:
        ta = datetime.fromisoformat(at(a))
        tb = datetime.fromisoformat(at(b))
    except (StopIteration, ValueError, TypeError):
        return None
    return round((tb - ta).total_seconds(), 1)


def task_evidence(facts: Facts, obj: Objective, task: CriticalTask) -> list[TaskEvidence]:
    """The inject expectations that evidence ``task``, in journal order."""
    out: list[TaskEvidence] = []
    for x in facts.expectations:
        if not evidences(obj, task, x):
            continue
        inj = facts.game.injects.get(x.inject)
        met = x.status == "met" and x.met_seq > 0
        out.append(
            TaskEvidence(
                inject=x.inject,
                title=inj.title if inj is not None else x.inject,
                inject_seq=x.inject_seq,
                inject_round=x.fired_round,
                agency=x.agency,
                action=x.action,
                status=x.status,  # type: ignore[arg-type]
                seq=x.met_seq if met else 0,
                round=x.met_round if met else 0,
                rounds=x.met_round - x.fired_round if met else None,
                seconds=_seconds(facts, x.inject_seq, x.met_seq) if met else None,
            )
        )
    return out


# --------------------------------------------------------------------------- objectives


def _scope(facts: Facts, obj: Objective) -> tuple[list[str], list[str]]:
    g = facts.game
    if any(t.stage is None for t in obj.tasks):
        stages = list(g.stage_ids)
    else:
        stages = [s for s in g.stage_ids if any(t.stage == s for t in obj.tasks)]
    if any(t.agency is None for t in obj.tasks):
        agencies = list(g.order)
    else:
        agencies = [a for a in g.order if any(t.agency == a for t in obj.tasks)]
    return stages, agencies


def _by_share(share: float, facts: Facts) -> Rating:
    r = facts.game.rules.rating
    if share >= r.performed:
        return "P"
    if share >= r.some_challenges:
        return "S"
    if share >= r.major_challenges:
        return "M"
    return "U"


def _worse(a: Rating, b: Rating) -> Rating:
    return a if RATINGS.index(a) >= RATINGS.index(b) else b


def rate_objective(
    facts: Facts,
    obj: Objective,
    flags: list[Flag],
    by_action: dict[str, list[Act]] | None = None,
) -> ObjectiveRating:
    """Rate one objective from its critical tasks and the rating flags in its scope."""
    stages, agencies = _scope(facts, obj)
    tasks = [
        task_result(facts, t, by_action).model_copy(
            update={"evidence": task_evidence(facts, obj, t)}
        )
        for t in obj.tasks
    ]
    on_time = sum(1 for t in tasks if t.status == "on_time")
    share = on_time / len(tasks) if tasks else 0.0
    mine = [
        fl
        for fl in flags
        if fl.code in RATING_FLAGS
        and fl.stage in stages
        and (fl.agency is None or fl.agency in agencies)
    ]
    for t in tasks:
        if t.status == "late":
            mine.append(
                _flag(
                    "late_task",
                    t.done_by,
                    next((a.stage for a in facts.acts if a.seq == t.seq), ""),
                    t.round,
                    f"Critical task '{t.text}' was done late (round {t.round}, due {t.deadline}).",
                    [t.seq],
                )
            )
    by_share = _by_share(share, facts)
    majors = Counter(fl.code for fl in mine if fl.severity == "major")
    minors = Counter(fl.code for fl in mine if fl.severity == "minor")
    cap: Rating = "M" if majors else "S" if minors else "P"
    auto = _worse(by_share, cap)
    r = facts.game.rules.rating
    threshold = {
        "P": r.performed,
        "S": r.some_challenges,
        "M": r.major_challenges,
        "U": 0.0,
    }[by_share]
    reason = (
        f"{on_time} of {len(tasks)} critical tasks on time ({share:.0%}, "
        f"{by_share} at >= {threshold:.0%})"
    )
    not_done = [t.id for t in tasks if t.status in ("missed", "not_reached")]
    if not_done:
        reason += f"; not done: {', '.join(not_done)}"
    if majors or minors:
        parts = []
        if majors:
            parts.append("major: " + ", ".join(f"{k} x{v}" for k, v in sorted(majors.items())))
        if minors:
            parts.append("minor: " + ", ".join(f"{k} x{v}" for k, v in sorted(minors.items())))
        reason += f"; flags ({'; '.join(parts)}) cap it at {cap}"
    else:
        reason += "; no flag"
    reason += f": {auto} ({RATING_TITLES[auto]})."
    for i, t in enumerate(tasks):  # the evaluator's ratings of single tasks, the latest each
        if rated := facts.ratings.get(f"{obj.id}.{t.id}"):
            tasks[i] = t.model_copy(
                update={"confirmed": rated[-1][1].rating, "confirmed_note": rated[-1][1].note}
            )
    confirmed: Rating | None = None
    note = ""
    cseq = 0
    if facts.ratings.get(obj.id):
        cseq, ev = facts.ratings[obj.id][-1]
        confirmed = ev.rating
        note = ev.note
    return ObjectiveRating(
        id=obj.id,
        title=obj.title,
        capability=obj.capability,
        tasks=tasks,
        share=round(share, 4),
        flags=sorted(mine, key=lambda fl: (fl.evidence[:1], fl.code)),
        auto=auto,
        reason=reason,
        confirmed=confirmed,
        note=note,
        confirmed_seq=cseq,
        rating=confirmed or auto,
        stages=stages,
        agencies=agencies,
    )


def rate_objectives(facts: Facts, flags: list[Flag] | None = None) -> list[ObjectiveRating]:
    """Ratings of every objective of the scenario, in scenario order.

    Args:
        facts: From :func:`tabletop.scoring.facts.extract`.
        flags: From :func:`find_flags` (computed when None).
    """
    flags = find_flags(facts) if flags is None else flags
    rating = [fl for fl in flags if fl.code in RATING_FLAGS]
    by_action: dict[str, list[Act]] = {}
    for a in facts.acts:
        by_action.setdefault(a.action, []).append(a)
    return [rate_objective(facts, o, rating, by_action) for o in facts.game.scenario.objectives]
