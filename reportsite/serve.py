"""`build.py --serve`: the site on 127.0.0.1 under the same sub-path as on GitHub Pages.

Every HTML response gets a small script that waits for the next build and then
reloads the page; while the last build failed, the page also shows the error.
Both are added to the response only: the files in the site folder stay exactly
as `build.py` writes them.
"""

from __future__ import annotations

import html
import json
import logging
import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from .preview import Preview

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
SPECIAL = "__preview__/"
LONG_POLL_SECONDS = 20.0
WATCH_START_SECONDS = 30.0
TYPES = {".js": "text/javascript", ".svg": "image/svg+xml", ".csv": "text/csv", ".json": "application/json"}
RELOAD_JS = b"""(function () {
  "use strict";
  var me = document.currentScript;
  var version = me.getAttribute("data-version");
  var url = me.getAttribute("data-state") + "?since=" + encodeURIComponent(version);
  var box = document.getElementById("reportsite-preview-error");
  if (box) {
    Object.assign(box.style, {position: "fixed", left: "1rem", right: "1rem", bottom: "1rem",
      maxHeight: "60vh", overflow: "auto", zIndex: "2147483647", padding: "1rem",
      background: "#fff5f5", color: "#7f1d1d", border: "3px solid #b91c1c", font: "14px/1.4 monospace"});
  }
  function poll() {
    fetch(url, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) { if (s.version !== version) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""


def base_path(root: Path) -> str:
    """The sub-path GitHub Pages serves a project site under: `/<repository>/`."""
    name = root.resolve().name
    return "/" if name.endswith(".github.io") else f"/{quote(name)}/"


def overlay(state: dict[str, Any], base: str) -> str:
    """The markup added before `</body>`: the error box, if any, and the reload script."""
    parts = []
    if state["error"]:
        parts.append(
            '<div id="reportsite-preview-error" role="alert"><strong>Build failed</strong> — '
            "this page is from the last good build.<pre>" + html.escape(state["error"]) + "</pre></div>"
        )
    parts.append(
        f'<script src="{base}{SPECIAL}reload.js" data-state="{base}{SPECIAL}state" '
        f'data-version="{html.escape(state["version"])}"></script>'
    )
    return "\n".join(parts) + "\n"


def inject(page: str, state: dict[str, Any], base: str) -> str:
    at = page.rfind("</body>")
    at = len(page) if at < 0 else at
    return page[:at] + overlay(state, base) + page[at:]


def error_page(state: dict[str, Any], base: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head>'
        "<body><h1>The site has not been built yet</h1>\n" + overlay(state, base) + "</body></html>\n"
    )


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves the site folder under the base path, plus the preview's state and script."""

    preview: Preview
    base: str

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if not url.path.startswith(self.base):
            if url.path in ("/", self.base.rstrip("/")):
                self._redirect(self.base)
            else:
                self._send(
                    HTTPStatus.NOT_FOUND, b"not found (the site is served under " + self.base.encode() + b")"
                )
            return
        rest = unquote(url.path[len(self.base) :])
        if rest == SPECIAL + "state":
            self._send_state(parse_qs(url.query).get("since", [""])[0])
        elif rest == SPECIAL + "reload.js":
            self._send(HTTPStatus.OK, RELOAD_JS, "text/javascript")
        else:
            self._send_file(rest)

    def _send_state(self, since: str) -> None:
        state = self.preview.wait_for_change(since, LONG_POLL_SECONDS) if since else self.preview.state()
        self._send(HTTPStatus.OK, json.dumps(state).encode(), "application/json")

    def _send_file(self, rest: str) -> None:
        site = self.preview.out
        target = (site / rest).resolve()
        if target.is_dir():
            if rest and not rest.endswith("/"):
                self._redirect(self.base + quote(rest) + "/")
                return
            target = target / "index.html"
        state = self.preview.state()
        if not target.is_relative_to(site) or not target.is_file():
            if state["error"] and target.suffix in ("", ".html"):
                self._send(HTTPStatus.SERVICE_UNAVAILABLE, error_page(state, self.base).encode(), "text/html")
            else:
                self._send(HTTPStatus.NOT_FOUND, b"not found")
            return
        try:
            body = target.read_bytes()
        except OSError:  # swapped out by a build that finished just now
            self._send(HTTPStatus.NOT_FOUND, b"not found (rebuilding)")
            return
        if target.suffix == ".html":
            page = inject(body.decode("utf-8", "replace"), state, self.base)
            self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html")
        else:
            kind = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
            self._send(HTTPStatus.OK, body, kind or "application/octet-stream")

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, body: bytes, kind: str = "text/plain") -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith("json") else ""
        self.send_header("Content-Type", kind + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - " + format, self.address_string(), *args)


class PreviewServer:
    """Build, then serve and rebuild on change until closed."""

    def __init__(self, root: Path, out: Path, *, port: int = 8000, strict: bool = False):
        self.preview = Preview(root, out, strict=strict)
        self.base = base_path(root)
        handler = type("Handler", (PreviewHandler,), {"preview": self.preview, "base": self.base})
        self.httpd = ThreadingHTTPServer((HOST, port), handler)
        self.httpd.daemon_threads = True
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._watcher = threading.Thread(
            target=self.preview.watch, args=(self._stop, self._watching), daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.httpd.server_address[1]}{self.base}"

    def start(self) -> None:
        """The first build, then watching; serving starts with `serve_forever`."""
        from .cache import RenderCache

        RenderCache(self.preview.cache_dir).prune()
        self.preview.rebuild_if_changed()
        self._watcher.start()
        if not self._watching.wait(timeout=WATCH_START_SECONDS):
            log.warning("the file watcher is slow to start; edits may need a second save")

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def close(self) -> None:
        """Stop watching and free the port (call after `serve_forever` has returned)."""
        self._stop.set()
        self.httpd.server_close()
        if self._watcher.is_alive():
            self._watcher.join(timeout=5)
        self.preview.close()
