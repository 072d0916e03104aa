"""Decision scripts for ``tabletop run --script``: decisions per round per agency.

A script is TOML with ``[[decisions]]`` rows: ``round`` (exercise round),
``agency``, and the fields of a command. ``kind`` defaults to
``take_action``; use ``propose_agreement``, ``answer_proposal`` or
``counter_proposal`` for negotiation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tabletop.engine.game import Game
from tabletop.errors import Problem, ScenarioError, did_you_mean
from tabletop.loader.messages import problems_from_validation
from tabletop.loader.source import TomlSource
from tabletop.model.commands import COMMAND_ADAPTER, Command

PLAYER_KINDS = (
    "take_action",
    "propose_agreement",
    "answer_proposal",
    "counter_proposal",
    "end_turn",
)


class _Row(BaseModel):
    model_config = ConfigDict(extra="allow")
    round: int = Field(ge=1, le=10_000)
    agency: str


class _Script(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decisions: list[_Row] = Field(default_factory=list)


@dataclass(frozen=True)
class Decision:
    """A scripted command and where it was written."""

    round: int
    agency: str
    command: Command
    where: str


class Script:
    """Decisions indexed by (round, agency), in file order."""

    def __init__(self, decisions: list[Decision]) -> None:
        self.decisions = decisions

    def for_turn(self, round_: int, agency: str) -> list[Decision]:
        """Decisions of ``agency`` in ``round_``."""
        return [d for d in self.decisions if d.round == round_ and d.agency == agency]


def load_script(path: str | os.PathLike[str], game: Game) -> Script:
    """Read and check a decision script against the game.

    Raises:
        ScenarioError: every problem, located.
    """
    source = TomlSource.read(path)
    data = source.parse()
    try:
        script = _Script.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, source, _Script)) from None
    problems: list[Problem] = []
    out: list[Decision] = []
    for i, row in enumerate(script.decisions):
        raw = dict(data["decisions"][i])
        raw.pop("round", None)
        raw.setdefault("kind", "take_action")
        if row.agency not in game.order:
            problems.append(
                source.problem(
                    ("decisions", i, "agency"),
                    f"unknown agency '{row.agency}'{did_you_mean(row.agency, game.order)}",
                )
            )
            continue
        if raw["kind"] not in PLAYER_KINDS:
            problems.append(
                source.problem(
                    ("decisions", i, "kind"),
                    f"kind must be one of {', '.join(PLAYER_KINDS)}{did_you_mean(str(raw['kind']), PLAYER_KINDS)}",
                )
            )
            continue
        if raw["kind"] == "take_action" and raw.get("action") not in game.rules.actions:
            act = str(raw.get("action"))
            problems.append(
                source.problem(
                    ("decisions", i, "action"),
                    f"unknown action '{act}'{did_you_mean(act, game.rules.actions)}",
                )
            )
            continue
        try:
            command = COMMAND_ADAPTER.validate_python(raw)
        except ValidationError as exc:
            problems += problems_from_validation(
                exc, source, Command, prefix=("decisions", i), data=raw
            )
            continue
        line, _ = source.locate(("decisions", i))
        out.append(Decision(row.round, row.agency, command, f"{source.path}:{line}"))
    if problems:
        raise ScenarioError(problems)
    return Script(out)
