"""The extractor's map step (``document_phrases``) gives exactly what the plain per-n-gram
loop gives: same keys, counts, surfaces, mid-sentence spellings, years, contexts and bare
counts, in the same order (the reduce breaks ties in form counts by insertion order).

The reference is the implementation before the fast path, kept in tests/support.
"""

from __future__ import annotations

from pathlib import Path

import extract_reference
import pytest
from helpers import DATA, ROOT, SEEDS
from hypothesis import example, given, settings
from hypothesis import strategies as st

from glossary.documents import Document, read_document
from glossary.extract.candidates import DocumentPhrases, document_phrases


def snapshot(phrases: DocumentPhrases) -> tuple[object, ...]:
    """Every fact, with dict and Counter contents as ordered item lists."""
    return (phrases.path, phrases.words,
            [(key, s.count, s.quoted, list(s.surfaces.items()), list(s.mid_case.items()),
              s.with_year, s.contexts) for key, s in phrases.phrases.items()],
            list(phrases.singles.items()))


def assert_same(doc: Document) -> None:
    fast = document_phrases(doc)
    reference = extract_reference.document_phrases(doc)
    assert fast == reference  # dataclass equality first: a readable diff of the facts
    assert snapshot(fast) == snapshot(reference)


REAL = sorted([*SEEDS.glob("*.txt"), *(SEEDS / "ref").glob("*.txt"),
               *(DATA / "extract" / "unseen").glob("*.txt"), *(ROOT / "docs").glob("*.md")])


@pytest.mark.parametrize("path", REAL, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_real_documents_give_the_reference_facts(path: Path) -> None:
    assert_same(read_document(str(path)))


# Pieces that exercise every branch: stopwords at phrase edges, number words, pinyin and
# unknown words, plurals, hyphens (joined and spaced), years (attached, inside, alone, too
# long), digits, apostrophes, every quotation style with odd spacing, sentence ends, capitals
# after blank lines and mid-sentence, and Markdown/HTML markup and URLs that masking blanks
# (their dots and semicolons still end a sentence in the original text).
WORDS = ["the", "of", "and", "net", "Net", "NET", "nets", "water", "army", "Army", "armies",
         "cat", "pool", "Pool", "pools", "cities", "city", "bus", "crisis", "four", "double",
         "Four", "breaks", "jingwang", "Jingwang", "qinglang", "xyzzyq", "net-net", "Net-Net",
         "anti-fraud", "hard", "fists", "May", "said", "illegal", "crimes", "masses",
         "people’s", "people's", "it’s", "Zhang", "Wei", "crackdown", "campaign", "No",
         "internet", "navy", "Internet", "one", "case", "investigations", "a", "an",
         "foxes", "fox", "calm and calm", "rumors and rumor", "Calm and calm",
         "special", "action", "body responsibility", "meeting sale", "deeply", "filed case"]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", "\t", ". ", ", ", "; ", ": ", "! ", "? ",
              " (", ") ", " - ", "-", "—", "–", "…", " / ", "|", " 9 ", "No. 9", "2021",
              " 2022 ", "20223", "1999.", "'", "\"", " \"", "\" ", "“", "”", "‘", "’",
              "「", "」", "『", "』", " ‘ ", " ’ ", "“ ", " ”", "<b>", "</b>", "`", "# ",
              "**", "[", "](http://x.org/a b)", "&amp;", "&amp; ", " http://x.org/a. ",
              " www.x.org/b: ", " http://x.org/2021 ", "<br>", "<!-- c. -->", "\r\n", "é",
              "网络", "。", "！ "]
TEXTS = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)),
                 min_size=0, max_size=120).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from(["a.txt", "a.md", "a.html"]))
@example("The “Net Net 2022” campaign: net-net nets, ‘ Touching the net ’ and "
         "'cat pool' in 2021.\n\nNet Net 2021 was \"Net  Net\" again", "a.txt")
@example("see http://x.org/a. Net Net 2021 and Cat &amp; Net Net", "a.html")
@example("see http://x.org/a. Net Net 2021 and Cat www.x.org: Net Net", "a.txt")
@example("Four Breaks. four breaks; FOUR BREAKS 2020 and 「four breaks」", "a.md")
@example("Be calm and calm. Net and nets and net-net, illegal and illegal 2021", "a.txt")
@example("the special action; special action and body responsibility, a meeting sale. "
         "deeply filed case. Special action special", "a.txt")
def test_generated_texts_give_the_reference_facts(text: str, name: str) -> None:
    assert_same(Document.from_text(text, name))


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("aAbBnN zZ-'’\"“”‘’.,\n 2019—"), max_size=200))
def test_character_soup_gives_the_reference_facts(text: str) -> None:
    assert_same(Document.from_text(text, "soup.txt"))


def test_memos_cleared_at_their_bound_give_the_same_facts(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    from glossary.extract import candidates

    monkeypatch.setattr(candidates, "_MEMO_LIMIT", 0)  # a document with new tokens clears
    monkeypatch.setattr(candidates, "_TOKEN_FACTS", {})
    seen: set[str] = set()
    for path in REAL[:3]:
        doc = read_document(str(path))
        assert_same(doc)
        seen.update(m.group() for m in candidates._TOKEN.finditer(doc.masked))
    assert 0 < len(candidates._TOKEN_FACTS) < len(seen)


def test_the_collector_is_left_as_the_caller_had_it() -> None:
    import gc

    doc = read_document(str(REAL[0]))
    assert gc.isenabled()
    document_phrases(doc)
    assert gc.isenabled()
    gc.disable()
    try:
        document_phrases(doc)
        assert not gc.isenabled()
    finally:
        gc.enable()
