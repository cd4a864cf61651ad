"""Script rules: DQ104 romanized-chinese (pinyin left in English) and DQ105
untranslated-chinese (Han characters in an English document)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import filterfalse

from glossary.diagnostics import Diagnostic
from glossary.documents import Document
from glossary.rules import diagnostic_at, located
from glossary.terms import Concept

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
_PUNCT = ".,;:!?\"'()[]{}<>“”‘’«»…*#/\\|"
# a general-English frequency (Zipf scale) above which a word is English even if it also
# parses as pinyin ("change" = chang+e, "hang", "longan")
_ENGLISH_ZIPF = 2.0


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable, read from pypinyin's character dictionary (tone marks
    stripped with Unicode decomposition, which is much faster than pypinyin's converter)."""
    import unicodedata

    from pypinyin import pinyin_dict

    readings = {r for value in pinyin_dict.pinyin_dict.values() for r in value.split(",")}
    syllables: set[str] = set()
    for reading in readings:
        plain = "".join(ch for ch in unicodedata.normalize("NFD", reading.replace("ü", "v"))
                        if not unicodedata.combining(ch)).lower()
        if plain.isascii() and plain.isalpha():
            syllables.add(plain)
    syllables -= {"m", "n", "ng", "hm", "hng", "r"}  # interjections that cause false splits
    return frozenset(syllables)


@cache
def _pinyin_bigrams() -> frozenset[str]:
    """Every letter pair that can occur in a run of pinyin syllables (inside one syllable or
    across two): a word with any other pair cannot be split, which rules out most English
    words without running the split."""
    syllables = pinyin_syllables()
    inside = {s[i:i + 2] for s in syllables for i in range(len(s) - 1)}
    across = {a + b for a in {s[-1] for s in syllables} for b in {s[0] for s in syllables}}
    return frozenset(inside | across)


@cache
def _impossible_pair() -> re.Pattern[str]:
    """One compiled search for any adjacent pair outside ``_pinyin_bigrams()`` (a letter
    followed by a letter it never precedes in pinyin, or any non-letter with a neighbour):
    the bigram reject in C rather than a Python loop over slices."""
    bigrams = _pinyin_bigrams()
    letters = "abcdefghijklmnopqrstuvwxyz"
    branches = []
    for first in letters:
        allowed = "".join(second for second in letters if first + second in bigrams)
        branches.append(f"{first}[^{allowed}]" if allowed else f"{first}.")
    branches.append("[^a-z].")
    return re.compile("|".join(branches), re.DOTALL)


_APOSTROPHE_INITIALS = "aoe"  # a syllable starting so inside a word follows an apostrophe

# The syllable-run regex backtracks over alternative splits: on short words that costs a few
# steps, on long ones it could grow fast, so they go straight to the split below.
_SPLIT_CHECK_MAX = 20


@cache
def _syllable_run() -> re.Pattern[str]:
    """``(syllable)+`` with the syllables grouped by first letter: matches exactly the words
    ``pinyin_split`` can split."""
    tails: dict[str, list[str]] = {}
    for syllable in pinyin_syllables():
        tails.setdefault(syllable[0], []).append(re.escape(syllable[1:]))
    branches = [f"{first}(?:{'|'.join(sorted(rest, key=len, reverse=True))})"
                for first, rest in sorted(tails.items())]
    return re.compile("(?:" + "|".join(branches) + ")+")


def preload() -> None:
    """Load the pinyin syllables and wordfreq's English list now (once per process) rather than
    while the first document is checked."""
    _impossible_pair()
    _syllable_run()
    _english_zipf("the")


@lru_cache(maxsize=65536)
def pinyin_split(word: str) -> tuple[str, ...] | None:
    """Split a lowercase word into pinyin syllables, preferring fewer, longer syllables.
    A syllable that starts with a, o or e begins the word: pinyin writes an apostrophe
    before one inside a word (xi'an, tian'anmen), so "serialize" is not se+ri+a+li+ze."""
    if _impossible_pair().search(word):
        return None
    if len(word) <= _SPLIT_CHECK_MAX and not _syllable_run().fullmatch(word):
        return None  # no split at all: said in C, most of the words the bigrams let through
    syllables = pinyin_syllables()
    n = len(word)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for end in range(1, n + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            piece = word[start:end]
            if head is not None and piece in syllables and (
                    not start or piece[0] not in _APOSTROPHE_INITIALS):
                cand = head + (piece,)
                if best[end] is None or len(cand) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = cand
    return best[n]


_LONGEST_WORD = 45  # longer "words" are not English (and wordfreq's tokenizer chokes on MBs)


@lru_cache(maxsize=65536)
def _english_zipf(word: str) -> float:
    if len(word) > _LONGEST_WORD:
        return 0.0
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


@dataclass
class PinyinCache:
    """Per-glossary memo of raw tokens already classified, so a document costs one split and
    two passes over its tokens in C; only tokens never seen before are examined in Python."""

    index: Mapping[str, tuple[str, str]]
    seen: set[str] = field(default_factory=set)
    positive: dict[str, str] = field(default_factory=dict)

    def words(self, text: str) -> set[str]:
        tokens = text.split()
        # usually every token is known: a membership pass is cheaper than building a set;
        # otherwise only the unknown tokens are collected (filterfalse runs in C)
        if not self.seen.issuperset(tokens):
            for token in set(filterfalse(self.seen.__contains__, tokens)):
                word = token.strip(_PUNCT)
                if len(word) >= 4 and word.isascii() and word.isalpha() and (
                        word in self.index or looks_like_pinyin(word)):
                    self.positive[token] = word
                if len(self.seen) < 2_000_000:
                    self.seen.add(token)
        if not self.positive:
            return set()
        # one pass over the tokens, each looked up among the few positive ones
        return {self.positive[t] for t in self.positive.keys() & tokens}


def romanized_chinese(doc: Document, covered: Iterable[tuple[int, int]],
                      cache: PinyinCache, concepts: Mapping[str, Concept],
                      folded_text: str | None = None) -> Iterator[Diagnostic]:
    """DQ104: lowercase pinyin words (names are capitalised and left alone), and any word that
    spells a glossary zh term, which gets that concept's preferred rendering.

    Candidate words come from the distinct tokens of the folded (lowercased) text; positions
    are searched only for the rare words that look like pinyin."""
    index = cache.index
    words = cache.words(folded_text if folded_text is not None else doc.masked.lower())
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
    if doc.masked.isascii():
        return
    try:  # a text of Latin-1 characters only (accented English) has no Han: a C copy says so
        doc.masked.encode("latin-1")
        return
    except UnicodeEncodeError:
        pass
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
