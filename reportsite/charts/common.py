"""Helpers shared by chart modules (this module registers no chart of its own).

`event_layer` draws dated policy events from `data/events.toml` as labelled
vertical rules: `alt.layer(line, *event_layer(frames.events, lang, start="2022-01-01"))`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import altair as alt
import pandas as pd

from . import ChartError

EVENT_COLOUR = "#7c3aed"
LABEL_ROWS = 3  # labels step down in this many rows so that close events stay readable
ROW_HEIGHT = 13
DATE_FORMAT = {"en": "%-d %b %Y", "zh-Hant": "%Y-%m-%d"}
WORDS = {"en": ("Date", "Event"), "zh-Hant": ("日期", "事件")}


def _as_date(value: str | date | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def pick_events(
    events: Iterable[Any],
    *,
    start: str | date | None = None,
    end: str | date | None = None,
    kinds: Sequence[str] | None = None,
    ids: Sequence[str] | None = None,
) -> list[Any]:
    """The events in [start, end] whose kind is in `kinds` and id in `ids` (None = any).

    Naming an id that no event has is an error, so a typo cannot silently drop an event.
    """
    events = list(events)
    if ids is not None and events:
        unknown = sorted(set(ids) - {e.id for e in events})
        if unknown:
            raise ChartError(f"event_layer: no event '{unknown[0]}' in data/events.toml")
    lo, hi = _as_date(start), _as_date(end)
    return [
        e
        for e in events
        if (lo is None or e.date >= lo)
        and (hi is None or e.date <= hi)
        and (kinds is None or e.kind in kinds)
        and (ids is None or e.id in ids)
    ]


def event_layer(
    events: Iterable[Any],
    lang: str,
    *,
    start: str | date | None = None,
    end: str | date | None = None,
    kinds: Sequence[str] | None = None,
    ids: Sequence[str] | None = None,
    labelled: bool = True,
    bottom: bool = False,
) -> list[alt.Chart]:
    """Rules and labels for the chosen events, to add to a layered chart with a utc date x axis.

    Labels step down in rows in date order, along the top of the plot, or along its
    bottom with `bottom=True` where the data fill the top; `labelled=False` draws the
    rules alone (for instance in the lower of two stacked panels). Every rule carries
    the event's date and label as its tooltip.
    Returns an empty list when there are no events to draw (for instance in a project
    without data/events.toml), so `alt.layer(line, *event_layer(...))` always works.
    The events' field is `when`, not `date`, so they stay inline annotations and never
    become the chart's data file.
    """
    chosen = sorted(pick_events(events, start=start, end=end, kinds=kinds, ids=ids), key=lambda e: e.date)
    if not chosen:
        return []
    rows = pd.DataFrame(
        {
            "when": [e.date.isoformat() for e in chosen],
            "event": [e.label[lang] for e in chosen],
            "row": [i % LABEL_ROWS for i in range(len(chosen))],
        }
    )
    x = alt.X("when:T", scale=alt.Scale(type="utc"), title=None)
    date_word, event_word = WORDS.get(lang, WORDS["en"])
    tooltip = [
        alt.Tooltip(
            "when:T",
            title=date_word,
            timeUnit="utcyearmonthdate",
            format=DATE_FORMAT.get(lang, DATE_FORMAT["en"]),
        ),
        alt.Tooltip("event:N", title=event_word),
    ]
    base = alt.Chart(rows)
    rule = base.mark_rule(color=EVENT_COLOUR, strokeDash=[2, 3], strokeWidth=1.2).encode(x=x, tooltip=tooltip)
    used = min(LABEL_ROWS, len(chosen))
    labels = [
        base.transform_filter(f"datum.row == {row}")
        .mark_text(align="left", baseline="top", dx=3, color=EVENT_COLOUR, fontSize=11)
        .encode(x=x, y=_label_y(row, used, bottom), text="event:N")
        for row in range(used if labelled else 0)
    ]
    return [rule, *labels]


def _label_y(row: int, rows: int, bottom: bool) -> alt.YValue:
    """Where a row of labels sits: from the top of the plot down, or ending at its bottom."""
    if bottom:
        return alt.YValue(alt.ExprRef(f"height - {2 + (rows - row) * ROW_HEIGHT}"))
    return alt.YValue(2 + row * ROW_HEIGHT)


def event_date(events: Iterable[Any], event_id: str, chart: str) -> date:
    """The date of one event that a chart's data depend on; missing, it is an error naming both."""
    for event in events:
        if event.id == event_id:
            found: date = event.date
            return found
    raise ChartError(f"chart '{chart}' needs the event '{event_id}' from data/events.toml")
