"""Fingerprint every event of many seeded exercises, to show a speed-up changed none.

Usage::

    python bench/fingerprint.py TREE [--seeds N]

``TREE`` is the checkout whose code is measured (a worktree, or a ``git archive``
of an older commit unpacked somewhere). Its folder is put first on ``sys.path``
and the script refuses to run if ``tabletop`` is then imported from anywhere
else (an editable install of another checkout would otherwise win silently).
Scenarios and the rule pack are read from ``TREE`` as well.

Plays every bundled scenario with nobody acting and with cooperative, selfish,
random and mixed bots, seeds 1..N, and prints one line per scenario and policy
plus the sha256 of every event of every exercise (their JSON, in order).
Record timestamps and decision ids are left out (they come from the clock), and so
is the scenario path ``exercise_started`` records (it names the tree).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Print the fingerprints of the exercises played by the code of ``TREE``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", help="checkout whose code plays the exercises")
    parser.add_argument("--seeds", type=int, default=8, help="seeds per scenario and policy")
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
    for path in sorted((tree / "scenarios").glob("*.toml")):
        game = load_game(path)
        mixed = f"mixed:{game.order[0]}=selfish,{game.order[-1]}=random"
        for policy in (None, "cooperative", "selfish", "random", mixed):
            h = hashlib.sha256()
            events = 0
            for seed in range(1, args.seeds + 1):
                ex = Exercise.new(game, None, seed=seed)
                if policy is None:
                    while ex.state.phase == "running" and ex.state.active is not None:
                        ex.submit(cm.EndTurn(agency=ex.state.active))
                else:
                    play_to_end(ex, parse_policies(policy, game.order))
                for r in ex.records:
                    # The scenario's path names the tree: left out like the clock.
                    h.update(r.event.model_dump_json(exclude={"scenario_path"}).encode())
                    h.update(b"\n")
                events += len(ex.records)
            label = "nobody" if policy is None else policy.split(":")[0]
            print(f"{path.stem:<24} {label:<12} {events:>7} events  {h.hexdigest()[:16]}")
            total.update(h.digest())
    print(f"all events: {total.hexdigest()}  (code from {where.parent})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
