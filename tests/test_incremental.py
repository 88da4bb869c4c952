"""Incremental builds: the same bytes with and without the cache, nothing drawn that did not change.

A content edit draws no chart and imports neither pandas nor Altair; a changed
series draws again only the charts that read it; an unchanged project is not
built at all unless its output folder was touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reportsite import chartpool
from reportsite.cache import RenderCache
from reportsite.charts import load_charts
from reportsite.cli import main
from reportsite.codehash import module_closure
from reportsite.pipeline import build_site

ROOT = Path(__file__).resolve().parent.parent
MINISITE = ROOT / "tests" / "fixtures" / "minisite"
HEAVY = ("pandas", "altair", "vl_convert")


def pick_charts() -> tuple[str, str, str]:
    """Two charts and a series that the first reads and the second does not."""
    charts = load_charts()
    for first in sorted(charts):
        for series_id in charts[first].series:
            for second in sorted(charts):
                if second != first and series_id not in charts[second].series:
                    return first, second, series_id
    pytest.skip("no two charts that read different series")


def make_project(target: Path, first: str, second: str) -> Path:
    """The real data and templates, with one English page that shows two charts."""
    shutil.copytree(ROOT / "data", target / "data")
    shutil.copytree(ROOT / "templates", target / "templates")
    (target / "content" / "en").mkdir(parents=True)
    shutil.copy(MINISITE / "content" / "_site.toml", target / "content" / "_site.toml")
    page = (
        "---\ntitle: Charts\nslug: index\norder: 0\nkind: home\nsummary: Two charts.\n---\n\n"
        f'Some words.\n\n{{{{ chart("{first}", "First") }}}}\n\n{{{{ chart("{second}", "Second") }}}}\n'
    )
    (target / "content" / "en" / "index.md").write_text(page, encoding="utf-8")
    return target


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def change_last_value(project: Path, series_id: str) -> None:
    """Give the newest observation of a series another value (the manifest keeps its old hash)."""
    path = project / "data" / "fred" / f"{series_id}.csv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    for i in range(len(lines) - 1, 0, -1):
        day, value = lines[i].split(",")
        if value not in ("", "."):
            lines[i] = f"{day},{float(value) + 1:g}"
            break
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[str, str]]]:
    """Records which (chart, language) pairs each build had to draw."""
    calls: list[list[tuple[str, str]]] = []
    real = chartpool.draw_jobs

    def spy(jobs: list[tuple[str, str]], *args: Any, **kwargs: Any) -> Any:
        calls.append(sorted(jobs))
        return real(jobs, *args, **kwargs)

    monkeypatch.setattr(chartpool, "draw_jobs", spy)
    return calls


def test_cached_builds_are_byte_identical_to_uncached(tmp_path: Path, drawn: list[Any]) -> None:
    first, second, _ = pick_charts()
    project = make_project(tmp_path / "p", first, second)
    cache = RenderCache(tmp_path / "cache")
    build_site(project, tmp_path / "cold", cache=cache)
    build_site(project, tmp_path / "warm", cache=cache)
    build_site(project, tmp_path / "plain")
    assert drawn == [[(first, "en"), (second, "en")]], "the warm build drew charts again"
    plain = digest(tmp_path / "plain")
    assert any(name.endswith(".svg") for name in plain)
    assert digest(tmp_path / "cold") == plain
    assert digest(tmp_path / "warm") == plain


def test_charts_drawn_in_worker_processes_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drawn: list[Any]
) -> None:
    first, second, _ = pick_charts()
    project = make_project(tmp_path / "p", first, second)
    monkeypatch.setenv(chartpool.ENV_WORKERS, "2")
    assert chartpool.worker_count(2) == 2
    build_site(project, tmp_path / "pooled", cache=RenderCache(tmp_path / "cache"))
    build_site(project, tmp_path / "plain")
    assert drawn == [[(first, "en"), (second, "en")]]
    assert digest(tmp_path / "pooled") == digest(tmp_path / "plain")


def test_worker_processes_start_only_for_charts_to_draw_and_end_with_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, _ = pick_charts()
    project = make_project(tmp_path / "p", first, second)
    monkeypatch.setenv(chartpool.ENV_WORKERS, "2")
    pools: list[chartpool.Workers] = []
    real_start = chartpool.Workers.start

    def start(self: chartpool.Workers, count: int, *setup: Any) -> Any:
        pools.append(self)
        return real_start(self, count, *setup)

    monkeypatch.setattr(chartpool.Workers, "start", start)
    cache = RenderCache(tmp_path / "cache")
    build_site(project, tmp_path / "cold", cache=cache)
    assert len(pools) == 1 and not pools[0].started  # closed when the build ended
    build_site(project, tmp_path / "warm", cache=cache)
    assert len(pools) == 1  # everything came from the cache: no process started


def test_workers_are_taken_over_with_the_same_data_and_make_each_thing_once(tmp_path: Path) -> None:
    from reportsite.data import Snapshot

    one, other = Snapshot({}), Snapshot({})
    with chartpool.Workers() as workers:
        first = workers.ensure(2, chartpool._receive, one, tmp_path, {"validated": ("en",)})
        assert workers.ensure(2, chartpool._receive, one, tmp_path, {"validated": ("en",)}) is first
        made = workers.once(os.getcwdb)
        assert workers.once(os.getcwdb) is made and made.result() == os.getcwdb()
        assert workers.ensure(2, chartpool._receive, other, tmp_path, {"validated": ("zh",)}) is not first
    assert not workers.started


def test_workers_give_the_same_pngs_as_this_process() -> None:
    from reportsite.cards import svg_to_png

    svgs = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="{n}" height="8"/></svg>'
        for n in (2, 5)
    ]
    here = chartpool.Workers().map(svg_to_png, svgs)
    with chartpool.Workers() as workers:
        workers.start(2)
        pooled = workers.map(svg_to_png, svgs)
    assert pooled == here and here[0] != here[1] and all(png.startswith(b"\x89PNG") for png in here)


def test_a_changed_series_redraws_only_the_charts_that_read_it(tmp_path: Path, drawn: list[Any]) -> None:
    first, second, series_id = pick_charts()
    project = make_project(tmp_path / "p", first, second)
    cache = RenderCache(tmp_path / "cache")
    build_site(project, tmp_path / "before", cache=cache)
    change_last_value(project, series_id)
    build_site(project, tmp_path / "after", cache=cache)
    assert drawn[-1] == [(first, "en")], f"changing {series_id} should redraw {first} only"
    build_site(project, tmp_path / "plain")
    assert digest(tmp_path / "after") == digest(tmp_path / "plain")
    assert digest(tmp_path / "after") != digest(tmp_path / "before")


def run_cli(project: Path, out: Path, cache: Path, *extra: str) -> dict[str, Any]:
    """Build in a fresh interpreter; report its exit code, output and heavy imports."""
    script = (
        "import contextlib, io, json, sys\n"
        "from reportsite.cli import main\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        "    code = main(sys.argv[1:])\n"
        f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "print(json.dumps({'code': code, 'out': out.getvalue(), 'err': err.getvalue(), 'heavy': heavy}))\n"
    )
    env = {**os.environ, "REPORTSITE_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", script, "--root", str(project), "--out", str(out), *extra]
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_content_edit_rebuilds_without_importing_chart_libraries(tmp_path: Path) -> None:
    first, second, _ = pick_charts()
    project = make_project(tmp_path / "p", first, second)
    out, cache = tmp_path / "site", tmp_path / "cache"
    cold = run_cli(project, out, cache)
    assert cold["code"] == 0 and "pandas" in cold["heavy"]
    page = project / "content" / "en" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Some words.", "Other words."), encoding="utf-8")
    edited = run_cli(project, out, cache)
    assert edited["code"] == 0 and edited["out"].startswith("built"), edited
    assert edited["heavy"] == [], f"a content edit imported {edited['heavy']}"
    assert "Other words." in (out / "index.html").read_text(encoding="utf-8")
    unchanged = run_cli(project, out, cache)
    assert unchanged["out"].startswith("up to date"), unchanged
    assert unchanged["heavy"] == []


def cli(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_an_unchanged_build_is_skipped_until_the_output_is_touched(
    minisite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPORTSITE_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    args = ("--root", str(minisite), "--out", str(out))
    assert cli(*args, capsys=capsys)[1].startswith("built")
    assert cli(*args, capsys=capsys)[1].startswith("up to date")
    (out / "reserves.html").unlink()
    assert cli(*args, capsys=capsys)[1].startswith("built"), "a deleted output file was not rebuilt"
    assert (out / "reserves.html").is_file()
    page = out / "index.html"
    page.write_bytes(page.read_bytes().replace(b"Mini", b"Mega"))
    assert cli(*args, capsys=capsys)[1].startswith("built"), "an edited output file was not rebuilt"
    assert b"Mega" not in page.read_bytes()
    (out / "stray.txt").write_text("left behind")
    assert cli(*args, capsys=capsys)[1].startswith("built"), "an extra output file was kept"
    assert cli(*args, "--no-cache", capsys=capsys)[1].startswith("built")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert cli(*args, capsys=capsys)[1].startswith("built"), "SOURCE_DATE_EPOCH is an input"


def test_a_skipped_build_repeats_its_warnings_and_strict_still_fails(
    minisite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPORTSITE_CACHE_DIR", str(tmp_path / "cache"))
    change_last_value(minisite, "WRESBAL")  # now differs from the hash in its manifest: a warning
    args = ("--root", str(minisite), "--out", str(tmp_path / "out"))
    code, out, err = cli(*args, capsys=capsys)
    assert code == 0 and out.startswith("built") and "warning:" in err
    code, out, err = cli(*args, capsys=capsys)
    assert code == 0 and out.startswith("up to date") and "warning:" in err
    code, out, err = cli(*args, "--strict", capsys=capsys)
    assert code == 1 and "--strict" in err


def test_chart_code_hash_follows_imports() -> None:
    package = ROOT / "reportsite"
    chart_code = module_closure("reportsite.charts.reserves")
    assert package / "charts" / "reserves.py" in chart_code
    assert package / "charts" / "__init__.py" in chart_code
    assert package / "serve.py" not in chart_code
    build_code = module_closure("reportsite.charts.build")
    assert {package / "charts" / "theme.py", package / "svgtidy.py", package / "values.py"} <= build_code
