"""The render cache: exact hits, atomic entries, pruning, and charts rendered once."""

from __future__ import annotations

import os
from pathlib import Path

import altair as alt
import pytest

from reportsite.cache import ENV_DIR, RenderCache, cache_key, default_cache_dir
from reportsite.charts import ChartDef, Frames
from reportsite.charts.build import build_charts
from reportsite.data import load_snapshot
from reportsite.errors import Warnings

REPO = Path(__file__).resolve().parents[1]


def test_key_depends_on_every_part_and_not_on_key_order() -> None:
    spec = {"mark": "line", "data": {"values": [{"a": 1}]}}
    same = {"data": {"values": [{"a": 1}]}, "mark": "line"}
    assert cache_key(spec, "svg", "v1") == cache_key(same, "svg", "v1")
    assert cache_key(spec, "svg", "v1") != cache_key(spec, "svg", "v2")
    assert cache_key(spec, "svg", "v1") != cache_key({**spec, "mark": "bar"}, "svg", "v1")
    assert cache_key(spec, "svg", "v1") != cache_key(spec, "svgv1")


def test_get_put_round_trip_and_counts(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path)
    key = cache_key({"x": 1}, "t")
    assert cache.get(key) is None
    cache.put(key, b"<svg/>")
    assert cache.get(key) == b"<svg/>"
    assert (cache.hits, cache.misses) == (1, 1)
    made: list[int] = []
    assert cache.get_or_make(key, lambda: made.append(1) or b"other") == b"<svg/>"
    assert made == []
    assert not [p for p in cache.folder.rglob(".tmp-*")], "a temporary file was left behind"


def test_rejects_a_key_that_could_escape_the_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        RenderCache(tmp_path).get("../../etc/passwd")


def test_unwritable_cache_does_not_fail(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = RenderCache(blocker)
    assert cache.get_or_make(cache_key(1), lambda: b"made") == b"made"


def test_prune_drops_least_recently_used_first(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path)
    keys = [cache_key(n) for n in range(4)]
    for age, key in enumerate(keys):
        cache.put(key, b"x" * 100)
        os.utime(cache.path(key), (1_000_000 + age, 1_000_000 + age))
    cache.get(keys[0])  # used just now: the newest
    assert cache.prune(max_bytes=250) == 2
    assert [cache.get(k) is not None for k in keys] == [True, False, False, True]
    assert cache.size() == 200


def test_default_folder_is_outside_the_project(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_DIR, str(tmp_path / "explicit"))
    assert default_cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv(ENV_DIR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "reportsite"


def _reserves(frames: Frames, lang: str) -> alt.TopLevelMixin:
    table = frames["WRESBAL"].reset_index()
    title = "Reserves" if lang == "en" else "準備金"
    return alt.Chart(table).mark_line().encode(x="date:T", y=alt.Y("WRESBAL:Q", title=title))


def test_charts_render_once_then_come_from_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import vl_convert

    snapshot = load_snapshot(REPO / "data", Warnings())
    charts = {"cache_probe": ChartDef("cache_probe", ("WRESBAL",), _reserves)}
    languages = ("en", "zh-Hant")
    calls: list[int] = []
    real = vl_convert.vegalite_to_svg

    def counting(*args: object, **kwargs: object) -> str:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting)
    plain = build_charts(charts, {"cache_probe"}, snapshot, languages)
    rendered = len(calls)
    assert rendered == 2  # two languages; light and dark come from one render (schemes.py)

    cache = RenderCache(tmp_path)
    first = build_charts(charts, {"cache_probe"}, snapshot, languages, cache)
    assert len(calls) == 2 * rendered and cache.misses == rendered
    hits = cache.hits  # the dark picture of each language
    second = build_charts(charts, {"cache_probe"}, snapshot, languages, cache)
    assert len(calls) == 2 * rendered, "an unchanged chart was rendered again"
    assert cache.hits == hits + 2 * rendered
    assert plain.files == first.files == second.files
