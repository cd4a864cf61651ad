"""OmegaT's tab-separated glossary: ``source<TAB>target<TAB>comment`` per line, UTF-8.

OmegaT reads ``*.txt`` and ``*.utf8`` glossaries as UTF-8 and skips lines starting with ``#``.
Each Chinese term of a concept becomes one line pointing at the preferred English form; the
comment names the deprecated forms (what not to write), admitted forms and the note, because
the comment is all a translator sees next to the suggestion.
"""

from __future__ import annotations

import re

from glossary.errors import DecalqueError
from glossary.exchange.model import View
from glossary.terms import Concept

_BREAKS = re.compile(r"[\t\r\n]+")


def _clean(text: str) -> str:
    """Tabs and line breaks would split the record: they become spaces."""
    return _BREAKS.sub(" ", text).strip()


def comment(concept: Concept) -> str:
    parts = []
    if concept.deprecated:
        parts.append("Deprecated (do not use): " + "; ".join(concept.deprecated))
    if concept.admitted:
        parts.append("Also acceptable: " + "; ".join(concept.admitted))
    if concept.status != "approved":
        parts.append(f"Status: {concept.status}")
    if concept.note:
        parts.append(concept.note)
    return _clean(" — ".join(parts))


def dump(view: View) -> bytes:
    if view.langs != ("zh", "en"):
        raise DecalqueError("the OmegaT glossary pairs Chinese with English: use --lang zh,en")
    lines = [f"# decalque glossary from {view.source_name}: Chinese -> preferred English; "
             "comment lists deprecated forms"]
    for concept in view.concepts:
        for zh in concept.zh:
            lines.append(f"{_clean(zh)}\t{_clean(concept.preferred)}\t{comment(concept)}")
    return ("\n".join(lines) + "\n").encode("utf-8")
