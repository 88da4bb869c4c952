"""The built site as files, checked as a browser, a validator and a crawler would see them.

Valid HTML (the Nu HTML checker, zero errors); no broken internal link or anchor;
nothing loaded from another host; chart figures with permalink, description,
table and provenance line; canonical, hreflang and Open Graph tags with a PNG
card per page; sitemap.xml, robots.txt, 404.html, favicon and the Atom feed.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from reportsite.cards import text_width, wrap
from reportsite.config import Project, load_project
from reportsite.data import load_snapshot
from reportsite.errors import Warnings
from reportsite.feed import feed_xml, retrievals
from reportsite.render import SiteInfo
from reportsite.sharing import base_path, base_url
from tests.browser_support import PROJECT, VNU_JAR, built_site, require_file, require_java

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
RESOURCE_TAGS = {
    "link": "href",
    "script": "src",
    "img": "src",
    "source": "srcset",
    "iframe": "src",
    "video": "src",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory)


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(PROJECT)


class Parsed(HTMLParser):
    """Ids, links, resources and head tags of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[tuple[str, str]] = []
        self.meta: dict[str, list[str]] = {}
        self.rel: dict[str, list[dict[str, str]]] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        loads = tag != "link" or values.get("rel") not in ("alternate", "canonical")
        if tag in RESOURCE_TAGS and values.get(RESOURCE_TAGS[tag]) and loads:
            self.resources.append((tag, values[RESOURCE_TAGS[tag]]))
        if tag == "meta":
            key = values.get("property") or values.get("name") or ""
            self.meta.setdefault(key, []).append(values.get("content", ""))
        if tag == "link":
            for rel in values.get("rel", "").split():
                self.rel.setdefault(rel, []).append(values)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Parsed:
    parsed = Parsed()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def target_of(site: Path, page: Path, link: str, prefix: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link points to, or None for an external one."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        assert path.startswith(prefix), f"{page.name}: root-relative link {link} is outside {prefix}"
        file = site / path[len(prefix) :]
    else:
        file = (page.parent / path) if path else page
    file = file.resolve()
    if file.is_dir():
        file = file / "index.html"
    return file, parts.fragment


def test_html_validates_with_the_nu_checker(site: Path) -> None:
    java = require_java()
    jar = require_file(VNU_JAR, "the Nu HTML checker (npm package vnu-jar)")
    run = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    errors = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in report["messages"]
    ]
    assert errors == []
    assert run.returncode == 0


def test_no_broken_internal_link_or_anchor(site: Path, project: Project) -> None:
    prefix = base_path(project)
    pages = {path.resolve(): parse(path) for path in html_files(site)}
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links + [src for _, src in parsed.resources]:
            found = target_of(site, page, link, prefix)
            if found is None:
                continue
            file, fragment = found
            if not file.is_file():
                broken.append(f"{page.relative_to(site)}: {link} (no such file)")
            elif fragment and file.suffix == ".html" and fragment not in pages[file].ids:
                broken.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    assert broken == []
    assert sum(len(p.links) for p in pages.values()) > 10 * len(pages), "the crawler found too few links"


def test_pages_load_nothing_from_another_host(site: Path) -> None:
    foreign = []
    for page in html_files(site):
        for tag, src in parse(page).resources:
            if src.startswith(("http:", "https:", "//")):
                foreign.append(f"{page.name}: <{tag}> {src}")
    for css in site.rglob("*.css"):
        foreign += [
            f"{css.name}: {u}" for u in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css.read_text())
        ]
    for spec in site.rglob("*.vl.json"):
        urls = re.findall(r'"url":\s*"([^"]+)"', spec.read_text(encoding="utf-8"))
        foreign += [f"{spec.name}: {u}" for u in urls if "//" in u]
    assert foreign == []


def test_every_chart_has_permalink_description_table_and_provenance(site: Path, project: Project) -> None:
    licences = {
        sid: s.info.redistribute for sid, s in load_snapshot(project.data_dir, Warnings()).series.items()
    }
    figures = restricted_figures = 0
    for page in html_files(site):
        html = page.read_text(encoding="utf-8")
        lang = re.search(r'<html lang="([^"]+)"', html)[1]  # type: ignore[index]
        words = project.strings[lang]
        for block in re.findall(r'<figure class="chart".*?</figure>', html, re.S):
            figures += 1
            anchor = re.search(r'id="([^"]+)"', block)[1]  # type: ignore[index]
            assert f'href="#{anchor}"' in block, f"{page.name}: chart {anchor} has no permalink"
            assert "<figcaption" in block and "<details" in block and "<table" in block
            description = re.search(r'class="chart-description"[^>]*>(.*?)</p>', block, re.S)[1]  # type: ignore[index]
            for word in (words["latest"], words["low"], words["high"]):
                assert word in description, f"{page.name}: {anchor} description lacks '{word}'"
            raw = re.search(r'class="chart-source">(.*?)</p>', block, re.S)[1]  # type: ignore[index]
            line = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", raw)).strip()
            # Data whose owner restricts redistribution is named but never offered as a download.
            plotted = re.findall(r"<a href=\"[^\"]*fred[^\"]*\">([A-Z0-9]+)</a>", raw)
            open_data = all(licences[sid] for sid in plotted)
            restricted_figures += not open_data
            offered = "CSV" if open_data else words["data_restricted"]
            assert ('type="text/csv"' in raw) == open_data, f"{page.name}: {anchor} download link {line!r}"
            order = [words["figure_data"], offered, words["figure_source"], words["source_fred"]]
            order += [words["observed_to_line"], words["retrieved_line"]]
            positions = [line.find(part) for part in order]
            assert -1 not in positions and positions == sorted(positions), (
                f"{page.name}: provenance line {line!r}"
            )
            if lang == "en":
                data = "CSV" if open_data else re.escape(words["data_restricted"])
                assert re.search(
                    rf"Data: {data} · Source: FRED series [A-Z0-9]+.* · Observed to .+ · Retrieved .+", line
                )
    assert figures > restricted_figures


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_every_page_has_canonical_hreflang_and_open_graph_card(site: Path, project: Project) -> None:
    base = base_url(project)
    assert base, "content/_site.toml needs a base_url for canonical links"
    cards = set()
    for page in html_files(site):
        relative = page.relative_to(site).as_posix()
        parsed = parse(page)
        assert parsed.meta.get("description", [""])[0].strip(), f"{relative}: no description"
        image = parsed.meta["og:image"][0]
        assert image.startswith(base) and image.endswith(".png")
        assert png_size((site / image[len(base) :]).read_bytes()) == (1200, 630)
        cards.add(image)
        for key in ("og:title", "og:description", "og:locale", "twitter:card"):
            assert parsed.meta.get(key, [""])[0], f"{relative}: no {key}"
        if relative == "404.html":
            continue
        public = relative.removesuffix("index.html")
        assert parsed.rel["canonical"][0]["href"] == base + public
        assert parsed.meta["og:url"] == [base + public]
        hreflangs = {alt["hreflang"]: alt["href"] for alt in parsed.rel["alternate"] if alt.get("hreflang")}
        assert hreflangs, f"{relative}: no hreflang"
        for lang, href in hreflangs.items():
            target = site / href[len(base) :] if lang != "x-default" else None
            assert href.startswith(base) and (
                target is None or target.exists() or (target / "index.html").exists()
            )
    assert len(cards) == len(html_files(site)), "each page has its own card"


def test_language_switch_keeps_the_reader_on_the_same_page(site: Path, project: Project) -> None:
    for page in html_files(site):
        html = page.read_text(encoding="utf-8")
        nav = re.search(r'<nav class="languages".*?</nav>', html, re.S)
        if len(project.languages) == 1:
            assert nav is None
            continue
        assert nav, f"{page.name}: no language switch"
        for href in re.findall(r'href="([^"]+)"', nav[0]):
            target = target_of(site, page.resolve(), href, base_path(project))[0]  # type: ignore[index]
            assert target.is_file(), f"{page.name}: language link {href} leads nowhere"
            if (target.parent / page.name).exists() and page.name != "404.html":
                assert target.name == page.name, f"{page.name}: language link leads to {href}"


def test_sitemap_lists_every_page_with_alternates(site: Path, project: Project) -> None:
    base = base_url(project)
    tree = ET.parse(site / "sitemap.xml").getroot()
    locs = {url.findtext(f"{SITEMAP}loc") for url in tree.findall(f"{SITEMAP}url")}
    expected = {base + p.relative_to(site).as_posix().removesuffix("index.html") for p in html_files(site)}
    assert locs == expected - {base + "404.html"}
    for url in tree.findall(f"{SITEMAP}url"):
        langs = {link.get("hreflang") for link in url.findall(f"{XHTML}link")}
        assert langs and langs <= set(project.languages)
    robots = (site / "robots.txt").read_text()
    assert "User-agent: *" in robots and f"Sitemap: {base}sitemap.xml" in robots


def test_404_page_works_at_any_depth(site: Path, project: Project) -> None:
    parsed = parse(site / "404.html")
    prefix = base_path(project)
    assert parsed.meta["robots"] == ["noindex"]
    local = [src for _, src in parsed.resources] + [
        h for h in parsed.links if not h.startswith(("http", "#"))
    ]
    assert local and all(link.startswith(prefix) for link in local), local


def test_favicon_and_touch_icon(site: Path) -> None:
    index = parse(site / "index.html")
    assert index.rel["icon"][0]["href"] == "assets/favicon.svg"
    assert (site / "assets" / "favicon.svg").read_text().startswith("<svg")
    assert png_size((site / "assets" / "apple-touch-icon.png").read_bytes()) == (180, 180)


def test_feed_has_an_entry_per_retrieval_in_the_manifests(site: Path, project: Project) -> None:
    snapshot = load_snapshot(project.data_dir, Warnings())
    days = {
        str(s.manifest["retrieved_at"])[:10]
        for s in snapshot.series.values()
        if s.manifest.get("retrieved_at")
    }
    seed_only = all(s.manifest.get("origin") == "seed-snapshot" for s in snapshot.series.values())
    for lang in project.languages:
        feed = site / ("" if lang == project.default_language else f"{lang.lower()}/") / "feed.xml"
        root = ET.parse(feed).getroot()
        for tag in ("title", "id", "updated", "author"):
            assert root.find(f"{ATOM}{tag}") is not None, f"{feed.name}: no <{tag}>"
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) == len(days)
        if seed_only:
            assert len(entries) == 1
        content = "".join(e.findtext(f"{ATOM}content") or "" for e in entries)
        assert all(sid in content for sid in snapshot.series)


def test_feed_adds_an_entry_for_a_refresh(project: Project) -> None:
    snapshot = load_snapshot(project.data_dir, Warnings())
    refreshed = sorted(snapshot.series)[:2]
    for sid in refreshed:
        series = snapshot.series[sid]
        manifest = {**series.manifest, "retrieved_at": "2031-02-06T21:05:09Z", "origin": "fred-api"}
        snapshot.series[sid] = replace(series, manifest=manifest)
    site = SiteInfo(project, snapshot, built_at=datetime(2031, 2, 7, tzinfo=UTC), pages=[])
    groups = retrievals(site)
    assert groups[0].day == "2031-02-06"
    assert [s.id for s in groups[0].series] == refreshed and not groups[0].seed
    root = ET.fromstring(feed_xml(site, project.default_language))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(groups) >= 2
    assert entries[0].findtext(f"{ATOM}updated") == "2031-02-06T21:05:09Z"
    assert root.findtext(f"{ATOM}updated") == "2031-02-06T21:05:09Z"
    newest = entries[0].findtext(f"{ATOM}content") or ""
    assert all(sid in newest for sid in refreshed)
    assert not any(sid in newest for sid in sorted(snapshot.series)[2:])


def test_sharing_files_are_the_same_on_every_build(site: Path, tmp_path: Path) -> None:
    from reportsite.pipeline import build_site

    build_site(PROJECT, tmp_path / "again")
    names = ["sitemap.xml", "robots.txt", "404.html", "feed.xml", "assets/apple-touch-icon.png"]
    names += [p.relative_to(site).as_posix() for p in site.glob("og/**/*.png")]
    for name in names:
        assert (site / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


def test_card_text_wraps_within_its_width() -> None:
    lines = wrap("Reserves slip under the three trillion dollar line and the Fed stops", 58, 600, 3)
    assert 1 < len(lines) <= 3 and all(text_width(line, 58) <= 600 for line in lines)
    cut = wrap("word " * 200, 28, 500, 2)
    assert len(cut) == 2 and cut[-1].endswith("…")
    chinese = wrap("準備金跌破三兆美元心理關口市場敲響警鐘聯準會踩下緊急煞車", 58, 600, 3)
    assert len(chinese) == 3 and all(text_width(line, 58) <= 600 for line in chinese)


def test_a_missing_tool_skips_locally_and_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.browser_support import unavailable

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no browser here"):
        unavailable("no browser here")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true and a web check cannot run: no browser here"):
        unavailable("no browser here")


def test_base_url_is_checked_and_can_be_set_per_build(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportsite.errors import ConfigError
    from reportsite.sharing import absolute

    monkeypatch.setenv("SITE_BASE_URL", "https://owner.github.io/repo")
    assert base_url(project) == "https://owner.github.io/repo/"
    assert base_path(project) == "/repo/"
    assert absolute(base_url(project), "zh-hant/index.html") == "https://owner.github.io/repo/zh-hant/"
    monkeypatch.setenv("SITE_BASE_URL", "owner.github.io/repo")
    with pytest.raises(
        ConfigError, match=re.escape("SITE_BASE_URL: base_url 'owner.github.io/repo' must be an absolute")
    ):
        base_url(project)
