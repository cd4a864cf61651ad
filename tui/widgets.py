"""Widgets and modal screens shared by the review screens.

Why a lazy table: ``DataTable`` measures every cell of every added row, so filling it with
10,000 rows blocks for about a second. :class:`LazyTable` holds the full (filtered) item list
and adds rows a chunk at a time as the cursor approaches the end, so start-up and every filter
cost one chunk whatever the size of the data.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, DataTable, Input, Label, Static

from glossary.terms import CATEGORIES, SEP, STATUSES, Concept

T = TypeVar("T")

MODE_TITLES: tuple[tuple[str, str, str], ...] = (
    ("1", "candidates", "Candidates"),
    ("2", "glossary", "Glossary"),
    ("3", "findings", "Findings"),
    ("4", "bilingual", "Bilingual"),
)


def short_path(path: str) -> str:
    """``path`` relative to the working directory when it is below it (config paths are
    absolute)."""
    relative = os.path.relpath(path) if os.path.isabs(path) else path
    return path if relative.startswith("..") else relative


class TopBar(Static):
    """One line: the glossary file, whether it has unsaved changes, and the screen tabs."""

    def __init__(self, mode: str) -> None:
        super().__init__(id="topbar")
        self.mode = mode

    def render(self) -> Text:
        app: Any = self.app
        state = app.state
        line = Text(" decalque review ", style="bold")
        line.append(f" {short_path(state.path)} ", style="reverse")
        line.append(" ● modified " if state.dirty else "  saved     ",
                    style="bold yellow" if state.dirty else "dim")
        if app.disk_changed:
            line.append("⚠ changed on disk ", style="bold red")
        line.append("  ")
        for key, mode, title in MODE_TITLES:
            available = app.mode_available(mode)
            style = "bold reverse" if mode == self.mode else ("" if available else "dim")
            line.append(f" {key} {title} ", style=style)
            line.append(" ")
        return line


class LazyTable(DataTable[Any], Generic[T]):
    """A row-cursor DataTable over a sequence of items, materialised a chunk at a time."""

    CHUNK: ClassVar[int] = 200
    auto_height: bool = False

    def __init__(self, columns: Sequence[tuple[str, int]], **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._column_spec = columns
        self.items: Sequence[T] = ()
        self._render: Callable[[T], Sequence[Any]] = lambda item: (str(item),)
        self._loaded = 0

    def on_mount(self) -> None:
        for label, width in self._column_spec:
            self.add_column(label, width=width, key=label)

    def set_items(self, items: Sequence[T], render: Callable[[T], Sequence[Any]],
                  cursor: int = 0) -> None:
        """Show ``items`` (replacing what is shown) with the cursor on item ``cursor``."""
        self.items = items
        self._render = render
        self._loaded = 0
        self.clear()
        self._load(cursor + self.CHUNK)
        if self.items:
            self.move_cursor(row=min(cursor, len(self.items) - 1), animate=False)

    def _load(self, upto: int) -> None:
        end = min(len(self.items), upto)
        if end <= self._loaded:
            return
        height = None if self.auto_height else 1
        for item in self.items[self._loaded:end]:
            self.add_row(*self._render(item), height=height)
        self._loaded = end

    def goto(self, index: int) -> None:
        """Move the cursor to item ``index``, loading rows up to it first."""
        if 0 <= index < len(self.items):
            self._load(index + self.CHUNK)
            self.move_cursor(row=index)

    @property
    def loaded(self) -> int:
        return self._loaded

    def current(self) -> T | None:
        """The item under the cursor, or None when the table is empty."""
        row = self.cursor_row
        if 0 <= row < self._loaded and self.row_count:
            return self.items[row]
        return None

    def refresh_item(self, index: int) -> None:
        """Re-render one item's row in place (after its status changed)."""
        if not 0 <= index < self._loaded:
            return
        for column, value in enumerate(self._render(self.items[index])):
            self.update_cell_at(Coordinate(index, column), value)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self._loaded - 20 and self._loaded < len(self.items):
            self._load(self._loaded + self.CHUNK)


# -- text helpers -------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def _forms_pattern(forms: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for form in sorted({f for f in forms if f.strip()}, key=len, reverse=True):
        words = [re.escape(w) for w in re.split(r"[\s\-]+", form.strip("\"'“”‘’ ")) if w]
        if words:
            parts.append(r"[\s\-]+".join(words))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def highlight_forms(text: str, forms: Iterable[str], style: str = "bold black on yellow") -> Text:
    """``text`` with every occurrence of any form (case, hyphen and spacing-insensitive)
    styled."""
    result = Text(text)
    pattern = _forms_pattern(tuple(forms))
    if pattern is not None:
        for found in pattern.finditer(text):
            result.stylize(style, found.start(), found.end())
    return result


def kwic(text: str, forms: Iterable[str], width: int, style: str = "bold black on yellow") -> Text:
    """A keyword-in-context line: the first form centred-left at a fixed column so a list of
    contexts lines up on the keyword."""
    text = " ".join(text.split())
    pattern = _forms_pattern(tuple(forms))
    found = pattern.search(text) if pattern else None
    if found is None:
        return Text(text[:width])
    left_width = max(8, width // 3)
    left = text[:found.start()]
    left = ("…" + left[-(left_width - 1):]) if len(left) > left_width else left
    line = Text(left.rjust(left_width))
    line.append(found.group(), style=style)
    rest = width - left_width - len(found.group())
    right = text[found.end():]
    if rest > 0:
        line.append(right[:rest - 1] + "…" if len(right) > rest else right)
    return line


def split_items(value: str) -> tuple[str, ...]:
    """A ``|``-separated form field, trimmed, empty items dropped (the form is forgiving;
    validation catches the rest)."""
    return tuple(item.strip() for item in value.split(SEP) if item.strip())


# -- modal screens ------------------------------------------------------------------------------
class ConceptForm(ModalScreen[Concept | None]):
    """Edit every field of a concept; Enter validates like ``decalque glossary validate`` and
    only closes when there is nothing to report."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "submit", "Confirm"),
    ]
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("id", "kebab-case id"),
        ("zh", "Chinese terms, | separated"),
        ("preferred", "preferred English rendering"),
        ("admitted", "accepted alternatives, | separated"),
        ("deprecated", "literal or wrong renderings, | separated"),
        ("status", "|".join(STATUSES)),
        ("category", "|".join(CATEGORIES)),
        ("note", "why (shown by decalque glossary show)"),
    )

    def __init__(self, concept: Concept, title: str,
                 validator: Callable[[Concept], list[str]], id_editable: bool = True) -> None:
        super().__init__(classes="form-screen")
        self.concept = concept
        self.heading = title
        self.validator = validator
        self.id_editable = id_editable

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="concept-form"):
            yield Label(self.heading, classes="dialog-title")
            with Grid(classes="form-grid"):
                for name, hint in self.FIELDS:
                    yield Label(name, classes="form-label")
                    suggester = None
                    if name == "status":
                        suggester = SuggestFromList(STATUSES)
                    elif name == "category":
                        suggester = SuggestFromList(CATEGORIES)
                    yield Input(self.concept.value(name), placeholder=hint, id=f"field-{name}",
                                compact=True, suggester=suggester,
                                disabled=name == "id" and not self.id_editable)
            yield Static("", id="form-errors", classes="errors")
            yield Label("Enter confirm · Esc cancel · Tab next field", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#field-preferred", Input).focus()

    def value(self, name: str) -> str:
        return self.query_one(f"#field-{name}", Input).value

    def build(self) -> Concept:
        """The concept as typed (``extra`` columns and line kept from the original)."""
        return replace(
            self.concept, id=self.value("id").strip(), zh=split_items(self.value("zh")),
            preferred=self.value("preferred").strip(),
            admitted=split_items(self.value("admitted")),
            deprecated=split_items(self.value("deprecated")),
            status=self.value("status").strip(), category=self.value("category").strip(),
            note=self.value("note").strip())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        concept = self.build()
        problems = self.validator(concept)
        if problems:
            self.query_one("#form-errors", Static).update(
                Text("\n".join(f"✗ {p}" for p in problems), style="bold red"))
            return
        self.dismiss(concept)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceScreen(ModalScreen[str | None]):
    """A question with a few answers, each a button and a key; Esc answers None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "choose('')", "Cancel")]

    def __init__(self, title: str, message: str,
                 choices: Sequence[tuple[str, str, str]], screen_id: str) -> None:
        """``choices``: (key, label, answer)."""
        super().__init__(id=screen_id)
        self.heading = title
        self.message = message
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog choice"):
            yield Label(self.heading, classes="dialog-title")
            yield Static(self.message, classes="dialog-message")
            with Horizontal(classes="buttons"):
                for key, label, answer in self.choices:
                    yield Button(f"{label} ({key})", id=f"choice-{answer}", compact=True)
                yield Button("Cancel (esc)", id="choice-", compact=True)

    def on_mount(self) -> None:
        # Enter on an unread dialog must not discard or overwrite anything: Cancel has focus
        self.query_one("#choice-", Button).focus()

    def on_key(self, event: Any) -> None:
        for key, _label, answer in self.choices:
            if event.key == key:
                event.stop()
                self.dismiss(answer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        answer = (event.button.id or "choice-").removeprefix("choice-")
        self.dismiss(answer or None)

    def action_choose(self, answer: str) -> None:
        self.dismiss(answer or None)


class PathScreen(ModalScreen[str | None]):
    """Ask for a file name; ``attempt`` returns an error to show, or None when it worked."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, message: str, suggestion: str,
                 attempt: Callable[[str], str | None]) -> None:
        super().__init__(id="save-as")
        self.heading = title
        self.message = message
        self.suggestion = suggestion
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Static(self.message, classes="dialog-message")
            yield Input(self.suggestion, id="path-input", compact=True)
            yield Static("", id="path-errors", classes="errors")
            yield Label("Enter save · Esc cancel", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        error = self.attempt(event.value.strip())
        if error:
            self.query_one("#path-errors", Static).update(Text(f"✗ {error}", style="bold red"))
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """The keys of the current screen and the global ones (generated from the bindings, so the
    help cannot drift from what the keys do)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close"),
        Binding("q", "dismiss", "Close"),
    ]

    def __init__(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        super().__init__(id="help")
        self.heading = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Text()
        for key, description in self.rows:
            table.append(f"{key:>10}  ", style="bold")
            table.append(description + "\n")
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Static(table, id="help-keys")
            yield Label("Esc close", classes="dialog-hint")

