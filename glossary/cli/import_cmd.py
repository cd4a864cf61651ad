"""``decalque import``: bring a glossary edited in a CAT tool or spreadsheet back into terms.csv."""

from __future__ import annotations

import os
import re

import click

from glossary import exchange, terms
from glossary.cli import main
from glossary.cli.common import echo, glossary_path
from glossary.config import load_config
from glossary.encoding import decode
from glossary.errors import DecalqueError
from glossary.exchange import model
from glossary.fix import unified_diff

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """``50M``, ``512K``, ``2G`` or plain bytes."""
    match = _SIZE.match(text)
    if not match:
        raise DecalqueError(f"--max-size {text!r}: expected a size like 50M, 512K or 1048576")
    factor = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


def _short(value: str, width: int = 40) -> str:
    return repr(value if len(value) <= width else value[: width - 1] + "…")


@main.command("import")
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(exchange.IMPORT_FORMATS), default=None,
              help="Input format (default: from the extension: .tbx/.xml, .csv, .xlsx).")
@click.option("--into", "into", metavar="CSV", default=None,
              help="Glossary to merge into (default: [tool.decalque] glossary, else "
                   "./terms.csv); a missing file is created.")
@click.option("--dry-run", is_flag=True, help="Print the diff of terms.csv; write nothing.")
@click.option("--force", is_flag=True,
              help="Overwrite concepts that differ from terms.csv (conflicts).")
@click.option("--max-size", default="50M", show_default=True, metavar="SIZE",
              help="Refuse import files larger than this (XLSX: unpacked size).")
def import_cmd(file: str, fmt: str | None, into: str | None, dry_run: bool, force: bool,
               max_size: str) -> None:
    """Merge a TBX, CSV or XLSX glossary into terms.csv.

    Concepts are matched by id, else by a shared Chinese term plus the same preferred English
    form; unmatched ones are added at the end (status 'proposed' unless the file says). A
    field the file does not carry is left as it is. A matched concept that differs is a
    conflict: conflicts are listed and nothing is written unless --force. Rows that do not
    change keep their exact bytes, so exporting and importing back changes nothing.

    Exit codes: 0 merged (or nothing to do), 1 conflicts not applied, 2 bad input.

    \b
    Examples:
      decalque import glossary.tbx --dry-run
      decalque import reviewed.xlsx --into terms.csv
      decalque import vendor-termbase.tbx --force
      decalque import sheet.csv --format csv --max-size 5M
    """
    limit = parse_size(max_size)
    fmt = fmt or exchange.format_for(file, exchange.IMPORT_FORMATS)
    if into is None:
        into = glossary_path(None, load_config())
    if os.path.exists(into):
        gloss = terms.load(into)
    else:
        gloss = terms.build([], into)
    incoming = exchange.read(file, fmt, limit)
    result = model.merge(gloss, incoming)
    for notice in incoming.notices:
        echo(f"{file}: note: {notice}\n", err=True)
    if result.ignored_columns:
        echo(f"{file}: note: ignored column(s) not in {into}: "
             f"{', '.join(result.ignored_columns)}\n", err=True)
    for change in result.conflicts:
        before = change.before
        where = f" ({into}:{before.line})" if before is not None and before.line else ""
        differences = ", ".join(
            f"{name} {_short(before.value(name) if before else '')} -> "
            f"{_short(change.after.value(name))}" for name in change.fields)
        echo(f"{file}:{change.line}: conflict: {change.after.id!r}{where} (matched by "
             f"{change.matched_by}): {differences}\n")
    before_bytes = gloss.dumps() if os.path.exists(into) else b""
    after_bytes = result.glossary.dumps()
    summary = (f"{file}: {result.count('added')} added, {result.count('changed')} changed, "
               f"{result.count('unchanged')} unchanged")
    if dry_run:
        old_text = decode(before_bytes, into).text if before_bytes else ""
        echo(unified_diff(into, old_text, decode(after_bytes, into).text))
        echo(f"{summary} (dry run: nothing written)\n", err=True)
        if result.conflicts and not force:
            raise SystemExit(1)
        return
    if result.conflicts and not force:
        echo(f"{summary}; {len(result.conflicts)} conflict(s): nothing written (rerun with "
             "--force to overwrite, or --dry-run to see the diff)\n", err=True)
        raise SystemExit(1)
    if after_bytes != before_bytes:
        result.glossary.save(into)
        echo(f"{summary}; wrote {into}\n", err=True)
    else:
        echo(f"{summary}; {into} unchanged\n", err=True)
