"""The benchmark runs: its quick mode builds the mini-site every way once and prints the table.

Only that it runs and reports is checked here; speed targets live in the
benchmark itself (python benchmarks/run.py), never in tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_prints_the_build_table() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "benchmarks/run.py", "--quick", "--root", "tests/fixtures/minisite"]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    table = done.stdout
    for row in ("cold build", "no-op rebuild", "one content edit", "one series changed"):
        line = next((line for line in table.splitlines() if row in line), None)
        assert line is not None, f"no row for {row!r} in:\n{table}"
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert all(cell.endswith(" s") for cell in cells[1:4]), f"floor, naive and ours must be timed: {line}"
    assert table.count("| met |") + table.count("| **missed** |") == 3, "every budgeted row is marked"
    assert "Measured " in table and " cores" in table
