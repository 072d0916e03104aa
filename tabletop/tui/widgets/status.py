"""The status bar: stage and its cooperation function, round, active agency, points."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from tabletop.app.session import Session
from tabletop.tui.text import agency_label, stage_label


def clock_text(seconds: float) -> str:
    """``m:ss`` of a duration in seconds."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class StatusBar(Static):
    """Two lines of exercise status, rebuilt by :meth:`show`.

    Each line is cut (never wrapped) at the terminal's width, so the second line, the
    active agency, is always on screen; the turn timer is on the first line, before the
    journal name, which comes last (it is what gets cut).
    """

    def __init__(self, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._session: Session | None = None
        self.timer: tuple[float, float | None] | None = None
        """Seconds the turn has lasted and the facilitator's limit (None: no timer shown)."""

    def clear(self) -> None:
        """Show nothing."""
        self._session = None
        self.timer = None
        self.update("")

    def show(self, session: Session) -> None:
        """Render the status of ``session``."""
        self._session = session
        st = session.state
        game = session.game
        top = Text(no_wrap=True, overflow="ellipsis")
        if st.stage:
            rounds = game.stage_rounds(st.stage)
            top.append(" Stage ", style="bold")
            top.append(stage_label(game, st.stage), style="bold cyan")
            top.append(f"  stage round {st.stage_round}/{rounds}")
        top.append("   Round ", style="bold")
        top.append(str(st.round))
        if st.wave:
            top.append(f"  wave {st.wave + 1}")
        if st.paused:
            top.append("   PAUSED by the facilitator ", style="bold reverse red")
        if st.phase == "ended":
            top.append("   EXERCISE ENDED ", style="bold reverse")
        if self.timer is not None:
            elapsed, limit = self.timer
            top.append("   Turn ", style="bold")
            if limit is None:
                top.append(clock_text(elapsed))
            elif elapsed <= limit:
                top.append(f"{clock_text(elapsed)} of {clock_text(limit)}")
            else:
                top.append(
                    f" {clock_text(elapsed)}: over the {clock_text(limit)} limit ",
                    style="bold reverse yellow",
                )
        path = session.journal_path
        top.append("   Journal ", style="bold")
        top.append(
            (path.name if hasattr(path, "name") else str(path))
            if path is not None
            else "(in memory)"
        )
        low = Text(no_wrap=True, overflow="ellipsis")
        low.append(" Active ", style="bold")
        low.append(agency_label(game, st.active))
        if st.active is not None:
            points = st.agencies[st.active].points
            low.append("   Action points ", style="bold")
            low.append(f"{points}/{game.rules.pack.action_points}")
        if session.attached:
            low.append("   This terminal: ", style="bold")
            low.append(agency_label(game, session.attach_as))
        self.update(Group(top, low))

    def tick(self, elapsed: float, limit: float | None) -> None:
        """Show the turn timer (the TUI's clock; the engine has none)."""
        self.timer = (elapsed, limit)
        if self._session is not None:
            self.show(self._session)


class KeyBar(Static):
    """One fixed line of keys (a ``Footer`` recomposes on every focus change, this does not)."""

    KEYS = (
        ("F1", "help"),
        ("a-z", "action"),
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
