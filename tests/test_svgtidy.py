"""Static chart images lose their invisible marks and excess decimals, and nothing else."""

from __future__ import annotations

from reportsite.svgtidy import compact_svg

SVG = (
    b'<svg width="696" height="328"><g transform="translate(46.123456,5)">'
    b'<path d="M0,298.3022142857143L1.8130311614730878,294.20507142857144" stroke="#1f5fa8" opacity="1"/>'
    b'<path aria-label="date: 2020; US$ trillion: 1.615846" transform="translate(0,298.3022)" '
    b'd="M4.472,0A4.472,4.472,0,1,1,-4.472,0" opacity="0"/>'
    b'<line x2="-0.0001" y2="300" opacity="1"/>'
    b'<text x="12.345678" y="3e-7">1.615846 trillion</text></g></svg>'
)


def test_drops_transparent_marks_and_rounds_only_geometry() -> None:
    tidy = compact_svg(SVG)
    assert b'opacity="0"' not in tidy and b"1.615846 trillion" in tidy
    assert b'd="M0,298.3L1.81,294.21"' in tidy
    assert b'transform="translate(46.12,5)"' in tidy
    assert b'x2="0"' in tidy and b'x="12.35"' in tidy and b'y="3e-7"' in tidy
    assert b'width="696" height="328"' in tidy


def test_is_idempotent() -> None:
    assert compact_svg(compact_svg(SVG)) == compact_svg(SVG)
