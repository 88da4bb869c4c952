"""Figures (charts.build.Figure, Column) to JSON and back, exactly.

Dataclasses keep their class name, dates and tuples are tagged, floats round-trip
through their shortest repr. Only dataclasses defined in charts/build.py are
rebuilt, so a cache entry can never name an arbitrary class. A value of any
other type raises TypeError: that figure is simply not cached.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

CLASS, DATE, DATETIME, TUPLE = "__class__", "__date__", "__datetime__", "__tuple__"


def encode_figure(figure: Any) -> Any:
    return _encode(figure)


def decode_figure(data: Any) -> Any:
    return _decode(data)


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {CLASS: type(value).__name__, **fields}
    if isinstance(value, datetime):
        return {DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {DATE: value.isoformat()}
    if isinstance(value, tuple):
        return {TUPLE: [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value) or CLASS in value:
            raise TypeError("a dict with non-text keys cannot be cached")
        return {k: _encode(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot cache a value of type {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if DATE in value:
        return date.fromisoformat(value[DATE])
    if DATETIME in value:
        return datetime.fromisoformat(value[DATETIME])
    if TUPLE in value:
        return tuple(_decode(v) for v in value[TUPLE])
    fields = {k: _decode(v) for k, v in value.items() if k != CLASS}
    if CLASS not in value:
        return fields
    return _figure_class(value[CLASS])(**fields)


def _figure_class(name: str) -> Any:
    from .charts import build

    found = getattr(build, name, None)
    if not (isinstance(found, type) and dataclasses.is_dataclass(found)):
        raise TypeError(f"not a figure class: {name}")
    return found
