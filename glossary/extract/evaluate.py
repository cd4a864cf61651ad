"""Concept-level evaluation of candidates against a gold annotation (used by the benchmark and
the tests, so both measure the same thing).

A candidate hits a gold concept when one of its forms, folded like candidate keys (case,
hyphens, years, final plural, quotation marks), equals a gold form, or one contains the other,
sharing at least two words and at least half of the longer one's words ("naked chat" hits
"naked chat extortion"; "public security" does not hit "law on public security administration
punishment", whose concept it does not name). Recall@k: share of gold concepts hit by the top k
candidates. Precision@k: share of the top k candidates that hit some gold concept.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from glossary.errors import DecalqueError
from glossary.extract.candidates import text_key
from glossary.extract.score import Candidate


@dataclass(frozen=True)
class Gold:
    concepts: dict[str, frozenset[str]]  # concept -> folded forms
    documents: tuple[str, ...]

    @cached_property
    def by_word(self) -> dict[str, set[tuple[str, str]]]:
        """Every hit shares a word, so a candidate is matched only against the gold forms
        that hold one of its words (thousands of concepts otherwise, for each candidate)."""
        index: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for concept, forms in self.concepts.items():
            for form in forms:
                for word in form.split():
                    index[word].add((concept, form))
        return index


def fold(form: str) -> str:
    """Gold forms are copied from text ('posting "irrigation') and fold like candidates."""
    return text_key(form)


def load_gold(path: str) -> Gold:
    """A gold file that cannot be read is one line naming it (and the line, for bad JSON)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise DecalqueError(f"cannot read the gold file: {error.strerror}", path) from None
    except UnicodeDecodeError:
        raise DecalqueError("the gold file is not UTF-8 text", path) from None
    except json.JSONDecodeError as error:
        raise DecalqueError(f"not JSON: {error.msg}", path, error.lineno) from None
    try:
        concepts = {c["concept"]: frozenset(fold(f) for f in c["forms"])
                    for c in data["concepts"]}
    except (KeyError, TypeError):
        raise DecalqueError('expected {"concepts": [{"concept": ..., "forms": [...]}, ...]}',
                            path) from None
    return Gold(concepts, tuple(data.get("documents", ())))


def _hits(form: str, gold_form: str) -> bool:
    if form == gold_form:
        return True
    a, b = form.split(), gold_form.split()
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) < 2 or 2 * len(shorter) < len(longer):
        return False
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def concepts_hit(candidate: Candidate, gold: Gold) -> set[str]:
    forms = {fold(f.text) for f in candidate.forms} | {candidate.key}
    index = gold.by_word
    return {concept for f in forms for word in set(f.split())
            for concept, g in index.get(word, ()) if _hits(f, g)}


def evaluate(candidates: Sequence[Candidate], gold: Gold) -> dict[str, float]:
    # only the top 100 are read: matching each of thousands of candidates against thousands
    # of gold concepts was most of the time an evaluation of many documents took
    hits = [concepts_hit(c, gold) for c in candidates[:100]]
    total = len(gold.concepts) or 1

    def recall(k: int) -> float:
        found: set[str] = set()
        for h in hits[:k]:
            found |= h
        return len(found) / total

    def precision(k: int) -> float:
        top = hits[:k]
        return sum(1 for h in top if h) / len(top) if top else 0.0

    return {"recall@50": recall(50), "recall@100": recall(100), "precision@50": precision(50),
            "candidates": float(len(candidates)), "gold_concepts": float(len(gold.concepts))}
