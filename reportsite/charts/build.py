"""Turn registered charts into files: shared CSV data, per-language specs and static SVGs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..cache import RenderCache, cache_key
from ..codehash import code_hash
from ..data import Snapshot
from ..schemes import render_scheme
from ..svgtidy import compact_svg
from ..values import MINUS, format_date, format_units
from . import ChartDef, ChartError, Frames

VEGA_LITE = "6.4"
SCHEMES = ("light", "dark")
TABLE_ROWS = 12


@dataclass
class Column:
    """One numeric column of a chart's data, described for readers."""

    name: str
    label: str
    units: str
    factor: float
    first: tuple[date, float]
    last: tuple[date, float]
    low: tuple[date, float]
    high: tuple[date, float]

    def text(self, value: float, lang: str) -> str:
        """The value in its units; a negative one keeps its sign (a true minus) unless it rounds to 0."""
        text = format_units(abs(value), self.units, self.factor, lang)
        return MINUS + text if value < 0 and any(c in "123456789" for c in text) else text


@dataclass
class Figure:
    """Everything a page needs to show one chart in one language."""

    name: str
    lang: str
    spec: str
    svg: dict[str, str]
    data: list[str]
    series: list[str]
    columns: list[Column] = field(default_factory=list)
    table_head: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)
    width: int = 0
    height: int = 0


@dataclass
class ChartSet:
    files: dict[str, bytes]
    figures: dict[tuple[str, str], Figure]


def build_charts(
    charts: dict[str, ChartDef],
    names: set[str],
    snapshot: Snapshot,
    languages: tuple[str, ...],
    cache: RenderCache | None = None,
    events: tuple[Any, ...] = (),
    policy: Any = None,
    validated: tuple[str, ...] | None = None,
) -> ChartSet:
    """Draw every named chart in every language and collect the files to write.

    With a `cache`, a static SVG whose exact spec was rendered before is reused.
    Each spec is checked against the Vega-Lite schema in the `validated`
    languages (default: all of them); the languages differ only in words.
    """
    files: dict[str, bytes] = {}
    figures: dict[tuple[str, str], Figure] = {}
    for name in sorted(names):
        chart = charts[name]
        for lang in languages:
            check = validated is None or lang in validated
            spec = _draw(chart, snapshot, lang, events, policy, validate=check)
            svgs = {}
            for scheme in SCHEMES:
                path = f"charts/{name}.{lang}.{scheme}.svg"
                files[path] = render_scheme(spec, scheme, cache)
                svgs[scheme] = path
            page_spec, data_files, rows = _externalise(spec, name, _declared(chart))
            files.update(data_files)
            spec_path = f"charts/{name}.{lang}.vl.json"
            files[spec_path] = _json_bytes(page_spec)
            figure = Figure(name, lang, spec_path, svgs, sorted(data_files), list(chart.series))
            figure.width, figure.height = _svg_size(files[svgs["light"]])
            _describe(figure, chart, snapshot, rows, lang)
            figures[(name, lang)] = figure
    return ChartSet(files, figures)


def _draw(
    chart: ChartDef,
    snapshot: Snapshot,
    lang: str,
    events: tuple[Any, ...] = (),
    policy: Any = None,
    *,
    validate: bool = True,
) -> dict[str, Any]:
    from . import theme  # noqa: F401  (registers the house theme with Altair before drawing)

    try:
        drawn = chart.draw(Frames(snapshot, chart, events, policy), lang)
        return drawn.to_dict(validate=validate)
    except ChartError:
        raise
    except Exception as exc:
        raise ChartError(f"chart '{chart.name}' failed to draw: {type(exc).__name__}: {exc}") from exc


def render_svg(spec: dict[str, Any], cache: RenderCache | None = None) -> bytes:
    """The static SVG of a full Vega-Lite spec, from the cache when it was rendered before."""

    def render() -> bytes:
        import vl_convert

        svg: str = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE)
        return compact_svg(svg.encode("utf-8"))

    if cache is None:
        return render()
    tidy = code_hash("reportsite.svgtidy")
    key = cache_key(spec, "svg", f"vega-lite {VEGA_LITE}", f"vl-convert {_renderer_version()}", tidy)
    return cache.get_or_make(key, render)


def _renderer_version() -> str:
    from importlib.metadata import version

    return version("vl-convert-python")


def _with_scheme(spec: dict[str, Any], scheme: str) -> dict[str, Any]:
    from .theme import house_config  # imports Altair: only when a chart is drawn

    themed = dict(spec)
    themed["config"] = {**spec.get("config", {}), **house_config(scheme)}
    return themed


def _declared(chart: ChartDef) -> set[str]:
    """The columns a chart says it plots: its series and its declared derived columns."""
    return {*chart.series, *chart.units}


def _externalise(
    spec: dict[str, Any], name: str, declared: set[str]
) -> tuple[dict[str, Any], dict[str, bytes], list[dict[str, Any]]]:
    """Move inline datasets into CSV files named by content and point the spec at them.

    Returns the rows of the chart's main dataset, the one to describe: the dated
    dataset that carries most of the chart's declared columns (an annotation with a
    date, such as a marked day, carries none of them and is never described).
    """
    spec = json.loads(json.dumps(spec))
    datasets = spec.pop("datasets", {})
    files: dict[str, bytes] = {}
    refs: dict[str, dict[str, Any]] = {}
    for key, rows in sorted(datasets.items()):
        if not any("date" in row for row in rows):
            refs[key] = {"values": rows}  # an annotation (a level, a label): tiny, stays inline
            continue
        body, parse = _csv(rows)
        file_name = f"{name}-{hashlib.sha256(body).hexdigest()[:10]}.csv"
        files[f"charts/{file_name}"] = body
        refs[key] = {"url": file_name, "format": {"type": "csv", "parse": parse}}
    _replace_data(spec, refs)
    spec.pop("config", None)  # the page applies the theme for its colour scheme
    if "layer" in spec or "mark" in spec:
        spec["width"] = "container"
    return spec, files, _main_rows(datasets, declared)


def _main_rows(datasets: dict[str, list[dict[str, Any]]], declared: set[str]) -> list[dict[str, Any]]:
    """The dated dataset with the most declared columns (then the most rows); none: no rows."""
    dated = [rows for _, rows in sorted(datasets.items()) if any("date" in row for row in rows)]
    scored = [(len(declared & {k for row in rows for k in row}), len(rows), rows) for rows in dated]
    best = max(scored, key=lambda s: (s[0], s[1]), default=None)
    return best[2] if best and best[0] else []


def _replace_data(node: Any, refs: dict[str, dict[str, Any]]) -> None:
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and data.get("name") in refs:
            node["data"] = refs[data["name"]]
        for value in node.values():
            _replace_data(value, refs)
    elif isinstance(node, list):
        for item in node:
            _replace_data(item, refs)


def _csv(rows: list[dict[str, Any]]) -> tuple[bytes, dict[str, str]]:
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    parse: dict[str, str] = {}
    for col in columns:
        values = [row.get(col) for row in rows if row.get(col) is not None]
        if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            parse[col] = "number"
        elif values and all(isinstance(v, str) and _is_date(v) for v in values):
            parse[col] = "date"
    lines = [",".join(columns)]
    lines += [",".join(_cell(row.get(col)) for col in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8"), parse


def _is_date(text: str) -> bool:
    return len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    if _is_date(text) and text.endswith("T00:00:00"):
        text = text[:10]
    return f'"{text}"' if "," in text or '"' in text else text


def _describe(
    figure: Figure, chart: ChartDef, snapshot: Snapshot, rows: list[dict[str, Any]], lang: str
) -> None:
    """Describe the plotted data: per numeric column its latest value, range and extremes."""
    dates = [str(r.get("date", ""))[:10] for r in rows]
    for col in _numeric_columns(rows):
        points = [
            (date.fromisoformat(d), float(r[col]))
            for d, r in zip(dates, rows, strict=True)
            if r.get(col) is not None and d
        ]
        if not points:
            continue
        units, factor, label = _column_meta(chart, snapshot, col, lang)
        figure.columns.append(
            Column(
                col,
                label,
                units,
                factor,
                points[0],
                points[-1],
                min(points, key=lambda p: p[1]),
                max(points, key=lambda p: p[1]),
            )
        )
    if figure.columns and all(dates):
        figure.table_head = [c.label for c in figure.columns]
        for d, row in list(zip(dates, rows, strict=True))[-TABLE_ROWS:]:
            cells = [
                c.text(float(row[c.name]), lang) if row.get(c.name) is not None else ""
                for c in figure.columns
            ]
            figure.table_rows.append([format_date(date.fromisoformat(d), lang), *cells])


def _numeric_columns(rows: list[dict[str, Any]]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        for key, value in row.items():
            if key not in columns and isinstance(value, (int, float)) and not isinstance(value, bool):
                columns.append(key)
    return columns


def _column_meta(chart: ChartDef, snapshot: Snapshot, col: str, lang: str) -> tuple[str, float, str]:
    if col in chart.units:
        units, factor = chart.units[col]
        return units, factor, chart.labels.get(col, {}).get(lang, col)
    if col in snapshot.series:
        info = snapshot.get(col).info
        return info.units, info.factor, info.short[lang]
    raise ChartError(f"chart '{chart.name}' plots column '{col}' without declaring its units")


def _svg_size(svg: bytes) -> tuple[int, int]:
    head = svg[:400].decode("utf-8", "replace")

    def attr(name: str) -> int:
        marker = f'{name}="'
        start = head.find(marker)
        return int(float(head[start + len(marker) :].split('"', 1)[0])) if start >= 0 else 0

    return attr("width"), attr("height")


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode(
        "utf-8"
    )


def vega_bundle() -> bytes:
    """Vega, Vega-Lite and vega-embed in one self-hosted script (no CDN)."""
    import vl_convert

    bundle: str = vl_convert.javascript_bundle(vl_version=VEGA_LITE)  # type: ignore[call-arg]
    return bundle.encode("utf-8")
