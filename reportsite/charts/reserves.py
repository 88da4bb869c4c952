"""The report's charts. Data stays in FRED's units; specs convert for display."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from . import Frames, chart
from .common import event_layer

ZH = "zh-Hant"
TRILLION_AXIS = {"en": "US$ trillion", ZH: "兆美元"}
DATE_FORMAT = {"en": "%-d %b %Y", ZH: "%Y-%m-%d"}


def words(lang: str, en: str, zh: str) -> str:
    return zh if lang == ZH else en


def date_x(lang: str, *, title: str | None = None) -> alt.X:
    return alt.X(
        "date:T",
        scale=alt.Scale(type="utc"),
        title=title,
        axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}),
    )


def date_tooltip(lang: str, field: str = "date") -> alt.Tooltip:
    return alt.Tooltip(
        f"{field}:T",
        title=words(lang, "Date", "日期"),
        timeUnit="utcyearmonthdate",
        format=DATE_FORMAT[lang],
    )


def wide(frames: Frames, *series_ids: str, start: str | None = None) -> pd.DataFrame:
    """The named series side by side, one row per date any of them has, FRED units unchanged."""
    table = pd.concat([frames[s] for s in series_ids], axis=1, sort=True)
    if start:
        table = table[table.index >= pd.Timestamp(start)]
    return table.reset_index()


def to_trillions(frames: Frames, series_ids: tuple[str, ...]) -> dict[str, str]:
    """Vega expressions that turn each series into trillions of dollars; a missing value stays missing."""
    return {
        f"{s}_tn": f"isValid(datum.{s}) ? datum.{s} * {frames.info(s).factor / 1e12!r} : null"
        for s in series_ids
    }


@chart("reserves_level", "WRESBAL")
def reserves_level(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """Reserve balances since 2020, with the $3 trillion line the article calls a psychological floor."""
    data = wide(frames, "WRESBAL")
    base = alt.Chart(data).transform_calculate(**to_trillions(frames, ("WRESBAL",)))
    y = alt.Y("WRESBAL_tn:Q", title=TRILLION_AXIS[lang], scale=alt.Scale(zero=False))
    tooltip = [
        date_tooltip(lang),
        alt.Tooltip("WRESBAL_tn:Q", title=frames.info("WRESBAL").short[lang], format=".3f"),
    ]
    line = base.mark_line().encode(x=date_x(lang), y=y)
    points = base.mark_point(opacity=0, size=80).encode(x=date_x(lang), y=y, tooltip=tooltip)
    rule_data = pd.DataFrame({"level": [3.0], "label": [words(lang, "$3 trillion", "3 兆美元")]})
    rule = alt.Chart(rule_data).mark_rule(strokeDash=[5, 4], color="#c2410c").encode(y="level:Q")
    label = (
        alt.Chart(rule_data)
        .mark_text(align="left", dx=4, dy=-7, color="#c2410c")
        .encode(y="level:Q", text="label:N", x=alt.value(0))
    )
    events = event_layer(frames.events, lang, ids=("qt-start", "qt-end", "rmp-start"))
    return alt.layer(line, points, rule, label, *events)


@chart("reserves_drivers", "WRESBAL", "RRPONTSYD", "WTREGEN")
def reserves_drivers(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """Reserves beside the two liabilities that moved them most: ON RRP and the Treasury's account."""
    ids = ("WRESBAL", "RRPONTSYD", "WTREGEN")
    data = wide(frames, *ids, start="2021-01-01")
    names = {s: frames.info(s).short[lang] for s in ids}
    to_tn = {s: frames.info(s).factor / 1e12 for s in ids}
    # Fold the raw columns and drop the empty cells first: a weekly series has no value on most
    # days of the shared date index, and arithmetic on an empty cell would give 0, not a gap.
    chart_ = (
        alt.Chart(data)
        .transform_fold(list(ids), as_=["key", "raw"])
        .transform_filter("isValid(datum.raw)")
        .transform_calculate(
            tn=f"datum.raw * {json.dumps(to_tn)}[datum.key]",
            label=f"{json.dumps(names, ensure_ascii=False)}[datum.key]",
        )
    )
    legend_order = list(names.values())
    color = alt.Color("label:N", title=None, sort=legend_order, scale=alt.Scale(domain=legend_order))
    y = alt.Y("tn:Q", title=TRILLION_AXIS[lang])
    tooltip = [
        date_tooltip(lang),
        alt.Tooltip("label:N", title=words(lang, "Series", "序列")),
        alt.Tooltip("tn:Q", title=TRILLION_AXIS[lang], format=".3f"),
    ]
    line = chart_.mark_line(strokeWidth=1.6).encode(x=date_x(lang), y=y, color=color)
    points = chart_.mark_point(opacity=0, size=60).encode(x=date_x(lang), y=y, color=color, tooltip=tooltip)
    events = event_layer(frames.events, lang, ids=("qt-end", "rmp-start"))
    return alt.layer(line, points, *events)
