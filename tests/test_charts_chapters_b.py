"""Chapters 5 and 6: their charts build, derived series are computed right, pages use live values."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
from datetime import date

import pytest
from chapters_b_support import ROOT, real_snapshot, small_snapshot

from reportsite.charts import Frames, load_charts
from reportsite.charts.build import ChartSet, build_charts
from reportsite.charts.liquidity import net_liquidity
from reportsite.content import parse_page
from reportsite.data import Snapshot
from reportsite.derived import combine_net_liquidity, combine_sofr_iorb, derive, format_bp
from reportsite.errors import ContentError
from reportsite.events import load_events
from reportsite.values import Values

CHARTS = {
    "markets": ("yields_decision", "rates_long", "credit_spreads", "bitcoin_liquidity"),
    "now": ("liquidity_since_qt", "changes_since_qt", "funding_since_qt"),
}
ALL_CHARTS = {name for names in CHARTS.values() for name in names}
LANGS = ("en", "zh-Hant")


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    return real_snapshot()


@pytest.fixture(scope="module")
def built(snapshot: Snapshot) -> ChartSet:
    return build_charts(load_charts(), ALL_CHARTS, snapshot, LANGS, events=load_events(ROOT / "data"))


def value_on(snapshot: Snapshot, sid: str, day: str) -> float:
    obs = next(o for o in snapshot.get(sid).observations if o.date == date.fromisoformat(day))
    assert obs.value is not None
    return obs.value


def chart_rows(built: ChartSet, name: str) -> list[dict[str, str]]:
    (path,) = built.figures[(name, "en")].data
    return list(csv.DictReader(io.StringIO(built.files[path].decode("utf-8"))))


# --- the charts build -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ALL_CHARTS))
@pytest.mark.parametrize("lang", LANGS)
def test_chart_builds_with_static_images_and_a_spec(built: ChartSet, name: str, lang: str) -> None:
    figure = built.figures[(name, lang)]
    for scheme in ("light", "dark"):
        assert built.files[figure.svg[scheme]].lstrip().startswith(b"<svg")
    spec = json.loads(built.files[figure.spec])
    assert "datasets" not in spec, "chart data must live in the shared CSV, not inline"
    assert figure.width > 300 and figure.height > 200
    assert figure.columns, "the page describes every plotted series"


def test_decision_window_is_daily_and_marks_the_decision(built: ChartSet, snapshot: Snapshot) -> None:
    rows = chart_rows(built, "yields_decision")
    days = [r["date"] for r in rows]
    assert days[0] >= "2025-10-01" and days[-1] <= "2025-11-21"
    assert len(days) >= 30 and "2025-10-28" in days and "2025-10-29" in days
    spec = built.files[built.figures[("yields_decision", "en")].spec].decode("utf-8")
    assert '"when":"2025-10-29"' in spec
    for sid in ("DGS10", "DGS30"):
        for day in ("2025-10-28", "2025-10-29"):
            assert f'"text":"{value_on(snapshot, sid, day):.2f}%"' in spec


def test_long_run_rates_cover_both_yields_and_the_mortgage_rate(built: ChartSet) -> None:
    rows = chart_rows(built, "rates_long")
    assert rows[0]["date"].startswith("2020-01-0")
    assert {"DGS10", "DGS30", "MORTGAGE30US"} <= set(rows[0])
    assert any(r["MORTGAGE30US"] for r in rows) and any(r["DGS30"] for r in rows)


def test_credit_spreads_are_attributed_to_ice(built: ChartSet) -> None:
    for lang in LANGS:
        spec = built.files[built.figures[("credit_spreads", lang)].spec].decode("utf-8")
        assert "ICE Data Indices, LLC" in spec
        assert "datum.value * 100" in spec  # percent in the data, basis points on screen


def test_changes_start_at_the_last_week_of_qt(built: ChartSet, snapshot: Snapshot) -> None:
    weeks = [o.date.isoformat() for o in snapshot.get("WALCL").observations]
    last_qt_week = max(d for d in weeks if d < "2025-12-01")
    assert chart_rows(built, "changes_since_qt")[0]["date"] == last_qt_week


def test_funding_chart_is_sofr_minus_iorb_in_basis_points(built: ChartSet, snapshot: Snapshot) -> None:
    rows = {r["date"]: r for r in chart_rows(built, "funding_since_qt")}
    expected = (value_on(snapshot, "SOFR", "2025-10-28") - value_on(snapshot, "IORB", "2025-10-28")) * 100
    assert float(rows["2025-10-28"]["SOFR_IORB"]) == pytest.approx(expected)
    column = next(c for c in built.figures[("funding_since_qt", "en")].columns if c.name == "SOFR_IORB")
    assert column.units == "bp"


# --- net liquidity: one definition for charts and prose --------------------------------------


LIQUIDITY = {
    "WALCL": [("2024-06-12", 7_000_000), ("2024-06-19", 7_010_000), ("2024-06-26", 7_020_000)],
    "WTREGEN": [("2024-06-12", 800_000), ("2024-06-19", 810_000), ("2024-06-26", 820_000)],
    "RRPONTSYD": [
        ("2024-06-11", 999.2),
        ("2024-06-12", 150.5),
        ("2024-06-18", 400.0),
        ("2024-06-19", None),
        ("2024-06-20", 300.0),
        ("2024-06-26", 0.25),
    ],
}


def test_net_liquidity_converts_on_rrp_and_never_fills_a_missing_wednesday() -> None:
    rows = combine_net_liquidity(small_snapshot(LIQUIDITY))
    assert [(o.date.isoformat(), o.value) for o in rows] == [
        ("2024-06-12", 7_000_000 - 800_000 - 150_500),
        ("2024-06-19", None),  # neither the Tuesday nor the Thursday stands in
        ("2024-06-26", 7_020_000 - 820_000 - 250),
    ]


def test_chart_and_prose_compute_the_same_net_liquidity(snapshot: Snapshot) -> None:
    frames = Frames(snapshot, load_charts()["bitcoin_liquidity"])
    drawn = net_liquidity(frames)
    derived = derive(snapshot, "NETLIQ").observations
    assert len(drawn) == len(derived)
    missing = [o.date for o in derived if o.value is None]
    assert missing, "the snapshot has Wednesdays without an ON RRP result"
    for obs in derived:
        value = drawn[obs.date.isoformat()]
        if obs.value is None:
            assert math.isnan(value)
        else:
            assert value == pytest.approx(obs.value)


def test_missing_on_rrp_week_is_left_empty_in_the_chart_data(built: ChartSet, snapshot: Snapshot) -> None:
    weeks = derive(snapshot, "NETLIQ").observations
    gap = next(o.date for o in weeks if o.value is None and o.date.year > 2021)
    rows = {r["date"]: r for r in chart_rows(built, "bitcoin_liquidity")}
    assert rows[gap.isoformat()]["NETLIQ"] == ""
    assert rows[gap.isoformat()]["CBBTCUSD"] != ""


def test_sofr_minus_iorb_needs_both_rates_on_the_day() -> None:
    snap = small_snapshot(
        {
            "SOFR": [("2025-10-27", 4.04), ("2025-10-28", 4.16), ("2025-10-29", None), ("2025-10-30", 4.01)],
            "IORB": [("2025-10-27", 4.15), ("2025-10-28", 4.00), ("2025-10-29", 4.00)],
        }
    )
    values = [(o.date.isoformat(), o.value) for o in combine_sofr_iorb(snap)]
    assert values == [("2025-10-27", -0.11), ("2025-10-28", 0.16), ("2025-10-29", None), ("2025-10-30", None)]


def test_prose_can_use_derived_series_and_helpers() -> None:
    snap = small_snapshot({**LIQUIDITY, "SOFR": [("2025-10-28", 4.16)], "IORB": [("2025-10-28", 4.00)]})
    en = Values(snap, "en").functions()
    zh = Values(snap, "zh-Hant").functions()
    assert str(en["latest"]("NETLIQ")) == "$6.20 trillion"  # type: ignore[operator]
    assert en["latest"]("NETLIQ").on == "26 June 2024"  # type: ignore[operator]
    assert str(en["change"]("NETLIQ", "2024-06-12")) == "+$150 billion"  # type: ignore[operator]
    assert en["bp"](en["at"]("SOFR_IORB", "2025-10-28")) == "16 bp"  # type: ignore[operator]
    assert zh["bp"](zh["at"]("SOFR_IORB", "2025-10-28")) == "16 個基點"  # type: ignore[operator]
    assert str(en["mean"]("WALCL", "2024-06-01", "2024-06-30")) == "$7.01 trillion"  # type: ignore[operator]
    drop = en["steepest"]("RRPONTSYD", "2024-06-01")  # type: ignore[operator]
    assert (drop.start.date, drop.end.date) == (date(2024, 6, 11), date(2024, 6, 12))
    assert str(drop) == "−$849 billion"
    with pytest.raises(ContentError, match="WALCL has no observation dated 2024-06-13"):
        en["at"]("WALCL", "2024-06-13")  # type: ignore[operator]


@pytest.mark.parametrize(("points", "text"), [(0.16, "16 bp"), (-0.015, "−2 bp"), (2.92, "292 bp")])
def test_basis_points(points: float, text: str) -> None:
    assert format_bp(points, "en") == text


# --- the pages --------------------------------------------------------------------------------

FIGURE = re.compile(
    r"\$\s?\d|\d\s?%|\d\s?(?:bp\b|basis points|trillion|billion|million)"
    r"|\d\s?(?:兆|億|萬|個基點)|\d\s?美元"
)


def page_source(slug: str, lang: str) -> str:
    return (ROOT / "content" / lang / f"{slug}.md").read_text(encoding="utf-8")


def prose_only(source: str) -> str:
    """The page's words: Jinja code removed, string arguments kept, quote()/fixed() dropped."""
    body = source.split("\n---\n", 1)[1]
    body = re.sub(r"(?:quote|fixed)\(\"[^\"]*\"\)", "", body)
    body = re.sub(r"\{%.*?%\}", " ", body, flags=re.S)
    strings = re.compile(r'"([^"]*)"')
    return re.sub(r"\{\{(.*?)\}\}", lambda m: " ".join(strings.findall(m.group(1))), body, flags=re.S)


@pytest.mark.parametrize("slug", sorted(CHARTS))
@pytest.mark.parametrize("lang", LANGS)
def test_no_figure_is_typed_into_the_prose(slug: str, lang: str) -> None:
    text = prose_only(page_source(slug, lang))
    assert not FIGURE.findall(text), [m.group(0) for m in FIGURE.finditer(text)]


def test_the_typed_figure_check_can_fail() -> None:
    assert FIGURE.search(prose_only("---\n---\nReserves were $2.93 trillion and 4.28% or 450 個基點."))
    assert not FIGURE.search(prose_only('---\n---\nReserves were {{ quote("$2.93 trillion") }}.'))


def render(slug: str, lang: str, snapshot: Snapshot) -> tuple[str, list[str]]:
    path = ROOT / "content" / lang / f"{slug}.md"
    page = parse_page(path, path, lang, Values(snapshot, lang), set(load_charts()))
    return page.body_html, [use.name for use in page.charts]


@pytest.mark.parametrize("slug", sorted(CHARTS))
@pytest.mark.parametrize("lang", LANGS)
def test_page_renders_with_its_charts(slug: str, lang: str, snapshot: Snapshot) -> None:
    html, charts = render(slug, lang, snapshot)
    assert tuple(charts) == CHARTS[slug]
    assert 2 <= len(charts) <= 4
    assert html.count("<table>") == 2  # claims vs data, and since the article


def since_block(html: str) -> str:
    return html.rsplit("<table>", 1)[1]


@pytest.mark.parametrize("lang", LANGS)
def test_since_the_article_compares_article_date_with_latest(lang: str, snapshot: Snapshot) -> None:
    values = Values(snapshot, lang)
    block = since_block(render("markets", lang, snapshot)[0])
    for sid in ("DGS10", "DGS30", "MORTGAGE30US", "CBBTCUSD"):
        for text in (values.asof(sid, "2025-12-18"), values.latest(sid), values.change(sid, "2025-12-18")):
            assert str(text) in block
        assert values.latest(sid).on in block
    block = since_block(render("now", lang, snapshot)[0])
    for sid in ("WRESBAL", "WALCL", "WTREGEN", "RRPONTSYD"):
        assert str(values.change(sid, "2025-12-18")) in block


def test_yield_verdicts_follow_the_data(snapshot: Snapshot) -> None:
    html = render("markets", "en", snapshot)[0]
    rose = value_on(snapshot, "DGS10", "2025-10-29") > value_on(snapshot, "DGS10", "2025-10-28")
    assert ("Wrong: it rose" in html) is rose
    hy = Values(snapshot, "en").change("BAMLH0A0HYM2", "2024-12-31", "2025-10-31")
    assert f"({hy})" in html


def test_ch6_reports_the_largest_weekly_fall_in_reserves(snapshot: Snapshot) -> None:
    weeks = [o for o in snapshot.get("WRESBAL").present() if o.date >= date(2025, 12, 1)]
    falls = [(b.value - a.value, b.date) for a, b in itertools.pairwise(weeks)]  # type: ignore[operator]
    worst, when = min(falls)
    values = Values(snapshot, "en")
    html = render("now", "en", snapshot)[0]
    assert f"{values.usd(-worst * 1e6)}, in the week to {values.date(when)}" in html


def test_article_figures_are_marked_as_quoted(snapshot: Snapshot) -> None:
    html = render("markets", "en", snapshot)[0]
    assert '<span class="quoted">4.28%</span>' in html
    assert '<span class="quoted">450 basis points</span>' in html
