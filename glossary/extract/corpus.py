"""The extractor over files: map each file to its phrase facts (``document_phrases``), then
reduce them all at once (``score.extract``). The map runs on an engine (this process or a
Dask cluster, ``glossary.engine``); the reduce always runs here, so both engines give the
same candidates with the same scores.

On Dask, workers read the files (paths travel, not text) and return only the per-document
summaries, with their repeated strings interned so a partition's pickle carries each once.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from glossary import engine as engines
from glossary.documents import read_document
from glossary.errors import DecalqueError
from glossary.extract.candidates import DocumentPhrases, PhraseStats, document_phrases
from glossary.extract.score import Candidate, extract
from glossary.terms import Glossary

# The map needs no per-run context: word facts are memoised per process and the lexicon is
# only used by the reduce. The key still names the run's code path for the worker cache.
CONTEXT_KEY = engines.context_key("extract", 1)


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
    mapped = engines.map_paths(paths, phrases_of_file, no_context, None, key=CONTEXT_KEY,
                               engine=engine, scheduler=scheduler, partitions=partitions,
                               client=client, progress=progress)
    docs = [m for m in mapped if isinstance(m, DocumentPhrases)]
    failures = [m for m in mapped if isinstance(m, DecalqueError)]
    del mapped
    if not docs and len(paths) == 1 and failures:
        raise failures[0]
    if warn and len(paths) > 1:
        for failure in failures:
            warn(failure)
    if not docs:
        raise DecalqueError("no English text to extract from (empty, binary or non-English "
                            "input)", where or ", ".join(paths))
    return extract(docs, glossary, min_count)
