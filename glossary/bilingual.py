"""Bilingual documents: pairing English files with their Chinese sources, aligning them, and
locating how each glossary zh term of the source is rendered in the aligned English.

The checker (DQ201-DQ203), ``decalque align``, the extractor's bilingual mode and the review
TUI all read pairs through here, so a pair is aligned the same way everywhere. Reading is the
caller's business (``glossary.documents``); everything below works on decoded Documents.
"""

from __future__ import annotations

import bisect
import csv
import os
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from aligner.sentences import Sentence, split_en, split_paragraphs, split_zh
from glossary.documents import Document
from glossary.errors import DecalqueError
from glossary.match import Match, Matcher, ZhMatch
from glossary.terms import Glossary

if TYPE_CHECKING:  # numpy and the aligner load only when a pair is aligned
    from aligner.align import Link

RenderingStatus = Literal["preferred", "admitted", "deprecated", "unknown"]


# -- pairing --------------------------------------------------------------------------------------
def pair_by_name(english: Sequence[str], sources: Sequence[str],
                 english_roots: Sequence[str] = (), source_roots: Sequence[str] = (),
                 strict: Collection[str] = ()) -> tuple[dict[str, str], list[str]]:
    """English path -> source path, for mirrored trees (``docs/en/a/x.txt`` with
    ``docs/zh/a/x.txt``): a source pairs with the English file at the same path relative to
    the folders given, without extensions; failing that, with the one English file of the same
    name. Returns the pairs and the sources left unpaired; a source in ``strict`` (a file named
    on the command line) that cannot be paired, or that could pair with several files, is an
    error."""
    by_relative: dict[str, list[str]] = defaultdict(list)
    by_name: dict[str, list[str]] = defaultdict(list)
    by_folder: dict[str, list[str]] = defaultdict(list)
    for path in english:
        by_relative[_relative(path, english_roots)].append(path)
        by_name[_stem(path)].append(path)
        folder = _folder_key(path)
        if folder:
            by_folder[folder].append(path)
    pairs: dict[str, str] = {}
    unpaired: list[str] = []
    for source in sources:
        folder = _folder_key(source)
        # never the source itself (a folder given on both sides)
        matches = next((found for found in (
            [p for p in by_relative.get(_relative(source, source_roots), ()) if p != source],
            [p for p in by_name.get(_stem(source), ()) if p != source],
            [p for p in by_folder.get(folder, ()) if p != source] if folder else [])
            if found), [])
        if len(matches) == 1 and matches[0] not in pairs:
            pairs[matches[0]] = source
            continue
        if source not in strict:
            unpaired.append(source)
        elif not matches:
            raise DecalqueError(f"no English file named like this source among the checked "
                                f"files ({_stem(source)}.*)", source)
        elif len(matches) > 1:
            raise DecalqueError(f"ambiguous source: English files {', '.join(matches)} share "
                                f"its name; pair them with --pairs", source)
        else:
            raise DecalqueError(f"{matches[0]} already has the source {pairs[matches[0]]}",
                                source)
    return pairs, unpaired


# a language tag ending a file name: parallel corpora name their halves "news.en.txt" /
# "news.zh.txt", "report_en" / "report_zh", "law-EN" / "law-ZH-CN"
_LANGUAGE_TAG = re.compile(
    r"[._-](?:en|eng|english|zh|zho|chi|chinese|cn|chs|cht|zh[._-]?(?:cn|tw|hk|hans|hant))$",
    re.IGNORECASE)


def _stem(path: str) -> str:
    """A file's name without its extension and a language tag: what pairs it by name."""
    stem = os.path.splitext(os.path.basename(path))[0]
    return _LANGUAGE_TAG.sub("", stem) or stem


_WHOLE_TAG = re.compile(_LANGUAGE_TAG.pattern.replace("[._-]", "", 1), re.IGNORECASE)
_ENGLISH_TAG = re.compile(r"(?:^|[._-])(?:en|eng|english)$", re.IGNORECASE)


def name_language(path: str) -> str | None:
    """"en" or "zh" when a file's name ends with a language tag (or is one), else None."""
    stem = os.path.splitext(os.path.basename(path))[0]
    if not (_WHOLE_TAG.fullmatch(stem) or _LANGUAGE_TAG.search(stem)):
        return None
    return "en" if _ENGLISH_TAG.search(stem) else "zh"


def _folder_key(path: str) -> str | None:
    """A file named by its language alone ("doc42/en.txt", "doc42/zh.txt") pairs by its
    folder's name, when nothing pairs it by its own."""
    stem = os.path.splitext(os.path.basename(path))[0]
    if not _WHOLE_TAG.fullmatch(stem):
        return None
    return os.path.basename(os.path.dirname(os.path.abspath(path))) or None


def _relative(path: str, roots: Sequence[str]) -> str:
    """``path`` relative to the deepest folder in ``roots`` containing it, without extension."""
    best = os.path.basename(path)
    depth = -1
    path = os.path.normpath(path)
    for root in roots:
        root = os.path.normpath(root)
        inside = path.startswith(root + os.sep) or os.path.isdir(root)
        folder = root if inside else os.path.dirname(root) or "."
        rel = os.path.relpath(path, folder)
        if not rel.startswith(os.pardir) and folder.count(os.sep) > depth:
            best, depth = rel, folder.count(os.sep)
    stem = os.path.splitext(best)[0]
    return _LANGUAGE_TAG.sub("", stem) or stem


def read_pairs_file(path: str, text: str) -> list[tuple[str, str]]:
    """(English, source) path pairs from a TSV or CSV file: one pair per line, English first;
    blank lines and lines starting with # are skipped."""
    base = os.path.dirname(path)
    dialect = "excel-tab" if "\t" in text else "excel"
    pairs: list[tuple[str, str]] = []
    for number, row in enumerate(csv.reader(text.splitlines(), dialect=dialect), 1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) != 2 or not all(cells):
            raise DecalqueError(f"expected two paths (English, source), found {len(cells)} "
                                f"field(s)", path, number)
        en, zh = (_locate(cell, base, path, number) for cell in cells)
        pairs.append((en, zh))
    return pairs


def _locate(cell: str, base: str, pairs_path: str, number: int) -> str:
    """A path from a pairs file: relative to the pairs file's folder, else to the current
    directory (both layouts are common in CI scripts)."""
    for candidate in (os.path.join(base, cell), cell):
        if os.path.isfile(candidate):
            return os.path.normpath(candidate)
    raise DecalqueError(f"no such file: {cell}", pairs_path, number)


# -- alignment ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AlignedPair:
    """A source document and its translation, sentence-aligned. Sentences are spans into the
    documents' texts, so every finding maps back to exact positions."""

    zh: Document
    en: Document
    zh_sentences: tuple[Sentence, ...]
    en_sentences: tuple[Sentence, ...]
    links: tuple[Link, ...]

    def en_span(self, link: Link) -> tuple[int, int] | None:
        """Character span of a link's English side in the English text (None for 1-0)."""
        if not link.en:
            return None
        return self.en_sentences[link.en[0]].start, self.en_sentences[link.en[-1]].end

    def zh_span(self, link: Link) -> tuple[int, int] | None:
        if not link.zh:
            return None
        return self.zh_sentences[link.zh[0]].start, self.zh_sentences[link.zh[-1]].end


def lexicon_pairs(glossary: Glossary) -> list[tuple[str, str]]:
    """(zh term, English rendering) pairs of every active concept: the aligner's glossary
    evidence. Deprecated forms are included because machine translations use them."""
    pairs: list[tuple[str, str]] = []
    for concept in glossary.active():
        for zh in concept.zh:
            for form, _ in concept.forms():
                pairs.append((zh, form.replace("{year}", "")))
    return pairs


def split(doc: Document, language: Literal["zh", "en"], presplit: bool = False) -> list[Sentence]:
    """Sentences of a document; ``presplit`` takes each non-empty line as one sentence."""
    text = doc.masked or doc.text  # markup, code and URLs blanked (same offsets)
    if presplit:
        return split_paragraphs(text)
    return split_zh(text) if language == "zh" else split_en(text)


def align_documents(zh: Document, en: Document, pairs: Iterable[tuple[str, str]] = (),
                    presplit: bool = False,
                    link_types: Collection[tuple[int, int]] | None = None,
                    on_step: Callable[[], object] | None = None) -> AlignedPair:
    """Split both documents and align their sentences (``pairs``: glossary lexicon;
    ``on_step``: see ``aligner.align.align``).

    Checks use the extended link types by default: a ；-list of three clauses that became one
    English sentence (3-1) is common in official prose, and forcing it into smaller links
    puts numbers and terms in the wrong pair."""
    from aligner.align import ALIGN_STEPS, EXTENDED_LINK_TYPES, align, align_by_paragraphs

    zh_sentences = split(zh, "zh", presplit)
    en_sentences = split(en, "en", presplit)
    types = EXTENDED_LINK_TYPES if link_types is None else link_types
    pairs = list(pairs)
    links = None if presplit else align_by_paragraphs(
        zh_sentences, en_sentences, split(zh, "zh", True), split(en, "en", True), pairs,
        link_types=types)
    if links is None:  # paragraphs that do not correspond: the whole document at once
        links = align(zh_sentences, en_sentences, pairs, link_types=types, on_step=on_step)
    elif on_step is not None:
        for _ in range(ALIGN_STEPS):
            on_step()
    return AlignedPair(zh, en, tuple(zh_sentences), tuple(en_sentences), tuple(links))


# -- term alignment -------------------------------------------------------------------------------
@dataclass(frozen=True)
class TermRendering:
    """How one occurrence of a glossary zh term in the source is rendered in the English.

    ``status`` is the kind of the English form found (preferred, admitted, deprecated) or
    ``unknown`` when the aligned English has no form of the concept; then ``en_start``/
    ``en_end`` cover the words the dictionary suggests render it, or the whole aligned English
    when none does."""

    link: int
    concept: str
    term: str
    zh_start: int
    zh_end: int
    status: RenderingStatus
    en_start: int
    en_end: int
    found: str
    guessed: bool = False


def term_renderings(pair: AlignedPair, matcher: Matcher,
                    en_matches: Sequence[Match] | None = None) -> list[TermRendering]:
    """Every glossary zh term occurrence in the source with its rendering in the aligned
    English. Occurrences of a concept within a link are paired in text order with that
    concept's English matches, accepted forms first; a zh sentence with no English (1-0 link)
    has no rendering to report and is skipped."""
    from aligner.lexicon import explained_by_others

    if en_matches is None:
        en_matches = matcher.find(pair.en.masked, original=pair.en.text)
    zh_matches = matcher.find_zh(pair.zh.text)
    starts = [m.start for m in en_matches]
    out: list[TermRendering] = []
    zi = 0
    for index, link in enumerate(pair.links):
        zh_span, en_span = pair.zh_span(link), pair.en_span(link)
        if zh_span is None:
            continue
        in_link: list[ZhMatch] = []
        while zi < len(zh_matches) and zh_matches[zi].start < zh_span[1]:
            if zh_matches[zi].start >= zh_span[0]:
                in_link.append(zh_matches[zi])
            zi += 1
        if not in_link or en_span is None:
            continue
        english = _matches_in(en_matches, starts, en_span)
        by_concept: dict[str, list[Match]] = defaultdict(list)
        claimed: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for match in english:
            by_concept[match.concept].append(match)
            claimed[match.concept].append((match.start, match.end))
        for found in by_concept.values():
            found.sort(key=lambda m: (m.kind == "deprecated", m.start))
        guessed: set[tuple[str, int, int]] = set()
        zh_tokens: list[str] | None = None  # read once, if a guess needs them
        for zh_match in in_link:
            candidates = by_concept.get(zh_match.concept)
            if candidates:
                match = candidates.pop(0)
                surface = pair.en.text[match.start:match.term_end].rstrip(" \"'")
                out.append(TermRendering(index, zh_match.concept, zh_match.term,
                                         zh_match.start, zh_match.end, match.kind, match.start,
                                         match.start + len(surface), surface))
                continue
            if _inside_a_longer_word(pair.zh.text, zh_match.start, zh_match.end):
                continue  # 黑社 of 黑社会 "the mafia": that word's English, not the term's
            if zh_tokens is None:
                zh_tokens = _source_words(pair.zh.text[zh_span[0]:zh_span[1]])
            guess = _guess(pair.en.text, en_span, zh_match.term,
                           claimed.get(zh_match.concept, ()),
                           explained_by_others(zh_tokens, zh_match.term))
            if guess is None:
                continue  # rendered by the words of the concept's other occurrence
            start, end = guess
            if (zh_match.concept, start, end) in guessed:
                continue  # a second 网络犯罪 in the same link says nothing new
            guessed.add((zh_match.concept, start, end))
            out.append(TermRendering(index, zh_match.concept, zh_match.term, zh_match.start,
                                     zh_match.end, "unknown", start, end,
                                     pair.en.text[start:end], guessed=(start, end) != en_span))
    return out


_LONGER_BY = 3  # characters a dictionary word may extend a glossary term by, on each side


def _inside_a_longer_word(text: str, start: int, end: int) -> bool:
    """Whether the glossary term at ``text[start:end]`` is part of a longer word of the
    dictionary there (CC-CEDICT): 黑社 (an unlicensed travel agency) in 黑社会 "the mafia", 助餐
    (meal assistance) in 自助餐 "buffet". The source then says that word, which the English
    renders as a whole, so an English without the term's forms tells nothing about the term.
    Not jieba's larger dictionary: it holds phrases made of the term (拐卖儿童, 春运期间,
    万余人次), which the English renders with the term's own words."""
    from aligner.lexicon import base_map

    words = base_map()
    for a in range(max(0, start - _LONGER_BY), start + 1):
        for b in range(end, min(len(text), end + _LONGER_BY) + 1):
            if (a, b) != (start, end) and text[a:b] in words:
                return True
    return _split_across(text, start, end, words)


def _split_across(text: str, start: int, end: int, words: Mapping[str, object]) -> bool:
    """Whether the term and the characters next to it make a word of jieba's dictionary that
    splits elsewhere, into two dictionary words across the term's last (or first)
    character: 公安部门 is 公安 | 部门 "public security departments", not 公安部 "the Ministry
    of Public Security" and a stray 门. A phrase that holds the term whole (拐卖儿童) keeps
    it, and so does a run jieba has no word for (常态化工作: 化工 is "chemical industry")."""
    from aligner.segment import word_frequency

    if end - start < 3:
        return False
    if text[start:end - 1] in words:
        for b in range(end + 1, min(len(text), end + _LONGER_BY) + 1):
            if text[end - 1:b] in words and word_frequency(text[start:b]):
                return True
    if text[start + 1:end] in words:
        for a in range(max(0, start - _LONGER_BY), start):
            if text[a:start + 1] in words and word_frequency(text[a:end]):
                return True
    return False


def _matches_in(matches: Sequence[Match], starts: list[int],
                span: tuple[int, int]) -> list[Match]:
    lo = bisect.bisect_left(starts, span[0])
    hi = bisect.bisect_left(starts, span[1])
    return [m for m in matches[lo:hi] if m.end <= span[1]]


def _source_words(zh: str) -> list[str]:
    """The content words of a source span, whose senses are no guess for another term's
    rendering (see ``_guess``)."""
    from aligner.lexicon import build_lexicon

    return build_lexicon().tokens(zh)


def _guess(text: str, span: tuple[int, int], term: str,
           claimed: Sequence[tuple[int, int]] = (),
           others: Collection[str] = ()) -> tuple[int, int] | None:
    """The longest run of English words in ``span`` that the dictionary gives as senses of the
    term or its characters (the literal rendering a machine makes), else the whole span.
    Words a form of the concept already renders (``claimed``: another occurrence's) are no
    guess for this one; None when no other word is (one English rendering for two
    occurrences, as "the masses" for 群众 twice, says nothing new). A word another word of
    the source sentence explains (``others``) renders that word: "Xi" is 习近平's, not a
    guess for 深入学习贯彻 (习 "practise; Xi")."""
    from aligner.lexicon import build_lexicon, stem

    senses = build_lexicon().translations(term) - frozenset(others)
    if not senses:
        return None if claimed else span
    best: tuple[int, int] | None = None
    run_start: int | None = None
    run_end = 0
    content = 0
    best_content = 0
    previous_end = -1
    for word, start, end in _words(text, span):
        if run_start is not None and text[previous_end:start].strip():
            run_start = None  # punctuation between two words ends a run
        previous_end = end
        key = stem(word.lower())
        if key in senses and any(lo <= start < hi for lo, hi in claimed):
            run_start = None
        elif key in senses:
            if run_start is None:
                run_start, content = start, 0
            run_end = end
            content += 1
            if content > best_content:
                best, best_content = (run_start, run_end), content
        elif run_start is not None and word.lower() in _GLUE:
            continue  # "army of water": keep the run open over small words
        else:
            run_start = None
    if best is None and claimed:
        return None
    return best or span


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_GLUE = frozenset({"of", "the", "a", "an", "and", "-"})


def _words(text: str, span: tuple[int, int]) -> Iterable[tuple[str, int, int]]:
    for found in _WORD.finditer(text, span[0], span[1]):
        yield found.group(), found.start(), found.end()


def sources_by_english(pairs: Iterable[tuple[str, str]]) -> Mapping[str, str]:
    """English path -> source path, normalised as ``glossary.files.collect`` normalises."""
    out: dict[str, str] = {}
    for en, zh in pairs:
        key = os.path.normpath(en)
        if key in out and out[key] != os.path.normpath(zh):
            raise DecalqueError(f"two sources for one English file: {out[key]} and {zh}", key)
        out[key] = os.path.normpath(zh)
    return out


__all__ = [
    "AlignedPair", "TermRendering", "align_documents", "lexicon_pairs",
    "pair_by_name", "read_pairs_file", "sources_by_english", "split", "term_renderings",
]
