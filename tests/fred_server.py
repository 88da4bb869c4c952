"""A FRED-compatible API for the refresh tests, on 127.0.0.1.

Serves `fred/series` and `fred/series/observations` as FRED does for the requests
fredapi 0.5.2 makes (no `file_type`, so XML; `series_id`, `observation_start`,
`api_key` in the query), checks the key the way FRED does, and can be told to
answer a series' next requests with canned faults. It never logs a request line.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import quoteattr

KEY = "s3ntinel" * 4  # a well-formed key that must never show up anywhere
KEY_DOCS = "Read https://fred.stlouisfed.org/docs/api/api_key.html"
XML_TYPE = "text/xml; charset=UTF-8"


@dataclass
class Reply:
    """One canned answer. `body` may be a function of the request path (query and key included)."""

    status: int = 200
    body: bytes | Callable[[str], bytes] = b""
    content_type: str = XML_TYPE
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def error(cls, status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
        """FRED's XML error answer."""
        body = (
            f'<?xml version="1.0" encoding="utf-8" ?>\n<error code="{status}" message={quoteattr(message)}/>'
        )
        return cls(status, body.encode(), headers=headers or {})

    @classmethod
    def html(cls, status: int) -> Reply:
        """A gateway's HTML error page that echoes the request, query and key included."""
        page = "<!DOCTYPE html><html><body><h1>{status}</h1><p>Could not serve {path}</p></body></html>"
        return cls(status, lambda path: page.format(status=status, path=path).encode(), "text/html")


@dataclass
class FakeSeries:
    """A series as the fake FRED holds it: metadata and (date, value text) rows, '.' for missing."""

    id: str
    title: str
    units: str
    frequency: str
    rows: list[tuple[str, str]]
    last_updated: str = "2026-10-09 07:47:03-05"
    notes: str = "Public domain: FRED test data."


def fred_rows(csv_path: Path) -> list[tuple[str, str]]:
    """A stored FRED-format CSV as FRED's API would send it ('.' where the CSV is empty)."""
    lines = csv_path.read_text(encoding="utf-8").splitlines()[1:]
    return [(day, value or ".") for day, value in (line.split(",") for line in lines)]


class FakeFred:
    """The fake FRED server. Use as a context manager; `url` is the base URL for FRED_API_URL."""

    def __init__(self, key: str = KEY, today: str = "2026-10-09"):
        self.key = key
        self.today = today
        self.series: dict[str, FakeSeries] = {}
        self.queued: dict[tuple[str, str], list[Reply]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []  # (endpoint, query without the key)
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/fred"

    def __enter__(self) -> FakeFred:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def queue(self, series_id: str, endpoint: str, *replies: Reply) -> None:
        """Answer the next requests for `series_id` at `endpoint` ("series" or "observations") so."""
        self.queued.setdefault((series_id, endpoint), []).extend(replies)

    def count(self, endpoint: str, series_id: str | None = None) -> int:
        return sum(1 for e, q in self.requests if e == endpoint and series_id in (None, q.get("series_id")))

    def answer(self, path: str) -> Reply:
        parts = urlsplit(path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        endpoint = parts.path.removeprefix("/fred/").removeprefix("series/") or "?"
        with self._lock:
            self.requests.append((endpoint, {k: v for k, v in query.items() if k != "api_key"}))
            problem = self._check(parts.path, query)
            if problem:
                return problem
            queued = self.queued.get((query["series_id"], endpoint))
            if queued:
                return queued.pop(0)
        series = self.series.get(query["series_id"])
        if series is None:
            return Reply.error(400, "Bad Request.  The series does not exist.")
        if endpoint == "series":
            return Reply(body=self._series_xml(series))
        return self._observations(series, query)

    def _check(self, path: str, query: dict[str, str]) -> Reply | None:
        key = query.get("api_key")
        if key is None:
            return Reply.error(400, f"Bad Request.  Variable api_key is not set.  {KEY_DOCS}")
        if not re.fullmatch(r"[a-z0-9]{32}", key):
            return Reply.error(
                400,
                "Bad Request.  The value for variable api_key is not a 32 character alpha-numeric "
                f"lower-case string.  {KEY_DOCS}",
            )
        if key != self.key:
            return Reply.error(
                400, f"Bad Request.  The value for variable api_key is not registered.  {KEY_DOCS}"
            )
        if path not in ("/fred/series", "/fred/series/observations"):
            return Reply.error(404, "Not Found.")
        if not query.get("series_id"):
            return Reply.error(400, "Bad Request.  Variable series_id is not set.")
        if query.get("file_type", "xml") != "xml":
            return Reply.error(400, "Bad Request.  Variable file_type is not one of the allowed values.")
        return None

    def _series_xml(self, s: FakeSeries) -> bytes:
        dates = [day for day, _ in s.rows] or [self.today]
        attrs = {
            "id": s.id,
            "realtime_start": self.today,
            "realtime_end": self.today,
            "title": s.title,
            "observation_start": dates[0],
            "observation_end": dates[-1],
            "frequency": s.frequency,
            "frequency_short": s.frequency[0],
            "units": s.units,
            "units_short": s.units[:12],
            "seasonal_adjustment": "Not Seasonally Adjusted",
            "seasonal_adjustment_short": "NSA",
            "last_updated": s.last_updated,
            "popularity": "50",
            "notes": s.notes,
        }
        inner = " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items())
        return (
            f'<?xml version="1.0" encoding="utf-8" ?>\n<seriess realtime_start="{self.today}" '
            f'realtime_end="{self.today}">\n  <series {inner}/>\n</seriess>\n'
        ).encode()

    def _observations(self, s: FakeSeries, query: dict[str, str]) -> Reply:
        start, end = query.get("observation_start", "1776-07-04"), query.get("observation_end", "9999-12-31")
        for name, value in (("observation_start", start), ("observation_end", end)):
            try:
                date.fromisoformat(value)
            except ValueError:
                return Reply.error(400, f'Bad Request.  Variable {name} can not be "{value}".')
        rows = [(day, value) for day, value in s.rows if start <= day <= end]
        stamp = f'realtime_start="{self.today}" realtime_end="{self.today}"'
        body = "".join(
            f"  <observation {stamp} date={quoteattr(d)} value={quoteattr(v)}/>\n" for d, v in rows
        )
        head = (
            f'<observations {stamp} observation_start="{start}" observation_end="{end}" units="lin" '
            f'output_type="1" file_type="xml" order_by="observation_date" sort_order="asc" '
            f'count="{len(rows)}" offset="0" limit="100000">\n'
        )
        return Reply(body=f'<?xml version="1.0" encoding="utf-8" ?>\n{head}{body}</observations>\n'.encode())


def _handler(fred: FakeFred) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reply = fred.answer(self.path)
            if reply.delay and fred.stopping.wait(reply.delay):
                return
            body = reply.body(self.path) if callable(reply.body) else reply.body
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args: object) -> None:
            """Silent: the default would print the request line, key included, to stderr."""

    return Handler
