"""Assemble the After-Action Report / Improvement Plan from a journal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from tabletop.describe import agency_name, agency_names
from tabletop.engine.failures import describe_failure
from tabletop.engine.game import Game
from tabletop.model.evaluation import FEEDBACK_QUESTIONS
from tabletop.model.events import (
    AgreementActivated,
    FeedbackSubmitted,
    Record,
    RoundStarted,
    StageChanged,
)
from tabletop.report.describe import CATEGORY, describe
from tabletop.report.model import (
    AgencyInfo,
    DimensionInfo,
    ExpressionFailure,
    Feedback,
    Finding,
    Observation,
    Overview,
    PlanItem,
    RegionInfo,
    Report,
    RoundPoint,
    StageInfo,
    TimelineEntry,
    TimelineStage,
)
from tabletop.scoring import Evaluation, evaluate
from tabletop.scoring.counterfactual import Counterfactual
from tabletop.scoring.dimensions import DESCRIPTIONS, TITLES
from tabletop.scoring.models import Flag, ObjectiveRating, Score

#: Exercise-level score at or above which a dimension is listed as a strength.
STRONG = 75.0
#: Exercise-level score below which a dimension is an area for improvement.
WEAK = 50.0
#: Agency total below which a dimension gets its own improvement-plan row.
PLAN_WEAK = 40.0

FLAG_TITLES: dict[str, str] = {
    "concealment": "Concealment (hazard understated upward)",
    "protectionism_harm": "Local protectionism while neighbours suffered",
    "local_protectionism": "Local protectionism",
    "broken_commitment": "Broken commitments",
    "partial_commitment": "Commitments only partly kept",
    "paper_agreement": "Paper cooperation (agreements without deliverables)",
    "waste": "Waste (deployments beyond need)",
    "duplicated_deployment": "Duplicated deployments",
    "blind_deployment": "Deployments without current information",
    "ignored_directive": "Ignored directives",
    "funds_before_local_budget": "Central funds before local budget was used",
    "missed_expectation": "Expected responses to injects not given",
    "late_task": "Critical tasks done late",
}

CORRECTIVE: dict[str, str] = {
    "concealment": "Report hazards upward at full accuracy every round and agree a verification "
    "protocol with the superior.",
    "protectionism_harm": "Replace border closures, hoarding and withheld data with a regional "
    "cooperation agreement that shares the risk with downstream and neighbouring regions.",
    "local_protectionism": "Agree in advance with neighbours when border or stock measures are "
    "acceptable, and announce them through a joint mechanism.",
    "broken_commitment": "Commit only to deliverables backed by stock or budget, and track due "
    "commitments in every round.",
    "partial_commitment": "Size commitments to what can be delivered by the due round, or "
    "renegotiate (counter) before they fall due.",
    "paper_agreement": "Give every agreement concrete deliverables: who delivers what, where, "
    "by which round.",
    "waste": "Check the region's current need (monitor or shared information) before deploying "
    "and send no more than the gap.",
    "duplicated_deployment": "Coordinate deployments through a joint operation or the "
    "superior's counterpart plan so that two agencies do not fill the same gap.",
    "blind_deployment": "Monitor the region or obtain shared information before deploying to it.",
    "ignored_directive": "Execute directives by their due round, or report back to the issuer "
    "why they cannot be.",
    "funds_before_local_budget": "Spend the local budget first; grant special funds once it is "
    "half used.",
    "missed_expectation": "Rehearse the expected response to this inject and put it in the "
    "agency's plan with its trigger and deadline.",
    "late_task": "Move the task earlier in the plan and pre-assign it so that it is done by its "
    "deadline.",
}

DIMENSION_ACTIONS: dict[str, str] = {
    "horizontal": "Build standing ties with peer departments and neighbouring regions: share "
    "information and agree joint operations early.",
    "vertical": "Report early and accurately to the superior, request support and follow "
    "directives through the chain of command.",
    "resource": "Offer resources where the unmet need is largest, answer requests and take part "
    "in counterpart support.",
    "information": "Monitor, report and share hazard information every round; join a joint "
    "prevention/control mechanism.",
    "policy": "Activate response levels in time, propose concrete agreements and formalize what "
    "worked into rules.",
    "initiative": "Act on injects without waiting for directives; pre-plan the first moves of "
    "each stage.",
    "efficiency": "Match deployments to the current need and coordinate them to avoid waste and "
    "duplication.",
    "reliability": "Honour commitments by their due round; renegotiate early when they cannot "
    "be met.",
    "outcome": "Deploy earlier, and to the regions with the largest unmet need.",
    "trust": "Warn and brief the public in time and deliver where needs go unmet.",
}


def _r(x: float, nd: int = 2) -> float:
    return round(x + 0.0, nd)


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


# --------------------------------------------------------------------------- overview & series


def _series(ev: Evaluation) -> list[RoundPoint]:
    f, cf = ev.facts, ev.counterfactual
    out: list[RoundPoint] = []
    harm = 0.0
    cf_harm = 0.0
    for seg in f.segments:
        e = seg.resolved
        if e is None:
            continue
        regs = list(e.regions.values())
        added = sum(o.harm_added for o in regs)
        harm += added
        cf_out = cf.rounds.get(seg.round)
        if cf_out is not None:
            cf_added = sum(o.harm_added for o in cf_out.values())
            cf_harm += cf_added
            cf_hz: float | None = _r(_mean([o.hazard for o in cf_out.values()]), 4)
        else:
            cf_added, cf_hz = 0.0, None
        out.append(
            RoundPoint(
                round=seg.round,
                stage=seg.stage,
                mean_hazard=_r(_mean([o.hazard for o in regs]), 4),
                max_hazard=_r(max((o.hazard for o in regs), default=0.0), 4),
                harm_added=_r(added),
                harm=_r(harm),
                mean_trust=_r(_mean([o.trust for o in regs])),
                waste=_r(sum(o.waste for o in regs)),
                cf_mean_hazard=cf_hz,
                cf_harm_added=_r(cf_added) if cf_out is not None else None,
                cf_harm=_r(cf_harm) if cf_out is not None else None,
            )
        )
    return out


def _overview(ev: Evaluation, series: list[RoundPoint]) -> Overview:
    f = ev.facts
    g = f.game
    sc = g.scenario
    head = f.header
    recs = f.records
    visits: list[str] = []
    for seg in f.segments:
        if not visits or visits[-1] != seg.stage:
            visits.append(seg.stage)
    commitments = Counter(c.status for c in f.commitments)
    harm = sum(p.harm_added for p in series)
    cf_harm = sum(ev.counterfactual.harm_added(p.round) for p in series)
    last = f.segments[-1] if f.segments else None
    trust_end = (
        _mean(list(last.trust_end.values())) if last else _mean(list(f.initial_trust.values()))
    )
    return Overview(
        scenario_id=sc.scenario.id,
        title=sc.scenario.title,
        briefing=sc.scenario.briefing.strip(),
        rules_id=g.rules.pack.id,
        rules_title=g.rules.pack.title,
        seed=head.seed,
        scenario_hash=head.scenario_hash,
        rules_hash=head.rules_hash,
        engine_version=head.engine_version,
        started_at=recs[0].at,
        ended_at=recs[-1].at,
        status="ended" if f.ended is not None else "running",
        ended_reason=f.ended.reason if f.ended is not None else "",
        rounds=f.final_round,
        stages_played=visits,
        resurgences=sum(1 for _, e in f.stage_changes if e.reason == "resurgence"),
        decisions=len(f.acts),
        undone=len(f.undone),
        events=len(recs),
        harm=_r(harm),
        counterfactual_harm=_r(cf_harm),
        harm_avoided=_r(1.0 - harm / cf_harm, 4) if cf_harm > 0.01 else None,
        waste=_r(sum(w.amount for w in f.waste)),
        trust_start=_r(_mean(list(f.initial_trust.values()))),
        trust_end=_r(trust_end),
        agreements=len(f.agreements),
        paper_agreements=sum(1 for a in f.agreements.values() if a.paper),
        commitments={k: commitments.get(k, 0) for k in ("honoured", "partial", "broken")},
        adjudications=len(f.adjudications),
        forced_stages=sum(1 for _, e in f.stage_changes if e.reason == "forced"),
        manual_injects=sum(1 for _, e in f.injects if e.manual),
        overall=ev.scores.total.overall.value,
    )


# --------------------------------------------------------------------------- timeline


def _timeline(ev: Evaluation) -> list[TimelineStage]:
    f = ev.facts
    g = f.game
    titles = {s.id: s.title for s in g.rules.stages}
    stages: list[dict] = []
    current: dict | None = None
    rnd = stage_round = 0
    wave = 0
    for rec in f.records:
        e = rec.event
        k = e.kind
        if isinstance(e, RoundStarted):
            rnd, stage_round = e.round, e.stage_round
            if current is not None:
                current["last"] = rnd
        if isinstance(e, StageChanged):
            if e.reason == "resurgence":
                wave += 1
            first = e.round if e.reason in ("start", "forced") else e.round + 1
            current = {"stage": e.to_stage, "wave": wave, "first": first, "last": first}
            current["entries"] = []
            stages.append(current)
        if k not in CATEGORY or current is None:
            continue
        agency = getattr(e, "agency", None) if k != "observation_recorded" else None
        flags = list(getattr(e, "flags", []) or [])
        if isinstance(e, AgreementActivated) and e.paper:
            flags.append("paper_cooperation")
        undone = rec.seq in f.undone
        current["entries"].append(
            TimelineEntry(
                seq=rec.seq,
                round=getattr(e, "round", None) or rnd,
                stage_round=stage_round,
                agency=agency,
                category=CATEGORY[k],
                text=describe(g, e),
                flags=flags,
                undone=undone,
                at=rec.at,
            )
        )
    return [
        TimelineStage(
            stage=s["stage"],
            title=titles.get(s["stage"], s["stage"]),
            wave=s["wave"],
            first_round=s["first"],
            last_round=max(s["first"], s["last"]),
            entries=s["entries"],
        )
        for s in stages
    ]


# --------------------------------------------------------------------------- findings & plan


def _capability(objectives: list[ObjectiveRating], flag: Flag) -> str:
    for o in objectives:
        if any(x.code == flag.code and x.evidence == flag.evidence for x in o.flags):
            return o.capability
    return ""


def _agencies_text(game: Game, ids: Sequence[str]) -> str:
    agencies = [agency_name(game, a) for a in ids]
    if len(agencies) > 4:
        return f"{', '.join(agencies[:4])} and {len(agencies) - 4} more"
    return ", ".join(agencies)


def _findings(ev: Evaluation) -> tuple[list[Finding], list[Finding]]:
    s = ev.scores
    f = ev.facts
    g = f.game
    strengths: list[Finding] = []
    weak: list[Finding] = []
    for o in ev.objectives:
        done = [t.seq for t in o.tasks if t.seq]
        why = o.reason
        if o.confirmed:
            why = f"the evaluator rated it {o.confirmed}" + (f" ({o.note})" if o.note else "")
            why += f"; the automatic rating was {o.auto}: {o.reason}"
        if o.rating == "P":
            strengths.append(
                Finding(
                    kind="objective",
                    text=f"Objective '{o.title}' ({o.capability}) was performed without "
                    f"challenges: {why}",
                    agencies=sorted({t.done_by for t in o.tasks if t.done_by}),
                    evidence=done,
                )
            )
        elif o.rating in ("M", "U"):
            weak.append(
                Finding(
                    kind="objective",
                    text=f"Objective '{o.title}' ({o.capability}) was rated {o.rating}: {why}",
                    agencies=o.agencies,
                    evidence=sorted({*done, *(x for fl in o.flags for x in fl.evidence[:1])}),
                )
            )
    for d in s.dimensions:
        total = s.total.dimensions[d]
        if total.value is None:
            continue
        per = [
            (a, ag.total.dimensions[d].value)
            for a, ag in s.agencies.items()
            if ag.total.dimensions[d].value is not None
        ]
        if d == "outcome":
            text = total.explanation
            if total.value >= STRONG:
                strengths.append(Finding(kind="outcome", text=text, evidence=total.evidence))
            elif total.value < WEAK:
                weak.append(Finding(kind="outcome", text=text, evidence=total.evidence))
            continue
        if not per:
            continue
        best = max(per, key=lambda t: t[1] or 0.0)
        worst = min(per, key=lambda t: t[1] or 0.0)
        if total.value >= STRONG:
            strengths.append(
                Finding(
                    kind="dimension",
                    text=f"{TITLES[d]} was strong ({total.value:.0f}/100); {agency_name(g, best[0])} led "
                    f"with {best[1]:.0f}.",
                    agencies=[a for a, v in per if (v or 0.0) >= STRONG],
                )
            )
        elif total.value < WEAK:
            low = [a for a, v in per if (v or 0.0) < WEAK]
            weak.append(
                Finding(
                    kind="dimension",
                    text=f"{TITLES[d]} was weak ({total.value:.0f}/100); lowest: "
                    f"{agency_name(g, worst[0])} "
                    f"({worst[1]:.0f}). {DESCRIPTIONS[d]}",
                    agencies=low,
                )
            )
    if f.commitments:
        honoured = [c for c in f.commitments if c.status == "honoured"]
        if len(honoured) == len(f.commitments):
            strengths.append(
                Finding(
                    kind="commitments",
                    text=f"Every commitment that fell due was honoured ({len(honoured)}).",
                    agencies=sorted({c.debtor for c in honoured}),
                    evidence=[c.seq for c in honoured],
                )
            )
    net = ev.network.exercise["all"]
    if net.density >= 0.5:
        strengths.append(
            Finding(
                kind="network",
                text=f"A dense cooperation network: {net.edges} pairs of agencies tied "
                f"(density {net.density:.2f}), {net.horizontal} horizontal and {net.vertical} "
                f"vertical; most connected: {agency_names(g, net.central)}.",
                agencies=net.central,
            )
        )
    if net.isolated:
        weak.append(
            Finding(
                kind="network",
                text=f"No honoured tie at all for {_agencies_text(g, net.isolated)} over the "
                "whole exercise.",
                agencies=net.isolated,
            )
        )
    for a, ag in s.agencies.items():
        v = ag.total.overall.value
        if v is not None and v >= STRONG:
            strengths.append(
                Finding(
                    kind="agency",
                    text=f"{agency_name(g, a)} scored {v:.0f}/100 overall ({ag.total.overall.explanation})",
                    agencies=[a],
                )
            )
    groups: dict[str, list[Flag]] = {}
    for fl in ev.flags:
        groups.setdefault(fl.code, []).append(fl)
    for code, fls in sorted(groups.items(), key=lambda kv: (_sev_rank(kv[1][0]), kv[0])):
        who = list(dict.fromkeys(fl.agency for fl in fls if fl.agency))
        weak.append(
            Finding(
                kind="flag",
                text=f"{FLAG_TITLES.get(code, code)}: {len(fls)} time{'s' if len(fls) > 1 else ''}"
                f"{' by ' + _agencies_text(g, who) if who else ''} ({fls[0].severity}). "
                f"First: {fls[0].text}",
                agencies=who,
                evidence=sorted({x for fl in fls for x in fl.evidence}),
            )
        )
    if not strengths:
        strengths.append(Finding(kind="none", text="No clear strength emerged from the journal."))
    if not weak:
        weak.append(Finding(kind="none", text="No area for improvement emerged from the journal."))
    return strengths, weak


def _sev_rank(fl: Flag) -> int:
    return 0 if fl.severity == "major" else 1


def _plan(ev: Evaluation) -> list[PlanItem]:
    rows: list[PlanItem] = []
    groups: dict[tuple[str, str], list[Flag]] = {}
    for fl in ev.flags:
        groups.setdefault((fl.code, fl.agency or ""), []).append(fl)
    for (code, agency), fls in groups.items():
        n = len(fls)
        issue = fls[0].text if n == 1 else f"{FLAG_TITLES.get(code, code)} ({n} times)."
        rows.append(
            PlanItem(
                id=f"flag.{code}.{agency or 'facilitator'}",
                issue=issue,
                corrective_action=CORRECTIVE.get(code, "Review this issue in the debrief."),
                responsible=agency or "facilitator",
                capability=_capability(ev.objectives, fls[0]),
                priority="high" if fls[0].severity == "major" else "medium",
                evidence=sorted({x for fl in fls for x in fl.evidence}),
            )
        )
    for o in ev.objectives:
        for t in o.tasks:
            if t.status == "missed":
                who = t.agency or _best_candidate(ev, o)
                rows.append(
                    PlanItem(
                        id=f"task.{o.id}.{t.id}",
                        issue=f"Critical task not done: {t.text} (due {t.deadline}).",
                        corrective_action=f"Assign '{t.text}' to "
                        f"{agency_name(ev.facts.game, who)} with a clear trigger and "
                        "deadline in the plan, and rehearse it.",
                        responsible=who,
                        capability=o.capability,
                        priority="high",
                    )
                )
            elif t.status == "late":
                rows.append(
                    PlanItem(
                        id=f"task.{o.id}.{t.id}",
                        issue=f"Critical task done late: {t.text} (round {t.round}, due "
                        f"{t.deadline}).",
                        corrective_action=CORRECTIVE["late_task"],
                        responsible=t.done_by or t.agency or "facilitator",
                        capability=o.capability,
                        priority="medium",
                        evidence=[t.seq],
                    )
                )
    for a, ag in ev.scores.agencies.items():
        weak = [
            (sc.value, i, d, sc)
            for i, (d, sc) in enumerate(ag.total.dimensions.items())
            if sc.value is not None and sc.value < PLAN_WEAK
        ]
        if not weak:
            continue
        weak.sort(key=lambda t: (t[0], t[1]))
        listed = ", ".join(f"{TITLES[d].lower()} {v:.0f}" for v, _, d, _ in weak)
        rows.append(
            PlanItem(
                id=f"scores.{a}",
                issue=f"Scores below {PLAN_WEAK:.0f}/100: {listed}.",
                corrective_action=" ".join(DIMENSION_ACTIONS[d] for _, _, d, _ in weak[:2]),
                responsible=a,
                capability="",
                priority="low",
                evidence=sorted({x for _, _, _, sc in weak[:2] for x in _few(sc)}),
            )
        )
    order = {"high": 0, "medium": 1, "low": 2}
    agencies = {a: i for i, a in enumerate(ev.facts.game.order)}
    rows.sort(key=lambda r: (order[r.priority], agencies.get(r.responsible, 99), r.issue))
    return _plan_updates(ev, rows)


def _unique_ids(rows: list[PlanItem]) -> list[PlanItem]:
    """Rows whose ids are unique (a repeated id gets ``-2``, ``-3``... in row order)."""
    seen: Counter[str] = Counter()
    out: list[PlanItem] = []
    for row in rows:
        seen[row.id] += 1
        n = seen[row.id]
        out.append(row if n == 1 else row.model_copy(update={"id": f"{row.id}-{n}"}))
    return out


def _plan_updates(ev: Evaluation, rows: list[PlanItem]) -> list[PlanItem]:
    """Apply the journal's ``plan_action_updated`` events to the drafted rows.

    Each row starts with the responsible agency's name as owner and status open;
    the updates of a row apply in journal order, each setting only the fields it
    gives. An update of an id the drafted plan does not have (the scoring changed
    since) keeps its own row, so nothing recorded is lost.
    """
    names = {a: ag.name for a, ag in ev.facts.game.scenario.agencies.items()}
    rows = [r.model_copy(update={"owner": names.get(r.responsible, "")}) for r in _unique_ids(rows)]
    index = {r.id: i for i, r in enumerate(rows)}
    for rec in ev.facts.records:
        e = rec.event
        if e.kind != "plan_action_updated":
            continue
        i = index.get(e.action)
        if i is None:
            index[e.action] = i = len(rows)
            rows.append(
                PlanItem(
                    id=e.action,
                    issue=f"Action {e.action}, recorded in the journal, is no longer drafted "
                    "from this journal's scores.",
                    corrective_action="Review it in the debrief.",
                    responsible="facilitator",
                    capability="",
                    priority="low",
                )
            )
        fields = {"owner": e.owner, "poc": e.poc, "start": e.start, "due": e.due}
        update: dict[str, object] = {k: v for k, v in fields.items() if v is not None}
        if e.status is not None:
            update["status"] = e.status
        update["updated_seq"] = rec.seq
        rows[i] = rows[i].model_copy(update=update)
    return rows


def _feedback(ev: Evaluation) -> tuple[list[Feedback], dict[str, float | None]]:
    """The latest feedback form of each agency (scenario order) and the mean of each rating."""
    latest: dict[str, tuple[int, FeedbackSubmitted]] = {}
    count: Counter[str] = Counter()
    for rec in ev.facts.records:
        e = rec.event
        if e.kind == "feedback_submitted":
            latest[e.agency] = (rec.seq, e)
            count[e.agency] += 1
    forms: list[Feedback] = []
    for a in ev.facts.game.scenario.agencies:
        if a not in latest:
            continue
        seq, e = latest[a]
        forms.append(
            Feedback(
                agency=a,
                author=e.author,
                strengths=e.strengths,
                improvements=e.improvements,
                ratings=dict(e.ratings),
                comments=e.comments,
                seq=seq,
                revisions=count[a] - 1,
            )
        )
    means: dict[str, float | None] = {}
    for q in FEEDBACK_QUESTIONS:
        values = [f.ratings[q] for f in forms if q in f.ratings]
        means[q] = _r(_mean(values)) if values else None
    return forms, means


def _few(sc: Score, n: int = 10) -> list[int]:
    return sc.evidence[:n]


def _best_candidate(ev: Evaluation, o: ObjectiveRating) -> str:
    """Who should own a task open to any agency: the first agency in scope, else the lead."""
    return o.agencies[0] if o.agencies else (ev.facts.game.order[0] if ev.facts.game.order else "")


# --------------------------------------------------------------------------- entry point


def report_from(ev: Evaluation) -> Report:
    """The report of an evaluation (see :func:`build_report`)."""
    f = ev.facts
    g = f.game
    sc = g.scenario
    series = _series(ev)
    strengths, improvements = _findings(ev)
    feedback, feedback_means = _feedback(ev)
    return Report(
        action_titles={a: ev.facts.game.action(a).title for a in ev.facts.game.rules.actions},
        overview=_overview(ev, series),
        dimensions=[
            DimensionInfo(id=d, title=TITLES[d], description=DESCRIPTIONS[d])
            for d in ev.scores.dimensions
        ],
        stages=[
            StageInfo(
                id=s.id,
                title=s.title,
                function=s.function,
                rounds=ev.scores.rounds.get(s.id, 0),
                weights=ev.scores.weights.get(s.id, {}),
            )
            for s in g.rules.stages
            if s.id in ev.scores.stages
        ],
        agencies=[
            AgencyInfo(
                id=a,
                name=ag.name,
                level=ag.level,
                department=ag.department,
                superior=ag.superior,
                regions=list(ag.regions),
            )
            for a, ag in sc.agencies.items()
        ],
        regions=[
            RegionInfo(id=r, name=reg.name, population=reg.population)
            for r, reg in sc.regions.items()
        ],
        scores=ev.scores,
        objectives=ev.objectives,
        flags=ev.flags,
        strengths=strengths,
        improvements=improvements,
        plan=_plan(ev),
        timeline=_timeline(ev),
        observations=[
            Observation(
                seq=seq,
                round=e.round,
                stage=e.stage,
                agency=e.agency,
                author=e.author,
                text=e.text,
            )
            for seq, e in f.observations
        ],
        network=ev.network,
        series=series,
        feedback=feedback,
        feedback_means=feedback_means,
    )


def build_report(
    game: Game, records: Sequence[Record], *, cf: Counterfactual | None = None
) -> Report:
    """Score a journal and assemble its After-Action Report / Improvement Plan.

    Args:
        game: The scenario and rule pack the journal was played with.
        records: The journal (``Exercise.records`` or ``Journal(path).read()``).
        cf: The nobody-acts run of the same seed (computed and cached when None).

    Returns:
        The report; render it with :func:`tabletop.report.render`.

    Raises:
        TabletopError: the journal does not start with ``exercise_started``.
    """
    report = report_from(evaluate(game, records, cf=cf))
    failures = _failures(records)
    return report.model_copy(update={"expression_failures": failures}) if failures else report


def _base(path: str) -> str:
    """The file name of ``path`` (reports never depend on where the files were)."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _failures(records: Sequence[Record]) -> list[ExpressionFailure]:
    """The expressions that failed while playing, in journal order (file names, no paths)."""
    out: list[ExpressionFailure] = []
    for rec in records:
        e = rec.event
        if e.kind == "expression_failed":
            out.append(
                ExpressionFailure(
                    seq=rec.seq,
                    round=e.round,
                    stage=e.stage,
                    source=e.source,
                    ref=e.ref,
                    agency=e.agency,
                    part=e.part,
                    key=e.key,
                    line=e.line,
                    col=e.col,
                    text=e.text,
                    message=e.message,
                    summary=describe_failure(e.model_copy(update={"file": _base(e.file)})),
                )
            )
    return out
