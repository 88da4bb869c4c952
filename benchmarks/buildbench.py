"""Build timings: cold, no-op, one content edit, one series changed — beside the floor and the naive build.

Every figure is the wall time of a fresh `python` process, measured on a copy
of the project (the real one is never touched), with its own empty render
cache for a cold build.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHART_CALL = re.compile(r"""chart\(\s*["']([\w-]+)["']""")
REPO = HERE.parent


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Project:
    """A throw-away copy of a project and where its builds go."""

    root: Path
    work: Path
    env: dict[str, str]

    @property
    def site(self) -> Path:
        return self.work / "site"

    @property
    def naive_site(self) -> Path:
        return self.work / "naive"


def copy_project(source: Path, work: Path) -> Project:
    """Copy content/, data/ and templates/ (the repo's templates if the project has none)."""
    root = work / "project"
    for name in ("content", "data", "templates"):
        origin = source / name if (source / name).is_dir() else REPO / name
        shutil.copytree(origin, root / name)
    shutil.copy(REPO / "build.py", root / "build.py")
    env = {**os.environ, "PYTHONPATH": str(REPO), "REPORTSITE_CACHE_DIR": str(work / "cache")}
    env.pop("SOURCE_DATE_EPOCH", None)
    return Project(root, work, env)


def timed(args: list[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds for one process to run to completion; a failure stops the benchmark."""
    started = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"benchmark: {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def build(project: Project, *extra: str) -> float:
    return timed([sys.executable, "build.py", "--out", str(project.site), *extra], project.env, project.root)


def naive_build(project: Project) -> float:
    args = [
        sys.executable,
        str(HERE / "naive.py"),
        "--root",
        str(project.root),
        "--out",
        str(project.naive_site),
    ]
    return timed(args, project.env, project.root)


def floor(project: Project) -> float:
    return timed([sys.executable, "-c", "import pandas, altair"], project.env, project.root)


@dataclass
class Figure:
    """One build figure: our times, the naive build's and the floor's (seconds)."""

    name: str
    ours: list[float] = field(default_factory=list)
    naive: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    note: str = ""

    def median(self, which: str) -> float | None:
        values: list[float] = getattr(self, which)
        return statistics.median(values) if values else None


def measure_builds(source: Path, runs: int, with_naive: bool = True) -> tuple[list[Figure], Project]:
    """Run every build scenario `runs` times, interleaving floor, naive and ours."""
    work = Path(tempfile.mkdtemp(prefix="reportsite-bench-"))
    project = copy_project(source, work)
    series_id, readers, total = pick_series(project)
    figures = [
        Figure("cold build (empty cache)"),
        Figure("no-op rebuild"),
        Figure("rebuild after one content edit"),
        Figure(f"rebuild after one series changed ({series_id}: {readers} of {total} charts)"),
    ]
    page = pick_page(project.root)
    edits = [
        lambda i: None,
        lambda i: None,
        lambda i: edit_page(page, i),
        lambda i: bump_series(project, series_id, i),
    ]
    for run in range(runs):
        log(f"build figures: run {run + 1} of {runs}")
        for figure, edit in zip(figures, edits, strict=True):
            if figure is figures[0]:
                shutil.rmtree(work / "cache", ignore_errors=True)
                shutil.rmtree(project.site, ignore_errors=True)
            edit(run)
            figure.floor.append(floor(project))
            if with_naive:
                figure.naive.append(naive_build(project))
            figure.ours.append(build(project))
    figures[2].note = f"edited {page.relative_to(project.root).as_posix()}"
    return figures, project


def pick_page(root: Path) -> Path:
    """The first page of the first language: the one the content edit appends to."""
    content = root / "content"
    languages = sorted(p for p in content.iterdir() if p.is_dir())
    return sorted(p for p in languages[0].glob("*.md") if not p.name.startswith("_"))[0]


def edit_page(page: Path, run: int) -> None:
    """A real content edit: one more sentence at the end of the page."""
    with page.open("a", encoding="utf-8") as stream:
        stream.write(f"\nA sentence added by benchmark run {run + 1}.\n")


def pick_series(project: Project) -> tuple[str, int, int]:
    """Of the charts the pages show, the series read by the fewest: (id, its charts, all charts)."""
    script = (
        "import json; from reportsite.charts import load_charts; c = load_charts(); "
        "print(json.dumps({n: list(d.series) for n, d in c.items()}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=project.env, capture_output=True, text=True, check=True
    )
    registered: dict[str, list[str]] = json.loads(done.stdout)
    shown = set()
    for page in (project.root / "content").rglob("*.md"):
        shown.update(CHART_CALL.findall(page.read_text(encoding="utf-8")))
    charts = {name: series for name, series in registered.items() if name in shown}
    readers: dict[str, int] = {}
    for series in charts.values():
        for series_id in series:
            readers[series_id] = readers.get(series_id, 0) + 1
    if not readers:
        raise SystemExit("benchmark: the pages show no chart")
    chosen = min(sorted(readers), key=lambda s: readers[s])
    return chosen, readers[chosen], len(charts)


def bump_series(project: Project, series_id: str, run: int) -> None:
    """Change the newest value of a series (and its manifest's hash, as a refresh would)."""
    csv_path = project.root / "data" / "fred" / f"{series_id}.csv"
    lines = csv_path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    for i in range(len(lines) - 1, 0, -1):
        day, value = lines[i].split(",")
        if value not in ("", "."):
            lines[i] = f"{day},{float(value) + run + 1:g}"
            break
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _rehash_manifest(csv_path)


def _rehash_manifest(csv_path: Path) -> None:
    manifest_path = csv_path.with_suffix(".json")
    if not manifest_path.is_file():
        return
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["sha256"] = hashlib.sha256(csv_path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def fresh_sites(project: Project, source: Path, with_naive: bool) -> Project:
    """Clean builds of the unedited project, ours and the naive one, for the page figures."""
    clean = copy_project(source, project.work / "clean")
    if (project.work / "cache").is_dir():
        shutil.copytree(project.work / "cache", clean.work / "cache")
    build(clean)
    if with_naive:
        naive_build(clean)
    return clean
