"""Keypress latency of the terminal UI: time from a key to the frame that answers it.

Runs the app headless on the default scenario (eight agencies) with a real
journal (SQLite, synchronous=FULL), sends keys through the driver as a
terminal would, and measures the time from a key to the first frame rendered
after it (``App._display`` wrapped; the update is rendered to terminal bytes
as the real write would). Prints, per interaction, the median and max wall
time and the median CPU time of this process (on a busy machine the wall time
also counts waiting for a core).

    python bench/tui_latency.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events
from textual._compositor import CompositorUpdate

from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.forms import ConfirmDialog
from tabletop.tui.screens.handover import HandoverScreen
from tabletop.tui.screens.results import RoundResultsScreen
from tabletop.tui.screens.turn import TurnScreen

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SCENARIO = PROJECT_ROOT / "scenarios" / "typhoon-two-provinces.toml"


class Probe:
    """Sends keys like a terminal and notes when the answering frame is ready."""

    def __init__(self, app: TabletopApp) -> None:
        self.app = app
        self.frames: list[tuple[float, float]] = []
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}
        original = app._display  # noqa: SLF001

        def display(screen: object, renderable: object) -> None:
            original(screen, renderable)  # type: ignore[arg-type]
            if renderable is None:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)  # what the terminal write would send
            self.frames.append((time.perf_counter(), time.process_time()))

        app._display = display  # type: ignore[method-assign]  # noqa: SLF001

    async def press(self, name: str, key: str, timeout: float = 3.0) -> None:
        """Send ``key``; record the wall and CPU milliseconds until the next frame."""
        await asyncio.sleep(0.05)  # let earlier frames flush
        n = len(self.frames)
        wall, cpu = time.perf_counter(), time.process_time()
        driver = self.app._driver  # noqa: SLF001
        assert driver is not None
        driver.send_message(events.Key(key, None if len(key) > 1 else key))
        while len(self.frames) == n:
            if time.perf_counter() - wall > timeout:
                raise TimeoutError(f"no frame after {key!r}")
            await asyncio.sleep(0.0005)
        f_wall, f_cpu = self.frames[n]
        self.wall.setdefault(name, []).append((f_wall - wall) * 1000)
        self.cpu.setdefault(name, []).append((f_cpu - cpu) * 1000)

    def report(self) -> float:
        """Print the table; return the worst median wall time."""
        width = max(len(k) for k in self.wall)
        print(
            f"{'interaction':<{width}}  {'n':>3}  {'wall median':>11}  {'wall max':>8}  {'cpu median':>10}"
        )
        worst = 0.0
        for name, values in self.wall.items():
            med = statistics.median(values)
            worst = max(worst, med)
            print(
                f"{name:<{width}}  {len(values):>3}  {med:>8.1f} ms  {max(values):>5.0f} ms"
                f"  {statistics.median(self.cpu[name]):>7.1f} ms"
            )
        print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        return worst


async def main(rounds: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app = TabletopApp(
            scenario=SCENARIO, journal=Path(tmp) / "bench.tabletop", poll_interval=0.5
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            probe = Probe(app)
            await probe.press("briefing -> handover (enter)", "enter")
            for _ in range(rounds):
                for _agency in range(8):
                    await pilot.pause()
                    assert isinstance(app.screen, HandoverScreen), app.screen
                    await probe.press("handover -> turn screen (enter)", "enter")
                    await pilot.pause()
                    assert isinstance(app.screen, TurnScreen), app.screen
                    for _ in range(3):
                        await probe.press("action menu cursor (down)", "down")
                    await probe.press("action menu cursor (up)", "up")
                    await probe.press("open action form (letter d: deploy)", "d")
                    await pilot.pause()
                    if not isinstance(app.screen, TurnScreen):
                        await probe.press("close form (escape)", "escape")
                        await pilot.pause()
                    if _agency % 4 == 1:
                        await probe.press("open proposal form (ctrl+n)", "ctrl+n")
                        await pilot.pause()
                        await probe.press("close form (escape)", "escape")
                        await pilot.pause()
                    await probe.press("end turn: the confirmation (ctrl+e)", "ctrl+e")
                    await pilot.pause()
                    if isinstance(app.screen, ConfirmDialog):  # action points were left
                        await probe.press("confirm: journal write, handover (enter)", "enter")
                    await pilot.pause()
                    if app.session is not None and app.session.state.phase == "ended":
                        break
                    if isinstance(app.screen, RoundResultsScreen):
                        await probe.press("round results -> handover (enter)", "enter")
            worst = probe.report()
    return 0 if worst < 50 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds to play (8 turns each)")
    sys.exit(asyncio.run(main(parser.parse_args().rounds)))
