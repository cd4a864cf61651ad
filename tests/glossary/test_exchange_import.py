"""Import: round trips are byte-identical, merges match by id or by zh + preferred, conflicts
are never applied silently, hostile or broken files are refused naming file and line."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from helpers import DATA, SMALL, TBX_EXAMPLE, TERMS

from glossary import exchange, terms
from glossary.errors import DecalqueError
from glossary.exchange import model

EXCHANGE = DATA / "exchange"
GLOSSARIES = [TERMS, SMALL, EXCHANGE / "extra-columns.csv"]
LAYOUTS = [("tbx", False), ("csv", False), ("csv", True), ("xlsx", False), ("xlsx", True)]


def round_trip(source: Path, fmt: str, per_term: bool, tmp_path: Path) -> model.MergeResult:
    glossary = terms.load(str(source))
    exported = tmp_path / f"out.{fmt}"
    exported.write_bytes(exchange.export(model.select(glossary, per_term=per_term), fmt))
    return model.merge(glossary, exchange.read(str(exported), fmt))


@pytest.mark.parametrize("source", GLOSSARIES, ids=lambda p: p.name)
@pytest.mark.parametrize(("fmt", "per_term"), LAYOUTS,
                         ids=[f"{f}{'-per-term' if p else ''}" for f, p in LAYOUTS])
def test_export_then_import_gives_byte_identical_glossary(
        source: Path, fmt: str, per_term: bool, tmp_path: Path) -> None:
    result = round_trip(source, fmt, per_term, tmp_path)
    assert result.count("unchanged") == len(terms.load(str(source)))
    assert not result.conflicts and result.count("added") == 0
    assert result.glossary.dumps() == source.read_bytes()


def test_import_of_changed_rows_only_changes_those_rows(tmp_path: Path) -> None:
    glossary = terms.load(str(TERMS))
    sheet = tmp_path / "edited.csv"
    text = exchange.export(model.select(glossary), "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    target = glossary.concepts[5]
    rows[6][rows[0].index("English (admitted)")] += " | reviewed form"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    sheet.write_text(buffer.getvalue(), encoding="utf-8")
    result = model.merge(glossary, exchange.read(str(sheet), "csv"))
    assert [(c.after.id, c.fields) for c in result.conflicts] == [(target.id, ("admitted",))]
    before = TERMS.read_bytes().splitlines()
    after = result.glossary.dumps().splitlines()
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [
        target.line - 1]


def test_vendor_tbx_merges_by_zh_and_preferred_and_adds_new_concepts() -> None:
    glossary = terms.load(str(SMALL))
    incoming = exchange.read(str(EXCHANGE / "vendor-termbase.tbx"), "tbx")
    assert any("de, fr" in notice for notice in incoming.notices)
    result = model.merge(glossary, incoming)
    by_id = {change.after.id: change for change in result.changes}
    loan = by_id["routine-loan"]
    assert loan.kind == "changed" and loan.matched_by == "zh + preferred"
    assert loan.after.admitted == ("loan-sharking scam",)
    assert loan.after.deprecated == ("routine loan",)  # superseded counts as deprecated
    assert loan.after.category == "crime" and loan.after.status == "approved"
    assert by_id["modem-pool"].kind == "unchanged"
    new = by_id["pig-butchering-scam"]
    assert new.kind == "added" and new.after.status == "proposed"
    assert new.after.zh == ("杀猪盘",) and new.after.preferred == "pig-butchering scam"
    assert new.after.admitted == ("pig butchering",) and new.after.deprecated == (
        "kill pig plate",)
    assert new.after.category == "other" and "Telecommunications fraud" in new.after.note
    assert result.glossary.concepts[-1].id == "pig-butchering-scam"
    untouched = SMALL.read_bytes().split(b"\nroutine-loan")[0] + b"\nroutine-loan"
    assert result.glossary.dumps().startswith(untouched)


def test_vendor_tbx_in_utf16_reads_the_same() -> None:
    data = (EXCHANGE / "vendor-termbase.tbx").read_bytes()
    utf16 = data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    from glossary.exchange import tbx

    assert tbx.load(utf16, "x.tbx").records == tbx.load(data, "x.tbx").records


def test_official_astronomy_example_imports_english_terms() -> None:
    incoming = exchange.read(str(TBX_EXAMPLE), "tbx")
    result = model.merge(terms.build([], "new.csv"), incoming)
    assert result.count("added") == len(incoming.records) > 30
    concept = result.glossary.get("c1")
    assert concept is not None and concept.preferred == "open cluster"
    assert concept.deprecated == ("galactic cluster",)
    assert "spiral arms of a galaxy" in concept.note
    assert not result.glossary.problems and not terms.validate(result.glossary)


def test_rows_without_ids_merge_by_zh_and_preferred_or_are_added(tmp_path: Path) -> None:
    sheet = tmp_path / "translator.csv"
    sheet.write_text("Chinese;English (preferred);English (deprecated);Note\n"
                     "套路贷;predatory loan scam;routine loan;A loan scam that inflates debts "
                     "by design.\n"
                     "杀猪盘;pig-butchering scam;kill pig plate;Romance-investment fraud.\n",
                     encoding="gb18030")
    result = model.merge(terms.load(str(SMALL)), exchange.read(str(sheet), "csv"))
    kinds = {change.after.id: change.kind for change in result.changes}
    assert kinds == {"routine-loan": "unchanged", "pig-butchering-scam": "added"}
    added = result.glossary.get("pig-butchering-scam")
    assert added is not None and added.status == "proposed" and added.category == "other"


def test_missing_fields_are_left_alone(tmp_path: Path) -> None:
    sheet = tmp_path / "notes.csv"
    sheet.write_text("ID,Note\nmodem-pool,New note.\n", encoding="utf-8")
    glossary = terms.load(str(SMALL))
    result = model.merge(glossary, exchange.read(str(sheet), "csv"))
    [change] = result.conflicts
    assert change.fields == ("note",)
    before = glossary.get("modem-pool")
    assert before is not None
    assert change.after.preferred == before.preferred and change.after.zh == before.zh


@pytest.mark.parametrize(("content", "line", "needle"), [
    ("ID,Category\nmodem-pool,slang\nmodem-pool,slang\n", 3, "appears twice"),
    ("ID,Chinese,English (preferred),Category\nnew-one,新,new one,fruit\n", 2,
     "unknown category 'fruit'"),
    ("ID,Chinese,English (preferred)\nnew-one,新,\n", 2, "without a preferred"),
    ("ID,Chinese,English,Usage\nx-y,新,a,preferred\nx-y,新,b,preferred\n", 3,
     "second preferred"),
    ("ID,Chinese,English,Usage,Note\nx-y,新,a,preferred,one\nx-y,新,b,admitted,two\n", 3,
     "disagree on 'note'"),
    ("ID,Chinese,English,Usage\nx-y,新,a,favourite\n", 2, "unknown usage"),
    ('ID,Note\nmodem-pool,"unterminated\n', 2, "malformed CSV"),
    ("ID,Chinese,ID\n", 1, "duplicate column"),
    ("Colour,Size\nred,big\n", 1, "no known columns"),
    ("ID,English (preferred),Note\nmodem-pool,modem pool,ok,extra cell\n", 2, "4 cells"),
])
def test_bad_sheets_are_refused_with_file_and_line(
        tmp_path: Path, content: str, line: int, needle: str) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(content, encoding="utf-8")
    with pytest.raises(DecalqueError) as caught:
        model.merge(terms.load(str(SMALL)), exchange.read(str(sheet), "csv"))
    assert caught.value.path == str(sheet) and caught.value.line == line
    assert needle in caught.value.message


@pytest.mark.parametrize(("name", "needle"), [
    ("billion-laughs.tbx", "billion laughs"),
    ("external-entity.tbx", "DTD or entities"),
    ("external-dtd.tbx", "DTD or entities"),
])
def test_hostile_tbx_is_refused(name: str, needle: str) -> None:
    with pytest.raises(DecalqueError) as caught:
        exchange.read(str(EXCHANGE / name), "tbx")
    assert needle in caught.value.message
    assert caught.value.path and caught.value.path.endswith(name)
    assert "root:" not in str(caught.value)  # /etc/passwd never read into the message


@pytest.mark.parametrize(("content", "line", "needle"), [
    (b"<tbx xmlns='urn:iso:std:iso:30042:ed-2'>\n<text>\n</tbx>", 3, "not well-formed"),
    (b"<?xml version='1.0'?>\n<martif type='TBX'/>", 2, "TBX 2008"),
    (b"<?xml version='1.0'?>\n<glossary/>", 2, "not a TBX file"),
])
def test_broken_tbx_is_refused_with_line(tmp_path: Path, content: bytes, line: int,
                                         needle: str) -> None:
    path = tmp_path / "bad.tbx"
    path.write_bytes(content)
    with pytest.raises(DecalqueError) as caught:
        exchange.read(str(path), "tbx")
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert needle in caught.value.message


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.tbx"
    path.write_bytes((EXCHANGE / "vendor-termbase.tbx").read_bytes())
    with pytest.raises(DecalqueError, match="over the import limit of 1,000"):
        exchange.read(str(path), "tbx", max_bytes=1000)


def test_xlsx_that_unpacks_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 5_000_000 + b"</a>")
    assert path.stat().st_size < 100_000
    with pytest.raises(DecalqueError, match="unpacks to 5,000,007 bytes"):
        exchange.read(str(path), "xlsx", max_bytes=1_000_000)


def test_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"id,zh\n")
    with pytest.raises(DecalqueError, match="not an XLSX workbook"):
        exchange.read(str(path), "xlsx")


def test_dct_style_tbx_reads_like_dca() -> None:
    """TBX-Basic's DCT style names data categories as elements (``<basic:subjectField>``)."""
    import re

    from glossary.exchange import tbx

    dca = (EXCHANGE / "vendor-termbase.tbx").read_bytes().decode("utf-8")
    dct = re.sub(r'<tbx:(descrip|admin|termNote) type="(\w+)">(.*?)</tbx:\1>',
                 r"<basic:\2>\3</basic:\2>", dca, flags=re.S)
    dct = dct.replace('style="dca"', 'style="dct" xmlns:basic="http://www.tbxinfo.net/ns/basic"')
    assert "<basic:administrativeStatus>" in dct and "<basic:subjectField>" in dct
    assert tbx.load(dct.encode(), "dct.tbx").records == tbx.load(dca.encode(), "dca.tbx").records
