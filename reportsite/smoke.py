"""`python -m reportsite.smoke SITE`: check a built site before it is published.

Every page must have a title, show no unrendered template code, and every local
link, image, script, stylesheet and chart spec it names must exist in the site.
Links must be relative: a link starting with `/` would break when GitHub Pages
serves the site under `/<repository>/`. Prints one line per problem and exits 1
if there is any.
"""

from __future__ import annotations

import argparse
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

URL_ATTRIBUTES = ("href", "src", "data-spec")
TEMPLATE_CODE = re.compile(r"\{\{|\{%|\}\}|%\}")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in URL_ATTRIBUTES:
                self.urls.append(value)
            elif value and name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def check_site(site: Path) -> list[str]:
    """Every problem found in the built site, one message each."""
    if not (site / "index.html").is_file():
        return [f"{site}: no index.html: the site would have no home page"]
    problems: list[str] = []
    for page in sorted(site.rglob("*.html")):
        problems += check_page(site, page)
    return problems


def check_page(site: Path, page: Path) -> list[str]:
    shown = page.relative_to(site).as_posix()
    text = page.read_text(encoding="utf-8")
    parser = _Page()
    parser.feed(text)
    problems = []
    if not parser.title.strip():
        problems.append(f"{shown}: the page has no <title>")
    if TEMPLATE_CODE.search(_without_scripts(text)):
        problems.append(f"{shown}: unrendered template code ({{{{ or {{% }}) in the page")
    for url in parser.urls:
        problem = check_url(site, page, url)
        if problem:
            problems.append(f"{shown}: {problem}")
    return problems


def check_url(site: Path, page: Path, url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "data:")):
        return None
    if parts.path.startswith("/"):
        return f"link {url!r} starts with '/': it breaks when the site is served under /<repository>/"
    target = (page.parent / unquote(parts.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(site.resolve()):
        return f"link {url!r} points outside the site"
    if not target.is_file():
        return f"link {url!r} points to a file the build did not write"
    return None


def _without_scripts(text: str) -> str:
    return re.sub(r"<script\b.*?</script>", "", text, flags=re.DOTALL | re.IGNORECASE)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m reportsite.smoke", description="Check a built site.")
    p.add_argument("site", type=Path, help="the built site folder, e.g. site")
    args = p.parse_args(argv)
    problems = check_site(args.site)
    for problem in problems:
        sys.stderr.write(problem + "\n")
    pages = len(list(args.site.rglob("*.html")))
    sys.stdout.write(f"smoke check: {pages} pages, {len(problems)} problem(s)\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
