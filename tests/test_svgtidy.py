"""Static chart images lose what nobody sees, and nothing else."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reportsite.svgtidy import compact_svg

SVG = (
    b'<svg width="696" height="328"><g class="mark-group role-frame" role="graphics-object" '
    b'aria-roledescription="group mark container" transform="translate(46.123456,5)">'
    b'<path d="M0,298.3022142857143L1.8130311614730878,294.20507142857144L3.6,294.2Z" stroke="#1f5fa8" '
    b'opacity="1" pointer-events="none"/>'
    b'<path aria-label="date: 2020; US$ trillion: 1.615846" transform="translate(0,298.3022)" '
    b'd="M4.472,0A4.472,4.472,0,1,1,-4.472,0" opacity="0"/>'
    b'<path d="M5,0A5,5,0,1,1,-5,0" opacity="0.5"/>'
    b'<path d="M0.2,1.23456L0.5,1.2L0.75,-1"/>'
    b'<line x2="-0.0001" y2="300" aria-hidden="true"/>'
    b'<text x="12.345678" y="3e-7" display="none">1.615846 trillion</text></g></svg>'
)


def test_drops_what_is_not_seen_and_rounds_only_geometry() -> None:
    tidy = compact_svg(SVG)
    assert b'opacity="0"' not in tidy and b"1.615846 trillion" in tidy
    assert not re.search(rb"\s(class|role|aria-[a-z]+|pointer-events)=", tidy)
    assert b'opacity="1"' not in tidy and b'opacity="0.5"' in tidy and b'display="none"' in tidy
    assert b'transform="translate(46.12,5)"' in tidy
    assert b'x2="0"' in tidy and b'x="12.35"' in tidy and b'y="3e-7"' in tidy
    assert b'width="696" height="328"' in tidy
    assert b'd="M5,0A5,5,0,1,1,-5,0"' in tidy, "curves are left as they are"


def test_lines_become_relative_steps_through_points_kept_to_a_tenth_of_a_pixel() -> None:
    tidy = compact_svg(SVG)
    assert b'd="M0,298.3l1.8-4.1l1.8,0Z"' in tidy
    assert b'd="M.2,1.2l.3,0l.3-2.2"' in tidy, "numbers below 1 (written without their zero) too"


def test_is_idempotent() -> None:
    assert compact_svg(compact_svg(SVG)) == compact_svg(SVG)


def _distance(point: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """How far a point lies from the segment a–b."""
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    span = dx * dx + dy * dy
    t = 0.0 if not span else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / span))
    return float(((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5)


def _points(path: bytes) -> list[tuple[float, float]]:
    """The absolute points of a compacted path (M, L and relative l steps)."""
    found: list[tuple[float, float]] = []
    for command, x, y in re.findall(rb"([MLl])(-?[\d.]+),?(-?[\d.]+)", path):
        step = (float(x), float(y))
        if command == b"l":
            step = (found[-1][0] + step[0], found[-1][1] + step[1])
        found.append(step)
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=300, allow_nan=False), min_size=2, max_size=400))
def test_a_dense_line_keeps_fewer_points_and_passes_within_three_tenths_of_a_pixel_of_every_one(
    ys: list[float],
) -> None:
    xs = [i * 0.26 for i in range(len(ys))]  # a daily series: about four points per pixel
    d = "M" + "L".join(f"{x:.6f},{y:.6f}" for x, y in zip(xs, ys, strict=True))
    tidy = compact_svg(f'<svg><path d="{d}"/></svg>'.encode())
    kept = _points(re.search(rb'd="([^"]*)"', tidy)[1])  # type: ignore[index]
    assert kept[0][0] == 0 and abs(kept[0][1] - ys[0]) <= 0.05 + 1e-9 and len(kept) <= len(ys)
    segments = list(itertools.pairwise(kept)) or [(kept[0], kept[0])]
    for point in zip(xs, ys, strict=True):
        assert min(_distance(point, a, b) for a, b in segments) <= 0.3 + 1e-6


def test_a_flat_stretch_is_one_segment_and_a_spike_stays() -> None:
    flat = "M0,10" + "".join(f"L{i / 4},10.04" for i in range(1, 400)) + "L100,10"
    spike = "M0,10L1,10L1.25,4L1.5,10L2,10"
    tidy = compact_svg(f'<svg><path d="{flat}"/><path d="{spike}"/></svg>'.encode())
    assert b'd="M0,10l100,0"' in tidy
    assert (1.2, 4.0) in _points(re.findall(rb'd="([^"]*)"', tidy)[1])  # the peak, 6 px above the line
