"""Phrase candidates (1-6 words) from English documents, with the evidence each occurrence gives.

Map step of the extractor: one document in, a small :class:`DocumentPhrases` summary out
(counts, surfaces, quote and case facts, up to three contexts per phrase), so documents can be
processed one at a time (or on workers) and merged.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

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


def document_phrases(doc: Document) -> DocumentPhrases:
    """Every n-gram (1-4 words) inside punctuation-free segments, plus quoted spans (1-6)."""
    text = doc.masked
    original = doc.text
    quoted_spans: dict[tuple[int, int], str] = {}
    for found in _QUOTED.finditer(text):
        index = next(i for i in range(1, 6) if found.group(i) is not None)
        inner = found.group(index)
        if 1 <= len(inner.split()) <= MAX_WORDS and any(c.isalpha() for c in inner):
            quoted_spans[(found.start(index), found.start(index) + len(inner))] = inner
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    # segments: runs of tokens with no break character between neighbours
    segments: list[list[tuple[int, int, str]]] = []
    segment: list[tuple[int, int, str]] = []
    for token in tokens:
        if segment and _BREAK.search(text, segment[-1][1], token[0]):
            segments.append(segment)
            segment = []
        segment.append(token)
    if segment:
        segments.append(segment)
    counts: dict[str, int] = {}
    occurrences: list[tuple[str, int, int, bool]] = []
    interesting: set[str] = set()
    for seg in segments:
        lowered = [fold_word(t[2]).replace("-", " ") for t in seg]
        last_form = [singular(w) for w in lowered]
        is_year = [bool(_YEAR.fullmatch(w)) for w in lowered]
        odd = [odd_word(w) or w.split()[0] in NUMBER_WORDS for w in lowered]
        capital = [t[2][:1].isupper() for t in seg]
        size = len(seg)
        for i in range(size):
            if lowered[i] in STOPWORDS or is_year[i]:
                continue
            start = seg[i][0]
            flagged = odd[i] or (capital[i] and not is_sentence_start(original, start))
            prefix = ""
            for j in range(i + 1, min(i + MAX_NGRAM, size) + 1):
                word = lowered[j - 1]
                if is_year[j - 1]:
                    break  # a year ends a phrase; it is attached below, never inside
                key = f"{prefix} {last_form[j - 1]}" if prefix else last_form[j - 1]
                prefix = f"{prefix} {word}" if prefix else word
                if j - 1 > i:
                    flagged = flagged or capital[j - 1] or odd[j - 1]
                if word in STOPWORDS:
                    continue
                year_next = j < size and is_year[j]
                end = seg[j][1] if year_next else seg[j - 1][1]
                quoted = (start, seg[j - 1][1]) in quoted_spans
                counts[key] = counts.get(key, 0) + 1
                occurrences.append((key, start, end, quoted))
                if quoted or year_next or flagged:
                    interesting.add(key)
    interesting.update(k for k, n in counts.items() if n >= 2)
    phrases: dict[str, PhraseStats] = {}
    for key, start, end, quoted in occurrences:
        if key in interesting:
            _add(phrases, doc, key, start, end, quoted)
    # quoted spans that contain breaks (e.g. "Qianchao No. 9") are candidates as written
    for (start, end), inner in quoted_spans.items():
        words = [m.group() for m in _TOKEN.finditer(inner)]
        key = phrase_key(words) if words else ""
        if key and key not in phrases:
            _add(phrases, doc, key, start, end, True)
    singles = Counter({k: n for k, n in counts.items() if k not in interesting})
    return DocumentPhrases(doc.path, len(tokens), phrases, singles)


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
        stats.mid_case[" ".join(w for w in surface.replace("-", " ").split()
                                if not _YEAR.fullmatch(w))] += 1
    if _YEAR.search(surface):
        stats.with_year += 1
    if not stats.contexts:  # one per document; the reduce keeps three
        stats.contexts.append(_context(doc, start, end))
