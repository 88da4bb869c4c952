"""Charts of the Fed's balance sheet: quantitative tightening (QT), its runoff caps, and the turn after it.

Monthly changes in holdings come from the weekly Wednesday levels (TREAST, WSHOMCB): for each
calendar month, the level on the month's first Wednesday subtracted from the level on the next
month's first Wednesday. That window holds the month's mid-month and month-end maturities, which
is how the Fed applies its caps (per calendar month). A month is shown only once the next month's
first Wednesday is in the data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from . import ChartError, Frames, chart
from .common import event_layer
from .reserves import TRILLION_AXIS, date_tooltip, date_x, to_trillions, wide, words
from .theme import HEIGHT, WIDTH

# Policy dates drawn on these charts (QT's start and end, the first reserve management purchases)
# come from data/events.toml, where each cites its primary source.
POST_QT_EVENTS = ("qt-end", "rmp-start")
# Bars in billions of dollars for English readers, in 億 (hundreds of millions) for Chinese ones:
# (axis title, divisor from FRED's millions).
YEARLY = alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1})
BILLIONS = {"en": ("US$ billion", 1000), "zh-Hant": ("億美元", 100)}


CAP_UNITS = {col: ("usd", 1e6) for col in ("TREAST_month", "WSHOMCB_month", "TREAST_cap", "WSHOMCB_cap")}
CAP_LABELS = {
    "TREAST_month": {"en": "Treasuries, monthly change", "zh-Hant": "公債持有量月變動"},
    "WSHOMCB_month": {"en": "MBS, monthly change", "zh-Hant": "MBS持有量月變動"},
    "TREAST_cap": {"en": "Treasury runoff cap", "zh-Hant": "公債縮減上限"},
    "WSHOMCB_cap": {"en": "Agency debt and MBS runoff cap", "zh-Hant": "機構債及MBS縮減上限"},
}


def monthly_change(weekly: pd.Series) -> pd.Series:
    """First-Wednesday-to-first-Wednesday change per calendar month, indexed by the month's first day."""
    firsts = weekly.groupby(weekly.index.to_period("M")).head(1)
    months = firsts.index.to_period("M")
    nxt = pd.Series(firsts.to_numpy(), index=months).shift(-1)
    follows = pd.Series(months, index=months).shift(-1) == pd.Series(months + 1, index=months)
    change = (nxt - firsts.to_numpy())[follows]
    change.index = change.index.to_timestamp()
    return change.dropna()


def monthly_caps(months: pd.DatetimeIndex, periods: Sequence[Any]) -> pd.DataFrame:
    """The Treasury and agency caps in force in each month, in millions of dollars; missing outside QT.

    `periods` are the runoff caps of data/policy.toml (events.RunoffCap, in dollars, each citing its
    FOMC source); the open-ended period after QT has no cap to draw.
    """
    caps = pd.DataFrame(index=months, columns=["TREAST_cap", "WSHOMCB_cap"], dtype="float64")
    for period in periods:
        if period.end is None:
            continue
        first, last = pd.Timestamp(period.start).to_period("M"), pd.Timestamp(period.end).to_period("M")
        inside = (months >= first.to_timestamp()) & (months <= last.to_timestamp())
        caps.loc[inside, ["TREAST_cap", "WSHOMCB_cap"]] = [period.treasury / 1e6, period.agency / 1e6]
    return caps


def monthly_holdings(frames: Frames, start: str, end: str | None = None) -> pd.DataFrame:
    """Monthly changes of Treasury and MBS holdings beside the caps, in millions of dollars."""
    table = pd.concat(
        {
            "TREAST_month": monthly_change(frames["TREAST"]),
            "WSHOMCB_month": monthly_change(frames["WSHOMCB"]),
        },
        axis=1,
        sort=True,
    )
    table = table[(table.index >= pd.Timestamp(start)) & (table.index <= pd.Timestamp(end or "2100-01-01"))]
    if frames.policy is None or not frames.policy.caps:
        raise ChartError("the runoff-cap chart needs the runoff caps of data/policy.toml")
    table = table.join(monthly_caps(pd.DatetimeIndex(table.index), frames.policy.caps))
    table.index.name = "date"
    return table.reset_index()


def month_axis(lang: str) -> alt.Axis:
    return alt.Axis(format=words(lang, "%b %Y", "%Y-%m"), labelOverlap=True)


def _lines(
    data: pd.DataFrame,
    frames: Frames,
    ids: tuple[str, ...],
    lang: str,
    *,
    zero: bool = True,
    axis: alt.Axis | None = None,
) -> alt.LayerChart:
    """One line per series in trillions of dollars, with a shared legend and tooltips."""
    names = {f"{s}_tn": frames.info(s).short[lang] for s in ids}
    base = (
        alt.Chart(data)
        .transform_calculate(**to_trillions(frames, ids))
        .transform_fold(list(names), as_=["key", "tn"])
        .transform_filter("isValid(datum.tn)")
        .transform_calculate(label=f"{json.dumps(names, ensure_ascii=False)}[datum.key]")
    )
    order = list(names.values())
    color = alt.Color("label:N", title=None, sort=order, scale=alt.Scale(domain=order))
    y = alt.Y("tn:Q", title=TRILLION_AXIS[lang], scale=alt.Scale(zero=zero))
    tooltip = [
        date_tooltip(lang),
        alt.Tooltip("label:N", title=words(lang, "Series", "序列")),
        alt.Tooltip("tn:Q", title=TRILLION_AXIS[lang], format=".3f"),
    ]
    x = date_x(lang) if axis is None else alt.X("date:T", scale=alt.Scale(type="utc"), title=None, axis=axis)
    line = base.mark_line(strokeWidth=1.8).encode(x=x, y=y, color=color)
    points = base.mark_point(opacity=0, size=60).encode(x=x, y=y, color=color, tooltip=tooltip)
    return alt.LayerChart(layer=[line, points])


@chart("qt_balance_sheet", "WALCL", "TREAST", "WSHOMCB")
def qt_balance_sheet(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """Total assets, Treasuries and MBS since 2020, with the QT period shaded."""
    ids = ("WALCL", "TREAST", "WSHOMCB")
    qt = {"start": frames.event_date("qt-start").isoformat(), "end": frames.event_date("qt-end").isoformat()}
    band = alt.Chart(alt.Data(values=[qt]))
    x, x2 = alt.X("start:T", scale=alt.Scale(type="utc"), title=None, axis=YEARLY), alt.X2("end:T")
    shade = band.mark_rect(opacity=0.09, color="#7c3aed").encode(x=x, x2=x2)
    label = band.mark_text(align="left", dx=4, color="#7c3aed", baseline="bottom").encode(
        x=x,
        y=alt.value(HEIGHT - 6),
        text=alt.value(words(lang, "QT: runoff under caps", "縮表:在上限內到期不再投資")),
    )
    return alt.layer(_lines(wide(frames, *ids), frames, ids, lang, axis=YEARLY), shade, label)


def _month_tooltip(lang: str) -> alt.Tooltip:
    return alt.Tooltip("date:T", title=words(lang, "Month", "月份"), timeUnit="utcyearmonth", format="%Y-%m")


def _cap_panel(data: pd.DataFrame, holding: str, lang: str, title: str) -> alt.LayerChart:
    """Monthly change as bars, the cap as a step line below zero (the most runoff allowed)."""
    axis, divisor = BILLIONS[lang]
    base = alt.Chart(data).transform_calculate(
        change_bn=f"datum.{holding}_month / {divisor}",
        cap_bn=f"isValid(datum.{holding}_cap) ? -datum.{holding}_cap / {divisor} : null",
    )
    x = alt.X("date:T", scale=alt.Scale(type="utc"), title=None, axis=YEARLY)
    tooltip = [
        _month_tooltip(lang),
        alt.Tooltip("change_bn:Q", title=words(lang, "Change", "變動"), format="+,.1f"),
        alt.Tooltip("cap_bn:Q", title=words(lang, "Cap (as a fall)", "上限(以減少計)"), format=",.1f"),
    ]
    bars = base.mark_bar(width=5, color="#1f5fa8").encode(
        x=x, y=alt.Y("change_bn:Q", title=axis), tooltip=tooltip
    )
    cap = base.transform_filter("isValid(datum.cap_bn)").mark_line(
        interpolate="step-after", color="#c2410c", strokeWidth=2
    )
    zero = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#52606d").encode(y="zero:Q")
    layers = [bars, cap.encode(x=x, y="cap_bn:Q"), zero]
    return alt.LayerChart(layer=layers, title=title, width=WIDTH, height=170)


@chart("qt_runoff_caps", "TREAST", "WSHOMCB", units=CAP_UNITS, labels=CAP_LABELS)
def qt_runoff_caps(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """The runoff caps against the actual monthly change in holdings, January 2022 to QT's last month."""
    data = monthly_holdings(frames, "2022-01-01", "2025-11-01")
    treasuries = words(
        lang, "Treasuries: monthly change (bars) and cap (line)", "公債:每月變動(長條)與上限(線)"
    )
    mbs = words(
        lang, "MBS: monthly change (bars) and agency cap (line)", "MBS:每月變動(長條)與機構債上限(線)"
    )
    return alt.vconcat(
        _cap_panel(data, "TREAST", lang, treasuries),
        _cap_panel(data, "WSHOMCB", lang, mbs),
    ).resolve_scale(x="shared")


POST_QT = "2025-01-01"


@chart("post_qt_assets", "WALCL")
def post_qt_assets(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """Fed total assets since 2025: the trough at the end of QT and the climb after it."""
    axis = month_axis(lang)
    data = wide(frames, "WALCL", start=POST_QT)
    lines = _lines(data, frames, ("WALCL",), lang, zero=False, axis=axis)
    return alt.layer(lines, *event_layer(frames.events, lang, ids=POST_QT_EVENTS))


@chart("post_qt_reserves_tga", "WRESBAL", "WTREGEN")
def post_qt_reserves_tga(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """Reserves and the Treasury General Account since 2025, weekly averages."""
    ids, axis = ("WRESBAL", "WTREGEN"), month_axis(lang)
    lines = _lines(wide(frames, *ids, start=POST_QT), frames, ids, lang, axis=axis)
    return alt.layer(lines, *event_layer(frames.events, lang, ids=POST_QT_EVENTS))


@chart("post_qt_securities", "TREAST", "WSHOMCB", units=CAP_UNITS, labels=CAP_LABELS)
def post_qt_securities(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """Monthly change in Treasury and MBS holdings since 2025, stacked, with their sum as a dot."""
    data = monthly_holdings(frames, POST_QT)[["date", "TREAST_month", "WSHOMCB_month"]]
    names = {col: CAP_LABELS[col][lang] for col in ("TREAST_month", "WSHOMCB_month")}
    (axis_title, divisor), axis = BILLIONS[lang], month_axis(lang)
    x = alt.X("date:T", scale=alt.Scale(type="utc"), title=None, axis=axis)
    y_title = alt.Y("bn:Q", title=axis_title)
    base = alt.Chart(data)
    stacked = (
        base.transform_fold(list(names), as_=["key", "change"])
        .transform_filter("isValid(datum.change)")
        .transform_calculate(
            bn=f"datum.change / {divisor}", label=f"{json.dumps(names, ensure_ascii=False)}[datum.key]"
        )
    )
    order = list(names.values())
    bars = stacked.mark_bar(width=14).encode(
        x=x,
        y=y_title,
        color=alt.Color(
            "label:N", title=None, sort=order, scale=alt.Scale(domain=order), legend=alt.Legend(labelLimit=0)
        ),
        order=alt.Order("key:N"),
        tooltip=[
            _month_tooltip(lang),
            alt.Tooltip("label:N", title=words(lang, "Holding", "持有部位")),
            alt.Tooltip("bn:Q", title=words(lang, "Change", "變動"), format="+,.1f"),
        ],
    )
    net = (
        base.transform_calculate(bn=f"(datum.TREAST_month + datum.WSHOMCB_month) / {divisor}")
        .transform_filter("isValid(datum.bn)")
        .mark_point(filled=True, size=60, color="#1f2933", stroke="#ffffff", strokeWidth=1, shape="diamond")
        .encode(
            x=x,
            y="bn:Q",
            tooltip=[
                _month_tooltip(lang),
                alt.Tooltip("bn:Q", title=words(lang, "Both together", "兩者合計"), format="+,.1f"),
            ],
        )
    )
    zero = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#52606d").encode(y="zero:Q")
    events = event_layer(frames.events, lang, ids=POST_QT_EVENTS, bottom=True)
    return alt.layer(bars, net, zero, *events)
