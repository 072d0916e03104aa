"""A bot in an empty seat of a live exercise: one decision at a time, with its reason.

:class:`BotTurn` plays one agency's turn with a policy of :mod:`tabletop.bots`
(only its public interface: ``POLICY_FUNCTIONS`` and the ``Policy`` signature:
each decision a command and its one-line reason), the way
:func:`tabletop.bots.play_turn` does, but step by step through the terminal's
:class:`~tabletop.app.session.Session`, so each decision is journaled and shown
before the next. No Textual here.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from tabletop.app.session import Session
from tabletop.bots import POLICIES, POLICY_FUNCTIONS, Decision
from tabletop.errors import TabletopError
from tabletop.model import commands as cm
from tabletop.tui.text import describe

#: Events of a bot's decision shown on its screen (not the resolution that may follow).
_SHOWN = frozenset(
    {"action_taken", "proposal_made", "proposal_answered", "agreement_activated", "turn_ended"}
)

#: What each policy aims at, shown above its decisions.
STRATEGIES = {
    "cooperative": "shares, warns, honours its commitments, helps where the need is largest, "
    "agrees and formalizes",
    "selfish": "protects its own regions: conceals, hoards, closes borders, promises and "
    "breaks its word",
    "opportunist": "cooperates as far as its private score gains (own regions weighted by "
    "its local interest)",
    "random": "picks among the legal actions at random",
    "passive": "does what a directive orders, and nothing else",
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
        command: What it asked for (None: a deliberate choice not to act, e.g. a
            commitment it breaks; nothing is submitted).
        ok: The engine accepted it (it is in the journal), or nothing was to submit.
        reason: Why the bot chose it.
        message: The engine's refusal (empty when ok).
        lines: The decision-log lines of the events it made.
    """

    command: cm.Command | None
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
        self._decisions: Iterator[Decision] = POLICY_FUNCTIONS[policy](
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
        decision: Decision | None = None
        if s.state.agencies[self.agency].points > 0:
            decision = next(self._decisions, None)
        if decision is None:
            left = s.state.agencies[self.agency].points > 0
            reason = (
                "nothing more its policy wants to do this turn"
                if left
                else ("no action points left")
            )
            decision = Decision(cm.EndTurn(agency=self.agency), reason)
        command = decision.command
        if command is None:  # a choice not to act: shown with its reason, nothing submitted
            step = BotStep(None, True, decision.reason)
            self.steps.append(step)
            return step
        before = len(s.records)
        outcome = s.submit(command)
        if command.kind == "end_turn" or not self._mine():
            self.done = True
        lines = tuple(
            line
            for r in s.records[before:]
            if r.event.kind in _SHOWN and (line := describe(s.game, r)) is not None
        )
        step = BotStep(command, outcome.ok, decision.reason, outcome.message, lines)
        self.steps.append(step)
        return step
