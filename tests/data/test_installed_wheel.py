"""The bundled rule packs and scenarios are package data: a wheel installed anywhere finds them.

One slow test: builds a wheel of this checkout, installs it into a fresh virtualenv
outside the checkout, then validates and plays a scenario that says
``rules = "standard"`` from a temporary folder with no ``rules/`` anywhere near it.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done.stdout


def test_a_wheel_installed_outside_the_checkout_finds_the_bundled_rule_pack(
    tmp_path: Path,
) -> None:
    # A copy of what the wheel is built from (not the checkout: no build/ left in it).
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "tabletop", src / "tabletop", ignore=shutil.ignore_patterns("__pycache__")
    )
    dist = tmp_path / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(src)],
        cwd=tmp_path,
    )  # fmt: skip
    wheel = next(dist.glob("tabletop-*.whl"))
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    purelib = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path
        ).strip()
    )
    # The fresh environment's own pip installs the wheel (this environment's pip would
    # first uninstall the checkout's own install). Its dependencies come from this
    # environment: a path entry after its own site-packages, whose .pth files (such as
    # this checkout's editable install) are not run.
    _run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        cwd=tmp_path,
    )  # fmt: skip
    (purelib / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    work = tmp_path / "exercise"
    work.mkdir()
    scenario = work / "typhoon.toml"
    shutil.copy2(ROOT / "tabletop" / "data" / "scenarios" / "typhoon-two-provinces.toml", scenario)
    assert 'rules = "standard"' in scenario.read_text()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    where = _run(
        [str(python), "-c", "import tabletop, tabletop.data as d; print(tabletop.__file__); "
         "print(d.bundled_rules('standard'))"],
        cwd=work,
        env=env,
    ).splitlines()  # fmt: skip
    assert Path(where[0]).is_relative_to(venv), where
    assert Path(where[1]).is_relative_to(venv) and where[1].endswith("standard.toml"), where
    out = _run([str(python), "-m", "tabletop.cli", "validate", "typhoon.toml"], cwd=work, env=env)
    assert "typhoon.toml: ok" in out
    out = _run(
        [str(python), "-m", "tabletop.cli", "run", "typhoon.toml", "--bots", "cooperative",
         "--journal", "j.tabletop"],
        cwd=work,
        env=env,
    )  # fmt: skip
    assert (work / "j.tabletop").is_file(), out
    # The journal reopens: its scenario found beside it, the rule pack in the package.
    out = _run([str(python), "-m", "tabletop.cli", "replay", "j.tabletop"], cwd=work, env=env)
    assert "Status: all stages completed" in out, out
