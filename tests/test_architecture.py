"""The architecture's import rules (docs/architecture.md), checked by import-linter.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``): the layers
(cli/tui > app > report > simulate > scoring/bots/scripts > loader > engine >
journal > model/expr), and that nothing outside ``tabletop.tui`` imports Textual,
directly or through another module (the headless core runs on servers and in CI).
``.ci/run`` runs ``lint-imports`` too; here it runs in its own process, as it
configures logging for itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"
)


def test_import_contracts_are_kept() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LINT],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    out = done.stdout + done.stderr
    assert "Layers KEPT" in out and "Only the terminal UI imports Textual KEPT" in out, out
    assert done.returncode == 0, out
