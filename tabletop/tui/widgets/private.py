"""One line of the turn screen: the viewer's private score (local self-interest).

Only the agency whose turn it is sees it; :meth:`PrivateScoreLine.clear` blanks it
between two agencies like every other private panel.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tabletop.app.session import Session

#: Texts of the line (one place, for the gettext catalogue).
TEXTS: dict[str, str] = {
    "label": " Your private score ",
    "none": "none yet (no round resolved)",
    "mix": "  = {li:g} x own regions {own:.0f} + {rest:g} x common {common:.0f}",
    "private": "   only you see this",
}


class PrivateScoreLine(Static):
    """The private score of the agency on screen, recomputed once per round."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._key: tuple[str, int, str] | None = None

    def clear(self) -> None:
        """Show nothing."""
        self._key = None
        self.update("")

    def show(self, session: Session, agency: str) -> None:
        """Show ``agency``'s private score from the journal so far."""
        st = session.state
        key = (agency, st.round, st.phase)
        if key == self._key:
            return
        from tabletop.scoring.private import private_score  # the debrief's own function

        p = private_score(session.game, session.records, agency)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(TEXTS["label"], style="bold")
        if p.value.value is None or p.own.value is None or p.common.value is None:
            text.append(TEXTS["none"])
        else:
            text.append(f"{p.value.value:.0f}", style="bold magenta")
            text.append(
                TEXTS["mix"].format(
                    li=p.local_interest,
                    own=p.own.value,
                    rest=round(1 - p.local_interest, 4),
                    common=p.common.value,
                )
            )
        text.append(TEXTS["private"], style="dim")
        self.update(text)
        self._key = key
