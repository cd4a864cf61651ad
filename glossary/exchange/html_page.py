"""One self-contained HTML page for translators: search box, category filter, every concept
with its Chinese terms, preferred, admitted and deprecated forms and note.

No network at all (inline CSS and script, and a Content-Security-Policy that forbids loading
anything), so the page works from a mail attachment or a shared drive. Rows are rendered in
HTML, so the page is readable even with scripts off; the script only hides rows. The
search text of a row is lowercased here once, and the script lowercases the query the same way.
"""

from __future__ import annotations

import html
from importlib import resources

from glossary.exchange.model import View
from glossary.terms import Concept


def _items(forms: tuple[str, ...], css: str) -> str:
    if not forms:
        return ""
    return "<ul>" + "".join(f'<li class="{css}">{html.escape(f)}</li>' for f in forms) + "</ul>"


def search_text(concept: Concept, view: View) -> str:
    """What the search box matches against: ids, terms, forms, note, category."""
    parts = [concept.id, concept.category, concept.note]
    if "zh" in view.langs:
        parts += list(concept.zh)
    if "en" in view.langs:
        parts += [form for form, _ in concept.forms()]
    return " ".join(parts).lower()


def _row(concept: Concept, view: View) -> str:
    zh = "<br>".join(html.escape(t) for t in concept.zh) if "zh" in view.langs else ""
    english = "en" in view.langs
    preferred = html.escape(concept.preferred) if english else ""
    if concept.status != "approved":
        preferred += f' <span class="badge">{html.escape(concept.status)}</span>'
    cells = [
        f'<td class="zh" lang="zh">{zh}</td>',
        f'<td class="preferred">{preferred}</td>',
        f"<td>{_items(concept.admitted, 'admitted') if english else ''}</td>",
        f"<td>{_items(concept.deprecated, 'deprecated') if english else ''}</td>",
        f'<td class="note">{html.escape(concept.note)}</td>',
        f"<td>{html.escape(concept.category)}</td>",
    ]
    return (f'<tr id="{html.escape(concept.id)}" data-category="{html.escape(concept.category)}"'
            f' data-search="{html.escape(search_text(concept, view))}">' + "".join(cells)
            + "</tr>")


def dump(view: View) -> bytes:
    template = resources.files("glossary.exchange").joinpath("glossary_page.html").read_text(
        encoding="utf-8")
    categories = sorted({c.category for c in view.concepts})
    options = "\n".join(f'    <option value="{html.escape(c)}">{html.escape(c)}</option>'
                        for c in categories)
    title = f"Glossary: {view.source_name} ({len(view.concepts)} concepts)"
    page = (template.replace("{{title}}", html.escape(title))
            .replace("{{options}}", options)
            .replace("{{total}}", str(len(view.concepts)))
            .replace("{{rows}}", "\n".join(_row(c, view) for c in view.concepts)))
    return page.encode("utf-8")
