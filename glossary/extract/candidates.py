"""Phrase candidates (1-6 words) from English documents, with the evidence each occurrence gives.

Map step of the extractor: one document in, a small :class:`DocumentPhrases` summary out
(counts, surfaces, quote and case facts, up to three contexts per phrase), so documents can be
processed one at a time (or on workers) and merged.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate, compress, repeat
from operator import and_, gt, not_, or_

from glossary.documents import Document
from glossary.match import is_sentence_start

MAX_WORDS = 6  # quoted phrases
MAX_NGRAM = 4  # unquoted n-grams: longer calques are nearly always quoted or contain a shorter
# General English function words: a candidate neither starts nor ends with one.
STOPWORDS = frozenset("""
a an the and or but nor of to in on at by for with from as into onto upon about over under
than then that this these those it its is are was were be been being has have had do does did
not no so such which who whom whose what when where why how all any both each few more most
other some own same very can will just should would could may might must shall also their
they them he she his her we our us you your i me my after before while since until up down out
off again further once here there because if through during between against among per via
said says say including include includes new year years more than over nearly about
january february march april may june july august september october november december end
""".split())
NUMBER_WORDS = frozenset("""
one two three four five six seven eight nine ten twelve hundred double dual twin triple first
second third fourth fifth sixth seventh eighth ninth tenth
""".split())
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*|(?:19|20)\d\d(?!\d)")
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”‘’「」『』<>/|—–…\n]|\s-\s|\d")
_QUOTED = re.compile(r"\"\s*([^\"\n]{1,80}?)\s*\"|“\s*([^”\n]{1,80}?)\s*”"
                     r"|「\s*([^」\n]{1,80}?)\s*」"
                     r"|‘\s*([^’\n]{1,80}?)\s*’|'\s*([^'\n]{1,60}?)\s*'(?!\w)")
_YEAR = re.compile(r"(?:19|20)\d\d")


def fold_word(word: str) -> str:
    return word.lower().replace("’", "'")


def singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def phrase_key(words: list[str]) -> str:
    """Concept key of a surface phrase: lowercase, hyphens as spaces, years dropped, last word
    singular. "Net Net 2022", "net-net" and "net nets" share the key "net net"."""
    parts = [p for w in words for p in fold_word(w).replace("-", " ").split()
             if not _YEAR.fullmatch(p)]
    if not parts:
        return ""
    parts[-1] = singular(parts[-1])
    return " ".join(parts)


@dataclass
class PhraseStats:
    """Per-document facts about one phrase key."""

    count: int = 0
    quoted: int = 0
    surfaces: Counter[str] = field(default_factory=Counter)
    mid_case: Counter[str] = field(default_factory=Counter)  # spellings not sentence-initial
    with_year: int = 0
    contexts: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class DocumentPhrases:
    """A document's phrase facts: full stats for phrases with evidence (quoted, with a year,
    capitalised mid-sentence, an odd word) or repeated in the document; bare counts for the
    rest, which are most n-grams and only matter if they recur across documents."""

    path: str
    words: int
    phrases: dict[str, PhraseStats]
    singles: Counter[str] = field(default_factory=Counter)


def _context(doc: Document, start: int, end: int) -> tuple[int, str]:
    """Line number and up to ~90 characters either side, within the line (bounded search, so
    a document that is one long line costs no more than any other)."""
    line, _ = doc.position(start)
    text = doc.text
    left = text.rfind("\n", max(0, start - 90), start) + 1 or max(0, start - 90)
    right = text.find("\n", end, end + 90)
    right = right if right >= 0 else min(len(text), end + 90)
    snippet = text[left:right].strip()
    if left > 0 and text[left - 1] != "\n":
        snippet = "…" + snippet
    if right < len(text) and text[right] != "\n":
        snippet += "…"
    return line, snippet


_ODD_WORDS: dict[str, bool] = {}


def odd_word(word: str) -> bool:
    """Pinyin or unknown to general English (memoised): worth full stats even when seen once."""
    if len(word) > 45:  # no English word or pinyin is this long; do not keep it either
        return False
    odd = _ODD_WORDS.get(word)
    if odd is None:
        from glossary.rules.script import _english_zipf, looks_like_pinyin

        odd = 4 <= len(word) <= 45 and word.isalpha() and (
            looks_like_pinyin(word) or _english_zipf(word) < 1.5)
        _ODD_WORDS[word] = odd
    return odd


# Memos shared by all documents of a process, cleared when they grow past a bound (a corpus
# of any size keeps them small; most entries are the few hundred common gaps and words).
_MEMO_LIMIT = 200_000
_TOKEN_FACTS: dict[str, tuple[str, str, bool, bool, bool, bool, str]] = {}
_JOINS: dict[str, bool] = {}  # gap between two tokens -> no break in it
_STARTS: dict[tuple[str, str], bool] = {}  # (end of the previous token, gap) -> sentence start


def _token_facts(token: str) -> tuple[str, str, bool, bool, bool, bool, str]:
    """(folded word, its last-word form, is a year, is a stopword, capitalised, odd or a number
    word, what a sentence-start scan can see of it): everything the n-gram pass asks of a
    token, computed once per distinct token."""
    lowered = fold_word(token).replace("-", " ")
    odd = odd_word(lowered) or lowered.split()[0] in NUMBER_WORDS
    # a scan back from the next token stops at the last character unless it is an opener
    tail = token if token.endswith("'") else token[-1]
    return (lowered, singular(lowered), bool(_YEAR.fullmatch(lowered)), lowered in STOPWORDS,
            token[:1].isupper(), odd, tail)


def _memoised(memo: dict, keys: list, compute: Callable) -> list:  # type: ignore[type-arg]
    """``[compute(k) for k in keys]`` with one call per distinct key not yet in ``memo``."""
    missing = set(keys).difference(memo)
    if missing:
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
            missing = set(keys)
        for key in missing:
            memo[key] = compute(key)
    return list(map(memo.__getitem__, keys))


def _counter(counts: dict[str, int]) -> Counter[str]:
    """A Counter holding ``counts`` without Counter.__init__'s generic update (four times
    cheaper; this runs twice for every phrase with full stats)."""
    made: Counter[str] = Counter.__new__(Counter)
    dict.update(made, counts)
    return made


def document_phrases(doc: Document) -> DocumentPhrases:
    """Every n-gram (1-4 words) inside punctuation-free segments, plus quoted spans (1-6).

    The n-grams of each length are built a whole document at a time from per-token arrays
    (C-level map/compress/zip over lists, memoised per distinct token and gap) rather than
    one by one; their order, and so every count and Counter order, is the per-start,
    shortest-first order of the plain loop (tests/support/extract_reference.py)."""
    text = doc.masked
    original = doc.text
    quoted_spans: dict[tuple[int, int], str] = {}
    for found in _QUOTED.finditer(text):
        index = next(i for i in range(1, 6) if found.group(i) is not None)
        inner = found.group(index)
        if 1 <= len(inner.split()) <= MAX_WORDS and any(c.isalpha() for c in inner):
            quoted_spans[(found.start(index), found.start(index) + len(inner))] = inner
    # gap0, token0, gap1, token1, ..., gapN: offsets are the running sum of the lengths
    parts = _TOKEN_SPLIT.split(text)
    tokens = parts[1::2]
    size = len(tokens)
    phrases: dict[str, PhraseStats] = {}
    counts: Counter[str] = Counter()
    if size:
        offsets = list(accumulate(map(len, parts)))
        starts = offsets[0:2 * size:2]
        ends = offsets[1:2 * size:2]
        phrases, counts = _ngram_phrases(doc, original, parts, tokens, starts, ends,
                                         quoted_spans)
    # quoted spans that contain breaks (e.g. "Qianchao No. 9") are candidates as written
    for (start, end), inner in quoted_spans.items():
        words = [m.group() for m in _TOKEN.finditer(inner)]
        key = phrase_key(words) if words else ""
        if key and key not in phrases:
            _add(phrases, doc, key, start, end, True)
    return DocumentPhrases(doc.path, size, phrases, counts)


def _ngram_phrases(doc: Document, original: str, parts: list[str], tokens: list[str],
                   starts: list[int], ends: list[int],
                   quoted_spans: dict[tuple[int, int], str],
                   ) -> tuple[dict[str, PhraseStats], Counter[str]]:
    """Full stats for the n-grams with evidence or repeated, bare counts for the rest."""
    size = len(tokens)
    facts = _memoised(_TOKEN_FACTS, tokens, _token_facts)
    columns = zip(*facts, strict=True)
    lowered, last_form, is_year, stop, capital, odd, tails = (list(f) for f in columns)
    not_stop = list(map(not_, stop))
    starts_ok = list(map(not_, map(or_, stop, is_year)))
    # joined[k]: tokens k and k+1 are in one segment (no break character between them)
    joined = _memoised(_JOINS, parts[2:2 * size:2], lambda gap: not _BREAK.search(gap))
    link = list(map(and_, joined, map(not_, is_year[1:])))  # an n-gram may run from k to k+1
    year_after = [*map(and_, joined, is_year[1:]), False]
    # sentence starts, from the original text: the gap before each token and what a scan
    # back can see of the token before it (exactly what is_sentence_start reads)
    if original is doc.masked or original == doc.masked:
        gaps = parts[0:2 * size:2]
    else:
        gaps = [original[a:b] for a, b in zip([0, *ends], starts, strict=False)]
    sentence = [is_sentence_start(gaps[0], len(gaps[0]))]
    sentence += _memoised(_STARTS, list(zip(tails, gaps[1:], strict=False)),
                          lambda key: is_sentence_start(key[0] + key[1], len(key[0] + key[1])))
    flag_start = list(map(or_, odd, map(and_, capital, map(not_, sentence))))
    marker = list(map(or_, capital, odd))
    # slot 4*i + n - 1 holds the key of the n-gram of n tokens starting at token i
    slots: list[str | None] = [None] * (MAX_NGRAM * size)
    flagged: set[str] = set()
    valid = starts_ok
    run = flag_start
    chain = link
    for n in range(1, MAX_NGRAM + 1):
        if n == 1:
            keys = list(compress(last_form, valid))
        else:
            valid = list(map(and_, map(and_, starts_ok, chain), not_stop[n - 1:]))
            columns = [lowered[k:] for k in range(n - 1)] + [last_form[n - 1:]]
            keys = list(map(" ".join, compress(zip(*columns, strict=False), valid)))
            run = list(map(or_, run, marker[n - 1:]))
            chain = list(map(and_, chain, link[n - 1:]))
        positions = compress(range(n - 1, MAX_NGRAM * size, MAX_NGRAM), valid)
        deque(map(slots.__setitem__, positions, keys), maxlen=0)
        flagged.update(compress(keys, compress(map(or_, run, year_after[n - 1:]), valid)))
    quoted_slots: list[int] = []
    for span_start, span_end in quoted_spans:
        first = bisect_left(starts, span_start)
        last = bisect_left(ends, span_end)
        if (first < size and last < size and starts[first] == span_start
                and ends[last] == span_end and 0 <= last - first < MAX_NGRAM):
            slot = MAX_NGRAM * first + last - first
            if slots[slot] is not None:
                quoted_slots.append(slot)
                flagged.add(slots[slot])  # type: ignore[arg-type]
    ordered = list(filter(None, slots))
    places = list(compress(range(len(slots)), slots))
    counts = Counter(ordered)
    interesting = flagged.union(compress(counts, map(gt, counts.values(), repeat(1))))
    if not interesting:
        return {}, counts
    chosen = list(map(interesting.__contains__, ordered))
    keys = list(compress(ordered, chosen))
    places = list(compress(places, chosen))
    first_token = [place >> 2 for place in places]
    last_token = [(place >> 2) + (place & 3) for place in places]
    years = set(compress(range(size), year_after))
    occ_starts = list(map(starts.__getitem__, first_token))
    occ_ends = [ends[k + 1] if k in years else ends[k] for k in last_token]
    surfaces = [" ".join(original[a:b].split()) for a, b in zip(occ_starts, occ_ends, strict=True)]
    by_surface: dict[str, dict[str, int]] = {}
    with_year: dict[str, int] = {}
    for (key, surface), n in Counter(zip(keys, surfaces, strict=True)).items():
        found = by_surface.get(key)
        if found is None:
            by_surface[key] = {surface: n}
        else:
            found[surface] = n
        if _YEAR.search(surface):
            with_year[key] = with_year.get(key, 0) + n
    mid_sentence = map(not_, map(sentence.__getitem__, first_token))
    by_mid: dict[str, dict[str, int]] = {}
    mid_pairs = compress(zip(keys, surfaces, strict=True), mid_sentence)
    for (key, surface), n in Counter(mid_pairs).items():
        spelling = _without_years(surface)
        found = by_mid.get(key)
        if found is None:
            by_mid[key] = {spelling: n}
        else:
            found[spelling] = found.get(spelling, 0) + n
    quoted: dict[str, int] = {}
    for slot in quoted_slots:
        key = slots[slot]  # type: ignore[assignment]
        quoted[key] = quoted.get(key, 0) + 1
    # the first occurrence of each key gives its context (reversed: the first one wins)
    first = dict(zip(reversed(keys), zip(reversed(occ_starts), reversed(occ_ends),
                                         strict=True), strict=True))
    phrases: dict[str, PhraseStats] = {}
    pop = counts.pop
    empty: dict[str, int] = {}
    for key in dict.fromkeys(keys):
        start, end = first[key]
        phrases[key] = PhraseStats(
            pop(key), quoted.get(key, 0), _counter(by_surface[key]),
            _counter(by_mid.get(key, empty)), with_year.get(key, 0),
            [_context(doc, start, end)])
    return phrases, counts


def _without_years(surface: str) -> str:
    if "-" not in surface and not _YEAR.search(surface):
        return surface
    return " ".join(w for w in surface.replace("-", " ").split() if not _YEAR.fullmatch(w))


def _add(phrases: dict[str, PhraseStats], doc: Document, key: str, start: int, end: int,
         quoted: bool) -> None:
    stats = phrases.get(key)
    if stats is None:
        stats = phrases[key] = PhraseStats()
    stats.count += 1
    surface = " ".join(doc.text[start:end].split())
    stats.surfaces[surface] += 1
    if quoted:
        stats.quoted += 1
    if not is_sentence_start(doc.text, start):
        stats.mid_case[_without_years(surface)] += 1
    if _YEAR.search(surface):
        stats.with_year += 1
    if not stats.contexts:  # one per document; the reduce keeps three
        stats.contexts.append(_context(doc, start, end))
