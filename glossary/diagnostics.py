"""``Diagnostic``, the one finding type, and the rule registry (stable code + kebab-case name).

Every rule, every renderer (concise, full, json, sarif, github), the fixer and the TUI use this
type, as ruff does: a new output format is a function over ``list[Diagnostic]``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from glossary.errors import DecalqueError


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    summary: str
    default: bool = True
    fixable: bool = False


RULES: tuple[Rule, ...] = (
    Rule("DQ001", "read-error", "A file could not be read or decoded; it was skipped."),
    Rule("DQ101", "deprecated-term",
         "A deprecated (literal or wrong) rendering of a glossary concept.", fixable=True),
    Rule("DQ102", "inconsistent-rendering",
         "One concept is rendered in more than one way across the documents checked together."),
    Rule("DQ103", "inconsistent-case",
         "The same term or quoted phrase is capitalised differently across the documents."),
    Rule("DQ104", "romanized-chinese", "Pinyin left untranslated in the English text."),
    Rule("DQ105", "untranslated-chinese", "Chinese characters in an English document."),
    Rule("DQ106", "literal-number-unit",
         "A Chinese number unit rendered word by word (\"3.2 hundred million\" for 3.2亿).",
         fixable=True),
    Rule("DQ201", "key-term-mismatch",
         "The source has a glossary term; the aligned English has neither its preferred nor an "
         "admitted rendering."),
    Rule("DQ202", "number-mismatch",
         "A number in the source sentence has no equal value in the aligned English, or the "
         "reverse."),
    Rule("DQ203", "inconsistent-source-rendering",
         "One Chinese term is rendered differently across the bilingual corpus."),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}
RULES_BY_NAME = {rule.name: rule for rule in RULES}


def rule(code_or_name: str) -> Rule:
    """Look a rule up by code (DQ101) or name (deprecated-term)."""
    key = code_or_name.strip()
    found = RULES_BY_CODE.get(key.upper()) or RULES_BY_NAME.get(key.lower())
    if found is None:
        raise DecalqueError(f"unknown rule {code_or_name!r} (see 'decalque rules')")
    return found


def _expand(selector: str) -> set[str]:
    """A code, a name, a code prefix ('DQ1', 'DQ') or 'ALL' -> rule codes."""
    key = selector.strip()
    if not key:
        return set()
    if key.upper() == "ALL":
        return set(RULES_BY_CODE)
    if key.lower() in RULES_BY_NAME:
        return {RULES_BY_NAME[key.lower()].code}
    codes = {code for code in RULES_BY_CODE if code.startswith(key.upper())}
    if not codes:
        raise DecalqueError(f"unknown rule {selector!r} (see 'decalque rules')")
    return codes


def select_rules(select: Iterable[str] | None = None,
                 ignore: Iterable[str] | None = None) -> frozenset[str]:
    """The enabled rule codes: defaults (or ``select``) minus ``ignore``; DQ001 always on."""
    if select:
        enabled: set[str] = set()
        for item in select:
            enabled |= _expand(item)
    else:
        enabled = {r.code for r in RULES if r.default}
    for item in ignore or ():
        enabled -= _expand(item)
    enabled.add("DQ001")
    return frozenset(enabled)


# not frozen, for speed, but immutable by convention (see Diagnostic)
@dataclass(slots=True, unsafe_hash=True)
class Fix:
    """Replace ``[start, end)`` of the document text with ``replacement``."""

    start: int
    end: int
    replacement: str
    safe: bool = True


# Built once per finding (or match): not frozen, since a frozen dataclass takes ~6x longer
# to build (each field through object.__setattr__); treated as immutable all the same
# (hashable by value, changed only through dataclasses.replace).
@dataclass(slots=True, unsafe_hash=True)
class Diagnostic:
    """One finding at a span of one file (1-based line/col, character offsets)."""

    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    code: str
    message: str
    start: int = 0
    end: int = 0
    concept: str | None = None
    found: str = ""
    suggestion: str | None = None
    fix: Fix | None = None
    severity: str = "warning"

    @property
    def name(self) -> str:
        return RULES_BY_CODE[self.code].name

    @property
    def fixable(self) -> bool:
        return self.fix is not None and self.fix.safe

    def sort_key(self) -> tuple[str, int, int, str, int]:
        return (self.path, self.line, self.col, self.code, self.end)

    def to_json(self) -> dict[str, object]:
        """The stable JSON object documented in docs/output.md."""
        return {
            "path": self.path, "line": self.line, "col": self.col,
            "end_line": self.end_line, "end_col": self.end_col,
            "code": self.code, "name": self.name, "message": self.message,
            "severity": self.severity, "concept": self.concept, "found": self.found,
            "suggestion": self.suggestion, "fixable": self.fixable,
            "fix": asdict(self.fix) if self.fix else None,
        }
