"""The one matcher: every English form of every concept in one Aho-Corasick automaton.

Text is folded once per document (lowercase, curly quotes -> straight, hyphens/dashes and every
kind of whitespace -> one space) so that "Four-Management", "four management" and a phrase broken
across lines are the same string. Inflections (plurals) are generated at compile time, so the
cost of a document does not grow with the glossary. Matches are whole words, longest first,
and their spans are mapped back to the original text. The checker, extractor, scorer, aligner
and TUI all call :meth:`Matcher.find`.
"""

from __future__ import annotations

import bisect
import os
import re
import string
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import TypeVar

import ahocorasick_rs

from glossary import cache
from glossary.tense import in_tense_of, readings
from glossary.terms import COUNTER, YEAR_PLACEHOLDER, Concept, FormKind, Glossary

# Single characters folded to one replacement each. Applied as a chain of str.replace calls for
# the characters present: about 15x faster than str.translate with a dict on large texts.
_FOLD_PAIRS: tuple[tuple[str, str], ...] = tuple(
    [(c, "'") for c in "\u2018\u2019\u201a\u201b\u2032`"]
    + [(c, '"') for c in "\u201c\u201d\u201e\u201f\u2033\u300c\u300d\u300e\u300f\uff02"]
    + [(c, " ") for c in "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212_\t\n\r\x0b\x0c\xa0"
                         "\u3000\u2028\u2029\u200b\u202f\u2009"]
)
# The same folding for ASCII text as one bytes.translate table (lowercase included): one C pass
# instead of a lower() and a scan per folded character.
_ASCII_PAIRS = [(c, r) for c, r in _FOLD_PAIRS if c.isascii()]
_ASCII_FOLD = bytes.maketrans(
    (string.ascii_uppercase + "".join(c for c, _ in _ASCII_PAIRS)).encode("ascii"),
    (string.ascii_lowercase + "".join(r for _, r in _ASCII_PAIRS)).encode("ascii"))
# The automaton reads a 15-symbol alphabet: the letters in 13 pairs, digits, and one boundary
# symbol for everything else (space, punctuation; a non-ASCII character is already one "?" by
# then). A DFA row is then 15 entries instead of 32 or 64, and every hit is confirmed on the
# folded text. Keys are anchored with a boundary symbol on each side (and the scanned text is
# framed by one), so the automaton only follows keys from a word start: inside a word that
# begins no key it stays in its root state, whose row is always in cache, rather than chasing
# every suffix of the word through cold states; and it reports whole-word hits only.
_LETTER_PAIRS = ("ez", "tq", "ax", "oj", "ik", "nv", "sb", "hp", "ry", "dg", "lw", "cf", "um")
_DIGIT_SYMBOL, _BOUNDARY_SYMBOL = 13, 14
_SYMBOLS = bytes(
    next((i for i, pair in enumerate(_LETTER_PAIRS) if chr(b).lower() in pair),
         _BOUNDARY_SYMBOL)
    if chr(b).isascii() and chr(b).isalpha() else
    _DIGIT_SYMBOL if 48 <= b <= 57 else _BOUNDARY_SYMBOL
    for b in range(256))
_BOUNDARY = bytes([_BOUNDARY_SYMBOL])
# Latin-1 text (accented English) folded the same way in one bytes.translate: every Latin-1
# character lowercases to one Latin-1 character, so lower() and the folding pairs fit a table
_LATIN1_FOLD = bytes(
    ord(dict(_FOLD_PAIRS).get(chr(b).lower(), chr(b).lower())) for b in range(256))
_SPACE_RUN = re.compile(" {2,}")
_YEAR_AFTER = re.compile(r" ?[\"']? ?((?:19|20)\d\d)(?![\d])")
_VOWELS = set("aeiou")
_T = TypeVar("_T", bound=tuple)  # type: ignore[type-arg]


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded copy of a text and the map from its offsets back to the original."""

    text: str
    _breaks: list[int]
    _shifts: list[int]
    data: bytes | None = None  # ``text`` as bytes when it is ASCII: the matcher scans these

    def to_original(self, offset: int) -> int:
        """Original offset of the folded character at ``offset``."""
        if not self._breaks:
            return offset
        index = bisect.bisect_right(self._breaks, offset) - 1
        return offset + (self._shifts[index] if index >= 0 else 0)


def fold(text: str) -> Folded:
    """Fold case, quotes, hyphens and whitespace; collapsed space runs are recorded so spans map
    back exactly."""
    if text.isascii():
        data = text.encode("ascii").translate(_ASCII_FOLD)
        if b"  " not in data:
            return Folded(data.decode("ascii"), [], [], data)
        folded = _collapse(data.decode("ascii"))
        return Folded(folded.text, folded._breaks, folded._shifts, folded.text.encode("ascii"))
    try:
        latin = text.encode("latin-1")
    except UnicodeEncodeError:
        pass
    else:
        return _collapse(latin.translate(_LATIN1_FOLD).decode("latin-1"))
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (e.g. 'İ') lowercase to two
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    folded = lowered
    for char, replacement in _FOLD_PAIRS:
        if char in folded:
            folded = folded.replace(char, replacement)
    return _collapse(folded)


def _collapse(folded: str) -> Folded:
    """Collapse runs of spaces to one, recording where offsets shift."""
    breaks: list[int] = []
    shifts: list[int] = []
    if "  " in folded:
        pieces: list[str] = []
        removed = 0
        last = 0
        for run in _SPACE_RUN.finditer(folded):
            start, end = run.span()
            pieces.append(folded[last:start + 1])
            removed += end - start - 1
            breaks.append(start + 1 - (removed - (end - start - 1)))
            shifts.append(removed)
            last = end
        pieces.append(folded[last:])
        folded = "".join(pieces)
    return Folded(folded, breaks, shifts)


@lru_cache(maxsize=65536)
def fold_form(form: str) -> str:
    """The folded key of a glossary form (same folding as documents, trimmed)."""
    return fold(form).text.strip()


def pluralize(text: str) -> str | None:
    """English plural of the last word (an irregular one as lemminflect knows it: "controlled
    knife" → "controlled knives"), or None when the last word is not a plain word."""
    last = text.rsplit(" ", 1)[-1]
    if not last.isalpha() or len(last) < 2:
        return None
    if last.endswith("s") and not last.endswith(("ss", "us", "is")):
        return text  # already plural ("posters", "four breaks")
    if last.endswith(("s", "x", "z", "ch", "sh")):
        regular = text + "es"
    elif last.endswith("y") and last[-2].lower() not in _VOWELS:
        regular = text[:-1] + "ies"
    else:
        regular = text + "s"
    irregular = _irregular_plural(last) if last.islower() else None
    return regular if irregular is None else text[:-len(last)] + irregular


@lru_cache(maxsize=65536)
def _irregular_plural(word: str) -> str | None:
    """The plural of a noun English does not make with -s ("knives", "geese", "policemen",
    "crises"); None for a regular or uncountable one, or one English also makes with -s."""
    from lemminflect import getAllLemmas, getInflection

    if word not in getAllLemmas(word).get("NOUN", ()):
        return None
    forms = getInflection(word, "NNS")
    regular = {word + "s", word + "es", word[:-1] + "ies"}
    if not forms or forms[0] == word or regular & set(forms):
        return None  # uncountable, or English has the -s plural too ("personas", "indexes")
    return forms[0]


def inflections(form: str) -> list[tuple[str, bool]]:
    """The folded form and its plural as (key, is_plural), generated once at compile time
    (``pluralize``: regular, or irregular where English makes no -s plural)."""
    base = fold_form(form)
    if not base:
        return []
    plural = pluralize(base)
    if plural is None and base[-1:] in "\"'" and base[-2:-1].isalpha() and form.islower():
        # a form deprecated only when quoted: its plural inside the marks ("one hands"); not
        # a name's ("Hunting Fox" is no "hunting foxes")
        inner = pluralize(base[:-1])
        plural = None if inner in (None, base[:-1]) else inner + base[-1]
    return [(base, False)] if plural in (None, base) else [(base, False), (plural, True)]


def quote_spacings(key: str) -> list[str]:
    """A folded form with a quoted part, and its spellings with a space inside either quote
    mark: MT writes ‘ Touching the net ’ and “ one hand ” as often as "one hand"."""
    for quote in "\"'":
        start = key.find(quote)
        end = key.find(quote, start + 1) if start >= 0 else -1
        if (end > start + 1 and key[start + 1] != " " and key[end - 1] != " "
                and (start == 0 or key[start - 1] == " ")
                and (end == len(key) - 1 or key[end + 1] == " ")):
            head, inner, tail = key[:start + 1], key[start + 1:end], key[end:]
            return [key, f"{head} {inner} {tail}", f"{head} {inner}{tail}",
                    f"{head}{inner} {tail}"]
    return [key]


# not frozen, for speed, but immutable by convention (see Diagnostic)
@dataclass(slots=True, unsafe_hash=True)
class Match:
    """One occurrence of a glossary form in a text (offsets into the original text)."""

    start: int
    end: int
    concept: str
    kind: FormKind
    form: str
    found: str
    year: str | None = None
    plural: bool = False

    @property
    def term_end(self) -> int:
        """End of the term itself, before any campaign year that belongs to the match."""
        if self.year is None:
            return self.end
        return self.start + self.found.rfind(self.year) if self.year in self.found else self.end


@dataclass(frozen=True, slots=True)
class ZhMatch:
    """One occurrence of a glossary Chinese term in a source text."""

    start: int
    end: int
    concept: str
    term: str


@dataclass(frozen=True, slots=True)
class _Entry:
    concept: str
    kind: FormKind
    form: str
    takes_year: bool
    needs_year: bool
    plural: bool


# (start, end, entry, campaign year) in folded-text offsets
_Candidate = tuple[int, int, _Entry, "str | None"]


class _RustScanner:
    """The portable scanner: an ``ahocorasick-rs`` DFA over a 15-symbol alphabet (_SYMBOLS), each
    key framed by boundary symbols."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            [_BOUNDARY + key.translate(_SYMBOLS) + _BOUNDARY for key in keys],
            matchkind=ahocorasick_rs.MatchKind.Standard,
            implementation=ahocorasick_rs.Implementation.DFA)

    def hits(self, data: bytes) -> list[tuple[int, int, int]]:
        """(key index, start, end) of every whole-word occurrence of a key's symbols in
        ``data`` (one byte per character), overlapping ones included, by end offset."""
        # framed so a key may start at offset 0 and end at the last character; a hit
        # (index, s, e) in the framed symbols is the key at offsets s .. e - 2
        symbols = _BOUNDARY + data.translate(_SYMBOLS) + _BOUNDARY
        return [(index, start, end - 2) for index, start, end
                in self._automaton.find_matches_as_indexes(symbols, overlapping=True)]


# Hyperscan reads letters (lowercased) and digits as they are and everything else as a space
_WORDS = bytes(b + 32 if 65 <= b <= 90 else b if 97 <= b <= 122 or 48 <= b <= 57 else 32
               for b in range(256))


class _HyperscanScanner:
    """The fast scanner where Intel Hyperscan has a wheel (x86-64): its SIMD literal matcher
    scans about twice as fast as the DFA at 10,000 concepts, whose tables do not fit in
    cache. Same contract as ``_RustScanner.hits``; each key is framed by spaces. A scan
    needs a scratch space per thread."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        import hyperscan

        framed = [b" " + key.translate(_WORDS) + b" " for key in keys]
        self._lengths = [len(key) for key in framed]
        self._database = _compiled(framed)
        self._new_scratch = hyperscan.Scratch
        self._local = threading.local()

    def hits(self, data: bytes) -> list[tuple[int, int, int]]:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._new_scratch(self._database)
        found: list[tuple[int, int, int]] = []
        lengths = self._lengths

        def on_match(index: int, _from: int, to: int, _flags: int, _context: object) -> None:
            found.append((index, to - lengths[index], to - 2))

        self._database.scan(b" " + data.translate(_WORDS) + b" ",
                            match_event_handler=on_match, scratch=scratch)
        found.sort(key=_BY_END)
        return found


_BY_END = itemgetter(2, 1)
# Compiling takes ~2 s at 10,000 concepts (72,000 keys) and loading 2 ms: from this many keys
# the compiled database is kept in the on-disk cache (glossary/cache.py)
CACHE_MIN_KEYS = 5000


def _compiled(framed: list[bytes]) -> object:
    """The Hyperscan block-mode database of these literals, from the cache when it has it."""
    import hashlib

    import hyperscan

    digest = ""
    if len(framed) >= CACHE_MIN_KEYS:
        hasher = hashlib.sha256(f"{hyperscan.__version__}\n".encode())
        for key in framed:
            hasher.update(key + b"\n")
        digest = hasher.hexdigest()
        cached = cache.read("hyperscan", digest)
        if cached is not None:
            try:
                return hyperscan.loadb(cached, hyperscan.HS_MODE_BLOCK)
            except hyperscan.error:
                pass  # damaged or from another build: compiled again and replaced below
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=framed, ids=list(range(len(framed))),
                     elements=len(framed), flags=0, literal=True)
    if digest:
        cache.write("hyperscan", digest, hyperscan.dumpb(database))
    return database


def make_scanner(keys: Sequence[bytes]) -> _RustScanner | _HyperscanScanner:
    """Hyperscan when its wheel is installed and ``DECALQUE_SCANNER`` does not say ``rust``;
    the Rust DFA otherwise. Both give the same matches (tests/glossary/test_fast_paths.py
    compares each with a str.find reference)."""
    if os.environ.get("DECALQUE_SCANNER", "").lower() != "rust":
        try:
            import hyperscan
        except ImportError:
            return _RustScanner(keys)
        try:
            return _HyperscanScanner(keys)
        except hyperscan.error:  # a limit of the literal compiler: the DFA has none
            pass
    return _RustScanner(keys)


class Matcher:
    """Compiled glossary forms. Build once per glossary; ``find`` is pure and thread-safe."""

    def __init__(self, glossary: Glossary | Iterable[Concept],
                 statuses: Iterable[str] = ("approved", "proposed"),
                 extra: Sequence[str] = ()) -> None:
        """``extra``: folded phrases found in the same scan and reported apart (``find``'s
        ``extra_hits``), for rules that look for words rather than glossary forms."""
        allowed = set(statuses)
        concepts = glossary.concepts if isinstance(glossary, Glossary) else tuple(glossary)
        self.concepts: dict[str, Concept] = {}
        table: dict[str, list[_Entry]] = {}
        for concept in concepts:
            if concept.status not in allowed:
                continue
            self.concepts[concept.id] = concept
            takes_year = concept.category == "campaign"
            for form, kind in concept.forms():
                needs_year = YEAR_PLACEHOLDER in form
                text = form.replace(YEAR_PLACEHOLDER, "") if needs_year else form
                for base, plural in inflections(text):
                    entry = _Entry(concept.id, kind, form, takes_year or needs_year, needs_year,
                                   plural)
                    for key in quote_spacings(base):
                        bucket = table.setdefault(key, [])
                        same = next((i for i, e in enumerate(bucket)
                                     if e.concept == entry.concept
                                     and e.needs_year == entry.needs_year), None)
                        if same is None:
                            bucket.append(entry)
                        elif bucket[same].plural and not plural:
                            # a listed form wins over another's generated plural: "land and
                            # see effects" listed is no plural of "land and see effect"
                            bucket[same] = entry
        # a counter (人次 "person-times") counts only after a number: "8,432 family times of
        # hospitals" is one, "family times" in a story is English
        self._counters = frozenset(c.id for c in self.concepts.values()
                                   if c.category == COUNTER)
        self._keys: list[str] = []
        self._entries: list[tuple[_Entry, ...]] = []
        for key, entries in table.items():
            # forms that need no year first, so a plain form wins over a year-only one
            entries.sort(key=lambda e: e.needs_year)
            self._keys.append(key)
            self._entries.append(tuple(entries))
        self._extra_from = len(self._keys)
        for phrase in extra:
            self._keys.append(phrase)
            self._entries.append(())
        self._empty = not self._keys
        # one byte per character: every non-ASCII character becomes "?" (str.encode's
        # "replace"), in keys and texts alike, so offsets stay character offsets
        self._scanner = make_scanner([key.encode("ascii", "replace") for key in self._keys]
                                     ) if self._keys else None

        zh_terms: dict[str, str] = {}
        for concept in self.concepts.values():
            for term in concept.zh:
                if term and term not in zh_terms:
                    zh_terms[term] = concept.id
        self._zh_terms = list(zh_terms)
        self._zh_owners = [zh_terms[t] for t in self._zh_terms]
        self._zh_automaton: ahocorasick_rs.AhoCorasick | None = None

    def __len__(self) -> int:
        return len(self.concepts)

    def find_zh(self, text: str) -> list[ZhMatch]:
        """Glossary Chinese terms in a source text, leftmost-longest and non-overlapping.
        Chinese has no word boundaries to check, so the longest term wins (网络水军 over 水军)."""
        if not self._zh_terms or not text:
            return []
        if self._zh_automaton is None:  # built on first use: most runs have no source
            self._zh_automaton = ahocorasick_rs.AhoCorasick(
                self._zh_terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        return [ZhMatch(start, end, self._zh_owners[index], self._zh_terms[index])
                for index, start, end in self._zh_automaton.find_matches_as_indexes(text)]

    def find(self, text: str, folded: Folded | None = None, original: str | None = None,
             extra_hits: list[tuple[int, int]] | None = None) -> list[Match]:
        """All whole-word, non-overlapping matches in ``text``, longest first on overlap, in
        text order. ``original`` (same length, e.g. the unmasked document) supplies ``found``.
        ``extra_hits`` receives the spans of the ``extra`` phrases, in text offsets."""
        if self._empty or not text:
            return []
        folded = folded or fold(text)
        to_original = folded.to_original
        extra: list[tuple[int, int]] = []
        candidates = self._candidates(folded, extra)
        if extra_hits is not None:
            extra_hits.extend((to_original(start), to_original(end - 1) + 1)
                              for start, end in extra)
        if self._counters and candidates:
            candidates = [c for c in candidates
                          if c[2].concept not in self._counters or _after_number(folded.text, c[0])]
        source = original or text
        candidates = [c for c in candidates if not _inside_compound(source, to_original(c[0]))]
        if not candidates:
            return []
        matches: list[Match] = []
        for start, end, entry, year in select_longest(candidates):
            o_start = to_original(start)
            o_end = to_original(end - 1) + 1
            matches.append(Match(o_start, o_end, entry.concept, entry.kind, entry.form,
                                 source[o_start:o_end], year, entry.plural))
        return matches

    def _candidates(self, folded: Folded, extra: list[tuple[int, int]]) -> list[_Candidate]:
        """Whole-word hits of every key, with a campaign year attached where it belongs, in
        the automaton's order (by end offset); the ``extra`` phrases' spans go to ``extra``."""
        ftext = folded.text
        size = len(ftext)
        data = folded.data
        if data is None:
            data = ftext.encode("ascii", "replace")
        keys = self._keys
        # whole words (the scanner's boundaries said so) whose text is the key (the scanner
        # may fold letters together, and "?" stands for any non-ASCII character)
        hits = [(index, start, end) for index, start, end
                in self._scanner.hits(data)  # type: ignore[union-attr]
                if ftext[start:end] == keys[index]]
        if folded.data is None:  # a non-ASCII neighbour: is it a letter or digit?
            hits = [hit for hit in hits
                    if not (hit[1] and ftext[hit[1] - 1].isalnum())
                    and not (hit[2] < size and ftext[hit[2]].isalnum())]
        candidates: list[_Candidate] = []
        all_entries = self._entries
        extra_from = self._extra_from
        for index, start, end in hits:
            if index >= extra_from:
                extra.append((start, end))
                continue
            for entry in all_entries[index]:
                year = None
                match_end = end
                if entry.takes_year:
                    found_year = _YEAR_AFTER.match(ftext, end)
                    if found_year:
                        year = found_year.group(1)
                        match_end = found_year.end()
                if entry.needs_year and year is None:
                    continue
                candidates.append((start, match_end, entry, year))
                break
        return candidates


_BY_START = itemgetter(0)


# prefixes whose hyphen leaves the word after it whole ("anti-cat pool", "ex-water army"), and
# the conjunctions of a hyphenated coordination ("black-and-evil-related")
_HYPHEN_PREFIXES = frozenset(
    "anti non pro counter ex post pre sub super cross multi inter intra semi co re de self "
    "mini micro mega quasi pseudo neo and or".split())
_WORD_BEFORE_HYPHEN = re.compile(r"([^\W\d_]+)-\Z")


def _inside_compound(text: str, start: int) -> bool:
    """Whether a match at ``start`` begins inside a hyphenated word ("scale return to poverty"
    in "large-scale return to poverty"): its first word belongs to that compound, unless the
    part before the hyphen is a prefix."""
    if text[start - 1:start] not in ("-", "‐") or start < 2:
        return False
    found = _WORD_BEFORE_HYPHEN.search(text[max(0, start - 20):start].replace("‐", "-"))
    return found is not None and found.group(1).lower() not in _HYPHEN_PREFIXES


def _priority(candidate: tuple[int, int, object, object]) -> tuple[int, int]:
    return candidate[0] - candidate[1], candidate[0]


def select_longest(candidates: Sequence[_T]) -> list[_T]:
    """Non-overlapping spans ``(start, end, ...)``: the longest wins over any shorter
    overlapping one, then the leftmost, then the earlier in ``candidates``; result in text order.

    Same choice as taking candidates greedily in that priority order, but linear in practice:
    one sort and sweep splits the candidates into clusters of overlapping spans (a span alone
    is taken as it is), and inside a cluster taken characters are marked in a bytearray, so
    a cluster costs the total length of its spans rather than its size squared."""
    ordered = sorted(candidates, key=_BY_START)  # stable: ties keep the caller's order
    chosen: list[_T] = []
    cluster: list[_T] = []
    cluster_end = -1
    for cand in ordered:
        if cand[0] >= cluster_end:
            if len(cluster) == 1:
                chosen.append(cluster[0])
            elif cluster:
                chosen.extend(_greedy(cluster, cluster_end))
            cluster = [cand]
            cluster_end = cand[1]
        else:
            cluster.append(cand)
            cluster_end = max(cluster_end, cand[1])
    if len(cluster) == 1:
        chosen.append(cluster[0])
    elif cluster:
        chosen.extend(_greedy(cluster, cluster_end))
    return chosen


def _greedy(cluster: list[_T], end: int) -> list[_T]:
    """Greedy choice inside one cluster (sorted by start), returned in text order."""
    base = cluster[0][0]
    taken = bytearray(end - base)
    kept: list[_T] = []
    for cand in sorted(cluster, key=_priority):
        start, stop = cand[0] - base, cand[1] - base
        if taken.find(1, start, stop) < 0:
            taken[start:stop] = b"\x01" * (stop - start)
            kept.append(cand)
    kept.sort(key=_BY_START)
    return kept


# a numeral, or a number word, at most two words before: "12,000 person-times", "3.2 million
# person-times", "over 200 more person-times"
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
    "hundred hundreds thousand thousands million millions billion billions dozen dozens "
    "lakh".split())


def _after_number(text: str, start: int) -> bool:
    """Read back over the last three words (nearest first): a regex anchored at the end would
    try every position of the window, and a counter's preferred word ("times") is common."""
    for word in reversed(text[max(0, start - 40):start].split()[-3:]):
        word = word.strip(",.%")
        if word in _NUMBER_WORDS or any(char.isdigit() for char in word):
            return True
    return False


@lru_cache(maxsize=65536)
def _preferred_form(preferred: str, plural: bool) -> str:
    """The preferred rendering, pluralised for a plural match (once per concept, not per
    finding); a mass noun stays singular ("network patrols" -> "online monitoring")."""
    if not plural:
        return preferred
    many = pluralize(preferred)
    if many is None or many == preferred or _mass_noun(preferred.rsplit(" ", 1)[-1],
                                                         many.rsplit(" ", 1)[-1]):
        return preferred
    return many


@lru_cache(maxsize=4096)
def _mass_noun(word: str, plural: str) -> bool:
    """English writes this noun's plural rarely or never, against its singular ("monitorings",
    "staffs", "managements": Zipf 0, 3.2 and 2.3 against 4.3, 5.1 and 5.1; "meetings",
    "crackdowns" and "patrols" are within 1.8 of theirs)."""
    from wordfreq import zipf_frequency

    one, many = zipf_frequency(word, "en"), zipf_frequency(plural, "en")
    return one >= 2.5 and (many < 1.5 or many <= one - 1.8)


def _quote_before_year(match: Match) -> str:
    """The text between a quoted name and its year ('” ' in '“Net Net” 2022'), when it holds
    a closing quotation mark; else ''."""
    head = match.found[:match.found.rfind(match.year or "")]
    gap = head[len(head.rstrip(" \"'”’")):]
    return gap if gap.strip() else ""


@lru_cache(maxsize=65536)
def _without_year(preferred: str) -> str:
    return " ".join(preferred.replace(YEAR_PLACEHOLDER, "").split())


def suggestion_for(concept: Concept, match: Match, text: str) -> str:
    """The preferred rendering to put in place of ``match``: the campaign year is kept and a
    sentence-initial capital is preserved."""
    preferred = in_tense_of(_preferred_form(concept.preferred, match.plural), match.found,
                            concept.deprecated)
    if match.year:
        gap = _quote_before_year(match)
        if gap and not preferred.replace(YEAR_PLACEHOLDER, "").endswith(" "):
            # '"Net Net" 2022': the closing mark stays between the name and its year
            preferred = f"{_without_year(preferred)}{gap}{match.year}"
        elif YEAR_PLACEHOLDER in preferred:
            preferred = preferred.replace(YEAR_PLACEHOLDER, match.year)
        else:
            preferred = f"{preferred} {match.year}"
    else:
        preferred = _without_year(preferred)
    if _titled(match.found) and (in_title_case(text, match.start, match.end)
                                 or named_by(text, match.start)):
        # a headline's "Winter Special Action"; a name's "Double Support Work Leading Group"
        return title_cased(preferred)
    if _initial(match.found).isupper() and preferred[:1].islower() and is_sentence_start(
            text, match.start):
        preferred = preferred[0].upper() + preferred[1:]
    return preferred


def _initial(found: str) -> str:
    """The first letter of ``found``: a form listed with its quotation marks ('"Black car"
    drivers') starts with a mark, and the capital that opens the sentence comes after it."""
    return next((char for char in found if char.isalpha()), "")


# small words a title leaves in lower case after its first word
_TITLE_SMALL = frozenset("a an and as at but by for from in into nor of on or the to via vs "
                         "with".split())


def _titled(found: str) -> bool:
    words = [w for w in found.split() if w[:1].isalpha()]
    return bool(words) and all(w[0].isupper() for w in words if w.lower() not in _TITLE_SMALL)


def title_cased(phrase: str) -> str:
    """``phrase`` as a title writes it: each word's first letter capitalised but the small
    words after the first ("special campaign against rumors" -> "Special Campaign against
    Rumors"); capitals already there stay ("WeChat")."""
    words = phrase.split(" ")
    return " ".join(w[:1].upper() + w[1:] if i == 0 or w.lower() not in _TITLE_SMALL else w
                    for i, w in enumerate(words))


def possessive_fixed(text: str, end: int, replacement: str) -> tuple[int, str]:
    """The end and text of a fix that puts ``replacement`` before ``end``, mending a
    possessive after it: "the masses' road home" → "the public's road home", "the water
    army's posts" → "paid online posters' posts" (the apostrophe as written)."""
    mark = text[end:end + 1]
    if mark not in ("'", "’") or not replacement[-1:].isalpha():
        return end, replacement
    plural = pluralize(replacement) == replacement
    after = text[end + 1:end + 2]
    if after == "s" and not text[end + 2:end + 3].isalpha():  # "army's"
        return (end + 2, replacement + mark) if plural else (end, replacement)
    if not after.isalpha() and text[end - 1:end] == "s" \
            and not _closes_quotation(text, end, mark):  # "masses'"
        return (end, replacement) if plural else (end + 1, replacement + mark + "s")
    return end, replacement


def _closes_quotation(text: str, end: int, mark: str) -> bool:
    """Whether the mark at ``end`` closes a single quotation opened earlier in its line
    ("cases of 'paper serving sentences' were found"), rather than making a plural
    possessive: the line's last single mark before it opens a quotation (after no letter,
    before no space), or for a curly one, a ‘ comes after the last ’."""
    line = text.rfind("\n", 0, end) + 1
    if mark == "’":
        return text.rfind("‘", line, end) > text.rfind("’", line, end)
    before = text.rfind("'", line, end)
    return (before >= 0 and not text[before - 1:before].isalpha()
            and not text[before + 1:before + 2].isspace())


# After a plural noun modifying the next word: that word is a noun when it has no verb reading
# ("information", "management"), or when what follows it shows it heads a noun phrase
_NEXT_WORDS = re.compile(r"[ \t]+([a-z]+)(?:[ \t]*([a-z]+|[^\sa-z]))?")
_AFTER_NOUN = frozenset("were was are is will would have has had could can should may must "
                        "and or".split())
_CLOSING = "\"'”’ "
# a coordination, a count or a phrase with a preposition, whose plural is no modifier's:
# "funds, assets and resources", "ten prohibitions", "charging via extension cords"
_LISTING = re.compile(r",| and | or |\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+|"
                      r"via|of|for|with|on|in|by|to|from|against|over)\b", re.IGNORECASE)


def attributive_fixed(text: str, end: int, replacement: str, found: str) -> str:
    """A plural replacement of a singular form used before a noun it modifies goes singular,
    as English nouns modify in the singular: "6.2 million Internet Navy accounts will be shut"
    → "paid online poster accounts", "network navy gangs were busted" → "paid online poster
    gangs"; not before a verb ("the water army posts fake reviews")."""
    single = _singular_modifier(replacement, found)
    if single is None:
        return replacement
    after = _NEXT_WORDS.match(text, end)
    if after is None:
        return replacement
    from aligner.lexicon import EN_STOPWORDS

    word, following = after.group(1), after.group(2)
    classes = readings(word)
    if "NOUN" not in classes or word in EN_STOPWORDS or word.endswith("ing"):
        return replacement
    if "VERB" in classes and following is not None and following.isalpha() \
            and following not in _AFTER_NOUN:
        return replacement
    return single


@lru_cache(maxsize=65536)
def _singular_modifier(replacement: str, found: str) -> str | None:
    """``replacement`` with its last word singular, when it is a plural noun phrase replacing
    a singular noun phrase (no coordination, count or preposition in either); else None."""

    head, _, last = replacement.rpartition(" ")
    found_last = found.rstrip(_CLOSING).rsplit(" ", 1)[-1].lower()
    if (not head or not last.islower() or not last.endswith("s") or found_last.endswith("s")
            or _LISTING.search(replacement) or _LISTING.search(found)):
        return None  # a plural form, or a coordination ("funds, assets and resources")
    first = readings(found.strip(_CLOSING).split(" ", 1)[0].lower())
    if "VERB" in first and not first.keys() & {"NOUN", "ADJ"}:
        return None  # a verb phrase ("passed the hall": "held review sessions")
    lemma = readings(last).get("NOUN", ("",))[0]
    if not lemma or lemma == last or pluralize(lemma) != last:
        return None  # no plural noun ("news", "analysis")
    return f"{head} {lemma}"


# "a"/"an" right before a fix's start, and the spellings whose first letter misleads
# (an opening quotation mark may stand between: 'a "protective umbrella"' is fixed inside it)
_ARTICLE_BEFORE = re.compile(r"\b(a|an|A|An|AN)([ \t]+)([\"'“‘「『]?)\Z")
_POSTMODIFIER = re.compile(r" (?:of|for|on|in|with|to|from|by|against|at|under|over|into"
                           r"|about|without|among|between) ")
_CONSONANT_VOWELS = ("one", "once", "uni", "use", "usu", "uti", "ure", "eu", "ewe")
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
# a determiner right before a fix's start: a preferred rendering's own "a"/"an" goes (not
# "that" nor "her", which are as often a conjunction or a pronoun: "found that a ...")
_DETERMINER_BEFORE = re.compile(
    r"\b(?i:the|this|these|those|its|their|our|his|my|your|each|every|any|no)[ \t]+\Z")


def article_fixed(text: str, start: int, replacement: str) -> tuple[int, str]:
    """The start and text of a fix that puts ``replacement`` at ``start``, taking in an "a"
    or "an" just before it when the new word wants the other one ("a three-no vessel" → "an
    unregistered vessel", not "a unregistered vessel"), or none ("a water army" → "paid
    online posters"); after a determiner the replacement's own article goes ("the one river
    one file" → "the record for each river", not "the a record ..."). Through an opening
    quotation mark too ('a "protective umbrella"' → 'an "official protector"'), but a quoted
    plural keeps its article: it mostly names the noun after the quotes."""
    found = _ARTICLE_BEFORE.search(text, max(0, start - 7), start)
    word = replacement.lstrip("\"'“‘「『(").lower()
    if found is None and replacement.startswith(("a ", "an ")) \
            and _DETERMINER_BEFORE.search(text, max(0, start - 12), start):
        return start, replacement.split(" ", 1)[1]  # "the a record" → "the record"
    if found is None or not word[:1].isalpha():
        return start, replacement
    quote = found.group(3)
    # a plural takes no "a"; quoted, it mostly names the noun after it ('a "X" campaign')
    # the head noun comes before a prepositional phrase: "a pursuit of fugitives"
    head = _POSTMODIFIER.split(replacement, 1)[0]
    if not quote and head[-1:].isalpha() and pluralize(head) == head:
        if found.group(1)[0].isupper():
            replacement = replacement[0].upper() + replacement[1:]
        return found.start(), replacement
    vowel = (word[:1] in "aeiou" and not word.startswith(_CONSONANT_VOWELS)
             or word.startswith(_SILENT_H))
    article = found.group(1)
    wanted = "an" if vowel else "a"
    if article.lower() == wanted:
        return start, replacement
    if article[0].isupper():
        wanted = wanted.capitalize()
    return found.start(), f"{wanted}{found.group(2)}{quote}{replacement}"


_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’-]*)[ \t]+\Z")


def repeat_fixed(text: str, start: int, replacement: str) -> tuple[int, str]:
    """The start and text of a fix whose first word repeats the word just before it: that
    word is taken in, as written, so the fix does not say it twice ("Clean Net 2023" matched
    as "Net 2023" → "Clean Network 2023", not "Clean Clean Network 2023")."""
    first, _, rest = replacement.partition(" ")
    if not rest:
        return start, replacement
    found = _WORD_BEFORE.search(text, max(0, start - len(first) - 4), start)
    if found is None or found.group(1).lower() != first.lower():
        return start, replacement
    return found.start(1), f"{found.group(1)} {rest}"


_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_][\w-]*)(?![\w-])")


def repeat_after_fixed(text: str, end: int, replacement: str, found: str) -> tuple[int, str]:
    """The end and text of a fix whose last word repeats the word just after it: that word
    is taken in, so the fix does not say it twice ("two-step reporting declaration forms"
    → "two-step declaration forms", not "two-step declaration declaration forms"). A word
    the text itself repeats ("had had") is left alone."""
    last = replacement.rpartition(" ")[2]
    following = _WORD_AFTER.match(text, end)
    if following is None or following.group(1).lower() != last.lower() \
            or found.rpartition(" ")[2].lower() == last.lower():
        return end, replacement
    return following.end(1), replacement


_OPENERS = "\"'“‘(「『[«"
# A title's words: what ends one (sentence marks, quotation marks, brackets, a line break),
# its words, and the short words title case leaves in lower case ("Opinions on Punishing").
_TITLE_STOPS = re.compile(r"[.!?;:。！？；：\"“”‘’「」『』《》()\[\]«»\n]")
_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_MINOR_WORDS = frozenset(
    "a an the and or but nor so yet for of on in at to by with from as into onto upon over per "
    "via vs than".split())
_DETERMINERS = frozenset(
    "this that these those each every all some any another other such no its their our his her "
    "my your both either neither many several".split())
_TITLE_WINDOW = 3  # content words looked at on each side
_TITLE_REACH = 120  # characters looked at on each side


def in_title_case(text: str, start: int, end: int, long_titles: bool = True) -> bool:
    """True if ``text[start:end]`` stands in a run of capitalised words: a headline, or the
    title of a law, campaign or slogan ("Guiding Opinions on Punishing Cyberbullying Crimes",
    "Keep the Online Environment Clean"), where the capitals come from title case, not from how
    the writer spells the term. The run is read outwards on each side over capitalised words
    and short words such as "on" and "the", up to three capitalised words, a lower-case word,
    or the end of the clause (sentence mark, quotation mark, bracket, line break). Titled: a
    capitalised word on both sides, or two on one side and the clause's end on the other, or
    any at all with the clause's ends on both sides (a heading); also a heading line of its own
    ("III. Next Steps") and, with ``long_titles``, three capitalised words linked by a
    preposition right before ("... for Promoting the Development of the Silver Economy and")."""
    before = text[max(0, start - _TITLE_REACH):start]
    after = _POSSESSIVE.sub("", text[end:end + _TITLE_REACH], count=1)  # "the Public's Money"
    stops = list(_TITLE_STOPS.finditer(before))
    if stops:
        before = before[stops[-1].end():]
    stop = _TITLE_STOPS.search(after)
    if stop:
        after = after[:stop.start()]
    left, left_open = _capitalised_run(reversed(_TITLE_WORD.findall(before)))
    right, right_open = _capitalised_run(_TITLE_WORD.findall(after))
    return ((left >= 1 and right >= 1) or (left >= 2 and not right_open)
            or (right >= 2 and not left_open) or (long_titles and _long_title_before(before))
            or (left + right >= 1 and not (left_open or right_open))
            or (text[start:end][:1].isupper() and is_heading(text, start, end))
            or _headline(text, start))


_POSSESSIVE = re.compile(r"\A['’]s\b")
_HEADLINE_LONGEST = 400  # characters
_SENTENCE_END = (".", "。", "!", "?", "！", "？")


def _headline(text: str, start: int) -> bool:
    """True if the line around ``start`` is a headline: no sentence mark ends it and three in
    four of its content words (three or more) are capitalised ("Circular on the 2023 'Clean
    Source' Special Campaign against Social Insurance Fraud")."""
    # scans bounded by the longest headline, so a one-line document stays linear
    newline = text.rfind("\n", max(0, start - _HEADLINE_LONGEST), start)
    if newline < 0 and start > _HEADLINE_LONGEST:
        return False
    line_end = text.find("\n", start, start + _HEADLINE_LONGEST)
    if line_end < 0:
        if len(text) > start + _HEADLINE_LONGEST:
            return False
        line_end = len(text)
    line = text[newline + 1:line_end].rstrip()
    if not line or line.endswith(_SENTENCE_END) or len(line) > _HEADLINE_LONGEST:
        return False
    content = [w for w in _TITLE_WORD.findall(line) if w.lower() not in _MINOR_WORDS]
    return len(content) >= 3 and 4 * sum(w[0].isupper() for w in content) >= 3 * len(content)


# a heading's numbering ("III.", "2)", "(4)", "一、") and closing punctuation
_HEADING_LINE = re.compile(r"[ \t]*(?:(?:[IVXLC]+|\d+|[A-Za-z])[.)][ \t]*|\(\w+\)[ \t]*|"
                           r"[一二三四五六七八九十]+、[ \t]*)?\Z")
_HEADING_END = re.compile(r"[ \t]*[.:：]?[ \t]*(?:\r?\n|\Z)")
_NUMBERING_LONGEST = 16  # characters


def is_heading(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` is a line of its own, but for its numbering and a closing
    mark ("III. Next Steps"): a heading, capitalised as headings are."""
    newline = text.rfind("\n", max(0, start - _NUMBERING_LONGEST), start)
    if newline < 0 and start > _NUMBERING_LONGEST:
        return False  # more than a numbering before it on its line
    return bool(_HEADING_LINE.match(text[newline + 1:start])) and bool(
        _HEADING_END.match(text, end))


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_])")
_LAST_WORD = re.compile(r"([^\W\d_][\w'’-]*)[ \t]+$")


def name_goes_on(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` ends in a capitalised word and a capitalised word follows:
    its capitals belong to a longer name ("the Public" in "head of the Public Security Corps"),
    so they say nothing about how the term itself is spelled."""
    words = text[start:end].split()
    found = _NEXT_WORD.match(text, end)
    return bool(words) and words[-1][:1].isupper() and found is not None and found.group(
        1).isupper()


# nouns that say what a capitalised phrase before them names: "the Safe Hospitals initiative",
# '"Bringing Culture to the Countryside" brands'
_NAMING_NOUNS = frozenset(
    "initiative initiatives program programs programme programmes campaign campaigns project "
    "projects brand brands award awards prize prizes title titles activity activities movement "
    "movements contest contests competition competitions festival festivals series scheme "
    "schemes pilot pilots drive drives operation operations action actions".split())
_NOUN_AFTER_NAME = re.compile(r"[\"'”’»」』]?[ \t]+([a-z]+)\b")


def names_a_kind(text: str, end: int) -> bool:
    """True if the phrase ending at ``end`` is followed by a noun saying what it names (a
    programme, campaign, brand, award...): its capitals make it a name, however the writer
    spells the same words as a description elsewhere ("building safe hospitals")."""
    found = _NOUN_AFTER_NAME.match(text, end)
    return found is not None and found.group(1) in _NAMING_NOUNS


def named_by(text: str, start: int) -> bool:
    """True if a capitalised word other than a determiner ("The", "Each") stands right before
    ``start`` (not an English word opening its sentence): a name makes the term part of a
    proper noun ("Hefei public security bureau"), where "a city public security bureau" is a
    common noun."""
    found = _LAST_WORD.search(text, max(0, start - 40), start)
    if found is None or not found.group(1)[0].isupper():
        return False
    word = found.group(1).lower()
    if is_sentence_start(text, found.start(1)) and readings(word):
        return False  # an English word is capitalised first in its sentence ("Smart court")
    return word not in _MINOR_WORDS and word not in _DETERMINERS


_JOINING = frozenset({"and", "or", "but", "nor", "yet", "so"})
_ARTICLES = frozenset({"the", "a", "an"})


def _long_title_before(before: str) -> bool:
    """Whether three capitalised words joined by a preposition or article come right before
    the term ("the Plan for Promoting the High-Quality Development of the"), or a capitalised
    article opens the run mid-sentence ("a film, The Scourge of"): a title's run, whatever
    follows; "Xiyang Public Security Bureau and" is two names."""
    count, linked = 0, False
    for found in reversed(list(_TITLE_WORD.finditer(before))):
        word = found.group()
        lower = word.lower()
        if lower in _MINOR_WORDS:
            if word[0].isupper() and lower in _ARTICLES and count and linked \
                    and not is_sentence_start(before, found.start()):
                return True
            linked = linked or lower not in _JOINING
            continue
        if not word[0].isupper():
            break
        count += 1
        if count == _TITLE_WINDOW:
            return linked
    return False


def _capitalised_run(words: Iterable[str]) -> tuple[int, bool]:
    """How many capitalised words lead ``words`` (minor words skipped, at most
    _TITLE_WINDOW), and whether a lower-case word ended the run."""
    count = 0
    for word in words:
        if word.lower() in _MINOR_WORDS:
            continue
        if not word[0].isupper():
            return count, True
        count += 1
        if count == _TITLE_WINDOW:
            break
    return count, False


def is_sentence_start(text: str, offset: int) -> bool:
    """True if only spaces and opening punctuation separate ``offset`` from the start of the
    text, a sentence-ending mark, or a blank line (a line break inside a sentence is not a
    sentence start)."""
    index = offset - 1
    newlines = 0
    while index >= 0 and (text[index] in " \t\r\n" or text[index] in _OPENERS):
        newlines += text[index] == "\n"
        index -= 1
    if index < 0 or newlines >= 2:
        return True
    if text[index] in ")）、":  # "(1) Strengthen ...", "一、": a heading's number opens the line
        line_start = text.rfind("\n", 0, index) + 1
        return _LIST_MARKER.fullmatch(text, line_start, index + 1) is not None
    return text[index] in ".!?。！？:;"


# a list or heading number alone before the text of its line: "(1)", "2)", "(iv)", "三、"
_LIST_MARKER = re.compile(r"[ \t]*[(（]?"
                          r"(?:\d{1,2}|[ivxIVX]{1,5}|[a-zA-Z]|[一二三四五六七八九十]{1,3})[)）、]")
