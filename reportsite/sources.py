"""Primary documents the ledger, the events and the policy tables cite, keyed by a short name.

`data/sources.toml` holds one `[source.<key>]` table per document: its URL and a
title in every language. Only documents published by the bodies that decide or
measure the facts are accepted (the Fed Board, the New York Fed, the statistical
agencies, the forecaster quoted): the host of every URL is checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .config import read_toml
from .errors import BuildError

SOURCES_NAME = "sources.toml"
LANGUAGES = ("en", "zh-Hant")
PRIMARY_HOSTS = (
    "federalreserve.gov",
    "newyorkfed.org",
    "bls.gov",
    "fred.stlouisfed.org",
    "fanniemae.com",
    "freddiemac.com",
    "sifma.org",
)
FED_HOSTS = ("federalreserve.gov", "newyorkfed.org")
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class LedgerError(BuildError):
    """A claim, event, policy entry or source is malformed or cannot be evaluated."""


@dataclass(frozen=True)
class Source:
    key: str
    url: str
    title: dict[str, str]

    @property
    def host(self) -> str:
        return (urlparse(self.url).hostname or "").lower()

    def on(self, hosts: tuple[str, ...]) -> bool:
        """Whether the document is published on one of `hosts` (or a subdomain of one)."""
        return any(self.host == h or self.host.endswith("." + h) for h in hosts)


def line_of(path: Path, needle: str, start: int = 0) -> int | None:
    """The 1-based number of the first line after line `start` that contains `needle`."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for number, line in enumerate(lines[start:], start=start + 1):
        if needle in line:
            return number
    return None


def header_lines(path: Path, header: str) -> list[int]:
    """The line numbers of every `[[header]]` (array-of-tables) line in a TOML file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [n for n, line in enumerate(lines, start=1) if line.strip() == f"[[{header}]]"]


def bilingual(entry: dict[str, Any], key: str, fail: Any, *, required: bool = True) -> dict[str, str]:
    """A `{ en = ..., zh-Hant = ... }` text field, checked to have every language."""
    text = entry.get(key)
    if text is None and not required:
        return {}
    if not isinstance(text, dict) or any(not isinstance(text.get(lang), str) for lang in LANGUAGES):
        raise fail(f"'{key}' needs text for every language ({', '.join(LANGUAGES)})")
    if any(not text[lang].strip() for lang in LANGUAGES):
        raise fail(f"'{key}' has an empty text")
    return {lang: text[lang] for lang in LANGUAGES}


def load_sources(data_dir: Path) -> dict[str, Source]:
    """Read `data/sources.toml`; a missing file means no sources."""
    path = data_dir / SOURCES_NAME
    if not path.exists():
        return {}
    table = read_toml(path, LedgerError).get("source", {})
    if not isinstance(table, dict):
        raise LedgerError("expected [source.<key>] tables", path=path, line=1)
    sources: dict[str, Source] = {}
    for key, entry in table.items():
        line = line_of(path, f"[source.{key}]")

        def fail(message: str, key: str = key, line: int | None = line) -> LedgerError:
            return LedgerError(f"source {key}: {message}", path=path, line=line)

        if not KEY.match(key):
            raise fail("keys are lowercase letters, digits and dashes")
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise fail("'url' must be a string")
        unknown = sorted(set(entry) - {"url", "title"})
        if unknown:
            raise fail(f"unknown field '{unknown[0]}'")
        source = Source(key, entry["url"], bilingual(entry, "title", fail))
        if urlparse(source.url).scheme != "https":
            raise fail("the URL must be https")
        if not source.on(PRIMARY_HOSTS):
            raise fail(f"'{source.host}' is not a primary publisher ({', '.join(PRIMARY_HOSTS)})")
        sources[key] = source
    return sources


def resolve(keys: Any, sources: dict[str, Source], fail: Any) -> tuple[Source, ...]:
    """Look up a list of source keys; an unknown key is an error."""
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise fail("'sources' must be a list of source keys from data/sources.toml")
    missing = [k for k in keys if k not in sources]
    if missing:
        raise fail(f"unknown source '{missing[0]}' (not in data/{SOURCES_NAME})")
    return tuple(sources[k] for k in keys)
