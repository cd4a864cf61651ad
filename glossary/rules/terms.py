"""Glossary rules: DQ101 deprecated-term (per document), DQ102 inconsistent-rendering and
DQ103 inconsistent-case (across documents, over :class:`Occurrence` summaries)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping

from glossary.diagnostics import Diagnostic, Fix
from glossary.documents import Document
from glossary.match import Match, fold_form, in_title_case, is_sentence_start, suggestion_for
from glossary.rules import Occurrence, diagnostic_at, located
from glossary.terms import Concept

SEVERITY = {"approved": "error", "proposed": "warning"}

# Quoted phrases of 1-6 words: straight, curly, CJK and single quotes, with odd inner spacing.
_QUOTED = re.compile(
    r"\"\s*([^\"\n]{1,80}?)\s*\"|“\s*([^”\n]{1,80}?)\s*”|「\s*([^」\n]{1,80}?)\s*」"
    r"|‘\s*([^’\n]{1,80}?)\s*’"
)
_OPENING_QUOTES = ('"', "“", "「", "‘")


def renderings(doc: Document, matches: Iterable[Match]) -> list[Occurrence]:
    """Summaries of every glossary match (without the campaign year) for the reduce rules."""
    out: list[Occurrence] = []
    # sentence starts and titles are read on the masked text, where markup is blank: a term
    # after <title> or <p> starts its sentence, and a tag is no word of a title
    text, masked, path, span = doc.text, doc.masked, doc.path, doc.span
    for match in matches:  # once per match: built directly rather than through located()
        start = match.start
        surface = text[start:match.term_end].rstrip(" \"'")
        end = start + len(surface)
        line, col, end_line, end_col = span(start, end)
        out.append(Occurrence(path, start, end, line, col, end_line, end_col, surface,
                              is_sentence_start(masked, start), match.concept, match.kind,
                              match.form,
                              surface != surface.lower() and in_title_case(masked, start, end)))
    return out


def deprecated_terms(doc: Document, matches: Iterable[Match],
                     concepts: Mapping[str, Concept]) -> Iterator[Diagnostic]:
    """DQ101: each deprecated form, with the preferred rendering as a safe fix. Built straight
    from the match (no intermediate Occurrence), with positional arguments and each concept's
    message tail made once per document: this runs once per finding."""
    span, path, masked = doc.span, doc.path, doc.masked
    tails: dict[str, tuple[str, str]] = {}
    for match in matches:
        if match.kind != "deprecated":
            continue
        concept = concepts[match.concept]
        tail = tails.get(concept.id)
        if tail is None:
            tail = tails[concept.id] = (
                f"({concept.id}): deprecated rendering of {'/'.join(concept.zh) or concept.id}",
                SEVERITY.get(concept.status, "warning"))
        suggestion = suggestion_for(concept, match, masked)
        start, end = match.start, match.end
        yield Diagnostic(path, *span(start, end), "DQ101",
                         f'"{match.found}" → "{suggestion}" {tail[0]}', start, end, concept.id,
                         match.found, suggestion, Fix(start, end, suggestion), tail[1])


def quoted_phrases(doc: Document, covered: Iterable[tuple[int, int]]) -> list[Occurrence]:
    """Phrases of 1-6 words in quotation marks that the glossary does not already cover."""
    out: list[Occurrence] = []
    if not any(quote in doc.masked for quote in _OPENING_QUOTES):
        return out  # a few memchr scans instead of the regex trying every position
    spans = sorted(covered)
    for found in _QUOTED.finditer(doc.masked):
        index = next(i for i in range(1, 5) if found.group(i) is not None)
        phrase = found.group(index)
        start = found.start(index)
        words = phrase.split()
        if not 1 <= len(words) <= 6 or not any(ch.isalpha() for ch in phrase):
            continue
        end = start + len(phrase)
        if any(s <= start and end <= e for s, e in spans):
            continue
        out.append(located(doc, start, end, doc.text[start:end],
                           sentence_initial=is_sentence_start(doc.masked, found.start())))
    return out


def _spelling(occ: Occurrence) -> str:
    return " ".join(occ.surface.replace("-", " ").split())


def _same_case(occ: Occurrence, usual: str) -> bool:
    """Written like ``usual``; a sentence-initial occurrence may differ in its first letter."""
    spelled = _spelling(occ)
    if occ.sentence_initial:
        return spelled[1:] == usual[1:]
    return spelled == usual


def _forms_summary(counter: Counter[str], preferred: str) -> str:
    parts = [f'"{form}" ×{count}' for form, count in counter.most_common()]
    return ", ".join(parts) + f' (preferred: "{preferred}")'


def inconsistent_renderings(occurrences: Iterable[Occurrence],
                            concepts: Mapping[str, Concept]) -> Iterator[Diagnostic]:
    """DQ102: a concept rendered more than one way; every non-preferred occurrence is reported."""
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
        if len(forms) < 2:
            continue
        files = len({occ.path for occ in occs})
        shown = Counter({display[k]: n for k, n in forms.items()})
        message = (f"{concept.id} rendered {len(forms)} ways in {files} "
                   f"file{'s' if files != 1 else ''}: {_forms_summary(shown, concept.preferred)}")
        for occ in occs:
            if occ.kind != "preferred":
                yield diagnostic_at(occ, "DQ102", message, suggestion=concept.preferred,
                                    severity="warning")


def inconsistent_case(occurrences: Iterable[Occurrence]) -> Iterator[Diagnostic]:
    """DQ103: one term (glossary form or repeated quoted phrase) written with different
    capitalisation; occurrences that differ from the most common spelling are reported."""
    groups: dict[str, list[Occurrence]] = defaultdict(list)
    normalised: dict[str, str] = {}  # the same few surfaces recur across a corpus
    for occ in occurrences:
        if occ.title_case:
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
