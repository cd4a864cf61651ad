"""Screen 1: candidate calques from the extractor, decided one by one into the glossary.

The decisions are glossary edits (approve = new approved concept, reject = a rejected concept
so the extractor never proposes it again, merge = new deprecated forms of an existing concept),
so they go through the session state and are undoable like any other edit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.fuzzy import FuzzySearch
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from glossary.terms import Concept, Glossary, form_key
from tui.screens import ReviewScreen
from tui.widgets import ConceptForm, LazyTable, highlight_forms, kwic

if TYPE_CHECKING:
    from tui.app import ReviewApp

_YEAR = re.compile(r"(?:19|20)\d\d")
_QUOTES = "\"'“”‘’「」 "
# every evidence signal the extractor can give (docs/extractor.md), in a short column form;
# the bilingual ones come from ``--source``
SIGNAL_NAMES = {
    "quoted": "quoted", "literal_gloss": "gloss", "numbered": "num", "pinyin": "pinyin",
    "case_variance": "case", "year_suffix": "year", "unknown_word": "unk",
    "shared_modifier": "sibling", "two_ways": "two-ways", "doubled": "x-and-x", "habit": "habit",
    "placeholder_name": "mou-name", "title_case": "title", "unusual_pair": "rare-pair",
    "unusual_once": "rare-once", "coordinated": "v-and-v",
    "parallel": "parallel", "odd_compound": "odd-hyphen",
    "aligned_literal": "zh-literal", "zh_renderings": "zh-varied",
    "common_english": "common-en",  # counter-evidence: why a --source rendering ranks low
}
DECISION_STYLES = {"approved": "bold green", "rejected": "bold red", "merged": "bold cyan",
                   "skipped": "dim"}


class FormLike(Protocol):
    text: str
    count: int
    docs: int


class CandidateLike(Protocol):
    """What the screen needs from an extractor candidate (``glossary.extract.score.Candidate``
    has these fields; so does a row read back by ``read_candidates``)."""

    key: str
    score: float
    forms: Sequence[FormLike]
    signals: dict[str, float | str]
    contexts: Sequence[tuple[str, int, str]]
    status: str
    known_concept: str | None
    suggested_zh: str
    suggested_preferred: str


# -- decisions as glossary edits (pure) ---------------------------------------------------------
def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "concept"


def unique_id(glossary: Glossary, base: str) -> str:
    concept_id = base
    number = 2
    while glossary.get(concept_id) is not None:
        concept_id = f"{base}-{number}"
        number += 1
    return concept_id


def clean_forms(candidate: CandidateLike) -> list[str]:
    """The candidate's surface forms as glossary forms: years and quotes dropped, one per
    form key, lower case unless an acronym."""
    seen: dict[str, str] = {}
    for form in candidate.forms:
        words = form.text.strip(_QUOTES).split()
        text = " ".join(w for w in words if not _YEAR.fullmatch(w)).strip(_QUOTES)
        if text:
            seen.setdefault(form_key(text), text if text.isupper() else text.lower())
    return list(seen.values())


def approval_concept(candidate: CandidateLike, glossary: Glossary) -> Concept:
    """The pre-filled concept for ``a``: suggested zh and preferred, forms as deprecated."""
    preferred = candidate.suggested_preferred
    zh = tuple(z for z in candidate.suggested_zh.split("|") if z)
    gloss = candidate.signals.get("literal_gloss")
    note = f"“{candidate.key}” is a word-by-word gloss of {gloss}." if gloss else ""
    return Concept(
        id=unique_id(glossary, slug(candidate.key)), preferred=preferred, zh=zh,
        deprecated=tuple(f for f in clean_forms(candidate)
                         if not preferred or form_key(f) != form_key(preferred)),
        status="approved", category="other", note=note)


def rejection_concept(candidate: CandidateLike, glossary: Glossary) -> Concept:
    """A rejected concept holding every form, so later extractions drop the candidate."""
    forms = clean_forms(candidate) or [candidate.key]
    return Concept(
        id=unique_id(glossary, slug(candidate.key)), preferred=forms[0],
        zh=tuple(z for z in candidate.suggested_zh.split("|") if z), deprecated=tuple(forms[1:]),
        status="rejected", category="other", note="Rejected in review: not a calque.")


def merged_concept(concept: Concept, candidate: CandidateLike) -> Concept:
    """``concept`` with the candidate's forms it does not have yet added as deprecated."""
    have = {form_key(form) for form, _ in concept.forms()}
    new = [f for f in clean_forms(candidate) if form_key(f) not in have]
    return replace(concept, deprecated=concept.deprecated + tuple(new))


def signals_text(signals: dict[str, float | str]) -> str:
    return " ".join(short for name, short in SIGNAL_NAMES.items() if name in signals)


def forms_text(candidate: CandidateLike) -> str:
    return "; ".join(f"{f.text} ×{f.count}" for f in candidate.forms)


def haystack(candidate: CandidateLike) -> str:
    """Everything the filter matches, folded once."""
    return " ".join([
        candidate.key, forms_text(candidate), signals_text(candidate.signals),
        " ".join(f"{k}={v}" for k, v in candidate.signals.items()), candidate.status,
        candidate.known_concept or "", candidate.suggested_zh, candidate.suggested_preferred,
    ]).casefold()


def filter_indices(hay: Sequence[str], query: str) -> list[int]:
    """Indices whose haystack contains every word of ``query``."""
    words = query.casefold().split()
    if not words:
        return list(range(len(hay)))
    return [i for i, text in enumerate(hay) if all(w in text for w in words)]


# -- merge target picker ------------------------------------------------------------------------
def rank_concepts(concepts: Sequence[Concept], query: str, limit: int = 50) -> list[Concept]:
    """Substring hits first (id, forms, zh), then fuzzy ones; at most ``limit``."""
    query = query.strip()
    if not query:
        return list(concepts[:limit])
    folded = query.casefold()
    hits: list[tuple[int, int, Concept]] = []
    rest: list[Concept] = []
    for index, concept in enumerate(concepts):
        texts = [concept.id, *concept.zh, *(form for form, _ in concept.forms())]
        position = min((t.casefold().find(folded) for t in texts
                        if folded in t.casefold()), default=-1)
        if position >= 0:
            hits.append((position, index, concept))
        else:
            rest.append(concept)
    hits.sort(key=lambda item: (item[0], item[1]))
    ranked = [c for _, _, c in hits[:limit]]
    if len(ranked) < limit:
        fuzzy = FuzzySearch()
        scored = []
        for concept in rest:
            score, _ = fuzzy.match(query, f"{concept.id} {concept.preferred}")
            if score > 0:
                scored.append((-score, concept.id, concept))
        scored.sort(key=lambda item: (item[0], item[1]))
        ranked.extend(c for _, _, c in scored[: limit - len(ranked)])
    return ranked


class MergeScreen(ModalScreen[str | None]):
    """Pick the concept a candidate is a variant of: type to filter, Enter to merge."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "cursor_down", "Next", show=False),
        Binding("up", "cursor_up", "Previous", show=False),
    ]

    def __init__(self, candidate: CandidateLike, concepts: Sequence[Concept],
                 attempt: Any, delay: float) -> None:
        super().__init__(id="merge")
        self.candidate = candidate
        self.concepts = concepts
        self.attempt = attempt
        self.delay = delay
        self.shown: list[Concept] = []
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="merge-dialog"):
            yield Label(f"Merge “{self.candidate.key}” into an existing concept",
                        classes="dialog-title")
            yield Static(Text("new deprecated forms: " + ", ".join(clean_forms(self.candidate)),
                              style="dim"))
            yield Input(self.candidate.known_concept or "", placeholder="search concepts",
                        id="merge-query", compact=True)
            yield OptionList(id="merge-options")
            yield Static("", id="merge-errors", classes="errors")
            yield Label("Enter merge · ↑↓ choose · Esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#merge-query", Input).focus()
        self._search(self.query_one("#merge-query", Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self.delay <= 0:
            self._search(event.value)
        else:
            self._timer = self.set_timer(self.delay, lambda: self._search(event.value))

    @work(thread=True, exclusive=True, group="merge-search")
    def _search(self, query: str) -> None:
        ranked = rank_concepts(self.concepts, query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, ranked)

    def _show(self, ranked: list[Concept]) -> None:
        self.shown = ranked
        options = self.query_one("#merge-options", OptionList)
        options.set_options(
            Option(Text.assemble((c.id, "bold"), f"  {c.preferred}  ",
                                 (" ".join(c.zh), "dim")), id=c.id) for c in ranked)
        if ranked:
            options.highlighted = 0

    def action_cursor_down(self) -> None:
        self.query_one("#merge-options", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#merge-options", OptionList).action_cursor_up()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#merge-options", OptionList)
        if options.highlighted is not None and self.shown:
            self._choose(self.shown[options.highlighted].id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._choose(event.option.id)

    def _choose(self, concept_id: str) -> None:
        error = self.attempt(concept_id)
        if error:
            self.query_one("#merge-errors", Static).update(Text(f"✗ {error}", style="bold red"))
            return
        self.dismiss(concept_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- the screen ---------------------------------------------------------------------------------
class CandidatesScreen(ReviewScreen):
    """Candidates and, beside them, the selected one's contexts (KWIC)."""

    MODE = "candidates"
    TITLE_TEXT = "Candidates"
    HELP = "Decide the extractor's candidates: approve, reject, merge or skip each one."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "Approve"),
        Binding("r", "reject", "Reject"),
        Binding("m", "merge", "Merge"),
        Binding("s", "skip", "Skip"),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "leave_filter", "Back to the table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.candidates: list[CandidateLike] = []
        self.hay: list[str] = []
        self.shown: list[int] = []
        self.query_text = ""
        self._timer: Timer | None = None
        self._decisions: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield self.compose_top()
        with Horizontal(id="candidates-body"):
            with Vertical(id="candidates-left"):
                yield Input(placeholder="/ filter: words in forms, signals, status",
                            id="candidates-filter", compact=True)
                yield Static("", id="candidates-status", classes="status-line")
                yield ProgressBar(id="extract-progress", show_eta=False)
                yield LazyTable([("forms", 28), ("count", 5), ("docs", 4), ("score", 5),
                                 ("signals", 12), ("status", 9)], id="candidates-table")
            with VerticalScroll(id="kwic-pane"):
                yield Static("", id="kwic")
        yield self.footer()

    @property
    def table(self) -> LazyTable[int]:
        return self.query_one("#candidates-table", LazyTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.load(self.review.candidates)

    # -- data -----------------------------------------------------------------------------------
    def load(self, candidates: list[Any] | None) -> None:
        """Show the candidates (None: extraction still running)."""
        progress = self.query_one("#extract-progress", ProgressBar)
        progress.display = candidates is None and self.review.extracting
        if candidates is None:
            self._status()
            return
        self.candidates = candidates
        self.hay = [haystack(c) for c in candidates]
        self._decisions = dict(self.review.state.decisions)
        self.apply_filter(self.query_text)

    def extraction_progress(self, done: int, total: int) -> None:
        bar = self.query_one("#extract-progress", ProgressBar)
        bar.display = True
        bar.update(total=total, progress=done)
        self._status(f"extracting… {done}/{total} files")

    def sync(self) -> None:
        super().sync()
        decisions = self.review.state.decisions
        changed = {k for k in set(decisions) | set(self._decisions)
                   if decisions.get(k) != self._decisions.get(k)}
        self._decisions = dict(decisions)
        if changed:
            positions = {self.candidates[i].key: row for row, i in enumerate(self.shown)}
            for key in changed:
                if key in positions:
                    self.table.refresh_item(positions[key])
        self._status()
        self._show_kwic()

    def _status(self, text: str | None = None) -> None:
        if text is None:
            if not self.candidates:
                text = self.review.candidates_note
            else:
                counts: dict[str, int] = {}
                for key in self._decisions:
                    counts[self._decisions[key]] = counts.get(self._decisions[key], 0) + 1
                done = ", ".join(f"{n} {d}" for d, n in sorted(counts.items()))
                text = f"{len(self.shown)} of {len(self.candidates)} candidates"
                if self.query_text:
                    text += f" matching “{self.query_text}”"
                if done:
                    text += f" · {done}"
        self.query_one("#candidates-status", Static).update(text)

    def _row(self, index: int) -> tuple[Any, ...]:
        candidate = self.candidates[index]
        decision = self._decisions.get(candidate.key)
        status = Text(decision, style=DECISION_STYLES[decision]) if decision else Text(
            candidate.status, style="yellow" if candidate.status == "variant" else "")
        docs = max((f.docs for f in candidate.forms), default=0)
        docs = int(float(candidate.signals.get("docs", docs)))
        return (forms_text(candidate), sum(f.count for f in candidate.forms), docs,
                f"{candidate.score:.2f}", signals_text(candidate.signals), status)

    # -- filter ---------------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "candidates-filter":
            return
        if self._timer is not None:
            self._timer.stop()
        delay = self.review.filter_delay
        if delay <= 0:
            self.apply_filter(event.value)
        else:
            self._timer = self.set_timer(delay, lambda: self.apply_filter(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "candidates-filter":
            self.table.focus()

    def apply_filter(self, query: str) -> None:
        self.query_text = query.strip()
        self._filter_worker(self.query_text, self.hay)

    @work(thread=True, exclusive=True, group="candidates-filter")
    def _filter_worker(self, query: str, hay: list[str]) -> None:
        indices = filter_indices(hay, query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_rows, indices)

    def _show_rows(self, indices: list[int]) -> None:
        self.shown = indices
        self.table.set_items(indices, self._row)
        self._status()
        self._show_kwic()

    def action_filter(self) -> None:
        self.query_one("#candidates-filter", Input).focus()

    def action_leave_filter(self) -> None:
        self.table.focus()

    # -- KWIC -----------------------------------------------------------------------------------
    def current(self) -> CandidateLike | None:
        index = self.table.current()
        return None if index is None else self.candidates[index]

    def undecided(self) -> CandidateLike | None:
        """The candidate under the cursor unless it was already approved, rejected or merged
        (deciding twice would add a second concept; ctrl+z undoes a decision)."""
        candidate = self.current()
        if candidate is None:
            return None
        decision = self.review.state.decisions.get(candidate.key)
        if decision in {"approved", "rejected", "merged"}:
            self.review.notify(f"“{candidate.key}” is already {decision} (ctrl+z undoes it)",
                               severity="warning")
            return None
        return candidate

    def on_data_table_row_highlighted(self) -> None:
        self._show_kwic()

    def _show_kwic(self) -> None:
        pane = self.query_one("#kwic", Static)
        candidate = self.current()
        if candidate is None:
            pane.update("")
            return
        width = max(20, self.query_one("#kwic-pane").size.width - 2)
        forms = [f.text for f in candidate.forms]
        out = Text()
        out.append(candidate.key + "\n", style="bold")
        out.append(f"score {candidate.score:.2f} · {candidate.status}", style="dim")
        if candidate.known_concept:
            out.append(f" of {candidate.known_concept}", style="yellow")
        out.append("\n")
        if candidate.suggested_zh or candidate.suggested_preferred:
            out.append(f"zh {candidate.suggested_zh or '—'} → "
                       f"{candidate.suggested_preferred or '—'}\n")
        signals = ", ".join(f"{k}={v}" for k, v in candidate.signals.items()
                            if k not in {"docs", "count"})
        if signals:
            out.append(f"signals {signals}\n", style="dim")
        out.append("\n")
        for path, line, text in candidate.contexts:
            out.append(f"{path}:{line}\n", style="dim cyan")
            out.append_text(kwic(text, forms, width))
            out.append("\n")
        if candidate.contexts:
            out.append("\n")
            for _path, _line, text in candidate.contexts[:1]:
                out.append_text(highlight_forms(text, forms))
        pane.update(out)

    # -- decisions ------------------------------------------------------------------------------
    def _next(self) -> None:
        row = self.table.cursor_row
        if row + 1 < len(self.shown):
            self.table.move_cursor(row=row + 1)

    def action_approve(self) -> None:
        candidate = self.undecided()
        if candidate is None:
            return
        app: ReviewApp = self.review
        concept = approval_concept(candidate, app.state.glossary)

        def done(result: Concept | None) -> None:
            if result is None:
                return
            app.change_glossary(app.state.glossary.with_concept(result),
                                f"approve {candidate.key!r} as {result.id}",
                                (candidate.key, "approved"))
            self._next()

        app.push_screen(ConceptForm(concept, f"Approve “{candidate.key}”",
                                    lambda c: app.problems_with(c, new=True)), done)

    def action_reject(self) -> None:
        candidate = self.undecided()
        if candidate is None:
            return
        app = self.review
        concept = rejection_concept(candidate, app.state.glossary)
        problems = app.problems_with(concept, new=True)
        if problems:
            app.notify(problems[0], title="Not rejected", severity="error")
            return
        app.change_glossary(app.state.glossary.with_concept(concept),
                            f"reject {candidate.key!r}", (candidate.key, "rejected"))
        self._next()

    def action_merge(self) -> None:
        candidate = self.undecided()
        if candidate is None:
            return
        app = self.review
        if not len(app.state.glossary):
            app.notify("The glossary has no concepts to merge into.", severity="warning")
            return

        def attempt(concept_id: str) -> str | None:
            concept = app.state.glossary.get(concept_id)
            if concept is None:
                return f"no concept {concept_id!r}"
            merged = merged_concept(concept, candidate)
            if merged == concept:
                return f"{concept_id} already has every form of this candidate"
            problems = app.problems_with(merged, new=False)
            return problems[0] if problems else None

        def done(concept_id: str | None) -> None:
            if concept_id is None:
                return
            concept = app.state.glossary.get(concept_id)
            assert concept is not None
            app.change_glossary(app.state.glossary.with_concept(merged_concept(concept, candidate)),
                                f"merge {candidate.key!r} into {concept_id}",
                                (candidate.key, "merged"))
            self._next()

        app.push_screen(MergeScreen(candidate, app.state.glossary.concepts, attempt,
                                    app.filter_delay), done)

    def action_skip(self) -> None:
        candidate = self.current()
        if candidate is None:
            return
        if candidate.key not in self.review.state.decisions:
            self.review.state.decide(candidate.key, "skipped")
            self.review.refresh_views()
        self._next()
