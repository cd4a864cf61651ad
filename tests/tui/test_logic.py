"""The pure pieces behind the screens: decisions as concepts, filters, edits, pairing."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary import terms
from glossary.documents import Document
from glossary.extract.io import read_candidates
from glossary.fix import apply_fixes
from tui.screens.bilingual import build_rows
from tui.screens.candidates import (
    approval_concept,
    clean_forms,
    filter_indices,
    haystack,
    merged_concept,
    rank_concepts,
    rejection_concept,
)
from tui.screens.findings import with_fix, with_inline_ignore
from tui.screens.glossary import filter_concepts, next_status
from tui.widgets import highlight_forms, kwic

DATA = Path(__file__).resolve().parents[1] / "data" / "tui"


@pytest.fixture(scope="module")
def glossary() -> terms.Glossary:
    return terms.load(str(DATA / "terms.csv"))


@pytest.fixture(scope="module")
def candidates() -> list:
    return read_candidates(str(DATA / "candidates.csv"))


def test_approval_prefill(glossary: terms.Glossary, candidates: list) -> None:
    concept = approval_concept(candidates[0], glossary)
    assert concept.id == "black-and-evil-forces"
    assert concept.zh == ("黑恶势力",) and concept.preferred == "criminal gangs"
    assert concept.deprecated == ("black and evil forces",)
    assert concept.status == "approved"
    assert "黑恶势力" in concept.note
    assert not terms.validate(glossary.with_concept(concept))


def test_rejection_and_merge(glossary: terms.Glossary, candidates: list) -> None:
    rejected = rejection_concept(candidates[1], glossary)
    assert rejected.status == "rejected"
    assert [rejected.preferred, *rejected.deprecated] == clean_forms(candidates[1])
    assert not terms.validate(glossary.with_concept(rejected))
    water = glossary.get("water-army")
    assert water is not None
    merged = merged_concept(water, candidates[2])
    assert merged.deprecated == (*water.deprecated, "network navy")
    assert merged_concept(merged, candidates[2]) == merged


def test_every_evidence_signal_has_a_column_label() -> None:
    """A signal the extractor adds shows in the review table, or a candidate whose only
    evidence it is would show none."""
    from glossary.extract.score import WEIGHTS
    from tui.screens.candidates import SIGNAL_NAMES, signals_text

    assert set(WEIGHTS) | {"aligned_literal", "zh_renderings", "common_english"} \
        <= set(SIGNAL_NAMES)
    assert signals_text({"shared_modifier": "black", "docs": 1.0}) == "sibling"


def test_clean_forms_drops_years_and_quotes() -> None:
    class Form:
        def __init__(self, text: str) -> None:
            self.text, self.count, self.docs = text, 1, 1

    class Cand:
        forms = [Form('"Net Net 2021"'), Form("net net"), Form("NBA")]

    assert clean_forms(Cand()) == ["net net", "NBA"]  # type: ignore[arg-type]


def test_filters(glossary: terms.Glossary, candidates: list) -> None:
    hay = [haystack(c) for c in candidates]
    assert [candidates[i].key for i in filter_indices(hay, "gloss")] == [
        "black and evil forces", "two dimensional code", "sweeping black"]
    assert filter_indices(hay, "") == list(range(len(candidates)))
    assert [glossary.concepts[i].id for i in filter_concepts(glossary.concepts, "loan", None,
                                                              None)] == ["routine-loan"]
    assert len(filter_concepts(glossary.concepts, "", "proposed", None)) == 2
    assert len(filter_concepts(glossary.concepts, "", None, "campaign")) == 2
    assert next_status("approved") == "proposed" and next_status("rejected") == "approved"
    ranked = rank_concepts(glossary.concepts, "water")
    assert ranked[0].id == "water-army"
    assert rank_concepts(glossary.concepts, "mdmpool")[0].id == "modem-pool"  # fuzzy


def test_highlight_and_kwic() -> None:
    text = "The Cat-Pool and a cat pool."
    spans = [(s.start, s.end) for s in highlight_forms(text, ["cat pool"]).spans]
    assert spans == [(4, 12), (19, 27)]
    line = kwic("x " * 40 + "cat pool was seized", ["cat pool"], 40)
    assert "cat pool" in line.plain and len(line.plain) <= 40


def test_inline_ignore_and_fix(glossary: terms.Glossary) -> None:
    from glossary.check import CheckContext, check_text
    from glossary.diagnostics import select_rules

    txt = Document.from_text("A cat pool.\r\nNext line\r\n", "a.txt")
    assert with_inline_ignore(txt, 1, "DQ101") == (
        "A cat pool. # decalque: ignore DQ101\r\nNext line\r\n")
    md = Document.from_text("one\ntwo cat pool", "a.md")
    assert with_inline_ignore(md, 2, "DQ101") == "one\ntwo cat pool <!-- decalque: ignore DQ101 -->"
    ctx = CheckContext.build(glossary, select_rules(["DQ101"]))
    diags = check_text("A cat pool and a cat pool.", ctx, "a.txt")
    doc = Document.from_text("A cat pool and a cat pool.", "a.txt")
    assert with_fix(doc, diags[1]) == "A cat pool and a modem pool."
    assert apply_fixes(doc.text, diags)[1] == 2
    # the ignore marker suppresses the finding on re-check
    ignored = with_inline_ignore(doc, 1, "DQ101")
    assert check_text(ignored, ctx, "a.txt") == []


def test_bilingual_rows(glossary: terms.Glossary, tmp_path: Path) -> None:
    english = (DATA / "en" / "report.txt").read_text(encoding="utf-8")
    planted = tmp_path / "report.txt"
    planted.write_text(english.replace("12 websites", "120 websites"), encoding="utf-8")
    rows, note = build_rows([(str(DATA / "zh" / "report.txt"), str(planted))], glossary)
    assert len(rows) == 5  # a file header and four sentences
    assert rows[1].missing == ["water-army"]
    assert [(d.code, d.found) for d in rows[3].findings] == [("DQ201", "Net Net"),
                                                             ("DQ202", "120")]
    assert "DQ201" in note and "1 number mismatches (DQ202)" in note
    spans = [(span.start, span.end) for span in rows[1].en.spans]
    assert (rows[1].en.plain.index("network water army"),
            rows[1].en.plain.index("network water army") + len("network water army")) in spans
    assert any(span.style == "bold cyan" for span in rows[1].zh.spans)
