"""The glossary model: ``Concept`` and ``Glossary``, loaded from and saved to terms.csv.

Everything else in decalque asks the glossary; nobody re-reads the CSV. A glossary lives in git,
so saving keeps the file's bytes for every row that did not change (quoting, column order,
unknown columns, line ends, encoding): an unchanged load -> save is byte-identical and an edit
shows as a one-line diff.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from glossary.atomic import write_atomic
from glossary.encoding import Decoded, read_text
from glossary.errors import DecalqueError

if TYPE_CHECKING:
    import pandas as pd

COLUMNS: tuple[str, ...] = (
    "id", "zh", "preferred", "admitted", "deprecated", "status", "category", "note",
)
LIST_COLUMNS = frozenset({"zh", "admitted", "deprecated"})
STATUSES: tuple[str, ...] = ("approved", "proposed", "rejected")
CATEGORIES: tuple[str, ...] = (
    "campaign", "crime", "slang", "organization", "legal", "idiom", "name", "counter", "other",
)
# A counter copies a Chinese measure word as a noun (人次 "person-times"): "18,000 person-times
# of police" counts police, so its fix drops the counter and "of" (rules.terms).
COUNTER = "counter"
SEP = "|"
FormKind = Literal["preferred", "admitted", "deprecated"]
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YEAR_PLACEHOLDER = "{year}"

# One CSV record: quoted fields may hold newlines; the record ends at an unquoted line break.
# possessive: a doubled quote inside a quoted field is an escape, never a field's end and a
# new field's start, so a stray quote fails at once instead of trying 2^n readings of the
# doubled quotes after it (a mutated glossary took minutes)
_RECORD_RE = re.compile(r'(?:"[^"]*+(?:""[^"]*+)*+"|[^"\r\n]++)*+(?:\r\n|\n|\r|\Z)')


def split_list(value: str) -> tuple[str, ...]:
    """Split a ``|``-separated cell; empty cell -> empty tuple (items kept raw for validation)."""
    return tuple(value.split(SEP)) if value else ()


def form_key(text: str) -> str:
    """Case, hyphen and spacing-insensitive key used to compare forms across concepts."""
    return " ".join(re.sub(r"[-\u2010-\u2015_]", " ", text.casefold()).split())


@dataclass(frozen=True, slots=True)
class Concept:
    """One row of terms.csv: a concept with its Chinese terms and English forms."""

    id: str
    preferred: str
    zh: tuple[str, ...] = ()
    admitted: tuple[str, ...] = ()
    deprecated: tuple[str, ...] = ()
    status: str = "proposed"
    category: str = "other"
    note: str = ""
    extra: tuple[tuple[str, str], ...] = ()
    line: int = field(default=0, compare=False)

    def forms(self) -> Iterator[tuple[str, FormKind]]:
        """Every English form with its kind, preferred first."""
        if self.preferred:
            yield self.preferred, "preferred"
        for form in self.admitted:
            yield form, "admitted"
        for form in self.deprecated:
            yield form, "deprecated"

    def value(self, column: str) -> str:
        """The cell text for ``column`` as it is written in terms.csv."""
        if column in LIST_COLUMNS:
            return SEP.join(getattr(self, column))
        if column in COLUMNS:
            return str(getattr(self, column))
        return dict(self.extra).get(column, "")

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output and exchange formats."""
        data: dict[str, object] = {
            "id": self.id, "zh": list(self.zh), "preferred": self.preferred,
            "admitted": list(self.admitted), "deprecated": list(self.deprecated),
            "status": self.status, "category": self.category, "note": self.note,
        }
        if self.extra:
            data["extra"] = dict(self.extra)
        return data


@dataclass(frozen=True, slots=True)
class Problem:
    """A validation finding about terms.csv, located at a line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class _Source:
    """What is needed to write the file back byte-for-byte."""

    decoded: Decoded
    newline: str
    header_raw: str
    raw_rows: dict[Concept, tuple[str, ...]]
    trailer: str
    final_newline: bool
    abspath: str | None = None
    # sha256 of the file as last loaded or saved; a one-item list so every glossary derived
    # from one load shares it and a second save does not see its own first save as a conflict
    baseline: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Glossary:
    """An ordered, immutable set of concepts plus the file layout they came from."""

    concepts: tuple[Concept, ...] = ()
    columns: tuple[str, ...] = COLUMNS
    path: str = "terms.csv"
    problems: tuple[Problem, ...] = ()
    _source: _Source | None = field(default=None, repr=False, compare=False)

    # -- queries -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.concepts)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts)

    def get(self, concept_id: str) -> Concept | None:
        """The concept with this id, or None."""
        for concept in self.concepts:
            if concept.id == concept_id:
                return concept
        return None

    def find(self, query: str) -> list[Concept]:
        """Concepts whose id, zh or any English form equals ``query`` (case-insensitive);
        if none, those containing it."""
        key = form_key(query)
        if not key:
            return []
        exact: list[Concept] = []
        partial: list[Concept] = []
        for concept in self.concepts:
            texts = [concept.id, *concept.zh, *(form for form, _ in concept.forms())]
            keys = [form_key(text) for text in texts]
            if key in keys:
                exact.append(concept)
            elif any(key in k for k in keys):
                partial.append(concept)
        return exact or partial

    def active(self) -> list[Concept]:
        """Concepts whose forms are enforced: everything not rejected."""
        return [c for c in self.concepts if c.status != "rejected"]

    @property
    def sha256(self) -> str:
        """Hash of the glossary's serialised bytes, for signatures and caches."""
        return hashlib.sha256(self.dumps()).hexdigest()

    # -- edits (return new glossaries) ----------------------------------------------------------
    def with_concept(self, concept: Concept) -> Glossary:
        """Replace the concept with the same id in place, or append it at the end."""
        concepts = list(self.concepts)
        for index, existing in enumerate(concepts):
            if existing.id == concept.id:
                concepts[index] = concept
                break
        else:
            concepts.append(concept)
        return replace(self, concepts=tuple(concepts))

    def without(self, concept_id: str) -> Glossary:
        return replace(self, concepts=tuple(c for c in self.concepts if c.id != concept_id))

    # -- serialisation -------------------------------------------------------------------------
    def _row_text(self, concept: Concept, newline: str) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
        writer.writerow([concept.value(column) for column in self.columns])
        return buffer.getvalue()

    def dumps(self) -> bytes:
        """Serialise: unchanged rows keep their original bytes, changed and new rows are quoted
        minimally with the file's line ending."""
        source = self._source
        newline = source.newline if source else "\n"
        parts: list[str] = []
        if source:
            header = source.header_raw
            if self.concepts and not header.endswith(("\n", "\r")):
                header += newline
            parts.append(header)
        else:
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator=newline).writerow(self.columns)
            parts.append(buffer.getvalue())
        unused = {c: list(raws) for c, raws in source.raw_rows.items()} if source else {}
        for concept in self.concepts:
            raws = unused.get(concept)
            if raws:
                raw = raws.pop(0)
                parts.append(raw if raw.endswith(("\n", "\r")) else raw + newline)
            else:
                parts.append(self._row_text(concept, newline))
        text = "".join(parts)
        if source:
            if source.trailer:
                text += source.trailer
            elif not source.final_newline and text.endswith(newline):
                text = text[: -len(newline)]
            return source.decoded.encode(text)
        return text.encode("utf-8")

    def save(self, path: str | None = None, *, force: bool = False) -> None:
        """Write atomically (temp file + rename) to ``path`` or where it was loaded from.

        Saving back to the file it was loaded from is a compare-and-swap under a file lock: if
        the file changed on disk since it was loaded (another editor, another decalque process,
        a git pull), nothing is written and DecalqueError says so, unless ``force``."""
        target = path or self.path
        data = self.dumps()
        source = self._source
        same = source is not None and source.abspath == os.path.abspath(target)
        with _locked(target):
            if same and not force and source.baseline:  # type: ignore[union-attr]
                current = _file_sha256(target)
                if current is not None and current != source.baseline[0]:  # type: ignore
                    raise DecalqueError("changed on disk since it was loaded (another editor, "
                                        "process or a git pull); reload it and try again, or "
                                        "save to another file", target)
            write_atomic(target, data)
        if same:
            source.baseline[:] = [hashlib.sha256(data).hexdigest()]  # type: ignore[union-attr]

    def to_frame(self) -> pd.DataFrame:
        """The glossary as a string-typed DataFrame in file column order (for stats and exports)."""
        import pandas as pd

        rows = [[c.value(col) for col in self.columns] for c in self.concepts]
        return pd.DataFrame(rows, columns=list(self.columns), dtype="string")


def _file_sha256(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DecalqueError(f"cannot read: {exc.strerror}", path) from None


@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    """An exclusive advisory lock on the file's current inode (POSIX), held across the
    compare and the rename; a writer that waited sees the new content and refuses."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks, CAS only
        yield
        return
    try:
        handle = open(path, "rb")  # noqa: SIM115
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        handle.close()


# -- loading ------------------------------------------------------------------------------------
def _records(text: str) -> Iterator[tuple[int, str]]:
    """Yield (1-based line, raw record text) for each CSV record, refusing unterminated quotes."""
    position = 0
    line = 1
    length = len(text)
    while position < length:
        match = _RECORD_RE.match(text, position)
        if match is None or (match.end() < length and not match.group().endswith(("\n", "\r"))):
            raise DecalqueError("unterminated quoted field", None, line)
        raw = match.group()
        end = match.end()
        if not raw:
            break
        yield line, raw
        line += raw.count("\n") + (raw.count("\r") - raw.count("\r\n"))
        position = end


def _parse_record(raw: str) -> list[str]:
    return next(csv.reader([raw.rstrip("\r\n")], strict=True), [])


def _detect_newline(text: str) -> str:
    index = text.find("\n")
    if index > 0 and text[index - 1] == "\r":
        return "\r\n"
    if index == -1 and "\r" in text:
        return "\r"
    return "\n"


def parse(text: str, path: str, decoded: Decoded | None = None,
          baseline: str | None = None) -> Glossary:
    """Parse terms.csv text into a Glossary; structural errors raise, content problems are kept
    in ``Glossary.problems`` (see :func:`validate`)."""
    if not text.strip():
        raise DecalqueError("empty glossary file (expected a header row: "
                            + ",".join(COLUMNS) + ")", path, 1)
    try:
        records = list(_records(text))
    except DecalqueError as exc:
        raise DecalqueError(exc.message, path, exc.line) from None
    first_line, header_raw = records[0]
    try:
        header = _parse_record(header_raw)
    except csv.Error as exc:
        raise DecalqueError(f"malformed header: {exc}", path, first_line) from None
    header = [h.lstrip("\ufeff") for h in header]
    if "id" not in header and len(header) == 1:
        for delimiter, name in ((";", "semicolon"), ("\t", "tab")):
            if delimiter in header_raw:
                raise DecalqueError(
                    f"wrong delimiter: the header is {name}-separated; terms.csv must be "
                    "comma-separated", path, first_line)
    missing = [c for c in COLUMNS if c not in [h.strip() for h in header]]
    if missing:
        raise DecalqueError(
            "missing required column(s) " + ", ".join(missing)
            + " (header must start: " + ",".join(COLUMNS) + ")", path, first_line)
    problems: list[Problem] = []
    seen_columns: set[str] = set()
    for name in header:
        if name != name.strip():
            problems.append(Problem(path, first_line, f"stray whitespace in column name {name!r}"))
        if name.strip() in seen_columns:
            problems.append(Problem(path, first_line, f"duplicate column {name.strip()!r}"))
        seen_columns.add(name.strip())
    header = [h.strip() for h in header]
    if tuple(h for h in header if h in COLUMNS) != COLUMNS:
        problems.append(Problem(path, first_line, "required columns out of order (expected "
                                + ",".join(COLUMNS) + ")"))
    concepts: list[Concept] = []
    raw_rows: dict[Concept, tuple[str, ...]] = {}
    trailer = ""
    data_records = records[1:]
    # blank lines at the very end are kept as a trailer, not rows
    while data_records and not data_records[-1][1].strip():
        trailer = data_records[-1][1] + trailer
        data_records.pop()
    for line, raw in data_records:
        if not raw.strip():
            problems.append(Problem(path, line, "empty line inside the glossary"))
            continue
        try:
            cells = _parse_record(raw)
        except csv.Error as exc:
            raise DecalqueError(f"malformed row: {exc}", path, line) from None
        if len(cells) != len(header):
            problems.append(Problem(
                path, line, f"row has {len(cells)} fields, header has {len(header)}"))
            cells = (cells + [""] * len(header))[: len(header)]
        values = dict(zip(header, cells, strict=True))
        concept = Concept(
            id=values["id"],
            zh=split_list(values["zh"]),
            preferred=values["preferred"],
            admitted=split_list(values["admitted"]),
            deprecated=split_list(values["deprecated"]),
            status=values["status"],
            category=values["category"],
            note=values["note"],
            extra=tuple((h, values[h]) for h in header if h not in COLUMNS),
            line=line,
        )
        concepts.append(concept)
        raw_rows[concept] = raw_rows.get(concept, ()) + (raw,)
    decoded = decoded or Decoded(text, "utf-8")
    final_newline = text.endswith(("\n", "\r"))
    source = _Source(decoded, _detect_newline(text), header_raw, raw_rows, trailer, final_newline,
                     os.path.abspath(path) if baseline else None,
                     [baseline] if baseline else [])
    glossary = Glossary(tuple(concepts), tuple(header), path, (), source)
    return replace(glossary, problems=tuple(problems) + tuple(validate(glossary)))


def load(path: str) -> Glossary:
    """Load terms.csv (any common encoding, BOM, CRLF). Raises DecalqueError for a file that is
    not a glossary at all; returns content problems in ``.problems``."""
    decoded = read_text(path)
    baseline = hashlib.sha256(decoded.encode(decoded.text)).hexdigest()
    try:
        return parse(decoded.text, path, decoded, baseline)
    except DecalqueError as exc:
        raise DecalqueError(exc.message, path, exc.line) from None


def load_valid(path: str) -> Glossary:
    """Load and refuse a glossary with problems: the first one is the error, the count follows."""
    glossary = load(path)
    if glossary.problems:
        first = glossary.problems[0]
        more = len(glossary.problems) - 1
        suffix = f" (and {more} more; run 'decalque glossary validate')" if more else ""
        raise DecalqueError(first.message + suffix, first.path, first.line)
    return glossary


# -- validation ---------------------------------------------------------------------------------
def _whitespace_problems(concept: Concept, path: str) -> Iterator[Problem]:
    for column in COLUMNS:
        if column in LIST_COLUMNS:
            for item in getattr(concept, column):
                if not item.strip():
                    yield Problem(path, concept.line, f"empty item in {column} of {concept.id!r}")
                elif item != item.strip() or "  " in item:
                    yield Problem(path, concept.line,
                                  f"stray whitespace in {column} item {item!r} of {concept.id!r}")
        else:
            value = str(getattr(concept, column))
            if value != value.strip():
                yield Problem(path, concept.line,
                              f"stray whitespace in {column} of {concept.id or '(no id)'!r}")


def validate(glossary: Glossary | Sequence[Concept], path: str | None = None) -> list[Problem]:
    """Every content problem, each located at its row: ids, statuses, categories, empty or
    clashing forms, whitespace. Pure: works on concepts built in memory too."""
    concepts = glossary.concepts if isinstance(glossary, Glossary) else tuple(glossary)
    where = path or (glossary.path if isinstance(glossary, Glossary) else "terms.csv")
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    accepted: dict[str, str] = {}  # form key -> concept id (preferred/admitted)
    deprecated_owner: dict[str, tuple[str, int]] = {}
    zh_owner: dict[str, tuple[str, int]] = {}  # a zh term names one concept (exports, DQ201)
    for concept in concepts:
        if concept.status == "rejected":
            continue
        for form, kind in concept.forms():
            if kind != "deprecated":
                accepted.setdefault(form_key(form), concept.id)
    for concept in concepts:
        line = concept.line
        if not concept.id:
            problems.append(Problem(where, line, "empty id"))
        elif not ID_RE.match(concept.id.strip()):
            problems.append(Problem(where, line, f"id {concept.id!r} is not a kebab-case slug"))
        if concept.id in seen_ids:
            problems.append(Problem(
                where, line, f"duplicate id {concept.id!r} (first at line {seen_ids[concept.id]})"))
        else:
            seen_ids[concept.id] = line
        if not concept.preferred.strip():
            problems.append(Problem(where, line, f"empty preferred for {concept.id!r}"))
        if concept.status not in STATUSES:
            problems.append(Problem(where, line, f"unknown status {concept.status!r} for "
                                    f"{concept.id!r} (expected {'|'.join(STATUSES)})"))
        if concept.category not in CATEGORIES:
            problems.append(Problem(where, line, f"unknown category {concept.category!r} for "
                                    f"{concept.id!r} (expected {'|'.join(CATEGORIES)})"))
        problems.extend(_whitespace_problems(concept, where))
        if concept.status == "rejected":
            continue
        listed = concept.admitted + concept.deprecated
        for form in dict.fromkeys(f for f in listed if f and listed.count(f) > 1):
            # a TBX or CAT round trip keeps one of them, and the row comes back changed
            problems.append(Problem(where, line,
                                    f"form {form!r} is listed twice in {concept.id!r}"))
        for zh in concept.zh:
            clash = _claim(zh_owner, zh, concept.id, line)
            if clash:
                problems.append(Problem(where, line, f"zh term {zh!r} {clash}"))
        for form in concept.deprecated:
            key = form_key(form)
            if not key:
                continue
            if key in accepted:
                owner = accepted[key]
                problems.append(Problem(
                    where, line, f"deprecated form {form!r} of {concept.id!r} is also a "
                    f"preferred/admitted form of {owner!r}"))
            clash = _claim(deprecated_owner, key, concept.id, line)
            if clash:
                problems.append(Problem(where, line, f"deprecated form {form!r} {clash}"))
    return problems


def _claim(owners: dict[str, tuple[str, int]], key: str, concept_id: str, line: int) -> str:
    """Record ``key`` as ``concept_id``'s; when another concept holds it already, the end of
    the problem's message ("is listed under 'b-b' and 'a-a' (line 2)"), else ''."""
    other, other_line = owners.setdefault(key, (concept_id, line))
    if other == concept_id:
        return ""
    return f"is listed under {concept_id!r} and {other!r} (line {other_line})"


def build(concepts: Iterable[Concept], path: str = "terms.csv") -> Glossary:
    """A glossary made in memory (tests, imports); validated like a loaded one."""
    glossary = Glossary(tuple(concepts), COLUMNS, path)
    return replace(glossary, problems=tuple(validate(glossary)))
