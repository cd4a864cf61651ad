"""Scores for a translation against a reference: sacrebleu's BLEU, chrF(++) and TER, plus
glossary term metrics, all behind sacrebleu's ``Metric`` interface.

Why one interface: the term metrics (:class:`TermMetrics`) are a sacrebleu ``Metric`` subclass,
so corpus/document/segment scores, signatures and sacrebleu's paired bootstrap test treat them
exactly like BLEU. Every score is an aggregate of per-segment statistics; we extract those once
per (hypothesis, reference) pair and sum them per document and for the corpus, which is what
``Metric.corpus_score`` does, so the numbers equal the ``sacrebleu`` command's.

Segments are lines, as in sacrebleu (one segment per line, trailing whitespace stripped). When a
hypothesis and its reference have different line counts they are aligned (:func:`align_lines`:
a Gale-Church length model plus word overlap) and the result says so. The exact definitions and
the JSON schema are in docs/score.md.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import ahocorasick_rs
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric, Score, Signature

from glossary import __version__
from glossary.match import Matcher
from glossary.terms import Glossary

MetricName = Literal["bleu", "chrf", "chrf++", "ter", "term"]
METRICS: tuple[str, ...] = ("bleu", "chrf", "chrf++", "ter", "term")
DEFAULT_METRICS: tuple[str, ...] = ("bleu", "chrf", "ter", "term")
TERM_KEYS: tuple[str, ...] = ("term_accuracy", "deprecated_per_1k", "consistency")
SCHEMA = "decalque-score/1"
# TER's shift search is roughly quadratic in segment length (seconds at 500 words, half a
# minute at 1,000): longer segments (a whole file on one line, say) skip TER with a note.
TER_MAX_WORDS = 1000
ExpectedFrom = Literal["src", "ref"]


# -- segments -----------------------------------------------------------------------------------
def segments(text: str) -> list[str]:
    """Lines exactly as the ``sacrebleu`` command reads them: split on LF only, a final line
    break ends the last line (it does not start an empty one), trailing whitespace stripped."""
    if not text:
        return []
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return [line.rstrip() for line in lines]


def join_segments(lines: Sequence[str]) -> str:
    """One segment from several lines (after alignment merged them); a single line is kept
    byte-for-byte so identity pairing scores exactly what sacrebleu scores."""
    if len(lines) == 1:
        return lines[0]
    return " ".join(line.strip() for line in lines if line.strip())


# -- alignment ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Bead:
    """Lines ``a[a_start:a_end]`` correspond to ``b[b_start:b_end]`` (either side may be empty)."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int

    @property
    def shape(self) -> str:
        return f"{self.a_end - self.a_start}-{self.b_end - self.b_start}"


@dataclass(frozen=True)
class LineAlignment:
    """A monotone cover of both line lists by beads, and how it was obtained."""

    beads: tuple[Bead, ...]
    method: str  # identity | nonblank | dp | document
    a_lines: int
    b_lines: int
    links: tuple[str, ...] = ()  # bead shapes over non-blank lines ("1-1", "2-1", ...)

    def shapes(self) -> dict[str, int]:
        """How many beads of each shape, e.g. {"1-1": 23, "2-1": 1} (blank lines not counted
        once lines had to be aligned)."""
        return dict(Counter(self.links or (b.shape for b in self.beads)))


def identity(n: int) -> LineAlignment:
    return LineAlignment(tuple(Bead(i, i + 1, i, i + 1) for i in range(n)), "identity", n, n)


def _whole(n_a: int, n_b: int) -> LineAlignment:
    return LineAlignment((Bead(0, n_a, 0, n_b),), "document", n_a, n_b)


# Gale & Church (1993): priors of bead shapes and the variance of the length difference.
# Same-language paraphrases: expected length ratio 1.
_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89, (1, 0): 0.005, (0, 1): 0.005, (2, 1): 0.0445, (1, 2): 0.0445, (2, 2): 0.011,
}
_VARIANCE = 6.8
_OVERLAP_WEIGHT = 6.0
_FULL_DP_CELLS = 250_000
_WORD = re.compile(r"[^\W_]+")


def _content_words(line: str) -> frozenset[str]:
    """Words that carry overlap evidence: 3+ letters, or any number."""
    return frozenset(w for w in _WORD.findall(line.casefold()) if len(w) >= 3 or w.isdigit())


def _length_cost(la: int, lb: int) -> float:
    """-log P(length difference) under Gale-Church's normal model (two-sided tail)."""
    mean = (la + lb) / 2
    if mean == 0:
        return 0.0
    delta = abs(lb - la) / math.sqrt(mean * _VARIANCE)
    return -math.log(max(math.erfc(delta / math.sqrt(2)), 1e-300))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def _dp_align(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int, int, int]]:
    """Min-cost monotone beads over two lists of non-blank lines (compressed indices).

    Cost of a bead = -log prior(shape) + length cost (characters) + weight * (1 - Dice of
    content-word sets). Insertions/deletions get the prior plus the full overlap penalty and no
    length cost. Large inputs use a band around the diagonal."""
    n, m = len(a), len(b)
    lens_a = [len(x.strip()) for x in a]
    lens_b = [len(x.strip()) for x in b]
    words_a = [_content_words(x) for x in a]
    words_b = [_content_words(x) for x in b]
    band = None if (n + 1) * (m + 1) <= _FULL_DP_CELLS else max(50, 2 * abs(n - m) + 20)
    inf = float("inf")
    cost: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        if band is None:
            lo, hi = 0, m
        else:
            centre = round(i * m / n) if n else 0
            lo, hi = max(0, centre - band), min(m, centre + band)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, move = inf, (0, 0)
            for (da, db), prior in _PRIORS.items():
                pi, pj = i - da, j - db
                if pi < 0 or pj < 0:
                    continue
                previous = cost.get((pi, pj))
                if previous is None:
                    continue
                step = -math.log(prior)
                if da and db:
                    la = sum(lens_a[pi:i])
                    lb = sum(lens_b[pj:j])
                    wa = words_a[pi] if da == 1 else words_a[pi] | words_a[pi + 1]
                    wb = words_b[pj] if db == 1 else words_b[pj] | words_b[pj + 1]
                    step += _length_cost(la, lb) + _OVERLAP_WEIGHT * (1 - _dice(wa, wb))
                else:
                    step += _OVERLAP_WEIGHT
                total = previous + step
                if total < best:
                    best, move = total, (da, db)
            if best < inf:
                cost[(i, j)] = best
                back[(i, j)] = move
    beads: list[tuple[int, int, int, int]] = []
    i, j = n, m
    while i or j:
        da, db = back[(i, j)]
        beads.append((i - da, i, j - db, j))
        i, j = i - da, j - db
    beads.reverse()
    return beads


def _expand(compressed: Sequence[tuple[int, int, int, int]], keep_a: Sequence[int],
            keep_b: Sequence[int], n_a: int, n_b: int) -> tuple[Bead, ...]:
    """Beads over non-blank lines -> beads over all lines: each bead also takes the blank lines
    that follow it, the first bead the leading ones, so the beads cover both files."""
    beads: list[Bead] = []
    prev_a = prev_b = 0
    for _, a1, _, b1 in compressed:
        end_a = keep_a[a1] if a1 < len(keep_a) else n_a
        end_b = keep_b[b1] if b1 < len(keep_b) else n_b
        beads.append(Bead(prev_a, end_a, prev_b, end_b))
        prev_a, prev_b = end_a, end_b
    return tuple(beads)


def align_lines(a: Sequence[str], b: Sequence[str], allow_dp: bool = True) -> LineAlignment:
    """Pair the lines of ``a`` (a hypothesis) with those of ``b`` (its reference).

    Same line count: line i with line i (what sacrebleu does). Same count of non-blank lines:
    non-blank lines in order. Otherwise (and if ``allow_dp``) the English-English DP in
    :func:`_dp_align`; else None-like ``document`` alignment (one bead for everything)."""
    n_a, n_b = len(a), len(b)
    if n_a == n_b:
        return identity(n_a)
    keep_a = [i for i, line in enumerate(a) if line.strip()]
    keep_b = [i for i, line in enumerate(b) if line.strip()]
    if not keep_a or not keep_b:
        return _whole(n_a, n_b)
    if len(keep_a) == len(keep_b):
        compressed = [(i, i + 1, i, i + 1) for i in range(len(keep_a))]
        method = "nonblank"
    elif allow_dp:
        compressed = _dp_align([a[i] for i in keep_a], [b[i] for i in keep_b])
        method = "dp"
    else:
        return _whole(n_a, n_b)
    links = tuple(f"{a1 - a0}-{b1 - b0}" for a0, a1, b0, b1 in compressed)
    return LineAlignment(_expand(compressed, keep_a, keep_b, n_a, n_b), method, n_a, n_b, links)


def beads_from_links(links: Iterable[tuple[Sequence[int], Sequence[int]]], n_a: int,
                     n_b: int) -> tuple[Bead, ...]:
    """Monotone beads from (possibly partial, possibly crossing) index links: crossing links are
    dropped, gaps between links become beads of their own."""
    ordered = sorted((min(x), max(x), min(y), max(y)) for x, y in links if len(x) and len(y))
    beads: list[Bead] = []
    pa = pb = 0
    for a0, a1, b0, b1 in ordered:
        if a0 < pa or b0 < pb:
            continue
        if a0 > pa or b0 > pb:
            beads.append(Bead(pa, a0, pb, b0))
        beads.append(Bead(a0, a1 + 1, b0, b1 + 1))
        pa, pb = a1 + 1, b1 + 1
    if pa < n_a or pb < n_b or not beads:
        beads.append(Bead(pa, n_a, pb, n_b))
    return tuple(beads)


@dataclass(frozen=True)
class Segmentation:
    """Reference line groups and, for each aligned side, its line range in each group."""

    groups: tuple[tuple[int, int], ...]
    sides: tuple[tuple[tuple[int, int], ...], ...]


def coarsen(n_ref: int, alignments: Sequence[Sequence[Bead]]) -> Segmentation:
    """The finest grouping of reference lines that no alignment's bead crosses, so several
    sides (systems, the source) can be scored on the same segments. A bead with no reference
    line goes with the group before it."""
    inside: set[int] = set()
    for beads in alignments:
        for bead in beads:
            inside.update(range(bead.b_start + 1, bead.b_end))
    starts = [0] + [k for k in range(1, n_ref) if k not in inside]
    groups = tuple(zip(starts, starts[1:] + [n_ref], strict=True))
    sides: list[tuple[tuple[int, int], ...]] = []
    for beads in alignments:
        ranges: list[list[int] | None] = [None] * len(groups)
        for bead in beads:
            if bead.b_end > bead.b_start:
                g = bisect.bisect_right(starts, bead.b_start) - 1
            else:
                g = max(bisect.bisect_left(starts, bead.b_start) - 1, 0)
            current = ranges[g]
            if current is None:
                ranges[g] = [bead.a_start, bead.a_end]
            else:
                current[0] = min(current[0], bead.a_start)
                current[1] = max(current[1], bead.a_end)
        filled: list[tuple[int, int]] = []
        position = 0
        for item in ranges:
            if item is None:
                filled.append((position, position))
            else:
                filled.append((item[0], item[1]))
                position = item[1]
        sides.append(tuple(filled))
    return Segmentation(groups, tuple(sides))


# -- term metrics -------------------------------------------------------------------------------
class TermSignature(Signature):
    """``nrefs:1|from:src|glossary:0123456789ab|concepts:157|version:decalque-0.1.0``."""

    def __init__(self, args: dict) -> None:
        super().__init__(args)
        self._abbr.update({"from": "f", "glossary": "g", "concepts": "n"})
        self.info.update({
            "from": args["expected_from"],
            "glossary": args["glossary_sha256"][:12],
            "concepts": args["concept_count"],
        })
        self.info["version"] = f"decalque-{__version__}"


class TermScore(Score):
    """Term accuracy (the score, 0-100) with the counts and the other two term metrics."""

    def __init__(self, correct: float, expected: float, deprecated: float, words: float) -> None:
        self.correct = int(correct)
        self.expected = int(expected)
        self.deprecated = int(deprecated)
        self.words = int(words)
        accuracy = 100 * correct / expected if expected else math.nan
        super().__init__("TermAcc", accuracy)
        self.deprecated_per_1k: float | None = 1000 * deprecated / words if words else None
        self.consistency: float | None = None
        self.repeated = 0
        self.consistent = 0
        self._verbose = (f"{self.correct}/{self.expected} dep = {self.deprecated} "
                         f"words = {self.words}")

    @property
    def accuracy(self) -> float | None:
        return None if math.isnan(self.score) else self.score


class TermMetrics(Metric):
    """Glossary term metrics as a sacrebleu metric.

    The "references" are the texts that say which concepts a segment must render: the Chinese
    source (``expected_from="src"``: each non-overlapping occurrence of a concept's zh term,
    longest first) or the English reference (``"ref"``: each matcher hit, any form kind).
    Segment statistics are ``[correct, expected, deprecated, words]`` where ``correct`` sums,
    per concept, ``min(expected, preferred-or-admitted hits in the hypothesis)``."""

    _SIGNATURE_TYPE = TermSignature

    def __init__(self, glossary: Glossary, expected_from: ExpectedFrom = "ref",
                 references: Sequence[Sequence[str]] | None = None) -> None:
        super().__init__()
        self.expected_from = expected_from
        self.matcher = Matcher(glossary)
        self._hyp_cache: dict[str, tuple[Counter[str], Counter[str], Counter[tuple]]] = {}
        self.glossary_sha256 = glossary.sha256
        self.concept_count = len(self.matcher.concepts)
        zh_owner: dict[str, str] = {}
        for concept in self.matcher.concepts.values():
            for zh in concept.zh:
                if zh.strip():
                    zh_owner.setdefault(zh.strip(), concept.id)  # first concept owns a shared term
        self._zh_terms = list(zh_owner)
        self._zh_owner = [zh_owner[t] for t in self._zh_terms]
        self._zh = ahocorasick_rs.AhoCorasick(
            self._zh_terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
        ) if self._zh_terms else None
        if references is not None:
            self._ref_cache = self._cache_references(references)

    # sacrebleu's Metric hooks ------------------------------------------------------------------
    def _preprocess_segment(self, sent: str) -> str:
        return sent

    def expected_counts(self, text: str) -> Counter[str]:
        """Concept id -> occurrences the hypothesis segment should render."""
        if self.expected_from == "src":
            if self._zh is None or not text:
                return Counter()
            return Counter(self._zh_owner[index]
                           for index, _, _ in self._zh.find_matches_as_indexes(text))
        return Counter(match.concept for match in self.matcher.find(text))

    def _extract_reference_info(self, refs: Sequence[str]) -> dict[str, Any]:
        expected: Counter[str] = Counter()
        for ref in refs:
            expected |= self.expected_counts(ref)  # several references: the most per concept
        return {"expected": expected}

    def hypothesis_counts(self, hyp: str) -> tuple[Counter[str], Counter[str], Counter[tuple]]:
        """(preferred/admitted hits, deprecated hits) per concept, and (concept, form) counts.

        Memoised per text: statistics, consistency and the concept table all need the same
        matches, and matching is the expensive part on big files. Treat the result as read-only.
        """
        cached = self._hyp_cache.get(hyp)
        if cached is None:
            if len(self._hyp_cache) >= 8192:
                self._hyp_cache.clear()
            cached = self._hyp_cache[hyp] = self._match_hypothesis(hyp)
        return cached

    def _match_hypothesis(self, hyp: str) -> tuple[Counter[str], Counter[str], Counter[tuple]]:
        good: Counter[str] = Counter()
        bad: Counter[str] = Counter()
        forms: Counter[tuple[str, str]] = Counter()
        for match in self.matcher.find(hyp):
            (bad if match.kind == "deprecated" else good)[match.concept] += 1
            forms[(match.concept, match.form)] += 1
        return good, bad, forms

    def _compute_segment_statistics(self, hypothesis: str, ref_kwargs: dict) -> list[int]:
        expected: Counter[str] = ref_kwargs["expected"]
        good, bad, _ = self.hypothesis_counts(hypothesis)
        correct = sum(min(n, good[c]) for c, n in expected.items())
        return [correct, sum(expected.values()), sum(bad.values()), len(hypothesis.split())]

    def _compute_score_from_stats(self, stats: Sequence[float]) -> TermScore:
        return TermScore(float(stats[0]), float(stats[1]), float(stats[2]), float(stats[3]))

    def _aggregate_and_compute(self, stats: Sequence[Sequence[float]]) -> TermScore:
        totals = [sum(column) for column in zip(*stats, strict=True)] if stats else [0] * 4
        return self._compute_score_from_stats(totals)

    def corpus_score(self, hypotheses: Sequence[str],
                     references: Sequence[Sequence[str]] | None,
                     n_bootstrap: int = 1) -> TermScore:
        score: TermScore = super().corpus_score(hypotheses, references, n_bootstrap)
        self.add_consistency(score, hypotheses)
        return score

    # what the statistics cannot carry ----------------------------------------------------------
    def renderings(self, hypotheses: Iterable[str]) -> dict[str, Counter[str]]:
        """Concept -> glossary form -> hits, over all hypotheses."""
        found: dict[str, Counter[str]] = {}
        for hyp in hypotheses:
            for (concept, form), n in self.hypothesis_counts(hyp)[2].items():
                found.setdefault(concept, Counter())[form] += n
        return found

    def add_consistency(self, score: TermScore, hypotheses: Iterable[str]) -> TermScore:
        """Consistency: of the concepts matched 2+ times, the share matched by one form only."""
        forms = self.renderings(hypotheses)
        repeated = [c for c, counter in forms.items() if sum(counter.values()) >= 2]
        consistent = [c for c in repeated if len(forms[c]) == 1]
        score.repeated, score.consistent = len(repeated), len(consistent)
        score.consistency = 100 * len(consistent) / len(repeated) if repeated else None
        return score

    def concept_table(self, hypotheses: Sequence[str],
                      expected_texts: Sequence[str]) -> list[dict[str, Any]]:
        """Per concept: expected occurrences, correct ones, deprecated hits and the forms used."""
        rows: dict[str, dict[str, Any]] = {}

        def row(concept: str) -> dict[str, Any]:
            return rows.setdefault(concept, {"concept": concept, "expected": 0, "correct": 0,
                                             "deprecated": 0, "renderings": Counter()})

        for hyp, text in zip(hypotheses, expected_texts, strict=True):
            expected = self.expected_counts(text)
            good, bad, forms = self.hypothesis_counts(hyp)
            for concept, n in expected.items():
                item = row(concept)
                item["expected"] += n
                item["correct"] += min(n, good[concept])
            for concept, n in bad.items():
                row(concept)["deprecated"] += n
            for (concept, form), n in forms.items():
                row(concept)["renderings"][form] += n
        out = []
        order = {cid: i for i, cid in enumerate(self.matcher.concepts)}
        for concept in sorted(rows, key=lambda c: order.get(c, len(order))):
            item = rows[concept]
            item["renderings"] = dict(item["renderings"].most_common())
            out.append(item)
        return out


# -- metric set ---------------------------------------------------------------------------------
def make_metrics(names: Sequence[str], glossary: Glossary | None = None,
                 expected_from: ExpectedFrom = "ref") -> dict[str, Metric]:
    """The sacrebleu objects for ``names`` with the ``sacrebleu`` command's defaults."""
    factories = {
        "bleu": BLEU, "chrf": CHRF, "chrf++": lambda: CHRF(word_order=2), "ter": TER,
    }
    metrics: dict[str, Metric] = {}
    for name in names:
        if name == "term":
            if glossary is None:
                raise ValueError("the term metric needs a glossary")
            metrics[name] = TermMetrics(glossary, expected_from)
        else:
            metrics[name] = factories[name]()
    return metrics


class StatsCache:
    """Segment statistics by (metric, hypothesis, reference): scoring a fixed hypothesis only
    recomputes the segments the fix changed (TER on long paragraphs is seconds per segment)."""

    def __init__(self, advance: Callable[[int], object] | None = None) -> None:
        self._stats: dict[tuple[str, str, str], list[float]] = {}
        self.advance = advance  # told how many segments were computed (a progress bar)

    def stats(self, key: str, metric: Metric, hyps: Sequence[str],
              refs: Sequence[str]) -> list[list[float]]:
        missing = [(h, r) for h, r in dict.fromkeys(zip(hyps, refs, strict=True))
                   if (key, h, r) not in self._stats]
        # TER takes seconds on a long segment: one at a time, so that progress shows
        step = 1 if key == "ter" and self.advance else max(1, len(missing))
        for first in range(0, len(missing), step):
            chunk = missing[first:first + step]
            # The same private hook sacrebleu's significance tests use; refs passed explicitly
            computed = metric._extract_corpus_statistics(
                [h for h, _ in chunk], [[r for _, r in chunk]])
            for (h, r), stat in zip(chunk, computed, strict=True):
                self._stats[(key, h, r)] = list(stat)
            if self.advance:
                self.advance(len(chunk))
        if not hasattr(metric, "num_refs"):
            metric.num_refs = 1
        return [self._stats[(key, h, r)] for h, r in zip(hyps, refs, strict=True)]


class _CachedMetric:
    """A metric whose statistics come from a :class:`StatsCache` (for sacrebleu's PairedTest,
    which re-extracts statistics for each system)."""

    def __init__(self, key: str, metric: Metric, cache: StatsCache, refs: Sequence[str]) -> None:
        self._key, self._metric, self._cache, self._refs = key, metric, cache, refs

    def _extract_corpus_statistics(self, hyps: Sequence[str], _references: object) -> list:
        return self._cache.stats(self._key, self._metric, hyps, self._refs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._metric, name)


# -- documents ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentInput:
    """One document to score: hypothesis, reference and optional source, as line lists."""

    path: str
    hyp: Sequence[str]
    ref: Sequence[str]
    ref_path: str = ""
    src: Sequence[str] | None = None
    src_path: str | None = None


@dataclass
class DocumentSegments:
    """A document cut into scored segments, for one or more systems sharing the cut."""

    ref_groups: tuple[tuple[int, int], ...]
    hyp_ranges: list[tuple[tuple[int, int], ...]]
    hyps: list[list[str]]
    refs: list[str]
    term_hyps: list[list[str]]
    term_expected: list[str]
    term_unit: str  # segment | document
    same_cut: bool  # term segments are the BLEU segments
    alignment: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _source_alignment(doc: DocumentInput, systems: Sequence[Sequence[str]],
                      hyp_alignments: Sequence[LineAlignment],
                      lexicon: Sequence[tuple[str, str]] = ()
                      ) -> tuple[tuple[Bead, ...] | None, str]:
    """Source lines -> reference lines: by position, through a hypothesis with the source's
    line count, or with the zh-en aligner (``aligner.align``); a side with no text at all
    cannot be paired (document level)."""
    src, ref = doc.src or [], doc.ref
    direct = align_lines(src, ref, allow_dp=False)
    if direct.method != "document":
        return direct.beads, direct.method
    for hyp_lines, alignment in zip(systems, hyp_alignments, strict=True):
        if len(hyp_lines) == len(src):
            return alignment.beads, "via-hypothesis"
    if any(line.strip() for line in src) and any(line.strip() for line in ref):
        return _zh_en_beads(src, ref, lexicon), "aligner"
    return None, "document"


def _zh_en_beads(src: Sequence[str], ref: Sequence[str],
                 lexicon: Sequence[tuple[str, str]] = ()) -> tuple[Bead, ...]:
    """Non-blank lines of the Chinese source aligned to non-blank reference lines by the
    project's zh-en aligner (:func:`aligner.align.align`, glossary pairs as its lexicon)."""
    from aligner.align import align

    keep_a = [i for i, line in enumerate(src) if line.strip()]
    keep_b = [i for i, line in enumerate(ref) if line.strip()]
    links = align([src[i] for i in keep_a], [ref[i] for i in keep_b], lexicon)
    compressed = beads_from_links(((link.zh, link.en) for link in links),
                                  len(keep_a), len(keep_b))
    spans = [(b.a_start, b.a_end, b.b_start, b.b_end) for b in compressed]
    return _expand(spans, keep_a, keep_b, len(src), len(ref))


def lexicon_pairs(glossary: Glossary | None) -> tuple[tuple[str, str], ...]:
    """(zh term, English form) pairs of the active concepts, for the zh-en aligner."""
    if glossary is None:
        return ()
    return tuple((zh, form.replace("{year}", "").strip()) for c in glossary.active()
                 for zh in c.zh for form, kind in c.forms() if kind != "deprecated")


def segment_document(doc: DocumentInput, systems: Sequence[Sequence[str]],
                     lexicon: Sequence[tuple[str, str]] = ()) -> DocumentSegments:
    """Cut ``doc`` into segments shared by every system in ``systems`` (hypothesis line lists)."""
    alignments = [align_lines(hyp, doc.ref) for hyp in systems]
    cut = coarsen(len(doc.ref), [a.beads for a in alignments])
    hyps = [[join_segments(lines[a:b]) for a, b in side]
            for lines, side in zip(systems, cut.sides, strict=True)]
    refs = [join_segments(doc.ref[a:b]) for a, b in cut.groups]
    notes: list[str] = []
    main = alignments[0]
    info: dict[str, Any] = {
        "hyp_lines": main.a_lines, "ref_lines": main.b_lines,
        "src_lines": len(doc.src) if doc.src is not None else None,
        "method": main.method, "segments": len(cut.groups), "links": main.shapes(),
    }
    for lines, alignment in zip(systems, alignments, strict=True):
        if alignment.method != "identity":
            how = {"nonblank": "non-blank lines paired in order",
                   "dp": "aligned by length and word overlap",
                   "document": "scored as one segment"}[alignment.method]
            notes.append(f"{doc.path}: {len(lines)} hypothesis lines vs {len(doc.ref)} reference "
                         f"lines in {doc.ref_path or 'the reference'}; {how}: "
                         f"{len(cut.groups)} segments ("
                         + ", ".join(f"{n}x {s}" for s, n in sorted(alignment.shapes().items()))
                         + ")")
    if doc.src is None:
        term_hyps, term_expected, unit, same = hyps, refs, "segment", True
        info["src_method"] = None
    else:
        src_beads, src_method = _source_alignment(doc, systems, alignments, lexicon)
        info["src_method"] = src_method
        if src_beads is None:
            term_hyps = [[join_segments(lines)] for lines in systems]
            term_expected = [join_segments(doc.src)]
            unit, same = "document", len(cut.groups) == 1
            notes.append(f"{doc.path}: {len(doc.src)} source lines vs {len(doc.ref)} reference "
                         "lines and no way to pair them; term metrics counted per document")
        else:
            term_cut = coarsen(len(doc.ref), [*(a.beads for a in alignments), src_beads])
            src_side = term_cut.sides[-1]
            term_hyps = [[join_segments(lines[a:b]) for a, b in side]
                         for lines, side in zip(systems, term_cut.sides, strict=False)]
            term_expected = [join_segments(doc.src[a:b]) for a, b in src_side]
            unit, same = "segment", term_cut.groups == cut.groups
            if src_method not in ("identity",):
                notes.append(f"{doc.path}: {len(doc.src)} source lines vs {len(doc.ref)} "
                             f"reference lines; source paired by {src_method}")
    info["term_unit"] = unit
    return DocumentSegments(cut.groups, list(cut.sides), hyps, refs, term_hyps, term_expected,
                            unit, same, info, notes)


# -- scoring ------------------------------------------------------------------------------------
def _number(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _lines(span: tuple[int, int]) -> list[int]:
    """1-based inclusive line numbers [first, last], or [] for no line."""
    return [span[0] + 1, span[1]] if span[1] > span[0] else []


@dataclass
class ScoreRun:
    """Shared state for scoring several systems against the same references."""

    names: tuple[str, ...]
    glossary: Glossary | None = None
    expected_from: ExpectedFrom = "ref"
    cache: StatsCache = field(default_factory=StatsCache)
    metrics: dict[str, Metric] = field(default_factory=dict)
    lexicon: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        unknown = [n for n in self.names if n not in METRICS]
        if unknown:
            raise ValueError(f"unknown metric(s): {', '.join(unknown)}")
        self.metrics = make_metrics(self.names, self.glossary, self.expected_from)
        self.lexicon = lexicon_pairs(self.glossary)

    def signatures(self) -> dict[str, str]:
        out = {}
        for name, metric in self.metrics.items():
            if not hasattr(metric, "num_refs"):
                metric.num_refs = 1
            out[name] = metric.get_signature().format()
        return out

    def _term_stats(self, hyps: Sequence[str], expected: Sequence[str]) -> list[list[float]]:
        return self.cache.stats("term", self.metrics["term"], hyps, expected)

    def _skipped(self, parts: Sequence[DocumentSegments], systems: Sequence[int]
                 ) -> tuple[frozenset[str], list[str]]:
        """Metrics that cannot run on these segments, with the reason as notes."""
        if "ter" not in self.metrics:
            return frozenset(), []
        longest = max((len(text.split()) for p in parts for k in systems
                       for text in (*p.hyps[k], *p.refs)), default=0)
        if longest <= TER_MAX_WORDS:
            return frozenset(), []
        return frozenset({"ter"}), [f"TER not computed: a segment has {longest} words (limit "
                                    f"{TER_MAX_WORDS}; TER is quadratic in segment length)"]

    def _scores(self, parts: Sequence[DocumentSegments], system: int,
                skip: frozenset[str] = frozenset()) -> dict[str, Any]:
        """Metric name -> number over the given documents' segments (one system)."""
        out: dict[str, Any] = {}
        counts: dict[str, Any] = {"segments": sum(len(p.refs) for p in parts)}
        for name, metric in self.metrics.items():
            if name in skip:
                out[name] = None
                continue
            if name == "term":
                continue
            stats = [s for p in parts
                     for s in self.cache.stats(name, metric, p.hyps[system], p.refs)]
            out[name] = _number(metric._aggregate_and_compute(stats).score)
        if "term" in self.metrics:
            term: TermMetrics = self.metrics["term"]  # type: ignore[assignment]
            stats = [s for p in parts
                     for s in self._term_stats(p.term_hyps[system], p.term_expected)]
            score = term._aggregate_and_compute(stats)
            term.add_consistency(score, [h for p in parts for h in p.hyps[system]])
            out["term_accuracy"] = score.accuracy
            out["deprecated_per_1k"] = _number(score.deprecated_per_1k)
            out["consistency"] = _number(score.consistency)
            counts.update({"hyp_words": score.words, "term_occurrences": score.expected,
                           "term_correct": score.correct, "deprecated": score.deprecated,
                           "concepts_repeated": score.repeated,
                           "concepts_consistent": score.consistent})
        out["counts"] = counts
        return out

    def _segments(self, part: DocumentSegments, system: int,
                  skip: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
        """Per-segment scores (sentence BLEU uses effective order, as ``sacrebleu -sl``)."""
        rows: list[dict[str, Any]] = []
        sentence_bleu = BLEU(effective_order=True)
        per_metric = {name: self.cache.stats(name, metric, part.hyps[system], part.refs)
                      for name, metric in self.metrics.items()
                      if name != "term" and name not in skip}
        term_stats = (self._term_stats(part.term_hyps[system], part.term_expected)
                      if "term" in self.metrics and part.same_cut else None)
        for i, group in enumerate(part.ref_groups):
            row: dict[str, Any] = {"index": i + 1,
                                   "hyp_lines": _lines(part.hyp_ranges[system][i]),
                                   "ref_lines": _lines(group)}
            for name, stats in per_metric.items():
                metric = sentence_bleu if name == "bleu" else self.metrics[name]
                row[name] = _number(
                    metric._compute_score_from_stats(stats[i]).score)
            if term_stats is not None:
                correct, expected, deprecated, _ = term_stats[i]
                row.update({"term_correct": int(correct), "term_occurrences": int(expected),
                            "deprecated": int(deprecated)})
            rows.append(row)
        return rows

    def score(self, docs: Sequence[DocumentInput], sentence: bool = False) -> dict[str, Any]:
        """Corpus and per-document scores of one system (each document cut on its own)."""
        parts = [segment_document(doc, [doc.hyp], self.lexicon) for doc in docs]
        skip, skip_notes = self._skipped(parts, [0])
        corpus = self._scores(parts, 0, skip)
        documents = []
        for doc, part in zip(docs, parts, strict=True):
            entry: dict[str, Any] = {"path": doc.path, "ref": doc.ref_path, "src": doc.src_path}
            entry.update(self._scores([part], 0, skip))
            entry["alignment"] = part.alignment
            if sentence:
                entry["segments"] = self._segments(part, 0, skip)
            documents.append(entry)
        result: dict[str, Any] = {"corpus": {k: v for k, v in corpus.items() if k != "counts"},
                                  "counts": corpus["counts"] | {"documents": len(docs)},
                                  "documents": documents,
                                  "notes": [n for p in parts for n in p.notes] + skip_notes}
        if "term" in self.metrics:
            term: TermMetrics = self.metrics["term"]  # type: ignore[assignment]
            result["terms"] = term.concept_table(
                [h for p in parts for h in p.term_hyps[0]],
                [e for p in parts for e in p.term_expected])
        return result

    def significance(self, docs: Sequence[DocumentInput], baseline: Sequence[Sequence[str]],
                     n_samples: int = 1000) -> dict[str, Any]:
        """sacrebleu's paired bootstrap test of the system against a baseline system, on
        segments cut so both systems share them."""
        from sacrebleu.significance import PairedTest

        parts = [segment_document(doc, [doc.hyp, bl], self.lexicon)
                 for doc, bl in zip(docs, baseline, strict=True)]
        out: dict[str, Any] = {"test": "paired-bootstrap", "n_samples": n_samples,
                               "metrics": {}}
        skip, _ = self._skipped(parts, [0, 1])
        for name, metric in self.metrics.items():
            if name in skip:
                out["metrics"][name] = None
                continue
            if name == "term":
                hyps = [[h for p in parts for h in p.term_hyps[k]] for k in (0, 1)]
                refs = [e for p in parts for e in p.term_expected]
                key = "term_accuracy"
            else:
                hyps = [[h for p in parts for h in p.hyps[k]] for k in (0, 1)]
                refs = [r for p in parts for r in p.refs]
                key = name
            wrapped = _CachedMetric(name, metric, self.cache, refs)
            if name == "term" and not sum(s[1] for s in self._term_stats(hyps[0], refs)):
                out["metrics"][key] = None  # no expected term: accuracy undefined
                continue
            test = PairedTest([("baseline", hyps[1]), ("system", hyps[0])],
                              {name: wrapped}, references=None,  # type: ignore[dict-item]
                              test_type="bs", n_samples=n_samples)
            sigs, results = test()
            label = next(k for k in results if k != "System")
            base, system = results[label]
            out["seed"] = sigs[label].info.get("seed")
            out["metrics"][key] = {
                "baseline": _number(base.score), "system": _number(system.score),
                "delta": _number(system.score - base.score), "p_value": _number(system.p_value),
                "system_mean": _number(system.mean), "system_ci": _number(system.ci),
                "baseline_mean": _number(base.mean), "baseline_ci": _number(base.ci),
            }
        return out


def delta(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, float | None]:
    """after - before for every metric both have (None where either is undefined)."""
    out: dict[str, float | None] = {}
    for key in (*METRICS, *TERM_KEYS):
        if key in before and key in after:
            old, new = before[key], after[key]
            out[key] = None if old is None or new is None else float(new) - float(old)
    return out


def metric_keys(names: Sequence[str]) -> list[str]:
    """Output keys in display order for the chosen metric names."""
    keys: list[str] = []
    for name in names:
        keys.extend(TERM_KEYS if name == "term" else (name,))
    return keys


def parse_metrics(value: str | None) -> tuple[str, ...]:
    """``bleu,chrf,ter,term`` -> validated tuple (``chrfpp`` accepted for ``chrf++``)."""
    if not value:
        return DEFAULT_METRICS
    names: list[str] = []
    for item in value.split(","):
        name = item.strip().lower()
        if not name:
            continue
        name = {"chrfpp": "chrf++", "chrf2": "chrf", "terms": "term"}.get(name, name)
        if name not in METRICS:
            raise ValueError(f"unknown metric {item.strip()!r} (expected some of "
                             f"{','.join(METRICS)})")
        if name not in names:
            names.append(name)
    if not names:
        raise ValueError("no metric given")
    return tuple(sorted(names, key=METRICS.index))


def fixed_text(text: str, glossary: Glossary, path: str = "<text>",
               ctx: Any = None) -> tuple[str, int]:
    """``decalque check --fix`` in memory (DQ101 safe fixes): the fixed text and the number of
    fixes applied."""
    from glossary.check import CheckContext, check_text
    from glossary.diagnostics import select_rules
    from glossary.fix import apply_fixes

    ctx = ctx or CheckContext.build(glossary, select_rules(["DQ101"]))
    return apply_fixes(text, check_text(text, ctx, path))
