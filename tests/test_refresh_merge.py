"""The merge and the checks on FRED's answer: properties (hypothesis) and the units-change rule."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportsite.merge import Refused, Row, check_units, merge_rows, read_observations, window_start
from reportsite.refresh import read_rows

ROOT = Path(__file__).resolve().parent.parent
DAY0 = date(2026, 1, 1)
TEXTS = st.sampled_from(["", "0", "1", "2.5", "-3.25", "1000", "3029659"])


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Row], list[Row], date]:
    """Stored rows, FRED's answer from a start date, and that start date."""
    days = sorted(draw(st.sets(st.integers(0, 120), min_size=1, max_size=40)))
    stored = [(DAY0 + timedelta(d), draw(TEXTS)) for d in days]
    start = DAY0 + timedelta(draw(st.integers(-5, 130)))
    answer_days = sorted(
        draw(st.sets(st.integers(0, 140), max_size=40)) | set(draw(st.sets(st.sampled_from(days))))
    )
    fetched = [(DAY0 + timedelta(d), draw(TEXTS)) for d in answer_days if DAY0 + timedelta(d) >= start]
    return stored, fetched, start


def complete(stored: list[Row], fetched: list[Row], start: date) -> list[Row]:
    """`fetched` with a value added for every stored value it lacks in the window: a full answer."""
    have = {day for day, text in fetched if text}
    extra = [(day, text) for day, text in stored if day >= start and text and day not in have]
    merged = dict(fetched)
    merged.update(extra)
    return sorted(merged.items())


@given(histories())
def test_merge_never_loses_an_observation_and_is_idempotent(case: tuple[list[Row], list[Row], date]):
    stored, fetched, start = case
    fetched = complete(stored, fetched, start)

    merged = merge_rows(stored, fetched, start)

    assert [row for row in merged.rows if row[0] < start] == [row for row in stored if row[0] < start]
    present = {day for day, text in merged.rows if text}
    assert {day for day, text in stored if text} <= present
    days = [day for day, _ in merged.rows]
    assert days == sorted(set(days))
    assert [row for row in merged.rows if row[0] >= start] == fetched
    again = merge_rows(merged.rows, fetched, start)
    assert again.rows == merged.rows and (again.new, again.revised) == (0, 0)


@given(histories())
def test_merge_refuses_exactly_the_answers_that_would_drop_a_value(case: tuple[list[Row], list[Row], date]):
    stored, fetched, start = case
    answered = {day for day, text in fetched if text}
    drops = any(text and day >= start and day not in answered for day, text in stored)
    try:
        merged = merge_rows(stored, fetched, start)
    except Refused as exc:
        assert drops, exc
    else:
        assert not drops
        assert [row for row in merged.rows if row[0] < start] == [row for row in stored if row[0] < start]


def test_counts_new_and_revised_values():
    stored = [(date(2026, 1, 7), "1"), (date(2026, 1, 14), "2"), (date(2026, 1, 21), "")]
    fetched = [(date(2026, 1, 14), "2.0"), (date(2026, 1, 21), "3"), (date(2026, 1, 28), "4")]
    merged = merge_rows(stored, fetched, date(2026, 1, 10))
    assert (merged.new, merged.revised) == (2, 0)  # 2.0 is the same number as 2
    assert merge_rows(stored, [*fetched[:1], (date(2026, 1, 21), "")], date(2026, 1, 10)).new == 0


def test_revision_window_per_frequency():
    rows = [(date(2026, 10, 7), "1"), (date(2026, 10, 14), "")]
    assert window_start(rows, "weekly") == date(2026, 7, 8)
    assert window_start(rows, "daily") == date(2026, 9, 6)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([("2026-10-07", "1"), ("2026-10-07", "2")], "observation 2: date 2026-10-07 repeats"),
        ([("2026-10-08", "1"), ("2026-10-07", "2")], "observation 2: date 2026-10-07 comes before"),
        ([("2026-10-7", "1")], "observation 1: date '2026-10-7' is not YYYY-MM-DD"),
        ([(None, "1")], "observation 1: date None is not YYYY-MM-DD"),
        ([("2026-10-07", "NaN")], "value 'NaN' is not a number"),
        ([("2026-10-07", None)], "value None is not a number"),
        ([("2026-09-01", "1")], "observation 1 (2026-09-01) is before the requested start 2026-10-01"),
    ],
)
def test_bad_answers_are_refused_with_the_place(raw, message):
    with pytest.raises(Refused, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_observations(raw, date(2026, 10, 1))


def test_missing_values_read_as_missing():
    assert read_observations([("2026-10-07", "."), ("2026-10-08", "-0.25")], date(2026, 10, 1)) == [
        (date(2026, 10, 7), ""),
        (date(2026, 10, 8), "-0.25"),
    ]


def real(series_id: str) -> list[Row]:
    path = ROOT / "data" / "fred" / f"{series_id}.csv"
    return read_rows(path.read_bytes(), series_id, path)


SERIES = sorted(p.stem for p in (ROOT / "data" / "fred").glob("*.csv"))
# These rest at zero or move by factors of thousands on their own: only the metadata and
# same-date checks can see a units change there.
WILD = {"RPONTTLD", "RRPONTSYD"}


@pytest.mark.parametrize("series_id", SERIES)
def test_real_history_never_looks_like_a_units_change(series_id: str):
    rows = real(series_id)
    for cut in range(len(rows) // 2, len(rows), max(1, len(rows) // 12)):
        check_units(rows[:cut], rows[: cut + 60])


@pytest.mark.parametrize("series_id", sorted(set(SERIES) - WILD))
def test_a_value_scaled_by_1000_is_refused(series_id: str):
    rows = real(series_id)
    present = [row for row in rows if row[1] and float(row[1])]
    newest = present[-1]
    glitch = (newest[0] + timedelta(days=7), str(float(newest[1]) * 1000))
    with pytest.raises(Refused, match="looks like a units change"):
        check_units(rows, [*rows, glitch])
    revised = [*rows[:-1], (rows[-1][0], str(float(newest[1]) * 1000))] if rows[-1] == newest else None
    if revised:
        with pytest.raises(Refused, match="a factor of 1,000"):
            check_units(rows, revised)
