"""``tabletop msel export|import``: the MSEL as a CSV or Excel sheet."""

from __future__ import annotations

import argparse

from tabletop.cli import COMMANDS


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand and its two actions."""
    p = sub.add_parser(
        "msel",
        help=COMMANDS["msel"],
        description=(
            "Export a scenario's injects as a Master Scenario Events List (one row per inject: "
            "id, stage, round, condition, to, type, title, text, expected actions, deadline, "
            "objective) or merge an edited sheet back into the scenario, keeping its comments "
            "and layout."
        ),
    )
    actions = p.add_subparsers(dest="msel_action", metavar="ACTION", required=True)
    ex = actions.add_parser("export", help="write the MSEL of SCENARIO to a .csv or .xlsx file")
    ex.add_argument("scenario", help="scenario TOML file")
    ex.add_argument("-o", "--output", required=True, metavar="FILE", help="msel.csv or msel.xlsx")
    im = actions.add_parser("import", help="merge an edited .csv or .xlsx sheet into SCENARIO")
    im.add_argument("sheet", help="msel.csv or msel.xlsx")
    im.add_argument("--into", required=True, metavar="SCENARIO", help="scenario TOML file")
    return p


def run(args: argparse.Namespace) -> int:
    """Export or import."""
    from tabletop.msel import export_msel, import_msel

    if args.msel_action == "export":
        n = export_msel(args.scenario, args.output)
        print(f"wrote {args.output}: {n} inject(s)", flush=True)
        return 0
    n, changed = import_msel(args.sheet, args.into)
    if changed:
        print(f"merged {n} row(s) of {args.sheet} into {args.into}", flush=True)
    else:
        print(f"{args.into}: unchanged ({n} row(s) match the scenario)", flush=True)
    return 0
