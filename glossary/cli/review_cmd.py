"""``decalque review``: the reviewer's TUI (candidates, glossary, findings, bilingual)."""

from __future__ import annotations

import click

from glossary.cli import main
from glossary.cli.common import echo, glossary_option, glossary_path
from glossary.config import load_config
from glossary.diagnostics import select_rules
from glossary.files import DEFAULT_INCLUDE, collect, resolve_pairs


@main.command("review")
@click.argument("paths", nargs=-1)
@glossary_option
@click.option("--candidates", "candidates_path", metavar="CSV",
              help="candidates.csv from 'decalque extract -o' (default: extract from PATHs).")
@click.option("--source", "sources", multiple=True, metavar="ZH",
              help="Chinese source file or directory, paired with the English PATHs by file "
                   "name (repeatable); enables the Bilingual screen.")
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
        by_english, unpaired, files = resolve_pairs(files, list(paths), sources)
        for source in unpaired:
            echo(f"decalque: warning: {source}: no English file pairs with this source; "
                 f"skipped\n", err=True)
        pairs = [(zh, en) for en, zh in by_english.items()]
    rules = frozenset(r for r in select_rules(list(config.select), list(config.ignore))
                      if not r.startswith("DQ2"))
    per_file = {glob: [c for code in codes for c in select_rules([code]) - {"DQ001"}]
                for glob, codes in config.per_file_ignores.items()}
    from tui.app import ReviewApp

    ReviewApp(state, files, candidates, pairs, rules, per_file).run()
