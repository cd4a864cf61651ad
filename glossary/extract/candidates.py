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

MAX_WORDS = 6
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
    path: str
    words: int
    phrases: dict[str, PhraseStats]


def _context(doc: Document, start: int, end: int) -> tuple[int, str]:
    line, _ = doc.position(start)
    text = doc.line_text(line)
    col = start - doc.line_starts()[line - doc.first_line]
    left = max(0, col - 90)
    right = min(len(text), col + (end - start) + 90)
    snippet = ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")
    return line, snippet


def document_phrases(doc: Document) -> DocumentPhrases:
    """Every n-gram of 1-6 words inside punctuation-free segments, plus quoted spans."""
    text = doc.masked
    quoted_spans: dict[tuple[int, int], str] = {}
    for found in _QUOTED.finditer(text):
        index = next(i for i in range(1, 6) if found.group(i) is not None)
        inner = found.group(index)
        if 1 <= len(inner.split()) <= MAX_WORDS and any(c.isalpha() for c in inner):
            quoted_spans[(found.start(index), found.start(index) + len(inner))] = inner
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    phrases: dict[str, PhraseStats] = {}

    def add(start: int, end: int, words: list[str], quoted: bool) -> None:
        key = phrase_key(words)
        if not key:
            return
        stats = phrases.get(key)
        if stats is None:
            stats = phrases[key] = PhraseStats()
        stats.count += 1
        surface = doc.text[start:end]
        stats.surfaces[" ".join(surface.split())] += 1
        if quoted:
            stats.quoted += 1
        if not is_sentence_start(doc.text, start):
            stats.mid_case[" ".join(w for w in surface.replace("-", " ").split()
                                    if not _YEAR.fullmatch(w))] += 1
        if _YEAR.search(surface):
            stats.with_year += 1
        if len(stats.contexts) < 3:
            stats.contexts.append(_context(doc, start, end))

    # segments: runs of tokens with no break character between neighbours
    segment: list[tuple[int, int, str]] = []
    segments: list[list[tuple[int, int, str]]] = []
    for token in tokens:
        if segment and _BREAK.search(text, segment[-1][1], token[0]):
            segments.append(segment)
            segment = []
        segment.append(token)
    if segment:
        segments.append(segment)
    for seg in segments:
        lowered = [fold_word(t[2]) for t in seg]
        for i in range(len(seg)):
            if lowered[i] in STOPWORDS or _YEAR.fullmatch(lowered[i]):
                continue
            for n in range(1, MAX_WORDS + 1):
                j = i + n
                if j > len(seg):
                    break
                last = lowered[j - 1]
                if last in STOPWORDS or _YEAR.fullmatch(last):
                    continue
                year_next = j < len(seg) and _YEAR.fullmatch(lowered[j])
                end = seg[j][1] if year_next else seg[j - 1][1]
                words = [t[2] for t in seg[i:j]]
                add(seg[i][0], end, words, (seg[i][0], seg[j - 1][1]) in quoted_spans)
    # quoted spans that contain breaks (e.g. "Qianchao No. 9") are candidates as written
    for (start, end), inner in quoted_spans.items():
        words = [m.group() for m in _TOKEN.finditer(inner)]
        if words and phrase_key(words) not in phrases:
            add(start, end, words, True)
    return DocumentPhrases(doc.path, len(tokens), phrases)
