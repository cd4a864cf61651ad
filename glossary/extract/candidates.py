"""Phrase candidates (1-6 words) from English documents, with the evidence each occurrence gives.

Map step of the extractor: one document in, a small :class:`DocumentPhrases` summary out
(counts, surfaces, quote and case facts, up to three contexts per phrase), so documents can be
processed one at a time (or on workers) and merged.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress, cycle, repeat
from operator import add, and_, gt, itemgetter, not_, rshift

from glossary.collector import paused_collector
from glossary.documents import Document
from glossary.match import is_sentence_start
from glossary.quotes import QUOTED_OR_SINGLE, quotations

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
# an apostrophe is part of a word only inside it ("people's"): after the last letter it is a
# closing quotation mark (‘one case one policy’) or a plural possessive, and a break
WORD = r"[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+)*"  # shared with the bilingual mode
_TOKEN = re.compile(rf"{WORD}|(?:19|20)\d\d(?!\d)")
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
_BREAK = re.compile(r"[.,;:!?()\[\]{}\"'“”‘’「」『』<>/|—–…\n]|\s-\s|\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
_LEADS_FROM = 80  # quotations whose items' first words are topics (shared_modifier): slogans


def fold_word(word: str) -> str:
    return word.lower().replace("’", "'")


def singular(word: str) -> str:
    """The key's singular: a final -s, -es (foxes) or -ies dropped, unless general English
    knows the word far better than the result ("chaos", "politics", "series" stay) or the
    result is a function word ("news" is no plural of "new"). A possessive is no plural
    ("the province's 2022 plan" made the key "province'")."""
    if word.endswith(("'", "'s")):
        return word
    if len(word) > 4 and word.endswith("ies"):
        shorter = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("sses"):  # masses, classes, processes
        shorter = word[:-2]
    elif (len(word) > 4 and word.endswith(("ses", "xes", "zes", "ches", "shes", "oes"))
          and _zipf(word[:-2]) > _zipf(word[:-1])):
        shorter = word[:-2]  # viruses, foxes, matches, heroes (not causes, shoes)
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        shorter = word[:-1]
    else:
        return word
    if shorter in STOPWORDS:
        return word
    return shorter if _zipf(shorter) >= _zipf(word) - 1.0 else word


def _zipf(word: str) -> float:
    from glossary.rules.script import _english_zipf

    return _english_zipf(word)


def phrase_key(words: list[str]) -> str:
    """Concept key of a surface phrase: lowercase, hyphens as spaces, years dropped, last word
    singular. "Net Net 2022", "net-net" and "net nets" share the key "net net"."""
    parts = [p for w in words for p in fold_word(w).replace("-", " ").split()
             if not _YEAR.fullmatch(p)]
    if not parts:
        return ""
    parts[-1] = singular(parts[-1])
    return " ".join(parts)


# a quotation mark that is not an apostrophe inside a word ("bull's-eye" keeps its own)
_QUOTE_MARK = re.compile(r"(?<![A-Za-z])[\"'“”‘’「」]|[\"'“”‘’「」](?![A-Za-z])")


def text_key(text: str) -> str:
    """The key of a phrase written out, quotation marks and all: a glossary form
    (``"bull's-eye"``, a deprecated form only when quoted) or a gold form copied from text
    (``posting "irrigation``) has the key of the words inside the marks."""
    return phrase_key(_QUOTE_MARK.sub(" ", text).split())


@dataclass
class PhraseStats:
    """Per-document facts about one phrase key."""

    count: int = 0
    quoted: int = 0
    surfaces: Counter[str] = field(default_factory=Counter)
    mid_case: Counter[str] = field(default_factory=Counter)  # spellings not sentence-initial
    with_year: int = 0
    contexts: list[tuple[int, str]] = field(default_factory=list)
    named: int = 0  # uses as a placeholder name ("Li Mou", "Wang Mou": see placeholder_names)
    titled: int = 0  # uses as a whole Title Case name mid-sentence (see title_spans)
    runs: int = 0  # uses as a whole run of plain words said once (see once_runs)


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
    return line_contexts(doc, [start], [end])[0][0]


_ODD_WORDS: dict[str, bool] = {}


def odd_word(word: str) -> bool:
    """Pinyin or unknown to general English, or a hyphened compound English does not make
    (memoised): worth full stats even when seen once."""
    if len(word) > 45:  # no English word or pinyin is this long; do not keep it either
        return False
    odd = _ODD_WORDS.get(word)
    if odd is None:
        if " " in word:  # a hyphened token, folded ("person times")
            odd = odd_compound(word.split()) is not None
        else:
            from glossary.rules.script import _english_zipf, looks_like_pinyin

            odd = 4 <= len(word) <= 45 and word.isalpha() and (
                looks_like_pinyin(word) or _english_zipf(word) < 1.5)
        _ODD_WORDS[word] = odd
    return odd


def odd_compound(parts: Sequence[str]) -> str | None:
    """The first pair of a hyphened compound's parts that English never joins ("person
    times" of "person-times" 人次, "gambling involved" of "gambling-involved" 涉赌, "co
    governance" of "co-governance" 共治), or None: MT joins a Chinese compound's glosses with
    hyphens. Two or three parts of letters, each a word the English model knows."""
    from glossary.extract.english import joined, known

    if (not 2 <= len(parts) <= 3 or parts[0] in _PREFIXES or parts[-1] in _SUFFIXES
            or not all(p.isalpha() and known(p) for p in parts)):
        return None
    return next((f"{a} {b}" for a, b in zip(parts, parts[1:], strict=False)
                 if not joined(a, b)), None)


# English prefixes written with a hyphen ("anti-fraud", "cross-regional", "co-governance"):
# no pair of words for the model to judge
_PREFIXES = frozenset("anti co cross counter e ex extra inter multi non post pre pro re self "
                      "semi sub super ultra".split())
# and the words English makes compounds of with any noun ("drug-related", "problem-oriented",
# "people-centered"), which it need not have seen
_SUFFIXES = frozenset("related oriented centered centred based led driven owned run free "
                      "friendly level scale wide style".split())


# Memos shared by all documents of a process, cleared when they grow past a bound (a corpus
# of any size keeps them small; most entries are the few hundred common gaps and words).
_MEMO_LIMIT = 200_000
_TOKEN_FACTS: dict[str, tuple[str, str, int]] = {}
_JOINS: dict[str, int] = {}  # gap between two tokens -> 1 if no break in it
_MAY_START: dict[str, int] = {}  # gap before a token -> 1 if a sentence may start after it
_SPELLINGS: dict[str, str] = {}  # surface -> the same without years and hyphens
_ONCE: dict[str, int] = {}  # a run of plain words (as said) -> 1 if it may list said once
_SENTENCE_MARK = re.compile(r"[.!?。！？:;\n]")
# Token facts as bits of one byte per token; a translate table pulls one fact out as 0/1
# bytes, which become big integers with one byte per token, so that "and", "or" and "the
# next token's fact" (a shift by 8) run over a whole document in one machine operation.
_YEAR_BIT, _STOP_BIT, _CAPITAL_BIT, _ODD_BIT, _PLAIN_BIT, _COMPOUND_BIT = 1, 2, 4, 8, 16, 32
_BIT = {bit: bytes(1 if b & bit else 0 for b in range(256)) for bit in (1, 2, 4, 8, 16, 32)}


def _token_facts(token: str) -> tuple[str, str, int]:
    """(folded word, its last-word form, fact bits): everything the n-gram pass asks of a
    token, computed once per distinct token."""
    lowered = fold_word(token).replace("-", " ")
    odd = odd_word(lowered) or lowered.split()[0] in NUMBER_WORDS
    stop = lowered in STOPWORDS
    bits = (_YEAR_BIT * bool(_YEAR.fullmatch(lowered)) + _STOP_BIT * stop
            + _CAPITAL_BIT * token[:1].isupper() + _ODD_BIT * odd
            + _PLAIN_BIT * plain_word(token) + _COMPOUND_BIT * compound_word(token))
    return lowered, singular(lowered), bits


def plain_word(token: str) -> bool:
    """A lowercase word of letters only and no function word: what a run of words said once
    is made of (``once_runs``)."""
    return token.isalpha() and token.islower() and token not in STOPWORDS


def compound_word(token: str) -> bool:
    """A lowercase hyphened word of letters ("high-pressure", "decision-making"): what leads
    a pair said once (``compound_pairs``)."""
    return "-" in token and token.islower() and all(map(str.isalpha, token.split("-")))


def coordinated(first: str, second: str) -> bool:
    """Two different lowercase verb forms of one inflection joined by "and" ("listed and
    supervised", "striking and rectifying", "squatted and guarded"): how MT renders a
    Chinese four-character verb compound (挂牌督办, 打击整治, 蹲守), a term for the glossary,
    though English joins such pairs too ("producing and selling")."""
    if first == second or not (plain_word(first) and plain_word(second)):
        return False
    if first.endswith("ing") and second.endswith("ing"):
        return min(len(first), len(second)) >= 6  # not "bring", "sing"
    return (first.endswith("ed") and second.endswith("ed") and min(len(first), len(second)) >= 5
            and not first.endswith("eed") and not second.endswith("eed"))  # "need", "speed"


def parallel(words: Sequence[str]) -> bool:
    """Five lowercase words, one word repeated across "and" with two different words after it
    ("hit early and hit small", "walk deep and walk solid", "group prevention and group
    treatment"), or seven with one article after each repeat ("grasp the early and grasp the
    small"), or five with two different words before it ("physical defense and technical
    defense", "surface rectification and pretend rectification"): MT's rendering of a Chinese
    parallel slogan (打早打小, 走深走实, 群防群治, 物防技防). English says "new situations
    and new features" and "economic security and social security" too, so ``score`` asks the
    model whether English joins the pairs (``parallel_pairs``)."""
    if len(words) == 7 and words[1] == words[5] and words[1] in _ARTICLES:
        words = [words[0], words[2], words[3], words[4], words[6]]
    if len(words) != 5 or words[2] != _AND or not all(map(plain_word, words[:2])):
        return False
    if words[0] == words[3]:
        return words[1] != words[4] and plain_word(words[4])
    return words[1] == words[4] and words[0] != words[3] and plain_word(words[3])


def parallel_pairs(words: Sequence[str]) -> tuple[tuple[str, str], tuple[str, str]]:
    """The repeated word with each word it leads, past an article, or each word that leads
    it: ("grasp", "early") and ("grasp", "small") of "grasp the early and grasp the small",
    ("physical", "defense") and ("technical", "defense") of "physical defense and technical
    defense"."""
    if words[0] != words[len(words) // 2 + 1]:  # the word after "and" is no repeat
        return (words[0], words[1]), (words[3], words[4])
    return (words[0], words[2 if len(words) == 7 else 1]), (words[0], words[-1])


_ARTICLES = frozenset({"the", "a", "an"})


# a repeated word and what it leads, maybe past an article, on either side of " and "; an
# apostrophe inside a word ("don't", "city's") is part of it, a quotation mark outside one
# ('hit early and hit small') is not
_BEFORE_AND = re.compile(r"(?<![\w-])(?<![\w'’][\w'’])([a-z]+) (?:(the|an?) )?([a-z]+)\Z")
_AFTER_AND = re.compile(r"([a-z]+) (?:(the|an?) )?([a-z]+)(?![\w-])(?!['’]\w)")


def mark_parallel_spans(doc: Document, phrases: dict[str, PhraseStats],
                        quoted_spans: Collection[tuple[int, int]]) -> None:
    """Give each ``parallel`` span said outside quotes facts of its own: at five words it is
    longer than the n-grams. Read off each " and " (a few per hundred words)."""
    text = doc.masked
    at = text.find(" and ")
    while at >= 0:
        before = _BEFORE_AND.search(text, max(0, at - 40), at)
        after = _AFTER_AND.match(text, at + 5)
        if before is not None and after is not None:
            words = [w for w in (*before.groups(), _AND, *after.groups()) if w is not None]
            start, end = before.start(), after.end()
            if parallel(words) and (start, end) not in quoted_spans:
                _add(phrases, doc, phrase_key(words), start, end, False)
        at = text.find(" and ", at + 4)


def may_list_once(words: str) -> int:
    """1 if a run of plain words said once (as said, lowercase) is worth its facts: two
    common words in it that English never joins (``english.unusual_pair``, which ``score``
    asks again)."""
    from glossary.extract.english import unusual_pair

    return 1 if unusual_pair(words, common=True) else 0


def _memoised(memo: dict, keys: list, compute: Callable) -> list:  # type: ignore[type-arg]
    """``[compute(k) for k in keys]`` with one call per distinct key not yet in ``memo``."""
    missing = set(keys).difference(memo)
    if missing:
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
            missing = set(keys)
        for key in missing:
            memo[key] = compute(key)
    try:
        return list(map(memo.__getitem__, keys))
    except KeyError:  # another thread cleared the memo meanwhile
        return [memo[key] if key in memo else compute(key) for key in keys]


def _mask(flags: bytes | bytearray) -> int:
    return int.from_bytes(flags, "little")


def document_phrases(doc: Document) -> DocumentPhrases:
    """Every n-gram (1-4 words) inside punctuation-free segments, plus quoted spans (1-6).

    The n-grams of each length are built a whole document at a time from per-token arrays
    (C-level map/compress/zip over lists, bit masks, memos per distinct token and gap)
    rather than one by one; their order, and so every count and Counter order, is the
    per-start, shortest-first order of the plain loop (tests/support/extract_reference.py).

    The cyclic garbage collector is paused meanwhile: the pass allocates some ten
    containers per n-gram and makes no cycles, and each collection it would trigger walks
    every summary the caller already keeps (a third of the time on a million words)."""
    with paused_collector():
        return _document_phrases(doc)


def _document_phrases(doc: Document) -> DocumentPhrases:
    text = doc.masked
    quoted_spans: dict[tuple[int, int], str] = {}
    leads: set[str] = set()
    for _, start, inner in quotations(text, QUOTED_OR_SINGLE):
        if 1 <= len(inner.split()) <= MAX_WORDS and any(c.isalpha() for c in inner):
            quoted_spans[(start, start + len(inner))] = inner
        if len(inner) <= _LEADS_FROM:
            leads |= quote_leads(inner)
    # gap0, token0, gap1, token1, ..., gapN: offsets are the running sum of the lengths
    parts = _TOKEN_SPLIT.split(text)
    size = len(parts) // 2
    phrases: dict[str, PhraseStats] = {}
    counts: Counter[str] = Counter()
    if size:
        phrases, counts = _ngram_phrases(doc, parts, quoted_spans, leads)
    # quoted spans that contain breaks (e.g. "Qianchao No. 9") are candidates as written
    for (start, end), inner in quoted_spans.items():
        words = [m.group() for m in _TOKEN.finditer(inner)]
        key = phrase_key(words) if words else ""
        if key and key not in phrases:
            _add(phrases, doc, key, start, end, True)
    mark_parallel_spans(doc, phrases, quoted_spans)
    mark_placeholder_names(text, phrases)
    mark_title_spans(doc, phrases)
    return DocumentPhrases(doc.path, size, phrases, counts)


_TITLE_WORD = r"[A-Z][A-Za-z]*(?:['’][A-Za-z]+)*(?:-[A-Za-z]+)*"
_TITLE_JOIN = r"(?:(?:of|and|for|the|on|with)[ ])?"  # function words inside a name
# a run of capitalised words on one line, function words allowed inside ("Law on Public
# Security Administration Punishment", "Rule of Law Daily")
_TITLE_SPAN = re.compile(rf"(?<![A-Za-z'’-]){_TITLE_WORD}(?:[ ]{_TITLE_JOIN}{_TITLE_WORD})+"
                         r"(?![A-Za-z'’-])")
MAX_TITLE = 7


def _english_word(word: str) -> bool:
    """Not a name's pinyin: "Ministry", "Long", "China" are English; "Hubei", "Wang" are not."""
    from glossary.rules.script import pinyin_split

    lower = fold_word(word).removesuffix("'s")
    return pinyin_split(lower) is None or _zipf(lower) >= 4.0


def title_spans(doc: Document) -> list[tuple[int, int, str]]:
    """Whole names written in Title Case mid-sentence, 2-7 words, with two or more English
    words: official names ("Network Security Bureau", "Supreme Law"), campaigns and slogans
    ("Blue Sky Defense War") that MT renders word by word and a glossary should fix. Not a
    person or a place ("Sun Jinfeng", "Hubei Province": pinyin and one English word), not a
    heading or a sentence's first words (capitals there say nothing)."""
    text = doc.masked
    found: list[tuple[int, int, str]] = []
    headings: dict[int, bool] = {}
    line = seen = 0  # the start of the line of the last match, and where that search ended
    for match in _TITLE_SPAN.finditer(text):
        start, end = match.span()
        line = max(line, text.rfind("\n", seen, start) + 1)  # only the gap since: no rescan
        seen = start
        if line not in headings:
            stop = text.find("\n", start)
            headings[line] = _heading(text[line:stop if stop >= 0 else len(text)])
        if headings[line]:
            continue
        if is_sentence_start(doc.text, start):
            # "The Ministry of ...", "Later the Ministry of ...": the name follows a first
            # word that is a function word or has one after it; otherwise the first word may
            # be the name's own ("Blue Sky Defense War results"), so the span says nothing
            rest = _AFTER_FIRST.match(text, start, end)
            if rest is None or (fold_word(text[start:rest.end()].split()[0]) not in STOPWORDS
                                and len(rest.group().split()) < 2):
                continue
            again = _TITLE_SPAN.match(text, rest.end(), end)
            if again is None:
                continue
            start = again.start()
        words = text[start:end].split()
        while words and fold_word(words[0]) in STOPWORDS:  # "The Ministry of ..." mid-line
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else end
            words = words[1:]
        if 2 <= len(words) <= MAX_TITLE and sum(
                w not in STOPWORDS and _english_word(w) for w in words) >= 2:
            found.append((start, end, phrase_key(words)))
    return found


def _heading(line: str) -> bool:
    """A line in Title Case (most of its content words capitalised) that is no sentence (no
    full stop at its end): a heading, where capitals say nothing about names."""
    if line.rstrip().endswith((".", "。", "!", "?", ":", ";")):
        return False
    words = [w for w in _TOKEN.findall(line) if fold_word(w) not in STOPWORDS]
    return bool(words) and len(words) <= 30 and sum(
        w[:1].isupper() for w in words) >= 0.6 * len(words)


_AFTER_FIRST = re.compile(rf"{_TITLE_WORD}[ ]{_TITLE_JOIN}")


def mark_title_spans(doc: Document, phrases: dict[str, PhraseStats]) -> None:
    """Count each whole Title Case name on its phrase facts; one longer than the n-grams (four
    words) gets facts of its own, as a quoted span does."""
    for start, end, key in title_spans(doc):
        if not key:
            continue
        if key not in phrases:
            _add(phrases, doc, key, start, end, False)
        phrases[key].titled += 1


# a capitalised one-syllable word (a surname) and a capitalised word after it, on one line
# (the given name is looked ahead at, not taken: in "Later Li Mou" it is "Li" after "Later",
# then a surname before "Mou")
_NAME_PAIR = re.compile(r"(?<![A-Za-z'’-])([A-Z][a-z]{0,5})[ \t]+(?=([A-Z][a-z]{1,11})"
                        r"((?:['’]s)?)(?![A-Za-z'’-]))")


def given_name_root(word: str) -> str | None:
    """The given name a word spells, as a placeholder name compares it: one or two pinyin
    syllables, a doubled syllable read as one ("moumou" and "mou" are 某某 and 某)."""
    from glossary.rules.script import pinyin_split

    word = word.lower()
    syllables = pinyin_split(word)
    if syllables is None or not 1 <= len(syllables) <= 2:
        return None
    if len(syllables) == 2 and syllables[0] == syllables[1]:
        return syllables[0]
    return word


def placeholder_names(text: str) -> Counter[str]:
    """Keys of names whose given name is shared by two or more surnames in one text: "Li
    Mou", "Zhang Mou" and "Chen Moumou" are 李某, 张某 and 陈某某, Chinese reports' way of
    withholding a name, rendered as if 某 were a name. Real people rarely share a given name
    in one report; any of a hundred surnames before the same word says it is no name."""
    from glossary.rules.script import pinyin_split

    by_root: dict[str, dict[str, list[str]]] = {}  # root -> surname -> keys
    for found in _NAME_PAIR.finditer(text):
        surname, given = found.group(1), found.group(2)
        split = pinyin_split(surname.lower())
        root = given_name_root(given)
        if split is None or len(split) != 1 or root is None or root == surname.lower():
            continue
        key = phrase_key([surname, given + found.group(3)])  # as the text's tokens make it
        by_root.setdefault(root, {}).setdefault(surname.lower(), []).append(key)
    named: Counter[str] = Counter()
    for surnames in by_root.values():
        if len(surnames) >= 2:
            for keys in surnames.values():
                named.update(keys)
    return named


def mark_placeholder_names(text: str, phrases: dict[str, PhraseStats]) -> None:
    """Count each placeholder name's uses on its phrase facts (a capitalised pair mid-sentence
    always has full facts; one at a sentence start only if it recurs or has other evidence)."""
    for key, n in placeholder_names(text).items():
        stats = phrases.get(key)
        if stats is not None:
            stats.named += n


def _ngram_phrases(doc: Document, parts: list[str], quoted_spans: dict[tuple[int, int], str],
                   leads: set[str]) -> tuple[dict[str, PhraseStats], Counter[str]]:
    """Full stats for the n-grams with evidence or repeated, bare counts for the rest.

    Masks are integers with one byte (0 or 1) per token, token i in byte i; ``m >> 8 * k``
    puts token i + k's fact at position i."""
    original = doc.text
    tokens = parts[1::2]
    size = len(tokens)
    offsets = list(accumulate(map(len, parts)))
    starts = offsets[0:2 * size:2]
    ends = offsets[1:2 * size:2]
    facts = _memoised(_TOKEN_FACTS, tokens, _token_facts)
    lowered = list(map(itemgetter(0), facts))
    last_form = list(map(itemgetter(1), facts))
    bits = bytes(map(itemgetter(2), facts))
    ones = _mask(b"\x01" * size)
    year, stop, capital, odd = (_mask(bits.translate(_BIT[bit]))
                                for bit in (_YEAR_BIT, _STOP_BIT, _CAPITAL_BIT, _ODD_BIT))
    not_stop = ones ^ stop
    starts_ok = ones ^ (stop | year)
    # tokens k and k+1 are in one segment (no break character between them)
    joined = _mask(bytes(_memoised(_JOINS, parts[2:2 * size:2],
                                   lambda gap: 0 if _BREAK.search(gap) else 1)))
    link = joined & ((ones ^ year) >> 8)  # an n-gram may run on from token k to k+1
    year_after = joined & (year >> 8)  # a year follows in the segment: attached, not inside
    # sentence starts, exactly as is_sentence_start reads the original text; only a gap with
    # a sentence mark or a line break can precede one (the token before stops the scan)
    if original == doc.masked:
        gaps = parts[2:2 * size:2]
    else:
        gaps = list(map(original.__getitem__, map(slice, ends, starts[1:])))
    sentence = bytearray(size)
    sentence[0] = is_sentence_start(original, starts[0])
    may_start = _memoised(_MAY_START, gaps, lambda gap: 1 if _SENTENCE_MARK.search(gap) else 0)
    for k in compress(range(1, size), may_start):
        sentence[k] = is_sentence_start(original, starts[k])
    sentence_mask = _mask(sentence)
    # n-grams of 2-3 words led by the first word of a quoted phrase in this document keep
    # full facts: they may be its unquoted siblings (score.shared_modifiers)
    lead = _mask(bytes(map(leads.__contains__, lowered))) if leads else 0
    # a word coordinated with itself ("illegal and illegal") or with a verb form of its own
    # inflection ("listed and supervised"): the 3-gram keeps full facts
    doubled = 0
    for k in compress(range(1, size - 1), map(_AND.__eq__, lowered[1:size - 1])):
        if last_form[k - 1] == last_form[k + 1] or coordinated(tokens[k - 1], tokens[k + 1]):
            doubled |= 1 << 8 * (k - 1)
    flag_start = odd | (capital & (ones ^ sentence_mask))
    marker = capital | odd
    # n-grams of each length n: keys of the valid ones, in start order; slot 4*i + n - 1 of
    # ``valid_slots`` says whether the n-gram of n tokens starting at token i exists
    valid_slots = bytearray(MAX_NGRAM * size)
    by_length: list[list[str]] = []
    flagged: set[str] = set()
    chain = link
    valid = starts_ok
    run = flag_start
    for n in range(1, MAX_NGRAM + 1):
        shift = 8 * (n - 1)
        if n > 1:
            valid = starts_ok & chain & (not_stop >> shift)
            run |= marker >> shift
            chain &= link >> shift
        present = valid.to_bytes(size, "little")
        if n == 1:
            keys = list(compress(last_form, present))
        else:
            columns = [lowered[k:] for k in range(n - 1)] + [last_form[n - 1:]]
            keys = list(map(" ".join, compress(zip(*columns, strict=False), present)))
        by_length.append(keys)
        valid_slots[n - 1::MAX_NGRAM] = present
        sibling = (lead if 2 <= n <= 3 else 0) | (doubled if n == 3 else 0)
        evidence = ((run | sibling | (year_after >> shift)) & valid).to_bytes(size, "little")
        flagged.update(compress(keys, compress(evidence, present)))
    # all n-grams in the plain loop's order: per start, shortest first
    ordered = list(map(next, compress(cycle([iter(keys) for keys in by_length]), valid_slots)))
    places = list(compress(range(MAX_NGRAM * size), valid_slots))
    quoted: dict[str, int] = {}
    for span_start, span_end in quoted_spans:
        first = bisect_left(starts, span_start)
        last = bisect_left(ends, span_end)
        if (first < size and last < size and starts[first] == span_start
                and ends[last] == span_end and 0 <= last - first < MAX_NGRAM):
            slot = MAX_NGRAM * first + last - first
            if valid_slots[slot]:
                key = ordered[bisect_left(places, slot)]
                quoted[key] = quoted.get(key, 0) + 1
                flagged.add(key)
    counts = Counter(ordered)
    plain = _mask(bits.translate(_BIT[_PLAIN_BIT]))
    once = once_runs(plain, joined, ones, size, by_length, valid_slots, counts, lowered)
    once += compound_pairs(_mask(bits.translate(_BIT[_COMPOUND_BIT])) & joined & (plain >> 8),
                           size, by_length, valid_slots, counts, tokens)
    flagged.update(once)
    interesting = flagged.union(compress(counts, map(gt, counts.values(), repeat(1))))
    if not interesting:
        return {}, counts
    chosen = list(map(interesting.__contains__, ordered))
    keys = list(compress(ordered, chosen))
    places = list(compress(places, chosen))
    first_token = list(map(rshift, places, repeat(2)))
    last_token = list(map(add, first_token, map(and_, places, repeat(3))))
    occ_starts = list(map(starts.__getitem__, first_token))
    ends_with_year = list(ends)
    for k in compress(range(size), year_after.to_bytes(size, "little")):
        ends_with_year[k] = ends[k + 1]
    occ_ends = list(map(ends_with_year.__getitem__, last_token))
    surfaces = list(map(" ".join, map(str.split, map(original.__getitem__,
                                                     map(slice, occ_starts, occ_ends)))))
    by_surface: dict[str, dict[str, int]] = {}
    with_year: dict[str, int] = {}
    # inside a segment only an attached year has digits, unless masking hid some in the text
    years_possible = bool(year_after) or original != doc.masked
    for (key, surface), n in Counter(zip(keys, surfaces, strict=True)).items():
        found = by_surface.get(key)
        if found is None:
            by_surface[key] = {surface: n}
        else:
            found[surface] = n
        if years_possible and _YEAR.search(surface):
            with_year[key] = with_year.get(key, 0) + n
    mid_sentence = list(map(not_, map(sentence.__getitem__, first_token)))
    mid_spellings = _memoised(_SPELLINGS, list(compress(surfaces, mid_sentence)),
                              _without_years)
    by_mid: dict[str, dict[str, int]] = {}
    for (key, spelling), n in Counter(zip(compress(keys, mid_sentence), mid_spellings,
                                          strict=True)).items():
        found = by_mid.get(key)
        if found is None:
            by_mid[key] = {spelling: n}
        else:
            found[spelling] = n
    # keys in order of first occurrence, each with its first occurrence (for the context)
    first_index = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
    firsts = sorted(first_index.values())
    order = list(map(keys.__getitem__, firsts))
    surface_counters = _counters(map(by_surface.__getitem__, order), len(order))
    mid_counters = _counters(map(by_mid.get, order, repeat({})), len(order))
    contexts = line_contexts(doc, list(map(occ_starts.__getitem__, firsts)),
                         list(map(occ_ends.__getitem__, firsts)))
    phrases = dict(zip(order, map(PhraseStats, map(counts.pop, order),
                                  map(quoted.get, order, repeat(0)), surface_counters,
                                  mid_counters, map(with_year.get, order, repeat(0)),
                                  contexts), strict=True))
    for key in once:
        phrases[key].runs = 1
    return phrases, counts


def once_runs(plain: int, joined: int, ones: int, size: int, by_length: list[list[str]],
              valid_slots: bytearray, counts: Counter[str], lowered: list[str]) -> list[str]:
    """Keys of the whole runs of 2-4 plain words (``plain_word``; a function word, a capital,
    a number or punctuation on both sides) that the document says once and whose words
    English never joins (``may_list_once``): a noun phrase said once, such as "body
    responsibility" or "meeting sale", that only its words can show to be a calque. Runs are
    read off the masks (bit k: token k plain; tokens k and k+1 in one segment); a run is an
    n-gram, so its key is among ``by_length``'s, at the n-grams that exist
    (``valid_slots``). The words are judged as said (``lowered``), not as the key folds
    them: the model may join "hard measure" and never "hard measures"."""
    pair = plain & joined & (plain >> 8)  # tokens k and k+1 plain, in one segment
    chain = plain & (ones ^ ((pair << 8) & ones))  # a plain token no plain token runs into
    ends = ones ^ pair  # a plain token no plain token follows
    found: list[str] = []
    said: list[str] = []
    for n in range(2, MAX_NGRAM + 1):
        chain &= pair >> 8 * (n - 2)
        if not chain:
            break
        run = chain & (ends >> 8 * (n - 1))
        if run:
            _said_once(run, n, size, by_length, valid_slots, counts, lowered, found, said)
    if not found:
        return []
    return list(compress(found, _memoised(_ONCE, said, may_list_once)))


def compound_pairs(pair: int, size: int, by_length: list[list[str]], valid_slots: bytearray,
                   counts: Counter[str], tokens: list[str]) -> list[str]:
    """Keys of the pairs said once of a hyphened word and the plain word after it (bit k of
    ``pair``: token k is such a word, k + 1 plain, in one segment) whose second part English
    never joins to that word (``may_list_compound``): MT renders a Chinese compound's first half
    as an English compound, the second word by word ("high-pressure posture" 高压态势,
    "decision-making deployment" 决策部署, "long-acting mechanism" 长效机制), a pair no run of
    plain words holds."""
    if not pair:
        return []
    found: list[str] = []
    said: list[str] = []
    _said_once(pair, 2, size, by_length, valid_slots, counts, tokens, found, said)
    return list(compress(found, _memoised(_COMPOUND_ONCE, said, may_list_compound)))


def _said_once(flags: int, n: int, size: int, by_length: list[list[str]],
               valid_slots: bytearray, counts: Counter[str], words: list[str],
               found: list[str], said: list[str]) -> None:
    """Append to ``found`` the keys of the n-grams said once that start at the tokens
    ``flags`` marks, and to ``said`` their words as written."""
    slots = valid_slots[n - 1::MAX_NGRAM]
    at = list(compress(flags.to_bytes(size, "little"), slots))
    starts = compress(compress(range(size), slots), at)
    for key, start in zip(compress(by_length[n - 1], at), starts, strict=True):
        if counts[key] == 1:
            found.append(key)
            said.append(" ".join(words[start:start + n]))


def may_list_compound(said: str) -> int:
    """1 if a hyphened word and the word after it, said once, is worth its facts: English
    never joins the compound's last part to that word. Not after an English prefix
    ("e-commerce platform"), nor a compound English never joins ("drug-sucking"), a
    candidate of its own already (``odd_compound``)."""
    from glossary.extract.english import unusual_pair

    parts = said.split()[0].split("-")
    if parts[0] in _PREFIXES or odd_compound(parts):
        return 0
    return 1 if unusual_pair(said, common=True, after_compound=True) else 0


_COMPOUND_ONCE: dict[str, int] = {}  # a hyphened word and the next, as said -> 1 if listed
_AND = "and"
_LIST_BREAK = re.compile(r"[,;、，；]|\s(?:and|or)\s")


def quote_leads(inner: str) -> set[str]:
    """First words (folded, as tokens are) of the phrases of two or more words in a quotation,
    a quoted list ("Black card, black number and black line") giving one per item."""
    leads: set[str] = set()
    for item in _LIST_BREAK.split(inner):
        tokens = _TOKEN.findall(item)
        if len(tokens) >= 2:
            first = fold_word(tokens[0]).replace("-", " ").split()[0]
            if first not in STOPWORDS and first not in NUMBER_WORDS:
                leads.add(first)
    return leads


def _counters(contents: Iterable[dict[str, int]], size: int) -> list[Counter[str]]:
    """Counters holding ``contents`` without Counter.__init__'s generic update (four times
    cheaper; this runs twice for every phrase with full stats)."""
    made: list[Counter[str]] = list(map(Counter.__new__, repeat(Counter, size)))
    deque(map(dict.update, made, contents), maxlen=0)
    return made


def line_contexts(doc: Document, starts: list[int], ends: list[int]
                  ) -> list[list[tuple[int, str]]]:
    """Per span, a one-item list: its line number and up to ~90 characters either side,
    within the line (bounded search, so a document that is one long line costs no more than
    any other)."""
    text = doc.text
    length = len(text)
    lines = map(bisect_right, repeat(doc.line_starts()), starts)
    base = doc.first_line - 1
    made = []
    for start, end, line in zip(starts, ends, lines, strict=False):
        left = text.rfind("\n", max(0, start - 90), start) + 1 or max(0, start - 90)
        right = text.find("\n", end, end + 90)
        right = right if right >= 0 else min(length, end + 90)
        snippet = text[left:right].strip()
        if left > 0 and text[left - 1] != "\n":
            snippet = "…" + snippet
        if right < length and text[right] != "\n":
            snippet += "…"
        made.append([(line + base, snippet)])
    return made


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
