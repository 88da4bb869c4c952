"""`build.py --serve`: served under the Pages sub-path, rebuilt on change, errors shown, recovery.

Each server test runs the real command in a subprocess on a copy of a small
project in tmp_path, on a port the OS picks, and talks to it over HTTP only.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from reportsite.preview import fingerprint
from reportsite.serve import base_path, inject

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
START_SECONDS = 90.0
CHANGE_SECONDS = 30.0
T = TypeVar("T")

PAGE = """---
title: "Preview probe"
slug: index
order: 0
kind: page
summary: "A page for the preview tests."
---

Reserve balances: {{{{ latest("WRESBAL") }}}} in the week to {{{{ latest("WRESBAL").on }}}}.

Marker: {marker}.
"""
SITE = """languages = ["en"]
title = { en = "Preview test site" }
description = { en = "A tiny project for the preview tests." }
"""


def make_project(parent: Path) -> Path:
    """A small project: the repository's templates and data, one page of our own."""
    root = parent / "probe-report"
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "data", root / "data")
    (root / "content" / "en").mkdir(parents=True)
    (root / "content" / "_site.toml").write_text(SITE, encoding="utf-8")
    write_page(root, "first version")
    return root


def write_page(root: Path, marker: str, text: str | None = None) -> None:
    page = text if text is not None else PAGE.format(marker=marker)
    (root / "content" / "en" / "index.md").write_text(page, encoding="utf-8")


def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace"), dict(exc.headers)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def wait_for(probe: Callable[[], T | None], what: str, timeout: float = CHANGE_SECONDS) -> T:
    """Poll `probe` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    log: Path

    def state(self) -> dict[str, Any]:
        status, body, _ = fetch(self.url + "__preview__/state")
        assert status == 200, body
        state: dict[str, Any] = json.loads(body)
        return state

    def page(self) -> str:
        status, body, _ = fetch(self.url)
        assert status == 200, body
        return body

    def after_build(self, builds: int) -> dict[str, Any]:
        """The state once more than `builds` builds have finished."""
        return wait_for(lambda: (s := self.state())["builds"] > builds and s, "a rebuild")


def start_server(root: Path, tmp_path: Path) -> Iterator[Server]:
    env = {**os.environ, "REPORTSITE_CACHE_DIR": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    log = tmp_path / "serve.log"
    command = [sys.executable, str(REPO / "build.py"), "--root", str(root), "--serve", "--port", "0"]
    with log.open("w") as err:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or []], daemon=True).start()
    try:
        first = lines.get(timeout=START_SECONDS)
        assert first.startswith("serving http://127.0.0.1:"), first + log.read_text()
        yield Server(process, first.split()[1], log)
        assert process.poll() is None, "the server died:\n" + log.read_text()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.fixture
def server(project: Path, tmp_path: Path) -> Iterator[Server]:
    yield from start_server(project, tmp_path)


def test_serves_the_site_under_the_pages_sub_path(server: Server, project: Path) -> None:
    assert server.url.endswith("/probe-report/")
    page = server.page()
    assert "Marker: first version." in page
    assert "__preview__/reload.js" in page
    origin = server.url[: -len("/probe-report/")]
    status, _, headers = fetch(origin + "/")
    assert (status, headers["Location"]) == (302, "/probe-report/")
    assert fetch(origin + "/index.html")[0] == 404, "the site must not also answer outside its sub-path"
    status, css, headers = fetch(server.url + "assets/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and "__preview__" not in css
    written = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "Marker: first version." in written and "__preview__" not in written


def test_a_save_without_changes_rebuilds_nothing(server: Server, project: Path) -> None:
    before = server.state()
    write_page(project, "first version")  # same bytes: the watcher fires, the inputs did not change
    (project / "content" / "en" / ".#index.md").write_text("an editor's lock file")
    after = wait_for(lambda: (s := server.state())["checks"] > before["checks"] and s, "the change check")
    assert after["builds"] == before["builds"] and after["version"] == before["version"]


def test_edit_rebuilds_broken_edit_shows_error_and_fixing_recovers(server: Server, project: Path) -> None:
    builds = server.state()["builds"]
    write_page(project, "second version")
    state = server.after_build(builds)
    assert state["error"] is None
    assert "Marker: second version." in server.page()

    broken = PAGE.format(marker="broken").replace("order: 0", "order: [0")
    write_page(project, "", broken)
    state = server.after_build(state["builds"])
    assert state["error"] and "content/en/index.md" in state["error"]
    page = server.page()  # the server is still up, with the last good page and the error on it
    assert "Marker: second version." in page
    assert 'id="reportsite-preview-error"' in page and "content/en/index.md" in page
    assert "front matter is not valid YAML" in page
    assert "front matter is not valid YAML" in server.log.read_text(), "the terminal must show it too"

    write_page(project, "third version")
    state = server.after_build(state["builds"])
    assert state["error"] is None
    page = server.page()
    assert "Marker: third version." in page and "reportsite-preview-error" not in page


def test_a_first_build_that_fails_serves_the_error(project: Path, tmp_path: Path) -> None:
    write_page(project, "", "no front matter here\n")
    for server in start_server(project, tmp_path):
        status, body, _ = fetch(server.url)
        assert status == 503 and "must start with a &#x27;---&#x27; front-matter block" in body
        write_page(project, "repaired")
        server.after_build(server.state()["builds"])
        assert "Marker: repaired." in server.page()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian Chromium at /usr/bin/chromium")
def test_the_open_page_reloads_itself(server: Server, project: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    args += ["--disable-component-update", "--no-first-run"]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            page = browser.new_page()
            page.goto(server.url)
            assert "Marker: first version." in page.inner_text("main")
            write_page(project, "edited in the browser test")
            page.wait_for_function(
                "document.body.innerText.includes('edited in the browser test')",
                timeout=CHANGE_SECONDS * 1000,
            )
            write_page(project, "", "---\ntitle: [broken\n---\n")
            page.wait_for_selector("#reportsite-preview-error", timeout=CHANGE_SECONDS * 1000)
            box = page.locator("#reportsite-preview-error")
            assert "content/en/index.md" in box.inner_text()
            assert box.evaluate("e => getComputedStyle(e).position") == "fixed"
        finally:
            browser.close()


def test_base_path_follows_the_repository_name(tmp_path: Path) -> None:
    assert base_path(tmp_path / "fed-report") == "/fed-report/"
    assert base_path(tmp_path / "someone.github.io") == "/"


def test_injection_goes_before_body_end_and_escapes_the_error() -> None:
    state = {"version": "v1", "builds": 1, "checks": 1, "error": "bad <b>tag</b> & more"}
    page = inject("<html><body><p>x</p></body></html>", state, "/r/")
    assert page.endswith("</body></html>")
    assert "bad &lt;b&gt;tag&lt;/b&gt; &amp; more" in page and "<b>tag" not in page
    assert page.index("<p>x</p>") < page.index("reportsite-preview-error") < page.index("</body>")


def test_fingerprint_ignores_editor_files_and_sees_edits(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text("one")
    first = fingerprint([folder])
    for name in (".#a.md", "a.md~", "a.md.swp", ".hidden"):
        (folder / name).write_text("noise")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert fingerprint([folder]) == first
    (folder / "a.md").write_text("two")
    assert fingerprint([folder]) != first
