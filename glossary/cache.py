"""A small on-disk cache of compiled artefacts that take seconds to build (the Hyperscan
database of a 10,000-concept glossary: ~2 s to compile, 2 ms to load). Entries are named by
the sha256 of what they were built from, written atomically, and the oldest are pruned, so
the cache never needs invalidating and stays a few entries big. A cache that cannot be read or
written is simply not used: it can never make a run fail.

Location: ``$DECALQUE_CACHE_DIR`` ("off" disables it), else ``$XDG_CACHE_HOME/decalque``, else
``~/.cache/decalque``."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from glossary.atomic import write_atomic
from glossary.errors import DecalqueError

KEEP = 4  # entries kept per kind: a few glossaries (or versions of one) in use at once


def cache_dir() -> Path | None:
    configured = os.environ.get("DECALQUE_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured and configured.lower() != "off" else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "decalque"


def read(kind: str, digest: str) -> bytes | None:
    """The cached bytes of ``kind`` built from input with sha256 ``digest``, or None."""
    directory = cache_dir()
    if directory is None:
        return None
    path = directory / f"{kind}-{digest}"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    with contextlib.suppress(OSError):  # recently used: pruned last (a read-only cache is fine)
        os.utime(path)
    return data


def write(kind: str, digest: str, data: bytes) -> None:
    """Store ``data``; keep the ``KEEP`` most recently used entries of ``kind``."""
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_atomic(directory / f"{kind}-{digest}", data)
        entries = sorted(directory.glob(f"{kind}-*"), key=lambda p: p.stat().st_mtime,
                         reverse=True)
    except (OSError, DecalqueError):
        return
    for old in entries[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
