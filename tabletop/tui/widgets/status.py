"""The status bar: stage and its cooperation function, round, active agency, points."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tabletop.tui.session import Session
from tabletop.tui.text import agency_label, stage_label


class StatusBar(Static):
    """Two lines of exercise status, rebuilt by :meth:`show`."""

    def clear(self) -> None:
        """Show nothing."""
        self.update("")

    def show(self, session: Session) -> None:
        """Render the status of ``session``."""
        st = session.state
        game = session.game
        text = Text()
        if st.stage:
            rounds = game.stage_rounds(st.stage)
            text.append(" Stage ", style="bold")
            text.append(stage_label(game, st.stage), style="bold cyan")
            text.append(f"  stage round {st.stage_round}/{rounds}")
        text.append("   Round ", style="bold")
        text.append(str(st.round))
        if st.wave:
            text.append(f"  wave {st.wave + 1}")
        if st.paused:
            text.append("   PAUSED by the facilitator ", style="bold reverse red")
        if st.phase == "ended":
            text.append("   EXERCISE ENDED ", style="bold reverse")
        path = session.journal_path
        text.append("   Journal ", style="bold")
        text.append(path.name if path is not None else "(in memory)")
        text.append("\n Active ", style="bold")
        text.append(agency_label(game, st.active))
        if st.active is not None:
            points = st.agencies[st.active].points
            text.append("   Action points ", style="bold")
            text.append(f"{points}/{game.rules.pack.action_points}")
        if session.attached:
            text.append("   This terminal: ", style="bold")
            text.append(str(session.attach_as))
        self.update(text)


class KeyBar(Static):
    """One fixed line of keys (a ``Footer`` recomposes on every focus change, this does not)."""

    KEYS = (
        ("Enter", "choose"),
        ("Tab", "panel"),
        ("^E", "end turn"),
        ("^N", "propose"),
        ("F2", "pause"),
        ("F3", "inject"),
        ("F4", "stage"),
        ("F5", "adjudicate"),
        ("F6", "observe"),
        ("F7", "undo"),
        ("F8", "end"),
        ("^P", "palette"),
        ("^Q", "quit"),
    )

    #: The keys of an agency's attached terminal (no facilitator keys: they are refused there).
    PLAYER_KEYS = (
        ("Enter", "choose"),
        ("Tab", "panel"),
        ("^E", "end turn"),
        ("^N", "propose"),
        ("^P", "palette"),
        ("^Q", "quit"),
    )

    def __init__(self, keys: tuple[tuple[str, str], ...] | None = None, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.keys = keys if keys is not None else self.KEYS

    def on_mount(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, what in self.keys:
            text.append(f"{key}", style="bold reverse")
            text.append(f" {what}  ")
        self.update(text)
