"""Helpers of the terminal UI tests: a tiny two-agency scenario and the screen's text."""

from __future__ import annotations

import io

from rich.console import Console
from tabletop_helpers import ROOT as PROJECT_ROOT
from textual.app import App
from textual.pilot import Pilot

from tabletop.tui.screens.turn import TurnScreen

RULES = (PROJECT_ROOT / "rules" / "standard.toml").resolve()

TINY = f'''
[scenario]
id = "tiny"
title = "Tiny flood"
rules = "{RULES.as_posix()}"
seed = 11
briefing = "A small river floods two districts."
stage_rounds = {{ gestation = 1, outbreak = 1, continuation = 1, recovery = 1 }}

[regions.upstream]
name = "Upstream district"
population = 100
exposure = 0.5
vulnerability = 0.5
hazard = 0.2
trust = 60
links = [{{ to = "downstream", k = 0.1 }}]

[regions.downstream]
name = "Downstream district"
population = 100
exposure = 0.5
vulnerability = 0.5
hazard = 0.1
trust = 60

[agencies.alpha]
name = "Alpha Water Bureau"
level = "provincial"
department = "water"
regions = ["upstream"]
budget = 100
resources = {{ rescue = 10, supplies = 10 }}
authority = ["funds"]
briefing = "Alpha private briefing: the dam is weaker than anyone knows."

[agencies.beta]
name = "Beta County"
level = "provincial"
department = "government"
regions = ["downstream"]
budget = 50
resources = {{ rescue = 6, supplies = 4 }}
briefing = "Beta private briefing: your levees are old."

[[injects]]
id = "secret"
stage = "gestation"
round = 1
to = ["alpha"]
type = "information"
title = "Secret alpha memo"
text = "Only alpha may read this: the spillway gate is jammed."

[[injects]]
id = "storm"
stage = "gestation"
round = 1
to = ["all"]
type = "event"
title = "Storm warning"
text = "Heavy rain is expected over both districts."

[[injects]]
id = "spare"
stage = "recovery"
when = "false"  # never by itself: released by hand in tests
to = ["all"]
title = "Spare inject"
text = "Released by hand in tests."
'''


def screen_text(app: App) -> str:
    """Plain text of what the terminal shows now (the top screen and the screens under a dialog)."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False
    )
    update = app.screen._compositor.render_update(  # noqa: SLF001 - as App.export_screenshot does
        full=True,
        screen_stack=app._background_screens,  # noqa: SLF001
    )
    console.print(update)
    return console.export_text()


def dom_text(app: App) -> str:
    """The text every panel of every screen in the stack holds, shown or not.

    Screens under the top one are not on the terminal, but their widgets are in
    the DOM: private information must not be there either.
    """
    from tabletop.tui.widgets.inbox import InboxPanel
    from tabletop.tui.widgets.log import DecisionLog
    from tabletop.tui.widgets.regions import RegionsPanel

    parts: list[str] = []
    for screen in app.screen_stack:
        for panel in screen.query(InboxPanel):
            parts.append(panel.plain)
        for panel in screen.query(RegionsPanel):
            parts.append(panel.plain)
        for log in screen.query(DecisionLog):
            parts.extend(log.shown)
    return "\n".join(parts)


async def reveal_turn(pilot: Pilot) -> TurnScreen:
    """Press Enter on the handover screen and return the revealed turn screen."""
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TurnScreen)
    return screen


#: The facilitator's PIN the tests choose.
PIN = "2468"


async def set_start_pin(pilot: Pilot, pin: str = PIN) -> None:
    """Choose the facilitator's PIN in the dialog a new exercise opens with."""
    from textual.widgets import Input

    from tabletop.tui.screens.pin import PinSetupDialog

    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, PinSetupDialog)
    dialog.query_one("#pin", Input).value = pin
    dialog.query_one("#again", Input).value = pin
    dialog.action_submit()
    await pilot.pause()


async def end_turn(app: App, pilot: Pilot) -> None:
    """ctrl+e on the turn screen; confirm with Enter when action points are left."""
    from tabletop.tui.screens.forms import ConfirmDialog

    assert isinstance(app.screen, TurnScreen), type(app.screen)
    app.screen.action_end_turn()
    await pilot.pause()
    if isinstance(app.screen, ConfirmDialog):
        await pilot.press("enter")
        await pilot.pause()
