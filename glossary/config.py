"""``[tool.decalque]`` in pyproject.toml, found by walking up from the current directory.

Command-line flags override it. Paths in the file are relative to the file's directory, so a
hook run from a sub-folder finds the same glossary as one run at the top.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from glossary.errors import DecalqueError

KEYS = {"glossary", "include", "exclude", "select", "ignore", "per-file-ignores", "format"}


@dataclass(frozen=True)
class Config:
    path: str | None = None
    glossary: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    format: str | None = None


def find_pyproject(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest pyproject.toml with a [tool.decalque] table, from ``start`` upwards."""
    here = Path(start or os.getcwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "tool.decalque" in text or "[tool]" in text:
                return candidate
    return None


def _strings(value: object, key: str, path: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise DecalqueError(f"[tool.decalque] {key} must be a string or a list of strings", path)


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read [tool.decalque] from ``path`` or the nearest pyproject.toml; empty if none."""
    pyproject = Path(path) if path else find_pyproject()
    if pyproject is None:
        return Config()
    where = str(pyproject)
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise DecalqueError(f"invalid TOML: {exc.args[0] if exc.args else exc}", where,
                            line) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DecalqueError(f"cannot read: {exc}", where) from None
    table = data.get("tool", {}).get("decalque")
    if table is None:
        return Config()
    if not isinstance(table, dict):
        raise DecalqueError("[tool.decalque] must be a table", where)
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise DecalqueError(f"unknown key(s) in [tool.decalque]: {', '.join(unknown)} "
                            f"(known: {', '.join(sorted(KEYS))})", where)
    base = pyproject.parent
    glossary = table.get("glossary")
    if glossary is not None and not isinstance(glossary, str):
        raise DecalqueError("[tool.decalque] glossary must be a path string", where)
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise DecalqueError("[tool.decalque] per-file-ignores must be a table", where)
    fmt = table.get("format")
    if fmt is not None and not isinstance(fmt, str):
        raise DecalqueError("[tool.decalque] format must be a string", where)
    return Config(
        path=where,
        glossary=str(base / glossary) if glossary else None,
        include=_strings(table.get("include", []), "include", where),
        exclude=_strings(table.get("exclude", []), "exclude", where),
        select=_strings(table.get("select", []), "select", where),
        ignore=_strings(table.get("ignore", []), "ignore", where),
        per_file_ignores={k: _strings(v, f"per-file-ignores.{k}", where) for k, v in pfi.items()},
        format=fmt,
    )
