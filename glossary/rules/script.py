"""Script rules: DQ104 romanized-chinese (pinyin left in English) and DQ105
untranslated-chinese (Han characters in an English document)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from glossary.diagnostics import Diagnostic
from glossary.documents import Document
from glossary.rules import Covered, diagnostic_at, located
from glossary.terms import Concept

if TYPE_CHECKING:  # numpy loads on the first document DQ104 reads
    import numpy as np

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
    import numpy  # noqa: F401  (the DQ104 vector pass)

    _impossible_pair()
    _syllable_run()
    _pinyin_windows()
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
    """Toneless pinyin of every glossary zh term -> (concept id, zh term); not the ones that
    spell a general-English word (拉客 "lake", 赌客 "duke"): in English text they are English;
    nor those the concept's own renderings write (北斗 "BeiDou satellite")."""
    from pypinyin import lazy_pinyin

    index: dict[str, tuple[str, str]] = {}
    for concept in concepts:
        rendered = {word for form in (concept.preferred, *concept.admitted)
                    for word in re.findall(r"[a-z]+", form.lower())}
        for zh in concept.zh:
            if HAN_RUN.fullmatch(zh):
                key = "".join(lazy_pinyin(zh)).lower()
                if len(key) >= 4 and _english_zipf(key) < _ENGLISH_ZIPF and key not in rendered:
                    index.setdefault(key, (concept.id, zh))
    return index


def _edge_windows(word: str) -> list[str]:
    """The three-character windows of ``word`` with "^" for its edges."""
    framed = "^" + word + "^"
    return [framed[i:i + 3] for i in range(len(framed) - 2)]


@cache
def _pinyin_windows() -> frozenset[str]:
    """Every three-character window of a word made of pinyin syllables, "^" marking the
    word's edges: inside one syllable, and across two (any syllable may follow another,
    except that one starting with a, o or e only begins a word)."""
    syllables = pinyin_syllables()
    windows = {window for s in syllables for window in _edge_windows(s)}
    tails = {("^" + s)[-2:] for s in syllables}
    heads = {s[:2] for s in syllables if s[0] not in _APOSTROPHE_INITIALS}
    for tail in tails:
        for head in heads:
            windows.add(tail + head[0])
            windows.add(tail[1] + head)
    return frozenset(windows)


_LETTER_CLASS = bytes(b - 96 if 97 <= b <= 122 else b - 64 if 65 <= b <= 90 else 0
                      for b in range(256))
_WINDOW_BYTES = 1 << 17  # slices of this size keep the vector pass's arrays in the CPU cache
_SPREAD_ROUNDS = 4  # a bad window taints its whole word for words up to 2**4 letters


def _window_table(extra: Iterable[str]) -> np.ndarray:
    """Boolean table over three letter classes (0 = not a letter): True where the window
    cannot occur in pinyin and its middle is a letter, so the word around it is no pinyin."""
    import numpy as np

    def code(window: str) -> int:
        a, b, c = (0 if ch == "^" else ord(ch) - 96 for ch in window)
        return (a * 27 + b) * 27 + c

    allowed = np.zeros(27 ** 3, dtype=bool)
    windows = set(_pinyin_windows())
    for word in extra:  # glossary keys that are not plain syllable runs still get through
        if word.isascii() and word.isalpha():
            windows.update(_edge_windows(word.lower()))
    allowed[[code(w) for w in windows]] = True
    bad = ~allowed
    bad.reshape(27, 27, 27)[:, 0, :] = False  # a window centred on a non-letter says nothing
    return bad


def _candidate_words(text: str, data: bytes, bad: np.ndarray) -> set[str]:
    """The distinct runs of four or more ASCII letters in ``text`` (``data`` is the same text
    as bytes, one byte per character) with no three-letter window impossible in pinyin.
    Vectorised (numpy) so that no Python object is made for the ~95% of English words that
    fail; a superset of the words ``pinyin_split`` can split."""
    import numpy as np

    words: set[str] = set()
    for offset in range(0, len(data), _WINDOW_BYTES):
        # slices overlap by 64 characters of context; a word belongs to the slice it starts in
        base = max(0, offset - 64)
        end = min(offset + _WINDOW_BYTES, len(data))
        piece = data if base == 0 and end + 64 >= len(data) else data[base:end + 64]
        classes = np.frombuffer(b"\0" + piece.translate(_LETTER_CLASS) + b"\0", np.uint8)
        wide = classes.astype(np.uint16)
        code = wide[:-2] * np.uint16(729)
        code += wide[1:-1] * np.uint16(27)
        code += wide[2:]
        letter = classes > 0
        tainted = np.zeros(len(classes), dtype=bool)
        tainted[1:-1] = bad.take(code)
        # spread each bad window over its word: doubling steps, each within one letter run
        link = letter[:-1] & letter[1:]
        step = 1
        for round_ in range(_SPREAD_ROUNDS):
            tainted[:-step] |= tainted[step:] & link
            tainted[step:] |= tainted[:-step] & link
            if round_ < _SPREAD_ROUNDS - 1:
                link = link[:-step] & link[step:]
            step *= 2
        good = letter & ~tainted
        starts = np.flatnonzero(good[1:] & ~letter[:-1])
        ends = np.flatnonzero(good[:-1] & ~letter[1:])
        if not len(starts) or not len(ends):
            continue
        # a long word only partly tainted may have a clean start and no clean end: pair
        # each start with the next clean end and let isalpha() drop pairs across words
        index = np.searchsorted(ends, starts)
        inside = index < len(ends)
        starts, stops = starts[inside], ends[index[inside]]
        keep = ((stops - starts) >= 4) & (starts >= offset - base) & (starts < end - base)
        starts = starts[keep] + base
        stops = stops[keep] + base
        words.update(map(text.__getitem__, map(slice, starts.tolist(), stops.tolist())))
    return {w for w in words if w.isalpha()}


@dataclass
class PinyinCache:
    """Per-glossary memo of words already classified. A document costs one vectorised pass
    over its letters (``_candidate_words``); only the few words that pass it and were never
    seen before are examined in Python."""

    index: Mapping[str, tuple[str, str]]
    seen: set[str] = field(default_factory=set)
    positive: set[str] = field(default_factory=set)
    _bad: np.ndarray | None = field(default=None, repr=False)

    def prepare(self) -> None:
        """Build the window table now (once per context) rather than on the first document."""
        if self._bad is None:
            self._bad = _window_table(self.index)

    def words(self, text: str) -> set[str]:
        """The words of ``text`` (lowercase) that spell a glossary zh term or look like
        pinyin: runs of 4+ ASCII letters, whatever surrounds them."""
        self.prepare()
        # one byte per character ("?" for non-ASCII), so byte offsets are text offsets
        words = _candidate_words(text, text.encode("ascii", "replace"), self._bad)
        for word in words - self.seen:
            if word in self.index or looks_like_pinyin(word):
                self.positive.add(word)
            if len(self.seen) < 2_000_000:
                self.seen.add(word)
        return words & self.positive


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
    spans = Covered(covered)
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
        if spans.overlaps(start, end):
            continue
        occ = located(doc, start, end, word, concept=concept_id)
        yield diagnostic_at(occ, "DQ104", message, suggestion=suggestion)


# Han characters above this share of a document's characters make it a Chinese text
CHINESE_SHARE = 0.3


def is_chinese_text(text: str) -> bool:
    """A Chinese document, not a translation quoting some Chinese: DQ105 says so once, and
    pairing takes a file found on both sides of ``--source`` for a source."""
    han = sum(found.end() - found.start() for found in HAN_RUN.finditer(text))
    return han > CHINESE_SHARE * len(text)


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
    runs = list(HAN_RUN.finditer(doc.masked))
    if runs and is_chinese_text(doc.masked):
        # a Chinese source among the translations: one finding, not one per clause
        han = sum(found.end() - found.start() for found in runs)
        first = runs[0]
        occ = located(doc, first.start(), first.end(), first.group())
        yield diagnostic_at(occ, "DQ105", f"the document is Chinese text ({han:,} Han "
                            f"characters in {len(runs):,} runs), not a translation; pass "
                            f"sources with --source")
        return
    for found in runs:
        run = found.group()
        concept = zh_terms.get(run)
        suggestion = concept.preferred if concept else None
        message = f'untranslated Chinese "{run}"'
        if concept:
            message += f'; glossary: "{concept.preferred}" ({concept.id})'
        occ = located(doc, found.start(), found.end(), run,
                      concept=concept.id if concept else None)
        yield diagnostic_at(occ, "DQ105", message, suggestion=suggestion)
