"""The running decision log (human-readable lines from the journal records)."""

from __future__ import annotations

from textual.widgets import RichLog

#: Lines kept on screen (older ones stay in the journal and the debrief).
MAX_LINES = 300
#: Lines written when the log is rebuilt (another agency, an undo): rendering
#: each line costs, and the panel shows about twenty.
REBUILD_LINES = 60


class DecisionLog(RichLog):
    """Appends new lines; rewrites everything when history changed (an undo).

    Not focusable: Tab goes between the inbox, the proposals and the actions.
    """

    can_focus = False

    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            wrap=True,
            markup=False,
            highlight=False,
            max_lines=MAX_LINES,
            min_width=20,
            **kwargs,  # type: ignore[arg-type]
        )  # type: ignore[arg-type]
        self.shown: list[str] = []
        """The lines shown (the viewer's log)."""

    def show(self, lines: list[str]) -> None:
        """Show ``lines`` (the full log as the viewer may read it)."""
        n = len(self.shown)
        if len(lines) >= n and lines[:n] == self.shown:
            new = lines[n:][-MAX_LINES:]
        else:
            self.clear()
            new = lines[-REBUILD_LINES:]
        for line in new:
            self.write(line)
        self.shown = list(lines)
