"""Properties of export → import on generated glossaries (hypothesis, bounded): every import
format brings back exactly what was exported, and a mutated import file is either merged or
refused with a one-line error, never a crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from glossary import exchange, terms
from glossary.errors import DecalqueError
from glossary.exchange.model import merge, select

TEXT = st.text(alphabet=st.sampled_from(list("abcxyz éü-'\",;&<>")), min_size=1,
               max_size=14).map(lambda s: " ".join(s.split())).filter(lambda s: s.strip("-'"))
ZH = st.text(alphabet=st.sampled_from(list("网络水军猫池净黑卡号")), min_size=1, max_size=5)


@st.composite
def glossaries(draw: st.DrawFn) -> terms.Glossary:
    concepts = []
    used: set[str] = set()
    for index in range(draw(st.integers(min_value=1, max_value=6))):
        forms = draw(st.lists(TEXT, min_size=1, max_size=4, unique_by=str.lower))
        forms = [f for f in forms if f.lower() not in used]
        if not forms:
            continue
        used.update(f.lower() for f in forms)
        concepts.append(terms.Concept(
            id=f"concept-{index}", zh=tuple(draw(st.lists(ZH, max_size=2, unique=True))),
            preferred=forms[0], admitted=tuple(forms[1:2]), deprecated=tuple(forms[2:]),
            status=draw(st.sampled_from(["approved", "proposed"])),
            category=draw(st.sampled_from(terms.CATEGORIES)), note=draw(TEXT)))
    glossary = terms.build(concepts)
    assume(not glossary.problems)  # only glossaries that validate are exported
    return glossary


@settings(max_examples=40, deadline=None)
@given(glossaries(), st.sampled_from(exchange.IMPORT_FORMATS), st.booleans())
def test_export_then_import_changes_nothing(glossary: terms.Glossary, fmt: str,
                                           per_term: bool) -> None:
    view = select(glossary, per_term=per_term)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"glossary.{fmt}"
        path.write_bytes(exchange.export(view, fmt))
        result = merge(glossary, exchange.read(str(path), fmt))
    assert result.conflicts == []
    assert result.count("added") == 0
    assert [c for c in result.glossary.concepts] == list(glossary.concepts)


@settings(max_examples=60, deadline=None)
@given(glossaries(), st.sampled_from(["tbx", "csv"]), st.data())
def test_mutated_import_is_merged_or_refused_in_one_line(glossary: terms.Glossary, fmt: str,
                                                         data: st.DataObject) -> None:
    raw = bytearray(exchange.export(select(glossary), fmt))
    for _ in range(data.draw(st.integers(min_value=1, max_value=5))):
        position = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
        raw[position:position + data.draw(st.integers(0, 3))] = data.draw(
            st.sampled_from([b"", b'"', b"<", b"&", b",", b"\n", b"\xff", "网".encode()]))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"glossary.{fmt}"
        path.write_bytes(bytes(raw))
        try:
            merge(glossary, exchange.read(str(path), fmt))
        except DecalqueError as exc:
            assert "\n" not in str(exc) and exc.path == str(path)
