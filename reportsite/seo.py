"""The files that make the site findable and shareable.

`sitemap.xml` with language alternates, `robots.txt`, a `404.html` that works at
any depth, an Open Graph card per page, an icon for home screens, and an Atom
feed per language with an entry for each data retrieval recorded in the
manifests. Everything is derived from the pages and the data snapshot.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .cards import Card, Spark, card_pngs
from .chartpool import Workers
from .charts.build import ChartSet
from .content import Page
from .feed import feed_xml
from .render import SiteInfo, page_path, render_extra_page
from .sharing import absolute, base_path, base_url, card_path, feed_path, lang_prefix
from .values import format_date

log = logging.getLogger(__name__)

NOT_FOUND = "404.html"
ICON = "favicon.svg"


def build_sharing_files(site: SiteInfo, charts: ChartSet, workers: Workers | None = None) -> dict[str, bytes]:
    """Every file of this module, keyed by its path in the site; `workers` may draw the cards."""
    files: dict[str, bytes] = {NOT_FOUND: render_not_found(site)}
    files.update(draw_cards(site, charts, workers))
    files["robots.txt"] = robots_txt(site)
    sitemap = sitemap_xml(site)
    if sitemap:
        files["sitemap.xml"] = sitemap
    for lang in site.project.languages:
        files[feed_path(lang, site.project.default_language)] = feed_xml(site, lang)
    icon = draw_touch_icon(site.project.templates_dir / "static" / ICON)
    if icon:
        files["assets/apple-touch-icon.png"] = icon
    return files


def not_found_page(site: SiteInfo) -> Page:
    """The 404 page: its message in every language, each with a link home."""
    project = site.project
    root = base_path(project) if base_url(project) else ""
    lang = project.default_language
    blocks = []
    for other in project.languages:
        words = project.strings.get(other, {})
        home = root + lang_prefix(other, lang) + "index.html"
        attr = "" if other == lang else f' lang="{other}"'
        blocks.append(
            f"<p{attr}>{escape(words.get('not_found_text', ''))} "
            f'<a href="{escape(home)}">{escape(words.get("not_found_home", home))}</a></p>'
        )
    words = project.strings.get(lang, {})
    return Page(
        source=Path("templates") / "page.html",
        lang=lang,
        slug="404",
        title=words.get("not_found_title", "404"),
        order=0,
        summary=words.get("not_found_text", ""),
        kind="page",
        heading="",
        template="page.html",
        body_html="\n".join(blocks),
        toc_html="",
    )


def render_not_found(site: SiteInfo) -> bytes:
    """GitHub Pages serves this for any missing address, so its links start at the site root."""
    root = base_path(site.project) if base_url(site.project) else None
    return render_extra_page(site, not_found_page(site), NOT_FOUND, root=root)


def robots_txt(site: SiteInfo) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    base = base_url(site.project)
    if base:
        lines.append(f"Sitemap: {base}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap_xml(site: SiteInfo) -> bytes | None:
    """Every page with its alternates in the other languages; needs a base URL (absolute addresses)."""
    base = base_url(site.project)
    if not base:
        log.warning("no base_url in content/_site.toml: no sitemap.xml, canonical or og:url")
        return None
    default = site.project.default_language
    lastmod = site.built_at.date().isoformat()
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for page in site.pages:
        out.append(
            f"<url><loc>{escape(absolute(base, page_path(page, default)))}</loc><lastmod>{lastmod}</lastmod>"
        )
        for other in (p for p in site.pages if p.slug == page.slug):
            href = quoteattr(absolute(base, page_path(other, default)))
            out.append(f'<xhtml:link rel="alternate" hreflang="{other.lang}" href={href}/>')
        out.append("</url>")
    out.append("</urlset>")
    return ("\n".join(out) + "\n").encode("utf-8")


def draw_cards(site: SiteInfo, charts: ChartSet, workers: Workers | None = None) -> dict[str, bytes]:
    """One Open Graph PNG per page (the 404 page included)."""
    default = site.project.default_language
    pages = [(page, page_path(page, default)) for page in site.pages]
    pages.append((not_found_page(site), NOT_FOUND))
    pngs = card_pngs([page_card(site, charts, page) for page, _ in pages], workers)
    return {card_path(path): png for (_, path), png in zip(pages, pngs, strict=True)}


def page_card(site: SiteInfo, charts: ChartSet, page: Page) -> Card:
    project = site.project
    words = project.strings.get(page.lang, {})
    as_of = site.snapshot.as_of
    footer = "FRED"
    if as_of:
        footer = f"{words.get('data_as_of', '')} {format_on(as_of.isoformat(), page.lang)} · FRED"
    title = project.text("title", page.lang)
    return Card(
        site=title,
        title=page.title if page.kind != "home" else title,
        summary=page.summary,
        footer=footer,
        spark=page_spark(site, charts, page),
    )


def page_spark(site: SiteInfo, charts: ChartSet, page: Page) -> Spark | None:
    """The first plotted series of the page's first chart, over the range the chart shows."""
    for use in page.charts:
        figure = charts.figures.get((use.name, page.lang))
        column = figure.columns[0] if figure and figure.columns else None
        if column is None or column.name not in site.snapshot.series:
            continue
        start, end = column.first[0], column.last[0]
        values = [
            o.value
            for o in site.snapshot.series[column.name].present()
            if o.value is not None and start <= o.date <= end
        ]
        words = site.project.strings.get(page.lang, {})
        label = words.get("card_spark", "{label}: {value} ({on})").format(
            label=column.label,
            value=column.text(column.last[1], page.lang),
            on=format_on(column.last[0].isoformat(), page.lang),
        )
        return Spark(values, label)
    return None


def format_on(text: str, lang: str) -> str:
    return format_date(date.fromisoformat(text[:10]), lang)


def draw_touch_icon(svg_path: Path) -> bytes | None:
    """A 180 px PNG of the site icon for home screens (where SVG icons are not used)."""
    if not svg_path.is_file():
        return None
    from importlib.metadata import version

    from .cache import memoize

    svg = svg_path.read_text(encoding="utf-8")

    def render() -> bytes:
        import vl_convert

        png: bytes = vl_convert.svg_to_png(svg, scale=180 / 32)
        return png

    return memoize("touch icon png", svg, render, f"vl-convert {version('vl-convert-python')}")
