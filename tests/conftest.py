"""Shared fixtures for the engine, loader, journal and CLI tests.

Fixtures:
    game: the default scenario (``scenarios/typhoon-two-provinces.toml``), loaded once.
    tiny_game: a two-agency scenario written into a temporary folder, loaded once.
    play: a :class:`~tabletop_helpers.Driver` on a fresh exercise of the default scenario.
    tiny: a :class:`~tabletop_helpers.Driver` on a fresh exercise of the tiny scenario.
    clock: the fixed clock every test exercise uses.
    project_copy: a temporary copy of ``scenarios/`` (default scenario) and ``rules/``.
    pg_server: a real PostgreSQL server for the session (``tests/pg_server.py``); skipped
        where it cannot start, except under CI (``CI=true``), where that is a failure.
    pg_url: a URL naming a fresh exercise id in that server's database.
    target: where a new journal goes, once per backend (a SQLite file, a PostgreSQL URL).

Helpers (``Driver``, paths, the tiny scenario) live in ``tests/tabletop_helpers.py``.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pg_server import PostgresServer, ServerUnavailable
from tabletop_helpers import RULES, SCENARIO, Driver, fixed_clock, write_tiny

from tabletop.engine.game import Game
from tabletop.loader import load_game


@pytest.fixture
def clock() -> Callable[[], datetime]:
    """The fixed test clock."""
    return fixed_clock


@pytest.fixture(scope="session")
def game() -> Game:
    """The default scenario with the standard rule pack (loaded once)."""
    return load_game(SCENARIO)


@pytest.fixture(scope="session")
def tiny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny scenario file (rule pack referenced by absolute path)."""
    return write_tiny(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def tiny_game(tiny_path: Path) -> Game:
    """The tiny two-agency scenario, loaded once."""
    return load_game(tiny_path)


@pytest.fixture
def play(game: Game) -> Driver:
    """A fresh in-memory exercise of the default scenario."""
    return Driver(game)


@pytest.fixture
def tiny(tiny_game: Game) -> Driver:
    """A fresh in-memory exercise of the tiny scenario."""
    return Driver(tiny_game)


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A temporary project folder with ``scenarios/`` (default scenario) and ``rules/``.

    The scenario names its rule pack ``standard``, which resolves to ``../rules/standard.toml``.
    """
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "rules").mkdir()
    shutil.copy(SCENARIO, tmp_path / "scenarios" / SCENARIO.name)
    shutil.copy(RULES, tmp_path / "rules" / RULES.name)
    return tmp_path


# ---------------------------------------------------------------- journal backends

_ids = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server on a free localhost port (stopped at the end of the session)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("psycopg is not installed (pip install -e '.[postgres]')")
    try:
        server = PostgresServer().start()
    except ServerUnavailable as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PostgreSQL cannot be started here: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> str:
    """A URL naming a fresh exercise id in the session's database."""
    return f"{pg_server.url}?exercise=t{os.getpid()}-{next(_ids)}"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new journal goes: a SQLite file or a PostgreSQL URL (both backends run)."""
    if request.param == "sqlite":
        return str(tmp_path / "ex.tabletop")
    return request.getfixturevalue("pg_url")
