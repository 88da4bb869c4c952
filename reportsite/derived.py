"""Derived series: figures combined from several FRED series, computed the same way everywhere.

Two are used by the report:

- `NETLIQ`, net liquidity = WALCL − WTREGEN − RRPONTSYD, one value per H.4.1
  Wednesday. WALCL and WTREGEN are in millions of dollars, RRPONTSYD in billions,
  so ON RRP is multiplied by 1,000. The ON RRP value is the one dated that same
  Wednesday; when it has none (a holiday, or past the end of the ON RRP data),
  the week has no net-liquidity value. Nothing is carried over or interpolated.
- `SOFR_IORB`, SOFR minus IORB on the same business day, in percentage points;
  a day without both rates has no value.

In prose they behave like any series (`latest("NETLIQ")`, `change("SOFR_IORB", ...)`),
and `bp(...)`, `mean(...)` and `steepest(...)` help with spreads, averages and the
largest step from one observation to the next.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .data import Observation, Series, SeriesInfo, Snapshot
from .errors import ContentError
from .values import Change, Figure, Values

NET_LIQUIDITY = "NETLIQ"
SOFR_IORB = "SOFR_IORB"
RRP_TO_MILLIONS = 1000.0  # RRPONTSYD is in billions; WALCL and WTREGEN in millions
ROUTED = ("latest", "at", "asof", "change", "low", "high", "first", "count", "series")


@dataclass(frozen=True)
class Recipe:
    """How a derived series is made: its inputs, its description and its arithmetic."""

    id: str
    inputs: tuple[str, ...]
    combine: Callable[[Snapshot], list[Observation]]
    text: dict[str, dict[str, str]] = field(default_factory=dict)
    units: str = "usd"
    scale: str = "millions"
    frequency: str = "weekly"
    as_of: str = "wednesday-level"


def values_by_date(snapshot: Snapshot, series_id: str) -> dict[date, float]:
    """The observations of a series that have a value, keyed by date."""
    return {o.date: o.value for o in snapshot.get(series_id).present() if o.value is not None}


def combine_net_liquidity(snapshot: Snapshot) -> list[Observation]:
    """WALCL − WTREGEN − 1,000 × RRPONTSYD on each WALCL Wednesday, in millions; missing stays missing."""
    tga = values_by_date(snapshot, "WTREGEN")
    rrp = values_by_date(snapshot, "RRPONTSYD")
    rows = []
    for obs in snapshot.get("WALCL").observations:
        treasury, reverse_repo = tga.get(obs.date), rrp.get(obs.date)
        if obs.value is None or treasury is None or reverse_repo is None:
            rows.append(Observation(obs.date, None))
            continue
        rows.append(Observation(obs.date, round(obs.value - treasury - reverse_repo * RRP_TO_MILLIONS, 3)))
    return rows


def combine_sofr_iorb(snapshot: Snapshot) -> list[Observation]:
    """SOFR − IORB on each SOFR date, in percentage points; no IORB that day means no value."""
    iorb = values_by_date(snapshot, "IORB")
    rows = []
    for obs in snapshot.get("SOFR").observations:
        floor = iorb.get(obs.date)
        value = None if obs.value is None or floor is None else round(obs.value - floor, 6)
        rows.append(Observation(obs.date, value))
    return rows


RECIPES = (
    Recipe(
        NET_LIQUIDITY,
        ("WALCL", "WTREGEN", "RRPONTSYD"),
        combine_net_liquidity,
        {
            "title": {
                "en": "Net liquidity: Fed total assets minus the TGA minus ON RRP",
                "zh-Hant": "淨流動性:聯準會總資產減財政部TGA再減隔夜逆回購",
            },
            "short": {"en": "Net liquidity", "zh-Hant": "淨流動性"},
        },
    ),
    Recipe(
        SOFR_IORB,
        ("SOFR", "IORB"),
        combine_sofr_iorb,
        {
            "title": {"en": "SOFR minus the interest rate on reserves", "zh-Hant": "SOFR 減準備金利率"},
            "short": {"en": "SOFR − IORB", "zh-Hant": "SOFR − IORB"},
        },
        units="percent",
        scale="units",
        frequency="daily",
        as_of="daily",
    ),
)


def _info(recipe: Recipe) -> SeriesInfo:
    inputs = " − ".join(recipe.inputs)
    note = {"en": f"Computed from FRED {inputs}.", "zh-Hant": f"由 FRED {inputs} 計算而得。"}
    return SeriesInfo(
        id=recipe.id,
        title=recipe.text["title"],
        short=recipe.text["short"],
        as_of_note=note,
        licence_note=note,
        fred_title=inputs,
        source="Derived from FRED series",
        release="",
        units=recipe.units,
        scale=recipe.scale,
        frequency=recipe.frequency,
        as_of=recipe.as_of,
        licence="public-domain",
        redistribute=False,
    )


def derive(snapshot: Snapshot, series_id: str) -> Series:
    """One derived series, computed from the snapshot."""
    for recipe in RECIPES:
        if recipe.id == series_id:
            observations = tuple(recipe.combine(snapshot))
            return Series(_info(recipe), {"derived_from": list(recipe.inputs)}, observations, Path(recipe.id))
    raise ContentError(f"unknown derived series '{series_id}'")


def with_derived(snapshot: Snapshot) -> Snapshot:
    """The snapshot plus every derived series whose inputs it holds.

    Every page and claim asks for it, so the last answer is kept for as long as
    the snapshot holds the same series objects.
    """
    key = _identity(snapshot)
    if _last is not None and _last[0] == key:
        return _last[1]
    extra = {r.id: derive(snapshot, r.id) for r in RECIPES if all(i in snapshot.series for i in r.inputs)}
    combined = Snapshot({**snapshot.series, **extra})
    _remember(key, combined)
    return combined


_last: tuple[tuple[int, ...], Snapshot] | None = None


def _identity(snapshot: Snapshot) -> tuple[int, ...]:
    return (id(snapshot), *(id(s) for s in snapshot.series.values()))


def _remember(key: tuple[int, ...], combined: Snapshot) -> None:
    global _last
    _last = (key, combined)


def format_bp(points: float, lang: str) -> str:
    """Percentage points as basis points: 0.16 → "16 bp" / "16 個基點"; negative keeps its sign."""
    bp = round(points * 100)
    text = f"{abs(bp):,}"
    if bp < 0:
        text = "\u2212" + text
    return f"{text} 個基點" if lang.startswith("zh") else f"{text} bp"


class Extras:
    """Prose helpers over the snapshot with its derived series."""

    def __init__(self, values: Values):
        self.values = Values(with_derived(values.snapshot), values.lang)

    def _figure(self, series_id: str, obs: Observation, value: float | None = None) -> Figure:
        shown = obs.value if value is None else value
        return Figure(self.values.series(series_id), obs.date, shown or 0.0, self.values.lang)

    def bp(self, item: Figure | Change | float) -> str:
        """A spread level in basis points; a Change already prints in bp."""
        if isinstance(item, Change):
            return str(item)
        return format_bp(item.value if isinstance(item, Figure) else float(item), self.values.lang)

    def mean(self, series_id: str, start: str, end: str) -> Figure:
        """The average of the observations in a window, dated at its last observation."""
        window = self.values._window(series_id, start, end)
        average = sum(o.value for o in window) / len(window)
        return self._figure(series_id, window[-1], average)

    def steepest(self, series_id: str, start: str, end: str | None = None, *, fall: bool = True) -> Change:
        """The largest move from one observation to the next in a window: a fall, or a rise."""
        window = self.values._window(series_id, start, end)
        if len(window) < 2:
            raise ContentError(f"{series_id} has fewer than two observations between {start} and {end}")
        pick = min if fall else max
        before, after = pick(itertools.pairwise(window), key=lambda pair: pair[1].value - pair[0].value)
        return Change(self._figure(series_id, before), self._figure(series_id, after))


def derived_functions(values: Values) -> dict[str, object]:
    """Prose functions that also know the derived series, plus `bp()`, `mean()` and `steepest()`."""
    extras = Extras(values)
    routed = {name: getattr(extras.values, name) for name in ROUTED}
    return {**routed, "bp": extras.bp, "mean": extras.mean, "steepest": extras.steepest}
