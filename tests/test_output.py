"""Whole-site properties: deterministic output, relative links that work under a sub-path."""

from __future__ import annotations

import hashlib
import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

from reportsite.pipeline import build_site


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(minisite: Path, tmp_path: Path) -> None:
    build_site(minisite, tmp_path / "one")
    build_site(minisite, tmp_path / "two")
    assert digest(tmp_path / "one") == digest(tmp_path / "two")


def test_source_date_epoch_sets_the_build_date(
    minisite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(minisite, tmp_path / "default")
    assert "Built 15 January 2026" in (tmp_path / "default" / "index.html").read_text()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1767225600))  # 2026-01-01T00:00:00Z
    build_site(minisite, tmp_path / "epoch")
    assert "Built 1 January 2026" in (tmp_path / "epoch" / "index.html").read_text()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "srcset", "data-spec") and value:
                self.urls.append(value)
            if name == "id" and value:
                self.ids.add(value)


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def test_links_are_relative_and_resolve_under_a_sub_path(minisite: Path, tmp_path: Path) -> None:
    """Served as /<repo>/..., a root-relative link would escape the sub-path: all must be relative."""
    site = tmp_path / "repo"
    build_site(minisite, site)
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        links = parse(page)
        for url in links.urls:
            parsed = urlparse(url)
            if parsed.scheme in ("http", "https", "mailto"):
                assert parsed.netloc != "", url
                continue
            assert not url.startswith("/"), f"{page.name}: root-relative link {url}"
            path, fragment = urldefrag(url)
            target = (page.parent / path).resolve() if path else page
            assert target.is_relative_to(site.resolve()), f"{page.name}: {url} leaves the site"
            assert target.exists(), f"{page.name}: broken link {url}"
            if fragment and target.suffix == ".html":
                assert fragment in parse(target).ids, f"{page.name}: missing anchor {url}"


def test_chart_data_is_a_small_file_not_inlined(minisite: Path, tmp_path: Path) -> None:
    build_site(minisite, tmp_path / "s")
    html = (tmp_path / "s" / "reserves.html").read_text()
    assert "3181701" not in html, "chart data must not be inlined into the page"
    spec = (tmp_path / "s" / "charts" / "reserves_level.en.vl.json").read_text()
    assert '"url":"reserves_level-' in spec
    assert '"datasets"' not in spec
    csv_files = list((tmp_path / "s" / "charts").glob("reserves_level-*.csv"))
    assert len(csv_files) == 1
    assert csv_files[0].read_text().splitlines()[:2] == ["date,WRESBAL", "2025-09-03,3181701"]


def test_vega_is_self_hosted(minisite: Path, tmp_path: Path) -> None:
    build_site(minisite, tmp_path / "s")
    bundle = (tmp_path / "s" / "assets" / "vega.js").read_text()
    assert "vegaEmbed" in bundle
    for page in (tmp_path / "s").rglob("*.html"):
        assert "cdn.jsdelivr" not in page.read_text() and "unpkg.com" not in page.read_text()


def test_environment_is_clean() -> None:
    assert "SOURCE_DATE_EPOCH" not in os.environ or os.environ["SOURCE_DATE_EPOCH"].isdigit()
