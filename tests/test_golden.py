"""The mini-site builds to exactly the committed expected output."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import EXPECTED, FILE_LIST, all_files, build_minisite, compared

UPDATE_HINT = "if the change is intended, refresh with: python tests/golden.py --update"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_minisite(tmp_path_factory.mktemp("golden"))


def test_the_same_files_are_produced(built: Path) -> None:
    expected = FILE_LIST.read_text(encoding="utf-8").split()
    assert all_files(built) == expected, UPDATE_HINT


@pytest.mark.parametrize("name", [n for n in FILE_LIST.read_text(encoding="utf-8").split() if compared(n)])
def test_file_matches_golden(built: Path, name: str) -> None:
    actual = (built / name).read_bytes()
    assert actual == (EXPECTED / name).read_bytes(), f"{name} differs from the golden copy; {UPDATE_HINT}"
