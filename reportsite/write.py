"""Stage 6: write the site — into a temporary folder, then swapped into place.

A build that fails before this stage writes nothing; one that fails while
writing leaves the previous site where it was.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write `files` (path in site → bytes) as the folder `out`, replacing it whole."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for relative in sorted(files):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[relative])
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
