"""The command line takes a PostgreSQL URL wherever it takes a journal file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tabletop.cli import main
from tabletop.journal import open_journal

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = str(ROOT / "scenarios" / "typhoon-two-provinces.toml")


def test_run_replay_report_check_copy_and_export_on_a_url(pg_url, tmp_path, capsys) -> None:
    assert main(["run", DEFAULT, "--bots", "passive", "--journal", pg_url]) == 0
    assert f"journal: {pg_url}" in capsys.readouterr().out
    assert main(["replay", pg_url]) == 0
    assert main(["report", pg_url, "-o", str(tmp_path / "aar.md")]) == 0
    assert "After-Action Report" in (tmp_path / "aar.md").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["journal", "check", pg_url]) == 0
    out = capsys.readouterr().out
    assert "tamper evidence verified" in out and "journal intact" in out
    head = [line for line in out.splitlines() if "chain head" in line][0].split()[-1]
    file = tmp_path / "copy.tabletop"
    assert main(["journal", "copy", pg_url, str(file)]) == 0
    assert main(["journal", "export", pg_url, str(tmp_path / "export.tabletop")]) == 0
    capsys.readouterr()
    assert main(["journal", "check", str(file)]) == 0
    assert head in capsys.readouterr().out  # the same hash chain in the copy
    back = pg_url.split("?")[0]  # no exercise id: named after the file ("copy")
    assert main(["journal", "copy", str(file), back]) == 0
    with open_journal(f"{back}?exercise=copy") as a, open_journal(pg_url) as b:
        assert a.read() == b.read()
    # Never overwritten.
    assert main(["journal", "copy", str(file), back]) == 1
    assert "already exists" in capsys.readouterr().err


def test_a_url_without_exercise_names_a_new_one(pg_server, capsys) -> None:
    assert main(["run", DEFAULT, "--bots", "passive", "--journal", pg_server.url]) == 0
    out = capsys.readouterr().out
    assert "?exercise=typhoon-two-provinces-passive-" in out


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["replay", "postgresq://u@127.0.0.1/db"], "did you mean postgresql"),
        (["journal", "check", "postgresql://u:pw@127.0.0.1:1/db"], "cannot connect to PostgreSQL"),
        (["report", "postgresql://u:pw@127.0.0.1:1/db"], "cannot connect to PostgreSQL"),
    ],
)
def test_bad_urls_are_one_sentence(argv: list[str], said: str, capsys) -> None:
    assert main(argv) == 1
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert said in text and "Traceback" not in text and ":pw@" not in text
