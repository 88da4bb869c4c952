"""Policy events and tables: validation with file and line, rendering, and checks against the data."""

from __future__ import annotations

import re
import tomllib
from datetime import timedelta
from pathlib import Path

import altair as alt
import pytest
from claims_support import make_data, snapshot_of

from reportsite.charts import ChartDef, ChartError, Frames, load_charts
from reportsite.charts.common import event_layer, pick_events
from reportsite.data import Snapshot, load_snapshot
from reportsite.errors import Warnings
from reportsite.events import load_events, load_policy, monthly_change, policy_functions
from reportsite.sources import LedgerError
from reportsite.values import Values

ROOT = Path(__file__).resolve().parent.parent

EVENT = """
[[event]]
id = "{id}"
date = {date}
kind = "{kind}"
label = {{ en = "QT ends", zh-Hant = "縮表結束" }}
sources = {sources}
"""


def events_file(data: Path, *events: str) -> Path:
    path = data / "events.toml"
    path.write_text("# events\n" + "".join(events), encoding="utf-8")
    return path


def event(
    id: str = "qt-end", date: str = "2025-12-01", kind: str = "balance-sheet", sources: str = '["fomc"]'
) -> str:
    return EVENT.format(id=id, date=date, kind=kind, sources=sources)


def test_events_load_sorted_by_date(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    events_file(data, event(), event(id="rmp-start", date="2025-12-12", sources='["faq"]'),
                event(id="qt-start", date="2022-06-01"))  # fmt: skip
    loaded = load_events(data)
    assert [e.id for e in loaded] == ["qt-start", "qt-end", "rmp-start"]
    assert loaded[1].label["zh-Hant"] == "縮表結束" and loaded[1].sources[0].key == "fomc"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (event(sources='["fannie"]'), "needs a primary source on federalreserve.gov or newyorkfed.org"),
        (event(sources='["nowhere"]'), "unknown source 'nowhere'"),
        (event(kind="gossip"), "'kind' must be one of"),
        (event(date='"1 Dec 2025"'), "is not a date"),
        (event(id="QT End"), "unique 'id'"),
        (event().replace("label = {", 'colour = "red"\nlabel = {'), "unknown field 'colour'"),
        (event().replace(', zh-Hant = "縮表結束"', ""), "'label' needs text for every language"),
    ],
)
def test_bad_events_fail_with_file_and_line(tmp_path: Path, bad: str, message: str) -> None:
    data = make_data(tmp_path)
    path = events_file(data, event(id="first"), bad)
    with pytest.raises(LedgerError) as caught:
        load_events(data)
    assert message in caught.value.message
    assert caught.value.path == str(path)
    assert (
        caught.value.line
        == [n for n, line in enumerate(path.read_text().splitlines(), 1) if line == "[[event]]"][1]
    )


def test_a_duplicate_event_id_is_refused(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    events_file(data, event(), event())
    with pytest.raises(LedgerError, match="unique 'id'"):
        load_events(data)


def test_no_events_file_means_no_events(tmp_path: Path) -> None:
    assert load_events(make_data(tmp_path)) == ()


# --- the event layer for charts -----------------------------------------------------------------


def test_event_layer_filters_and_labels(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    events_file(data, event(), event(id="rmp-start", date="2025-12-12", sources='["faq"]'),
                event(id="cut", date="2025-10-29", kind="rate"))  # fmt: skip
    events = load_events(data)
    assert [e.id for e in pick_events(events, kinds=("balance-sheet",))] == ["qt-end", "rmp-start"]
    assert [e.id for e in pick_events(events, start="2025-12-05")] == ["rmp-start"]
    layers = event_layer(events, "zh-Hant", ids=("qt-end", "rmp-start"))
    spec = alt.layer(*layers).to_dict()
    values = spec["datasets"][next(iter(spec["datasets"]))]
    assert [v["event"] for v in values] == ["縮表結束", "縮表結束"]
    assert all("date" not in v for v in values)  # inline annotations, never the chart's data file


def test_event_layer_refuses_an_unknown_id_and_is_empty_without_events(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    events_file(data, event())
    with pytest.raises(ChartError, match="no event 'qt-ends'"):
        event_layer(load_events(data), "en", ids=("qt-ends",))
    assert event_layer((), "en", ids=("qt-end",)) == []


def test_event_labels_step_down_from_the_top_or_up_from_the_bottom_or_stay_off(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    events_file(data, event(id="rmp-start", date="2025-12-12", sources='["faq"]'), event())
    events = load_events(data)

    def label_rows(**options: bool) -> list[object]:
        spec = alt.layer(*event_layer(events, "en", **options)).to_dict()
        return [layer["encoding"]["y"]["value"] for layer in spec["layer"] if layer["mark"]["type"] == "text"]

    assert label_rows() == [2, 15]
    assert label_rows(bottom=True) == [{"expr": "height - 28"}, {"expr": "height - 15"}]
    assert label_rows(labelled=False) == []
    rule = event_layer(events, "en", labelled=False)[0].to_dict()
    assert rule["mark"]["type"] == "rule" and "tooltip" in rule["encoding"]


def test_a_chart_whose_data_need_an_event_names_it(tmp_path: Path) -> None:
    probe = ChartDef("probe", (), lambda frames, lang: alt.Chart())
    snapshot = Snapshot({})
    with pytest.raises(
        ChartError, match=re.escape("chart 'probe' needs the event 'qt-end' from data/events.toml")
    ):
        Frames(snapshot, probe, ()).event_date("qt-end")
    data = make_data(tmp_path)
    events_file(data, event())
    assert Frames(snapshot, probe, load_events(data)).event_date("qt-end").isoformat() == "2025-12-01"


def _dated_rules(
    node: object, found: list[dict[str, object]], data: object = None
) -> list[dict[str, object]]:
    """The data of every rule layer of a spec that is placed on a date axis (a layer's own or inherited)."""
    if isinstance(node, dict):
        data = node.get("data", data)
        mark = node.get("mark")
        kind = mark.get("type") if isinstance(mark, dict) else mark
        if kind == "rule" and node.get("encoding", {}).get("x", {}).get("type") == "temporal":
            found.append(data or {})
        for value in node.values():
            _dated_rules(value, found, data)
    elif isinstance(node, list):
        for item in node:
            _dated_rules(item, found, data)
    return found


def test_every_chart_draws_its_policy_dates_from_the_events_file() -> None:
    snapshot = load_snapshot(ROOT / "data", Warnings())
    events = load_events(ROOT / "data")
    policy = load_policy(ROOT / "data")
    known = {(e.date.isoformat(), e.label[lang]) for e in events for lang in ("en", "zh-Hant")}
    drawn = 0
    for name, chart in sorted(load_charts().items()):
        for lang in ("en", "zh-Hant"):
            spec = chart.draw(Frames(snapshot, chart, events, policy), lang).to_dict()
            for data in _dated_rules(spec, []):
                rows = data.get("values") or spec.get("datasets", {}).get(data.get("name"))
                assert rows, f"{name}: a dated rule without data of its own"
                marked = {(str(r.get("when"))[:10], r.get("event")) for r in rows}
                assert marked <= known, (
                    f"{name} ({lang}) draws dates that are not in data/events.toml: {marked}"
                )
                drawn += len(rows)
    assert drawn > 0


# --- policy tables ------------------------------------------------------------------------------

CAP = """
[[runoff_cap]]
start = {start}
{end}
treasury = {treasury}
agency = 35e9
announced = 2022-05-04
sources = ["fomc"]
"""


def policy_file(data: Path, text: str) -> None:
    (data / "policy.toml").write_text(text, encoding="utf-8")


def test_runoff_periods_must_follow_each_other(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    first = CAP.format(start="2022-06-01", end="end = 2022-08-31", treasury="30e9")
    gap = CAP.format(start="2022-09-02", end="", treasury="60e9")
    policy_file(data, first + gap)
    with pytest.raises(LedgerError, match="without gap or overlap") as caught:
        load_policy(data)
    assert caught.value.line == 10  # the header of the second period


def test_runoff_caps_need_an_amount(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    policy_file(data, CAP.format(start="2022-06-01", end="", treasury='"sixty"'))
    with pytest.raises(LedgerError, match="'treasury' must be a monthly cap") as caught:
        load_policy(data)
    assert caught.value.line == 2


def strings(lang: str) -> dict[str, str]:
    with (ROOT / "templates" / "strings" / "claims.toml").open("rb") as handle:
        return tomllib.load(handle)[lang]


def test_policy_tables_render_in_both_languages() -> None:
    snapshot = load_snapshot(ROOT / "data", Warnings())
    policy = load_policy(ROOT / "data")
    for lang, sixty, total in (("en", "$60 billion", "$95 billion"), ("zh-Hant", "600 億美元", "950 億美元")):
        values = Values(snapshot, lang)
        functions = policy_functions(policy, ROOT / "templates", values, strings(lang))
        caps = functions["runoff_caps"]()
        assert caps.startswith("\n\n<div") and f'<span class="fixed">{sixty}</span>' in caps
        assert f'<span class="fixed">{total}</span>' in caps  # the total is computed from the two caps
        assert caps.count("<tr>") == len(policy.caps) + 1
        october = functions["october_changes"]()
        assert october.count("<li>") == 4
        iorb = str(values.at("IORB", "2025-10-30"))
        assert iorb in october  # interest on reserves after the cut comes from the data


def test_a_missing_policy_table_is_an_error_when_a_page_asks_for_it(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    values = Values(snapshot_of(data), "en")
    functions = policy_functions(load_policy(data), ROOT / "templates", values, strings("en"))
    with pytest.raises(LedgerError, match="no \\[\\[runoff_cap\\]\\] periods"):
        functions["runoff_caps"]()


# --- the report's own events and caps, checked against the data ---------------------------------


@pytest.fixture(scope="module")
def snapshot():  # type: ignore[no-untyped-def]
    return load_snapshot(ROOT / "data", Warnings())


def test_every_rate_decision_moved_interest_on_reserves_the_next_day(snapshot) -> None:  # type: ignore[no-untyped-def]
    iorb = {o.date: o.value for o in snapshot.get("IORB").present()}
    rate_events = [e for e in load_events(ROOT / "data") if e.kind == "rate"]
    assert rate_events
    for e in rate_events:
        before, after = iorb[e.date], iorb[e.date + timedelta(days=1)]
        assert after != before, e.id
        assert (after > before) == e.id.startswith("rate-rise"), e.id


def test_the_caps_bound_the_recorded_runoff(snapshot) -> None:  # type: ignore[no-untyped-def]
    """The average monthly fall in holdings stays within each cap (with a little slack for timing)."""
    values = Values(snapshot, "en")
    for cap in load_policy(ROOT / "data").caps:
        if cap.end is None:
            continue
        treasuries = -monthly_change(values, "TREAST", cap.start, cap.end) * 1e6
        mbs = -monthly_change(values, "WSHOMCB", cap.start, cap.end) * 1e6
        assert treasuries <= cap.treasury * 1.05, cap.start
        assert treasuries >= cap.treasury * 0.7, cap.start  # the Treasury cap was binding
        assert mbs <= cap.agency * 1.05, cap.start


def test_every_event_has_a_fed_source_and_the_key_dates_are_there() -> None:
    events = {e.id: e for e in load_events(ROOT / "data")}
    assert str(events["qt-end"].date) == "2025-12-01"
    assert str(events["rmp-announced"].date) == "2025-12-10"
    assert str(events["rmp-start"].date) == "2025-12-12"
    assert str(events["qt-start"].date) == "2022-06-01"
