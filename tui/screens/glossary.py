"""Screen 2: every concept of terms.csv, filterable, editable in a validating form."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Select, Static
from textual.worker import get_current_worker

from glossary.terms import CATEGORIES, STATUSES, Concept
from tui.screens import ReviewScreen
from tui.widgets import ConceptForm, LazyTable

STATUS_STYLES = {"approved": "green", "proposed": "yellow", "rejected": "red"}


def concept_haystack(concept: Concept) -> str:
    return " ".join([concept.id, *concept.zh, *(f for f, _ in concept.forms()),
                     concept.note]).casefold()


def filter_concepts(concepts: Sequence[Concept], text: str, status: str | None,
                    category: str | None) -> list[int]:
    """Indices of the concepts matching every word of ``text`` and the status/category."""
    words = text.casefold().split()
    out = []
    for index, concept in enumerate(concepts):
        if status and concept.status != status:
            continue
        if category and concept.category != category:
            continue
        if words:
            hay = concept_haystack(concept)
            if not all(w in hay for w in words):
                continue
        out.append(index)
    return out


def next_status(status: str) -> str:
    """approved → proposed → rejected → approved (anything unknown becomes proposed)."""
    if status not in STATUSES:
        return "proposed"
    return STATUSES[(STATUSES.index(status) + 1) % len(STATUSES)]


class GlossaryScreen(ReviewScreen):
    """The glossary as a table; ``e`` edits a concept, ``d`` cycles its status."""

    MODE = "glossary"
    TITLE_TEXT = "Glossary"
    HELP = "Browse and edit terms.csv; every edit is validated and undoable."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit"),
        Binding("d", "cycle_status", "Status"),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "leave_filter", "Back to the table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.concepts: tuple[Concept, ...] = ()
        self.shown: list[int] = []
        self._timer: Timer | None = None
        self._keep: str | None = None

    def compose(self) -> ComposeResult:
        yield self.compose_top()
        with Horizontal(id="glossary-filters"):
            yield Input(placeholder="/ filter: id, zh, any form, note", id="glossary-filter",
                        compact=True)
            yield Select([("any status", "")] + [(s, s) for s in STATUSES], value="",
                         allow_blank=False, id="glossary-status", compact=True)
            yield Select([("any category", "")] + [(c, c) for c in CATEGORIES], value="",
                         allow_blank=False, id="glossary-category", compact=True)
        yield Static("", id="glossary-status-line", classes="status-line")
        yield LazyTable([("id", 22), ("zh", 12), ("preferred", 24), ("deprecated", 26),
                         ("status", 8), ("category", 12)], id="glossary-table")
        yield Static("", id="concept-detail")
        yield self.footer()

    @property
    def table(self) -> LazyTable[int]:
        return self.query_one("#glossary-table", LazyTable)

    def on_mount(self) -> None:
        self.table.focus()

    def sync(self) -> None:
        super().sync()
        current = self.current()
        self._keep = current.id if current else self._keep
        self.concepts = self.review.state.glossary.concepts
        self.refilter()

    # -- filter ---------------------------------------------------------------------------------
    def filters(self) -> tuple[str, str | None, str | None]:
        status = self.query_one("#glossary-status", Select).value
        category = self.query_one("#glossary-category", Select).value
        return (self.query_one("#glossary-filter", Input).value,
                status if isinstance(status, str) and status else None,
                category if isinstance(category, str) and category else None)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "glossary-filter":
            return
        if self._timer is not None:
            self._timer.stop()
        delay = self.review.filter_delay
        if delay <= 0:
            self.refilter()
        else:
            self._timer = self.set_timer(delay, self.refilter)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "glossary-filter":
            self.table.focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if self.concepts:
            self.refilter()

    def refilter(self) -> None:
        text, status, category = self.filters()
        self._filter_worker(self.concepts, text, status, category)

    @work(thread=True, exclusive=True, group="glossary-filter")
    def _filter_worker(self, concepts: tuple[Concept, ...], text: str, status: str | None,
                       category: str | None) -> None:
        indices = filter_concepts(concepts, text, status, category)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_rows, concepts, indices)

    def _show_rows(self, concepts: tuple[Concept, ...], indices: list[int]) -> None:
        if concepts is not self.concepts:
            return  # the glossary changed meanwhile; a newer filter is on its way
        self.shown = indices
        cursor = 0
        if self._keep is not None:
            for row, index in enumerate(indices):
                if concepts[index].id == self._keep:
                    cursor = row
                    break
        self.table.set_items(indices, self._row, cursor=cursor)
        text, status, category = self.filters()
        line = f"{len(indices)} of {len(concepts)} concepts"
        if text or status or category:
            line += " matching " + " · ".join(x for x in (text, status, category) if x)
        self.query_one("#glossary-status-line", Static).update(line)
        self._detail()

    def _row(self, index: int) -> tuple[Any, ...]:
        c = self.concepts[index]
        return (c.id, "|".join(c.zh), c.preferred, "|".join(c.deprecated),
                Text(c.status, style=STATUS_STYLES.get(c.status, "bold red")), c.category)

    def action_filter(self) -> None:
        self.query_one("#glossary-filter", Input).focus()

    def action_leave_filter(self) -> None:
        self.table.focus()

    # -- selection ------------------------------------------------------------------------------
    def current(self) -> Concept | None:
        index = self.table.current() if self.concepts else None
        return None if index is None else self.concepts[index]

    def on_data_table_row_highlighted(self) -> None:
        current = self.current()
        if current is not None:
            self._keep = current.id
        self._detail()

    def _detail(self) -> None:
        concept = self.current()
        out = Text()
        if concept is not None:
            out.append(concept.id, style="bold")
            out.append(f"  {'|'.join(concept.zh)}  → {concept.preferred}\n")
            if concept.admitted:
                out.append("admitted: " + ", ".join(concept.admitted) + "\n", style="green")
            if concept.deprecated:
                out.append("deprecated: " + ", ".join(concept.deprecated) + "\n", style="red")
            if concept.note:
                out.append(concept.note, style="italic")
        self.query_one("#concept-detail", Static).update(out)

    # -- edits ----------------------------------------------------------------------------------
    def action_edit(self) -> None:
        concept = self.current()
        if concept is None:
            return
        app = self.review

        def done(result: Concept | None) -> None:
            if result is not None and result != concept:
                app.change_glossary(app.state.glossary.with_concept(result), f"edit {result.id}")

        app.push_screen(ConceptForm(concept, f"Edit {concept.id}",
                                    lambda c: app.problems_with(c, new=False),
                                    id_editable=False), done)

    def action_cycle_status(self) -> None:
        concept = self.current()
        if concept is None:
            return
        app = self.review
        changed = replace(concept, status=next_status(concept.status))
        problems = app.problems_with(changed, new=False)
        if problems:
            app.notify(problems[0], title=f"{concept.id} not changed", severity="error")
            return
        app.change_glossary(app.state.glossary.with_concept(changed),
                            f"{concept.id}: {concept.status} → {changed.status}")
