"""Reference map step of the extractor: ``document_phrases`` as it was before the fast path
(the obvious per-n-gram loop), kept verbatim so tests can pin the fast version to it.

Only the result types and the word lists are shared with ``glossary.extract.candidates``;
every helper the loop uses (tokens, breaks, quotes, folding, the odd-word test, contexts) is
copied here, so a change to the fast path's helpers cannot change the reference too.
"""

from __future__ import annotations

import re
from collections import Counter

from glossary.documents import Document
from glossary.extract.candidates import (
    MAX_NGRAM,
    MAX_WORDS,
    NUMBER_WORDS,
    STOPWORDS,
    DocumentPhrases,
    PhraseStats,
    compound_word,  # the decision, tested on its own: shared
    coordinated,  # likewise
    mark_parallel_spans,
    mark_placeholder_names,
    mark_title_spans,
    may_list_compound,  # likewise
    may_list_once,  # the decision, tested on its own: shared
    odd_compound,  # likewise
    singular,  # a word's folding, not one of the fast map's tricks: shared
)
from glossary.match import is_sentence_start
from glossary.quotes import QUOTED_OR_SINGLE, quotations

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+)*|(?:19|20)\d\d(?!\d)")
_BREAK = re.compile(r"[.,;:!?()\[\]{}\"'“”‘’「」『』<>/|—–…\n]|\s-\s|\d")
_YEAR = re.compile(r"(?:19|20)\d\d")


def fold_word(word: str) -> str:
    return word.lower().replace("’", "'")


def phrase_key(words: list[str]) -> str:
    parts = [p for w in words for p in fold_word(w).replace("-", " ").split()
             if not _YEAR.fullmatch(p)]
    if not parts:
        return ""
    parts[-1] = singular(parts[-1])
    return " ".join(parts)


def _context(doc: Document, start: int, end: int) -> tuple[int, str]:
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
    if len(word) > 45:
        return False
    odd = _ODD_WORDS.get(word)
    if odd is None:
        from glossary.rules.script import _english_zipf, looks_like_pinyin

        if " " in word:  # a hyphened token, folded: the compound test is shared
            odd = odd_compound(word.split()) is not None
        else:
            odd = 4 <= len(word) <= 45 and word.isalpha() and (
                looks_like_pinyin(word) or _english_zipf(word) < 1.5)
        _ODD_WORDS[word] = odd
    return odd


def document_phrases(doc: Document) -> DocumentPhrases:
    """Every n-gram (1-4 words) inside punctuation-free segments, plus quoted spans (1-6)."""
    text = doc.masked
    original = doc.text
    quoted_spans: dict[tuple[int, int], str] = {}
    # quotation spans: the shared pairing (glossary.quotes, tested on its own)
    quotes = [(start, inner) for _, start, inner in quotations(text, QUOTED_OR_SINGLE)]
    for start, inner in quotes:
        if 1 <= len(inner.split()) <= MAX_WORDS and any(c.isalpha() for c in inner):
            quoted_spans[(start, start + len(inner))] = inner
    # first words of quoted phrases of two or more words (each item of a quoted list): the
    # unquoted 2-3 word n-grams that start with one keep full facts (score.shared_modifiers)
    leads: set[str] = set()
    for _, inner in quotes:
        if len(inner) > 80:
            continue  # a speech, not a slogan
        for item in re.split(r"[,;、，；]|\s(?:and|or)\s", inner):
            item_tokens = _TOKEN.findall(item)
            if len(item_tokens) >= 2:
                first = fold_word(item_tokens[0]).replace("-", " ").split()[0]
                if first not in STOPWORDS and first not in NUMBER_WORDS:
                    leads.add(first)
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
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
    runs: list[tuple[str, str]] = []  # whole runs of 2-4 plain words: (key, as said)
    compounds: list[tuple[str, str]] = []  # a hyphened word and the plain word after it
    for seg in segments:
        plain = [t[2].isalpha() and t[2].islower() and t[2] not in STOPWORDS for t in seg]
        i = 0
        while i < len(seg):
            j = i
            while j < len(seg) and plain[j]:
                j += 1
            if 2 <= j - i <= MAX_NGRAM:
                words = [t[2] for t in seg[i:j]]
                runs.append((" ".join([*words[:-1], singular(words[-1])]), " ".join(words)))
            i = max(j, i + 1)
        lowered = [fold_word(t[2]).replace("-", " ") for t in seg]
        last_form = [singular(w) for w in lowered]
        for i in range(len(seg) - 1):  # a hyphened word and the plain word after it
            if compound_word(seg[i][2]) and plain[i + 1]:
                compounds.append((f"{lowered[i]} {last_form[i + 1]}",
                                  f"{seg[i][2]} {seg[i + 1][2]}"))
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
                    break
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
                if quoted or year_next or flagged or (
                        lowered[i] in leads and 2 <= j - i <= 3) or (
                        j - i == 3 and lowered[i + 1] == "and"
                        and (last_form[i] == last_form[i + 2]
                             or coordinated(seg[i][2], seg[i + 2][2]))):
                    interesting.add(key)
    once = [key for key, said in runs if counts[key] == 1 and may_list_once(said)]
    once += [key for key, said in compounds if counts[key] == 1 and may_list_compound(said)]
    interesting.update(once)
    interesting.update(k for k, n in counts.items() if n >= 2)
    by_key: dict[str, list[tuple[int, int, bool]]] = {}
    for key, start, end, quoted in occurrences:
        if key in interesting:
            found = by_key.get(key)
            if found is None:
                by_key[key] = [(start, end, quoted)]
            else:
                found.append((start, end, quoted))
    phrases = {key: _stats(doc, occs) for key, occs in by_key.items()}
    for (start, end), inner in quoted_spans.items():
        words = [m.group() for m in _TOKEN.finditer(inner)]
        key = phrase_key(words) if words else ""
        if key and key not in phrases:
            _add(phrases, doc, key, start, end, True)
    for key in once:
        phrases[key].runs = 1
    singles = Counter({k: n for k, n in counts.items() if k not in interesting})
    mark_parallel_spans(doc, phrases, quoted_spans)  # the same functions: tested on their own
    mark_placeholder_names(text, phrases)
    mark_title_spans(doc, phrases)
    return DocumentPhrases(doc.path, len(tokens), phrases, singles)


def _stats(doc: Document, occurrences: list[tuple[int, int, bool]]) -> PhraseStats:
    text = doc.text
    surfaces = [" ".join(text[start:end].split()) for start, end, _ in occurrences]
    mid = [_without_years(surface) for (start, _, _), surface in zip(occurrences, surfaces,
                                                                      strict=True)
           if not is_sentence_start(text, start)]
    start, end, _ = occurrences[0]
    return PhraseStats(
        count=len(occurrences), quoted=sum(quoted for _, _, quoted in occurrences),
        surfaces=Counter(surfaces), mid_case=Counter(mid),
        with_year=sum(1 for surface in surfaces if _YEAR.search(surface)),
        contexts=[_context(doc, start, end)])


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
    if not stats.contexts:
        stats.contexts.append(_context(doc, start, end))
