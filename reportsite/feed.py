"""The Atom feed of data updates, one per language.

Each series' manifest records when it was retrieved and how far it is observed.
Series retrieved on the same day form one entry: the seed snapshot, or a
refresh from FRED, listing what each series now covers. Nothing is made up: with
only the seed on file there is exactly one entry, for the seed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from xml.sax.saxutils import escape, quoteattr

from .data import Series
from .render import SiteInfo, page_path
from .sharing import absolute, base_url, feed_path
from .values import format_date

SEED_ORIGIN = "seed-snapshot"


@dataclass(frozen=True)
class Retrieval:
    """Series retrieved on one day, and the latest moment among them."""

    day: str
    updated: datetime
    series: list[Series]

    @property
    def seed(self) -> bool:
        return all(s.manifest.get("origin") == SEED_ORIGIN for s in self.series)


def retrievals(site: SiteInfo) -> list[Retrieval]:
    """Group the series by the day their manifest says they were retrieved, newest first."""
    by_day: dict[str, list[Series]] = {}
    for sid in sorted(site.snapshot.series):
        series = site.snapshot.series[sid]
        stamp = series.manifest.get("retrieved_at")
        if stamp and series.manifest.get("last_observation"):
            by_day.setdefault(str(stamp)[:10], []).append(series)
    groups = [Retrieval(day, max(_when(s) for s in group), group) for day, group in by_day.items()]
    return sorted(groups, key=lambda g: g.day, reverse=True)


def _when(series: Series) -> datetime:
    stamp = datetime.fromisoformat(str(series.manifest["retrieved_at"]).replace("Z", "+00:00"))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def feed_xml(site: SiteInfo, lang: str) -> bytes:
    project = site.project
    words = project.strings.get(lang, {})
    base = base_url(project)
    default = project.default_language
    own = feed_path(lang, default)
    depth = "../" * own.count("/")
    landing = _landing(site, lang)
    link = (lambda path: absolute(base, path)) if base else (lambda path: depth + path)
    groups = retrievals(site)
    title = f"{project.text('title', lang)}: {words.get('feed_title', '')}"
    updated = _stamp(groups[0].updated if groups else site.built_at)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"<title>{escape(title)}</title>",
        f"<subtitle>{escape(project.text('description', lang))}</subtitle>",
        f"<id>{_id(base, own)}</id>",
        f"<updated>{updated}</updated>",
        f"<author><name>{escape(project.text('title', lang))}</name></author>",
        f'<link rel="alternate" type="text/html" href={quoteattr(link(landing))}/>',
    ]
    if base:
        out.append(f'<link rel="self" type="application/atom+xml" href={quoteattr(link(own))}/>')
    out.extend(_entry(site, group, lang, link(landing), _id(base, f"{own}#{group.day}")) for group in groups)
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _landing(site: SiteInfo, lang: str) -> str:
    """The page an entry links to: the data page of the language, else its home."""
    pages = [p for p in site.pages if p.lang == lang]
    target = next((p for p in pages if p.kind == "data"), None) or next(
        (p for p in pages if p.kind == "home"), None
    )
    return page_path(target, site.project.default_language) if target else "index.html"


def _entry(site: SiteInfo, group: Retrieval, lang: str, href: str, entry_id: str) -> str:
    words = site.project.strings.get(lang, {})
    key = "feed_entry_seed" if group.seed else "feed_entry_refresh"
    title = words.get(key, "{n}").format(n=len(group.series))
    day = format_date(date.fromisoformat(group.day), lang)
    items = "".join(f"<li>{escape(_line(s, lang, words))}</li>" for s in group.series)
    content = f"<p>{escape(day)}</p><ul>{items}</ul>"
    return (
        f"<entry><title>{escape(title)} ({escape(day)})</title><id>{entry_id}</id>"
        f"<updated>{_stamp(group.updated)}</updated>"
        f'<link rel="alternate" type="text/html" href={quoteattr(href)}/>'
        f'<content type="html">{escape(content)}</content></entry>'
    )


def _line(series: Series, lang: str, words: dict[str, str]) -> str:
    last = format_date(date.fromisoformat(str(series.manifest["last_observation"])[:10]), lang)
    template = words.get("feed_series_line", "{id}: {last}")
    return template.format(id=series.id, title=series.info.short[lang], last=last, rows=len(series.present()))


def _id(base: str, key: str) -> str:
    """A stable identifier: a URN derived from the site address and the feed or entry."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, (base or 'reportsite:') + key)}"


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
