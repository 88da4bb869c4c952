"""A chart's light and dark static images from one render.

The two colour schemes differ only in the house theme's colours, never in
layout. So the chart is rendered once with each themed colour replaced by a
unique placeholder colour, and each scheme's SVG is that render with the
placeholders replaced by the scheme's colours: the same bytes as rendering
each scheme on its own, for half the work. Should the renderer ever derive a
new colour from a placeholder (blending it, say), the placeholders are not
trusted and each scheme is rendered on its own.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from .cache import RenderCache, cache_key

PLACEHOLDER = "#0b00{:02x}"  # a near-black no chart uses; up to 255 themed colours
NEAR_PLACEHOLDER = re.compile(r"#0b00[0-9a-f]{2}|rgba?\(\s*11\s*,\s*0\s*,", re.IGNORECASE)
MEMO_SIZE = 8
_recent: OrderedDict[str, bytes | None] = OrderedDict()


def render_scheme(spec: dict[str, Any], scheme: str, cache: RenderCache | None = None) -> bytes:
    """The static SVG of `spec` in the house theme's `scheme` (light or dark)."""
    from .charts.build import _with_scheme, render_svg

    config, colours = placeholder_config()
    base = _render_with_placeholders({**spec, "config": {**spec.get("config", {}), **config}}, cache)
    if base is None:
        return render_svg(_with_scheme(spec, scheme), cache)
    text = base.decode("utf-8")
    for placeholder, by_scheme in colours.items():
        text = text.replace(placeholder, by_scheme[scheme])
    return text.encode("utf-8")


def placeholder_config() -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """The house config with a placeholder for every value that differs between schemes."""
    from .charts.theme import house_config

    colours: dict[str, dict[str, str]] = {}

    def walk(light: Any, dark: Any) -> Any:
        if isinstance(light, dict):
            return {k: walk(v, dark[k]) for k, v in light.items()}
        if isinstance(light, list):
            return [walk(a, b) for a, b in zip(light, dark, strict=True)]
        if light == dark:
            return light
        if not (isinstance(light, str) and light.startswith("#")):
            raise ValueError(f"the colour schemes differ in something other than a colour: {light!r}")
        placeholder = PLACEHOLDER.format(len(colours) + 1)
        colours[placeholder] = {"light": light, "dark": dark}
        return placeholder

    return walk(house_config("light"), house_config("dark")), colours


def _render_with_placeholders(spec: dict[str, Any], cache: RenderCache | None) -> bytes | None:
    """The placeholder render, or None if the renderer blended a placeholder.

    With a render cache the second scheme finds the render there; without one, a
    few recent renders are kept in memory for it.
    """
    from .charts.build import VEGA_LITE, _renderer_version, render_svg

    if cache is not None:
        return _trusted(render_svg(spec, cache))
    key = cache_key(spec, "placeholder svg", f"vega-lite {VEGA_LITE}", f"vl-convert {_renderer_version()}")
    if key not in _recent:
        _recent[key] = _trusted(render_svg(spec))
        while len(_recent) > MEMO_SIZE:
            _recent.popitem(last=False)
    return _recent[key]


def _trusted(svg: bytes) -> bytes | None:
    found = set(NEAR_PLACEHOLDER.findall(svg.decode("utf-8")))
    return svg if found <= set(placeholder_config()[1]) else None
