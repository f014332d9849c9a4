"""Reads any .docx as a reader sees it: paragraphs with Word's list numbers, headings and tables, changes accepted."""

from __future__ import annotations

import copy
import enum
import functools
import hashlib
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn as _qn
from docx.parts.story import StoryPart
from lxml import etree
from lxml.etree import _Element

from . import files, revisions
from .elements import OFF
from .errors import UsageError, damaged_xml_in_plain_words, in_plain_words
from .model import DocumentView, Paragraph, Story, Table, WordDocument
from .package import declares_document_type, not_a_word_document
from .styles import adopt as adopt_styles
from .styles import of_document as styles_of_document

# Clark names are looked up many times per paragraph; python-docx builds them afresh on each call.
qn = functools.lru_cache(maxsize=None)(_qn)

_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf0fc": "✓", "\uf076": "❖", "\uf06e": "■"}
_ROMAN = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
]
_CAPTION = re.compile(r"^\s*(table|figure)\s+\d+", re.IGNORECASE)


@dataclass(frozen=True)
class BodyBlock:
    """A top-level block of the body with the XML element it was read from (for the redline)."""

    block: Paragraph | Table
    element: _Element
    objects: tuple[SeenObject, ...] = ()
    """What a reader sees in a paragraph (or a table's cells) besides its text: pictures (by content), charts,
    shapes, links, notes, comments, equations."""


class ObjectKind(enum.StrEnum):
    """What kind of thing a reader sees besides words; its value is the word a summary names it by."""

    PICTURE = "picture"
    CHART = "chart"
    DIAGRAM = "diagram"
    SHAPE = "shape"
    """A shape, text box or group of them drawn without a picture or chart in it."""
    OBJECT = "object"
    """An embedded file (a workbook, say), shown by its preview."""
    LINK = "link"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"
    COMMENT = "comment"
    EQUATION = "equation"
    CONTENT_CONTROL = "content control"
    BREAK = "break"
    """A page or column break typed in the text (Ctrl+Enter): where the page ends is something a reader sees."""


#: The kinds drawn on the page, which have a size, a place and a look.
DRAWN_KINDS = frozenset({ObjectKind.PICTURE, ObjectKind.CHART, ObjectKind.DIAGRAM, ObjectKind.SHAPE, ObjectKind.OBJECT})


@dataclass(frozen=True)
class Drawing:
    """How a picture, chart, shape or embedded object stands on the page, aspect by aspect, so a summary can say
    what changed ("resized", "moved"). Each aspect is a short hash, compared and never shown, except the alt
    text, kept as written (a screen reader reads it as written)."""

    size: str
    """Its width and height on the page."""
    place: str
    """Where a floating one stands (its offsets from what it is anchored to); "" for one in line with the text."""
    look: str
    """Everything else drawn: outline, fill, crop, effects, the content of its parts (picture, chart, embedded
    file); ids and words left out."""
    link: str
    """Where a click on it leads."""
    alt: str
    """Its alt text (description) as written, spacing and all."""
    title: str
    """Its title (Word's older alt text field) as written."""


@dataclass(frozen=True)
class SeenObject:
    """Something a reader sees in a paragraph besides its words, as a summary names it and as it is compared."""

    kind: ObjectKind
    """What it is: a picture, a chart, a link, a footnote... (the label's first words say the same)."""
    label: str
    """How a reviewer is told of it, as the text view shows it: "picture: Council logo", "link to https://..."."""
    identity: str = ""
    """What else makes it this one and not another with the same label: a picture's or chart's content, a
    note's pictures. Compared, never shown."""
    drawing: Drawing | None = None
    """For a picture, chart, shape or embedded object, how it stands on the page; a group's or a picture-filled
    shape's is given with its first picture or chart."""
    note_id: str | None = field(default=None, compare=False)
    """For a footnote, endnote or comment, its id in its own document (which another version numbers otherwise):
    never compared, it finds the note a reference points at."""

    @property
    def compared(self) -> str:
        """Everything it is compared by but its label, as one string."""
        drawing = self.drawing
        if drawing is None:
            return self.identity
        return "\x00".join(
            (self.identity, drawing.size, drawing.place, drawing.look, drawing.link, drawing.alt, drawing.title)
        )


#: Word's "Strict Open XML Document" names the same things as ordinary .docx under other namespaces.
_STRICT_NAMESPACES = [
    (
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    ),
    (b"http://purl.oclc.org/ooxml/officeDocument/", b"http://schemas.openxmlformats.org/officeDocument/2006/"),
    (b"http://purl.oclc.org/ooxml/drawingml/", b"http://schemas.openxmlformats.org/drawingml/2006/"),
    (b"http://purl.oclc.org/ooxml/schemaLibrary/main", b"http://schemas.openxmlformats.org/schemaLibrary/2006/main"),
]
#: A .docx larger than this is refused before it is read (the largest real reports are a few megabytes).
MAX_DOCUMENT_BYTES = 200 * 1024 * 1024


def open_document(path: Path) -> DocxDocument:
    """The python-docx Document, or UsageError when the file is not a readable .docx; Strict Open XML is read."""
    # A pipe or device (/dev/zero) would hang or fill the memory: refused, located, before anything is read.
    files.check_input_file(path, what="Word document", limit=MAX_DOCUMENT_BYTES)
    try:
        source = _transitional(path)
        document = docx.Document(source)
        _refuse_declared_types(path, document)
        return _canonical_relationships(document)
    except FileNotFoundError as exc:
        raise UsageError(message=f"{path} does not exist") from exc
    except etree.XMLSyntaxError as exc:
        raise UsageError(message=_damaged_xml(path, exc)) from exc
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        # A password-protected document, a template, an OpenDocument or old Word file is named as what it is.
        reason = not_a_word_document(path.read_bytes(), what="document")
        if reason is not None:
            raise UsageError(message=f"{path}: {reason}") from exc
        raise UsageError(message=f"{path} {_not_readable(exc)}: {in_plain_words(exc)}") from exc


def _refuse_declared_types(path: Path, document: DocxDocument) -> None:
    """Refuses a document whose XML declares a document type (<!DOCTYPE>, with entities of its own): Word never
    writes one and will not open such a file, and an entity's words would be read as nothing, silently dropping
    text from the comparison and the redline."""
    from docx.opc.part import XmlPart

    for part in document.part.package.iter_parts():
        if isinstance(part, XmlPart):
            declared = part.element.getroottree().docinfo.doctype != ""
        else:
            declared = str(part.content_type).endswith("xml") and declares_document_type(part.blob)
        if declared:
            raise UsageError(
                message=f"{path} is a damaged Word document that cannot be read: its part "
                f"{part.partname.lstrip('/')} declares a document type of its own (<!DOCTYPE>), which Word never "
                "writes and will not open; open the original in Word and save it again"
            )


def _not_readable(exc: BaseException) -> str:
    """How a file that could not be opened is described: a Word document with a part missing that another part
    refers to (a chart's workbook, say) is still a Word document, only a damaged one."""
    missing = re.search(r"there is no item named '([^']+)'", str(exc), re.IGNORECASE)
    if missing and missing.group(1) not in ("[Content_Types].xml", "_rels/.rels", "word/document.xml"):
        return "is a damaged Word document that cannot be read"
    return "is not a Word document (.docx) that can be read"


def _canonical_relationships(document: DocxDocument) -> DocxDocument:
    """The document with relationship types spelt in another case or namespace by some producers spelt as
    python-docx looks them up; otherwise it misses such a part and adds its own (core properties dated by
    the clock, under the same name as the document's)."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    known = {value.lower(): value for name, value in vars(RELATIONSHIP_TYPE).items() if name.isupper()}
    # Core properties under the officeDocument namespace instead of the package one (a real producer's spelling).
    known["http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"] = (
        RELATIONSHIP_TYPE.CORE_PROPERTIES
    )
    package = document.part.package
    for rels in [package.rels, *(part.rels for part in package.iter_parts())]:
        for rel in rels.values():
            canonical = known.get(rel.reltype.lower(), rel.reltype)
            if canonical != rel.reltype:
                rel._reltype = canonical  # python-docx has no setter; the type is only compared, never re-derived
    return document


def has_properties(document: DocxDocument) -> bool:
    """Whether the document has its properties part (File > Info); asking python-docx for properties it lacks
    makes up a part, dated by the clock, which it then saves."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    rels = document.part.package.rels.values()
    return any(rel.reltype == RELATIONSHIP_TYPE.CORE_PROPERTIES for rel in rels)


def stated_date(document: DocxDocument) -> datetime | None:
    """When the document says it was last saved (or made), or None when it says nothing: never the clock, which
    python-docx puts in a document without core properties the moment they are asked for (and then saves)."""
    if not has_properties(document):
        return None
    properties = document.core_properties
    stated: datetime | None = properties.modified or properties.created
    return stated


def open_document_data(data: bytes) -> DocxDocument:
    """The python-docx Document of a .docx held in memory (a report before it is written)."""
    return docx.Document(io.BytesIO(data))


def _transitional(path: Path) -> str | io.BytesIO:
    """The file itself, or for a Strict Open XML document an in-memory copy under the ordinary namespaces."""
    if not zipfile.is_zipfile(path):
        return str(path)
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        if "_rels/.rels" not in names or b"purl.oclc.org/ooxml" not in package.read("_rels/.rels"):
            return str(path)
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as copy:
            for name in names:
                data = package.read(name)
                if name.endswith((".xml", ".rels")):
                    for strict, transitional in _STRICT_NAMESPACES:
                        data = data.replace(strict, transitional)
                if name.endswith(".xml") and _STRICT_VALUE.search(data):
                    data = _transitional_values(data)
                copy.writestr(name, data)
    output.seek(0)
    return output


# Strict Open XML also writes some values in forms the ordinary schema lacks (ECMA-376 Part 1, Strict against
# Transitional): measures with a unit ("72pt", "2.54cm") where Transitional has whole twips, half-points or EMUs,
# percentages ("50%") where it has fiftieths (a table width), whole percents (text scale, chart sizes) or
# thousandths (DrawingML), and "start"/"end" for a list level's alignment; the document says it is Strict
# (w:conformance). Each is converted once the namespaces are mapped, so a redline written from the document says
# under the ordinary namespaces what Transitional allows.
_STRICT_VALUE = re.compile(rb'="-?[0-9.]+(?:%|mm|cm|in|pt|pc|pi)"|lvlJc [^>]*w:val="(?:start|end)"|="strict"')
_MEASURE = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?|-?\.[0-9]+)(%|mm|cm|in|pt|pc|pi)")
#: Points in one of each unit.
_POINTS = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "pc": 12.0, "pi": 12.0}
_W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006/"
_CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
#: WordprocessingML elements whose measure is in half-points (ST_HpsMeasure); the others' are in twips.
_HALF_POINTS = {"sz", "szCs", "kern", "position"}
_TRANSITIONAL_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _transitional_values(data: bytes) -> bytes:
    """A Strict part's values in their Transitional forms (the part unchanged when it holds none or is damaged)."""
    try:
        root = etree.fromstring(data, _TRANSITIONAL_PARSER)
    except etree.XMLSyntaxError:
        return data  # reported where the document is read
    changed = False
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        element_namespace = etree.QName(element).namespace or ""
        for name, value in element.attrib.items():
            converted = (
                "transitional"
                if name == qn("w:conformance") and value == "strict"
                else _transitional_value(element, element_namespace, value)
            )
            if converted is not None and converted != value:
                element.set(name, converted)
                changed = True
    if not changed:
        return data
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _transitional_value(element: _Element, namespace: str, value: str) -> str | None:
    """The Transitional form of one attribute's Strict value, or None when it has no other form."""
    if namespace == _W_MAIN and etree.QName(element).localname == "lvlJc":
        return {"start": "left", "end": "right"}.get(value)
    match = _MEASURE.fullmatch(value)
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2)
    local = etree.QName(element).localname
    if unit == "%":
        if namespace == _W_MAIN:
            if element.get(qn("w:type")) == "pct":
                return str(round(number * 50))  # fiftieths of a percent
            return str(round(number)) if local == "w" else None  # text scale: whole percents
        if namespace == _CHART:
            return str(round(number))
        return str(round(number * 1000)) if namespace.startswith(_DRAWINGML) else None
    points = number * _POINTS[unit]
    if namespace == _W_MAIN:
        return str(round(points * 2 if local in _HALF_POINTS else points * 20))
    return str(round(points * 12700)) if namespace.startswith(_DRAWINGML) else None  # EMUs


def _damaged_xml(path: Path, exc: Exception) -> str:
    """Which part of the package cannot be read, where, and why, in words an officer can pass on."""
    where, why = "", str(exc)
    try:
        with zipfile.ZipFile(path) as package:
            for name in package.namelist():
                if name.endswith((".xml", ".rels")):
                    try:
                        etree.fromstring(package.read(name), etree.XMLParser(resolve_entities=False))
                    except etree.XMLSyntaxError as found:
                        line, column = found.position
                        where, why = f" in its part {name}, line {line}, column {column}", found.msg
                        break
    except (OSError, zipfile.BadZipFile):
        pass
    why = damaged_xml_in_plain_words(why)  # libxml2's wording names parser terms; say what is wrong instead
    return (
        f"{path} cannot be read: its XML is damaged{where} ({why}). Open it in Word and save it again "
        "(Word repairs what it can) and use the saved copy."
    )


def read_word_document(path: Path) -> WordDocument:
    """The document's paragraphs and tables in order, with tracked changes accepted."""
    document = open_document(path)
    return WordDocument(name=path.name, blocks=tuple(b.block for b in read_body(document)))


def read_body(
    document: DocxDocument, element: _Element | None = None, *, tracked: str = "accept", part: Part | None = None
) -> list[BodyBlock]:
    """Top-level blocks of the body, or of another story such as a header (element, held by part, whose own
    relationships name its pictures and links), each with its element from a copy; the document itself is left
    as it was.

    tracked says how tracked changes already in the document are read: "accept" (as it now reads), "reject" (as
    it read before them), or "keep": read as before them, each block's element still holding them (paragraphs
    that rejecting them would join are joined, see revisions.join_inserted_marks), for a redline that keeps them.
    """
    root = document.element.body if element is None else element
    if tracked == "keep":
        body = revisions.join_inserted_marks(root)
    else:
        body = (revisions.accept_all if tracked == "accept" else revisions.reject_all)(root)
    adopt_styles(body, document)  # its formatting is compared as the document's styles make it read
    reader = _Reader(document)
    # Without tabs, breaks, symbols or alternative content anywhere, a paragraph's text is its w:t alone, found
    # with one kind of element instead of seven (lxml's cost of looking for several is most of a short paragraph's).
    reader.text_alone = tracked != "keep" and next(body.iter(_MARKED_TEXT), None) is None
    objects = _Objects(document, part)
    # Most long documents hold no picture, link, note or equation: one look at the whole story then spares asking
    # each paragraph (lxml's cost of looking for eleven kinds of element was a fifth of reading a paragraph).
    described = next(body.iter(*_DESCRIBED), None) is not None
    blocks: list[BodyBlock] = []
    previous: Paragraph | None = None
    block: Paragraph | Table
    for element in _block_elements(body):
        seen = revisions.reject_all(element) if tracked == "keep" else element
        found: tuple[SeenObject, ...] = ()
        if element.tag == _P:
            block = reader.paragraph(seen)
            previous = block
            found = objects.describe(seen) if described else ()
        else:
            caption = previous.text.strip() if previous is not None and _CAPTION.match(previous.text) else None
            block = reader.table(seen, caption=caption)
            previous = None
            if described:
                found = tuple(description for p in seen.iter(_P) for description in objects.describe(p))
            found += cell_controls(seen)
        body_block: BodyBlock = _new_object(BodyBlock)  # as BodyBlock(...) makes it (see _Reader.paragraph)
        body_block.__dict__.update(block=block, element=element, objects=found)
        blocks.append(body_block)
    return blocks


_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_V_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"
_C_CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}chart"
#: Office 2016's charts (waterfall, treemap, funnel...), kept in a part of their own kind.
_CX_CHART = "{http://schemas.microsoft.com/office/drawing/2014/chartex}chart"
_R_LINK = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}link"
_ALT_LIMIT = 100


def alt_text(node: _Element) -> str:
    """The alt text of the picture or chart holding node (Word's Edit Alt Text: the description, else the title),
    on one line and shortened; "" when it has none."""
    holder = next(
        (a for a in node.iterancestors() if a.tag in (f"{{{_WPD}}}inline", f"{{{_WPD}}}anchor") or a.get("alt")),
        None,
    )
    if holder is None:
        return ""
    if holder.get("alt") is not None and holder.tag not in (f"{{{_WPD}}}inline", f"{{{_WPD}}}anchor"):
        text = holder.get("alt") or ""
    else:
        docpr = holder.find(f"{{{_WPD}}}docPr")
        text = ""
        if docpr is not None:
            text = (docpr.get("descr") or "").strip() or (docpr.get("title") or "").strip()
    return _one_line(text)


def _one_line(text: str) -> str:
    """Text on one line, shortened to _ALT_LIMIT characters, with square brackets shown as round ones so it cannot
    pass for a label of its own."""
    text = " ".join(text.split()).translate({ord("["): "(", ord("]"): ")"})
    return text if len(text) <= _ALT_LIMIT else text[: _ALT_LIMIT - 1].rstrip() + "…"


def _quoted_alt(node: _Element) -> str:
    text = alt_text(node)
    return f' "{text}"' if text else ""


_WPD = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_R_NAMESPACE = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_R_ID, _R_EMBED = (f"{_R_NAMESPACE}{n}" for n in ("id", "embed"))


class _Objects:
    """Describes a paragraph's objects by what a reader sees, so a replaced picture or an edited note is a change."""

    def __init__(self, document: DocxDocument | None, part: Any = None) -> None:
        self.part: Any = part if part is not None else document.part if document is not None else None
        """The part whose relationships the story's pictures and links are named by (a header's own)."""
        self.notes: dict[str, dict[str | None, tuple[str, str]]] = {"footnote": {}, "endnote": {}, "comment": {}}
        if document is None:
            return  # the objects of a note itself, which holds no notes
        self.notes = {
            kind: self._story(reltype, kind)
            for kind, reltype in (
                ("footnote", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"),
                ("endnote", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"),
                ("comment", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"),
            )
        }

    def _story(self, reltype: str, kind: str) -> dict[str | None, tuple[str, str]]:
        """Each note's words, and the pictures, charts and shapes in it by label and identity, so a picture
        replaced in a footnote is a change of that footnote."""
        try:
            part = self.part.package.main_document_part.part_related_by(reltype)
        except KeyError:
            return {}
        root = part_root(part)
        if root is None:
            return {}
        return {n.get(qn("w:id")): note_key(n, part) for n in root.findall(qn(f"w:{kind}"))}

    def _target(self, rid: str | None) -> str:
        rel = self.part.rels.get(rid) if rid else None
        if rel is None:
            return "?"
        if rel.is_external:
            return str(rel.target_ref)
        return hashlib.sha256(rel.target_part.blob).hexdigest()[:8]

    def describe(self, paragraph: _Element) -> tuple[SeenObject, ...]:
        found = []
        told: list[_Element] = []
        """The graphics whose drawing is given already, with their first picture or chart."""
        for node in paragraph.iter(*_DESCRIBED):
            tag = node.tag
            if any(a.tag == _FALLBACK for a in node.iterancestors()):
                continue  # what an application too old for the content shows in its place
            drawing = None
            if tag in _PICTURES_AND_CHARTS:
                graphic = next(node.iterancestors(*_GRAPHICS), None)
                if graphic is not None and not any(graphic is g for g in told):
                    told.append(graphic)
                    drawing = drawing_aspects(graphic, self._target)
            if tag in (_A_BLIP, _V_IMAGE):
                # An embedded picture by its content, a linked one by where it points; named by its alt text.
                target = self._target(node.get(_R_EMBED) or node.get(_R_ID) or node.get(_R_LINK))
                linked = node.get(_R_EMBED) is None and node.get(_R_ID) is None and node.get(_R_LINK) is not None
                kind = ObjectKind.PICTURE
                named = f"picture linked to {_one_line(target)}" if linked else "picture"
                if any(a.tag == qn("w:object") for a in node.iterancestors()):
                    # An embedded file (a workbook, say) shown by its preview, as text shows it.
                    kind, named = ObjectKind.OBJECT, "object"
                found.append(SeenObject(kind, _labelled(named, alt_text(node)), target, drawing))
            elif tag in (_C_CHART, _CX_CHART):  # by its part, which holds the chart's figures as last drawn
                name = alt_text(node) or _one_line(_chart_title(node.getparent(), self.part))
                found.append(
                    SeenObject(ObjectKind.CHART, _labelled("chart", name), self._target(node.get(_R_ID)), drawing)
                )
            elif tag in _GRAPHICS:
                if not _holds_picture_or_chart(node):  # pictures and charts in it are told above
                    aspects = drawing_aspects(node, self._target)
                    found.append(SeenObject(graphic_kind(node), graphic_label(node, self.part)[1:-1], "", aspects))
            elif tag == _BR:
                breaks = node.get(_TYPE)
                if breaks in ("page", "column") and not _in_text_box_within(node, paragraph):
                    found.append(SeenObject(ObjectKind.BREAK, f"{breaks} break"))
            elif tag == qn("w:hyperlink") and node.get(_R_ID):
                found.append(SeenObject(ObjectKind.LINK, f"link to {self._target(node.get(_R_ID))}"))
            elif tag == f"{{{_M}}}oMath":
                words = "".join(t.text or "" for t in node.iter(f"{{{_M}}}t"))
                found.append(SeenObject(ObjectKind.EQUATION, "equation " + words))
            elif tag == qn("w:sdt"):
                # A content control around words of the paragraph (not one in a text box in it, told with the box's
                # words): put on or taken off, it is a change though no word changed. Named as the control around
                # a paragraph is, by its title or tag; its words are compared as words.
                if not _in_text_box_within(node, paragraph):
                    found.append(SeenObject(ObjectKind.CONTENT_CONTROL, f"{control_name(node)} around words"))
            elif tag != qn("w:hyperlink"):
                note = etree.QName(node).localname.replace("Reference", "")
                words, identity = self.notes[note].get(node.get(qn("w:id")), ("", ""))
                found.append(SeenObject(ObjectKind(note), f"{note}: {words}", identity, note_id=node.get(qn("w:id"))))
        return tuple(found)


def note_key(note: _Element, part: Any) -> tuple[str, str]:
    """What a footnote, endnote or comment is compared by: its words with its pictures, charts and shapes named
    as the text view shows them, and what else tells those apart (their content, named by the note part's own
    relationships)."""
    words = " ".join(paragraph_text(note).split())
    objects = _Objects(None, part).describe(note)
    return words + "".join(f" [{o.label}]" for o in objects), "".join(o.compared for o in objects)


def _labelled(kind: str, name: str) -> str:
    return f"{kind}: {name}" if name else kind


def shape_identity(graphic: _Element, target: Callable[[str], str]) -> str:
    """A short hash of how a picture, chart, shape, diagram or embedded object looks and stands on the page (its
    size, place, link and look, see drawing_aspects), its words, ids and alt text left out, so a picture resized or
    moved, or a rectangle redrawn as an ellipse, is a change while a shape whose text alone changed is the same
    shape. target names a relationship's part by its content (ids differ between two saves of the same thing)."""
    aspects = drawing_aspects(graphic, target)
    joined = "|".join((aspects.size, aspects.place, aspects.look, aspects.link))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def drawing_aspects(graphic: _Element, target: Callable[[str], str]) -> Drawing:
    """How a graphic (w:drawing, w:pict or w:object) stands on the page, aspect by aspect: size, place, link and
    look hashed, alt text and title as written. The words of its text boxes are left out (compared as words)."""
    digests = {aspect: hashlib.sha256() for aspect in ("size", "place", "look", "link")}
    alt = ""
    in_cell = any(True for _cell in graphic.iterancestors(qn("w:tc")))

    def walk(node: _Element, aspect: str) -> None:
        nonlocal alt
        tag = str(node.tag)
        if _unseen(node):
            return
        if tag == _A_EXT_LIST:  # of what an application adds, the other files it points at are seen
            for found in node.iter():
                for name, value in sorted(found.attrib.items()):
                    if name.startswith(_R_NAMESPACE):
                        digests[aspect].update(f"{etree.QName(found).localname}={target(value)};".encode())
            return
        if aspect == "look":
            aspect = _ASPECT_OF.get(tag, "look")
            if tag == _A_EXT and _is_outer_transform(node.getparent()):
                aspect = "size"  # the outer shape's own copy of the graphic's size
        digest = digests[aspect]
        digest.update(tag.encode())
        for name, value in sorted(node.attrib.items()):
            if name.startswith(_R_NAMESPACE):
                digest.update(f"{etree.QName(name).localname}={target(value)};".encode())
            elif tag.startswith(_VML) and name == "style":
                _vml_style(value, digests)
            elif tag.startswith(_VML) and name == "href":
                digests["link"].update(value.encode())
            elif name == "alt":
                alt = alt or value
            elif aspect in ("size", "place") and name in _LENGTHS:
                digest.update(f"{name}={_as_word_shows(name, value)};".encode())
            elif name == "layoutInCell" and not in_cell:
                continue  # whether it is laid out in its table cell: nothing, outside a table (LibreOffice writes 0)
            elif name not in _SHAPE_IDS and (name, value) not in _DEFAULTS:
                # A colour is the same written in capitals or not (FF0000, ff0000).
                digest.update(f"{name}={value.lower() if _HEX_COLOUR.fullmatch(value) else value};".encode())
        text = (node.text or "").strip()
        if text:  # a floating graphic's offsets (wp:posOffset) are the text of their elements
            digest.update(f"'{_as_word_shows('posOffset', text) if aspect == 'place' else text}'".encode())
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _SHAPE_WORDS:
                walk(child, aspect)

    walk(graphic, "look")
    docpr = graphic.find(f".//{{{_WPD}}}docPr")
    hashes = {aspect: digest.hexdigest()[:16] for aspect, digest in digests.items()}
    return Drawing(
        size=hashes["size"],
        place=hashes["place"],
        look=hashes["look"],
        link=hashes["link"],
        alt=(docpr.get("descr") or "") if docpr is not None else alt,
        title=(docpr.get("title") or "") if docpr is not None else "",
    )


#: The attributes that give a drawing's size and place as lengths in EMU (914,400 to the inch).
_LENGTHS = frozenset({"cx", "cy", "x", "y"})
#: Word's Layout and Size dialogs show a drawing's size and position to a hundredth of a centimetre (3,600 EMU).
#: Applications re-saving a document round them to their own units (LibreOffice to twips: 1,080,000 EMU becomes
#: 1,080,135, 0 becomes 635): a length that moved by less than that is no resize and no move, while any change a
#: reader could see in those dialogs still is. Compared by the difference, not by values rounded to it, so that
#: 5.0051 cm re-saved as 5.0042 cm (either side of 5.005) is the same size too.
_SHOWN_EMU = 3600
#: While two versions are compared (same_lengths), each of NEW's drawing lengths less than _SHOWN_EMU from one of
#: OLD's of the same name, and not one of OLD's itself, with the nearest of OLD's: (name, NEW's) -> OLD's.
_SAME_LENGTHS: ContextVar[dict[tuple[str, int], int]] = ContextVar("same_lengths", default={})  # noqa: B039
_LENGTH_HOLDERS = tuple(
    f"{{{namespace}}}{name}"
    for namespace, name in (
        (_WPD, "extent"),
        (_WPD, "simplePos"),
        (_WPD, "posOffset"),
        ("http://schemas.openxmlformats.org/drawingml/2006/main", "ext"),
    )
)
_STORY_TYPES = ("document.main+xml", "header+xml", "footer+xml", "footnotes+xml", "endnotes+xml", "comments+xml")


def same_lengths(old: DocxDocument, new: DocxDocument) -> None:
    """Reads NEW's drawing lengths within a hundredth of a centimetre of OLD's as OLD's from now on, until the next
    two versions are compared: a picture LibreOffice re-saved is the same size and in the same place."""
    known, found = (_drawing_lengths(document) for document in (old, new))
    same = {}
    for name, value in found - known:
        near = sorted((abs(v - value), v) for n, v in known if n == name and abs(v - value) < _SHOWN_EMU)
        if near:
            same[(name, value)] = near[0][1]
    _SAME_LENGTHS.set(same)


def _drawing_lengths(document: DocxDocument) -> set[tuple[str, int]]:
    """Every length a drawing's size or place is given by in the document's stories, by name."""
    found: set[tuple[str, int]] = set()
    for part in document.part.package.iter_parts():
        if not part.content_type.endswith(_STORY_TYPES) or "wordprocessingml" not in part.content_type:
            continue
        root = part_root(part)
        for node in root.iter(_LENGTH_HOLDERS) if root is not None else ():
            items = [("posOffset", node.text or "")] if node.tag == _LENGTH_HOLDERS[2] else node.attrib.items()
            found.update((name, int(value)) for name, value in items if _INTEGER.fullmatch(value.strip()))
    return found


_INTEGER = re.compile(r"-?[0-9]+")


def _as_word_shows(name: str, value: str) -> str:
    """A length in EMU as compared: NEW's as OLD's where they differ by less than Word's dialogs show
    (same_lengths); anything else (a percentage, a name) as written."""
    if not _INTEGER.fullmatch(value.strip()):
        return value
    number = int(value)
    return str(_SAME_LENGTHS.get().get((name, number), number))


def _unseen(node: _Element) -> bool:
    """Whether a drawing's element holds nothing a reader sees: locks against editing in Word (keep the aspect
    ratio, no moving) and the boxes holding them, an effect extent of zeros, an empty list of a shape's
    adjustments; applications re-saving a document write these or leave them out."""
    if node.tag in _EDITING_ONLY:
        return True
    if node.tag == f"{{{_WPD}}}effectExtent":
        return all(value.strip() in ("0", "") for value in node.attrib.values())
    return node.tag == f"{_A_MAIN}avLst" and not len(node)


def _vml_style(style: str, digests: dict[str, Any]) -> None:
    """A VML shape's style, property by property, into its aspects: width and height its size, its margins and
    position its place, the rest its look; not its place in the stacking order (Word renumbers z-index)."""
    for item in sorted(p.strip() for p in style.split(";") if p.strip()):
        name = item.partition(":")[0].strip().lower()
        if name == "z-index":
            continue
        aspect = "size" if name in ("width", "height") else "place" if name in _VML_PLACE else "look"
        digests[aspect].update(f"style {item};".encode())


def _is_outer_transform(node: _Element | None) -> bool:
    """Whether node is the a:xfrm of a graphic's outermost picture, shape or group, which repeats the graphic's
    size (the shapes of a group are placed inside the group, and are part of its look)."""
    if node is None or node.tag != _A_XFRM:
        return False
    holder = node.getparent()
    shape = holder.getparent() if holder is not None else None
    data = shape.getparent() if shape is not None else None
    return data is not None and data.tag == _GRAPHIC_DATA


def _drawn_nodes(graphic: _Element) -> Iterator[_Element]:
    """The graphic's elements in document order, without the words of its text boxes."""
    yield graphic
    for child in graphic:
        if isinstance(child.tag, str) and child.tag not in _SHAPE_WORDS:
            yield from _drawn_nodes(child)


def _holds_picture_or_chart(graphic: _Element) -> bool:
    """Whether the graphic draws a picture or chart itself (a picture in one of its text boxes is the box's)."""
    return any(node.tag in _PICTURES_AND_CHARTS for node in _drawn_nodes(graphic))


def graphic_kind(element: _Element) -> ObjectKind:
    """What a graphic (w:drawing, w:pict or w:object) is, as a reader would call it; a picture in one of its text
    boxes does not make a text box a picture."""
    if element.tag == qn("w:object"):
        return ObjectKind.OBJECT
    nodes = list(_drawn_nodes(element))
    data = next((n for n in nodes if n.tag == _GRAPHIC_DATA), None)
    uri = (data.get("uri") or "") if data is not None else ""
    if uri == _CHART_URI or uri.endswith("/chartex") or any(n.tag == _CX_CHART for n in nodes):
        return ObjectKind.CHART
    if uri.endswith("/diagram"):
        return ObjectKind.DIAGRAM
    if any(n.tag in (_A_BLIP, _V_IMAGE) for n in nodes):
        return ObjectKind.PICTURE
    return ObjectKind.SHAPE


_VML = "{urn:schemas-microsoft-com:vml}"
_VML_PLACE = frozenset(
    {
        "position",
        "left",
        "top",
        "margin-left",
        "margin-top",
        "mso-position-horizontal",
        "mso-position-vertical",
        "mso-position-horizontal-relative",
        "mso-position-vertical-relative",
    }
)
_A_MAIN = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_A_EXT, _A_XFRM, _GRAPHIC_DATA = f"{_A_MAIN}ext", f"{_A_MAIN}xfrm", f"{_A_MAIN}graphicData"
_W14_DRAWING = "{http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing}"
#: The DrawingML elements holding one aspect of how a graphic stands on the page, with all inside them.
_ASPECT_OF = {
    f"{{{_WPD}}}extent": "size",
    f"{{{_WPD}}}effectExtent": "size",
    f"{_W14_DRAWING}sizeRelH": "size",
    f"{_W14_DRAWING}sizeRelV": "size",
    f"{{{_WPD}}}simplePos": "place",
    f"{{{_WPD}}}positionH": "place",
    f"{{{_WPD}}}positionV": "place",
    f"{_A_MAIN}hlinkClick": "link",
    f"{_A_MAIN}hlinkHover": "link",
}
_PICTURES_AND_CHARTS = frozenset({_A_BLIP, _V_IMAGE, _C_CHART, _CX_CHART})
_A_EXT_LIST = f"{_A_MAIN}extLst"
#: Elements of a drawing holding only how Word lets it be edited (locks, resizing by the original size).
_EDITING_ONLY = frozenset(
    {
        f"{{{_WPD}}}cNvGraphicFramePr",
        "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPicPr",
        *(f"{_A_MAIN}{locks}" for locks in ("picLocks", "graphicFrameLocks", "spLocks", "grpSpLocks", "cxnSpLocks")),
    }
)
#: Attributes written with their default value, the same as left out: no distance from the text around a picture
#: in line with it, and the black-and-white mode (for printing in black and white only) left to the application.
_DEFAULTS = frozenset({("distT", "0"), ("distB", "0"), ("distL", "0"), ("distR", "0"), ("bwMode", "auto")})
_HEX_COLOUR = re.compile(r"#?[0-9A-Fa-f]{6}")
#: Where a shape keeps its words (compared as text), and attributes that only name or number it.
_SHAPE_WORDS = frozenset(
    {
        qn("w:txbxContent"),
        "{urn:schemas-microsoft-com:vml}textbox",
        "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}txbx",
    }
)
_SHAPE_IDS = frozenset(
    {
        "id",
        "name",
        "descr",
        "title",
        "alt",
        "{urn:schemas-microsoft-com:office:office}spid",
        "{http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing}anchorId",
        "{http://schemas.microsoft.com/office/word/2010/wordml}paraId",
        "{http://schemas.microsoft.com/office/word/2010/wordml}textId",
        "{http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing}editId",
        # Where the shape stands in the stacking order (Word renumbers it as others are added), and VML's copy of
        # the shape's DrawingML, which Word rewrites on each save.
        "relativeHeight",
        "{urn:schemas-microsoft-com:office:office}gfxdata",
    }
)


def header_footer_parts(document: DocxDocument) -> dict[str, StoryPart]:
    """Each section's headers and footers by where a reader finds them ("header of section 2, first page")."""
    found: dict[str, StoryPart] = {}
    sections = document.element.body.iter(qn("w:sectPr"))
    for number, section in enumerate(sections, start=1):
        for reference in section:
            if reference.tag not in (qn("w:headerReference"), qn("w:footerReference")):
                continue
            kind = "header" if reference.tag == qn("w:headerReference") else "footer"
            page = {"first": ", first page", "even": ", even pages"}.get(reference.get(qn("w:type")), "")
            part = document.part.related_parts.get(reference.get(_R_ID))
            if isinstance(part, StoryPart) and getattr(part, "element", None) is not None:
                found[f"{kind} of section {number}{page}"] = part
    return found


def _block_elements(container: _Element) -> Iterator[_Element]:
    """Paragraphs and tables in reading order, looking inside content controls and custom XML."""
    for child in container:
        tag = child.tag
        if tag in (_P, _TBL):
            yield child
        elif tag == _SDT:
            content = _child(child, _SDT_CONTENT)
            if content is not None:
                yield from _block_elements(content)
        elif tag == _CUSTOM_XML:
            yield from _block_elements(child)


_P, _TBL, _SDT, _SDT_CONTENT, _CUSTOM_XML = (
    qn("w:p"),
    qn("w:tbl"),
    qn("w:sdt"),
    qn("w:sdtContent"),
    qn("w:customXml"),
)


_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT_BOX = qn("w:txbxContent")


def paragraph_text(element: _Element, hidden: list[tuple[int, int]] | None = None) -> str:
    """The text of a paragraph (or run or cell) element: tabs and line breaks kept, field codes left out; the
    words of a text box in it on lines of their own after its own words, as the text view shows them. A page number
    or page count field whose stored result is a number reads as its placeholder ([page], [pages]): Word works the
    number out afresh on every page, so two versions saved at different lengths read alike (words typed into the
    stored result are compared as they stand). With hidden, the places (start, end) of the words their runs format
    Hidden are put in it."""
    parts: list[str] = []
    hidden_pieces: list[int] = []  # which of parts are hidden words
    fallback_seen = False
    fields: list[_TextField] = []  # the fields open at this point, outermost first
    simple: _Element | None = None  # a page number field written as one element (w:fldSimple)
    simple_result: list[str] = []
    for node in element.iter(_FALLBACK, _TEXT_BOX, *_TEXT_TAGS, *_FIELD_MARKS):
        tag = node.tag
        if tag == _FALLBACK:
            fallback_seen = True
            continue
        if fallback_seen and any(a.tag == _FALLBACK for a in node.iterancestors()):
            continue
        if tag == _TEXT_BOX:
            return _text_with_boxes(element)
        target = parts
        collecting = None
        if simple is not None or fields:  # inside a field: most text of most documents is not
            if simple is not None and simple not in node.iterancestors():
                parts.append(_page_result(simple.get(qn("w:instr")) or "", simple_result))
                simple, simple_result = None, []
            collecting = next((field.result for field in fields if field.result is not None), None)
            target = simple_result if simple is not None else collecting if collecting is not None else parts
        if tag == _FLD_SIMPLE:
            if simple is None and collecting is None and _page_field(node.get(qn("w:instr")) or ""):
                simple = node
            continue
        if tag == _INSTR_TEXT:
            if fields and not fields[-1].separated:
                fields[-1].code += node.text or ""
            continue
        if tag == _FLD_CHAR:
            kind = node.get(qn("w:fldCharType"))
            if kind == "begin":
                fields.append(_TextField())
            elif kind == "separate" and fields:
                field = fields[-1]
                field.separated = True
                if collecting is None and simple is None and _page_field(field.code):
                    field.result = []  # held until its end shows whether it is a number
            elif kind == "end" and fields:
                field = fields.pop()
                if field.result is not None:
                    parts.append(_page_result(field.code, field.result))
            continue
        if tag == _T:
            if hidden is not None and target is parts and _hidden_run(node.getparent()):
                hidden_pieces.append(len(parts))
            target.append(node.text or "")
        elif tag == _TAB:
            parent = node.getparent()
            if parent is not None and parent.tag == _R:
                target.append("\t")
        elif tag == _NO_BREAK_HYPHEN:
            target.append("-")
        elif tag == _SYM:
            code = node.get(qn("w:char"), "")
            character = chr(int(code, 16)) if re.fullmatch(r"[0-9A-Fa-f]{1,4}", code) else "\u25a1"
            # A symbol font's character (Wingdings' tick F0FC) as the character it shows.
            target.append(_BULLETS.get(character, character))
        elif node.get(_TYPE) not in ("page", "column"):  # a line break
            target.append("\n")
    if simple is not None:
        parts.append(_page_result(simple.get(qn("w:instr")) or "", simple_result))
    for field in fields:  # a field a damaged paragraph leaves open: its result as it stands
        if field.result is not None:
            parts.extend(field.result)
    if hidden_pieces and hidden is not None:
        starts = list(itertools.accumulate(map(len, parts), initial=0))
        for index in hidden_pieces:
            start, end = starts[index], starts[index + 1]
            if hidden and hidden[-1][1] == start:
                hidden[-1] = (hidden[-1][0], end)  # hidden words in a row: one stretch
            elif end > start:
                hidden.append((start, end))
    return "".join(parts)


def _hidden_run(run: _Element | None) -> bool:
    """Whether a run's own formatting makes it Hidden (w:vanish, not switched off)."""
    properties = _child(run, _RPR) if run is not None and run.tag == _R else None
    switch = _child(properties, _VANISH) if properties is not None else None
    return switch is not None and (switch.get(_VAL) or "true").strip().lower() not in OFF


@dataclass
class _TextField:
    """A field paragraph_text is reading: its code so far, whether its result has begun, and for a page number
    field its stored result, held back."""

    code: str = ""
    separated: bool = False
    result: list[str] | None = None


#: A page number as Word stores it in a field's result: digits, Roman numerals or letters, with a dash or two.
_STORED_PAGE_NUMBER = re.compile(r"\s*[-–]?\s*(\d+|[ivxlcdm]+|[a-z]{1,3})\s*[-–]?\s*", re.IGNORECASE)


def _page_result(code: str, result: list[str]) -> str:
    """A page number field as paragraph_text reads it: its placeholder where its stored result is a number (or
    nothing), else the words stored in it."""
    stored = "".join(result)
    return _page_field(code) if not stored or _STORED_PAGE_NUMBER.fullmatch(stored) else stored


_T, _TAB, _R, _SYM, _NO_BREAK_HYPHEN, _TYPE = (
    qn("w:t"),
    qn("w:tab"),
    qn("w:r"),
    qn("w:sym"),
    qn("w:noBreakHyphen"),
    qn("w:type"),
)
_TEXT_TAGS = (_T, _TAB, qn("w:br"), qn("w:cr"), _NO_BREAK_HYPHEN, _SYM)
#: What paragraph_text reads besides w:t.
_FLD_SIMPLE, _INSTR_TEXT, _FLD_CHAR = qn("w:fldSimple"), qn("w:instrText"), qn("w:fldChar")
#: What paragraph_text follows of fields (a page number's stored result read as its placeholder).
_FIELD_MARKS = (_FLD_CHAR, _INSTR_TEXT, _FLD_SIMPLE)
_MARKED_TEXT = (_FALLBACK, _TEXT_BOX, *_TEXT_TAGS[1:], *_FIELD_MARKS)


def _text_with_boxes(element: _Element) -> str:
    """paragraph_text of an element holding text boxes: its own words, then each box's paragraphs on lines of
    their own, so a box's words do not run into the paragraph's ("Here" and "Box", not "HereBox")."""
    own = copy.deepcopy(element)
    for box in list(own.iter(_TEXT_BOX)):
        parent = box.getparent()
        if parent is not None:
            parent.remove(box)
    lines = [paragraph_text(own)]
    for box in element.iter(_TEXT_BOX):
        if any(a.tag in (_FALLBACK, _TEXT_BOX) for a in box.iterancestors()):
            continue  # the copy an older application shows, or a box inside a box (read with its box)
        lines += [paragraph_text(block) for block in _block_elements(box)]
    return "\n".join(lines)


class _Styles:
    def __init__(self, document: DocxDocument) -> None:
        self.by_id: dict[str | None, _Element] = {}
        self._names: dict[str | None, str] = {}
        self._found: dict[tuple[str | None, str], _Element | None] = {}
        self.default_paragraph = None
        for style in document.styles.element.findall(qn("w:style")):
            self.by_id[style.get(qn("w:styleId"))] = style
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
                self.default_paragraph = style.get(qn("w:styleId"))

    def chain(self, style_id: str | None) -> Iterator[_Element]:
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None

    def name(self, style_id: str | None) -> str:
        if style_id not in self._names:  # asked for every paragraph; a document uses a few styles
            style = self.by_id.get(style_id or self.default_paragraph)
            name = style.find(qn("w:name")) if style is not None else None
            value = name.get(qn("w:val")) if name is not None else None
            self._names[style_id] = _ui_name(value if value is not None else (style_id or "Normal"))
        return self._names[style_id]

    def find(self, style_id: str | None, path: str) -> _Element | None:
        key = (style_id, path)
        if key not in self._found:  # the same few styles are asked about for every paragraph
            self._found[key] = next(
                (
                    found
                    for style in self.chain(style_id or self.default_paragraph)
                    for found in [style.find(path)]
                    if found is not None
                ),
                None,
            )
        return self._found[key]


def _ui_name(name: str) -> str:
    """Word stores built-in style names in lower case ('heading 1'); show them as Word does."""
    return (
        name[0].upper() + name[1:]
        if name[:1].islower()
        and name.split(" ")[0] in ("heading", "caption", "title", "footer", "header", "normal", "subtitle", "list")
        else name
    )


class _Numbering:
    """Word's list numbering: counters per list, restarting deeper levels, formatted by lvlText."""

    def __init__(self, document: DocxDocument, styles: _Styles) -> None:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        self.levels: dict[str | None, dict[int, _Element]] = {}
        self.nums: dict[str | None, tuple[str | None, dict[int, _Element]]] = {}
        self.style_links: dict[str | None, str | None] = {}
        if root is not None:
            for abstract in root.findall(qn("w:abstractNum")):
                key = abstract.get(qn("w:abstractNumId"))
                self.levels[key] = {_int(lvl.get(qn("w:ilvl"))): lvl for lvl in abstract.findall(qn("w:lvl"))}
                link = abstract.find(qn("w:numStyleLink"))
                if link is not None:
                    self.style_links[key] = link.get(qn("w:val"))
            for num in root.findall(qn("w:num")):
                abstract = num.find(qn("w:abstractNumId"))
                overrides = {_int(o.get(qn("w:ilvl"))): o for o in num.findall(qn("w:lvlOverride"))}
                if abstract is not None:
                    self.nums[num.get(qn("w:numId"))] = (abstract.get(qn("w:val")), overrides)
        self.styles = styles
        self.counters: dict[str | None, dict[int, int]] = {}
        self.started: set[str] = set()
        self._lists: dict[tuple[str, int], _ListLevel | None] = {}
        self._style_lists: dict[str | None, tuple[str | None, str | None] | None] = {}
        """For each paragraph style, the list (numId) and level (ilvl) it puts its paragraphs in, if any."""

    def _abstract(self, num_id: str) -> tuple[str | None, dict[int, _Element]] | None:
        found = self.nums.get(num_id)
        if found is None:
            return None
        abstract, overrides = found
        linked = self.style_links.get(abstract)
        if linked is not None:  # the list's definition lives with a numbering style
            num_pr = self.styles.find(linked, f"{qn('w:pPr')}/{qn('w:numPr')}")
            target = num_pr.find(qn("w:numId")) if num_pr is not None else None
            if target is not None and target.get(qn("w:val")) in self.nums:
                abstract = self.nums[target.get(qn("w:val"))][0]
        return abstract, overrides

    def number(self, num_pr: _Element | None, style_id: str | None) -> str | None:
        """The list number of a paragraph, given its own numbering (w:numPr, None when it has none) and style."""
        if style_id not in self._style_lists:  # asked for every paragraph; a document uses a few styles
            style_num_pr = self.styles.find(style_id, _PPR_NUM_PR)
            self._style_lists[style_id] = (
                None if style_num_pr is None else (_val(style_num_pr, "w:numId"), _val(style_num_pr, "w:ilvl"))
            )
        style_list = self._style_lists[style_id]
        if num_pr is None and style_list is None:
            return None  # most paragraphs of most documents
        own_ilvl, own_id = _children(num_pr, _LIST_PLACE) if num_pr is not None else [None, None]
        style_id_value, style_ilvl = style_list if style_list is not None else (None, None)
        num_id = (own_id.get(_VAL) if own_id is not None else None) or style_id_value
        if not num_id or num_id == "0":
            return None
        ilvl = _int((own_ilvl.get(_VAL) if own_ilvl is not None else None) or style_ilvl)
        key = (num_id, ilvl)
        if key not in self._lists:  # every numbered paragraph asks; a long document has thousands in a few lists
            self._lists[key] = self._list_level(num_id, ilvl)
        level = self._lists[key]
        if level is None:
            return None
        counters = self.counters.setdefault(level.abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for override_level, override in level.overrides.items():
                restart = override.find(qn("w:startOverride"))
                if restart is not None:
                    counters[override_level] = _int(restart.get(qn("w:val")), 1) - 1
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.bullet is not None:
            return level.bullet
        return "".join(
            piece if isinstance(piece, str) else _format_number(counters.get(piece[0], piece[1]), piece[2])
            for piece in level.pieces
        )

    def _list_level(self, num_id: str, ilvl: int) -> _ListLevel | None:
        """What a list's level says of its numbers, read once: None when the list or level is not defined."""
        resolved = self._abstract(num_id)
        if resolved is None:
            return None
        abstract, overrides = resolved
        level = self._level(abstract, overrides, ilvl)
        if level is None:
            return None
        start, text, fmt = _level_format(level)
        if fmt == "bullet":
            return _ListLevel(abstract, overrides, start, "".join(_BULLETS.get(ch, ch) for ch in text) or "•", ())
        pieces: list[str | tuple[int, int, str]] = []
        legal = level.find(qn("w:isLgl"))
        # Legal numbering (Word's "Legal style numbering"): every level's number in the text shown in digits (I.1
        # shows as 1.1).
        legal_style = legal is not None and (legal.get(_VAL) or "true").strip().lower() not in OFF
        if fmt != "none":
            # lvlText's references to levels ("%1.%2."), each with the first number and format of its level.
            for index, piece in enumerate(_LEVEL_REFERENCE.split(text)):
                if index % 2 == 0:
                    pieces.append(piece)
                    continue
                referred = int(piece) - 1
                other = self._level(abstract, overrides, referred)
                if other is None:
                    pieces.append((referred, 1, "decimal"))
                else:
                    other_start, _text, other_format = _level_format(other)
                    pieces.append((referred, other_start, "decimal" if legal_style else other_format))
        return _ListLevel(abstract, overrides, start, None, tuple(pieces))

    def _level(self, abstract: str | None, overrides: dict[int, _Element], ilvl: int) -> _Element | None:
        override = overrides.get(ilvl)
        if override is not None and override.find(qn("w:lvl")) is not None:
            return override.find(qn("w:lvl"))
        return self.levels.get(abstract, {}).get(ilvl)


@dataclass(frozen=True)
class _ListLevel:
    """One level of one list (w:num), as its paragraphs' numbers are made."""

    abstract: str | None
    """The list definition (w:abstractNum) whose counters the level counts with."""
    overrides: dict[int, _Element]
    """The list's own changes to its definition's levels (w:lvlOverride), by level."""
    start: int
    bullet: str | None
    """The bullet a bulleted level shows; None for a numbered level."""
    pieces: tuple[str | tuple[int, int, str], ...]
    """The level's text (lvlText): literal text, and for each reference to a level's number (%1), that level, its
    first number and its format."""


def _level_format(level: _Element) -> tuple[int, str, str]:
    """A list level's start, text (such as "%1.%2") and number format."""
    return _int(_val(level, "w:start"), 1), _val(level, "w:lvlText") or "", _val(level, "w:numFmt") or "decimal"


_PPR = qn("w:pPr")
_NUM_PR = qn("w:numPr")
_PSTYLE = qn("w:pStyle")
_OUTLINE_LVL = qn("w:outlineLvl")
_VAL = qn("w:val")
_PPR_NUM_PR = f"{_PPR}/{_NUM_PR}"
_PPR_OUTLINE = f"{_PPR}/{_OUTLINE_LVL}"
#: A reference to a level's number in a list level's text ("%1.%2.").
_LEVEL_REFERENCE = re.compile(r"%([1-9])")
_HEADING_STYLE = re.compile(r"Heading (\d)")


def _int(text: str | None, default: int = 0) -> int:
    """A number attribute, or the default where a hand-made file leaves it out or garbles it."""
    return int(text) if text is not None and text.lstrip("-").isdigit() else default


_new_object = object.__new__


def _val(element: _Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = _child(element, qn(path))
    return found.get(_VAL) if found is not None else None


# lxml's find() goes through its Python ElementPath for even one tag name; reading a long document asks several
# times per paragraph, so a child is found with iterchildren, which find() itself uses, and with a look at the
# first child before that (where a paragraph's properties stand).
def _child(element: _Element, tag: str) -> _Element | None:
    """The element's first child of the kind tag (a Clark name), as element.find(tag) finds it."""
    for child in element:
        if child.tag == tag:
            return child
        break
    return next(element.iterchildren(tag), None)


def _children(element: _Element, tags: tuple[str, ...]) -> list[_Element | None]:
    """The element's first child of each of the kinds tags, in one look at its children."""
    found: list[_Element | None] = [None] * len(tags)
    for child in element:
        tag = child.tag
        if tag in tags and found[tags.index(tag)] is None:
            found[tags.index(tag)] = child
    return found


def _grandchild(element: _Element, tag: str, inner: str) -> _Element | None:
    """The first inner child of a tag child of the element, as element.find(f"{tag}/{inner}") finds it."""
    for child in element.iterchildren(tag):
        found = next(child.iterchildren(inner), None)
        if found is not None:
            return found
    return None


def format_number(value: int, fmt: str) -> str:
    """A list number in a level's number format (numFmt): 3 as "3", "c", "iii", "03"."""
    return _format_number(value, fmt)


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman, rest = "", value
        for amount, numeral in _ROMAN:
            while rest >= amount:
                roman, rest = roman + numeral, rest - amount
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        return f"{value}{suffix}"
    if fmt in ("cardinalText", "ordinalText") and 0 < value < 1000:
        words = _number_words(value, ordinal=fmt == "ordinalText")
        return words[0].upper() + words[1:]  # Word shows One, Two / First, Second
    return str(value)


_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def _number_words(value: int, *, ordinal: bool) -> str:
    """1 to 999 in English words, as Word's cardinalText and ordinalText list numbers show them (one hundred
    twenty-first)."""
    hundreds, rest = divmod(value, 100)
    below = _UNITS[rest] if rest < 20 else _TENS[rest // 10] + (f"-{_UNITS[rest % 10]}" if rest % 10 else "")
    words = " ".join(([f"{_UNITS[hundreds]} hundred"] if hundreds else []) + ([below] if rest or not hundreds else []))
    if not ordinal:
        return words
    cut = max(words.rfind(" "), words.rfind("-")) + 1
    head, last = words[:cut], words[cut:]
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + last


_PARAGRAPH_PROPERTIES = (_PSTYLE, _NUM_PR, _OUTLINE_LVL)
_LIST_PLACE = (qn("w:ilvl"), qn("w:numId"))
_TR, _TC, _TR_PR, _TBL_HEADER = qn("w:tr"), qn("w:tc"), qn("w:trPr"), qn("w:tblHeader")


class _Reader:
    def __init__(self, document: DocxDocument) -> None:
        self.styles = _Styles(document)
        self.numbering = _Numbering(document, self.styles)
        self._headings: dict[tuple[str | None, str | None], int | None] = {}
        self.text_alone = False
        """Whether the paragraphs read hold no text but w:t (see read_body), so their text is read from those."""

    def paragraph(self, element: _Element) -> Paragraph:
        properties = _child(element, _PPR)
        found = _children(properties, _PARAGRAPH_PROPERTIES) if properties is not None else [None, None, None]
        style, num_pr, outline = found
        style_id = style.get(_VAL) if style is not None else None
        name = self.styles.name(style_id)
        # The Paragraph that Paragraph(...) makes, its fields put in its __dict__ in field order as copying one does:
        # a frozen dataclass's __init__ sets each through object.__setattr__, and a long document has thousands (#11).
        paragraph: Paragraph = _new_object(Paragraph)
        hidden: list[tuple[int, int]] = []
        if next(element.iter(_VANISH), None) is not None:  # words formatted Hidden: a few paragraphs of a few documents
            text = paragraph_text(element, hidden)
        else:
            text = "".join([t.text or "" for t in element.iter(_T)]) if self.text_alone else paragraph_text(element)
        paragraph.__dict__.update(
            text=text,
            number=self.numbering.number(num_pr, style_id),
            style=name,
            heading_level=self._heading_level(outline.get(_VAL) if outline is not None else None, style_id, name),
            hidden=tuple(hidden),
        )
        return paragraph

    def _heading_level(self, outline: str | None, style_id: str | None, name: str) -> int | None:
        """The heading level of a paragraph of the style (name is its name) with its own outline level, if any."""
        key = (outline, style_id)
        if key not in self._headings:  # every paragraph asks; a document uses a few styles and levels
            self._headings[key] = self._outline_level(outline, style_id, name)
        return self._headings[key]

    def _outline_level(self, outline: str | None, style_id: str | None, name: str) -> int | None:
        if outline is None:
            found = self.styles.find(style_id, _PPR_OUTLINE)
            outline = found.get(_VAL) if found is not None else None
        if outline is not None and outline.isdigit() and int(outline) < 9:
            return int(outline) + 1
        match = _HEADING_STYLE.fullmatch(name)
        if match:
            return int(match.group(1))
        return 1 if name == "Title" else None

    def table(self, element: _Element, *, caption: str | None) -> Table:
        rows = []
        header_rows = 0
        counting_header = True
        for row in inside_controls(element, _TR):
            is_header = _grandchild(row, _TR_PR, _TBL_HEADER) is not None
            if counting_header and is_header:
                header_rows += 1
            else:
                counting_header = False
            cells = [
                "\n".join(line for block in _block_elements(cell) for line in self.cell_lines(block))
                for cell in inside_controls(row, _TC)
            ]
            rows.append(tuple(cells))
        return Table(rows=tuple(rows), header_rows=header_rows, caption=caption)

    def cell_lines(self, block: _Element) -> list[str]:
        """The lines of a paragraph or table inside a table cell, the paragraph's list number before its text, an
        inner table's rows as text."""
        return _cell_lines(self.paragraph(block) if block.tag == _P else self.table(block, caption=None))


# ---------------------------------------------------------------- everything a reader sees (jtai-docs text)

_MATH = functools.partial("{{{}}}{}".format, _M)
_NOTE_RELS = {
    "footnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
    "endnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes",
    "comment": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
}
#: Word's default numbering of footnotes (1, 2, 3) and endnotes (i, ii, iii) when the document sets none.
_NOTE_FORMATS = {"footnote": "decimal", "endnote": "lowerRoman"}
_CHICAGO = ("*", "†", "‡", "§")
#: A comment's anchor text longer than this is shortened: enough to find it in the body above.
_ANCHOR = 60
#: Parts of a paragraph that hold no text a reader sees: properties, field codes, what a text box's
#: markup-compatibility fallback repeats, a content control's settings.
_UNSEEN = frozenset(
    {
        qn("w:pPr"),
        qn("w:rPr"),
        qn("w:instrText"),
        qn("w:delInstrText"),
        qn("w:delText"),
        qn("w:sdtPr"),
        qn("w:sdtEndPr"),
        _FALLBACK,
    }
)


def read_document_view(path: Path) -> DocumentView:
    """Everything a reader sees in the document, in reading order, tracked changes accepted: each section's
    headers, its body (text boxes after the paragraph holding them, content controls in place, note marks such
    as [1] and equations as Word's linear text), its footers; then the footnotes, endnotes and comments."""
    return DocumentView(name=path.name, stories=_ViewBuilder(open_document(path)).stories())


class _ViewBuilder:
    """Reads the stories of one document; notes are numbered as their marks are met in reading order."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        settings = _settings_root(document)
        self.even_pages = settings is not None and _on(settings.find(qn("w:evenAndOddHeaders")))
        self.note_roots = {kind: _part_root(document, reltype) for kind, reltype in _NOTE_RELS.items()}
        self.settings = settings
        self.note_formats = {kind: _note_format(kind, settings, None) for kind in _NOTE_FORMATS}
        self.counters = {kind: 0 for kind in _NOTE_FORMATS}
        self.marks: dict[str, dict[str | None, str]] = {kind: {} for kind in _NOTE_FORMATS}
        self.comments: list[str | None] = []

    def stories(self) -> tuple[Story, ...]:
        body = revisions.accept_all(self.document.element.body)
        reader = _ViewReader(self.document, self)
        breaks = f"{qn('w:pPr')}/{qn('w:sectPr')}"
        # Each section's own note numbering (format, first number, restart) applies to the marks in it.
        properties = [
            e.find(breaks) for e in _block_elements(body) if e.tag == qn("w:p") and e.find(breaks) is not None
        ]
        properties.append(body.find(qn("w:sectPr")))
        self._number_notes_as(properties[0])
        sections: list[tuple[list[Paragraph | Table | Story], _Element | None]] = [([], None)]
        for element in _block_elements(body):
            sections[-1][0].extend(reader.blocks_of(element))
            section = element.find(breaks) if element.tag == qn("w:p") else None
            if section is not None:
                sections[-1] = (sections[-1][0], section)
                sections.append(([], None))
                self._number_notes_as(properties[min(len(sections), len(properties)) - 1])
                for kind in self.counters:
                    if self.note_formats[kind][2]:  # numbering restarts in each section
                        self.counters[kind] = 0
        sections[-1] = (sections[-1][0], body.find(qn("w:sectPr")))
        if not sections[-1][0] and len(sections) > 1 and sections[-1][1] is None:
            sections.pop()
        stories: list[Story] = []
        inherited: dict[tuple[str, str], str] = {}
        shown: dict[tuple[str, str], tuple[Paragraph | Table | Story, ...]] = {}
        for number, (blocks, section) in enumerate(sections, start=1):
            references = dict(inherited)
            for reference in section if section is not None else ():
                if reference.tag in (qn("w:headerReference"), qn("w:footerReference")):
                    kind = "header" if reference.tag == qn("w:headerReference") else "footer"
                    references[(kind, reference.get(qn("w:type")) or "default")] = reference.get(_R_ID) or ""
            inherited = references
            title_page = section is not None and _on(section.find(qn("w:titlePg")))
            types = [t for t, wanted in (("first", title_page), ("default", True), ("even", self.even_pages)) if wanted]
            for kind in ("header", "footer"):
                parts = []
                for page in types:
                    story = self._header_footer(kind, page, number, references.get((kind, page)), shown)
                    if story is not None:
                        parts.append(story)
                if kind == "header":
                    stories += parts
                    stories.append(Story(kind="body", title=f"section {number}", blocks=tuple(blocks)))
                else:
                    stories += parts
        stories += self._notes()
        return tuple(stories)

    def _number_notes_as(self, section: _Element | None) -> None:
        self.note_formats = {kind: _note_format(kind, self.settings, section) for kind in _NOTE_FORMATS}

    def _header_footer(
        self,
        kind: str,
        page: str,
        number: int,
        rid: str | None,
        shown: dict[tuple[str, str], tuple[Paragraph | Table | Story, ...]],
    ) -> Story | None:
        """A header or footer as Word shows it; one the same as the previous section's is named, not repeated."""
        part = self.document.part.related_parts.get(rid) if rid else None
        element = getattr(part, "element", None) if isinstance(part, XmlPart) else None
        if element is None:
            return None
        reader = _ViewReader(self.document, self, part=part)
        blocks = tuple(b for e in _block_elements(revisions.accept_all(element)) for b in reader.blocks_of(e))
        if not _has_text(blocks):
            return None
        pages = {"first": ", first page", "even": ", even pages", "default": ", odd pages" if self.even_pages else ""}
        title = f"{kind} of section {number}{pages[page]}"
        if shown.get((kind, page)) == blocks:
            return Story(kind="part", title=f"{title}: same as previous", blocks=())
        shown[(kind, page)] = blocks
        return Story(kind="part", title=title, blocks=blocks)

    def note_mark(self, kind: str, reference: _Element) -> str:
        """The mark Word shows for a footnote or endnote reference, numbering it; "" for a custom mark, whose
        own text follows in the paragraph."""
        if _on(reference.get(qn("w:customMarkFollows")), absent=False):
            run = reference.getparent()
            following = run.getnext() if run is not None else None
            mark = paragraph_text(following).strip() if following is not None else ""
            self.marks[kind].setdefault(reference.get(qn("w:id")), mark or "*")
            return ""
        fmt, start, _restart = self.note_formats[kind]
        self.counters[kind] += 1
        value = start + self.counters[kind] - 1
        chicago = _CHICAGO[(value - 1) % 4] * ((value - 1) // 4 + 1)
        mark = chicago if fmt == "chicago" else _format_number(value, fmt)
        self.marks[kind].setdefault(reference.get(qn("w:id")), mark)
        return f"[{mark}]"

    def comment_seen(self, comment_id: str | None) -> None:
        if comment_id not in self.comments:
            self.comments.append(comment_id)

    def _notes(self) -> list[Story]:
        """The footnotes and endnotes by their marks, and the comments with their authors and the text they are
        about, in the order the text refers to them (Word shows no others)."""
        stories = []
        for kind in ("footnote", "endnote", "comment"):
            root = self.note_roots[kind]
            if root is None:
                continue
            root = revisions.accept_all(root)
            notes = {note.get(qn("w:id")): note for note in root.findall(qn(f"w:{kind}"))}
            order: list[tuple[str | None, str]] = (
                list(self.marks[kind].items())
                if kind != "comment"
                else [(key, f"comment {n}") for n, key in enumerate(self.comments, start=1)]
            )
            anchors = _comment_anchors(revisions.accept_all(self.document.element.body)) if kind == "comment" else {}
            found = []
            reader = _ViewReader(self.document, self)
            for key, mark in order:
                note = notes.get(key)
                if note is None:
                    continue
                blocks = tuple(b for e in _block_elements(note) for b in reader.blocks_of(e))
                lead = ""
                if kind == "comment":
                    author = note.get(qn("w:author")) or "Unknown"
                    anchor = " ".join(anchors.get(key, "").split())
                    if len(anchor) > _ANCHOR:
                        anchor = anchor[: _ANCHOR - 1].rstrip() + "…"
                    lead = f'{author} on "{anchor}": ' if anchor else f"{author}: "
                found.append(Story(kind="note", title=mark, blocks=_strip_first(blocks), lead=lead))
            if found:
                stories.append(Story(kind="part", title=f"{kind}s", blocks=tuple(found)))
        return stories


def note_marks(document: DocxDocument) -> dict[str, dict[str | None, str]]:
    """Each footnote's and endnote's mark ("1", "ii") and each comment's number ("comment 2") by its id, as the
    text view (jtai-docs text) shows them, so a reviewer finds the note a summary names."""
    builder = _ViewBuilder(document)
    builder.stories()
    marks = {kind: dict(found) for kind, found in builder.marks.items()}
    marks["comment"] = {key: f"comment {n}" for n, key in enumerate(builder.comments, start=1)}
    return marks


def note_element(document: DocxDocument, kind: str, note_id: str | None) -> tuple[Any, _Element] | None:
    """The part holding a footnote, endnote or comment and the note's XML (the tree the redline changes), by its
    id; None when the document has no such note."""
    try:
        part = document.part.part_related_by(_NOTE_RELS[kind])
    except KeyError:
        return None
    root = part_root(part)
    found = (
        next((n for n in root.findall(qn(f"w:{kind}")) if n.get(qn("w:id")) == note_id), None)
        if root is not None
        else None
    )
    return (part, found) if found is not None else None


def _strip_first(blocks: tuple[Paragraph | Table | Story, ...]) -> tuple[Paragraph | Table | Story, ...]:
    """A note's blocks without the space Word puts after the note's own mark."""
    if blocks and isinstance(blocks[0], Paragraph):
        first = blocks[0]
        return (Paragraph(first.text.lstrip(" \t"), first.number, first.style, first.heading_level), *blocks[1:])
    return blocks


def _has_text(blocks: tuple[Paragraph | Table | Story, ...]) -> bool:
    for block in blocks:
        if isinstance(block, Paragraph) and block.text.strip():
            return True
        if isinstance(block, Table) and any(cell.strip() for row in block.rows for cell in row):
            return True
        if isinstance(block, Story) and _has_text(block.blocks):
            return True
    return False


def _on(element: _Element | str | None, *, absent: bool = True) -> bool:
    """Whether an on/off property is on: present without a value, or valued true, 1 or on."""
    if element is None:
        return False
    value = element if isinstance(element, str) else element.get(qn("w:val"))
    if value is None:
        return absent
    return value.lower() in ("1", "true", "on")


def _settings_root(document: DocxDocument) -> _Element | None:
    try:
        part = document.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
        )
    except KeyError:
        return None
    return part_root(part)


def _part_root(document: DocxDocument, reltype: str) -> _Element | None:
    try:
        part = document.part.part_related_by(reltype)
    except KeyError:
        return None
    return part_root(part)


#: Parses the parts python-docx keeps as bytes (footnotes, endnotes, Word 2010's copy of the styles).
_PART_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=False)


def part_root(part: object) -> _Element | None:
    """The XML of a package part, parsed once: python-docx's own tree where it parsed the part, otherwise the part's
    bytes parsed on first asking and kept on the part, so that reading a document's notes for the list of changes,
    for each story's objects and for the redline reads one tree (#11). None for a part that holds no bytes.

    The redline changes this tree in place: changed_part_root() marks a part whose tree is to be written back."""
    root: _Element | None = getattr(part, "element", None)
    if root is not None:
        return root
    root = getattr(part, "_jtai_root", None)
    if root is None:
        blob = getattr(part, "blob", None)
        if not isinstance(blob, bytes):
            return None
        root = etree.fromstring(blob, _PART_PARSER)
        part._jtai_root = root  # type: ignore[attr-defined]
    return root


def changed_part_root(part: object) -> _Element:
    """part_root() of a part whose XML is about to be changed: a part held as bytes is marked so that its tree is
    written back as its bytes when the package is packed (store_part_roots)."""
    root = part_root(part)
    if root is None:
        raise ValueError(f"the part {getattr(part, 'partname', part)} holds no XML")
    if getattr(part, "element", None) is None:
        part._jtai_changed = True  # type: ignore[attr-defined]
    return root


def store_part_roots(parts: Iterable[object]) -> None:
    """Writes back, as their bytes, the XML of the parts held as bytes that changed_part_root() handed out."""
    for part in parts:
        if getattr(part, "_jtai_changed", False):
            root = part._jtai_root  # type: ignore[attr-defined]
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)  # type: ignore[attr-defined]


def _note_format(kind: str, settings: _Element | None, section: _Element | None) -> tuple[str, int, bool]:
    """(number format, first number, restarts in each section) of footnotes or endnotes: the document's setting,
    a section's own setting over it, Word's default where neither says."""
    fmt, start, restart = _NOTE_FORMATS[kind], 1, False
    for holder in (settings, section):
        found = holder.find(qn(f"w:{kind}Pr")) if holder is not None else None
        if found is None:
            continue
        fmt = _val(found, "w:numFmt") or fmt
        start = _int(_val(found, "w:numStart"), start)
        restart = (_val(found, "w:numRestart") or ("eachSect" if restart else "")) == "eachSect"
    return fmt, start, restart


def _comment_anchors(root: _Element) -> dict[str | None, str]:
    """The text each comment is about: what lies between its range start and end, in reading order."""
    anchors: dict[str | None, list[str]] = {}
    open_ranges: set[str | None] = set()
    for node in _walk_seen(root):
        if node.tag == qn("w:commentRangeStart"):
            open_ranges.add(node.get(qn("w:id")))
            anchors.setdefault(node.get(qn("w:id")), [])
        elif node.tag == qn("w:commentRangeEnd"):
            open_ranges.discard(node.get(qn("w:id")))
        elif node.tag in (_T, _MATH("t")) and open_ranges:
            for key in open_ranges:
                anchors[key].append(node.text or "")
        elif node.tag == qn("w:p") and open_ranges:
            for key in open_ranges:
                anchors[key].append(" ")
    return {key: "".join(parts) for key, parts in anchors.items()}


def _walk_seen(element: _Element) -> Iterator[_Element]:
    """The element and its descendants in document order, without the parts holding no text a reader sees."""
    yield element
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _UNSEEN:
            yield from _walk_seen(child)


class _ViewReader(_Reader):
    """Reads paragraphs and tables as _Reader does, with what else a reader sees in them: note marks,
    equations, text boxes, and rows and cells inside content controls."""

    def __init__(self, document: DocxDocument, builder: _ViewBuilder, *, part: object = None) -> None:
        super().__init__(document)
        self.builder = builder
        self.part = part if part is not None else document.part
        """The part whose relationships the story's objects name (a header's own, or the document's)."""
        self.boxes: list[_Element] = []
        self.previous: Paragraph | None = None
        self.fields: list[_Field] = []
        """The paragraph's fields begun and not yet ended."""
        self.run_styles = styles_of_document(document)
        """The document's styles, through which a run's capitals and hidden words are read."""

    def blocks_of(self, element: _Element) -> list[Paragraph | Table | Story]:
        """A paragraph or table, followed by the text boxes anchored in it."""
        self.boxes = []
        block: Paragraph | Table
        if element.tag == qn("w:p"):
            block = self.paragraph(element)
            self.previous = block
        else:
            previous = self.previous
            caption = previous.text.strip() if previous is not None and _CAPTION.match(previous.text) else None
            block = self.table(element, caption=caption)
            self.previous = None
        return [block, *self._text_boxes()]

    def _text_boxes(self) -> list[Story]:
        boxes, self.boxes = self.boxes, []
        stories = []
        for box in boxes:
            inner: list[Paragraph | Table | Story] = []
            for element in _block_elements(box):
                inner += self.blocks_of(element)
            if _has_text(tuple(inner)):  # a shape with room for text but none in it shows nothing
                stories.append(Story(kind="part", title="text box", blocks=tuple(inner)))
        return stories

    def paragraph(self, element: _Element) -> Paragraph:
        read = super().paragraph(element)
        return Paragraph(
            text=self.text(element), number=read.number, style=read.style, heading_level=read.heading_level
        )

    def text(self, element: _Element) -> str:
        """What a reader sees of a paragraph: paragraph_text's characters, with note marks and equations in
        place; text boxes are kept for after the paragraph."""
        parts: list[str] = []
        self.fields = []  # a field left open by a damaged paragraph must not hide the next one's text
        self._text(element, parts)
        text = "".join(parts)
        if _HIDDEN_START in text:
            # Hidden words in a row are one stretch; the spaces at its ends stand outside the mark.
            text = re.sub(f"{_HIDDEN_END}(\\s*){_HIDDEN_START}", r"\1", text)
            text = re.sub(f"{_HIDDEN_START}(\\s+)", lambda m: m.group(1) + _HIDDEN_START, text)
            text = re.sub(f"(\\s+){_HIDDEN_END}", lambda m: _HIDDEN_END + m.group(1), text)
            text = text.replace(_HIDDEN_START, "[hidden: ").replace(_HIDDEN_END, "]")
        return text

    def _text(self, node: _Element, parts: list[str]) -> None:
        for child in node:
            tag = child.tag
            if tag in _FIELD_TAGS:
                self._field(child, parts)
                continue
            if not isinstance(tag, str) or tag in _UNSEEN:
                continue
            switches = self._switches(child, node) if tag == _R else None
            if switches:
                # Words formatted All Caps read in capitals; Hidden words are not seen in Word or in print, so
                # they are shown marked, [hidden: ...], rather than as ordinary words.
                inner: list[str] = []
                self._text(child, inner)
                words = "".join(inner)
                if "caps" in switches:
                    words = words.upper()
                parts.append(f"{_HIDDEN_START}{words}{_HIDDEN_END}" if "vanish" in switches and words else words)
                continue
            if tag == _PTAB:
                parts.append("\t")  # an absolute-position tab (Word's header and footer alignment tabs)
                continue
            if any(field.replaced for field in self.fields) and tag not in _CONTAINERS:
                continue  # a page number's stored result, shown as its placeholder instead
            if tag == qn("w:fldSimple") and _page_field(child.get(qn("w:instr")) or ""):
                parts.append(_page_field(child.get(qn("w:instr")) or ""))
            elif tag == qn("w:txbxContent"):
                self.boxes.append(child)
            elif tag in _GRAPHICS and child.find(f".//{qn('w:txbxContent')}") is None:
                parts.append(graphic_label(child, self.part))
            elif tag == _MATH("oMath"):
                parts.append(linear_math(child))
            elif tag in _TEXT_TAGS:
                parts.append(paragraph_text(child) if tag != _TAB or node.tag == _R else "")
            elif tag == qn("w:footnoteReference"):
                parts.append(self.builder.note_mark("footnote", child))
            elif tag == qn("w:endnoteReference"):
                parts.append(self.builder.note_mark("endnote", child))
            elif tag in (qn("w:commentReference"), qn("w:commentRangeStart")):
                self.builder.comment_seen(child.get(qn("w:id")))
            else:
                self._text(child, parts)

    def _field(self, node: _Element, parts: list[str]) -> None:
        """Follows a field's begin, code, separator and end: a page number or page count shows as a placeholder
        ([page], [pages]), since it differs from page to page and its stored result is only the last one Word
        saved; other fields show their result."""
        if node.tag == qn("w:instrText"):
            if self.fields and not self.fields[-1].separated:
                self.fields[-1].code += node.text or ""
            return
        kind = node.get(qn("w:fldCharType"))
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            field = self.fields[-1]
            field.separated = True
            placeholder = _page_field(field.code)
            if placeholder and not any(f.replaced for f in self.fields):
                parts.append(placeholder)
                field.replaced = True
        elif kind == "end" and self.fields:
            field = self.fields.pop()
            placeholder = _page_field(field.code)
            if placeholder and not field.separated and not any(f.replaced for f in self.fields):
                parts.append(placeholder)

    def cell_lines(self, block: _Element) -> list[str]:
        """As _Reader's, with what else a reader sees in the cell (text boxes, notes, equations, pictures)."""
        return [line for read in self.blocks_of(block) for line in _cell_lines(read)]

    def _switches(self, run: _Element, holder: _Element) -> set[str]:
        """The on/off run properties that are on for the run (Font dialog: All caps, Hidden), by local name, as set
        on the run itself, by its character style or by its paragraph's style (each style saying "on" turns a
        toggle over, ECMA-376 §17.7.3)."""
        paragraph = holder if holder.tag == _P else next(holder.iterancestors(_P), None)
        properties = _child(run, _RPR)
        if paragraph is None:  # never: a run is read inside its paragraph
            return set()
        run_style = properties.find(_RSTYLE) if properties is not None else None
        styles = self.run_styles
        found: set[str] = set()
        for name in _RUN_PROPERTIES_SEEN:
            own = _child(properties, qn(f"w:{name}")) if properties is not None else None
            switch = styles.run_aspect(
                qn(f"w:{name}"), paragraph, run_style.get(_VAL) if run_style is not None else None, own
            )
            if switch is not None and (switch.get(_VAL) or "true").strip().lower() not in OFF:
                found.add(name)
        return found


#: Where hidden words start and end in a paragraph's text as the view reads it (no text holds these characters).
_HIDDEN_START, _HIDDEN_END = "\x02", "\x03"
_PTAB = qn("w:ptab")
#: Run properties that change what a reader sees of the words: capitals, hidden.
_RUN_PROPERTIES_SEEN = frozenset({"caps", "vanish"})
_RPR = qn("w:rPr")
_RSTYLE = qn("w:rStyle")
_VANISH = qn("w:vanish")


@dataclass
class _Field:
    """A field being read: its code so far, whether its result has begun, whether a placeholder replaces it."""

    code: str = ""
    separated: bool = False
    replaced: bool = False


_GRAPHICS = frozenset({qn("w:drawing"), qn("w:pict"), qn("w:object")})

_BR = qn("w:br")
#: The elements _Objects.describe() names: a story without any of them has no objects to describe.
_DESCRIBED = (
    _A_BLIP,
    _V_IMAGE,
    _C_CHART,
    _CX_CHART,
    *_GRAPHICS,
    qn("w:hyperlink"),
    qn("w:footnoteReference"),
    qn("w:endnoteReference"),
    qn("w:commentReference"),
    f"{{{_M}}}oMath",
    qn("w:sdt"),
    _BR,
)
_DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006"
_CHART_URI = f"{_DRAWINGML}/chart"
_CX = "{http://schemas.microsoft.com/office/drawing/2014/chartex}"


def graphic_label(element: _Element, part: object = None) -> str:
    """How the text view shows a picture, chart, diagram, shape or embedded object (w:drawing, w:pict or w:object)
    without text in it: its kind and its alt text, as a screen reader announces it, such as
    `[picture: Durham County Council logo]`; a chart without alt text by its own title; `[picture]` when it has
    neither."""
    docpr = element.find(f".//{{{_DRAWINGML}/wordprocessingDrawing}}docPr")
    if docpr is not None:
        label = (docpr.get("descr") or "").strip() or (docpr.get("title") or "").strip()
    else:  # VML: the shape's alternative text
        shape = next((n for n in element.iter("{urn:schemas-microsoft-com:vml}*") if n.get("alt")), None)
        label = shape.get("alt", "") if shape is not None else ""
    kind = graphic_kind(element)
    if kind == ObjectKind.CHART and not label.strip():
        label = _chart_title(element.find(f".//{_GRAPHIC_DATA}"), part)
    label = _one_line(label)
    # A shape holding a text box is named as the text view names its words: "[text box]".
    named = "text box" if kind == ObjectKind.SHAPE and element.find(f".//{qn('w:txbxContent')}") is not None else kind
    return f"[{named}: {label}]" if label else f"[{named}]"


def _chart_title(data: _Element | None, part: object) -> str:
    """A chart's own title, read from its part; "" when it has none or cannot be found."""
    chart = next((c for c in data if c.tag in (_C_CHART, _CX_CHART)), None) if data is not None else None
    rid = chart.get(_R_ID) if chart is not None else None
    rels = getattr(part, "rels", {})
    rel = rels.get(rid) if rid else None
    if rel is None or rel.is_external:
        return ""
    blob = getattr(rel.target_part, "blob", b"")
    try:
        root = etree.fromstring(blob, etree.XMLParser(resolve_entities=False, huge_tree=False))
    except etree.XMLSyntaxError:
        return ""
    # The chart's own title (an axis has a title of its own, which is not the chart's).
    title = root.find(f"{{{_DRAWINGML}/chart}}chart/{{{_DRAWINGML}/chart}}title")
    if title is None:
        title = root.find(f"{_CX}chart/{_CX}title")
    if title is None:
        return ""
    # Typed in (a:t), or taken from a cell of the chart's workbook, as last shown (c:strCache's c:v).
    return "".join(t.text or "" for t in title.iter(f"{{{_DRAWINGML}/main}}t", f"{_CX}v", f"{{{_DRAWINGML}/chart}}v"))


#: What may hold a field's result runs, looked into while the result itself is left out.
_CONTAINERS = frozenset({_R, qn("w:hyperlink"), qn("w:sdt"), qn("w:sdtContent"), qn("w:smartTag")})
_FIELD_TAGS = frozenset({qn("w:fldChar"), qn("w:instrText")})
_PAGE_FIELDS = {"PAGE": "[page]", "NUMPAGES": "[pages]", "SECTIONPAGES": "[pages in section]"}


#: How a page number field's format switch (\\* ROMAN) shows its numbers, by the switch's name in lower case.
_PAGE_FORMATS = {
    "roman": "I, II, III",
    "alphabetic": "A, B, C",
    "arabicdash": "- 1 -, - 2 -",
    "cardtext": "one, two, three",
    "ordtext": "first, second, third",
    "ordinal": "1st, 2nd, 3rd",
    "hex": "1, 2, ... A, B",
}
_FORMAT_SWITCH = re.compile(r"\\\*\s*(\w+)")


def _page_field(code: str) -> str:
    """The placeholder for a page number field's code (PAGE, NUMPAGES, SECTIONPAGES), or "": with the numbers'
    format where a switch sets one other than 1, 2, 3 (`PAGE \\* ROMAN` is `[page: I, II, III]`), which a reader
    sees on every page."""
    words = code.split()
    placeholder = _PAGE_FIELDS.get(words[0].upper(), "") if words else ""
    switch = next((name for name in _FORMAT_SWITCH.findall(code) if name.lower() in _PAGE_FORMATS), None)
    if not placeholder or switch is None:
        return placeholder
    shown = _PAGE_FORMATS[switch.lower()]
    if switch in ("roman", "alphabetic"):
        shown = shown.lower()  # \\* roman: i, ii, iii (Word takes the switch's case as the numbers')
    return f"{placeholder[:-1]}: {shown}]"


def _cell_lines(block: Paragraph | Table | Story) -> list[str]:
    """A block inside a table cell as the cell's lines of text."""
    if isinstance(block, Paragraph):
        return [f"{block.number} {block.text}" if block.number else block.text]
    if isinstance(block, Table):  # a table inside the cell, read as text
        return [" | ".join(row) for row in block.rows]
    return [f"[{block.title}]", *("  " + line for inner in block.blocks for line in _cell_lines(inner))]


def inside_controls(element: _Element, *tags: str) -> Iterator[_Element]:
    """The element's children of the given kinds (rows of a table, cells of a row, a cell's paragraphs and
    tables), including those wrapped in content controls or custom XML: how both diff and text read a table,
    and how the redline finds its rows."""
    for child in element:
        tag = child.tag
        if tag in tags:
            yield child
        elif tag == _SDT:
            content = _child(child, _SDT_CONTENT)
            if content is not None:
                yield from inside_controls(content, *tags)
        elif tag == _CUSTOM_XML:
            yield from inside_controls(child, *tags)


def cell_controls(element: _Element) -> tuple[SeenObject, ...]:
    """The content controls around a table's cells, or around the paragraphs of a cell (Word's cell-level
    controls), by name, in order: a control added around a cell or taken away is a change, though no text changed."""
    found = []
    for control in element.iter(qn("w:sdt")):
        parent = control.getparent()
        place = {qn("w:tr"): "around", qn("w:tc"): "in"}.get(str(parent.tag) if parent is not None else "")
        if place is None:
            continue
        found.append(SeenObject(ObjectKind.CONTENT_CONTROL, f"{control_name(control)} {place} a cell"))
    return tuple(found)


def control_name(control: _Element) -> str:
    """A content control as a reviewer is told of it: by its title in Word (alias), else its tag."""
    names = [control.find(f"{qn('w:sdtPr')}/{qn(name)}") for name in ("w:alias", "w:tag")]
    name = next((n.get(qn("w:val"), "") for n in names if n is not None and n.get(qn("w:val"))), "")
    return f'content control "{name}"' if name else "content control"


def _in_text_box_within(node: _Element, paragraph: _Element) -> bool:
    """Whether node stands in a text box of the paragraph (its words are told with the box's)."""
    for ancestor in node.iterancestors():
        if ancestor is paragraph:
            return False
        if ancestor.tag == _TEXT_BOX:
            return True
    return False


# Hand-written: no maintained Python library turns Office Math (OMML) into Word's own linear format; the few
# converters (to LaTeX or MathML) answer a different question and would be a heavy dependency for one line of text.
def linear_math(element: _Element) -> str:
    """An equation (m:oMath) in Word's linear format (UnicodeMath), as Word shows it when switched to Linear:
    fractions as a/b, scripts as x^2 and x_i, roots as √x, n-ary operators as ∑_(i=1)^n, matrices as ■(…)."""
    return _linear(element).strip()


def _linear(node: _Element) -> str:
    tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
    if not isinstance(node.tag, str) or node.tag.endswith("Pr") or node.tag == _FALLBACK:
        return ""
    if node.tag == _MATH("t") or node.tag == _T:
        return node.text or ""
    part = functools.partial(_math_part, node)
    if tag == "f":
        bar = "¦" if _math_val(node, "fPr", "type") == "noBar" else "/"
        return f"{_group(part('num'))}{bar}{_group(part('den'))}"
    if tag in ("sSup", "sSub", "sSubSup"):
        sub, sup = part("sub"), part("sup")
        return _group(part("e")) + (f"_{_group(sub)}" if sub else "") + (f"^{_group(sup)}" if sup else "")
    if tag == "sPre":
        return f"_{_group(part('sub'))}^{_group(part('sup'))} {_group(part('e'))}"
    if tag == "rad":
        degree = part("deg")
        root = {"": "√", "3": "∛", "4": "∜"}.get(degree)
        return f"{root}{_group(part('e'))}" if root else f"√({degree}&{part('e')})"
    if tag == "nary":
        sign = _math_val(node, "naryPr", "chr") or "∫"
        sub, sup = part("sub"), part("sup")
        limits = (f"_{_group(sub)}" if sub else "") + (f"^{_group(sup)}" if sup else "")
        return f"{sign}{limits} {part('e')}"
    if tag == "d":
        begin = _math_val(node, "dPr", "begChr")
        end = _math_val(node, "dPr", "endChr")
        separator = _math_val(node, "dPr", "sepChr")
        inside = (separator if separator is not None else "|").join(_linear(e) for e in node.findall(_MATH("e")))
        return f"{'(' if begin is None else begin}{inside}{')' if end is None else end}"
    if tag == "func":
        argument = part("e")
        return part("fName") + (argument if argument.startswith("(") else " " + argument)
    if tag in ("acc", "groupChr"):
        default = "\u0302" if tag == "acc" else "\u23df"
        return _group(part("e")) + (_math_val(node, f"{tag}Pr", "chr") or default)
    if tag == "bar":
        return _group(part("e")) + "\u0305"
    if tag in ("limLow", "limUpp"):
        return _group(part("e")) + ("_" if tag == "limLow" else "^") + _group(part("lim"))
    if tag == "eqArr":
        return "█(" + "@".join(_linear(e) for e in node.findall(_MATH("e"))) + ")"
    if tag == "m":
        rows = ("&".join(_linear(e) for e in row.findall(_MATH("e"))) for row in node.findall(_MATH("mr")))
        return "■(" + "@".join(rows) + ")"
    return "".join(_linear(child) for child in node)


def _math_part(node: _Element, name: str) -> str:
    found = node.find(_MATH(name))
    return _linear(found) if found is not None else ""


def _math_val(node: _Element, properties: str, name: str) -> str | None:
    found = node.find(f"{_MATH(properties)}/{_MATH(name)}")
    return found.get(_MATH("val")) if found is not None else None


def _group(text: str) -> str:
    """A script, numerator or argument as linear format writes it: bracketed unless it is one token."""
    if len(text) <= 1 or text.isalnum() or (text[0] in "([{" and text[-1] in ")]}"):
        return text
    return f"({text})"
