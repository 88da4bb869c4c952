"""Live values: figures computed from the data and printed per language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reportsite.data import load_snapshot
from reportsite.errors import ContentError, Warnings
from reportsite.values import Values, format_date, format_usd


@pytest.fixture
def values(minisite: Path) -> Values:
    return Values(load_snapshot(minisite / "data", Warnings()), "en")


@pytest.mark.parametrize(
    ("amount", "lang", "text"),
    [
        (2.93e12, "en", "$2.93 trillion"),
        (2.93e12, "zh-Hant", "2.93 兆美元"),
        (40.1e9, "en", "$40.1 billion"),
        (40.1e9, "zh-Hant", "401 億美元"),
        (6.75e9, "zh-Hant", "67.5 億美元"),
        (81186, "en", "$81,186"),
        (274e9, "en", "$274 billion"),
    ],
)
def test_usd_in_words(amount: float, lang: str, text: str) -> None:
    assert format_usd(amount, lang) == text


def test_dates_per_language() -> None:
    assert format_date(date(2025, 12, 17), "en") == "17 December 2025"
    assert format_date(date(2025, 12, 17), "zh-Hant") == "2025年12月17日"


def test_latest_and_exact_date(values: Values) -> None:
    assert str(values.latest("WRESBAL")) == "$2.96 trillion"
    assert values.latest("WRESBAL").on == "31 December 2025"
    assert str(values.at("WRESBAL", "2025-12-17")) == "$2.96 trillion"
    assert str(values.at("WRESBAL", "2025-12-17").sig(5)) == "$2.9590 trillion"


def test_exact_date_never_falls_back(values: Values) -> None:
    with pytest.raises(ContentError, match="WRESBAL has no observation dated 2025-12-18"):
        values.at("WRESBAL", "2025-12-18")


def test_change_is_signed_and_has_magnitude(values: Values) -> None:
    change = values.change("WRESBAL", "2025-12-10", "2025-12-17")
    assert str(change) == "+$26.9 billion"
    assert change.abs == "$26.9 billion"
    assert change.up
    assert str(values.change("WRESBAL", "2025-10-22", "2025-10-29")) == "\u2212$85.0 billion"


def test_change_over_a_window_ends_at_the_latest(values: Values) -> None:
    change = values.change("WRESBAL", weeks=1)
    assert (change.start.date, change.end.date) == (date(2025, 12, 24), date(2025, 12, 31))


def test_extremes_and_crossings(values: Values) -> None:
    low = values.low("WRESBAL")
    assert (str(low), low.date) == ("$2.85 trillion", date(2025, 10, 29))
    assert values.high("WRESBAL", "2025-10-01", "2025-10-31").date == date(2025, 10, 15)
    assert values.first("WRESBAL", below=3_000_000).date == date(2025, 10, 1)
    assert values.count("WRESBAL", above=3_000_000, start="2025-10-01") == 1


def test_unknown_series_is_named(values: Values) -> None:
    with pytest.raises(Exception, match="unknown series 'NOPE'"):
        values.latest("NOPE")


def test_rates_change_in_basis_points(minisite: Path) -> None:
    from reportsite.values import format_change

    snapshot = load_snapshot(Path(__file__).resolve().parent.parent / "data", Warnings())
    info = snapshot.get("DGS10").info
    assert format_change(-0.2, info, "en", 3) == "\u221220 bp"
    assert format_change(0.07, info, "zh-Hant", 3) == "+7 個基點"


def test_quote_and_fixed_mark_figures_that_are_not_data() -> None:
    assert str(Values.quote("$2.93 trillion")) == '<span class="quoted">$2.93 trillion</span>'
    assert str(Values.fixed("<b>")) == '<span class="fixed">&lt;b&gt;</span>'


def test_last_crossing_looks_backwards(values: Values) -> None:
    assert values.last("WRESBAL", below=3_000_000).date == date(2025, 12, 31)
    assert values.last("WRESBAL", above=3_000_000).date == date(2025, 10, 15)
    with pytest.raises(ContentError, match="never crosses that level"):
        values.last("WRESBAL", above=9_000_000)
    with pytest.raises(ContentError, match="give exactly one of below= or above="):
        values.last("WRESBAL")
