"""Sentence and paragraph splitting for Chinese sources and English translations.

Every function returns spans into the original string, never rewritten text, so callers can map
findings back to exact offsets and nothing is lost: the text between two spans (the "gaps") is
whitespace only, and ``gaps + sentence texts`` in order rebuild the input exactly.

Line breaks always end a sentence: in both press releases and novels a line is a paragraph, and
a sentence running across paragraphs is never what the author meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Sentence", "sentence_around", "split_en", "split_paragraphs", "split_zh", "texts"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or paragraph) as a span: ``text == original[start:end]``."""

    start: int
    end: int
    text: str


# Any line terminator str.splitlines() knows, so a line here is a line everywhere.
_LINE = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")

# -- Chinese --------------------------------------------------------------------------------------
# Closing quotes and brackets stay with the sentence they close: 他说：“走吧。”| 然后……
_ZH_CLOSE = "”’」』）》〉】〕〗〙〛)]}\"'"
# Full stops, exclamation and question marks (full and half width), the semicolon that closes
# each item of an official list, and runs of them ("！？", "。。。").
_ZH_END = re.compile(
    rf"(?:[。！？；!?．｡]+|…+|\.{{3,}}|⋯+)(?:[{re.escape(_ZH_CLOSE)}]|[ \u3000]+(?=[”’」』）》]))*"
)
# An ellipsis followed by a comma-like mark is a pause inside the sentence (我……，), not an end;
# so is one inside quoted speech followed by more of the speech: a stammer or a hesitation
# (说道：“服…… 服了没有？”), which annotators of literary gold never cut. In narration an
# ellipsis trailing off still ends the sentence.
_ZH_PAUSE_AFTER = "，,、：:；;"
_ZH_QUOTE_OPEN = "“「『"
_ZH_QUOTE_CLOSE = "”」』"


def split_zh(text: str) -> list[Sentence]:
    """Chinese sentences: ends after 。！？；!? and ellipses, closing quotes kept."""
    out: list[Sentence] = []
    for line_start, line_end in _lines(text):
        line = text[line_start:line_end]
        cut = 0
        for match in _ZH_END.finditer(line):
            end = match.end()
            mark = match.group()
            if mark[0] in "…⋯." and end < len(line) and mark[-1] not in _ZH_CLOSE:
                if line[end] in _ZH_PAUSE_AFTER or _in_speech(line, match.start()):
                    continue
            if mark == "．" and end < len(line) and line[end].isdigit():
                continue  # a full-width decimal point: ６．２万
            out.extend(_span(text, line_start + cut, line_start + end))
            cut = end
        out.extend(_span(text, line_start + cut, line_end))
    return out


def _in_speech(line: str, pos: int) -> bool:
    """Whether ``pos`` is inside a quotation opened earlier on the line."""
    before = line[:pos]
    return sum(before.count(c) for c in _ZH_QUOTE_OPEN) > sum(
        before.count(c) for c in _ZH_QUOTE_CLOSE)


# -- English --------------------------------------------------------------------------------------
# Abbreviations that are (almost) never the last word of a sentence. Language knowledge, kept
# in three groups because several are also ordinary words ("no", "art", "mar"):
# titles, months and company suffixes count when capitalised ("Dr.", "Jan.", "Co., Ltd.");
# the numbering ones only before a digit ("No. 5", "Art. 12"); the Latin ones in any case.
# "etc." is not here: it ends a sentence when a capital follows, as the general rule says.
TITLES_MONTHS_COMPANIES: frozenset[str] = frozenset(
    {
        "mr", "mrs", "ms", "mx", "dr", "prof", "rev", "hon", "sr", "jr", "st", "mt", "ft",
        "gen", "col", "lt", "capt", "sgt", "cpl", "maj", "gov", "sen", "rep", "pres", "supt",
        "insp", "det", "messrs", "mme", "mlle", "adm", "cmdr",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "co", "corp", "inc", "ltd", "llc", "plc", "bros", "dept", "univ",
    }
)
BEFORE_NUMBERS: frozenset[str] = frozenset(
    {"no", "nos", "vol", "vols", "pp", "p", "fig", "figs", "art", "arts", "sec", "para", "ch",
     "chap", "ed", "op"}
)
LATIN: frozenset[str] = frozenset({"vs", "v", "cf", "approx", "ca", "viz", "al"})
ABBREVIATIONS: frozenset[str] = TITLES_MONTHS_COMPANIES | BEFORE_NUMBERS | LATIN
# U.S., e.g., i.e., a.m., p.m., U.K., Ph.D. -- letters with internal dots never end a sentence
# in running text ("in the U.S. The ..." is rarer than "the U.S. Department").
_DOTTED = re.compile(r"^(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}$")
_EN_CLOSE = "”’\"')]}»›"
_EN_OPEN = "“‘\"'([{«‹"
# A terminator run (., !, ?, ellipsis), then closing quotes/brackets -- a straight quote may be
# separated by one space ('obvious. " Jinke said', as machine translation writes it) when a
# space follows it too, i.e. when it cannot be an opening quote.
_EN_END = re.compile(
    rf"(?:\.{{3,}}|…+|[.!?]+|[—–]+(?=[{re.escape(_EN_CLOSE)}]))"
    rf"(?:[{re.escape(_EN_CLOSE)}]+|\s\"(?=\s|$))*"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.'’-]*)$")
# A list or heading number that opens a line ("IV.", "12.", "(3)."): MT renders 四、 and 2.
# this way, and the Chinese keeps the number in the heading's sentence
_LIST_MARKER = re.compile(r"\s*[(（]?(?:\d{1,2}|[IVX]{1,5})[)）]?")


def split_en(text: str) -> list[Sentence]:
    """English sentences: ends after . ! ? and ellipses that are followed by whitespace and a
    capital, a digit or an opening quote (or by the end of the line), except after known
    abbreviations, dotted initialisms and single-letter initials (J. K. Rowling)."""
    out: list[Sentence] = []
    for line_start, line_end in _lines(text):
        line = text[line_start:line_end]
        cut = 0
        for match in _EN_END.finditer(line):
            end = match.end()
            if not _en_boundary(line, match.start(), end, match.group()):
                continue
            out.extend(_span(text, line_start + cut, line_start + end))
            cut = end
        out.extend(_span(text, line_start + cut, line_end))
    return out


def _en_boundary(line: str, start: int, end: int, mark: str) -> bool:
    rest = line[end:]
    stripped = rest.lstrip()
    if not stripped:
        return True
    if stripped == rest:  # "6.2 million", "U.S.-China", "word.word": no space, no boundary
        return False
    nxt = stripped[0]
    if mark[0] in "—–":  # speech broken off ('I'd have had you, though—') ends when another
        return nxt in _EN_OPEN  # speech opens; before narration it is the sentence's dash
    if not (nxt.isupper() or nxt.isdigit() or nxt in _EN_OPEN or _is_cjk(nxt)):
        return False  # "etc. and", "approx. three": a lower-case word continues the sentence
    if mark[0] == "." and not mark.startswith(".."):
        if _LIST_MARKER.fullmatch(line, 0, start):
            return False  # "IV. Standardize ...", "2. Typical cases": a heading's number
        word = _WORD_BEFORE.search(line, 0, start)
        if word:
            token = word.group(1).lstrip(".'’-")
            if _is_abbreviation(token, nxt):
                return False
    return True


def sentence_around(line: str, start: int, end: int, reach: int = 300) -> str:
    """The English sentence of ``line`` that holds ``line[start:end]``, cut as ``split_en``
    cuts, looking no further than ``reach`` characters either side: a longer sentence (or a
    line of run-on text) is cut there, with "…". For showing a phrase in its context (KWIC):
    the cost is bounded by ``reach``, not by the line."""
    lo, hi = max(0, start - reach), min(len(line), end + reach)
    window = line[lo:hi]
    start, end = start - lo, end - lo
    left, right = 0, len(window)
    for match in _EN_END.finditer(window):  # the boundaries split_en would cut at
        cut = match.end()
        if cut > start and cut < end:
            continue  # inside the phrase: the sentence runs on to the phrase's end
        if _en_boundary(window, match.start(), cut, match.group()):
            if cut <= start:
                left = cut
            else:
                right = cut
                break
    cut_left, cut_right = left == 0 and lo > 0, right == len(window) and hi < len(line)
    if cut_left:  # at a word boundary
        space = window.find(" ", 0, start)
        left = space + 1 if space >= 0 else 0
    if cut_right:
        space = window.rfind(" ", end)
        right = space if space >= 0 else right
    return ("…" if cut_left else "") + window[left:right].strip() + ("…" if cut_right else "")


def _is_abbreviation(token: str, nxt: str) -> bool:
    """Whether ``token`` + "." is an abbreviation, given the next non-space character."""
    if _DOTTED.match(token):
        return True
    if len(token) == 1 and token.isupper():  # an initial: "J. K. Rowling"
        return True
    bare = token.lower()
    if bare in LATIN:
        return True
    if bare in BEFORE_NUMBERS and token[0].isupper() and nxt.isdigit():
        return True
    return bare in TITLES_MONTHS_COMPANIES and token[0].isupper()


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


# -- paragraphs -----------------------------------------------------------------------------------
def split_paragraphs(text: str) -> list[Sentence]:
    """Non-empty lines, stripped, as spans."""
    out: list[Sentence] = []
    for line_start, line_end in _lines(text):
        out.extend(_span(text, line_start, line_end))
    return out


def texts(sentences: list[Sentence]) -> list[str]:
    """The sentence strings, for the aligner."""
    return [s.text for s in sentences]


# -- helpers --------------------------------------------------------------------------------------
def _lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for match in _LINE.finditer(text):
        yield pos, match.start()
        pos = match.end()
    yield pos, len(text)


def _span(text: str, start: int, end: int) -> list[Sentence]:
    """The span with surrounding whitespace removed, or nothing if it is blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    return [Sentence(start, end, text[start:end])]
