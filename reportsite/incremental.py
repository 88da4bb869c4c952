"""The no-op rebuild: when no input changed and the output is as written, build nothing.

Before anything heavy is imported, the command line hashes every input —
`content/`, `data/`, `templates/`, the package's own source, SOURCE_DATE_EPOCH,
the output folder's path and the library versions — and compares it with the
stamp the last successful build into that folder left in the cache folder (not
in the site, not in the repository). The output folder must also still hold
exactly the files that build wrote, with the same sizes and modification
times, so a deleted or edited file in `site/` is rebuilt. Anything else means
a full (incremental) build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import default_cache_dir
from .codehash import package_hash, versions

log = logging.getLogger(__name__)

STAMP_FORMAT = 1
INPUT_FOLDERS = ("content", "data", "templates")
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)


@dataclass
class Stamp:
    """What the last build into a folder was made from and what it wrote."""

    inputs: str
    files: dict[str, list[int]] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def fingerprint(root: Path, out: Path) -> str:
    """A hash of everything a build of `root` into `out` reads."""
    digest = hashlib.sha256()
    for part in (f"stamp {STAMP_FORMAT}", str(out.resolve()), versions(), package_hash()):
        digest.update(part.encode("utf-8") + b"\0")
    for name in ENVIRONMENT:
        digest.update(f"{name}={os.environ.get(name, '')}".encode() + b"\0")
    for folder in INPUT_FOLDERS:
        _hash_tree(digest, root / folder, folder)
    return digest.hexdigest()


def _hash_tree(digest: Any, folder: Path, label: str) -> None:
    if not folder.is_dir():
        digest.update(f"{label} missing".encode() + b"\0")
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            relative = path.relative_to(folder).as_posix()
            digest.update(f"{label}/{relative}".encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")


def stamp_path(out: Path, cache_dir: Path | None = None) -> Path:
    name = hashlib.sha256(str(out.resolve()).encode("utf-8")).hexdigest()[:32]
    return (cache_dir or default_cache_dir()) / "stamps" / f"{name}.json"


def up_to_date(inputs: str, out: Path, strict: bool, cache_dir: Path | None = None) -> Stamp | None:
    """The stamp of the last build if building again would write the same site, else None.

    A build that warned is never skipped under `strict`: the full build must fail.
    """
    stamp = read_stamp(out, cache_dir)
    if stamp is None or stamp.inputs != inputs or (strict and stamp.warnings):
        return None
    if listing(out) != stamp.files:
        log.info("the output folder changed since the last build: building again")
        return None
    return stamp


def read_stamp(out: Path, cache_dir: Path | None = None) -> Stamp | None:
    try:
        data = json.loads(stamp_path(out, cache_dir).read_text(encoding="utf-8"))
        if data.pop("format", None) != STAMP_FORMAT:
            return None
        return Stamp(**data)
    except (OSError, ValueError, TypeError):
        return None


def record(
    inputs: str, out: Path, summary: dict[str, Any], warnings: list[str], cache_dir: Path | None = None
) -> None:
    """Remember what this build was made from and what it wrote; never fails the build."""
    stamp = Stamp(inputs, listing(out), summary, list(warnings))
    path = stamp_path(out, cache_dir)
    text = json.dumps({"format": STAMP_FORMAT, **stamp.__dict__}, sort_keys=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, path)
    except OSError as exc:
        log.warning("could not save the build stamp in %s (%s)", path.parent, exc.strerror)


def listing(out: Path) -> dict[str, list[int]]:
    """Every file under `out` with its size and modification time (ns)."""
    found: dict[str, list[int]] = {}
    if not out.is_dir():
        return found
    for folder, _dirs, names in os.walk(out):
        for name in names:
            path = Path(folder, name)
            try:
                info = path.lstat()
            except OSError:
                continue
            found[path.relative_to(out).as_posix()] = [info.st_size, info.st_mtime_ns]
    return found
