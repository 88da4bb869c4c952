"""The benchmark's markdown: one table per section, each figure marked against its budget."""

from __future__ import annotations

import math
import os
import platform
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

MET, MISSED = "met", "**missed**"
BUDGET = {
    "cold": 8.0,
    "edit": 2.0,
    "page_kb": 100.0,
    "lighter": 5.0,
    "images_ms": 300.0,
    "live_ms": 1500.0,
    "performance": 0.98,
    "other_scores": 1.0,
}


def mark(ok: bool | None) -> str:
    return "–" if ok is None else MET if ok else MISSED


def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def kb(value: float) -> str:
    return f"{value / 1024:.1f}"


def ms(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 0 or math.isnan(value):
        return "failed"
    return f"{value:.0f}"


def machine() -> str:
    """The machine in words: CPU model, cores, memory, OS — nothing that names a path."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        total = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f", {total / 1024 / 1024:.0f} GB RAM"
    system = f"{platform.system()} {platform.release().split('-')[0]}"
    return f"{model or platform.machine()}, {cores} cores{memory}, {system}"


def chromium() -> str:
    try:
        done = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=30)
        return done.stdout.strip() or "Chromium"
    except OSError:
        return "no Chromium"


def load() -> str:
    """The 1-minute load average: other work on the machine skews every timing."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"


def header(runs: int, lighthouse_runs: int, sections: list[str]) -> str:
    lines = [
        f"Measured {date.today().isoformat()} on {machine()}; "
        f"Python {platform.python_version()}; {chromium()}; load average {load()} at the start.",
        f"Each figure is the median of {runs} run(s)"
        + (f" (Lighthouse: {lighthouse_runs})" if "lighthouse" in sections else "")
        + "; “naive” is the same pages with each chart saved by Altair's `chart.save()` and shown in an "
        'iframe, no cache; “floor” is a fresh `python -c "import pandas, altair"`.',
    ]
    return "\n".join(lines)


def build_table(figures: list[Any], runs: int) -> str:
    cold, noop, edit, series = figures
    floor = noop.median("floor")
    rows = [
        (cold, "≤ 8 s", _at_most(cold.median("ours"), BUDGET["cold"])),
        (noop, "≤ floor", _at_most(noop.median("ours"), floor)),
        (edit, "≤ 2 s", _at_most(edit.median("ours"), BUDGET["edit"])),
        (series, "", None),
    ]
    lines = [
        f"### Build (wall time of a fresh process, median of {runs})",
        "",
        "| figure | floor | naive | reportsite | budget | |",
        "|---|---:|---:|---:|---|---|",
    ]
    for figure, budget, ok in rows:
        name = figure.name + (f" ({figure.note})" if figure.note else "")
        lines.append(
            f"| {name} | {seconds(figure.median('floor'))} | {seconds(figure.median('naive'))} "
            f"| {seconds(figure.median('ours'))} | {budget} | {mark(ok)} |"
        )
    return "\n".join(lines)


def _at_most(value: float | None, limit: float | None) -> bool | None:
    return None if value is None or limit is None else value <= limit


def weight_table(pages: list[Any]) -> str:
    lines = [
        "### Page weight (KB of gzip transferred; the shared Vega bundle apart)",
        "",
        "First visit: an empty browser cache, the whole page read to the end. Second page: after "
        "another page of the site (its home page). The naive pages need their Vega libraries before "
        "any chart shows; ours show static images first and load the bundle for the charts in view. "
        "Budget: ≤ 100 KB, and a page with charts ≥ 5× lighter than the naive page with its libraries.",
        "",
        "| page | charts | first visit | second page | naive first visit | naive + its Vega libraries "
        "| lighter than naive | budget |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for p in pages:
        naive_total = p.naive_first + p.naive_libraries
        ratio = naive_total / p.first_visit if p.first_visit and p.naive_first and p.charts else None
        ok = p.first_visit <= BUDGET["page_kb"] * 1024 and (ratio is None or ratio >= BUDGET["lighter"])
        lines.append(
            f"| {p.page} | {p.charts} | {kb(p.first_visit)} | {kb(p.second_page)} "
            f"| {kb(p.naive_first) if p.naive_first else '–'} "
            f"| {kb(naive_total) if p.naive_first else '–'} "
            f"| {f'{ratio:.1f}×' if ratio else '–'} | {mark(ok)} |"
        )
    bundle = max((p.bundle for p in pages), default=0)
    libraries = max((p.naive_libraries for p in pages), default=0)
    lines.append(
        f"| *shared Vega bundle (once, cached across pages)* | | {kb(bundle)} | 0.0 | | {kb(libraries)} | | |"
    )
    return "\n".join(lines)


def browser_table(pages: list[Any], runs: int, naive: bool) -> str:
    lines = [
        f"### Browser (Chromium on localhost, ms after navigation, median of {runs})",
        "",
        "First paint: the page at its top in a 1280 × 900 window. Static images: each chart opened "
        "at its permalink in that window, until its picture is on screen; the slowest chart. "
        "Interactive: the window as tall as the page, so every chart is in view and turns live. "
        "Budget: static images ≤ 300 ms, every chart interactive ≤ 1.5 s.",
        "",
        "| page | charts | first paint | static images visible | all charts interactive "
        + ("| naive: charts drawn " if naive else "")
        + "| budget |",
        "|---|---:|---:|---:|---:|" + ("---:|" if naive else "") + "---|",
    ]
    for p in pages:
        if not p.charts:
            continue
        images, live = p.median("images_ms"), p.median("live_ms")
        ok = None
        if images is not None and live is not None:
            ok = 0 <= images <= BUDGET["images_ms"] and 0 <= live <= BUDGET["live_ms"]
        naive_cell = f"| {ms(p.median('naive_ms'))} " if naive else ""
        paint = ms(p.median("paint_ms"))
        lines.append(
            f"| {p.page} | {p.charts} | {paint} | {ms(images)} | {ms(live)} {naive_cell}| {mark(ok)} |"
        )
    return "\n".join(lines)


def lighthouse_table(scores: list[Any], runs: int) -> str:
    lines = [
        f"### Lighthouse 12.2.3, mobile (median of {runs})",
        "",
        "Budget: performance ≥ 98; accessibility, best practices and SEO 100.",
        "",
        "| page | performance | accessibility | best practices | SEO | LCP | TBT | CLS | budget "
        "| audits below 100 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for s in scores:
        cells = [s.median(c) for c in ("performance", "accessibility", "best-practices", "seo")]
        ok = None
        if None not in cells:
            ok = cells[0] >= BUDGET["performance"] and all(c >= BUDGET["other_scores"] for c in cells[1:])
        shown = " | ".join("–" if c is None else f"{c * 100:.0f}" for c in cells)
        lcp, tbt, cls = s.metric("LCP"), s.metric("TBT"), s.metric("CLS")
        metrics = (
            f"{lcp / 1000:.1f} s | {tbt:.0f} ms | {cls:.3f}" if None not in (lcp, tbt, cls) else "– | – | –"
        )
        lines.append(f"| {s.page} | {shown} | {metrics} | {mark(ok)} | {', '.join(s.failed) or '–'} |")
    return "\n".join(lines)


def refresh_table(r: Any) -> str:
    unchanged_ok = r.median("unchanged_requests") == r.series and r.median("unchanged_observations") == 0
    return "\n".join(
        [
            f"### Refresh from a local FRED-compatible server ({r.series} series)",
            "",
            "| refresh | requests | observation downloads | seconds (refresh + rebuild) | budget | |",
            "|---|---:|---:|---:|---|---|",
            f"| nothing changed | {r.median('unchanged_requests'):.0f} "
            f"| {r.median('unchanged_observations'):.0f} "
            f"| {seconds(r.median('unchanged_seconds'))} | one request per series, no observations "
            f"| {mark(unchanged_ok)} |",
            f"| one series ({r.changed_series}) has a new observation | {r.median('one_new_requests'):.0f} "
            f"| {r.median('one_new_observations'):.0f} | {seconds(r.median('one_new_seconds'))} | | – |",
        ]
    )


def footer() -> str:
    return f"Load average {load()} at the end."


def not_available(title: str, reason: str) -> str:
    return f"### {title}\n\nNot available: {reason}."
