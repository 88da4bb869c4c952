"""Key-indicator tiles for the home page: latest value, change since the article, a sparkline.

Everything on a tile is computed from the snapshot at build time: the latest
observation, the observation on or before the article's date, their difference,
and a tiny static SVG line of the last year or so with the article's date marked.
A tile whose series the snapshot does not hold is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

from .data import Snapshot
from .derived import RECIPES, format_bp, with_derived
from .errors import ConfigError
from .values import Figure, Values, format_date

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 160.0, 36.0, 2.0
SPARK_DAYS = 365
Point = tuple[date, float]


@dataclass(frozen=True)
class TileSpec:
    """Which series a tile shows and how: a level, or a spread in basis points."""

    series_id: str
    style: str = "level"
    show_high: bool = False


TILES = (
    TileSpec("WRESBAL"),
    TileSpec("WALCL"),
    TileSpec("RRPONTSYD"),
    TileSpec("WTREGEN"),
    TileSpec("RPONTTLD", show_high=True),
    TileSpec("SOFR_IORB", style="bp"),
    TileSpec("DGS10"),
    TileSpec("MORTGAGE30US"),
    TileSpec("BAMLH0A0HYM2", style="bp"),
    TileSpec("CBBTCUSD"),
)


@dataclass(frozen=True)
class Tile:
    """One tile, every text already in the page's language."""

    series_id: str
    label: str
    title: str
    value: str
    as_of: str
    since_on: str
    then: str
    then_on: str
    change: str
    percent: str
    direction: str
    high: str
    high_on: str
    sources: tuple[tuple[str, str], ...]
    sparkline: Markup


def article_day(settings: dict[str, object]) -> date:
    """The article's date from the site settings; the tiles measure change from it."""
    raw = settings.get("article_date")
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ConfigError(
            f"'article_date' is {raw!r}; the home tiles need it as YYYY-MM-DD",
            path="content/_site.toml",
        ) from None


def build_tiles(snapshot: Snapshot, lang: str, settings: dict[str, object]) -> list[Tile]:
    """The tiles whose series the snapshot holds, in the order of TILES."""
    combined = with_derived(snapshot)
    specs = [spec for spec in TILES if spec.series_id in combined.series]
    if not specs:
        return []
    since = article_day(settings)
    values = Values(combined, lang)
    return [build_tile(values, spec, since) for spec in specs if _reaches(combined, spec.series_id, since)]


def _reaches(snapshot: Snapshot, series_id: str, since: date) -> bool:
    """A tile compares with the article's date, so its series must have a value by then."""
    present = snapshot.get(series_id).present()
    return bool(present) and present[0].date <= since


def build_tile(values: Values, spec: TileSpec, since: date) -> Tile:
    sid, lang = spec.series_id, values.lang
    info = values.series(sid)
    latest = values.latest(sid)
    change = values.change(sid, since)
    high = values.high(sid, since) if spec.show_high else None
    start = min(latest.date - timedelta(days=SPARK_DAYS), since - timedelta(days=30))
    points = [(o.date, o.value) for o in values.snapshot.get(sid).observations if o.value is not None]
    points = [p for p in points if p[0] >= start]
    percent = change.percent if info.units == "usd" and change.start.value > 0 else ""
    return Tile(
        series_id=sid,
        label=info.short[lang],
        title=info.title[lang],
        value=level(latest, spec.style),
        as_of=latest.on,
        since_on=format_date(since, lang),
        then=level(change.start, spec.style),
        then_on=change.start.on,
        change=str(change),
        percent=percent,
        direction="up" if change.delta > 0 else "down" if change.delta < 0 else "flat",
        high=level(high, spec.style) if high else "",
        high_on=high.on if high else "",
        sources=sources(sid),
        sparkline=sparkline(points, since, f"{info.short[lang]}: {describe(points, values, spec)}"),
    )


def level(figure: Figure, style: str) -> str:
    return format_bp(figure.value, figure.lang) if style == "bp" else str(figure)


def sources(series_id: str) -> tuple[tuple[str, str], ...]:
    """(FRED id, FRED page) of the series, or of each input of a derived series."""
    inputs = next((r.inputs for r in RECIPES if r.id == series_id), (series_id,))
    return tuple((sid, f"https://fred.stlouisfed.org/series/{sid}") for sid in inputs)


def describe(points: list[Point], values: Values, spec: TileSpec) -> str:
    """The sparkline in words: its span, its low and its high."""
    info = values.series(spec.series_id)
    low, top = (
        level(Figure(info, day, value, values.lang), spec.style)
        for day, value in (min(points, key=by_value), max(points, key=by_value))
    )
    span = f"{format_date(points[0][0], values.lang)} – {format_date(points[-1][0], values.lang)}"
    if values.lang.startswith("zh"):
        return f"{span},最低 {low},最高 {top}"
    return f"{span}, low {low}, high {top}"


def by_value(point: Point) -> float:
    return point[1]


def sparkline(points: list[Point], mark: date, label: str) -> Markup:
    """A tiny static SVG: the series as a polyline, the mark date as a dashed rule, a dot at the end."""
    first, last = points[0][0], points[-1][0]
    values = [value for _, value in points]
    low, high = min(values), max(values)
    span_days = max((last - first).days, 1)
    span_value = (high - low) or 1.0

    def x(day: date) -> float:
        return SPARK_PAD + (day - first).days / span_days * (SPARK_WIDTH - 2 * SPARK_PAD)

    def y(value: float) -> float:
        return SPARK_HEIGHT - SPARK_PAD - (value - low) / span_value * (SPARK_HEIGHT - 2 * SPARK_PAD)

    line = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in points)
    parts = [
        f'<svg class="spark" viewBox="0 0 {SPARK_WIDTH:g} {SPARK_HEIGHT:g}" width="{SPARK_WIDTH:g}" '
        f'height="{SPARK_HEIGHT:g}" role="img" aria-label="{escape(label)}">'
    ]
    if first <= mark <= last:
        mx = f"{x(mark):.1f}"
        parts.append(f'<line class="spark-mark" x1="{mx}" x2="{mx}" y1="0" y2="{SPARK_HEIGHT:g}"/>')
    parts.append(f'<polyline class="spark-line" points="{line}"/>')
    parts.append(f'<circle class="spark-end" cx="{x(last):.1f}" cy="{y(values[-1]):.1f}" r="2"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
