"""Stateful property test: random legal play keeps fold(initial, journal) == live state.

Commands are built only from what :func:`legal_actions` offers (plus negotiation, turn ends
and facilitator commands including undo) and go through :meth:`Exercise.submit` with a real
SQLite journal. After every step the state folded afresh from the records must equal the
live state; at the end, the journal resumed from disk must give the same state, and the same
seed with the same commands must give the same events in a fresh exercise.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from tabletop_helpers import SCENARIO, fixed_clock, write_tiny

from tabletop.app.journals import resume_exercise
from tabletop.engine import Exercise, legal_actions
from tabletop.engine.game import Game
from tabletop.engine.legal import open_proposals_for
from tabletop.engine.names import adjudicable
from tabletop.errors import IllegalCommand
from tabletop.loader import load_game
from tabletop.model import commands as cm

NEGOTIATION = ("pass", "propose", "accept", "reject", "counter")
SETTINGS = settings(
    max_examples=30,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


class ExerciseMachine(RuleBasedStateMachine):
    """Plays one exercise of ``game`` with random legal commands."""

    game: Game

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="tabletop-stateful-"))
        self.path = self.folder / "exercise.tabletop"
        self.ex: Exercise | None = None
        self.seed = 0
        self.commands: list[cm.Command] = []

    # ------------------------------------------------------------------ helpers

    @property
    def state(self):  # noqa: ANN201 - ExerciseState
        assert self.ex is not None
        return self.ex.state

    def player_can_act(self) -> bool:
        s = self.state
        return s.phase == "running" and not s.paused and s.active is not None

    def running(self) -> bool:
        return self.ex is not None and self.state.phase == "running"

    def accept(self, command: cm.Command) -> None:
        """Submit a command that must be legal."""
        assert self.ex is not None
        self.ex.submit(command)
        self.commands.append(command)

    def attempt(self, command: cm.Command) -> None:
        """Submit a command that may be refused (refusals record nothing)."""
        assert self.ex is not None
        before = len(self.ex.records)
        try:
            self.ex.submit(command)
        except IllegalCommand:
            assert len(self.ex.records) == before
        else:
            self.commands.append(command)

    # ------------------------------------------------------------------ setup

    @initialize(seed=st.integers(min_value=0, max_value=2**31))
    def start(self, seed: int) -> None:
        self.seed = seed
        self.ex = Exercise.new(self.game, self.path, clock=fixed_clock, seed=seed)

    # ------------------------------------------------------------------ players

    @precondition(lambda self: self.ex is not None and self.player_can_act())
    @rule(data=st.data())
    def take_action(self, data: st.DataObject) -> None:
        agency = self.state.active
        options = [
            o
            for o in legal_actions(self.game, self.state, agency)
            if o.enabled and o.handler not in NEGOTIATION
        ]
        if not options:
            return
        o = data.draw(st.sampled_from(options), label="action")
        kw: dict[str, object] = {}
        for p in o.params:
            if p.choices:
                if p.optional and data.draw(st.booleans(), label=f"skip {p.name}"):
                    continue
                kw[p.name] = data.draw(st.sampled_from(p.choices), label=p.name)
        if o.handler == "local_protection" and kw.get("mode") == "close_border":
            kw.setdefault("region", o.param("region").choices[0])
        for p in o.params:
            if p.name == "accuracy":
                kw["accuracy"] = data.draw(st.sampled_from([0.4, 0.7, 0.9, 1.0]), label="accuracy")
            elif p.name == "amount":
                most = p.maximum or 0.0
                if o.handler == "deploy":
                    most = self.state.agencies[agency].resources[str(kw["resource"])]
                share = data.draw(st.sampled_from([0.1, 0.5, 1.0]), label="share")
                # Rounded down to cents (rounding up could ask for more than is available);
                # below a cent, all there is.
                amount = math.floor(min(most, 1e4) * share * 100) / 100
                kw["amount"] = amount if amount > 0 else most
        self.accept(cm.TakeAction(agency=agency, action=o.action, **kw))  # type: ignore[arg-type]

    @precondition(lambda self: self.ex is not None and self.player_can_act())
    @rule(data=st.data())
    def propose(self, data: st.DataObject) -> None:
        agency = self.state.active
        enabled = {o.action: o for o in legal_actions(self.game, self.state, agency) if o.enabled}
        choices = [a for a in ("propose_agreement", "establish_joint_mechanism") if a in enabled]
        if not choices:
            return
        action = data.draw(st.sampled_from(choices), label="proposal action")
        others = [a for a in self.game.order if a != agency]
        size = 2 if action == "establish_joint_mechanism" else 1
        if len(others) < size:
            return  # see test_legality: a joint mechanism is offered to a pair
        partners = data.draw(
            st.lists(st.sampled_from(others), min_size=size, max_size=size + 1, unique=True),
            label="partners",
        )
        mechanism = data.draw(
            st.sampled_from(["regional_cooperation", "compensation", "counterpart_support"]),
            label="mechanism",
        )
        commitments = []
        if data.draw(st.booleans(), label="with a commitment"):
            due = self.state.round + data.draw(st.integers(0, 2), label="due")
            if data.draw(st.booleans(), label="funds"):
                spec = cm.CommitmentSpec(
                    debtor=agency,
                    creditor=partners[0],
                    deliverable="funds",
                    amount=5,
                    due_round=due,
                )
            else:
                region = data.draw(st.sampled_from(list(self.game.scenario.regions)), label="to")
                spec = cm.CommitmentSpec(
                    debtor=agency,
                    creditor=partners[0],
                    deliverable="deliver",
                    resource="rescue",
                    region=region,
                    amount=2,
                    due_round=due,
                )
            commitments.append(spec)
        self.accept(
            cm.ProposeAgreement(
                agency=agency,
                action=action,
                mechanism=mechanism,
                parties=[agency, *partners],
                commitments=commitments,
            )
        )

    @precondition(lambda self: self.ex is not None and self.player_can_act())
    @rule(data=st.data())
    def answer(self, data: st.DataObject) -> None:
        agency = self.state.active
        waiting = open_proposals_for(self.state, agency)
        if not waiting:
            return
        proposal = data.draw(st.sampled_from(waiting), label="proposal")
        how = data.draw(st.sampled_from(["accept", "accept", "reject", "counter"]), label="answer")
        if how == "counter":
            if not any(
                o.enabled and o.action == "counter_agreement"
                for o in legal_actions(self.game, self.state, agency)
            ):
                return
            self.accept(cm.CounterProposal(agency=agency, proposal=proposal))
        else:
            if how == "accept":
                # A proposal whose commitments fell due can no longer be accepted (legal_actions
                # leaves it out of accept's choices); the machine follows legal_actions.
                offered = {
                    o.action: o for o in legal_actions(self.game, self.state, agency) if o.enabled
                }
                accept = offered.get("accept_agreement")
                param = accept.param("proposal") if accept else None
                if param is None or proposal not in param.choices:
                    how = "reject"
            self.accept(cm.AnswerProposal(agency=agency, proposal=proposal, accept=how == "accept"))

    @precondition(lambda self: self.ex is not None and self.player_can_act())
    @rule(data=st.data())
    def take_action_again(self, data: st.DataObject) -> None:
        """A second action rule: actions are the bulk of a real exercise."""
        self.take_action(data)

    @precondition(
        lambda self: (
            self.ex is not None
            and self.player_can_act()
            and bool(open_proposals_for(self.state, self.state.active))
        )
    )
    @rule(data=st.data())
    def answer_waiting(self, data: st.DataObject) -> None:
        """Answer when something waits (proposals are answered far more often than not)."""
        self.answer(data)

    @precondition(lambda self: self.ex is not None and self.player_can_act())
    @rule()
    def end_turn(self) -> None:
        self.accept(cm.EndTurn(agency=self.state.active))

    @precondition(lambda self: self.ex is not None and self.player_can_act())
    @rule()
    def end_turn_again(self) -> None:
        """A second turn-ending rule, so that rounds and stages move on within the steps."""
        self.accept(cm.EndTurn(agency=self.state.active))

    # ------------------------------------------------------------------ facilitator

    @precondition(lambda self: self.ex is not None)
    @rule(data=st.data())
    def facilitator(self, data: st.DataObject) -> None:
        """One facilitator command (a single rule, so that players get most of the steps)."""
        s = self.state
        if s.phase != "running":
            self.accept(cm.AddObservation(text="after the end"))
            return
        if s.paused:
            self.accept(cm.Resume())
            return
        what = data.draw(
            st.sampled_from(
                ["pause", "adjudicate", "release", "force", "observe", "undo", "undo", "end"]
            ),
            label="facilitator",
        )
        if what == "pause":
            self.accept(cm.Pause())
        elif what == "adjudicate":
            names = adjudicable(self.game.scenario, self.game.rules)
            target = data.draw(st.sampled_from(names), label="target")
            value = data.draw(st.sampled_from([0.0, 0.3, 0.75, 1.0, 35.0, 80.0]), label="value")
            self.accept(cm.Adjudicate(target=target, value=value, reason="stateful test"))
        elif what == "release":
            waiting = [i for i in self.game.injects if i not in s.fired]
            if waiting:
                inject = data.draw(st.sampled_from(waiting), label="inject")
                self.accept(cm.ReleaseInject(inject=inject))
        elif what == "force":
            stages = [x for x in self.game.stage_ids if x != s.stage]
            stage = data.draw(st.sampled_from(stages), label="stage")
            self.accept(cm.ForceStage(stage=stage, reason="stateful test"))
        elif what == "observe":
            self.accept(cm.AddObservation(text="noted", agency=self.game.order[0]))
        elif what == "undo":
            if s.active is not None and s.turn_actions > 0:
                self.accept(cm.UndoTurn())
            else:
                self.attempt(cm.UndoTurn())
        elif s.round >= 3:
            self.accept(cm.EndExercise(reason="stateful test"))

    # ------------------------------------------------------------------ invariants

    @invariant()
    def fold_equals_live_state(self) -> None:
        if self.ex is not None:
            assert self.ex.replayed() == self.ex.state
            assert self.ex.state.events == len(self.ex.records) - _undone(self.ex)

    def teardown(self) -> None:
        try:
            if self.ex is not None:
                live = self.ex.state
                self.ex.close()
                resumed = resume_exercise(self.path, clock=fixed_clock)
                try:
                    assert resumed.state == live
                    assert [r.event for r in resumed.records] == [r.event for r in self.ex.records]
                finally:
                    resumed.close()
                again = Exercise.new(self.game, clock=fixed_clock, seed=self.seed)
                for command in self.commands:
                    again.submit(command)
                assert [r.event for r in again.records] == [r.event for r in self.ex.records]
                assert again.state == live
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _undone(ex: Exercise) -> int:
    from tabletop.engine.evolve import undone_seqs

    return len(undone_seqs(ex.records))


class DefaultScenarioMachine(ExerciseMachine):
    """The default scenario: eight agencies, negotiation with three parties possible."""

    game = load_game(SCENARIO)


DefaultScenarioMachine.TestCase.settings = SETTINGS
test_default_scenario = DefaultScenarioMachine.TestCase


@pytest.fixture(scope="module")
def tiny_machine(tmp_path_factory: pytest.TempPathFactory) -> type[ExerciseMachine]:
    """A machine class on the tiny scenario (rounds and stages turn over fast)."""
    game = load_game(write_tiny(tmp_path_factory.mktemp("stateful")))
    return type("TinyMachine", (ExerciseMachine,), {"game": game})


def test_tiny_scenario(tiny_machine: type[ExerciseMachine]) -> None:
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(tiny_machine, settings=SETTINGS)
