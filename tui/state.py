"""The review session's data: the current glossary, what is on disk, and an undo stack.

Pure of any UI so the data-safety rules (never overwrite a file changed by someone else, undo
restores exactly, dirty means "differs from what was last saved") are unit-tested without a
terminal. Glossaries are immutable, so an undo entry is just the glossary before the change.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from glossary import terms
from glossary.atomic import write_atomic
from glossary.errors import DecalqueError
from glossary.terms import Glossary


class ExternalChange(DecalqueError):
    """terms.csv changed on disk since it was loaded: the caller must reload or save elsewhere."""


@dataclass(frozen=True)
class DocumentEdit:
    """A document rewritten by a fix or an inline ignore, kept so it can be undone."""

    path: str
    before: bytes
    after: bytes


@dataclass(frozen=True)
class Change:
    """One undoable step: a glossary edit, a document edit, or both, with a label for messages.

    ``decision`` is the candidate key the step decided and the decision it replaced, so undoing
    an approval brings the candidate back."""

    label: str
    before: Glossary | None = None
    after: Glossary | None = None
    document: DocumentEdit | None = None
    decision: tuple[str, str | None] | None = None


def file_fingerprint(path: str) -> tuple[str | None, int | None]:
    """(sha256 of the file bytes, mtime_ns), or (None, None) if the file does not exist."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        return hashlib.sha256(data).hexdigest(), os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        raise DecalqueError(f"cannot read: {exc.strerror}", path) from None


@dataclass
class ReviewState:
    """Everything a review session can change, and the rules for writing it back."""

    glossary: Glossary
    path: str
    saved: Glossary | None = None
    baseline_sha: str | None = None
    baseline_mtime: int | None = None
    undo_stack: list[Change] = field(default_factory=list)
    decisions: dict[str, str] = field(default_factory=dict)
    revision: int = 0

    def __post_init__(self) -> None:
        if self.saved is None:
            self.saved = self.glossary
        if self.baseline_sha is None:
            self.baseline_sha, self.baseline_mtime = file_fingerprint(self.path)

    @classmethod
    def open(cls, path: str) -> ReviewState:
        """Load and validate terms.csv (DecalqueError on a missing or invalid file)."""
        sha, mtime = file_fingerprint(path)
        if sha is None:
            raise DecalqueError("glossary not found", path)
        glossary = terms.load_valid(path)
        return cls(glossary, path, baseline_sha=sha, baseline_mtime=mtime)

    # -- queries --------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """True when the glossary differs from the last load or save (identity: glossaries are
        immutable, so undoing back to the saved one is clean again)."""
        return self.glossary is not self.saved

    def disk_changed(self) -> bool:
        """True if terms.csv on disk is no longer the bytes loaded or last saved."""
        sha, _ = file_fingerprint(self.path)
        return sha is not None and sha != self.baseline_sha

    # -- changes --------------------------------------------------------------------------------
    def apply(self, glossary: Glossary, label: str,
              decision: tuple[str, str] | None = None) -> Change:
        """Make ``glossary`` current and remember how to undo it."""
        previous = self.decisions.get(decision[0]) if decision else None
        change = Change(label, before=self.glossary, after=glossary,
                        decision=(decision[0], previous) if decision else None)
        self.glossary = glossary
        if decision:
            self.decisions[decision[0]] = decision[1]
        self.undo_stack.append(change)
        self.revision += 1
        return change

    def decide(self, key: str, decision: str) -> None:
        """A decision that changes no data (skip): remembered, not undoable."""
        self.decisions[key] = decision
        self.revision += 1

    def write_document(self, path: str, before: bytes, after: bytes, label: str) -> Change:
        """Atomically replace a document whose bytes are still ``before``; undoable."""
        current = _read_bytes(path)
        if current != before:
            raise DecalqueError("changed on disk since it was checked; re-check first", path)
        write_atomic(path, after)
        change = Change(label, document=DocumentEdit(path, before, after))
        self.undo_stack.append(change)
        self.revision += 1
        return change

    def undo(self) -> Change | None:
        """Revert the last change; None when there is nothing to undo. A document edited again
        since the fix is not touched (DecalqueError), and the step stays on the stack."""
        if not self.undo_stack:
            return None
        change = self.undo_stack[-1]
        if change.document is not None:
            edit = change.document
            if _read_bytes(edit.path) != edit.after:
                raise DecalqueError("changed on disk since the edit; not undone", edit.path)
            write_atomic(edit.path, edit.before)
        self.undo_stack.pop()
        if change.before is not None:
            self.glossary = change.before
        self._restore_decision(change)
        self.revision += 1
        return change

    # -- saving ---------------------------------------------------------------------------------
    def save(self) -> None:
        """Write the glossary back atomically; ExternalChange if the file changed on disk."""
        if self.disk_changed():
            raise ExternalChange("changed on disk since it was loaded", self.path)
        try:
            self.glossary.save(self.path)
        except DecalqueError as exc:
            if "changed on disk" in exc.message:
                raise ExternalChange(exc.message, self.path) from None
            raise
        self._saved_to(self.path)

    def save_as(self, path: str) -> None:
        """Write to a new file (never over an existing one) and continue editing that file."""
        if not path.strip():
            raise DecalqueError("no file name given")
        if os.path.exists(path) and os.path.abspath(path) != os.path.abspath(self.path):
            raise DecalqueError("already exists; choose another name", path)
        if os.path.abspath(path) == os.path.abspath(self.path):
            self.save()
            return
        self.glossary.save(path)
        self.path = path
        self._saved_to(path)

    def reload(self) -> None:
        """Discard unsaved glossary edits and load the file as it is now."""
        sha, mtime = file_fingerprint(self.path)
        glossary = terms.load_valid(self.path)
        self.baseline_sha, self.baseline_mtime = sha, mtime
        # candidates decided by discarded (unsaved) steps come back
        for change in reversed(self.undo_stack):
            if change.before is None:
                continue
            if change.after is self.saved:
                break
            self._restore_decision(change)
        # glossary steps refer to the old file; document steps are still valid
        self.undo_stack = [c for c in self.undo_stack if c.before is None]
        self.glossary = self.saved = glossary
        self.revision += 1

    def _restore_decision(self, change: Change) -> None:
        """Put a candidate's decision back to what it was before ``change``."""
        if change.decision is not None:
            key, previous = change.decision
            if previous is None:
                self.decisions.pop(key, None)
            else:
                self.decisions[key] = previous

    def _saved_to(self, path: str) -> None:
        self.saved = self.glossary
        self.baseline_sha, self.baseline_mtime = file_fingerprint(path)
        self.revision += 1


def _read_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DecalqueError(f"cannot read: {exc.strerror}", path) from None
