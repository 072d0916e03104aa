"""Journal fixtures: a real PostgreSQL server for the session, and one journal target per backend.

``pg_server`` starts PostgreSQL once per test session (``tests/pg_server.py``). Where it cannot
be started, the PostgreSQL tests are skipped with the reason, except under CI (``CI=true``),
where that is a failure: CI installs the server and must run them.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_server import PostgresServer, ServerUnavailable

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
