"""Check what FRED sent, then merge it into the stored series. Pure functions: no I/O.

A row is `(date, text)`: FRED's number text kept verbatim, '' where FRED has no value.
A refresh asks FRED for everything from a revision window before our newest
observation; inside the window FRED's rows replace ours, outside it ours are
kept untouched. An answer that would remove a value we hold is refused.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

Row = tuple[date, str]

# How far back a refresh re-reads, per frequency: revisions to these series land within weeks.
WINDOW = {"daily": timedelta(days=31), "weekly": timedelta(days=91)}
LONGEST_WINDOW = timedelta(days=400)  # for any other frequency
# A units change moves values by a factor of 1000 (thousands, millions, billions) or 100 (percent vs bp).
JUMP = 100.0
BASELINE = 20  # the level a new value is compared with: median size of the previous 20 values
NUMBER = re.compile(r"-?\d+(\.\d+)?")


class Refused(Exception):
    """FRED's answer fails a check; nothing of it is written. One line, naming the date."""


@dataclass(frozen=True)
class Merged:
    rows: list[Row]
    new: int  # values for dates that had none
    revised: int  # values that changed


def number(text: str) -> float | None:
    return float(text) if text else None


def window_start(rows: Sequence[Row], frequency: str) -> date:
    """The first date to re-read: the newest observation with a value, less the revision window."""
    present = [day for day, text in rows if text]
    newest = present[-1] if present else rows[-1][0]
    return newest - WINDOW.get(frequency, LONGEST_WINDOW)


def read_observations(raw: Sequence[tuple[str | None, str | None]], start: date) -> list[Row]:
    """FRED's (date, value) pairs as rows: dates parse, ascend and are unique; values are numbers or '.'."""
    rows: list[Row] = []
    for position, (when, text) in enumerate(raw, start=1):
        day = _parse_day(when, position)
        if day < start:
            raise Refused(f"observation {position} ({day}) is before the requested start {start}")
        if rows and day <= rows[-1][0]:
            problem = "repeats" if day == rows[-1][0] else "comes before"
            raise Refused(f"observation {position}: date {day} {problem} the previous observation's date")
        value = (text or "").strip()
        if value == ".":
            value = ""
        elif not NUMBER.fullmatch(value):
            raise Refused(f"observation {position} ({day}): value {text!r} is not a number")
        rows.append((day, value))
    return rows


def _parse_day(text: str | None, position: int) -> date:
    try:
        if text is None or len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(f"observation {position}: date {text!r} is not YYYY-MM-DD") from None


def merge_rows(stored: Sequence[Row], fetched: Sequence[Row], start: date) -> Merged:
    """Ours before `start`, FRED's from `start` on; refused if FRED lacks a value we hold."""
    if any(day < start for day, _ in fetched):
        raise Refused(f"FRED's answer reaches back before the requested start {start}")
    ours = {day: text for day, text in stored if day >= start}
    theirs = dict(fetched)
    lost = sorted(day for day, text in ours.items() if text and not theirs.get(day))
    if lost:
        span = f"{lost[0]}" if len(lost) == 1 else f"{lost[0]} to {lost[-1]}"
        raise Refused(
            f"FRED's answer has no value for {len(lost)} date(s) we hold ({span}); refusing to shrink history"
        )
    new = sum(1 for day, text in fetched if text and not ours.get(day))
    revised = sum(1 for day, text in fetched if text and ours.get(day) and number(text) != number(ours[day]))
    rows = [row for row in stored if row[0] < start] + list(fetched)
    return Merged(rows, new, revised)


def check_units(stored: Sequence[Row], merged: Sequence[Row]) -> None:
    """Refuse what looks like a units change.

    FRED restates a whole series when its units change, so a value that moved 100-fold
    or more on a date we already hold is refused. A new date's value is compared with
    the recent level (median size of the previous values) and refused if it is 100
    times higher, or 10 times the series' own largest such rise in the stored history.
    Falls are not judged on new dates, nor rises of a series that rested at zero in the
    recent values (facility usage): such series fall to near zero and surge from it on
    their own, so a value alone cannot tell that from a rescaling.
    """
    ours = {day: number(text) for day, text in stored}
    for day, text in merged:
        before, after = ours.get(day), number(text)
        if before and after and _ratio(after, before) >= JUMP:
            raise Refused(
                f"{day}: the value went from {before:g} to {after:g}, a factor of "
                f"{_ratio(after, before):,.0f}: that looks like a units change"
            )
    present = [(day, v) for day, text in merged if (v := number(text)) is not None]
    first_new = next((i for i, (day, _) in enumerate(present) if ours.get(day) is None), len(present))
    limit = max(JUMP, 10 * _largest_rise([v for _, v in present[:first_new]]))
    for index in range(max(first_new, 5), len(present)):
        day, value = present[index]
        recent = [v for _, v in present[max(0, index - BASELINE) : index]]
        level = _level(recent)
        if all(recent) and abs(value) / level >= limit:
            raise Refused(
                f"{day}: value {value:g} is {abs(value) / level:,.0f} times the recent level "
                f"of {level:g}: that looks like a units change"
            )


def _ratio(a: float, b: float) -> float:
    return max(abs(a / b), abs(b / a))


def _level(values: Iterable[float]) -> float:
    return statistics.median(abs(v) for v in values)


def _largest_rise(values: Sequence[float]) -> float:
    """The largest factor by which a value in `values` exceeded the level before it."""
    rises = [
        abs(values[i]) / level
        for i in range(5, len(values))
        if (level := _level(values[i - BASELINE if i > BASELINE else 0 : i]))
    ]
    return max(rises, default=1.0)
