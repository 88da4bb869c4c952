"""What the page says about a chart: the dataset it describes and the signs of its values."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest
from chapters_b_support import small_snapshot

from reportsite.charts import ChartDef, Frames
from reportsite.charts.build import _externalise, build_charts
from reportsite.values import MINUS

LANGS = ("en", "zh-Hant")
WEEKS = ["2025-11-05", "2025-11-12", "2025-11-19", "2025-11-26"]
UNITS = {"WRESBAL_change": ("usd", 1e6), "gap": ("bp", 1.0)}
LABELS = {
    "WRESBAL_change": {"en": "Weekly change", "zh-Hant": "每週變動"},
    "gap": {"en": "Gap", "zh-Hant": "差距"},
}


def annotated(frames: Frames, lang: str) -> alt.LayerChart:
    """A line of weekly changes (negative ones too) and a dated annotation with numbers of its own."""
    reserves = frames["WRESBAL"]
    data = pd.DataFrame(
        {
            "date": reserves.index,
            "WRESBAL_change": [0.0, -50_000.0, 40_000.0, -90_000.0],
            "gap": [-12.0, -0.4, 3.0, 7.0],
        }
    )
    # The annotation has a `date` column and numbers, and its dataset name may sort first.
    note = pd.DataFrame({"date": [pd.Timestamp(WEEKS[1])], "height": [999.0], "label": ["marked week"]})
    x = alt.X("date:T", scale=alt.Scale(type="utc"))
    line = alt.Chart(data).mark_line().encode(x=x, y="WRESBAL_change:Q")
    points = alt.Chart(data).mark_point().encode(x=x, y="gap:Q", tooltip=["gap:Q"])
    marked = alt.Chart(note).mark_text().encode(x=x, y=alt.value(5), text="label:N")
    return alt.layer(marked, line, points)


@pytest.fixture(scope="module")
def figures() -> dict[str, object]:
    levels = [3_000_000.0, 2_950_000.0, 2_990_000.0, 2_900_000.0]
    snapshot = small_snapshot({"WRESBAL": list(zip(WEEKS, levels, strict=True))})
    chart = ChartDef("annotated", ("WRESBAL",), annotated, UNITS, LABELS)
    built = build_charts({"annotated": chart}, {"annotated"}, snapshot, LANGS)
    return {lang: built.figures[("annotated", lang)] for lang in LANGS}


def test_the_described_dataset_is_the_one_with_the_charts_declared_columns(figures) -> None:  # type: ignore[no-untyped-def]
    figure = figures["en"]
    assert [c.name for c in figure.columns] == ["WRESBAL_change", "gap"]
    assert figure.table_head == ["Weekly change", "Gap"]
    assert len(figure.table_rows) == len(WEEKS)
    assert all("999" not in cell for row in figure.table_rows for cell in row)


def test_negative_values_keep_their_sign_in_table_and_description(figures) -> None:  # type: ignore[no-untyped-def]
    figure = figures["en"]
    change, gap = figure.columns
    assert change.text(change.low[1], "en") == f"{MINUS}$90.0 billion"
    assert gap.text(gap.low[1], "en") == f"{MINUS}12 bp"
    assert gap.text(-0.4, "en") == "0 bp"  # rounds to zero: no sign
    assert [row[1:] for row in figure.table_rows] == [
        ["$0", f"{MINUS}12 bp"],
        [f"{MINUS}$50.0 billion", "0 bp"],
        ["$40.0 billion", "3 bp"],
        [f"{MINUS}$90.0 billion", "7 bp"],
    ]
    zh_change, zh_gap = figures["zh-Hant"].columns
    assert zh_change.text(zh_change.low[1], "zh-Hant") == f"{MINUS}900 億美元"
    assert zh_gap.text(zh_gap.low[1], "zh-Hant") == f"{MINUS}12 個基點"


def test_an_annotation_that_sorts_first_is_never_the_described_dataset() -> None:
    main = [{"date": d, "WRESBAL": v} for d, v in zip(WEEKS, [1.0, 2.0, 3.0, 4.0], strict=True)]
    note = [{"date": WEEKS[0], "height": 999.0}]
    spec = {"datasets": {"a-note": note, "b-main": main}, "layer": []}
    _, files, rows = _externalise(spec, "probe", {"WRESBAL"})
    assert rows == main
    assert len(files) == 2  # both dated datasets are still written for the page to load
    _, _, nothing = _externalise({"datasets": {"a-note": note}, "layer": []}, "probe", {"WRESBAL"})
    assert nothing == []
