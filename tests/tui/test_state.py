"""The review session state without a terminal: undo, dirty, atomic saves, external changes."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from glossary import terms
from glossary.errors import DecalqueError
from tui.state import ExternalChange, ReviewState

DATA = Path(__file__).resolve().parents[1] / "data" / "tui"


@pytest.fixture
def glossary_file(tmp_path: Path) -> Path:
    target = tmp_path / "terms.csv"
    shutil.copy(DATA / "terms.csv", target)
    return target


def _approve(state: ReviewState, concept_id: str = "qr-code") -> None:
    concept = terms.Concept(id=concept_id, preferred="QR code", zh=("二维码",),
                            deprecated=("two-dimensional code",), status="approved")
    state.apply(state.glossary.with_concept(concept), f"approve {concept_id}",
                ("two dimensional code", "approved"))


def test_open_missing_and_invalid(tmp_path: Path) -> None:
    with pytest.raises(DecalqueError, match="not found"):
        ReviewState.open(str(tmp_path / "nope.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("id;zh;preferred\n", encoding="utf-8")
    with pytest.raises(DecalqueError, match="delimiter"):
        ReviewState.open(str(bad))


def test_apply_undo_and_dirty(glossary_file: Path) -> None:
    state = ReviewState.open(str(glossary_file))
    assert not state.dirty
    _approve(state)
    assert state.dirty and state.glossary.get("qr-code") is not None
    assert state.decisions == {"two dimensional code": "approved"}
    change = state.undo()
    assert change is not None and change.label == "approve qr-code"
    assert not state.dirty and state.glossary.get("qr-code") is None
    assert state.decisions == {}
    assert state.undo() is None


def test_save_keeps_bytes_and_unknown_columns(glossary_file: Path) -> None:
    original = glossary_file.read_bytes()
    state = ReviewState.open(str(glossary_file))
    _approve(state)
    state.save()
    saved = glossary_file.read_bytes()
    assert saved.startswith(original)  # every existing row byte-identical, new row appended
    assert saved[len(original):] == (
        "qr-code,二维码,QR code,,two-dimensional code,approved,other,,\n".encode())
    assert not state.dirty
    assert terms.load(str(glossary_file)).columns[-1] == "reviewer"


def test_save_refuses_external_change(glossary_file: Path) -> None:
    state = ReviewState.open(str(glossary_file))
    _approve(state)
    external = glossary_file.read_text(encoding="utf-8").replace("li\n", "zhao\n", 1)
    glossary_file.write_text(external, encoding="utf-8")
    assert state.disk_changed()
    with pytest.raises(ExternalChange):
        state.save()
    assert glossary_file.read_text(encoding="utf-8") == external  # never overwritten


def test_save_as_and_reload(glossary_file: Path, tmp_path: Path) -> None:
    state = ReviewState.open(str(glossary_file))
    _approve(state)
    taken = tmp_path / "taken.csv"
    taken.write_text("x\n", encoding="utf-8")
    with pytest.raises(DecalqueError, match="already exists"):
        state.save_as(str(taken))
    assert taken.read_text(encoding="utf-8") == "x\n"
    other = tmp_path / "mine.csv"
    state.save_as(str(other))
    assert state.path == str(other) and not state.dirty
    assert terms.load(str(other)).get("qr-code") is not None
    assert terms.load(str(glossary_file)).get("qr-code") is None
    # the other file is now the one being edited: a save goes there
    state.apply(state.glossary.without("qr-code"), "remove")
    state.save()
    assert terms.load(str(other)).get("qr-code") is None


def test_reload_discards_unsaved_and_brings_candidates_back(glossary_file: Path) -> None:
    state = ReviewState.open(str(glossary_file))
    _approve(state)
    glossary_file.write_text(glossary_file.read_text(encoding="utf-8").replace(
        "tough crackdown", "iron fist crackdown"), encoding="utf-8")
    state.reload()
    assert not state.dirty and not state.disk_changed()
    assert state.glossary.get("hard-fist").preferred == "iron fist crackdown"  # type: ignore
    assert state.glossary.get("qr-code") is None
    assert state.decisions == {}
    assert state.undo() is None


def test_document_edit_undo(tmp_path: Path) -> None:
    state = ReviewState(terms.build([]), str(tmp_path / "terms.csv"))
    doc = tmp_path / "a.txt"
    doc.write_bytes(b"cat pool\n")
    state.write_document(str(doc), b"cat pool\n", b"modem pool\n", "fix")
    assert doc.read_bytes() == b"modem pool\n"
    assert not state.dirty  # a document edit is saved as it happens
    state.undo()
    assert doc.read_bytes() == b"cat pool\n"
    # a document changed by someone else since the edit is not reverted
    state.write_document(str(doc), b"cat pool\n", b"modem pool\n", "fix")
    doc.write_bytes(b"edited elsewhere\n")
    with pytest.raises(DecalqueError, match="not undone"):
        state.undo()
    assert doc.read_bytes() == b"edited elsewhere\n"
    with pytest.raises(DecalqueError, match="changed on disk"):
        state.write_document(str(doc), b"cat pool\n", b"x\n", "fix")


def test_edit_keeps_extra_columns(glossary_file: Path) -> None:
    state = ReviewState.open(str(glossary_file))
    concept = state.glossary.get("modem-pool")
    assert concept is not None
    state.apply(state.glossary.with_concept(replace(concept, note="SIM box.")), "edit")
    state.save()
    lines = glossary_file.read_text(encoding="utf-8").splitlines()
    assert lines[4] == "modem-pool,猫池,modem pool,SIM bank,cat pool,approved,slang,SIM box.,wang"
