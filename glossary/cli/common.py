"""Helpers shared by the command modules: finding the glossary, progress, output streams."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from glossary.config import Config
from glossary.errors import DecalqueError

GLOSSARY_HELP = ("Glossary CSV (default: [tool.decalque] glossary in pyproject.toml, "
                 "else ./terms.csv).")


def glossary_path(flag: str | None, config: Config | None = None) -> str:
    """Flag > config > ./terms.csv; a missing file is a one-line error."""
    path = flag or (config.glossary if config else None) or "terms.csv"
    if not os.path.exists(path):
        raise DecalqueError("glossary not found (pass --glossary or set [tool.decalque] "
                            "glossary in pyproject.toml)", path)
    return path


def glossary_option(func: object) -> object:
    return click.option("--glossary", "-g", "glossary", metavar="CSV", default=None,
                        help=GLOSSARY_HELP)(func)  # type: ignore[arg-type]


@contextmanager
def progress(total: int, label: str, enabled: bool = True) -> Iterator[object]:
    """A rich progress bar on stderr for long runs on a terminal; a no-op otherwise."""
    if not enabled or total < 20 or not sys.stderr.isatty():
        yield lambda n=1: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n=1: bar.advance(task, n)


def echo(text: str, err: bool = False) -> None:
    """Print without an extra newline; output is written as UTF-8 whatever the locale."""
    stream = sys.stderr if err else sys.stdout
    try:
        stream.write(text)
    except UnicodeEncodeError:
        stream.buffer.write(text.encode("utf-8"))  # type: ignore[attr-defined]
    stream.flush()
