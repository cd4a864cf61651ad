"""Sentence alignment of a Chinese source with its English translation.

A monotone alignment is found by dynamic programming over link types, minimising a sum of
link costs made of:

* length: Gale & Church's model on characters, with the expected English/Chinese character
  ratio and its variance taken from the document pair itself (the ratio varies a lot between a
  press release and a novel, and between translators);
* lexical evidence: for every (Chinese sentence, English sentence) pair inside a link, the
  IDF-weighted English words that translate a word of the Chinese sentence (CC-CEDICT, glossary
  pairs, pinyin of names, shared punctuation of questions and quotes) minus gamma times the hits
  expected between unrelated neighbours (a local chance model). Summed over the pairs of a link
  (words two Chinese sentences both explain counted once), merging sentences pays off exactly
  when the extra pairs are related;
* number anchors: numbers with matching values (aligner.numbers) are words with triple weight;
* speech: a link whose end falls inside quoted speech on one side and outside it on the other
  pays extra (translators split and join sentences freely, but rarely across the edge of a
  speech; see _quote_states);
* link-type priors, and for skipped sentences (1-0, 0-1) a price that grows with how well
  something nearby explains them.

The output uses the allowed link types: by default (DEFAULT_LINK_TYPES = EXTENDED_LINK_TYPES)
1-1, 1-2, 2-1, 2-2, 1-0, 0-1 and the wider 1-3, 3-1, 2-3, 3-2, 1-4, 4-1, 1-5, 2-4, because
novels split one Chinese sentence into three (or five) English ones often (and official prose
joins three ；-clauses into one English sentence). With BASIC_LINK_TYPES (the first six) the
search still considers the wider links and re-cuts them into allowed ones afterwards: forcing
a 1-3 into 1-2 links would steal a sentence from the neighbouring link.

Two passes: the first aligns with the dictionary; its links then give a document-specific
translation table (Dice association of words the dictionary did not explain: names, terms; and
an IBM-1-lite re-weighting of dictionary senses by how often they show up), the length ratio
and variance, and link-type priors, and the second pass realigns in a narrow band around the
first path. Search is restricted to a band around the diagonal (then around the first path)
that widens itself whenever the best path touches its edge, so long documents stay fast. Each
link gets a calibrated confidence in [0, 1]. Details and figures: docs/aligner.md.

:func:`gale_church` is the same search with the length term only, as a baseline.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from aligner.lexicon import (
    NAME_PREFIX,
    Lexicon,
    build_lexicon,
    en_content_words,
    en_name_keys,
    zh_content_tokens_many,
    zh_name_keys,
)
from aligner.numbers import NumberMention, find_numbers_en, find_numbers_zh
from aligner.sentences import Sentence

__all__ = [
    "Link",
    "align",
    "gale_church",
    "BASIC_LINK_TYPES",
    "DEFAULT_LINK_TYPES",
    "EXTENDED_LINK_TYPES",
    "Params",
]

LinkType = tuple[int, int]
BASIC_LINK_TYPES: tuple[LinkType, ...] = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (2, 2))
# Literary translators split long Chinese sentences freely; 1-3 and 3-1 links are common in
# novels (and a Chinese list of three ；-clauses often becomes one English sentence).
EXTENDED_LINK_TYPES: tuple[LinkType, ...] = (
    *BASIC_LINK_TYPES, (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1), (1, 5), (2, 4),
)
# The wider links are the default: they score higher on every gold set we measured, literary
# (MAC-Test strict F1 0.872 against 0.753) and official (seed gold 1.000 against 0.977); the
# basic six are for tools that cannot take more (docs/aligner.md).
DEFAULT_LINK_TYPES: tuple[LinkType, ...] = EXTENDED_LINK_TYPES


@dataclass(frozen=True, slots=True)
class Link:
    """Chinese sentence indices ``zh`` aligned with English sentence indices ``en`` (0-based,
    consecutive, either side may be empty); ``score`` is a confidence in [0, 1]."""

    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float


@dataclass(frozen=True)
class Params:
    """Weights of the cost terms (tuned on a development set of novels, see docs/aligner.md)."""

    length_weight: float = 0.5
    lexical_weight: float = 1.5
    null_expectation: float = 1.5  # gamma: how many chance hits a pair must beat
    number_weight: float = 3.0  # a matching number counts as this many word hits
    length_variance: float | None = None  # None: estimated from the document
    prior_strength: float = 20.0  # pseudo-counts keeping re-estimated type priors sane
    learn_min_count: int = 2
    learn_min_dice: float = 0.4
    second_pass: bool = True
    min_band: int = 25
    skip_cost: float = -2.0  # added to -log prior of 1-0/0-1 links (lexical aligner only)
    table_smoothing: float = 2.0  # pseudo-counts of the re-estimated translation table (0: off)
    wide_search: bool = True  # search with EXTENDED_LINK_TYPES, then cut to the allowed ones
    support_weight: float = 0.25  # skipping a sentence also costs this share of its best surplus
    quote_weight: float = 2.0  # a link ending inside speech on one side only (see _quote_states)


# Prior probabilities of link types before anything is known about the document: Gale &
# Church's for the classic types, with 1-2 raised because English translations of Chinese
# split long sentences far more often than European pairs do.
_BASE_PRIORS: dict[LinkType, float] = {
    (1, 1): 0.70, (1, 2): 0.14, (2, 1): 0.06, (2, 2): 0.015, (1, 0): 0.008, (0, 1): 0.008,
    (1, 3): 0.03, (3, 1): 0.01, (2, 3): 0.006, (3, 2): 0.004, (1, 4): 0.008, (4, 1): 0.002,
    (1, 5): 0.002, (2, 4): 0.002,
}
_GC_PRIORS: dict[LinkType, float] = {
    (1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089, (1, 2): 0.089, (2, 2): 0.011,
    (1, 3): 0.005, (3, 1): 0.005, (2, 3): 0.002, (3, 2): 0.002, (1, 4): 0.001, (4, 1): 0.001,
    (1, 5): 0.0005, (2, 4): 0.0005,
}
_INF = np.inf


# == features ====================================================================================
@dataclass
class _Side:
    lengths: np.ndarray  # characters without whitespace
    sizes: np.ndarray  # content units (distinct words, numbers weighted)
    words: list[frozenset[str]]  # zh: translation stems; en: stems present; plus number keys
    # zh only, after the first pass: how much each stem is trusted (missing: 1.0)
    trust: list[dict[str, float]] | None = None
    # speech state at each sentence boundary (k: after the first k sentences): 1 inside a
    # quotation, 0 outside, -1 unknown; None: not used (see _quote_states)
    quotes: np.ndarray | None = None


_NUMBER_PREFIX = "#"


def _number_keys(mentions: Iterable[NumberMention]) -> frozenset[str]:
    """Hashable keys for number values: kind plus three significant digits, which equates
    6.2万 with 62,000 and 620余万 with 6.2 million (and 六是 with "Sixth"). The numbers one
    and two are left out: they are words more than anchors (一个 "a", 两人 "the pair")."""
    keys = set()
    for m in mentions:
        if m.kind == "number" and m.value <= 2:
            continue
        keys.add(f"{_NUMBER_PREFIX}{m.kind[0]}{float(f'{m.value:.3g}'):g}")
    return frozenset(keys)


_MARK_PREFIX = "%"
_MARKS = (("?", "？?"), ("!", "！!"), ("quote", "“”「」『』\"'‘’"), ("colon", "：:"),
          ("ellipsis", "…"))


def _mark_keys(text: str) -> frozenset[str]:
    """Punctuation both languages keep: a question stays a question, an exclamation an
    exclamation, quoted speech quoted. Weak evidence alone, decisive between short lines of
    dialogue that share no dictionary word."""
    keys = {_MARK_PREFIX + name for name, chars in _MARKS if any(c in text for c in chars)}
    if _MARK_PREFIX + "quote" in keys and not any(c in text for c in "“”「」『』\""):
        # an apostrophe is a quote only at a word's edge ('Go!'), not in can't or John's
        if not _SINGLE_QUOTE.search(text):
            keys.discard(_MARK_PREFIX + "quote")
    return frozenset(keys)


_SINGLE_QUOTE = re.compile(r"(?:^|\s)['‘]\w|[\w.,!?]['’](?:\s|$)")


# Quotation pairs a side may use for speech: curly or straight double, curly or straight
# single (British style), corner brackets. Each document's most used pair is its speech mark;
# the others are quotes inside speech or scare quotes, which say nothing about who is talking.
_QUOTE_PAIRS: dict[str, tuple[str, str, str]] = {
    "double": ("“", "”", '"'), "single": ("‘", "’", "'"), "corner": ("「", "」", ""),
}
_TAG_WORDS = 6  # a tail this short after a closing quote is a speech tag ('...,' she said.)
_WORD = re.compile(r"\w+")


def _quote_events(text: str, pair: str) -> list[tuple[int, int]]:
    """Positions of the opening (1), closing (0) and ambiguous (2: a straight quote with
    spaces on both sides, which closes an open quotation and opens one otherwise) marks of
    one quotation pair. A straight or right single mark counts by its surroundings: an
    apostrophe (don't, o'clock) or a plural possessive (the girls' faces) is no quote."""
    opening, closing, straight = _QUOTE_PAIRS[pair]
    out: list[tuple[int, int]] = []
    for k, c in enumerate(text):
        if c == opening:
            out.append((k, 1))
            continue
        if c != closing and not (straight and c == straight):
            continue
        before = text[k - 1] if k else " "
        after = text[k + 1] if k + 1 < len(text) else " "
        if c == straight and (before.isspace() or before in "—–-([") and not after.isspace():
            out.append((k, 1))
        elif before.isspace() and after.isspace():
            if c == straight:
                out.append((k, 2))
        elif pair != "single" or not (after.isalnum() or (
                before.isalpha() and text[k + 1 : k + 3].lstrip()[:1].islower())):
            out.append((k, 0))
    return out


def _quote_states(sentences: Sequence[str]) -> np.ndarray:
    """Whether each sentence boundary falls inside quoted speech: entry k is the state after
    the first k sentences (1 inside, 0 outside, -1 unknown). Translators split and join
    sentences freely but rarely move a boundary across the edge of a speech, so a link whose
    two sides end in different states is suspect. Only the document's speech mark (its most
    used pair) counts; a sentence ending in a speech tag after its closing quote ('No,' said
    Liu.) leaves the state unknown, since English often puts the tag where Chinese opens the
    speech (刘道：“不。); and a document whose marks do not alternate (machine translation
    that loses closing quotes) gets no states at all."""
    counts = {pair: sum(1 for s in sentences for _, o in _quote_events(s, pair) if o == 1)
              for pair in _QUOTE_PAIRS}
    pair = max(counts, key=lambda p: counts[p])
    out = np.zeros(len(sentences) + 1, dtype=np.int8)
    if not counts[pair]:
        return out
    state = 0
    events = stray = 0
    for k, text in enumerate(sentences):
        value = state
        found = _quote_events(text, pair)
        for _, kind in found:
            opened = 1 - state if kind == 2 else kind
            events += 1
            stray += opened == state
            state = opened
        if found:
            value = state
            pos = found[-1][0]
            if not state and 0 < len(_WORD.findall(text[pos + 1 :])) <= _TAG_WORDS:
                value = -1
        out[k + 1] = value
    if stray > _STRAY_SHARE * events:
        out[1:] = -1
    return out


_STRAY_SHARE = 0.15  # marks that open an open quotation or close a closed one


def _char_length(text: str) -> int:
    return len("".join(text.split()))


@dataclass
class _ZhText:
    """What the Chinese side needs, computed once: content tokens and number keys."""

    tokens: list[list[str]]
    numbers: list[frozenset[str]]
    names: list[set[str]]  # pinyin windows that spell a name of the English side
    lengths: np.ndarray
    quotes: np.ndarray


def _zh_text(sentences: Sequence[str], lexicon: Lexicon, en_names: set[str]) -> _ZhText:
    tokens = zh_content_tokens_many(sentences, lexicon.user_words)
    numbers = [_number_keys(find_numbers_zh(s)) for s in sentences]
    names = [zh_name_keys(s, en_names) | _mark_keys(s) for s in sentences]
    lengths = np.array([_char_length(s) for s in sentences], dtype=float)
    return _ZhText(tokens, numbers, names, lengths, _quote_states(sentences))


def _zh_side(text: _ZhText, lexicon: Lexicon, number_weight: float,
             learned: dict[str, frozenset[str]] | None = None,
             table: dict[tuple[str, str], float] | None = None) -> _Side:
    """Per Chinese sentence, the English stems its words may translate to; with a translation
    table from a first pass, also how far each stem is trusted (the best of its words)."""
    words: list[frozenset[str]] = []
    trust: list[dict[str, float]] = []
    # per token: its stems, those it fully vouches for, and the partly trusted ones
    cache: dict[str, tuple[frozenset[str], frozenset[str], dict[str, float]]] = {}
    for toks, nums, names in zip(text.tokens, text.numbers, text.names, strict=True):
        acc: set[str] = set(nums) | names
        full: set[str] = set()
        partial: dict[str, float] = {}
        for t in toks:
            entry = cache.get(t)
            if entry is None:
                found = lexicon.translations(t)
                if learned and t in learned:
                    found = found | learned[t]
                part: dict[str, float] = {}
                if table is not None:
                    for e in found:
                        w = table.get((t, e), 1.0)
                        if w < 1.0:
                            part[e] = w
                entry = cache[t] = (found, found - part.keys(), part)
            acc |= entry[0]
            full |= entry[1]
            for e, w in entry[2].items():
                if w > partial.get(e, 0.0):
                    partial[e] = w
        words.append(frozenset(acc))
        trust.append({e: w for e, w in partial.items() if e not in full and e not in nums
                      and e not in names})
    sizes = np.array([len(set(t)) + number_weight * len(n)
                      for t, n in zip(text.tokens, text.numbers, strict=True)], dtype=float)
    return _Side(text.lengths, sizes, words, trust if table is not None else None, text.quotes)


def _translation_table(steps: list[tuple[LinkType, int, int]], text: _ZhText, lexicon: Lexicon,
                       learned: dict[str, frozenset[str]], en: _Side,
                       smoothing: float) -> dict[tuple[str, str], float]:
    """IBM-1-lite re-estimation from the first alignment: how often a Chinese word's candidate
    translation actually appears in the English its link aligns it with, smoothed towards 1
    (unseen evidence leaves a dictionary sense alone). A sense that never shows up in the
    document (打 "type", 打 "dozen") fades; one that keeps showing up stays at full weight."""
    seen: Counter[str] = Counter()
    met: Counter[tuple[str, str]] = Counter()
    for t, i, j in steps:
        if not t[0] or not t[1]:
            continue
        zh_tokens = {tok for r in range(i - t[0], i) for tok in text.tokens[r]}
        english = frozenset().union(*(en.words[c] for c in range(j - t[1], j)))
        for tok in zh_tokens:
            seen[tok] += 1
            candidates = lexicon.translations(tok) | learned.get(tok, frozenset())
            for e in candidates & english:
                met[(tok, e)] += 1
    table: dict[tuple[str, str], float] = {}
    for tok, count in seen.items():
        candidates = lexicon.translations(tok) | learned.get(tok, frozenset())
        for e in candidates:
            table[(tok, e)] = (met[(tok, e)] + smoothing) / (count + smoothing)
    return table


def _en_side(sentences: Sequence[str]) -> _Side:
    words = [frozenset(en_content_words(s)) | _number_keys(find_numbers_en(s))
             | en_name_keys(s) | _mark_keys(s) for s in sentences]
    lengths = np.array([_char_length(s) for s in sentences], dtype=float)
    return _Side(lengths, np.array([float(len(w)) for w in words]), words, None,
                 _quote_states(sentences))


# == band =======================================================================================
@dataclass
class _Band:
    lo: np.ndarray  # per row i in 0..n: first allowed column j
    hi: np.ndarray  # last allowed column (inclusive)


def _diagonal_band(n: int, m: int, width: int) -> _Band:
    rows = np.arange(n + 1)
    center = rows * (m / n) if n else np.zeros(1)
    lo = np.clip(np.floor(center - width), 0, m).astype(int)
    hi = np.clip(np.ceil(center + width), 0, m).astype(int)
    return _fix_band(lo, hi, m)


def _path_band(n: int, m: int, path: list[tuple[int, int]], width: int) -> _Band:
    """Cells within ``width`` rows or columns of a previous path."""
    lo = np.full(n + 1, m, dtype=int)
    hi = np.zeros(n + 1, dtype=int)
    for i, j in path:
        lo[i] = min(lo[i], j)
        hi[i] = max(hi[i], j)
    for i in range(1, n + 1):  # rows a 2-1 link jumps over take the previous row's columns
        if lo[i] > hi[i]:
            lo[i], hi[i] = lo[i - 1], hi[i - 1]
    pad_lo = np.r_[lo, np.full(width, lo[-1])]
    pad_hi = np.r_[np.full(width, hi[0]), hi]
    lo = np.min(np.lib.stride_tricks.sliding_window_view(pad_lo, width + 1), axis=1)
    hi = np.max(np.lib.stride_tricks.sliding_window_view(pad_hi, width + 1), axis=1)
    return _fix_band(np.clip(lo - width, 0, m), np.clip(hi + width, 0, m), m)


def _fix_band(lo: np.ndarray, hi: np.ndarray, m: int) -> _Band:
    """Monotone bounds containing (0, 0) and (n, m), so every cell band is reachable."""
    lo = np.minimum.accumulate(lo[::-1])[::-1].copy()
    hi = np.maximum.accumulate(hi).copy()
    lo[0] = 0
    hi[-1] = m
    # consecutive rows must overlap, or no link can cross from one to the next: with far more
    # English than Chinese sentences a diagonal band jumps further per row than it is wide
    lo[1:] = np.minimum(lo[1:], hi[:-1])
    lo = np.minimum(lo, hi)
    return _Band(lo.astype(int), hi.astype(int))


# == lexical hits ===============================================================================
@dataclass
class _Hits:
    prefix: np.ndarray  # row r: prefix sums over columns starts[r].. of pair hits (padded)
    shared: np.ndarray  # row r: same for hits that rows r and r+1 both explain
    starts: np.ndarray  # column of each row's first pair
    x: np.ndarray  # chance model: expected hits of pair (i, j) = x[i] * y[j]
    y: np.ndarray
    zh_support: np.ndarray  # best surplus (hits - gamma x chance) of each row over its band
    en_support: np.ndarray  # same for each column


_CHANCE = 0.004
_PSEUDO = 150.0


def _cumsum0(values: np.ndarray) -> np.ndarray:
    """Prefix sums with a leading zero."""
    out = np.empty(len(values) + 1)
    out[0] = 0.0
    np.cumsum(values, out=out[1:])
    return out


def _hit_matrix(zh: _Side, en: _Side, band: _Band, max_a: int, max_b: int,
                number_weight: float, gamma: float) -> _Hits:
    """Pair hits h[i][j] for every pair a link in the band can contain: the IDF-weighted
    English words of sentence j that translate a word of Chinese sentence i, plus matching
    numbers. Stored as per-row prefix sums over j, so any block sums in O(1).

    English word weights: 1 for a word in one sentence, falling towards 0 for a word in every
    sentence (a novel's hero, "said"), which links nothing to anything in particular.

    Chance model: unrelated neighbours still share topical words, more so in a chapter about
    two characters than in a list of statistics, so the hits a pair must beat are estimated
    locally: row i's hit rate per English unit over its band times sentence j's size, and
    column j's rate per Chinese unit times sentence i's size, combined as a geometric mean,
    which factorises (x[i] * y[j]) so blocks still sum in O(1)."""
    n, m = len(zh.words), len(en.words)
    vocab: dict[str, int] = {}
    df: list[int] = []
    flat: list[int] = []
    offsets = [0]
    for words in en.words:
        for w in words:
            k = vocab.get(w)
            if k is None:
                k = vocab[w] = len(df)
                df.append(0)
            df[k] += 1
            flat.append(k)
        offsets.append(len(flat))
    top = math.log(m + 1.0)
    weight = np.log((m + 1.0) / np.maximum(np.array(df, dtype=float), 1.0)) / top
    for w, k in vocab.items():
        if w.startswith(_NUMBER_PREFIX):  # a rare number is the best anchor there is
            weight[k] *= number_weight
    ids = np.array(flat, dtype=np.int64)
    off = np.array(offsets, dtype=np.int64)
    flat_weight = weight[ids] if len(ids) else np.zeros(0)
    en_mass = np.r_[0.0, np.cumsum(flat_weight)][off]  # prefix over sentences
    mask = np.zeros(len(df) + 1)
    starts = np.zeros(n, dtype=np.int64)
    rows: list[np.ndarray] = []
    shared_rows: dict[int, np.ndarray] = {}
    next_words = [frozenset(vocab[w] for w in ws if w in vocab) for ws in zh.words]
    vocab_words = list(vocab)
    row_hits = np.zeros(n)
    row_units = np.zeros(n)
    col_hits = np.zeros(m)
    col_units = np.zeros(m)
    for i in range(n):
        r1 = min(n, i + max_a)  # a link holding row i ends at a row in i+1..i+max_a
        j0 = max(0, int(band.lo[i + 1]) - max_b)
        j1 = max(j0, min(m, int(band.hi[r1])))
        starts[i] = j0
        known = [w for w in zh.words[i] if w in vocab]
        mine = [vocab[w] for w in known]
        if not mine or j1 == j0:
            rows.append(np.zeros(j1 - j0 + 1))
            row_units[i] = en_mass[j1] - en_mass[j0]
            col_units[j0:j1] += zh.sizes[i]
            continue
        trust = zh.trust[i] if zh.trust is not None else None
        values = [trust.get(w, 1.0) for w in known] if trust else 1.0
        mask[mine] = values
        seg = slice(off[j0], off[j1])
        hit = mask[ids[seg]] * flat_weight[seg]
        mask[mine] = 0.0
        cs = _cumsum0(hit)
        prefix = cs[off[j0 : j1 + 1] - off[j0]]
        rows.append(prefix)
        if max_a > 1 and i + 1 < n:
            # English words the next Chinese sentence explains too: a block holding both
            # sentences must count them once, or merging would pay for repeated topic words
            both = [k for k in mine if k in next_words[i + 1]]
            if both:
                mask[both] = 1.0
                if zh.trust is not None:  # the block counts the better-trusted one
                    mine_t, next_t = zh.trust[i], zh.trust[i + 1]
                    mask[both] = [min(mine_t.get(vocab_words[k], 1.0),
                                      next_t.get(vocab_words[k], 1.0)) for k in both]
                shared_hit = mask[ids[seg]] * flat_weight[seg]
                mask[both] = 0.0
                cs = _cumsum0(shared_hit)
                shared_rows[i] = cs[off[j0 : j1 + 1] - off[j0]]
        row_hits[i] = prefix[-1]
        row_units[i] = en_mass[j1] - en_mass[j0]
        col_hits[j0:j1] += np.diff(prefix)
        col_units[j0:j1] += zh.sizes[i]
    width = max(len(r) for r in rows) if rows else 1
    table = np.empty((n, width))
    for i, r in enumerate(rows):
        table[i, : len(r)] = r
        table[i, len(r) :] = r[-1]
    shared = np.zeros((n, width))
    for i, r in shared_rows.items():
        shared[i, : len(r)] = r
        shared[i, len(r) :] = r[-1]
    # Rates are shrunk towards a document-independent chance rate (hits per Chinese unit x
    # English unit between unrelated sentences, measured on novels) with the weight of
    # _PSEUDO units, so short documents, where every pair is a real match, keep a sane null.
    en_sizes = np.diff(en_mass)
    row_rate = (row_hits + _CHANCE * zh.sizes * _PSEUDO) / (row_units + _PSEUDO)
    col_rate = (col_hits + _CHANCE * en_sizes * _PSEUDO) / (col_units + _PSEUDO)
    x = np.sqrt(row_rate * zh.sizes)
    y = np.sqrt(col_rate * en_sizes)
    # support: how strongly each sentence is explained by its best partner in the band
    zh_support = np.zeros(n)
    en_support = np.zeros(m)
    for i, prefix in enumerate(rows):
        if len(prefix) < 2:
            continue
        j0 = int(starts[i])
        surplus = np.diff(prefix) - gamma * x[i] * y[j0 : j0 + len(prefix) - 1]
        zh_support[i] = max(0.0, float(surplus.max()))
        np.maximum.at(en_support, np.arange(j0, j0 + len(surplus)), surplus)
    return _Hits(table, shared, starts, x, y, zh_support, en_support)


# == length cost ================================================================================
def _neg_log_erfc(x: np.ndarray) -> np.ndarray:
    """-log(erfc(x)) for x >= 0, in log space (Numerical Recipes' erfcc, error < 1.2e-7)."""
    t = 1.0 / (1.0 + 0.5 * x)
    poly = (-1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277)))))))))
    return x * x - np.log(t) - poly


def _length_cost(lz: np.ndarray | float, le: np.ndarray | float, ratio: float,
                 variance: float) -> np.ndarray:
    """Gale & Church: -log P(|delta|), delta being the English length's deviation from
    ratio x Chinese length in units of its standard deviation."""
    expected = np.multiply(ratio, lz)
    scale = np.sqrt(variance * np.maximum((expected + le) / 2.0, 1.0))
    delta = np.abs(le - expected) / scale
    return _neg_log_erfc(delta / math.sqrt(2.0))


# == dynamic programming ========================================================================
@dataclass
class _Model:
    ratio: float
    variance: float
    priors: dict[LinkType, float]
    length_weight: float
    lexical_weight: float
    null_rate: float  # gamma: multiple of the chance hits a pair must beat
    skip_cost: float = 0.0  # added to -log prior of 1-0 and 0-1 links
    support_weight: float = 1.0  # share of a skipped sentence's best surplus added to its cost
    quote_weight: float = 0.0  # cost of a link end where one side is inside speech, not the other


_CHUNK = 256  # rows whose link costs are computed together (bounds memory on long documents)


def _paired_costs(t: LinkType, rows: np.ndarray, band: _Band, width: int, zl: np.ndarray,
                  el: np.ndarray, model: _Model, hits: _Hits | None, xs: np.ndarray,
                  ys: np.ndarray) -> np.ndarray:
    """Cost of a link of type t ending at each band cell of ``rows`` (inf where impossible)."""
    a, b = t
    lo, hi = band.lo[rows], band.hi[rows]
    cols = lo[:, None] + np.arange(width)[None, :]
    valid = (cols <= hi[:, None]) & (cols - b >= 0) & (rows[:, None] >= a)
    jc = np.clip(cols, b, len(el) - 1)
    start = np.maximum(rows - a, 0)
    lz = (zl[rows] - zl[start])[:, None]
    le = el[jc] - el[jc - b]
    cost = -math.log(max(model.priors.get(t, 1e-6), 1e-9)) + model.length_weight * _length_cost(
        lz, le, model.ratio, model.variance)
    if hits is not None and model.lexical_weight:
        top = hits.prefix.shape[1] - 1
        h = np.zeros(cols.shape)
        for d in range(1, a + 1):
            r = np.maximum(rows - d, 0)
            upper = np.clip(jc - hits.starts[r][:, None], 0, top)
            lower = np.clip(upper - b, 0, top)
            got = hits.prefix[r[:, None], upper] - hits.prefix[r[:, None], lower]
            if d > 1:  # rows r and r+1 are both in the block: count shared words once
                got = got - (hits.shared[r[:, None], upper] - hits.shared[r[:, None], lower])
            h += np.where(rows[:, None] - d >= 0, got, 0.0)
        expected = (xs[rows] - xs[start])[:, None] * (ys[jc] - ys[jc - b])
        cost = cost - model.lexical_weight * (h - model.null_rate * expected)
    return np.where(valid, cost, _INF)


def _dp(zh: _Side, en: _Side, band: _Band, types: Sequence[LinkType], model: _Model,
        hits: _Hits | None) -> tuple[list[tuple[LinkType, int, int]], bool]:
    """Best path as (type, i_end, j_end) steps; and whether it touched the band's inner edge."""
    n, m = len(zh.lengths), len(en.lengths)
    lo, hi = band.lo, band.hi
    width = int(np.max(hi - lo)) + 1
    zl = np.r_[0.0, np.cumsum(zh.lengths)]
    el = np.r_[0.0, np.cumsum(en.lengths)]
    xs = np.r_[0.0, np.cumsum(hits.x)] if hits is not None else zl
    ys = np.r_[0.0, np.cumsum(hits.y)] if hits is not None else el
    paired = [t for t in types if t[0] and t[1]]
    index = {t: k for k, t in enumerate(types)}
    delete = (1, 0) in types
    insert = (0, 1) in types
    if hits is None:  # Gale & Church price a deletion by its length like any link
        c10 = -math.log(model.priors.get((1, 0), 1e-6)) + model.length_weight * _length_cost(
            zh.lengths, 0.0, model.ratio, model.variance)
        c01 = -math.log(model.priors.get((0, 1), 1e-6)) + model.length_weight * _length_cost(
            0.0, en.lengths, model.ratio, model.variance)
    else:
        # With lexical evidence, skipping a sentence costs its prior plus what it would lose:
        # its best surplus over chance with any partner nearby. A sentence that nothing
        # explains is skipped cheaply; a well-supported one is not.
        c10 = (-math.log(model.priors.get((1, 0), 1e-6)) + model.skip_cost
               + model.lexical_weight * model.support_weight * hits.zh_support)
        c01 = (-math.log(model.priors.get((0, 1), 1e-6)) + model.skip_cost
               + model.lexical_weight * model.support_weight * hits.en_support)
    c01 = np.r_[_INF, c01, np.full(width + 1, _INF)]  # c01[j]: insert English sentence j-1
    table = np.full((n + 1, width), _INF)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    # candidates[k]: cost of reaching each cell of the current row by a link of type k
    moves = [t for t in paired] + ([(1, 0)] if delete else [])
    move_index = np.array([index[t] for t in moves] + [-1], dtype=np.int8)
    candidates = np.empty((len(moves) + 1, width))
    costs: dict[LinkType, np.ndarray] = {}
    zero_cost = np.zeros(width)
    # every link end (i, j) where one side is inside speech and the other is not pays extra
    quotes = bool(model.quote_weight) and zh.quotes is not None and en.quotes is not None
    en_quotes = np.r_[en.quotes, np.full(width + 1, -1)] if quotes else None
    for i in range(n + 1):
        if i % _CHUNK == 0:
            rows = np.arange(i, min(n + 1, i + _CHUNK))
            costs = {t: _paired_costs(t, rows, band, width, zl, el, model, hits, xs, ys)
                     for t in paired}
        candidates.fill(_INF)
        if i == 0:
            candidates[-1, 0] = 0.0
        for k, t in enumerate(moves):
            a, b = t
            if i < a:
                continue
            # candidates[k][q] = table[i - a][q + shift] + cost[q]
            shift = int(lo[i] - lo[i - a]) - b
            q0 = max(0, -shift)
            q1 = min(width, width - shift)
            if q1 <= q0:
                continue
            cost = costs[t][i % _CHUNK] if b else zero_cost + c10[i - 1]
            np.add(table[i - a, q0 + shift : q1 + shift], cost[q0:q1],
                   out=candidates[k, q0:q1])
        pick = candidates.argmin(axis=0)
        best = candidates[pick, np.arange(width)]
        arg = move_index[pick]
        boundary = None
        if en_quotes is not None and zh.quotes[i] >= 0:
            ends = en_quotes[lo[i] : lo[i] + width]
            boundary = np.where((ends >= 0) & (ends != zh.quotes[i]), model.quote_weight, 0.0)
            best = best + boundary
        if insert and width > 1:
            step = c01[lo[i] + 1 : lo[i] + width].copy()
            if boundary is not None:
                step += boundary[1:]
            step[int(hi[i] - lo[i]) :] = _INF
            cum = np.empty(width)
            cum[0] = 0.0
            np.cumsum(step, out=cum[1:])
            with np.errstate(invalid="ignore"):
                run = np.minimum.accumulate(best - cum) + cum
            chain = run < best - 1e-12
            best = np.where(chain, run, best)
            arg = np.where(chain, index[(0, 1)], arg)
        table[i] = best
        back[i] = arg
    steps: list[tuple[LinkType, int, int]] = []
    i, j = n, m
    if not np.isfinite(table[n, m - lo[n]]):
        raise RuntimeError("no alignment path inside the band")
    touched = False
    while i > 0 or j > 0:
        k = int(back[i, j - lo[i]])
        if k < 0:
            raise RuntimeError("no alignment path inside the band")
        t = types[k]
        if (j - lo[i] <= 1 and lo[i] > 0) or (hi[i] - j <= 1 and hi[i] < m):
            touched = True
        steps.append((t, i, j))
        i -= t[0]
        j -= t[1]
    steps.reverse()
    return steps, touched


# == the aligner ================================================================================
def _initial_variance(ratio: float) -> float:
    """Variance per character of English length around ratio x Chinese length before any
    alignment is known: a value typical of Chinese-English prose (about 9 at the usual 3
    English characters per Chinese character), scaled with the ratio."""
    return 3.0 * max(ratio, 0.5)


def _estimate(steps: list[tuple[LinkType, int, int]], zh: _Side, en: _Side,
              types: Sequence[LinkType], fallback: _Model, strength: float
              ) -> tuple[float, float, dict[LinkType, float]]:
    """Length ratio, variance and link-type priors re-estimated from a first alignment."""
    lz: list[float] = []
    le: list[float] = []
    counts: Counter[LinkType] = Counter()
    one: list[bool] = []
    for t, i, j in steps:
        counts[t] += 1
        if t[0] and t[1]:
            lz.append(float(zh.lengths[i - t[0] : i].sum()))
            le.append(float(en.lengths[j - t[1] : j].sum()))
            one.append(t == (1, 1))
    ratio, variance = fallback.ratio, fallback.variance
    if sum(one) >= 10:
        x = np.array(lz)
        y = np.array(le)
        single = np.array(one)
        # the ratio from 1-1 links, the links a first pass gets right most often
        ratio = float(y[single].sum() / max(x[single].sum(), 1.0))
        # the spread from every paired link: the 1-1 links a first pass finds are the ones
        # whose lengths agree best, so they alone understate it (and are few in a freely
        # translated chapter). A robust scale: the median of squared z-like residuals,
        # rescaled for a normal law.
        resid = (y - ratio * x) ** 2 / np.maximum((ratio * x + y) / 2.0, 1.0)
        variance = float(np.clip(np.median(resid) / 0.455, 1.0, 60.0))
    total = sum(counts.values())
    priors = {
        t: (counts[t] + strength * fallback.priors.get(t, 1e-4)) / (total + strength)
        for t in types
    }
    for t in ((1, 0), (0, 1)):  # a first pass that found no deletion proves little
        if t in priors:
            priors[t] = fallback.priors[t]
    return ratio, variance, priors


def _learn(steps: list[tuple[LinkType, int, int]], tokens: list[list[str]], zh: _Side,
           en: _Side, min_count: int, min_dice: float) -> dict[str, frozenset[str]]:
    """Document-specific word pairs from 1-1 links: Dice association between Chinese tokens and
    English stems that the dictionary left unexplained in those links."""
    pair_count: Counter[tuple[str, str]] = Counter()
    zh_count: Counter[str] = Counter()
    en_count: Counter[str] = Counter()
    for t, i, j in steps:
        if t != (1, 1):
            continue
        explained = zh.words[i - 1] & en.words[j - 1]
        en_left = {w for w in en.words[j - 1]
                   if w not in explained
                   and not w.startswith((_NUMBER_PREFIX, NAME_PREFIX, _MARK_PREFIX))}
        zh_toks = set(tokens[i - 1])
        zh_count.update(zh_toks)
        en_count.update(en.words[j - 1])
        if not en_left:
            continue
        for z in zh_toks:
            for e in en_left:
                pair_count[(z, e)] += 1
    learned: dict[str, set[str]] = {}
    for (z, e), c in pair_count.items():
        if c < min_count:
            continue
        dice = 2.0 * c / (zh_count[z] + en_count[e])
        if dice >= min_dice:
            learned.setdefault(z, set()).add(e)
    return {z: frozenset(es) for z, es in learned.items()}


def _search(zh: _Side, en: _Side, types: Sequence[LinkType], model: _Model,
            band: _Band, lexical: bool, number_weight: float, widen: bool = True
            ) -> tuple[list[tuple[LinkType, int, int]], _Hits | None]:
    m = len(en.lengths)
    max_a = max(t[0] for t in types)
    max_b = max(t[1] for t in types)
    while True:
        hits = (_hit_matrix(zh, en, band, max_a, max_b, number_weight, model.null_rate)
                if lexical else None)
        steps, touched = _dp(zh, en, band, types, model, hits)
        width = int(np.max(band.hi - band.lo))
        if not (widen and touched) or width >= m:
            return steps, hits
        band = _Band(*_widen(band, m))


def _widen(band: _Band, m: int) -> tuple[np.ndarray, np.ndarray]:
    width = np.maximum(band.hi - band.lo, 4)
    fixed = _fix_band(np.clip(band.lo - width // 2, 0, m), np.clip(band.hi + width // 2, 0, m),
                      m)
    return fixed.lo, fixed.hi


def _links(steps: list[tuple[LinkType, int, int]], confidences: list[float]) -> list[Link]:
    out: list[Link] = []
    for (t, i, j), conf in zip(steps, confidences, strict=True):
        out.append(Link(tuple(range(i - t[0], i)), tuple(range(j - t[1], j)),
                        round(float(conf), 4)))
    return out


def _block_hits(hits: _Hits, i: int, j: int, a: int, b: int) -> tuple[float, float]:
    """Observed and chance hits of the block zh[i-a:i] x en[j-b:j]."""
    h = 0.0
    top = hits.prefix.shape[1] - 1
    for r in range(i - a, i):
        upper = min(max(j - int(hits.starts[r]), 0), top)
        lower = min(max(upper - b, 0), top)
        h += float(hits.prefix[r, upper] - hits.prefix[r, lower])
        if r + 1 < i:
            h -= float(hits.shared[r, upper] - hits.shared[r, lower])
    return h, float(hits.x[i - a : i].sum() * hits.y[j - b : j].sum())


def _link_features(t: LinkType, i: int, j: int, zh: _Side, en: _Side, model: _Model,
                   hits: _Hits) -> list[float]:
    """What the confidence of a paired link is computed from: lexical surplus over chance
    (signed log), the share of hits that chance explains, the length deviation (|delta|) and
    whether the link is 1-1."""
    a, b = t
    lz = float(zh.lengths[i - a : i].sum())
    le = float(en.lengths[j - b : j].sum())
    expected = model.ratio * lz
    delta = abs(le - expected) / math.sqrt(model.variance * max((expected + le) / 2.0, 1.0))
    h, chance = _block_hits(hits, i, j, a, b)
    surplus = h - model.null_rate * chance
    return [math.copysign(math.log1p(abs(surplus)), surplus),
            model.null_rate * chance / (h + model.null_rate * chance + 0.5),
            min(delta, 6.0), 1.0 if t == (1, 1) else 0.0]


# Logistic weights (bias first) fitted on predicted links of the MAC development novels and
# the seed gold: P(link is exactly right | features). See docs/aligner.md.
_CONFIDENCE_WEIGHTS = (1.159, 1.075, -2.415, -0.807, 1.195)


def _confidences(steps: list[tuple[LinkType, int, int]], zh: _Side, en: _Side, model: _Model,
                 hits: _Hits | None) -> list[float]:
    """Per link, an estimate of the probability that it is exactly right. Lexical aligner: a
    logistic model of :func:`_link_features`; skipped sentences: likelier the less any
    sentence nearby explains them. Length-only baseline: the Gale & Church probability of the
    length discrepancy."""
    out: list[float] = []
    bias, *weights = _CONFIDENCE_WEIGHTS
    for t, i, j in steps:
        a, b = t
        if not a or not b:
            if hits is None:
                out.append(0.5)
                continue
            support = float(hits.zh_support[i - 1] if a else hits.en_support[j - 1])
            out.append(0.8 * math.exp(-support / 2.0))
            continue
        if hits is None:
            lz = float(zh.lengths[i - a : i].sum())
            le = float(en.lengths[j - b : j].sum())
            out.append(math.exp(-float(_length_cost(lz, le, model.ratio, model.variance))))
            continue
        z = bias + sum(w * f for w, f in zip(weights, _link_features(t, i, j, zh, en, model,
                                                                      hits), strict=True))
        out.append(1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0))))
    return out


def _boundary_cost(i: int, j: int, zh: _Side, en: _Side, model: _Model) -> float:
    """What the DP adds at every link end (i, j): the speech-state disagreement."""
    if not model.quote_weight or zh.quotes is None or en.quotes is None:
        return 0.0
    a, b = int(zh.quotes[i]), int(en.quotes[j])
    return model.quote_weight if a >= 0 and b >= 0 and a != b else 0.0


def _link_cost(t: LinkType, i: int, j: int, zh: _Side, en: _Side, model: _Model,
               hits: _Hits) -> float:
    """The DP's cost of one link ending at (i, j), as a scalar."""
    a, b = t
    prior = -math.log(max(model.priors.get(t, _BASE_PRIORS.get(t, 1e-3)), 1e-9))
    prior += _boundary_cost(i, j, zh, en, model)
    if not b:
        return prior + model.skip_cost + model.lexical_weight * model.support_weight * float(
            hits.zh_support[i - 1])
    if not a:
        return prior + model.skip_cost + model.lexical_weight * model.support_weight * float(
            hits.en_support[j - 1])
    lz = float(zh.lengths[i - a : i].sum())
    le = float(en.lengths[j - b : j].sum())
    h, chance = _block_hits(hits, i, j, a, b)
    return (prior + model.length_weight * float(_length_cost(lz, le, model.ratio,
                                                             model.variance))
            - model.lexical_weight * (h - model.null_rate * chance))


@cache
def _splits(a: int, b: int, allowed: tuple[LinkType, ...]) -> tuple[tuple[LinkType, ...], ...]:
    """Every way to cut an a x b block into consecutive links of the allowed types."""
    if a == 0 and b == 0:
        return ((),)
    out: list[tuple[LinkType, ...]] = []
    for t in allowed:
        if t[0] <= a and t[1] <= b:
            out.extend((t, *rest) for rest in _splits(a - t[0], b - t[1], allowed))
    return tuple(out)


def _restrict(steps: list[tuple[LinkType, int, int]], allowed: tuple[LinkType, ...],
              zh: _Side, en: _Side, model: _Model,
              hits: _Hits) -> list[tuple[LinkType, int, int]]:
    """Links found with the wider search but not of an allowed type, re-cut into allowed
    links at the least cost. Searching with 1-3 links and cutting them afterwards keeps the
    neighbours right: a 1-3 forced into 1-2s steals a sentence from the next link."""
    out: list[tuple[LinkType, int, int]] = []
    for t, i, j in steps:
        if t in allowed:
            out.append((t, i, j))
            continue
        best: list[tuple[LinkType, int, int]] = []
        best_cost = _INF
        for split in _splits(t[0], t[1], allowed):
            pieces: list[tuple[LinkType, int, int]] = []
            r, c = i - t[0], j - t[1]
            cost = 0.0
            for piece in split:
                r, c = r + piece[0], c + piece[1]
                pieces.append((piece, r, c))
                cost += _link_cost(piece, r, c, zh, en, model, hits)
            if cost < best_cost:
                best, best_cost = pieces, cost
        out.extend(best)
    return out


def _texts(sentences: Sequence[str] | Sequence[Sentence]) -> list[str]:
    """Sentence strings; ``Sentence`` spans from aligner.sentences are accepted too."""
    return [s if isinstance(s, str) else s.text for s in sentences]


def _empty_cases(n: int, m: int) -> list[Link] | None:
    if n and m:
        return None
    return [Link((i,), (), 0.5) for i in range(n)] + [Link((), (j,), 0.5) for j in range(m)]


def _check_types(link_types: Collection[LinkType]) -> tuple[LinkType, ...]:
    types = tuple(dict.fromkeys((int(a), int(b)) for a, b in link_types))
    if (1, 0) not in types or (0, 1) not in types or (1, 1) not in types:
        raise ValueError("link types must include (1, 1), (1, 0) and (0, 1)")
    if any(a < 0 or b < 0 or (a == 0 and b > 1) or (b == 0 and a > 1) for a, b in types):
        raise ValueError(f"unsupported link types: {types}")
    return types


ALIGN_STEPS = 4  # calls of ``align``'s ``on_step``


def align(zh_sentences: Sequence[str] | Sequence[Sentence],
          en_sentences: Sequence[str] | Sequence[Sentence],
          lexicon_pairs: Iterable[tuple[str, str]] = (), band: int | None = None, *,
          link_types: Collection[LinkType] = DEFAULT_LINK_TYPES,
          params: Params | None = None,
          on_step: Callable[[], object] | None = None) -> list[Link]:
    """Align Chinese sentences with English sentences (see the module docstring).

    ``lexicon_pairs`` are (zh term, English rendering) pairs from the project glossary;
    ``band`` is the initial half-width of the search band (default: grows with the document,
    and widens itself when the path reaches its edge). Returns links in order, covering every
    sentence exactly once. ``on_step`` is called ``ALIGN_STEPS`` times as the work goes on
    (sides built, first search, second search, links), for a progress bar on long documents."""
    done = 0

    def step(upto: int) -> None:  # report the steps up to ``upto`` not reported yet
        nonlocal done
        while done < upto:
            done += 1
            if on_step is not None:
                on_step()

    params = params or Params()
    types = _check_types(link_types)
    zh_sentences, en_sentences = _texts(zh_sentences), _texts(en_sentences)
    n, m = len(zh_sentences), len(en_sentences)
    empty = _empty_cases(n, m)
    if empty is not None:
        step(ALIGN_STEPS)
        return empty
    lexicon = _lexicon_of(tuple(lexicon_pairs))
    en = _en_side(en_sentences)
    en_names = {w for ws in en.words for w in ws if w.startswith(NAME_PREFIX)}
    text = _zh_text(zh_sentences, lexicon, en_names)
    zh = _zh_side(text, lexicon, params.number_weight)
    step(1)
    ratio = float(en.lengths.sum() / max(zh.lengths.sum(), 1.0))
    variance = params.length_variance or _initial_variance(ratio)
    # the search may use more link types than the output allows (see _restrict)
    search = tuple(dict.fromkeys((*types, *EXTENDED_LINK_TYPES))) if params.wide_search \
        else types
    search = tuple(t for t in search if t[0] <= n and t[1] <= m)
    priors = {t: _BASE_PRIORS.get(t, 1e-3) for t in search}
    model = _Model(ratio, variance, priors, params.length_weight, params.lexical_weight,
                   params.null_expectation, params.skip_cost, params.support_weight,
                   params.quote_weight)
    width = band if band is not None else max(params.min_band, int(2 * math.sqrt(max(n, m))))
    steps, hits = _search(zh, en, search, model, _diagonal_band(n, m, width), True,
                          params.number_weight)
    step(2)
    if params.second_pass and min(n, m) >= 3:
        learned = _learn(steps, text.tokens, zh, en, params.learn_min_count,
                         params.learn_min_dice)
        table = (_translation_table(steps, text, lexicon, learned, en, params.table_smoothing)
                 if params.table_smoothing > 0 else None)
        if learned or table:
            zh = _zh_side(text, lexicon, params.number_weight, learned, table)
        fallback = _Model(ratio, variance, priors, 0, 0, 0)
        r2, v2, p2 = _estimate(steps, zh, en, search, fallback, params.prior_strength)
        if params.length_variance:
            v2 = params.length_variance
        model = _Model(r2, v2, p2, params.length_weight, params.lexical_weight,
                       params.null_expectation, params.skip_cost, params.support_weight,
                   params.quote_weight)
        path = [(i, j) for _, i, j in steps] + [(0, 0)]
        steps, hits = _search(zh, en, search, model, _path_band(n, m, path, 8), True,
                              params.number_weight)
    step(3)
    if hits is not None and any(t not in types for t, _, _ in steps):
        steps = _restrict(steps, types, zh, en, model, hits)
    links = _links(steps, _confidences(steps, zh, en, model, hits))
    step(ALIGN_STEPS)
    return links


def gale_church(zh: Sequence[str] | Sequence[Sentence], en: Sequence[str] | Sequence[Sentence],
                band: int | None = None, *,
                link_types: Collection[LinkType] = DEFAULT_LINK_TYPES) -> list[Link]:
    """The length-only baseline: Gale & Church's model on characters with their priors and
    the document's own character ratio, same search and output as :func:`align`."""
    types = _check_types(link_types)
    zh, en = _texts(zh), _texts(en)
    n, m = len(zh), len(en)
    empty = _empty_cases(n, m)
    if empty is not None:
        return empty
    zs = _Side(np.array([_char_length(s) for s in zh], dtype=float), np.zeros(n),
               [frozenset()] * n)
    es = _Side(np.array([_char_length(s) for s in en], dtype=float), np.zeros(m),
               [frozenset()] * m)
    ratio = float(es.lengths.sum() / max(zs.lengths.sum(), 1.0))
    types = tuple(t for t in types if t[0] <= n and t[1] <= m)  # a 1-4 needs four sentences
    priors = {t: _GC_PRIORS.get(t, 1e-3) for t in types}
    model = _Model(ratio, _initial_variance(ratio), priors, 1.0, 0.0, 0.0)
    width = band if band is not None else max(25, int(2 * math.sqrt(max(n, m))))
    steps, _ = _search(zs, es, types, model, _diagonal_band(n, m, width), False, 0.0)
    return _links(steps, _confidences(steps, zs, es, model, None))


@lru_cache(maxsize=4)
def _lexicon_of(pairs: tuple[tuple[str, str], ...]) -> Lexicon:
    """The lexicon of a glossary's pairs, built once for the many calls of one document
    aligned paragraph by paragraph (``align_by_paragraphs``), or of a corpus."""
    return build_lexicon(pairs)


def align_by_paragraphs(zh_sentences: Sequence[Sentence], en_sentences: Sequence[Sentence],
                        zh_paragraphs: Sequence[Sentence], en_paragraphs: Sequence[Sentence],
                        lexicon_pairs: Iterable[tuple[str, str]] = (), *,
                        link_types: Collection[LinkType] = DEFAULT_LINK_TYPES,
                        params: Params | None = None) -> list[Link] | None:
    """Sentence links that never cross a paragraph, or None when the paragraphs do not
    correspond one to one. A translation that keeps its source's paragraphs (most do:
    reports, news, novels) gives the best anchors there are, as hunalign's paragraph marks;
    whether it kept them is asked of ``align`` itself, run on the paragraphs as units: every
    paragraph must pair with the one of the same rank. Sentences are spans, so each belongs
    to the paragraph that holds its start (a line break always ends a sentence)."""
    count = len(zh_paragraphs)
    if count < 2 or count != len(en_paragraphs):
        return None
    pairs = list(lexicon_pairs)
    units = align(zh_paragraphs, en_paragraphs, pairs, link_types=DEFAULT_LINK_TYPES,
                  params=params)
    if len(units) != count or any(u.zh != (i,) or u.en != (i,) for i, u in enumerate(units)):
        return None
    zh_groups = _by_paragraph(zh_sentences, zh_paragraphs)
    en_groups = _by_paragraph(en_sentences, en_paragraphs)
    allowed = set(link_types)
    links: list[Link] = []
    for unit, zh_ids, en_ids in zip(units, zh_groups, en_groups, strict=True):
        if 1 in (len(zh_ids), len(en_ids)) and (len(zh_ids), len(en_ids)) in allowed:
            # one sentence on a side: the paragraph is the link (alone, a 1-2 paragraph has
            # too little text for the chance model to tell a split from an addition)
            links.append(Link(tuple(zh_ids), tuple(en_ids), unit.score))
            continue
        found = align([zh_sentences[i] for i in zh_ids], [en_sentences[j] for j in en_ids],
                      pairs, link_types=link_types, params=params)
        links.extend(Link(tuple(zh_ids[i] for i in link.zh), tuple(en_ids[j] for j in link.en),
                          link.score) for link in found)
    return links


def _by_paragraph(sentences: Sequence[Sentence], paragraphs: Sequence[Sentence]
                  ) -> list[list[int]]:
    starts = [p.start for p in paragraphs]
    groups: list[list[int]] = [[] for _ in paragraphs]
    for index, sentence in enumerate(sentences):
        groups[max(0, bisect.bisect_right(starts, sentence.start) - 1)].append(index)
    return groups
