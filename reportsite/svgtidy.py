"""Make a rendered chart SVG lighter without changing what it shows.

vl-convert writes every mark it draws, including fully transparent ones (the
invisible points a chart layers over a line so the live view has tooltips),
writes coordinates with up to 16 decimals, and labels its elements for screen
readers and pointer events. A static image needs none of that: the page gives
it its alternative text, and it receives no events. So transparent elements,
`class`, `role`, `aria-*`, `pointer-events` and default `opacity="1"` are
dropped; coordinates keep two decimals (1/100 px) and the points of lines and
areas one (no point moves by more than 1/20 px), written as relative steps
(with one absolute point in every 16, so summing steps in single precision
cannot drift). Text is never touched.
"""

from __future__ import annotations

import re

INVISIBLE = re.compile(rb'<(?:path|line|rect|circle|ellipse|polygon|polyline)\b[^<>]*?\sopacity="0"[^<>]*?/>')
UNSEEN = re.compile(rb'\s(?:class|role|aria-[a-z]+|pointer-events)="[^"]*"|\sopacity="1"')
GEOMETRY = re.compile(rb'\s(?:d|transform|x|y|x1|x2|y1|y2|width|height|points)="[^"]*"')
LONG_DECIMAL = re.compile(rb"-?\d+\.\d{3,}(?![\d.eE])")
PATH = re.compile(rb'\sd="([^"]*)"')
NUMBER = rb"-?(?:\d+(?:\.\d+)?|\.\d+)"
POLYLINE = re.compile(rb"(?:[ML]" + NUMBER + rb"," + NUMBER + rb")+Z?")
POINT = re.compile(rb"([ML])(" + NUMBER + rb"),(" + NUMBER + rb")")
SCALE = 100  # geometry to 1/100 px
LINE_SCALE = 10  # the points of lines and areas to 1/10 px: dense daily lines are most of the bytes
ANCHOR = 16  # every so many points of a polyline, one is written absolute


def compact_svg(svg: bytes) -> bytes:
    """The same picture in fewer bytes."""
    svg = INVISIBLE.sub(b"", svg)
    svg = UNSEEN.sub(b"", svg)
    svg = PATH.sub(_relative_path, svg)
    return GEOMETRY.sub(_round_attribute, svg)


def _round_attribute(match: re.Match[bytes]) -> bytes:
    return LONG_DECIMAL.sub(_round_number, match[0])


def _round_number(match: re.Match[bytes]) -> bytes:
    return _number(round(float(match[0]) * SCALE), SCALE).encode("ascii")


def _number(count: int, scale: int) -> str:
    """`count / scale` written shortest (scale 100: 150 → "1.5", -5 → "-.05", 0 → "0")."""
    sign = "-" if count < 0 else ""
    whole, part = divmod(abs(count), scale)
    fraction = f"{part:0{len(str(scale)) - 1}d}".rstrip("0")
    if not fraction:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{fraction}"


def _relative_path(match: re.Match[bytes]) -> bytes:
    """A polyline (M/L, maybe closed) with relative steps between points kept to 1/10 px."""
    data = match[1]
    if not POLYLINE.fullmatch(data):
        return match[0]
    out: list[str] = []
    x = y = 0
    for command, px, py in POINT.findall(data):
        nx, ny = round(float(px) * LINE_SCALE), round(float(py) * LINE_SCALE)
        if command == b"M" or not out:
            out.append(f"M{_number(nx, LINE_SCALE)},{_number(ny, LINE_SCALE)}")
        elif len(out) % ANCHOR == 0:  # an absolute point now and then: no drift from summing steps
            out.append(f"L{_number(nx, LINE_SCALE)},{_number(ny, LINE_SCALE)}")
        else:
            dy = _number(ny - y, LINE_SCALE)
            out.append(f"l{_number(nx - x, LINE_SCALE)}{'' if dy.startswith('-') else ','}{dy}")
        x, y = nx, ny
    closed = "Z" if data.endswith(b"Z") else ""
    return f' d="{"".join(out)}{closed}"'.encode("ascii")
