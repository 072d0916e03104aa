"""Cost of the journal checkpoint at each round end (``PRAGMA wal_checkpoint(PASSIVE)``).

Plays the default scenario with nobody acting, journaled on disk (beside this
script's project, not in a RAM-backed /tmp), and times each round-ending
``EndTurn`` (resolution, journal append with ``synchronous=FULL``, then the
checkpoint) with and without the checkpoint. Prints the medians in ms.

    python bench/checkpoint.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import tabletop.engine.exercise as exercise_module
from tabletop.engine import Exercise
from tabletop.loader import load_game
from tabletop.model import commands as cm

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ROUND_END = frozenset({"round_resolved", "exercise_ended"})


def round_end_ms(runs: int, checkpoint_after: frozenset[str]) -> float:
    """Median ms of a round-ending EndTurn over ``runs`` exercises."""
    game = load_game(PROJECT_ROOT / "scenarios" / "typhoon-two-provinces.toml")
    exercise_module._CHECKPOINT_AFTER = checkpoint_after  # noqa: SLF001 - the switch measured
    times: list[float] = []
    with tempfile.TemporaryDirectory(dir=PROJECT_ROOT) as folder:
        for n in range(runs):
            ex = Exercise.new(game, Path(folder) / f"j{n}.tabletop")
            while ex.state.phase == "running":
                last = game.next_agency[ex.state.active] is None
                start = time.perf_counter()
                ex.submit(cm.EndTurn(agency=ex.state.active))
                if last:
                    times.append(time.perf_counter() - start)
            ex.close()
    exercise_module._CHECKPOINT_AFTER = ROUND_END  # noqa: SLF001
    return statistics.median(times) * 1000


def main() -> None:
    """Print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    without = round_end_ms(args.runs, frozenset())
    with_checkpoint = round_end_ms(args.runs, ROUND_END)
    print(
        f"round-ending EndTurn, median: {without:.1f} ms without the checkpoint, "
        f"{with_checkpoint:.1f} ms with it (+{with_checkpoint - without:.1f} ms once per round)"
    )


if __name__ == "__main__":
    main()
