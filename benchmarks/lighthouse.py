"""Lighthouse 12.2.3 (pinned in benchmarks/package.json) mobile scores for every page.

Lighthouse's defaults are its mobile profile: a phone-sized screen, a slow 4G
network and a 4× slower CPU, simulated. It drives Debian Chromium
(CHROME_PATH=/usr/bin/chromium) against the site served like GitHub Pages.
Installed on first use with `npm ci --prefix benchmarks` (npm's registry only).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pages_server import PagesServer
from webbench import CHROMIUM, CHROMIUM_ARGS

HERE = Path(__file__).resolve().parent
BINARY = HERE / "node_modules" / ".bin" / "lighthouse"
VERSION = "12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Scores:
    page: str
    runs: list[dict[str, float]] = field(default_factory=list)
    metrics: list[dict[str, float]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # audits below 1 in a scored category, last run

    def median(self, category: str) -> float | None:
        values = [r[category] for r in self.runs if r.get(category) is not None]
        return statistics.median(values) if values else None

    def metric(self, name: str) -> float | None:
        values = [m[name] for m in self.metrics if name in m]
        return statistics.median(values) if values else None


def available() -> str | None:
    """None if Lighthouse can run, else why not (after trying to install it)."""
    if not BINARY.exists():
        log("lighthouse: installing the pinned version with npm ci --prefix benchmarks")
        done = subprocess.run(
            ["npm", "ci", "--prefix", str(HERE), "--no-audit", "--no-fund"], capture_output=True
        )
        if done.returncode != 0 or not BINARY.exists():
            return "Lighthouse could not be installed (npm ci --prefix benchmarks failed)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}"
    return None


def measure(site: Path, pages: list[str], runs: int, prefix: str = "/") -> list[Scores]:
    results = [Scores(page) for page in pages]
    with PagesServer(site, prefix=prefix) as server, tempfile.TemporaryDirectory() as work:
        for scores in results:
            for run in range(runs):
                log(f"lighthouse: {scores.page} (run {run + 1} of {runs})")
                report = _run(server.url + scores.page, Path(work) / "report.json")
                scores.runs.append({c: report["categories"][c]["score"] for c in CATEGORIES})
                scores.metrics.append(
                    {short: report["audits"][audit]["numericValue"] for audit, short in METRICS.items()}
                )
                scores.failed = _failed_audits(report)
    return results


def _run(url: str, output: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    args = [
        str(BINARY),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS),
    ]
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0 or not output.exists():
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report: dict = json.loads(output.read_text(encoding="utf-8"))
    if report.get("lighthouseVersion") != VERSION:
        raise SystemExit(f"expected Lighthouse {VERSION}, ran {report.get('lighthouseVersion')}")
    return report


def _failed_audits(report: dict) -> list[str]:
    failed = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit.get("score") is not None and audit["score"] < 1:
                failed.append(ref["id"])
    return sorted(set(failed))
