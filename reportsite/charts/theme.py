"""The house theme, registered once with Altair, and its dark variant for static images."""

from __future__ import annotations

from typing import Any

import altair as alt

# Browsers take the first family they have (system-ui, the page's font); the static
# renderer has none of the first four and measures Latin text with Liberation Sans
# (Arial's metrics, and several times quicker to measure than a CJK font, whose
# Latin glyphs it would otherwise use). Chinese characters fall through to the CJK fonts.
FONT = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, "Noto Sans CJK TC", '
    '"PingFang TC", "Microsoft JhengHei", sans-serif'
)
PALETTE = ["#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b45309", "#0e7490"]
INK = {"light": "#1f2933", "dark": "#e4e7eb"}
MUTED = {"light": "#52606d", "dark": "#9aa5b1"}
GRID = {"light": "#e4e7eb", "dark": "#323f4b"}
PAPER = {"light": "#ffffff", "dark": "#1b2229"}
WIDTH, HEIGHT = 640, 300


def house_config(scheme: str = "light") -> dict[str, Any]:
    """The Vega-Lite config of the house style in one colour scheme."""
    ink, muted, grid = INK[scheme], MUTED[scheme], GRID[scheme]
    return {
        "background": PAPER[scheme],
        "font": FONT,
        "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
        "range": {"category": PALETTE},
        "axis": {
            "labelColor": muted,
            "titleColor": ink,
            "gridColor": grid,
            "domainColor": muted,
            "tickColor": muted,
            "labelFontSize": 12,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
        },
        "legend": {"labelColor": ink, "titleColor": ink, "orient": "top", "labelFontSize": 12},
        "title": {"color": ink},
        "text": {"color": ink, "fontSize": 12},
        "rule": {"color": muted},
        "line": {"strokeWidth": 2},
    }


@alt.theme.register("reportsite", enable=True)
def reportsite_theme() -> alt.theme.ThemeConfig:
    return {"config": house_config("light")}  # type: ignore[typeddict-item]
