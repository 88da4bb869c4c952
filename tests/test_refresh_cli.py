"""`build.py --refresh`: the key, exit codes, progress lines, stale notices on the page, end to end."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fred_server import KEY, FakeFred, Reply
from refresh_support import (
    NOW,
    ROOT,
    FakeTime,
    assert_key_nowhere,
    copy_project,
    data_files,
    make_client,
    serving,
)

import reportsite.refresh as refresh_module
from reportsite.cli import EXIT_ERROR, EXIT_OK, EXIT_STALE, EXIT_USAGE, main
from reportsite.values import format_date


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def fred(project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFred]:
    with serving(project) as server:
        monkeypatch.setenv("FRED_API_URL", server.url)
        monkeypatch.setenv("FRED_API_KEY", KEY)
        yield server


def run(project: Path, *args: str, now: datetime = NOW) -> int:
    """The CLI in-process at time `now`, with a client whose retries and limits cost no real time."""
    fake = FakeTime()

    def client(key: str, base_url: str) -> Any:
        return make_client(base_url, fake, key=key)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(refresh_module, "utc_now", lambda: now)
        return main(["--root", str(project), *args], client=client)


def test_without_a_key_nothing_changes(project: Path, monkeypatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    before = data_files(project)

    code = run(project, "--refresh")

    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert "a refresh needs a free FRED API key: get one at https://fredaccount.stlouisfed.org/apikeys" in err
    assert data_files(project) == before and not (project / "site").exists()


def test_an_unreadable_key_file_is_named(project: Path, capsys: pytest.CaptureFixture[str]):
    code = run(project, "--refresh", "--api-key-file", str(project / "no-such-key"))
    assert code == EXIT_USAGE
    assert "cannot read the API key file" in capsys.readouterr().err


def test_key_file_without_refresh_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_:
        run(project, "--api-key-file", "key.txt")
    assert exit_.value.code == EXIT_USAGE
    assert "--api-key-file is only used with --refresh" in capsys.readouterr().err


def test_key_file_is_read_and_a_refresh_builds_the_site(
    project: Path, fred: FakeFred, monkeypatch, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog
):
    caplog.set_level(logging.DEBUG)
    monkeypatch.delenv("FRED_API_KEY")
    key_file = tmp_path / "fred.key"
    key_file.write_text(KEY + "\n")
    fred.series["WRESBAL"].rows.append(("2026-10-14", "3012345"))

    code = run(project, "--refresh", "--api-key-file", str(key_file))

    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert f"refreshing from {fred.url}\n" in out
    assert (
        "  SOFR           unchanged\n  WALCL          unchanged\n  WRESBAL        new 1, revised 0\n" in out
    )
    assert "refreshed 3 of 3 series; 6 requests, " in out
    assert "Observed to 14 October 2026" in (project / "site" / "reserves.html").read_text()
    key_file.unlink()
    capsys.readouterr()
    assert_key_nowhere(project, capsys, caplog)


def test_a_failed_series_exits_3_and_its_chart_says_stale(
    project: Path, fred: FakeFred, capsys: pytest.CaptureFixture[str], caplog
):
    caplog.set_level(logging.DEBUG)
    fred.queue("WRESBAL", "observations", *[Reply.error(500, "Internal Server Error.")] * 4)

    code = run(project, "--refresh")

    captured = capsys.readouterr()
    assert code == EXIT_STALE
    assert "  WRESBAL        failed: observations from 2026-07-08: FRED answered HTTP 500" in captured.out
    assert "refreshed 2 of 3 series; 1 failed, kept as they were and marked stale; 9 requests" in captured.out
    assert "warning: series WRESBAL is stale: observations from 2026-07-08" in captured.err
    assert sum("retrying in" in r.getMessage() for r in caplog.records) == 3
    page = (project / "site" / "reserves.html").read_text()
    since = json.loads((project / "data/fred/WRESBAL.json").read_text())["stale"]["since"][:10]
    assert '<strong class="stale" title="observations from 2026-07-08: FRED answered HTTP 500' in page
    assert (
        f"Stale data (WRESBAL): refresh failing since {format_date(date.fromisoformat(since), 'en')}</strong>"
        in page
    )
    assert_key_nowhere(project, capsys, caplog)


def test_strict_fails_when_a_series_failed(project: Path, fred: FakeFred, capsys: pytest.CaptureFixture[str]):
    fred.series.pop("WALCL")
    assert run(project, "--refresh", "--strict") == EXIT_ERROR
    assert "--strict" in capsys.readouterr().err
    assert not (project / "site").exists()


def test_strict_passes_when_every_series_is_current(project: Path, fred: FakeFred, capsys):
    fred.series["SOFR"].rows += [("2026-10-07", "3.91"), ("2026-10-08", "3.92")]
    assert run(project, "--refresh", "--strict") == EXIT_OK
    assert "warning" not in capsys.readouterr().err


def test_a_late_series_gets_a_notice_on_its_chart(project: Path, fred: FakeFred, capsys):
    """WRESBAL's newest week (2026-10-07) is 11 days old on 2026-10-18: more than a week and a half."""
    code = run(project, "--refresh", now=datetime(2026, 10, 18, 9, 0, tzinfo=UTC))

    captured = capsys.readouterr()
    assert code == EXIT_OK
    late = "warning: series WRESBAL is behind: its newest observation (2026-10-07) was 11 days old"
    assert captured.err.count(late) == 1
    assert (
        "FRED had no newer data on 18 October 2026</strong>"
        in (project / "site" / "reserves.html").read_text()
    )


def test_a_rejected_key_changes_nothing(project: Path, fred: FakeFred, monkeypatch, capsys):
    monkeypatch.setenv("FRED_API_KEY", "0123456789abcdef" * 2)
    before = data_files(project)

    code = run(project, "--refresh")

    assert code == EXIT_USAGE
    assert "FRED did not accept the API key, nothing was changed" in capsys.readouterr().err
    assert data_files(project) == before and not (project / "site").exists()


def test_end_to_end_build_py_refresh(project: Path, fred: FakeFred, tmp_path: Path):
    """The real command in a child process: FRED_API_URL and FRED_API_KEY from the environment."""
    fred.series["WRESBAL"].rows.append(("2026-10-14", "3012345"))
    fred.series["SOFR"].rows += [("2026-10-01", "3.91"), ("2026-10-02", "3.92")]
    env = {**os.environ, "FRED_API_URL": fred.url, "FRED_API_KEY": KEY, "PYTHONPATH": str(ROOT)}

    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--refresh", "--root", str(project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )

    assert done.returncode == EXIT_OK, done.stderr
    assert "  WRESBAL        new 1, revised 0\n" in done.stdout
    assert "  SOFR           new 2, revised 0\n" in done.stdout
    assert "refreshed 3 of 3 series; 6 requests, " in done.stdout
    assert "built 2 pages, 1 charts, 3 series; data as of 2026-10-14" in done.stdout
    assert KEY not in done.stdout + done.stderr
    assert (project / "data/fred/SOFR.csv").read_text().endswith("2026-10-01,3.91\n2026-10-02,3.92\n")
    for path in project.rglob("*"):
        assert not path.is_file() or KEY.encode() not in path.read_bytes()
