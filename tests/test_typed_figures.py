"""No figure may be typed into prose: it is computed from data, or marked quote() / fixed().

Scans the body of every content/<lang>/*.md page (front matter excluded) and the text
fields of the ledger, event and policy files, after removing Jinja expressions,
statements and comments. Nothing else is exempt.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIGURE = re.compile(
    r"""
    \$\s?\d[\d,.]*(?:\s?(?:trillion|billion|million)\b)?  # $60, $ 3, $2.93 trillion
    | \d[\d,.]*\s?(?:%|％)                               # 4.28%
    | \d[\d,.]*\s?(?:bps?|basis\s+points?)\b             # 25 bp, 70 basis points
    | \d[\d,.]*\s?(?:trillion|billion|million)\b          # 2.93 trillion
    | \d[\d,.]*\s?(?:萬億|兆|億|萬\s?美元)                # 2.93萬億, 3 兆, 401億, 5萬美元
    | \d[\d,.]*\s?個?基點                                 # 70個基點, 450基點
    """,
    re.VERBOSE | re.IGNORECASE,
)
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def strip_jinja(text: str) -> str:
    """Remove Jinja spans, keeping their line breaks so line numbers still match."""
    return JINJA.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def bare_figures(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(line, figure) for every typed figure outside Jinja in `text`."""
    found = []
    for offset, line in enumerate(strip_jinja(text).splitlines()):
        found.extend((first_line + offset, m.group(0)) for m in FIGURE.finditer(line))
    return found


def page_body(path: Path) -> tuple[str, int]:
    """The body of a content page and the line number it starts on."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return "".join(lines), 1
    close = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return "".join(lines[close + 1 :]), close + 2


def scan_pages(content: Path) -> list[str]:
    problems = []
    for path in sorted(content.glob("*/*.md")):
        body, first = page_body(path)
        for line, figure in bare_figures(body, first):
            problems.append(f"{path.relative_to(content.parent)}:{line}: bare figure {figure!r}")
    return problems


def _texts(node: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{where}[{i}]")
    elif isinstance(node, str):
        yield where, node


# Fields that hold prose shown on pages. `figure` is the article's figure as it states it: it is
# a quotation by definition and the templates show it marked as one.
PROSE_FIELDS = {
    "claims.toml": ("paraphrase", "evidence", "label"),
    "events.toml": ("label",),
    "policy.toml": ("title", "detail", "note"),
}


def scan_data(data: Path) -> list[str]:
    problems = []
    for name, fields in PROSE_FIELDS.items():
        path = data / name
        if not path.exists():
            continue
        with path.open("rb") as handle:
            table = tomllib.load(handle)
        for where, text in _texts(table, name):
            if any(f".{field}" in where for field in fields):
                problems.extend(f"data/{where}: bare figure {fig!r}" for _, fig in bare_figures(text))
    return problems


def test_content_pages_have_no_bare_typed_figures() -> None:
    problems = scan_pages(ROOT / "content")
    assert not problems, "wrap article figures in quote(), policy figures in fixed():\n" + "\n".join(problems)


def test_ledger_event_and_policy_texts_have_no_bare_typed_figures() -> None:
    problems = scan_data(ROOT / "data")
    assert not problems, "wrap article figures in quote(), policy figures in fixed():\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "typed",
    [
        "reserves of $2.93 trillion",
        "a cap of 60 billion dollars",
        "the yield hit 4.28%",
        "a move of 25 bp",
        "seventy, i.e. 70 basis points",
        "準備金為2.93萬億美元",
        "下滑401億美元",
        "3 兆美元",
        "低70個基點",
        "從450基點",
        "5萬美元",
    ],
)
def test_a_bare_figure_in_a_page_fails_with_file_and_line(tmp_path: Path, typed: str) -> None:
    page = tmp_path / "content" / "en" / "bad.md"
    page.parent.mkdir(parents=True)
    page.write_text(f"---\ntitle: x\n---\n\nFirst line.\n\nThen {typed} here.\n", encoding="utf-8")
    problems = scan_pages(tmp_path / "content")
    assert len(problems) == 1
    assert problems[0].startswith("content/en/bad.md:7: bare figure")


def test_figures_inside_jinja_and_plain_numbers_pass(tmp_path: Path) -> None:
    page = tmp_path / "content" / "zh-Hant" / "ok.md"
    page.parent.mkdir(parents=True)
    body = (
        '---\ntitle: "Under $3 trillion"\n---\n'
        'Reserves were {{ latest("WRESBAL") }}, under {{ fixed("$3 trillion") }}\n'
        'and not {{ quote("$2.93 trillion") }}; {% set x = "4.28%" %}{# 25 bp #}\n'
        '{{ chart("reserves_level", "Reserves with the $3 trillion line",\n'
        '   caption="a 60 billion cap") }}\n'
        "2025年12月17日,第 3 章,10–2 的投票,共 62 則說法。\n"
    )
    page.write_text(body, encoding="utf-8")
    assert scan_pages(tmp_path / "content") == []


def test_line_numbers_survive_multi_line_expressions() -> None:
    text = '{{ chart("a",\n "b $3 trillion") }}\nthen 5% here'
    assert bare_figures(text, 10) == [(12, "5%")]


def test_a_bare_figure_in_a_claim_text_fails(tmp_path: Path) -> None:
    (tmp_path / "claims.toml").write_text(
        '[[claim]]\nid = "1.1"\n[claim.evidence]\nen = "fell $40.1 billion"\nzh-Hant = "ok"\n'
        '[claim.figure]\nen = "$40.1 billion"\n',
        encoding="utf-8",
    )
    problems = scan_data(tmp_path)
    assert problems == ["data/claims.toml.claim[0].evidence.en: bare figure '$40.1 billion'"]
