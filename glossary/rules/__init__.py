"""Rule families. Per-document rules yield diagnostics from one document and its matches;
cross-document rules reduce the small per-document summaries defined here, which is what lets
a distributed engine run the same functions (map per document, reduce once)."""

from __future__ import annotations

from dataclasses import dataclass

from glossary.diagnostics import Diagnostic, Fix
from glossary.documents import Document
from glossary.terms import FormKind


# not frozen, for speed, but immutable by convention (see Diagnostic)
@dataclass(slots=True, unsafe_hash=True)
class Occurrence:
    """One located surface string in one document: a glossary rendering or a quoted phrase."""

    path: str
    start: int
    end: int
    line: int
    col: int
    end_line: int
    end_col: int
    surface: str
    sentence_initial: bool = False
    concept: str | None = None
    kind: FormKind | None = None
    form: str | None = None
    # capitalised because it stands in a title (match.in_title_case): no evidence of how the
    # writer spells the term, so DQ103 leaves it out
    title_case: bool = False


def located(doc: Document, start: int, end: int, surface: str, **fields: object) -> Occurrence:
    """An Occurrence with line/col computed from the document's line index."""
    line, col, end_line, end_col = doc.span(start, end)
    return Occurrence(doc.path, start, end, line, col, end_line, end_col, surface,
                      **fields)  # type: ignore[arg-type]


def diagnostic_at(occ: Occurrence, code: str, message: str, *, suggestion: str | None = None,
                  fix: Fix | None = None, severity: str = "warning",
                  concept: str | None = None) -> Diagnostic:
    """A Diagnostic over the span of an occurrence."""
    return Diagnostic(occ.path, occ.line, occ.col, occ.end_line, occ.end_col, code, message,
                      occ.start, occ.end, concept if concept is not None else occ.concept,
                      occ.surface, suggestion, fix, severity)  # positional: bound faster
