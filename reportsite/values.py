"""Live values for prose: figures computed from the snapshot and formatted per language.

`{{ latest("WRESBAL") }}` renders as "$3.03 trillion" on an English page and
"3.03 兆美元" on a Traditional Chinese one; `.on` gives the observation date.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, cast

from markupsafe import Markup

from .data import Observation, Series, SeriesInfo, Snapshot
from .errors import ContentError

MINUS = "\u2212"
EN_MONTHS = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]


def format_date(when: date, lang: str) -> str:
    if lang.startswith("zh"):
        return f"{when.year}年{when.month}月{when.day}日"
    return f"{when.day} {EN_MONTHS[when.month - 1]} {when.year}"


def _sig(value: float, digits: int) -> str:
    """`value` with `digits` significant figures, thousands separated, no exponent."""
    if value == 0:
        return "0"
    decimals = max(digits - 1 - math.floor(math.log10(abs(value))), 0)
    return f"{value:,.{decimals}f}"


def format_usd(amount: float, lang: str, digits: int = 3) -> str:
    """A dollar amount in words of scale: "$2.93 trillion" / "2.93 兆美元"."""
    size = abs(amount)
    if lang.startswith("zh"):
        for unit, name in ((1e12, "兆"), (1e8, "億"), (1e4, "萬")):
            if size >= unit:
                return f"{_sig(size / unit, digits)} {name}美元"
        return f"{size:,.0f} 美元"
    for unit, name in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if size >= unit:
            return f"${_sig(size / unit, digits)} {name}"
    return f"${size:,.0f}"


def format_level(value: float, info: SeriesInfo, lang: str, digits: int = 3) -> str:
    """A level in the series' units, without sign handling."""
    return format_units(value, info.units, info.factor, lang, digits)


def format_units(value: float, units: str, factor: float, lang: str, digits: int = 3) -> str:
    """A level given its units (usd, percent, index, bp) and the factor to plain units."""
    if units == "usd":
        text = format_usd(value * factor, lang, digits)
        return MINUS + text if value < 0 else text  # a change column can be negative
    if units == "percent":
        return f"{value:.2f}%"
    if units == "bp":
        return f"{value:,.0f} 個基點" if lang.startswith("zh") else f"{value:,.0f} bp"
    return f"{value:,.2f}"


def format_change(delta: float, info: SeriesInfo, lang: str, digits: int) -> str:
    """A signed difference: dollars, basis points for rates, points for an index."""
    sign = "+" if delta > 0 else MINUS if delta < 0 else "±"
    size = abs(delta)
    if info.units == "percent":
        bp = round(size * 100)
        return f"{sign}{bp} 個基點" if lang.startswith("zh") else f"{sign}{bp} bp"
    if info.units == "usd":
        return sign + format_usd(size * info.factor, lang, digits)
    return f"{sign}{size:,.2f}"


@dataclass(frozen=True)
class Figure:
    """A dated value of a series, printed in the page's language."""

    info: SeriesInfo
    date: date
    value: float
    lang: str
    digits: int = 3

    def __str__(self) -> str:
        return format_level(self.value, self.info, self.lang, self.digits)

    @property
    def on(self) -> str:
        return format_date(self.date, self.lang)

    @property
    def usd(self) -> float:
        """The value in plain units (dollars for a dollar series)."""
        return self.value * self.info.factor

    def sig(self, digits: int) -> Figure:
        return replace(self, digits=digits)


@dataclass(frozen=True)
class Change:
    """The difference between two figures of one series."""

    start: Figure
    end: Figure
    digits: int = 3

    @property
    def delta(self) -> float:
        return self.end.value - self.start.value

    def __str__(self) -> str:
        return format_change(self.delta, self.end.info, self.end.lang, self.digits)

    @property
    def abs(self) -> str:
        return str(self).lstrip("+±" + MINUS)

    @property
    def up(self) -> bool:
        return self.delta > 0

    @property
    def percent(self) -> str:
        """Relative change, e.g. "−17.2%"."""
        pct = self.delta / self.start.value * 100
        return f"{'+' if pct > 0 else MINUS if pct < 0 else ''}{abs(pct):.1f}%"

    def sig(self, digits: int) -> Change:
        return replace(self, digits=digits)


def _as_date(when: str | date, name: str) -> date:
    if isinstance(when, date):
        return when
    try:
        return date.fromisoformat(str(when))
    except ValueError:
        raise ContentError(f"{name}: {when!r} is not a date (YYYY-MM-DD)") from None


def _threshold(series_id: str, below: float | None, above: float | None) -> Callable[[float], bool]:
    if (below is None) == (above is None):
        raise ContentError(f"{series_id}: give exactly one of below= or above=")
    if below is not None:
        return lambda value: value < below
    return lambda value: value > above  # type: ignore[operator]


class Values:
    """The functions prose may call, bound to one snapshot and one language."""

    def __init__(self, snapshot: Snapshot, lang: str):
        self.snapshot = snapshot
        self.lang = lang
        self.extra: dict[str, object] = {}  # further functions for prose (e.g. policy tables)

    def _figure(self, series: Series, when: date, value: float) -> Figure:
        return Figure(series.info, when, value, self.lang)

    def _window(self, series_id: str, start: str | date | None, end: str | date | None) -> list:
        series = self.snapshot.get(series_id)
        lo = _as_date(start, series_id) if start else date.min
        hi = _as_date(end, series_id) if end else date.max
        window = [o for o in series.present() if lo <= o.date <= hi]
        if not window:
            raise ContentError(f"{series_id} has no observations between {start} and {end}")
        return window

    def latest(self, series_id: str) -> Figure:
        """The newest observation that has a value."""
        obs = self._window(series_id, None, None)[-1]
        return self._figure(self.snapshot.get(series_id), obs.date, obs.value)

    def at(self, series_id: str, when: str | date) -> Figure:
        """The observation dated exactly `when`; missing stays missing, so no fallback."""
        day = _as_date(when, series_id)
        series = self.snapshot.get(series_id)
        for obs in series.observations:
            if obs.date == day:
                if obs.value is None:
                    raise ContentError(f"{series_id} has no value on {day} (FRED reports it missing)")
                return self._figure(series, day, obs.value)
        raise ContentError(f"{series_id} has no observation dated {day}")

    def asof(self, series_id: str, when: str | date) -> Figure:
        """The newest observation on or before `when`."""
        obs = self._window(series_id, None, when)[-1]
        return self._figure(self.snapshot.get(series_id), obs.date, obs.value)

    def change(
        self,
        series_id: str,
        start: str | date | None = None,
        end: str | date | None = None,
        *,
        weeks: int = 0,
        days: int = 0,
    ) -> Change:
        """From the observation at `start` (or `weeks`/`days` before the end) to the one at `end`."""
        last = self.asof(series_id, end) if end else self.latest(series_id)
        if start is None:
            if not (weeks or days):
                raise ContentError(f"change of {series_id}: give a start date or a window")
            first = self.asof(series_id, last.date - timedelta(weeks=weeks, days=days))
        else:
            first = self.asof(series_id, start)
        return Change(first, last)

    def low(self, series_id: str, start: str | date | None = None, end: str | date | None = None) -> Figure:
        """The lowest value in a window, with its (first) date."""
        obs = min(self._window(series_id, start, end), key=lambda o: o.value)
        return self._figure(self.snapshot.get(series_id), obs.date, obs.value)

    def high(self, series_id: str, start: str | date | None = None, end: str | date | None = None) -> Figure:
        """The highest value in a window, with its (first) date."""
        obs = max(self._window(series_id, start, end), key=lambda o: o.value)
        return self._figure(self.snapshot.get(series_id), obs.date, obs.value)

    def _past(
        self,
        series_id: str,
        below: float | None = None,
        above: float | None = None,
        start: str | date | None = None,
        end: str | date | None = None,
    ) -> list[Observation]:
        """The observations of a window that lie below or above a level (the series' stored units)."""
        test = _threshold(series_id, below, above)
        return [obs for obs in self._window(series_id, start, end) if test(obs.value)]

    def _one(self, series_id: str, found: list[Observation], where: dict[str, Any]) -> Figure:
        if not found:
            window = f"between {where.get('start')} and {where.get('end')}"
            raise ContentError(f"{series_id} never crosses that level {window}")
        value = cast(float, found[0].value)  # _window keeps only observations that have a value
        return self._figure(self.snapshot.get(series_id), found[0].date, value)

    def first(self, series_id: str, **where: Any) -> Figure:
        """The first observation past a level: `below=` or `above=`, optional `start=`, `end=`."""
        return self._one(series_id, self._past(series_id, **where), where)

    def last(self, series_id: str, **where: Any) -> Figure:
        """The last observation past a level: `below=` or `above=`, optional `start=`, `end=`."""
        return self._one(series_id, self._past(series_id, **where)[::-1], where)

    def count(self, series_id: str, **where: Any) -> int:
        """How many observations lie past a level: `below=` or `above=`, optional `start=`, `end=`."""
        return len(self._past(series_id, **where))

    def series(self, series_id: str) -> SeriesInfo:
        return self.snapshot.get(series_id).info

    def date(self, when: str | date) -> str:
        return format_date(_as_date(when, "date"), self.lang)

    def usd(self, amount: float, digits: int = 3) -> str:
        """Format a computed dollar amount (e.g. a sum of figures' `.usd`)."""
        return format_usd(amount, self.lang, digits)

    @staticmethod
    def quote(text: str) -> Markup:
        """A figure as the article states it — shown as quoted, never taken for data."""
        return Markup('<span class="quoted">{}</span>').format(text)

    @staticmethod
    def fixed(text: str) -> Markup:
        """A figure set by a primary document (a runoff cap, a rate setting, a threshold), not data."""
        return Markup('<span class="fixed">{}</span>').format(text)

    def functions(self) -> dict[str, object]:
        names = (
            *("latest", "at", "asof", "change", "low", "high", "first", "last", "count"),
            *("series", "date", "usd", "quote", "fixed"),
        )
        from .derived import derived_functions

        return {**{name: getattr(self, name) for name in names}, **derived_functions(self), **self.extra}
