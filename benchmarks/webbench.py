"""Page weight and browser timings, in Debian Chromium through Playwright.

Both sites are served by pages_server.py (gzip, cache headers like GitHub
Pages) and every byte counted is a gzip body byte the server sent. The naive
pages load their Vega libraries from a CDN; here those requests are answered
with the same libraries from the report's own bundle (no network), and their
weight is counted apart.

Timings, each a fresh browser context (empty cache), ms after navigation:

- first paint: the page opened at its top in a reader's window (1280 x 900).
- static images visible: every chart opened at its own permalink
  (`page.html#chart-…`, the browser scrolls to it) in the same window, until
  the first frame after that chart's picture is loaded and decoded (never
  before the first paint); the page's figure is its slowest chart.
- all charts interactive: the window as tall as the page, so every chart is in
  view and every one builds its live view.

Why not the static images in the tall window too (as this benchmark first
did): a window 10 000-14 000 px tall makes Chromium raster and composite the
whole page in software before it shows its first frame, so that figure grew
with the length of the page's text, not with its charts. Traces of
markets.html put ~200 ms of CPU in tile raster and ~100 ms in compositing the
14 000 px surface before the first frame (~25 ms of raster at 900 px), and
the same pages paint in about half the time in a 900 px window (medians of 7,
interleaved: 330-440 ms against 160-210 ms). No reader has such a window; a
reader sees a chart in a normal one, at the top of the page or after
following the chart's link.
"""

from __future__ import annotations

import gzip
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pages_server import PagesServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
BUNDLE = "assets/vega.js"
WIDTH, MAX_HEIGHT, WINDOW = 1280, 20000, 900
TIMEOUT_MS = 30000

# Times (ms after navigation) when every chart's static image is loaded and when every chart is live.
PROBE = """
window.__bench = {paint: null, images: null, live: null, naive: null, decoding: false};
(function poll(frame) {
  var b = window.__bench;
  function all(selector, test) {
    var found = Array.prototype.slice.call(document.querySelectorAll(selector));
    return found.length > 0 && found.every(test);
  }
  function loaded(img) { return img.complete && img.naturalWidth > 0; }
  function settled(f) { return f.classList.contains("is-interactive") || f.classList.contains("is-static"); }
  function live(f) { return f.classList.contains("is-interactive"); }
  function drawn(f) { var d = f.contentDocument; return d && d.querySelector("#vis canvas, #vis svg"); }
  if (b.paint === null) {
    var fcp = performance.getEntriesByName("first-contentful-paint")[0];
    if (fcp) b.paint = fcp.startTime;
  }
  // Opened at a chart's permalink: that chart's picture; otherwise every chart's.
  var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  var pictures = target ? "#" + target.id + " img" : "figure.chart img";
  if (document.readyState !== "loading") {
    if (b.decoding === true && b.images === null) b.images = frame;  // first frame after all decoded
    if (b.decoding === false && all(pictures, loaded)) {
      b.decoding = "pending";
      var imgs = Array.prototype.slice.call(document.querySelectorAll(pictures));
      Promise.all(imgs.map(function (i) { return i.decode().catch(function () {}); }))
        .then(function () { b.decoding = true; });
    }
    if (b.live === null && all("figure.chart[data-spec]", settled))
      b.live = all("figure.chart[data-spec]", live) ? performance.now() : -1;
    if (b.naive === null && all("figure.chart iframe", drawn)) b.naive = performance.now();
  }
  requestAnimationFrame(poll);
})(0);
"""
DONE = """() => {
  var b = window.__bench, charts = document.querySelectorAll("figure.chart").length;
  if (!charts) return document.readyState === "complete" && b.paint !== null;
  return b.paint !== null && ((b.images !== null && b.live !== null) || b.naive !== null);
}"""
PAINTED = """() => document.readyState === "complete" && window.__bench.paint !== null"""
SHOWN = """() => window.__bench.paint !== null && window.__bench.images !== null"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class PageFigures:
    page: str
    charts: int = 0
    anchors: list[str] = field(default_factory=list)  # each chart's permalink
    first_visit: int = 0  # gzip bytes, the Vega bundle excluded
    bundle: int = 0
    second_page: int = 0
    naive_first: int = 0  # gzip bytes, its Vega libraries excluded
    naive_second: int = 0
    naive_libraries: int = 0
    paint_ms: list[float] = field(default_factory=list)
    images_ms: list[float] = field(default_factory=list)
    live_ms: list[float] = field(default_factory=list)
    naive_ms: list[float] = field(default_factory=list)

    def median(self, name: str) -> float | None:
        values = [v for v in getattr(self, name) if v >= 0]
        if len(values) < len(getattr(self, name)):
            return -1.0  # a chart failed to become interactive
        return statistics.median(values) if values else None


def pages_of(site: Path) -> list[str]:
    """Every page of a built site (not the 404 page), by path."""
    found = [p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.parts[-2:-1] != ("charts",)]
    return sorted(p for p in found if p != "404.html")


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def measure_pages(site: Path, naive: Path | None, runs: int, prefix: str = "/") -> list[PageFigures]:
    """Weights (once: the bytes are the same every run) and timings (`runs` times) of every page."""
    bundle = (site / BUNDLE).read_bytes() if (site / BUNDLE).is_file() else b""
    figures = [PageFigures(page) for page in pages_of(site)]
    with PagesServer(site, prefix=prefix) as ours, browser() as chromium:
        naive_server = PagesServer(naive, prefix=prefix).__enter__() if naive else None
        try:
            for figure in figures:
                log(f"pages: {figure.page}")
                other = _other_page(figure.page, [f.page for f in figures])
                _weigh(chromium, ours, figure, other)
                if naive_server is not None:
                    _weigh(chromium, naive_server, figure, other, bundle)
                height = _height(chromium, ours, figure.page)
                naive_height = _height(chromium, naive_server, figure.page, bundle) if naive_server else 0
                for _ in range(runs):
                    _time_page(chromium, ours, figure, height)
                    if naive_server is not None:
                        timings = _timing(chromium, naive_server, figure.page, naive_height, bundle)
                        figure.naive_ms.append(timings["naive"])
        finally:
            if naive_server is not None:
                naive_server.__exit__()
    return figures


def _other_page(page: str, pages: list[str]) -> str:
    """The page visited before `page` for the warm-cache figure: the home page of its language."""
    home = page.rsplit("/", 1)[0] + "/index.html" if "/" in page else "index.html"
    if home != page and home in pages:
        return home
    return next(p for p in pages if p != page)


def _context(chromium: Any, height: int, bundle: bytes) -> Any:
    context = chromium.new_context(viewport={"width": WIDTH, "height": height})
    context.add_init_script(PROBE)
    if bundle:  # the naive pages' CDN requests, answered from the local bundle
        context.route("https://cdn.jsdelivr.net/**", lambda route: _cdn(route, bundle))
    return context


def _cdn(route: Any, bundle: bytes) -> None:
    """vega@N gets the whole bundle (Vega, Vega-Lite and vega-embed); the other two nothing."""
    body = bundle if route.request.url.rsplit("/", 1)[-1].startswith("vega@") else b""
    route.fulfill(status=200, body=body, headers={"Content-Type": "application/javascript"})


def _visit(context: Any, server: PagesServer, page: str, settle: bool = True, done: str = DONE) -> Any:
    """Open a page and wait until its charts are done (and, to count bytes, the network is quiet)."""
    tab = context.new_page()
    tab.goto(server.url + page, wait_until="load")
    tab.wait_for_function(done, timeout=TIMEOUT_MS, polling=50)
    if settle:
        tab.wait_for_load_state("networkidle")
    return tab


def _height(chromium: Any, server: PagesServer, page: str, bundle: bytes = b"") -> int:
    """How tall the page is: the window of the measured visits shows all of it."""
    context = _context(chromium, 900, bundle)
    tab = context.new_page()
    tab.goto(server.url + page, wait_until="load")
    height = int(tab.evaluate("document.documentElement.scrollHeight"))
    context.close()
    return min(MAX_HEIGHT, max(900, height))


def _weigh(chromium: Any, server: PagesServer, figure: PageFigures, other: str, bundle: bytes = b"") -> None:
    naive = bool(bundle)
    height = _height(chromium, server, figure.page, bundle)
    context = _context(chromium, height, bundle)
    server.sent.clear()
    tab = _visit(context, server, figure.page)
    first = list(server.sent)
    figure.anchors = figure.anchors or list(
        tab.evaluate("[...document.querySelectorAll('figure.chart')].map(f => f.id)")
    )
    figure.charts = figure.charts or len(figure.anchors)
    context.close()
    context = _context(chromium, height, bundle)
    _visit(context, server, other)
    server.sent.clear()
    _visit(context, server, figure.page)
    second = list(server.sent)
    context.close()
    if naive:
        figure.naive_first = _bytes(first)
        figure.naive_second = _bytes(second)
        figure.naive_libraries = len(gzip.compress(bundle, 6)) if figure.charts else 0
    else:
        figure.first_visit = _bytes(first, without=BUNDLE)
        figure.bundle = _bytes(first) - figure.first_visit
        figure.second_page = _bytes(second, without=BUNDLE)


def _bytes(sent: list[tuple[str, int, int]], without: str = "") -> int:
    return sum(size for path, _, size in sent if not (without and path.split("?")[0].endswith(without)))


def _time_page(chromium: Any, server: PagesServer, figure: PageFigures, height: int) -> None:
    """One run of a page's timings: its first paint, each chart at its permalink, all charts live."""
    figure.paint_ms.append(_timing(chromium, server, figure.page, WINDOW, done=PAINTED)["paint"])
    if not figure.anchors:
        return
    shown = [
        _timing(chromium, server, f"{figure.page}#{anchor}", WINDOW, done=SHOWN)["images"]
        for anchor in figure.anchors
    ]
    figure.images_ms.append(max(shown))
    figure.live_ms.append(_timing(chromium, server, figure.page, height)["live"])


def _timing(
    chromium: Any, server: PagesServer, page: str, height: int, bundle: bytes = b"", done: str = DONE
) -> dict[str, float]:
    """One fresh visit: first paint, static images painted, all charts live (or naive charts drawn), ms."""
    context = _context(chromium, height, bundle)
    tab = _visit(context, server, page, settle=False, done=done)
    found = tab.evaluate("window.__bench")
    context.close()
    timings = {k: float(v) if isinstance(v, (int, float)) else float("nan") for k, v in found.items()}
    timings["images"] = max(timings["images"], timings["paint"])  # nothing shows before the first paint
    return timings
