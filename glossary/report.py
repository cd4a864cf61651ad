"""Renderers over one list of diagnostics: concise, full, json, sarif, github; plus the closing
summary, ``--statistics`` and the sacrebleu-style signature line that says which glossary and
rules produced a CI log."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

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


def render_concise(diagnostics: Sequence[Diagnostic], **_: object) -> str:
    return "".join(_headline(d) + "\n" for d in diagnostics)


def render_full(diagnostics: Sequence[Diagnostic],
                documents: Mapping[str, Document] | None = None, **_: object) -> str:
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


def render_json(diagnostics: Sequence[Diagnostic], sig: str = "", files: int = 0,
                **_: object) -> str:
    """The stable JSON document described in docs/output.md (schema version 1)."""
    payload = {
        "schema_version": JSON_SCHEMA_VERSION,
        "version": __version__,
        "signature": sig,
        "summary": summary_data(diagnostics, files),
        "diagnostics": [d.to_json() for d in diagnostics],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def render_sarif(diagnostics: Sequence[Diagnostic], sig: str = "", **_: object) -> str:
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
    results = []
    for diag in diagnostics:
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
        results.append(result)
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
            "results": results,
        }],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(diagnostics: Sequence[Diagnostic], **_: object) -> str:
    """GitHub Actions workflow annotations, one per finding."""
    lines = []
    for d in diagnostics:
        level = "error" if d.severity == "error" else "warning"
        title = _gh_escape(f"{d.code} {d.name}", prop=True)
        lines.append(
            f"::{level} file={_gh_escape(d.path, True)},line={d.line},col={d.col},"
            f"endLine={d.end_line},endColumn={d.end_col},title={title}::{_gh_escape(d.message)}")
    return "".join(line + "\n" for line in lines)


RENDERERS: dict[str, Callable[..., str]] = {
    "concise": render_concise, "full": render_full, "json": render_json,
    "sarif": render_sarif, "github": render_github,
}


def summary_data(diagnostics: Sequence[Diagnostic], files: int) -> dict[str, object]:
    by_rule = Counter(d.code for d in diagnostics)
    return {
        "files": files,
        "findings": len(diagnostics),
        "fixable": sum(1 for d in diagnostics if d.fixable),
        "by_rule": dict(sorted(by_rule.items())),
    }


def summary_text(diagnostics: Sequence[Diagnostic], files: int, fixed: int = 0) -> str:
    data = summary_data(diagnostics, files)
    noun = "file" if files == 1 else "files"
    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.")
    if not diagnostics:
        parts.append(f"All clear: no findings in {files} {noun}.")
        return " ".join(parts)
    rules = ", ".join(f"{code} {RULES_BY_CODE[code].name}: {n}"
                      for code, n in data["by_rule"].items())  # type: ignore[union-attr]
    parts.append(f"Found {data['findings']} finding{'s' if data['findings'] != 1 else ''} "
                 f"in {files} {noun} ({rules}).")
    if data["fixable"]:
        parts.append(f"{data['fixable']} fixable with --fix.")
    return " ".join(parts)


def statistics_text(diagnostics: Sequence[Diagnostic]) -> str:
    """Counts per rule, most frequent first, ``[*]`` marking fixable rules (as ruff does)."""
    counts = Counter(d.code for d in diagnostics)
    fixable = {d.code for d in diagnostics if d.fixable}
    lines = []
    for code, count in counts.most_common():
        mark = "[*]" if code in fixable else "   "
        lines.append(f"{count:>6}\t{code}\t{mark} {RULES_BY_CODE[code].name}")
    return "\n".join(lines) + ("\n" if lines else "")
