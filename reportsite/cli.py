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
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="build everything from scratch: no render cache, no skipping an unchanged build",
    )
    return p


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    p = parser(root or Path.cwd())
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.serve else logging.WARNING, format="%(message)s")
    out = args.out if args.out is not None else args.root / "site"
    if args.serve and args.no_cache:
        p.error("--no-cache is for a single build; --serve always reuses unchanged chart renders")
    if args.serve:
        return serve(args.root, out, args.port, args.strict)
    inputs = None
    if not args.no_cache:  # nothing changed and site/ as written: done, before importing anything heavy
        from .incremental import fingerprint, up_to_date

        inputs = fingerprint(args.root, out)
        stamp = up_to_date(inputs, out, args.strict)
        if stamp is not None:
            return report_up_to_date(stamp.summary, stamp.warnings, out)
    from .cache import RenderCache
    from .pipeline import build_site

    try:
        cache = None if args.no_cache else RenderCache()
        result = build_site(args.root, out, strict=args.strict, cache=cache)
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
    if inputs is not None and cache is not None:
        from .incremental import record

        summary = {"pages": result.pages, "charts": result.charts, "series": result.series, "as_of": as_of}
        record(inputs, out, summary, result.warnings)
        cache.prune()
    return EXIT_OK


def report_up_to_date(summary: dict[str, object], warnings: list[str], out: Path) -> int:
    """The summary line of a build that had nothing to do (its warnings are still shown)."""
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"up to date: {summary.get('pages')} pages, {summary.get('charts')} charts, "
        f"{summary.get('series')} series; data as of {summary.get('as_of')}; nothing changed -> {out}"
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
