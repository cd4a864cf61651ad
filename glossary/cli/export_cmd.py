"""``decalque export``: the glossary in the formats translators' tools read."""

from __future__ import annotations

import sys

import click

from glossary import exchange, terms
from glossary.atomic import write_atomic
from glossary.cli import main
from glossary.cli.common import echo, glossary_option, glossary_path
from glossary.config import load_config
from glossary.errors import DecalqueError
from glossary.exchange import model


def _split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(exchange.EXPORT_FORMATS), default=None,
              help="Output format (default: from the -o file's extension).")
@click.option("-o", "--output", metavar="FILE", default=None,
              help="Write here (atomically) instead of standard output.")
@glossary_option
@click.option("--status", "statuses", multiple=True, metavar="STATUS",
              help="Only concepts with this status (approved, proposed, rejected; "
                   "comma-separated or repeated). Default: all.")
@click.option("--lang", "langs", default="zh,en", show_default=True, metavar="LANGS",
              help="Languages to include: zh, en or zh,en.")
@click.option("--per-term", is_flag=True,
              help="CSV/XLSX: one row per English term (with a Usage column) instead of one "
                   "row per concept.")
def export_cmd(fmt: str | None, output: str | None, glossary: str | None,
               statuses: tuple[str, ...], langs: str, per_term: bool) -> None:
    """Export the glossary for CAT tools, spreadsheets, scripts and readers.

    \b
    Formats:
      tbx     TBX-Basic (ISO 30042:2019) for Trados, memoQ, Phrase, OmegaT
      csv     spreadsheet CSV (UTF-8 with BOM), one row per concept or --per-term
      xlsx    Excel workbook, frozen header row, filter, fitted columns
      omegat  OmegaT tab-separated glossary (Chinese -> preferred, comment names
              the deprecated forms); save as *.txt or *.utf8 in glossary/
      json    versioned JSON (schema: docs/exchange.schema.json)
      html    one self-contained page with search and category filter

    The glossary must be valid (decalque glossary validate). See docs/exchange.md.

    \b
    Examples:
      decalque export --format tbx -o glossary.tbx
      decalque export -o glossary.xlsx --status approved --per-term
      decalque export --format omegat -o omegat/glossary/decalque.txt
      decalque export --format json --lang en | jq '.concepts | length'
      decalque export -o glossary.html
    """
    if fmt is None:
        if output is None:
            raise DecalqueError("pass --format (" + "|".join(exchange.EXPORT_FORMATS)
                                + ") or -o FILE with a known extension")
        fmt = exchange.format_for(output, exchange.EXPORT_FORMATS)
    path = glossary_path(glossary, load_config())
    gloss = terms.load_valid(path)
    view = model.select(gloss, _split(statuses), _split((langs,)), per_term)
    if per_term and fmt not in ("csv", "xlsx"):
        raise DecalqueError("--per-term applies to csv and xlsx only")
    data = exchange.export(view, fmt)
    if output is None or output == "-":
        if fmt in exchange.BINARY_FORMATS and sys.stdout.isatty():
            raise DecalqueError(f"{fmt} is binary: pass -o FILE")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomic(output, data)
    where = "standard output" if output in (None, "-") else output
    echo(f"exported {len(view.concepts)} of {len(gloss)} concepts from {path} to {where} "
         f"({fmt})\n", err=True)
