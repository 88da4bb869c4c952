"""Chapter 5 charts: how Treasury yields, mortgage rates and credit spreads moved around the end of QT.

Data stay in FRED's units (yields and spreads in percent); the specs convert
spreads to basis points for display. Policy dates drawn as rules come from
data/events.toml (the FOMC statements of 4 May 2022 and 29 October 2025).
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from . import Frames, chart
from .common import event_layer
from .reserves import date_tooltip, wide, words

Layered = alt.LayerChart | alt.FacetChart  # what alt.layer() is typed to return
ICE_CREDIT = {
    "en": "Spreads: ICE BofA indices, © ICE Data Indices, LLC, via FRED; shown for commentary only.",
    "zh-Hant": "利差:ICE美銀指數,© ICE Data Indices, LLC,經 FRED 取得;僅供評論引用。",
}


# The 29 October 2025 FOMC decision: it announced the end of QT and cut the target range.
DECISION_EVENTS = ("qt-end-announced", "rate-cut-2025-10-29")


AXIS_FORMATS = {
    "day": {"en": "%-d %b", "zh-Hant": "%-m月%-d日"},
    "month": {"en": "%b %Y", "zh-Hant": "%Y年%-m月"},
    "year": {"en": "%Y", "zh-Hant": "%Y"},
}


def time_x(lang: str, span: str, field: str = "date") -> alt.X:
    """A UTC date axis labelled by day, month or year; every layer of a chart uses the same one."""
    return alt.X(
        f"{field}:T",
        scale=alt.Scale(type="utc"),
        title=None,
        axis=alt.Axis(format=AXIS_FORMATS[span][lang], labelAngle=0, tickCount=8),
    )


def folded(frames: Frames, ids: tuple[str, ...], lang: str, start: str, end: str | None = None) -> alt.Chart:
    """The series in long form (one row per date and series), labelled in the page's language."""
    data = wide(frames, *ids, start=start)
    if end:
        data = data[data["date"] <= pd.Timestamp(end)]
    names = {s: frames.info(s).short[lang] for s in ids}
    return (
        alt.Chart(data)
        .transform_fold(list(ids), as_=["key", "value"])
        .transform_filter("isValid(datum.value)")
        .transform_calculate(label=f"{json.dumps(names, ensure_ascii=False)}[datum.key]")
    )


def legend_color(frames: Frames, ids: tuple[str, ...], lang: str) -> alt.Color:
    order = [frames.info(s).short[lang] for s in ids]
    return alt.Color("label:N", title=None, sort=order, scale=alt.Scale(domain=order))


def value_tooltip(lang: str, title: str, field: str = "value", fmt: str = ".2f") -> list[alt.Tooltip]:
    return [
        date_tooltip(lang),
        alt.Tooltip("label:N", title=words(lang, "Series", "序列")),
        alt.Tooltip(f"{field}:Q", title=title, format=fmt),
    ]


def attribution(text: str) -> alt.Chart:
    """A small source line inside the chart, bottom right, for data owned by a third party."""
    data = pd.DataFrame({"text": [text]})
    return (
        alt.Chart(data)
        .mark_text(align="right", baseline="bottom", dy=-4, fontSize=10, opacity=0.8)
        .encode(x=alt.XValue(alt.ExprRef("width")), y=alt.YValue(alt.ExprRef("height")), text="text:N")
    )


@chart("yields_decision", "DGS10", "DGS30")
def yields_decision(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """Daily 10- and 30-year yields in the weeks around the 29 October 2025 FOMC decision."""
    ids = ("DGS10", "DGS30")
    base = folded(frames, ids, lang, start="2025-10-01", end="2025-11-21")
    y = alt.Y("value:Q", title=words(lang, "Yield, %", "殖利率(%)"), scale=alt.Scale(zero=False))
    color = legend_color(frames, ids, lang)
    tooltip = value_tooltip(lang, words(lang, "Yield, %", "殖利率(%)"))
    line = base.mark_line(strokeWidth=1.8).encode(x=time_x(lang, "day"), y=y, color=color)
    points = base.mark_point(filled=True, size=28).encode(
        x=time_x(lang, "day"), y=y, color=color, tooltip=tooltip
    )
    decision = frames.event_date("qt-end-announced").isoformat()
    events = event_layer(frames.events, lang, ids=DECISION_EVENTS)
    return alt.layer(line, points, closes_around(frames, ids, lang, decision), *events)


def closes_around(frames: Frames, ids: tuple[str, ...], lang: str, day: str) -> Layered:
    """Each series' close on `day` and on its previous trading day, written beside the points."""
    rows = []
    for sid in ids:
        series = frames[sid]
        at = series.index.get_loc(pd.Timestamp(day))
        for side, (when, value) in zip(("before", "on"), series.iloc[at - 1 : at + 1].items(), strict=True):
            label = frames.info(sid).short[lang]
            rows.append({"when": when.strftime("%Y-%m-%d"), "side": side, "level": value, "label": label})
    data = pd.DataFrame(rows).assign(text=lambda d: d["level"].map("{:.2f}%".format))
    x = time_x(lang, "day", "when")
    text = alt.Chart(data).encode(x=x, y="level:Q", color=legend_color(frames, ids, lang), text="text:N")
    before = text.transform_filter(alt.datum.side == "before").mark_text(align="right", dx=-6, dy=9)
    on_day = text.transform_filter(alt.datum.side == "on").mark_text(align="right", dx=-6, dy=-9)
    return alt.layer(before, on_day)


@chart("rates_long", "DGS10", "DGS30", "MORTGAGE30US")
def rates_long(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """10- and 30-year yields (daily) and the 30-year mortgage rate (weekly) since 2020."""
    ids = ("DGS10", "DGS30", "MORTGAGE30US")
    base = folded(frames, ids, lang, start="2020-01-01")
    y = alt.Y("value:Q", title=words(lang, "Percent", "百分比(%)"))
    color = legend_color(frames, ids, lang)
    line = base.mark_line(strokeWidth=1.4).encode(x=time_x(lang, "year"), y=y, color=color)
    points = base.mark_point(opacity=0, size=40).encode(
        x=time_x(lang, "year"),
        y=y,
        color=color,
        tooltip=value_tooltip(lang, words(lang, "Percent", "百分比")),
    )
    return alt.layer(line, points, *event_layer(frames.events, lang, ids=("qt-start", "qt-end-announced")))


@chart("credit_spreads", "BAMLH0A0HYM2", "BAMLC0A0CM")
def credit_spreads(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """High-yield and investment-grade option-adjusted spreads since 2024, in basis points."""
    ids = ("BAMLH0A0HYM2", "BAMLC0A0CM")
    base = folded(frames, ids, lang, start="2024-01-01").transform_calculate(bp="datum.value * 100")
    bp_title = words(lang, "Spread over Treasuries, bp", "相對公債利差(基點)")
    y = alt.Y("bp:Q", title=bp_title)
    color = legend_color(frames, ids, lang)
    line = base.mark_line(strokeWidth=1.4).encode(x=time_x(lang, "month"), y=y, color=color)
    points = base.mark_point(opacity=0, size=40).encode(
        x=time_x(lang, "month"), y=y, color=color, tooltip=value_tooltip(lang, bp_title, "bp", ".0f")
    )
    hy = frames["BAMLH0A0HYM2"]
    picks = [hy[:"2024-12-31"].index[-1], hy["2025"].idxmax(), hy[:"2025-10-31"].index[-1]]
    marked = pd.DataFrame(
        {"when": [d.strftime("%Y-%m-%d") for d in picks], "bp": [hy[d] * 100 for d in picks]}
    )
    dots = alt.Chart(marked).encode(x=time_x(lang, "month", "when"), y="bp:Q")
    labels = dots.mark_text(align="right", dx=-5, dy=-8, fontSize=11, fontWeight="bold").encode(
        text=alt.Text("bp:Q", format=".0f")
    )
    hy_title = f"{frames.info('BAMLH0A0HYM2').short[lang]}{words(lang, ', bp', '(基點)')}"
    marked_tips = [date_tooltip(lang, "when"), alt.Tooltip("bp:Q", title=hy_title, format=".0f")]
    marked_dots = dots.mark_point(filled=True, size=36, color="#1f5fa8").encode(tooltip=marked_tips)
    marks = [line, points, marked_dots, labels]
    events = event_layer(frames.events, lang, ids=("qt-end-announced",))
    return alt.layer(*marks, *events, attribution(ICE_CREDIT[lang]))
