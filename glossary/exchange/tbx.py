"""TBX (ISO 30042:2019), TBX-Basic dialect, DCA style: what CAT tools (Trados MultiTerm, memoQ,
Phrase, OmegaT) import as a termbase.

Mapping, both ways: one ``conceptEntry`` per concept (id kept; ids that are not XML names get a
leading ``_``); category -> ``descrip type="subjectField"``; note -> ``note``; status -> a
``note`` reading ``decalque status: approved`` (TBX-Basic has no data category for a concept's
workflow status); ``langSec xml:lang="zh"`` holds the Chinese terms; ``langSec xml:lang="en"``
one ``termSec`` per English form with ``administrativeStatus`` preferredTerm-admn-sts,
admittedTerm-admn-sts or deprecatedTerm-admn-sts.

Reading accepts any conformant TBX-Basic file (DCA or DCT style, language tags with regions,
groups, definitions, superseded terms) and parses it without entity expansion or network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from glossary.errors import DecalqueError
from glossary.exchange.model import Incoming, Record, View
from glossary.terms import CATEGORIES, STATUSES, Concept

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_NOTE = "decalque status: "
ADMIN_STATUS = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}
_KIND_OF_STATUS = {
    "preferredterm-admn-sts": "preferred",
    "admittedterm-admn-sts": "admitted",
    "deprecatedterm-admn-sts": "deprecated",
    "supersededterm-admn-sts": "deprecated",
}
# An XML name usable as xsd:ID (NCName, ASCII subset: our ids are ASCII slugs).
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")
_SCHEMA_PIS = (
    '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/'
    'TBXcoreStructV03.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"?>',
    '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/'
    'DCA/TBX-Basic_DCA.sch" type="application/xml" '
    'schematypens="http://purl.oclc.org/dsdl/schematron"?>',
)


def xml_id(concept_id: str) -> str:
    """The conceptEntry id: the concept id, with ``_`` in front when it is not an XML name
    (``21vianet``); the reader strips it again."""
    return concept_id if _NCNAME.match(concept_id) else f"_{concept_id}"


# -- export -------------------------------------------------------------------------------------
def _el(parent: etree._Element, tag: str, text: str | None = None,
        **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}")
    for key, value in attrs.items():
        element.set(XML_LANG if key == "lang" else key, value)
    if text is not None:
        element.text = text
    return element


def _concept_entry(body: etree._Element, concept: Concept, langs: tuple[str, ...]) -> None:
    entry = _el(body, "conceptEntry", id=xml_id(concept.id))
    _el(entry, "descrip", concept.category, type="subjectField")
    if concept.note:
        _el(entry, "note", concept.note)
    _el(entry, "note", STATUS_NOTE + concept.status)
    if "zh" in langs and concept.zh:
        section = _el(entry, "langSec", lang="zh")
        for term in concept.zh:
            _el(_el(section, "termSec"), "term", term)
    if "en" in langs:
        section = _el(entry, "langSec", lang="en")
        for form, kind in concept.forms():
            term_sec = _el(section, "termSec")
            _el(term_sec, "term", form)
            _el(term_sec, "termNote", ADMIN_STATUS[kind], type="administrativeStatus")


def dump(view: View) -> bytes:
    """The view as a TBX-Basic document (UTF-8, tab-indented like the official samples)."""
    root = etree.Element(f"{{{NS}}}tbx", nsmap={None: NS})
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, "en")
    header = _el(root, "tbxHeader")
    file_desc = _el(header, "fileDesc")
    _el(_el(file_desc, "titleStmt"), "title", f"decalque glossary: {view.source_name}")
    _el(_el(file_desc, "sourceDesc"), "p",
        f"Exported by decalque from {view.source_name}: {len(view.concepts)} concepts, "
        f"languages {', '.join(view.langs)}.")
    body = _el(_el(root, "text"), "body")
    for concept in view.concepts:
        _concept_entry(body, concept, view.langs)
    etree.indent(root, space="\t")
    text = etree.tostring(root, encoding="unicode")
    return ("\n".join(('<?xml version="1.0" encoding="UTF-8"?>', *_SCHEMA_PIS, text))
            + "\n").encode("utf-8")


# -- import -------------------------------------------------------------------------------------
def parse_safely(data: bytes, path: str) -> etree._ElementTree:
    """Parse XML with no entity expansion, no DTD loading, no network and libxml2's size
    limits on; a document type declaration is refused outright (TBX 2019 has none, and it
    is what billion-laughs and external-entity attacks need)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, dtd_validation=False, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        message = str(exc.msg or exc).split(", line ")[0]
        if "entity" in message.lower() or "amplification" in message.lower():
            raise DecalqueError(f"refused: entity expansion attack (billion laughs): {message}",
                                path, line) from None
        raise DecalqueError(f"not well-formed XML: {message}", path, line) from None
    tree = root.getroottree()
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.system_url or info.public_id:
        raise DecalqueError("refused: the file declares a DTD or entities (<!DOCTYPE>); TBX "
                            "2019 files have none, and entity tricks (billion laughs, external "
                            "entities) need one", path, 1)
    return tree


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _is_tbx(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and etree.QName(element).namespace == NS


def _text(element: etree._Element) -> str:
    """Element text with pretty-printing line breaks folded (spaces inside a line kept)."""
    return re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", "".join(element.itertext())).strip()


def _data(element: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """(data category, element) for the element's own data: DCA ``descrip/admin/termNote``
    by their type, DCT elements by their name, ``note`` as note; *Grp groups are opened."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = _local(child)
        if _is_tbx(child):
            if name.endswith("Grp") and name != "transacGrp":
                yield from _data(child)
            elif name in ("descrip", "admin", "termNote"):
                yield child.get("type", ""), child
            elif name == "note":
                yield "note", child
        elif name not in ("term",):
            yield name, child  # DCT style: the element name is the data category


def _lang(element: etree._Element) -> str:
    return (element.get(XML_LANG) or "").split("-")[0].split("_")[0].lower()


def _english(sections: list[etree._Element]) -> dict[str, str | tuple[str, ...]]:
    """Preferred/admitted/deprecated from English termSecs; a term without a status is the
    preferred one when no term says so, else admitted."""
    terms: list[tuple[str, str | None]] = []
    for section in sections:
        for term_sec in section:
            if not _is_tbx(term_sec) or _local(term_sec) != "termSec":
                continue
            term_el = term_sec.find(f"{{{NS}}}term")
            if term_el is None or not _text(term_el):
                continue
            kind = None
            for category, element in _data(term_sec):
                if category == "administrativeStatus":
                    kind = _KIND_OF_STATUS.get(_text(element).casefold())
            terms.append((_text(term_el), kind))
    preferred = next((t for t, k in terms if k == "preferred"), None)
    if preferred is None:
        preferred = next((t for t, k in terms if k is None), None)
    admitted: list[str] = []
    deprecated: list[str] = []
    for term, kind in terms:
        if term == preferred:
            continue
        target = deprecated if kind == "deprecated" else admitted
        if term not in target:
            target.append(term)
    return {"preferred": preferred or "", "admitted": tuple(admitted),
            "deprecated": tuple(deprecated)}


def _record(entry: etree._Element) -> Record:
    values: dict[str, str | tuple[str, ...]] = {}
    if entry.get("id"):
        values["id"] = entry.get("id", "")
    notes: list[str] = []
    definitions: list[str] = []
    fields: list[str] = []  # subject fields that are not decalque categories, kept in the note
    for category, element in _data(entry):
        text = _text(element)
        if category == "subjectField" and text:
            if text.casefold() in CATEGORIES:
                values["category"] = text.casefold()
            else:
                fields.append(f"(subject field: {text})")
        elif category == "note" and text.startswith(STATUS_NOTE) and \
                text[len(STATUS_NOTE):] in STATUSES:
            values["status"] = text[len(STATUS_NOTE):]
        elif category == "note" and text:
            notes.append(text)
        elif category == "definition" and text:
            definitions.append(text)
    zh_sections = [s for s in entry if _local(s) == "langSec" and _lang(s) == "zh"]
    en_sections = [s for s in entry if _local(s) == "langSec" and _lang(s) == "en"]
    for section in en_sections:
        definitions += [_text(e) for c, e in _data(section) if c == "definition" and _text(e)]
    if zh_sections:
        zh: list[str] = []
        for section in zh_sections:
            for term_el in section.iterfind(f"{{{NS}}}termSec/{{{NS}}}term"):
                if _text(term_el) and _text(term_el) not in zh:
                    zh.append(_text(term_el))
        values["zh"] = tuple(zh)
    if en_sections:
        values.update(_english(en_sections))
    if notes or definitions or fields:
        values["note"] = " ".join(definitions + notes + fields)
    return Record(entry.sourceline or 0, values)


def load(data: bytes, path: str) -> Incoming:
    """Records from a TBX file; other languages than zh and en are skipped (and counted)."""
    tree = parse_safely(data, path)
    root = tree.getroot()
    if _local(root) == "martif":
        raise DecalqueError("TBX 2008 (<martif>) is not supported; save the termbase as TBX "
                            "2019 (TBX-Basic) and import that", path, root.sourceline)
    if _local(root) != "tbx" or not _is_tbx(root):
        raise DecalqueError(f"not a TBX file: root element is <{_local(root)}>, expected <tbx "
                            f'xmlns="{NS}">', path, root.sourceline)
    records: list[Record] = []
    skipped_langs: set[str] = set()
    without: list[str] = []
    for entry in root.iter(f"{{{NS}}}conceptEntry"):
        for section in entry.iterfind(f"{{{NS}}}langSec"):
            if _lang(section) not in ("zh", "en"):
                skipped_langs.add(section.get(XML_LANG) or "?")
        record = _record(entry)
        if "zh" in record.values or "preferred" in record.values:
            records.append(record)
        else:
            without.append(str(record.line))
    notices = []
    if skipped_langs:
        notices.append(f"skipped language(s) {', '.join(sorted(skipped_langs))} (decalque "
                       "keeps zh and en)")
    if without:
        notices.append(f"skipped {len(without)} concept entr{'y' if len(without) == 1 else 'ies'}"
                       f" with no zh or en term (line {', '.join(without[:5])}"
                       f"{', ...' if len(without) > 5 else ''})")
    return Incoming(path, "tbx", tuple(records), tuple(notices))
