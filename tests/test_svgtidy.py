"""Static chart images lose what nobody sees, and nothing else."""

from __future__ import annotations

import re

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
