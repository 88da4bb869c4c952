"""Words for a check and its outcome in one language: what was measured, the figure, the tolerance.

Figures are formatted by values.py, so a check reads "$2.96 trillion" on an English
page and "2.96 兆美元" on a Traditional Chinese one. The sentence frames come from
the interface strings (`templates/strings/claims.toml`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .checks import Outcome, verdict_of
from .data import SeriesInfo
from .values import Change, Figure, format_change, format_date, format_units

PLUS_MINUS = "±"
Say = Callable[..., str]  # a sentence frame of the interface strings, filled in
Day = Callable[[date | None], str]  # a date in the page's language
Texts = tuple[str, str, str]  # label, the data's figure, the article's figure


@dataclass(frozen=True)
class CheckText:
    """One check as the ledger shows it."""

    label: str
    figure: str
    claimed: str
    tolerance: str
    holds: bool
    verdict: str


def significant(value: float) -> int:
    """How many significant digits a typed number carries (3e12 -> 1, 2.93e12 -> 3)."""
    mantissa = f"{abs(value):.6e}".split("e")[0].replace(".", "").rstrip("0")
    return max(len(mantissa), 1)


def level_text(plain: float, info: SeriesInfo, lang: str) -> str:
    """A level typed in plain units (dollars, percent), printed with the digits it was typed with."""
    return format_units(plain / info.factor, info.units, info.factor, lang, significant(plain))


def change_text(plain: float, info: SeriesInfo, lang: str) -> str:
    return format_change(plain / info.factor, info, lang, significant(plain))


def describe(outcome: Outcome, lang: str, words: dict[str, str]) -> CheckText:
    """The label, the data's figure, the article's figure and the tolerance of one check."""
    c, info = outcome.check, outcome.info

    def say(key: str, **fields: str) -> str:
        return words[f"claims_{key}"].format(**fields)

    def day(when: date | None) -> str:
        return format_date(when, lang) if when else ""

    name = info.short[lang]
    span = {"series": name, "start": day(c.get("start")), "end": day(c.get("end") or _last(outcome))}
    label, figure, claimed = _KIND_TEXT[c.kind](outcome, lang, say, day, span)
    if c.label:
        label = c.label[lang]
    tolerance = ""
    if "tolerance" in c.params:
        tol = c.get("tolerance")
        if c.kind == "count":
            tolerance = PLUS_MINUS + say(_unit(info, tol), n=f"{tol:g}")
        elif info.units == "percent" or c.kind in ("change", "compare") or "from_level" in c.params:
            tolerance = PLUS_MINUS + change_text(tol, info, lang).lstrip("+±−") if tol else PLUS_MINUS + "0"
        else:
            tolerance = PLUS_MINUS + level_text(tol, info, lang)
    return CheckText(label, figure, claimed, tolerance, outcome.holds, verdict_of(outcome))


def _last(outcome: Outcome) -> date | None:
    return outcome.window_end or outcome.when


def _unit(info: SeriesInfo, n: float = 2) -> str:
    unit = "n_week" if info.frequency == "weekly" else "n_day"
    return unit if n == 1 else unit + "s"


def _figure(outcome: Outcome, lang: str, value: float | None, when: date | None) -> Figure:
    return Figure(outcome.info, when or date.min, value or 0.0, lang, outcome.check.digits)


def _dated_claim(outcome: Outcome, say: Say, day: Day) -> str:
    lo, hi = outcome.check.get("on_or_after"), outcome.check.get("on_or_before")
    if lo and hi:
        return say("between", start=day(lo), end=day(hi)) if lo != hi else day(lo)
    return say("on_or_after", date=day(lo)) if lo else say("on_or_before", date=day(hi))


def _level(o: Outcome, lang: str, say: Say, day: Day, span: dict[str, str]) -> Texts:
    label = say("level", series=span["series"], date=day(o.when))
    return label, str(_figure(o, lang, o.measured, o.when)), level_text(o.check.get("value"), o.info, lang)


def _change(o: Outcome, lang: str, say: Say, day: Day, span: dict[str, str]) -> Texts:
    (d0, v0), (d1, v1) = o.points
    change = Change(_figure(o, lang, v0, d0), _figure(o, lang, v1, d1), o.check.digits)
    figure = f"{change} ({change.start} → {change.end})"
    direction = o.check.get("direction")
    claimed = say(f"direction_{direction}") if direction else change_text(o.check.get("value"), o.info, lang)
    return say("change", **span), figure, claimed


def _extreme(o: Outcome, lang: str, say: Say, day: Day, span: dict[str, str]) -> Texts:
    label = say(o.check.get("which"), **span)
    if o.check.get("exclude"):
        label += say("no_quarter_ends")
    figure = say("on", figure=str(_figure(o, lang, o.measured, o.when)), date=day(o.when))
    parts = []
    if "value" in o.check.params:
        parts.append(level_text(o.check.get("value"), o.info, lang))
    if "on_or_after" in o.check.params or "on_or_before" in o.check.params:
        parts.append(_dated_claim(o, say, day))
    return label, figure, ", ".join(parts)


def _first_cross(o: Outcome, lang: str, say: Say, day: Day, span: dict[str, str]) -> Texts:
    side = "below" if "below" in o.check.params else "above"
    level = level_text(o.check.get(side), o.info, lang)
    label = say(f"first_{side}", series=span["series"], level=level, start=span["start"])
    if o.when is None:
        figure = say("never")
    else:
        figure = say("on", figure=str(_figure(o, lang, o.measured, o.when)), date=day(o.when))
    return label, figure, _dated_claim(o, say, day)


def _count(o: Outcome, lang: str, say: Say, day: Day, span: dict[str, str]) -> Texts:
    side = "below" if "below" in o.check.params else "above"
    level = level_text(o.check.get(side), o.info, lang)
    label = say(f"count_{side}", level=level, **span)
    figure = say(_unit(o.info, o.measured or 0), n=f"{o.measured:.0f}")
    if "value" in o.check.params:
        claimed = say(_unit(o.info, o.check.get("value")), n=f"{o.check.get('value'):g}")
    else:
        key = "at_most" if "at_most" in o.check.params else "at_least"
        claimed = say(key, n=say(_unit(o.info, o.check.get(key)), n=f"{o.check.get(key):g}"))
    return label, figure, claimed


def _mean(o: Outcome, lang: str, say: Say, day: Day, span: dict[str, str]) -> Texts:
    base = o.check.get("from_level")
    value = o.measured or 0.0
    if base is None:
        figure = format_units(value, o.info.units, o.info.factor, lang, o.check.digits)
        return say("mean", **span), figure, level_text(o.check.get("value"), o.info, lang)
    label = say("gap", level=level_text(base, o.info, lang), **span)
    figure = format_change(value, o.info, lang, o.check.digits)
    return label, figure, change_text(o.check.get("value"), o.info, lang)


def _compare(o: Outcome, lang: str, say: Say, day: Day, span: dict[str, str]) -> Texts:
    other = o.other.short[lang] if o.other else ""
    label = say("compare", series=span["series"], other=other, date=day(o.when))
    (_, a), (_, b) = o.points
    fa, fb = _figure(o, lang, a, o.when), _figure(o, lang, b, o.when)
    figure = f"{format_change(o.measured or 0.0, o.info, lang, o.check.digits)} ({fa} / {fb})"
    relation = "above_other" if o.check.get("relation") == ">" else "below_other"
    claimed = say(relation, series=span["series"], other=other)
    if "value" in o.check.params:
        claimed += ", " + change_text(o.check.get("value"), o.info, lang)
    return label, figure, claimed


_KIND_TEXT = {
    "level": _level,
    "change": _change,
    "extreme": _extreme,
    "first_cross": _first_cross,
    "count": _count,
    "mean": _mean,
    "compare": _compare,
}
