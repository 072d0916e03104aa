"""The headless core never imports Textual (it must run on servers and in CI without a UI)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Each group is imported in a fresh interpreter.
GROUPS: dict[str, tuple[str, ...]] = {
    "tabletop.model": (
        "tabletop.model",
        "tabletop.model.rules",
        "tabletop.model.scenario",
        "tabletop.model.commands",
        "tabletop.model.events",
        "tabletop.model.state",
    ),
    "tabletop.engine": ("tabletop.engine",),
    "tabletop.loader": ("tabletop.loader",),
    "tabletop.journal": ("tabletop.journal",),
    "tabletop.expr": ("tabletop.expr",),
    "tabletop.bots": ("tabletop.bots", "tabletop.scripts", "tabletop.summary"),
    "tabletop.scoring": ("tabletop.scoring",),
    "tabletop.report": ("tabletop.report",),
    "tabletop.roles": (
        "tabletop.roles",
        "tabletop.journal.export",
        "tabletop.app.session",
        "tabletop.tui.bot_seat",
    ),
}
#: Modules that may not exist yet: skipped only when that exact module is missing.
OPTIONAL = ("tabletop.scoring", "tabletop.report")

PROBE = """
import importlib, json, sys
result = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as exc:
        result[name] = "missing:" + str(exc.name)
        continue
    result[name] = "textual" if "textual" in sys.modules else "ok"
print(json.dumps(result))
"""


def probe(modules: tuple[str, ...]) -> dict[str, str]:
    """Import ``modules`` in order in a fresh interpreter.

    Returns:
        Module -> ``ok``, ``textual`` (Textual was loaded by then) or ``missing:<name>``.
    """
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *modules], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("group", GROUPS)
def test_headless_module_does_not_import_textual(group: str) -> None:
    result = probe(GROUPS[group])
    if group in OPTIONAL and result[group] == f"missing:{group}":
        pytest.skip(f"{group} does not exist yet")
    assert result == dict.fromkeys(GROUPS[group], "ok")
