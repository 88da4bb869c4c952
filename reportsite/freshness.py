"""Freshness: is a series' newest observation as recent as its frequency promises?

Judged against the last time FRED was asked (`checked_at`, else `retrieved_at` in the
manifest), never the clock, so a build stays deterministic. Only manifests written by
a refresh (origin "fred-api") are judged: a seed snapshot was never checked with FRED.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from .data import Snapshot
from .errors import Warnings

# frequency -> (most days allowed between the newest observation and the check, count business days?)
RULES = {"daily": (5, True), "weekly": (10, False)}
API_ORIGIN = "fred-api"


@dataclass(frozen=True)
class Late:
    """A series whose newest observation is older than its frequency allows."""

    series_id: str
    newest: date
    checked: date
    behind: int
    business_days: bool

    @property
    def message(self) -> str:
        unit = "business days" if self.business_days else "days"
        return (
            f"series {self.series_id} is behind: its newest observation ({self.newest}) was "
            f"{self.behind} {unit} old when FRED was last asked ({self.checked})"
        )


def lateness(series_id: str, frequency: str, newest: date, checked: date) -> Late | None:
    """A `Late` if `newest` is older than the rule for `frequency` allows on the day `checked`."""
    if frequency not in RULES:
        return None
    allowed, business = RULES[frequency]
    if business:
        behind = int(np.busday_count(newest + timedelta(days=1), checked + timedelta(days=1)))
    else:
        behind = (checked - newest).days
    return Late(series_id, newest, checked, behind, business) if behind > allowed else None


def late_in_manifest(series_id: str, frequency: str, manifest: dict[str, Any]) -> Late | None:
    if manifest.get("origin") != API_ORIGIN:
        return None
    checked = manifest.get("checked_at") or manifest.get("retrieved_at")
    newest = manifest.get("last_observation")
    if not checked or not newest:
        return None
    checked_day = datetime.fromisoformat(str(checked).replace("Z", "+00:00")).date()
    return lateness(series_id, frequency, date.fromisoformat(str(newest)), checked_day)


def late_series(snapshot: Snapshot) -> dict[str, Late]:
    """Every late series of the snapshot, by id."""
    found = {
        sid: late_in_manifest(sid, series.info.frequency, series.manifest)
        for sid, series in snapshot.series.items()
    }
    return {sid: late for sid, late in found.items() if late}


def warn_late(snapshot: Snapshot, warnings: Warnings) -> None:
    for late in late_series(snapshot).values():
        warnings.warn(late.message)
