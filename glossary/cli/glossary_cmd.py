"""``decalque glossary``: validate, show, stats."""

from __future__ import annotations

import json

import click

from glossary import terms
from glossary.cli import main
from glossary.cli.common import echo, glossary_path
from glossary.config import load_config


@main.group("glossary")
def glossary_group() -> None:
    """Inspect and maintain the glossary (terms.csv).

    \b
    Examples:
      decalque glossary validate terms.csv
      decalque glossary show "network water army"
      decalque glossary stats
    """


@glossary_group.command("validate")
@click.argument("file", required=False)
def validate_cmd(file: str | None) -> None:
    """Check terms.csv and report every problem as FILE:LINE: message.

    Checks columns, duplicate or malformed ids, empty preferred, unknown status or category,
    deprecated forms that clash with accepted forms or with another concept, stray whitespace.
    Exit 0 if valid, 1 if problems were found, 2 if the file is not a glossary at all.

    \b
    Example:
      decalque glossary validate terms.csv
    """
    path = glossary_path(file, load_config())
    glossary = terms.load(path)
    for problem in glossary.problems:
        echo(f"{problem}\n")
    if glossary.problems:
        echo(f"{len(glossary.problems)} problem(s) in {path}\n", err=True)
        raise SystemExit(1)
    echo(f"{path}: {len(glossary)} concepts, valid\n", err=True)


@glossary_group.command("show")
@click.argument("query")
@click.option("--glossary", "-g", "file", metavar="CSV", default=None, help="Glossary CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print the concepts as JSON.")
def show_cmd(query: str, file: str | None, as_json: bool) -> None:
    """Find concepts by id, Chinese term or any English form (case-insensitive).

    Exact matches are shown; if there are none, concepts containing QUERY. Exit 1 if nothing
    matches.

    \b
    Examples:
      decalque glossary show water-army
      decalque glossary show 网络水军
      decalque glossary show "internet navy"
    """
    glossary = terms.load(glossary_path(file, load_config()))
    found = glossary.find(query)
    if as_json:
        echo(json.dumps([c.as_dict() for c in found], ensure_ascii=False, indent=2) + "\n")
    else:
        for concept in found:
            echo(_describe(concept) + "\n")
    if not found:
        echo(f"no concept matches {query!r}\n", err=True)
        raise SystemExit(1)


def _describe(concept: terms.Concept) -> str:
    lines = [f"{concept.id}  [{concept.status}, {concept.category}]  (line {concept.line})",
             f"  zh:         {' | '.join(concept.zh)}",
             f"  preferred:  {concept.preferred}"]
    if concept.admitted:
        lines.append(f"  admitted:   {' | '.join(concept.admitted)}")
    if concept.deprecated:
        lines.append(f"  deprecated: {' | '.join(concept.deprecated)}")
    if concept.note:
        lines.append(f"  note:       {concept.note}")
    return "\n".join(lines) + "\n"


@glossary_group.command("stats")
@click.option("--glossary", "-g", "file", metavar="CSV", default=None, help="Glossary CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats_cmd(file: str | None, as_json: bool) -> None:
    """Count concepts by status and by category, and forms by kind.

    \b
    Example:
      decalque glossary stats --glossary terms.csv
    """
    path = glossary_path(file, load_config())
    glossary = terms.load(path)
    frame = glossary.to_frame()
    by_status = {s: int((frame["status"] == s).sum()) for s in terms.STATUSES}
    by_category = {c: int((frame["category"] == c).sum()) for c in terms.CATEGORIES}
    forms = {kind: sum(len(getattr(c, kind)) for c in glossary)
             for kind in ("zh", "admitted", "deprecated")}
    data = {"path": path, "concepts": len(glossary), "status": by_status,
            "category": by_category, "forms": forms, "problems": len(glossary.problems),
            "sha256": glossary.sha256}
    if as_json:
        echo(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    console.print(f"[bold]{path}[/]: {len(glossary)} concepts, sha256 {glossary.sha256[:12]}"
                  + (f", [red]{len(glossary.problems)} problem(s)[/]" if glossary.problems
                     else ""))
    for title, counts in (("status", by_status), ("category", by_category)):
        table = Table(title=f"by {title}", title_justify="left")
        table.add_column(title)
        table.add_column("concepts", justify="right")
        for key, value in counts.items():
            table.add_row(key, str(value))
        console.print(table)
    console.print(f"forms: {forms['zh']} zh, {forms['admitted']} admitted, "
                  f"{forms['deprecated']} deprecated")
