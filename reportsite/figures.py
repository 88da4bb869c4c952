"""What a chart's provenance line says: its series, how far they are observed, when retrieved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .values import format_date

if TYPE_CHECKING:
    from .charts.build import Figure
    from .data import Series, Snapshot


@dataclass(frozen=True)
class SeriesRef:
    id: str
    url: str
    stale: str
    stale_since: str
    redistribute: bool


@dataclass(frozen=True)
class Provenance:
    series: list[SeriesRef]
    observed: str
    retrieved: str

    @property
    def open_data(self) -> bool:
        """May the chart's data be offered as a download? Only if every series' licence allows it."""
        return all(s.redistribute for s in self.series)


def provenance(figure: Figure, snapshot: Snapshot, lang: str) -> Provenance:
    """One date when every series of the chart agrees on it, else one date per series."""
    found = [snapshot.series[sid] for sid in figure.series if sid in snapshot.series]
    refs = [_ref(s, lang) for s in found]
    observed = {s.id: s.manifest.get("last_observation") for s in found}
    retrieved = {s.id: str(s.manifest.get("retrieved_at") or "")[:10] for s in found}
    return Provenance(refs, _dates(observed, lang), _dates(retrieved, lang))


def _ref(series: Series, lang: str) -> SeriesRef:
    stale = series.manifest.get("stale") or {}
    since = str(stale.get("since") or "")[:10]
    return SeriesRef(
        series.id,
        series.info.fred_url,
        str(stale.get("reason", "")),
        _on(since, lang) if since else "",
        series.info.redistribute,
    )


def _dates(by_series: Mapping[str, str | None], lang: str) -> str:
    known = {sid: text for sid, text in by_series.items() if text}
    if not known:
        return "–"
    distinct = sorted(set(known.values()))
    if len(distinct) == 1:
        return _on(distinct[0], lang)
    return ", ".join(f"{_on(text, lang)} ({sid})" for sid, text in known.items())


def _on(text: str, lang: str) -> str:
    return format_date(date.fromisoformat(text[:10]), lang)
