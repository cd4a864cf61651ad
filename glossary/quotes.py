"""Quotation spans in English text, one pattern for the checker's quoted phrases (DQ106)
and the extractor's quoted candidates.

Quotation marks of a kind are paired in order within a line, up to a paragraph's length,
and quotations inside a long one are found too. With a length limit, a long quotation was
skipped and its closing mark paired with the next quotation's opening mark ('... big
handling". Building a "marriage ...' gave the "quoted phrase" ". Building a").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# the longest quotation paired: a paragraph's (a long one is skipped whole, and the regex
# does not scan a line to its end from every unclosed mark)
LONGEST = 1000
_DOUBLE = "|".join(rf"{a}\s*([^{b}\n]{{1,{LONGEST}}}?)\s*{b}"
                   for a, b in (('\\"', '\\"'), ("“", "”"), ("「", "」"), ("‘", "’")))
# straight single quotes, whose marks are also apostrophes: no opening mark after a letter
# ("people's"), none closing before one, and a short span
_SINGLE = r"|(?<![A-Za-z])'\s*([^'\n]{1,60}?)\s*'(?!\w)"

QUOTED = re.compile(_DOUBLE)  # groups 1-4: the inner text of one kind of quotation
QUOTED_OR_SINGLE = re.compile(_DOUBLE + _SINGLE)  # ... and group 5, straight single quotes
_MARKS = frozenset("\"“「‘'")


def quotations(text: str, pattern: re.Pattern[str] = QUOTED,
               offset: int = 0) -> Iterator[tuple[int, int, str]]:
    """(opening mark, start of the text, the text) of every quotation in ``text``, nested
    ones after the one holding them ("... upgraded ‘ Touching the net ’ The online ..."
    said in a straight-quoted speech)."""
    for found in pattern.finditer(text):
        index = next(i for i in range(1, (pattern.groups or 0) + 1)
                     if found.group(i) is not None)
        inner, start = found.group(index), found.start(index)
        yield offset + found.start(), offset + start, inner
        if not _MARKS.isdisjoint(inner):
            yield from quotations(inner, pattern, offset + start)
