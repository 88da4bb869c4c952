"""The command line: options, exit codes, one clean message per user mistake, site kept intact."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def snapshot_tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_build_prints_one_summary_line(cli, minisite: Path, tmp_path: Path) -> None:
    run = cli("--root", str(minisite), "--out", str(tmp_path / "out"))
    assert run.code == 0, run.err
    assert run.err == ""
    assert re.fullmatch(
        r"built 2 pages, 1 charts, 2 series; data as of 2025-12-31; \d+\.\d s -> .*out\n", run.out
    ), run.out
    assert (tmp_path / "out" / "reserves.html").exists()
    assert (tmp_path / "out" / ".nojekyll").exists()


def test_help_lists_every_option(cli) -> None:
    run = cli("--help")
    assert run.code == 0
    for option in ("--out", "--strict", "--root"):
        assert option in run.out


def test_every_option_is_documented_in_the_readme(cli) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    options = set(re.findall(r"(--[a-z][a-z-]+)", cli("--help").out)) - {"--help"}
    missing = sorted(o for o in options if o not in readme)
    assert not missing, f"options not described in README.md: {missing}"


def test_bad_usage_exits_2(cli) -> None:
    run = cli("--no-such-option")
    assert run.code == 2
    assert "unrecognized arguments: --no-such-option" in run.err


def break_front_matter(root: Path) -> str:
    page = root / "content" / "en" / "reserves.md"
    page.write_text(page.read_text().replace("order: 1", "order: [1"))
    return "content/en/reserves.md:5: front matter is not valid YAML"


def unknown_chart(root: Path) -> str:
    page = root / "content" / "en" / "reserves.md"
    page.write_text(page.read_text().replace('chart("reserves_level"', 'chart("no_such_chart"'))
    return "content/en/reserves.md:12: unknown chart 'no_such_chart'"


def unknown_series(root: Path) -> str:
    page = root / "content" / "en" / "index.md"
    page.write_text(page.read_text().replace('latest("WRESBAL") }} in', 'latest("WRESBALX") }} in'))
    return "content/en/index.md:9: unknown series 'WRESBALX' (not declared in data/series.toml)"


def jinja_error(root: Path) -> str:
    page = root / "content" / "en" / "index.md"
    page.write_text(page.read_text() + "\n{% if %}\n")
    return "content/en/index.md:11: template error in prose: Expected an expression, got 'end of statement block'"


def missing_template(root: Path) -> str:
    (root / "templates" / "chapter.html").unlink()
    return "templates/chapter.html: template 'chapter.html' not found in templates/ (needed by content/en/reserves.md)"


def template_runtime_error(root: Path) -> str:
    template = root / "templates" / "chapter.html"
    lines = template.read_text().splitlines()
    lines.insert(3, "{{ page.no_such_field }}")
    template.write_text("\n".join(lines) + "\n")
    return (
        "templates/chapter.html:4: UndefinedError while rendering content/en/reserves.md: "
        "'reportsite.content.Page object' has no attribute 'no_such_field'"
    )


def bad_csv(root: Path) -> str:
    path = root / "data" / "fred" / "WALCL.csv"
    lines = path.read_text().splitlines()
    lines[4] = lines[4].split(",")[0] + ",12x"
    path.write_text("\n".join(lines) + "\n")
    return f"{path}:5: value '12x' is not a number"


def undeclared_file(root: Path) -> str:
    path = root / "data" / "fred" / "DGS10.csv"
    path.write_text("observation_date,DGS10\n2025-01-02,4.57\n")
    return f"{path}: data file for undeclared series 'DGS10': declare it in data/series.toml or remove it"


def missing_data(root: Path) -> str:
    (root / "data" / "fred" / "WRESBAL.csv").unlink()
    registry = root / "data" / "series.toml"
    line = registry.read_text().splitlines().index("[series.WRESBAL]") + 1
    return f"{registry}:{line}: series 'WRESBAL' is declared but has no data file data/fred/WRESBAL.csv"


CASES = [
    break_front_matter,
    unknown_chart,
    unknown_series,
    jinja_error,
    missing_template,
    template_runtime_error,
    bad_csv,
    undeclared_file,
    missing_data,
]


@pytest.mark.parametrize("mistake", CASES, ids=[c.__name__ for c in CASES])
def test_bad_input_is_one_clear_message_and_the_site_survives(
    cli, minisite: Path, tmp_path: Path, mistake
) -> None:
    out = tmp_path / "out"
    assert cli("--root", str(minisite), "--out", str(out)).code == 0
    before = snapshot_tree(out)
    message = mistake(minisite)
    run = cli("--root", str(minisite), "--out", str(out))
    assert run.code == 1
    assert run.out == ""
    assert run.err.startswith(f"error: {message}"), run.err
    assert run.err.count("\n") == 1, "one line, no traceback"
    assert snapshot_tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "out"], "no staging folders left behind"


def test_strict_fails_on_warnings_and_writes_nothing(cli, minisite: Path, tmp_path: Path) -> None:
    csv_path = minisite / "data" / "fred" / "WALCL.csv"
    csv_path.write_text(csv_path.read_text().replace("\n2025-12-31,", "\n2025-12-31,1"))
    relaxed = cli("--root", str(minisite), "--out", str(tmp_path / "a"))
    assert relaxed.code == 0
    assert "warning:" in relaxed.err and "edited by hand" in relaxed.err
    strict = cli("--root", str(minisite), "--out", str(tmp_path / "b"), "--strict")
    assert strict.code == 1
    assert strict.err.startswith("error: 1 warning(s) and --strict:")
    assert not (tmp_path / "b").exists()


def test_real_process_exit_code_and_no_traceback(minisite: Path, tmp_path: Path) -> None:
    unknown_series(minisite)
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(minisite), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: content/en/index.md:9: unknown series 'WRESBALX'")
