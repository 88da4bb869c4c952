"""The naive baseline: what a Python author would do by default, for comparison.

The same pages — the same Markdown and live values through the same templates —
but each chart is saved with Altair's `chart.save("x.html")`, one HTML file per
chart and language that loads Vega, Vega-Lite and vega-embed from a CDN and
carries its data inline, and the page shows it in an iframe. No static image,
no shared data file, no cache: every build draws every chart.

    python benchmarks/naive.py --root PROJECT --out FOLDER
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

IFRAME_FIGURE = """\
{% set anchor = "chart-" ~ figure.name|replace("_", "-") %}
<figure class="chart" id="{{ anchor }}">
  {% if use.title %}<figcaption class="chart-title">{{ use.title }}</figcaption>{% endif %}
  <iframe src="{{ root }}charts/{{ figure.name }}.{{ lang }}.html" title="{{ use.title or figure.name }}"
    width="100%" height="420" style="border:0"></iframe>
  {% if use.caption %}<p class="chart-caption">{{ use.caption }}</p>{% endif %}
</figure>
"""
STUB_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="300"/>'


def build_naive(root: Path, out: Path) -> None:
    """Build `root` the naive way into `out`."""
    import reportsite.charts.build as chart_build
    from reportsite import chartcache
    from reportsite.charts import REGISTRY, load_charts
    from reportsite.pipeline import build_site

    saved = Path(tempfile.mkdtemp(prefix="naive-charts-"))
    project = _with_iframe_template(root, saved / "project")
    for name, chart in list(load_charts().items()):
        REGISTRY[name] = dataclasses.replace(chart, draw=_saving(chart.draw, name, saved / "charts"))
    chart_build.render_svg = lambda spec, cache=None: STUB_SVG  # naive pages have no static image
    chartcache.vega_bundle_cached = lambda cache: b""  # naive charts load Vega from a CDN
    build_site(project, out)
    for leftover in [*out.glob("charts/*"), out / "assets" / "vega.js"]:
        leftover.unlink(missing_ok=True)
    for page in (saved / "charts").glob("*.html"):
        shutil.copy(page, out / "charts" / page.name)
    shutil.rmtree(saved, ignore_errors=True)


def _with_iframe_template(root: Path, copy: Path) -> Path:
    """The project with its chart figure template replaced by an iframe."""
    for name in ("content", "data", "templates"):
        shutil.copytree(root / name, copy / name)
    (copy / "templates" / "_chart.html").write_text(IFRAME_FIGURE, encoding="utf-8")
    return copy


def _saving(draw: Any, name: str, folder: Path) -> Any:
    """The chart function, plus Altair's own `chart.save` of each chart it draws."""

    def draw_and_save(frames: Any, lang: str) -> Any:
        drawn = draw(frames, lang)
        folder.mkdir(parents=True, exist_ok=True)
        drawn.save(str(folder / f"{name}.{lang}.html"))
        return drawn

    draw_and_save.__module__ = draw.__module__
    return draw_and_save


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the naive baseline of a report project.")
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    build_naive(args.root.resolve(), args.out.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
