"""Stage 2: the registry, the CSVs in FRED's download format and their manifests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportsite.data import load_registry, load_snapshot, parse_fred_csv
from reportsite.errors import DataError, Warnings


def parse(text: str) -> tuple:
    return parse_fred_csv(text.encode(), "WRESBAL", Path("data/fred/WRESBAL.csv"))


def test_parses_fred_download_format_keeping_missing_values_missing() -> None:
    rows = parse("observation_date,WRESBAL\n2025-01-01,10\n2025-01-08,\n2025-01-15,.\n2025-01-22,12.5\n")
    assert [str(r.date) for r in rows] == ["2025-01-01", "2025-01-08", "2025-01-15", "2025-01-22"]
    assert [r.value for r in rows] == [10.0, None, None, 12.5]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "date,WRESBAL\n2025-01-01,1\n",
            "data/fred/WRESBAL.csv:1: header is 'date,WRESBAL'; expected 'observation_date,WRESBAL'",
        ),
        (
            "observation_date,WRESBAL\n2025-01-01,1\n2025-13-01,2\n",
            "data/fred/WRESBAL.csv:3: '2025-13-01' is not a date (YYYY-MM-DD)",
        ),
        (
            "observation_date,WRESBAL\n2025-01-08,1\n2025-01-08,2\n",
            "data/fred/WRESBAL.csv:3: date 2025-01-08 repeats the previous row's date",
        ),
        (
            "observation_date,WRESBAL\n2025-01-08,1\n2025-01-01,2\n",
            "data/fred/WRESBAL.csv:3: date 2025-01-01 comes before the previous row's date",
        ),
        (
            "observation_date,WRESBAL\n2025-01-08,abc\n",
            "data/fred/WRESBAL.csv:2: value 'abc' is not a number",
        ),
        (
            "observation_date,WRESBAL\n2025-01-08,1,2\n",
            "data/fred/WRESBAL.csv:2: expected 2 fields (date,value), found 3",
        ),
        ("observation_date,WRESBAL\n", "data/fred/WRESBAL.csv: no observations"),
        (
            "observation_date,WRESBAL\n2025-01-08,inf\n",
            "data/fred/WRESBAL.csv:2: value 'inf' is not a finite number",
        ),
    ],
)
def test_bad_csv_names_file_and_line(text: str, message: str) -> None:
    with pytest.raises(DataError) as caught:
        parse(text)
    assert str(caught.value) == message


def test_registry_rejects_unknown_units_naming_the_series_line(minisite: Path) -> None:
    registry = minisite / "data" / "series.toml"
    registry.write_text(registry.read_text().replace('units = "usd"', 'units = "dollars"', 1))
    with pytest.raises(DataError) as caught:
        load_registry(registry)
    assert str(caught.value).startswith(f"{registry}:3: series WALCL: 'units' is 'dollars'; expected one of")


def test_registry_needs_both_languages(minisite: Path) -> None:
    registry = minisite / "data" / "series.toml"
    text = registry.read_text()
    start = text.index("short = {")
    end = text.index("\n", start)
    registry.write_text(text[:start] + 'short = { en = "Assets" }' + text[end:])
    with pytest.raises(
        DataError, match=r"series WALCL: 'short' needs text for every language \(en, zh-Hant\)"
    ):
        load_registry(registry)


def test_snapshot_loads_declared_series(minisite: Path) -> None:
    warnings = Warnings()
    snapshot = load_snapshot(minisite / "data", warnings)
    assert sorted(snapshot.series) == ["WALCL", "WRESBAL"]
    assert str(snapshot.as_of) == "2025-12-31"
    assert len(warnings) == 0


def test_undeclared_data_file_fails(minisite: Path) -> None:
    (minisite / "data" / "fred" / "EXTRA.csv").write_text("observation_date,EXTRA\n2025-01-01,1\n")
    with pytest.raises(DataError, match=r"EXTRA.csv: data file for undeclared series 'EXTRA'"):
        load_snapshot(minisite / "data", Warnings())


def test_declared_series_without_data_fails_naming_registry_line(minisite: Path) -> None:
    (minisite / "data" / "fred" / "WALCL.csv").unlink()
    with pytest.raises(DataError) as caught:
        load_snapshot(minisite / "data", Warnings())
    assert str(caught.value) == (
        f"{minisite / 'data' / 'series.toml'}:3: series 'WALCL' is declared but has no data file data/fred/WALCL.csv"
    )


def test_hand_edited_data_is_a_warning(minisite: Path) -> None:
    csv_path = minisite / "data" / "fred" / "WALCL.csv"
    csv_path.write_text(csv_path.read_text().replace("\n2025-12-31,", "\n2025-12-31,1"))
    warnings = Warnings()
    load_snapshot(minisite / "data", warnings)
    assert warnings.messages == [
        f"{csv_path}: data file differs from the hash in its manifest (edited by hand?)"
    ]


def test_manifest_must_exist_and_parse(minisite: Path) -> None:
    manifest = minisite / "data" / "fred" / "WALCL.json"
    manifest.write_text("{\n  bad json\n}")
    with pytest.raises(DataError, match=r"WALCL.json:2: manifest is not valid JSON"):
        load_snapshot(minisite / "data", Warnings())
    manifest.unlink()
    with pytest.raises(DataError, match="manifest missing"):
        load_snapshot(minisite / "data", Warnings())


def test_repository_snapshot_matches_its_manifests() -> None:
    """Every committed series loads and its bytes match the recorded hash and row count."""
    data = Path(__file__).resolve().parent.parent / "data"
    warnings = Warnings()
    snapshot = load_snapshot(data, warnings)
    assert warnings.messages == []
    for series in snapshot.series.values():
        manifest = json.loads(series.csv_path.with_suffix(".json").read_text())
        assert manifest["rows"] == len(series.observations)
        assert manifest["last_observation"] == str(series.observations[-1].date)
