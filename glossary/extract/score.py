"""Reduce step of the extractor: merge per-document phrase facts, compute signals, score,
cluster variants into concepts, and compare with the glossary.

Signals (each a small pure function of the merged facts; weights in ``WEIGHTS``):
- ``quoted``: share of occurrences that stand alone inside quotation marks (any style);
  around common English alone (``common_english``: "zero tolerance", or one word of Zipf >= 3,
  "serve") it only lists a phrase.
- ``literal_gloss``: the words are, in order, the dictionary glosses of a Chinese word whose
  dictionary meaning is something else (CC-CEDICT + jieba word list): "water army" -> 水军.
- ``pinyin``: a word that is pinyin, not English (pypinyin syllables, wordfreq).
- ``numbered``: a cardinal number word and a name ("four breaks", "double investigations");
  ordinals ("second is to strengthen") enumerate and clauses ("four suspects were arrested")
  count, so neither fires.
- ``case_variance``: written with different capitals mid-sentence ("Cat Pool"/"cat pool").
- ``year_suffix``: used with a year after it, as campaign names are ("Net Net 2022").
- ``unknown_word``: contains a word that general English does not know (wordfreq Zipf < 1.5).
- ``two_ways``: the same head after two words that render one Chinese word ("network crime" /
  "online crimes": 网络), one of them said at least twice: one term translated two ways.
- ``doubled``: a word coordinated with itself ("illegal and illegal", "rumors and rumors"): two
  Chinese near-synonyms (违法违规, 造谣传谣) given one English word.
- ``placeholder_name``: a given name several surnames share ("Li Mou", "Zhang Mou": 某).
- ``odd_compound``: a hyphened word whose parts English never joins ("person-times" 人次).
- ``parallel``: one word repeated across "and" with words English does not join to it ("hit
  early and hit small", 打早打小): a Chinese parallel slogan, listed.
- ``title_case``, ``unusual_pair`` and ``unusual_once`` *list* a phrase, below all evidence:
  a whole name in Title Case mid-sentence, two words general English never joins ("water
  army"), and, lowest, a noun phrase said once with two common words English never joins.
- ``recurrence``: number of documents it occurs in (a multiplier, not evidence on its own).
Ordinary English scores near zero because none of the evidence signals fire for it.
"""

from __future__ import annotations

import heapq
import math
import zlib
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import dropwhile
from operator import methodcaller

from glossary.collector import paused_collector
from glossary.extract.candidates import (
    NUMBER_WORDS,
    STOPWORDS,
    DocumentPhrases,
    coordinated,
    given_name_root,
    odd_compound,
    parallel,
    parallel_pairs,
    singular,
    text_key,
)
from glossary.extract.english import is_common_english, joined, predicate_word, unusual_pair
from glossary.terms import Glossary, form_key

# A shared modifier leads quoted phrases at least this often among the phrases it leads
MODIFIER_SHARE = 0.1
# A phrase said with a year after it this often (or twice) is used as a campaign name
YEAR_SHARE = 0.2
# ``numbered`` for a name said twice but never in quotes (a count as often as a slogan)
UNQUOTED_NUMBERED = 0.5
# A first word is a translation habit when it leads this many ``two_ways`` pairs
HABIT_PAIRS = 2
# ... and is said more than this many times as often as its partners in those pairs
HABIT_MAJORITY = 2
# A whole Title Case name mid-sentence: a glossary entry to check more than evidence of a calque
TITLE_WEIGHT = 0.5
# Two words general English never joins: true of calques and of some correct domain English
# ("public security organs"), so it lists a phrase, below the names
UNUSUAL_WEIGHT = 0.4
# ... said once, as a whole run of plain words: a quarter of them are calques in the unseen
# documents, the rest mostly correct domain English and a verb with its object ("filed case")
ONCE_WEIGHT = 0.1
# Two verb forms of one inflection joined by "and" ("listed and supervised"): some two in
# five are a Chinese verb compound rendered word by word, the rest English ("producing and
# selling"), so it lists a phrase, between the phrases said once and the unusual pairs
COORDINATED_WEIGHT = 0.2
# Quotation marks alone around a phrase whose word pairs are all common web English ("zero
# tolerance", "inside information"): the writer's emphasis more often than a calque, so it
# lists the phrase, with the names
QUOTED_ENGLISH_WEIGHT = 0.5
NAME_ENGLISH = 0.5  # share of its listing kept by a Title Case name in common English
NAME_ZIPF = 2.0  # a word rarer than this in English, before a name, is a place's name
# One common word in quotes is as often a slogan's part or an emphasis ("handle", "serve" of
# 放管服; "journalist") as a calque: 39 of 44 in the blind documents' top 100 (Zipf >= 3)
SINGLE_WORD_ZIPF = 3.0
# One word repeated across "and" with two words English does not join to it ("hit early and
# hit small", 打早打小): listed as the unusual pairs when both pairs are unseen, half when one
PARALLEL_WEIGHT = 0.4
# A hyphened compound whose parts English never joins ("person-times" 人次)
ODD_COMPOUND_WEIGHT = 1.0
# Keys clustered into candidates: the best, by (-score, key); a bucket of keys sends no more.
# At 2,000 a variant said once ("Skynet" beside "Sky Net") fell out of a corpus of 74
# documents before clustering; 4,000 kept it, at the same speed in memory (1M words:
# 127,000 words/s; from files 131,000, more candidates' contexts found again), until 164
# documents ("Skynet 2023" the 4,056th of 20,369 keys); 6,000 keeps it there.
CLUSTER_LIMIT = 6000
WEIGHTS = {
    "quoted": 3.0, "literal_gloss": 1.5, "pinyin": 3.0, "numbered": 1.5,
    "case_variance": 1.5, "year_suffix": 2.0, "unknown_word": 1.0, "shared_modifier": 1.5,
    "two_ways": 1.0, "doubled": 2.0, "habit": 1.0, "placeholder_name": 1.5,
    "title_case": TITLE_WEIGHT, "unusual_pair": UNUSUAL_WEIGHT, "unusual_once": ONCE_WEIGHT,
    "coordinated": COORDINATED_WEIGHT, "parallel": PARALLEL_WEIGHT,
    "odd_compound": ODD_COMPOUND_WEIGHT,
}
# Signals that add to other evidence but are none on their own: capitals that vary, and a
# word-by-word gloss of some Chinese word (two common English words are, by chance, the
# glosses of one of CC-CEDICT's 120,000 entries: "criminal case" = 犯案, "close eye" = 亲眼;
# alone it ranked eight such pairs into the seeds' top 100 and not one calque)
AMPLIFIERS = ("case_variance", "literal_gloss")
# Signals that list a phrase for checking rather than show a calque: alone they score their
# weight, flat, below every candidate with evidence (no recurrence, no amplifiers)
_LISTED = ("title_case", "unusual_pair", "unusual_once", "coordinated", "parallel")


@dataclass
class Form:
    text: str
    count: int
    docs: int


@dataclass
class Candidate:
    """One proposed concept: its surface forms, the evidence, and where it was seen."""

    key: str
    score: float
    forms: list[Form]
    signals: dict[str, float | str]
    contexts: list[tuple[str, int, str]]
    status: str = "new"  # new | variant | known
    known_concept: str | None = None
    suggested_zh: str = ""
    suggested_preferred: str = ""
    keys: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "key": self.key, "score": round(self.score, 4),
            "forms": [{"text": f.text, "count": f.count, "docs": f.docs} for f in self.forms],
            "signals": self.signals,
            "contexts": [{"path": p, "line": n, "text": t} for p, n, t in self.contexts],
            "status": self.status, "known_concept": self.known_concept,
            "suggested_zh": self.suggested_zh, "suggested_preferred": self.suggested_preferred,
        }


@dataclass
class _Merged:
    """One phrase key's facts summed over documents. Documents are counted, not listed, so a
    key's facts stay the same size however many documents it occurs in (each document gives
    a key once, and a surface belongs to one key: counts are the sizes of the old sets)."""

    count: int = 0
    quoted: int = 0
    with_year: int = 0
    docs: int = 0
    surfaces: Counter[str] = field(default_factory=Counter)
    surface_docs: Counter[str] = field(default_factory=Counter)
    mid_case: Counter[str] = field(default_factory=Counter)
    contexts: list[tuple[str, int, str]] = field(default_factory=list)
    named: int = 0
    titled: int = 0
    runs: int = 0


@dataclass
class Found:
    """What the client keeps of a scored key: enough to cluster it and build its candidate."""

    surfaces: Counter[str]
    surface_docs: Counter[str]
    contexts: list[tuple[str, int, str]]


Scored = dict[str, tuple[float, dict[str, float | str], Found]]


@dataclass
class Facts:
    """Merged phrase facts of some documents (a partition, a range of keys), mergeable in
    path order. Bare counts (``singles``) stay apart until ``score_facts``: they become facts
    only when their total over the whole corpus is at least two. Since every document's facts
    about one key land in the same ``split`` bucket, that total is known per bucket."""

    merged: dict[str, _Merged] = field(default_factory=dict)
    singles: Counter[str] = field(default_factory=Counter)
    # bare counts that are not one more document of their own: the document had full facts
    # for the key too, or counted it more than once (so documents = singles - not_docs)
    not_docs: Counter[str] = field(default_factory=Counter)

    def add_document(self, doc: DocumentPhrases) -> None:
        """Sum one more document's facts (after these ones) into these facts, reading its
        counters in place: no intermediate facts per key and document (a million words make
        some 300,000), and the document is left as it was (callers may merge it again)."""
        merged = self.merged
        path = doc.path
        for key, stats in doc.phrases.items():
            m = merged.get(key)
            if m is None:
                merged[key] = _Merged(
                    stats.count, stats.quoted, stats.with_year, 1, _counter(stats.surfaces),
                    _counter(dict.fromkeys(stats.surfaces, 1)), _counter(stats.mid_case),
                    [(path, line, text) for line, text in stats.contexts[:3]], stats.named,
                    stats.titled, stats.runs)
                continue
            _add_counts(m, stats.count, stats.quoted, stats.with_year, stats.named,
                        stats.titled, stats.runs, 1)
            _tally(m.surfaces, stats.surfaces)
            surface_docs = m.surface_docs
            get = surface_docs.get
            for surface in stats.surfaces:
                surface_docs[surface] = get(surface, 0) + 1
            _tally(m.mid_case, stats.mid_case)
            if len(m.contexts) < 3:
                m.contexts.extend((path, line, text)
                                  for line, text in stats.contexts[:3 - len(m.contexts)])
        singles = doc.singles
        not_docs = self.not_docs
        for key in singles.keys() & doc.phrases.keys():
            not_docs[key] += singles[key]
        if len(singles) == singles.total():  # all ones (as a document's are): counted in C
            self.singles.update(singles.keys())
        else:
            self.singles.update(singles)
            for key, n in singles.items():
                if n > 1 and key not in doc.phrases:
                    not_docs[key] += n - 1

    def add(self, later: Facts) -> None:
        """Sum ``later`` (documents after these ones) into these facts; ``later`` is left as it
        was (Dask may still hold it)."""
        merged = self.merged
        for key, other in later.merged.items():
            m = merged.get(key)
            if m is None:  # a copy, not ``other`` itself: ``later`` must stay as it was
                merged[key] = _Merged(
                    other.count, other.quoted, other.with_year, other.docs,
                    _counter(other.surfaces), _counter(other.surface_docs),
                    _counter(other.mid_case), other.contexts[:3],
                    other.named, other.titled, other.runs)
                continue
            _add_counts(m, other.count, other.quoted, other.with_year, other.named,
                        other.titled, other.runs, other.docs)
            _tally(m.surfaces, other.surfaces)
            _tally(m.surface_docs, other.surface_docs)
            _tally(m.mid_case, other.mid_case)
            if len(m.contexts) < 3:
                m.contexts.extend(other.contexts[:3 - len(m.contexts)])
        singles = later.singles
        if len(singles) == singles.total():  # all ones (one document's): counted in C
            self.singles.update(singles.keys())
        else:
            self.singles.update(singles)
        if later.not_docs:
            self.not_docs.update(later.not_docs)

    def split(self, buckets: int) -> list[Facts]:
        """These facts cut by key into ``buckets`` parts (``bucket_of``), so each key's facts
        from every partition meet in one, and so do all keys with the same first word."""
        if buckets <= 1:
            return [self]
        parts = [Facts() for _ in range(buckets)]

        def bucket(key: str) -> Facts:
            return parts[bucket_of(key, buckets)]

        for key, m in self.merged.items():
            bucket(key).merged[key] = m
        for key, n in self.singles.items():
            bucket(key).singles[key] = n
        for key, n in self.not_docs.items():
            bucket(key).not_docs[key] = n
        return parts


def _add_counts(m: _Merged, count: int, quoted: int, with_year: int, named: int, titled: int,
                runs: int, docs: int) -> None:
    m.count += count
    m.quoted += quoted
    m.with_year += with_year
    m.named += named
    m.titled += titled
    m.runs += runs
    m.docs += docs


def bucket_of(key: str, buckets: int) -> int:
    """The bucket of a key: a hash (the same in every process, unlike ``hash``) of its first
    word's family (``Lexicon.family``), as ``shared_modifier`` compares the phrases that
    start with one word and ``two_ways`` those whose first words are partners."""
    return zlib.crc32(_family(key.partition(" ")[0]).encode("utf-8")) % buckets


def _family(word: str) -> str:
    from glossary.extract.lexicon import lexicon

    return lexicon().family(word)


def _counter(counts: dict[str, int]) -> Counter[str]:
    """``Counter(counts)`` without its per-call type checks (this runs per key per document):
    an empty Counter needs no ``__init__``."""
    made: Counter[str] = Counter.__new__(Counter)
    dict.update(made, counts)
    return made


def _tally(into: Counter[str], more: dict[str, int]) -> None:
    """``into.update(more)``, the same result and order, without the per-call type checks."""
    if not into:
        dict.update(into, more)
        return
    get = into.get
    for item, n in more.items():
        into[item] = get(item, 0) + n


def combine(parts: Iterable[Facts]) -> Facts:
    """New facts: ``parts`` (consecutive runs of documents, in path order) summed."""
    facts = Facts()
    for part in parts:
        facts.add(part)
    return facts


def merge(docs: Iterable[DocumentPhrases]) -> Facts:
    """The documents' facts summed, in order."""
    facts = Facts()
    with paused_collector():  # some ten containers per key and document, no cycles
        for doc in docs:
            facts.add_document(doc)
    return facts


def score_facts(facts: Facts, min_count: int = 1, limit: int = CLUSTER_LIMIT) -> Scored:
    """Signals and score of every key of ``facts`` that has all its documents there (the whole
    corpus, or one ``split`` bucket of it, which holds every key sharing its keys' first
    words); only the best ``limit`` keys scoring above zero are returned: all that
    clustering, candidates and the glossary comparison can use, so what reaches the client
    of a Dask run is at most ``limit`` keys per bucket."""
    with paused_collector():  # small dicts and tuples per key, no cycles; a collection would
        # walk every fact of the corpus again (0.5 s of 10 on a million words)
        return _score_facts(facts, min_count, limit)


def _score_facts(facts: Facts, min_count: int, limit: int) -> Scored:
    merged = facts.merged
    for key, n in facts.singles.items():
        if n >= 2:
            merged = merged if merged is not facts.merged else dict(merged)
            merged[key] = _with_bare_count(facts, key, n)
    scored: Scored = {}
    for key, m in merged.items():
        _score_into(scored, key, m, min_count)
    # second pass: signals that compare a key with the corpus's other keys
    extra: dict[str, dict[str, str]] = {}
    modifiers = shared_modifiers(scored, merged, facts.singles)
    for key, first in _siblings(merged, modifiers):  # unquoted siblings of quoted phrases
        if key not in modifiers[first]:
            extra[key] = {"shared_modifier": first}
    variants = rendering_variants(merged, facts.singles)
    for key, twin in variants.items():
        if key not in merged:  # said once, its twin more often: a form of the same term
            merged = merged if merged is not facts.merged else dict(merged)
            merged[key] = _with_bare_count(facts, key, facts.singles[key])
        extra.setdefault(key, {})["two_ways"] = twin
    habits = rendering_habits(variants, merged)
    for key, first in _siblings(merged, habits):  # other phrases of a rendering habit
        if key not in variants and merged[key].count >= 2:
            extra.setdefault(key, {})["habit"] = habits[first]
    for key, signals in extra.items():
        _score_into(scored, key, merged[key], min_count, signals)
    if len(scored) > limit:  # the rest cannot be among the best ``limit`` of all buckets
        best = heapq.nsmallest(limit, scored, key=lambda k: (-scored[k][0], k))
        scored = {key: scored[key] for key in best}
    return scored


def _with_bare_count(facts: Facts, key: str, n: int) -> _Merged:
    """A key's facts with its bare counts added (a copy: ``facts`` stays as it was)."""
    alone = n - facts.not_docs[key]  # documents that had the key only as a bare count
    m = facts.merged.get(key)
    m = replace(m) if m is not None else _Merged()
    m.count += n
    m.docs += alone
    if not m.surfaces:
        m.surfaces = _counter({key: n})
        m.surface_docs = _counter({key: alone})
    return m


def _score_into(scored: Scored, key: str, m: _Merged, min_count: int,
                extra: dict[str, str] | None = None) -> None:
    if m.count < min_count:
        return
    if extra or _worth_scoring(key, m):
        sig = signals_for(key, m)
        if extra:
            sig = {**extra, **sig}
    else:
        sig = {"docs": float(m.docs), "count": float(m.count)}
    score = score_of(sig, len(key.split()))
    if score > 0:
        scored[key] = (score, sig, Found(m.surfaces, m.surface_docs, m.contexts))
    else:
        scored.pop(key, None)


def shared_modifiers(scored: Scored, merged: dict[str, _Merged],
                     singles: Counter[str]) -> dict[str, frozenset[str]]:
    """First words of two or more phrases that mostly stand in quotes, with different second
    words ("black card", "black technology"), that lead quoted phrases often: at least one in
    ``MODIFIER_SHARE`` of all the distinct 2-3 word phrases they lead in the corpus (bare
    counts included). Such a word is a morpheme the translation renders literally again and
    again, as MT does with 黑 "black"; a word that leads a few quoted names among many
    ordinary phrases ("online", "police") is not. Maps the word to its quoted phrases;
    function and number words never count (numbered slogans have their own signal)."""
    quoted: dict[str, dict[str, list[str]]] = {}
    for key, (_, sig, _) in scored.items():
        first, _, rest = key.partition(" ")
        if (rest and float(sig.get("quoted", 0.0)) >= 0.5 and first.isalpha()
                and first not in STOPWORDS and first not in NUMBER_WORDS):
            quoted.setdefault(first, {}).setdefault(rest.partition(" ")[0], []).append(key)
    # two of them a word and its head noun alone ("black hand", "black technology"): a
    # morpheme rendered again and again; a word that starts quoted slogans ("forest fire
    # prevention is protecting life", "forest length police chief") is their topic
    found = {first: frozenset(k for keys in by_second.values() for k in keys)
             for first, by_second in quoted.items()
             if sum(any(" " not in k.partition(" ")[2] for k in keys)
                    for keys in by_second.values()) >= 2}
    if not found:
        return found
    led = tuple(f"{word} " for word in found)
    starts = methodcaller("startswith", led)  # C-level filters over every key
    phrases = set(filter(starts, merged)).union(filter(starts, singles))
    family = Counter(k.partition(" ")[0] for k in phrases if k.count(" ") <= 2)
    return {word: keys for word, keys in found.items()
            if len(keys) >= MODIFIER_SHARE * family[word]}


def rendering_variants(merged: dict[str, _Merged], singles: Counter[str]) -> dict[str, str]:
    """Pairs of plain 2-3 word keys that differ only in a first word, the two first words
    rendering one Chinese word (``Lexicon.partners``: "network crime" / "online crime",
    网络; "hard fist" / "heavy fist", 沉重), one of them said twice or more: a term the
    translation renders two ways, which is what a glossary entry settles. Maps each key of
    a pair to its twin (the first found). Partners share a family, and keys are bucketed by
    their first word's family (``bucket_of``), so a bucket holds every pair it can make."""
    from glossary.extract.lexicon import lexicon

    partners = lexicon().partners
    found: dict[str, str] = {}
    for key, m in merged.items():
        if m.count < 2:
            continue
        first, _, rest = key.partition(" ")
        others = partners.get(first)
        if others is None or not _plain(rest) or first in STOPWORDS:
            continue
        for other in others:
            twin = f"{other} {rest}"
            if twin in merged or twin in singles:
                found.setdefault(key, twin)
                found.setdefault(twin, key)
    return found


def rendering_habits(variants: dict[str, str], merged: dict[str, _Merged]
                     ) -> dict[str, str]:
    """First words of ``two_ways`` pairs with at least ``HABIT_PAIRS`` different heads, said
    more than ``HABIT_MAJORITY`` times as often as their partners in those pairs (in random
    text chance pairs come about even: 343 habit candidates in the speed benchmark's 1M
    words at a bare majority, 7 at twice): the translation's usual rendering of a
    Chinese word it also renders otherwise ("network" for 网络 in "network crime",
    "network security", "network order", beside "online crime"...). Its other plain phrases
    are likely the same literal rendering ("network environment": 网络环境, which English
    calls the online environment). Maps the word to "word/partner" (the partner said most)."""
    heads: dict[str, set[str]] = {}
    own: Counter[str] = Counter()
    other: dict[str, Counter[str]] = {}
    for key, twin in variants.items():
        first, _, rest = key.partition(" ")
        heads.setdefault(first, set()).add(rest)
        own[first] += _count(merged, key)
        other.setdefault(first, Counter())[twin.partition(" ")[0]] += _count(merged, twin)
    return {first: f"{first}/{other[first].most_common(1)[0][0]}"
            for first, rests in heads.items()
            if len(rests) >= HABIT_PAIRS
            and own[first] > HABIT_MAJORITY * other[first].total()}


def _count(merged: dict[str, _Merged], key: str) -> int:
    """A key's count: a key without facts is a twin said once (a bare count)."""
    m = merged.get(key)
    return m.count if m is not None else 1


def _plain(rest: str) -> bool:
    """One or two content words (no function or number word, letters only)."""
    words = rest.split()
    return 1 <= len(words) <= 2 and all(
        w.isalpha() and w not in STOPWORDS and w not in NUMBER_WORDS for w in words)


def _siblings(merged: dict[str, _Merged], words: Collection[str]
              ) -> list[tuple[str, str]]:
    """(key, first word) of every key led by one of ``words`` with one or two plain words
    after it: the phrases a shared modifier or a rendering habit brings in."""
    if not words:
        return []
    led = tuple(f"{word} " for word in words)  # a C-level test per key
    found = []
    for key in [k for k in merged if k.startswith(led)]:
        first, _, rest = key.partition(" ")
        if first in words and _plain(rest) and not any(map(predicate_word, rest.split())):
            found.append((key, first))
    return found


def _zipf(word: str) -> float:
    from glossary.rules.script import _english_zipf

    return _english_zipf(word)


_WORD_FACTS: dict[str, tuple[bool, bool]] = {}


def _romanised(word: str) -> bool:
    """A word of a transliteration: pinyin or unknown to English ("zhibo", "chu'e"), or a
    pinyin syllable English rarely uses, beside one ("huiliu yao", "hei zuofang")."""
    from glossary.rules.script import pinyin_split

    bare = word.replace("'", "").replace("’", "")
    return any(_word_facts(bare)) or (pinyin_split(bare) is not None and _zipf(word) < 4.0)


def _word_facts(word: str) -> tuple[bool, bool]:
    """(looks like pinyin, unknown to general English), memoised per process."""
    facts = _WORD_FACTS.get(word)
    if facts is None:
        from glossary.rules.script import looks_like_pinyin

        plain = len(word) >= 4 and word.isalpha()
        pinyin = plain and looks_like_pinyin(word)
        facts = (pinyin, plain and not pinyin and _zipf(word) < 1.5)
        _WORD_FACTS[word] = facts
    return facts


def signals_for(key: str, m: _Merged) -> dict[str, float | str]:
    from glossary.extract.lexicon import lexicon

    words = key.split()
    found: dict[str, float | str] = {}
    if m.quoted:
        found["quoted"] = round(m.quoted / m.count, 3)
        if (is_common_english(words) if len(words) >= 2
                else _zipf(words[0]) >= SINGLE_WORD_ZIPF):
            found["common_english"] = 1.0
    # a slogan is in quotes or numbers several things ("two robberies and one theft"), or,
    # weaker, is named again: said twice unquoted it is as often a count ("four suspects")
    # or the start of a longer phrase ("four key" of "four key basic resources"); a count
    # said once is a count ("six months", "seven provinces")
    if numbered_name(words):
        if m.quoted or (sum(w in NUMBER_WORDS for w in words) >= 2
                        and words[-1] not in NUMBER_WORDS):
            found["numbered"] = 1.0
        elif m.count >= 2:
            found["numbered"] = UNQUOTED_NUMBERED
    lower_words = {w for s in m.mid_case for w in s.split() if w.islower()}
    # pinyin in lowercase use; capitalised pinyin is a name (Chongqing, Zhang Wei)
    pinyin = [w for w in words if w in lower_words and _word_facts(w)[0]]
    if pinyin:
        found["pinyin"] = 1.0
    if 2 <= len(words) <= 4 and (m.count >= 2 or m.quoted or m.with_year):
        zh = lexicon().literal_gloss(words)
        if zh:
            found["literal_gloss"] = zh
    if len(m.mid_case) > 1:  # same letters, different capitals
        by_lower: dict[str, int] = {}
        for spelling in m.mid_case:
            lower = spelling.lower()
            by_lower[lower] = by_lower.get(lower, 0) + 1
        most = max(by_lower.values())
        if most > 1:
            found["case_variance"] = float(most)
    # a campaign name carries its year often; one year after a common word is chance
    # ("the Network 2022 report" once among 36 uses of "network"), and a few after one
    # word are the end of a longer name ("Clean Network 2022": 3 of 105 uses of "network");
    # after a possessive the year is the next noun's ("the province's 2022 work")
    if m.with_year and not words[-1].endswith("'s") and (m.with_year >= YEAR_SHARE * m.count
                        or m.with_year >= 2 and len(words) >= 2):
        found["year_suffix"] = round(m.with_year / m.count, 3)
    if m.titled:
        found["title_case"] = round(m.titled / m.count, 3)
        # a place's name before it is no English ("Qingyu Municipal Public Security Bureau")
        english = list(dropwhile(lambda w: _zipf(w) < NAME_ZIPF, words))
        if len(english) >= 2 and is_common_english(english):
            found["common_english"] = 1.0
    if m.named and len(words) == 2:
        # 李某 "Li Mou": the value is the shared given name, which clusters the names
        root = given_name_root(words[1].removesuffix("'s"))
        if root:
            found["placeholder_name"] = root
    if doubled(words) and any(s.split()[-1].islower() for s in m.surfaces):
        # a common word: "Peaceful Baitang and Baitang under the rule of law" coordinates two
        # modifiers of a name, not two near-synonyms
        found["doubled"] = 1.0
    elif len(words) == 3 and words[1] == "and" and coordinated(words[0], words[2]):
        found["coordinated"] = 1.0
    elif parallel(words):
        # the share of its two pairs English never joins: "hit small" of "hit early and hit
        # small"; none ("new situations and new features") is English
        unseen = sum(not joined(a, b) for a, b in parallel_pairs(words))
        if unseen:
            found["parallel"] = unseen / 2
    if 2 <= len(words) <= 4 and m.count >= 2:
        # its commonest lowercase spelling: a phrase only ever capitalised is a name ("Sun Ping")
        # (ties by the spelling: merge order differs between engines)
        lowercase = max((s for s in m.surfaces if s.islower()),
                        key=lambda s: (m.surfaces[s], s), default=None)
        pair = lowercase and unusual_pair(lowercase)
        if pair:
            found["unusual_pair"] = pair
    elif m.runs and m.count == 1:  # the run the map kept (candidates.once_runs), as said
        pair = unusual_pair(min(m.surfaces).lower(), common=True, after_compound=True)
        if pair:
            found["unusual_once"] = pair
    unknown = [w for w in words if w in lower_words and _word_facts(w)[1]]
    if unknown:
        found["unknown_word"] = 1.0
    compound = next((pair for s in m.surfaces if "-" in s and s.islower()
                     for t in s.split() if "-" in t
                     if (pair := odd_compound(t.split("-")))), None)
    if compound:
        found["odd_compound"] = compound
    found["docs"] = float(m.docs)
    found["count"] = float(m.count)
    return found


def doubled(words: list[str]) -> bool:
    """A word coordinated with itself, as MT renders two near-synonyms ("illegal and
    illegal"); not an intensifying comparative ("better and better", "less and less")."""
    return (len(words) == 3 and words[1] == "and" and words[0].isalpha()
            and singular(words[0]) == words[2] and not words[0].endswith("er")
            and words[0] not in _INTENSIFIED)


_INTENSIFIED = frozenset(("less", "worse", "round", "least", "most"))
_ORDINALS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth".split())
_NAME_LINKS = frozenset(("and", "of"))


def numbered_name(words: list[str]) -> bool:
    """A numbered slogan is a noun phrase led by a cardinal: "two robberies and one theft",
    not an ordinal's enumeration or a clause with function words ("one is to open")."""
    return (len(words) >= 2 and words[0] in NUMBER_WORDS and words[0] not in _ORDINALS
            and all(w not in STOPWORDS or w in _NAME_LINKS for w in words[1:]))


def _strength(value: float | str) -> float:
    # a share or count, capped at 1; a value that names the evidence (a word, a pair) is on
    return 1.0 if isinstance(value, str) else min(float(value), 1.0)


def surprise(pair: str) -> float:
    """How much a pair English never joins says, 0.5-1: the commoner its two words (the sum
    of their Zipf frequencies, 7 for the commonest), the more often English would have
    joined them by chance. Orders the phrases said once (blind documents, alone: precision
    of the top 50 0.44-0.76 -> 0.50-0.78)."""
    return min(1.0, sum(map(_zipf, pair.split())) / 14)


def score_of(signals: dict[str, float | str], words: int) -> float:
    evidence = 0.0
    quoted_english = "common_english" in signals and not any(
        name in signals for name in WEIGHTS
        if name != "quoted" and name not in AMPLIFIERS and name not in _LISTED)
    for name, weight in WEIGHTS.items():
        value = signals.get(name)
        if value is None or name in AMPLIFIERS or name in _LISTED:
            continue
        if quoted_english and name == "quoted":
            continue
        evidence += weight * _strength(value)
    listed = sum(WEIGHTS[name] * _strength(signals[name]) for name in _LISTED if name in signals)
    if quoted_english:  # quotes alone around common English ("zero tolerance") list it
        if "quoted" in signals:
            listed += QUOTED_ENGLISH_WEIGHT * _strength(signals["quoted"])
        if "title_case" in signals:
            listed -= TITLE_WEIGHT * _strength(signals["title_case"]) * (1 - NAME_ENGLISH)
    if "unusual_once" in signals:  # its value is the pair; how much it says is its surprise
        listed -= ONCE_WEIGHT * (1.0 - surprise(str(signals["unusual_once"])))
    if not evidence:
        # a name and nothing else: in the list to be checked, after all evidence of a calque,
        # however often it recurs ("Ministry of Public Security" in every document)
        return listed
    evidence += listed + sum(WEIGHTS[name] for name in AMPLIFIERS if name in signals)
    docs = float(signals.get("docs", 1.0))
    count = float(signals.get("count", 1.0))
    support = 1.0 + 0.35 * (docs - 1) + 0.15 * math.log(count)
    brevity = 1.0 if words <= 3 else 0.85 ** (words - 3)
    return evidence * support * brevity


def _content_words(key: str) -> list[str]:
    return [w for w in key.split() if w not in STOPWORDS]


@cache
def _verb_lemma(word: str) -> str:
    """The base form of an -ed or -ing word read as a verb; any other word as it is."""
    from glossary.tense import verb_form

    if word.endswith(("ed", "ing")):
        form = verb_form(word)
        if form is not None and form[1] in ("VBG", "VBD", "VBN"):
            return form[0]
    return word


def cluster(scored: Scored, limit: int = CLUSTER_LIMIT) -> list[list[str]]:
    """Group keys of one concept: a key whose words end another key (shared head: "water army"
    / "network water army"), a ``two_ways`` key and its twin ("network crime" / "online crime"),
    the same words run together or reordered ("skynet" / "sky net", "fox hunting" /
    "hunting fox"),
    a quoted or year-carrying key inside another ("net" / "net net"), a key found only by
    comparison and the key it extends ("card breaking action" / "card breaking"),
    and keys whose possible Chinese renderings intersect (gloss composition and pinyin:
    "net net" / "jingwang"; "network water army" / "internet navy")."""
    from glossary.extract.lexicon import lexicon
    from glossary.rules.script import pinyin_split

    lex = lexicon()
    keys = sorted(scored, key=lambda k: (-scored[k][0], k))[:limit]
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            if scored[ra][0] >= scored[rb][0]:
                parent[rb] = ra
            else:
                parent[ra] = rb

    words_of = {k: k.split() for k in keys}
    nested = _nested(keys, scored, words_of)
    if nested:
        keys = [k for k in keys if k not in nested]
    present = set(keys)
    containing: dict[str, list[str]] = {}
    for b in keys:
        wb = words_of[b]
        for size in range(2, len(wb)):  # shared head: "water army" ends "network water army"
            suffix = " ".join(wb[-size:])
            if suffix in present:
                union(suffix, b)
        if "quoted" in scored[b][1]:
            for word in set(wb):
                containing.setdefault(word, []).append(b)
        twin = scored[b][1].get("two_ways")
        if isinstance(twin, str):  # one term rendered two ways
            if twin in present:
                union(twin, b)
            elif twin in nested:  # only ever part of a longer key: join that one
                longer = next((k for k in keys if k.startswith(f"{twin} ")), None)
                if longer is not None:
                    union(longer, b)
    # the same words run together or in another order: "Skynet" / "Sky Net", "fox hunting" /
    # "hunting foxes" (content words, singular)
    spelled: dict[str, str] = {}
    for k in keys:
        content = [singular(w) for w in words_of[k] if w not in STOPWORDS]
        forms = {"".join(words_of[k]), " ".join(sorted(content))}
        if len(content) >= 2:  # and one verb in another inflection: "rush registered" /
            # "rush registering", "cheat insurance" / "insurance cheating"
            forms.add(" ".join(sorted(map(_verb_lemma, content))))
        for form in forms - {""}:
            if form in spelled:
                union(spelled[form], k)
            else:
                spelled[form] = k
    for b in keys:  # a phrase in context, found only by comparison: "card breaking action"
        # (a sibling of quoted "card" phrases) is the quoted "card breaking" with its head noun
        compared = scored[b][1].keys() - _SUPPORT - _INHERITED
        if compared and compared <= _COMPARED:
            wb = words_of[b]
            prefix = next((" ".join(wb[:i]) for i in range(len(wb) - 1, 1, -1)
                           if " ".join(wb[:i]) in present), None)
            if prefix is not None:
                union(prefix, b)
    # a transliteration with English words around it, whose only evidence is its odd word
    # ("hezhang led", "yibao card", "regular saohei"): a form of the transliteration itself
    # ("hezhang", "saohei chu'e"), the shortest key all of whose words are romanised
    odd_only = [k for k in keys if scored[k][1].keys() - _SUPPORT <= _WORD_LEVEL]
    runs: dict[str, list[str]] = {}
    for k in sorted(odd_only, key=lambda k: (len(words_of[k]), k)):
        if all(_romanised(w) for w in words_of[k]):
            for word in set(words_of[k]):
                runs.setdefault(word, []).append(k)
    for b in odd_only if runs else ():
        odd = [w for w in words_of[b] if _romanised(w)]
        if odd and len(odd) < len(words_of[b]):
            home = next((r for r in runs.get(odd[0], ()) if set(odd) <= set(words_of[r])),
                        None)
            if home is not None:
                union(home, b)
    # one institution in several places: "Luhu District Market Supervision Bureau", "Baizhi
    # County Market Supervision Bureau" and "Municipal Market Supervision Bureau" are one name
    # after the place (words rarer than NAME_ZIPF) and its administrative level
    by_name: dict[str, list[str]] = {}
    for k in keys:
        if "title_case" in scored[k][1]:
            rest = _after_place(words_of[k])
            if len(rest) >= 2 and len(rest) < len(words_of[k]):
                by_name.setdefault(" ".join(rest), []).append(k)
    for name, members in by_name.items():
        if name in present:
            members = [name, *members]
        for other in members[1:]:
            union(members[0], other)
    placeholders: dict[str, str] = {}  # "Li Mou", "Zhang Mou": one withheld-name habit
    for k in keys:
        root = scored[k][1].get("placeholder_name")
        if isinstance(root, str):
            union(placeholders.setdefault(root, k), k)
    for a in keys:  # a campaign name and its doubled form: "net 2021" / "net net"
        wa = words_of[a]
        if len(wa) == 1 and "year_suffix" in scored[a][1] and wa[0] not in STOPWORDS:
            # the name whose year it carries: a quoted key used with a year too, if only one
            # ("net 2018" is "Net Net 2018"; with "Sky Net 2023" as well it could be either)
            holders = [b for b in containing.get(wa[0], [])
                       if b != a and "year_suffix" in scored[b][1]]
            if len(holders) == 1:
                union(a, holders[0])
    # Chinese renderings (gloss composition and pinyin) shared by two keys
    by_zh: dict[str, list[str]] = {}
    for k in keys:
        words = [singular(w) if i == len(words_of[k]) - 1 else w
                 for i, w in enumerate(words_of[k])]
        options: set[str] = set()
        if 2 <= len(words) <= 4:
            options |= {z for z in lex.renderings(words, limit=512) if len(z) >= 2}
        if len(words) <= 2:
            syllables: list[str] = []
            for w in words:
                split = pinyin_split(w)
                if split is None or len(split) < 2 and len(words) == 1:
                    syllables = []
                    break
                syllables.extend(split)
            if 2 <= len(syllables) <= 4:
                options |= lex.pinyin_renderings(tuple(syllables), limit=4000)
        for zh in options:
            by_zh.setdefault(zh, []).append(k)
    numerals = _numeral_characters()
    for zh, members in by_zh.items():
        if sum(ch not in numerals for ch in zh) < 2:
            continue  # a number and one character: "four breaks" and "four types" share 四打
        strong = [k for k in members if scored[k][0] > 0]
        if 1 < len(strong) <= 4:
            for other in strong[1:]:
                union(strong[0], other)
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(find(k), []).append(k)
    return list(groups.values())


# Administrative levels that open an institution's name after its place (地名 + 省/市/县/区...)
_LEVELS = frozenset("provincial province municipal city county district township town "
                    "village prefecture".split())


def _after_place(words: list[str]) -> list[str]:
    """A name's words after its place and administrative level ("luhu district market
    supervision bureau" -> "market supervision bureau")."""
    return list(dropwhile(lambda w: w in _LEVELS or _zipf(w) < NAME_ZIPF, words))


def _nested(keys: list[str], scored: Scored, words_of: dict[str, list[str]]) -> set[str]:
    """Keys that are only another key seen in part or in context, as C-value's nesting test
    (Frantzi, Ananiadou & Mima 2000) drops them: a part never seen outside the longer key
    ("hundred red" only inside "hundred red notice"), and a key with words after it that adds
    no evidence of its own and is seen less often ("four winds problem" after "four winds").
    A shared head ("water army" in "network water army") is a variant, left to the
    clustering; when a phrase and its extension are seen equally often, both stay, unless
    the extension's evidence is only the odd word they share and it is no pair of words
    ("hezhang led unannounced" / "hezhang"). A run said once that holds a key of its own
    adds only noise to it ("bureau fought network lotteries" / "network lottery")."""
    present = set(keys)
    drop: set[str] = set()
    for b in keys:
        wb = words_of[b]
        size = len(wb)
        if size < 2:
            continue
        score_b, sig_b, _ = scored[b]
        evidence_b = sig_b.keys() - _SUPPORT
        once = evidence_b == _ONCE
        for i in range(size):
            for j in range(i + 1, size + 1 if i else size):
                a = " ".join([*wb[i:j - 1], singular(wb[j - 1])])  # as a key is spelled
                if a not in present or a in drop:
                    continue
                if once:
                    drop.add(b)
                    break
                score_a, sig_a, _ = scored[a]
                count_a, count_b = sig_a.get("count", 1.0), sig_b.get("count", 1.0)
                rest = wb[:i] + wb[j:]
                if (evidence_b <= _WORD_LEVEL and evidence_b <= sig_a.keys()
                        and count_b <= count_a and (size > 2 or rest[0] in STOPWORDS)
                        and not any(any(_word_facts(w)) for w in rest)):
                    drop.add(b)  # its evidence is a's odd word, its other words plain:
                    break  # "hezhang led unannounced", "tonnes of jiangsha" (not "yibao card")
                if (evidence_b <= _WORD_LEVEL and sig_a.keys() - _SUPPORT <= _WORD_LEVEL
                        and count_a <= count_b and all(_romanised(w) for w in wb)):
                    drop.add(a)  # part of a longer transliteration: "zhibo" of "zhibo daihuo"
                    continue
                if (evidence_b <= _WORD_LEVEL and all(_romanised(w) for w in wb[i:j])
                        and not all(_romanised(w) for w in rest)):
                    continue  # the transliteration in context: b joins it (``cluster``)
                if j == size and j - i >= 2:  # a shared head: clustered as a variant, unless
                    # it is never said alone and its only evidence is b's words ("box pool")
                    if count_a <= count_b and not sig_a.keys() - _SUPPORT - _INHERITED:
                        drop.add(a)
                    continue
                if count_a <= count_b and (score_b > score_a or score_b == score_a and (
                        i or sig_a.keys() - _SUPPORT - _INHERITED <= _COMPARED)):
                    drop.add(a)  # never seen outside b, which says more (or as much, and
                    # a's evidence only compares it with other keys: "black public" in "black
                    # public relations", "network related" in "network related crime")
                elif (i == 0 and count_b < count_a and evidence_b <= sig_a.keys()
                      and score_b <= score_a):
                    drop.add(b)  # a, sometimes with words after it: nothing more to say
                    break
            if b in drop:
                break
    return drop


_SUPPORT = frozenset(("docs", "count"))
# signals that compare a key with the corpus's other keys, found for its parts as well
_COMPARED = frozenset(("shared_modifier", "two_ways", "habit"))
# signals that one odd word carries, whatever words stand around it
_WORD_LEVEL = frozenset(("pinyin", "unknown_word", "odd_compound"))
# signals that are no evidence of a calque on their own
_NO_EVIDENCE = frozenset((*_LISTED, *AMPLIFIERS, "common_english"))
# signals a part of a phrase shares with the whole, so they say nothing of the part
_INHERITED = frozenset(("unusual_pair",))
_ONCE = frozenset(("unusual_once",))


@cache
def _numeral_characters() -> frozenset[str]:
    """Characters the dictionary glosses as a number word (四, 肆, 双, 兼...): a shared number
    and one more character is too little to call two keys one concept."""
    from glossary.extract.lexicon import lexicon

    glosses = lexicon().gloss_to_zh
    return frozenset(z for w in NUMBER_WORDS for z in glosses.get(w, ()) if len(z) == 1)


def extract(docs: Iterable[DocumentPhrases], glossary: Glossary | None = None,
            min_count: int = 1) -> list[Candidate]:
    """All candidates, best first. Known forms are marked, rejected concepts dropped."""
    return candidates(score_facts(merge(docs), min_count), glossary)


def candidates(scored: Scored, glossary: Glossary | None = None) -> list[Candidate]:
    """The candidates of the keys scoring above zero (from one ``score_facts`` or from the
    union of its buckets'): clustered into concepts, compared with the glossary."""
    with paused_collector():  # as ``score_facts``
        return _candidates(scored, glossary)


def _candidates(scored: Scored, glossary: Glossary | None) -> list[Candidate]:
    known, rejected = _glossary_keys(glossary)
    found: list[Candidate] = []
    for group in cluster(scored):
        # the best-scored key names the concept; of keys scored alike, the one said most,
        # not a transliteration's context ("yibao", not "yibao card")
        group.sort(key=lambda k: (-scored[k][0], -float(scored[k][1].get("count", 1.0)),
                                  _in_context(k, scored), k))
        best = group[0]
        score, sig, _ = scored[best]
        if any(_in(k, rejected) for k in group):
            continue
        forms_counter: Counter[str] = Counter()
        form_docs: Counter[str] = Counter()
        contexts: list[tuple[str, int, str]] = []
        signals: dict[str, float | str] = {}
        for k in group:
            m = scored[k][2]
            forms_counter.update(m.surfaces)
            form_docs.update(m.surface_docs)
            for ctx in m.contexts:
                if len(contexts) < 3:
                    contexts.append(ctx)
            for name, value in scored[k][1].items():
                if name not in signals:
                    signals[name] = value
        total = score
        if sig.keys() - _SUPPORT - _NO_EVIDENCE:  # a listing stays flat: variants add nothing
            # nor does a transliteration's context ("hezhang led" of "hezhang")
            total += 0.2 * sum(scored[k][0] for k in group[1:] if not _in_context(k, scored))
        forms = [Form(text, n, form_docs[text]) for text, n in forms_counter.most_common()]
        hits = [known[k] for k in group if k in known]
        status, concept = ("new", None)
        if hits:
            concept = hits[0]
            # a key seen only inside known keys of the group ("pulling sleeve" of "biting
            # ears and pulling sleeves") is no new form of the concept; seen on its own too
            # (the quoted "water army" beside "network water army") it is one
            said = {k: sum(scored[k][2].surfaces.values()) for k in group}
            whole = [(f" {k} ", said[k]) for k in group if k in known]
            new_forms = [k for k in group if k not in known
                         and said[k] > sum(n for w, n in whole if f" {k} " in w)]
            status = "variant" if new_forms else "known"
        zh = next((str(scored[k][1]["literal_gloss"]) for k in group
                   if "literal_gloss" in scored[k][1]), "")
        preferred = ""
        if concept and glossary is not None and glossary.get(concept):
            preferred = glossary.get(concept).preferred  # type: ignore[union-attr]
            zh = zh or "|".join(glossary.get(concept).zh)  # type: ignore[union-attr]
        found.append(Candidate(best, total, forms, signals, contexts,
                               status, concept, zh, preferred, group))
    found.sort(key=rank)
    return found


def _in_context(key: str, scored: Scored) -> bool:
    """A transliteration with plain English words around it, its only evidence the odd word
    ("yibao card", "hezhang led")."""
    if not scored[key][1].keys() - _SUPPORT <= _WORD_LEVEL:
        return False
    romanised = [_romanised(w) for w in key.split()]
    return any(romanised) and not all(romanised)


def rank(candidate: Candidate) -> tuple[float, int, str]:
    """Best first; of candidates scored alike, the one said most often (then by key)."""
    return -candidate.score, -sum(f.count for f in candidate.forms), candidate.key


def _worth_scoring(key: str, m: _Merged) -> bool:
    """Cheap filter before the signals: a phrase seen once, unquoted and without a year can
    only be evidence through an odd word (pinyin, unknown) or a number word. Function words
    alone ("May 22" in quotes folds to "may") are never a concept."""
    words = key.split()
    if all(w in STOPWORDS for w in words):
        return False
    if (m.quoted or m.with_year or m.named or m.titled or m.runs or m.count >= 2
            or any("-" in s for s in m.surfaces)
            or doubled(words) or len(words) == 3 and words[1] == "and"
            and coordinated(words[0], words[2]) or parallel(words)):
        return True
    return words[0] in NUMBER_WORDS or any(
        w.isalpha() and len(w) >= 4 and any(_word_facts(w)) for w in words)


def _glossary_keys(glossary: Glossary | None) -> tuple[dict[str, str], set[str]]:
    known: dict[str, str] = {}
    rejected: set[str] = set()
    if glossary is None:
        return known, rejected
    for concept in glossary:
        for form, _ in concept.forms():
            key = text_key(form.replace("{year}", ""))
            if concept.status == "rejected":
                rejected.add(key)
            else:
                known.setdefault(key, concept.id)
    return known, rejected


def _in(key: str, keys: set[str]) -> bool:
    return key in keys or form_key(key) in keys
