"""General-English phrase knowledge (web bigrams) used to rank `--source` renderings."""

from __future__ import annotations

from glossary.extract.english import is_common_english


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
