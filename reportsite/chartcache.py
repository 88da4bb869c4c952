"""Incremental charts: reuse each chart's outputs while its code and data are unchanged.

A chart's outputs in one language — its CSV, its Vega-Lite spec, its static
SVGs and what the page says about it — are stored in the render cache under a
key made of everything that determines them:

- the chart's code: its module and every package module that one imports, plus
  the build code (see codehash.py);
- for each series it declares, the registry entry and the bytes of the CSV;
- every other file of `data/` (events, policy tables: rarely edited);
- the language and the versions of Python and of the libraries.

A content or template edit therefore draws nothing, and the list of charts
(which module, which series) is itself cached, so such a build imports neither
pandas nor Altair. A changed series draws again only the charts that read it.
Outputs are the same bytes as a build without the cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import RenderCache, cache_key
from .codehash import code_hash, package_hash, versions
from .data import Snapshot
from .figurecodec import decode_figure, encode_figure

if TYPE_CHECKING:
    from .chartpool import Workers

log = logging.getLogger(__name__)

FORMAT = "chart-cache 1"
BUILD_MODULES = ("reportsite.charts.build", "reportsite.chartcache", "reportsite.chartpool")
HEAVY = ("altair", "pandas")


@dataclass(frozen=True)
class ChartInfo:
    """What the build knows about a registered chart without running its code."""

    name: str
    series: tuple[str, ...]
    module: str
    code: str


def chart_index(cache: RenderCache | None) -> dict[str, ChartInfo]:
    """Every registered chart by name; from the cache when the package's code is unchanged."""
    if cache is None or any(name in sys.modules for name in HEAVY):
        return _live_index()
    key = cache_key(FORMAT, "chart index", package_hash(), versions())
    stored = cache.get(key)
    if stored is not None:
        try:
            entries = json.loads(stored).items()
            return {name: ChartInfo(**{**entry, "series": tuple(entry["series"])}) for name, entry in entries}
        except (ValueError, TypeError):
            log.debug("chart cache: unreadable chart index, rebuilding it")
    index = _live_index()
    cache.put(key, json.dumps({n: asdict(i) for n, i in index.items()}, sort_keys=True).encode())
    return index


def _live_index() -> dict[str, ChartInfo]:
    from .charts import load_charts

    index = {}
    for name, chart in sorted(load_charts().items()):
        module = chart.draw.__module__
        code = code_hash(module, *BUILD_MODULES)
        index[name] = ChartInfo(name, tuple(chart.series), module, code)
    return index


def build_charts_cached(
    index: dict[str, ChartInfo],
    names: Iterable[str],
    snapshot: Snapshot,
    languages: tuple[str, ...],
    data_dir: Path,
    cache: RenderCache | None,
    workers: Workers | None = None,
    **options: Any,
) -> Any:
    """The ChartSet of `names` in every language, drawing only what the cache lacks.

    `options` go to charts.build.build_charts unchanged (their inputs must come
    from data/, which is part of every key); `workers` (chartpool.Workers) keeps
    any drawing processes for the rest of the build.
    """
    from .charts.build import ChartSet, build_charts

    if cache is None:
        from .charts import load_charts

        return build_charts(load_charts(), set(names), snapshot, languages, cache, **options)
    shared = _data_hash(data_dir)
    keys = {
        (name, lang): _entry_key(index[name], lang, snapshot, shared)
        for name in sorted(names)
        for lang in languages
    }
    found = {job: _load(cache, key) for job, key in keys.items()}
    missing = [job for job, got in found.items() if got is None]
    if missing:
        from .chartpool import draw_jobs

        log.info("charts: drawing %d of %d (chart, language) pairs", len(missing), len(keys))
        for job, drawn in draw_jobs(missing, index, snapshot, cache, options, workers).items():
            _save(cache, keys[job], *drawn)
            found[job] = drawn
    chart_set = ChartSet({}, {})
    for job in keys:
        files, figure = found[job]  # type: ignore[misc]
        chart_set.files.update(files)
        chart_set.figures[job] = figure
    return chart_set


def start_cold(workers: Workers, snapshot: Snapshot, cache: RenderCache | None, **options: Any) -> None:
    """On a cold cache (no Vega bundle made yet), start the drawing processes now, making the
    bundle first, while this process reads the content; `options` as for build_charts_cached."""
    if cache is None or cache.get(_bundle_key()) is not None:
        return
    from .chartpool import start_early
    from .charts.build import vega_bundle

    start_early(workers, snapshot, cache.folder.parent, options, first=vega_bundle)


def vega_bundle_cached(cache: RenderCache | None, workers: Workers | None = None) -> bytes:
    """The self-hosted Vega bundle, made once per renderer version: by `workers` if they run
    (the renderer holds the interpreter lock, and made here it would keep them waiting for work)."""
    from .charts.build import vega_bundle

    if cache is None:
        return vega_bundle()
    if workers is not None and workers.started:
        return cache.get_or_make(_bundle_key(), lambda: workers.once(vega_bundle).result())
    return cache.get_or_make(_bundle_key(), vega_bundle)


def _bundle_key() -> str:
    from importlib.metadata import version

    from .charts.build import VEGA_LITE

    return cache_key(FORMAT, "vega bundle", VEGA_LITE, version("vl-convert-python"))


def _entry_key(info: ChartInfo, lang: str, snapshot: Snapshot, shared: str) -> str:
    parts: dict[str, Any] = {"chart": info.name, "code": info.code, "lang": lang, "data": shared}
    for series_id in info.series:
        series = snapshot.series.get(series_id)
        if series is None:
            parts[series_id] = None
            continue
        csv = hashlib.sha256(series.csv_path.read_bytes()).hexdigest()
        parts[series_id] = {"info": asdict(series.info), "csv": csv}
    return cache_key(parts, FORMAT, versions())


def _data_hash(data_dir: Path) -> str:
    """A hash of the files of data/ that are not a series' own (events, policy tables…)."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.rglob("*")) if data_dir.is_dir() else []:
        relative = path.relative_to(data_dir)
        if not path.is_file() or relative.parts[0] == "fred" or relative.as_posix() == "series.toml":
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _load(cache: RenderCache, key: str) -> tuple[dict[str, bytes], Any] | None:
    stored = cache.get(key)
    if stored is None:
        return None
    try:
        entry = json.loads(stored)
        files = {}
        for path, blob in entry["files"].items():
            data = cache.get(blob)
            if data is None:
                return None
            files[path] = data
        return files, decode_figure(entry["figure"])
    except (ValueError, KeyError, TypeError) as exc:
        log.debug("chart cache: unreadable entry %s (%s)", key, exc)
        return None


def _save(cache: RenderCache, key: str, files: dict[str, bytes], figure: Any) -> None:
    try:
        encoded = encode_figure(figure)
    except TypeError as exc:
        log.debug("chart cache: not saving %s (%s)", key, exc)
        return
    blobs = {}
    for path, data in sorted(files.items()):
        blobs[path] = hashlib.sha256(b"blob\0" + data).hexdigest()
        cache.put(blobs[path], data)
    entry = {"files": blobs, "figure": encoded}
    cache.put(key, json.dumps(entry, sort_keys=True, ensure_ascii=False).encode("utf-8"))
