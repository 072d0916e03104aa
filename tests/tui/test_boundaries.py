"""The ``play`` command imports Textual lazily (who may import it at all: tests/test_architecture.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import tabletop

PACKAGE = Path(tabletop.__file__).resolve().parent
ALLOWED = {PACKAGE / "cli" / "play.py"}


def imports_textual(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "textual" for a in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
            return True
    return False


def test_play_command_imports_textual_lazily() -> None:
    tree = ast.parse((PACKAGE / "cli" / "play.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    assert not any(
        (isinstance(n, ast.ImportFrom) and (n.module or "").startswith(("textual", "tabletop.tui")))
        for n in top
    )
