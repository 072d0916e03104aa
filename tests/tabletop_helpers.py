"""Helpers shared by the engine, loader, journal and CLI tests.

Imported as ``from tabletop_helpers import ...`` (pytest puts ``tests/`` on ``sys.path``; the
module has a unique name so it never clashes with another folder's ``conftest``).

Provides the path constants, the fixed test clock, the tiny two-agency scenario template and
:class:`Driver`, which plays an exercise from a test.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tabletop.engine import Exercise, legal_actions
from tabletop.engine.game import Game
from tabletop.engine.legal import ActionOption
from tabletop.loader import load_game
from tabletop.model import commands as cm
from tabletop.model import events as ev

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "typhoon-two-provinces.toml"
RULES = ROOT / "rules" / "standard.toml"
EXAMPLES = ROOT / "examples"
FIXED_TIME = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

TINY_TOML = """\
# A two-agency scenario for unit tests: a province and its town.
[scenario]
id = "tiny"
title = "Tiny flood"
briefing = "A river floods from the hills into the town."
rules = "{rules}"
seed = 7

[regions.up]
name = "Hills"
population = 100
exposure = 0.5
vulnerability = 0.5
hazard = 0.4
trust = 60
links = [{{ to = "down", k = 0.3 }}]

[regions.down]
name = "Town"
population = 50
exposure = 0.8
vulnerability = 0.6
hazard = 0.1
trust = 55

[regions.far]
name = "Far valley (nobody's)"
population = 10
exposure = 0.1
vulnerability = 0.1
hazard = 0.0
trust = 70

[agencies.prov]
name = "Province"
level = "provincial"
department = "emergency"
regions = ["up"]
budget = 100
resources = {{ rescue = 10, supplies = 10 }}
authority = ["response", "command", "funds"]
local_interest = 0.3

[agencies.town]
name = "Town government"
level = "municipal"
department = "government"
superior = "prov"
regions = ["down"]
budget = 40
resources = {{ rescue = 4, supplies = 2 }}
local_interest = 0.8

[[injects]]
id = "alert"
stage = "gestation"
round = 1
title = "Rain alert"
text = "Heavy rain in the hills."
effects = ["regions.up.hazard += 0.05"]

[[injects]]
id = "secret"
stage = "gestation"
round = 1
to = ["town"]
title = "Levee report"
text = "The town levee is weak. Only the town knows."

[[injects]]
id = "panic"
when = "regions.down.trust < 30"
to = ["town"]
type = "media"
title = "Panic in town"
text = "Crowds at the station."

[[injects]]
id = "aftershock"
stage = "outbreak"
round = 2
title = "Second wave"
text = "More rain."
effects = ["regions.down.hazard += 0.1"]
"""


def fixed_clock() -> datetime:
    """The clock of every test exercise (the engine never reads a real clock)."""
    return FIXED_TIME


def write_tiny(folder: Path, rules: str | Path = RULES, text: str = TINY_TOML) -> Path:
    """Write the tiny scenario into ``folder`` and return its path.

    Args:
        folder: Where to write ``tiny.toml``.
        rules: The rule pack reference written into the scenario (absolute or relative path).
        text: The scenario template (``{rules}`` is replaced).

    Returns:
        The scenario file.
    """
    path = folder / "tiny.toml"
    path.write_text(text.format(rules=str(rules)), encoding="utf-8")
    return path


def tiny_variant(
    folder: Path, scenario_extra: str = "", rules_sub: tuple[str, str] = ("", "")
) -> Game:
    """The tiny scenario with extra ``[scenario]`` lines and a rule pack copy edited by substitution.

    Args:
        folder: Where to write ``tiny.toml`` and ``rules/variant.toml``.
        scenario_extra: TOML lines added to the ``[scenario]`` table.
        rules_sub: ``(old, new)``: ``old`` must occur once in the standard rule pack.

    Returns:
        The loaded game (the rule pack copy is referenced by a relative path).
    """
    (folder / "rules").mkdir(exist_ok=True)
    text = RULES.read_text(encoding="utf-8")
    old, new = rules_sub
    if old:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (folder / "rules" / "variant.toml").write_text(text, encoding="utf-8")
    extra = scenario_extra.replace("{", "{{").replace("}", "}}")
    scenario = TINY_TOML.replace("seed = 7\n", "seed = 7\n" + extra)
    return load_game(write_tiny(folder, "rules/variant.toml", scenario))


def of(events: list[ev.Event], kind: str) -> list[Any]:
    """The events of one kind, in order."""
    return [e for e in events if e.kind == kind]


class Driver:
    """Drives one in-memory (or journaled) exercise from a test.

    Args:
        game: The loaded game.
        path: Journal file, or None for an in-memory exercise.
        seed: Seed override.
    """

    def __init__(self, game: Game, path: Path | None = None, seed: int | None = None) -> None:
        self.game = game
        self.ex = Exercise.new(game, path, clock=fixed_clock, seed=seed)

    @property
    def state(self) -> Any:
        """The live exercise state."""
        return self.ex.state

    @property
    def events(self) -> list[ev.Event]:
        """Every event recorded so far (undone ones included)."""
        return [r.event for r in self.ex.records]

    def submit(self, command: cm.Command) -> list[ev.Event]:
        """Submit a command; return its events."""
        return [r.event for r in self.ex.submit(command)]

    def act(self, action: str, agency: str | None = None, **params: Any) -> ev.ActionTaken:
        """Take a catalogue action (by the active agency unless named); return its event."""
        who = agency or self.state.active
        events = self.submit(cm.TakeAction(agency=who, action=action, **params))
        taken = of(events, "action_taken")
        assert taken, f"no action_taken in {events}"
        return taken[0]

    def propose(self, agency: str | None = None, **params: Any) -> list[ev.Event]:
        """Submit a proposal by the active agency (or ``agency``)."""
        return self.submit(
            cm.ProposeAgreement(agency=agency or self.state.active, **params)  # type: ignore[arg-type]
        )

    def answer(self, proposal: str, accept: bool = True) -> list[ev.Event]:
        """The active agency answers ``proposal``."""
        return self.submit(
            cm.AnswerProposal(agency=self.state.active, proposal=proposal, accept=accept)
        )

    def end_turn(self) -> list[ev.Event]:
        """End the active agency's turn."""
        return self.submit(cm.EndTurn(agency=self.state.active))

    def turn_to(self, agency: str) -> list[ev.Event]:
        """End turns until ``agency`` is active (possibly in a later round)."""
        out: list[ev.Event] = []
        for _ in range(500):
            if self.state.active == agency:
                return out
            assert self.state.phase == "running", "the exercise ended before the turn came"
            out += self.end_turn()
        raise AssertionError(f"{agency}'s turn never came")

    def next_round(self) -> list[ev.Event]:
        """End every remaining turn of this round (resolution runs); return the events."""
        start = self.state.round
        out: list[ev.Event] = []
        while self.state.phase == "running" and self.state.round == start:
            out += self.end_turn()
        return out

    def to_stage(self, stage: str) -> list[ev.Event]:
        """Play empty rounds until ``stage`` begins."""
        out: list[ev.Event] = []
        for _ in range(100):
            if self.state.stage == stage:
                return out
            out += self.next_round()
        raise AssertionError(f"stage {stage} never came")

    def option(self, action: str, agency: str | None = None) -> ActionOption:
        """The legal-actions entry of ``action`` for ``agency`` (default: the active one)."""
        who = agency or self.state.active
        found = [o for o in legal_actions(self.game, self.state, who) if o.action == action]
        assert found, action
        return found[0]
