"""Journal backends side by side: SQLite file and PostgreSQL server, in the same run.

Prints, for each backend: durable appends per second (one decision per transaction,
acknowledged after COMMIT), reading + validating + folding a 10k-event journal, and follower
latency (a writer appends on one connection; a follower waiting on another wakes), median and
p99. PostgreSQL is a real throwaway server (``tests/pg_server.py``); where it cannot be started
the PostgreSQL rows say why.

    python bench/journals.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from tabletop.engine.evolve import fold, initial_state  # noqa: E402
from tabletop.journal.backends import open_journal  # noqa: E402
from tabletop.loader import load_game  # noqa: E402
from tabletop.model.events import ObservationRecorded, Record  # noqa: E402

DEFAULT = ROOT / "scenarios" / "typhoon-two-provinces.toml"
AT = "2026-01-01T00:00:00+00:00"


def note(i: int) -> ObservationRecorded:
    """A small event (an evaluator note) for the append and latency figures."""
    return ObservationRecorded(
        text=f"note {i}", agency=None, author="bench", round=1, stage="gestation"
    )


def appends_per_s(target: str, seconds: float) -> tuple[float, int]:
    """Durable appends per second, one decision per transaction, for ``seconds``."""
    with open_journal(target, create=True) as j:
        n = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds or n < 20:
            n += 1
            j.append([Record(n, f"d{n}", AT, note(n))], expected_last=n - 1)
        return n / (time.perf_counter() - t0), n


def cooperative_journal(events: int) -> tuple[Any, list[Record]]:
    """One journal of ``events`` events: cooperative play, then evaluator notes to fill it."""
    from tabletop.bots import parse_policies, play_to_end
    from tabletop.engine import Exercise

    game = load_game(DEFAULT)
    ex = Exercise.new(game, None, seed=1)
    play_to_end(ex, parse_policies("cooperative", game.order))
    records = list(ex.records[:events])
    while len(records) < events:
        n = len(records) + 1
        records.append(Record(n, f"n{n}", AT, note(n)))
    return game, records


def fold_seconds(target: str, game: Any, records: list[Record], repeat: int) -> float:
    """Best time to read + validate + fold ``records`` stored at ``target``."""
    with open_journal(target, create=True) as j:
        j.append(records, expected_last=0)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        with open_journal(target) as j:
            fold(initial_state(game), j.read())
        best = min(best, time.perf_counter() - t0)
    return best


def follower_latency(target: str, samples: int) -> list[float]:
    """Seconds from a writer's append to a follower on another connection seeing it."""
    with open_journal(target, create=True) as writer:
        out: list[float] = []
        ready = threading.Event()
        started: dict[int, float] = {}
        done = threading.Event()

        def follow() -> None:
            with open_journal(target) as follower:
                ready.set()
                seen = 0
                while seen < samples:
                    if follower.wait(seen, timeout=10):
                        now = time.perf_counter()
                        last = follower.last_seq()
                        for s in range(seen + 1, last + 1):
                            out.append(now - started[s])
                        seen = last
                done.set()

        thread = threading.Thread(target=follow, daemon=True)
        thread.start()
        ready.wait(10)
        for i in range(1, samples + 1):
            started[i] = time.perf_counter()
            writer.append([Record(i, f"d{i}", AT, note(i))], expected_last=i - 1)
            time.sleep(0.005)
        done.wait(30)
        return out


def p99(values: list[float]) -> float:
    """The 99th percentile."""
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


def measure(quick: bool) -> list[dict[str, Any]]:
    """Every figure for both backends."""
    from pg_server import PostgresServer, ServerUnavailable

    seconds = 1.0 if quick else 3.0
    samples = 60 if quick else 300
    game, records = cooperative_journal(10_000)
    rows: list[dict[str, Any]] = []
    folder = Path(tempfile.mkdtemp(prefix="tabletop-bench-"))
    counter = iter(range(10**6))

    def sqlite_target() -> str:
        return str(folder / f"j{next(counter)}.tabletop")

    targets: list[tuple[str, Callable[[], str]]] = [("sqlite", sqlite_target)]
    server = None
    try:
        server = PostgresServer().start()
        targets.append(("postgresql", lambda: f"{server.url}?exercise=b{next(counter)}"))
    except (ServerUnavailable, ImportError) as exc:
        rows.append({"backend": "postgresql", "figure": "unavailable", "value": str(exc)})
    try:
        for name, make in targets:
            per_s, n = appends_per_s(make(), seconds)
            rows.append({"backend": name, "figure": "durable appends/s", "value": per_s, "n": n})
            t = fold_seconds(make(), game, records, repeat=2 if quick else 4)
            rows.append(
                {
                    "backend": name,
                    "figure": f"read + validate + fold of {len(records)} events (ms)",
                    "value": t * 1000,
                }
            )
            lat = follower_latency(make(), samples)
            rows.append(
                {
                    "backend": name,
                    "figure": "follower latency median (ms)",
                    "value": statistics.median(lat) * 1000,
                    "n": len(lat),
                }
            )
            rows.append(
                {"backend": name, "figure": "follower latency p99 (ms)", "value": p99(lat) * 1000}
            )
    finally:
        if server is not None:
            server.stop()
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the figures (a table, or JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (~10 s)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    rows = measure(args.quick)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        value = r["value"]
        shown = f"{value:,.1f}" if isinstance(value, float) else str(value)
        print(f"{r['backend']:<11} {r['figure']:<48} {shown:>12}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
