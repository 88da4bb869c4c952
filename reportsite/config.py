"""Stage 1: load the project — where things are and the site's settings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import BuildError, ConfigError

CONFIG_NAME = "_site.toml"
STRINGS_DIR = "strings"


@dataclass(frozen=True)
class Project:
    """A report project on disk and its settings."""

    root: Path
    languages: tuple[str, ...]
    settings: dict[str, Any]
    strings: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def text(self, key: str, lang: str) -> str:
        """A bilingual setting such as the site title, in one language."""
        value = self.settings.get(key, "")
        return str(value.get(lang, "")) if isinstance(value, dict) else str(value)


def read_toml(path: Path, error: type[BuildError] = ConfigError) -> dict[str, Any]:
    """Parse a TOML file, turning a syntax error into one that names the file and line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise error("file not found", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        message, _, position = str(exc).partition(" (at line ")
        line = int(position.split(",")[0]) if position else None
        raise error(f"not valid TOML: {message}", path=path, line=line) from None


def load_project(root: Path) -> Project:
    """Read `content/_site.toml` and `templates/strings.toml` and check the basics."""
    root = root.resolve()
    for folder in ("content", "data", "templates"):
        if not (root / folder).is_dir():
            raise ConfigError(f"the project has no {folder}/ folder", path=root)
    config_path = root / "content" / CONFIG_NAME
    settings = read_toml(config_path)
    languages = settings.get("languages", ["en"])
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(lang, str) for lang in languages)
    ):
        raise ConfigError("'languages' must be a non-empty list of language codes", path=config_path)
    strings = load_strings(root / "templates" / STRINGS_DIR, languages)
    for lang in languages:
        if not (root / "content" / lang).is_dir():
            raise ConfigError(f"language '{lang}' has no folder content/{lang}/", path=config_path)
    return Project(root=root, languages=tuple(languages), settings=settings, strings=strings)


def load_strings(folder: Path, languages: list[str]) -> dict[str, dict[str, str]]:
    """Merge the interface words of every `templates/strings/*.toml`, one table per language."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        for lang, table in read_toml(path).items():
            target = merged.setdefault(lang, {})
            for key, text in table.items():
                if key in target:
                    raise ConfigError(f"string '{key}' for '{lang}' is defined twice", path=path)
                target[key] = str(text)
    for lang in languages:
        if merged and lang not in merged:
            raise ConfigError(f"no interface strings for language '{lang}'", path=folder)
    return merged
