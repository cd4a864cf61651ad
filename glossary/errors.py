"""One exception type for every user-facing failure, so the CLI can print one line and exit 2."""

from __future__ import annotations


class DecalqueError(Exception):
    """Bad input or configuration: rendered as ``path:line: message`` with exit code 2.

    Core code raises this instead of printing; only the CLI decides how it looks.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return f"{where}{self.message}"
