"""A content-addressed cache of rendered outputs (chart SVGs), kept outside the project.

An entry is named by a hash of everything that determines it — for a chart, its
full Vega-Lite spec (data included) and the renderer's version — so a hit is
always exact and nothing ever needs invalidating: a changed spec is simply a new
key. Entries live under the user's cache home (``$REPORTSITE_CACHE_DIR``, else
``$XDG_CACHE_HOME/reportsite``, else ``~/.cache/reportsite``), never in the repo.

    cache = RenderCache()                     # or RenderCache(folder)
    key = cache_key(spec, "vl-convert 1.9.0", "vega-lite 6.4", "svg")
    svg = cache.get_or_make(key, lambda: render(spec))

Writes are atomic (temp file, then rename), so two builds sharing the cache never
see a half-written entry. A broken or unwritable cache never fails a build: it
only costs the render it could not save.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ENV_DIR = "REPORTSITE_CACHE_DIR"
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


def default_cache_dir() -> Path:
    """Where the cache lives unless told otherwise."""
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(home) / "reportsite"


def cache_key(value: Any, *context: str) -> str:
    """A stable hash of a JSON-able value plus the context strings (versions, format)."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    digest = hashlib.sha256()
    for part in (*context, canonical):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


class RenderCache:
    """Bytes by key, one file per entry under ``folder/renders``; hits and misses are counted."""

    def __init__(self, folder: Path | None = None):
        self.folder = (folder or default_cache_dir()) / "renders"
        self.hits = 0
        self.misses = 0

    def path(self, key: str) -> Path:
        if len(key) < 3 or not key.isalnum():
            raise ValueError(f"not a cache key: {key!r}")
        return self.folder / key[:2] / key

    def get(self, key: str) -> bytes | None:
        path = self.path(key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        _touch(path)
        return data

    def put(self, key: str, data: bytes) -> None:
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except OSError as exc:
            log.warning("render cache: could not save an entry in %s (%s)", self.folder, exc.strerror)

    def get_or_make(self, key: str, make: Callable[[], bytes]) -> bytes:
        cached = self.get(key)
        if cached is not None:
            return cached
        data = make()
        self.put(key, data)
        return data

    def size(self) -> int:
        return sum(path.stat().st_size for path in self._entries())

    def prune(self, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
        """Delete the least recently used entries until the cache fits; return how many went."""
        entries = sorted(self._entries(), key=lambda p: p.stat().st_mtime)
        total = sum(p.stat().st_size for p in entries)
        removed = 0
        for path in entries:
            if total <= max_bytes:
                break
            total -= path.stat().st_size
            path.unlink(missing_ok=True)
            removed += 1
        return removed

    def _entries(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return [p for p in self.folder.glob("??/*") if p.is_file() and not p.name.startswith(".")]


_active: ContextVar[RenderCache | None] = ContextVar("reportsite_render_cache", default=None)


def activate(cache: RenderCache | None) -> None:
    """Make `cache` the one `memoize` uses for the rest of this build (None: no caching)."""
    _active.set(cache)


def memoize(kind: str, source: str | bytes, make: Callable[[], bytes], *context: str) -> bytes:
    """`make()`, or its bytes from the active build's cache when `source` was made into `kind` before.

    For any expensive, deterministic conversion in a build stage, such as an SVG to a PNG:
    `png = memoize("png", svg, lambda: svg_to_png(svg), renderer_version)`.
    """
    cache = _active.get()
    if cache is None:
        return make()
    text = source.decode("utf-8", "surrogateescape") if isinstance(source, bytes) else source
    return cache.get_or_make(cache_key(text, "memoize", kind, *context), make)


def recall(kind: str, source: str | bytes, *context: str) -> bytes | None:
    """What `memoize` would find in the active build's cache, without making anything."""
    cache = _active.get()
    if cache is None:
        return None
    text = source.decode("utf-8", "surrogateescape") if isinstance(source, bytes) else source
    return cache.get(cache_key(text, "memoize", kind, *context))


def _touch(path: Path) -> None:
    """Mark an entry as recently used, for pruning; a read-only cache is fine too."""
    with contextlib.suppress(OSError):
        os.utime(path)
