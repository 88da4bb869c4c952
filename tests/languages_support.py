"""Build the real project for tests, and read the pages back as a small HTML tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from reportsite.config import load_project
from reportsite.content import split_front_matter
from reportsite.pipeline import build_site
from reportsite.sharing import base_url

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = {"en": "", "zh-Hant": "zh-hant/"}

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def get(self, name: str) -> str:
        return self.attrs.get(name) or ""

    @property
    def classes(self) -> set[str]:
        return set(self.get("class").split())

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def iter(self) -> list[Element]:
        found: list[Element] = []
        for child in self.children:
            if isinstance(child, Element):
                found.append(child)
                found.extend(child.iter())
        return found

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and (cls is None or cls in e.classes)
            and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, cls, **attrs)
        if not found:
            raise LookupError(f"no <{tag or '*'}> with class={cls} {attrs}")
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(path: Path) -> Element:
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def resolve(site: Path, page: Path, href: str) -> Path:
    """The file a link on `page` points to, inside the built `site`: relative, or absolute under the base URL."""
    target = href.split("#", 1)[0]
    folder = page.relative_to(site).parent.as_posix()
    base = base_url(load_project(ROOT))
    if base and target.startswith(base):
        target, folder = target[len(base) :], "."
        target += "index.html" if target == "" or target.endswith("/") else ""
    parts = PurePosixPath(folder, target).parts
    resolved: list[str] = []
    for part in parts:
        if part == "..":
            if not resolved:
                raise ValueError(f"{href} on {page} leaves the site")
            resolved.pop()
        elif part not in (".", ""):
            resolved.append(part)
    return site.joinpath(*resolved)


def build_project(out: Path) -> Path:
    """Build this repository's report into `out` (offline, from data/) and return `out`."""
    build_site(ROOT, out)
    return out


def page_slugs(lang: str) -> list[str]:
    """The slugs of the pages written in `content/<lang>/`."""
    slugs = []
    for path in sorted((ROOT / "content" / lang).glob("*.md")):
        if not path.name.startswith("_"):
            meta, _, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
            slugs.append(meta["slug"])
    return slugs


def page_file(site: Path, lang: str, slug: str) -> Path:
    return site / f"{LANGUAGES[lang]}{slug}.html"
