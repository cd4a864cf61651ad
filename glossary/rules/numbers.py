"""Number rule: DQ106 literal-number-unit, a Chinese number unit rendered word by word.

Chinese counts in 万 (10,000) and 亿 (100,000,000); MT renders "92.6亿元" as "92.6 hundred
million yuan" and "3.5万人" as "3.5 ten thousand people", figures no English writer would use.
The rule needs no glossary and no source: the unit words after a written figure say it, and
the fix is the same value in English units ("9.26 billion", "35,000"), so it is safe."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from glossary.diagnostics import Diagnostic, Fix
from glossary.documents import Document
from glossary.rules import diagnostic_at, located

# a figure in digits (thousands separators allowed) right before a unit, and the unit itself,
# in words English does not count in
_FIGURE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)[ \t]+\Z")
_UNIT = re.compile(
    r"(hundred[ \t]+million|ten[ \t]+million|hundred[ \t]+thousand|ten[ \t]+thousand)"
    r"(?![\w-])", re.IGNORECASE)
_UNITS = {"hundred million": ("亿", 10**8), "ten million": ("千万", 10**7),
          "hundred thousand": ("十万", 10**5), "ten thousand": ("万", 10**4)}


def english_figure(value: Decimal) -> str:
    """A value as English writes it: 9.26 billion, 186 million, 35,000, 12,500.5."""
    for scale, word in ((Decimal(10**12), "trillion"), (Decimal(10**9), "billion"),
                        (Decimal(10**6), "million")):
        if value >= scale:
            return f"{_plain(value / scale)} {word}"
    whole, _, fraction = _plain(value).partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def _plain(value: Decimal) -> str:
    """Digits without exponent or trailing zeros: 9.260 -> 9.26, 1E+2 -> 100."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# the units as the glossary matcher finds them (folded: lower case, one space), in the same
# scan as the glossary's forms (``Matcher(extra=UNIT_PHRASES)``): a regex or substring scan of
# its own cost 1.5-2.7 ms a MB, a tenth of the whole check
UNIT_PHRASES = tuple(_UNITS)
_FIGURE_REACH = 32  # characters before a unit that may hold its figure


def literal_number_units(doc: Document, units: Iterable[tuple[int, int]]) -> Iterator[Diagnostic]:
    """DQ106: each figure followed by a Chinese unit in words, with the English figure as a
    safe fix. ``units`` are the spans of ``UNIT_PHRASES`` the matcher found in the document."""
    text = doc.masked
    for at, _ in units:
        unit = _UNIT.match(text, at)
        figure = unit and _FIGURE.search(text, max(0, at - _FIGURE_REACH), at)
        if not (unit and figure):
            continue
        zh, size = _UNITS[" ".join(unit.group(1).lower().split())]
        suggestion = english_figure(Decimal(figure.group(1).replace(",", "")) * size)
        start, end = figure.start(), unit.end()
        surface = doc.text[start:end]
        occ = located(doc, start, end, surface)
        yield diagnostic_at(
            occ, "DQ106", f'"{surface}" → "{suggestion}": the Chinese unit {zh} rendered word '
            "by word", suggestion=suggestion, fix=Fix(start, end, suggestion))
