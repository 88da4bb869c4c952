"""Stage 3: front matter, live values in prose, Markdown, chart slots."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportsite.content import parse_page, split_front_matter
from reportsite.data import load_snapshot
from reportsite.errors import ContentError, Warnings
from reportsite.values import Values

PAGE = Path("content/en/page.md")


def page_text(body: str, meta: str = 'title: "T"\nslug: t\norder: 1\nsummary: "S"\n') -> str:
    return f"---\n{meta}---\n{body}"


@pytest.fixture
def values(minisite: Path) -> Values:
    return Values(load_snapshot(minisite / "data", Warnings()), "en")


def parse(tmp_path: Path, text: str, values: Values, charts: frozenset[str] = frozenset({"reserves_level"})):
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return parse_page(path, PAGE, "en", values, set(charts))


def test_front_matter_and_markdown(tmp_path: Path, values: Values) -> None:
    page = parse(tmp_path, page_text("## Heading\n\nReserves: {{ latest('WRESBAL') }}.\n"), values)
    assert (page.title, page.slug, page.order, page.kind, page.template) == ("T", "t", 1, "page", "page.html")
    assert '<h2 id="heading">Heading</h2>' in page.body_html
    assert "<p>Reserves: $2.96 trillion.</p>" in page.body_html
    assert 'href="#heading"' in page.toc_html


def test_chart_becomes_a_slot_with_its_title(tmp_path: Path, values: Values) -> None:
    page = parse(
        tmp_path, page_text('Text\n{{ chart("reserves_level", "Title", caption="Cap") }}\nMore\n'), values
    )
    assert [(c.name, c.title, c.caption) for c in page.charts] == [("reserves_level", "Title", "Cap")]
    assert '<div class="chart-slot" data-chart="0"></div>' in page.body_html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter\n", "content/en/page.md:1: a page must start with a '---' front-matter block"),
        ("---\ntitle: T\n", "content/en/page.md:1: the front matter is never closed with '---'"),
        (
            "---\ntitle: [unclosed\nslug: t\n---\n",
            "content/en/page.md:3: front matter is not valid YAML: expected ',' or ']', but got ':'",
        ),
        (
            page_text("", 'title: "T"\nslug: t\norder: 1\n'),
            "content/en/page.md:1: front matter is missing 'summary'",
        ),
        (
            page_text("", 'title: "T"\nslug: t\norder: one\nsummary: S\n'),
            "content/en/page.md:1: front matter 'order' must be int",
        ),
        (
            page_text("", 'title: "T"\nslug: "Bad Slug"\norder: 1\nsummary: S\n'),
            "content/en/page.md:1: slug 'Bad Slug' must be",
        ),
        (
            page_text("", "title: T\nslug: t\norder: 1\nsummary: S\ncolour: red\n"),
            "content/en/page.md:1: unknown front-matter key 'colour'",
        ),
        (
            page_text("", "title: T\nslug: t\norder: 1\nsummary: S\nkind: chapter\n"),
            "content/en/page.md:1: a chapter needs 'heading'",
        ),
    ],
)
def test_bad_front_matter(tmp_path: Path, values: Values, text: str, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        parse(tmp_path, text, values)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "line one\n\n{{ latest('NOPE') }}\n",
            "content/en/page.md:9: unknown series 'NOPE' (not declared in data/series.toml)",
        ),
        ("line one\n{{ chart('nope') }}\n", "content/en/page.md:8: unknown chart 'nope'"),
        ("{{ latest('WRESBAL') }\n", "content/en/page.md:7: template error in prose: unexpected '}'"),
        ("ok\n{{ undefined_name }}\n", "content/en/page.md:8: UndefinedError: 'undefined_name' is undefined"),
        (
            "ok\n\n\n{{ at('WRESBAL', '2025-12-18') }}\n",
            "content/en/page.md:10: WRESBAL has no observation dated 2025-12-18",
        ),
    ],
)
def test_prose_errors_name_the_page_line(tmp_path: Path, values: Values, body: str, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        parse(tmp_path, page_text(body), values)
    assert str(caught.value) == message


def test_split_front_matter_reports_body_line() -> None:
    meta, body, line = split_front_matter(page_text("first body line\n"), PAGE)
    assert meta["slug"] == "t"
    assert body == "first body line\n"
    assert line == 7
