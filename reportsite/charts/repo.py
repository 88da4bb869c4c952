"""Charts of money-market strain in 2025: the Fed's repo operations and overnight rates against IORB.

RPONTTLD is the daily total accepted in the Fed's repo operations, which since July 2021 are the
standing repo operations (the Standing Repo Facility, SRF). Spikes are found in the data, never
typed: the largest days, keeping only the biggest of any that fall within two weeks of each other.
"""

from __future__ import annotations

import json
from typing import Literal

import altair as alt
import pandas as pd

from . import Frames, chart
from .balance_sheet import month_axis
from .common import event_layer
from .reserves import date_tooltip, words

REPO_START = "2025-06-01"
SPREAD_START = "2024-01-01"
SPIKES = 5
SPIKE_GAP_DAYS = 14

SPREAD_UNITS = {"SOFR_IORB": ("bp", 1.0), "EFFR_IORB": ("bp", 1.0)}
SPREAD_LABELS = {
    "SOFR_IORB": {"en": "SOFR − IORB", "zh-Hant": "SOFR − IORB"},
    "EFFR_IORB": {"en": "EFFR − IORB", "zh-Hant": "有效聯邦資金利率 − IORB"},
}


def top_spikes(daily: pd.Series, count: int = SPIKES, gap_days: int = SPIKE_GAP_DAYS) -> pd.Series:
    """The `count` largest days, skipping any day within `gap_days` of a larger one already kept."""
    kept: list[pd.Timestamp] = []
    for when, value in daily.sort_values(ascending=False, kind="stable").items():
        if len(kept) == count or value <= 0:
            break
        if all(abs((when - k).days) > gap_days for k in kept):
            kept.append(when)
    return daily.loc[sorted(kept)]


def spike_label(lang: str) -> str:
    """A Vega expression labelling a spike with its date and amount (RPONTTLD is in billions)."""
    if lang == "en":
        return "utcFormat(toDate(datum.date), '%-d %b %Y') + ': $' + format(datum.RPONTTLD, '.1f') + 'B'"
    return "utcFormat(toDate(datum.date), '%Y-%m-%d') + ':' + format(datum.RPONTTLD * 10, ',.0f') + '億美元'"


@chart("repo_spikes", "RPONTTLD")
def repo_spikes(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """Daily take-up of the Fed's standing repo operations since June 2025, the largest days labelled."""
    daily = frames["RPONTTLD"]
    daily = daily[daily.index >= pd.Timestamp(REPO_START)]
    spikes = top_spikes(daily)
    data = pd.DataFrame({"RPONTTLD": daily, "spike": daily.index.isin(spikes.index)})
    data.index.name = "date"
    data["spike"] = data["spike"].map({True: "top", False: None})
    base = alt.Chart(data.reset_index())
    axis = month_axis(lang)
    x = alt.X("date:T", scale=alt.Scale(type="utc"), title=None, axis=axis)
    scale, title = (1, "US$ billion") if lang == "en" else (10, "億美元")
    y = alt.Y("amount:Q", title=title)
    scaled = base.transform_calculate(amount=f"datum.RPONTTLD * {scale}")
    tooltip = [date_tooltip(lang), alt.Tooltip("amount:Q", title=title, format=",.2f")]
    bars = scaled.mark_bar(width=2, color="#1f5fa8").encode(x=x, y=y, tooltip=tooltip)
    marked = scaled.transform_filter("datum.spike == 'top'").transform_calculate(label=spike_label(lang))
    dots = marked.mark_point(filled=True, size=30, color="#c2410c").encode(x=x, y=y, tooltip=tooltip)
    # Labels sit left of their spike, except near the left edge where they would be cut off.
    edge = daily.index[0] + (daily.index[-1] - daily.index[0]) * 0.2
    near_edge = f"toDate(datum.date) < toDate('{edge.date().isoformat()}')"
    sides: tuple[tuple[Literal["left", "right"], str, int], ...] = (
        ("left", near_edge, 5),
        ("right", f"!({near_edge})", -5),
    )
    labels = [
        marked.transform_filter(test)
        .mark_text(align=side, dx=dx, dy=2, color="#c2410c", fontSize=11)
        .encode(x=x, y=y, text="label:N")
        for side, test, dx in sides
    ]
    return alt.layer(bars, dots, *labels)


def spread_table(frames: Frames, start: str = SPREAD_START) -> pd.DataFrame:
    """SOFR, EFFR and IORB by day, with SOFR − IORB and EFFR − IORB in basis points.

    Only days with an IORB value and at least one of the two market rates are kept; a spread
    whose market rate is missing that day stays missing.
    """
    rates = pd.concat({sid: frames[sid] for sid in ("SOFR", "EFFR", "IORB")}, axis=1, sort=True)
    rates = rates[(rates.index >= pd.Timestamp(start)) & rates["IORB"].notna()]
    rates = rates[rates["SOFR"].notna() | rates["EFFR"].notna()]
    rates["SOFR_IORB"] = ((rates["SOFR"] - rates["IORB"]) * 100).round(1)
    rates["EFFR_IORB"] = ((rates["EFFR"] - rates["IORB"]) * 100).round(1)
    rates.index.name = "date"
    return rates.reset_index()


@chart("money_market_spreads", "SOFR", "EFFR", "IORB", units=SPREAD_UNITS, labels=SPREAD_LABELS)
def money_market_spreads(frames: Frames, lang: str) -> alt.TopLevelMixin:
    """SOFR and EFFR relative to the interest rate on reserve balances, in basis points."""
    names = {col: SPREAD_LABELS[col][lang] for col in SPREAD_LABELS}
    base = (
        alt.Chart(spread_table(frames))
        .transform_fold(list(names), as_=["key", "bp"])
        .transform_filter("isValid(datum.bp)")
        .transform_calculate(label=f"{json.dumps(names, ensure_ascii=False)}[datum.key]")
    )
    axis = month_axis(lang)
    x = alt.X("date:T", scale=alt.Scale(type="utc"), title=None, axis=axis)
    y = alt.Y("bp:Q", title=words(lang, "basis points", "基點"))
    order = list(names.values())
    color = alt.Color("label:N", title=None, sort=order, scale=alt.Scale(domain=order))
    tooltip = [
        date_tooltip(lang),
        alt.Tooltip("label:N", title=words(lang, "Spread", "利差")),
        alt.Tooltip("bp:Q", title=words(lang, "basis points", "基點"), format="+.0f"),
    ]
    lines = base.mark_line(strokeWidth=1.3, interpolate="step-after").encode(x=x, y=y, color=color)
    points = base.mark_point(opacity=0, size=40).encode(x=x, y=y, color=color, tooltip=tooltip)
    zero = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#52606d").encode(y="zero:Q")
    events = event_layer(frames.events, lang, ids=("qt-end-announced", "qt-end"))
    return alt.layer(zero, lines, points, *events)
