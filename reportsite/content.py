"""Stage 3: parse the content — front matter, live values in prose, Markdown.

A page is `content/<lang>/<name>.md`: a YAML front-matter block between `---`
lines, then Markdown in which Jinja expressions are evaluated against the data
before the Markdown is rendered. Files starting with `_` are not pages.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import markdown
import yaml

from .errors import BuildError, ContentError
from .values import Values

KINDS = ("home", "chapter", "data", "page")
REQUIRED = {"title": str, "slug": str, "order": int, "summary": str}
OPTIONAL = {"kind": str, "heading": str, "template": str, "article_heading": str}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLOT = '<div class="chart-slot" data-chart="{index}"></div>'
MARKDOWN_EXTENSIONS = [
    "toc",
    "tables",
    "attr_list",
    "footnotes",
    "md_in_html",
    "sane_lists",
    "abbr",
]
MARKDOWN_CONFIG = {"toc": {"toc_depth": "2-3", "permalink": False}}


@dataclass(frozen=True)
class ChartUse:
    """A chart placed in the flow of a page, with the page's words for it."""

    name: str
    title: str
    caption: str


@dataclass
class Page:
    source: Path
    lang: str
    slug: str
    title: str
    order: int
    summary: str
    kind: str
    heading: str
    template: str
    body_html: str
    toc_html: str
    charts: list[ChartUse] = field(default_factory=list)

    @property
    def output_name(self) -> str:
        return f"{self.slug}.html"


def parse_content(
    content_dir: Path,
    languages: Iterable[str],
    values_for: Callable[[str], Values],
    chart_names: Iterable[str],
    relative_to: Path | None = None,
) -> list[Page]:
    """Every page of every language, sorted by language order then page order."""
    known_charts = set(chart_names)
    pages: list[Page] = []
    for lang in languages:
        values = values_for(lang)
        for path in sorted((content_dir / lang).glob("*.md")):
            if path.name.startswith("_"):
                continue
            shown = path.relative_to(relative_to) if relative_to else path
            pages.append(parse_page(path, shown, lang, values, known_charts))
    _check_unique(pages)
    return pages


def parse_page(path: Path, shown: Path, lang: str, values: Values, charts: set[str]) -> Page:
    text = path.read_text(encoding="utf-8")
    meta, body, body_line = split_front_matter(text, shown)
    prose = render_prose(body, body_line, shown, values, charts)
    md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG)
    html = md.convert(prose.text)
    toc = getattr(md, "toc", "")
    kind = meta.get("kind", "page")
    return Page(
        source=shown,
        lang=lang,
        slug=meta["slug"],
        title=meta["title"],
        order=meta["order"],
        summary=meta["summary"],
        kind=kind,
        heading=meta.get("heading", ""),
        template=meta.get("template", f"{kind}.html"),
        body_html=html,
        toc_html=toc,
        charts=prose.charts,
    )


def split_front_matter(text: str, shown: Path) -> tuple[dict[str, Any], str, int]:
    """Return the checked front matter, the body and the body's first line number."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError("a page must start with a '---' front-matter block", path=shown, line=1)
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentError("the front matter is never closed with '---'", path=shown, line=1) from None
    try:
        meta = yaml.safe_load("".join(lines[1:close])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(f"front matter is not valid YAML: {problem}", path=shown, line=line) from None
    if not isinstance(meta, dict):
        raise ContentError("front matter must be a mapping of keys to values", path=shown, line=2)
    _check_meta(meta, shown)
    return meta, "".join(lines[close + 1 :]), close + 2


def _check_meta(meta: dict[str, Any], shown: Path) -> None:
    for key, kind in {**REQUIRED, **OPTIONAL}.items():
        if key not in meta:
            if key in REQUIRED:
                raise ContentError(f"front matter is missing '{key}'", path=shown, line=1)
            continue
        if not isinstance(meta[key], kind) or isinstance(meta[key], bool):
            raise ContentError(f"front matter '{key}' must be {kind.__name__}", path=shown, line=1)
    unknown = sorted(set(meta) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise ContentError(f"unknown front-matter key '{unknown[0]}'", path=shown, line=1)
    if not SLUG.match(meta["slug"]):
        raise ContentError(
            f"slug {meta['slug']!r} must be lowercase letters, digits and dashes",
            path=shown,
            line=1,
        )
    if meta.get("kind", "page") not in KINDS:
        raise ContentError(f"kind {meta['kind']!r} must be one of {', '.join(KINDS)}", path=shown, line=1)
    if meta.get("kind") == "chapter" and not meta.get("heading"):
        raise ContentError("a chapter needs 'heading': the article's original heading", path=shown, line=1)


@dataclass
class Prose:
    text: str
    charts: list[ChartUse]


def render_prose(body: str, first_line: int, shown: Path, values: Values, charts: set[str]) -> Prose:
    """Evaluate the Jinja expressions of a page body; charts become slots filled in later."""
    used: list[ChartUse] = []

    def chart(name: str, title: str = "", caption: str = "") -> str:
        if name not in charts:
            raise ContentError(f"unknown chart '{name}'")
        used.append(ChartUse(name, title, caption))
        return "\n\n" + SLOT.format(index=len(used) - 1) + "\n\n"

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.update(values.functions(), chart=chart)
    try:
        text = env.from_string(body).render()
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError(
            f"template error in prose: {exc.message}",
            path=shown,
            line=first_line + (exc.lineno or 1) - 1,
        ) from None
    except (BuildError, jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
        line = _template_line(exc)
        message = exc.message if isinstance(exc, BuildError) else f"{type(exc).__name__}: {exc}"
        raise ContentError(message, path=shown, line=first_line + line - 1 if line else None) from None
    return Prose(text, used)


def _template_line(exc: BaseException) -> int | None:
    """The line of the prose template that raised, from Jinja's rewritten traceback."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == "<template>" and frame.lineno:
            return frame.lineno
    return None


def _check_unique(pages: list[Page]) -> None:
    seen: dict[tuple[str, str], Path] = {}
    for page in pages:
        key = (page.lang, page.slug)
        if key in seen:
            raise ContentError(f"slug '{page.slug}' is also used by {seen[key]}", path=page.source, line=1)
        seen[key] = page.source
