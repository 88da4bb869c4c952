"""The command line: parse arguments, run the build, print one summary line, exit with a code.

Exit 0 on success, 1 on a build error, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .errors import BuildError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def parser(root: Path) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py",
        description="Build the report site from content/, data/ and templates/ into a static folder. "
        "Offline and deterministic: only data/ is read.",
    )
    p.add_argument("--root", type=Path, default=root, help="project folder (default: the folder of build.py)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: ROOT/site)")
    p.add_argument("--strict", action="store_true", help="fail the build on any warning")
    return p


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    args = parser(root or Path.cwd()).parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    from .pipeline import build_site

    out = args.out if args.out is not None else args.root / "site"
    try:
        result = build_site(args.root, out, strict=args.strict)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    as_of = result.data_as_of.isoformat() if result.data_as_of else "no data"
    print(
        f"built {result.pages} pages, {result.charts} charts, {result.series} series; "
        f"data as of {as_of}; {result.seconds:.1f} s -> {result.out}"
    )
    return EXIT_OK
