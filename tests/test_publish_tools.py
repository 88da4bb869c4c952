"""The publishing run's helpers: the job-summary table and the smoke check of a built site."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reportsite import smoke, summary

BASE = {"origin": "seed-snapshot", "retrieved_at": "2026-11-24T00:00:00Z", "rows": 10, "stale": None}


def manifests(folder: Path, entries: dict[str, dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for series, fields in entries.items():
        record = {**BASE, "series": series, "sha256": "a", "last_observation": "2026-10-07", **fields}
        (folder / f"{series}.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def test_summary_sorts_series_into_refreshed_unchanged_stale(tmp_path: Path) -> None:
    before = manifests(tmp_path / "before", {"NEW": {}, "SAME": {}, "FAIL": {}, "IDLE": {}})
    later = "2026-11-25T23:20:00Z"
    manifests(
        tmp_path / "data" / "fred",
        {
            "NEW": {
                "sha256": "b",
                "retrieved_at": later,
                "origin": "FRED API",
                "last_observation": "2026-11-19",
            },
            "SAME": {"retrieved_at": later, "origin": "FRED API"},
            "FAIL": {"stale": {"reason": "HTTP 500 after 4 tries"}},
            "IDLE": {},
        },
    )
    rows = summary.statuses(tmp_path / "data", before)
    assert [(r.series, r.status) for r in rows] == [
        ("NEW", "refreshed"),
        ("SAME", "unchanged"),
        ("FAIL", "stale"),
        ("IDLE", "not checked"),
    ]
    text = summary.render(rows, snapshot=False)
    assert "1 refreshed, 1 unchanged, 1 stale, 1 not checked" in text
    assert "| NEW | refreshed | 2026-11-19 | 10 | 2026-11-25T23:20:00Z | FRED API |" in text
    assert "HTTP 500 after 4 tries" in text


def test_summary_without_a_key_says_the_snapshot_was_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifests(tmp_path / "data" / "fred", {"WRESBAL": {}})
    assert summary.main([str(tmp_path / "data"), "--snapshot"]) == 0
    out = capsys.readouterr().out
    assert "No `FRED_API_KEY` secret" in out and "built from the data snapshot committed" in out
    assert "| WRESBAL | not checked |" in out


def test_summary_fails_when_there_is_no_data(tmp_path: Path) -> None:
    assert summary.main([str(tmp_path), "--snapshot"]) == 1


def test_summary_escapes_table_breaking_text(tmp_path: Path) -> None:
    manifests(tmp_path / "data" / "fred", {"X": {"stale": {"reason": "bad | pipe\nand newline"}}})
    line = summary.render(summary.statuses(tmp_path / "data", None), snapshot=True).splitlines()[-1]
    assert line.count(" | ") == 6 and "bad \\| pipe and newline" in line


def page(site: Path, name: str, body: str, title: str = "T") -> None:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><head><title>{title}</title></head><body>{body}</body></html>", encoding="utf-8")


def test_smoke_passes_a_sound_site_and_names_every_problem(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "style.css").write_text("body{}")
    page(site, "index.html", '<a href="zh-hant/index.html#top">中文</a><link href="assets/style.css">')
    page(
        site,
        "zh-hant/index.html",
        '<a href="../index.html">en</a> <a href="https://fred.stlouisfed.org/">x</a>',
    )
    assert smoke.check_site(site) == []

    page(
        site,
        "broken.html",
        '<img src="charts/missing.svg"><a href="/index.html">root</a>{{ latest("X") }}',
        "",
    )
    problems = "\n".join(smoke.check_site(site))
    assert "broken.html: link 'charts/missing.svg' points to a file the build did not write" in problems
    assert "starts with '/'" in problems and "unrendered template code" in problems
    assert "broken.html: the page has no <title>" in problems


def test_smoke_checks_srcset_and_chart_specs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    page(
        site,
        "index.html",
        '<figure data-spec="charts/a.vl.json"><source srcset="charts/a.dark.svg 1x"></figure>',
    )
    problems = smoke.check_site(site)
    assert len(problems) == 2 and all("points to a file the build did not write" in p for p in problems)


def test_smoke_without_a_home_page_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "site").mkdir()
    assert smoke.main([str(tmp_path / "site")]) == 1
    assert "no index.html" in capsys.readouterr().err
