"""Screen 4 (with ``--source``): aligned Chinese and English sentences side by side, glossary
terms highlighted in both, and the checker's source findings (DQ201 key-term-mismatch, DQ202
number-mismatch) marked on the sentence pair they belong to.

Alignment, term matching and the findings all come from ``glossary.bilingual`` and the
checker, exactly as ``decalque check --source`` computes them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual.worker import get_current_worker

from glossary.bilingual import AlignedPair, align_documents
from glossary.check import CheckContext, source_findings
from glossary.diagnostics import Diagnostic, select_rules
from glossary.documents import read_document
from glossary.errors import DecalqueError
from glossary.terms import Glossary
from tui.screens import ReviewScreen
from tui.widgets import LazyTable

ACCEPTED_STYLE = "bold green"
DEPRECATED_STYLE = "bold white on red"
ZH_STYLE = "bold cyan"
MARKED = ("DQ201", "DQ202")


@dataclass
class BilingualRow:
    """One aligned pair, ready to show."""

    number: str
    zh: Text
    en: Text
    marks: Text
    findings: list[Diagnostic] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Concepts whose source term has no accepted rendering here (DQ201)."""
        return [d.concept or "" for d in self.findings if d.code == "DQ201"]


def _rows_for(pair: AlignedPair, ctx: CheckContext) -> list[BilingualRow]:
    findings, _ = source_findings(pair, ctx)
    en_matches = ctx.matcher.find(pair.en.masked, original=pair.en.text)
    zh_matches = ctx.matcher.find_zh(pair.zh.text)
    rows: list[BilingualRow] = []
    for number, link in enumerate(pair.links, 1):
        zh_span = pair.zh_span(link) or (0, 0)
        en_span = pair.en_span(link) or (0, 0)
        zh_text = Text(pair.zh.text[zh_span[0]:zh_span[1]])
        for m in zh_matches:
            if zh_span[0] <= m.start and m.end <= zh_span[1]:
                zh_text.stylize(ZH_STYLE, m.start - zh_span[0], m.end - zh_span[0])
        en_text = Text(pair.en.text[en_span[0]:en_span[1]])
        for m in en_matches:
            if en_span[0] <= m.start and m.end <= en_span[1]:
                style = DEPRECATED_STYLE if m.kind == "deprecated" else ACCEPTED_STYLE
                en_text.stylize(style, m.start - en_span[0], m.end - en_span[0])
        here = [d for d in findings if en_span[0] <= d.start < en_span[1]
                or (d.start == en_span[0] and en_span[0] == en_span[1])]
        marks = Text("\n").join(
            Text(f"{d.code} {d.concept or d.found}", style="bold yellow") for d in here)
        marks.append(f"{chr(10) if here else ''}{link.score:.2f}", style="dim")
        rows.append(BilingualRow(str(number), zh_text, en_text, marks, here))
    return rows


def build_rows(pairs: Sequence[tuple[str, str]], glossary: Glossary,
               cancelled: Callable[[], bool] = lambda: False) -> tuple[list[BilingualRow], str]:
    """Align each (zh, en) file pair and mark terms and findings; returns the rows and a
    summary line."""
    ctx = CheckContext.build(glossary, select_rules(list(MARKED)))
    rows: list[BilingualRow] = []
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
        rows.extend(_rows_for(align_documents(zh_doc, en_doc, ctx.lexicon), ctx))
    counts = {code: sum(d.code == code for r in rows for d in r.findings) for code in MARKED}
    return rows, (f"aligned {len(pairs)} pair(s) · {counts['DQ201']} source terms without an "
                  f"accepted rendering (DQ201) · {counts['DQ202']} number mismatches (DQ202)")


class BilingualScreen(ReviewScreen):
    """Chinese source and English translation, sentence by sentence."""

    MODE = "bilingual"
    TITLE_TEXT = "Bilingual"
    HELP = ("Aligned source and translation; glossary terms highlighted, DQ201/DQ202 "
            "findings marked.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_mark", "Next finding"),
        Binding("p", "previous_mark", "Previous finding"),
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
            if self.rows[index].findings:
                self.table.goto(index)
                return
            index += step
        self.review.notify("No more DQ201/DQ202 marks.", severity="information")

    def action_next_mark(self) -> None:
        self._jump(1)

    def action_previous_mark(self) -> None:
        self._jump(-1)
