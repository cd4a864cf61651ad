"""``decalque review``: a Textual app over the glossary, extractor, checker and aligner.

The app owns the session state (:mod:`tui.state`) and the long jobs (extraction, checking) so
every screen sees the same data; screens are modes switched with 1-4. Nothing here reads CSV or
documents itself: the glossary, checker, extractor and aligner APIs do.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any, ClassVar

from rich.console import Console
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from glossary import terms
from glossary.check import SOURCE_RULES, CheckContext, CheckRun, run_local
from glossary.diagnostics import select_rules
from glossary.documents import Document, read_document
from glossary.encoding import read_text
from glossary.errors import DecalqueError
from glossary.terms import Concept, Glossary
from tui.screens import ReviewScreen
from tui.screens.bilingual import BilingualScreen
from tui.screens.candidates import CandidatesScreen
from tui.screens.findings import FindingsScreen
from tui.screens.glossary import GlossaryScreen
from tui.state import ExternalChange, ReviewState, file_fingerprint
from tui.widgets import MODE_TITLES, ChoiceScreen, HelpScreen, PathScreen

DEFAULT_RULES = frozenset(r for r in select_rules() if not r.startswith("DQ2"))


class ReviewApp(App[None]):
    """The reviewer's TUI. Construct with a loaded :class:`ReviewState`; everything else is
    optional (no documents: no findings; no sources: no bilingual screen)."""

    CSS_PATH = "app.tcss"
    TITLE = "decalque review"
    MODES: ClassVar[dict[str, Any]] = {
        "candidates": CandidatesScreen,
        "glossary": GlossaryScreen,
        "findings": FindingsScreen,
        "bilingual": BilingualScreen,
    }
    DEFAULT_MODE = "candidates"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "mode('candidates')", "Candidates", show=False),
        Binding("2", "mode('glossary')", "Glossary", show=False),
        Binding("3", "mode('findings')", "Findings", show=False),
        Binding("4", "mode('bilingual')", "Bilingual", show=False),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+s", "save", "Save"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, state: ReviewState, files: Sequence[str] = (),
                 candidates: Sequence[Any] | None = None,
                 pairs: Sequence[tuple[str, str]] = (),
                 rules: frozenset[str] = DEFAULT_RULES,
                 per_file_ignores: dict[str, Iterable[str]] | None = None,
                 filter_delay: float = 0.15, watch_interval: float = 2.0) -> None:
        super().__init__()
        self.state = state
        self.files = list(files)
        self.pairs = list(pairs)
        self.rules = rules
        self.per_file_ignores = per_file_ignores or {}
        self.filter_delay = filter_delay
        self.watch_interval = watch_interval
        self.candidates: list[Any] | None = list(candidates) if candidates is not None else None
        self.extracting = candidates is None and bool(self.files)
        self.candidates_note = "" if self.extracting else "No candidates."
        if candidates is None and not self.files:
            self.candidates = []
            self.candidates_note = ("No candidates: pass PATHs to extract from, or "
                                    "--candidates candidates.csv.")
        self.check_run: CheckRun | None = None
        self.checked_glossary: Glossary | None = None
        self.checking = False
        self._validated: tuple[Glossary, Counter[str]] | None = None
        self._warned_sha: str | None = None
        self.disk_changed = False
        self.registered: dict[str, ReviewScreen] = {}

    # -- start-up -------------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.extracting:
            self.run_worker(self._extract, thread=True, group="extract", exit_on_error=False)
        if self.watch_interval > 0:
            self.set_interval(self.watch_interval, self._watch_disk)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed extraction or check is reported, not left spinning."""
        if event.state != WorkerState.ERROR or event.worker.group not in {"extract", "check"}:
            return
        error = event.worker.error
        message = str(error) if isinstance(error, DecalqueError) else repr(error)
        if event.worker.group == "extract":
            self._extract_done([])
            self.candidates_note = f"Extraction failed: {message}"
            screen = self._candidates_screen()
            if screen is not None:
                screen.load([])
        else:
            self.checking = False
        self.notify(message, title=f"{event.worker.group} failed", severity="error")

    def mode_available(self, mode: str) -> bool:
        return mode != "bilingual" or bool(self.pairs)

    def views(self) -> list[ReviewScreen]:
        """The mode screens shown so far (each mode's screen is created on first visit)."""
        return list(self.registered.values())

    def refresh_views(self) -> None:
        """Redraw the visible screen from the state; hidden ones redraw when shown."""
        try:
            self.disk_changed = self.state.disk_changed()
        except DecalqueError:
            self.disk_changed = True
        for view in self.views():
            if view.is_current:
                view.sync()
                view.refresh_bar()

    # -- extraction -----------------------------------------------------------------------------
    def _extract(self) -> None:
        """Worker: run the extractor over the documents, reporting progress per file."""
        from glossary.extract.candidates import document_phrases
        from glossary.extract.score import extract

        worker = get_current_worker()
        docs = []
        total = len(self.files)
        for done, path in enumerate(self.files, 1):
            if worker.is_cancelled:
                return
            try:
                phrases = document_phrases(read_document(path))
            except DecalqueError:
                continue
            if phrases.words:
                docs.append(phrases)
            self.call_from_thread(self._extract_progress, done, total)
        candidates = extract(docs, self.state.glossary) if docs else []
        candidates = [c for c in candidates if c.status != "known"]
        if not worker.is_cancelled:
            self.call_from_thread(self._extract_done, candidates)

    def _candidates_screen(self) -> CandidatesScreen | None:
        return next((v for v in self.views() if isinstance(v, CandidatesScreen)), None)

    def _extract_progress(self, done: int, total: int) -> None:
        screen = self._candidates_screen()
        if screen is not None:
            screen.extraction_progress(done, total)

    def _extract_done(self, candidates: list[Any]) -> None:
        self.extracting = False
        self.candidates = candidates
        self.candidates_note = "No candidates found in the documents."
        screen = self._candidates_screen()
        if screen is not None:
            screen.load(candidates)

    # -- checking -------------------------------------------------------------------------------
    def run_check(self) -> None:
        """Re-check the documents with the current glossary, in a worker."""
        if not self.files:
            return
        self.checking = True
        glossary = self.state.glossary
        self.run_worker(partial(self._check, glossary), thread=True, exclusive=True,
                        group="check", exit_on_error=False)

    def _check(self, glossary: Glossary) -> None:
        sources = {en: zh for zh, en in self.pairs}
        rules = self.rules | SOURCE_RULES if sources else self.rules
        ctx = CheckContext.build(glossary, rules, self.per_file_ignores, sources=sources)
        run = run_local(self.files, ctx, keep_documents=True)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._check_done, run, glossary)

    def _check_done(self, run: CheckRun, glossary: Glossary) -> None:
        self.check_run = run
        self.checked_glossary = glossary
        self.checking = False
        for view in self.views():
            if isinstance(view, FindingsScreen):
                view.show_run(run)

    def edit_document(self, doc: Document, text: str, label: str) -> None:
        """Write a fixed or annotated document atomically, unless it changed since it was
        checked; then re-check."""
        try:
            current = read_text(doc.path)
            if current.text != doc.text:
                raise DecalqueError("changed on disk since it was checked; re-checking",
                                    doc.path)
            with open(doc.path, "rb") as handle:
                before = handle.read()
            self.state.write_document(doc.path, before, doc.encode(text), label)
        except DecalqueError as exc:
            self.notify(str(exc), severity="error")
            self.run_check()
            return
        self.notify(label.capitalize())
        self.run_check()

    # -- glossary edits -------------------------------------------------------------------------
    def change_glossary(self, glossary: Glossary, label: str,
                        decision: tuple[str, str] | None = None) -> None:
        self.state.apply(glossary, label, decision)
        self.notify(label.capitalize(), timeout=2)
        self.refresh_views()

    def _problem_counts(self, glossary: Glossary) -> Counter[str]:
        if self._validated is None or self._validated[0] is not glossary:
            self._validated = (glossary, Counter(p.message for p in terms.validate(glossary)))
        return self._validated[1]

    def problems_with(self, concept: Concept, *, new: bool) -> list[str]:
        """What ``decalque glossary validate`` would newly report if ``concept`` were added
        (``new``) or replaced its namesake; problems the glossary already had are not the
        form's fault and are not shown."""
        glossary = self.state.glossary
        if new and glossary.get(concept.id) is not None:
            return [f"id {concept.id!r} already exists (choose another id, or merge with m)"]
        before = Counter(self._problem_counts(glossary))
        out = []
        for problem in terms.validate(glossary.with_concept(concept)):
            if before[problem.message] > 0:
                before[problem.message] -= 1
            else:
                out.append(problem.message)
        return out

    # -- global actions -------------------------------------------------------------------------
    def action_mode(self, mode: str) -> None:
        if not self.mode_available(mode):
            self.notify("No Chinese sources: start with --source ZH to compare translations.",
                        severity="warning")
            return
        self.switch_mode(mode)

    def action_undo(self) -> None:
        try:
            change = self.state.undo()
        except DecalqueError as exc:
            self.notify(str(exc), title="Not undone", severity="error")
            return
        if change is None:
            self.notify("Nothing to undo.")
            return
        self.notify(f"Undone: {change.label}", timeout=2)
        if change.document is not None:
            self.run_check()
        self.refresh_views()

    def action_save(self, then: Any = None) -> None:
        """Save terms.csv; a file changed on disk is never overwritten (reload or save as)."""
        if self.state.disk_changed():
            self._conflict(then)
            return
        if not self.state.dirty:
            self.notify("No changes to save.")
            if then:
                then()
            return
        try:
            self.state.save()
        except ExternalChange:
            self._conflict(then)
            return
        except DecalqueError as exc:
            self.notify(str(exc), title="Not saved", severity="error")
            return
        self.notify(f"Saved {self.state.path}", timeout=2)
        self.refresh_views()
        if then:
            then()

    def _conflict(self, then: Any = None) -> None:
        def answered(answer: str | None) -> None:
            if answer == "reload":
                try:
                    self.state.reload()
                except DecalqueError as exc:
                    self.notify(str(exc), title="Not reloaded", severity="error")
                    return
                self.notify(f"Reloaded {self.state.path}", timeout=2)
                self.refresh_views()
            elif answer == "save-as":
                self._save_as(then)

        unsaved = "Your unsaved changes would be lost on reload." if self.state.dirty else ""
        self.push_screen(ChoiceScreen(
            f"{os.path.basename(self.state.path)} changed on disk",
            f"{self.state.path} was changed by someone else since it was loaded, so it was not "
            f"overwritten. {unsaved}",
            [("r", "Reload from disk", "reload"), ("a", "Save as…", "save-as")],
            "conflict"), answered)

    def _save_as(self, then: Any = None) -> None:
        def attempt(path: str) -> str | None:
            try:
                self.state.save_as(path)
            except DecalqueError as exc:
                return str(exc)
            return None

        def done(path: str | None) -> None:
            if path:
                self.notify(f"Saved as {path}", timeout=2)
                self.refresh_views()
                if then:
                    then()

        root, ext = os.path.splitext(self.state.path)
        suggestion = f"{root}.review{ext or '.csv'}"
        number = 2
        while os.path.exists(suggestion):
            suggestion = f"{root}.review{number}{ext or '.csv'}"
            number += 1
        self.push_screen(PathScreen("Save as", "Write the glossary with your changes to a new "
                                    "file (an existing file is never overwritten):",
                                    suggestion, attempt), done)

    async def action_quit(self) -> None:
        """Quit, asking first when there are unsaved changes."""
        if not self.state.dirty:
            self.exit()
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                self.action_save(then=self.exit)
            elif answer == "discard":
                self.exit()

        self.push_screen(ChoiceScreen(
            "Unsaved changes", f"{self.state.path} has unsaved changes.",
            [("s", "Save and quit", "save"), ("d", "Discard and quit", "discard")], "quit"),
            answered)

    def action_help(self) -> None:
        screen = self.screen
        title = "decalque review"
        rows: list[tuple[str, str]] = []
        if isinstance(screen, ReviewScreen):
            title = f"{screen.TITLE_TEXT}: {screen.HELP}"
            rows.extend(self.key_rows(screen))
        rows.append(("", ""))
        rows.extend(self.key_rows(self))
        rows.append(("ctrl+p", "Command palette (every key above as a command)"))
        self.push_screen(HelpScreen(title, rows))

    @staticmethod
    def key_rows(node: App[Any] | Screen[Any]) -> list[tuple[str, str]]:
        """(key, description) for the bindings a screen or the app declares."""
        rows = []
        seen: set[str] = set()
        for binding in node.BINDINGS:
            if not isinstance(binding, Binding) or binding.action in seen:
                continue
            seen.add(binding.action)
            rows.append((", ".join(_key_name(k) for k in binding.key.split(",")),
                         binding.description))
        return rows

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette lists every key of the current screen and the global ones."""
        base = screen
        if not isinstance(base, ReviewScreen):
            views = [v for v in self.views() if v.is_current]
            base = views[0] if views else screen
        if isinstance(base, ReviewScreen):
            for binding in base.BINDINGS:
                if isinstance(binding, Binding) and binding.description and binding.show:
                    yield SystemCommand(
                        f"{binding.description} ({_key_name(binding.key)})",
                        f"{base.TITLE_TEXT} screen",
                        partial(base.run_action, binding.action))
        for key, mode, title in MODE_TITLES:
            if self.mode_available(mode):
                yield SystemCommand(f"{title} screen ({key})", f"Switch to the {title} screen",
                                    partial(self.action_mode, mode))
        yield SystemCommand("Undo (ctrl+z)", "Undo the last change", self.action_undo)
        yield SystemCommand("Save (ctrl+s)", "Save terms.csv (atomic)", self.action_save)
        yield SystemCommand("Help (?)", "Keys of this screen", self.action_help)
        yield from super().get_system_commands(screen)

    def _watch_disk(self) -> None:
        """Say once per change when terms.csv changed on disk under us."""
        try:
            changed = self.state.disk_changed()
        except DecalqueError:
            return
        if changed != self.disk_changed:
            self.disk_changed = changed
            for view in self.views():
                view.refresh_bar()
        if changed:
            sha, _ = file_fingerprint(self.state.path)
            if sha != self._warned_sha:
                self._warned_sha = sha
                self.notify(f"{self.state.path} changed on disk. ctrl+s offers reload or "
                            "save as.", severity="warning", timeout=8)


def _key_name(key: str) -> str:
    return {"question_mark": "?", "slash": "/", "escape": "esc", "enter": "⏎"}.get(key, key)


def screen_text(app: App[Any]) -> str:
    """The current screen as plain text (for docs and tests): the same compositor output as
    ``export_screenshot``, exported as text instead of SVG."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    lines = console.export_text(styles=False).splitlines()
    return "\n".join(line.rstrip() for line in lines).rstrip() + "\n"
