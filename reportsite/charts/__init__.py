"""Stage 4: build the charts — pure functions from data frames to Altair charts, by name.

Each chart is drawn once per language (axis and legend words differ) from the
same data. The build writes, per chart, its data as a small CSV shared by both
languages, a Vega-Lite spec per language that loads that CSV, and a static SVG
per language and colour scheme that the page shows before any script runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import BuildError

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

    from ..data import Snapshot


class ChartError(BuildError):
    """A chart function failed or asked for data it did not declare."""


@dataclass(frozen=True)
class ChartDef:
    """A registered chart: its name, the series it draws and how to draw it."""

    name: str
    series: tuple[str, ...]
    draw: Callable[[Frames, str], alt.TopLevelMixin]
    units: dict[str, tuple[str, float]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


REGISTRY: dict[str, ChartDef] = {}


def chart(
    name: str,
    *series: str,
    units: dict[str, tuple[str, float]] | None = None,
    labels: dict[str, dict[str, str]] | None = None,
) -> Callable[[Callable[[Frames, str], alt.TopLevelMixin]], Callable[[Frames, str], alt.TopLevelMixin]]:
    """Register a chart function under `name`; `series` are the FRED ids it may read.

    `units` and `labels` describe derived columns of its data (those that are not
    a series id) so the page can describe them: units as (units, factor to plain).
    """

    def register(
        draw: Callable[[Frames, str], alt.TopLevelMixin],
    ) -> Callable[[Frames, str], alt.TopLevelMixin]:
        if name in REGISTRY:
            raise ValueError(f"chart '{name}' is registered twice")
        REGISTRY[name] = ChartDef(name, series, draw, units or {}, labels or {})
        return draw

    return register


class Frames:
    """The series a chart declared, as pandas Series with a date index and no missing values."""

    def __init__(self, snapshot: Snapshot, chart: ChartDef, events: tuple[Any, ...] = (), policy: Any = None):
        self._snapshot = snapshot
        self._chart = chart
        self.events = events  # dated policy events (events.Event), for charts.common.event_layer
        self.policy = policy  # the policy tables of data/policy.toml (events.Policy), or None

    def __getitem__(self, series_id: str) -> pd.Series:
        import pandas as pd

        if series_id not in self._chart.series:
            raise ChartError(f"chart '{self._chart.name}' reads series '{series_id}' but does not declare it")
        present = self._snapshot.get(series_id).present()
        index = pd.DatetimeIndex([o.date for o in present], name="date")
        return pd.Series([o.value for o in present], index=index, name=series_id, dtype="float64")

    def event_date(self, event_id: str) -> date:
        """The date of an event in data/events.toml that this chart's data depend on."""
        from .common import event_date

        return event_date(self.events, event_id, self._chart.name)

    def info(self, series_id: str) -> Any:
        return self._snapshot.get(series_id).info


def load_charts() -> dict[str, ChartDef]:
    """Import every chart module of this package so its charts register themselves."""
    import importlib
    import pkgutil

    skip = {"build", "theme", "common"}
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if module not in skip:
            importlib.import_module(f"{__name__}.{module}")
    return REGISTRY
