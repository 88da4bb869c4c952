"""Every page in a real browser (Debian's Chromium via Playwright), served as GitHub Pages serves it.

For each page in every language: no console errors, no failed or foreign requests,
each chart painted as a static SVG first and as an interactive Vega view with
tooltips after (the Vega bundle fetched only once a chart comes near the window),
no horizontal scrolling on a 375 px phone, zero axe-core violations (light and dark), every chart visible without JavaScript, and dark
backgrounds for the page and its charts in dark mode.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.browser_support import (
    AXE_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PagesServer,
    built_site,
    page_paths,
    require_chromium,
    require_file,
    serve,
    site_prefix,
)

PAGES = page_paths()
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
CHART_WAIT_MS = 30_000
DARK_COLOURS = """() => ({
  page: getComputedStyle(document.body).backgroundColor,
  charts: [...document.querySelectorAll('.chart-live svg')].map(svg => getComputedStyle(svg).backgroundColor)
})"""
SETTLED = """() => [...document.querySelectorAll('figure.chart')]
  .every(f => f.classList.contains('is-interactive') || f.classList.contains('is-static'))"""
ONE_SETTLED = """(i) => ['is-interactive', 'is-static']
  .some(c => document.querySelectorAll('figure.chart')[i].classList.contains(c))"""
# After load and two frames: is a chart near the window (within 200 px), and is Vega being fetched?
BUNDLE_STATE = """async () => {
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  return {
    near: [...document.querySelectorAll('figure.chart')].some(f => f.getBoundingClientRect().top < innerHeight + 200),
    fetched: document.querySelector('script[src$="/assets/vega.js"]') !== null,
  };
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PagesServer]:
    with serve(built_site(tmp_path_factory), site_prefix()) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def contexts(browser: Any) -> Iterator[dict[str, Any]]:
    made = {
        "phone": browser.new_context(viewport=PHONE, color_scheme="light", is_mobile=True, has_touch=True),
        "dark": browser.new_context(viewport=DESKTOP, color_scheme="dark"),
        "nojs": browser.new_context(viewport=PHONE, color_scheme="dark", java_script_enabled=False),
        # Scripts on for axe (it needs timers) but the site's own script answered empty: the static page.
        "static": browser.new_context(viewport=PHONE, color_scheme="light"),
    }
    made["static"].route(
        "**/assets/site.js", lambda route: route.fulfill(body="", content_type="application/javascript")
    )
    yield made
    for context in made.values():
        context.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    return require_file(AXE_JS, "axe-core (npm)").read_text(encoding="utf-8")


@dataclass
class Visit:
    """A page opened in a browser context, with everything that went wrong while loading it."""

    page: Any
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    status: int = 0

    def assert_clean(self) -> None:
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.failed == [], f"failed requests: {self.failed}"
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"


def visit(context: Any, server: PagesServer, path: str) -> Visit:
    page = context.new_page()
    seen = Visit(page)

    def on_console(message: Any) -> None:
        if message.type == "error":
            seen.errors.append(message.text)

    def on_response(response: Any) -> None:
        if response.status >= 400:
            seen.failed.append(f"{response.url}: HTTP {response.status}")

    def on_request(request: Any) -> None:
        if not request.url.startswith((server.origin + "/", "data:", "blob:", "about:")):
            seen.foreign.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: seen.errors.append(str(exc)))
    page.on("requestfailed", lambda req: seen.failed.append(f"{req.url}: {req.failure}"))
    page.on("response", on_response)
    page.on("request", on_request)
    response = page.goto(server.url + path, wait_until="load")
    seen.status = response.status if response else 0
    return seen


@pytest.fixture
def opened() -> Iterator[list[Visit]]:
    """Pages opened by a test, closed after it."""
    visits: list[Visit] = []
    yield visits
    for item in visits:
        item.page.close()


def wait_for_charts(page: Any) -> int:
    """Bring each chart into view (a chart turns live only near the window) and wait for all."""
    figures = page.locator("figure.chart")
    for index in range(figures.count()):
        figures.nth(index).scroll_into_view_if_needed()
        page.wait_for_function(ONE_SETTLED, arg=index, timeout=CHART_WAIT_MS)
    page.wait_for_function(SETTLED, timeout=CHART_WAIT_MS)
    static = page.locator("figure.chart.is-static").count()
    assert static == 0, f"{static} chart(s) stayed static: the interactive view failed"
    return int(page.locator("figure.chart").count())


def axe_violations(page: Any, axe: str) -> list[str]:
    page.evaluate(axe)
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .map(v => `${v.id} (${v.impact}): ${v.help} — ` +
                  v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"""
    )
    return list(found)


def overflow(page: Any) -> list[str]:
    """Elements that stick out past the right edge of the viewport, if the page scrolls sideways."""
    return list(
        page.evaluate(
            """() => {
              const root = document.documentElement;
              if (root.scrollWidth <= root.clientWidth) return [];
              return [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
                .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' +
                  Math.round(el.getBoundingClientRect().right) + 'px');
            }"""
        )
    )


def luminance(css_colour: str) -> float:
    """Relative luminance of an rgb()/rgba()/#hex colour as the browser reports it."""
    hexes = re.fullmatch(r"#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})", css_colour.strip())
    if hexes:
        channels = [int(part, 16) for part in hexes.groups()]
    else:
        channels = [int(float(n)) for n in re.findall(r"[\d.]+", css_colour)[:3]]
    assert len(channels) == 3, f"not a colour: {css_colour!r}"

    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def tooltip_shows(page: Any, figure: Any) -> bool:
    """Hover the chart's marks, newest first, until Vega's tooltip appears."""
    figure.scroll_into_view_if_needed()
    marks = figure.locator(".chart-live svg g.role-mark > path")
    count = marks.count()
    for index in sorted({count - 1, count - 2, count // 2, count // 3, 0}, reverse=True):
        if index < 0:
            continue
        box = marks.nth(index).bounding_box()
        if not box:
            continue
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=3)
        if page.locator("#vg-tooltip-element.visible").count():
            page.mouse.move(0, 0)
            return True
    return False


@pytest.mark.parametrize("path", PAGES)
def test_page_on_a_phone(
    path: str, server: PagesServer, contexts: dict[str, Any], axe_source: str, opened: list[Visit]
) -> None:
    seen = visit(contexts["phone"], server, path)
    opened.append(seen)
    assert seen.status == 200
    state = seen.page.evaluate(BUNDLE_STATE)
    assert state["fetched"] == state["near"], (
        f"Vega fetched: {state['fetched']}, a chart near: {state['near']}"
    )
    charts = wait_for_charts(seen.page)
    assert seen.page.locator(".chart-live svg").count() == charts, "every chart becomes a Vega view"
    for index in range(charts):
        figure = seen.page.locator("figure.chart").nth(index)
        assert tooltip_shows(seen.page, figure), f"chart {index + 1} on {path} shows no tooltip"
    seen.page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert overflow(seen.page) == [], f"{path} scrolls sideways at 375 px"
    assert axe_violations(seen.page, axe_source) == []
    seen.assert_clean()


@pytest.mark.parametrize("path", PAGES)
def test_page_in_dark_mode(
    path: str, server: PagesServer, contexts: dict[str, Any], axe_source: str, opened: list[Visit]
) -> None:
    seen = visit(contexts["dark"], server, path)
    opened.append(seen)
    charts = wait_for_charts(seen.page)
    colours = seen.page.evaluate(DARK_COLOURS)
    assert luminance(colours["page"]) < 0.05, f"page background {colours['page']} is not dark"
    assert len(colours["charts"]) == charts
    for colour in colours["charts"]:
        assert luminance(colour) < 0.05, f"a chart's background {colour} is not dark"
    assert axe_violations(seen.page, axe_source) == []
    seen.page.emulate_media(media="print", color_scheme="dark")
    printed = seen.page.evaluate(DARK_COLOURS)
    assert luminance(printed["page"]) > 0.9, "prints on white paper even in dark mode"
    assert all(luminance(colour) > 0.9 for colour in printed["charts"]), "charts print on white"
    seen.assert_clean()


class FigureImages(HTMLParser):
    """The static picture of every chart figure in a page's HTML, as served (no script run)."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict[str, str]] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "figure" and "chart" in values.get("class", "").split():
            self.figures.append({})
        elif self.figures and tag == "img":
            self.figures[-1].setdefault("img", values.get("src", ""))
        elif self.figures and tag == "source":
            self.figures[-1].setdefault("source", values.get("srcset", ""))


@pytest.mark.parametrize("path", PAGES)
def test_charts_without_javascript(
    path: str, server: PagesServer, contexts: dict[str, Any], axe_source: str, opened: list[Visit]
) -> None:
    html = urllib.request.urlopen(server.url + path).read().decode("utf-8")
    parsed = FigureImages()
    parsed.feed(html)
    for figure in parsed.figures:
        assert figure.get("img", "").endswith(".light.svg"), f"a chart on {path} has no static image"
        assert figure.get("source", "").endswith(".dark.svg"), f"a chart on {path} has no dark image"
    seen = visit(contexts["nojs"], server, path)
    opened.append(seen)
    shown = seen.page.evaluate(
        """() => [...document.querySelectorAll('figure.chart')].map(f => {
          const img = f.querySelector('img');
          if (!img) return 'no image';
          const box = img.getBoundingClientRect();
          if (!img.complete || img.naturalWidth === 0) return 'not loaded: ' + img.currentSrc;
          if (box.width < 100 || box.height < 50) return 'too small: ' + box.width + 'x' + box.height;
          return img.currentSrc;
        })"""
    )
    assert len(shown) == len(parsed.figures)
    for source in shown:
        assert source.endswith(".dark.svg"), f"{path}: chart not shown in dark without JavaScript ({source})"
    assert seen.page.locator(".chart-live").count() == 0
    assert overflow(seen.page) == []
    static = visit(contexts["static"], server, path)
    opened.append(static)
    assert static.page.locator("figure.chart picture img").count() == len(parsed.figures)
    assert axe_violations(static.page, axe_source) == [], "the page before scripts run is accessible"
    seen.assert_clean()


def test_missing_address_gets_the_404_page(
    server: PagesServer, contexts: dict[str, Any], axe_source: str, opened: list[Visit]
) -> None:
    seen = visit(contexts["phone"], server, "no/such/chapter.html")
    opened.append(seen)
    assert seen.status == 404
    # The address itself answers 404 (as it should); nothing else may fail.
    seen.failed = [f for f in seen.failed if "no/such/chapter.html" not in f]
    assert seen.errors[:1] == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]
    seen.errors = seen.errors[1:]
    home = seen.page.locator("main a").first
    assert home.get_attribute("href", timeout=1000).startswith(server.prefix)
    assert seen.page.evaluate("() => document.styleSheets.length") >= 1
    assert axe_violations(seen.page, axe_source) == []
    seen.assert_clean()
    home.click()
    seen.page.wait_for_load_state("load")
    assert seen.page.url.rstrip("/").endswith(("index.html", server.prefix.rstrip("/")))
