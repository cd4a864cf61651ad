"""General-English phrase knowledge for the extractor: which words English puts together.

Two resources, for two questions:
- *Does English join these two words at all?* PocketSphinx's US English trigram model
  (``en-us.lm.bin``, CMU Sphinx, shipped inside the ``pocketsphinx`` wheel) holds the word
  pairs of a large general corpus; for a pair it lacks it backs off to the second word alone.
  Calques join common words that English never joins ("water army", "special action", "dark
  pipe"), but so does some correct domain English ("public security organs"), so a missing
  pair lists a phrase for review (``unusual_pair``) rather than proving a calque. Of the 2-word
  phrases said twice in the four MT seeds, 56% of the gold ones and 33% of the others lack
  their pair.
- *Is this pair common?* wordsegment's bigram table (Norvig's counts from Google's Web 1T
  corpus, every pair seen about 100,000 times or more). Too coarse to tell a calque from
  correct English in general (13% of the seeds' gold pairs and 15% of the others are in it),
  it separates the *consistent* renderings that ``--source`` proposes: "air quality", "travel
  company", "personal information" are there; "nail spirit", "dark pipe", "river chief" not.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from glossary.rules.script import _english_zipf as _zipf

# PocketSphinx's score for a word outside the model's vocabulary
_UNKNOWN = -536870912
# Scores are integer logs (base 1.0001); two ways of reading one score differ by rounding
_ROUNDING = 2
# Prepositions end a noun phrase ("organs across the province") and the extractor's function
# words hold only the commonest; a quantifier waits for its noun ("organs in various [places]")
_OPEN_ENDS = frozenset("""
about above across after against along amid among around atop before behind below beneath
beside besides between beyond despite down during except inside into near onto opposite outside
over past per round since through throughout till toward towards under underneath unlike until
upon versus via within without various several many numerous certain multiple according
""".split())
# A phrase said once lists only when the words English never joins are both common (wordfreq
# Zipf): two common words never seen together are a surprise; a rarer word's pairs are mostly
# missing from any model
COMMON_ZIPF = 3.5


@cache
def common_bigrams() -> frozenset[str]:
    """"w1 w2" pairs common in web English (lowercase); loaded once, ~0.1 s."""
    from importlib.resources import files

    with files("wordsegment").joinpath("bigrams.txt").open(encoding="utf-8") as handle:
        return frozenset(line.split("\t", 1)[0] for line in handle)


def _forms(word: str) -> list[str]:
    # both resources hold surface forms: "security organ" is there only as "security organs"
    forms = [word, word + "s", word + "es"]
    if word.endswith("y"):
        forms.append(word[:-1] + "ies")
    return forms


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
    return all(any(f"{a} {form}" in table for form in _forms(b)) for a, b in pairs)


@cache
def _model() -> Any:
    """The trigram model, loaded once per process (~0.03 s: the file is read lazily)."""
    import os

    import pocketsphinx

    pocketsphinx.set_loglevel("ERROR")  # before Config(), which logs its defaults
    path = os.path.join(pocketsphinx.get_model_path(), "en-us", "en-us.lm.bin")
    return pocketsphinx.NGramModel(pocketsphinx.Config(), pocketsphinx.LogMath(), path)


@cache
def known(word: str) -> bool:
    """In the model's vocabulary (lowercase words)."""
    return bool(_model().prob([word]) > _UNKNOWN)


@cache
def _backoff(word: str) -> int:
    # no pair ends in the sentence start, so P(<s> | word) is word's back-off weight x P(<s>)
    model = _model()
    return int(model.prob(["<s>", word]) - model.prob(["<s>"]))


@cache
def _judged(word: str) -> bool:
    """A word a pair can be judged with: letters only, in the model's vocabulary."""
    return word.isalpha() and known(word)


@cache
def _unigram(word: str) -> int:
    return int(_model().prob([word]))


@cache
def seen_pair(first: str, second: str) -> bool:
    """English joins "first second" (or a plural of ``second``): the model holds the pair
    (P(second | first) is its own, not ``first``'s back-off weight times P(second)), or it
    is a common web bigram (the model is pruned: it lacks "monitoring data")."""
    forms = _forms(second)
    table = common_bigrams()
    if any(f"{first} {form}" in table for form in forms):
        return True
    prob, back = _model().prob, _backoff(first)
    return any(known(form) and abs(prob([form, first]) - _unigram(form) - back) > _ROUNDING
               for form in forms)


def joined(first: str, second: str) -> bool:
    """English joins two words the model knows (``seen_pair``); a word it does not know is in
    no pair it has seen."""
    return _judged(first) and _judged(second) and seen_pair(first, second)


@cache
def _breaks() -> tuple[frozenset[str], frozenset[str]]:
    from aligner.lexicon import EN_STOPWORDS

    return EN_STOPWORDS, EN_STOPWORDS | _OPEN_ENDS


@cache
def _adverb(word: str) -> bool:
    # "-ly" after a known word: "severely", and a shorter one its stem outnumbers ("deeply",
    # "closely", "jointly"; not "elderly", which outnumbers "elder", nor "family")
    if len(word) < 6 or not word.endswith("ly"):
        return False
    stem = word[:-3] + "y" if word.endswith("ily") else word[:-2]
    if not known(stem):
        return False
    return len(word) > 7 or _zipf(stem) > _zipf(word)


@cache
def predicate_word(word: str) -> bool:
    """A word that makes a phrase a clause rather than a name: a past tense or participle
    that is no noun or adjective ("city held", "city persisted"), an adverb ("city also",
    "jointly")."""
    from glossary.tense import readings

    if _adverb(word):
        return True
    return set(readings(word)) == {"ADV"} or past_verb(word)


def past_verb(word: str) -> bool:
    """A past tense or participle that is no noun or adjective ("held", "remained")."""
    from glossary.tense import readings, verb_form

    form = verb_form(word)
    return form is not None and form[1] in ("VBD", "VBN") and not set(readings(word)) & {
        "NOUN", "ADJ"}


def unusual_pair(surface: str, *, common: bool = False, after_compound: bool = False
                 ) -> str | None:
    """The first two adjacent content words of a phrase that general English never joins
    ("special action" -> "special action", "network water army" -> "network water"), or
    None. Only for a phrase that could be a name: every content word known to the model, no
    preposition or quantifier at an end, no clause (an adverb, "organ immediately set"; a
    past tense last or before a function word, "the case cracked"). Function words split a
    phrase ("relevant person in charge"); a hyphened compound is no word the model knows, so
    no pair with its parts is judged ("e-commerce platform"), nor a word and its plural.
    ``common``: only a pair of two common words (``COMMON_ZIPF``), for a phrase said once.
    ``after_compound``: also the pair of a compound's last part and the word after it
    ("pressure posture" of "high-pressure posture"), for a pair said once
    (``candidates.compound_pairs``)."""
    stopwords, breaks = _breaks()
    hyphened: set[int] = set()  # indices of words joined to the word before by a hyphen
    if "-" in surface:
        words: list[str] = []
        for token in surface.lower().split():
            for i, part in enumerate(token.split("-")):
                if i:
                    hyphened.add(len(words))
                words.append(part)
    else:  # the common case, and every run said once (``candidates.once_runs``)
        words = surface.lower().split()
    if not words or words[0] in _OPEN_ENDS or words[-1] in _OPEN_ENDS:
        return None
    if not all(w in breaks or _judged(w) for w in words):
        return None
    last = len(words) - 1
    for i, word in enumerate(words):
        if _adverb(word):
            return None
        if ((i == last or words[i + 1] in stopwords)
                and (len(word) > 4 and word.endswith("ed") and not word.endswith("eed")
                     or i and predicate_word(word))):
            return None
    for i in range(1, len(words)):
        a, b = words[i - 1], words[i]
        if (a in breaks or b in breaks
                or hyphened and {i, i + 1} & hyphened
                or hyphened and not after_compound and i - 1 in hyphened
                or a.rstrip("s") == b.rstrip("s")):
            continue  # a compound's parts ("e-commerce platform"), a word repeated
        if common and min(_zipf(a), _zipf(b)) < COMMON_ZIPF:
            continue
        if not seen_pair(a, b):
            return f"{a} {b}"
    return None
