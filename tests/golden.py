"""The golden mini-site: build tests/fixtures/minisite and compare with tests/golden/minisite/.

Refresh the expected output after an intended change with:

    python tests/golden.py --update

Static images (SVG, PNG) and the Vega bundle depend on the machine's fonts and
on vl-convert's version, so for those only the file list is compared.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "golden" / "minisite"
FILE_LIST = HERE / "golden" / "minisite.files"
BY_LIST_ONLY = (".svg", ".png")
BUNDLES = ("assets/vega.js",)


def build_minisite(work: Path) -> Path:
    """Build a fresh copy of the mini-site in `work` and return its output folder."""
    sys.path.insert(0, str(HERE))
    from conftest import copy_minisite

    from reportsite.pipeline import build_site

    project = copy_minisite(work / "mini")
    out = work / "out"
    build_site(project, out)
    return out


def all_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def compared(name: str) -> bool:
    return not name.endswith(BY_LIST_ONLY) and name not in BUNDLES


def update() -> None:
    with tempfile.TemporaryDirectory() as work:
        site = build_minisite(Path(work))
        shutil.rmtree(EXPECTED, ignore_errors=True)
        names = all_files(site)
        for name in filter(compared, names):
            target = EXPECTED / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((site / name).read_bytes())
        FILE_LIST.write_text("\n".join(names) + "\n", encoding="utf-8")
    print(f"golden mini-site updated: {len(names)} files listed in {FILE_LIST.relative_to(HERE.parent)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/golden.py --update")
    update()
