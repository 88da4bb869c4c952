"""Where the site lives and how a page presents itself when shared.

Links between pages stay relative, so the site works from any folder. Only what
must be absolute — canonical URLs, `hreflang` alternates, Open Graph tags, the
sitemap and the feed — uses `base_url` from `content/_site.toml`, which the
environment variable SITE_BASE_URL overrides (a Pages workflow knows its own address).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .errors import ConfigError

if TYPE_CHECKING:
    from .config import Project
    from .content import Page

BASE_URL_ENV = "SITE_BASE_URL"
CARD_DIR = "og"
CARD_SIZE = (1200, 630)
FEED_NAME = "feed.xml"


def base_url(project: Project) -> str:
    """The published address of the site root, ending in '/', or '' when not configured."""
    raw = os.environ.get(BASE_URL_ENV) or str(project.settings.get("base_url", "") or "")
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        where = BASE_URL_ENV if os.environ.get(BASE_URL_ENV) else "content/_site.toml"
        raise ConfigError(
            f"base_url {raw!r} must be an absolute http(s) address of the site root", path=where
        )
    return raw if raw.endswith("/") else raw + "/"


def base_path(project: Project) -> str:
    """The path part of the base URL ('/repo/'), or '/' without one."""
    return urlsplit(base_url(project)).path or "/"


def lang_prefix(lang: str, default_language: str) -> str:
    """The folder of a language in the site: '' for the default, 'zh-hant/' for the others."""
    return "" if lang == default_language else f"{lang.lower()}/"


def public_path(path: str) -> str:
    """The address of a page as readers should share it: 'index.html' becomes its folder."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


def absolute(base: str, path: str) -> str:
    """`path` (from the site root) as an absolute URL, or as given when there is no base URL."""
    return base + public_path(path) if base else public_path(path) or "./"


def card_path(page_path: str) -> str:
    """The Open Graph image of the page at `page_path`."""
    return f"{CARD_DIR}/{page_path.removesuffix('.html')}.png"


def feed_path(lang: str, default_language: str) -> str:
    return lang_prefix(lang, default_language) + FEED_NAME


@dataclass(frozen=True)
class LanguageLink:
    """A link in the language switch: to the same page in another language, or to its home."""

    lang: str
    path: str
    same_page: bool


def language_links(page: Page, pages: list[Page], languages: tuple[str, ...]) -> list[LanguageLink]:
    """One link per other language: the same page where it exists, else that language's home."""
    default = languages[0]
    links = []
    for lang in languages:
        if lang == page.lang:
            continue
        same = next((p for p in pages if p.lang == lang and p.slug == page.slug), None)
        home = next((p for p in pages if p.lang == lang and p.kind == "home"), None)
        target = same or home
        if target is not None:
            links.append(
                LanguageLink(lang, lang_prefix(lang, default) + target.output_name, same is not None)
            )
    return links


def sharing_context(project: Project, pages: list[Page], page: Page, path: str, root: str) -> dict[str, Any]:
    """What base.html needs for canonical links, alternates, Open Graph and the feed.

    `link(path)` gives the absolute address of a path in the site, or, without a
    base URL, the relative link to it from this page.
    """
    base = base_url(project)
    default = project.default_language
    alternates = [
        (p.lang, lang_prefix(p.lang, default) + p.output_name) for p in pages if p.slug == page.slug
    ]
    return {
        "base_url": base,
        "link": lambda target: absolute(base, target) if base else root + target,
        "hreflang": alternates,
        "hreflang_default": next((alt for lang, alt in alternates if lang == default), None),
        "card": card_path(path),
        "card_size": CARD_SIZE,
        "feed_href": feed_path(page.lang, default),
        "language_links": language_links(page, pages, project.languages),
        "og_locales": {
            lang: project.strings.get(lang, {}).get("og_locale", lang.replace("-", "_"))
            for lang in project.languages
        },
    }
