"""Pilot-driven tests: every key of every screen, asserting on the files written."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static
from tui_support import SIZE, copy_work, make_app

from glossary import terms
from glossary.diagnostics import Diagnostic
from tui.app import ReviewApp, screen_text
from tui.screens.candidates import CandidatesScreen
from tui.screens.findings import FindingsScreen
from tui.screens.glossary import GlossaryScreen
from tui.widgets import ChoiceScreen, ConceptForm, HelpScreen, PathScreen


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_work(tmp_path, monkeypatch)


def asynctest(func: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test on a fresh event loop (no pytest async plugin needed)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(func(*args, **kwargs))

    return wrapper


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages, timers and workers (filter, check, extract) finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press the keys, then let the app settle (what almost every step of these tests does)."""
    await pilot.press(*keys)
    await settle(pilot)


def rows(path: str = "terms.csv") -> dict[str, terms.Concept]:
    return {c.id: c for c in terms.load(path).concepts}


def cand_screen(app: ReviewApp) -> CandidatesScreen:
    screen = app.registered["candidates"]
    assert isinstance(screen, CandidatesScreen)
    return screen


async def goto(pilot: Pilot[Any], key: str) -> None:
    """Move the candidate cursor to the candidate with this key."""
    screen = cand_screen(pilot.app)  # type: ignore[arg-type]
    keys = [screen.candidates[i].key for i in screen.shown]
    screen.table.move_cursor(row=keys.index(key))
    await pilot.pause()


# -- 1 Candidates -------------------------------------------------------------------------------
@asynctest
async def test_approve_then_save(work: Path) -> None:
    original = (work / "terms.csv").read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        assert isinstance(app.screen, ConceptForm)
        assert app.screen.value("preferred") == "criminal gangs"
        assert app.screen.value("zh") == "黑恶势力"
        assert "黑恶势力" in app.screen.value("note")
        await press(pilot, "enter")
        assert not isinstance(app.screen, ConceptForm)
        assert app.state.dirty
        assert "approved" in screen_text(app)
        assert cand_screen(app).table.cursor_row == 1  # moved on to the next candidate
        await press(pilot, "ctrl+s")
    data = (work / "terms.csv").read_bytes()
    assert data.startswith(original)
    added = rows()["black-and-evil-forces"]
    assert (added.preferred, added.status, added.deprecated) == (
        "criminal gangs", "approved", ("black and evil forces",))
    assert data.decode().endswith(",\n")  # the unknown 'reviewer' column is kept (empty)


@asynctest
async def test_approve_validation_error_is_shown_not_saved(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, "double first class")
        await press(pilot, "a")
        await press(pilot, "enter")
        form = app.screen
        assert isinstance(form, ConceptForm)
        errors = str(form.query_one("#form-errors", Static).render())
        assert "empty preferred" in errors
        # a preferred form that another concept deprecates is a clash
        form.query_one("#field-preferred", Input).value = "network water army"
        await press(pilot, "enter")
        assert app.screen is form
        errors = str(form.query_one("#form-errors", Static).render())
        assert "also a preferred/admitted form of 'double-first-class'" in errors
        await press(pilot, "escape")
        assert not app.state.dirty
        await press(pilot, "ctrl+s")
    assert "double-first-class" not in rows()


@asynctest
async def test_reject_merge_skip_and_undo(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = cand_screen(app)
        await goto(pilot, "two dimensional code")
        await press(pilot, "r")
        await goto(pilot, "network navy")
        await press(pilot, "m")
        merge = app.screen
        assert merge.id == "merge"
        assert merge.query_one("#merge-query", Input).value == "water-army"
        await press(pilot, "enter")
        await goto(pilot, "strike hard")
        await press(pilot, "s")
        assert app.state.decisions == {"two dimensional code": "rejected",
                                       "network navy": "merged", "strike hard": "skipped"}
        assert screen.table.cursor_row == 5
        # a merge that would not validate shows the problem in the dialog
        await goto(pilot, "sim bank")
        await press(pilot, "m")
        assert app.screen.query_one("#merge-query", Input).value == ""
        await press(pilot, *"water")
        await press(pilot, "enter")
        errors = str(app.screen.query_one("#merge-errors", Static).render())
        assert "'sim bank' of 'water-army'" in errors and "modem-pool" in errors
        await pilot.press("escape")
        # undo the merge, keep the rejection
        await press(pilot, "ctrl+z")
        assert "network navy" not in app.state.decisions
        await press(pilot, "ctrl+s")
    saved = rows()
    assert saved["two-dimensional-code"].status == "rejected"
    assert set(saved["two-dimensional-code"].forms()) >= {("two-dimensional code", "preferred")}
    assert "network navy" not in saved["water-army"].deprecated
    assert "sim-bank" not in saved


@asynctest
async def test_merge_saved(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, "network navy")
        await press(pilot, "m", "enter")
        await press(pilot, "ctrl+s")
    assert rows()["water-army"].deprecated == ("network water army", "water army",
                                               "network navy")


@asynctest
async def test_filter_candidates(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await press(pilot, *"gloss")
        screen = cand_screen(app)
        assert [screen.candidates[i].key for i in screen.shown] == [
            "black and evil forces", "two dimensional code", "sweeping black"]
        await pilot.press("enter")
        assert app.focused is screen.table
        await pilot.press("a")  # keys work on the filtered table
        await settle(pilot)
        assert isinstance(app.screen, ConceptForm)


@asynctest
async def test_extraction_runs_in_a_worker(work: Path) -> None:
    (work / "en" / "extra.txt").write_text(
        'The "double first-class" universities. Later the "double first-class" plan grew.\n',
        encoding="utf-8")
    app = make_app(candidates=None, files=["en/notes.md", "en/extra.txt"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.extracting
        screen = cand_screen(app)
        keys = [c.key for c in screen.candidates]
        assert any("first" in key for key in keys), keys
        assert screen.table.row_count == len(screen.shown) > 0


@asynctest
async def test_extraction_failure_is_reported(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import glossary.extract.score as score

    def broken(*args: Any, **kwargs: Any) -> list[Any]:
        raise RuntimeError("lexicon missing")

    monkeypatch.setattr(score, "extract", broken)
    app = make_app(candidates=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.extracting
        assert "Extraction failed" in screen_text(app)
        assert app.is_running


# -- 2 Glossary ---------------------------------------------------------------------------------
@asynctest
async def test_glossary_edit_status_and_filters(work: Path) -> None:
    before = (work / "terms.csv").read_text(encoding="utf-8").splitlines()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        screen = app.registered["glossary"]
        assert isinstance(screen, GlossaryScreen)
        screen.query_one("#glossary-status", Select).value = "proposed"
        await settle(pilot)
        assert [screen.concepts[i].id for i in screen.shown] == ["four-management", "hard-fist"]
        screen.query_one("#glossary-category", Select).value = "idiom"
        await settle(pilot)
        assert [screen.concepts[i].id for i in screen.shown] == ["hard-fist"]
        screen.query_one("#glossary-status", Select).value = ""
        screen.query_one("#glossary-category", Select).value = ""
        await press(pilot, "slash", *"loan", "enter")
        assert [screen.concepts[i].id for i in screen.shown] == ["routine-loan"]
        # e: edit in a validating form
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, ConceptForm)
        assert form.query_one("#field-id", Input).disabled
        form.query_one("#field-preferred", Input).value = ""
        await press(pilot, "enter")
        assert "empty preferred" in str(form.query_one("#form-errors", Static).render())
        form.query_one("#field-preferred", Input).value = "loan scam"
        form.query_one("#field-admitted", Input).value = "predatory loan scam | trap loan"
        await press(pilot, "enter")
        assert not isinstance(app.screen, ConceptForm)
        # d: cycle the status
        screen.query_one("#glossary-filter", Input).value = "fist"
        await settle(pilot)
        await press(pilot, "d")
        await press(pilot, "ctrl+s")
    after = (work / "terms.csv").read_text(encoding="utf-8").splitlines()
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [3, 6]  # one-line diffs, everything else byte-identical
    assert after[3] == ("routine-loan,套路贷,loan scam,predatory loan scam|trap loan,routine loan,"
                        "approved,crime,A loan scam that inflates debts by design.,")
    assert rows()["hard-fist"].status == "rejected"


# -- 3 Findings ---------------------------------------------------------------------------------
@asynctest
async def test_findings_open_fix_ignore_and_undo(work: Path) -> None:
    notes = (work / "en" / "notes.md").read_bytes()
    report = (work / "en" / "report.txt").read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        screen = app.registered["findings"]
        assert isinstance(screen, FindingsScreen)
        assert app.check_run is not None and len(monolingual(app)) == 8
        # with --source, a deprecated rendering the source confirms is DQ101's alone
        codes = {d.code for d in app.check_run.diagnostics}
        assert "DQ101" in codes and "DQ201" not in codes
        await pilot.press("enter")  # the cursor starts on the first finding: notes.md 3:56
        await settle(pilot)
        text = screen_text(app)
        assert "▶3 │" in text and "DQ101 deprecated-term" in text
        await press(pilot, "f")
        assert (work / "en" / "notes.md").read_bytes() == notes.replace(
            b"a water army was", b"paid online posters was")  # a plural takes no "a"
        assert len(monolingual(app)) == 6  # re-checked: DQ101 and DQ102 gone
        # i: inline ignore on the report's cat pool line
        tree = screen.tree
        for line in range(tree.last_line + 1):
            node = tree.get_node_at_line(line)
            if node is not None and node.data is not None and node.data.found == "cat pool" \
                    and node.data.path.endswith("report.txt") and node.data.code == "DQ101":
                tree.move_cursor(node)
        await pilot.pause()
        await press(pilot, "i")
        assert (work / "en" / "report.txt").read_bytes() == report.replace(
            b"300 SIM cards.\n", b"300 SIM cards. # decalque: ignore DQ101\n")
        assert not any(d.found == "cat pool" and d.path.endswith("report.txt")
                       for d in monolingual(app))
        # f on a finding without a safe fix writes nothing
        await press(pilot, "ctrl+z", "ctrl+z")
        assert (work / "en" / "report.txt").read_bytes() == report
        assert (work / "en" / "notes.md").read_bytes() == notes
        assert len(monolingual(app)) == 8


@asynctest
async def test_findings_refuse_document_changed_meanwhile(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        (work / "en" / "notes.md").write_text("Rewritten by someone else.\n", encoding="utf-8")
        await press(pilot, "f")
        assert (work / "en" / "notes.md").read_text(encoding="utf-8") == (
            "Rewritten by someone else.\n")
        assert not app.state.undo_stack


def monolingual(app: ReviewApp) -> list[Diagnostic]:
    """The findings of the English-only rules (the source rules come with --source)."""
    assert app.check_run is not None
    return [d for d in app.check_run.diagnostics if not d.code.startswith("DQ2")]


# -- 4 Bilingual --------------------------------------------------------------------------------
@asynctest
async def test_bilingual_screen_and_marks(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        text = screen_text(app)
        assert "警方打击了在论坛刷屏的网络水军" in text and "DQ201 water-army" in text
        screen = app.registered["bilingual"]
        await pilot.press("n")
        assert screen.table.cursor_row == 1  # type: ignore[attr-defined]
        await pilot.press("n", "p")
        assert screen.table.cursor_row == 1  # type: ignore[attr-defined]


@asynctest
async def test_bilingual_needs_sources(work: Path) -> None:
    app = make_app(pairs=[])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        assert app.current_mode == "candidates"


# -- global: save conflicts, quit, help, palette ------------------------------------------------
def _edit_on_disk(work: Path) -> str:
    text = (work / "terms.csv").read_text(encoding="utf-8").replace(
        "tough crackdown", "iron-fist crackdown")
    (work / "terms.csv").write_text(text, encoding="utf-8")
    return text


@asynctest
async def test_external_change_save_as(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "r")
        external = _edit_on_disk(work)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ChoiceScreen) and app.screen.id == "conflict"
        assert "changed on disk" in screen_text(app)
        await press(pilot, "a")
        assert isinstance(app.screen, PathScreen)
        assert app.screen.query_one(Input).value == "terms.review.csv"
        app.screen.query_one(Input).value = "candidates.csv"  # exists: refused
        await press(pilot, "enter")
        assert "already exists" in screen_text(app)
        app.screen.query_one(Input).value = "terms.review.csv"
        await press(pilot, "enter")
        assert not app.state.dirty and app.state.path == "terms.review.csv"
    assert (work / "terms.csv").read_text(encoding="utf-8") == external
    assert rows("terms.review.csv")["black-and-evil-forces"].status == "rejected"


@asynctest
async def test_external_change_reload(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "r")
        external = _edit_on_disk(work)
        await press(pilot, "ctrl+s")
        await press(pilot, "r")
        assert not app.state.dirty
        assert app.state.glossary.get("hard-fist").preferred == "iron-fist crackdown"  # type: ignore
        assert app.state.decisions == {}  # the rejected candidate is back
        assert "rejected" not in screen_text(app)
    assert (work / "terms.csv").read_text(encoding="utf-8") == external


@asynctest
async def test_external_change_is_announced(work: Path) -> None:
    app = make_app(watch_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _edit_on_disk(work)
        await pilot.pause(0.2)
        assert any("changed on disk" in n.message for n in app._notifications)
        assert "⚠ changed on disk" in screen_text(app).splitlines()[0]


@asynctest
async def test_quit_asks_when_unsaved(work: Path) -> None:
    original = (work / "terms.csv").read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "r")
        await press(pilot, "q")
        assert isinstance(app.screen, ChoiceScreen) and app.screen.id == "quit"
        await pilot.press("escape")  # cancel: still running, still unsaved
        await settle(pilot)
        assert app.is_running and app.state.dirty
        await pilot.press("q", "enter")  # Enter on the dialog is Cancel, never a guess
        await settle(pilot)
        assert app.is_running and app.state.dirty and not isinstance(app.screen, ChoiceScreen)
        await pilot.press("q", "d")  # discard
        await settle(pilot)
        assert not app.is_running
    assert (work / "terms.csv").read_bytes() == original


@asynctest
async def test_quit_save(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "r", "q", "s")
        assert not app.is_running
    assert rows()["black-and-evil-forces"].status == "rejected"


@asynctest
async def test_quit_without_changes_and_ctrl_q(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "q")
        assert not app.is_running
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "r", "ctrl+q")
        assert isinstance(app.screen, ChoiceScreen)


@asynctest
async def test_help_palette_and_nothing_to_undo(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+z")
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for needle in ("Approve", "Reject", "Merge", "Skip", "Filter", "Undo", "Save", "Quit"):
            assert needle in text
        await press(pilot, "escape")
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        titles = list(commands)
        for title in ("Approve (a)", "Reject (r)", "Merge (m)", "Skip (s)", "Filter (/)",
                      "Undo (ctrl+z)", "Save (ctrl+s)", "Glossary screen (2)"):
            assert title in titles
        app.call_later(commands["Approve (a)"].callback)  # what choosing it in ctrl+p does
        await settle(pilot)
        assert isinstance(app.screen, ConceptForm)
        await press(pilot, "escape")
        await press(pilot, "2")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Edit (e)" in titles and "Status (d)" in titles
        assert "Nothing to undo." in [n.message for n in app._notifications]
        await pilot.press("ctrl+s")  # nothing to save: writes nothing
        await settle(pilot)
