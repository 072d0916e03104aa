"""Messages the screens send up to the app."""

from __future__ import annotations

from textual.message import Message

from tabletop.model import commands as cm


class Decide(Message):
    """A player or the facilitator made a decision; the app submits it.

    Attributes:
        command: The command to submit through ``Exercise.submit``.
    """

    def __init__(self, command: cm.Command) -> None:
        super().__init__()
        self.command = command
