"""The glossary model: loading, validation with file:line, and byte-identical saving."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from helpers import SMALL, TERMS
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import terms
from glossary.errors import DecalqueError

HEADER = "id,zh,preferred,admitted,deprecated,status,category,note\n"


def write(tmp_path: Path, text: str | bytes, name: str = "terms.csv") -> str:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return str(path)


def problems(tmp_path: Path, body: str) -> list[str]:
    return [str(p) for p in terms.load(write(tmp_path, HEADER + body)).problems]


# -- the shipped glossary ------------------------------------------------------------------------
def test_shipped_glossary_is_valid_and_large() -> None:
    glossary = terms.load(str(TERMS))
    assert glossary.problems == ()
    assert len(glossary) > 60
    assert all(c.status in terms.STATUSES for c in glossary)
    categories = {c.category for c in glossary}
    assert {"campaign", "crime", "slang", "organization", "idiom", "name"} <= categories


def test_shipped_glossary_has_the_headline_calques() -> None:
    glossary = terms.load(str(TERMS))
    for form in ("network water army", "Internet Navy", "cat pool", "routine loan",
                 "naked chat", "dog pictures", "Yellow River den", "human flesh search",
                 "Netan Corps", "Supreme Law"):
        found = glossary.find(form)
        assert found, form
        assert any(terms.form_key(form) in map(terms.form_key, c.deprecated) for c in found), form


def test_shipped_glossary_round_trips_byte_identical(tmp_path: Path) -> None:
    original = TERMS.read_bytes()
    glossary = terms.load(str(TERMS))
    target = tmp_path / "copy.csv"
    glossary.save(str(target))
    assert target.read_bytes() == original


# -- round trips of unusual but valid files --------------------------------------------------------
ROUND_TRIP_CASES = {
    "lf": HEADER + 'a-b,甲,alpha,,"beta|gamma",approved,other,"x, y"\n',
    "crlf": (HEADER + 'a-b,甲,alpha,,beta,approved,other,n\n').replace("\n", "\r\n"),
    "no-final-newline": HEADER + "a-b,甲,alpha,,beta,approved,other,n",
    "over-quoted": HEADER.replace("id,", '"id",') + '"a-b","甲","alpha","","beta","approved",'
                   '"other","n"\n',
    "extra-columns": HEADER.rstrip("\n") + ",owner,source\n"
                     + "a-b,甲,alpha,,beta,approved,other,n,ann,\"seed 000, line 3\"\n",
    "embedded-newline": HEADER + 'a-b,甲,alpha,,beta,approved,other,"line one\nline two"\n',
    "trailing-blank-lines": HEADER + "a-b,甲,alpha,,beta,approved,other,n\n\n\n",
}


@pytest.mark.parametrize("name", sorted(ROUND_TRIP_CASES))
def test_load_save_is_byte_identical(tmp_path: Path, name: str) -> None:
    text = ROUND_TRIP_CASES[name]
    path = write(tmp_path, text)
    glossary = terms.load(path)
    assert glossary.problems == (), glossary.problems
    glossary.save()
    assert Path(path).read_bytes() == text.encode("utf-8")


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("gb18030", b""),
])
def test_other_encodings_are_read_and_written_back(tmp_path: Path, encoding: str,
                                                   bom: bytes) -> None:
    text = HEADER + "water-army,网络水军,paid online posters,,网络 army,approved,slang,水军\r\n"
    data = bom + text.encode(encoding)
    path = write(tmp_path, data)
    glossary = terms.load(path)
    assert glossary.get("water-army").zh == ("网络水军",)
    glossary.save()
    assert Path(path).read_bytes() == data


def test_edit_changes_only_that_row(tmp_path: Path) -> None:
    text = HEADER + 'a-a,甲,alpha,,"beta",approved,other,n\nb-b,乙,gamma,,delta,approved,other,m\n'
    path = write(tmp_path, text)
    glossary = terms.load(path)
    edited = glossary.with_concept(terms.Concept(
        id="b-b", zh=("乙",), preferred="gamma", deprecated=("delta", "epsilon"),
        status="approved", category="other", note="m"))
    edited.save()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    assert lines[1] == 'a-a,甲,alpha,,"beta",approved,other,n'  # untouched quoting kept
    assert lines[2] == "b-b,乙,gamma,,delta|epsilon,approved,other,m"


def test_new_concept_is_appended_and_unknown_columns_kept(tmp_path: Path) -> None:
    text = HEADER.rstrip("\n") + ",owner\n" + "a-a,甲,alpha,,beta,approved,other,n,ann\n"
    path = write(tmp_path, text)
    glossary = terms.load(path).with_concept(
        terms.Concept(id="c-c", preferred="gamma", status="proposed"))
    glossary.save()
    content = Path(path).read_text(encoding="utf-8")
    assert content == text + "c-c,,gamma,,,proposed,other,,\n"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(
    st.text(alphabet="abc-", min_size=1, max_size=6),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00|\r"),
            max_size=20),
), min_size=1, max_size=5, unique_by=lambda t: t[0]))
def test_saved_glossary_loads_back_unchanged(rows: list[tuple[str, str]]) -> None:
    concepts = [terms.Concept(id=f"c{i}", preferred=f"p{i}", deprecated=(f"d{i}{ident}",),
                              status="approved", category="other", note=note)
                for i, (ident, note) in enumerate(rows)]
    glossary = terms.build(concepts)
    again = terms.parse(glossary.dumps().decode("utf-8"), "mem.csv")
    assert again.concepts == glossary.concepts
    assert again.dumps() == glossary.dumps()


# -- files that are not glossaries: refused with file and line -------------------------------------
@pytest.mark.parametrize("content,needle,line", [
    ("", "empty glossary file", 1),
    ("   \n\n", "empty glossary file", 1),
    (HEADER.replace(",", ";") + "a;b;c;d;e;f;g;h\n", "semicolon-separated", 1),
    (HEADER.replace(",", "\t") + "a\tb\n", "tab-separated", 1),
    ("id,zh,preferred\nx,y,z\n", "missing required column(s) admitted", 1),
    (HEADER + 'a-a,甲,"alpha,,beta,approved,other,n\n', "unterminated quoted field", 2),
    # a stray quote before many doubled quotes: refused at once, not after trying every way
    # of reading each "" as an escape or as a field's end (2^60 here: the suite would hang)
    (HEADER + 'a-a,甲,alpha,,beta,approved,other,"stray\n' + "".join(
        f'b-{i},乙,beta,,"say ""b{i}""",approved,other,"n ""{i}"""\n' for i in range(60)),
     "unterminated quoted field", 2),
])
def test_not_a_glossary_is_refused_with_line(tmp_path: Path, content: str, needle: str,
                                             line: int) -> None:
    path = write(tmp_path, content)
    with pytest.raises(DecalqueError) as info:
        terms.load(path)
    assert needle in info.value.message
    assert info.value.line == line
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    with pytest.raises(DecalqueError, match="binary"):
        terms.load(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DecalqueError, match="no such file"):
        terms.load(str(tmp_path / "absent.csv"))


# -- content problems: every one reported at its line ---------------------------------------------
def test_duplicate_id(tmp_path: Path) -> None:
    found = problems(tmp_path, "a-a,甲,alpha,,,approved,other,\na-a,乙,beta,,,approved,other,\n")
    assert any(":3: duplicate id 'a-a' (first at line 2)" in p for p in found), found


def test_empty_preferred_unknown_status_and_category(tmp_path: Path) -> None:
    found = problems(tmp_path, "a-a,甲,,,,approved,other,\nb-b,乙,beta,,,accepted,misc,\n")
    assert any(":2: empty preferred for 'a-a'" in p for p in found), found
    assert any(":3: unknown status 'accepted'" in p for p in found), found
    assert any(":3: unknown category 'misc'" in p for p in found), found


def test_deprecated_equal_to_accepted_form_of_any_concept(tmp_path: Path) -> None:
    found = problems(tmp_path, "a-a,甲,modem pool,,,approved,other,\n"
                               "b-b,乙,beta,,Modem-Pool,approved,other,\n")
    assert any(":3: deprecated form 'Modem-Pool' of 'b-b' is also a preferred/admitted form "
               "of 'a-a'" in p for p in found), found


def test_same_deprecated_form_under_two_concepts(tmp_path: Path) -> None:
    found = problems(tmp_path, "a-a,甲,alpha,,cat pool,approved,other,\n"
                               "b-b,乙,beta,,Cat Pool,approved,other,\n")
    assert any(":3: deprecated form 'Cat Pool' is listed under 'b-b' and 'a-a' (line 2)" in p
               for p in found), found


def test_a_zh_term_under_two_concepts_and_a_form_listed_twice(tmp_path: Path) -> None:
    """Both came from a curation round: a CAT export keys one line per zh term, and a TBX
    round trip keeps one copy of a form, so the row came back changed."""
    found = problems(tmp_path, "a-a,甲|丙,alpha,,cat pool|cat pools|cat pool,approved,other,\n"
                               "b-b,乙|丙,beta,,dog picture,approved,other,\n")
    assert any(":2: form 'cat pool' is listed twice in 'a-a'" in p for p in found), found
    assert any(":3: zh term '丙' is listed under 'b-b' and 'a-a' (line 2)" in p
               for p in found), found
    assert len(found) == 2, found


def test_stray_whitespace_and_empty_items(tmp_path: Path) -> None:
    found = problems(tmp_path, "a-a,甲, alpha,,beta| gamma||,approved,other,\n")
    assert any(":2: stray whitespace in preferred" in p for p in found), found
    assert any("stray whitespace in deprecated item ' gamma'" in p for p in found), found
    assert any("empty item in deprecated" in p for p in found), found


def test_bad_id_and_wrong_field_count(tmp_path: Path) -> None:
    found = problems(tmp_path, "Water Army,甲,alpha,,,approved,other,\nb-b,乙,beta\n")
    assert any(":2: id 'Water Army' is not a kebab-case slug" in p for p in found), found
    assert any(":3: row has 3 fields, header has 8" in p for p in found), found


def test_problem_lines_count_embedded_newlines(tmp_path: Path) -> None:
    found = problems(tmp_path, 'a-a,甲,alpha,,,approved,other,"two\nlines"\nb-b,乙,,,,approved,'
                               "other,\n")
    assert any(":4: empty preferred for 'b-b'" in p for p in found), found


def test_find_by_id_zh_and_any_form() -> None:
    glossary = terms.load(str(SMALL))
    assert [c.id for c in glossary.find("water-army")] == ["water-army"]
    assert [c.id for c in glossary.find("水军")] == ["water-army"]
    assert [c.id for c in glossary.find("internet navy")] == ["water-army"]
    assert [c.id for c in glossary.find("Modem-Pool")] == ["modem-pool"]
    assert glossary.find("no such thing") == []
