"""The one matcher: folding, whole words, inflections, years, longest match, span mapping."""

from __future__ import annotations

import pytest
from helpers import SMALL
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import terms
from glossary.match import Matcher, fold, suggestion_for

GLOSSARY = terms.load(str(SMALL))
MATCHER = Matcher(GLOSSARY)


def found(text: str) -> list[tuple[str, str, str]]:
    return [(m.found, m.concept, m.kind) for m in MATCHER.find(text)]


@pytest.mark.parametrize("text,expected", [
    ("the network water army posts", "network water army"),
    ("the Network-Water-Army posts", "Network-Water-Army"),
    ("the network\nwater  army posts", "network\nwater  army"),
    ("the network\r\nwater army posts", "network\r\nwater army"),
    ("four-management action", "four-management"),
    ("Four Management action", "Four Management"),
    ("seized “cat pools” today", "cat pools"),
    ("several routine loans", "routine loans"),
])
def test_variants_of_a_form_match(text: str, expected: str) -> None:
    assert [f for f, _, _ in found(text)] == [expected]


@pytest.mark.parametrize("text", [
    "the net was cast wide", "a network of water and an army of volunteers",
    "black cards and internet users", "the army", "water", "Internet", "catpool", "dog pictured",
    "networks of water, armies of men",
])
def test_common_words_alone_never_match(text: str) -> None:
    assert found(text) == []


def test_longest_match_wins_over_shorter_overlap() -> None:
    assert found("the network water army again") == [
        ("network water army", "water-army", "deprecated")]
    assert found("an online water army") == [("online water army", "water-army", "admitted")]


def test_campaign_year_belongs_to_the_match_and_is_kept_in_the_fix() -> None:
    text = 'promoted the "Net Net 2022" campaign and the net 2018 action'
    matches = MATCHER.find(text)
    assert [(m.found, m.year) for m in matches] == [("Net Net 2022", "2022"), ("net 2018", "2018")]
    concept = GLOSSARY.get("clean-network")
    assert [suggestion_for(concept, m, text) for m in matches] == [
        "Clean Network 2022", "Clean Network 2018"]


def test_year_placeholder_form_needs_a_year() -> None:
    assert found("the net and the Net") == []
    assert found("Net 2021 results") == [("Net 2021", "clean-network", "deprecated")]


def test_fix_keeps_sentence_initial_capital_and_plural() -> None:
    text = "Routine loans are common. Cat pool seized. He saw a cat pool."
    concepts = {c.id: c for c in GLOSSARY}
    suggestions = [suggestion_for(concepts[m.concept], m, text) for m in MATCHER.find(text)]
    assert suggestions == ["Predatory loan scams", "Modem pool", "modem pool"]


@pytest.mark.parametrize(("text", "offset", "start"), [
    ("Intro.\n(1) Cat pool", 11, True), ("Intro.\n2) Cat pool", 10, True),
    ("Intro\n三、 Cat pool", 9, True), ("Intro\n(iv) Cat pool", 11, True),
    ("He said (1) Cat pool", 12, False), ("a (b) Cat pool", 6, False),
    ("Intro.\n(12a) Cat pool", 13, False),
])
def test_a_heading_number_opens_a_sentence(text: str, offset: int, start: bool) -> None:
    """MT writes "(1)" or "三、" before a heading's first word: the word opens a sentence, so
    its capital stays in the fix ("(1) Compacting responsibilities" -> "(1) Enforce
    responsibilities") and is no case variant (DQ103)."""
    from glossary.match import is_sentence_start

    assert text[offset:offset + 3] == "Cat"
    assert is_sentence_start(text, offset) is start
    concepts = {c.id: c for c in GLOSSARY}
    [match] = MATCHER.find(text)
    assert suggestion_for(concepts[match.concept], match, text)[0].isupper() is start


def test_rejected_concepts_are_not_matched_proposed_are() -> None:
    assert found("a human flesh search") == []
    assert found("with hard fists") == [("hard fists", "hard-fist", "deprecated")]


def test_spans_point_into_the_original_text() -> None:
    text = "A  line\r\n with  the network   water\r\n  army\tand dog pictures."
    for match in MATCHER.find(text):
        assert text[match.start:match.end] == match.found
    assert [m.found for m in MATCHER.find(text)] == ["network   water\r\n  army", "dog pictures"]


def test_cost_does_not_depend_on_finding_nothing_in_an_empty_glossary() -> None:
    assert Matcher(terms.build([])).find("network water army") == []


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "network", "water", "army", "net", "2022", "-", " ", "  ", "\n", "\r\n", "cat", "pool",
    "pools", "“", "”", "Internet", "Navy", "dog", "pictures", "é", "İ", "ß", ".", "x",
]), max_size=40).map("".join))
def test_every_span_lies_in_the_text_and_equals_found(text: str) -> None:
    previous_end = 0
    for match in MATCHER.find(text):
        assert 0 <= match.start < match.end <= len(text)
        assert text[match.start:match.end] == match.found
        assert match.start >= previous_end  # non-overlapping, in order
        previous_end = match.end


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=" -\n\r\tab“İ", max_size=30))
def test_fold_maps_every_character_back(text: str) -> None:
    folded = fold(text)
    positions = [folded.to_original(i) for i in range(len(folded.text))]
    assert positions == sorted(positions)
    assert all(0 <= p < len(text) for p in positions)
    for index, char in enumerate(folded.text):
        original = text[positions[index]]
        if char not in " '\"":
            assert char == (original.lower() if len(original.lower()) == 1 else original)


def test_plural_fix_of_an_already_plural_preferred() -> None:
    from glossary.terms import build

    g = build([terms.Concept(id="water-army", preferred="paid online posters",
                             deprecated=("water army",), status="approved", category="slang")])
    text = "two water armies"
    [match] = Matcher(g).find(text)
    assert suggestion_for(g.get("water-army"), match, text) == "paid online posters"


def test_a_form_deprecated_only_when_quoted_has_its_plural_inside_the_marks() -> None:
    """'"one hand"' (一把手) is listed quoted, as bare "one hand" is English: the plural MT
    writes is "one hands" in its marks (blind document 142), and its fix is plural too."""
    from glossary.terms import build

    g = build([terms.Concept(id="top-official", preferred="top official",
                             deprecated=('"one hand"',), status="approved", category="slang")])
    text = 'The party and government “one hands” of all districts met; the "one hand" spoke.'
    matches = Matcher(g).find(text)
    assert [(m.found, suggestion_for(g.get("top-official"), m, text)) for m in matches] == [
        ("“one hands”", "top officials"), ('"one hand"', "top official")]
    assert not Matcher(g).find("one hands were raised")  # unquoted: English
    # a quoted name has no plural: '"Hunting Fox"' (the campaign) is no "hunting foxes"
    g = build([terms.Concept(id="fox-hunt", preferred="Operation Fox Hunt",
                             deprecated=('"Hunting Fox"',), status="approved",
                             category="campaign")])
    assert [m.found for m in Matcher(g).find('"Hunting Fox" and "hunting foxes"')] == [
        '"Hunting Fox"']


def test_forms_with_quotation_marks_match_any_quote_style() -> None:
    from glossary.terms import build

    g = build([terms.Concept(id="sextortion", preferred="sextortion",
                             deprecated=('"naked chat" extortion',), status="approved",
                             category="crime")])
    matcher = Matcher(g)
    for text in ('the "naked chat" extortion case', "the “naked chat” extortion case"):
        assert [m.found for m in matcher.find(text)] == [text[4:26]]
    assert matcher.find("a naked chat extortion") == []


@pytest.mark.parametrize("text", [
    "the “ naked chat ” extortion case", "the “ naked chat” extortion case",
    'the "naked chat " extortion case', "the 「 naked chat 」 extortion case"])
def test_a_quoted_form_matches_with_spaces_inside_the_quotes(text: str) -> None:
    """MT output spaces its quotation marks (‘ Touching the net ’): the form still matches,
    and the span is the text as written."""
    from glossary.terms import build

    g = build([terms.Concept(id="sextortion", preferred="sextortion",
                             deprecated=('"naked chat" extortion', "'one hand'"),
                             status="approved", category="crime")])
    [match] = Matcher(g).find(text)
    assert match.found == text[4:text.index("extortion") + 9]
    for quoted in ("‘ one hand ’", "‘one hand ’", "' one hand'"):
        assert [m.found for m in Matcher(g).find(f"the {quoted} said")] == [quoted]
    assert Matcher(g).find("the naked chat extortion and one hand") == []
