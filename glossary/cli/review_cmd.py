"""``decalque review``: the reviewer's TUI (candidates, glossary, findings, bilingual)."""

from __future__ import annotations

import os

import click

from glossary.cli import main
from glossary.cli.common import echo, glossary_option, glossary_path
from glossary.config import load_config
from glossary.diagnostics import select_rules
from glossary.errors import DecalqueError
from glossary.files import DEFAULT_INCLUDE, collect


def pair_sources(sources: list[str], documents: list[str]) -> list[tuple[str, str]]:
    """(zh, en) pairs: by file name when every source has an English namesake, else by
    position when the counts agree."""
    by_name = {os.path.basename(path): path for path in documents}
    if sources and all(os.path.basename(s) in by_name for s in sources):
        return [(s, by_name[os.path.basename(s)]) for s in sources]
    if len(sources) != len(documents):
        raise DecalqueError(f"--source needs one Chinese file per English document (got "
                            f"{len(sources)} source file(s) and {len(documents)} document(s), "
                            "and their names differ)")
    return list(zip(sources, documents, strict=True))


@main.command("review")
@click.argument("paths", nargs=-1)
@glossary_option
@click.option("--candidates", "candidates_path", metavar="CSV",
              help="candidates.csv from 'decalque extract -o' (default: extract from PATHs).")
@click.option("--source", "sources", multiple=True, metavar="ZH",
              help="Chinese source file or directory, paired with the English PATHs by file "
                   "name or order (repeatable); enables the Bilingual screen.")
def review_cmd(paths: tuple[str, ...], glossary: str | None, candidates_path: str | None,
               sources: tuple[str, ...]) -> None:
    """Review candidates, the glossary and findings in a terminal UI.

    Screens (switch with 1-4): Candidates (approve, reject, merge or skip what 'decalque
    extract' proposes), Glossary (filter, edit, change status), Findings ('decalque check'
    results for PATHs: apply a fix, add an inline ignore), Bilingual (with --source: aligned
    sentences, terms highlighted). ctrl+z undoes, ctrl+s saves terms.csv atomically (never
    over a file changed on disk meanwhile), q quits (asks when unsaved), ? shows the keys.

    Without --candidates the extractor runs on PATHs in the background.

    \b
    Examples:
      decalque review seeds/
      decalque review --candidates candidates.csv
      decalque review en/report.txt --source zh/report.txt
    """
    from tui.state import ReviewState

    config = load_config()
    state = ReviewState.open(glossary_path(glossary, config))
    candidates = None
    if candidates_path:
        from glossary.extract.io import read_candidates

        candidates = [c for c in read_candidates(candidates_path) if c.status != "known"]
    files: list[str] = []
    if paths:
        fileset = collect(list(paths), config.include or DEFAULT_INCLUDE, config.exclude)
        for bad, reason in fileset.problems:
            echo(f"decalque: warning: {bad}: {reason}\n", err=True)
        files = fileset.files
    pairs: list[tuple[str, str]] = []
    if sources:
        zh = collect(list(sources), DEFAULT_INCLUDE, ())
        if zh.problems:
            bad, reason = zh.problems[0]
            raise DecalqueError(reason, bad)
        pairs = pair_sources(zh.files, files)
    rules = frozenset(r for r in select_rules(list(config.select), list(config.ignore))
                      if not r.startswith("DQ2"))
    per_file = {glob: [c for code in codes for c in select_rules([code]) - {"DQ001"}]
                for glob, codes in config.per_file_ignores.items()}
    from tui.app import ReviewApp

    ReviewApp(state, files, candidates, pairs, rules, per_file).run()
