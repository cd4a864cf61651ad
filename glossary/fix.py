"""Apply safe fixes to a text: non-overlapping, right to left, so offsets stay valid."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from glossary.diagnostics import Diagnostic


def apply_fixes(text: str, diagnostics: Iterable[Diagnostic]) -> tuple[str, int]:
    """Return the fixed text and how many fixes were applied (overlapping fixes: first wins)."""
    fixes = sorted({d.fix for d in diagnostics if d.fix is not None and d.fix.safe},
                   key=lambda f: (f.start, f.end))
    chosen = []
    last_end = -1
    for fix in fixes:
        if fix.start >= last_end:
            chosen.append(fix)
            last_end = fix.end
    pieces: list[str] = []
    position = 0
    for fix in chosen:
        pieces.append(text[position:fix.start])
        pieces.append(fix.replacement)
        position = fix.end
    pieces.append(text[position:])
    return "".join(pieces), len(chosen)


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of a fix, as ``--diff`` prints it."""
    return "".join(difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True),
        fromfile=f"a/{path}", tofile=f"b/{path}"))
