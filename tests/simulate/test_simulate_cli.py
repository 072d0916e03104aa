"""``tabletop simulate``: table and JSON output, user errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tabletop.cli import main

ROOT = Path(__file__).resolve().parents[2]
TYPHOON = str(ROOT / "scenarios" / "typhoon-two-provinces.toml")
EPIDEMIC = str(ROOT / "scenarios" / "epidemic.toml")
CHEMICAL = str(ROOT / "scenarios" / "chemical-river.toml")


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    """Run ``tabletop simulate ... --json`` and parse stdout."""
    assert main(["simulate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", EPIDEMIC, "--runs", "3", "--bots", "cooperative", "--seed", "9"]) == 0
    out = capsys.readouterr().out
    for text in (
        "Novel pneumonia",
        "3 runs with 'cooperative' bots, seeds 9..11",
        "Outcome",
        "total harm",
        "nobody acting",
        "waste",
        "mean trust",
        "Rounds per stage",
        "continuation",
        "Agencies:",
        "nhc",
        "Resurgence in 2 of 3 runs (67%)",  # seed 10: cooperation contained the variant
        "Cooperation changes the outcome in 3 of 3 runs",
    ):
        assert text in out, text


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, TYPHOON, "--runs", "2", "--bots", "selfish", "--seed", "4")
    assert d["scenario"] == "typhoon-two-provinces"
    assert d["policy"] == "selfish" and d["runs"] == 2 and d["seed"] == 4
    assert set(d["harm"]) == {"mean", "min", "max", "n", "p5", "p25", "p50", "p75", "p95"}
    assert set(d["stages"]) == {"gestation", "outbreak", "continuation", "recovery"}
    assert d["agency_figure"] in ("score", "reputation")
    assert "mem" in d["agencies"]
    assert {"harm", "harm_avoided", "changed_share", "less_harm_runs"} <= set(d["nobody_acting"])
    assert [r["seed"] for r in d["results"]] == [4, 5]
    assert isinstance(d["notes"], list)


def test_json_without_results(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(capsys, CHEMICAL, "--runs", "1", "--no-results")
    assert "results" not in d
    assert d["seed"] == 20251113


def test_cooperative_versus_selfish_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    coop = run_json(capsys, CHEMICAL, "--runs", "3", "--bots", "cooperative", "--seed", "1")
    selfish = run_json(capsys, CHEMICAL, "--runs", "3", "--bots", "selfish", "--seed", "1")
    assert coop["harm"]["mean"] < 0.75 * selfish["harm"]["mean"]


def test_workers_in_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    one = run_json(capsys, TYPHOON, "--runs", "4", "--seed", "2", "--workers", "1")
    two = run_json(capsys, TYPHOON, "--runs", "4", "--seed", "2", "--workers", "2")
    assert two["workers"] == 2
    assert one["results"] == two["results"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ([TYPHOON, "--runs", "0"], "--runs must be at least 1"),
        ([TYPHOON, "--runs", "1", "--workers", "0"], "--workers must be at least 1"),
        ([TYPHOON, "--runs", "1", "--bots", "greedy"], "unknown bot policy 'greedy'"),
        ([TYPHOON, "--runs", "1", "--bots", "mixed:ghost=selfish"], "unknown agency 'ghost'"),
        (["missing.toml", "--runs", "1"], "file not found"),
    ],
)
def test_user_errors(args: list[str], fragment: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", *args]) == 1
    captured = capsys.readouterr()
    assert "".join(fragment.split()) in "".join(captured.err.split())
    assert "Traceback" not in captured.out + captured.err


def test_invalid_scenario_lists_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        Path(TYPHOON).read_text(encoding="utf-8").replace('superior = "mem"', 'superior = "mme"', 1)
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "standard.toml").write_text(
        (ROOT / "rules" / "standard.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert main(["simulate", str(bad), "--runs", "1"]) == 1
    err = capsys.readouterr().err
    assert "unknown agency 'mme' (did you mean 'mem'?)" in err


def test_console_script_with_workers_in_a_subprocess() -> None:
    """Spawned workers must not re-run the CLI (python -m tabletop.cli has no main guard)."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tabletop.cli",
            "simulate",
            EPIDEMIC,
            "--runs",
            "4",
            "--bots",
            "selfish",
            "--workers",
            "2",
            "--json",
            "--no-results",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["runs"] == 4 and d["resurgence"]["runs"] == 4
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_progress_bar_in_a_terminal(
    workers: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from rich.console import Console

    import tabletop.cli

    screen = io.StringIO()
    fake = Console(file=screen, force_terminal=True, width=100, highlight=False)
    monkeypatch.setattr(tabletop.cli, "err_console", fake)
    args = ["simulate", TYPHOON, "--runs", "3", "--workers", workers, "--json", "--no-results"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["runs"] == 3
    assert "simulate" in screen.getvalue()
    assert "3/3" in screen.getvalue()


def test_facilitator_figures_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    d = run_json(
        capsys, EPIDEMIC, "--runs", "4", "--seed", "1", "--compare", "selfish", "--no-results"
    )
    assert set(d["injects"]) >= {"pneumonia_cluster", "imported_cluster", "whistleblower"}
    assert d["injects"]["pneumonia_cluster"] == 1.0
    o = d["objectives"]["joint_mechanism"]
    assert set(o["ratings"]) == {"P", "S", "M", "U"}
    assert sum(o["ratings"].values()) == pytest.approx(1.0)
    assert 0.0 <= o["achieved"] <= 1.0 and "mechanism" in o["tasks"]
    assert set(d["resurgence_from"]) == {"gestation", "outbreak", "continuation", "recovery"}
    assert d["agreements"]["active"]["mean"] > 0 and d["agreements"]["broken"]["max"] == 0
    c = d["comparison"]
    assert c["policy"] == "selfish" and c["commitments_broken"]["mean"] > 0
    low, high = c["harm_gap"]["ci95"]
    assert 0 < low <= c["harm_gap"]["mean"] <= high, "selfish play clearly causes more harm"
    assert c["score_gap"]["mean"] > 0
    never = [k for k, v in d["injects"].items() if v == 0]
    for inject in never:
        assert any(f"Inject '{inject}' never fired" in w for w in d["warnings"])
    for oid, obj in d["objectives"].items():
        for tid, task in obj["tasks"].items():
            said = any(f"'{tid}' of objective '{oid}'" in w for w in d["warnings"])
            assert said == (task["achieved"] == 0)


def test_balance_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "balance.html"
    code = main(["simulate", CHEMICAL, "--runs", "3", "--compare", "selfish", "-o", str(out)])
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") >= 6
    assert "http" not in html.replace("http-equiv", ""), "self-contained: no external URL"
    for text in ("Injects", "Objectives and critical tasks", "Negotiation", "'selfish' against"):
        assert text in html
    assert "Warning:" in capsys.readouterr().out


def test_balance_page_unwritable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["simulate", TYPHOON, "--runs", "1", "-o", str(tmp_path / "no" / "b.html")])
    assert code == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err


def test_unknown_compare_policy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", TYPHOON, "--runs", "1", "--compare", "greedy"]) == 1
    assert "unknown bot policy 'greedy'" in capsys.readouterr().err
