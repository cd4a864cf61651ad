"""What every exchange format shares: the view being exported, the records read back, the merge.

Formats only translate between bytes and two small shapes: an export reads a :class:`View`
(the selected concepts and languages of one glossary), an import yields :class:`Record`s (the
fields one row or entry carries, with its line). Matching, conflicts, validation and the
byte-preserving save all happen here and in ``glossary/terms.py``, once for every format.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from glossary import terms
from glossary.errors import DecalqueError
from glossary.terms import COLUMNS, Concept, Glossary, form_key

LANGS: tuple[str, ...] = ("zh", "en")
ENGLISH_FIELDS: tuple[str, ...] = ("preferred", "admitted", "deprecated")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Separator of list cells in spreadsheets: spaces make it readable; forms never contain "|".
LIST_JOIN = " | "


@dataclass(frozen=True)
class View:
    """The part of a glossary an export writes: chosen concepts, languages and layout."""

    glossary: Glossary
    concepts: tuple[Concept, ...]
    langs: tuple[str, ...] = LANGS
    per_term: bool = False

    @property
    def extra_columns(self) -> tuple[str, ...]:
        """terms.csv columns decalque does not know, exported as they are."""
        return tuple(c for c in self.glossary.columns if c not in COLUMNS)

    @property
    def source_name(self) -> str:
        return os.path.basename(self.glossary.path)


def select(glossary: Glossary, statuses: Sequence[str] = (), langs: Sequence[str] = LANGS,
           per_term: bool = False) -> View:
    """Filter by status and language; a concept with no term in any chosen language is left
    out (TBX needs at least one language section per concept)."""
    for status in statuses:
        if status not in terms.STATUSES:
            raise DecalqueError(f"unknown status {status!r} (expected "
                                f"{'|'.join(terms.STATUSES)})")
    for lang in langs:
        if lang not in LANGS:
            raise DecalqueError(f"unknown language {lang!r} (expected zh, en or zh,en)")
    if not langs:
        raise DecalqueError("--lang needs at least one of zh, en")
    ordered = tuple(lang for lang in LANGS if lang in langs)
    chosen = tuple(c for c in glossary.concepts
                   if (not statuses or c.status in statuses)
                   and (c.zh if ordered == ("zh",) else True))
    return View(glossary, chosen, ordered, per_term)


# -- reading ------------------------------------------------------------------------------------
def read_limited(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read an import file, refusing it before reading when it is over the size limit."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise DecalqueError(f"file is {size:,} bytes, over the import limit of "
                                f"{max_bytes:,} (raise it with --max-size)", path)
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise DecalqueError("is a directory", path) from None
    except FileNotFoundError:
        raise DecalqueError("no such file", path) from None
    except PermissionError:
        raise DecalqueError("permission denied", path) from None
    except OSError as exc:
        raise DecalqueError(f"cannot read: {exc.strerror or exc}", path) from None


def check_zip(path: str, data: bytes, max_bytes: int) -> None:
    """XLSX is a zip: refuse one whose members unpack to more than the limit (zip bombs)."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise DecalqueError("not an XLSX workbook (not a zip archive)", path) from None
    if total > max_bytes:
        raise DecalqueError(f"workbook unpacks to {total:,} bytes, over the import limit of "
                            f"{max_bytes:,} (raise it with --max-size)", path)


def split_cell(value: str) -> tuple[str, ...]:
    """A list cell from a spreadsheet: ``a | b`` or ``a|b``; empty items dropped."""
    return tuple(item.strip() for item in value.split(terms.SEP) if item.strip())


@dataclass(frozen=True)
class Record:
    """One concept as an import file states it: only the fields it carries, and its line."""

    line: int
    values: Mapping[str, str | tuple[str, ...]]

    def text(self, name: str) -> str:
        value = self.values.get(name, "")
        return value if isinstance(value, str) else terms.SEP.join(value)


@dataclass(frozen=True)
class Incoming:
    """Everything an import file says, before it meets terms.csv."""

    path: str
    fmt: str
    records: tuple[Record, ...]
    notices: tuple[str, ...] = ()


# -- merging ------------------------------------------------------------------------------------
ChangeKind = Literal["added", "changed", "unchanged"]


@dataclass(frozen=True)
class Change:
    """What one record does to terms.csv."""

    kind: ChangeKind
    after: Concept
    line: int
    before: Concept | None = None
    fields: tuple[str, ...] = ()
    matched_by: str = "id"


@dataclass(frozen=True)
class MergeResult:
    """The merged glossary and, per record, what changed; conflicts are the changed concepts."""

    glossary: Glossary
    changes: tuple[Change, ...]
    ignored_columns: tuple[str, ...] = field(default=())

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def conflicts(self) -> list[Change]:
        return [change for change in self.changes if change.kind == "changed"]


_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A kebab-case id from an English term (ids are slugs; ``terms.ID_RE``)."""
    return _SLUG_JUNK.sub("-", text.casefold()).strip("-")[:60].strip("-")


def _concept_from(record: Record, base: Concept, columns: Sequence[str]) -> Concept:
    """``base`` with the fields the record carries replaced (id never changes here)."""
    updates: dict[str, object] = {}
    for name in ("zh", "admitted", "deprecated"):
        if name in record.values:
            value = record.values[name]
            updates[name] = value if isinstance(value, tuple) else split_cell(value)
    for name in ("preferred", "status", "category", "note"):
        if name in record.values:
            updates[name] = record.text(name)
    extra = dict(base.extra)
    for name in columns:
        if name not in COLUMNS and name in record.values:
            extra[name] = record.text(name)
    updates["extra"] = tuple((name, extra.get(name, "")) for name in columns
                             if name not in COLUMNS)
    return replace(base, **updates)  # type: ignore[arg-type]


def _differing(before: Concept, after: Concept, columns: Sequence[str]) -> tuple[str, ...]:
    return tuple(name for name in columns if before.value(name) != after.value(name))


def merge(glossary: Glossary, incoming: Incoming) -> MergeResult:
    """Merge records into the glossary: by id, else by a shared Chinese term plus the same
    preferred English form, else as a new concept at the end.

    Nothing is decided about conflicts here: the caller writes only when there are none or
    the user forced it. Raises for duplicates inside the file and for records that would make
    the glossary invalid, naming the import file's line."""
    columns = glossary.columns
    by_id = {c.id: c for c in glossary.concepts}
    by_pair: dict[tuple[str, str], Concept] = {}
    for concept in glossary.concepts:
        for zh in concept.zh:
            by_pair.setdefault((zh, form_key(concept.preferred)), concept)
    used_ids = set(by_id)
    claimed: dict[str, int] = {}  # existing or new id -> import line that claimed it
    changes: list[Change] = []
    updated: dict[str, Concept] = {}
    added: list[Concept] = []
    ignored = sorted({name for record in incoming.records for name in record.values
                      if name not in COLUMNS and name not in columns})
    for record in incoming.records:
        rid = record.text("id").strip()
        rid = rid[1:] if rid.startswith("_") and terms.ID_RE.match(rid[1:]) else rid
        match = by_id.get(rid) if rid else None
        how = "id"
        if match is None:
            preferred = form_key(record.text("preferred"))
            zh_values = record.values.get("zh", ())
            zhs = zh_values if isinstance(zh_values, tuple) else split_cell(zh_values)
            for zh in zhs:
                match = by_pair.get((zh, preferred))
                if match is not None:
                    how = "zh + preferred"
                    break
        if match is not None:
            if match.id in claimed:
                raise DecalqueError(f"concept {match.id!r} appears twice in the file (first at "
                                    f"line {claimed[match.id]})", incoming.path, record.line)
            claimed[match.id] = record.line
            after = _concept_from(record, match, columns)
            diff = _differing(match, after, columns)
            if diff:
                updated[match.id] = after
                changes.append(Change("changed", after, record.line, match, diff, how))
            else:
                changes.append(Change("unchanged", match, record.line, match, (), how))
            continue
        if not record.text("preferred").strip():
            raise DecalqueError("new concept without a preferred English term", incoming.path,
                                record.line)
        new_id = rid if rid and terms.ID_RE.match(rid) else slugify(record.text("preferred"))
        base_id, number = new_id or "term", 2
        while new_id in used_ids or not new_id:
            new_id, number = f"{base_id}-{number}", number + 1
        used_ids.add(new_id)
        claimed[new_id] = record.line
        blank = Concept(id=new_id, preferred="", line=0)
        concept = _concept_from(record, blank, columns)
        if "status" not in record.values:
            concept = replace(concept, status="proposed")
        added.append(concept)
        changes.append(Change("added", concept, record.line))
    merged_concepts = [updated.get(c.id, c) for c in glossary.concepts] + added
    merged = replace(glossary, concepts=tuple(merged_concepts))
    _refuse_new_problems(glossary, merged, changes, incoming.path)
    return MergeResult(merged, tuple(changes), tuple(ignored))


def _refuse_new_problems(before: Glossary, after: Glossary, changes: Iterable[Change],
                         path: str) -> None:
    """Validate the merged glossary; a problem it did not have before is the import's fault
    and is reported at the import file's line."""
    touched = {change.after.id: change for change in changes if change.kind != "unchanged"}
    # Touched concepts get negative line numbers so their problems can be told apart.
    marks: dict[int, int] = {}
    probe: list[Concept] = []
    for concept in after.concepts:
        change = touched.get(concept.id)
        if change is not None:
            mark = -(len(marks) + 1)
            marks[mark] = change.line
            concept = replace(concept, line=mark)
        probe.append(concept)
    old = {problem.message for problem in before.problems} | {
        problem.message for problem in terms.validate(before)}
    fresh = [p for p in terms.validate(probe, before.path) if p.message not in old]
    if not fresh:
        return
    first = fresh[0]
    message = re.sub(r"line -(\d+)", lambda m: f"line {marks[-int(m.group(1))]} of the file",
                     first.message)
    more = f" (and {len(fresh) - 1} more)" if len(fresh) > 1 else ""
    if first.line < 0:
        raise DecalqueError(message + more, path, marks[first.line])
    raise DecalqueError(f"importing would make {before.path} invalid: {message}{more}", path)
