"""A bot in an empty seat of a live exercise: one decision at a time, with its reason.

:class:`BotTurn` plays one agency's turn with a policy of :mod:`tabletop.bots`
(only its public interface: ``POLICY_FUNCTIONS`` and the ``Policy`` signature),
the way :func:`tabletop.bots.play_turn` does, but step by step through the
terminal's :class:`~tabletop.tui.session.Session`, so each decision is journaled
and shown before the next. No Textual here.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from tabletop.bots import POLICIES, POLICY_FUNCTIONS
from tabletop.engine.resolve import need_of
from tabletop.errors import TabletopError
from tabletop.model import commands as cm
from tabletop.tui.session import Session
from tabletop.tui.text import describe

#: Events of a bot's decision shown on its screen (not the resolution that may follow).
_SHOWN = frozenset(
    {"action_taken", "proposal_made", "proposal_answered", "agreement_activated", "turn_ended"}
)

#: What each policy aims at, shown above its decisions.
STRATEGIES = {
    "cooperative": "shares, warns, honours its commitments, helps where the need is largest, "
    "agrees and formalizes",
    "selfish": "protects its own regions: conceals, hoards, closes borders",
    "random": "picks among the legal actions at random",
}


def parse_bot_seats(specs: list[str] | None) -> dict[str, str]:
    """``["county=cooperative", "a_em=selfish"]`` -> agency -> policy name.

    Raises:
        TabletopError: a spec is not AGENCY=POLICY, names an unknown policy, or
            names an agency twice.
    """
    out: dict[str, str] = {}
    for spec in specs or []:
        agency, sep, policy = spec.partition("=")
        agency, policy = agency.strip(), policy.strip() or "cooperative"
        if not agency:
            raise TabletopError(f"--bot {spec!r}: give AGENCY=POLICY, e.g. county=cooperative")
        if not sep:
            policy = "cooperative"
        if policy not in POLICY_FUNCTIONS:
            raise TabletopError(
                f"--bot {spec!r}: unknown bot policy '{policy}' (choose {', '.join(POLICIES)})"
            )
        if agency in out:
            raise TabletopError(f"--bot: {agency} is given twice")
        out[agency] = policy
    return out


@dataclass(frozen=True, slots=True)
class BotStep:
    """One decision a bot submitted (or tried to).

    Attributes:
        command: What it asked for.
        ok: The engine accepted it (it is in the journal).
        reason: Why the bot chose it.
        message: The engine's refusal (empty when ok).
        lines: The decision-log lines of the events it made.
    """

    command: cm.Command
    ok: bool
    reason: str
    message: str = ""
    lines: tuple[str, ...] = ()


class BotTurn:
    """One turn of ``agency`` played by ``policy``, a decision per :meth:`step`.

    Args:
        session: The terminal's session (the bot seat must be one of its ``bots``).
        agency: The agency whose turn it is.
        policy: A policy name of :data:`tabletop.bots.POLICIES`.
    """

    def __init__(self, session: Session, agency: str, policy: str) -> None:
        self.session = session
        self.agency = agency
        self.policy = policy
        st = session.state
        self.round = st.round
        # The seed play_turn gives the policy: the same decisions as a headless run.
        rng = random.Random(f"{st.seed}:{agency}:{st.round}")
        self._commands: Iterator[cm.Command] = POLICY_FUNCTIONS[policy](
            session.exercise, agency, rng
        )
        self.done = False
        self.steps: list[BotStep] = []

    @property
    def strategy(self) -> str:
        """What the policy aims at."""
        return STRATEGIES.get(self.policy, self.policy)

    def _mine(self) -> bool:
        st = self.session.state
        return st.phase == "running" and st.active == self.agency and st.round == self.round

    def step(self) -> BotStep | None:
        """Submit the bot's next decision (its last one ends the turn); None when over."""
        if self.done:
            return None
        s = self.session
        if not self._mine():
            self.done = True
            return None
        if s.state.paused:
            return None  # the facilitator paused: wait
        command: cm.Command | None = None
        if s.state.agencies[self.agency].points > 0:
            command = next(self._commands, None)
        if command is None:
            command = cm.EndTurn(agency=self.agency)
        reason = bot_reason(s, self.agency, command)
        before = len(s.records)
        outcome = s.submit(command)
        if command.kind == "end_turn" or not self._mine():
            self.done = True
        lines = tuple(
            line
            for r in s.records[before:]
            if r.event.kind in _SHOWN and (line := describe(s.game, r)) is not None
        )
        step = BotStep(command, outcome.ok, reason, outcome.message, lines)
        self.steps.append(step)
        return step


def bot_reason(session: Session, agency: str, command: cm.Command) -> str:
    """Why a bot takes ``command`` now, from the state it sees (before the command)."""
    game, st = session.game, session.state
    if isinstance(command, cm.EndTurn):
        if st.agencies[agency].points <= 0:
            return "no action points left"
        return "nothing more its policy wants to do this turn"
    if isinstance(command, cm.AnswerProposal):
        if command.accept:
            return "a proposal waits for its answer; it accepts"
        return "a proposal waits for its answer; it does not suit it"
    if isinstance(command, cm.ProposeAgreement):
        parties = ", ".join(p for p in command.parties if p != agency) or "its partners"
        return f"cooperation with {parties} needs an agreement ({command.mechanism})"
    if isinstance(command, cm.CounterProposal):
        return "it wants other terms"
    if not isinstance(command, cm.TakeAction):
        return ""
    handler = game.handlers.get(command.action, command.action)
    rid = command.region
    region = game.scenario.regions[rid].name if rid in game.scenario.regions else rid
    own = rid in game.scenario.agencies[agency].regions
    if handler == "deploy" and rid in st.regions and command.resource:
        r = st.regions[rid]
        unmet = max(
            need_of(game, rid, r.hazard, command.resource) - r.delivered.get(command.resource, 0.0),
            0.0,
        )
        whose = " (its own region)" if own else ""
        if command.amount > unmet + 1e-9:
            return (
                f"{region}{whose} still needs {unmet:.1f} {command.resource}; "
                f"it sends {command.amount:g}, more than needed"
            )
        return f"{region}{whose} still needs {unmet:.1f} {command.resource}"
    if handler == "issue_warning" and rid in st.regions:
        return f"the hazard in {region} calls for a warning ({command.level or 'a level'})"
    if handler == "activate_response":
        return f"the situation calls for response level {command.level or '?'}"
    if handler == "monitor":
        return f"it does not know the hazard in {region} well enough"
    understated = (
        f"; it understates it (accuracy {command.accuracy:.0%})" if command.accuracy < 0.9 else ""
    )
    if handler == "share_information":
        who = command.target or "a partner"
        return f"{who} should know what it knows about {region}{understated}"
    if handler == "report_up":
        return f"its superior should know about {region}{understated}"
    if handler in ("formalize", "joint_review", "set_rule"):
        return "agreements hold better when formalized and reviewed"
    if handler == "local_protection":
        return "it protects its own regions first"
    if command.agreement:
        return f"it honours agreement {command.agreement}"
    if command.order:
        return f"it answers a directive ({command.order})"
    return f"its policy chooses '{command.action}'"
