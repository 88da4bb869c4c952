"""The build, stage by stage: gather and validate everything first, then write.

load the project → load the data → parse the content → build the charts →
render the pages → write the site. Nothing touches the output folder until
every page and chart has been produced in memory.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from .cache import RenderCache, activate
from .chartcache import build_charts_cached, chart_index, start_cold, vega_bundle_cached
from .chartpool import Workers
from .claims import load_ledger
from .config import Project, load_project
from .content import parse_content
from .data import Snapshot, load_snapshot
from .errors import BuildError, Warnings
from .events import load_events, load_policy, policy_functions
from .freshness import warn_late
from .render import SiteInfo, render_pages, static_files
from .seo import build_sharing_files
from .values import Values
from .write import write_site

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    pages: int
    charts: int
    series: int
    data_as_of: date | None
    seconds: float
    warnings: list[str]
    out: Path


class StrictFailure(BuildError):
    """Warnings were raised and `--strict` asked for them to fail the build."""


def build_site(
    root: Path, out: Path, *, strict: bool = False, cache: RenderCache | None = None
) -> BuildResult:
    """Build the site in `root` into `out`; `cache` lets unchanged chart renders be reused."""
    started = time.perf_counter()
    activate(cache)  # any stage may memoize() a costly conversion in it
    with Workers() as workers:  # drawing processes: started only when charts must be drawn
        warnings = Warnings()
        # 1. Load the project: folders, settings, interface strings.
        project = load_project(root)
        # 2. Load the data snapshot: registry, CSVs, manifests. Only data/ is read.
        snapshot = load_snapshot(project.data_dir, warnings)
        warn_late(snapshot, warnings)
        # 2b. Check the claims ledger against the data; load the policy events and tables.
        ledger = load_ledger(project.data_dir, snapshot)
        events = load_events(project.data_dir)
        policy = load_policy(project.data_dir)
        drawing = {"events": events, "policy": policy, "validated": project.languages[:1]}
        # The first language's specs are checked against the Vega-Lite schema (the tests check all).
        start_cold(workers, snapshot, cache, **drawing)  # a cold cache: the drawing processes start now

        def values_for(lang: str) -> Values:
            values = Values(snapshot, lang)
            values.extra.update(policy_functions(policy, project.templates_dir, values, words(project, lang)))
            return values

        # 3. Parse the content: front matter, live values, Markdown; charts become slots.
        charts = chart_index(cache)  # with a cache: without running chart code when it is unchanged
        pages = parse_content(
            project.content_dir,
            project.languages,
            values_for,
            charts,
            relative_to=project.root,
        )
        # 4. Build the charts that pages use, in every language.
        used = {use.name for page in pages for use in page.charts}
        chart_set = build_charts_cached(
            charts,
            used,
            snapshot,
            project.languages,
            project.data_dir,
            cache,
            workers,
            **drawing,
        )
        # 5. Render the pages through the templates.
        claims = {
            lang: ledger.views(lang, values_for(lang), words(project, lang)) for lang in project.languages
        }
        site = SiteInfo(project, snapshot, built_at(snapshot), pages, claims, ledger.tally())
        files = render_pages(site, chart_set)
        files.update(build_sharing_files(site, chart_set, workers))
        files.update(chart_set.files)
        files.update(static_files(project.templates_dir))
        if used:
            files["assets/vega.js"] = vega_bundle_cached(cache, workers)
        files.update(downloads(snapshot))
        files[".nojekyll"] = b""
        if strict and warnings:
            raise StrictFailure(f"{len(warnings)} warning(s) and --strict: " + "; ".join(warnings.messages))
    # 6. Write: build beside the output folder, then swap it into place.
    write_site(files, out)
    return BuildResult(
        pages=len(pages),
        charts=len(used),
        series=len(snapshot.series),
        data_as_of=snapshot.as_of,
        seconds=time.perf_counter() - started,
        warnings=warnings.messages,
        out=out,
    )


def words(project: Project, lang: str) -> dict[str, str]:
    """The interface strings of one language."""
    return project.strings.get(lang, {})


def downloads(snapshot: Snapshot) -> dict[str, bytes]:
    """The full CSV of every series whose licence allows redistribution."""
    return {
        f"data/{sid}.csv": series.csv_path.read_bytes()
        for sid, series in sorted(snapshot.series.items())
        if series.info.redistribute
    }


def built_at(snapshot: Snapshot) -> datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH if set, else when the data was last retrieved.

    Taking it from the inputs, never the clock, keeps two builds byte-identical.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except ValueError:
            raise BuildError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
    stamps = [s.manifest.get("retrieved_at") for s in snapshot.series.values()]
    parsed = [datetime.fromisoformat(str(s).replace("Z", "+00:00")) for s in stamps if s]
    return max(parsed) if parsed else datetime(1970, 1, 1, tzinfo=UTC)
