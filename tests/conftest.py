"""Shared fixtures: the golden mini-site project and a way to run the CLI in-process."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reportsite.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINISITE = ROOT / "tests" / "fixtures" / "minisite"


def copy_minisite(target: Path) -> Path:
    """A fresh copy of the mini-site project (its content and data, the real templates)."""
    shutil.copytree(MINISITE, target)
    shutil.copytree(ROOT / "templates", target / "templates")
    return target


@pytest.fixture(scope="session", autouse=True)
def private_build_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds in tests use a cache of their own, never the user's."""
    old = os.environ.get("REPORTSITE_CACHE_DIR")
    os.environ["REPORTSITE_CACHE_DIR"] = str(tmp_path_factory.mktemp("build-cache"))
    yield
    if old is None:
        os.environ.pop("REPORTSITE_CACHE_DIR", None)
    else:
        os.environ["REPORTSITE_CACHE_DIR"] = old


@pytest.fixture
def minisite(tmp_path: Path) -> Path:
    return copy_minisite(tmp_path / "mini")


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Iterator[object]:
    """Call the CLI in-process: `cli("--root", path)` returns exit code and captured output."""

    def run(*args: str) -> Run:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse exits for --help and bad usage
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    yield run


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Under CI=true a skipped test is a failure: CI must run everything."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must run every test: {reason}"
