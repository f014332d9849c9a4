"""Reads any .docx as a reader sees it: paragraphs with Word's list numbers, headings and tables, changes accepted."""

from __future__ import annotations

import functools
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import XmlPart
from docx.oxml.ns import qn as _qn
from lxml import etree
from lxml.etree import _Element

from . import files, revisions
from .errors import UsageError, in_plain_words
from .model import Paragraph, Table, WordDocument

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
    objects: tuple[str, ...] = ()
    """What a reader sees in a paragraph besides its text: pictures (by content), links, notes, comments, equations."""


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
        return _canonical_relationships(docx.Document(source))
    except FileNotFoundError as exc:
        raise UsageError(message=f"{path} does not exist") from exc
    except etree.XMLSyntaxError as exc:
        raise UsageError(message=_damaged_xml(path, exc)) from exc
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UsageError(
            message=f"{path} is not a Word document (.docx) that can be read: {in_plain_words(exc)}"
        ) from exc


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
                copy.writestr(name, data)
    output.seek(0)
    return output


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
    if any(phrase in why.lower() for phrase in ("depth", "amplification", "entit")):
        why = in_plain_words(Exception(why))  # libxml2's wording names parser options; say what is wrong instead
    return (
        f"{path} cannot be read: its XML is damaged{where} ({why}). Open it in Word and save it again "
        "(Word repairs what it can) and use the saved copy."
    )


def read_word_document(path: Path) -> WordDocument:
    """The document's paragraphs and tables in order, with tracked changes accepted."""
    document = open_document(path)
    return WordDocument(name=path.name, blocks=tuple(b.block for b in read_body(document)))


def read_body(document: DocxDocument, element: _Element | None = None) -> list[BodyBlock]:
    """Top-level blocks of the (accepted) body, or of another story such as a header, each with its element
    (from an accepted copy); the document itself is left as it was."""
    body = revisions.accept_all(document.element.body if element is None else element)
    reader = _Reader(document)
    objects = _Objects(document)
    blocks: list[BodyBlock] = []
    previous: Paragraph | None = None
    block: Paragraph | Table
    for element in _block_elements(body):
        found: tuple[str, ...] = ()
        if element.tag == qn("w:p"):
            block = reader.paragraph(element)
            previous = block
            found = objects.describe(element)
        else:
            caption = previous.text.strip() if previous is not None and _CAPTION.match(previous.text) else None
            block = reader.table(element, caption=caption)
            previous = None
        blocks.append(BodyBlock(block=block, element=element, objects=found))
    return blocks


_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_V_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"
_R_ID, _R_EMBED = (
    f"{{http://schemas.openxmlformats.org/officeDocument/2006/relationships}}{n}" for n in ("id", "embed")
)


class _Objects:
    """Describes a paragraph's objects by what a reader sees, so a replaced picture or an edited note is a change."""

    def __init__(self, document: DocxDocument) -> None:
        self.part = document.part
        self.notes = {
            kind: self._story(reltype, kind)
            for kind, reltype in (
                ("footnote", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"),
                ("endnote", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"),
                ("comment", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"),
            )
        }

    def _story(self, reltype: str, kind: str) -> dict[str | None, str]:
        try:
            part = self.part.part_related_by(reltype)
        except KeyError:
            return {}
        root = getattr(part, "element", None)
        if root is None:
            root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False))
        return {n.get(qn("w:id")): " ".join(paragraph_text(n).split()) for n in root.findall(qn(f"w:{kind}"))}

    def _target(self, rid: str | None) -> str:
        rel = self.part.rels.get(rid) if rid else None
        if rel is None:
            return "?"
        if rel.is_external:
            return str(rel.target_ref)
        return hashlib.sha256(rel.target_part.blob).hexdigest()[:8]

    def describe(self, paragraph: _Element) -> tuple[str, ...]:
        found = []
        for node in paragraph.iter(
            _A_BLIP,
            _V_IMAGE,
            qn("w:hyperlink"),
            qn("w:footnoteReference"),
            qn("w:endnoteReference"),
            qn("w:commentReference"),
            f"{{{_M}}}oMath",
        ):
            tag = node.tag
            if tag in (_A_BLIP, _V_IMAGE):
                found.append(f"picture {self._target(node.get(_R_EMBED) or node.get(_R_ID))}")
            elif tag == qn("w:hyperlink") and node.get(_R_ID):
                found.append(f"link to {self._target(node.get(_R_ID))}")
            elif tag == f"{{{_M}}}oMath":
                found.append("equation " + "".join(t.text or "" for t in node.iter(f"{{{_M}}}t")))
            elif tag != qn("w:hyperlink"):
                kind = etree.QName(node).localname.replace("Reference", "")
                found.append(f"{kind}: {self.notes[kind].get(node.get(qn('w:id')), '')}")
        return tuple(found)


def header_footer_parts(document: DocxDocument) -> dict[str, XmlPart]:
    """Each section's headers and footers by where a reader finds them ("header of section 2, first page")."""
    found: dict[str, XmlPart] = {}
    sections = document.element.body.iter(qn("w:sectPr"))
    for number, section in enumerate(sections, start=1):
        for reference in section:
            if reference.tag not in (qn("w:headerReference"), qn("w:footerReference")):
                continue
            kind = "header" if reference.tag == qn("w:headerReference") else "footer"
            page = {"first": ", first page", "even": ", even pages"}.get(reference.get(qn("w:type")), "")
            part = document.part.related_parts.get(reference.get(_R_ID))
            if isinstance(part, XmlPart) and getattr(part, "element", None) is not None:
                found[f"{kind} of section {number}{page}"] = part
    return found


def _block_elements(container: _Element) -> Iterator[_Element]:
    """Paragraphs and tables in reading order, looking inside content controls and custom XML."""
    for child in container:
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _block_elements(content)
        elif child.tag == qn("w:customXml"):
            yield from _block_elements(child)


_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def paragraph_text(element: _Element) -> str:
    """The text of a paragraph (or run or cell) element: tabs and line breaks kept, field codes left out."""
    parts = []
    fallback_seen = False
    for node in element.iter(_FALLBACK, *_TEXT_TAGS):
        tag = node.tag
        if tag == _FALLBACK:
            fallback_seen = True
            continue
        if fallback_seen and any(a.tag == _FALLBACK for a in node.iterancestors()):
            continue
        if tag == _T:
            parts.append(node.text or "")
        elif tag == _TAB:
            parent = node.getparent()
            if parent is not None and parent.tag == _R:
                parts.append("\t")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == _SYM:
            code = node.get(qn("w:char"), "")
            parts.append(chr(int(code, 16)) if re.fullmatch(r"[0-9A-Fa-f]{1,4}", code) else "\u25a1")
        elif node.get(_TYPE) not in ("page", "column"):  # a line break
            parts.append("\n")
    return "".join(parts)


_T, _TAB, _R, _SYM, _NO_BREAK_HYPHEN, _TYPE = (
    qn("w:t"),
    qn("w:tab"),
    qn("w:r"),
    qn("w:sym"),
    qn("w:noBreakHyphen"),
    qn("w:type"),
)
_TEXT_TAGS = (_T, _TAB, qn("w:br"), qn("w:cr"), _NO_BREAK_HYPHEN, _SYM)


class _Styles:
    def __init__(self, document: DocxDocument) -> None:
        self.by_id: dict[str | None, _Element] = {}
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
        style = self.by_id.get(style_id or self.default_paragraph)
        name = style.find(qn("w:name")) if style is not None else None
        value = name.get(qn("w:val")) if name is not None else None
        return _ui_name(value if value is not None else (style_id or "Normal"))

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

    def label(self, paragraph: _Element, style_id: str | None) -> str | None:
        num_pr = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        style_num_pr = self.styles.find(style_id, f"{qn('w:pPr')}/{qn('w:numPr')}")
        num_id = _val(num_pr, "w:numId") or _val(style_num_pr, "w:numId")
        ilvl = _int(_val(num_pr, "w:ilvl") or _val(style_num_pr, "w:ilvl"))
        if not num_id or num_id == "0":
            return None
        resolved = self._abstract(num_id)
        if resolved is None:
            return None
        abstract, overrides = resolved
        level = self._level(abstract, overrides, ilvl)
        if level is None:
            return None
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for override_level, override in overrides.items():
                restart = override.find(qn("w:startOverride"))
                if restart is not None:
                    counters[override_level] = _int(restart.get(qn("w:val")), 1) - 1
        start = _int(_val(level, "w:start"), 1)
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = _val(level, "w:lvlText") or ""
        fmt = _val(level, "w:numFmt") or "decimal"
        if fmt == "bullet":
            return "".join(_BULLETS.get(ch, ch) for ch in text) or "•"

        def replace(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            other = self._level(abstract, overrides, index)
            value = counters.get(index, _int(_val(other, "w:start"), 1) if other is not None else 1)
            return _format_number(value, (_val(other, "w:numFmt") if other is not None else None) or "decimal")

        return re.sub(r"%([1-9])", replace, text) if fmt != "none" else ""

    def _level(self, abstract: str | None, overrides: dict[int, _Element], ilvl: int) -> _Element | None:
        override = overrides.get(ilvl)
        if override is not None and override.find(qn("w:lvl")) is not None:
            return override.find(qn("w:lvl"))
        return self.levels.get(abstract, {}).get(ilvl)


def _int(text: str | None, default: int = 0) -> int:
    """A number attribute, or the default where a hand-made file leaves it out or garbles it."""
    return int(text) if text is not None and text.lstrip("-").isdigit() else default


def _val(element: _Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(qn(path))
    return found.get(qn("w:val")) if found is not None else None


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
    return str(value)


class _Reader:
    def __init__(self, document: DocxDocument) -> None:
        self.styles = _Styles(document)
        self.numbering = _Numbering(document, self.styles)

    def paragraph(self, element: _Element) -> Paragraph:
        style_id = _val(element.find(qn("w:pPr")), "w:pStyle")
        name = self.styles.name(style_id)
        return Paragraph(
            text=paragraph_text(element),
            number=self.numbering.label(element, style_id),
            style=name,
            heading_level=self._heading_level(element, style_id, name),
        )

    def _heading_level(self, element: _Element, style_id: str | None, name: str) -> int | None:
        outline = _val(element.find(qn("w:pPr")), "w:outlineLvl")
        if outline is None:
            found = self.styles.find(style_id, f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
            outline = found.get(qn("w:val")) if found is not None else None
        if outline is not None and outline.isdigit() and int(outline) < 9:
            return int(outline) + 1
        match = re.fullmatch(r"Heading (\d)", name)
        if match:
            return int(match.group(1))
        return 1 if name == "Title" else None

    def table(self, element: _Element, *, caption: str | None) -> Table:
        rows = []
        header_rows = 0
        counting_header = True
        for row in element.findall(qn("w:tr")):
            is_header = row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
            if counting_header and is_header:
                header_rows += 1
            else:
                counting_header = False
            cells = []
            for cell in row.findall(qn("w:tc")):
                lines = []
                for block in _block_elements(cell):
                    if block.tag == qn("w:p"):
                        paragraph = self.paragraph(block)
                        lines.append(f"{paragraph.number} {paragraph.text}" if paragraph.number else paragraph.text)
                    else:  # a table inside the cell, read as text
                        inner = self.table(block, caption=None)
                        lines += [" | ".join(r) for r in inner.rows]
                cells.append("\n".join(lines))
            rows.append(tuple(cells))
        return Table(rows=tuple(rows), header_rows=header_rows, caption=caption)
