"""Net liquidity charts: bitcoin against it (chapter 5) and where things stand since QT ended (chapter 6).

Net liquidity = WALCL − WTREGEN − RRPONTSYD, taken on each H.4.1 Wednesday with the
ON RRP result of that same Wednesday (RRPONTSYD is in billions, so × 1,000 to match
the millions of the other two). A Wednesday without an ON RRP result has no value:
the line breaks there rather than being filled. The same arithmetic backs the
`NETLIQ` figures in prose (reportsite/derived.py); a test checks they agree.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from ..derived import RRP_TO_MILLIONS
from ..values import format_date
from . import Frames, chart
from .common import event_layer
from .markets import Layered, time_x, value_tooltip
from .reserves import TRILLION_AXIS, date_tooltip, words

LIQUIDITY_INPUTS = ("WALCL", "WTREGEN", "RRPONTSYD")
NETLIQ_LABEL = {"en": "Net liquidity", "zh-Hant": "淨流動性"}
BTC_COLOR, LIQ_COLOR, RES_COLOR = "#b45309", "#1f5fa8", "#15803d"
CHANGE_COLORS = ["#52606d", "#c2410c", RES_COLOR, LIQ_COLOR]
SINCE = "2025-06-01"
MOVED = "isValid(datum.level) && isValid(datum.start) ? (datum.level - datum.start) * {k} : null"
CHANGE_NAMES = {
    "WALCL": ("Fed total assets", "聯準會總資產"),
    "WTREGEN": ("TGA", "財政部TGA"),
    "WRESBAL": ("Reserves", "準備金"),
    "NETLIQ": ("Net liquidity", "淨流動性"),
}  # the panels for chapter 6 start half a year before QT ended


def net_liquidity(frames: Frames) -> pd.Series:
    """Net liquidity in millions of dollars on each WALCL Wednesday; NaN where an input is missing."""
    walcl = frames["WALCL"]
    tga = frames["WTREGEN"].reindex(walcl.index)
    rrp = frames["RRPONTSYD"].reindex(walcl.index)
    return (walcl - tga - rrp * RRP_TO_MILLIONS).round(3).rename("NETLIQ")


def trillions(column: str) -> str:
    """A Vega expression: a column in millions as trillions, null staying null (never 0)."""
    return f"isValid(datum.{column}) ? datum.{column} / 1e6 : null"


@chart(
    "bitcoin_liquidity",
    "CBBTCUSD",
    *LIQUIDITY_INPUTS,
    units={"NETLIQ": ("usd", 1e6)},
    labels={"NETLIQ": NETLIQ_LABEL},
)
def bitcoin_liquidity(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """Bitcoin's daily price (log scale) beside weekly net liquidity, with QT's start and end marked."""
    btc = frames["CBBTCUSD"]
    data = pd.concat([btc, net_liquidity(frames)], axis=1)
    data = data[data.index >= pd.Timestamp("2020-01-01")].reset_index()
    base = alt.Chart(data)
    x = time_x(lang, "year")
    btc_title = words(lang, "Bitcoin, US$ (log scale)", "比特幣(美元,對數刻度)")
    liq_title = words(lang, "Net liquidity, US$ trillion", "淨流動性(兆美元)")
    shown = btc[btc.index >= pd.Timestamp("2020-01-01")]
    log_scale = alt.Scale(type="log", domain=[shown.min() * 0.9, shown.max() * 1.6], nice=False)
    daily = base.transform_filter("isValid(datum.CBBTCUSD)")
    price_y = alt.Y("CBBTCUSD:Q", scale=log_scale, axis=alt.Axis(title=btc_title, titleColor=BTC_COLOR))
    price = daily.mark_line(strokeWidth=1.2, color=BTC_COLOR).encode(x=x, y=price_y)
    price_tips = hover_points(
        daily, x, price_y, [date_tooltip(lang), alt.Tooltip("CBBTCUSD:Q", title=btc_title, format=",.0f")]
    )
    weekly = base.transform_filter("utcday(datum.date) == 3").transform_calculate(tn=trillions("NETLIQ"))
    liq_axis = alt.Axis(title=liq_title, titleColor=LIQ_COLOR, grid=False)
    liq_y = alt.Y("tn:Q", scale=alt.Scale(zero=False), axis=liq_axis)
    liquidity = weekly.mark_line(strokeWidth=2, color=LIQ_COLOR).encode(x=x, y=liq_y)
    liq_tips = hover_points(
        weekly, x, liq_y, [date_tooltip(lang), alt.Tooltip("tn:Q", title=liq_title, format=".3f")]
    )
    pair = alt.layer(
        alt.layer(price, price_tips, peak_label(btc, lang)), alt.layer(liquidity, liq_tips)
    ).resolve_scale(y="independent")
    return alt.layer(pair, *event_layer(frames.events, lang, ids=("qt-start", "qt-end")))


def hover_points(base: alt.Chart, x: alt.X, y: alt.Y, tooltip: list[alt.Tooltip]) -> alt.Chart:
    """Invisible points that carry a line's tooltips: a line's own tooltip would show only its first row."""
    return base.mark_point(opacity=0, size=40).encode(x=x, y=y, tooltip=tooltip)


def peak_label(price: pd.Series, lang: str) -> Layered:
    """The highest close in the data, marked and labelled with its value and date."""
    day = price.idxmax()
    amount = f"{price[day]:,.0f} 美元" if lang == "zh-Hant" else f"${price[day]:,.0f}"
    text = f"{amount} ({format_date(day.date(), lang)})"
    data = pd.DataFrame({"when": [day.strftime("%Y-%m-%d")], "CBBTCUSD": [price[day]], "text": [text]})
    base = alt.Chart(data).encode(x=time_x(lang, "year", "when"), y="CBBTCUSD:Q")
    peak_title = words(lang, "Highest close, US$", "最高收盤價(美元)")
    dot = base.mark_point(filled=True, size=40, color=BTC_COLOR).encode(
        tooltip=[date_tooltip(lang, "when"), alt.Tooltip("CBBTCUSD:Q", title=peak_title, format=",.0f")]
    )
    label = base.mark_text(align="right", dx=-6, dy=-4, color=BTC_COLOR, fontWeight="bold").encode(
        text="text:N"
    )
    return alt.layer(dot, label)


@chart(
    "liquidity_since_qt",
    "WRESBAL",
    *LIQUIDITY_INPUTS,
    units={"NETLIQ": ("usd", 1e6)},
    labels={"NETLIQ": NETLIQ_LABEL},
)
def liquidity_since_qt(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """Net liquidity and reserves, weekly, from mid-2025: one panel each, each on its own scale."""
    data = pd.concat([net_liquidity(frames), frames["WRESBAL"]], axis=1)
    data = data[data.index >= pd.Timestamp(SINCE)].reset_index()
    panels = [
        panel(data, "NETLIQ", NETLIQ_LABEL[lang], LIQ_COLOR, lang, events(frames, lang)),
        panel(
            data, "WRESBAL", frames.info("WRESBAL").short[lang], RES_COLOR, lang, events(frames, lang, False)
        ),
    ]
    return alt.vconcat(*panels, spacing=12)


def events(frames: Frames, lang: str, labelled: bool = True) -> list[alt.Chart]:
    """The end of QT and the first reserve management purchases, as rules (labelled or not)."""
    return event_layer(frames.events, lang, ids=("qt-end", "rmp-start"), labelled=labelled)


def panel(
    data: pd.DataFrame, column: str, label: str, color: str, lang: str, marks: list[alt.Chart]
) -> Layered:
    """One weekly series in US$ trillion, breaking where a week has no value, with policy events marked."""
    base = alt.Chart(data).transform_calculate(tn=trillions(column))
    title = f"{label}, {TRILLION_AXIS[lang]}" if lang == "en" else f"{label}({TRILLION_AXIS[lang]})"
    y = alt.Y("tn:Q", title=title, scale=alt.Scale(zero=False))
    x = time_x(lang, "month")
    line = base.mark_line(color=color).encode(x=x, y=y)
    points = base.mark_point(filled=True, size=14, color=color).encode(
        x=x, y=y, tooltip=[date_tooltip(lang), alt.Tooltip("tn:Q", title=title, format=".3f")]
    )
    return alt.layer(line, points, *marks).properties(height=150)


@chart(
    "changes_since_qt",
    "WRESBAL",
    *LIQUIDITY_INPUTS,
    units={"NETLIQ": ("usd", 1e6)},
    labels={"NETLIQ": NETLIQ_LABEL},
)
def changes_since_qt(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """How far each weekly quantity has moved since the last H.4.1 Wednesday before QT ended.

    The data are the levels (millions); the spec subtracts each series' value in that
    first week, so a series missing that week draws nothing rather than a shifted line.
    """
    table = pd.concat([frames["WALCL"], frames["WTREGEN"], frames["WRESBAL"], net_liquidity(frames)], axis=1)
    base_day = table.index[table.index < pd.Timestamp(frames.event_date("qt-end"))][-1]
    data = table[table.index >= base_day].reset_index()
    names = {sid: words(lang, *CHANGE_NAMES[sid]) for sid in CHANGE_NAMES}
    order = list(names.values())
    title = words(lang, "Change since the last week of QT, US$ billion", "相對縮表最後一週的變化(億美元)")
    per_unit = 1e-3 if lang == "en" else 1e-2  # millions → billions, or → 億 (hundred millions)
    chart_ = (
        alt.Chart(data)
        .transform_fold(list(names), as_=["key", "level"])
        .transform_window(
            start="first_value(level)", groupby=["key"], sort=[{"field": "date"}], frame=[None, None]
        )
        .transform_calculate(
            amount=MOVED.format(k=repr(per_unit)),
            label=f"{json.dumps(names, ensure_ascii=False)}[datum.key]",
        )
    )
    color = alt.Color("label:N", title=None, sort=order, scale=alt.Scale(domain=order, range=CHANGE_COLORS))
    x, y = time_x(lang, "month"), alt.Y("amount:Q", title=title)
    line = chart_.mark_line().encode(x=x, y=y, color=color)
    points = chart_.mark_point(filled=True, size=12).encode(
        x=x, y=y, color=color, tooltip=value_tooltip(lang, title, "amount", ",.0f")
    )
    zero = alt.Chart(pd.DataFrame({"level": [0]})).mark_rule(color="#52606d").encode(y="level:Q")
    return alt.layer(zero, line, points, *events(frames, lang))


@chart(
    "funding_since_qt",
    "SOFR",
    "IORB",
    units={"SOFR_IORB": ("bp", 1.0)},
    labels={"SOFR_IORB": {"en": "SOFR − IORB", "zh-Hant": "SOFR − IORB"}},
)
def funding_since_qt(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """SOFR minus IORB in basis points, daily, from mid-2025; a day without both rates has no value."""
    sofr = frames["SOFR"]
    spread = ((sofr - frames["IORB"].reindex(sofr.index)) * 100).round(2).rename("SOFR_IORB")
    data = spread[spread.index >= pd.Timestamp(SINCE)].dropna().reset_index()
    title = words(lang, "SOFR − IORB, bp", "SOFR − IORB(基點)")
    bars = (
        alt.Chart(data)
        .mark_bar(width=2, color=LIQ_COLOR)
        .encode(
            x=time_x(lang, "month"),
            y=alt.Y("SOFR_IORB:Q", title=title),
            tooltip=[date_tooltip(lang), alt.Tooltip("SOFR_IORB:Q", title=title, format=".0f")],
        )
    )
    zero = alt.Chart(pd.DataFrame({"level": [0]})).mark_rule(color="#52606d").encode(y="level:Q")
    return alt.layer(zero, bars, *events(frames, lang))
