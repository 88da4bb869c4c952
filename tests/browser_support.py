"""Serve a built site the way GitHub Pages does, and find the tools that check it.

- `PagesServer`: a small threaded HTTP server on 127.0.0.1 that serves the site
  under a sub-path (`/<repo>/`, taken from the project's base URL), gzips text when
  asked, redirects folders to their slash, and answers misses with `404.html`.
- `unavailable(reason)`: skip where a tool is missing locally; with CI=true fail,
  so a missing browser can never pass CI quietly.
- Paths of Debian's Chromium, the Nu HTML checker (npm `vnu-jar`) and axe-core.
"""

from __future__ import annotations

import gzip
import mimetypes
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NoReturn
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project whose site is checked: this repository, or another one named for a trial run.
PROJECT = Path(os.environ.get("WEB_CHECK_PROJECT") or ROOT).resolve()
NODE_MODULES = ROOT / "node_modules"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
INSTALL_HINT = "apt-get install chromium default-jre-headless; npm ci; pip install -e '.[test]'"
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".csv": "text/csv; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
}


def unavailable(reason: str) -> NoReturn:
    """Skip locally when a tool is missing; under CI=true a skip is a failure."""
    message = f"{reason} (install: {INSTALL_HINT})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and a web check cannot run: {message}", pytrace=False)
    pytest.skip(message)


def require_chromium() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("the Python package 'playwright' is not installed")
    if not CHROMIUM.exists():
        unavailable(f"Debian's Chromium is not installed at {CHROMIUM}")


def require_file(path: Path, what: str) -> Path:
    if not path.is_file():
        unavailable(f"{what} not found at {path.relative_to(ROOT)}")
    return path


def require_java() -> str:
    java = shutil.which("java")
    if not java:
        unavailable("java is not installed (the Nu HTML checker runs on it)")
    return java


@dataclass
class Served:
    """What the server was asked for, to check that pages ask for nothing they lack."""

    requests: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, status: int) -> None:
        with self.lock:
            self.requests.append((path, status))


class PagesServer:
    """`site` served at http://127.0.0.1:<port><prefix>, as GitHub Pages serves a project site."""

    def __init__(self, site: Path, prefix: str) -> None:
        self.site = site.resolve()
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"
        self.served = Served()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def url(self) -> str:
        return self.origin + self.prefix

    def __enter__(self) -> PagesServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def resolve(self, url_path: str) -> tuple[int, Path | None, str | None]:
        """(status, file to send, redirect target) for a request path."""
        path = unquote(urlsplit(url_path).path)
        if not path.startswith(self.prefix):
            return 404, None, None
        relative = path[len(self.prefix) :]
        target = (self.site / relative).resolve()
        if self.site != target and self.site not in target.parents:
            return 404, None, None
        if target.is_dir():
            if relative and not path.endswith("/"):
                return 301, None, path + "/"
            target = target / "index.html"
        if target.is_file():
            return 200, target, None
        missing = self.site / "404.html"
        return 404, missing if missing.is_file() else None, None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                status, file, location = server.resolve(self.path)
                server.served.add(self.path, status)
                if location:
                    self._send(status, b"", "text/plain", {"Location": location})
                    return
                body = file.read_bytes() if file else b"Not Found"
                ctype = content_type(file) if file else "text/plain; charset=utf-8"
                self._send(status, body, ctype, {"Cache-Control": "max-age=600"})

            def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str]) -> None:
                if (
                    body
                    and ctype.startswith(COMPRESSIBLE)
                    and "gzip" in self.headers.get("Accept-Encoding", "")
                ):
                    body = gzip.compress(body, mtime=0)
                    headers = {**headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
                self.send_response(status, HTTPStatus(status).phrase)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        return Handler


def content_type(path: Path) -> str:
    return TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


@contextmanager
def serve(site: Path, prefix: str) -> Iterator[PagesServer]:
    with PagesServer(site, prefix) as server:
        yield server


_BUILT: dict[str, Path] = {}


def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's site, built once per test session into a temporary folder."""
    if "site" not in _BUILT:
        from reportsite.pipeline import build_site

        out = tmp_path_factory.mktemp("web") / "site"
        build_site(PROJECT, out)
        _BUILT["site"] = out
    return _BUILT["site"]


def site_prefix() -> str:
    """The sub-path the site is published under ('/<repo>/'), from the project's base URL."""
    from reportsite.config import load_project
    from reportsite.sharing import base_path

    path = base_path(load_project(PROJECT))
    return path if path != "/" else "/site/"


def page_paths() -> list[str]:
    """Every page the build writes, in every language, found from content/ without building."""
    from reportsite.config import load_project
    from reportsite.content import split_front_matter
    from reportsite.sharing import lang_prefix

    project = load_project(PROJECT)
    paths = []
    for lang in project.languages:
        for source in sorted((project.content_dir / lang).glob("*.md")):
            if source.name.startswith("_"):
                continue
            meta, _, _ = split_front_matter(source.read_text(encoding="utf-8"), source)
            paths.append(lang_prefix(lang, project.default_language) + f"{meta['slug']}.html")
    return paths
