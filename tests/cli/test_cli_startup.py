"""Start-up of the ``tabletop`` command: each subcommand imports only what it needs.

Each check runs a fresh interpreter (``sys.modules`` of this test process holds
everything already) and lists the ``tabletop`` and ``pydantic`` modules loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from tabletop_helpers import ROOT, SCENARIO

from tabletop.cli import COMMANDS, build_parser, chosen_command

PROBE = """
import io, json, sys
from contextlib import redirect_stdout
from tabletop.cli import main
out = io.StringIO()
with redirect_stdout(out):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
mods = sorted(m for m in sys.modules if m.split(".")[0] in ("tabletop", "pydantic", "textual"))
print(json.dumps({"code": code, "out": out.getvalue(), "modules": mods}))
"""


def loaded(*argv: str) -> dict[str, object]:
    """Run ``tabletop argv...`` in a fresh interpreter; its exit code, output and modules."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_help_imports_no_model_engine_bots_or_simulator() -> None:
    got = loaded("--help")
    assert got["code"] == 0
    for name in COMMANDS:
        assert name in got["out"]
    modules = got["modules"]
    assert isinstance(modules, list)
    assert not [m for m in modules if m.startswith(("pydantic", "textual"))]
    assert not [m for m in modules if m.startswith(("tabletop.model", "tabletop.engine"))]
    assert "tabletop.bots" not in modules and "tabletop.simulate" not in modules
    # Only the command line itself (and the error types it catches).
    # tabletop.sanitize (re only) makes error messages safe to print.
    assert set(modules) <= {"tabletop", "tabletop.cli", "tabletop.errors", "tabletop.sanitize"}


def test_validate_imports_the_models_but_not_the_engine() -> None:
    got = loaded("validate", str(SCENARIO))
    assert got["code"] == 0
    assert got["out"] == f"{SCENARIO}: ok\n"
    modules = got["modules"]
    assert isinstance(modules, list)
    assert "tabletop.model.scenario" in modules  # validating needs the models
    for heavy in (
        "tabletop.engine.decide",
        "tabletop.engine.evolve",
        "tabletop.engine.exercise",
        "tabletop.model.events",
        "tabletop.model.commands",
        "tabletop.bots",
        "tabletop.simulate",
        "tabletop.cli.run",
        "tabletop.cli.simulate",
    ):
        assert heavy not in modules, heavy


def test_subcommand_help_still_lists_its_options() -> None:
    got = loaded("run", "--help")
    assert got["code"] == 0
    assert "--bots" in str(got["out"]) and "cooperative" in str(got["out"])


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        ([], None),
        (["--help"], None),
        (["--version"], None),
        (["validate", "x.toml"], "validate"),
        (["-h", "run"], "run"),
        (["nonsense", "run"], None),
        (["--", "run"], None),
    ],
)
def test_chosen_command(argv: list[str], command: str | None) -> None:
    assert chosen_command(argv) == command


def test_every_module_registers_its_listed_help() -> None:
    parser = build_parser()  # every module imported
    sub = next(a for a in parser._actions if a.dest == "command")
    shown = {a.dest: a.help for a in sub._choices_actions}
    assert shown == COMMANDS
    assert set(sub.choices) == set(COMMANDS)
