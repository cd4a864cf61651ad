"""Glossary rules: DQ101 deprecated-term (per document), DQ102 inconsistent-rendering and
DQ103 inconsistent-case (across documents, over :class:`Occurrence` summaries)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from glossary.diagnostics import Diagnostic, Fix
from glossary.documents import Document
from glossary.match import (
    Match,
    article_fixed,
    attributive_fixed,
    fold_form,
    in_title_case,
    is_sentence_start,
    name_goes_on,
    named_by,
    names_a_kind,
    possessive_fixed,
    repeat_after_fixed,
    repeat_fixed,
    suggestion_for,
)
from glossary.quotes import quotations
from glossary.rules import Covered, Occurrence, diagnostic_at, located
from glossary.tense import untensed
from glossary.terms import COUNTER, Concept

SEVERITY = {"approved": "error", "proposed": "warning"}
# "of" and the space after a counter, when a noun (or its quotation mark) follows
_COUNTED_NOUN = re.compile(r"[ \t]+of[ \t]+(?=[\w\"'“‘])")

_OPENING_QUOTES = ('"', "“", "「", "‘")
_CLOSING_QUOTES = frozenset("\"”」’'")


def renderings(doc: Document, matches: Iterable[Match],
               common_names: Collection[str] = frozenset()) -> list[Occurrence]:
    """Summaries of every glossary match (without the campaign year) for the reduce rules.
    ``common_names`` are the concepts whose name is also a common noun (an institution: "a
    city public security bureau"); the lower-case use of a correct form after no proper noun
    is no evidence of how the name is spelled, so DQ103 leaves it out."""
    out: list[Occurrence] = []
    # sentence starts and titles are read on the masked text, where markup is blank: a term
    # after <title> or <p> starts its sentence, and a tag is no word of a title
    text, masked, path, span = doc.text, doc.masked, doc.path, doc.span
    for match in matches:  # once per match: built directly rather than through located()
        start = match.start
        surface = text[start:match.term_end].rstrip(" \"'")
        end = start + len(surface)
        line, col, end_line, end_col = span(start, end)
        if surface != surface.lower():
            # a term quoted whole is read with its marks ('"Daigou" Purchasing' in a
            # headline); an institution's capitals after a name are its own ("Jiangbei
            # Branch of Chongqing Public Security Bureau"), not a long title's
            closing = (_closing_end(masked, end) if start and masked[start - 1] in
                       _OPENING_QUOTES else end)
            quoted = closing > end
            unknown = (in_title_case(masked, start - 1 if quoted else start, closing,
                                     long_titles=match.concept not in common_names)
                       or name_goes_on(masked, start, end) or names_a_kind(masked, end))
        else:
            unknown = (match.concept in common_names and match.kind != "deprecated"
                       and not named_by(masked, start))
        out.append(Occurrence(path, start, end, line, col, end_line, end_col, surface,
                              is_sentence_start(masked, start), match.concept, match.kind,
                              match.form, unknown))
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
        start, end = match.start, match.end
        counted = (_COUNTED_NOUN.match(masked, end) if concept.category == COUNTER
                   else None)
        if counted is not None:  # "18,000 person-times of police" counts police
            yield Diagnostic(path, *span(start, end), "DQ101",
                             f'"{match.found} of" → count the noun itself {tail[0]}', start, end,
                             concept.id, match.found, "", Fix(start, counted.end(), ""), tail[1])
            continue
        suggestion = attributive_fixed(masked, end, suggestion_for(concept, match, masked),
                                       match.found)
        fix_start, replacement = repeat_fixed(masked, start, suggestion)
        if fix_start == start:
            fix_start, replacement = article_fixed(masked, start, suggestion)
        fix_end, replacement = repeat_after_fixed(masked, end, replacement, match.found)
        fix_end, replacement = possessive_fixed(masked, fix_end, replacement)
        # a counter with no noun after it names what it counts by context ("468,000
        # household-times were visited"): the preferred word is a suggestion, not a safe fix
        safe = concept.category != COUNTER
        yield Diagnostic(path, *span(start, end), "DQ101",
                         f'"{match.found}" → "{suggestion}" {tail[0]}', start, end, concept.id,
                         match.found, suggestion, Fix(fix_start, fix_end, replacement, safe),
                         tail[1])


def quoted_phrases(doc: Document, covered: Iterable[tuple[int, int]]) -> list[Occurrence]:
    """Phrases of 1-6 words in quotation marks that the glossary does not already cover."""
    out: list[Occurrence] = []
    if not any(quote in doc.masked for quote in _OPENING_QUOTES):
        return out  # a few memchr scans instead of the regex trying every position
    spans = Covered(covered)
    for mark, start, phrase in quotations(doc.masked):  # 1-6 words, odd spacing too
        words = phrase.split()
        if not 1 <= len(words) <= 6 or not any(ch.isalpha() for ch in phrase):
            continue
        end = start + len(phrase)
        if spans.contains(start, end):
            continue
        surface = doc.text[start:end]
        # a quotation in a headline or a title, or naming a programme, is capitalised as such
        unknown = surface != surface.lower() and (
            in_title_case(doc.masked, mark, _closing_end(doc.masked, end))
            or names_a_kind(doc.masked, end))
        out.append(located(doc, start, end, surface,
                           sentence_initial=is_sentence_start(doc.masked, mark),
                           case_unknown=unknown))
    return out


def _closing_end(text: str, end: int) -> int:
    """The offset after a quotation's closing mark right after ``end`` (odd spaces before it
    too), or ``end`` when none follows."""
    at = end
    while at < len(text) and text[at] in " \t":
        at += 1
    return at + 1 if at < len(text) and text[at] in _CLOSING_QUOTES else end


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


# -- DQ102 and DQ103: tally (per partition, mergeable) then emit (per partition) -----------------
# A cross-document rule decides per group (concept, spelling) over the whole corpus but reports
# on single occurrences. So it is split in two: a *tally* of one partition's occurrences (counts
# and first-seen ranks per group: small, whatever the number of occurrences), merged over the
# corpus, turned into *verdicts* (the message of each group that has findings), and an *emit*
# step that reports one partition's occurrences from the verdicts. A rank is (document index
# in input order, occurrence index in the document): merging keeps the smallest, so merges are
# order-free and reproduce first-seen display forms and Counter insertion order (most_common
# tie-breaks) exactly as one pass over the whole corpus would.
Rank = tuple[int, int]


def _ordered_counter(entries: Iterable[tuple[str, int, Rank]]) -> Counter[str]:
    """A Counter filled in first-seen order, as one pass over the occurrences would fill it."""
    counter: Counter[str] = Counter()
    for key, count, _ in sorted(entries, key=lambda entry: entry[2]):
        counter[key] = count
    return counter


@dataclass
class RenderingTally:
    """DQ102 facts: per concept, each folded form's count, first rank and display spelling,
    and the number of files (partitions hold disjoint files, so file counts add up)."""

    forms: dict[str, dict[str, list]] = field(default_factory=dict)  # [count, rank, display]
    first: dict[str, Rank] = field(default_factory=dict)
    files: Counter[str] = field(default_factory=Counter)

    def add(self, ranked: Iterable[tuple[Rank, Occurrence]]) -> None:
        """Count one partition's renderings (call once per partition)."""
        paths: set[tuple[str, str]] = set()
        folded: dict[str, str] = {}
        for rank, occ in ranked:
            concept = occ.concept
            if concept is None:
                continue
            raw = occ.form or occ.surface
            key = folded.get(raw)
            if key is None:
                key = folded[raw] = fold_form(raw)
            forms = self.forms.get(concept)
            if forms is None:
                forms = self.forms[concept] = {}
                self.first[concept] = rank
            elif rank < self.first[concept]:  # a partition need not be in input order
                self.first[concept] = rank
            entry = forms.get(key)
            if entry is None:
                forms[key] = [1, rank, raw.replace("{year}", "<year>")]
            else:
                entry[0] += 1
                if rank < entry[1]:
                    entry[1], entry[2] = rank, raw.replace("{year}", "<year>")
            paths.add((concept, occ.path))
        self.files.update(concept for concept, _ in paths)

    def merge(self, other: RenderingTally) -> None:
        """Add ``other`` (left unchanged: dask may keep it for a retry)."""
        for concept, forms in other.forms.items():
            mine = self.forms.setdefault(concept, {})
            if concept not in self.first or other.first[concept] < self.first[concept]:
                self.first[concept] = other.first[concept]
            for key, (count, rank, display) in forms.items():
                entry = mine.get(key)
                if entry is None:
                    mine[key] = [count, rank, display]
                else:
                    entry[0] += count
                    if rank < entry[1]:
                        entry[1], entry[2] = rank, display
        self.files.update(other.files)

    def verdicts(self, concepts: Mapping[str, Concept]) -> dict[str, tuple[Rank, str, str]]:
        """Concept -> (first rank, message, preferred) for each concept rendered 2+ ways."""
        out: dict[str, tuple[Rank, str, str]] = {}
        for concept_id, forms in self.forms.items():
            if len(forms) < 2:
                continue
            concept = concepts[concept_id]
            ways = len({untensed(key, concept.deprecated) for key in forms})
            if ways < 2:
                continue  # one rendering in several tenses
            display = {key: entry[2] for key, entry in forms.items()}
            counted = _ordered_counter((key, entry[0], entry[1]) for key, entry in forms.items())
            shown = Counter({display[k]: n for k, n in counted.items()})
            files = self.files[concept_id]
            message = (f"{concept.id} rendered {ways} ways in {files} "
                       f"file{'s' if files != 1 else ''}: "
                       f"{_forms_summary(shown, concept.preferred)}")
            out[concept_id] = (self.first[concept_id], message, concept.preferred)
        return out


def emit_inconsistent_renderings(ranked: Iterable[tuple[Rank, Occurrence]],
                                 verdicts: Mapping[str, tuple[Rank, str, str]]
                                 ) -> Iterator[Diagnostic]:
    """DQ102 findings of one partition's renderings, group by group in corpus order."""
    groups: dict[str, list[Occurrence]] = defaultdict(list)
    for _, occ in ranked:
        if occ.concept in verdicts and occ.kind == "deprecated":
            groups[occ.concept].append(occ)
    for concept_id in sorted(groups, key=lambda c: verdicts[c][0]):
        _, message, preferred = verdicts[concept_id]
        for occ in groups[concept_id]:
            yield diagnostic_at(occ, "DQ102", message, suggestion=preferred,
                                severity="warning")


def inconsistent_renderings(occurrences: Iterable[Occurrence],
                            concepts: Mapping[str, Concept]) -> Iterator[Diagnostic]:
    """DQ102: a concept rendered more than one way; every deprecated occurrence is reported
    (tally and emit over one partition). An admitted form counts as a rendering but is not
    reported: beside the preferred one ("MPS" after "Ministry of Public Security") it is
    house style."""
    ranked = [((0, index), occ) for index, occ in enumerate(occurrences)]
    tally = RenderingTally()
    tally.add(ranked)
    return emit_inconsistent_renderings(ranked, tally.verdicts(concepts))


def _case_key(occ: Occurrence, memo: dict[tuple[str | None, str], tuple[str, str]]
              ) -> tuple[str, str]:
    """(group key, exact spelling) of an occurrence: memoised per (concept, surface), as the
    same few surfaces recur across a corpus."""
    known = memo.get((occ.concept, occ.surface))
    if known is None:
        spelled = _spelling(occ)
        folded = " ".join(occ.surface.casefold().replace("-", " ").split())
        key = f"{occ.concept}:{folded}" if occ.concept else f"quote:{folded}"
        known = memo[occ.concept, occ.surface] = (key, spelled)
    return known


_NEVER: Rank = (2**62, 0)


@dataclass
class CaseTally:
    """DQ103 facts: per group (concept or quoted phrase, case-folded), each exact spelling's
    count and first rank, apart for mid-sentence and sentence-initial occurrences."""

    # group -> spelling -> [mid count, mid first rank, initial count, initial first rank]
    groups: dict[str, dict[str, list]] = field(default_factory=dict)
    first: dict[str, Rank] = field(default_factory=dict)

    def add(self, ranked: Iterable[tuple[Rank, Occurrence]]) -> None:
        memo: dict[tuple[str | None, str], tuple[str, str]] = {}
        for rank, occ in ranked:
            if occ.case_unknown:
                continue
            key, spelled = _case_key(occ, memo)
            spellings = self.groups.get(key)
            if spellings is None:
                spellings = self.groups[key] = {}
                self.first[key] = rank
            elif rank < self.first[key]:
                self.first[key] = rank
            entry = spellings.get(spelled)
            if entry is None:
                entry = spellings[spelled] = [0, _NEVER, 0, _NEVER]
            at = 2 if occ.sentence_initial else 0
            entry[at] += 1
            if rank < entry[at + 1]:
                entry[at + 1] = rank

    def merge(self, other: CaseTally) -> None:
        """Add ``other`` (left unchanged)."""
        for key, spellings in other.groups.items():
            mine = self.groups.setdefault(key, {})
            if key not in self.first or other.first[key] < self.first[key]:
                self.first[key] = other.first[key]
            for spelled, (mid, mid_rank, initial, initial_rank) in spellings.items():
                entry = mine.get(spelled)
                if entry is None:
                    mine[spelled] = [mid, mid_rank, initial, initial_rank]
                    continue
                entry[0] += mid
                entry[1] = min(entry[1], mid_rank)
                entry[2] += initial
                entry[3] = min(entry[3], initial_rank)

    def verdicts(self) -> dict[str, tuple[Rank, str, str]]:
        """Group -> (first rank, usual spelling, listed spellings) for each group with findings.
        The usual spelling is the most common mid-sentence one (all when none is mid-sentence);
        the odd sentence-initial spellings are then counted in (again, when none is mid)."""
        out: dict[str, tuple[Rank, str, str]] = {}
        for key, spellings in self.groups.items():
            if len(spellings) < 2:  # one spelling (however often) is consistent
                continue
            counted = _ordered_counter((s, e[0], e[1]) for s, e in spellings.items() if e[0])
            if not counted:
                counted = _ordered_counter((s, e[2], e[3]) for s, e in spellings.items())
            usual, _ = counted.most_common(1)[0]
            odd_mid = any(s != usual for s, e in spellings.items() if e[0])
            odd_initial = sorted(((e[3], s, e[2]) for s, e in spellings.items()
                                  if e[2] and s[1:] != usual[1:]))
            if not (odd_mid or odd_initial):
                continue
            for _, spelled, count in odd_initial:
                counted[spelled] += count
            listed = ", ".join(f'"{s}" ×{n}' for s, n in counted.most_common())
            out[key] = (self.first[key], usual, listed)
        return out


def emit_inconsistent_case(ranked: Iterable[tuple[Rank, Occurrence]],
                           verdicts: Mapping[str, tuple[Rank, str, str]]
                           ) -> Iterator[Diagnostic]:
    """DQ103 findings of one partition's renderings and quoted phrases."""
    groups: dict[str, list[Occurrence]] = defaultdict(list)
    memo: dict[tuple[str | None, str], tuple[str, str]] = {}
    for _, occ in ranked:
        if occ.case_unknown:
            continue
        key, _ = _case_key(occ, memo)
        verdict = verdicts.get(key)
        if verdict is not None and not _same_case(occ, verdict[1]):
            groups[key].append(occ)
    for key in sorted(groups, key=lambda k: verdicts[k][0]):
        _, usual, listed = verdicts[key]
        for occ in groups[key]:
            yield diagnostic_at(
                occ, "DQ103",
                f'"{occ.surface}" is capitalised differently elsewhere: {listed}',
                suggestion=usual, severity="warning")


def inconsistent_case(occurrences: Iterable[Occurrence]) -> Iterator[Diagnostic]:
    """DQ103: one term (glossary form or repeated quoted phrase) written with different
    capitalisation; occurrences that differ from the most common spelling are reported
    (tally and emit over one partition)."""
    ranked = [((0, index), occ) for index, occ in enumerate(occurrences)]
    tally = CaseTally()
    tally.add(ranked)
    return emit_inconsistent_case(ranked, tally.verdicts())
