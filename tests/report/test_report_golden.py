"""Golden JSON report of a deterministic cooperative run (regenerate with
``TABLETOP_UPDATE_GOLDEN=1 python -m pytest tests/report``)."""

from __future__ import annotations

import json
import os

from report_fixtures import GOLDEN, played, typhoon

from tabletop.report import SCHEMA_VERSION, build_report, render


def test_json_report_matches_the_golden_file() -> None:
    text = render(build_report(typhoon(), played("cooperative")), "json")
    if os.environ.get("TABLETOP_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "the JSON report changed; if intended, regenerate the golden file with "
        "TABLETOP_UPDATE_GOLDEN=1 and document the change in docs/report-json.md"
    )


def test_json_report_is_stable_and_sorted() -> None:
    records = played("cooperative")
    a = render(build_report(typhoon(), list(records)), "json")
    b = render(build_report(typhoon(), list(records)), "json")
    assert a == b
    data = json.loads(a)
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n" == a

    def floats(x: object) -> list[float]:
        if isinstance(x, float):
            return [x]
        if isinstance(x, dict):
            return [f for v in x.values() for f in floats(v)]
        if isinstance(x, list):
            return [f for v in x for f in floats(v)]
        return []

    assert all(round(f, 4) == f for f in floats(data))
    assert "decision_id" not in a and "scenario_path" not in a


def test_json_report_reads_back_into_the_model() -> None:
    from tabletop.report import Report

    report = build_report(typhoon(), played("cooperative"))
    again = Report.model_validate_json(render(report, "json"))
    assert render(again, "json") == render(report, "json")
