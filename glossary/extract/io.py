"""candidates.csv and JSON: the extractor's output contract, read back by the TUI and by
``decalque glossary add --from``.

candidates.csv columns (UTF-8, header row, one row per candidate, best first):
``key,score,status,known_concept,suggested_zh,suggested_preferred,forms,signals,contexts``
- ``forms``: JSON list of ``{"text", "count", "docs"}``
- ``signals``: JSON object, signal name -> value
- ``contexts``: JSON list of ``{"path", "line", "text"}``
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from glossary.atomic import write_atomic
from glossary.encoding import read_text
from glossary.errors import DecalqueError
from glossary.extract.score import Candidate, Form

COLUMNS = ("key", "score", "status", "known_concept", "suggested_zh", "suggested_preferred",
           "forms", "signals", "contexts")


def to_json(candidates: Sequence[Candidate]) -> str:
    return json.dumps([c.as_json() for c in candidates], ensure_ascii=False, indent=2) + "\n"


def to_csv(candidates: Sequence[Candidate]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in candidates:
        data = c.as_json()
        writer.writerow([
            c.key, f"{c.score:.4f}", c.status, c.known_concept or "", c.suggested_zh,
            c.suggested_preferred,
            json.dumps(data["forms"], ensure_ascii=False),
            json.dumps(data["signals"], ensure_ascii=False),
            json.dumps(data["contexts"], ensure_ascii=False),
        ])
    return buffer.getvalue()


def write_candidates(path: str, candidates: Sequence[Candidate]) -> None:
    write_atomic(path, to_csv(candidates).encode("utf-8"))


def read_candidates(path: str) -> list[Candidate]:
    """Parse candidates.csv; any malformed row is a one-line error naming file and line."""
    text = read_text(path).text
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DecalqueError(f"not a candidates file: missing column(s) {', '.join(missing)}",
                            path, 1)
    out: list[Candidate] = []
    for row in reader:
        line = reader.line_num
        try:
            forms = [Form(f["text"], int(f["count"]), int(f["docs"]))
                     for f in json.loads(row["forms"])]
            signals = json.loads(row["signals"])
            contexts = [(c["path"], int(c["line"]), c["text"]) for c in json.loads(row["contexts"])]
            score = float(row["score"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DecalqueError(f"malformed candidate row: {exc}", path, line) from None
        out.append(Candidate(row["key"], score, forms, signals, contexts, row["status"] or "new",
                             row["known_concept"] or None, row["suggested_zh"],
                             row["suggested_preferred"]))
    return out
