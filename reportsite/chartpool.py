"""Draw and render charts, in worker processes when there are many.

Rendering a static SVG is the slowest step of a cold build and runs one at a
time in a process, so with many charts to draw the work is split over up to
`MAX_WORKERS` processes (no more than the machine's cores). Each worker imports
the chart code once and draws a batch of (chart, language) pairs. With few
charts to draw, or charts defined outside the package, everything is drawn
here: starting a worker costs about as much as drawing a few charts.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .cache import RenderCache
from .data import Snapshot

log = logging.getLogger(__name__)

Job = tuple[str, str]  # (chart name, language)
MAX_WORKERS = 4
MIN_JOBS_PER_WORKER = 3
BATCHES_PER_WORKER = 2
ENV_WORKERS = "REPORTSITE_WORKERS"


def draw_jobs(
    jobs: list[Job],
    index: dict[str, Any],
    snapshot: Snapshot,
    cache: RenderCache | None,
    options: dict[str, Any],
    meanwhile: Callable[[], object] | None = None,
) -> dict[Job, tuple[dict[str, bytes], Any]]:
    """Each job's files and figure, drawn in this process or spread over workers.

    `meanwhile` is work for this process while the workers draw.
    """
    workers = worker_count(len(jobs))
    in_package = all(index[name].module.startswith("reportsite.") for name, _ in jobs)
    folder = cache.folder.parent if cache is not None else None
    if workers < 2 or not in_package:
        return dict(draw_batch(jobs, snapshot, folder, options))
    batches = [jobs[i :: workers * BATCHES_PER_WORKER] for i in range(workers * BATCHES_PER_WORKER)]
    context = get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(draw_batch, b, snapshot, folder, options) for b in batches if b]
            if meanwhile is not None:
                meanwhile()
            return {job: drawn for future in futures for job, drawn in future.result()}
    except BrokenProcessPool:
        log.warning("charts: a drawing process died; drawing here instead")
        return dict(draw_batch(jobs, snapshot, folder, options))


def worker_count(jobs: int) -> int:
    """How many processes to draw `jobs` pairs with: 1 means in this process."""
    explicit = os.environ.get(ENV_WORKERS, "")
    if explicit.isdigit():
        return max(1, min(int(explicit), jobs))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS, jobs // MIN_JOBS_PER_WORKER))


def draw_batch(
    jobs: list[Job], snapshot: Snapshot, cache_dir: Path | None, options: dict[str, Any]
) -> list[tuple[Job, tuple[dict[str, bytes], Any]]]:
    """Draw each (chart, language) pair: its files and its figure."""
    from .charts import load_charts
    from .charts.build import build_charts

    charts = load_charts()
    cache = RenderCache(cache_dir) if cache_dir is not None else None
    drawn = []
    for name, lang in jobs:
        chart_set = build_charts(charts, {name}, snapshot, (lang,), cache, **options)
        drawn.append(((name, lang), (chart_set.files, chart_set.figures[(name, lang)])))
    return drawn
