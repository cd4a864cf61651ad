"""Screen 3: the checker's findings for the documents, grouped by file, with the document
beside them; ``f`` applies one safe fix, ``i`` adds an inline ignore, both as atomic writes."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static, Tree

from glossary.check import CheckRun
from glossary.diagnostics import Diagnostic
from glossary.documents import Document
from glossary.fix import apply_fixes
from tui.screens import ReviewScreen

MAX_PREVIEW_LINES = 2000
CODE_STYLES = {"DQ001": "bold red", "DQ101": "bold red", "DQ102": "bold yellow",
               "DQ103": "yellow", "DQ104": "magenta", "DQ105": "magenta",
               "DQ106": "cyan"}


def ignore_marker(doc: Document, code: str) -> str:
    """The inline suppression for this document's kind."""
    if doc.kind in {"md", "html"}:
        return f"<!-- decalque: ignore {code} -->"
    return f"# decalque: ignore {code}"


def with_inline_ignore(doc: Document, line: int, code: str) -> str:
    """The document text with an ignore marker appended to ``line`` (before its line end)."""
    text = doc.text
    starts = doc.line_starts()
    index = line - doc.first_line
    if not 0 <= index < len(starts):
        raise IndexError(line)
    end = starts[index + 1] if index + 1 < len(starts) else len(text)
    while end > starts[index] and text[end - 1] in "\r\n":
        end -= 1
    body = text[starts[index]:end]
    space = "" if not body or body.endswith((" ", "\t")) else " "
    return text[:end] + space + ignore_marker(doc, code) + text[end:]


def with_fix(doc: Document, diag: Diagnostic) -> str:
    """The document text with this one finding's safe fix applied."""
    fixed, _count = apply_fixes(doc.text, [diag])
    return fixed


def render_document(doc: Document, diagnostics: list[Diagnostic],
                    selected: Diagnostic | None) -> tuple[Text, int]:
    """The document with line numbers and every finding's span highlighted (the selected one
    strongest); returns the text and the row of the selected line. Long documents show a
    window around the selection so rendering stays fast."""
    lines = doc.text.split("\n")
    focus = (selected.line - doc.first_line) if selected else 0
    first = max(0, focus - MAX_PREVIEW_LINES // 2) if len(lines) > MAX_PREVIEW_LINES else 0
    last = min(len(lines), first + MAX_PREVIEW_LINES)
    starts = doc.line_starts()
    width = len(str(last + doc.first_line))
    body = Text()
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for diag in diagnostics:
        if diag.end <= diag.start:
            continue
        style = "bold reverse" if diag is selected or diag == selected else "black on yellow"
        line_index = diag.line - doc.first_line
        while line_index < len(lines) and line_index < len(starts):
            line_start = starts[line_index]
            line_end = line_start + len(lines[line_index])
            lo, hi = max(diag.start, line_start), min(diag.end, line_end)
            if lo < hi:
                spans[line_index].append((lo - line_start, hi - line_start, style))
            if diag.end <= line_end:
                break
            line_index += 1
    for index in range(first, last):
        number = index + doc.first_line
        marker = "▶" if index == focus and selected else " "
        body.append(f"{marker}{number:>{width}} │ ", style="dim")
        line = Text(lines[index].rstrip("\r"))
        for start, end, style in sorted(spans.get(index, []), key=lambda s: s[2] != "bold reverse"):
            line.stylize(style, start, end)
        body.append_text(line)
        body.append("\n")
    return body, focus - first


class FindingsScreen(ReviewScreen):
    """Findings by file; Enter shows the document with the spans highlighted."""

    MODE = "findings"
    TITLE_TEXT = "Findings"
    HELP = "The checker's findings for PATHs; fixes and ignores are written atomically."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", priority=True),
        Binding("f", "fix", "Fix"),
        Binding("i", "ignore", "Ignore"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.run: CheckRun | None = None
        self.opened: Diagnostic | None = None
        self._keep: tuple[str, int] | None = None

    def compose(self) -> ComposeResult:
        yield self.compose_top()
        yield Static("", id="findings-status", classes="status-line")
        with Horizontal(id="findings-body"):
            tree: Tree[Diagnostic | None] = Tree("findings", id="findings-tree")
            tree.show_root = False
            tree.guide_depth = 2
            yield tree
            with VerticalScroll(id="doc-pane"):
                yield Static("", id="doc-header")
                yield Static("", id="doc-view")
        yield self.footer()

    @property
    def tree(self) -> Tree[Diagnostic | None]:
        return self.query_one("#findings-tree", Tree)

    def on_mount(self) -> None:
        self.tree.focus()

    def sync(self) -> None:
        super().sync()
        app = self.review
        if not app.files:
            self._status("No documents: pass PATHs to 'decalque review' to see findings.")
            return
        if app.check_run is None or app.checked_glossary is not app.state.glossary:
            app.run_check()
        if app.check_run is not None and app.check_run is not self.run:
            self.show_run(app.check_run)
        if app.checking:
            self._status("checking…")

    def _status(self, text: str) -> None:
        self.query_one("#findings-status", Static).update(text)

    # -- tree -----------------------------------------------------------------------------------
    def show_run(self, run: CheckRun) -> None:
        """Rebuild the tree for a new check result, keeping the cursor near where it was."""
        current = self.selected()
        if current is not None:
            self._keep = (current.path, current.line)
        self.run = run
        by_file: dict[str, list[Diagnostic]] = defaultdict(list)
        for diag in run.diagnostics:
            by_file[diag.path].append(diag)
        tree = self.tree
        tree.clear()
        target = None
        for path, diags in by_file.items():
            node = tree.root.add(Text.assemble((path, "bold"), f"  ({len(diags)})"),
                                 data=None, expand=True)
            for diag in diags:
                leaf = node.add_leaf(self._label(diag), data=diag)
                if target is None and self._keep and diag.path == self._keep[0] and (
                        diag.line >= self._keep[1]):
                    target = leaf
        fixable = sum(d.fixable for d in run.diagnostics)
        self._status(f"{len(run.diagnostics)} findings in {len(by_file)} of {run.files} files"
                     f" · {fixable} with a safe fix (f) · Enter shows the document")
        if target is not None:
            self.call_after_refresh(tree.move_cursor, target)
        elif run.diagnostics:
            self.call_after_refresh(tree.move_cursor_to_line, 1)
        if self.opened is not None:
            reopened = next((d for d in run.diagnostics if d.path == self.opened.path), None)
            self.opened = None
            if reopened is not None:
                self.open(reopened)
            else:
                self.query_one("#doc-view", Static).update("")
                self.query_one("#doc-header", Static).update("")

    @staticmethod
    def _label(diag: Diagnostic) -> Text:
        label = Text(f"{diag.line}:{diag.col} ", style="dim")
        label.append(diag.code, style=CODE_STYLES.get(diag.code, "bold"))
        label.append(" ✎ " if diag.fixable else "   ", style="green")
        label.append(diag.found or diag.message)
        if diag.suggestion:
            label.append(f" → {diag.suggestion}", style="green")
        return label

    def selected(self) -> Diagnostic | None:
        node = self.tree.cursor_node
        return node.data if node is not None else None

    def on_tree_node_selected(self, event: Tree.NodeSelected[Any]) -> None:
        if isinstance(event.node.data, Diagnostic):
            self.open(event.node.data)

    def action_open(self) -> None:
        node = self.tree.cursor_node
        if node is None:
            return
        if isinstance(node.data, Diagnostic):
            self.open(node.data)
        else:
            node.toggle()

    # -- document preview -----------------------------------------------------------------------
    def open(self, diag: Diagnostic) -> None:
        """Show ``diag``'s document with every finding in it highlighted."""
        self.opened = diag
        header = Text()
        header.append(f"{diag.path}:{diag.line}:{diag.col} ", style="bold")
        header.append(f"{diag.code} {diag.name}", style=CODE_STYLES.get(diag.code, "bold"))
        header.append(f"\n{diag.message}\n")
        view = self.query_one("#doc-view", Static)
        doc = self.run.documents.get(diag.path) if self.run else None
        if doc is None:
            self.query_one("#doc-header", Static).update(header)
            view.update(Text("(document not available: unreadable or too large to show)",
                             style="dim"))
            return
        same = [d for d in self.run.diagnostics if d.path == diag.path] if self.run else []
        body, row = render_document(doc, same, diag)
        self.query_one("#doc-header", Static).update(header)
        view.update(body)
        pane = self.query_one("#doc-pane", VerticalScroll)
        self.call_after_refresh(pane.scroll_to, y=max(0, row + 3 - pane.size.height // 2),
                                animate=False)

    # -- edits ----------------------------------------------------------------------------------
    def _target(self) -> tuple[Diagnostic, Document] | None:
        diag = self.selected()
        if diag is None:
            self.review.notify("Select a finding first.", severity="warning")
            return None
        doc = self.run.documents.get(diag.path) if self.run else None
        if doc is None or diag.code == "DQ001":
            self.review.notify(f"{diag.path} cannot be edited here (unreadable or too large).",
                               severity="warning")
            return None
        return diag, doc

    def action_fix(self) -> None:
        target = self._target()
        if target is None:
            return
        diag, doc = target
        if not diag.fixable:
            self.review.notify(f"{diag.code} at {diag.line}:{diag.col} has no safe fix.",
                               severity="warning")
            return
        self.review.edit_document(doc, with_fix(doc, diag),
                                  f"fix {diag.code} in {diag.path}:{diag.line}")

    def action_ignore(self) -> None:
        target = self._target()
        if target is None:
            return
        diag, doc = target
        self.review.edit_document(doc, with_inline_ignore(doc, diag.line, diag.code),
                                  f"ignore {diag.code} in {diag.path}:{diag.line}")
