"""Glossary exchange with translators' tools: TBX, CSV, XLSX, OmegaT, JSON and HTML out;
TBX, CSV and XLSX back in.

Each format module is a pair of functions over the shared shapes in :mod:`model` (``View ->
bytes`` to export, ``bytes -> Incoming`` to import); this module only picks the function.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from glossary.errors import DecalqueError
from glossary.exchange import html_page, json_doc, omegat, tabular, tbx
from glossary.exchange.model import DEFAULT_MAX_BYTES, Incoming, View, read_limited

EXPORTERS: dict[str, Callable[[View], bytes]] = {
    "tbx": tbx.dump,
    "csv": tabular.dump_csv,
    "xlsx": tabular.dump_xlsx,
    "omegat": omegat.dump,
    "json": json_doc.dump,
    "html": html_page.dump,
}
EXPORT_FORMATS: tuple[str, ...] = tuple(EXPORTERS)
IMPORT_FORMATS: tuple[str, ...] = ("tbx", "csv", "xlsx")
BINARY_FORMATS = frozenset({"xlsx"})
_BY_EXTENSION = {".tbx": "tbx", ".xml": "tbx", ".csv": "csv", ".xlsx": "xlsx", ".json": "json",
                 ".html": "html", ".htm": "html", ".utf8": "omegat", ".txt": "omegat",
                 ".tsv": "omegat"}


def format_for(path: str, allowed: tuple[str, ...]) -> str:
    """The format named by a file's extension, or a one-line error listing the choices."""
    fmt = _BY_EXTENSION.get(os.path.splitext(path)[1].lower())
    if fmt is None or fmt not in allowed:
        raise DecalqueError("cannot tell the format from the file name; pass --format ("
                            + "|".join(allowed) + ")", path)
    return fmt


def export(view: View, fmt: str) -> bytes:
    return EXPORTERS[fmt](view)


def read(path: str, fmt: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Incoming:
    """Read an import file (size-limited) into records; errors name the file and line."""
    data = read_limited(path, max_bytes)
    try:
        if fmt == "tbx":
            return tbx.load(data, path)
        if fmt == "csv":
            return tabular.load_csv(data, path)
        if fmt == "xlsx":
            return tabular.load_xlsx(data, path, max_bytes)
    except DecalqueError as exc:
        raise DecalqueError(exc.message, exc.path or path, exc.line) from None
    raise DecalqueError(f"cannot import {fmt} (import takes " + "|".join(IMPORT_FORMATS) + ")",
                        path)
