"""Paths on the command line -> the files to check, in a stable order.

Directories are walked without following symlinks (no loops); explicit files are always taken
whatever their suffix. Problems (missing path, unreadable directory) are returned, not raised,
so the other files are still checked.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from glossary.errors import DecalqueError

DEFAULT_INCLUDE: tuple[str, ...] = ("*.txt", "*.md", "*.markdown", "*.html", "*.htm")
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", "build",
    "dist", ".mypy_cache", ".pytest_cache", ".ruff_cache",
)


@dataclass
class FileSet:
    files: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)


def _matches(path: str, patterns: Iterable[str]) -> bool:
    name = os.path.basename(path)
    norm = path.replace(os.sep, "/")
    for pattern in patterns:
        if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(norm, pattern):
            return True
        if "/" in pattern and fnmatch.fnmatch(norm, "*/" + pattern.lstrip("/")):
            return True
    return False


def collect(paths: Sequence[str], include: Sequence[str] = DEFAULT_INCLUDE,
            exclude: Sequence[str] = ()) -> FileSet:
    """Expand files and directories; '-' (stdin) is passed through as is."""
    result = FileSet()
    excluded = tuple(DEFAULT_EXCLUDE) + tuple(exclude)
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            result.files.append(key)

    for path in paths:
        if path == "-":
            add(path)
            continue
        if os.path.isdir(path):
            errors: list[OSError] = []
            found: list[str] = []
            for root, dirs, names in os.walk(path, onerror=errors.append, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not _matches(os.path.join(root, d), excluded))
                for name in sorted(names):
                    full = os.path.join(root, name)
                    if _matches(full, include) and not _matches(full, excluded):
                        found.append(full)
            for error in errors:
                result.problems.append((error.filename or path,
                                        f"cannot read directory: {error.strerror}"))
            for full in sorted(found):
                add(full)
        elif os.path.lexists(path):
            add(path)
        else:
            result.problems.append((path, "no such file or directory"))
    return result


def resolve_pairs(english: list[str], english_roots: Sequence[str], sources: Sequence[str],
                  pairs_file: str | None = None,
                  patterns: Sequence[str] = DEFAULT_INCLUDE
                  ) -> tuple[dict[str, str], list[str], list[str]]:
    """English path -> Chinese source path from a pairs file and/or source paths (files or
    folders, paired by mirrored path or file name); the sources found in folders that pair
    with nothing (the caller warns); and the English files, without the sources. A file
    found on both sides (``check corpus/ --source corpus/`` over ``doc/en.txt`` and
    ``doc/zh.txt``) is a source when its name's language tag or its script says Chinese.
    Bad pairs files and explicit source files that pair with nothing are one-line errors."""
    from glossary.bilingual import pair_by_name, read_pairs_file, sources_by_english
    from glossary.encoding import read_text

    pairs: dict[str, str] = {}
    if pairs_file:
        text = read_text(pairs_file).text
        pairs.update(sources_by_english(read_pairs_file(pairs_file, text)))
    unpaired: list[str] = []
    if sources:
        found = collect(list(sources), tuple(patterns))
        for bad_path, reason in found.problems:
            raise DecalqueError(reason, bad_path)
        if not found.files:
            raise DecalqueError("no source files found", ", ".join(sources))
        both = set(found.files).intersection(english)
        chinese = {path for path in both if _reads_as_chinese(path)}
        english = [path for path in english if path not in chinese]
        source_files = [path for path in found.files if path not in both or path in chinese]
        named = {os.path.normpath(s) for s in sources if os.path.isfile(s)}
        paired, unpaired = pair_by_name([p for p in english if p not in pairs], source_files,
                                        english_roots, list(sources), strict=named - both)
        pairs.update(paired)
    return pairs, unpaired, english


def _reads_as_chinese(path: str) -> bool:
    """A file on both sides of a pairing: Chinese by its name's language tag ("zh.txt",
    "news_ZH-CN.txt"), else by its script (``rules.script.is_chinese_text``)."""
    from glossary.bilingual import name_language
    from glossary.encoding import read_text
    from glossary.rules.script import is_chinese_text

    language = name_language(path)
    if language is not None:
        return language == "zh"
    try:
        return is_chinese_text(read_text(path).text[:20000])
    except DecalqueError:
        return False  # read (and reported) as English
