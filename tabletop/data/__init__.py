"""The bundled rule packs and scenarios, shipped inside the package.

``tabletop/data/rules/*.toml`` and ``tabletop/data/scenarios/*.toml`` are package
data: found with :mod:`importlib.resources` wherever tabletop is installed (an
editable checkout, a wheel, a plain ``pip install .``). In a checkout the top-level
``rules/`` and ``scenarios/`` folders are links to these, the place facilitators look.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

#: The scenario ``tabletop play`` pre-selects.
DEFAULT_SCENARIO = "typhoon-two-provinces.toml"


def _folder(name: str) -> Path:
    # Installed packages are directories on disk (tabletop is never run from a zip),
    # so the resource is a real path the loader can read and journals can record.
    return Path(str(files(__name__).joinpath(name)))


def rules_dir() -> Path:
    """The folder of the bundled rule packs (``standard.toml``...)."""
    return _folder("rules")


def scenarios_dir() -> Path:
    """The folder of the bundled scenarios."""
    return _folder("scenarios")


def bundled_rules(pack: str) -> Path | None:
    """The bundled rule pack ``pack`` (``"standard"``), None when there is none of that name."""
    path = rules_dir() / f"{pack}.toml"
    return path if path.is_file() else None


def bundled_scenarios() -> list[Path]:
    """Every bundled scenario, by file name."""
    folder = scenarios_dir()
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def default_scenario() -> Path | None:
    """The bundled default scenario (None only in a broken install)."""
    path = scenarios_dir() / DEFAULT_SCENARIO
    return path if path.is_file() else None
