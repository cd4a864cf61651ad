"""General-English phrase knowledge: web bigrams (which `--source` renderings are common) and a
trigram model (which words English never joins: ``unusual_pair``)."""

from __future__ import annotations

from glossary.extract.english import (
    common_bigrams,
    is_common_english,
    known,
    predicate_word,
    seen_pair,
    unusual_pair,
)


def test_common_english_phrases() -> None:
    for phrase in ("air quality", "personal information", "Ministry of Public Security",
                   "law enforcement", "travel company", "police officer"):
        assert is_common_english(phrase.split()), phrase


def test_calques_are_not_common_english() -> None:
    for phrase in ("water army", "nail spirit", "dark pipe", "black smelly water",
                   "human flesh search", "network chaos"):
        assert not is_common_english(phrase.split()), phrase


def test_a_key_in_the_singular_finds_the_plural() -> None:
    # keys are singular; the table has some pairs only in the plural
    assert is_common_english(["border", "area"])  # only "border areas"
    assert is_common_english(["tax", "authority"])  # only "tax authorities"


def test_a_phrase_without_a_content_pair_says_nothing() -> None:
    # one word, or words split by stop words: no pair to look up, so not "common"
    for phrase in ("security", "rule of law", "the masses"):
        assert not is_common_english(phrase.split()), phrase


# -- which words general English never joins (PocketSphinx's trigram model) ------------------
def test_the_model_tells_a_pair_it_holds_from_a_back_off() -> None:
    assert known("water") and known("army") and not known("zhangsan")
    assert seen_pair("criminal", "case") and seen_pair("air", "quality")
    assert not seen_pair("water", "army") and not seen_pair("nail", "spirit")
    assert seen_pair("tax", "authority")  # held in the plural only


def test_a_common_web_pair_the_pruned_model_lacks_is_joined() -> None:
    assert "monitoring data" in common_bigrams()
    assert seen_pair("monitoring", "data") and unusual_pair("monitoring data") is None


def test_calques_join_words_english_does_not() -> None:
    for phrase, pair in (("water army", "water army"), ("network water army", "network water"),
                         ("special action", "special action"), ("dark pipe", "dark pipe"),
                         ("subject responsibility", "subject responsibility"),
                         ("relevant person in charge", "relevant person")):
        assert unusual_pair(phrase) == pair, phrase


def test_english_phrases_join_words_english_joins() -> None:
    for phrase in ("criminal case", "air quality", "police officer", "climate change",
                   "supply chain", "the broad masses", "high school", "weekly report"):
        assert unusual_pair(phrase) is None, phrase


def test_no_pair_is_judged_in_what_cannot_be_a_name() -> None:
    for phrase in ("organs across", "police across the province",  # a preposition at an end
                   "security organs in various",  # a quantifier waiting for its noun
                   "the case cracked", "organ cracked the case",  # a clause
                   "severely crack", "organ immediately set",  # an adverb and its verb
                   "e-commerce platform", "anti-fraud campaign",  # a compound's parts
                   "Zhangsan Lisi", "accounts account", "the", ""):
        assert unusual_pair(phrase) is None, phrase


def test_a_verb_that_makes_a_clause_ends_no_name() -> None:
    """An irregular past tense or a past participle that is no noun or adjective ("held",
    "spent", "seized"), or a word that is only an adverb ("also"), makes a phrase a clause:
    "special case group spent", "the city held". A past form that is an adjective too
    ("advanced", "wanted") and a noun ("campaign", "police") do not."""
    for word in ("held", "spent", "seized", "persisted", "also", "jointly"):
        assert predicate_word(word), word
    for word in ("advanced", "wanted", "campaign", "police", "elderly", "now"):
        assert not predicate_word(word), word
    assert unusual_pair("case group spent") is None
    assert unusual_pair("ghost held") is None
    assert unusual_pair("held ghost") == "held ghost"  # only last, or before a function word


def test_an_adverb_is_no_part_of_a_name() -> None:
    """"-ly" after a word the model knows, when the stem is the commoner word ("deeply",
    "closely", "jointly"); "elderly" outnumbers "elder" and "family" has no stem."""
    for phrase in ("deeply fight", "focus closely", "jointly protect", "measures according"):
        assert unusual_pair(phrase) is None, phrase
    assert unusual_pair("elderly fraud") == "elderly fraud"
    assert unusual_pair("family fee") == "family fee"


def test_a_phrase_said_once_needs_two_common_words() -> None:
    """``common``: the pair English never joins must be of two common words (Zipf 3.5), as
    only their absence surprises; the first such pair is the one given."""
    assert unusual_pair("body responsibility", common=True) == "body responsibility"
    assert unusual_pair("meeting sales", common=True) == "meeting sales"
    assert unusual_pair("black smelly water") == "black smelly"
    assert unusual_pair("black smelly water", common=True) is None  # "smelly" is rare
    assert unusual_pair("air quality", common=True) is None


def test_the_pair_after_a_compound_is_judged_only_when_asked() -> None:
    """A hyphened compound's parts are no words of a pair ("e-commerce platform"), unless
    ``after_compound`` asks for the pair of its last part and the next word: "high-pressure
    posture" 高压态势 renders 高压 as an English compound and 态势 word by word."""
    assert unusual_pair("high-pressure posture", common=True) is None
    assert unusual_pair("high-pressure posture", common=True,
                        after_compound=True) == "pressure posture"
    assert unusual_pair("decision-making deployment", after_compound=True) == "making deployment"
    assert unusual_pair("high-pressure situation", after_compound=True) is None  # English
    assert unusual_pair("police high-pressure", after_compound=True) is None  # before one
