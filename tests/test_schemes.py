"""One render gives both colour schemes' static images, byte for byte as two renders would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reportsite import schemes
from reportsite.cache import RenderCache, activate, memoize
from reportsite.charts import build as chart_build
from reportsite.charts import load_charts
from reportsite.data import load_snapshot
from reportsite.errors import Warnings
from reportsite.events import load_events

ROOT = Path(__file__).resolve().parent.parent


def drawn_spec(name: str, lang: str) -> dict[str, Any]:
    snapshot = load_snapshot(ROOT / "data", Warnings())
    return chart_build._draw(load_charts()[name], snapshot, lang, load_events(ROOT / "data"))


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_both_schemes_from_one_render_match_separate_renders(lang: str) -> None:
    for name in sorted(load_charts())[:2]:
        spec = drawn_spec(name, lang)
        for scheme in chart_build.SCHEMES:
            alone = chart_build.render_svg(chart_build._with_scheme(spec, scheme))
            assert schemes.render_scheme(spec, scheme) == alone, f"{name} {lang} {scheme}"


def test_placeholders_cover_exactly_the_colours_that_differ() -> None:
    config, colours = schemes.placeholder_config()
    assert colours and all(c["light"] != c["dark"] for c in colours.values())
    assert config["background"] in colours
    assert config["font"] == chart_build_font()


def chart_build_font() -> str:
    from reportsite.charts.theme import house_config

    return str(house_config("light")["font"])


def test_a_blended_placeholder_falls_back_to_rendering_each_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []

    def fake_render(spec: dict[str, Any], cache: Any = None) -> bytes:
        background = spec["config"]["background"]
        rendered.append(background)
        return f'<svg><rect fill="{background}"/><path fill="rgb(11, 0, 2)"/></svg>'.encode()

    monkeypatch.setattr(chart_build, "render_svg", fake_render)
    schemes._recent.clear()
    svg = schemes.render_scheme({"mark": "point", "config": {}}, "dark")
    assert svg == b'<svg><rect fill="#1b2229"/><path fill="rgb(11, 0, 2)"/></svg>'
    assert rendered[0].startswith("#0b00") and rendered[1] == "#1b2229", "not rendered again for the scheme"
    schemes._recent.clear()


def test_memoize_uses_the_active_build_cache(tmp_path: Path) -> None:
    made: list[int] = []

    def make() -> bytes:
        made.append(1)
        return b"png"

    activate(None)
    assert memoize("png", "<svg/>", make) == b"png" and len(made) == 1
    activate(RenderCache(tmp_path))
    try:
        assert memoize("png", "<svg/>", make) == b"png"
        assert memoize("png", "<svg/>", make) == b"png"
        assert len(made) == 2, "the second call should come from the cache"
        assert memoize("png", "<svg width='1'/>", make) == b"png" and len(made) == 3
    finally:
        activate(None)
