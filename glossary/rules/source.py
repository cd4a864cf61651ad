"""Source-aware rules, for an English document checked against its Chinese source:
DQ201 key-term-mismatch and DQ202 number-mismatch (per document pair), DQ203
inconsistent-source-rendering (across the bilingual corpus, over :class:`SourceRendering`
summaries). All diagnostics sit on the English document, which is the file a fix would touch.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from aligner.numbers import (
    NumberMention,
    find_numbers_en,
    find_numbers_zh,
    parse_zh_numeral,
    values_match,
)
from glossary.bilingual import AlignedPair, TermRendering
from glossary.diagnostics import Diagnostic
from glossary.match import fold_form
from glossary.rules import Occurrence, diagnostic_at, located
from glossary.terms import Concept


def _accepted(concept: Concept) -> str:
    forms = [concept.preferred, *concept.admitted]
    return " or ".join(f'"{form.replace("{year}", "").strip()}"' for form in forms if form)


_PRONOUN = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their)\b", re.IGNORECASE)


def _stems(text: str) -> tuple[str, ...]:
    from aligner.lexicon import stem

    return tuple(stem(word) for word in re.findall(r"[A-Za-z]+", text))


def _inflects_accepted(found: str, concept: Concept) -> bool:
    """True if ``found`` is an accepted rendering in another inflection, or its head word
    alone ("the bureau" for 公安局, said again after "Public Security Bureau"): the
    dictionary's guess at the rendering landed on the preferred words themselves, so there is
    no mismatch."""
    stems = _stems(found)
    if not stems:
        return False
    for form in (concept.preferred, *concept.admitted):
        accepted = _stems(form.replace("{year}", ""))
        if stems == accepted or len(stems) == 1 and len(accepted) > 1 and stems[0] == accepted[
                -1]:
            return True
    return False


def key_term_mismatches(pair: AlignedPair, renderings: Iterable[TermRendering],
                        concepts: Mapping[str, Concept]) -> Iterator[Diagnostic]:
    """DQ201: a source term whose aligned English uses a deprecated form or no form of the
    concept at all; the message says what the English has instead."""
    for item in renderings:
        if item.status in ("preferred", "admitted"):
            continue
        concept = concepts[item.concept]
        if item.guessed and _inflects_accepted(item.found, concept):
            continue  # "blacklisted" for 黑名单: the preferred word, in a form not listed
        if item.status == "unknown" and concept.category == "name" and _PRONOUN.search(
                item.found):
            continue  # 陈某某 rendered "He was expelled ...": a name said again as a pronoun
        sentence = pair.links[item.link].zh[0] + 1
        if item.status == "deprecated":
            has = f'renders it as "{item.found}" (deprecated)'
        elif item.guessed:
            has = f'seems to render it as "{item.found}"'
        else:
            has = "has no form of it"
        occ = located(pair.en, item.en_start, item.en_end, item.found, concept=concept.id)
        yield diagnostic_at(
            occ, "DQ201",
            f"source term {item.term} (zh sentence {sentence}, {concept.id}): the English "
            f"{has}; expected {_accepted(concept)}",
            suggestion=concept.preferred.replace("{year}", "").strip(), severity="warning")


def _describe(mention: NumberMention) -> str:
    value = mention.value
    if mention.kind == "percent":
        return f"{value:g}%"
    if mention.kind in ("year", "ordinal"):
        return f"{mention.kind} {value:g}"
    shown = f"{value:,.0f}" if value == int(value) else f"{value:,.4g}"
    return shown


def number_mismatches(pair: AlignedPair, masked_zh: Sequence[tuple[int, int]] = (),
                      masked_en: Sequence[tuple[int, int]] = ()) -> Iterator[Diagnostic]:
    """DQ202: per link, each source number without an equal value in the English (located on
    the English number that most likely mistranslates it, else on the whole English), and each
    English number without an equal value in the source.

    Numbers inside glossary terms (四断 / "four breaks") are the term rules' business and are
    left out (``masked_*`` spans). Weak mentions (see :func:`_weak`) may match but are never
    reported on their own."""
    for link in pair.links:
        zh_span, en_span = pair.zh_span(link), pair.en_span(link)
        if zh_span is None or en_span is None:
            continue
        zh_numbers = _numbers(find_numbers_zh(pair.zh.text[zh_span[0]:zh_span[1]]), zh_span[0],
                              masked_zh)
        en_numbers = _numbers(find_numbers_en(pair.en.text[en_span[0]:en_span[1]]), en_span[0],
                              masked_en)
        unmatched_en = list(en_numbers)
        missing: list[NumberMention] = []
        for zh in zh_numbers:
            partner = next((en for en in unmatched_en if _same(zh, en)), None)
            if partner is None:
                partner = next((en for en in unmatched_en
                                if _and_others(zh, en, pair.en.text)), None)
            if partner is None:
                missing.append(zh)
            else:
                unmatched_en.remove(partner)
        sentence = link.zh[0] + 1
        unmatched_en = [en for en in unmatched_en if not _weak(en)]
        for zh in missing:
            if _weak(zh):
                continue
            wrong = next((en for en in unmatched_en if en.kind == zh.kind), None)
            if wrong is not None:
                unmatched_en.remove(wrong)
                occ = located(pair.en, wrong.start, wrong.end, wrong.text)
                yield diagnostic_at(
                    occ, "DQ202",
                    f'"{wrong.text}" ({_describe(wrong)}) does not match the source '
                    f'"{zh.text}" ({_describe(zh)}, zh sentence {sentence})')
            else:
                occ = located(pair.en, en_span[0], en_span[1], pair.en.text[en_span[0]:en_span[1]])
                yield diagnostic_at(
                    occ, "DQ202",
                    f'source number "{zh.text}" ({_describe(zh)}, zh sentence {sentence}) has '
                    f"no equal value in the English")
        zh_text = pair.zh.text[zh_span[0]:zh_span[1]]
        for en in unmatched_en:
            if _numeral_of_a_word(en, zh_text):
                continue
            occ = located(pair.en, en.start, en.end, en.text)
            yield diagnostic_at(
                occ, "DQ202",
                f'"{en.text}" ({_describe(en)}) has no equal value in the source '
                f"(zh sentence {sentence})")


_INTERCHANGEABLE = frozenset({frozenset({"year", "number"}), frozenset({"ordinal", "number"})})


def _same(a: NumberMention, b: NumberMention) -> bool:
    """Equal values. Whether a bare 2021 is a year or a count, and 二十大 a number or the
    "20th", is a guess about wording, so those kinds compare by value alone."""
    if values_match(a, b):
        return True
    return frozenset({a.kind, b.kind}) in _INTERCHANGEABLE and a.value == b.value


_AND_BEFORE = re.compile(r"\band\s+\Z")
_OTHERS_AFTER = re.compile(r"\s+others?\b")


def _and_others(zh: NumberMention, en: NumberMention, english: str) -> bool:
    """张某等5人 is "Zhang Mou and four others": the source counts the person named, the
    English the others."""
    return (zh.kind == en.kind == "number" and zh.value == en.value + 1
            and _AND_BEFORE.search(english[max(0, en.start - 12):en.start]) is not None
            and _OTHERS_AFTER.match(english, en.end) is not None)


def _weak(mention: NumberMention) -> bool:
    """Mentions that are as often words as numbers: a lone Chinese numeral character (一批 "a
    batch", 零部件 "parts"), English "one", and ordinals (list markers 一是/二是 and
    first/second are renumbered or dropped freely by translators)."""
    if mention.kind == "ordinal":
        return True
    text = mention.text.strip()
    return (len(text) == 1 and not text.isascii()) or text.lower() == "one"


# single Chinese numeral characters by value: 三 in 三不, 五 in 五进, 零 in 零容忍, 万 in 万一
def _numeral_chars() -> dict[float, str]:
    chars: dict[float, str] = {2.0: "双俩"}  # 双方 "the two parties"
    for char in "零〇一二两三四五六七八九十百千万亿":
        value = parse_zh_numeral(char)
        if value is not None:
            chars[value] = chars.get(value, "") + char
    return chars


_NUMERAL_CHARS = _numeral_chars()


def _numeral_of_a_word(mention: NumberMention, zh_text: str) -> bool:
    """An English number spelled as a word ("the 'three no' requirements", "“Five Enters”",
    "zero tolerance") whose numeral is inside a Chinese word of the source sentence (三不,
    五进, 零容忍): the reader of the source leaves such numerals to the words they are part
    of, so the English has no number to answer for."""
    if not mention.text.replace(" ", "").replace("-", "").isalpha():
        return False
    chars = _NUMERAL_CHARS.get(mention.value, "")
    return any(char in zh_text for char in chars)


def _numbers(mentions: list[NumberMention], offset: int,
             masked: Sequence[tuple[int, int]]) -> list[NumberMention]:
    """Mentions shifted to document offsets, without those inside masked spans."""
    out: list[NumberMention] = []
    for m in mentions:
        start, end = m.start + offset, m.end + offset
        if any(s < end and start < e for s, e in masked):
            continue
        out.append(NumberMention(start, end, m.text, m.value, m.kind, m.hedge, m.tolerance))
    return out


# -- DQ203 ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SourceRendering:
    """The map step's summary of one source term occurrence: where its rendering is in the
    English and how it reads (folded), for the cross-corpus DQ203."""

    occurrence: Occurrence
    term: str
    rendering: str  # folded English form, or "" when nothing renders it


def source_renderings(pair: AlignedPair, renderings: Iterable[TermRendering]
                      ) -> list[SourceRendering]:
    out: list[SourceRendering] = []
    for item in renderings:
        occ = located(pair.en, item.en_start, item.en_end, item.found, concept=item.concept,
                      kind=None if item.status == "unknown" else item.status)
        text = fold_form(item.found) if item.status != "unknown" else ""
        out.append(SourceRendering(occ, item.term, text))
    return out


Rank = tuple[int, int]  # (document index in input order, item index): see rules/terms.py


@dataclass
class SourceTally:
    """DQ203 facts: per source term, each folded rendering's count and first rank, the
    concept of the term's first occurrence and the number of files (disjoint partitions)."""

    renderings: dict[str, dict[str, list]] = field(default_factory=dict)  # [count, rank]
    first: dict[str, tuple[Rank, str | None]] = field(default_factory=dict)
    files: Counter[str] = field(default_factory=Counter)

    def add(self, ranked: Iterable[tuple[Rank, SourceRendering]]) -> None:
        """Count one partition's summaries (call once per partition)."""
        paths: set[tuple[str, str]] = set()
        for rank, item in ranked:
            counts = self.renderings.get(item.term)
            if counts is None:
                counts = self.renderings[item.term] = {}
            if item.term not in self.first or rank < self.first[item.term][0]:
                self.first[item.term] = (rank, item.occurrence.concept)
            entry = counts.get(item.rendering)
            if entry is None:
                counts[item.rendering] = [1, rank]
            else:
                entry[0] += 1
                entry[1] = min(entry[1], rank)
            paths.add((item.term, item.occurrence.path))
        self.files.update(term for term, _ in paths)

    def merge(self, other: SourceTally) -> None:
        """Add ``other`` (left unchanged: dask may keep it for a retry)."""
        for term, counts in other.renderings.items():
            mine = self.renderings.setdefault(term, {})
            if term not in self.first or other.first[term][0] < self.first[term][0]:
                self.first[term] = other.first[term]
            for text, (count, rank) in counts.items():
                entry = mine.get(text)
                if entry is None:
                    mine[text] = [count, rank]
                else:
                    entry[0] += count
                    entry[1] = min(entry[1], rank)
        self.files.update(other.files)

    def verdicts(self, concepts: Mapping[str, Concept]
                 ) -> dict[str, tuple[Rank, str, str, str | None]]:
        """Term -> (first rank, usual rendering, message, suggestion) for each term rendered
        more than one way."""
        out: dict[str, tuple[Rank, str, str, str | None]] = {}
        for term, entries in self.renderings.items():
            if len(entries) - ("" in entries) < 2:
                continue  # one rendering, left out elsewhere: DQ201 reports the omissions
            counts: Counter[str] = Counter()
            for text, (count, _) in sorted(entries.items(), key=lambda item: item[1][1]):
                if text:
                    counts[text] = count
            rank, concept_id = self.first[term]
            concept = concepts.get(concept_id or "")
            preferred = fold_form(concept.preferred.replace("{year}", "")) if concept else ""
            usual = preferred if preferred in counts else counts.most_common(1)[0][0]
            files = self.files[term]
            ways = ", ".join(f'"{text}" ×{n}' for text, n in counts.most_common())
            if "" in entries:
                ways += f" (untranslated ×{entries[''][0]})"
            message = (f"{term} rendered {len(counts)} ways in {files} "
                       f"file{'s' if files != 1 else ''}: {ways}")
            suggestion = concept.preferred.replace("{year}", "").strip() if concept else None
            out[term] = (rank, usual, message, suggestion)
        return out


def emit_inconsistent_source_renderings(
        ranked: Iterable[tuple[Rank, SourceRendering]],
        verdicts: Mapping[str, tuple[Rank, str, str, str | None]]) -> Iterator[Diagnostic]:
    """DQ203 findings of one partition's summaries, term by term in corpus order."""
    groups: dict[str, list[SourceRendering]] = defaultdict(list)
    for _, item in ranked:
        verdict = verdicts.get(item.term)
        if verdict is not None and item.rendering and item.rendering != verdict[1]:
            groups[item.term].append(item)
    for term in sorted(groups, key=lambda t: verdicts[t][0]):
        _, _, message, suggestion = verdicts[term]
        for item in groups[term]:
            yield diagnostic_at(item.occurrence, "DQ203", message, suggestion=suggestion)


def inconsistent_source_renderings(items: Iterable[SourceRendering],
                                   concepts: Mapping[str, Concept]) -> Iterator[Diagnostic]:
    """DQ203: a zh term rendered more than one way across the bilingual corpus. Each
    rendering that differs from the preferred one (or, when that is never used, from the
    most frequent) is reported with the ways and their counts (tally and emit over one
    partition). An occurrence left untranslated is DQ201's: counted in the message only."""
    ranked = [((0, index), item) for index, item in enumerate(items)]
    tally = SourceTally()
    tally.add(ranked)
    return emit_inconsistent_source_renderings(ranked, tally.verdicts(concepts))
