"""``tabletop new NAME``: write a valid, commented scenario to start from."""

from __future__ import annotations

import argparse
import os

from tabletop.cli import COMMANDS
from tabletop.errors import TabletopError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "new",
        help=COMMANDS["new"],
        description=(
            "Write NAME.toml: a four-stage scenario (standard rule pack) with regions, a "
            "hierarchy of agencies, injects and objectives, commented, that validates and "
            "plays to the end. Nothing is asked; an existing file is never overwritten."
        ),
    )
    p.add_argument("name", help="scenario name (the file is NAME.toml unless -o is given)")
    p.add_argument("--regions", type=int, default=3, metavar="N", help="regions (default 3)")
    p.add_argument(
        "--agencies",
        type=int,
        default=6,
        metavar="M",
        help="agencies: a ministry, then provinces and cities (default 6)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="file to write (default NAME.toml)")
    return p


def run(args: argparse.Namespace) -> int:
    """Write the scaffold; refuse to overwrite a file."""
    from tabletop.scaffold import scaffold, slug

    path = args.output or f"{slug(args.name)}.toml"
    try:
        text = scaffold(args.name, regions=args.regions, agencies=args.agencies, file=path)
    except ValueError as exc:
        raise TabletopError(str(exc)) from None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise TabletopError(f"{path}: already exists (choose another name or -o FILE)") from None
    except OSError as exc:
        raise TabletopError(f"{path}: cannot write ({exc.strerror})") from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {path}: check it with `tabletop validate {path}`", flush=True)
    return 0
