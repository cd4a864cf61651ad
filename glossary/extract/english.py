"""General-English phrase knowledge for the extractor: which word pairs are common on the web.

The list is wordsegment's bigram table (Norvig's counts from Google's Web 1T corpus, every pair
seen about 100,000 times or more). It is too coarse to tell a calque from correct English in
general (on the seeds 13% of gold pairs and 15% of the others are in it), but it separates the
*consistent* renderings that `--source` proposes as glossary entries: "air quality", "travel
company", "personal information" are there; "nail spirit", "dark pipe", "river chief" are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache


@cache
def common_bigrams() -> frozenset[str]:
    """"w1 w2" pairs common in web English (lowercase); loaded once, ~0.1 s."""
    from importlib.resources import files

    with files("wordsegment").joinpath("bigrams.txt").open(encoding="utf-8") as handle:
        return frozenset(line.split("\t", 1)[0] for line in handle)


def _seen(first: str, second: str, table: frozenset[str]) -> bool:
    # the table holds surface forms: "security organ" is there only as "security organs"
    forms = [second, second + "s", second + "es"]
    if second.endswith("y"):
        forms.append(second[:-1] + "ies")
    return any(f"{first} {form}" in table for form in forms)


def is_common_english(words: Sequence[str]) -> bool:
    """Every adjacent pair of content words is a common web bigram ("air quality",
    "ministry of public security"). Stop words split the phrase and are not compared; a
    phrase with no such pair (one word, "rule of law") says nothing and is not common."""
    from aligner.lexicon import EN_STOPWORDS

    lower = [w.lower() for w in words]
    pairs = [(a, b) for a, b in zip(lower, lower[1:], strict=False)
             if a not in EN_STOPWORDS and b not in EN_STOPWORDS]
    if not pairs:
        return False
    table = common_bigrams()
    return all(_seen(a, b, table) for a, b in pairs)
