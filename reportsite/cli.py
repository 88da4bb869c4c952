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
    p.add_argument(
        "--serve",
        action="store_true",
        help="build, serve the site on 127.0.0.1 under its GitHub Pages sub-path, rebuild on every "
        "change and reload the open page",
    )
    p.add_argument(
        "--port", type=int, default=8000, help="port for --serve (default 8000; 0 picks a free one)"
    )
    return p


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    args = parser(root or Path.cwd()).parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.serve else logging.WARNING, format="%(message)s")
    out = args.out if args.out is not None else args.root / "site"
    if args.serve:
        return serve(args.root, out, args.port, args.strict)
    from .pipeline import build_site

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


def serve(root: Path, out: Path, port: int, strict: bool) -> int:
    """Run the live preview until Ctrl-C."""
    from .serve import PreviewServer

    try:
        server = PreviewServer(root, out, port=port, strict=strict)
    except OSError as exc:
        print(
            f"error: cannot serve on 127.0.0.1:{port}: {exc.strerror} (choose another --port)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    try:
        server.start()
        print(f"serving {server.url} — edits rebuild and reload the page; Ctrl-C stops", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        server.close()
    return EXIT_OK
