"""Shared by the refresh tests: the fixture project, a fake FRED serving it, a fake clock."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fred_server import KEY, FakeFred, FakeSeries, Reply, fred_rows

from reportsite.data import SeriesInfo, load_registry
from reportsite.fred import FredClient, Policy
from reportsite.refresh import RefreshResult, SeriesResult, refresh_data

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "refresh"
NOW = datetime(2026, 10, 9, 14, 30, tzinfo=UTC)
FREQUENCY = {"weekly": "Weekly, Ending Wednesday", "daily": "Daily"}
SCALE = {"millions": "Millions of ", "billions": "Billions of ", "units": ""}


def copy_project(target: Path) -> Path:
    """The refresh fixture (3 short series, registry, manifests, two pages) with the real templates."""
    shutil.copytree(FIXTURE, target)
    shutil.copytree(ROOT / "templates", target / "templates")
    return target


def fred_units(info: SeriesInfo) -> str:
    return {"percent": "Percent", "index": "Index"}.get(info.units) or SCALE[info.scale] + "U.S. Dollars"


@contextmanager
def serving(project: Path) -> Iterator[FakeFred]:
    """A fake FRED holding exactly the project's series, with matching metadata.

    Requests to it bypass any proxy set in the environment (urllib reads no_proxy per request).
    """
    with FakeFred() as fred, pytest.MonkeyPatch.context() as env:
        env.setenv("no_proxy", "127.0.0.1")
        env.setenv("NO_PROXY", "127.0.0.1")
        data = project / "data"
        for sid, info in load_registry(data / "series.toml").items():
            rows = fred_rows(data / "fred" / f"{sid}.csv")
            fred.series[sid] = FakeSeries(
                sid, info.fred_title, fred_units(info), FREQUENCY[info.frequency], rows
            )
        yield fred


class FakeTime:
    """A monotonic clock that only sleeping moves: retries and rate limits cost no real time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_client(url: str, time: FakeTime, key: str = KEY, **policy: Any) -> FredClient:
    return FredClient(
        key,
        base_url=url,
        policy=Policy(**{"timeout": 0.5, **policy}),
        clock=time.clock,
        sleep=time.sleep,
        jitter=lambda: 0.5,
    )


def data_files(project: Path) -> dict[str, bytes]:
    files = sorted(p for p in (project / "data").rglob("*") if p.is_file())
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in files}


def assert_key_nowhere(
    root: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, key: str = KEY
) -> None:
    """The key is in no captured output, no log record (message, arguments, traceback), no file."""
    captured = capsys.readouterr()
    assert key not in captured.out + captured.err
    formatter = logging.Formatter()
    for record in caplog.records:
        assert key not in formatter.format(record)
        assert key not in repr(record.args)
    for path in root.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def refresh(project: Path, client: FredClient, now: Callable[[], datetime] = lambda: NOW) -> RefreshResult:
    """Refresh the project's data/ with the time stamped into manifests fixed."""
    return refresh_data(project / "data", client, now=now)


def outcome(result: RefreshResult, series_id: str) -> SeriesResult:
    return next(r for r in result.series if r.series_id == series_id)


def manifest(project: Path, series_id: str) -> dict[str, Any]:
    return json.loads((project / "data" / "fred" / f"{series_id}.json").read_text())


def stale_on(fred: FakeFred, series_id: str, endpoint: str, reply: Reply, times: int = 8) -> None:
    """Answer the series' next `times` requests at `endpoint` with `reply`."""
    fred.queue(series_id, endpoint, *[reply] * times)
