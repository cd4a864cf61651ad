"""Renderers over one list of diagnostics: concise, full, json, sarif, github; plus the closing
summary, ``--statistics`` and the sacrebleu-style signature line that says which glossary and
rules produced a CI log."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from glossary import __version__
from glossary.diagnostics import RULES, RULES_BY_CODE, Diagnostic
from glossary.documents import Document

FORMATS = ("concise", "full", "json", "sarif", "github")
JSON_SCHEMA_VERSION = 1
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def signature(glossary_path: str, glossary_sha256: str, rules: Iterable[str]) -> str:
    """``decalque:0.1.0|glossary:terms.csv@sha256:0123456789ab|rules:DQ101,...``"""
    codes = ",".join(sorted(rules))
    return (f"decalque:{__version__}|glossary:{glossary_path}@sha256:{glossary_sha256[:12]}"
            f"|rules:{codes}")


def _headline(diag: Diagnostic) -> str:
    return f"{diag.path}:{diag.line}:{diag.col}: {diag.code} [{diag.name}] {diag.message}"


def write_concise(chunks: Iterable[Chunk], write: Write, **_: object) -> None:
    for diagnostics, _docs in chunks:
        write("".join(_headline(d) + "\n" for d in diagnostics))


def write_full(chunks: Iterable[Chunk], write: Write, **_: object) -> None:
    for diagnostics, documents in chunks:
        write(_full(diagnostics, documents))


def _full(diagnostics: Sequence[Diagnostic],
          documents: Mapping[str, Document] | None = None) -> str:
    """Each finding with its source line and a caret under the span (columns in characters)."""
    out: list[str] = []
    for diag in diagnostics:
        out.append(_headline(diag))
        doc = (documents or {}).get(diag.path)
        if doc is not None:
            source = doc.line_text(diag.line)
            gutter = f"{diag.line:>5} | "
            end_col = diag.end_col if diag.end_line == diag.line else len(source) + 1
            width = max(1, end_col - diag.col)
            prefix = "".join(ch if ch == "\t" else " " for ch in source[: diag.col - 1])
            out.append(gutter + source)
            out.append(" " * (len(gutter) - 2) + "| " + prefix + "^" * width)
        if diag.fixable:
            out.append(f"      = fix: replace with \"{diag.fix.replacement}\"")  # type: ignore
        elif diag.suggestion:
            out.append(f"      = help: {diag.suggestion}")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


# A chunk: consecutive findings in output order, with the documents of their files (for
# --format full; may be empty). Renderers write chunk by chunk, so a run's findings never need
# to be in memory at once; ``render_*`` are the same writers over one chunk.
Chunk = tuple[Sequence[Diagnostic], Mapping[str, Document]]
Write = Callable[[str], None]
_SLOT = "\u0000decalque-stream\u0000"


def _write_array(payload: object, items: Iterable[object], write: Write) -> None:
    """``json.dumps(payload, ensure_ascii=False, indent=2)`` with the list that holds ``_SLOT``
    filled from ``items`` as they come: the same bytes, written incrementally."""
    text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    slot = text.index(json.dumps(_SLOT))
    bracket = text.rindex("[", 0, slot)
    indent = text[bracket + 1:slot]  # newline and the items' indentation
    tail = text[slot + len(json.dumps(_SLOT)):]
    close = tail.index("]")
    write(text[:bracket + 1])
    first = True
    for item in items:
        write(("" if first else ",") + indent
              + json.dumps(item, ensure_ascii=False, indent=2).replace("\n", indent))
        first = False
    write(tail[close:] if first else tail)


def _flat(chunks: Iterable[Chunk]) -> Iterable[Diagnostic]:
    return (diag for diagnostics, _ in chunks for diag in diagnostics)


def write_json(chunks: Iterable[Chunk], write: Write, *, totals: Totals, sig: str = "",
               files: int = 0, **_: object) -> None:
    """The stable JSON document described in docs/output.md (schema version 1); the summary
    comes first, so its counts (``totals``) are known before the findings stream."""
    payload = {
        "schema_version": JSON_SCHEMA_VERSION,
        "version": __version__,
        "signature": sig,
        "summary": summary_data(totals, files),
        "diagnostics": [_SLOT],
    }
    _write_array(payload, (d.to_json() for d in _flat(chunks)), write)


def _sarif_result(diag: Diagnostic, index: Mapping[str, int]) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": diag.code, "ruleIndex": index[diag.code],
        "level": _SARIF_LEVEL.get(diag.severity, "warning"),
        "message": {"text": diag.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": diag.path.replace("\\", "/")},
            "region": {"startLine": diag.line, "startColumn": diag.col,
                       "endLine": diag.end_line, "endColumn": diag.end_col},
        }}],
        "properties": {"concept": diag.concept, "found": diag.found,
                       "suggestion": diag.suggestion},
    }
    if diag.fixable and diag.fix is not None:
        result["fixes"] = [{
            "description": {"text": f'Replace with "{diag.fix.replacement}"'},
            "artifactChanges": [{
                "artifactLocation": {"uri": diag.path.replace("\\", "/")},
                "replacements": [{
                    "deletedRegion": {"startLine": diag.line, "startColumn": diag.col,
                                      "endLine": diag.end_line, "endColumn": diag.end_col},
                    "insertedContent": {"text": diag.fix.replacement},
                }],
            }],
        }]
    return result


def write_sarif(chunks: Iterable[Chunk], write: Write, *, sig: str = "", **_: object) -> None:
    """SARIF 2.1.0 with one rule descriptor per decalque rule."""
    index = {rule.code: i for i, rule in enumerate(RULES)}
    rules = [{
        "id": rule.code, "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "helpUri": "https://github.com/decalque/decalque/blob/main/docs/rules.md#"
                   + rule.code.lower(),
        "defaultConfiguration": {"level": "warning", "enabled": rule.default},
        "properties": {"fixable": rule.fixable},
    } for rule in RULES]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "decalque", "version": __version__,
                "informationUri": "https://github.com/decalque/decalque",
                "rules": rules,
            }},
            "automationDetails": {"id": sig},
            "columnKind": "unicodeCodePoints",
            "results": [_SLOT],
        }],
    }
    _write_array(sarif, (_sarif_result(d, index) for d in _flat(chunks)), write)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def write_github(chunks: Iterable[Chunk], write: Write, **_: object) -> None:
    """GitHub Actions workflow annotations, one per finding."""
    for diagnostics, _docs in chunks:
        write(_github(diagnostics))


def _github(diagnostics: Sequence[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        level = "error" if d.severity == "error" else "warning"
        title = _gh_escape(f"{d.code} {d.name}", prop=True)
        lines.append(
            f"::{level} file={_gh_escape(d.path, True)},line={d.line},col={d.col},"
            f"endLine={d.end_line},endColumn={d.end_col},title={title}::{_gh_escape(d.message)}")
    return "".join(line + "\n" for line in lines)


WRITERS: dict[str, Callable[..., None]] = {
    "concise": write_concise, "full": write_full, "json": write_json,
    "sarif": write_sarif, "github": write_github,
}


def _renderer(fmt: str) -> Callable[..., str]:
    def render(diagnostics: Sequence[Diagnostic],
               documents: Mapping[str, Document] | None = None, sig: str = "",
               files: int = 0, **_: object) -> str:
        out: list[str] = []
        WRITERS[fmt]([(diagnostics, documents or {})], out.append,
                     totals=Totals.of(diagnostics), sig=sig, files=files)
        return "".join(out)

    render.__name__ = f"render_{fmt}"
    render.__doc__ = f"The whole {fmt} output of one list of findings, as a string."
    return render


RENDERERS: dict[str, Callable[..., str]] = {fmt: _renderer(fmt) for fmt in WRITERS}
render_concise, render_full, render_json, render_sarif, render_github = (
    RENDERERS[fmt] for fmt in ("concise", "full", "json", "sarif", "github"))


@dataclass
class Totals:
    """The closing summary's counts, accumulated chunk by chunk as findings stream by (and
    computed next to each chunk on a Dask worker), so no list of findings is needed."""

    by_rule: Counter[str] = field(default_factory=Counter)  # first-appearance order
    fixable_by_rule: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic]) -> Totals:
        return cls().add(diagnostics)

    def add(self, diagnostics: Iterable[Diagnostic]) -> Totals:
        for diag in diagnostics:
            self.by_rule[diag.code] += 1
            if diag.fixable:
                self.fixable_by_rule[diag.code] += 1
        return self

    def merge(self, other: Totals) -> Totals:
        self.by_rule.update(other.by_rule)
        self.fixable_by_rule.update(other.fixable_by_rule)
        return self

    @property
    def fixable(self) -> int:
        return sum(self.fixable_by_rule.values())

    @property
    def findings(self) -> int:
        return sum(self.by_rule.values())


def _totals(diagnostics: Sequence[Diagnostic] | Totals) -> Totals:
    return diagnostics if isinstance(diagnostics, Totals) else Totals.of(diagnostics)


def summary_data(diagnostics: Sequence[Diagnostic] | Totals, files: int) -> dict[str, object]:
    totals = _totals(diagnostics)
    return {
        "files": files,
        "findings": totals.findings,
        "fixable": totals.fixable,
        "by_rule": dict(sorted(totals.by_rule.items())),
    }


def summary_text(diagnostics: Sequence[Diagnostic] | Totals, files: int, fixed: int = 0) -> str:
    data = summary_data(diagnostics, files)
    noun = "file" if files == 1 else "files"
    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.")
    if not data["findings"]:
        parts.append(f"All clear: no findings in {files} {noun}.")
        return " ".join(parts)
    rules = ", ".join(f"{code} {RULES_BY_CODE[code].name}: {n}"
                      for code, n in data["by_rule"].items())  # type: ignore[union-attr]
    parts.append(f"Found {data['findings']} finding{'s' if data['findings'] != 1 else ''} "
                 f"in {files} {noun} ({rules}).")
    if data["fixable"]:
        parts.append(f"{data['fixable']} fixable with --fix.")
    return " ".join(parts)


def statistics_text(diagnostics: Sequence[Diagnostic] | Totals) -> str:
    """Counts per rule, most frequent first, ``[*]`` marking fixable rules (as ruff does)."""
    totals = _totals(diagnostics)
    counts = totals.by_rule
    fixable = {code for code, n in totals.fixable_by_rule.items() if n}
    lines = []
    for code, count in counts.most_common():
        mark = "[*]" if code in fixable else "   "
        lines.append(f"{count:>6}\t{code}\t{mark} {RULES_BY_CODE[code].name}")
    return "\n".join(lines) + ("\n" if lines else "")
