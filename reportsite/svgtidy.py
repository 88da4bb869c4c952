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
cannot drift). A daily series puts several points in each pixel of width, so a
line keeps only the points it needs to pass within 3/10 px of every point it
had (Douglas-Peucker): the same picture at any zoom a screen shows, in fewer
bytes. The data and the live chart keep every observation. Text is never
touched.
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
TOLERANCE = 1.5  # in 1/LINE_SCALE px, between rounded points: with the rounding, within 0.3 px


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
    """A polyline (M/L, maybe closed) with relative steps between the points it needs, to 1/10 px."""
    data = match[1]
    if not POLYLINE.fullmatch(data):
        return match[0]
    runs: list[list[tuple[int, int]]] = []
    for command, px, py in POINT.findall(data):
        if command == b"M" or not runs:
            runs.append([])
        runs[-1].append((round(float(px) * LINE_SCALE), round(float(py) * LINE_SCALE)))
    out: list[str] = []
    x = y = 0
    for run in runs:
        for i, (nx, ny) in enumerate(simplify(run)):
            if i == 0:
                out.append(f"M{_number(nx, LINE_SCALE)},{_number(ny, LINE_SCALE)}")
            elif len(out) % ANCHOR == 0:  # an absolute point now and then: no drift from summing steps
                out.append(f"L{_number(nx, LINE_SCALE)},{_number(ny, LINE_SCALE)}")
            else:
                dy = _number(ny - y, LINE_SCALE)
                out.append(f"l{_number(nx - x, LINE_SCALE)}{'' if dy.startswith('-') else ','}{dy}")
            x, y = nx, ny
    closed = "Z" if data.endswith(b"Z") else ""
    return f' d="{"".join(out)}{closed}"'.encode("ascii")


def simplify(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The points a polyline needs to pass within TOLERANCE of all of them (Douglas-Peucker).

    The first and last points always stay, and so does any point farther than
    TOLERANCE from the line between the points kept on either side of it.
    """
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = (dx * dx + dy * dy) ** 0.5
        far, at = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs(dx * (py - ay) - dy * (px - ax)) / length
            else:
                distance = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if distance > far:
                far, at = distance, i
        if far > TOLERANCE:
            keep[at] = True
            spans.extend(((first, at), (at, last)))
    return [point for point, kept in zip(points, keep, strict=True) if kept]
