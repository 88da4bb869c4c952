"""Dated policy events and the policy tables the article promises but never gives.

`data/events.toml`: one `[[event]]` per dated event (an FOMC decision, a change in
the runoff caps, the end of QT, the start of reserve management purchases, a
facility change), each with a short label per language and at least one source
on federalreserve.gov or newyorkfed.org. Charts draw them with
`charts.common.event_layer`.

`data/policy.toml`: `[[runoff_cap]]` periods (monthly redemption caps through QT,
in US dollars) and `[[october_change]]` items (the four changes decided on
29 October 2025). Pages show them with `{{ runoff_caps() }}` and
`{{ october_changes() }}`, rendered through `templates/_runoff_caps.html` and
`templates/_october_changes.html`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .checktext import significant
from .config import read_toml
from .errors import BuildError
from .sources import FED_HOSTS, KEY, LedgerError, Source, bilingual, header_lines, load_sources, resolve
from .values import Values, format_change, format_date, format_usd

EVENTS_NAME = "events.toml"
POLICY_NAME = "policy.toml"
EVENT_KINDS = ("rate", "balance-sheet", "facility", "communication")
EVENT_FIELDS = {"id", "date", "kind", "label", "sources"}
CAP_FIELDS = {"start", "end", "treasury", "agency", "announced", "sources", "note"}
CHANGE_FIELDS = {"title", "detail", "effective", "sources"}
HOLDINGS = ("TREAST", "WSHOMCB")  # Treasury and MBS holdings, to set the caps against


@dataclass(frozen=True)
class Event:
    id: str
    date: date
    kind: str
    label: dict[str, str]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class RunoffCap:
    start: date
    end: date | None
    treasury: float
    agency: float
    announced: date
    sources: tuple[Source, ...]
    note: dict[str, str]

    @property
    def total(self) -> float:
        return self.treasury + self.agency


@dataclass(frozen=True)
class PolicyChange:
    title: dict[str, str]
    detail: dict[str, str]
    effective: date | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Policy:
    caps: tuple[RunoffCap, ...]
    october: tuple[PolicyChange, ...]


def _failer(path: Path, what: str, line: int | None) -> Callable[[str], LedgerError]:
    def fail(message: str) -> LedgerError:
        return LedgerError(f"{what}: {message}", path=path, line=line)

    return fail


def _entries(path: Path, name: str) -> list[tuple[dict[str, Any], int | None]]:
    table = read_toml(path, LedgerError).get(name, [])
    if not isinstance(table, list):
        raise LedgerError(f"'{name}' must be written as [[{name}]] tables", path=path, line=1)
    lines = header_lines(path, name)
    return [(entry, lines[i] if i < len(lines) else None) for i, entry in enumerate(table)]


def _date(value: Any, key: str, fail: Callable[[str], LedgerError]) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise fail(f"'{key}' = {value!r} is not a date (YYYY-MM-DD)") from None


def _fields(entry: Any, allowed: set[str], fail: Callable[[str], LedgerError]) -> None:
    if not isinstance(entry, dict):
        raise fail("must be a table")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise fail(f"unknown field '{unknown[0]}'")


def load_events(data_dir: Path) -> tuple[Event, ...]:
    """Read and check `data/events.toml`, oldest first; no file means no events."""
    path = data_dir / EVENTS_NAME
    if not path.exists():
        return ()
    sources = load_sources(data_dir)
    events: list[Event] = []
    seen: set[str] = set()
    for entry, line in _entries(path, "event"):
        fail = _failer(path, f"event {entry.get('id', '?') if isinstance(entry, dict) else '?'}", line)
        _fields(entry, EVENT_FIELDS, fail)
        if not isinstance(entry.get("id"), str) or not KEY.match(entry["id"]) or entry["id"] in seen:
            raise fail("needs a unique 'id' of lowercase letters, digits and dashes")
        seen.add(entry["id"])
        if entry.get("kind") not in EVENT_KINDS:
            raise fail(f"'kind' must be one of {', '.join(EVENT_KINDS)}")
        cited = resolve(entry.get("sources"), sources, fail)
        if not any(s.on(FED_HOSTS) for s in cited):
            raise fail("an event needs a primary source on federalreserve.gov or newyorkfed.org")
        when = _date(entry.get("date"), "date", fail)
        events.append(Event(entry["id"], when, entry["kind"], bilingual(entry, "label", fail), cited))
    return tuple(sorted(events, key=lambda e: (e.date, e.id)))


def load_policy(data_dir: Path) -> Policy:
    """Read and check `data/policy.toml`; no file means empty tables."""
    path = data_dir / POLICY_NAME
    if not path.exists():
        return Policy((), ())
    sources = load_sources(data_dir)
    caps = [_cap(entry, line, path, sources) for entry, line in _entries(path, "runoff_cap")]
    _check_contiguous(caps, path)
    october = [_change(entry, line, path, sources) for entry, line in _entries(path, "october_change")]
    return Policy(tuple(caps), tuple(october))


def _cap(entry: Any, line: int | None, path: Path, sources: dict[str, Source]) -> RunoffCap:
    fail = _failer(path, "runoff_cap", line)
    _fields(entry, CAP_FIELDS, fail)
    amounts = {}
    for key in ("treasury", "agency"):
        value = entry.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise fail(f"'{key}' must be a monthly cap in US dollars (0 or more)")
        amounts[key] = float(value)
    end = _date(entry["end"], "end", fail) if "end" in entry else None
    start = _date(entry.get("start"), "start", fail)
    if end is not None and end < start:
        raise fail("'end' comes before 'start'")
    return RunoffCap(
        start=start,
        end=end,
        treasury=amounts["treasury"],
        agency=amounts["agency"],
        announced=_date(entry.get("announced"), "announced", fail),
        sources=_fed_sources(entry, sources, fail),
        note=bilingual(entry, "note", fail, required=False),
    )


def _check_contiguous(caps: list[RunoffCap], path: Path) -> None:
    """Periods follow each other day by day, and only the last one is open-ended."""
    lines = header_lines(path, "runoff_cap")
    for i, (a, b) in enumerate(pairwise(caps)):
        if a.end is None or b.start != a.end + timedelta(days=1):
            line = lines[i + 1] if i + 1 < len(lines) else None
            raise LedgerError("runoff_cap: periods must follow each other without gap or overlap",
                              path=path, line=line)  # fmt: skip


def _change(entry: Any, line: int | None, path: Path, sources: dict[str, Source]) -> PolicyChange:
    fail = _failer(path, "october_change", line)
    _fields(entry, CHANGE_FIELDS, fail)
    effective = _date(entry["effective"], "effective", fail) if "effective" in entry else None
    return PolicyChange(
        title=bilingual(entry, "title", fail),
        detail=bilingual(entry, "detail", fail),
        effective=effective,
        sources=_fed_sources(entry, sources, fail),
    )


def _fed_sources(entry: dict[str, Any], sources: dict[str, Source], fail: Any) -> tuple[Source, ...]:
    cited = resolve(entry.get("sources"), sources, fail)
    if not any(s.on(FED_HOSTS) for s in cited):
        raise fail("needs a primary source on federalreserve.gov or newyorkfed.org")
    return cited


def policy_functions(
    policy: Policy, templates_dir: Path, values: Values, words: dict[str, str]
) -> dict[str, Callable[[], str]]:
    """`runoff_caps()` and `october_changes()` for page prose, as HTML blocks in the page's language."""
    lang = values.lang
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def block(template: str, **context: Any) -> str:
        try:
            html = env.get_template(template).render(t=words, lang=lang, **context)
        except jinja2.TemplateError as exc:
            raise LedgerError(f"template {template}: {exc}", path=Path("templates") / template) from None
        lines = [line for line in html.splitlines() if line.strip()]
        return "\n\n" + "\n".join(lines) + "\n\n"

    def money(amount: float) -> Markup:
        return values.fixed(format_usd(amount, lang, significant(amount)))

    def runoff_caps() -> str:
        if not policy.caps:
            raise LedgerError(f"runoff_caps(): data/{POLICY_NAME} has no [[runoff_cap]] periods")
        rows = [_cap_row(cap, lang, money, values) for cap in policy.caps]
        return block("_runoff_caps.html", rows=rows, actual=HOLDINGS[0] in values.snapshot.series)

    def october_changes() -> str:
        if not policy.october:
            raise LedgerError(f"october_changes(): data/{POLICY_NAME} has no [[october_change]] items")
        items = [_change_item(change, lang, values) for change in policy.october]
        return block("_october_changes.html", items=items)

    return {"runoff_caps": runoff_caps, "october_changes": october_changes}


def monthly_change(values: Values, series_id: str, start: date, end: date) -> float:
    """Average change per calendar month of a holdings series over a closed cap period, stored units.

    From the first weekly level on or after the period's first day to the first one on or
    after the day that follows it; redemptions fall on the 15th and at month-end, so this
    spans exactly the period's redemption dates. Divided by the calendar months in the period.
    """
    series = values.snapshot.get(series_id)

    def level(day: date) -> float:
        found = next((o.value for o in series.present() if o.date >= day and o.value is not None), None)
        if found is None:
            raise LedgerError(f"runoff_caps(): {series_id} has no observation on or after {day}")
        return found

    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return (level(end + timedelta(days=1)) - level(start)) / months


def _cap_row(cap: RunoffCap, lang: str, money: Callable[[float], Markup], values: Values) -> dict[str, Any]:
    actual = {}
    if cap.end is not None and all(s in values.snapshot.series for s in HOLDINGS):
        actual = {
            s: format_change(monthly_change(values, s, cap.start, cap.end), values.series(s), lang, 3)
            for s in HOLDINGS
        }
    return {
        "actual": actual,
        "start": format_date(cap.start, lang),
        "end": format_date(cap.end, lang) if cap.end else None,
        "treasury": money(cap.treasury),
        "agency": money(cap.agency),
        "total": money(cap.total),
        "announced": format_date(cap.announced, lang),
        "note": cap.note.get(lang, ""),
        "sources": [(s.title[lang], s.url) for s in cap.sources],
    }


def _change_item(change: PolicyChange, lang: str, values: Values) -> dict[str, Any]:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.globals.update(values.functions())
    try:
        detail = env.from_string(change.detail[lang]).render()
    except (BuildError, jinja2.TemplateError) as exc:
        where = f"october_change '{change.title['en']}' ({lang})"
        raise LedgerError(f"{where}: {exc}", path=Path("data") / POLICY_NAME) from None
    return {
        "title": change.title[lang],
        "detail": Markup(detail),
        "effective": format_date(change.effective, lang) if change.effective else None,
        "sources": [(s.title[lang], s.url) for s in change.sources],
    }
