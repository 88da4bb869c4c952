"""Stage 5: render the pages through the Jinja templates, charts filled into their slots."""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape, unescape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .charts.build import ChartSet
from .config import Project
from .content import SLOT, Page
from .data import Snapshot
from .errors import TemplateError
from .figures import provenance
from .freshness import late_series
from .provenance import describe_series
from .sharing import base_url, sharing_context
from .tiles import build_tiles
from .values import format_date

BARE_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
# A scroll box a partial wrote without keyboard access: `<div class="table-scroll ...">` and nothing else.
UNLABELLED_SCROLL = re.compile(r'<div class="(table-scroll(?: [^"]*)?)">')
CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S)
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class SiteInfo:
    """What every template sees about the whole site."""

    project: Project
    snapshot: Snapshot
    built_at: datetime
    pages: list[Page]
    claims: dict[str, list[Any]] = field(default_factory=dict)  # claim views per language
    claims_tally: list[tuple[str, int]] = field(default_factory=list)


def page_path(page: Page, default_language: str) -> str:
    """Where a page is written, relative to the site root."""
    prefix = "" if page.lang == default_language else f"{page.lang.lower()}/"
    return prefix + page.output_name


def make_environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = lambda value, lang: format_date(value, lang)
    env.globals["inline_style"] = lambda name: inline_style(templates_dir / "static" / name)
    return env


def inline_style(path: Path) -> Markup:
    """A stylesheet's text for a <style> element, so the first paint waits on no request."""
    css = path.read_text(encoding="utf-8")
    if "</style" in css.lower():
        raise TemplateError(
            "a stylesheet cannot contain '</style' when inlined", path=Path("templates/static") / path.name
        )
    return Markup(css.strip())


def render_pages(site: SiteInfo, charts: ChartSet) -> dict[str, bytes]:
    """Every page as HTML, keyed by its path in the site."""
    env = make_environment(site.project.templates_dir)
    files: dict[str, bytes] = {}
    for page in site.pages:
        path = page_path(page, site.project.default_language)
        context = _context(site, page, path)
        body = wrap_tables(_fill_charts(env, page, charts, context), context["t"])
        html = _render(env, page.template, {**context, "body": body}, page)
        files[path] = label_scroll_regions(html, context["t"]).encode("utf-8")
    return files


def _context(site: SiteInfo, page: Page, path: str, root: str | None = None) -> dict[str, Any]:
    project = site.project
    lang = page.lang
    root = "../" * path.count("/") if root is None else root
    same_lang = [p for p in site.pages if p.lang == lang]
    chapters = sorted((p for p in same_lang if p.kind == "chapter"), key=lambda p: p.order)
    position = chapters.index(page) if page in chapters else -1
    return {
        "site": {
            "title": project.text("title", lang),
            "description": project.text("description", lang),
            "base_url": base_url(project),
        },
        "t": project.strings.get(lang, {}),
        "lang": lang,
        "page": page,
        "path": path,
        "root": root,
        "chapters": chapters,
        "pages": sorted(same_lang, key=lambda p: p.order),
        "previous": chapters[position - 1] if position > 0 else None,
        "next": chapters[position + 1] if 0 <= position < len(chapters) - 1 else None,
        "alternates": _alternates(site, page),
        "href": lambda other: root + page_path(other, project.default_language),
        "series": [site.snapshot.series[k] for k in sorted(site.snapshot.series)],
        "series_by_id": site.snapshot.series,
        "describe_series": describe_series,
        "default_language": project.default_language,
        "late": late_series(site.snapshot),
        "language_names": {k: v.get("language_name", k) for k, v in project.strings.items()},
        "home_href": root + ("" if lang == project.default_language else f"{lang.lower()}/") + "index.html",
        "data_as_of": site.snapshot.as_of,
        "claims": site.claims.get(lang, []),
        "claims_tally": site.claims_tally,
        "tiles": build_tiles(site.snapshot, lang, project.settings) if page.kind == "home" else [],
        "built_at": site.built_at,
        "provenance": lambda figure: provenance(figure, site.snapshot, lang),
        "nav_pages": sorted((p for p in same_lang if p.kind in ("data", "page")), key=lambda p: p.order),
        **sharing_context(project, site.pages, page, path, root),
    }


def render_extra_page(site: SiteInfo, page: Page, path: str, root: str | None = None) -> bytes:
    """Render a page that has no content file (such as 404.html) through its template.

    `root` replaces the relative way back to the site root, for a page served at
    many addresses.
    """
    env = make_environment(site.project.templates_dir)
    context = _context(site, page, path, root)
    return _render(env, page.template, {**context, "body": page.body_html}, page).encode("utf-8")


def wrap_tables(body: str, strings: dict[str, str]) -> str:
    """Let wide tables in prose scroll inside a focusable, labelled region instead of the page."""
    count = iter(range(1, 10_000))
    label = strings.get("table_region", "Table {n}")

    def wrap(match: re.Match[str]) -> str:
        name = label.format(n=next(count))
        return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{name}">{match[0]}</div>'

    return BARE_TABLE.sub(wrap, body)


def label_scroll_regions(html: str, strings: dict[str, str]) -> str:
    """Give every table scroll box that lacks it keyboard access and a name, whoever wrote it.

    A box that can scroll must be reachable by keyboard (axe: scrollable-region-focusable).
    The name is its table's caption, or "Table n" counted after the ones in prose.
    """
    count = iter(range(len(BARE_TABLE.findall(html)) + 1, 10_000))
    label = strings.get("table_region", "Table {n}")

    def add(match: re.Match[str]) -> str:
        table_end = html.find("</table>", match.end())
        caption = CAPTION.search(html, match.end(), table_end if table_end >= 0 else len(html))
        name = unescape(TAG.sub("", caption[1])) if caption else ""
        name = escape(" ".join(name.split()) or label.format(n=next(count)), quote=True)
        return f'<div class="{match[1]}" role="region" tabindex="0" aria-label="{name}">'

    return UNLABELLED_SCROLL.sub(add, html)


def _alternates(site: SiteInfo, page: Page) -> list[tuple[str, str]]:
    """(language, path from the site root) of this page in every language that has it."""
    default = site.project.default_language
    return [(other.lang, page_path(other, default)) for other in site.pages if other.slug == page.slug]


def _fill_charts(env: jinja2.Environment, page: Page, charts: ChartSet, context: dict[str, Any]) -> str:
    body = page.body_html
    for index, use in enumerate(page.charts):
        figure = charts.figures[(use.name, page.lang)]
        html = _render(env, "_chart.html", {**context, "figure": figure, "use": use, "index": index}, page)
        slot = SLOT.format(index=index)
        if slot not in body:
            raise TemplateError(f"chart '{use.name}' must stand on a line of its own", path=page.source)
        body = body.replace(slot, html.strip(), 1)
    return body


def _render(env: jinja2.Environment, name: str, context: dict[str, Any], page: Page) -> str:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"template '{exc.name}' not found in templates/ (needed by {page.source})",
            path=Path("templates") / str(exc.name),
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax error: {exc.message}",
            path=Path("templates") / (exc.name or name),
            line=exc.lineno,
        ) from None
    except jinja2.TemplateError as exc:
        where, line = _failing_template(exc, name)
        message = f"{type(exc).__name__} while rendering {page.source}: {exc}"
        raise TemplateError(message, path=where, line=line) from None


def _failing_template(exc: BaseException, name: str) -> tuple[Path, int | None]:
    """The template file and line that raised, from Jinja's rewritten traceback."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.suffix in (".html", ".xml") and path.parent.name == "templates":
            return Path("templates") / path.name, frame.lineno
    return Path("templates") / name, None


def static_files(templates_dir: Path) -> Iterable[tuple[str, bytes]]:
    """The files under `templates/static/`, published under `assets/`."""
    static = templates_dir / "static"
    for path in sorted(static.rglob("*")) if static.is_dir() else []:
        if path.is_file():
            yield "assets/" + path.relative_to(static).as_posix(), path.read_bytes()
