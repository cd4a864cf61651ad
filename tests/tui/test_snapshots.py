"""Each screen pinned at 120x40 (pytest-textual-snapshot; update with --snapshot-update).

The data is the fixed test glossary, candidates and documents, opened from a temporary copy
under relative paths, so the pictures do not depend on where the tests run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_support import SIZE, copy_work, make_app

from tui.app import ReviewApp


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReviewApp:
    copy_work(tmp_path, monkeypatch)
    return make_app()


def keys(*presses: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Press keys, letting workers (check, alignment, filter) finish after each."""

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        for key in presses:
            await pilot.press(key)
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    return run


def test_candidates_screen(snap_compare: Any, app: ReviewApp) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys())


def test_approve_form(snap_compare: Any, app: ReviewApp) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("a"))


def test_glossary_screen(snap_compare: Any, app: ReviewApp) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("2", "down"))


def test_findings_screen(snap_compare: Any, app: ReviewApp) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("3", "enter"))


def test_bilingual_screen(snap_compare: Any, app: ReviewApp) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("4"))


def test_help_screen(snap_compare: Any, app: ReviewApp) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("question_mark"))
