"""Bot helpers: the lazily seeded random stream draws exactly what a seeded one does."""

from __future__ import annotations

import random

from tabletop.bots import _LazyRandom


def test_lazy_random_draws_like_a_seeded_random() -> None:
    lazy, eager = _LazyRandom("7:county:3"), random.Random("7:county:3")
    assert [lazy.choice("abcdefgh") for _ in range(20)] == [
        eager.choice("abcdefgh") for _ in range(20)
    ]
    assert lazy.uniform(0.5, 1.0) == eager.uniform(0.5, 1.0)
    assert lazy.random() == eager.random()
    assert lazy.sample(range(100), 5) == eager.sample(range(100), 5)
    assert lazy.gauss() == eager.gauss()


def test_lazy_random_state_and_reseed() -> None:
    fresh = _LazyRandom("s")
    assert fresh.getstate() == random.Random("s").getstate()  # seeded on demand
    saved = random.Random("other").getstate()
    restored = _LazyRandom("s")
    restored.setstate(saved)  # before any draw: the pending seed must not win
    assert restored.random() == random.Random("other").random()
    reseeded = _LazyRandom("s")
    reseeded.seed(5)
    assert reseeded.random() == random.Random(5).random()
