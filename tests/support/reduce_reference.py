"""Reference copy of the one-pass reduce (DQ102, DQ103, DQ203, suppression, sorting) as it was
before the two-phase tally/emit split: tests compare the split against it on many partition
cuts. Not used by the package."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from operator import attrgetter

from glossary.check import CheckContext, DocumentResult, _suppressed
from glossary.diagnostics import Diagnostic
from glossary.match import fold_form
from glossary.rules import Occurrence, diagnostic_at
from glossary.rules.source import SourceRendering
from glossary.rules.terms import _forms_summary, _same_case, _spelling
from glossary.tense import untensed
from glossary.terms import Concept


def inconsistent_renderings(occurrences: Iterable[Occurrence],
                            concepts: Mapping[str, Concept]) -> Iterator[Diagnostic]:
    """DQ102: a concept rendered more than one way; every deprecated occurrence is reported."""
    by_concept: dict[str, list[Occurrence]] = defaultdict(list)
    for occ in occurrences:
        if occ.concept is not None:
            by_concept[occ.concept].append(occ)
    for concept_id, occs in by_concept.items():
        first = occs[0].form or occs[0].surface
        if all((occ.form or occ.surface) == first for occ in occs):
            continue  # one form written one way: nothing to count (most concepts)
        concept = concepts[concept_id]
        forms: Counter[str] = Counter()
        display: dict[str, str] = {}
        for occ in occs:
            key = fold_form(occ.form or occ.surface)
            forms[key] += 1
            display.setdefault(key, (occ.form or occ.surface).replace("{year}", "<year>"))
        ways = len({untensed(key, concept.deprecated) for key in forms})
        if ways < 2:
            continue  # one rendering in several tenses (since 2026-11-24)
        files = len({occ.path for occ in occs})
        shown = Counter({display[k]: n for k, n in forms.items()})
        message = (f"{concept.id} rendered {ways} ways in {files} "
                   f"file{'s' if files != 1 else ''}: {_forms_summary(shown, concept.preferred)}")
        for occ in occs:
            if occ.kind == "deprecated":
                yield diagnostic_at(occ, "DQ102", message, suggestion=concept.preferred,
                                    severity="warning")


def inconsistent_case(occurrences: Iterable[Occurrence]) -> Iterator[Diagnostic]:
    """DQ103: one term (glossary form or repeated quoted phrase) written with different
    capitalisation; occurrences that differ from the most common spelling are reported."""
    groups: dict[str, list[Occurrence]] = defaultdict(list)
    normalised: dict[str, str] = {}  # the same few surfaces recur across a corpus
    for occ in occurrences:
        if occ.case_unknown:
            continue  # a title's capitals say nothing about how the term is spelled
        spelled = normalised.get(occ.surface)
        if spelled is None:
            spelled = " ".join(occ.surface.casefold().replace("-", " ").split())
            normalised[occ.surface] = spelled
        key = f"{occ.concept}:{spelled}" if occ.concept else f"quote:{spelled}"
        groups[key].append(occ)
    for occs in groups.values():
        if len(occs) < 2:
            continue
        mid = [o for o in occs if not o.sentence_initial] or occs
        spellings = Counter(_spelling(o) for o in mid)
        usual, _ = spellings.most_common(1)[0]
        odd = [o for o in occs if not _same_case(o, usual)]
        if not odd:
            continue
        spellings.update(_spelling(o) for o in occs if o.sentence_initial and o in odd)
        listed = ", ".join(f'"{s}" ×{n}' for s, n in spellings.most_common())
        for occ in odd:
            yield diagnostic_at(
                occ, "DQ103",
                f'"{occ.surface}" is capitalised differently elsewhere: {listed}',
                suggestion=usual, severity="warning")


def inconsistent_source_renderings(items: Iterable[SourceRendering],
                                   concepts: Mapping[str, Concept]) -> Iterator[Diagnostic]:
    """DQ203: a zh term rendered more than one way across the bilingual corpus (occurrences
    left untranslated are DQ201's). Each rendering that differs from the preferred one (or,
    when that is never used, from the most frequent) is reported with the ways and counts."""
    by_term: dict[str, list[SourceRendering]] = defaultdict(list)
    for item in items:
        by_term[item.term].append(item)
    for term, group in by_term.items():
        counts = Counter(item.rendering for item in group if item.rendering)
        if len(counts) < 2:
            continue
        untranslated = sum(1 for item in group if not item.rendering)
        concept = concepts.get(group[0].occurrence.concept or "")
        preferred = fold_form(concept.preferred.replace("{year}", "")) if concept else ""
        usual = preferred if preferred in counts else counts.most_common(1)[0][0]
        files = len({item.occurrence.path for item in group})
        ways = ", ".join(f'"{text}" ×{n}' for text, n in counts.most_common())
        if untranslated:
            ways += f" (untranslated ×{untranslated})"
        for item in group:
            if item.rendering == usual or not item.rendering:
                continue
            yield diagnostic_at(
                item.occurrence, "DQ203",
                f"{term} rendered {len(counts)} ways in {files} "
                f"file{'s' if files != 1 else ''}: {ways}",
                suggestion=concept.preferred.replace("{year}", "").strip() if concept else None)


def reduce_results(results: Sequence[DocumentResult], ctx: CheckContext) -> list[Diagnostic]:
    """Reduce step: cross-document rules over the summaries, then suppression and ordering."""
    diagnostics: list[Diagnostic] = [d for r in results for d in r.diagnostics]
    if "DQ102" in ctx.rules:
        diagnostics.extend(inconsistent_renderings(
            (o for r in results for o in r.renderings), ctx.concepts))
    if "DQ103" in ctx.rules:
        diagnostics.extend(inconsistent_case(
            [o for r in results for o in (*r.renderings, *r.quoted)]))
    if "DQ203" in ctx.rules:
        diagnostics.extend(inconsistent_source_renderings(
            (s for r in results for s in r.source_renderings), ctx.concepts))
    by_path = {r.path: r for r in results}
    # with no inline markers and no per-file ignores nothing can be suppressed
    suppressing = bool(ctx.per_file_ignores) or any(r.suppressions for r in results)
    kept = [d for d in diagnostics if d.code in ctx.rules
            and not (suppressing and _suppressed(d, by_path.get(d.path), ctx.per_file_ignores))]
    kept.sort(key=attrgetter("path", "line", "col", "code", "end"))
    return kept
