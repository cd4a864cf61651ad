"""Script rules: DQ104 romanized-chinese (pinyin left in English) and DQ105
untranslated-chinese (Han characters in an English document)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache

from glossary.diagnostics import Diagnostic
from glossary.documents import Document
from glossary.rules import diagnostic_at, located
from glossary.terms import Concept

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
_ANY_WORD = re.compile(r"[A-Za-z]{4,}")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]{4,}(?![\w'’-])")
# a general-English frequency (Zipf scale) above which a word is English even if it also
# parses as pinyin ("change" = chang+e, "hang", "longan")
_ENGLISH_ZIPF = 2.0


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable, read from pypinyin's character dictionary."""
    from pypinyin import Style, pinyin_dict
    from pypinyin.style import convert

    syllables: set[str] = set()
    for readings in pinyin_dict.pinyin_dict.values():
        for reading in readings.split(","):
            plain = convert(reading, Style.NORMAL, strict=False)
            if plain.isascii() and plain.isalpha():
                syllables.add(plain.lower().replace("ü", "v"))
    syllables -= {"m", "n", "ng", "hm", "hng", "r", "e"}  # interjections that cause false splits
    syllables.add("e")
    return frozenset(syllables)


@lru_cache(maxsize=65536)
def pinyin_split(word: str) -> tuple[str, ...] | None:
    """Split a lowercase word into pinyin syllables, preferring fewer, longer syllables."""
    syllables = pinyin_syllables()
    n = len(word)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for end in range(1, n + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            piece = word[start:end]
            if head is not None and piece in syllables:
                cand = head + (piece,)
                if best[end] is None or len(cand) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = cand
    return best[n]


@lru_cache(maxsize=65536)
def _english_zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def looks_like_pinyin(word: str) -> bool:
    """At least two pinyin syllables and not a general-English word."""
    parts = pinyin_split(word.lower())
    return parts is not None and len(parts) >= 2 and _english_zipf(word.lower()) < _ENGLISH_ZIPF


def zh_pinyin_index(concepts: Iterable[Concept]) -> dict[str, tuple[str, str]]:
    """Toneless pinyin of every glossary zh term -> (concept id, zh term)."""
    from pypinyin import lazy_pinyin

    index: dict[str, tuple[str, str]] = {}
    for concept in concepts:
        for zh in concept.zh:
            if HAN_RUN.fullmatch(zh):
                key = "".join(lazy_pinyin(zh)).lower()
                if len(key) >= 4:
                    index.setdefault(key, (concept.id, zh))
    return index


def romanized_chinese(doc: Document, covered: Iterable[tuple[int, int]],
                      index: Mapping[str, tuple[str, str]],
                      concepts: Mapping[str, Concept]) -> Iterator[Diagnostic]:
    """DQ104: lowercase pinyin words (names are capitalised and left alone), and any word that
    spells a glossary zh term, which gets that concept's preferred rendering."""
    words = {w for w in set(_LOWER_WORD.findall(doc.masked)) if looks_like_pinyin(w)}
    if index:
        tokens = {w.lower() for w in _ANY_WORD.findall(doc.masked)}
        words |= tokens & index.keys()
    if not words:
        return
    spans = sorted(covered)
    pattern = re.compile(r"(?<![\w'’-])(" + "|".join(map(re.escape, sorted(words, key=len,
                                                                            reverse=True)))
                         + r")(?![\w'’-])", re.IGNORECASE)
    for found in pattern.finditer(doc.masked):
        word = found.group(1)
        key = word.lower()
        if key in index:
            concept_id, zh = index[key]
            concept = concepts.get(concept_id)
            suggestion = concept.preferred if concept else None
            message = (f'"{word}" is untranslated pinyin for {zh}; use "{suggestion}" '
                       f"({concept_id})")
        elif word.islower():
            concept_id, suggestion = None, None
            message = (f'"{word}" looks like untranslated pinyin '
                       f"({' '.join(pinyin_split(key) or ())}); translate it")
        else:
            continue
        start, end = found.span(1)
        if any(s < end and start < e for s, e in spans):
            continue
        occ = located(doc, start, end, word, concept=concept_id)
        yield diagnostic_at(occ, "DQ104", message, suggestion=suggestion)


def untranslated_chinese(doc: Document,
                         zh_terms: Mapping[str, Concept]) -> Iterator[Diagnostic]:
    """DQ105: each run of Han characters; a run that is a glossary term gets its preferred."""
    for found in HAN_RUN.finditer(doc.masked):
        run = found.group()
        concept = zh_terms.get(run)
        suggestion = concept.preferred if concept else None
        message = f'untranslated Chinese "{run}"'
        if concept:
            message += f'; glossary: "{concept.preferred}" ({concept.id})'
        occ = located(doc, found.start(), found.end(), run,
                      concept=concept.id if concept else None)
        yield diagnostic_at(occ, "DQ105", message, suggestion=suggestion)
