"""Helpers for the chapter 5–6 and home-tile tests: small snapshots built in memory."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportsite.data import Observation, Series, Snapshot, load_registry, load_snapshot
from reportsite.errors import Warnings

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = load_registry(ROOT / "data" / "series.toml")


def small_snapshot(columns: dict[str, list[tuple[str, float | None]]]) -> Snapshot:
    """A snapshot of the given series (registry metadata from data/, values from the test)."""
    series = {}
    for sid, rows in columns.items():
        observations = tuple(Observation(date.fromisoformat(d), v) for d, v in rows)
        series[sid] = Series(REGISTRY[sid], {"series": sid}, observations, Path(f"{sid}.csv"))
    return Snapshot(series)


def real_snapshot() -> Snapshot:
    """The project's own data snapshot."""
    return load_snapshot(ROOT / "data", Warnings())
