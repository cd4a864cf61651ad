"""Every export format against its golden file, plus the format-specific facts a tool relies
on (TBX schemas, JSON schema, XLSX layout, OmegaT columns).

Golden files live in tests/data/exchange/; after a deliberate change, regenerate them with
``DECALQUE_UPDATE_GOLDEN=1 pytest tests/glossary/test_exchange_formats.py`` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from helpers import DATA, ROOT, SMALL, TERMS
from lxml import etree
from schematron import Schematron

from glossary import exchange, terms
from glossary.errors import DecalqueError
from glossary.exchange import model, tbx

GOLDEN = DATA / "exchange"
TBX_SCHEMAS = DATA / "tbx"
UPDATE = os.environ.get("DECALQUE_UPDATE_GOLDEN") == "1"


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(data)
    assert path.exists(), f"missing golden file {path} (run with DECALQUE_UPDATE_GOLDEN=1)"
    assert data == path.read_bytes(), f"{name} differs from its golden file"


def small_view(**kwargs: object) -> model.View:
    return model.select(terms.load(str(SMALL)), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("fmt", "name", "per_term"), [
    ("tbx", "small.tbx", False),
    ("csv", "small.csv", False),
    ("csv", "small.per-term.csv", True),
    ("omegat", "small.omegat.txt", False),
    ("json", "small.json", False),
    ("html", "small.html", False),
])
def test_export_matches_golden_file(fmt: str, name: str, per_term: bool) -> None:
    check_golden(name, exchange.export(small_view(per_term=per_term), fmt))


def xlsx_snapshot(data: bytes) -> dict[str, object]:
    """What a translator sees in the workbook: cells, frozen panes, widths, filter, bold."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    return {
        "title": sheet.title,
        "freeze_panes": sheet.freeze_panes,
        "auto_filter": sheet.auto_filter.ref,
        "header_bold": [cell.font.b for cell in sheet[1]],
        "widths": {letter: dim.width for letter, dim in sorted(sheet.column_dimensions.items())},
        "rows": [["" if v is None else v for v in row]
                 for row in sheet.iter_rows(values_only=True)],
    }


@pytest.mark.parametrize("per_term", [False, True], ids=["per-concept", "per-term"])
def test_xlsx_matches_golden_snapshot(per_term: bool) -> None:
    snapshot = xlsx_snapshot(exchange.export(small_view(per_term=per_term), "xlsx"))
    name = "small.per-term.xlsx.json" if per_term else "small.xlsx.json"
    check_golden(name, (json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n").encode())
    assert snapshot["freeze_panes"] == "A2"
    assert all(snapshot["header_bold"])  # type: ignore[union-attr]


# -- TBX against the official TBX-Basic schemas ------------------------------------------------
@pytest.fixture(scope="module")
def relaxng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(TBX_SCHEMAS / "TBXcoreStructV03.rng")))


@pytest.fixture(scope="module")
def schematron() -> Schematron:
    return Schematron(TBX_SCHEMAS / "TBX-Basic_DCA.sch")


def test_lxml_isoschematron_cannot_run_the_official_xslt2_schematron() -> None:
    """Why tests/support/schematron.py exists: keep this true or switch to lxml."""
    from lxml import isoschematron

    with pytest.raises(etree.XSLTApplyError, match="xslt2"):
        isoschematron.Schematron(etree.parse(str(TBX_SCHEMAS / "TBX-Basic_DCA.sch")))


@pytest.mark.parametrize("langs", [("zh", "en"), ("en",), ("zh",)], ids="+".join)
def test_tbx_export_of_shipped_glossary_is_valid_tbx_basic(
        relaxng: etree.RelaxNG, schematron: Schematron, langs: tuple[str, ...]) -> None:
    glossary = terms.load(str(TERMS))
    data = exchange.export(model.select(glossary, langs=langs), "tbx")
    document = etree.fromstring(data).getroottree()
    assert relaxng.validate(document), relaxng.error_log
    assert schematron.failures(document) == []
    entries = document.getroot().findall(f".//{{{tbx.NS}}}conceptEntry")
    expected = [c for c in glossary if c.zh] if langs == ("zh",) else list(glossary)
    assert len(entries) == len(expected)


def test_tbx_export_structure_maps_each_field(relaxng: etree.RelaxNG) -> None:
    ns = {"t": tbx.NS}
    root = etree.fromstring(exchange.export(small_view(), "tbx"))
    assert root.get("type") == "TBX-Basic" and root.get("style") == "dca"
    concept = terms.load(str(SMALL)).get("water-army")
    assert concept is not None
    entry = root.find(".//t:conceptEntry[@id='water-army']", ns)
    assert entry.findtext("t:descrip[@type='subjectField']", namespaces=ns) == concept.category
    assert concept.note in [n.text for n in entry.findall("t:note", ns)]
    assert [t.text for t in entry.findall("t:langSec[@xml:lang='zh']/t:termSec/t:term",
                                          {**ns, "xml": "http://www.w3.org/XML/1998/namespace"})
            ] == list(concept.zh)
    statuses = {term_sec.findtext("t:term", namespaces=ns): term_sec.findtext(
        "t:termNote[@type='administrativeStatus']", namespaces=ns)
        for term_sec in entry.iterfind("t:langSec/t:termSec", ns)
        if term_sec.find("t:termNote", ns) is not None}
    assert statuses[concept.preferred] == "preferredTerm-admn-sts"
    assert all(statuses[f] == "admittedTerm-admn-sts" for f in concept.admitted)
    assert all(statuses[f] == "deprecatedTerm-admn-sts" for f in concept.deprecated)


def test_schematron_runner_catches_dialect_violations(schematron: Schematron) -> None:
    """The validator is not vacuous: a subjectField in a langSec and an unknown status fail."""
    data = exchange.export(small_view(), "tbx")
    data = data.replace(b"deprecatedTerm-admn-sts", b"obsoleteTerm-admn-sts", 1)
    data = data.replace(b'<langSec xml:lang="en">',
                        b'<langSec xml:lang="en"><descrip type="subjectField">x</descrip>', 1)
    failures = schematron.failures(etree.fromstring(data).getroottree())
    assert {f.context for f in failures} == {"tbx:termNote[@type='administrativeStatus']",
                                             "tbx:descrip[@type='subjectField']"}
    assert all(f.line for f in failures)


@pytest.mark.parametrize("name", ["vendor-termbase.tbx"])
def test_hand_made_import_sample_is_valid_tbx_basic(
        relaxng: etree.RelaxNG, schematron: Schematron, name: str) -> None:
    document = etree.parse(str(GOLDEN / name))
    assert relaxng.validate(document), relaxng.error_log
    assert schematron.failures(document) == []


def test_official_example_passes_the_runner(schematron: Schematron) -> None:
    document = etree.parse(str(TBX_SCHEMAS / "Example_Astronomy_DCA_VALID.tbx"))
    assert schematron.failures(document) == []


# -- JSON ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def json_schema() -> dict[str, object]:
    return json.loads((ROOT / "docs" / "exchange.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("langs", [("zh", "en"), ("en",), ("zh",)], ids="+".join)
def test_json_export_validates_against_documented_schema(
        json_schema: dict[str, object], langs: tuple[str, ...]) -> None:
    import jsonschema

    glossary = terms.load(str(TERMS))
    document = json.loads(exchange.export(model.select(glossary, langs=langs), "json"))
    jsonschema.validate(document, json_schema)
    category = json_schema["$defs"]["concept"]["properties"]["category"]  # type: ignore[index]
    assert category["enum"] == list(terms.CATEGORIES)  # the schema names every category
    assert [c["id"] for c in document["concepts"]] == [
        c.id for c in glossary if c.zh or langs != ("zh",)]


def test_json_schema_rejects_what_it_should(json_schema: dict[str, object]) -> None:
    import jsonschema

    document = json.loads(exchange.export(small_view(), "json"))
    document["concepts"][0]["status"] = "done"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, json_schema)


def test_json_keeps_unknown_columns_as_extra(tmp_path: Path) -> None:
    glossary = terms.load(str(GOLDEN / "extra-columns.csv"))
    document = json.loads(exchange.export(model.select(glossary), "json"))
    assert document["concepts"][0]["extra"] == dict(glossary.concepts[0].extra)


# -- OmegaT -------------------------------------------------------------------------------------
def test_omegat_has_one_line_per_chinese_term_with_deprecated_forms_in_comment() -> None:
    glossary = terms.load(str(TERMS))
    text = exchange.export(model.select(glossary), "omegat").decode("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert len(lines) == sum(len(c.zh) for c in glossary)
    rows = [line.split("\t") for line in lines]
    assert all(len(row) == 3 for row in rows)
    by_zh = {row[0]: row for row in rows}
    for concept in glossary:
        for zh in concept.zh:
            source, target, comment = by_zh[zh]
            assert target == concept.preferred
            assert all(form in comment for form in concept.deprecated)


def test_omegat_needs_both_languages() -> None:
    with pytest.raises(DecalqueError, match="--lang zh,en"):
        exchange.export(small_view(langs=("en",)), "omegat")


# -- CSV details --------------------------------------------------------------------------------
def test_csv_opens_in_excel_layout() -> None:
    data = exchange.export(small_view(), "csv")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "Chinese", "English (preferred)"]
    assert len(rows) == 1 + len(terms.load(str(SMALL)))


def test_status_filter_and_language_columns() -> None:
    view = small_view(statuses=["approved"], langs=["en"])
    rows = list(csv.reader(io.StringIO(exchange.export(view, "csv").decode("utf-8-sig"))))
    assert "Chinese" not in rows[0]
    statuses = {row[rows[0].index("Status")] for row in rows[1:]}
    assert statuses == {"approved"}
    with pytest.raises(DecalqueError, match="unknown status"):
        small_view(statuses=["done"])
