"""Deciding the facilitator's and evaluators' commands: pause, injects, stages, ratings, plans."""

from __future__ import annotations

import re
from datetime import date

from tabletop.engine.game import Game
from tabletop.engine.names import adjudicable, clamp_for, get_value
from tabletop.engine.steps import Work, fire_due_injects, inject_events, require
from tabletop.errors import IllegalCommand, did_you_mean
from tabletop.model import commands as cm
from tabletop.model import events as ev
from tabletop.model.evaluation import FEEDBACK_QUESTIONS
from tabletop.model.state import ExerciseState

#: Ids of improvement-plan rows (``flag.waste.mem``, ``task.<objective>.<task>``...).
_PLAN_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _running(state: ExerciseState) -> None:
    require(state.phase == "running", f"the exercise is not running ({state.phase})")


def pause(game: Game, state: ExerciseState, cmd: cm.Pause) -> list[ev.Event]:
    _running(state)
    require(not state.paused, "already paused")
    return [ev.ExercisePaused()]


def resume(game: Game, state: ExerciseState, cmd: cm.Resume) -> list[ev.Event]:
    _running(state)
    require(state.paused, "not paused")
    return [ev.ExerciseResumed()]


def release(game: Game, state: ExerciseState, cmd: cm.ReleaseInject) -> list[ev.Event]:
    _running(state)
    require(
        cmd.inject in game.injects,
        f"unknown inject '{cmd.inject}'{did_you_mean(cmd.inject, game.injects)}",
    )
    require(cmd.inject not in state.fired, f"inject '{cmd.inject}' has already fired")
    return inject_events(game, state, cmd.inject, manual=True)


def force_stage(game: Game, state: ExerciseState, cmd: cm.ForceStage) -> list[ev.Event]:
    _running(state)
    require(
        cmd.stage in game.stage_ids,
        f"unknown stage '{cmd.stage}'{did_you_mean(cmd.stage, game.stage_ids)}",
    )
    require(cmd.stage != state.stage, f"already in the {cmd.stage} stage")
    w = Work(state)
    w.emit(
        ev.StageChanged(
            from_stage=state.stage,
            to_stage=cmd.stage,
            reason="forced",
            round=state.round,
            note=cmd.reason,
        )
    )
    # The round goes on in the new stage (its round 1); its round-1 injects fire now.
    fire_due_injects(game, w)
    return w.events


def adjudicate(game: Game, state: ExerciseState, cmd: cm.Adjudicate) -> list[ev.Event]:
    _running(state)
    names = adjudicable(game.scenario, game.rules)
    if cmd.target not in names:
        raise IllegalCommand(f"cannot adjudicate '{cmd.target}'{did_you_mean(cmd.target, names)}")
    require(cmd.value == cmd.value and abs(cmd.value) < 1e12, "the value must be a finite number")
    old = get_value(state, cmd.target)
    new = clamp_for(cmd.target, cmd.value)
    return [
        ev.Adjudicated(target=cmd.target, old=old, new=new, reason=cmd.reason, round=state.round)
    ]


def observe(game: Game, state: ExerciseState, cmd: cm.AddObservation) -> list[ev.Event]:
    require(state.phase != "setup", "the exercise has not started")
    if cmd.agency is not None:
        require(cmd.agency in game.scenario.agencies, f"unknown agency '{cmd.agency}'")
    return [
        ev.ObservationRecorded(
            text=cmd.text,
            agency=cmd.agency,
            author=cmd.author,
            round=state.round,
            stage=state.stage,
        )
    ]


def undo(game: Game, state: ExerciseState, cmd: cm.UndoTurn) -> list[ev.Event]:
    _running(state)
    require(state.active is not None, "no turn in progress")
    require(state.turn_actions > 0, "nothing to undo in this turn")
    return [ev.TurnUndone(agency=state.active or "", round=state.round)]


def end(game: Game, state: ExerciseState, cmd: cm.EndExercise) -> list[ev.Event]:
    require(state.phase != "ended", "the exercise has already ended")
    return [ev.ExerciseEnded(reason=cmd.reason, round=state.round)]


def confirm(game: Game, state: ExerciseState, cmd: cm.ConfirmRating) -> list[ev.Event]:
    ids = [o.id for o in game.scenario.objectives]
    if cmd.objective not in ids:
        raise IllegalCommand(
            f"unknown objective '{cmd.objective}'{did_you_mean(cmd.objective, ids)}"
        )
    if cmd.task is not None:
        obj = next(o for o in game.scenario.objectives if o.id == cmd.objective)
        tasks = [t.id for t in obj.tasks]
        if cmd.task not in tasks:
            raise IllegalCommand(
                f"objective '{cmd.objective}' has no critical task '{cmd.task}'"
                f"{did_you_mean(cmd.task, tasks)}"
            )
    return [
        ev.RatingConfirmed(objective=cmd.objective, rating=cmd.rating, note=cmd.note, task=cmd.task)
    ]


def _after_end(state: ExerciseState, what: str) -> None:
    require(
        state.phase == "ended",
        f"{what} comes after the exercise: end it first (facilitator F8 / end_exercise)",
    )


def feedback(game: Game, state: ExerciseState, cmd: cm.SubmitFeedback) -> list[ev.Event]:
    _after_end(state, "participant feedback")
    agencies = list(game.scenario.agencies)
    if cmd.agency not in agencies:
        raise IllegalCommand(f"unknown agency '{cmd.agency}'{did_you_mean(cmd.agency, agencies)}")
    for question, value in cmd.ratings.items():
        if question not in FEEDBACK_QUESTIONS:
            raise IllegalCommand(
                f"unknown feedback question '{question}'"
                f"{did_you_mean(question, list(FEEDBACK_QUESTIONS))}"
            )
        require(1 <= value <= 5, f"feedback rating '{question}' must be 1 to 5, not {value}")
    texts = (cmd.strengths, cmd.improvements, cmd.comments)
    require(
        any(t.strip() for t in texts) or bool(cmd.ratings),
        "the feedback form is empty: write a strength, an area for improvement or a rating",
    )
    return [
        ev.FeedbackSubmitted(
            agency=cmd.agency,
            author=cmd.author.strip(),
            strengths=cmd.strengths.strip(),
            improvements=cmd.improvements.strip(),
            ratings={q: cmd.ratings[q] for q in FEEDBACK_QUESTIONS if q in cmd.ratings},
            comments=cmd.comments.strip(),
        )
    ]


#: Prefix of the ids of injects the facilitator writes during play (``adhoc.1``, ...).
ADHOC_PREFIX = "adhoc."


def release_adhoc(game: Game, state: ExerciseState, cmd: cm.ReleaseAdHocInject) -> list[ev.Event]:
    _running(state)
    to = list(dict.fromkeys(cmd.to))
    if "all" in to:
        to = ["all"]
    for a in to:
        if a != "all" and a not in game.scenario.agencies:
            raise IllegalCommand(f"unknown agency '{a}'{did_you_mean(a, game.scenario.agencies)}")
    require(bool(cmd.title.strip()), "the inject needs a title")
    require(bool(cmd.text.strip()), "the inject needs a text")
    n = 1 + sum(1 for i in state.fired if i.startswith(ADHOC_PREFIX))
    return [
        ev.InjectFired(
            inject=f"{ADHOC_PREFIX}{n}",
            round=state.round,
            stage=state.stage,
            to=to,
            private=("all" not in to) if cmd.private is None else cmd.private,
            type=cmd.type,
            title=cmd.title.strip(),
            text=cmd.text.strip(),
            manual=True,
        )
    ]


def _iso_date(value: str | None, what: str) -> str | None:
    """``value`` stripped, checked as ``YYYY-MM-DD`` (None and "" pass)."""
    if value is None or not value.strip():
        return value if value is None else ""
    value = value.strip()
    try:
        date.fromisoformat(value)
    except ValueError:
        raise IllegalCommand(f"the {what} date '{value}' is not a date: write YYYY-MM-DD") from None
    require(len(value) == 10, f"the {what} date '{value}' is not a date: write YYYY-MM-DD")
    return value


def plan_update(game: Game, state: ExerciseState, cmd: cm.UpdatePlanAction) -> list[ev.Event]:
    _after_end(state, "the improvement plan")
    require(
        _PLAN_ID.fullmatch(cmd.action) is not None,
        f"'{cmd.action}' is not an improvement-plan action id",
    )
    start = _iso_date(cmd.start, "start")
    due = _iso_date(cmd.due, "due")
    if start and due:
        require(start <= due, f"the due date {due} is before the start date {start}")
    fields = (cmd.owner, cmd.poc, start, due, cmd.status)
    require(
        any(f is not None for f in fields),
        "nothing to change: give owner, poc, start, due or status",
    )
    return [
        ev.PlanActionUpdated(
            action=cmd.action,
            owner=None if cmd.owner is None else cmd.owner.strip(),
            poc=None if cmd.poc is None else cmd.poc.strip(),
            start=start,
            due=due,
            status=cmd.status,
        )
    ]


def set_pin(game: Game, state: ExerciseState, cmd: cm.SetFacilitatorPin) -> list[ev.Event]:
    require(state.phase != "setup", "the exercise has not started")
    return [
        ev.FacilitatorPinSet(scheme=cmd.scheme, salt=cmd.salt, digest=cmd.digest, round=state.round)
    ]


def access_refused(game: Game, state: ExerciseState, cmd: cm.RecordAccessRefused) -> list[ev.Event]:
    require(state.phase != "setup", "the exercise has not started")
    return [
        ev.FacilitatorAccessRefused(
            action=cmd.action, seat=cmd.seat, reason=cmd.reason, round=state.round
        )
    ]


def issue_codes(game: Game, state: ExerciseState, cmd: cm.IssueJoinCodes) -> list[ev.Event]:
    require(state.phase != "setup", "the exercise has not started")
    seats = [*game.order, "facilitator", "evaluator"]
    for c in cmd.codes:
        require(c.seat in seats, f"unknown seat '{c.seat}' (seats: {', '.join(seats)})")
    return [ev.JoinCodesIssued(codes=list(cmd.codes), round=state.round)]
