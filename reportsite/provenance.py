"""What the data page says about each series: span, origin, sources and a citation.

Everything here is read from the series' data file and its manifest, so the
page describes the snapshot the site was actually built from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .data import Series
from .values import EN_MONTHS

FRED_PUBLISHER = "Federal Reserve Bank of St. Louis"
ORIGINS = {"seed-snapshot": "seed", "fred": "fred", "fred-api": "fred"}


@dataclass(frozen=True)
class Source:
    """One public repository file that supplied part of a seed snapshot."""

    repository: str
    commit: str
    path: str
    rows: int | None
    first: date | None
    last: date | None

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repository}/blob/{self.commit}/{self.path}"

    @property
    def short_commit(self) -> str:
        return self.commit[:8]


@dataclass(frozen=True)
class SeriesFacts:
    """The facts the data page prints for one series."""

    series: Series
    first: date | None
    last: date | None
    rows: int
    missing: int
    retrieved: date | None
    origin: str
    sources: list[Source]

    @property
    def unit_key(self) -> str:
        """The interface-string key naming this series' stored units."""
        return f"dp_units_{self.series.info.units}_{self.series.info.scale}"

    @property
    def citation(self) -> str:
        return cite(self.series, self.retrieved)


def describe_series(series: Series) -> SeriesFacts:
    """Collect the data page's facts for one series from its data and manifest."""
    present = series.present()
    manifest = series.manifest
    return SeriesFacts(
        series=series,
        first=present[0].date if present else None,
        last=present[-1].date if present else None,
        rows=len(series.observations),
        missing=len(series.observations) - len(present),
        retrieved=retrieved_on(manifest),
        origin=ORIGINS.get(str(manifest.get("origin", "")), str(manifest.get("origin") or "unknown")),
        sources=[_source(entry) for entry in manifest.get("sources") or []],
    )


def retrieved_on(manifest: dict[str, Any]) -> date | None:
    """The day the data was retrieved, from the manifest's ISO timestamp."""
    stamp = manifest.get("retrieved_at")
    if not stamp:
        return None
    return datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).date()


def cite(series: Series, retrieved: date | None) -> str:
    """FRED's suggested citation: source, title [ID], retrieved from FRED; URL, date."""
    info = series.info
    text = f"{info.source}, {info.fred_title} [{info.id}], retrieved from FRED, {FRED_PUBLISHER}; "
    text += info.fred_url
    if retrieved is not None:
        text += f", {EN_MONTHS[retrieved.month - 1]} {retrieved.day}, {retrieved.year}"
    return text + "."


def _source(entry: dict[str, Any]) -> Source:
    def day(key: str) -> date | None:
        return date.fromisoformat(entry[key]) if entry.get(key) else None

    return Source(
        repository=str(entry.get("repository", "")),
        commit=str(entry.get("commit", "")),
        path=str(entry.get("path", "")),
        rows=entry.get("rows"),
        first=day("first"),
        last=day("last"),
    )
