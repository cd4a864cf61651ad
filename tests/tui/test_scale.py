"""10,000 candidates and 5,000 concepts: the tables stay lazy (a chunk of rows at a time),
filters run in a worker, the cursor moves. Timings: benchmarks/tui_scale.py."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from textual.widgets import Input

from glossary import terms
from glossary.extract.score import Candidate, Form
from tui.app import ReviewApp
from tui.screens.candidates import CandidatesScreen
from tui.screens.glossary import GlossaryScreen
from tui.state import ReviewState


def _data(tmp_path: Path) -> tuple[ReviewState, list[Candidate]]:
    concepts = [terms.Concept(id=f"concept-{i}", preferred=f"term {i}", zh=(f"术语{i}",),
                              deprecated=(f"old term {i}",), status="approved",
                              category=terms.CATEGORIES[i % len(terms.CATEGORIES)])
                for i in range(5000)]
    path = tmp_path / "terms.csv"
    terms.build(concepts, str(path)).save(str(path))
    candidates = [Candidate(f"phrase {i}", 10000 - i, [Form(f"phrase {i}", 3, 2)],
                            {"quoted": 1.0, "docs": 2.0, "count": 3.0},
                            [(f"doc{i % 50}.txt", i, f"a context with phrase {i} inside")])
                  for i in range(10000)]
    return ReviewState.open(str(path)), candidates


def test_ten_thousand_candidates(tmp_path: Path) -> None:
    state, candidates = _data(tmp_path)

    async def run() -> None:
        app = ReviewApp(state, candidates=candidates, filter_delay=0, watch_interval=0)
        started = time.perf_counter()
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.registered.get("candidates")
            while not (isinstance(screen, CandidatesScreen) and screen.table.row_count):
                assert time.perf_counter() - started < 120, "the table never filled"
                await pilot.pause(0.01)
                screen = app.registered.get("candidates")
            assert isinstance(screen, CandidatesScreen)
            # only a chunk is materialised; moving to the end loads the rest on demand
            assert screen.table.row_count < 1000
            for _ in range(10):
                await pilot.press("down")
            assert screen.table.cursor_row == 10
            # the widest possible refilter, on the UI thread, is one chunk of rows
            screen._show_rows(list(range(len(candidates))))
            assert screen.table.row_count < 1000
            await pilot.press("slash")
            screen.query_one("#candidates-filter", Input).value = "phrase 9999"
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.shown == [9999]
            # glossary screen with 5,000 concepts, filtered by category
            began = time.perf_counter()
            await pilot.press("2")
            glossary = app.registered.get("glossary")
            while not (isinstance(glossary, GlossaryScreen) and glossary.table.row_count):
                assert time.perf_counter() - began < 120, "the glossary table never filled"
                await pilot.pause(0.01)
                glossary = app.registered.get("glossary")
            assert isinstance(glossary, GlossaryScreen)
            assert len(glossary.shown) == 5000
            # an edit validates against all 5,000 concepts without a noticeable pause
            concept = state.glossary.concepts[10]
            assert app.problems_with(concept, new=False) == []

    asyncio.run(run())
