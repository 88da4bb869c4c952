"""Refresh `data/` from FRED, series by series, without ever losing what is stored.

For each declared series: ask FRED for its metadata; if its last-updated stamp has
not moved, download nothing. Otherwise re-read a revision window before our newest
observation, check it (merge.py), merge it and write the CSV and its manifest
atomically. A series that fails keeps its data byte for byte and is marked stale
in its manifest with the reason. Nothing here prints: results go to `report`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .data import REGISTRY_NAME, SERIES_DIR, SeriesInfo, load_manifest, load_registry, parse_fred_csv
from .fred import FredClient, FredError, KeyRejected, SeriesMeta
from .freshness import API_ORIGIN, lateness
from .merge import Refused, Row, check_units, merge_rows, read_observations, window_start

FIRST_DAY = date(2020, 1, 1)  # where a series with no data file yet starts (the snapshot's convention)
UNREACHABLE_AFTER = 2  # consecutive series that could not reach FRED before the rest are skipped
SCALE_WORDS = {"millions": "million", "billions": "billion"}


@dataclass(frozen=True)
class SeriesResult:
    series_id: str
    status: str  # "updated", "unchanged" or "failed"
    new: int = 0
    revised: int = 0
    reason: str = ""
    warnings: tuple[str, ...] = ()
    unreachable: bool = False


@dataclass(frozen=True)
class RefreshResult:
    series: list[SeriesResult]
    requests: int
    seconds: float

    @property
    def failed(self) -> list[SeriesResult]:
        return [r for r in self.series if r.status == "failed"]

    @property
    def warnings(self) -> list[str]:
        return [w for r in self.series for w in r.warnings]


@dataclass
class Stored:
    """One series as it is on disk before the refresh."""

    info: SeriesInfo
    csv_path: Path
    rows: list[Row] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def manifest_path(self) -> Path:
        return self.csv_path.with_suffix(".json")


def utc_now() -> datetime:
    return datetime.now(UTC)


def refresh_data(
    data_dir: Path,
    client: FredClient,
    *,
    now: Callable[[], datetime] | None = None,
    report: Callable[[SeriesResult], None] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> RefreshResult:
    """Refresh every declared series. Local files are all read and checked before any request.

    `now` gives the time stamped into manifests (default: the UTC clock); `clock` times the run.
    """
    now = now or utc_now
    started = clock()
    stored = read_stored(data_dir)
    results: list[SeriesResult] = []
    for series in stored:
        streak = results[-UNREACHABLE_AFTER:]
        if len(streak) == UNREACHABLE_AFTER and all(r.unreachable for r in streak):
            reason = "not tried: FRED could not be reached for the series before it"
            result = fail_series(series, reason, now(), unreachable=True)
        else:
            result = refresh_series(series, client, now())
        results.append(result)
        if report:
            report(result)
    return RefreshResult(results, client.requests, clock() - started)


def read_stored(data_dir: Path) -> list[Stored]:
    """Every declared series with its rows and manifest, checked as strictly as the build checks them."""
    registry = load_registry(data_dir / REGISTRY_NAME)
    found = []
    for series_id, info in sorted(registry.items()):
        series = Stored(info, data_dir / SERIES_DIR / f"{series_id}.csv")
        if series.csv_path.exists():
            series.rows = read_rows(series.csv_path.read_bytes(), series_id, series.csv_path)
            series.manifest = load_manifest(series.manifest_path)
        found.append(series)
    return found


def read_rows(raw: bytes, series_id: str, path: Path) -> list[Row]:
    """A FRED-format CSV as rows with the number text kept, after the build's own strict parse."""
    parse_fred_csv(raw, series_id, path)
    lines = [row for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) if row][1:]
    return [(date.fromisoformat(day), "" if text.strip() == "." else text.strip()) for day, text in lines]


def refresh_series(series: Stored, client: FredClient, when: datetime) -> SeriesResult:
    """Refresh one series; any failure short of a rejected key leaves its data as it was."""
    sid = series.info.id
    try:
        meta = client.series_info(sid)
        notes = check_meta(series.info, meta)
        if series.rows and series.manifest.get("fred_last_updated") == meta.last_updated:
            write_files({series.manifest_path: manifest_bytes(checked(series.manifest, when))})
            return SeriesResult(sid, "unchanged", warnings=(*notes, *late(series.info, series.rows, when)))
        start = window_start(series.rows, series.info.frequency) if series.rows else FIRST_DAY
        fetched = read_observations(client.observations(sid, start), start)
        merged = merge_rows(series.rows, fetched, start)
        if not any(text for _, text in merged.rows):
            raise Refused("FRED has no values for this series")
        check_units(series.rows, merged.rows)
    except KeyRejected:
        raise
    except FredError as exc:
        return fail_series(series, str(exc), when, unreachable=exc.kind == "network")
    except Refused as exc:
        return fail_series(series, f"refused FRED's answer: {exc}", when)
    body = csv_bytes(sid, merged.rows)
    parse_fred_csv(body, sid, series.csv_path)  # what is written must load
    manifest = updated_manifest(series, merged.rows, body, meta, when, client.base_url, start)
    write_files({series.csv_path: body, series.manifest_path: manifest_bytes(manifest)})
    status = "updated" if merged.new or merged.revised else "unchanged"
    warnings = (*notes, *late(series.info, merged.rows, when))
    return SeriesResult(sid, status, merged.new, merged.revised, warnings=warnings)


def check_meta(info: SeriesInfo, meta: SeriesMeta) -> list[str]:
    """Refuse a frequency or units change; warn about a renamed series or a copyright notice."""
    if not meta.frequency.lower().startswith(info.frequency):
        raise Refused(f"FRED gives the frequency as {meta.frequency!r}; the registry says {info.frequency}")
    units = meta.units.lower()
    scale_word = SCALE_WORDS.get(info.scale)
    other_scales = [w for w in ("thousand", "million", "billion", "trillion") if w != scale_word]
    if (scale_word and scale_word not in units) or any(w in units for w in other_scales):
        raise Refused(
            f"FRED gives the units as {meta.units!r}; the registry says {info.scale}: "
            "a units change, so nothing was stored"
        )
    notes = []
    if meta.title and meta.title != info.fred_title:
        notes.append(f"{info.id}: FRED's title is now {meta.title!r} (the registry has {info.fred_title!r})")
    if "copyright" in meta.notes.lower() and info.licence == "public-domain":
        notes.append(f"{info.id}: FRED's notes carry a copyright notice but the registry says public-domain")
    return notes


def late(info: SeriesInfo, rows: list[Row], when: datetime) -> list[str]:
    present = [day for day, text in rows if text]
    found = lateness(info.id, info.frequency, present[-1], when.date()) if present else None
    return [found.message] if found else []


def fail_series(series: Stored, reason: str, when: datetime, *, unreachable: bool = False) -> SeriesResult:
    """Keep the data; mark the manifest stale with the reason (since the first failure in a row)."""
    if series.manifest:
        previous = series.manifest.get("stale") or {}
        since = previous.get("since") or stamp(when)
        manifest = {**series.manifest, "stale": {"since": since, "reason": reason}}
        write_files({series.manifest_path: manifest_bytes(manifest)})
    return SeriesResult(series.info.id, "failed", reason=reason, unreachable=unreachable)


def checked(manifest: dict[str, Any], when: datetime) -> dict[str, Any]:
    return {**manifest, "checked_at": stamp(when), "stale": None}


def updated_manifest(
    series: Stored, rows: list[Row], body: bytes, meta: SeriesMeta, when: datetime, url: str, start: date
) -> dict[str, Any]:
    present = [day for day, text in rows if text]
    return {
        **series.manifest,
        "series": series.info.id,
        "origin": API_ORIGIN,
        "retrieved_at": stamp(when),
        "checked_at": stamp(when),
        "fred_last_updated": meta.last_updated,
        "rows": len(rows),
        "missing": sum(1 for _, text in rows if not text),
        "first_observation": present[0].isoformat(),
        "last_observation": present[-1].isoformat(),
        "sha256": hashlib.sha256(body).hexdigest(),
        "sources": sources(series.manifest.get("sources") or [], rows, start, url, when),
        "stale": None,
    }


def sources(previous: list[dict[str, Any]], rows: list[Row], start: date, url: str, when: datetime) -> list:
    """The provenance list: earlier sources kept as they were, one entry for the rows read from the API."""
    kept = [s for s in previous if s.get("origin") != API_ORIGIN]
    before = [s for s in previous if s.get("origin") == API_ORIGIN]
    first = min([start, *(date.fromisoformat(s["first"]) for s in before if s.get("first"))])
    from_api = [day for day, _ in rows if day >= first]
    entry = {
        "origin": API_ORIGIN,
        "url": url,
        "first": from_api[0].isoformat() if from_api else start.isoformat(),
        "last": rows[-1][0].isoformat(),
        "rows": len(from_api),
        "retrieved_at": stamp(when),
    }
    return [*kept, entry]


def csv_bytes(series_id: str, rows: list[Row]) -> bytes:
    lines = [f"observation_date,{series_id}", *(f"{day.isoformat()},{text}" for day, text in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_files(files: dict[Path, bytes]) -> None:
    """Write every file to a temporary name beside it, then rename them all into place."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, body in files.items():
            temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temps.append((temp, path))
            with open(temp, "wb") as handle:
                handle.write(body)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, path in temps:
            os.replace(temp, path)
    finally:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
