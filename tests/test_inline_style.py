"""The stylesheet is inlined into every page's <head>: the first paint waits on no request."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportsite.errors import TemplateError
from reportsite.render import inline_style, make_environment

ROOT = Path(__file__).resolve().parent.parent


def test_the_house_stylesheet_is_inlined_verbatim() -> None:
    css = (ROOT / "templates" / "static" / "style.css").read_text(encoding="utf-8")
    env = make_environment(ROOT / "templates")
    html = env.from_string("<style>{{ inline_style('style.css') }}</style>").render()
    assert html == f"<style>{css.strip()}</style>", "CSS must not be escaped inside <style>"


def test_a_stylesheet_that_would_close_the_style_element_is_refused(tmp_path: Path) -> None:
    sheet = tmp_path / "odd.css"
    sheet.write_text('a::after { content: "</style>"; }\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"odd\.css"):
        inline_style(sheet)
