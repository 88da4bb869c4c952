"""The preview's build loop: watch the project, rebuild when an input really changed.

Builds run in one long-lived worker process, so Altair, pandas and the chart
renderer are imported once and every rebuild after the first is warm. When the
package's own code changes the worker is replaced, so the next build runs the
new code. A rebuild happens only when the bytes of an input changed (a save
without edits, or an editor's temporary file, rebuilds nothing), and unchanged
chart renders come from the render cache (see cache.py).

A failed build never stops the loop: its message is kept in the state the
server shows on every page, and the last good site stays in place.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import signal
import threading
import traceback
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PROJECT_FOLDERS = ("content", "templates", "data")
PACKAGE_DIR = Path(__file__).resolve().parent
IGNORED_SUFFIXES = (".pyc", ".swp", ".swx", ".tmp", "~")


@dataclass(frozen=True)
class Outcome:
    """What one build attempt produced, in words for the terminal and the page."""

    ok: bool
    message: str
    warnings: list[str] = field(default_factory=list)


def build_in_worker(root: Path, out: Path, strict: bool, cache_dir: Path | None) -> Outcome:
    """Run one build; every failure comes back as a message, never as an exception."""
    from .cache import RenderCache
    from .errors import BuildError
    from .pipeline import build_site

    try:
        result = build_site(root, out, strict=strict, cache=RenderCache(cache_dir))
    except BuildError as exc:
        return Outcome(False, f"error: {exc}")
    except Exception:
        return Outcome(False, "the build crashed (a bug, not your edit):\n" + traceback.format_exc())
    message = f"built {result.pages} pages, {result.charts} charts in {result.seconds:.1f} s"
    return Outcome(True, message, list(result.warnings))


def is_relevant(path: Path) -> bool:
    """False for caches, hidden files and editors' temporary files."""
    if any(part.startswith(".") or part == "__pycache__" for part in path.parts):
        return False
    return not path.name.endswith(IGNORED_SUFFIXES)


def fingerprint(folders: Iterable[Path], suffix: str = "") -> str:
    """A hash of the names and bytes of every relevant file under `folders`."""
    digest = hashlib.sha256()
    for folder in folders:
        if not folder.is_dir():
            digest.update(b"missing:" + folder.name.encode())
            continue
        for path in sorted(folder.rglob(f"*{suffix}")):
            relative = path.relative_to(folder)
            if not is_relevant(relative) or not path.is_file():
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            digest.update(f"{folder.name}/{relative.as_posix()}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def _leave_ctrl_c_to_the_server() -> None:
    """In the worker: Ctrl-C stops the server, which then stops the worker cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Builder:
    """One warm worker process that runs builds; replaced when the package code changes."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    def build(self, root: Path, out: Path, strict: bool, cache_dir: Path | None) -> Outcome:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=get_context("spawn"), initializer=_leave_ctrl_c_to_the_server
            )
        try:
            return self._pool.submit(build_in_worker, root, out, strict, cache_dir).result()
        except BrokenProcessPool:
            self.restart()
            return Outcome(False, "error: the build process died; it will be restarted for the next edit")

    def restart(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class Preview:
    """The state of the preview — which build the pages show and whether it failed."""

    def __init__(self, root: Path, out: Path, *, strict: bool = False, cache_dir: Path | None = None):
        self.root = root.resolve()
        self.out = out.resolve()
        self.strict = strict
        self.cache_dir = cache_dir
        self._token = secrets.token_hex(4)
        self._changed = threading.Condition()
        self._builds = 0
        self._checks = 0
        self._error: str | None = None
        self._inputs: tuple[str, str] | None = None
        self._builder = Builder()

    @property
    def folders(self) -> list[Path]:
        return [self.root / name for name in PROJECT_FOLDERS]

    def state(self) -> dict[str, Any]:
        with self._changed:
            return self._state()

    def _state(self) -> dict[str, Any]:
        return {
            "version": f"{self._token}.{self._builds}",
            "builds": self._builds,
            "checks": self._checks,
            "error": self._error,
        }

    def wait_for_change(self, since: str, timeout: float) -> dict[str, Any]:
        """The state once its version differs from `since`, or after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._state()["version"] != since, timeout=timeout)
            return self._state()

    def rebuild_if_changed(self) -> bool:
        """Build if any input's bytes changed since the last build; return whether it built."""
        inputs = (fingerprint(self.folders), fingerprint([PACKAGE_DIR], ".py"))
        with self._changed:
            self._checks += 1
            unchanged = inputs == self._inputs
            code_changed = self._inputs is not None and inputs[1] != self._inputs[1]
            self._inputs = inputs
            if unchanged:
                self._changed.notify_all()
        if unchanged:
            log.debug("no input changed; nothing to rebuild")
            return False
        if code_changed:
            log.info("the reportsite package changed: restarting the build process")
            self._builder.restart()
        self._build()
        return True

    def _build(self) -> None:
        log.info("building…")
        outcome = self._builder.build(self.root, self.out, self.strict, self.cache_dir)
        for warning in outcome.warnings:
            log.warning("warning: %s", warning)
        if outcome.ok:
            log.info("%s", outcome.message)
        else:
            log.error("%s\n(the preview keeps running: fix the file and save to rebuild)", outcome.message)
        with self._changed:
            self._builds += 1
            self._error = None if outcome.ok else outcome.message
            self._changed.notify_all()

    def watch(self, stop: threading.Event, ready: threading.Event | None = None) -> None:
        """Rebuild after each batch of file changes until `stop` is set.

        `ready` is set once the file watcher is in place; an edit made before that
        is caught by one more check right then.
        """
        import watchfiles

        logging.getLogger("watchfiles").setLevel(logging.WARNING)
        paths = [p for p in (*self.folders, PACKAGE_DIR) if p.is_dir()]
        while not stop.is_set():
            try:
                batches = watchfiles.watch(
                    *paths, stop_event=stop, debounce=1000, step=100, rust_timeout=300, yield_on_timeout=True
                )
                for changes in batches:
                    if ready is not None and not ready.is_set():
                        self.rebuild_if_changed()
                        ready.set()
                    elif changes:
                        self.rebuild_if_changed()
            except Exception:
                log.exception("watching for changes failed; retrying")
                stop.wait(1.0)

    def close(self) -> None:
        self._builder.restart()
