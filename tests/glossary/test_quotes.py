"""Quotation spans: marks paired in order however long the quotation, nested ones found."""

from __future__ import annotations

from glossary.documents import Document
from glossary.extract.candidates import document_phrases
from glossary.quotes import QUOTED_OR_SINGLE, quotations

# blind document 202: a quotation of 113 characters before a short one
LONG = ('the Central No. 1 Document on "comprehensive governance of prominent problems such as '
        'high amount of bride price and big operation and big handling". Building a "marriage '
        'custom reform experimental zone" under the theme.')
# seed 002: a speech in straight quotes holding a quoted calque in curly single quotes
NESTED = ('"At present, black and gray industries have become large-scale, and traditional '
          'crimes are easily upgraded ‘ Touching the net ’ The online and offline confluence '
          'is obvious. " Jinke said.')


def texts(text: str) -> list[str]:
    return [inner for _, _, inner in quotations(text, QUOTED_OR_SINGLE)]


def test_a_long_quotation_is_paired_whole() -> None:
    found = texts(LONG)
    assert found[1] == "marriage custom reform experimental zone"
    assert found[0].startswith("comprehensive governance") and len(found) == 2
    keys = document_phrases(Document.from_text(LONG, "a.txt")).phrases
    assert "building a" not in keys  # between a closing and an opening mark


def test_quotations_inside_a_long_one_are_found() -> None:
    found = texts(NESTED)
    assert found[-1] == "Touching the net" and found[0].startswith("At present")
    mark, start, inner = next(q for q in quotations(NESTED) if q[2] == "Touching the net")
    assert NESTED[start:start + len(inner)] == inner and NESTED[mark] == "‘"
