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


def engine_options(func: object) -> object:
    """--engine, --scheduler, --partitions: where the per-file work runs (glossary/engine.py)."""
    from glossary.engine import ENGINES

    for option in reversed((
        click.option("--engine", type=click.Choice(ENGINES), default="local",
                     help="Where files are read and mapped: this process, or a Dask cluster "
                          '(pip install "decalque[dask]"; see docs/scale.md).'),
        click.option("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler (tcp://host:8786); default: a local cluster."),
        click.option("--partitions", type=click.IntRange(min=1), default=None,
                     help="Dask tasks to split the files into (default: by size and workers)."),
    )):
        func = option(func)  # type: ignore[arg-type]
    return func


def glossary_option(func: object) -> object:
    return click.option("--glossary", "-g", "glossary", metavar="CSV", default=None,
                        help=GLOSSARY_HELP)(func)  # type: ignore[arg-type]


PROGRESS_DELAY = 1.0  # seconds: quick runs never flash a bar


@contextmanager
def progress(total: int, label: str, enabled: bool = True) -> Iterator[object]:
    """A rich progress bar on stderr, on a terminal, for runs that last over a second (it
    appears after PROGRESS_DELAY, from a timer, so a slow start such as a Dask cluster
    coming up shows too); a no-op otherwise. The yielded ``advance(n)`` is thread-safe."""
    if not enabled or total < 2 or not sys.stderr.isatty():
        yield lambda n=1: None
        return
    import threading

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress("[progress.description]{task.description}", BarColumn(),
                   MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task(label, total=total)
    lock = threading.Lock()
    state = {"started": False, "closed": False}

    def start() -> None:
        with lock:
            if not state["closed"]:
                bar.start()
                state["started"] = True

    timer = threading.Timer(PROGRESS_DELAY, start)
    timer.daemon = True
    timer.start()
    try:
        yield lambda n=1: bar.advance(task, n)
    finally:
        timer.cancel()
        with lock:
            state["closed"] = True
            if state["started"]:
                bar.stop()


def echo(text: str, err: bool = False) -> None:
    """Print without an extra newline; output is written as UTF-8 whatever the locale."""
    stream = sys.stderr if err else sys.stdout
    try:
        stream.write(text)
    except UnicodeEncodeError:
        stream.buffer.write(text.encode("utf-8"))  # type: ignore[attr-defined]
    stream.flush()
