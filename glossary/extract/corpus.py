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
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from glossary import engine as engines
from glossary.documents import read_document
from glossary.errors import DecalqueError
from glossary.extract.candidates import DocumentPhrases, PhraseStats, document_phrases
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
    return _interned(phrases)


def _interned(phrases: DocumentPhrases) -> DocumentPhrases:
    """The same facts with keys and surfaces interned (values unchanged): n-grams repeat
    across the documents of a partition, so its pickle, and the client, keep one copy."""
    intern = sys.intern
    phrases.phrases = {intern(key): _interned_stats(stats)
                       for key, stats in phrases.phrases.items()}
    phrases.singles = Counter({intern(key): n for key, n in phrases.singles.items()})
    return phrases


def _interned_stats(stats: PhraseStats) -> PhraseStats:
    stats.surfaces = Counter({sys.intern(s): n for s, n in stats.surfaces.items()})
    stats.mid_case = Counter({sys.intern(s): n for s, n in stats.mid_case.items()})
    return stats


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
    for result in mapped:
        if isinstance(result, DocumentPhrases):
            facts.add(Facts.of(result), fresh=True)
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
