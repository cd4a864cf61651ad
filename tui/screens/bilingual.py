"""Screen 4 (with ``--source``): aligned Chinese and English sentences side by side, glossary
terms highlighted in both, and sentences whose source term has no accepted rendering marked.

The aligner (``aligner.align`` / ``aligner.sentences``) is used when it is installed; without
it sentences are paired by position, which is right for sentence-per-line parallel files and
says so on screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any, ClassVar

import ahocorasick_rs
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual.worker import get_current_worker

from glossary.documents import read_document
from glossary.errors import DecalqueError
from glossary.match import Matcher
from glossary.terms import Concept, Glossary
from tui.screens import ReviewScreen
from tui.widgets import LazyTable

_ZH_END = re.compile(r"(?<=[。！？；!?])[”」』\"']?")
_EN_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])")
ACCEPTED_STYLE = "bold green"
DEPRECATED_STYLE = "bold white on red"
ZH_STYLE = "bold cyan"


@dataclass(frozen=True)
class Sentence:
    """Fallback sentence (same shape as ``aligner.sentences.Sentence``)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Link:
    """Fallback alignment link (same shape as ``aligner.align.Link``)."""

    zh: Any
    en: Any
    score: float | None = None


def _split(text: str, pattern: re.Pattern[str]) -> list[Sentence]:
    out: list[Sentence] = []
    for line_match in re.finditer(r"[^\n]+", text):
        line, offset = line_match.group(), line_match.start()
        position = 0
        for end in pattern.finditer(line):
            piece = line[position:end.end()]
            if piece.strip():
                out.append(Sentence(offset + position, offset + end.end(), piece.strip()))
            position = end.end()
        if line[position:].strip():
            out.append(Sentence(offset + position, offset + len(line), line[position:].strip()))
    return out


def fallback_split_zh(text: str) -> list[Sentence]:
    return _split(text, _ZH_END)


def fallback_split_en(text: str) -> list[Sentence]:
    return _split(text, _EN_END)


def fallback_align(zh: Sequence[Any], en: Sequence[Any]) -> list[Link]:
    return [Link(z, e, None) for z, e in zip_longest(zh, en)]


def aligner() -> tuple[Callable[..., Any], Callable[[str], Any], Callable[[str], Any], bool]:
    """(align, split_zh, split_en, real): the aligner package when present, else fallbacks."""
    try:
        from aligner.align import align  # type: ignore[import-not-found]
        from aligner.sentences import split_en, split_zh  # type: ignore[import-not-found]
    except ImportError:
        return fallback_align, fallback_split_zh, fallback_split_en, False
    return align, split_zh, split_en, True


def side_text(value: Any, sentences: Sequence[Any]) -> str:
    """The text of one side of a link, whatever shape the aligner uses (index, indices,
    sentence objects or strings)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        item = sentences[value] if 0 <= value < len(sentences) else ""
        return item if isinstance(item, str) else str(getattr(item, "text", item))
    if hasattr(value, "text"):
        return str(value.text)
    if isinstance(value, (list, tuple, range)):
        return " ".join(t for t in (side_text(v, sentences) for v in value) if t)
    return str(value)


@dataclass
class BilingualRow:
    """One aligned pair, ready to show."""

    number: str
    zh: Text
    en: Text
    marks: Text
    missing: list[str] = field(default_factory=list)


class TermHighlighter:
    """Glossary terms in both languages: zh by substring (longest first), en by the Matcher."""

    def __init__(self, glossary: Glossary) -> None:
        self.concepts: dict[str, Concept] = {}
        terms: list[str] = []
        self.owners: list[str] = []
        for concept in glossary.active():
            self.concepts[concept.id] = concept
            for zh in concept.zh:
                if zh:
                    terms.append(zh)
                    self.owners.append(concept.id)
        self.zh = ahocorasick_rs.AhoCorasick(
            terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest) if terms else None
        self.matcher = Matcher(glossary)

    def mark_zh(self, text: str) -> tuple[Text, set[str]]:
        out = Text(text)
        found: set[str] = set()
        if self.zh is not None:
            for index, start, end in self.zh.find_matches_as_indexes(text):
                out.stylize(ZH_STYLE, start, end)
                found.add(self.owners[index])
        return out, found

    def mark_en(self, text: str) -> tuple[Text, set[str]]:
        out = Text(text)
        accepted: set[str] = set()
        for match in self.matcher.find(text):
            if match.kind == "deprecated":
                out.stylize(DEPRECATED_STYLE, match.start, match.end)
            else:
                out.stylize(ACCEPTED_STYLE, match.start, match.end)
                accepted.add(match.concept)
        return out, accepted


def build_rows(pairs: Sequence[tuple[str, str]], glossary: Glossary,
               cancelled: Callable[[], bool] = lambda: False) -> tuple[list[BilingualRow], str]:
    """Align each (zh, en) file pair and mark terms; returns the rows and a note on how they
    were aligned."""
    align, split_zh, split_en, real = aligner()
    marker = TermHighlighter(glossary)
    rows: list[BilingualRow] = []
    missing_total = 0
    for zh_path, en_path in pairs:
        if cancelled():
            break
        try:
            zh_doc, en_doc = read_document(zh_path), read_document(en_path)
        except DecalqueError as exc:
            rows.append(BilingualRow("", Text(str(exc), style="red"), Text(""), Text("")))
            continue
        rows.append(BilingualRow("", Text(zh_path, style="bold underline"),
                                 Text(en_path, style="bold underline"), Text("")))
        zh_sentences, en_sentences = split_zh(zh_doc.text), split_en(en_doc.text)
        for number, link in enumerate(align(zh_sentences, en_sentences), 1):
            zh_text, found = marker.mark_zh(side_text(link.zh, zh_sentences))
            en_text, accepted = marker.mark_en(side_text(link.en, en_sentences))
            missing = sorted(found - accepted) if en_text.plain else []
            marks = Text("\n").join(Text(f"DQ201 {concept_id}", style="bold yellow")
                                     for concept_id in missing)
            score = getattr(link, "score", None)
            if isinstance(score, float):
                marks.append(f"{chr(10) if missing else ''}{score:.2f}", style="dim")
            missing_total += len(missing)
            rows.append(BilingualRow(str(number), zh_text, en_text, marks, missing))
    how = "aligned by the aligner" if real else "paired by position (aligner not installed)"
    return rows, f"{how} · {missing_total} source terms without an accepted rendering (DQ201)"


class BilingualScreen(ReviewScreen):
    """Chinese source and English translation, sentence by sentence."""

    MODE = "bilingual"
    TITLE_TEXT = "Bilingual"
    HELP = "Aligned source and translation; glossary terms highlighted, DQ201 marked."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_mark", "Next DQ201"),
        Binding("p", "previous_mark", "Previous DQ201"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[BilingualRow] = []
        self._built_for: Glossary | None = None

    def compose(self) -> ComposeResult:
        yield self.compose_top()
        yield Static("", id="bilingual-status", classes="status-line")
        table: LazyTable[BilingualRow] = LazyTable(
            [("#", 3), ("中文", 40), ("English", 46), ("marks", 18)], id="bilingual-table")
        table.auto_height = True
        yield table
        yield self.footer()

    @property
    def table(self) -> LazyTable[BilingualRow]:
        return self.query_one("#bilingual-table", LazyTable)

    def on_mount(self) -> None:
        self.table.focus()

    def sync(self) -> None:
        super().sync()
        glossary = self.review.state.glossary
        if not self.review.pairs:
            self.query_one("#bilingual-status", Static).update(
                "No sources: pass --source ZH with the English PATHs to compare them.")
            return
        if glossary is not self._built_for:
            self._built_for = glossary
            self.query_one("#bilingual-status", Static).update("aligning…")
            self._build(glossary)

    @work(thread=True, exclusive=True, group="bilingual")
    def _build(self, glossary: Glossary) -> None:
        worker = get_current_worker()
        rows, note = build_rows(self.review.pairs, glossary, lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, rows, note)

    def _show(self, rows: list[BilingualRow], note: str) -> None:
        self.rows = rows
        cursor = min(self.table.cursor_row, len(rows) - 1) if rows else 0
        self.table.set_items(rows, lambda r: (r.number, r.zh, r.en, r.marks),
                             cursor=max(cursor, 0))
        self.query_one("#bilingual-status", Static).update(note)

    def _jump(self, step: int) -> None:
        row = self.table.cursor_row
        index = row + step
        while 0 <= index < len(self.rows):
            if self.rows[index].missing:
                self.table.goto(index)
                return
            index += step
        self.review.notify("No more DQ201 marks.", severity="information")

    def action_next_mark(self) -> None:
        self._jump(1)

    def action_previous_mark(self) -> None:
        self._jump(-1)
