"""The data page lists every registered series with its provenance, citation and downloads."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from languages_support import LANGUAGES, ROOT, Element, build_project, page_file, parse_html, resolve

from reportsite.config import load_strings
from reportsite.data import CHOICES, SCALE_FACTOR, load_manifest, load_registry, parse_fred_csv
from reportsite.provenance import cite, describe_series, retrieved_on
from reportsite.values import format_date

REGISTRY = load_registry(ROOT / "data" / "series.toml")
SERIES = sorted(REGISTRY)
UNITS_EN = {
    ("usd", "millions"): "millions of US dollars",
    ("usd", "billions"): "billions of US dollars",
    ("usd", "units"): "US dollars",
    ("percent", "units"): "percent",
    ("index", "units"): "index level",
}
UNITS_ZH = {
    ("usd", "millions"): "百萬美元",
    ("usd", "billions"): "十億美元",
    ("usd", "units"): "美元",
    ("percent", "units"): "百分比（%）",
    ("index", "units"): "指數點",
}
NET_LIQUIDITY = "WALCL − WTREGEN − RRPONTSYD × 1000"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_project(tmp_path_factory.mktemp("build") / "site")


def entry(site: Path, lang: str, series_id: str) -> Element:
    page = parse_html(page_file(site, lang, "data"))
    return page.find("section", id=f"series-{series_id.lower()}")


def manifest(series_id: str) -> dict:
    return json.loads((ROOT / "data" / "fred" / f"{series_id}.json").read_text(encoding="utf-8"))


def present_dates(series_id: str) -> list[date]:
    with (ROOT / "data" / "fred" / f"{series_id}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    return [date.fromisoformat(d) for d, value in rows if value.strip() not in ("", ".")]


def expected_citation(series_id: str) -> str:
    info = REGISTRY[series_id]
    stamp = datetime.fromisoformat(manifest(series_id)["retrieved_at"].replace("Z", "+00:00"))
    when = f"{stamp:%B} {stamp.day}, {stamp.year}"
    return (
        f"{info.source}, {info.fred_title} [{series_id}], retrieved from FRED, "
        f"Federal Reserve Bank of St. Louis; https://fred.stlouisfed.org/series/{series_id}, {when}."
    )


def test_the_registry_has_both_kinds_of_licence() -> None:
    kinds = {REGISTRY[s].redistribute for s in SERIES}
    assert kinds == {True, False}, "the CSV-link tests need redistributable and restricted series"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_lists_exactly_the_registered_series(site: Path, lang: str) -> None:
    page = parse_html(page_file(site, lang, "data"))
    listed = [e.get("data-series") for e in page.find_all("section", cls="series-entry")]
    assert listed == SERIES
    overview = [row.find("th").text for row in page.find("table", cls="series").find("tbody").find_all("tr")]
    assert overview == SERIES


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("series_id", SERIES)
def test_each_series_links_to_fred_and_gives_a_citation(site: Path, lang: str, series_id: str) -> None:
    section = entry(site, lang, series_id)
    fred = section.find("a", cls="fred")
    assert fred.get("href") == f"https://fred.stlouisfed.org/series/{series_id}"
    citation = section.find("p", cls="citation")
    assert citation.text == expected_citation(series_id)
    assert citation.get("lang") == "en"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("series_id", SERIES)
def test_csv_download_exactly_where_the_licence_allows(site: Path, lang: str, series_id: str) -> None:
    path = page_file(site, lang, "data")
    page = parse_html(path)
    local = [a for a in page.find_all("a") if "://" not in a.get("href")]
    links = [a for a in local if a.get("href").endswith(f"data/{series_id}.csv")]
    published = site / "data" / f"{series_id}.csv"
    if REGISTRY[series_id].redistribute:
        assert entry(site, lang, series_id).find_all("a", cls="csv"), f"{series_id} has no CSV link"
        for link in links:
            assert resolve(site, path, link.get("href")) == published
        assert published.read_bytes() == (ROOT / "data" / "fred" / f"{series_id}.csv").read_bytes()
    else:
        assert links == [], f"{series_id} may not be redistributed but is linked"
        assert not published.exists()


@pytest.mark.parametrize("series_id", SERIES)
def test_units_are_stated_per_series(site: Path, series_id: str) -> None:
    key = (REGISTRY[series_id].units, REGISTRY[series_id].scale)
    assert entry(site, "en", series_id).find("dd", cls="units").text == UNITS_EN[key]
    assert entry(site, "zh-Hant", series_id).find("dd", cls="units").text == UNITS_ZH[key]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("series_id", SERIES)
def test_span_retrieval_and_origin_come_from_the_snapshot(site: Path, lang: str, series_id: str) -> None:
    text = entry(site, lang, series_id).text
    dates = present_dates(series_id)
    assert format_date(dates[0], lang) in text
    assert format_date(dates[-1], lang) in text
    retrieved = date.fromisoformat(manifest(series_id)["retrieved_at"][:10])
    assert format_date(retrieved, lang) in text
    assert REGISTRY[series_id].source in text
    assert REGISTRY[series_id].licence_note[lang] in text
    assert REGISTRY[series_id].as_of_note[lang] in text


@pytest.mark.parametrize("series_id", SERIES)
def test_seed_snapshot_names_its_source_repositories_and_commits(site: Path, series_id: str) -> None:
    sources = manifest(series_id)["sources"]
    assert manifest(series_id)["origin"] == "seed-snapshot" and sources
    origin = entry(site, "en", series_id).find("dd", cls="origin")
    hrefs = {a.get("href") for a in origin.find_all("a")}
    for source in sources:
        url = f"https://github.com/{source['repository']}/blob/{source['commit']}/{source['path']}"
        assert url in hrefs
        assert source["commit"][:8] in origin.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_methodology_explains_the_derived_numbers(site: Path, lang: str) -> None:
    main = parse_html(page_file(site, lang, "data")).find("main")
    text = " ".join(main.text.split())
    assert NET_LIQUIDITY in text
    for term in ("SOFR − IORB", "WRESBAL", "WALCL", "TREAST", "WSHOMCB"):
        assert term in text
    catalogue = main.find("section", cls="series-catalogue").iter()
    methods = [h for h in main.find_all("h3") if h not in catalogue]
    assert len(methods) >= 10, f"only {len(methods)} methodology sections"


def test_every_registry_choice_has_words_in_every_language() -> None:
    strings = load_strings(ROOT / "templates" / "strings", list(LANGUAGES))
    keys = [f"dp_units_{u}_{s}" for u in CHOICES["units"] for s in SCALE_FACTOR]
    keys += [f"dp_freq_{f}" for f in CHOICES["frequency"]]
    keys += [f"dp_asof_{a}" for a in CHOICES["as_of"]]
    keys += [f"dp_licence_{licence}" for licence in CHOICES["licence"]]
    for lang in LANGUAGES:
        missing = [k for k in keys if k not in strings[lang] and not _impossible_unit(k)]
        assert missing == [], f"{lang} lacks {missing}"


def _impossible_unit(key: str) -> bool:
    """Percent and index series are stored in plain units only."""
    return key.startswith(("dp_units_percent_", "dp_units_index_")) and not key.endswith("_units")


def test_citation_without_a_retrieval_date_ends_with_the_url(tmp_path: Path) -> None:
    series = _series_with_manifest(tmp_path, {"retrieved_at": None})
    assert retrieved_on(series.manifest) is None
    assert cite(series, None).endswith(
        "[WRESBAL], retrieved from FRED, Federal Reserve Bank of St. Louis; "
        "https://fred.stlouisfed.org/series/WRESBAL."
    )


def test_a_series_refreshed_from_fred_says_so(tmp_path: Path) -> None:
    facts = describe_series(_series_with_manifest(tmp_path, {"origin": "fred-api", "sources": []}))
    assert facts.origin == "fred" and facts.sources == []
    odd = describe_series(_series_with_manifest(tmp_path, {"origin": "hand-made"}))
    assert odd.origin == "hand-made"


def test_missing_values_are_counted_not_filled(tmp_path: Path) -> None:
    rows = "2025-01-01,1\n2025-01-08,\n2025-01-15,3\n"
    facts = describe_series(_series_with_manifest(tmp_path, {}, rows=rows))
    assert (facts.rows, facts.missing) == (3, 1)
    assert (facts.first, facts.last) == (date(2025, 1, 1), date(2025, 1, 15))


def _series_with_manifest(tmp_path: Path, changes: dict, rows: str = "2025-01-01,1\n"):
    from reportsite.data import Series

    csv_path = tmp_path / "WRESBAL.csv"
    csv_path.write_text("observation_date,WRESBAL\n" + rows, encoding="utf-8")
    record = {**manifest("WRESBAL"), **changes}
    manifest_path = tmp_path / "WRESBAL.json"
    manifest_path.write_text(json.dumps(record), encoding="utf-8")
    observations = parse_fred_csv(csv_path.read_bytes(), "WRESBAL", csv_path)
    return Series(REGISTRY["WRESBAL"], load_manifest(manifest_path), observations, csv_path)
