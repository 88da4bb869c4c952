"""Every chart's Vega-Lite spec is valid in every language.

The build checks each spec against the schema in the project's first language
only (the languages differ in words, not in structure); this suite checks them
all, so a chart whose structure depends on the language is caught here.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from reportsite.charts import ChartDef, ChartError, Frames, load_charts
from reportsite.charts import build as chart_build
from reportsite.data import load_snapshot
from reportsite.errors import Warnings
from reportsite.events import load_events, load_policy

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "zh-Hant")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_chart_validates_against_the_vega_lite_schema(lang: str) -> None:
    snapshot = load_snapshot(ROOT / "data", Warnings())
    events, policy = load_events(ROOT / "data"), load_policy(ROOT / "data")
    for name, chart in sorted(load_charts().items()):
        spec = chart_build._draw(chart, snapshot, lang, events, policy, validate=True)
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/"), name


def _broken_in(broken_lang: str) -> ChartDef:
    """A chart that sets a property Vega-Lite does not have, in one language only."""

    def draw(frames: Frames, lang: str) -> alt.Chart:
        data = pd.DataFrame({"date": ["2025-01-01"], "v": [1.0]})
        chart = alt.Chart(data).mark_line().encode(x="date:T", y="v:Q")
        return chart.properties(wobble=3) if lang == broken_lang else chart

    return ChartDef("probe", (), draw)


def test_a_spec_outside_the_schema_fails_the_check_and_names_the_chart() -> None:
    snapshot = load_snapshot(ROOT / "data", Warnings())
    with pytest.raises(ChartError, match="chart 'probe' failed to draw"):
        chart_build._draw(_broken_in("zh-Hant"), snapshot, "zh-Hant", validate=True)


def test_the_build_checks_the_first_language_only() -> None:
    snapshot = load_snapshot(ROOT / "data", Warnings())
    charts = {"probe": _broken_in("en")}
    with pytest.raises(ChartError, match="chart 'probe' failed to draw"):
        chart_build.build_charts(charts, {"probe"}, snapshot, LANGUAGES, validated=LANGUAGES[:1])
    drawn = chart_build._draw(_broken_in("zh-Hant"), snapshot, "zh-Hant", validate=False)
    assert drawn["wobble"] == 3  # unchecked: the schema check of the other language is the suite's
