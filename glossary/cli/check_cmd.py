"""``decalque check``: lint translated documents against the glossary."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager

import click

from glossary import terms
from glossary.check import STDIN, CheckContext
from glossary.cli import main
from glossary.cli.common import (
    echo,
    engine_options,
    glossary_option,
    glossary_path,
    progress,
)
from glossary.config import load_config
from glossary.diagnostics import RULES, Diagnostic, select_rules
from glossary.engine import run_check, stream_check
from glossary.errors import DecalqueError
from glossary.files import DEFAULT_INCLUDE, collect, resolve_pairs
from glossary.fix import apply_fixes, unified_diff
from glossary.report import (
    FORMATS,
    RENDERERS,
    WRITERS,
    Chunk,
    Totals,
    signature,
    statistics_text,
    summary_text,
)


def _split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


@main.command("check")
@click.argument("paths", nargs=-1)
@glossary_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: concise).")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rules (codes, names or prefixes, comma-separated).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules.")
@click.option("--include", multiple=True, metavar="GLOB",
              help="File patterns taken from directories (default: *.txt *.md *.html).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="File or directory patterns to skip.")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place (atomic writes).")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Print counts per rule instead of findings.")
@click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
@click.option("--source", "sources", multiple=True, metavar="ZH_PATH",
              help="Chinese source files or folders, paired with the English by file name "
                   "(a language tag ending the name, news.en.txt / news.zh.txt, is left out); "
                   "enables DQ201-DQ203.")
@click.option("--pairs", "pairs_file", metavar="FILE",
              help="TSV/CSV of 'english<TAB>source' paths, one pair per line (instead of "
                   "pairing by name).")
@engine_options
def check_cmd(paths: tuple[str, ...], glossary: str | None, fmt: str | None,
              select: tuple[str, ...], ignore: tuple[str, ...], include: tuple[str, ...],
              exclude: tuple[str, ...], fix: bool, diff: bool, exit_zero: bool,
              statistics: bool, no_progress: bool, sources: tuple[str, ...],
              pairs_file: str | None, engine: str, scheduler: str | None,
              partitions: int | None) -> None:
    """Lint English translations against the glossary.

    PATHS are files, directories (searched recursively for *.txt, *.md, *.html) or '-' for
    stdin. Markdown/HTML markup, code and URLs are skipped. Settings come from
    [tool.decalque] in the nearest pyproject.toml; flags override them. Suppress a finding
    with '<!-- decalque: ignore DQ101 -->' (or '# decalque: ignore DQ101') on its line, or
    'ignore-next-line' on the line above.

    Exit codes: 0 no findings, 1 findings, 2 usage, configuration or glossary error.

    \b
    Examples:
      decalque check seeds/
      decalque check docs/ --format github --select DQ101,DQ102
      decalque check report.md --diff
      decalque check seeds/ --source seeds/zh/          # DQ201-DQ203 against the Chinese
      decalque check --pairs pairs.tsv                  # explicit English/source pairs
      cat draft.txt | decalque check -
      decalque check corpus/ --engine dask --scheduler tcp://scheduler:8786
    """
    config = load_config()
    path = glossary_path(glossary, config)
    gloss = terms.load_valid(path)
    rules = select_rules(_split(select) or list(config.select), _split(ignore)
                         or list(config.ignore))
    if not paths and not pairs_file:
        raise click.UsageError("give PATHS to check (or --pairs FILE)")
    fmt = fmt or config.format or "concise"
    if fmt not in FORMATS:
        raise DecalqueError(f"unknown format {fmt!r} in configuration (expected "
                            f"{'|'.join(FORMATS)})", config.path)
    per_file = {glob: [c for code in codes for c in select_rules([code]) - {"DQ001"}]
                for glob, codes in config.per_file_ignores.items()}
    patterns = tuple(_split(include)) or config.include or DEFAULT_INCLUDE
    fileset = collect(list(paths), patterns, tuple(_split(exclude)) + config.exclude)
    for bad_path, reason in fileset.problems:
        echo(f"decalque: warning: {bad_path}: {reason}\n", err=True)
    pairing, unpaired, fileset.files = resolve_pairs(fileset.files, list(paths), sources,
                                                     pairs_file, patterns)
    for source in unpaired:
        echo(f"decalque: warning: {source}: no English file pairs with this source; "
             f"skipped\n", err=True)
    for english in pairing:
        if english not in fileset.files:
            fileset.files.append(english)
    if not fileset.files:
        raise DecalqueError("no files to check (nothing matched the include patterns)",
                            ", ".join(paths))
    ctx = CheckContext.build(gloss, rules, per_file, sources=pairing)
    options = {"engine": engine, "scheduler": scheduler, "partitions": partitions}
    sig = signature(path, gloss.sha256, rules)
    files = len(fileset.files)
    if fix or diff:
        _check_and_fix(fileset.files, ctx, fmt, sig, fix, diff, exit_zero, statistics,
                       not no_progress, options)
        return
    machine = fmt in {"json", "sarif"}
    totals = Totals()
    with ExitStack() as cluster:
        with progress(files, "checking", not no_progress) as advance:
            stream = cluster.enter_context(stream_check(
                fileset.files, ctx, keep_documents=fmt == "full", progress=advance,
                **options))  # type: ignore[arg-type]
        # the progress bar is gone; findings are written chunk by chunk as they arrive
        chunks = _counted(stream.chunks, totals)
        if statistics:
            for _ in chunks:
                pass
            echo(statistics_text(totals))
        else:
            with _buffered() as write:
                WRITERS[fmt](chunks, write, totals=stream.totals, sig=sig, files=files)
    stream_err = machine or fmt == "github"
    echo(summary_text(totals, files) + "\n", err=stream_err)
    echo(f"signature: {sig}\n", err=stream_err)
    raise SystemExit(0 if exit_zero or not totals.findings else 1)


def _counted(chunks: Iterable[Chunk], totals: Totals) -> Iterator[Chunk]:
    """The chunks, counted into ``totals`` as they pass (for the closing summary)."""
    for chunk in chunks:
        totals.add(chunk[0])
        yield chunk


@contextmanager
def _buffered(limit: int = 1 << 16) -> Iterator[Callable[[str], None]]:
    """A writer to stdout that flushes every ``limit`` characters, not on every item."""
    pending: list[str] = []
    size = 0

    def write(text: str) -> None:
        nonlocal size
        pending.append(text)
        size += len(text)
        if size >= limit:
            echo("".join(pending))
            pending.clear()
            size = 0

    yield write
    echo("".join(pending))


def _check_and_fix(paths: list[str], ctx: CheckContext, fmt: str, sig: str, fix: bool,
                   diff: bool, exit_zero: bool, statistics: bool, show_progress: bool,
                   options: dict[str, object]) -> None:
    """--fix and --diff need every document with findings: one list in memory."""
    with progress(len(paths), "checking", show_progress) as advance:
        run = run_check(paths, ctx, keep_documents=True, progress=advance,
                        **options)  # type: ignore[arg-type]
    diagnostics = run.diagnostics
    fixed, changed = _apply(diagnostics, run.documents, write=fix and not diff)
    if diff:
        for diff_text in changed:
            echo(diff_text)
        echo(f"{fixed} fix(es) in {len(changed)} file(s) would be applied\n", err=True)
        raise SystemExit(0 if exit_zero or not changed else 1)
    if "-" in paths:
        diagnostics = [d for d in diagnostics if not d.fixable]
    elif fixed:
        run = run_check(paths, ctx, keep_documents=fmt == "full",
                        **options)  # type: ignore[arg-type]
        diagnostics = run.diagnostics
    machine = fmt in {"json", "sarif"}
    if statistics:
        echo(statistics_text(diagnostics))
    elif "-" not in paths:
        echo(RENDERERS[fmt](diagnostics, documents=run.documents, sig=sig, files=len(paths)))
    stream_err = machine or fmt == "github" or "-" in paths
    echo(summary_text(diagnostics, len(paths), fixed) + "\n", err=stream_err)
    echo(f"signature: {sig}\n", err=stream_err)
    raise SystemExit(0 if exit_zero or not diagnostics else 1)


def _apply(diagnostics: list[Diagnostic], documents: dict, write: bool) -> tuple[int, list[str]]:
    """Apply safe fixes per file; write atomically, or stdout for stdin; return diffs."""
    from glossary.atomic import write_atomic

    per_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in diagnostics:
        if diag.fixable:
            per_file[diag.path].append(diag)
    total = 0
    diffs: list[str] = []
    for path, diags in per_file.items():
        doc = documents.get(path)
        if doc is None:
            continue
        new_text, count = apply_fixes(doc.text, diags)
        if count == 0 or new_text == doc.text:
            continue
        total += count
        diffs.append(unified_diff(path, doc.text, new_text))
        if write:
            if path == STDIN:
                sys.stdout.write(new_text)
            else:
                write_atomic(path, doc.encode(new_text))
    if write and STDIN in documents and STDIN not in per_file:
        sys.stdout.write(documents[STDIN].text)
    return total, diffs


@main.command("rules")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def rules_cmd(as_json: bool) -> None:
    """List every rule with its code, name, default and whether it has a safe fix.

    \b
    Example:
      decalque rules
    """
    if as_json:
        import json

        echo(json.dumps([{"code": r.code, "name": r.name, "summary": r.summary,
                          "default": r.default, "fixable": r.fixable} for r in RULES],
                        indent=2) + "\n")
        return
    for r in RULES:
        echo(f"{r.code}  {r.name:<32} {'[*]' if r.fixable else '   '} {r.summary}\n")
