"""Every page exists in English and Traditional Chinese, and the two link to each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from languages_support import (
    LANGUAGES,
    Element,
    build_project,
    page_file,
    page_slugs,
    parse_html,
    resolve,
)

OTHER = {"en": "zh-Hant", "zh-Hant": "en"}
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_project(tmp_path_factory.mktemp("build") / "site")


def pages() -> list[tuple[str, str]]:
    return [(lang, slug) for lang in LANGUAGES for slug in page_slugs(lang)]


def test_every_page_is_written_in_both_languages() -> None:
    assert page_slugs("en"), "the report has no English pages"
    assert sorted(page_slugs("en")) == sorted(page_slugs("zh-Hant"))


@pytest.mark.parametrize(("lang", "slug"), pages())
def test_page_exists_with_its_language(site: Path, lang: str, slug: str) -> None:
    path = page_file(site, lang, slug)
    assert path.is_file(), f"{path.relative_to(site)} was not built"
    html = parse_html(path).find("html")
    assert html.get("lang") == lang


@pytest.mark.parametrize(("lang", "slug"), pages())
def test_hreflang_alternates_point_to_the_same_page_in_every_language(
    site: Path, lang: str, slug: str
) -> None:
    path = page_file(site, lang, slug)
    alternates = parse_html(path).find("head").find_all("link", rel="alternate")
    links = [link for link in alternates if link.get("hreflang")]  # not the Atom feed's alternate
    targets = {link.get("hreflang"): resolve(site, path, link.get("href")) for link in links}
    assert set(targets) == {*LANGUAGES, "x-default"}
    for alt_lang in LANGUAGES:
        assert targets[alt_lang] == page_file(site, alt_lang, slug)
        assert targets[alt_lang].is_file()
    assert targets["x-default"] == page_file(site, "en", slug)


@pytest.mark.parametrize(("lang", "slug"), pages())
def test_language_switch_keeps_the_reader_on_the_same_page(site: Path, lang: str, slug: str) -> None:
    path = page_file(site, lang, slug)
    switch = parse_html(path).find("nav", cls="languages").find("ul")
    links = switch.find_all("a")
    assert [a.get("hreflang") for a in links] == [OTHER[lang]]
    assert resolve(site, path, links[0].get("href")) == page_file(site, OTHER[lang], slug)
    assert links[0].get("lang") == OTHER[lang]


def figures(site: Path, lang: str, slug: str) -> list[Element]:
    return parse_html(page_file(site, lang, slug)).find_all("figure", cls="chart")


def test_the_report_has_charts_in_chinese(site: Path) -> None:
    assert sum(len(figures(site, "zh-Hant", slug)) for slug in page_slugs("zh-Hant")) > 0


@pytest.mark.parametrize("slug", page_slugs("zh-Hant"))
def test_chinese_pages_show_the_same_charts_as_english(site: Path, slug: str) -> None:
    ids = {lang: [f.get("id") for f in figures(site, lang, slug)] for lang in LANGUAGES}
    assert ids["zh-Hant"] == ids["en"]


@pytest.mark.parametrize("slug", page_slugs("zh-Hant"))
def test_chinese_charts_use_chinese_specs_and_images_that_exist(site: Path, slug: str) -> None:
    path = page_file(site, "zh-Hant", slug)
    for figure in figures(site, "zh-Hant", slug):
        spec = resolve(site, path, figure.get("data-spec"))
        light = resolve(site, path, figure.find("img").get("src"))
        dark = resolve(site, path, figure.find("source").get("srcset"))
        expected = ((spec, ".zh-Hant.vl.json"), (light, ".zh-Hant.light.svg"), (dark, ".zh-Hant.dark.svg"))
        for file, suffix in expected:
            assert file.name.endswith(suffix), f"{figure.get('id')} on {slug} uses {file.name}"
            assert file.is_file(), f"{file.relative_to(site)} is missing"
        for url in re.findall(r'"url":"([^"]+)"', spec.read_text(encoding="utf-8")):
            assert (spec.parent / url).is_file(), f"{spec.name} loads {url}, which was not written"


@pytest.mark.parametrize("slug", page_slugs("zh-Hant"))
def test_chinese_chart_titles_are_in_chinese(site: Path, slug: str) -> None:
    for figure in figures(site, "zh-Hant", slug):
        title = figure.find("figcaption").text
        assert CJK.search(title), f"chart {figure.get('id')} on {slug} has title {title!r}"


@pytest.mark.parametrize("slug", page_slugs("zh-Hant"))
def test_chinese_pages_are_written_in_chinese(site: Path, slug: str) -> None:
    main = parse_html(page_file(site, "zh-Hant", slug)).find("main")
    prose = "".join(p.text for p in main.find_all("p") if not p.classes & {"chart-source", "citation"})
    cjk, latin = len(CJK.findall(prose)), len(LATIN.findall(prose))
    assert cjk > 100, f"{slug}: only {cjk} Chinese characters"
    assert cjk > latin, f"{slug}: more Latin letters ({latin}) than Chinese characters ({cjk})"


def test_chinese_charts_label_axes_and_legends_in_chinese(site: Path) -> None:
    specs = sorted((site / "charts").glob("*.zh-Hant.vl.json"))
    assert specs
    for spec in specs:
        english = spec.with_name(spec.name.replace(".zh-Hant.", ".en."))
        assert english.is_file()
        assert spec.read_bytes() != english.read_bytes(), f"{spec.name} is the English chart"
        titles = re.findall(r'"title":"([^"]+)"', spec.read_text(encoding="utf-8"))
        assert any(CJK.search(t) for t in titles), f"{spec.name}: no Chinese among titles {titles}"
