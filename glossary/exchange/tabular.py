"""Spreadsheets: CSV and XLSX with headers translators understand, one row per concept or one
row per English term (``--per-term``, easy to filter by usage in Excel).

Both formats share the column layout and the row reader, so a sheet edited in Excel and saved
as either comes back the same way. CSV is UTF-8 with a byte-order mark (Excel needs it to read
Chinese) and CRLF line ends (RFC 4180). Cells holding several terms use `` | ``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence

from glossary.encoding import decode
from glossary.errors import DecalqueError
from glossary.exchange.model import LIST_JOIN, Incoming, Record, View, check_zip, split_cell
from glossary.terms import COLUMNS, Concept

# Column label per field, in export order; the raw terms.csv names are accepted on import too.
LABELS: dict[str, str] = {
    "id": "ID",
    "zh": "Chinese",
    "preferred": "English (preferred)",
    "admitted": "English (admitted)",
    "deprecated": "English (deprecated)",
    "status": "Status",
    "category": "Category",
    "note": "Note",
}
TERM_LABEL = "English"
USAGE_LABEL = "Usage"
USAGES = ("preferred", "admitted", "deprecated")
_FIELD_OF: dict[str, str] = {**{label.casefold(): name for name, label in LABELS.items()},
                             **{name: name for name in COLUMNS},
                             TERM_LABEL.casefold(): "term", USAGE_LABEL.casefold(): "usage"}


# -- layout -------------------------------------------------------------------------------------
def header(view: View) -> list[str]:
    """Column labels for the view: languages chosen, per concept or per term, extra columns."""
    names = ["id"]
    if "zh" in view.langs:
        names.append("zh")
    if view.per_term:
        labels = [LABELS[n] for n in names] + [TERM_LABEL, USAGE_LABEL]
    else:
        if "en" in view.langs:
            names += ["preferred", "admitted", "deprecated"]
        labels = [LABELS[n] for n in names]
    labels += [LABELS[n] for n in ("status", "category", "note")]
    return labels + list(view.extra_columns)


def _tail(concept: Concept, view: View) -> list[str]:
    return [concept.status, concept.category, concept.note,
            *(concept.value(column) for column in view.extra_columns)]


def rows(view: View) -> Iterator[list[str]]:
    """Data rows matching :func:`header`."""
    if view.per_term and "en" not in view.langs:
        raise DecalqueError("--per-term gives one row per English term; it needs en in --lang")
    for concept in view.concepts:
        head = [concept.id] + ([LIST_JOIN.join(concept.zh)] if "zh" in view.langs else [])
        if view.per_term:
            for form, kind in concept.forms():
                yield head + [form, kind] + _tail(concept, view)
        else:
            english = ([concept.preferred, LIST_JOIN.join(concept.admitted),
                        LIST_JOIN.join(concept.deprecated)] if "en" in view.langs else [])
            yield head + english + _tail(concept, view)


# -- CSV ----------------------------------------------------------------------------------------
def dump_csv(view: View) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(view))
    writer.writerows(rows(view))
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def load_csv(data: bytes, path: str) -> Incoming:
    """Records from a CSV sheet (comma, semicolon or tab separated, any common encoding)."""
    text = decode(data, path).text
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            table.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DecalqueError(f"malformed CSV: {exc}", path, start) from None
    return _records(table, path, "csv")


# -- XLSX ---------------------------------------------------------------------------------------
def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def dump_xlsx(view: View) -> bytes:
    """A workbook with a bold, frozen header row, a filter, and widths that fit the content."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Glossary"
    labels = header(view)
    sheet.append(labels)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    body = list(rows(view))
    for row in body:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, label in enumerate(labels, start=1):
        longest = max([_width(label)] + [_width(row[index - 1]) for row in body])
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(longest + 2, 8), 60)
        if longest > 58:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.properties.creator = "decalque"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def load_xlsx(data: bytes, path: str, max_bytes: int) -> Incoming:
    """Records from the first sheet of a workbook; row numbers are the sheet's."""
    check_zip(path, data, max_bytes)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise DecalqueError(f"cannot read the workbook: {exc}", path) from None
    try:
        sheet = book["Glossary"] if "Glossary" in book.sheetnames else book.worksheets[0]
        table = [(number, ["" if value is None else str(value) for value in row])
                 for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    return _records(table, path, "xlsx")


# -- reading rows -------------------------------------------------------------------------------
def _records(table: Sequence[tuple[int, list[str]]], path: str, fmt: str) -> Incoming:
    """Map the header to fields and rows to records; per-term sheets are grouped by ID (or by
    Chinese term when the ID column is empty)."""
    table = [(line, cells) for line, cells in table if any(c.strip() for c in cells)]
    if not table:
        raise DecalqueError("empty sheet (expected a header row)", path, 1)
    head_line, head = table[0]
    names = [_FIELD_OF.get(label.strip().lstrip("\ufeff").casefold(),
                           label.strip().lstrip("\ufeff")) for label in head]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise DecalqueError(f"duplicate column {name!r}", path, head_line)
        seen.add(name)
    per_term = "term" in names
    if per_term and "usage" not in names:
        raise DecalqueError(f"a sheet with an {TERM_LABEL!r} column needs a {USAGE_LABEL!r} "
                            "column (preferred, admitted or deprecated)", path, head_line)
    if not per_term and not {"id", "preferred", "zh"} & seen:
        raise DecalqueError("no known columns in the header (expected ID, Chinese, "
                            "English (preferred), ...)", path, head_line)
    rows_ = []
    for line, cells in table[1:]:
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names):]):
            raise DecalqueError(f"row has {len(cells)} cells, header has {len(names)}",
                                path, line)
        cells = (cells + [""] * len(names))[: len(names)]
        rows_.append((line, dict(zip(names, cells, strict=True))))
    if per_term:
        return Incoming(path, fmt, tuple(_group_terms(rows_, path)))
    records = []
    for line, values in rows_:
        record: dict[str, str | tuple[str, ...]] = {}
        for name, value in values.items():
            record[name] = split_cell(value) if name in ("zh", "admitted", "deprecated") \
                else value.strip()
        records.append(Record(line, record))
    return Incoming(path, fmt, tuple(records))


def _group_terms(rows_: list[tuple[int, dict[str, str]]], path: str) -> Iterator[Record]:
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, values in rows_:
        key = values.get("id", "").strip() or "zh:" + values.get("zh", "").strip()
        if key == "zh:":
            raise DecalqueError("row has neither an ID nor a Chinese term", path, line)
        groups.setdefault(key, []).append((line, values))
    for members in groups.values():
        first_line, first = members[0]
        record: dict[str, str | tuple[str, ...]] = {}
        for name, value in first.items():
            if name in ("term", "usage"):
                continue
            for line, other in members[1:]:
                if other.get(name, "").strip() != value.strip():
                    raise DecalqueError(f"rows of one concept disagree on {name!r} (line "
                                        f"{first_line} has {value.strip()!r})", path, line)
            record[name] = split_cell(value) if name == "zh" else value.strip()
        kinds: dict[str, list[str]] = {usage: [] for usage in USAGES}
        for line, values in members:
            usage = values["usage"].strip().casefold().removesuffix(" term")
            if usage not in kinds:
                raise DecalqueError(f"unknown usage {values['usage']!r} (expected preferred, "
                                    "admitted or deprecated)", path, line)
            if values["term"].strip():
                kinds[usage].append(values["term"].strip())
            if usage == "preferred" and len(kinds["preferred"]) > 1:
                raise DecalqueError("a second preferred term for one concept", path, line)
        record["preferred"] = kinds["preferred"][0] if kinds["preferred"] else ""
        record["admitted"] = tuple(kinds["admitted"])
        record["deprecated"] = tuple(kinds["deprecated"])
        yield Record(first_line, record)
