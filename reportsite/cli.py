"""The command line: parse arguments, run the build, print one summary line, exit with a code.

Exit 0 on success, 1 on a build error, 2 on bad usage (a missing, unreadable or
rejected FRED API key included), 3 when `--refresh` could not refresh every series:
those keep their last good data, are marked stale, and the site is still built.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BuildError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_STALE = 0, 1, 2, 3

if TYPE_CHECKING:  # fred.py loads fredapi, which a plain build does not need
    from .fred import FredClient
    from .refresh import RefreshResult, SeriesResult

ClientFactory = Callable[..., "FredClient"]


def parser(root: Path) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py",
        description="Build the report site from content/, data/ and templates/ into a static folder. "
        "Offline and deterministic: only data/ is read, unless --refresh asks FRED for new data first.",
        epilog="Exit status: 0 built, 1 build error, 2 usage or API key problem, "
        "3 built but some series could not be refreshed (kept, marked stale).",
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
        "--refresh",
        action="store_true",
        help="first fetch what is new for every series from FRED into data/, then build; "
        "needs a free FRED API key in FRED_API_KEY or --api-key-file "
        "(FRED_API_URL overrides the API address)",
    )
    p.add_argument(
        "--api-key-file", type=Path, metavar="FILE", help="read the FRED API key from FILE's first line"
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="build everything from scratch: no render cache, no skipping an unchanged build",
    )
    return p


def main(
    argv: list[str] | None = None, root: Path | None = None, *, client: ClientFactory | None = None
) -> int:
    """Run the command line; `client` makes the FRED client (tests inject one)."""
    p = parser(root or Path.cwd())
    args = p.parse_args(argv)
    if args.api_key_file is not None and not args.refresh:
        p.error("--api-key-file is only used with --refresh")
    logging.basicConfig(level=logging.INFO if args.serve else logging.WARNING, format="%(message)s")
    out = args.out if args.out is not None else args.root / "site"
    if args.serve and args.refresh:
        p.error("--serve previews the data in data/; run --refresh on its own first")
    if args.serve and args.no_cache:
        p.error("--no-cache is for a single build; --serve always reuses unchanged chart renders")
    if args.serve:
        return serve(args.root, out, args.port, args.strict)
    refreshed, told = EXIT_OK, set[str]()
    if args.refresh:
        refreshed, told = refresh(args.root, args.api_key_file, client)
        if refreshed not in (EXIT_OK, EXIT_STALE):
            return refreshed
        if args.strict and (told or refreshed == EXIT_STALE):
            print("error: --strict and the refresh failed or warned: not building", file=sys.stderr)
            return EXIT_ERROR
    inputs = None
    if not args.no_cache:  # nothing changed and site/ as written: done, before importing anything heavy
        from .incremental import fingerprint, up_to_date

        inputs = fingerprint(args.root, out)
        stamp = up_to_date(inputs, out, args.strict)
        if stamp is not None:
            code = report_up_to_date(stamp.summary, [w for w in stamp.warnings if w not in told], out)
            return refreshed if code == EXIT_OK else code
    from .cache import RenderCache
    from .pipeline import build_site

    try:
        cache = None if args.no_cache else RenderCache()
        result = build_site(args.root, out, strict=args.strict, cache=cache)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    for warning in result.warnings:
        if warning not in told:
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
    return refreshed


def report_up_to_date(summary: dict[str, object], warnings: list[str], out: Path) -> int:
    """The summary line of a build that had nothing to do (its warnings are still shown)."""
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"up to date: {summary.get('pages')} pages, {summary.get('charts')} charts, "
        f"{summary.get('series')} series; data as of {summary.get('as_of')}; nothing changed -> {out}"
    )
    return EXIT_OK


def refresh(root: Path, key_file: Path | None, client: ClientFactory | None) -> tuple[int, set[str]]:
    """Refresh data/ from FRED, printing a line per series and a summary.

    Returns the exit code so far and the warnings already printed.
    """
    from .fred import DEFAULT_URL, FredClient, FredError, KeyRejected, check_key
    from .refresh import refresh_data

    try:
        key = check_key(read_key(key_file))
        fred = (client or FredClient)(key, base_url=os.environ.get("FRED_API_URL") or DEFAULT_URL)
    except FredError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE, set()
    print(f"refreshing from {fred.base_url}", flush=True)
    try:
        result = refresh_data(root / "data", fred, report=print_series)
    except KeyRejected as exc:
        print(f"error: FRED did not accept the API key, nothing was changed ({exc})", file=sys.stderr)
        return EXIT_USAGE, set()
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR, set()
    print_summary(result)
    return (EXIT_STALE if result.failed else EXIT_OK), set(result.warnings)


def read_key(key_file: Path | None) -> str | None:
    """The key from `key_file` (first line) if given, else from FRED_API_KEY."""
    if key_file is None:
        return os.environ.get("FRED_API_KEY")
    from .fred import KeyRejected

    try:
        lines = key_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problem = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise KeyRejected(f"cannot read the API key file {key_file}: {problem}", kind="key") from None
    return lines[0] if lines else None


def print_series(result: SeriesResult) -> None:
    if result.status == "failed":
        what = f"failed: {result.reason}"
    elif result.new or result.revised:
        what = f"new {result.new}, revised {result.revised}"
    else:
        what = "unchanged"
    print(f"  {result.series_id:<14} {what}", flush=True)


def print_summary(result: RefreshResult) -> None:
    total, failed = len(result.series), len(result.failed)
    stale = f"; {failed} failed, kept as they were and marked stale" if failed else ""
    print(
        f"refreshed {total - failed} of {total} series{stale}; "
        f"{result.requests} requests, {result.seconds:.1f} s"
    )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)


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
