"""The performance benchmark: reportsite against the floor and the naive approach, as a markdown table.

    python benchmarks/run.py                 # everything, 5 runs (Lighthouse: 3)
    python benchmarks/run.py --quick         # build figures only, 1 run
    python benchmarks/run.py --only build,pages --runs 3 --root tests/fixtures/minisite

Progress goes to stderr, the table to stdout. Nothing in the project is
changed: every build runs on a temporary copy with its own cache. See the
README's "Performance" section for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tomllib
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

import buildbench
import report

SECTIONS = ("build", "pages", "lighthouse", "refresh")


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--root", type=Path, default=buildbench.REPO, help="the project to measure (default: this one)"
    )
    p.add_argument(
        "--runs", type=int, default=5, help="runs per figure; each figure is their median (default 5)"
    )
    p.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page (default 3)")
    p.add_argument("--only", default=",".join(SECTIONS), help=f"sections to run, of {','.join(SECTIONS)}")
    p.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    p.add_argument("--quick", action="store_true", help="one run of the build figures only (a smoke test)")
    p.add_argument("--json", type=Path, help="also write the raw measurements to this file")
    args = p.parse_args(argv)
    if args.quick:
        args.runs, args.only = 1, "build"
    args.sections = [s for s in args.only.split(",") if s]
    unknown = sorted(set(args.sections) - set(SECTIONS))
    if unknown:
        p.error(f"unknown section(s): {', '.join(unknown)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    source = args.root.resolve()
    naive = not args.no_naive
    tables = [report.header(args.runs, args.lighthouse_runs, args.sections)]
    figures, project = buildbench.measure_builds(source, args.runs if "build" in args.sections else 0, naive)
    raw: dict[str, object] = {}
    try:
        if "build" in args.sections:
            tables.append(report.build_table(figures, args.runs))
            raw["build"] = [asdict(f) for f in figures]
        if {"pages", "lighthouse"} & set(args.sections):
            clean = buildbench.fresh_sites(project, source, naive)
            prefix = sub_path(clean.root)
            if "pages" in args.sections:
                tables += guarded(
                    "Page weight and browser", lambda: pages_section(clean, naive, args.runs, prefix, raw)
                )
            if "lighthouse" in args.sections:
                run = lambda: [lighthouse_section(clean.site, args.lighthouse_runs, prefix, raw)]  # noqa: E731
                tables += guarded("Lighthouse 12.2.3, mobile", run)
        if "refresh" in args.sections:
            run = lambda: [refresh_section(project, args.runs, raw)]  # noqa: E731
            tables += guarded("Refresh from a local FRED-compatible server", run)
    finally:
        shutil.rmtree(project.work, ignore_errors=True)
    tables.append(report.footer())
    print("\n\n".join(tables))
    if args.json:
        args.json.write_text(json.dumps(raw, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


def sub_path(root: Path) -> str:
    """The path GitHub Pages serves the site under, from base_url; "/" without one."""
    settings = tomllib.loads((root / "content" / "_site.toml").read_text(encoding="utf-8"))
    path = urlsplit(str(settings.get("base_url", ""))).path or "/"
    return path if path.endswith("/") else path + "/"


def guarded(title: str, section: Callable[[], list[str]]) -> list[str]:
    """A section's tables, or one line saying why it could not be measured (the rest still runs)."""
    try:
        return section()
    except (SystemExit, Exception) as exc:  # report it and keep the other sections
        buildbench.log(f"{title}: {exc}")
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return [report.not_available(title, f"the measurement failed ({first})")]


def pages_section(
    clean: buildbench.Project, naive: bool, runs: int, prefix: str, raw: dict[str, object]
) -> list[str]:
    import webbench

    pages = webbench.measure_pages(clean.site, clean.naive_site if naive else None, runs, prefix)
    raw["pages"] = [asdict(p) for p in pages]
    return [report.weight_table(pages), report.browser_table(pages, runs, naive)]


def lighthouse_section(site: Path, runs: int, prefix: str, raw: dict[str, object]) -> str:
    import lighthouse
    import webbench

    missing = lighthouse.available()
    if missing:
        return report.not_available("Lighthouse 12.2.3, mobile", missing)
    scores = lighthouse.measure(site, webbench.pages_of(site), runs, prefix)
    raw["lighthouse"] = [asdict(s) for s in scores]
    return report.lighthouse_table(scores, runs)


def refresh_section(project: buildbench.Project, runs: int, raw: dict[str, object]) -> str:
    import refreshbench

    missing = refreshbench.available(project)
    if missing:
        return report.not_available("Refresh from a local FRED-compatible server", missing)
    series_id = buildbench.pick_series(project)[0]
    measured = refreshbench.measure(project, series_id, max(runs, 1))
    raw["refresh"] = asdict(measured)
    return report.refresh_table(measured)


if __name__ == "__main__":
    sys.exit(main())
