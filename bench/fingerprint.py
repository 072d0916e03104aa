"""Fingerprint every event of many seeded exercises, to show a speed-up changed none.

Usage::

    python bench/fingerprint.py TREE [--seeds N]

``TREE`` is the checkout whose code is measured (a worktree, or a ``git archive``
of an older commit unpacked somewhere). Its folder is put first on ``sys.path``
and the script refuses to run if ``tabletop`` is then imported from anywhere
else (an editable install of another checkout would otherwise win silently).
Scenarios and the rule pack are read from ``TREE`` as well.

With ``--generated``, also the bench's generated large scenario and one of 200
agencies played by the bench's negotiating bots (generator and bots from this
script's own ``bench/run.py``, the engine from ``TREE``).

Plays every bundled scenario with nobody acting and with cooperative, selfish,
random and mixed bots, seeds 1..N, and prints one line per scenario and policy
plus the sha256 of every event of every exercise (their JSON, in order).
Record timestamps and decision ids are left out (they come from the clock), and so
is the scenario path ``exercise_started`` records (it names the tree).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Print the fingerprints of the exercises played by the code of ``TREE``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", help="checkout whose code plays the exercises")
    parser.add_argument("--seeds", type=int, default=8, help="seeds per scenario and policy")
    parser.add_argument(
        "--generated",
        action="store_true",
        help="also the bench's generated scenarios (large; 200 agencies with negotiating bots)",
    )
    args = parser.parse_args(argv)
    tree = Path(args.tree).resolve()
    sys.path.insert(0, str(tree))
    import tabletop

    where = Path(tabletop.__file__).resolve()
    if tree not in where.parents:
        print(f"tabletop was imported from {where}, not from {tree}", file=sys.stderr)
        return 2
    from tabletop.bots import parse_policies, play_to_end
    from tabletop.engine.exercise import Exercise
    from tabletop.loader.game import load_game
    from tabletop.model import commands as cm

    total = hashlib.sha256()
    paths = sorted((tree / "scenarios").glob("*.toml"))
    bench = None
    if args.generated:
        # The generator of this script's own bench/run.py (pure text; tabletop is
        # already imported from TREE, so run.py's own imports resolve to TREE too).
        spec = importlib.util.spec_from_file_location(
            "bench_run", Path(__file__).with_name("run.py")
        )
        assert spec is not None and spec.loader is not None
        bench = importlib.util.module_from_spec(spec)
        sys.modules["bench_run"] = bench  # its dataclasses look their module up
        spec.loader.exec_module(bench)
        folder = Path(tempfile.mkdtemp(prefix="tabletop-fingerprint-"))
        paths.append(bench.write_large(folder / "large"))
        text = bench.large_scenario_text(agencies=200, injects=200, regions=120)
        paths.append(bench.write_large(folder / "agencies-200", text))
    for path in paths:
        game = load_game(path)
        mixed = f"mixed:{game.order[0]}=selfish,{game.order[-1]}=random"
        policies: tuple[str | None, ...] = (None, "cooperative", "selfish", "random", mixed)
        if bench is not None and path.parent.parent.name.startswith("agencies"):
            policies = ("negotiating",)
        for policy in policies:
            h = hashlib.sha256()
            events = 0
            for seed in range(1, args.seeds + 1):
                ex = Exercise.new(game, None, seed=seed)
                if policy is None:
                    while ex.state.phase == "running" and ex.state.active is not None:
                        ex.submit(cm.EndTurn(agency=ex.state.active))
                elif policy == "negotiating" and bench is not None:
                    play_to_end(ex, bench.negotiating)
                else:
                    play_to_end(ex, parse_policies(policy, game.order))
                for r in ex.records:
                    # The scenario's path names the tree: left out like the clock.
                    h.update(r.event.model_dump_json(exclude={"scenario_path"}).encode())
                    h.update(b"\n")
                events += len(ex.records)
            label = "nobody" if policy is None else policy.split(":")[0]
            name = path.parent.parent.name if path.stem == "bench-large" else path.stem
            print(f"{name:<24} {label:<12} {events:>7} events  {h.hexdigest()[:16]}")
            total.update(h.digest())
    print(f"all events: {total.hexdigest()}  (code from {where.parent})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
