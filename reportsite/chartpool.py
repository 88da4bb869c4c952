"""Draw and render charts, in worker processes when there are many.

Rendering a static SVG is the slowest step of a cold build and runs one at a
time in a process, so with many charts to draw the work is split over up to
`MAX_WORKERS` processes (no more than the machine's cores). Each worker gets
the data once, imports the chart code once and takes (chart, language) pairs
one at a time, the charts that read the most observations first, so that the
processes finish together. With few charts to draw, or charts defined outside
the package, everything is drawn here: starting a worker costs about as much
as drawing a few charts.

The processes live as long as the build's `Workers`: once started for the
charts, they also rasterise the sharing cards, the other slow step of a cold
build. A build that draws no chart starts none; a build with a cold cache
starts them before the charts are known (`start_early`), so that they import
their libraries and make the Vega bundle while this process reads the content.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
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
ENV_WORKERS = "REPORTSITE_WORKERS"


class Workers:
    """The build's drawing processes: none until the charts need them, all gone when it ends."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._setup: tuple[Any, ...] = ()
        self._once: dict[str, Future[bytes]] = {}

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def started(self) -> bool:
        return self._pool is not None

    def start(self, count: int, setup: Callable[..., None] | None = None, *args: Any) -> ProcessPoolExecutor:
        """`count` fresh processes, each running `setup(*args)` first (any running ones end)."""
        self.close()
        context = get_context("spawn")
        self._pool = ProcessPoolExecutor(count, mp_context=context, initializer=setup, initargs=args)
        self._setup = (setup, *args)
        return self._pool

    def ensure(
        self, count: int, setup: Callable[..., None], snapshot: Snapshot, *args: Any
    ) -> ProcessPoolExecutor:
        """The running processes if they were set up with this snapshot and these arguments, else new ones."""
        pool, known = self._pool, self._setup
        if pool is not None and known[:1] == (setup,) and known[1:2] == (snapshot,) and known[2:] == args:
            return pool
        return self.start(count, setup, snapshot, *args)

    def once(self, make: Callable[[], bytes]) -> Future[bytes]:
        """`make()` in a process, asked for at most once while the processes run."""
        if self._pool is None:
            raise RuntimeError("no worker processes are running")
        key = f"{make.__module__}.{make.__qualname__}"
        if key not in self._once:
            self._once[key] = self._pool.submit(make)
        return self._once[key]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._setup, self._once = (), {}

    def map(self, make: Callable[[Any], bytes], items: list[Any]) -> list[bytes]:
        """`make` of every item: in the processes if they are running, else here."""
        if self._pool is not None and len(items) > 1:
            try:
                return list(self._pool.map(make, items))
            except BrokenProcessPool:
                log.warning("a worker process died; finishing here instead")
                self.close()
        return [make(item) for item in items]


def start_early(
    workers: Workers,
    snapshot: Snapshot,
    cache_dir: Path | None,
    options: dict[str, Any],
    first: Callable[[], bytes] | None = None,
) -> None:
    """Start the drawing processes before the charts are known (a cold build will need them), and
    hand them `first` to make meanwhile; `draw_jobs` with the same data takes them over."""
    count = worker_count(MAX_WORKERS * MIN_JOBS_PER_WORKER)
    if count < 2:
        return
    workers.ensure(count, _receive, snapshot, cache_dir, options)
    if first is not None:
        workers.once(first)


def draw_jobs(
    jobs: list[Job],
    index: dict[str, Any],
    snapshot: Snapshot,
    cache: RenderCache | None,
    options: dict[str, Any],
    workers: Workers | None = None,
) -> dict[Job, tuple[dict[str, bytes], Any]]:
    """Each job's files and figure, drawn in this process or spread over workers.

    Without `workers`, any processes started here end before this returns.
    """
    count = worker_count(len(jobs))
    in_package = all(index[name].module.startswith("reportsite.") for name, _ in jobs)
    folder = cache.folder.parent if cache is not None else None
    if count < 2 or not in_package:
        return dict(draw_batch(jobs, snapshot, folder, options))
    with contextlib.ExitStack() as stack:
        if workers is None:
            workers = stack.enter_context(Workers())
        try:
            pool = workers.ensure(count, _receive, snapshot, folder, options)  # data sent once per process
            futures = [pool.submit(_draw_one, job) for job in largest_first(jobs, index, snapshot)]
            return dict(future.result() for future in futures)
        except BrokenProcessPool:
            log.warning("charts: a drawing process died; drawing here instead")
            workers.close()
            return dict(draw_batch(jobs, snapshot, folder, options))


def largest_first(jobs: list[Job], index: dict[str, Any], snapshot: Snapshot) -> list[Job]:
    """The jobs by the observations their chart reads, most first, so that the processes finish together."""

    def size(job: Job) -> int:
        found = (snapshot.series.get(sid) for sid in index[job[0]].series)
        return sum(len(series.observations) for series in found if series is not None)

    return sorted(jobs, key=lambda job: (-size(job), job))


_received: tuple[Snapshot, Path | None, dict[str, Any]] | None = None


def _receive(snapshot: Snapshot, cache_dir: Path | None, options: dict[str, Any]) -> None:
    """In a worker: keep what every job of this build needs."""
    global _received
    _received = (snapshot, cache_dir, options)


def _draw_one(job: Job) -> tuple[Job, tuple[dict[str, bytes], Any]]:
    """In a worker: draw one (chart, language) pair."""
    if _received is None:
        raise RuntimeError("a drawing process got a job before the build's data")
    return draw_batch([job], *_received)[0]


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
