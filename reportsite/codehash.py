"""Hashes of code and of the environment, computed without importing anything heavy.

`code_hash("reportsite.charts.reserves")` hashes that module's source and the
source of every module of this package it imports, directly or through others
(found by reading the import statements, not by running them), plus the
`__init__.py` of each enclosing package. Two builds whose charts hash alike run
the same chart code. `versions()` names the installed versions of the
libraries whose output ends up in the site.
"""

from __future__ import annotations

import ast
import hashlib
import os
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PACKAGE = "reportsite"
PACKAGE_DIR = Path(__file__).resolve().parent
# Libraries that shape the output, besides whatever the package itself requires.
CORE_LIBRARIES = ("altair", "jinja2", "markdown", "markupsafe", "pandas", "pyyaml", "vl-convert-python")


def code_hash(*modules: str) -> str:
    """A hash of the source of `modules` and of every package module they import."""
    digest = hashlib.sha256()
    for path in sorted(module_closure(*modules)):
        digest.update(_shown(path).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def module_closure(*modules: str) -> set[Path]:
    """The source files of `modules` and of the package modules they import, transitively."""
    seen: set[Path] = set()
    todo = [name for name in modules]
    while todo:
        name = todo.pop()
        path = module_file(name)
        if path is None or path in seen:
            continue
        seen.add(path)
        todo.extend(_enclosing_packages(name))
        todo.extend(_imports(path, name))
    return seen


def module_file(name: str) -> Path | None:
    """The source file of a module: in this package by name, else as already imported."""
    if name == PACKAGE or name.startswith(PACKAGE + "."):
        base = PACKAGE_DIR.joinpath(*name.split(".")[1:])
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
        return None
    module = sys.modules.get(name)
    found = getattr(module, "__file__", None)
    return Path(found) if found and found.endswith(".py") else None


def _enclosing_packages(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _imports(path: Path, name: str) -> list[str]:
    """The package modules a source file imports (absolute or relative)."""
    info = path.stat()
    return list(_parsed_imports(path, name, info.st_mtime_ns, info.st_size))


@lru_cache(maxsize=512)
def _parsed_imports(path: Path, name: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """Parsed once per version of a file (its modification time and size are part of the key)."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, package)
            if base is None:
                continue
            found.append(base)
            found.extend(f"{base}.{alias.name}" for alias in node.names)
    return tuple(n for n in found if n == PACKAGE or n.startswith(PACKAGE + "."))


def _resolve(node: ast.ImportFrom, package: str) -> str | None:
    if node.level == 0:
        return node.module
    parts = package.split(".") if package else []
    if node.level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (node.level - 1)]
    if node.module:
        base.append(node.module)
    return ".".join(base) or None


def package_hash() -> str:
    """A hash of every Python source file of the package."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        digest.update(_shown(path).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def versions() -> str:
    """Python's version and those of the libraries the package requires, one string."""
    names = set(CORE_LIBRARIES)
    try:
        for requirement in metadata.requires(PACKAGE) or []:
            if "extra ==" not in requirement:
                names.add(_requirement_name(requirement))
    except metadata.PackageNotFoundError:
        pass
    found = [f"python {sys.version.split()[0]}"]
    for name in sorted(names):
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return "; ".join(found)


def _requirement_name(requirement: str) -> str:
    for stop in "<>=!~;[ (":
        requirement = requirement.split(stop, 1)[0]
    return requirement.strip().lower()


def _shown(path: Path) -> str:
    """A path as hashed: relative to the package where possible, so clones hash alike."""
    try:
        return path.relative_to(PACKAGE_DIR).as_posix()
    except ValueError:
        return os.path.basename(path)
