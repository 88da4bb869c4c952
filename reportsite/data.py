"""Stage 2: load the data snapshot — the series registry, one CSV and one manifest per series.

The build reads `data/` only. A CSV is in FRED's own download format
(`observation_date,<ID>` then `YYYY-MM-DD,value`, a missing value left empty);
its manifest records where it came from and a hash of its bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .config import read_toml
from .errors import DataError, Warnings

REGISTRY_NAME = "series.toml"
SERIES_DIR = "fred"
LANGUAGES = ("en", "zh-Hant")
CHOICES = {
    "units": ("usd", "percent", "index"),
    "scale": ("millions", "billions", "units"),
    "frequency": ("daily", "weekly"),
    "as_of": ("week-average", "wednesday-level", "daily", "daily-7day", "weekly-thursday"),
    "licence": ("public-domain", "terms-of-use", "copyrighted"),
}
TEXT_FIELDS = ("title", "short", "as_of_note", "licence_note")
PLAIN_FIELDS = ("fred_title", "source", "release")
SCALE_FACTOR = {"millions": 1e6, "billions": 1e9, "units": 1.0}


@dataclass(frozen=True)
class SeriesInfo:
    """One entry of the series registry."""

    id: str
    title: dict[str, str]
    short: dict[str, str]
    as_of_note: dict[str, str]
    licence_note: dict[str, str]
    fred_title: str
    source: str
    release: str
    units: str
    scale: str
    frequency: str
    as_of: str
    licence: str
    redistribute: bool

    @property
    def factor(self) -> float:
        """Multiply a stored value by this to get plain units (USD, percent, points)."""
        return SCALE_FACTOR[self.scale]

    @property
    def fred_url(self) -> str:
        return f"https://fred.stlouisfed.org/series/{self.id}"


@dataclass(frozen=True)
class Observation:
    """A dated value; `value` is None where FRED has no value for the date."""

    date: date
    value: float | None


@dataclass(frozen=True)
class Series:
    info: SeriesInfo
    manifest: dict[str, Any]
    observations: tuple[Observation, ...]
    csv_path: Path

    @property
    def id(self) -> str:
        return self.info.id

    def present(self) -> list[Observation]:
        """The observations that have a value, oldest first."""
        return [obs for obs in self.observations if obs.value is not None]


@dataclass(frozen=True)
class Snapshot:
    """Every declared series, keyed by FRED id."""

    series: dict[str, Series]

    def get(self, series_id: str) -> Series:
        try:
            return self.series[series_id]
        except KeyError:
            raise DataError(f"unknown series '{series_id}' (not declared in data/{REGISTRY_NAME})") from None

    @property
    def as_of(self) -> date | None:
        """The newest observation date over all series."""
        ends = [s.present()[-1].date for s in self.series.values() if s.present()]
        return max(ends) if ends else None


def load_snapshot(data_dir: Path, warnings: Warnings) -> Snapshot:
    """Read the registry, then every declared series; fail on undeclared or missing files."""
    registry_path = data_dir / REGISTRY_NAME
    registry = load_registry(registry_path)
    series_dir = data_dir / SERIES_DIR
    on_disk = {p.stem for p in series_dir.glob("*.csv")} if series_dir.is_dir() else set()
    for stray in sorted(on_disk - set(registry)):
        raise DataError(
            f"data file for undeclared series '{stray}': declare it in data/{REGISTRY_NAME} or remove it",
            path=series_dir / f"{stray}.csv",
        )
    loaded: dict[str, Series] = {}
    for series_id, info in sorted(registry.items()):
        csv_path = series_dir / f"{series_id}.csv"
        if not csv_path.exists():
            raise DataError(
                f"series '{series_id}' is declared but has no data file data/{SERIES_DIR}/{series_id}.csv",
                path=registry_path,
                line=_line_of(registry_path, f"[series.{series_id}]"),
            )
        raw = csv_path.read_bytes()
        observations = parse_fred_csv(raw, series_id, csv_path)
        manifest = load_manifest(csv_path.with_suffix(".json"))
        if manifest.get("sha256") != hashlib.sha256(raw).hexdigest():
            warnings.warn("data file differs from the hash in its manifest (edited by hand?)", path=csv_path)
        if manifest.get("stale"):
            warnings.warn(f"series {series_id} is stale: {manifest['stale'].get('reason', '')}")
        loaded[series_id] = Series(info, manifest, observations, csv_path)
    return Snapshot(loaded)


def load_registry(path: Path) -> dict[str, SeriesInfo]:
    """Parse and check `data/series.toml`."""
    table = read_toml(path, DataError).get("series")
    if not isinstance(table, dict) or not table:
        raise DataError("the registry declares no [series.<ID>] tables", path=path)
    return {sid: _series_info(sid, entry, path) for sid, entry in table.items()}


def _series_info(series_id: str, entry: dict[str, Any], path: Path) -> SeriesInfo:
    line = _line_of(path, f"[series.{series_id}]")

    def fail(message: str) -> DataError:
        return DataError(f"series {series_id}: {message}", path=path, line=line)

    for key, allowed in CHOICES.items():
        if entry.get(key) not in allowed:
            raise fail(f"'{key}' is {entry.get(key)!r}; expected one of {', '.join(allowed)}")
    for key in TEXT_FIELDS:
        text = entry.get(key)
        if not isinstance(text, dict) or any(not text.get(lang) for lang in LANGUAGES):
            raise fail(f"'{key}' needs text for every language ({', '.join(LANGUAGES)})")
    for key in PLAIN_FIELDS:
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise fail(f"'{key}' must be a non-empty string")
    if not isinstance(entry.get("redistribute"), bool):
        raise fail("'redistribute' must be true or false")
    fields = {k: entry[k] for k in (*CHOICES, *TEXT_FIELDS, *PLAIN_FIELDS, "redistribute")}
    return SeriesInfo(id=series_id, **fields)


def parse_fred_csv(raw: bytes, series_id: str, path: Path) -> tuple[Observation, ...]:
    """Parse FRED's download format strictly: dates ascend and are unique, values numeric or empty."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason})", path=path) from None
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    expected = ["observation_date", series_id]
    if header != expected:
        raise DataError(
            f"header is {','.join(header or [])!r}; expected {','.join(expected)!r}",
            path=path,
            line=1,
        )
    observations: list[Observation] = []
    for line_number, row in enumerate(rows, start=2):
        if not row:
            continue
        if len(row) != 2:
            raise DataError(f"expected 2 fields (date,value), found {len(row)}", path=path, line=line_number)
        when = _parse_date(row[0], path, line_number)
        if observations and when <= observations[-1].date:
            problem = "repeats" if when == observations[-1].date else "comes before"
            raise DataError(f"date {row[0]} {problem} the previous row's date", path=path, line=line_number)
        observations.append(Observation(when, _parse_value(row[1], path, line_number)))
    if not observations:
        raise DataError("no observations", path=path)
    return tuple(observations)


def _parse_date(text: str, path: Path, line: int) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise DataError(f"{text!r} is not a date (YYYY-MM-DD)", path=path, line=line) from None


def _parse_value(text: str, path: Path, line: int) -> float | None:
    text = text.strip()
    if text in ("", "."):
        return None
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"value {text!r} is not a number", path=path, line=line) from None
    if not math.isfinite(value):
        raise DataError(f"value {text!r} is not a finite number", path=path, line=line)
    return value


def load_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("manifest missing: every series needs its provenance record", path=path) from None
    except json.JSONDecodeError as exc:
        raise DataError(f"manifest is not valid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    if not isinstance(manifest, dict) or manifest.get("series") != path.stem:
        raise DataError(f"manifest does not describe series {path.stem}", path=path)
    return manifest


def _line_of(path: Path, needle: str) -> int | None:
    """The 1-based line where `needle` first appears in a text file, for error messages."""
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if needle in line:
                return number
    except OSError:
        return None
    return None
