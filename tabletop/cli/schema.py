"""``tabletop schema``: write JSON Schema of scenarios and rule packs for editors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tabletop.cli import COMMANDS
from tabletop.errors import TabletopError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser("schema", help=COMMANDS["schema"])
    p.add_argument("--out", default="schema", help="output folder (default: ./schema)")
    return p


def schemas() -> dict[str, dict]:
    """JSON Schema per file kind."""
    from tabletop.model.rules import RulePack
    from tabletop.model.scenario import Scenario

    return {
        "scenario.schema.json": Scenario.model_json_schema(),
        "rules.schema.json": RulePack.model_json_schema(),
    }


def run(args: argparse.Namespace) -> int:
    """Write the schema files."""
    from tabletop.cli import console

    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas().items():
            (out / name).write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
            console.print(f"wrote {out / name}", markup=False)
    except OSError as exc:
        raise TabletopError(f"cannot write schema to {out}: {exc}") from exc
    return 0
