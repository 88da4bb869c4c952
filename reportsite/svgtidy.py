"""Make a rendered chart SVG lighter without changing what it shows.

vl-convert writes every mark it draws, including fully transparent ones (the
invisible points a chart layers over a line so the live view has tooltips), and
writes coordinates with up to 16 decimals. For the static image neither matters:
transparent elements are dropped and coordinates keep two decimals (1/100 px).
Text content is never touched; only geometry attributes are rounded.
"""

from __future__ import annotations

import re

INVISIBLE = re.compile(rb'<(?:path|line|rect|circle|ellipse|polygon|polyline)\b[^<>]*?\sopacity="0"[^<>]*?/>')
GEOMETRY = re.compile(rb'\s(?:d|transform|x|y|x1|x2|y1|y2|width|height|points)="[^"]*"')
LONG_DECIMAL = re.compile(rb"-?\d+\.\d{3,}(?![\d.eE])")


def compact_svg(svg: bytes) -> bytes:
    """The same picture in fewer bytes: no transparent leaf elements, coordinates to 0.01 px."""
    svg = INVISIBLE.sub(b"", svg)
    return GEOMETRY.sub(_round_attribute, svg)


def _round_attribute(match: re.Match[bytes]) -> bytes:
    return LONG_DECIMAL.sub(_round_number, match[0])


def _round_number(match: re.Match[bytes]) -> bytes:
    text = f"{float(match[0]):.2f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.encode("ascii")
