"""Fixtures of the terminal UI tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import TINY


@pytest.fixture
def tiny_scenario(tmp_path: Path) -> Path:
    """A two-agency scenario, one round per stage, with a private inject for alpha."""
    path = tmp_path / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return path
