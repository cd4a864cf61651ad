"""``decalque extract`` (candidate calques) and ``decalque glossary add --from``."""

from __future__ import annotations

import re

import click

from glossary import terms
from glossary.cli import main
from glossary.cli.common import echo, engine_options, glossary_option, progress
from glossary.cli.glossary_cmd import glossary_group
from glossary.config import load_config
from glossary.errors import DecalqueError
from glossary.extract.candidates import _YEAR, phrase_key
from glossary.extract.corpus import (
    in_sentences,
    local_memory_warning,
    run_extract,
    with_found_contexts,
)
from glossary.extract.io import read_candidates, to_csv, to_json, write_candidates
from glossary.extract.score import Candidate
from glossary.files import DEFAULT_INCLUDE, collect


def _optional_glossary(flag: str | None) -> terms.Glossary | None:
    config = load_config()
    path = flag or config.glossary
    if path is None:
        import os

        path = "terms.csv" if os.path.exists("terms.csv") else None
    return terms.load_valid(path) if path else None


@main.command("extract")
@click.argument("paths", nargs=-1, required=True)
@glossary_option
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Show only the best N candidates.")
@click.option("--min-count", type=click.IntRange(min=1), default=1,
              help="Ignore phrases seen fewer times (default 1).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--output", "-o", metavar="CSV", help="Write candidates.csv (atomic).")
@click.option("--include-known", is_flag=True,
              help="Also list candidates whose forms are all in the glossary already.")
@click.option("--source", "sources", multiple=True, metavar="ZH_PATH",
              help="Chinese source files or directories (repeatable), paired with the English "
                   "PATHs by mirrored path or file name (a language tag ending the name, "
                   "news.en.txt / news.zh.txt, is left out): adds zh term <-> rendering "
                   "evidence.")
@click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
@engine_options
def extract_cmd(paths: tuple[str, ...], glossary: str | None, top: int | None, min_count: int,
                fmt: str, output: str | None, include_known: bool, sources: tuple[str, ...],
                no_progress: bool, engine: str, scheduler: str | None,
                partitions: int | None) -> None:
    """Propose glossary candidates: literal or awkward phrases in English translations.

    Phrases of 1-6 words are scored from signals (quotation marks, word-by-word glosses of a
    Chinese word, pinyin, numbered slogans, capitalisation variance, years after names,
    unquoted siblings of quoted phrases, one term rendered two ways and the other phrases of
    the way it is mostly rendered, a word coordinated with itself, withheld names such as
    "Li Mou", hyphened words English does not make such as "person-times", recurrence across
    documents); names in Title Case, phrases whose words general English never joins ("water
    army"), parallel slogans ("hit early and hit small") and quotes around common English
    ("zero tolerance") are listed after them, then two verb forms joined by "and" ("listed
    and supervised"), and last, phrases said once whose common words English never joins
    ("meeting sale"; --min-count 2 leaves them out). Variants of
    one concept are clustered. Forms already in the glossary are marked known and hidden
    unless --include-known; rejected concepts never come back. See docs/extractor.md; for
    corpora larger than one machine, --engine dask (docs/scale.md) gives the same
    candidates. Each candidate shown has up to three contexts (file, line and the sentence
    that holds the phrase), read again from the files; a form seen once gets one found there
    too.

    \b
    Examples:
      decalque extract seeds/ --top 30
      decalque extract new-docs/ --format json > candidates.json
      decalque extract new-docs/ -o candidates.csv && decalque review --candidates candidates.csv
      decalque extract seeds/ --source seeds/zh/ --top 40
      decalque extract archive/ --engine dask --scheduler tcp://scheduler:8786 -o candidates.csv

    With --source, each Chinese file is aligned with its English file (aligner), Chinese
    terms are ranked by termhood and paired with their renderings; a rendering that glosses
    the term character by character is flagged aligned_literal, and the term is suggested as
    the candidate's zh.
    """
    gloss = _optional_glossary(glossary)
    files = collect(list(paths), DEFAULT_INCLUDE, ("zh", "README.md"))
    for bad, reason in files.problems:
        echo(f"decalque: warning: {bad}: {reason}\n", err=True)
    if not files.files:
        raise DecalqueError("no English text to extract from (nothing matched *.txt, *.md, "
                            "*.html)", ", ".join(paths))

    def warn(exc: DecalqueError) -> None:
        echo(f"decalque: warning: {exc} (skipped)\n", err=True)

    by_english: dict[str, str] = {}
    if sources:  # pairs first: a source found among the English paths is no English text
        from glossary.files import resolve_pairs

        by_english, unpaired, files.files = resolve_pairs(files.files, list(paths), sources)
        for source in unpaired:
            echo(f"decalque: warning: {source}: no English file pairs with this source; "
                 f"skipped\n", err=True)
        if not by_english:
            raise DecalqueError("no source file pairs with an English file (pairing is by "
                                "mirrored path, then file name)", ", ".join(sources))
    heavy = local_memory_warning(files.files) if engine == "local" else None
    if heavy:
        echo(f"decalque: warning: {heavy}\n", err=True)

    with progress(len(files.files), "extracting", not no_progress) as advance:
        candidates = run_extract(files.files, gloss, min_count, engine=engine,
                                 scheduler=scheduler, partitions=partitions,
                                 progress=advance, warn=warn,  # type: ignore[arg-type]
                                 where=", ".join(paths))
    if sources:
        candidates = _bilingual(candidates, by_english, gloss, min_count, not no_progress)
    if not include_known:
        candidates = [c for c in candidates if c.status != "known"]
    if top:
        candidates = candidates[:top]
    candidates = in_sentences(with_found_contexts(candidates, files.files))
    if output:
        write_candidates(output, candidates)
        echo(f"wrote {len(candidates)} candidates to {output}\n", err=True)
    if fmt == "json":
        echo(to_json(candidates))
    elif fmt == "csv":
        echo(to_csv(candidates))
    elif not output:
        _table(candidates)


def _bilingual(candidates: list[Candidate], by_english: dict[str, str],
               gloss: terms.Glossary | None, min_count: int,
               show_progress: bool = True) -> list[Candidate]:
    from glossary.documents import read_document
    from glossary.extract.bilingual import bilingual_document, pair_terms, with_pairs

    pairs = [(zh, en) for en, zh in by_english.items()]
    glossary_pairs = [(zh, c.preferred) for c in gloss or () for zh in c.zh
                      if c.status != "rejected"]
    docs = []
    with progress(len(pairs), "aligning", show_progress) as advance:
        for zh_path, en_path in pairs:
            zh_doc = read_document(zh_path)
            if not any("\u4e00" <= ch <= "\u9fff" for ch in zh_doc.text[:20000]):
                raise DecalqueError("source file has no Chinese text", zh_path)
            docs.append(bilingual_document(zh_doc, read_document(en_path), glossary_pairs))
            advance(1)  # type: ignore[operator]
    return with_pairs(candidates, pair_terms(docs, min_count), gloss)


def _table(candidates: list[Candidate]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("#", "score", "key", "forms", "docs", "signals", "status"):
        table.add_column(column, overflow="fold")
    for rank, c in enumerate(candidates, 1):
        forms = "; ".join(f"{f.text} ×{f.count}" for f in c.forms[:4])
        signals = ", ".join(_signal_text(k, v, c.key) for k, v in c.signals.items()
                            if k not in {"docs", "count"})
        status = c.status + (f" ({c.known_concept})" if c.known_concept else "")
        table.add_row(str(rank), f"{c.score:.2f}", c.key, forms,
                      str(int(float(c.signals.get("docs", 1)))), signals, status)
    Console(highlight=False).print(table)


def _signal_text(name: str, value: float | str, key: str = "") -> str:
    """A flag as its name ("quoted", not "quoted=1.0"), a count without ".0", a word pair that
    is the key itself by name ("unusual_pair", not "unusual_pair=water army" on "water
    army"); the exact values are in --format json and csv."""
    if value == 1.0 or isinstance(value, str) and phrase_key(value.split()) == key:
        return name
    if isinstance(value, float) and value.is_integer():
        return f"{name}={int(value)}"
    return f"{name}={value}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "concept"


def _deprecated_forms(candidate: Candidate) -> list[str]:
    seen: dict[str, str] = {}
    for form in candidate.forms:
        text = " ".join(w for w in form.text.split() if not _YEAR.fullmatch(w))
        text = text.strip("\"'“”‘’ ")
        if text:
            seen.setdefault(terms.form_key(text), text.lower() if not text.isupper() else text)
    return list(seen.values())


@glossary_group.command("add")
@click.option("--from", "source", required=True, metavar="CSV",
              help="candidates.csv written by 'decalque extract -o'.")
@click.option("--ids", metavar="KEYS", help="Comma-separated candidate keys (default: all).")
@click.option("--preferred", "preferred", multiple=True, metavar="KEY=TEXT",
              help="Preferred rendering for a new concept (repeatable).")
@click.option("--category", type=click.Choice(terms.CATEGORIES), default="other",
              help="Category of new concepts (default other).")
@glossary_option
def add_cmd(source: str, ids: str | None, preferred: tuple[str, ...], category: str,
            glossary: str | None) -> None:
    """Append candidates to terms.csv as proposed concepts (atomic; validated first).

    A candidate that is a new form of a known concept adds its forms as deprecated forms of
    that concept. A new concept needs a preferred rendering: from the candidate
    (suggested_preferred) or from --preferred KEY=TEXT; candidates without one are skipped
    with a message. Nothing is written if the result would not validate.

    \b
    Examples:
      decalque glossary add --from candidates.csv --ids "cat pool" --preferred "cat pool=modem pool"
      decalque glossary add --from candidates.csv --ids "water army"
    """
    from glossary.cli.common import glossary_path

    path = glossary_path(glossary, load_config())
    gloss = terms.load_valid(path)
    candidates = read_candidates(source)
    wanted = {k.strip() for k in ids.split(",")} if ids else None
    given: dict[str, str] = {}
    for item in preferred:
        key, sep, text = item.partition("=")
        if not sep or not text.strip():
            raise DecalqueError(f"--preferred takes KEY=TEXT, got {item!r}")
        given[key.strip()] = text.strip()
    added = 0
    extended: dict[str, int] = {}  # known concept -> deprecated forms added to it
    for cand in candidates:
        if wanted is not None and cand.key not in wanted:
            continue
        forms = _deprecated_forms(cand)
        if cand.known_concept and gloss.get(cand.known_concept):
            concept = gloss.get(cand.known_concept)
            assert concept is not None
            have = {terms.form_key(f) for f, _ in concept.forms()}
            new = [f for f in forms if terms.form_key(f) not in have]
            if new:
                gloss = gloss.with_concept(terms.Concept(
                    **{**_fields(concept), "deprecated": concept.deprecated + tuple(new)}))
                extended[concept.id] = extended.get(concept.id, 0) + len(new)
            continue
        rendering = given.get(cand.key) or cand.suggested_preferred
        if not rendering:
            echo(f"decalque: skipped {cand.key!r}: no preferred rendering (pass --preferred "
                 f"'{cand.key}=...')\n", err=True)
            continue
        concept_id = _slug(cand.key)
        while gloss.get(concept_id):
            concept_id += "-x"
        gloss = gloss.with_concept(terms.Concept(
            id=concept_id, preferred=rendering,
            zh=tuple(z for z in cand.suggested_zh.split("|") if z),
            deprecated=tuple(f for f in forms if terms.form_key(f) != terms.form_key(rendering)),
            status="proposed", category=category, note="",
            extra=tuple((c, "") for c in gloss.columns if c not in terms.COLUMNS)))
        added += 1
    problems = terms.validate(gloss)
    if problems:
        raise DecalqueError(f"not added, the glossary would not validate: {problems[0].message}",
                            path)
    if wanted is not None and not added and not extended:
        raise DecalqueError(f"no candidate with key(s) {', '.join(sorted(wanted))} was added",
                            source)
    gloss.save()
    # "added 1 concept(s) to terms.csv and 2 deprecated form(s) to wang-mou", or only forms:
    # "added 2 deprecated form(s) to wang-mou in terms.csv"
    done = [f"{n} deprecated form(s) to {concept}" for concept, n in extended.items()]
    if added or not done:
        echo(f"added {' and '.join([f'{added} concept(s) to {path}', *done])}\n", err=True)
    else:
        echo(f"added {' and '.join(done)} in {path}\n", err=True)


def _fields(concept: terms.Concept) -> dict[str, object]:
    return {f: getattr(concept, f) for f in ("id", "preferred", "zh", "admitted", "deprecated",
                                              "status", "category", "note", "extra")}
