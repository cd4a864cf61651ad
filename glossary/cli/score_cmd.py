"""``decalque score``: BLEU, chrF, TER and glossary term metrics of translations against
references, optionally before and after ``check --fix`` and against a baseline system."""

from __future__ import annotations

import io
import json
import shutil
import sys
from collections.abc import Sequence
from typing import Any

import click

from glossary.cli import main
from glossary.cli.common import echo, glossary_option, glossary_path, progress
from glossary.errors import DecalqueError

# Options that take several values (``--ref a.txt b.txt``): click options take one value each,
# so the words after them are rewritten to ``--ref a.txt --ref b.txt`` before parsing.
_MULTI = ("--ref", "--src", "--baseline")

LABELS = {
    "bleu": "BLEU", "chrf": "chrF2", "chrf++": "chrF2++", "ter": "TER",
    "term_accuracy": "TermAcc%", "deprecated_per_1k": "Dep/1k", "consistency": "Consist%",
}


def expand_multi(args: Sequence[str]) -> list[str]:
    """``--ref a b --src c`` -> ``--ref a --ref b --src c``; everything after ``--`` is kept."""
    out: list[str] = []
    current: str | None = None
    used = False
    for index, arg in enumerate(args):
        starts_option = arg == "--" or arg in _MULTI or (arg.startswith("-") and arg != "-")
        if starts_option and current is not None and not used:
            out.append(current)  # a flag without a value: let click report it
        if arg == "--":
            return out + list(args[index:])
        if arg in _MULTI:
            current, used = arg, False
        elif starts_option:
            current = None
            out.append(arg)
        elif current is not None:
            out.extend([current, arg])
            used = True
        else:
            out.append(arg)
    if current is not None and not used:
        out.append(current)
    return out


class _ScoreCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, expand_multi(args))


def _read_lines(path: str) -> tuple[str, list[str]]:
    """The decoded text and its sacrebleu-style lines; an empty file is an error."""
    from aligner.score import segments
    from glossary.encoding import read_text

    text = read_text(path).text
    lines = segments(text)
    if not any(line.strip() for line in lines):
        raise DecalqueError("empty file (nothing to score)", path)
    return text, lines


def _count_error(what: str, given: int, hyps: int) -> DecalqueError:
    return DecalqueError(f"{hyps} hypothesis file(s) but {given} {what} file(s): give one per "
                         "HYP, in the same order (put HYP files before the options)")


@main.command("score", cls=_ScoreCommand)
@click.argument("hyps", nargs=-1, required=True, metavar="HYP...")
@click.option("--ref", "refs", multiple=True, required=True, metavar="REF...",
              help="Reference translation(s), one per HYP, same order.")
@click.option("--src", "srcs", multiple=True, metavar="ZH...",
              help="Chinese source(s), one per HYP: term accuracy counts the glossary's "
                   "Chinese terms found there (else: terms found in the reference).")
@glossary_option
@click.option("--metrics", "-m", "metrics", default=None, metavar="LIST",
              help="Comma-separated: bleu,chrf,chrf++,ter,term (default: bleu,chrf,ter,term).")
@click.option("--sentence", is_flag=True, help="Add per-segment scores.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              help="Output format (default: table).")
@click.option("--compare-fix", is_flag=True,
              help="Also score each HYP after 'decalque check --fix' (in memory) and show deltas.")
@click.option("--baseline", "baselines", multiple=True, metavar="HYP...",
              help="Baseline system output(s), one per HYP: paired bootstrap significance.")
@click.option("--bootstrap", "n_bootstrap", type=click.IntRange(10, 100_000), default=1000,
              show_default=True, help="Resamples for the paired bootstrap test.")
@click.option("--html", "html_path", metavar="FILE",
              help="Also write a self-contained HTML report (tables and charts).")
@click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
def score_cmd(hyps: tuple[str, ...], refs: tuple[str, ...], srcs: tuple[str, ...],
              glossary: str | None, metrics: str | None, sentence: bool, fmt: str,
              compare_fix: bool, baselines: tuple[str, ...], n_bootstrap: int,
              html_path: str | None, no_progress: bool) -> None:
    """Score translations against references: BLEU, chrF, TER (sacrebleu) and term metrics.

    One segment per line, as sacrebleu reads files; when a HYP and its REF have different
    line counts they are aligned and the output says so. Term metrics use the glossary:
    term accuracy, deprecated forms per 1,000 words and rendering consistency
    (definitions: docs/score.md).

    Exit codes: 0 scored, 2 usage or input error (empty, binary or undecodable file).

    \b
    Examples:
      decalque score seeds/000-*.txt --ref seeds/ref/000-*.txt --src seeds/zh/000-*.txt
      decalque score mt/a.txt mt/b.txt --ref ref/a.txt ref/b.txt --compare-fix --html out.html
      decalque score new.txt --ref ref.txt --baseline old.txt --format json
    """
    from aligner import score as scoring
    from glossary import terms
    from glossary.config import load_config

    try:
        names = scoring.parse_metrics(metrics)
    except ValueError as exc:
        raise DecalqueError(str(exc)) from None
    if len(refs) != len(hyps):
        raise _count_error("reference", len(refs), len(hyps))
    if srcs and len(srcs) != len(hyps):
        raise _count_error("source", len(srcs), len(hyps))
    if baselines and len(baselines) != len(hyps):
        raise _count_error("baseline", len(baselines), len(hyps))
    gloss = None
    gloss_path = None
    warnings: list[str] = []
    if "term" in names or compare_fix:
        try:
            gloss_path = glossary_path(glossary, load_config())
        except DecalqueError:
            if metrics or glossary or compare_fix:
                raise
            # default metrics and no glossary anywhere: score what needs none, and say so
            names = tuple(n for n in names if n != "term")
            warnings.append("no glossary found (pass --glossary or set [tool.decalque] "
                            "glossary in pyproject.toml): term metrics skipped")
        else:
            gloss = terms.load_valid(gloss_path)
    texts: list[str] = []
    docs: list[scoring.DocumentInput] = []
    for index, hyp_path in enumerate(hyps):
        text, hyp_lines = _read_lines(hyp_path)
        _, ref_lines = _read_lines(refs[index])
        src_lines = _read_lines(srcs[index])[1] if srcs else None
        texts.append(text)
        docs.append(scoring.DocumentInput(hyp_path, hyp_lines, ref_lines, refs[index],
                                          src_lines, srcs[index] if srcs else None))
    baseline_lines = [_read_lines(path)[1] for path in baselines]

    run = scoring.ScoreRun(names, gloss, "src" if srcs else "ref")
    for warning in warnings:
        echo(f"decalque: warning: {warning}\n", err=True)
    # segment statistics to compute, per metric and system (a fixed text reuses unchanged ones)
    work = sum(len(doc.ref) for doc in docs) * len(names) * (1 + compare_fix + bool(baselines))
    with progress(work, "scoring", not no_progress) as advance:
        run.cache.advance = advance
        report = _report(run, names, gloss, gloss_path, docs, texts, baseline_lines, baselines,
                         warnings, sentence, compare_fix, n_bootstrap)
    if html_path:
        from aligner.score_report import render_html
        from glossary.atomic import write_atomic

        write_atomic(html_path, render_html(report).encode("utf-8"))
    if fmt == "json":
        echo(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        echo(render_table(report))
    if html_path:
        echo(f"wrote {html_path}\n", err=True)


def _report(run: Any, names: tuple[str, ...], gloss: Any, gloss_path: str | None,
            docs: list[Any], texts: list[str], baseline_lines: list[list[str]],
            baselines: tuple[str, ...], warnings: list[str], sentence: bool,
            compare_fix: bool, n_bootstrap: int) -> dict[str, Any]:
    """Score the documents, and their fixed texts and baselines when asked."""
    from aligner import score as scoring

    report: dict[str, Any] = {"schema": scoring.SCHEMA, "metrics": list(names),
                              "glossary": gloss_path}
    report.update(run.score(docs, sentence))
    report["notes"] = warnings + report["notes"]
    if compare_fix:
        assert gloss is not None
        from glossary.check import CheckContext
        from glossary.diagnostics import select_rules

        ctx = CheckContext.build(gloss, select_rules(["DQ101"]))
        fixed_docs = []
        counts = []
        for doc, text in zip(docs, texts, strict=True):
            new_text, count = scoring.fixed_text(text, gloss, doc.path, ctx)
            counts.append(count)
            fixed_docs.append(scoring.DocumentInput(
                doc.path, scoring.segments(new_text), doc.ref, doc.ref_path, doc.src,
                doc.src_path))
        fixed = run.score(fixed_docs, sentence)
        fixed["fixes"] = sum(counts)
        for entry, count in zip(fixed["documents"], counts, strict=True):
            entry["fixes"] = count
        report["fixed"] = fixed
        report["delta"] = {
            "corpus": scoring.delta(report["corpus"], fixed["corpus"]),
            "documents": [{"path": a["path"], **scoring.delta(a, b)}
                          for a, b in zip(report["documents"], fixed["documents"], strict=True)],
        }
    if baselines:
        base_docs = [scoring.DocumentInput(path, lines, doc.ref, doc.ref_path, doc.src,
                                           doc.src_path)
                     for path, lines, doc in zip(baselines, baseline_lines, docs, strict=True)]
        report["baseline"] = run.score(base_docs)
        report["baseline"]["significance"] = run.significance(docs, baseline_lines, n_bootstrap)
    report["signature"] = run.signatures()
    return report


# -- table output -------------------------------------------------------------------------------
def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def render_table(report: dict[str, Any]) -> str:
    """The report as rich tables (plain text when not writing to a terminal)."""
    from rich.console import Console
    from rich.table import Table

    from aligner.score import metric_keys

    tty = sys.stdout.isatty()
    buffer = io.StringIO()
    console = Console(file=buffer, width=shutil.get_terminal_size((120, 24)).columns,
                      force_terminal=tty, color_system="auto" if tty else None,
                      highlight=False, emoji=False)
    keys = metric_keys(report["metrics"])
    fixed = report.get("fixed")

    table = Table(title="decalque score" + (" (before -> after check --fix)" if fixed else ""),
                  title_justify="left")
    table.add_column("document", overflow="fold")
    for key in keys:
        table.add_column(LABELS[key], justify="right")
    table.add_column("segments", justify="right")

    def add(label: str, scores: dict[str, Any], style: str | None = None,
            signed: bool = False, end: bool = False, segments: str = "") -> None:
        table.add_row(label, *(_fmt(scores.get(k), signed) for k in keys), segments,
                      style=style, end_section=end)

    rows = list(zip(report["documents"], fixed["documents"] if fixed else [None] * len(
        report["documents"]), report["delta"]["documents"] if fixed else [None] * len(
        report["documents"]), strict=True))
    for index, (doc, after, change) in enumerate(rows):
        last = index == len(rows) - 1
        add(doc["path"], doc, end=last and not fixed, segments=str(doc["counts"]["segments"]))
        if fixed:
            add(f"  fixed ({after['fixes']} fixes)", after)
            add("  delta", change, style="cyan", signed=True, end=True)
    add("corpus", report["corpus"], style="bold",
        segments=str(report["counts"]["segments"]))
    if fixed:
        add(f"  fixed ({fixed['fixes']} fixes)", fixed["corpus"], style="bold")
        add("  delta", report["delta"]["corpus"], style="bold cyan", signed=True)
    console.print(table)

    for doc in report["documents"]:
        if "segments" in doc:
            seg_table = Table(title=f"segments: {doc['path']}", title_justify="left")
            seg_table.add_column("#", justify="right")
            seg_table.add_column("hyp lines")
            seg_table.add_column("ref lines")
            seg_keys = [k for k in ("bleu", "chrf", "chrf++", "ter") if k in keys]
            for key in seg_keys:
                seg_table.add_column(LABELS[key], justify="right")
            has_terms = any("term_occurrences" in s for s in doc["segments"])
            if has_terms:
                seg_table.add_column("terms ok/all", justify="right")
                seg_table.add_column("deprecated", justify="right")
            for seg in doc["segments"]:
                cells = [str(seg["index"]), _span(seg["hyp_lines"]), _span(seg["ref_lines"])]
                cells += [_fmt(seg.get(k)) for k in seg_keys]
                if has_terms:
                    cells += [f"{seg.get('term_correct', 0)}/{seg.get('term_occurrences', 0)}",
                              str(seg.get("deprecated", 0))]
                seg_table.add_row(*cells)
            console.print(seg_table)

    baseline = report.get("baseline")
    if baseline:
        sig = baseline["significance"]
        sig_table = Table(title=f"paired bootstrap vs baseline ({sig['n_samples']} resamples, "
                                f"seed {sig.get('seed')})", title_justify="left")
        for name in ("metric", "baseline", "system", "delta", "p-value", ""):
            sig_table.add_column(name, justify="left" if name in ("metric", "") else "right")
        for key, result in sig["metrics"].items():
            if result is None:
                sig_table.add_row(LABELS.get(key, key), "-", "-", "-", "-",
                                  "not tested (see notes)")
                continue
            p = result["p_value"]
            sig_table.add_row(LABELS.get(key, key), _fmt(result["baseline"]),
                              _fmt(result["system"]), _fmt(result["delta"], signed=True),
                              f"{p:.4f}" if p is not None else "-",
                              "significant (p < 0.05)" if _significant(result) else "")
        console.print(sig_table)

    out = buffer.getvalue()
    notes = list(report.get("notes", []))
    if fixed:
        notes += [n + " (after fix)" for n in fixed.get("notes", []) if n not in notes]
    out += "".join(f"note: {note}\n" for note in notes)
    names = {"bleu": "BLEU", "chrf": "chrF2", "chrf++": "chrF2++", "ter": "TER",
             "term": "TermAcc"}
    out += "".join(f"signature: {names[k]}|{v}\n" for k, v in report["signature"].items())
    return out


def _significant(result: dict[str, Any]) -> bool:
    """p < 0.05 with a real difference (sacrebleu gives p = 1/(n+1) for identical systems)."""
    return result["p_value"] is not None and result["p_value"] < 0.05 and bool(result["delta"])


def _span(lines: list[int]) -> str:
    if not lines:
        return "-"
    return str(lines[0]) if lines[0] == lines[1] else f"{lines[0]}-{lines[1]}"
