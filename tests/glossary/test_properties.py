"""Properties of the checker on generated documents (hypothesis, bounded): every span points at
its ``found`` text, ``--fix`` leaves nothing fixable, source-aware findings stay inside the
English, and fixing never moves a number."""

from __future__ import annotations

from helpers import SMALL
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import terms
from glossary.bilingual import align_documents, lexicon_pairs
from glossary.check import CheckContext, check_document, reduce_results, source_findings
from glossary.diagnostics import select_rules
from glossary.documents import Document
from glossary.fix import apply_fixes

GLOSSARY = terms.load(str(SMALL))
CTX = CheckContext.build(GLOSSARY, select_rules(["ALL"]))
PIECES = ["The", "network water army", "Internet Navy", "water armies", "cat pool", "Cat Pools",
          "net net 2021", "Net 2022", "jingwang", "paid online posters", "modem pool", "网络水军",
          "wangluo shuijun", '"', "“", "”", "-", ".", ",", " ", "  ", "\n", "\r\n", "\n\n",
          "# decalque: ignore DQ101", "<!-- x -->", "`code cat pool`", "http://cat.pool/x",
          "62,000", "6.2 million", "routine loan", "A", "é"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.sampled_from(["a.txt", "a.md", "a.html"]))
def test_every_span_equals_found_and_fix_is_complete(text: str, name: str) -> None:
    doc = Document.from_text(text, name)
    diagnostics = reduce_results([check_document(doc, CTX)], CTX)
    for d in diagnostics:
        assert 0 <= d.start <= d.end <= len(text)
        assert text[d.start:d.end] == d.found, d
        assert doc.position(d.start) == (d.line, d.col)
    fixed, _ = apply_fixes(text, diagnostics)
    again = reduce_results([check_document(Document.from_text(fixed, name), CTX)], CTX)
    assert not [d for d in again if d.fixable], again


ZH_PIECES = ["公安机关打击网络水军。", "缴获猫池设备6.2万台。", "净网2021专项行动。",
             "套路贷案件3起。", "\n", "共抓获120名。", "他们雇用了水军。"]
EN_PIECES = ["Police cracked down on the network water army.",
             "6.2 million cat pools were seized.",
             "The Net Net 2021 campaign.", "Three routine loan cases.", "\n",
             "120 people were caught.", "They hired paid online posters."]
SOURCE_CTX = CheckContext.build(GLOSSARY, select_rules(["DQ2"]), sources={"en.txt": "zh.txt"})
PAIRS = lexicon_pairs(GLOSSARY)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(ZH_PIECES), min_size=1, max_size=8).map("".join),
       st.lists(st.sampled_from(EN_PIECES), min_size=1, max_size=8).map(" ".join))
def test_source_findings_lie_inside_the_english(zh_text: str, en_text: str) -> None:
    zh, en = Document.from_text(zh_text, "zh.txt"), Document.from_text(en_text, "en.txt")
    pair = align_documents(zh, en, PAIRS)
    diagnostics, summaries = source_findings(pair, SOURCE_CTX)
    for d in diagnostics:
        assert d.path == "en.txt" and en_text[d.start:d.end] == d.found
        assert d.code in {"DQ201", "DQ202"}
    for s in summaries:
        assert en_text[s.occurrence.start:s.occurrence.end] == s.occurrence.surface
