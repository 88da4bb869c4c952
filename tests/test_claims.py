"""The claims ledger: verdicts computed from data, tolerance edges, and errors that name file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from claims_support import claim, make_data, snapshot_of, write_claims

from reportsite.claims import load_ledger
from reportsite.sources import LedgerError
from reportsite.values import Values

ROOT = Path(__file__).resolve().parent.parent
WORDS_EN: dict[str, str] = {}


def words(lang: str) -> dict[str, str]:
    import tomllib

    with (ROOT / "templates" / "strings" / "claims.toml").open("rb") as handle:
        return tomllib.load(handle)[lang]


def ledger_for(tmp_path: Path, *claims: str):  # type: ignore[no-untyped-def]
    data = make_data(tmp_path)
    write_claims(data, *claims)
    snapshot = snapshot_of(data)
    return load_ledger(data, snapshot), snapshot


def verdict(tmp_path: Path, check: str) -> str:
    ledger, _ = ledger_for(tmp_path, claim(check))
    return ledger.claims[0].verdict


LEVEL = """
kind = "level"
series = "WRESBAL"
date = 2025-09-24
value = {value}
tolerance = 5e9
"""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2.95e12", "confirmed"),  # exact
        ("2.955e12", "confirmed"),  # exactly at the tolerance: holds
        ("2.945e12", "confirmed"),
        ("2.9551e12", "wrong"),  # just beyond
        ("2.9449e12", "wrong"),
    ],
)
def test_level_tolerance_edges(tmp_path: Path, value: str, expected: str) -> None:
    assert verdict(tmp_path, LEVEL.format(value=value)) == expected


def test_a_failed_check_reads_as_declared(tmp_path: Path) -> None:
    check = LEVEL.format(value="2.93e12") + 'if_fails = "unverifiable"\n'
    assert verdict(tmp_path, check) == "unverifiable"


def test_change_by_value_and_by_direction(tmp_path: Path) -> None:
    by_value = (
        'kind = "change"\nseries = "WRESBAL"\nstart = 2025-09-03\nend = 2025-09-24\n'
        "value = -150e9\ntolerance = 1e9"
    )
    assert verdict(tmp_path / "a", by_value) == "confirmed"
    falling = 'kind = "change"\nseries = "WRESBAL"\nstart = 2025-09-24\nend = 2025-10-01\ndirection = "down"'
    assert verdict(tmp_path / "b", falling) == "wrong"
    rising = (
        'kind = "change"\nseries = "WRESBAL"\nstart = 2025-09-24\nend = "latest"\n'
        'direction = "up"\ntolerance = 9.99e9'
    )
    assert verdict(tmp_path / "c", rising) == "confirmed"  # +10bn to the latest week, 2025-10-08


def test_direction_needs_a_move_beyond_the_tolerance(tmp_path: Path) -> None:
    check = (
        'kind = "change"\nseries = "WRESBAL"\nstart = 2025-09-24\nend = 2025-10-08\n'
        'direction = "up"\ntolerance = 10e9'
    )
    ledger, _ = ledger_for(tmp_path, claim(check))
    assert ledger.claims[0].outcomes[0].measured == 10000  # millions
    assert ledger.claims[0].verdict == "wrong"  # a rise of exactly the tolerance is not "beyond" it


def test_extreme_checks_value_and_date_window(tmp_path: Path) -> None:
    base = 'kind = "extreme"\nseries = "WRESBAL"\nwhich = "low"\nstart = 2025-09-03\nend = 2025-10-08\n'
    assert (
        verdict(tmp_path / "a", base + "on_or_after = 2025-09-20\non_or_before = 2025-09-30") == "confirmed"
    )
    assert verdict(tmp_path / "b", base + "on_or_after = 2025-10-01\non_or_before = 2025-10-08") == "wrong"
    assert verdict(tmp_path / "c", base + "value = 2.95e12\ntolerance = 0") == "confirmed"


def test_extreme_can_leave_out_quarter_ends(tmp_path: Path) -> None:
    check = (
        'kind = "extreme"\nseries = "SOFR"\nwhich = "high"\nstart = 2025-09-29\nend = 2025-10-02\n'
        'exclude = ["quarter-ends"]\non_or_after = 2025-10-01\non_or_before = 2025-10-01'
    )
    ledger, _ = ledger_for(tmp_path, claim(check))
    outcome = ledger.claims[0].outcomes[0]
    assert outcome.measured == 4.25 and str(outcome.when) == "2025-10-01"  # 30 Sept (4.40) left out
    assert ledger.claims[0].verdict == "confirmed"


def test_first_cross_and_a_crossing_that_never_comes(tmp_path: Path) -> None:
    base = 'kind = "first_cross"\nseries = "WRESBAL"\nstart = 2025-09-03\n'
    assert (
        verdict(tmp_path / "a", base + "below = 3e12\non_or_after = 2025-09-15\non_or_before = 2025-09-21")
        == "confirmed"
    )
    assert verdict(tmp_path / "b", base + "below = 3e12\non_or_after = 2025-09-22") == "wrong"
    ledger, _ = ledger_for(tmp_path / "c", claim(base + "below = 2e12\non_or_before = 2025-12-31"))
    assert ledger.claims[0].outcomes[0].when is None and ledger.claims[0].verdict == "wrong"


def test_count_with_value_and_at_most(tmp_path: Path) -> None:
    base = 'kind = "count"\nseries = "WRESBAL"\nabove = 3e12\nstart = 2025-09-17\nend = 2025-10-08\n'
    assert verdict(tmp_path / "a", base + "value = 1\ntolerance = 0") == "confirmed"
    assert verdict(tmp_path / "b", base + "value = 0\ntolerance = 0") == "wrong"
    assert verdict(tmp_path / "c", base + "at_most = 1") == "confirmed"


def test_mean_and_gap_from_a_level(tmp_path: Path) -> None:
    base = 'kind = "mean"\nseries = "IORB"\nstart = 2025-09-29\nend = 2025-10-02\n'
    assert verdict(tmp_path / "a", base + "value = 4.15\ntolerance = 0") == "confirmed"
    gap = base + "from_level = 3.85\nvalue = -0.30\ntolerance = 0.005"
    assert verdict(tmp_path / "b", gap) == "confirmed"
    assert verdict(tmp_path / "c", gap.replace("-0.30", "-0.70")) == "wrong"


def test_compare_two_rates(tmp_path: Path) -> None:
    base = 'kind = "compare"\nseries = "SOFR"\nother = "IORB"\ndate = 2025-09-30\n'
    assert verdict(tmp_path / "a", base + 'relation = ">"') == "confirmed"
    assert verdict(tmp_path / "b", base + 'relation = "<"') == "wrong"
    assert verdict(tmp_path / "c", base + 'relation = ">"\nvalue = 0.25\ntolerance = 0.001') == "confirmed"


def test_the_most_severe_check_decides(tmp_path: Path) -> None:
    holds = LEVEL.format(value="2.95e12")
    misleads = LEVEL.format(value="2.5e12") + 'if_fails = "misleading"'
    ledger, _ = ledger_for(tmp_path, claim(holds) + "[[claim.check]]\n" + misleads + "\n")
    assert [o.holds for o in ledger.claims[0].outcomes] == [True, False]
    assert ledger.claims[0].verdict == "misleading"


def test_forecast_checks_say_whether_it_was_borne_out(tmp_path: Path) -> None:
    check = 'kind = "change"\nseries = "WRESBAL"\nstart = 2025-09-24\nend = "latest"\ndirection = "up"'
    ledger, _ = ledger_for(tmp_path, claim(check, verdict="forecast"))
    item = ledger.claims[0]
    assert item.verdict == "forecast" and item.borne_out is True and not item.computed


def test_tally_is_counted_from_the_ledger(tmp_path: Path) -> None:
    ledger, _ = ledger_for(
        tmp_path,
        claim(LEVEL.format(value="2.95e12"), id="1.1"),
        claim(LEVEL.format(value="2e12"), id="1.2"),
        claim(id="1.3", verdict="unverifiable", sources='["fomc"]'),
    )
    assert dict(ledger.tally()) == {
        "confirmed": 1, "wrong": 1, "misleading": 0, "unverifiable": 1, "forecast": 0,
    }  # fmt: skip


def test_views_format_figures_per_language(tmp_path: Path) -> None:
    ledger, snapshot = ledger_for(tmp_path, claim(LEVEL.format(value="2.93e12")))
    en = ledger.views("en", Values(snapshot, "en"), words("en"))[0]
    zh = ledger.views("zh-Hant", Values(snapshot, "zh-Hant"), words("zh-Hant"))[0]
    assert en.checks[0].figure == "$2.95 trillion" and en.checks[0].claimed == "$2.93 trillion"
    assert en.checks[0].tolerance == "±$5 billion"
    assert zh.checks[0].figure == "2.95 兆美元" and zh.checks[0].tolerance == "±50 億美元"
    assert "$2.95 trillion" in en.evidence
    assert '<span class="quoted">$2.93 trillion</span>' in en.paraphrase
    assert en.sources[-1][1] == "https://fred.stlouisfed.org/series/WRESBAL"


def test_a_project_without_a_ledger_has_an_empty_one(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    assert load_ledger(data, snapshot_of(data)).claims == ()


# --- errors: one clear message naming the claim, the file and the line ---------------------------


def error_for(tmp_path: Path, *claims: str) -> LedgerError:
    with pytest.raises(LedgerError) as caught:
        ledger_for(tmp_path, *claims)
    return caught.value


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    hits = [n for n, line in enumerate(path.read_text().splitlines(), 1) if line.strip() == needle]
    return hits[nth - 1]


def test_a_missing_date_names_the_claim_and_the_check_line(tmp_path: Path) -> None:
    good = claim(LEVEL.format(value="2.95e12"), id="1.1")
    bad = claim(LEVEL.format(value="2.95e12").replace("2025-09-24", "2025-09-25"), id="1.2")
    err = error_for(tmp_path, good, bad)
    path = tmp_path / "data" / "claims.toml"
    assert err.message == "claim 1.2: WRESBAL has no observation dated 2025-09-25"
    assert err.path == str(path) and err.line == line_of(path, "[[claim.check]]", 2)


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (LEVEL.format(value="1").replace("WRESBAL", "NOPE"), "unknown series 'NOPE'"),
        ('kind = "median"\nseries = "WRESBAL"', "check kind 'median' must be one of"),
        ('kind = "level"\nseries = "WRESBAL"\ndate = 2025-09-24\nvalue = 1', "needs 'tolerance'"),
        (LEVEL.format(value="1") + "colour = 1", "unknown field 'colour'"),
        (LEVEL.format(value="1") + 'if_fails = "bad"', "'if_fails' must be one of"),
        (
            'kind = "change"\nseries = "WRESBAL"\nstart = 2025-09-03\nend = 2025-09-24',
            "either 'value' or 'direction'",
        ),
        (
            'kind = "count"\nseries = "WRESBAL"\nstart = 2025-09-03\nend = 2025-09-24\nat_most = 1',
            "exactly one of 'below' or 'above'",
        ),
        (
            'kind = "extreme"\nseries = "WRESBAL"\nwhich = "low"\nstart = 2025-01-01\n'
            "value = 1\ntolerance = 0",
            "starts on 2025-09-03",
        ),
        (
            'kind = "extreme"\nseries = "WRESBAL"\nwhich = "low"\nstart = 2025-09-03\n'
            "end = 2026-01-01\nvalue = 1\ntolerance = 0",
            "ends on 2025-10-08",
        ),
        (
            'kind = "level"\nseries = "WRESBAL"\ndate = "24/09/2025"\nvalue = 1\ntolerance = 0',
            "is not a date",
        ),
        (
            'kind = "compare"\nseries = "SOFR"\nother = "WRESBAL"\ndate = 2025-10-01\nrelation = ">"',
            "different units",
        ),
    ],
)
def test_bad_checks_fail_with_the_claim_and_line(tmp_path: Path, check: str, message: str) -> None:
    err = error_for(tmp_path, claim(check, id="2.4"))
    assert err.message.startswith("claim 2.4: ") and message in err.message
    assert err.line == line_of(tmp_path / "data" / "claims.toml", "[[claim.check]]")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            claim(LEVEL.format(value="1"), verdict="wrong", sources='["fomc"]'),
            "gets its verdict from the data",
        ),
        (claim(verdict="wrong"), "must cite a primary document"),
        (claim(), "needs either [[claim.check]] tables"),
        (claim(verdict="maybe", sources='["fomc"]'), "verdict 'maybe' must be one of"),
        (claim(verdict="wrong", sources='["nowhere"]'), "unknown source 'nowhere'"),
        (claim(id="1.1").replace("chapter = 1", "chapter = 2"), "the id says chapter 1 but 'chapter' is 2"),
        (
            claim(LEVEL.format(value="1"), verdict="forecast") + 'if_holds = "misleading"\n',
            "take no if_holds",
        ),
    ],
)
def test_bad_claims_fail_with_their_line(tmp_path: Path, text: str, message: str) -> None:
    err = error_for(tmp_path, text)
    assert message in err.message
    assert err.line == line_of(tmp_path / "data" / "claims.toml", "[[claim]]")


def test_a_duplicate_id_points_at_the_second_claim(tmp_path: Path) -> None:
    one = claim(verdict="wrong", sources='["fomc"]')
    err = error_for(tmp_path, one, one)
    assert "also used at line" in err.message
    assert err.line == line_of(tmp_path / "data" / "claims.toml", "[[claim]]", 2)


def test_a_broken_evidence_template_names_the_claim(tmp_path: Path) -> None:
    text = claim(LEVEL.format(value="2.95e12")).replace(
        "{% for c in checks %}", "{{ at('WRESBAL', '2020-01-01') }}{% for c in checks %}"
    )
    ledger, snapshot = ledger_for(tmp_path, text)
    with pytest.raises(LedgerError) as caught:
        ledger.views("en", Values(snapshot, "en"), words("en"))
    assert caught.value.message.startswith(
        "claim 1.1: evidence (en): WRESBAL has no observation dated 2020-01-01"
    )
    assert caught.value.line == line_of(tmp_path / "data" / "claims.toml", "[[claim]]")


def test_a_source_off_the_primary_publishers_is_refused(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    with (data / "sources.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n[source.blog]\nurl = "https://example.com/post"\ntitle = { en = "b", zh-Hant = "b" }\n'
        )
    write_claims(data, claim(verdict="wrong", sources='["blog"]'))
    with pytest.raises(LedgerError, match=r"'example\.com' is not a primary publisher") as caught:
        load_ledger(data, snapshot_of(data))
    assert caught.value.line is not None


# --- the report's own ledger ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_ledger():  # type: ignore[no-untyped-def]
    from reportsite.data import load_snapshot
    from reportsite.errors import Warnings

    snapshot = load_snapshot(ROOT / "data", Warnings())
    return load_ledger(ROOT / "data", snapshot), snapshot


def test_the_report_ledger_covers_every_chapter(real_ledger) -> None:  # type: ignore[no-untyped-def]
    ledger, _ = real_ledger
    assert len(ledger.claims) >= 40
    assert {c.claim.chapter for c in ledger.claims} == set(range(7))
    assert sum(n for _, n in ledger.tally()) == len(ledger.claims)


def test_the_data_decides_the_repo_and_reserve_claims(real_ledger) -> None:  # type: ignore[no-untyped-def]
    ledger, _ = real_ledger
    by_id = {c.claim.id: c for c in ledger.claims}
    # The snapshot holds the repo operations of 15 and 16 October 2025: computed, confirmed.
    assert by_id["3.2"].computed and by_id["3.2"].verdict == "confirmed"
    assert by_id["3.4"].computed and by_id["3.4"].verdict == "confirmed"
    # The weekly average matches neither $2.93T nor -$40.1B for the week to 17 Dec 2025; the
    # Wednesday level is not in data/, so these stay unverifiable rather than wrong.
    assert by_id["1.1"].verdict == "unverifiable" and by_id["1.3"].verdict == "unverifiable"
    assert not any(o.holds for o in by_id["1.3"].outcomes)


def test_typed_verdicts_cite_primary_documents(real_ledger) -> None:  # type: ignore[no-untyped-def]
    ledger, _ = real_ledger
    for item in ledger.claims:
        if item.claim.typed not in (None, "forecast"):
            assert item.claim.sources, item.claim.id


def test_the_ledger_page_builds_in_both_languages(tmp_path: Path) -> None:
    from reportsite.pipeline import build_site

    project = tmp_path / "project"
    for folder in ("content", "data", "templates"):
        shutil.copytree(ROOT / folder, project / folder)
    config = project / "content" / "_site.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('languages = ["en"]', 'languages = ["en", "zh-Hant"]'), encoding="utf-8")
    build_site(project, tmp_path / "site")
    en = (tmp_path / "site" / "claims.html").read_text(encoding="utf-8")
    zh = (tmp_path / "site" / "zh-hant" / "claims.html").read_text(encoding="utf-8")
    assert en.count('<article class="claim ') >= 40 and zh.count('<article class="claim ') >= 40
    assert 'verdict-badge verdict-wrong">Wrong<' in en and 'verdict-badge verdict-wrong">錯誤<' in zh
    chapter = (tmp_path / "site" / "reserves.html").read_text(encoding="utf-8")
    assert 'class="claims-box"' in chapter and 'id="claim-1-3"' in chapter
