"""The errors a user can cause, each naming where the problem is.

Only the CLI turns these into exit codes and one clean message; anything else
that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    """A problem in the user's input that stops the build."""

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message


class ConfigError(BuildError):
    """The site configuration or the series registry is wrong."""


class DataError(BuildError):
    """A data file is missing, undeclared or does not parse."""


class ContentError(BuildError):
    """A content page has bad front matter, a bad expression or an unknown name."""


class TemplateError(BuildError):
    """A Jinja template is missing or fails to render."""


class Warnings:
    """Counts warnings during a build; `--strict` turns any of them into a failure."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def warn(self, message: str, *, path: Path | str | None = None) -> None:
        self.messages.append(f"{path}: {message}" if path else message)

    def __len__(self) -> int:
        return len(self.messages)
