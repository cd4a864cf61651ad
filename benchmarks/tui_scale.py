"""Review TUI at scale: 10,000 candidates and 5,000 concepts (issue #7 targets: first screen in
under 2 s after extraction; filtering and cursor moves never block).

Run by hand: ``python benchmarks/tui_scale.py``. Prints start-up, refilter, glossary-screen and
validation times; tests/tui/test_scale.py checks the same paths for behaviour, not speed.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "tui"))

from test_scale import _data  # noqa: E402  (the same generated data as the test)

from tui.app import ReviewApp  # noqa: E402
from tui.screens.candidates import CandidatesScreen  # noqa: E402
from tui.screens.glossary import GlossaryScreen  # noqa: E402


async def measure(folder: Path) -> dict[str, float]:
    state, candidates = _data(folder)
    figures: dict[str, float] = {}
    app = ReviewApp(state, candidates=candidates, filter_delay=0, watch_interval=0)
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.registered.get("candidates")
        while not (isinstance(screen, CandidatesScreen) and screen.table.row_count):
            await pilot.pause(0.005)
            screen = app.registered.get("candidates")
        figures["first screen (s)"] = time.perf_counter() - started
        began = time.perf_counter()
        screen._show_rows(list(range(len(candidates))))
        figures["widest refilter on the UI thread (s)"] = time.perf_counter() - began
        began = time.perf_counter()
        await pilot.press("2")
        glossary = app.registered.get("glossary")
        while not (isinstance(glossary, GlossaryScreen) and glossary.table.row_count):
            await pilot.pause(0.005)
            glossary = app.registered.get("glossary")
        figures["glossary screen, 5,000 concepts (s)"] = time.perf_counter() - began
        began = time.perf_counter()
        app.problems_with(state.glossary.concepts[10], new=False)
        figures["validate one edit against 5,000 concepts (s)"] = time.perf_counter() - began
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, value in asyncio.run(measure(Path(folder))).items():
            print(f"{name:<48} {value:8.3f}")


if __name__ == "__main__":
    main()
