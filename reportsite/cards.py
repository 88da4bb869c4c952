"""Open Graph cards: a 1200×630 PNG per page, drawn as SVG and rasterised at build time.

A card shows the site's name, the page's title and summary and, when the page
has a chart, a sparkline of its first plotted series with the latest value. The
same inputs give the same bytes (no clock, no randomness).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from .sharing import CARD_SIZE

if TYPE_CHECKING:
    from .chartpool import Workers

WIDTH, HEIGHT = CARD_SIZE
MARGIN = 64
FONT = "'Noto Sans CJK TC', 'Noto Sans TC', 'PingFang TC', 'DejaVu Sans', 'Liberation Sans', sans-serif"
INK, MUTED, ACCENT, PAPER, RULE = "#1f2933", "#52606d", "#1f5fa8", "#ffffff", "#e4e7eb"
SPARK_POINTS = 240
KIND = "card png"  # what the build cache files the rendered cards under
TRAILING = " ,.;:\uff0c\u3002\uff1b\uff1a"  # spaces and punctuation, Latin and CJK


@dataclass(frozen=True)
class Spark:
    """A series to sketch on the card and the words that go with it."""

    values: list[float]
    label: str


@dataclass(frozen=True)
class Card:
    site: str
    title: str
    summary: str
    footer: str
    spark: Spark | None = None


def text_width(text: str, size: float) -> float:
    """A rough width of `text` in pixels: wide (CJK) characters one em, others about half."""
    return sum(size * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.52) for ch in text)


def wrap(text: str, size: float, width: float, max_lines: int) -> list[str]:
    """Break `text` into at most `max_lines` lines that fit `width`, with an ellipsis if cut."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if line and text_width(line + token, size) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(TRAILING)[:-1] + "…"
    return lines


def _tokens(text: str) -> list[str]:
    """Words with their leading space for Latin text; single characters for CJK."""
    tokens: list[str] = []
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in "WF"
        if wide or not tokens or ch == " " or unicodedata.east_asian_width(tokens[-1][-1]) in "WF":
            tokens.append(ch)
        else:
            tokens[-1] += ch
    return tokens


def card_svg(card: Card) -> str:
    """The card as an SVG document."""
    inner = WIDTH - 2 * MARGIN
    parts = [
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{PAPER}"/>',
        f'<rect width="{WIDTH}" height="12" fill="{ACCENT}"/>',
        _text(MARGIN, 84, card.site, 26, MUTED, inner),
    ]
    bottom = 440 if card.spark else 560
    title = wrap(card.title, 58, inner, 3)
    y = 170
    for line in title:
        parts.append(_line(MARGIN, y, line, 58, INK, "700"))
        y += 70
    summary_lines = max(0, min(3, int((bottom - y - 10) // 40)))
    for line in wrap(card.summary, 28, inner, summary_lines) if summary_lines else []:
        parts.append(_line(MARGIN, y + 10, line, 28, MUTED))
        y += 40
    if card.spark:
        parts.extend(_spark(card.spark))
    parts.append(f'<rect x="0" y="{HEIGHT - 56}" width="{WIDTH}" height="56" fill="{RULE}"/>')
    parts.append(_text(MARGIN, HEIGHT - 20, card.footer, 22, MUTED, inner))
    body = "".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{escape(FONT, {chr(34): "&quot;"})}">{body}</svg>'
    )


def _text(x: float, y: float, text: str, size: float, colour: str, width: float) -> str:
    line = wrap(text, size, width, 1)
    return _line(x, y, line[0] if line else "", size, colour)


def _line(x: float, y: float, text: str, size: float, colour: str, weight: str = "400") -> str:
    style = f'font-size="{size}" font-weight="{weight}" fill="{colour}"'
    return f'<text x="{x}" y="{y}" {style}>{escape(text)}</text>'


def _spark(spark: Spark) -> list[str]:
    """A polyline of the series across the card's lower band, and its label."""
    values = _thin(spark.values, SPARK_POINTS)
    if len(values) < 2:
        return []
    left, right, top, bottom = MARGIN, WIDTH - MARGIN, 470, 548
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (right - left) / (len(values) - 1)
    points = " ".join(
        f"{left + i * step:.1f},{bottom - (v - low) / span * (bottom - top):.1f}"
        for i, v in enumerate(values)
    )
    return [
        _text(MARGIN, 452, spark.label, 24, INK, WIDTH - 2 * MARGIN),
        f'<polyline points="{points}" fill="none" stroke="{ACCENT}" stroke-width="4" '
        'stroke-linejoin="round" stroke-linecap="round"/>',
    ]


def _thin(values: list[float], limit: int) -> list[float]:
    """At most `limit` evenly spaced values, always keeping the last."""
    if len(values) <= limit:
        return values
    step = len(values) / limit
    kept = [values[int(i * step)] for i in range(limit - 1)]
    return [*kept, values[-1]]


def card_pngs(cards: list[Card], workers: Workers | None = None) -> list[bytes]:
    """Every card as PNG: unchanged cards from the build cache, the rest over the build's workers."""
    from importlib.metadata import version

    from .cache import memoize, recall

    renderer = f"vl-convert {version('vl-convert-python')}"
    svgs = [card_svg(card) for card in cards]
    missing = [svg for svg in dict.fromkeys(svgs) if recall(KIND, svg, renderer) is None]
    made = workers.map(svg_to_png, missing) if workers is not None else [svg_to_png(s) for s in missing]
    drawn = dict(zip(missing, made, strict=True))
    return [memoize(KIND, svg, lambda svg=svg: drawn[svg], renderer) for svg in svgs]  # type: ignore[misc]


def svg_to_png(svg: str) -> bytes:
    """Rasterise an SVG document (in whichever process runs it)."""
    import vl_convert

    png: bytes = vl_convert.svg_to_png(svg)
    return png
