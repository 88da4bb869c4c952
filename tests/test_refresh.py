"""Refresh against a FRED-compatible server through the real fredapi client.

The happy path, incremental refresh, and the fault matrix: every failure leaves the
series' CSV byte-identical, marks its manifest stale, says why in one line, and the
key appears nowhere.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fred_server import FakeFred, Reply
from refresh_support import (
    NOW,
    FakeTime,
    assert_key_nowhere,
    copy_project,
    data_files,
    make_client,
    manifest,
    outcome,
    refresh,
    serving,
    stale_on,
)

from reportsite.data import load_snapshot
from reportsite.errors import Warnings
from reportsite.fred import FredClient

WRESBAL_CSV = "data/fred/WRESBAL.csv"
WRESBAL_JSON = "data/fred/WRESBAL.json"
STAMP = "2026-10-09T14:30:00Z"


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


def test_new_and_revised_observations_are_merged_and_recorded(
    project: Path, fred: FakeFred, client: FredClient
):
    before = data_files(project)
    rows = fred.series["WRESBAL"].rows
    oldest = rows[0]
    rows[0] = (oldest[0], "1")  # FRED changed a value outside the revision window: not asked for, kept
    rows[-1] = ("2026-10-07", "3031000")  # revised inside the window
    rows.append(("2026-10-14", "3012345"))  # new

    result = refresh(project, client)

    assert (outcome(result, "WRESBAL").new, outcome(result, "WRESBAL").revised) == (1, 1)
    assert outcome(result, "WRESBAL").status == "updated"
    body = (project / WRESBAL_CSV).read_bytes()
    old_lines = before[WRESBAL_CSV].decode().splitlines()
    assert body.decode().splitlines() == [*old_lines[:-1], "2026-10-07,3031000", "2026-10-14,3012345"]
    assert old_lines[1] == f"{oldest[0]},{oldest[1]}"
    assert [q for e, q in fred.requests if e == "observations" and q["series_id"] == "WRESBAL"] == [
        {"series_id": "WRESBAL", "observation_start": "2026-07-08"}  # newest 2026-10-07 less 13 weeks
    ]
    saved = manifest(project, "WRESBAL")
    seed = json.loads(before[WRESBAL_JSON])
    assert saved == {
        **seed,
        "origin": "fred-api",
        "retrieved_at": STAMP,
        "checked_at": STAMP,
        "fred_last_updated": fred.series["WRESBAL"].last_updated,
        "rows": 17,
        "missing": 0,
        "last_observation": "2026-10-14",
        "sha256": hashlib.sha256(body).hexdigest(),
        "sources": [
            *seed["sources"],
            {
                "origin": "fred-api",
                "url": fred.url,
                "first": "2026-07-08",
                "last": "2026-10-14",
                "rows": 15,
                "retrieved_at": STAMP,
            },
        ],
    }
    warnings = Warnings()
    snapshot = load_snapshot(project / "data", warnings)
    assert snapshot.get("WRESBAL").present()[-1].value == 3012345
    assert warnings.messages == []


def test_unmoved_last_updated_downloads_no_observations(project: Path, fred: FakeFred, client: FredClient):
    refresh(project, client)
    after_first = data_files(project)
    fred.requests.clear()

    result = refresh(project, client, now=lambda: NOW + timedelta(hours=1))

    assert [r.status for r in result.series] == ["unchanged"] * 3
    assert fred.count("observations") == 0 and fred.count("series") == 3
    again = data_files(project)
    assert {k for k in again if again[k] != after_first[k]} == {f"data/fred/{s}.json" for s in fred.series}
    assert manifest(project, "WALCL")["checked_at"] == "2026-10-09T15:30:00Z"
    assert again[WRESBAL_CSV] == after_first[WRESBAL_CSV]


def test_missing_values_stay_missing(project: Path, fred: FakeFred, client: FredClient):
    fred.series["SOFR"].rows += [("2026-10-01", "3.91"), ("2026-10-02", "."), ("2026-10-05", "3.92")]

    result = refresh(project, client)

    assert (outcome(result, "SOFR").new, outcome(result, "SOFR").revised) == (2, 0)
    text = (project / "data/fred/SOFR.csv").read_text()
    assert text.endswith("2026-09-30,3.90\n2026-10-01,3.91\n2026-10-02,\n2026-10-05,3.92\n")
    assert "2026-09-07,\n" in text  # the stored holiday row, blank at FRED too, is kept blank
    assert manifest(project, "SOFR")["missing"] == 2


def test_a_series_behind_its_frequency_is_reported(project: Path, fred: FakeFred, client: FredClient):
    result = refresh(project, client)  # SOFR's newest is 2026-09-30: 7 business days before NOW

    assert result.warnings == [
        "series SOFR is behind: its newest observation (2026-09-30) was 7 business days old "
        "when FRED was last asked (2026-10-09)"
    ]


def rows_of(fred: FakeFred) -> list[tuple[str, str]]:
    return fred.series["WRESBAL"].rows


FAULTS: dict[str, tuple[Callable[[FakeFred], object], str]] = {
    "persistent 500": (
        lambda f: stale_on(f, "WRESBAL", "observations", Reply.error(500, "Internal Server Error.")),
        "FRED answered HTTP 500 Internal Server Error: Internal Server Error. (gave up after 4 attempts)",
    ),
    "HTML error page": (
        lambda f: stale_on(f, "WRESBAL", "series", Reply.html(503)),
        "FRED answered HTTP 503 Service Unavailable: an HTML page instead of FRED's XML",
    ),
    "HTML page with 200": (
        lambda f: stale_on(f, "WRESBAL", "observations", Reply.html(200), 1),
        "FRED sent an HTML page instead of XML",
    ),
    "slow answer": (
        lambda f: stale_on(f, "WRESBAL", "observations", Reply(delay=5.0), 4),
        "no answer within 0.5 s (gave up after 4 attempts)",
    ),
    "malformed XML": (
        lambda f: stale_on(
            f, "WRESBAL", "observations", Reply(body=b'<observations count="1"><observation date="2026'), 1
        ),
        "FRED's answer is not valid XML (unclosed token: line 1, column 24)",
    ),
    "answer cut short": (
        lambda f: stale_on(
            f,
            "WRESBAL",
            "observations",
            Reply(body=b'<observations count="9"><observation date="2026-10-07" value="1"/></observations>'),
            1,
        ),
        "FRED's answer holds 1 of 9 observations",
    ),
    "unknown series": (
        lambda f: f.series.pop("WRESBAL"),
        "series information: FRED answered HTTP 400 Bad Request: Bad Request. The series does not exist.",
    ),
    "empty observations": (
        lambda f: rows_of(f).clear(),
        "refused FRED's answer: FRED's answer has no value for 14 date(s) we hold (2026-07-08 to 2026-10-07)",
    ),
    "'.' where we hold a value": (
        lambda f: rows_of(f).__setitem__(-2, ("2026-09-30", ".")),
        "FRED's answer has no value for 1 date(s) we hold (2026-09-30); refusing to shrink history",
    ),
    "duplicate dates": (
        lambda f: rows_of(f).append(("2026-10-07", "3030000")),
        "observation 15: date 2026-10-07 repeats the previous observation's date",
    ),
    "dates out of order": (
        lambda f: rows_of(f).append(("2026-10-01", "3030000")),
        "observation 15: date 2026-10-01 comes before the previous observation's date",
    ),
    "drops older history": (
        lambda f: rows_of(f).__delitem__(slice(0, -3)),
        "no value for 11 date(s) we hold (2026-07-08 to 2026-09-16); refusing to shrink history",
    ),
    "a new value scaled by 1000": (
        lambda f: rows_of(f).append(("2026-10-14", "3012345000")),
        "2026-10-14: value 3.01234e+09 is 1,012 times the recent level of 2.97573e+06: "
        "that looks like a units change",
    ),
    "a revised value scaled by 1000": (
        lambda f: rows_of(f).__setitem__(-1, ("2026-10-07", "3029659000")),
        "2026-10-07: the value went from 3.02966e+06 to 3.02966e+09, a factor of 1,000",
    ),
    "units renamed by FRED": (
        lambda f: setattr(f.series["WRESBAL"], "units", "Billions of U.S. Dollars"),
        "FRED gives the units as 'Billions of U.S. Dollars'; the registry says millions: a units change",
    ),
    "not a number": (
        lambda f: rows_of(f).append(("2026-10-14", "n/a")),
        "observation 15 (2026-10-14) has value 'n/a', not a number",
    ),
    "frequency changed": (
        lambda f: setattr(f.series["WRESBAL"], "frequency", "Monthly"),
        "FRED gives the frequency as 'Monthly'; the registry says weekly",
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_failed_series_keeps_its_data_and_is_marked_stale(
    fault: str,
    project: Path,
    fred: FakeFred,
    client: FredClient,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.DEBUG)
    before = data_files(project)
    make_fault, expected = FAULTS[fault]
    make_fault(fred)

    result = refresh(project, client)

    failed = outcome(result, "WRESBAL")
    assert failed.status == "failed"
    assert expected in failed.reason
    assert "\n" not in failed.reason and "Traceback" not in failed.reason
    after = data_files(project)
    assert after[WRESBAL_CSV] == before[WRESBAL_CSV]
    stale = {"since": STAMP, "reason": failed.reason}
    assert json.loads(after[WRESBAL_JSON]) == {**json.loads(before[WRESBAL_JSON]), "stale": stale}
    assert [r.status for r in result.series if r.series_id != "WRESBAL"] == ["unchanged", "unchanged"]
    warnings = Warnings()
    load_snapshot(project / "data", warnings)
    assert warnings.messages == [f"series WRESBAL is stale: {failed.reason}"]
    assert_key_nowhere(project, capsys, caplog)


def test_stale_since_keeps_the_first_failure_and_clears_on_success(project: Path, fred: FakeFred, client):
    stale_on(fred, "WRESBAL", "series", Reply.error(500, "down"), 8)
    refresh(project, client)
    refresh(project, client, now=lambda: NOW + timedelta(days=1))
    assert manifest(project, "WRESBAL")["stale"]["since"] == STAMP  # type: ignore[index]

    refresh(project, client, now=lambda: NOW + timedelta(days=2))
    assert manifest(project, "WRESBAL")["stale"] is None


def test_a_newly_declared_series_is_fetched_from_2020(project: Path, fred: FakeFred, client: FredClient):
    old = data_files(project)
    for suffix in (".csv", ".json"):
        (project / "data" / "fred" / f"WALCL{suffix}").unlink()

    result = refresh(project, client)

    assert outcome(result, "WALCL").new == 16
    assert [q for e, q in fred.requests if e == "observations" and q["series_id"] == "WALCL"] == [
        {"series_id": "WALCL", "observation_start": "2020-01-01"}
    ]
    assert (project / "data/fred/WALCL.csv").read_bytes() == old["data/fred/WALCL.csv"]
    assert manifest(project, "WALCL")["sources"] == [
        {
            "origin": "fred-api",
            "url": fred.url,
            "first": "2026-06-24",
            "last": "2026-10-07",
            "rows": 16,
            "retrieved_at": STAMP,
        }
    ]
