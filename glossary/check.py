"""The check pipeline: files -> documents -> per-document results -> cross-document rules ->
sorted, suppressed diagnostics.

``check_document`` (map) and the two-phase reduce (``tally_results`` per partition, merged
``CorpusTally.verdicts``, ``emit_results`` per partition; ``reduce_results`` is all three over
one partition) are pure and are the only steps an engine needs; the local engine below calls
them in-process, a distributed engine calls the same functions on workers.
"""

from __future__ import annotations

import fnmatch
import gc
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter

from glossary.bilingual import AlignedPair, align_documents, lexicon_pairs, term_renderings
from glossary.collector import paused_collector
from glossary.diagnostics import RULES_BY_CODE, RULES_BY_NAME, Diagnostic
from glossary.documents import STREAM_THRESHOLD, Document, iter_chunks, read_document
from glossary.errors import DecalqueError
from glossary.match import Folded, Match, Matcher, fold
from glossary.rules import Occurrence
from glossary.rules import numbers as number_rules
from glossary.rules import script as script_rules
from glossary.rules import source as source_rules
from glossary.rules import terms as term_rules
from glossary.terms import Concept, Glossary

_SUPPRESS = re.compile(
    r"(?:<!--|#)[ \t]*decalque:[ \t]*(ignore-next-line|ignore)\b[ \t]*\[?([A-Za-z0-9_, \t-]*)\]?"
)


SOURCE_RULES = frozenset({"DQ201", "DQ202", "DQ203"})


@dataclass(frozen=True)
class CheckContext:
    """Everything a check needs that does not depend on the document; built once per run
    (and once per worker process)."""

    glossary: Glossary
    rules: frozenset[str]
    matcher: Matcher
    concepts: Mapping[str, Concept]
    zh_terms: Mapping[str, Concept]
    pinyin: script_rules.PinyinCache
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    # English path -> Chinese source path (``--source``/``--pairs``); paths travel, not text
    sources: Mapping[str, str] = field(default_factory=dict)
    lexicon: tuple[tuple[str, str], ...] = ()  # (zh, English) glossary pairs for the aligner
    # institutions, whose names are common nouns too ("a city public security bureau": DQ103)
    common_names: frozenset[str] = frozenset()

    @classmethod
    def build(cls, glossary: Glossary, rules: frozenset[str],
              per_file_ignores: Mapping[str, Iterable[str]] | None = None,
              sources: Mapping[str, str] | None = None) -> CheckContext:
        matcher = Matcher(glossary, extra=number_rules.UNIT_PHRASES if "DQ106" in rules else ())
        zh_terms = {zh: c for c in glossary.active() for zh in c.zh}
        pinyin = script_rules.PinyinCache(
            script_rules.zh_pinyin_index(glossary.active()) if "DQ104" in rules else {})
        if "DQ104" in rules:
            script_rules.preload()
            pinyin.prepare()
        ignores = tuple((glob, frozenset(codes))
                        for glob, codes in (per_file_ignores or {}).items())
        lexicon = tuple(lexicon_pairs(glossary)) if SOURCE_RULES & rules else ()
        context = cls(glossary, rules, matcher, matcher.concepts, zh_terms, pinyin, ignores,
                      dict(sources or {}), lexicon,
                      frozenset(c.id for c in matcher.concepts.values()
                                if c.category == "organization"))
        # the glossary and matcher live as long as the run: keep them out of the cyclic
        # collector's full passes, which otherwise re-walk every concept and automaton entry
        gc.freeze()
        return context


@dataclass
class DocumentResult:
    """The map step's output: per-document findings plus the small summaries the
    cross-document rules reduce."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    renderings: list[Occurrence] = field(default_factory=list)
    quoted: list[Occurrence] = field(default_factory=list)
    suppressions: dict[int, frozenset[str] | None] = field(default_factory=dict)
    readable: bool = True
    source_renderings: list[source_rules.SourceRendering] = field(default_factory=list)


def _codes(text: str) -> frozenset[str] | None:
    items = [item for item in re.split(r"[,\s]+", text.strip()) if item]
    if not items:
        return None
    codes: set[str] = set()
    for item in items:
        if item.upper() in RULES_BY_CODE:
            codes.add(item.upper())
        elif item.lower() in RULES_BY_NAME:
            codes.add(RULES_BY_NAME[item.lower()].code)
    return frozenset(codes)


def suppressions(doc: Document) -> dict[int, frozenset[str] | None]:
    """Line -> suppressed codes (None = every rule) from inline ``decalque: ignore`` markers."""
    found: dict[int, frozenset[str] | None] = {}
    if ":" not in doc.text or "decalque:" not in doc.text:  # ':' alone is a fast memchr
        return found
    for marker in _SUPPRESS.finditer(doc.text):
        line, _ = doc.position(marker.start())
        target = line + 1 if marker.group(1) == "ignore-next-line" else line
        codes = _codes(marker.group(2))
        previous = found.get(target, frozenset())
        found[target] = None if codes is None or previous is None else previous | codes
    return found


# what every rule starts from: the document's folded text, its glossary matches and the spans
# of the matcher's extra phrases (DQ106's number units)
Prepared = tuple[Folded, list[Match], list[tuple[int, int]]]


def match_document(doc: Document, ctx: CheckContext) -> Prepared:
    """The document's folded text, its glossary matches and the number units found with them."""
    folded = fold(doc.masked)
    units: list[tuple[int, int]] = []
    matches = ctx.matcher.find(doc.masked, folded=folded, original=doc.text, extra_hits=units)
    return folded, matches, units


def check_document(doc: Document, ctx: CheckContext, source: Document | None = None,
                   prepared: Prepared | None = None) -> DocumentResult:
    """Map step: per-document rules and the summaries for the cross-document ones; with the
    Chinese ``source``, the two are aligned and the source-aware rules run too. ``prepared``
    is ``match_document``'s output when the caller matched a batch ahead."""
    result = DocumentResult(doc.path, suppressions=suppressions(doc))
    rules = ctx.rules
    folded, matches, units = prepared or match_document(doc, ctx)
    covered = [(m.start, m.end) for m in matches]
    if "DQ101" in rules:
        result.diagnostics.extend(term_rules.deprecated_terms(doc, matches, ctx.concepts))
    if {"DQ102", "DQ103"} & rules:
        result.renderings = term_rules.renderings(doc, matches, ctx.common_names)
    if "DQ103" in rules:
        result.quoted = term_rules.quoted_phrases(doc, covered)
    if "DQ104" in rules:
        result.diagnostics.extend(
            script_rules.romanized_chinese(doc, covered, ctx.pinyin, ctx.concepts, folded.text))
    if "DQ105" in rules:
        result.diagnostics.extend(script_rules.untranslated_chinese(doc, ctx.zh_terms))
    if "DQ106" in rules:
        result.diagnostics.extend(number_rules.literal_number_units(doc, units))
    if source is not None and SOURCE_RULES & rules:
        pair = align_documents(source, doc, ctx.lexicon)
        found, result.source_renderings = source_findings(pair, ctx, matches)
        if "DQ101" in rules:  # a deprecated rendering is DQ101's, with its fix: one finding
            reported = {(d.start, d.concept) for d in result.diagnostics if d.code == "DQ101"}
            found = [d for d in found
                     if d.code != "DQ201" or (d.start, d.concept) not in reported]
        result.diagnostics.extend(found)
    return result


def source_findings(pair: AlignedPair, ctx: CheckContext, matches: list[Match] | None = None
                    ) -> tuple[list[Diagnostic], list[source_rules.SourceRendering]]:
    """DQ201/DQ202 findings of an aligned pair and its DQ203 summaries (the checker and the
    review TUI's bilingual screen both call this)."""
    if matches is None:
        matches = ctx.matcher.find(pair.en.masked, original=pair.en.text)
    found = term_renderings(pair, ctx.matcher, matches)
    diagnostics: list[Diagnostic] = []
    if "DQ201" in ctx.rules:
        diagnostics.extend(source_rules.key_term_mismatches(pair, found, ctx.concepts))
    if "DQ202" in ctx.rules:
        diagnostics.extend(source_rules.number_mismatches(
            pair, [(m.start, m.end) for m in ctx.matcher.find_zh(pair.zh.text)],
            [(m.start, m.term_end) for m in matches]))
    summaries = source_rules.source_renderings(pair, found) if "DQ203" in ctx.rules else []
    return diagnostics, summaries


def read_failure(path: str, reason: str) -> DocumentResult:
    """A file that could not be read becomes one DQ001 diagnostic, not an exception."""
    diag = Diagnostic(path=path, line=1, col=1, end_line=1, end_col=1, code="DQ001",
                      message=f"skipped: {reason}", severity="error")
    return DocumentResult(path, diagnostics=[diag], readable=False)


STDIN = "<stdin>"


def read_stdin() -> Document:
    from glossary.encoding import decode

    decoded = decode(sys.stdin.buffer.read(), STDIN)
    return Document.from_text(decoded.text, STDIN, decoded=decoded)


def check_path(path: str, ctx: CheckContext) -> tuple[DocumentResult, Document | None]:
    """Read and check one file; a read problem is a DQ001 result. Files over
    STREAM_THRESHOLD are checked chunk by chunk and return no Document (no fixes)."""
    loaded = _load(path, ctx)
    if isinstance(loaded, DocumentResult):
        return loaded, None
    return _check_loaded(path, loaded, ctx), loaded


# Documents are read and matched a batch at a time: the automaton then scans them back to back
# while its tables are in the CPU cache (with 10,000 concepts, ~7% of the run's CPU)
BATCH_BYTES = 2 * 1024 * 1024
BATCH_FILES = 64


def check_paths(paths: Iterable[str], ctx: CheckContext
                ) -> Iterator[tuple[DocumentResult, Document | None]]:
    """``check_path`` of each path, in order, reading and matching a batch at a time."""
    batch: list[str] = []
    size = 0
    for path in paths:
        batch.append(path)
        try:
            size += os.path.getsize(path) if path != "-" else 0
        except OSError:
            pass  # reported when the batch is read
        if size >= BATCH_BYTES or len(batch) >= BATCH_FILES:
            yield from _check_batch(batch, ctx)
            batch, size = [], 0
    yield from _check_batch(batch, ctx)


def _check_batch(batch: Sequence[str], ctx: CheckContext
                 ) -> Iterator[tuple[DocumentResult, Document | None]]:
    loaded = [_load(path, ctx) for path in batch]
    prepared = [match_document(item, ctx) if isinstance(item, Document) else None
                for item in loaded]
    for path, item, ready in zip(batch, loaded, prepared, strict=True):
        if isinstance(item, DocumentResult):
            yield item, None
        else:
            yield _check_loaded(path, item, ctx, ready), item


def _load(path: str, ctx: CheckContext) -> DocumentResult | Document:
    """The document to check, or the finished result of a file that is streamed (over
    STREAM_THRESHOLD) or cannot be read."""
    try:
        if path != "-" and os.path.getsize(path) > STREAM_THRESHOLD:
            result = _check_streamed(path, ctx)
            if path in ctx.sources:  # alignment needs the whole document in memory
                note = read_failure(path, f"source checks skipped: the file is over "
                                          f"{STREAM_THRESHOLD // 2**20} MB and is checked in "
                                          f"chunks")
                result.diagnostics.extend(replace(d, severity="warning")
                                          for d in note.diagnostics)
            return result
        return read_stdin() if path == "-" else read_document(path)
    except DecalqueError as exc:
        return read_failure(STDIN if path == "-" else path, exc.message)
    except FileNotFoundError:
        reason = "broken symbolic link" if os.path.islink(path) else "no such file"
        return read_failure(path, reason)
    except OSError as exc:
        return read_failure(path, f"cannot read: {exc.strerror}")


def _check_loaded(path: str, doc: Document, ctx: CheckContext,
                  prepared: Prepared | None = None) -> DocumentResult:
    source_path = ctx.sources.get(path)
    if source_path is None:
        return check_document(doc, ctx, prepared=prepared)
    try:
        source = read_document(source_path)
    except DecalqueError as exc:  # the English is still checked, without its source
        result = check_document(doc, ctx, prepared=prepared)
        result.diagnostics.extend(read_failure(source_path, exc.message).diagnostics)
        return result
    return check_document(doc, ctx, source, prepared=prepared)


def _check_streamed(path: str, ctx: CheckContext) -> DocumentResult:
    merged = DocumentResult(path)
    for chunk in iter_chunks(path):
        part = check_document(chunk, ctx)
        merged.diagnostics.extend(part.diagnostics)
        merged.renderings.extend(part.renderings)
        merged.quoted.extend(part.quoted)
        merged.suppressions.update(part.suppressions)
    return merged


def _suppressed(diag: Diagnostic, result: DocumentResult | None,
                ignores: Sequence[tuple[str, frozenset[str]]]) -> bool:
    if diag.code == "DQ001":
        return False
    for glob, codes in ignores:
        if (fnmatch.fnmatch(diag.path, glob) or fnmatch.fnmatch(diag.path, "*/" + glob)) and (
                diag.code in codes or not codes):
            return True
    if result is None:
        return False
    for line in range(diag.line, diag.end_line + 1):
        if line in result.suppressions:
            codes = result.suppressions[line]
            if codes is None or diag.code in codes:
                return True
    return False


# -- the reduce, in two phases ---------------------------------------------------------------
# DQ102/DQ103/DQ203 decide per group over the whole corpus but report single occurrences. The
# reduce is therefore: (1) each partition of results (``(index, result)`` pairs: index = the
# document's position in the input, which ranks first-seen forms) is tallied, the tallies are
# merged; (2) the merged tally's verdicts are applied to each partition, which emits its
# finished findings. A distributed engine keeps each partition's results where they were made
# and moves only tallies, verdicts and findings; the local engine runs both phases on one
# partition. The same functions either way, so no rule exists twice.
IndexedResults = Sequence[tuple[int, DocumentResult]]


@dataclass
class CorpusTally:
    """Phase 1's output: the cross-document rules' facts about one partition (or, merged, the
    whole corpus). Small: it grows with distinct forms and phrases, not with occurrences."""

    renderings: term_rules.RenderingTally = field(default_factory=term_rules.RenderingTally)
    case: term_rules.CaseTally = field(default_factory=term_rules.CaseTally)
    source: source_rules.SourceTally = field(default_factory=source_rules.SourceTally)

    def merge(self, other: CorpusTally) -> CorpusTally:
        """Add ``other`` (unchanged) into this tally; merges are order-free (ranks)."""
        self.renderings.merge(other.renderings)
        self.case.merge(other.case)
        self.source.merge(other.source)
        return self

    def verdicts(self, ctx: CheckContext) -> Verdicts:
        return Verdicts(
            self.renderings.verdicts(ctx.concepts) if "DQ102" in ctx.rules else {},
            self.case.verdicts() if "DQ103" in ctx.rules else {},
            self.source.verdicts(ctx.concepts) if "DQ203" in ctx.rules else {})


@dataclass(frozen=True)
class Verdicts:
    """Phase 2's input, the same for every partition: each group that has findings, with its
    message (see the rules' ``verdicts``)."""

    renderings: Mapping[str, tuple] = field(default_factory=dict)
    case: Mapping[str, tuple] = field(default_factory=dict)
    source: Mapping[str, tuple] = field(default_factory=dict)


def _ranked_renderings(results: IndexedResults) -> Iterator[tuple[tuple[int, int], Occurrence]]:
    for index, result in results:
        for position, occ in enumerate(result.renderings):
            yield (index, position), occ


def _ranked_case(results: IndexedResults) -> Iterator[tuple[tuple[int, int], Occurrence]]:
    for index, result in results:
        for position, occ in enumerate((*result.renderings, *result.quoted)):
            yield (index, position), occ


def _ranked_sources(results: IndexedResults
                    ) -> Iterator[tuple[tuple[int, int], source_rules.SourceRendering]]:
    for index, result in results:
        for position, item in enumerate(result.source_renderings):
            yield (index, position), item


def tally_results(results: IndexedResults, rules: frozenset[str]) -> CorpusTally:
    """Phase 1 on one partition: the tallies of the cross-document rules that are on."""
    tally = CorpusTally()
    if "DQ102" in rules:
        tally.renderings.add(_ranked_renderings(results))
    if "DQ103" in rules:
        tally.case.add(_ranked_case(results))
    if "DQ203" in rules:
        tally.source.add(_ranked_sources(results))
    return tally


def emit_results(results: IndexedResults, verdicts: Verdicts,
                 ctx: CheckContext) -> list[Diagnostic]:
    """Phase 2 on one partition: its per-document findings and its share of the
    cross-document ones, suppressed and sorted. Partitions cut from the sorted path list
    give, concatenated, the corpus's sorted findings."""
    diagnostics: list[Diagnostic] = [d for _, r in results for d in r.diagnostics]
    if verdicts.renderings:
        diagnostics.extend(term_rules.emit_inconsistent_renderings(
            _ranked_renderings(results), verdicts.renderings))
    if verdicts.case:
        diagnostics.extend(term_rules.emit_inconsistent_case(
            _ranked_case(results), verdicts.case))
    if verdicts.source:
        diagnostics.extend(source_rules.emit_inconsistent_source_renderings(
            _ranked_sources(results), verdicts.source))
    by_path = {r.path: r for _, r in results}
    # with no inline markers and no per-file ignores nothing can be suppressed
    suppressing = bool(ctx.per_file_ignores) or any(r.suppressions for _, r in results)
    kept = [d for d in diagnostics if d.code in ctx.rules
            and not (suppressing and _suppressed(d, by_path.get(d.path), ctx.per_file_ignores))]
    kept.sort(key=attrgetter("path", "line", "col", "code", "end"))
    return kept


def reduce_results(results: Sequence[DocumentResult], ctx: CheckContext) -> list[Diagnostic]:
    """The whole reduce over one partition: tally, verdicts, emit."""
    indexed = list(enumerate(results))
    return emit_results(indexed, tally_results(indexed, ctx.rules).verdicts(ctx), ctx)


@dataclass
class CheckRun:
    diagnostics: list[Diagnostic]
    files: int
    documents: dict[str, Document]


def run_local(paths: Sequence[str], ctx: CheckContext, keep_documents: bool = False,
              progress: Callable[[int], None] | None = None) -> CheckRun:
    """The in-process engine: check each file, then reduce once."""
    results: list[DocumentResult] = []
    documents: dict[str, Document] = {}
    with paused_collector():  # findings make no reference cycles
        for result, doc in check_paths(paths, ctx):
            results.append(result)
            if keep_documents and doc is not None:
                documents[doc.path] = doc
            if progress:
                progress(1)
        return CheckRun(reduce_results(results, ctx), len(paths), documents)


def check_text(text: str, ctx: CheckContext, path: str = "<text>") -> list[Diagnostic]:
    """Check one in-memory text (used by the scorer, the TUI and tests)."""
    doc = Document.from_text(text, path)
    return reduce_results([check_document(doc, ctx)], ctx)
