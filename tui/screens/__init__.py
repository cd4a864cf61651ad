"""The four review screens share one base: a top bar, a footer, and a ``sync`` that redraws
from the session state when that state changed while the screen was hidden."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.screen import Screen
from textual.widgets import Footer

from tui.widgets import TopBar

if TYPE_CHECKING:
    from tui.app import ReviewApp


class ReviewScreen(Screen[None]):
    """A mode screen of the review app. Subclasses draw in ``compose_body`` and ``sync``."""

    MODE: ClassVar[str] = ""
    TITLE_TEXT: ClassVar[str] = ""
    HELP: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__(id=f"screen-{self.MODE}")
        self._seen_revision = -1

    @property
    def review(self) -> ReviewApp:
        app: Any = self.app
        return app  # type: ignore[no-any-return]

    def compose_top(self) -> TopBar:
        return TopBar(self.MODE)

    def footer(self) -> Footer:
        return Footer(compact=True)

    def on_screen_resume(self) -> None:
        self.review.registered[self.MODE] = self
        self.refresh_bar()
        if self._seen_revision != self.review.state.revision:
            self.sync()

    def refresh_bar(self) -> None:
        for bar in self.query(TopBar):
            bar.refresh()

    def sync(self) -> None:
        """Redraw what depends on the session state (glossary, decisions)."""
        self._seen_revision = self.review.state.revision
