"""Serve a built site on 127.0.0.1 the way GitHub Pages does: gzip, cache headers, ETags.

GitHub Pages answers with ``Cache-Control: max-age=600``, an ``ETag`` and
``Last-Modified`` per file, gzip for text when the browser accepts it, and the
site's ``404.html`` for a missing path. The benchmark serves both the report and
the naive baseline through this so their page weights and timings compare fairly.

    python benchmarks/pages_server.py SITE_DIR [--port N]
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import mimetypes
import threading
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".csv", ".xml", ".txt", ".webmanifest")
MAX_AGE = 600


@lru_cache(maxsize=1024)
def _load(path: Path, mtime_ns: int) -> tuple[bytes, bytes, str]:
    """A file's bytes, its gzip (level 6, as a typical web server) and an ETag."""
    body = path.read_bytes()
    packed = gzip.compress(body, compresslevel=6, mtime=0)
    return body, packed, '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


class PagesHandler(BaseHTTPRequestHandler):
    root: Path
    prefix = "/"
    protocol_version = "HTTP/1.1"
    sent: list[tuple[str, int, int]]  # (path, status, body bytes) of every answer, for page weights

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.prefix):
            return self._send_file(self.root / "404.html", 404, send_body)
        target = (self.root / path[len(self.prefix) :]).resolve()
        if self.root not in (target, *target.parents):
            return self._send_file(self.root / "404.html", 404, send_body)
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                self.sent.append((self.path, 301, 0))
                return None
            target = target / "index.html"
        if not target.is_file():
            return self._send_file(self.root / "404.html", 404, send_body)
        return self._send_file(target, 200, send_body)

    def _send_file(self, path: Path, status: int, send_body: bool) -> None:
        if not path.is_file():
            body, packed, etag = b"not found\n", gzip.compress(b"not found\n", mtime=0), '"404"'
            kind, modified = "text/plain; charset=utf-8", 0.0
        else:
            stat = path.stat()
            body, packed, etag = _load(path, stat.st_mtime_ns)
            kind = _content_type(path)
            modified = stat.st_mtime
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self._cache_headers(etag, modified)
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.sent.append((self.path, 304, 0))
            return
        use_gzip = path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")
        payload = packed if use_gzip else body
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self._cache_headers(etag, modified)
        self.end_headers()
        if send_body:
            self.wfile.write(payload)
        self.sent.append((self.path, status, len(payload) if send_body else 0))

    def _cache_headers(self, etag: str, modified: float) -> None:
        self.send_header("Cache-Control", f"max-age={MAX_AGE}")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(modified, usegmt=True))
        self.send_header("Access-Control-Allow-Origin", "*")

    def log_message(self, format: str, *args: object) -> None:
        return


def _content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".csv":
        kind = "text/csv"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser closing a connection early is normal; anything else still shows."""
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class PagesServer:
    """A running server for one folder, under `prefix` (a project site's sub-path)."""

    def __init__(self, root: Path, port: int = 0, prefix: str = "/"):
        self.sent: list[tuple[str, int, int]] = []
        handler = type(
            "Handler", (PagesHandler,), {"root": root.resolve(), "prefix": prefix, "sent": self.sent}
        )
        self.httpd = QuietServer(("127.0.0.1", port), handler)
        self.prefix = prefix
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{self.prefix}"

    def __enter__(self) -> PagesServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    with PagesServer(args.site, args.port) as server:
        print(f"serving {args.site} at {server.url} (Ctrl-C stops)", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
