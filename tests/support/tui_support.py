"""Shared set-up of the review TUI tests (import as ``from tui_support import ...``): the test
data folder, the screen size, a private working copy and an app over it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from glossary.extract.io import read_candidates
from tui.app import ReviewApp
from tui.state import ReviewState

DATA = Path(__file__).resolve().parents[1] / "data" / "tui"
SIZE = (120, 40)


def copy_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the test glossary and documents, made the current directory (relative
    paths keep snapshots independent of where the tests run)."""
    for item in DATA.iterdir():
        if item.is_dir():
            shutil.copytree(item, tmp_path / item.name)
        else:
            shutil.copy(item, tmp_path / item.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_app(**kwargs: Any) -> ReviewApp:
    """The app over the working copy: two documents, the candidates, one bilingual pair."""
    options: dict[str, Any] = {
        "files": ["en/notes.md", "en/report.txt"],
        "candidates": read_candidates("candidates.csv"),
        "pairs": [("zh/report.txt", "en/report.txt")],
        "filter_delay": 0, "watch_interval": 0,
    }
    options.update(kwargs)
    return ReviewApp(ReviewState.open("terms.csv"), **options)
