"""The extractor over files: map each file to its phrase facts (``document_phrases``), fold
them into mergeable ``Facts``, score them per key (``score_facts``), then cluster the keys
that scored and build the candidates here (``score.candidates``). One code path for both
engines (``glossary.engine.fold_paths``): locally, the corpus is one partition and one
bucket of keys; on Dask, workers read the files (paths travel, not text), fold each
partition, shuffle the facts by key hash, merge and score each bucket, and only the keys with
a positive score (and the unreadable files) reach the client. Same candidates, same scores.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from glossary import engine as engines
from glossary.collector import paused_collector
from glossary.documents import Document, read_document
from glossary.errors import DecalqueError
from glossary.extract.candidates import (
    DocumentPhrases,
    document_phrases,
    line_contexts,
    phrase_key,
)
from glossary.extract.score import Candidate, Facts, Scored, candidates, combine, score_facts
from glossary.terms import Glossary

# The map needs no per-run context: word facts are memoised per process and the lexicon is
# only used by the reduce. The key still names the run's code path for the worker cache.
CONTEXT_KEY = engines.context_key("extract", 1)


# The local engine holds every distinct n-gram's facts until scoring: measured up to ~80 bytes
# of memory per byte of text (4 GB for 50 MB of random-word text, the worst case).
LOCAL_MEMORY_FACTOR = 80
WARN_ENV = "DECALQUE_EXTRACT_WARN_MB"
DEFAULT_WARN_MB = 50.0


def local_memory_warning(paths: Sequence[str]) -> str | None:
    """A warning when the inputs are large enough for the local engine to need gigabytes
    (over ``$DECALQUE_EXTRACT_WARN_MB``, default 50 MB of files); None otherwise."""
    try:
        limit = float(os.environ.get(WARN_ENV, DEFAULT_WARN_MB)) * 2**20
    except ValueError:
        limit = DEFAULT_WARN_MB * 2**20
    total = 0
    for path in paths:
        try:
            total += os.path.getsize(path) if path != "-" else 0
        except OSError:
            continue  # reported when it is read
    if total <= limit:
        return None
    return (f"{total / 2**20:,.1f} MB of text: extracting here may need up to "
            f"{total * LOCAL_MEMORY_FACTOR / 2**30:,.1f} GB of memory; --engine dask spreads "
            "the phrase facts over workers, which spill to disk")


def no_context(_: object) -> None:
    return None


def phrases_of_file(path: str, label: str,
                    _context: object = None) -> DocumentPhrases | DecalqueError | None:
    """Map step: the phrase facts of the file at ``path``, reported as ``label``; a file that
    cannot be read is its error (reported by the caller), one without words is None."""
    try:
        doc = read_document(path)
    except DecalqueError as exc:
        if exc.path == path:
            exc.path = label
        return exc
    phrases = document_phrases(doc)
    if not phrases.words:
        return None
    phrases.path = label
    # not interned: each document's strings are merged into one dict per partition
    # (``fold_phrases``) that keeps the first copy, so interning cost 20% of the time and
    # saved no memory (609 against 560 MB peak on 1M words)
    return phrases


# What a partition tells the client: its unreadable files (in path order) and how many of its
# files had English words.
Report = tuple[list[DecalqueError], int]


def fold_phrases(mapped: Iterable[DocumentPhrases | DecalqueError | None],
                 buckets: int) -> tuple[Report, list[Facts]]:
    """A partition's map results (in path order) folded into its facts, split into
    ``buckets`` by key, and its report."""
    facts = Facts()
    failures: list[DecalqueError] = []
    docs = 0
    with paused_collector():  # as ``score.merge``: ten containers per key, no cycles
        for result in mapped:
            if isinstance(result, DocumentPhrases):
                facts.add_document(result)
                docs += 1
            elif isinstance(result, DecalqueError):
                failures.append(result)
    return (failures, docs), facts.split(buckets)


def run_extract(paths: Sequence[str], glossary: Glossary | None, min_count: int = 1, *,
                engine: str = "local", scheduler: str | None = None,
                partitions: int | None = None, client: Any | None = None,
                progress: Callable[[int], None] | None = None,
                warn: Callable[[DecalqueError], None] | None = None,
                where: str | None = None) -> list[Candidate]:
    """Candidates from the files at ``paths``, best first, whatever the engine.

    Unreadable files are passed to ``warn`` in path order and skipped when there are
    several; a single unreadable file, or no English text at all, is an error (naming
    ``where``, the user's inputs, default the paths)."""
    reports, buckets = engines.fold_paths(
        paths, phrases_of_file, no_context, None, key=CONTEXT_KEY, fold=fold_phrases,
        combine=combine, finish=partial(score_facts, min_count=min_count), engine=engine,
        scheduler=scheduler, partitions=partitions, client=client, progress=progress)
    failures = [failure for part_failures, _ in reports for failure in part_failures]
    docs = sum(count for _, count in reports)
    if not docs and len(paths) == 1 and failures:
        raise failures[0]
    if warn and len(paths) > 1:
        for failure in failures:
            warn(failure)
    if not docs:
        raise DecalqueError("no English text to extract from (empty, binary or non-English "
                            "input)", where or ", ".join(paths))
    scored: Scored = {}
    for bucket in buckets:
        scored.update(bucket)
    return candidates(scored, glossary)


# Most text re-read to find the contexts of forms seen only as bare counts
CONTEXT_SCAN_BYTES = 256 * 2**20


def with_found_contexts(found: Sequence[Candidate], paths: Sequence[str],
                        limit: int = CONTEXT_SCAN_BYTES) -> list[Candidate]:
    """The candidates with a context for each form that has none yet (up to three contexts a
    candidate), found by reading the files again in order with the glossary's matcher (any
    case, hyphens, plurals): a form said once is a bare count, which keeps no context (a
    ``two_ways`` twin, a key said once in each of two documents), and the map cannot know
    which bare counts will matter. Stops when every form has one or after ``limit``
    characters; the inputs are left as they were."""
    from glossary.match import Matcher
    from glossary.terms import Concept

    out = [replace(c, contexts=list(c.contexts)) for c in found]
    open_ = [c for c in out if len(c.contexts) < 3]
    spellings: dict[str, set[str]] = {}  # phrase key of a form -> its surfaces
    for cand in open_:
        for form in cand.forms:
            key = phrase_key(form.text.split())
            if key:
                spellings.setdefault(key, set()).add(" ".join(form.text.split()))
    if not spellings:
        return out
    matcher = Matcher([Concept(key, key, admitted=tuple(sorted(texts - {key})))
                       for key, texts in spellings.items()])
    wanted: dict[str, list[Candidate]] = {}  # phrase key -> candidates still without it
    for cand in open_:
        seen = {m.concept for m in matcher.find("\n".join(t for _, _, t in cand.contexts))}
        for key in dict.fromkeys(phrase_key(f.text.split()) for f in cand.forms):
            if key and key not in seen:
                wanted.setdefault(key, []).append(cand)
    scanned = 0
    for path in paths:
        if not wanted or scanned >= limit:
            break
        try:
            doc = read_document(path)
        except DecalqueError:
            continue  # already reported by the extraction
        scanned += len(doc.text)
        for match in matcher.find(doc.masked, original=doc.text):
            owners = wanted.pop(match.concept, None)
            if owners is None:
                continue
            [(line, snippet)] = line_contexts(doc, [match.start], [match.end])[0]
            for cand in owners:
                if len(cand.contexts) < 3:
                    cand.contexts.append((path, line, snippet))
            if not wanted:
                break
    return out


def in_sentences(found: Sequence[Candidate], limit: int = CONTEXT_SCAN_BYTES
                 ) -> list[Candidate]:
    """The candidates with each context shown as the sentence that holds the phrase (KWIC:
    ``aligner.sentences.sentence_around``), read again from its file: the map keeps ~90
    characters either side of a phrase, cut mid-word, since sentence bounds for every
    phrase of a corpus would cost more than the map. A context whose file is gone or
    changed, or would take the bytes read past ``limit``, keeps its snippet; the inputs are
    left as they were."""
    from aligner.sentences import sentence_around

    docs: dict[str, Document | None] = {}
    read = 0
    out = []
    for cand in found:
        forms = [" ".join(f.text.split()).lower() for f in cand.forms]
        contexts = []
        for path, line, snippet in cand.contexts:
            doc = docs.get(path)
            if doc is None and path not in docs:
                try:  # a file larger than what is left to read keeps its snippets
                    fits = read + os.path.getsize(path) <= limit
                    doc = read_document(path) if fits else None
                    read += len(doc.text) if doc is not None else 0
                except (DecalqueError, OSError):
                    doc = None
                docs[path] = doc
            text = doc.line_text(line) if doc is not None else ""
            core = snippet.strip("…")
            at = text.find(core) if core else -1
            if doc is None or at < 0:
                contexts.append((path, line, snippet))
                continue
            lowered = core.lower()
            spans = [(i, len(f)) for f in forms if (i := lowered.find(f)) >= 0]
            inner, size = min(spans) if spans else (0, len(core))
            shown = sentence_around(text, at + inner, at + inner + size)
            contexts.append((path, line, _wrapped(doc, line, text, shown)))
        out.append(replace(cand, contexts=contexts))
    return out


_ENDS_SENTENCE = re.compile(r"[.!?。！？…:;][\"'”’)\]]*$")
# a Markdown table row, heading, list item or quote: a line of its own, not wrapped prose
_BLOCK = re.compile(r"\s*(?:[|#>*+-]|\d+[.)]\s)")


def _wrapped(doc: Document, line: int, text: str, shown: str) -> str:
    """``shown`` with "…" where it stops at a line end inside a sentence that a hard-wrapped
    paragraph continues on the next line (or began on the previous one)."""
    def prose(number: int) -> str:
        other = doc.line_text(number) if number >= doc.first_line else ""
        return "" if _BLOCK.match(other) else other.strip()

    if _BLOCK.match(text):
        return shown
    if (not shown.endswith("…") and text.rstrip().endswith(shown)
            and not _ENDS_SENTENCE.search(shown) and prose(line + 1)):
        shown += "…"
    before = prose(line - 1)
    if (not shown.startswith("…") and text.lstrip().startswith(shown.removesuffix("…"))
            and before and not _ENDS_SENTENCE.search(before)):
        shown = "…" + shown
    return shown
