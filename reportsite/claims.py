"""The claims ledger: every checkable claim of the article, with a verdict computed from the data.

`data/claims.toml` holds one `[[claim]]` table per claim: its id ("1.3"), chapter,
our paraphrase, the article's figure, evidence and sources. A claim that a series
covers carries one or more `[[claim.check]]` tables (see checks.py) and its
verdict is the most severe verdict of its checks, computed at every build. Only a
claim no series covers (opinion, a forecast, a fact of a policy document) may type
its verdict, and it must cite a primary document. A forecast may carry checks too:
they tell whether it was borne out, not whether the article reported it right.

Evidence texts are Jinja templates evaluated with the live-value functions of
values.py plus `checks`, the described outcomes of the claim's checks.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markdown
from markupsafe import Markup

from .checks import Check, Outcome, combine, evaluate, parse_check, verdict_of
from .checktext import CheckText, describe
from .config import read_toml
from .data import Snapshot
from .errors import BuildError
from .sources import LedgerError, Source, bilingual, header_lines, load_sources, resolve
from .values import Values

CLAIMS_NAME = "claims.toml"
VERDICTS = ("confirmed", "wrong", "misleading", "unverifiable", "forecast")
FIELDS = {"id", "chapter", "paraphrase", "figure", "verdict", "check", "evidence", "sources"}
CLAIM_ID = re.compile(r"^(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Claim:
    id: str
    chapter: int
    paraphrase: dict[str, str]
    figure: dict[str, str]
    typed: str | None
    checks: tuple[Check, ...]
    evidence: dict[str, str]
    sources: tuple[Source, ...]
    path: Path
    line: int | None

    def fail(self, message: str) -> LedgerError:
        return LedgerError(f"claim {self.id}: {message}", path=self.path, line=self.line)


@dataclass(frozen=True)
class Evaluated:
    """A claim with its checks measured against the snapshot."""

    claim: Claim
    outcomes: tuple[Outcome, ...]

    @property
    def computed(self) -> bool:
        return self.claim.typed is None

    @property
    def verdict(self) -> str:
        if self.claim.typed is not None:
            return self.claim.typed
        return combine([verdict_of(o) for o in self.outcomes])

    @property
    def borne_out(self) -> bool | None:
        """For a forecast with checks: whether the data bore it out."""
        if self.claim.typed != "forecast" or not self.outcomes:
            return None
        return all(o.holds for o in self.outcomes)


@dataclass(frozen=True)
class ClaimView:
    """A claim as a template shows it, in one language."""

    id: str
    chapter: int
    paraphrase: Markup
    figure: str
    verdict: str
    computed: bool
    borne_out: bool | None
    checks: list[CheckText]
    evidence: Markup
    sources: list[tuple[str, str]]


@dataclass(frozen=True)
class Ledger:
    claims: tuple[Evaluated, ...]

    def tally(self) -> list[tuple[str, int]]:
        """(verdict, number of claims) in the fixed order of VERDICTS, computed from the ledger."""
        counts = Counter(c.verdict for c in self.claims)
        return [(v, counts.get(v, 0)) for v in VERDICTS]

    def views(self, lang: str, values: Values, words: dict[str, str]) -> list[ClaimView]:
        env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
        env.globals.update(values.functions())
        return [_view(c, lang, values, words, env) for c in self.claims]


def load_ledger(data_dir: Path, snapshot: Snapshot) -> Ledger:
    """Read, check and evaluate `data/claims.toml`; a project without one has an empty ledger."""
    path = data_dir / CLAIMS_NAME
    if not path.exists():
        return Ledger(())
    sources = load_sources(data_dir)
    claims = parse_claims(path, sources)
    return Ledger(tuple(Evaluated(c, tuple(evaluate(k, snapshot) for k in c.checks)) for c in claims))


def parse_claims(path: Path, sources: dict[str, Source]) -> list[Claim]:
    entries = read_toml(path, LedgerError).get("claim")
    if not isinstance(entries, list) or not entries:
        raise LedgerError("no [[claim]] tables", path=path, line=1)
    starts = header_lines(path, "claim")
    check_lines = header_lines(path, "claim.check")
    claims: list[Claim] = []
    seen: dict[str, int | None] = {}
    for index, entry in enumerate(entries):
        line = starts[index] if index < len(starts) else None
        following = starts[index + 1] if index + 1 < len(starts) else None
        mine = [n for n in check_lines if line and n > line and (following is None or n < following)]
        claim = _parse_claim(entry, path, line, mine, sources)
        if claim.id in seen:
            raise claim.fail(f"the id is also used at line {seen[claim.id]}")
        seen[claim.id] = line
        claims.append(claim)
    return claims


def _parse_claim(
    entry: Any, path: Path, line: int | None, check_lines: list[int], sources: dict[str, Source]
) -> Claim:
    claim_id = str(entry.get("id", "?")) if isinstance(entry, dict) else "?"

    def fail(message: str) -> LedgerError:
        return LedgerError(f"claim {claim_id}: {message}", path=path, line=line)

    if not isinstance(entry, dict):
        raise fail("a claim must be a table")
    unknown = sorted(set(entry) - FIELDS)
    if unknown:
        raise fail(f"unknown field '{unknown[0]}'")
    match = CLAIM_ID.match(claim_id)
    chapter = entry.get("chapter")
    if not match or not isinstance(chapter, int) or isinstance(chapter, bool):
        raise fail("needs 'id' like \"1.3\" and a whole-number 'chapter'")
    if int(match.group(1)) != chapter:
        raise fail(f"the id says chapter {match.group(1)} but 'chapter' is {chapter}")
    typed = entry.get("verdict")
    raw_checks = entry.get("check", [])
    if not isinstance(raw_checks, list):
        raise fail("'check' must be written as [[claim.check]] tables")
    _check_verdict(typed, raw_checks, fail)
    checks = tuple(
        parse_check(raw, f"claim {claim_id}", path, check_lines[i] if i < len(check_lines) else line)
        for i, raw in enumerate(raw_checks)
    )
    if typed == "forecast" and any(k.if_holds != "confirmed" or k.if_fails != "wrong" for k in checks):
        raise fail("a forecast's checks tell whether it was borne out; they take no if_holds/if_fails")
    cited = resolve(entry.get("sources", []), sources, fail)
    if typed is not None and typed != "forecast" and not cited:
        raise fail("a typed verdict must cite a primary document in 'sources'")
    return Claim(
        id=claim_id,
        chapter=chapter,
        paraphrase=bilingual(entry, "paraphrase", fail),
        figure=bilingual(entry, "figure", fail, required=False),
        typed=typed,
        checks=checks,
        evidence=bilingual(entry, "evidence", fail),
        sources=cited,
        path=path,
        line=line,
    )


def _check_verdict(typed: Any, checks: list[Any], fail: Any) -> None:
    if typed is None and not checks:
        raise fail("needs either [[claim.check]] tables (computed verdict) or a typed 'verdict'")
    if typed is not None and typed not in VERDICTS:
        raise fail(f"verdict {typed!r} must be one of {', '.join(VERDICTS)}")
    if typed not in (None, "forecast") and checks:
        raise fail(
            "a claim with checks gets its verdict from the data; remove 'verdict' "
            "(use if_holds/if_fails on a check to say how a result reads)"
        )


def _view(
    item: Evaluated, lang: str, values: Values, words: dict[str, str], env: jinja2.Environment
) -> ClaimView:
    claim = item.claim
    checks = [describe(o, lang, words) for o in item.outcomes]
    context = {"checks": checks, "claim": claim}
    paraphrase = _render(claim, "paraphrase", claim.paraphrase[lang], env, lang, context, block=False)
    evidence = _render(claim, "evidence", claim.evidence[lang], env, lang, context, block=True)
    sources = [(s.title[lang], s.url) for s in claim.sources]
    series = dict.fromkeys(s for o in item.outcomes for s in (o.check.series, o.check.get("other")) if s)
    for sid in series:
        info = values.snapshot.get(sid).info
        sources.append((f"{info.title[lang]} ({sid}, FRED)", info.fred_url))
    return ClaimView(
        id=claim.id,
        chapter=claim.chapter,
        paraphrase=paraphrase,
        figure=claim.figure.get(lang, ""),
        verdict=item.verdict,
        computed=item.computed,
        borne_out=item.borne_out,
        checks=checks,
        evidence=evidence,
        sources=sources,
    )


def _render(
    claim: Claim,
    field: str,
    text: str,
    env: jinja2.Environment,
    lang: str,
    context: dict[str, Any],
    *,
    block: bool,
) -> Markup:
    """Evaluate a text's live values, then its Markdown; errors name the claim and its line.

    `env` holds the live-value functions of `lang`; plain text skips it.
    """
    try:
        prose = env.from_string(text).render(context) if _has_template(text) else text
    except (BuildError, jinja2.TemplateError, TypeError, ValueError, AttributeError, IndexError) as exc:
        detail = exc.message if isinstance(exc, BuildError) else f"{type(exc).__name__}: {exc}"
        raise claim.fail(f"{field} ({lang}): {detail}") from None
    html = markdown.markdown(prose)
    if not block and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def _has_template(text: str) -> bool:
    """Whether a text holds any Jinja syntax: an expression, a statement or a comment."""
    return any(mark in text for mark in ("{{", "{%", "{#"))
