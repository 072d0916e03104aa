"""``tabletop report``: --plan, --feedback, PDF and CSV output (tabletop.cli.report)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from report_fixtures import DATA, fixed_clock

from tabletop.bots import parse_policies, play_to_end
from tabletop.cli import main
from tabletop.engine.exercise import Exercise
from tabletop.journal import Journal
from tabletop.loader import load_game


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with the scenario, its rule pack, a finished and an open journal."""
    root = tmp_path_factory.mktemp("proj")
    (root / "scenarios").mkdir()
    (root / "rules").mkdir()
    shutil.copy(DATA / "typhoon.toml", root / "scenarios" / "typhoon.toml")
    shutil.copy(DATA / "rules" / "standard.toml", root / "rules" / "standard.toml")
    (root / "journals").mkdir()
    game = load_game(root / "scenarios" / "typhoon.toml")
    ex = Exercise.new(game, root / "journals" / "done.tabletop", clock=fixed_clock)
    play_to_end(ex, parse_policies("mixed:county=selfish", game.order))
    ex.close()
    Exercise.new(game, root / "journals" / "open.tabletop", clock=fixed_clock).close()
    return root


@pytest.fixture
def journal(project: Path, tmp_path: Path) -> Path:
    """A copy of the finished journal (the tests append to it)."""
    path = tmp_path / "done.tabletop"
    shutil.copy(project / "journals" / "done.tabletop", path)
    return path


def report_json(journal: Path, *args: str) -> dict:
    out = journal.with_name("r.json")
    assert main(["report", str(journal), "-o", str(out), *args]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_plan_by_number_and_by_id(journal: Path, capsys) -> None:  # noqa: ANN001
    plan = report_json(journal)["plan"]
    second = plan[1]["id"]
    data = report_json(
        journal,
        "--plan",
        "1:owner=Haizhou EMO; poc=Li Wei;start=2026-12-01;due=2027-03-31;status=in progress",
        "--plan",
        f"{second}:status=complete",
    )
    rows = {p["id"]: p for p in data["plan"]}
    first = rows[plan[0]["id"]]
    assert (first["owner"], first["poc"], first["start"], first["due"], first["status"]) == (
        "Haizhou EMO",
        "Li Wei",
        "2026-12-01",
        "2027-03-31",
        "in_progress",
    )
    assert rows[second]["status"] == "complete"
    assert rows[second]["owner"] == plan[1]["owner"]  # untouched fields stay
    with Journal(journal) as j:
        kinds = [r.event.kind for r in j.read()[-2:]]
    assert kinds == ["plan_action_updated", "plan_action_updated"]
    # A later partial update merges with the earlier dates (due before start is refused).
    capsys.readouterr()
    assert main(["report", str(journal), "-f", "json", "--plan", "1:due=2026-11-01"]) == 1
    assert "before the start 2026-12-01" in capsys.readouterr().err


def test_feedback_is_journaled_and_reported(journal: Path) -> None:
    data = report_json(
        journal,
        "--feedback",
        "county:author=Wang, EOC;strengths=Sandbags ready;improvements=Report upward sooner;"
        "realism=4;preparedness=2",
    )
    (fb,) = data["feedback"]
    assert (fb["agency"], fb["author"], fb["ratings"]) == (
        "county",
        "Wang, EOC",
        {"preparedness": 2, "realism": 4},
    )
    assert data["feedback_means"]["realism"] == 4.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "99:status=open"], "the plan has rows 1 to"),
        (["--plan", "1:stat=open"], "unknown key 'stat' (did you mean 'start'?)"),
        (["--plan", "1:status=doing"], "status"),
        (["--plan", "1:due=next week"], "write YYYY-MM-DD"),
        (["--plan", "no.such.row:status=open"], "no improvement-plan action 'no.such.row'"),
        (["--plan", "nothing"], "write ID:KEY=VALUE;KEY=VALUE"),
        (["--feedback", "mme:realism=3"], "unknown agency 'mme' (did you mean 'mem'?)"),
        (["--feedback", "mem:realism=7"], "realism must be 1 to 5, not '7'"),
        (["--feedback", "mem:mood=happy"], "unknown key 'mood'"),
        # The second one is refused: neither is written.
        (["--feedback", "mem:realism=3", "--feedback", "mem:realism=0"], "1 to 5"),
        (["-f", "pdf"], "write it to a file with -o aar.pdf"),
    ],
)
def test_bad_evaluation_input_is_a_message_and_writes_nothing(
    journal: Path,
    args: list[str],
    message: str,
    capsys,  # noqa: ANN001
) -> None:
    with Journal(journal) as j:
        before = j.last_seq()
    assert main(["report", str(journal), *args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    with Journal(journal) as j:
        assert j.last_seq() == before


def test_evaluation_of_a_running_exercise_is_refused(project: Path, capsys) -> None:  # noqa: ANN001
    path = project / "journals" / "open.tabletop"
    assert main(["report", str(path), "--feedback", "mem:realism=3"]) == 1
    assert "end it first" in capsys.readouterr().err


def test_pdf_and_csv_follow_the_output_suffix(journal: Path, capsys) -> None:  # noqa: ANN001
    pdf = journal.with_name("aar.pdf")
    assert main(["report", str(journal), "-o", str(pdf)]) == 0
    assert f"wrote {pdf} (pdf)" in " ".join(capsys.readouterr().out.split())
    assert pdf.read_bytes().startswith(b"%PDF-")
    timeline = journal.with_name("timeline.csv")
    assert main(["report", str(journal), "-o", str(timeline)]) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(timeline.read_text(encoding="utf-8-sig"))))
    assert rows and {r["category"] for r in rows} >= {"decision", "inject", "stage"}
    # -f csv to standard output: no byte-order mark there.
    assert main(["report", str(journal), "-f", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("seq,at,round,stage,stage_title")
    assert len(out.splitlines()) == len(rows) + 1
