"""Refresh against the local FRED-compatible server of the tests (tests/fred_server.py).

The fake FRED holds exactly the project's series. One priming refresh records
FRED's last-updated stamps; then a refresh when nothing changed, and one after
a single series got a new observation: requests made (by endpoint) and seconds
for `python build.py --refresh` (the refresh and the rebuild that follows it).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from buildbench import REPO, Project, log

SERVER = REPO / "tests" / "fred_server.py"


@dataclass
class RefreshFigures:
    series: int = 0
    unchanged_requests: list[int] = field(default_factory=list)
    unchanged_observations: list[int] = field(default_factory=list)
    unchanged_seconds: list[float] = field(default_factory=list)
    one_new_requests: list[int] = field(default_factory=list)
    one_new_observations: list[int] = field(default_factory=list)
    one_new_seconds: list[float] = field(default_factory=list)
    changed_series: str = ""

    def median(self, name: str) -> float | None:
        values = getattr(self, name)
        return statistics.median(values) if values else None


def available(project: Project) -> str | None:
    """None if this tree can refresh from a local FRED, else why not."""
    if not SERVER.is_file():
        return "tests/fred_server.py is not in this tree"
    done = subprocess.run(
        [sys.executable, "build.py", "--help"],
        env=project.env,
        cwd=project.root,
        capture_output=True,
        text=True,
    )
    if "--refresh" not in done.stdout:
        return "build.py has no --refresh in this tree"
    return None


def measure(project: Project, series_id: str, runs: int) -> RefreshFigures:
    sys.path.insert(0, str(SERVER.parent))
    from fred_server import KEY, FakeFred, FakeSeries, fred_rows

    from reportsite.data import load_registry

    figures = RefreshFigures(changed_series=series_id)
    data = project.root / "data"
    with FakeFred() as fred:
        for sid, info in load_registry(data / "series.toml").items():
            scale = {"millions": "Millions of ", "billions": "Billions of "}.get(info.scale, "")
            units = {"percent": "Percent", "index": "Index"}.get(info.units) or scale + "U.S. Dollars"
            frequency = "Daily" if info.frequency == "daily" else "Weekly, Ending Wednesday"
            fred.series[sid] = FakeSeries(
                sid, info.fred_title, units, frequency, fred_rows(data / "fred" / f"{sid}.csv")
            )
        figures.series = len(fred.series)
        env = {**project.env, "FRED_API_KEY": KEY, "FRED_API_URL": fred.url, "NO_PROXY": "127.0.0.1"}
        env["no_proxy"] = "127.0.0.1"
        _refresh(project, env)  # priming: records FRED's stamps in the manifests
        for run in range(runs):
            log(f"refresh: run {run + 1} of {runs}")
            requests, observations, seconds = _counted(fred, project, env)
            figures.unchanged_requests.append(requests)
            figures.unchanged_observations.append(observations)
            figures.unchanged_seconds.append(seconds)
            _add_observation(fred.series[series_id], run)
            requests, observations, seconds = _counted(fred, project, env)
            figures.one_new_requests.append(requests)
            figures.one_new_observations.append(observations)
            figures.one_new_seconds.append(seconds)
    return figures


def _counted(fred: Any, project: Project, env: dict[str, str]) -> tuple[int, int, float]:
    fred.requests.clear()
    seconds = _refresh(project, env)
    observations = sum(1 for endpoint, _ in fred.requests if endpoint == "observations")
    return len(fred.requests), observations, seconds


def _refresh(project: Project, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "build.py", "--refresh", "--out", str(project.site)],
        env=env,
        cwd=project.root,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"build.py --refresh exited with {done.returncode}: {reason}")
    return time.perf_counter() - started


def _add_observation(series: Any, run: int) -> None:
    """A new observation a week after the newest one, and a new last-updated stamp."""
    last_day, last_value = series.rows[-1]
    step = timedelta(days=1 if series.frequency == "Daily" else 7)
    series.rows.append(((date.fromisoformat(last_day) + step).isoformat(), last_value))
    series.last_updated = f"2030-01-{run + 1:02d} 07:47:03-05"
