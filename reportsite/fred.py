"""The one module that talks to the network: a polite FRED client built on fredapi.

fredapi builds the request URLs and parses FRED's XML. Its own network call has no
timeout, no retries and no rate limit, and its errors carry the request URL with
the API key in it, so that one call (`Fred.__fetch_data`) is replaced here:

* a timeout on every request; retries with exponential backoff and jitter on
  HTTP 429, 5xx, timeouts and connection errors; at most 2 requests a second and
  120 a minute over the whole client;
* every failure becomes one `FredError` line, raised outside any `except` block
  so no exception that saw the key is chained to it;
* fredapi itself is handed a placeholder, never the key: the key is added to the
  URL at the moment of the request, and every message is scrubbed of it.

The clock, the sleeper, the jitter and the HTTP opener are injectable for tests.
"""

from __future__ import annotations

import http.client
import logging
import random
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fredapi import Fred

from . import __version__
from .limits import RateLimiter

log = logging.getLogger(__name__)

DEFAULT_URL = "https://api.stlouisfed.org/fred"
KEY_URL = "https://fredaccount.stlouisfed.org/apikeys"
KEY_PATTERN = re.compile(r"[a-z0-9]{32}")
_PLACEHOLDER = "key-added-per-request"
_KEY_IN_TEXT = re.compile(r"(api_key=)[^&\s'\"<>]*", re.IGNORECASE)

Opener = Callable[[str, float], bytes]


class FredError(Exception):
    """One clear line about a FRED request that failed. Never contains the API key."""

    def __init__(self, message: str, *, kind: str = "answer"):
        super().__init__(message)
        self.kind = kind  # "network", "http", "refused", "answer" or "key"


class KeyRejected(FredError):
    """FRED does not accept the API key: nothing can be refreshed with it."""


@dataclass(frozen=True)
class Policy:
    """How patient the client is. Times in seconds."""

    timeout: float = 20.0
    attempts: int = 4
    backoff: float = 1.0
    backoff_cap: float = 30.0
    retry_after_cap: float = 60.0
    per_second: int = 2
    per_minute: int = 120


@dataclass(frozen=True)
class SeriesMeta:
    """What FRED says about a series (fredapi's `get_series_info`)."""

    id: str
    title: str
    units: str
    frequency: str
    last_updated: str
    notes: str


def check_key(key: str | None) -> str:
    """The key, stripped, if it looks like a FRED key; otherwise a message saying how to get one."""
    if not key or not key.strip():
        raise KeyRejected(
            f"a refresh needs a free FRED API key: get one at {KEY_URL}, "
            "then set FRED_API_KEY or pass --api-key-file FILE",
            kind="key",
        )
    key = key.strip()
    if not KEY_PATTERN.fullmatch(key):
        raise KeyRejected(
            f"the FRED API key is not 32 lower-case letters and digits; copy it again from {KEY_URL}",
            kind="key",
        )
    return key


@dataclass(frozen=True)
class _Attempt:
    root: ET.Element | None = None
    problem: str = ""
    kind: str = "answer"
    retry: bool = False
    retry_after: float | None = None


class _Fredapi(Fred):
    """fredapi's client with its network call handed to `fetch`; it never holds the key."""

    def __init__(self, root_url: str, fetch: Callable[[str], ET.Element]):
        super().__init__(api_key=_PLACEHOLDER)
        self.root_url = root_url
        self._fetch = fetch
        self.last_root: ET.Element | None = None

    def _Fred__fetch_data(self, url: str) -> ET.Element:  # the name fredapi's `__fetch_data` mangles to
        self.last_root = None
        self.last_root = self._fetch(url)
        return self.last_root


class FredClient:
    """Series metadata and observations from FRED, politely. One instance per refresh."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_URL,
        policy: Policy | None = None,
        opener: Opener | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ):
        if not hasattr(Fred, "_Fred__fetch_data"):
            raise FredError("this fredapi version is not supported (its request method was renamed)")
        self._key = check_key(api_key)
        self.base_url = base_url.rstrip("/")
        if urllib.parse.urlsplit(self.base_url).scheme not in ("http", "https"):
            raise FredError(f"the FRED base URL must start with https:// or http://: {self.redact(base_url)}")
        self.policy = policy or Policy()
        self._open = opener or _urlopen
        self._sleep = sleep
        self._jitter = jitter
        limits = [(1.0, self.policy.per_second), (60.0, self.policy.per_minute)]
        self._limiter = RateLimiter(limits, clock, sleep)
        self._api = _Fredapi(self.base_url, self._fetch)
        self._series = self._what = ""
        self.requests = 0

    def __repr__(self) -> str:
        return f"FredClient({self.base_url!r}, requests={self.requests})"

    def redact(self, text: str) -> str:
        """`text` with the API key, and anything passed as api_key=, replaced by ***."""
        return _KEY_IN_TEXT.sub(r"\1***", text.replace(self._key, "***"))

    def series_info(self, series_id: str) -> SeriesMeta:
        """Title, units, frequency, last-updated stamp and notes of one series."""
        self._series, self._what = series_id, "series information"
        problem = None
        try:
            info = self._api.get_series_info(series_id)
        except (ValueError, TypeError, IndexError) as exc:
            problem = f"{self._what}: FRED's answer could not be read ({self.redact(str(exc))})"
        if problem:
            raise FredError(problem)
        fields = {name: str(info.get(name, "") or "") for name in ("title", "units", "frequency", "notes")}
        stamp = str(info.get("last_updated", "") or "")
        if not stamp:
            raise FredError(f"{self._what}: FRED's answer has no last_updated stamp")
        return SeriesMeta(id=series_id, last_updated=stamp, **fields)

    def observations(self, series_id: str, start: date) -> list[tuple[str | None, str | None]]:
        """(date, value) exactly as FRED wrote them, from `start` on; '.' marks a missing value.

        fredapi parses the answer (and fails on a value that is not a number); its pandas
        result drops repeated dates and FRED's own number text, so the rows are read
        from the same XML for the caller to validate and store verbatim.
        """
        self._series, self._what = series_id, f"observations from {start.isoformat()}"
        problem = None
        try:
            self._api.get_series(series_id, observation_start=start.isoformat())
        except (ValueError, TypeError) as exc:
            problem = self._unreadable(exc)
        if problem:
            raise FredError(problem)
        root = self._api.last_root
        if root is None or root.tag != "observations":
            raise FredError(f"{self._what}: FRED's answer is not a list of observations")
        rows = [(child.get("date"), child.get("value")) for child in root]
        expected = root.get("count")
        if expected and expected.isdigit() and int(expected) > len(rows):
            raise FredError(f"{self._what}: FRED's answer holds {len(rows)} of {expected} observations")
        return rows

    def _unreadable(self, exc: Exception) -> str:
        for number, child in enumerate(self._api.last_root if self._api.last_root is not None else [], 1):
            value = child.get("value")
            if value != ".":
                try:
                    float(str(value))
                except ValueError:
                    where = f"observation {number} ({child.get('date')})"
                    return f"{self._what}: {where} has value {value!r}, not a number"
        return f"{self._what}: FRED's answer could not be read ({self.redact(str(exc))})"

    def _fetch(self, url: str) -> ET.Element:
        """GET one keyless fredapi URL with the key added, within the limits, retrying what may pass."""
        outcome = _Attempt()
        attempt = 0
        for attempt in range(1, self.policy.attempts + 1):
            self._limiter.wait()
            self.requests += 1
            outcome = self._attempt(url)
            if outcome.root is not None:
                return outcome.root
            if not outcome.retry or attempt == self.policy.attempts:
                break
            delay = self._backoff(attempt, outcome.retry_after)
            log.warning("%s %s: %s; retrying in %.1f s", self._series, self._what, outcome.problem, delay)
            self._sleep(delay)
        tries = f" (gave up after {attempt} attempts)" if attempt > 1 else ""
        error = KeyRejected if outcome.kind == "key" else FredError
        raise error(f"{self._what}: {outcome.problem}{tries}", kind=outcome.kind) from None

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with jitter; a Retry-After from the server is honoured up to a cap."""
        step = min(self.policy.backoff_cap, self.policy.backoff * 2 ** (attempt - 1))
        delay = step * (0.5 + 0.5 * self._jitter())
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.policy.retry_after_cap))
        return delay

    def _attempt(self, url: str) -> _Attempt:
        """One request. Errors become an `_Attempt` here, so nothing that saw the key escapes."""
        timeout = self.policy.timeout
        try:
            body = self._open(f"{url}&api_key={self._key}", timeout)
        except urllib.error.HTTPError as exc:
            return self._http_failure(exc)
        except TimeoutError:
            return _Attempt(problem=f"no answer within {timeout:g} s", kind="network", retry=True)
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                return _Attempt(problem=f"no answer within {timeout:g} s", kind="network", retry=True)
            reason = self.redact(str(exc.reason))
            return _Attempt(problem=f"could not reach FRED ({reason})", kind="network", retry=True)
        except (http.client.HTTPException, OSError, ValueError) as exc:
            reason = self.redact(str(exc)) or type(exc).__name__
            return _Attempt(problem=f"the connection failed ({reason})", kind="network", retry=True)
        return self._read_answer(body)

    def _http_failure(self, exc: urllib.error.HTTPError) -> _Attempt:
        try:
            body = exc.read()
        except (OSError, http.client.HTTPException):
            body = b""
        finally:
            exc.close()
        status = f"FRED answered HTTP {exc.code} {self.redact(str(exc.reason))}".rstrip()
        said = self.redact(_error_message(body))
        problem = f"{status}: {said}" if said else status
        wait = _seconds(exc.headers.get("Retry-After") if exc.headers else None)
        if exc.code == 429 or exc.code >= 500:
            return _Attempt(problem=problem, kind="http", retry=True, retry_after=wait)
        kind = "key" if "api_key" in said else "refused"
        return _Attempt(problem=problem, kind=kind)

    def _read_answer(self, body: bytes) -> _Attempt:
        try:
            root = ET.fromstring(body)
        except ET.ParseError as exc:
            if _looks_like_html(body):
                return _Attempt(problem="FRED sent an HTML page instead of XML")
            return _Attempt(problem=f"FRED's answer is not valid XML ({self.redact(str(exc))})")
        if root.tag == "error":
            said = self.redact(root.get("message") or "no message")
            return _Attempt(problem=f"FRED refused the request: {said}", kind="refused")
        return _Attempt(root=root)


def _error_message(body: bytes) -> str:
    """FRED's own error text from an error body, or a word on what came instead."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return "an HTML page instead of FRED's XML" if _looks_like_html(body) else ""
    return " ".join((root.get("message") or "").split())


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _urlopen(url: str, timeout: float) -> bytes:
    """GET `url` with urllib (proxies from the environment, as fredapi would use them)."""
    request = urllib.request.Request(url, headers={"User-Agent": f"reportsite/{__version__} (fredapi)"})
    with urllib.request.build_opener().open(request, timeout=timeout) as response:
        body: bytes = response.read()
    return body
