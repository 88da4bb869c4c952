"""Declarative checks of an article's figure against one series, evaluated from the snapshot.

A check names a series, what to measure (`kind`), the article's figure in plain
units (dollars, percent, a count) and a tolerance in the same units. It holds
when the measured figure lies within the tolerance (or the stated date falls in
the stated window). Every date a check names must exist in the data: a check
that cannot be evaluated is a build error, never a silent verdict.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .data import Observation, SeriesInfo, Snapshot
from .errors import BuildError
from .sources import LedgerError, bilingual

COMPUTED = ("confirmed", "wrong", "misleading", "unverifiable")
SEVERITY = {"confirmed": 0, "unverifiable": 1, "misleading": 2, "wrong": 3}
DATES = {"date", "start", "end", "on_or_after", "on_or_before"}
NUMBERS = {"value", "tolerance", "below", "above", "from_level", "at_most", "at_least"}
KINDS: dict[str, tuple[set[str], set[str]]] = {
    "level": ({"date", "value", "tolerance"}, set()),
    "change": ({"start", "end"}, {"value", "tolerance", "direction"}),
    "extreme": ({"which", "start"}, {"end", "value", "tolerance", "on_or_after", "on_or_before", "exclude"}),
    "first_cross": ({"start"}, {"end", "below", "above", "on_or_after", "on_or_before"}),
    "count": ({"start", "end"}, {"below", "above", "value", "tolerance", "at_most", "at_least"}),
    "mean": ({"start", "end", "value", "tolerance"}, {"from_level"}),
    "compare": ({"other", "date", "relation"}, {"value", "tolerance"}),
}
COMMON = {"kind", "series", "if_holds", "if_fails", "label", "digits"}
CHOICES = {"which": ("low", "high"), "direction": ("up", "down"), "relation": (">", "<")}
EXCLUSIONS = ("quarter-ends",)


@dataclass(frozen=True)
class Check:
    """One parsed check, with where it was written for error messages."""

    kind: str
    series: str
    params: dict[str, Any]
    if_holds: str
    if_fails: str
    label: dict[str, str]
    digits: int
    where: str
    path: Path
    line: int | None

    def fail(self, message: str) -> LedgerError:
        return LedgerError(f"{self.where}: {message}", path=self.path, line=self.line)

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass(frozen=True)
class Outcome:
    """What the data says for one check: the measured figure and whether the claim holds."""

    check: Check
    info: SeriesInfo
    holds: bool
    measured: float | None
    when: date | None = None
    points: tuple[tuple[date, float], ...] = field(default_factory=tuple)
    other: SeriesInfo | None = None
    window_end: date | None = None


def parse_check(entry: Any, where: str, path: Path, line: int | None) -> Check:
    """Validate a `[[claim.check]]` table; every mistake names the claim and the line."""

    def fail(message: str) -> LedgerError:
        return LedgerError(f"{where}: {message}", path=path, line=line)

    if not isinstance(entry, dict):
        raise fail("a check must be a table")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise fail(f"check kind {kind!r} must be one of {', '.join(KINDS)}")
    required, optional = KINDS[kind]
    missing = sorted(required - set(entry))
    if missing:
        raise fail(f"a '{kind}' check needs '{missing[0]}'")
    unknown = sorted(set(entry) - required - optional - COMMON)
    if unknown:
        raise fail(f"unknown field '{unknown[0]}' in a '{kind}' check")
    if not isinstance(entry.get("series"), str):
        raise fail("a check needs 'series', a FRED id declared in data/series.toml")
    params = {k: _param(k, v, fail) for k, v in entry.items() if k not in COMMON}
    _check_semantics(kind, params, fail)
    verdicts = {k: entry.get(k, d) for k, d in (("if_holds", "confirmed"), ("if_fails", "wrong"))}
    for key, verdict in verdicts.items():
        if verdict not in COMPUTED:
            raise fail(f"'{key}' must be one of {', '.join(COMPUTED)}")
    digits = entry.get("digits", 3)
    if not isinstance(digits, int) or not 1 <= digits <= 6:
        raise fail("'digits' must be a whole number from 1 to 6")
    label = bilingual(entry, "label", fail, required=False)
    return Check(kind, entry["series"], params, verdicts["if_holds"], verdicts["if_fails"], label, digits,
                 where, path, line)  # fmt: skip


def _param(key: str, value: Any, fail: Any) -> Any:
    if key == "end" and value == "latest":
        return None  # the series' newest observation, whenever the data is refreshed
    if key in DATES:
        try:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise fail(f"'{key}' = {value!r} is not a date (YYYY-MM-DD)") from None
    if key in NUMBERS:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise fail(f"'{key}' must be a number")
        if key in ("tolerance", "at_most", "at_least") and value < 0:
            raise fail(f"'{key}' cannot be negative")
        return float(value)
    if key in CHOICES and value not in CHOICES[key]:
        raise fail(f"'{key}' must be one of {', '.join(CHOICES[key])}")
    if key == "exclude" and (not isinstance(value, list) or not set(value) <= set(EXCLUSIONS)):
        raise fail(f"'exclude' must be a list drawn from {', '.join(EXCLUSIONS)}")
    if key == "other" and not isinstance(value, str):
        raise fail("'other' must be a FRED id")
    return value


def _check_semantics(kind: str, p: dict[str, Any], fail: Any) -> None:
    if "value" in p and "tolerance" not in p:
        raise fail("a check with 'value' needs a 'tolerance' (in the same plain units)")
    if kind == "change" and ("value" in p) == ("direction" in p):
        raise fail("a 'change' check needs either 'value' or 'direction'")
    if kind in ("first_cross", "count") and ("below" in p) == ("above" in p):
        raise fail(f"a '{kind}' check needs exactly one of 'below' or 'above'")
    if kind == "count" and sum(k in p for k in ("value", "at_most", "at_least")) != 1:
        raise fail("a 'count' check needs exactly one of 'value', 'at_most' or 'at_least'")
    if kind == "first_cross" and not ("on_or_after" in p or "on_or_before" in p):
        raise fail("a 'first_cross' check needs the article's date as 'on_or_after'/'on_or_before'")
    if kind == "extreme" and not {"value", "on_or_after", "on_or_before"} & set(p):
        raise fail("an 'extreme' check needs the article's 'value' or its date window")
    start, end = p.get("start"), p.get("end")
    if start and end and end < start:
        raise fail("'end' comes before 'start'")


def within(measured: float, claimed: float, tolerance: float) -> bool:
    """|measured - claimed| <= tolerance, forgiving only binary rounding of decimal inputs."""
    return abs(measured - claimed) <= tolerance + 1e-9 * max(abs(claimed), abs(measured), 1.0)


Point = tuple[date, float]


def points_of(observations: list[Observation]) -> list[Point]:
    """(date, value) of the observations that have a value."""
    return [(o.date, o.value) for o in observations if o.value is not None]


def evaluate(check: Check, snapshot: Snapshot) -> Outcome:
    """Measure the check's figure in the snapshot and decide whether the article's figure holds."""
    try:
        series = snapshot.get(check.series)
    except BuildError as exc:
        raise check.fail(exc.message) from None
    points = points_of(series.present())
    if not points:
        raise check.fail(f"{check.series} has no observations")
    return MEASURES[check.kind](check, series.info, points, snapshot)


def _exact(check: Check, sid: str, points: list[Point], day: date) -> float:
    for when, value in points:
        if when == day:
            return value
    raise check.fail(f"{sid} has no observation dated {day}")


def _window(check: Check, points: list[Point], start: date, end: date | None) -> list[Point]:
    first, last = points[0][0], points[-1][0]
    if start < first:
        raise check.fail(f"{check.series} starts on {first}; the window starts earlier, on {start}")
    if end is not None and end > last:
        raise check.fail(f"{check.series} ends on {last}; the window ends later, on {end}")
    window = [p for p in points if start <= p[0] <= (end or last)]
    if not window:
        raise check.fail(f"{check.series} has no observations between {start} and {end or last}")
    return window


def _in_window(check: Check, day: date | None) -> bool:
    lo, hi = check.get("on_or_after"), check.get("on_or_before")
    return day is not None and (lo is None or day >= lo) and (hi is None or day <= hi)


def _plain_ok(check: Check, info: SeriesInfo, measured: float) -> bool:
    if "value" not in check.params:
        return True
    return within(measured * info.factor, check.get("value"), check.get("tolerance"))


def _level(check: Check, info: SeriesInfo, points: list[Point], _: Snapshot) -> Outcome:
    value = _exact(check, check.series, points, check.get("date"))
    return Outcome(check, info, _plain_ok(check, info, value), value, check.get("date"))


def _change(check: Check, info: SeriesInfo, points: list[Point], _: Snapshot) -> Outcome:
    end = check.get("end") or points[-1][0]
    a = _exact(check, check.series, points, check.get("start"))
    b = _exact(check, check.series, points, end)
    delta, tol = b - a, check.get("tolerance", 0.0) / info.factor
    direction = check.get("direction")
    if direction == "up":
        holds = delta > tol
    elif direction == "down":
        holds = delta < -tol
    else:
        holds = _plain_ok(check, info, delta)
    pair = ((check.get("start"), a), (end, b))
    return Outcome(check, info, holds, delta, end, pair, window_end=end)


def _quarter_ends(points: list[Point]) -> set[date]:
    last: dict[tuple[int, int], date] = {}
    for when, _ in points:
        last[(when.year, (when.month - 1) // 3)] = when
    return set(last.values())


def _extreme(check: Check, info: SeriesInfo, points: list[Point], _: Snapshot) -> Outcome:
    window = _window(check, points, check.get("start"), check.get("end"))
    if "quarter-ends" in check.get("exclude", []):
        skip = _quarter_ends(points)
        window = [p for p in window if p[0] not in skip]
    pick = min if check.get("which") == "low" else max
    when, value = pick(window, key=lambda p: p[1])
    dated = "on_or_after" in check.params or "on_or_before" in check.params
    holds = _plain_ok(check, info, value) and (not dated or _in_window(check, when))
    return Outcome(check, info, holds, value, when, window_end=window[-1][0])


def _crosses(check: Check, info: SeriesInfo) -> Callable[[float], bool]:
    """The test of the check's threshold (given in plain units) on a stored value."""
    if "below" in check.params:
        below = check.get("below") / info.factor
        return lambda value: value < below
    above = check.get("above") / info.factor
    return lambda value: value > above


def _first_cross(check: Check, info: SeriesInfo, points: list[Point], _: Snapshot) -> Outcome:
    crosses = _crosses(check, info)
    window = _window(check, points, check.get("start"), check.get("end"))
    hit = next((p for p in window if crosses(p[1])), None)
    when, value = hit if hit else (None, None)
    return Outcome(check, info, _in_window(check, when), value, when, window_end=window[-1][0])


def _count(check: Check, info: SeriesInfo, points: list[Point], _: Snapshot) -> Outcome:
    crosses = _crosses(check, info)
    window = _window(check, points, check.get("start"), check.get("end"))
    n = len([p for p in window if crosses(p[1])])
    if "value" in check.params:
        holds = within(n, check.get("value"), check.get("tolerance"))
    elif "at_most" in check.params:
        holds = n <= check.get("at_most")
    else:
        holds = n >= check.get("at_least")
    return Outcome(check, info, holds, float(n), window_end=window[-1][0])


def _mean(check: Check, info: SeriesInfo, points: list[Point], _: Snapshot) -> Outcome:
    window = _window(check, points, check.get("start"), check.get("end"))
    mean = sum(p[1] for p in window) / len(window)
    base = check.get("from_level")
    measured = mean if base is None else base / info.factor - mean
    return Outcome(check, info, _plain_ok(check, info, measured), measured, window_end=window[-1][0])


def _compare(check: Check, info: SeriesInfo, points: list[Point], snapshot: Snapshot) -> Outcome:
    day = check.get("date")
    a = _exact(check, check.series, points, day)
    try:
        other = snapshot.get(check.get("other"))
    except BuildError as exc:
        raise check.fail(exc.message) from None
    if other.info.units != info.units or other.info.scale != info.scale:
        raise check.fail(f"{check.series} and {other.id} are in different units; compare like with like")
    b = _exact(check, other.id, points_of(other.present()), day)
    diff = a - b
    holds = (diff > 0) if check.get("relation") == ">" else (diff < 0)
    holds = holds and _plain_ok(check, info, diff)
    return Outcome(check, info, holds, diff, day, ((day, a), (day, b)), other.info)


MEASURES = {
    "level": _level,
    "change": _change,
    "extreme": _extreme,
    "first_cross": _first_cross,
    "count": _count,
    "mean": _mean,
    "compare": _compare,
}


def verdict_of(outcome: Outcome) -> str:
    return outcome.check.if_holds if outcome.holds else outcome.check.if_fails


def combine(verdicts: list[str]) -> str:
    """The most severe of the checks' verdicts: one wrong figure makes the claim wrong."""
    return max(verdicts, key=lambda v: SEVERITY[v])
