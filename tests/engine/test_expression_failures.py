"""What still fails at run time never ends an exercise: ``expression_failed`` is journaled.

Expressions that pass the load-time checks but fail with the values of a running exercise
(the examples of issue 14): the effect is skipped (the state unchanged by it), the condition
counts as false, play goes on, and fold reproduces it exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from tabletop_helpers import RULES, SCENARIO, Driver, of

from tabletop.app.journals import resume_exercise
from tabletop.engine.evolve import fold, initial_state
from tabletop.engine.failures import describe_failure
from tabletop.loader import load_game
from tabletop.model import commands as cm
from tabletop.model import events as ev

WARNING = """effects = [
    "region.trust += 4 - 3 * abs(fit)",
    "region.prevention += 0.05 if fit >= 0 else 0.01",
]"""
INVEST = 'effects = ["region.prevention += amount * 0.004"]'


def edit(project: Path, which: str, old: str, new: str) -> Path:
    """Replace ``old`` (exactly once) in the project's scenario or rule pack."""
    folder, name = ("scenarios", SCENARIO.name) if which == "scenario" else ("rules", RULES.name)
    path = project / folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def position(path: Path, line_text: str, at: str) -> tuple[int, int]:
    """(line, col) of ``at`` in the one line of ``path`` containing ``line_text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if line_text in text)
    return line, lines[line - 1].index(line_text) + line_text.index(at) + 1


@dataclass(frozen=True)
class Case:
    """An action effect that fails at run time.

    Attributes:
        action: The rule-pack action and ``old``: its ``effects`` line(s) as written.
        bad: The failing effect, added after the action's own effects.
        params: The action's parameters (chosen so that it fails).
        message: Expected message.
        at: Text inside ``bad`` at which the failure is located.
    """

    action: str
    old: str
    bad: str
    params: dict[str, object]
    message: str
    at: str


CASES = {
    # coastal_city's hazard (0.35) calls for yellow: a yellow warning has fit 0.
    "fit ** -1": Case(
        "issue_warning",
        WARNING,
        "region.trust += fit ** -1",
        {"region": "coastal_city", "level": "yellow"},
        "cannot raise zero to a negative power",
        "fit",
    ),
    "clamp(fit, 1, fit)": Case(
        "issue_warning",
        WARNING,
        "region.trust += clamp(fit, 1, fit)",
        {"region": "coastal_city", "level": "yellow"},
        "clamp(): lower bound 1 is above upper bound 0",
        "clamp",
    ),
    # The ministry's budget is raised to 100000 below: 80000 ** 64 is beyond a float.
    "amount ** 64": Case(
        "invest_prevention",
        INVEST,
        "region.prevention += amount ** 64",
        {"region": "coastal_city", "amount": 80000.0},
        "result is too large",
        "amount",
    ),
}


def with_bad_effect(project: Path, case: Case) -> Path:
    """Add the failing effect to the action (after its own effects); return the rule pack."""
    head, _, rest = case.old.partition("[")
    own = rest.rstrip().removesuffix("]").rstrip().rstrip(",")
    new = f'{head}[{own}, "{case.bad}"]'.replace("\n", " ")
    path = edit(project, "rules", case.old, new)
    edit(project, "scenario", "budget = 500", "budget = 100000")
    return path


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_failing_action_effect_is_journaled_and_skipped(project_copy: Path, case: Case) -> None:
    rules = with_bad_effect(project_copy, case)
    game = load_game(project_copy / "scenarios" / SCENARIO.name)
    play = Driver(game)
    events = play.submit(cm.TakeAction(agency="mem", action=case.action, **case.params))
    assert [e.kind for e in events] == ["action_taken", "expression_failed"]
    taken, failed = events
    line, col = position(rules, case.bad, case.at)
    index = len(game.rules.actions[case.action].effects) - 1
    assert failed == ev.ExpressionFailed(
        source="action",
        ref=case.action,
        agency="mem",
        part="effect",
        text=case.bad,
        file=str(rules),
        line=line,
        col=col,
        key=f"actions.{case.action}.effects[{index}]",
        message=case.message,
        round=1,
        stage="gestation",
    )
    assert describe_failure(failed) == (
        f"{rules}:{line}:{col}: actions.{case.action}.effects[{index}]: {case.message} "
        f"(action '{case.action}' of mem, round 1: effect skipped)"
    )
    # The other effects applied exactly as without the failing one.
    clean = project_copy / "clean"
    (clean / "scenarios").mkdir(parents=True)
    (clean / "rules").mkdir()
    (clean / "rules" / RULES.name).write_text(RULES.read_text(encoding="utf-8"), "utf-8")
    (clean / "scenarios" / SCENARIO.name).write_text(
        (project_copy / "scenarios" / SCENARIO.name).read_text(encoding="utf-8"), "utf-8"
    )
    reference = Driver(load_game(clean / "scenarios" / SCENARIO.name))
    expected = reference.act(case.action, agency="mem", **case.params)
    assert taken.changes == expected.changes
    assert play.state == reference.state or _same_but_events(play, reference)
    # Play goes on.
    play.next_round()
    assert play.state.round == 2 and play.state.phase == "running"


def _same_but_events(play: Driver, reference: Driver) -> bool:
    """The states differ only in the count of events applied (the failure is one more)."""
    a, b = play.state, reference.state
    return a.events == b.events + 1 and a.regions == b.regions and a.agencies == b.agencies


def test_fold_and_resume_reproduce_the_failure(project_copy: Path, tmp_path: Path) -> None:
    case = CASES["clamp(fit, 1, fit)"]
    with_bad_effect(project_copy, case)
    game = load_game(project_copy / "scenarios" / SCENARIO.name)
    path = tmp_path / "failure.tabletop"
    play = Driver(game, path)
    play.submit(cm.TakeAction(agency="mem", action=case.action, **case.params))
    play.next_round()
    records = play.ex.records
    assert len(of(play.events, "expression_failed")) == 1
    assert fold(initial_state(game), records) == play.state
    # The same decisions in a fresh exercise give the same events, failure included.
    again = Driver(game)
    again.submit(cm.TakeAction(agency="mem", action=case.action, **case.params))
    again.next_round()
    assert again.events == play.events
    play.ex.close()
    resumed = resume_exercise(path)
    assert resumed.state == play.state
    assert [r.event for r in resumed.records] == play.events
    resumed.close()


def test_failing_inject_effect_is_skipped_and_the_inject_fires(project_copy: Path) -> None:
    old = 'effects = ["regions.coastal_city.hazard += 0.15"]'
    bad = "regions.coastal_city.trust -= clamp(round, 2, round)"
    path = edit(
        project_copy, "scenario", old, f'effects = ["regions.coastal_city.hazard += 0.15", "{bad}"]'
    )
    game = load_game(path)
    play = Driver(game)
    events = play.to_stage("outbreak")
    fired = [e for e in of(events, "inject_fired") if e.inject == "landfall"]
    assert len(fired) == 1 and list(fired[0].changes) == ["regions.coastal_city.hazard"]
    (failed,) = of(events, "expression_failed")
    assert events.index(failed) == events.index(fired[0]) + 1
    line, col = position(path, bad, "clamp")
    assert (failed.source, failed.ref, failed.part, failed.key) == (
        "inject",
        "landfall",
        "effect",
        "injects[2].effects[1]",
    )
    assert (failed.line, failed.col, failed.message) == (
        line,
        col,
        "clamp(): lower bound 2 is above upper bound 1",
    )
    play.next_round()
    assert play.state.phase == "running"


def test_released_inject_with_a_failing_effect(project_copy: Path) -> None:
    old = 'effects = ["regions.coastal_city.hazard += 0.15"]'
    bad = "regions.coastal_city.trust -= clamp(round, 2, round)"
    path = edit(project_copy, "scenario", old, f'effects = ["{bad}"]')
    play = Driver(load_game(path))
    events = play.submit(cm.ReleaseInject(inject="landfall"))
    assert [e.kind for e in events] == ["inject_fired", "expression_failed"]
    assert events[0].changes == {}
    assert "landfall" in play.state.fired


def test_failing_inject_condition_counts_as_false(project_copy: Path) -> None:
    path = edit(
        project_copy,
        "scenario",
        'when = "regions.coastal_city.trust < 50"',
        'when = "regions.coastal_city.trust ** 64 * 1e300 > 0"',
    )
    play = Driver(load_game(path))
    events = play.next_round()
    failed = of(events, "expression_failed")
    assert [(f.source, f.ref, f.part, f.message) for f in failed] == [
        ("inject", "rumours", "when", "result is too large")
    ]
    assert failed[0].round == 2
    assert "rumours" not in play.state.fired


def test_failing_stage_condition_counts_as_false(project_copy: Path) -> None:
    rules = edit(
        project_copy,
        "rules",
        'advance_if = "max_hazard >= 0.6"',
        'advance_if = "(max_hazard + 2) ** 64 * 1e300 > 0"',
    )
    play = Driver(load_game(project_copy / "scenarios" / SCENARIO.name))
    events = play.next_round()
    (failed,) = of(events, "expression_failed")
    line, col = position(rules, "(max_hazard + 2) ** 64 * 1e300 > 0", "(max_hazard")
    assert (failed.source, failed.ref, failed.part, failed.key) == (
        "stage",
        "gestation",
        "advance_if",
        "stages[0].advance_if",
    )
    assert (failed.file, failed.line, failed.col) == (str(rules), line, col)
    assert describe_failure(failed).endswith(
        "(stage 'gestation', round 1: condition taken as false)"
    )
    # The condition did not move the stage on; play went on.
    assert not [e for e in of(events, "stage_changed") if e.reason == "condition"]
    assert play.state.phase == "running"
