"""Rule families. Per-document rules yield diagnostics from one document and its matches;
cross-document rules reduce the small per-document summaries defined here, which is what lets
a distributed engine run the same functions (map per document, reduce once)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
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
    # no evidence of how the writer spells the term, so DQ103 leaves it out: capitalised in a
    # title (match.in_title_case) or a longer name, or an institution's common-noun use
    case_unknown: bool = False


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


class Covered:
    """The spans a document's glossary matches cover, for O(log n) tests of other spans (a
    linear scan per pinyin word or quoted phrase made a dense document quadratic). The spans
    of one document's matches never overlap; overlapping ones are merged here all the same,
    which keeps ``overlaps`` exact (``contains`` then asks about their union)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):
            if self._ends and start < self._ends[-1]:
                self._ends[-1] = max(self._ends[-1], end)
            else:
                self._starts.append(start)
                self._ends.append(end)

    def overlaps(self, start: int, end: int) -> bool:
        """Some covered span shares a character with ``[start, end)``."""
        index = bisect.bisect_right(self._ends, start)  # the first span ending after start
        return index < len(self._starts) and self._starts[index] < end

    def contains(self, start: int, end: int) -> bool:
        """A covered span includes ``[start, end)``."""
        index = bisect.bisect_right(self._starts, start) - 1  # the last span starting at or before
        return index >= 0 and end <= self._ends[index]
