"""Charts and pages of chapters 2-4: the QT balance sheet, repo strain and reserve management purchases."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from reportsite.charts import Frames, load_charts
from reportsite.charts.balance_sheet import monthly_caps, monthly_change, monthly_holdings
from reportsite.charts.build import build_charts
from reportsite.charts.repo import spread_table, top_spikes
from reportsite.data import load_snapshot
from reportsite.errors import Warnings
from reportsite.events import load_events, load_policy

ROOT = Path(__file__).resolve().parents[1]
CHARTS = (
    "qt_balance_sheet",
    "qt_runoff_caps",
    "post_qt_assets",
    "post_qt_reserves_tga",
    "post_qt_securities",
    "repo_spikes",
    "money_market_spreads",
)
PAGES = ("qt", "turning-point", "rmp")
LANGS = ("en", "zh-Hant")


@pytest.fixture(scope="module")
def snapshot():
    return load_snapshot(ROOT / "data", Warnings())


@pytest.fixture(scope="module")
def charts():
    return load_charts()


@pytest.fixture(scope="module")
def chart_set(snapshot, charts):
    data = ROOT / "data"
    return build_charts(
        charts, set(CHARTS), snapshot, LANGS, events=load_events(data), policy=load_policy(data)
    )


def frames_for(snapshot, charts, name: str) -> Frames:
    return Frames(snapshot, charts[name], load_events(ROOT / "data"), load_policy(ROOT / "data"))


class FakeFrames:
    """Stands in for Frames where a test supplies its own series."""

    def __init__(self, series: dict[str, pd.Series]):
        self.series = series

    def __getitem__(self, series_id: str) -> pd.Series:
        return self.series[series_id]


def weekly(values: dict[str, float]) -> pd.Series:
    return pd.Series(list(values.values()), index=pd.DatetimeIndex(list(values)), dtype="float64")


# --- monthly change from weekly levels ---------------------------------------------------------


def test_monthly_change_runs_first_wednesday_to_first_wednesday():
    levels = weekly(
        {
            "2025-01-01": 100.0,
            "2025-01-08": 90.0,
            "2025-01-29": 80.0,
            "2025-02-05": 70.0,
            "2025-02-26": 65.0,
            "2025-03-05": 60.0,
            "2025-03-12": 1.0,
        }
    )
    change = monthly_change(levels)
    assert list(change.index) == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")]
    assert list(change) == [70.0 - 100.0, 60.0 - 70.0]  # March has no next month yet: left out


def test_monthly_change_skips_a_month_whose_next_month_is_missing():
    levels = weekly({"2025-01-01": 10.0, "2025-03-05": 4.0, "2025-04-02": 1.0})
    change = monthly_change(levels)
    assert list(change.index) == [pd.Timestamp("2025-03-01")]
    assert list(change) == [-3.0]


def test_monthly_caps_follow_the_fomc_schedule():
    first_days = ("2022-05", "2022-06", "2022-08", "2022-09", "2024-05", "2024-06", "2025-03", "2025-04")
    months = pd.DatetimeIndex([f"{m}-01" for m in (*first_days, "2025-11", "2025-12")])
    caps = monthly_caps(months, load_policy(ROOT / "data").caps)
    treasury = [None if math.isnan(v) else v for v in caps["TREAST_cap"]]
    agency = [None if math.isnan(v) else v for v in caps["WSHOMCB_cap"]]
    assert treasury == [None, 30_000, 30_000, 60_000, 60_000, 25_000, 25_000, 5_000, 5_000, None]
    assert agency == [None, 17_500, 17_500, 35_000, 35_000, 35_000, 35_000, 35_000, 35_000, None]


def test_runoff_data_holds_monthly_changes_and_caps(snapshot, charts):
    data = monthly_holdings(frames_for(snapshot, charts, "qt_runoff_caps"), "2022-01-01", "2025-11-01")
    assert list(data.columns) == ["date", "TREAST_month", "WSHOMCB_month", "TREAST_cap", "WSHOMCB_cap"]
    assert data["date"].iloc[0] == pd.Timestamp("2022-01-01")
    assert data["date"].iloc[-1] == pd.Timestamp("2025-11-01")
    before_qt = data[data["date"] < pd.Timestamp("2022-06-01")]
    assert before_qt["TREAST_cap"].isna().all()
    # Under the $60 billion cap Treasuries ran off close to the cap, never far above it.
    peak = data[(data["date"] >= "2022-09-01") & (data["date"] <= "2024-05-01")]
    assert (peak["TREAST_month"] > -62_000).all() and (peak["TREAST_month"] < -50_000).all()
    # MBS never reached their cap during QT.
    during = data[data["WSHOMCB_cap"].notna()]
    assert (-during["WSHOMCB_month"] < during["WSHOMCB_cap"]).all()


def test_monthly_change_matches_the_weekly_levels(snapshot, charts):
    frames = frames_for(snapshot, charts, "qt_runoff_caps")
    data = monthly_holdings(frames, "2024-06-01", "2024-06-01")
    treasuries = frames["TREAST"]
    expected = treasuries[pd.Timestamp("2024-07-03")] - treasuries[pd.Timestamp("2024-06-05")]
    assert data["TREAST_month"].iloc[0] == expected


# --- repo spikes and spreads --------------------------------------------------------------------


def test_top_spikes_keep_the_largest_of_nearby_days():
    days = pd.date_range("2025-01-01", periods=60, freq="D")
    daily = pd.Series(0.0, index=days)
    daily[pd.Timestamp("2025-01-10")] = 5.0
    daily[pd.Timestamp("2025-01-12")] = 9.0  # beats its neighbour two days earlier
    daily[pd.Timestamp("2025-02-20")] = 3.0
    spikes = top_spikes(daily, count=5, gap_days=14)
    assert list(spikes.index) == [pd.Timestamp("2025-01-12"), pd.Timestamp("2025-02-20")]
    assert list(spikes) == [9.0, 3.0]


def test_top_spikes_stop_at_the_count():
    daily = pd.Series([1.0, 4.0, 2.0, 3.0], index=pd.date_range("2025-01-01", periods=4, freq="30D"))
    assert list(top_spikes(daily, count=2, gap_days=14)) == [4.0, 3.0]


def test_repo_spikes_label_the_largest_days_in_the_data(snapshot, charts):
    daily = frames_for(snapshot, charts, "repo_spikes")["RPONTTLD"]
    spikes = top_spikes(daily[daily.index >= pd.Timestamp("2025-06-01")])
    assert pd.Timestamp("2025-12-31") in spikes.index
    assert pd.Timestamp("2025-10-31") in spikes.index
    assert spikes.max() == daily[daily.index >= pd.Timestamp("2025-06-01")].max()


def test_spread_table_in_basis_points_and_missing_stays_missing():
    days = pd.DatetimeIndex(["2025-10-14", "2025-10-15", "2025-10-16"])
    frames = FakeFrames(
        {
            "SOFR": pd.Series([4.19, 4.29, 4.30], index=days),
            "EFFR": pd.Series([4.10, 4.10], index=days[:2]),
            "IORB": pd.Series([4.15, 4.15, 4.15], index=days),
        }
    )
    table = spread_table(frames, start="2025-10-01")  # type: ignore[arg-type]
    assert list(table["SOFR_IORB"]) == [4.0, 14.0, 15.0]
    assert table["EFFR_IORB"].iloc[:2].tolist() == [-5.0, -5.0]
    assert math.isnan(table["EFFR_IORB"].iloc[2])


def test_spread_table_drops_days_without_iorb():
    days = pd.DatetimeIndex(["2021-07-28", "2021-07-29"])
    frames = FakeFrames(
        {
            "SOFR": pd.Series([0.05, 0.05], index=days),
            "EFFR": pd.Series([0.10, 0.10], index=days),
            "IORB": pd.Series([0.15], index=days[1:]),
        }
    )
    table = spread_table(frames, start="2021-01-01")  # type: ignore[arg-type]
    assert list(table["date"]) == [pd.Timestamp("2021-07-29")]


# --- the charts build, in both languages, with the expected data -------------------------------


@pytest.mark.parametrize("name", CHARTS)
@pytest.mark.parametrize("lang", LANGS)
def test_chart_builds_with_static_images(chart_set, name, lang):
    figure = chart_set.figures[(name, lang)]
    for scheme in ("light", "dark"):
        assert chart_set.files[figure.svg[scheme]].startswith(b"<svg")
    assert figure.width > 0 and figure.height > 0
    assert figure.data, "the chart's data is written as CSV"


EXPECTED_COLUMNS = {
    "qt_balance_sheet": ["WALCL", "TREAST", "WSHOMCB"],
    "qt_runoff_caps": ["TREAST_month", "WSHOMCB_month", "TREAST_cap", "WSHOMCB_cap"],
    "post_qt_assets": ["WALCL"],
    "post_qt_reserves_tga": ["WRESBAL", "WTREGEN"],
    "post_qt_securities": ["TREAST_month", "WSHOMCB_month"],
    "repo_spikes": ["RPONTTLD"],
    "money_market_spreads": ["SOFR", "EFFR", "IORB", "SOFR_IORB", "EFFR_IORB"],
}


@pytest.mark.parametrize("name", CHARTS)
def test_chart_data_columns(chart_set, name):
    figure = chart_set.figures[(name, "en")]
    assert [c.name for c in figure.columns] == EXPECTED_COLUMNS[name]
    header = chart_set.files[figure.data[0]].decode().splitlines()[0].split(",")
    assert header[0] == "date"
    assert set(EXPECTED_COLUMNS[name]) <= set(header)


def test_spread_columns_are_declared_in_basis_points(chart_set):
    columns = {c.name: c for c in chart_set.figures[("money_market_spreads", "en")].columns}
    assert columns["SOFR_IORB"].units == "bp"
    assert columns["SOFR_IORB"].high == (date(2025, 10, 31), pytest.approx(32.0))
    assert columns["EFFR_IORB"].units == "bp"


def test_negative_monthly_change_prints_with_a_minus(chart_set):
    column = next(c for c in chart_set.figures[("qt_runoff_caps", "en")].columns if c.name == "TREAST_month")
    assert column.text(-58_500.0, "en") == "\u2212$58.5 billion"
    assert column.text(-58_500.0, "zh-Hant") == "\u2212585 億美元"


def test_spike_labels_are_computed_in_the_spec_not_stored_per_language(chart_set):
    en = chart_set.figures[("repo_spikes", "en")]
    zh = chart_set.figures[("repo_spikes", "zh-Hant")]
    assert en.data == zh.data, "one CSV serves both languages"
    assert "utcFormat" in chart_set.files[en.spec].decode()


# --- the pages ----------------------------------------------------------------------------------

BARE = re.compile(r"\$\s?\d|\d\s?%|\d\s?bp\b|\d[\d.,]*\s?(?:trillion|billion)|\d\s?[兆億]")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", LANGS)
def test_page_has_no_bare_typed_figures(page, lang):
    text = (ROOT / "content" / lang / f"{page}.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    prose = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", body, flags=re.S)
    prose = re.sub(r"^\[[^\]]+\]: \S+$", "", prose, flags=re.M)  # link definitions
    assert not BARE.findall(prose)


@pytest.mark.parametrize("page", PAGES)
def test_page_exists_in_both_languages_with_its_charts(charts, page):
    names = []
    for lang in LANGS:
        text = (ROOT / "content" / lang / f"{page}.md").read_text(encoding="utf-8")
        names.append(re.findall(r'chart\("([a-z_]+)"', text))
    assert names[0] == names[1]
    assert 2 <= len(names[0]) <= 4
    assert all(name in charts for name in names[0])
