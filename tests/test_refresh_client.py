"""The polite FRED client: retries with backoff, the rate limit, the key kept out of everything."""

from __future__ import annotations

import socket
import urllib.error
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fred_server import KEY, FakeFred, Reply
from refresh_support import (
    FakeTime,
    assert_key_nowhere,
    copy_project,
    data_files,
    make_client,
    outcome,
    refresh,
    serving,
    stale_on,
)

from reportsite.fred import FredClient, FredError, KeyRejected, check_key
from reportsite.limits import RateLimiter

WRONG_KEY = "0123456789abcdef" * 2  # well-formed, not registered


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def fred(project: Path) -> Iterator[FakeFred]:
    with serving(project) as server:
        yield server


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def client(fred: FakeFred, time: FakeTime) -> FredClient:
    return make_client(fred.url, time)


def test_429_then_success_waits_as_told(project: Path, fred: FakeFred, time: FakeTime):
    client = make_client(fred.url, time, per_second=100, per_minute=1000)
    limited = Reply.error(429, "Too Many Requests.  Exceeded Rate Limit", {"Retry-After": "7"})
    fred.queue("WRESBAL", "observations", limited)
    fred.series["WRESBAL"].rows.append(("2026-10-14", "3012345"))

    result = refresh(project, client)

    assert outcome(result, "WRESBAL").status == "updated"
    assert fred.count("observations", "WRESBAL") == 2
    assert time.sleeps == [7.0]
    assert result.requests == 7


def test_retries_back_off_exponentially_with_jitter(project: Path, fred: FakeFred, time: FakeTime):
    client = make_client(fred.url, time, per_second=100, per_minute=1000)
    stale_on(fred, "WRESBAL", "observations", Reply.error(502, "Bad Gateway"))

    refresh(project, client)

    assert time.sleeps == [0.75, 1.5, 3.0]  # 1, 2, 4 s, each times (0.5 + 0.5 * jitter 0.5)
    assert fred.count("observations", "WRESBAL") == 4


def test_requests_keep_to_two_a_second_and_120_a_minute():
    time = FakeTime()
    limiter = RateLimiter([(1.0, 2), (60.0, 120)], time.clock, time.sleep)
    stamps = []
    for _ in range(250):
        limiter.wait()
        stamps.append(time.now)
    for i, start in enumerate(stamps):
        assert sum(1 for t in stamps[i:] if t < start + 1.0) <= 2
        assert sum(1 for t in stamps[i:] if t < start + 60.0) <= 120
    assert stamps[2] - stamps[0] == 1.0 and stamps[120] - stamps[0] == 60.0


def test_every_series_shares_the_rate_limit(project: Path, client: FredClient, time: FakeTime):
    result = refresh(project, client)

    assert result.requests == 6
    assert sum(time.sleeps) == pytest.approx(2.0)  # 6 requests at 2 a second


def test_a_rejected_key_stops_the_refresh_and_changes_nothing(
    project: Path, fred: FakeFred, time: FakeTime, capsys: pytest.CaptureFixture[str], caplog
):
    before = data_files(project)
    client = make_client(fred.url, time, key=WRONG_KEY)

    with pytest.raises(KeyRejected, match="api_key is not registered") as excinfo:
        refresh(project, client)

    assert data_files(project) == before
    assert fred.count("series") == 1
    assert WRONG_KEY not in str(excinfo.getrepr(showlocals=True, style="long", funcargs=True))
    assert_key_nowhere(project, capsys, caplog, key=WRONG_KEY)


def test_unreachable_fred_marks_series_stale_and_stops_asking(project: Path, time: FakeTime):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    before = data_files(project)

    result = refresh(project, make_client(f"http://127.0.0.1:{port}/fred", time))

    assert [r.status for r in result.series] == ["failed"] * 3
    assert "could not reach FRED (" in result.series[0].reason
    assert result.series[2].reason == "not tried: FRED could not be reached for the series before it"
    assert result.requests == 8  # two series, four attempts each, then no more
    after = data_files(project)
    assert all(after[k] == v for k, v in before.items() if k.endswith(".csv"))


def test_errors_carry_no_key_and_no_chained_exception(time: FakeTime):
    def opener(url: str, timeout: float) -> bytes:
        raise urllib.error.URLError(f"proxy refused {url}")

    client = FredClient(KEY, opener=opener, clock=time.clock, sleep=time.sleep)
    with pytest.raises(FredError) as excinfo:
        client.observations("WRESBAL", date(2026, 7, 8))

    message = str(excinfo.value)
    assert "could not reach FRED (proxy refused" in message and "api_key=***" in message
    assert excinfo.value.__cause__ is None and excinfo.value.__context__ is None
    assert KEY not in message and KEY not in repr(client)
    assert KEY not in str(excinfo.getrepr(showlocals=True, style="long", funcargs=True))


def test_fredapi_never_holds_the_key(fred: FakeFred, client: FredClient):
    stale_on(fred, "WRESBAL", "observations", Reply.html(500))
    with pytest.raises(FredError) as excinfo:
        client.observations("WRESBAL", date(2026, 7, 8))

    assert KEY not in str(excinfo.getrepr(showlocals=True, style="long", funcargs=True))
    assert KEY not in repr(vars(client._api))


@pytest.mark.parametrize("key", [None, "", "   "])
def test_no_key_says_where_to_get_one(key: str | None):
    with pytest.raises(KeyRejected, match=r"needs a free FRED API key: get one at https://fredaccount\."):
        check_key(key)


def test_a_malformed_key_is_not_echoed():
    with pytest.raises(KeyRejected) as excinfo:
        check_key("Not-A-Key-123")
    assert "Not-A-Key-123" not in str(excinfo.value)
