"""Home-page key-indicator tiles: values, changes since the article and sparklines, all from data."""

from __future__ import annotations

import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from chapters_b_support import ROOT, real_snapshot, small_snapshot

from reportsite.data import Snapshot
from reportsite.errors import ConfigError
from reportsite.pipeline import build_site
from reportsite.tiles import TILES, build_tiles, sparkline
from reportsite.values import Values

ARTICLE = "2025-12-18"
SETTINGS = {"article_date": ARTICLE}
HOME = """---
title: "Home"
slug: index
order: 0
kind: home
summary: "Tiles only."
---

Tiles below.
"""


class Tiles(HTMLParser):
    """Collect each tile's text by class, and its sparkline, from the home page."""

    def __init__(self) -> None:
        super().__init__()
        self.tiles: dict[str, dict[str, str]] = {}
        self.current: str | None = None
        self.field: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        classes = (attr.get("class") or "").split()
        if tag == "li" and "tile" in classes:
            self.current = str(attr["id"])
            self.tiles[self.current] = {}
        elif self.current and tag == "polyline":
            self.tiles[self.current]["points"] = str(attr["points"])
        elif self.current and tag == "line" and "spark-mark" in classes:
            self.tiles[self.current]["mark"] = str(attr["x1"])
        elif self.current and tag in ("h3", "p") and classes:
            self.field = classes[0]

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self.current = None
        if tag in ("h3", "p"):
            self.field = None

    def handle_data(self, data: str) -> None:
        if self.current and self.field:
            tile = self.tiles[self.current]
            tile[self.field] = " ".join((tile.get(self.field, "") + " " + data).split())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's templates and data with a bare home page in both languages, built."""
    project = tmp_path_factory.mktemp("tiles") / "project"
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copytree(ROOT / "data", project / "data")
    for lang in ("en", "zh-Hant"):
        (project / "content" / lang).mkdir(parents=True)
        (project / "content" / lang / "index.md").write_text(HOME, encoding="utf-8")
    (project / "content" / "_site.toml").write_text(
        f'languages = ["en", "zh-Hant"]\ntitle = "T"\narticle_date = "{ARTICLE}"\n', encoding="utf-8"
    )
    out = project.parent / "site"
    build_site(project, out)
    return out


def home_tiles(site: Path, lang: str) -> dict[str, dict[str, str]]:
    parser = Tiles()
    page = site / ("index.html" if lang == "en" else "zh-hant/index.html")
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tiles


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_home_shows_every_tile_with_values_computed_from_data(site: Path, lang: str) -> None:
    tiles = home_tiles(site, lang)
    expected_ids = [f"tile-{spec.series_id.lower().replace('_', '-')}" for spec in TILES]
    assert list(tiles) == expected_ids
    values = Values(real_snapshot(), lang)
    for sid in ("WRESBAL", "WALCL", "RRPONTSYD", "WTREGEN", "RPONTTLD", "DGS10", "MORTGAGE30US", "CBBTCUSD"):
        tile = tiles[f"tile-{sid.lower()}"]
        latest, change = values.latest(sid), values.change(sid, ARTICLE)
        assert tile["tile-value"] == str(latest)
        assert str(change) in tile["tile-change"]
        assert str(change.start) in tile["tile-change"] and change.start.on in tile["tile-change"]
        assert latest.on in tile["tile-asof"]
        assert tile["points"].count(",") > 20


def test_spread_tiles_are_in_basis_points(site: Path) -> None:
    snapshot = real_snapshot()
    sofr = {o.date: o.value for o in snapshot.get("SOFR").present()}
    iorb = {o.date: o.value for o in snapshot.get("IORB").present()}
    day = max(d for d in sofr if d in iorb)
    spread = round((sofr[day] - iorb[day]) * 100)  # type: ignore[operator]
    tiles = home_tiles(site, "en")
    assert tiles["tile-sofr-iorb"]["tile-value"] == f"{'−' if spread < 0 else ''}{abs(spread)} bp"
    hy = snapshot.get("BAMLH0A0HYM2").present()[-1]
    assert tiles["tile-bamlh0a0hym2"]["tile-value"] == f"{round(hy.value * 100)} bp"  # type: ignore[operator]
    assert home_tiles(site, "zh-Hant")["tile-bamlh0a0hym2"]["tile-value"].endswith("個基點")


def test_repo_tile_shows_the_largest_operation_since_the_article(site: Path) -> None:
    biggest = Values(real_snapshot(), "en").high("RPONTTLD", ARTICLE)
    extra = home_tiles(site, "en")["tile-rponttld"]["tile-extra"]
    assert f"{biggest} ({biggest.on})" in extra


def test_sparkline_marks_the_article_date_inside_the_line(site: Path) -> None:
    tile = home_tiles(site, "en")["tile-wresbal"]
    xs = [float(p.split(",")[0]) for p in tile["points"].split()]
    assert xs == sorted(xs)
    assert xs[0] < float(tile["mark"]) < xs[-1]


def test_tiles_follow_the_data() -> None:
    rows = [("2025-12-10", 2_900_000.0), ("2025-12-17", 2_950_000.0), ("2026-01-07", 3_100_000.0)]
    (tile,) = build_tiles(small_snapshot({"WRESBAL": rows}), "en", SETTINGS)
    assert (tile.value, tile.change, tile.then, tile.then_on) == (
        "$3.10 trillion",
        "+$150 billion",
        "$2.95 trillion",
        "17 December 2025",
    )
    assert (tile.direction, tile.percent, tile.as_of) == ("up", "+5.1%", "7 January 2026")
    rows[-1] = ("2026-01-07", 2_800_000.0)
    (tile,) = build_tiles(small_snapshot({"WRESBAL": rows}), "en", SETTINGS)
    assert (tile.value, tile.change, tile.direction) == ("$2.80 trillion", "−$150 billion", "down")


def test_tiles_for_missing_series_are_left_out() -> None:
    snapshot = small_snapshot({"DGS10": [("2025-12-18", 4.12), ("2026-01-05", 4.20)]})
    tiles = build_tiles(snapshot, "zh-Hant", SETTINGS)
    assert [t.series_id for t in tiles] == ["DGS10"]
    assert (tiles[0].value, tiles[0].change) == ("4.20%", "+8 個基點")
    assert build_tiles(Snapshot({}), "en", SETTINGS) == []


def test_tiles_need_the_article_date() -> None:
    snapshot = small_snapshot({"DGS10": [("2025-12-18", 4.12)]})
    with pytest.raises(ConfigError, match=r"'article_date' is None; the home tiles need it as YYYY-MM-DD"):
        build_tiles(snapshot, "en", {})


def test_sparkline_geometry() -> None:
    points = [(date(2025, 1, 1), 1.0), (date(2025, 1, 3), 3.0), (date(2025, 1, 5), 2.0)]
    svg = str(sparkline(points, date(2025, 1, 3), "Reserves: low, high"))
    assert 'points="2.0,34.0 80.0,2.0 158.0,18.0"' in svg
    assert re.search(r'class="spark-mark" x1="80.0"', svg)
    assert 'aria-label="Reserves: low, high"' in svg
    outside = str(sparkline(points, date(2024, 12, 1), "x"))
    assert "spark-mark" not in outside
