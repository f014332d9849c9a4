"""Tools for the real-document corpus: describe a .docx, edit it, and read a redline back independently.

Everything here works on the package parts with lxml and is deliberately independent of jtai_docs'
own reader (wordfile.py) and of revisions.py, so the corpus tests check the engine against a second
opinion rather than against itself.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import re
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from posixpath import dirname, join, normpath

from lxml import etree

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
MANIFEST = CORPUS / "MANIFEST.csv"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W_NS,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# Strict Open XML uses other namespace URIs for the same vocabulary; the reader maps them to the
# transitional ones (and the edit generator maps them back) so one set of paths reads both.
STRICT_TO_TRANSITIONAL = [
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", W_NS.encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", REL.encode()),
    (b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing", NS["wp"].encode()),
    (b"http://purl.oclc.org/ooxml/drawingml/picture", NS["pic"].encode()),
    (b"http://purl.oclc.org/ooxml/drawingml/main", NS["a"].encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/math", NS["m"].encode()),
]

#: Parts larger than this are not read (bounded reads; the corpus keeps files under ~2 MB anyway).
MAX_PART = 50_000_000
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)

STORY_TYPES = ("header", "footer", "footnotes", "endnotes", "comments")
FEATURES = (
    "footnotes",
    "endnotes",
    "comments",
    "pictures",
    "hyperlinks",
    "fields",
    "content_controls",
    "text_boxes",
    "equations",
    "headers_footers",
    "tables",
    "tracked_changes",
    "bookmarks",
    "goback",
    "strict",
)


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# ---------------------------------------------------------------- the package


@dataclass
class Package:
    """A .docx as its zip entries, in their original order, with Strict namespaces mapped to transitional."""

    entries: dict[str, bytes]
    strict: bool = False

    @classmethod
    def read(cls, path: Path) -> Package:
        entries: dict[str, bytes] = {}
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                if info.file_size > MAX_PART:
                    raise ValueError(f"{path.name}: part {info.filename} is larger than {MAX_PART} bytes")
                entries[info.filename] = archive.read(info)
        strict = any(
            b"purl.oclc.org/ooxml/wordprocessingml/main" in data
            for name, data in entries.items()
            if name.endswith(".xml")
        )
        if strict:
            entries = {
                name: _map(data, STRICT_TO_TRANSITIONAL) if _is_xml(name) else data for name, data in entries.items()
            }
        return cls(entries=entries, strict=strict)

    def write(self, path: Path) -> Path:
        """Writes the package back (in Strict namespaces again if it came in Strict)."""
        back = [(t, s) for s, t in STRICT_TO_TRANSITIONAL]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.entries.items():
                if self.strict and _is_xml(name):
                    data = _map(data, back)
                info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        return path

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.entries[name], PARSER)

    def set_xml(self, name: str, root: etree._Element) -> None:
        self.entries[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    @property
    def main_part(self) -> str:
        rels = self.xml("_rels/.rels")
        for rel in rels.iterfind("pr:Relationship", NS):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target").lstrip("/")
        return "word/document.xml"

    def rels_name(self, part: str) -> str:
        return join(dirname(part), "_rels", part.rsplit("/", 1)[-1] + ".rels")

    def relationships(self, part: str) -> dict[str, tuple[str, str, str]]:
        """rId -> (type suffix, resolved part name or external target, target mode)."""
        name = self.rels_name(part)
        if name not in self.entries:
            return {}
        found = {}
        for rel in self.xml(name).iterfind("pr:Relationship", NS):
            mode = rel.get("TargetMode", "Internal")
            target = rel.get("Target", "")
            if mode != "External":
                target = target.lstrip("/") if target.startswith("/") else normpath(join(dirname(part), target))
            found[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], target, mode)
        return found

    def stories(self) -> list[tuple[str, str]]:
        """(kind, part name) of every story a reader sees, in reading order: body first."""
        main = self.main_part
        found = [("body", main)]
        rels = self.relationships(main)
        # Word shows a header or footer only where a section refers to it; a part no section names is never seen.
        shown = {
            e.get(f"{{{REL}}}id")
            for e in self.xml(main).iter(f"{{{W_NS}}}headerReference", f"{{{W_NS}}}footerReference")
        }
        for kind in STORY_TYPES:
            for rid, (_, target, mode) in sorted(
                ((rid, r) for rid, r in rels.items() if r[0] == kind), key=lambda item: item[1][1]
            ):
                if kind in ("header", "footer") and rid not in shown:
                    continue
                if mode != "External" and target in self.entries:
                    found.append((kind, target))
        return found


def _is_xml(name: str) -> bool:
    return name.endswith(".xml") or name.endswith(".rels")


def _map(data: bytes, pairs) -> bytes:
    for old, new in pairs:
        data = data.replace(old, new)
    return data


# ---------------------------------------------------------------- describing a document


def application(package: Package) -> str:
    """The producing application named in docProps/app.xml, with its version, or why there is none."""
    if "docProps/app.xml" not in package.entries:
        return "(no docProps/app.xml)"
    text = package.entries["docProps/app.xml"].decode("utf-8", "replace")
    name = re.search(r"<(?:\w+:)?Application>(.*?)</", text, re.S)
    version = re.search(r"<(?:\w+:)?AppVersion>(.*?)</", text, re.S)
    if not name:
        return "(not named in app.xml)"
    return name.group(1).strip() + (f" {version.group(1).strip()}" if version else "")


def features(package: Package) -> list[str]:
    """The manifest's feature names found in the document's stories."""
    found = set()
    for _, part in package.stories():
        root = package.xml(part)
        counts = structure(root, package, part)
        for name, key in (
            ("footnotes", "footnote refs"),
            ("endnotes", "endnote refs"),
            ("comments", "comment anchors"),
            ("hyperlinks", "hyperlinks"),
            ("fields", "fields"),
            ("content_controls", "content controls"),
            ("text_boxes", "text boxes"),
            ("equations", "equations"),
            ("tables", "tables"),
            ("bookmarks", "bookmarks"),
        ):
            if counts[key]:
                found.add(name)
        if counts["pictures"]:
            found.add("pictures")
        if root.xpath(".//w:bookmarkStart[@w:name='_GoBack']", namespaces=NS):
            found.add("goback")
        if has_revisions(root):
            found.add("tracked_changes")
        if root.xpath(".//w:headerReference|.//w:footerReference", namespaces=NS):
            found.add("headers_footers")
    if package.strict:
        found.add("strict")
    return [name for name in FEATURES if name in found]


def read_manifest() -> list[dict[str, str]]:
    with MANIFEST.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------- accept all / reject all

#: Formatting changes: each records the properties as they were.
FORMATTING_CHANGES = (
    "pPrChange",
    "rPrChange",
    "tblPrChange",
    "trPrChange",
    "tcPrChange",
    "sectPrChange",
    "tblGridChange",
    "tblPrExChange",
    "numberingChange",
)
REVISION_TAGS = (
    "ins",
    "del",
    "moveFrom",
    "moveTo",
    *FORMATTING_CHANGES,
    "cellIns",
    "cellDel",
    "cellMerge",
    "moveFromRangeStart",
    "moveToRangeStart",
)


def has_revisions(root: etree._Element) -> bool:
    return any(True for tag in REVISION_TAGS for _ in root.iter(w(tag)))


ZERO_WIDTH = {
    w(name)
    for name in (
        "bookmarkStart",
        "bookmarkEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "permStart",
        "permEnd",
        "proofErr",
    )
}


def resolve(root: etree._Element, *, accept: bool) -> etree._Element:
    """A copy of a story with every tracked change accepted (or rejected), by the rules of Word's own buttons."""
    root = etree.fromstring(etree.tostring(root), PARSER)
    gone, kept = (("del", "moveFrom"), ("ins", "moveTo")) if accept else (("ins", "moveTo"), ("del", "moveFrom"))
    # A content control whose whole content is removed goes with it, as Word removes it (rows and all).
    filled = [sdt for sdt in root.iter(w("sdt")) if _has_content(sdt)]
    # Rows inserted (rejected) or deleted (accepted) go with their marks.
    for mark in list(root.iter(*(w(t) for t in gone))):
        parent = mark.getparent()
        if parent is not None and parent.tag == w("trPr"):
            row = parent.getparent()
            if row is not None and row.getparent() is not None:
                row.getparent().remove(row)
    # So does a link whose every run is removed: nothing of it is left to see or click.
    filled += [link for link in root.iter(w("hyperlink")) if _has_content(link)]
    # Cells inserted (rejected) or deleted (accepted) go too.
    for mark in list(root.iter(w("cellDel" if accept else "cellIns"))):
        cell = mark.getparent().getparent() if mark.getparent() is not None else None
        if cell is not None and cell.tag == w("tc") and cell.getparent() is not None:
            cell.getparent().remove(cell)
    # Paragraph marks inserted (rejected) or deleted (accepted): the paragraph joins the one after it.
    for paragraph in list(root.iter(w("p"))):
        marks = paragraph.xpath("w:pPr/w:rPr/*", namespaces=NS)
        if any(m.tag in tuple(w(t) for t in gone) for m in marks):
            following = paragraph.getnext()
            # Bookmarks and comment ranges between paragraphs take no room: the paragraph joins the one after.
            while following is not None and following.tag in ZERO_WIDTH:
                following = following.getnext()
            if following is not None and following.tag == w("p"):
                content = [c for c in paragraph if c.tag != w("pPr")]
                anchor = following.find(w("pPr"))
                index = 0 if anchor is None else following.index(anchor) + 1
                for offset, child in enumerate(content):
                    following.insert(index + offset, child)
                paragraph.getparent().remove(paragraph)
            elif following is None:
                _join_across_control_end(paragraph, gone)
            elif following.tag == w("tbl") and _wholly_taken(paragraph, gone):
                # A table comes next: there is no paragraph to join. A paragraph whose content
                # and mark are all taken away goes, as Open-XML-PowerTools' RevisionAccepter (Microsoft's model of
                # Word's Accept All) removes it when no paragraph follows; one still holding kept content stays.
                paragraph.getparent().remove(paragraph)
    # Content of the losing side goes; content of the winning side is unwrapped.
    for element in list(root.iter(*(w(t) for t in gone))):
        parent = element.getparent()
        if parent is None:
            continue
        if parent.tag in (w("rPr"), w("trPr"), w("tcPr")) or (parent.tag == w("rPr") and False):
            parent.remove(element)
            continue
        parent.remove(element)
    for element in list(root.iter(*(w(t) for t in kept))):
        parent = element.getparent()
        if parent is None:
            continue
        if parent.tag in (w("rPr"), w("trPr"), w("tcPr")):
            parent.remove(element)
            continue
        index = parent.index(element)
        for offset, child in enumerate(list(element)):
            parent.insert(index + offset, child)
        parent.remove(element)
    # Deleted text that survives a reject is ordinary text again.
    if not accept:
        for deleted in root.iter(w("delText")):
            deleted.tag = w("t")
        for deleted in root.iter(w("delInstrText")):
            deleted.tag = w("instrText")
    # Formatting changes: accepting drops the record; rejecting restores the recorded old properties.
    for change in list(root.iter(*(w(t) for t in FORMATTING_CHANGES))):
        holder = change.getparent()
        if holder is None:
            continue
        holder.remove(change)
        if accept or len(change) == 0:
            continue
        old = change[0]
        keep = {w("rPr"), w("sectPr")} if holder.tag == w("pPr") else set()
        if holder.tag == w("sectPr"):
            # A section's recorded properties (CT_SectPrBase) cannot name headers and footers: Word's Reject All
            # keeps the section's own references, which this reader dropped.
            keep = {w("headerReference"), w("footerReference")}
        for child in list(holder):
            if child.tag not in keep:
                holder.remove(child)
        for offset, child in enumerate(list(old)):
            holder.insert(offset, child)
    for marker in list(
        root.iter(
            *(
                w(t)
                for t in (
                    "moveFromRangeStart",
                    "moveFromRangeEnd",
                    "moveToRangeStart",
                    "moveToRangeEnd",
                    "cellIns",
                    "cellDel",
                    "cellMerge",
                )
            )
        )
    ):
        marker.getparent().remove(marker)
    for table in list(root.iter(w("tbl"))):
        if table.find(w("tr")) is None and table.getparent() is not None:
            table.getparent().remove(table)
    for holder in filled:
        if not _has_content(holder) and holder.getparent() is not None:
            holder.getparent().remove(holder)
    return root


def _wholly_taken(paragraph: etree._Element, gone: tuple[str, ...]) -> bool:
    """Whether everything a reader sees in the paragraph sits inside a change of the losing side."""
    losing = {w(t) for t in gone}
    for child in paragraph:
        if child.tag == w("pPr") or child.tag in ZERO_WIDTH or child.tag in losing:
            continue
        return False
    return True


def _join_across_control_end(paragraph: etree._Element, gone: tuple[str, ...]) -> None:
    """The last paragraph of a content control, its mark taken away, joins the paragraph just after the control,
    as LibreOffice joins them: that paragraph's content and mark come into it, inside the control."""
    while True:
        holder = paragraph
        following = None
        while (
            following is None
            and holder.getparent() is not None
            and holder.getparent().tag
            in (
                w("sdtContent"),
                w("customXml"),
            )
        ):
            holder = holder.getparent()
            if holder.tag == w("sdtContent"):
                holder = holder.getparent()
            following = holder.getnext()
            while following is not None and following.tag in ZERO_WIDTH:
                following = following.getnext()
        if following is None or following.tag != w("p"):
            return
        own = paragraph.find(w("pPr"))
        if own is not None:
            paragraph.remove(own)
        for child in list(following):
            paragraph.append(child)
        properties = paragraph.find(w("pPr"))
        if properties is not None:
            paragraph.insert(0, properties)
        following.getparent().remove(following)
        marks = paragraph.xpath("w:pPr/w:rPr/*", namespaces=NS)
        if not any(m.tag in tuple(w(t) for t in gone) for m in marks):
            return


def _has_content(holder: etree._Element) -> bool:
    """Whether a content control (or a link) holds anything a reader sees."""
    content = holder.find(w("sdtContent")) if holder.tag == w("sdt") else holder
    return content is not None and any(
        True
        for e in content.iter(
            w("t"),
            w("delText"),
            w("tc"),
            w("drawing"),
            w("pict"),
            w("object"),
            f"{{{NS['m']}}}oMath",
            w("footnoteReference"),
            w("endnoteReference"),
            w("sym"),
            w("tab"),
        )
    )


# ---------------------------------------------------------------- reading text and structure


def _visible(element: etree._Element) -> bool:
    """False inside an mc:Fallback, which repeats its mc:Choice for older readers."""
    return not any(a.tag == f"{{{NS['mc']}}}Fallback" for a in element.iterancestors())


def paragraph_text(paragraph: etree._Element) -> str:
    """The characters a reader sees in one paragraph, leaving out text boxes' own paragraphs and field codes."""
    out: list[str] = []

    def walk(node):
        for child in node:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag in (
                w("txbxContent"),
                f"{{{NS['mc']}}}Fallback",
                w("pPr"),
                w("rPr"),
                w("instrText"),
                w("delInstrText"),
            ):
                continue
            if tag in (w("t"), w("delText"), f"{{{NS['m']}}}t"):
                out.append(child.text or "")
            elif tag == w("tab") and node.tag == w("r"):
                out.append("\t")
            elif tag in (w("br"), w("cr")):
                out.append("\n")
            elif tag == w("noBreakHyphen"):
                out.append("-")
            walk(child)

    walk(paragraph)
    return "".join(out)


#: What a paragraph's or run's properties hold that is not formatting: recorded changes, marks of insertion and
#: deletion, and a section break (compared as a section).
_NOT_FORMATTING = {w(t) for t in ("rPr", "sectPr", "pPrChange", "rPrChange", "ins", "del", "moveFrom", "moveTo")}


def _properties(holder: etree._Element | None) -> tuple:
    """Formatting elements as comparable values, in any order, namespace declarations and attribute order aside."""

    def value(element: etree._Element) -> tuple:
        return (
            element.tag,
            tuple(sorted(element.attrib.items())),
            (element.text or "").strip(),
            tuple(sorted(value(child) for child in element if isinstance(child.tag, str))),
        )

    if holder is None:
        return ()
    return tuple(sorted(value(c) for c in holder if isinstance(c.tag, str) and c.tag not in _NOT_FORMATTING))


class StyleSheet:
    """A package's styles and list levels, read independently of src/: each paragraph's and run's formatting as
    a reader sees it, every aspect resolved through the document's defaults, the table's style, the paragraph's
    style and those it is based on, the list level, the character style and, over all, the direct formatting.
    A toggle (bold, italic...) set in a style turns over what the levels below say (ECMA-376 §17.7.3); an
    aspect at the value Word takes where nothing sets it is left out, so <w:b w:val="0"/> reads as no w:b."""

    #: Paragraph and run aspects every paragraph and run is read for, besides those it sets directly.
    PARAGRAPH = (
        "jc",
        "ind",
        "spacing",
        "numPr",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "widowControl",
        "contextualSpacing",
        "outlineLvl",
        "shd",
        "pBdr",
        "bidi",
        "suppressAutoHyphens",
    )
    RUN = (
        "b",
        "i",
        "u",
        "strike",
        "dstrike",
        "caps",
        "smallCaps",
        "vanish",
        "color",
        "sz",
        "rFonts",
        "highlight",
        "vertAlign",
        "shd",
        "kern",
        "position",
        "spacing",
        "w",
        "lang",
        "emboss",
        "imprint",
        "outline",
        "shadow",
    )
    TOGGLE = {"b", "i", "caps", "smallCaps", "strike", "vanish", "emboss", "imprint", "outline", "shadow"}
    ON_OFF = TOGGLE | {
        "dstrike",
        "widowControl",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "contextualSpacing",
        "bidi",
        "suppressAutoHyphens",
        "noProof",
        "rtl",
        "webHidden",
    }
    #: Complex-script twins, which a reader of Latin text does not see.
    UNSEEN = {"bCs", "iCs", "szCs", "rPr", "sectPr", "pPrChange", "rPrChange", "ins", "del", "moveFrom", "moveTo"}
    #: Values Word takes where nothing sets them, as attribute dicts (on/off as "1"/"0").
    NOTHING = {
        "jc": {"val": "left"},
        "u": {"val": "none"},
        "color": {"val": "auto"},
        "vertAlign": {"val": "baseline"},
        "highlight": {"val": "none"},
        "kern": {"val": "0"},
        "position": {"val": "0"},
        "w": {"val": "100"},
        "widowControl": {"val": "1"},
        "outlineLvl": {"val": "9"},
        "ind": {},
        "spacing": {},
    }

    def __init__(self, package: Package) -> None:
        main = package.main_part
        targets = {kind: target for kind, target, _mode in package.relationships(main).values()}
        self.styles: dict[str, etree._Element] = {}
        self.default: dict[str, str] = {}
        self.doc_p = self.doc_r = None
        root = package.xml(targets["styles"]) if targets.get("styles") in package.entries else None
        if root is not None:
            for style in root.iterfind(w("style")):
                self.styles.setdefault(style.get(w("styleId")), style)
                if style.get(w("default")) in ("1", "true", "on"):
                    self.default.setdefault(style.get(w("type")), style.get(w("styleId")))
            self.doc_p = root.find(f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}")
            self.doc_r = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        self.levels: dict[tuple[str, str], etree._Element] = {}
        numbering = package.xml(targets["numbering"]) if targets.get("numbering") in package.entries else None
        if numbering is not None:
            abstract = {a.get(w("abstractNumId")): a for a in numbering.iterfind(w("abstractNum"))}
            for num in numbering.iterfind(w("num")):
                ref = num.find(w("abstractNumId"))
                levels = abstract.get(ref.get(w("val")) if ref is not None else None)
                for lvl in [] if levels is None else levels.iterfind(w("lvl")):
                    self.levels[(num.get(w("numId")), lvl.get(w("ilvl")))] = lvl

    def name(self, style_id: str | None) -> str | None:
        """A style by its name, as Word's Styles pane shows it (another program may give it another id)."""
        style = self.styles.get(style_id)
        name = style.find(w("name")) if style is not None else None
        return name.get(w("val")) if name is not None else style_id

    def _chain(self, style_id: str | None, part: str) -> list:
        found, seen = [], set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            found.insert(0, self.styles[style_id].find(w(part)))
            based = self.styles[style_id].find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None
        return found

    @staticmethod
    def _attributes(element: etree._Element) -> dict[str, str]:
        values = {}
        for key, value in element.attrib.items():
            name = etree.QName(key).localname
            name = {"left": "start", "right": "end"}.get(name, name) if element.tag == w("ind") else name
            if re.fullmatch(r"\+?0*\d+", value) and element.tag not in (w("color"), w("shd")):
                value = str(int(value))  # "0160" is 160
            elif element.tag == w("lang"):
                value = value.lower()  # language tags are one in either case
            if value.lower() in ("true", "on"):
                value = "1"
            elif value.lower() in ("false", "off"):
                value = "0"
            values[name] = value
        return values

    def _resolve(self, name: str, levels: list, toggles: tuple = ()) -> tuple | None:
        """One aspect over its levels (the weakest first); toggles, the levels (styles) where it turns over."""
        value: dict[str, str] | None = None
        children: tuple = ()
        for index, level in enumerate(levels):
            element = level.find(w(name)) if level is not None else None
            if element is None:
                continue
            attributes = self._attributes(element)
            if name in self.ON_OFF:
                attributes.setdefault("val", "1")
            if name == "jc":
                attributes["val"] = {"start": "left", "end": "right"}.get(
                    attributes.get("val", ""), attributes.get("val", "")
                )
            for key in ("val", "fill", "color"):
                if name in ("color", "shd") and key in attributes and re.fullmatch(r"[0-9a-fA-F]{6}", attributes[key]):
                    attributes[key] = attributes[key].upper()
            if index in toggles and name in self.TOGGLE:
                if attributes["val"] == "1":
                    value = {"val": "0" if value is not None and value.get("val") == "1" else "1"}
                continue
            if name in ("ind", "spacing", "rFonts", "lang") and value is not None:
                if name == "ind" and ("hanging" in attributes or "firstLine" in attributes):
                    value = {k: v for k, v in value.items() if k not in ("hanging", "firstLine")}
                value = {**value, **attributes}
            else:
                value = attributes
            children = tuple(sorted((etree.QName(c).localname, tuple(sorted(c.attrib.items()))) for c in element))
        if value == {"val": "0"} and name in self.ON_OFF and name != "widowControl":
            value = None  # off, as where nothing sets it
        if value is not None and name in ("ind", "spacing"):
            value = {k: v for k, v in value.items() if v.lstrip("0") != "" or k in ("line",)}
            if value.get("line") == "240" and value.get("lineRule", "auto") == "auto":
                value = {k: v for k, v in value.items() if k not in ("line", "lineRule")}
        if (
            value is not None
            and name == "shd"
            and value.get("fill", "auto").lower() == "auto"
            and value.get("val", "clear") in ("clear", "nil")
        ):
            value = None
        if value is None or (value == self.NOTHING.get(name, None) and not children):
            return None
        if name == "numPr" and dict(children).get("numId") == ((f"{{{W_NS}}}val", "0"),):
            return None
        return tuple(sorted(value.items())), children

    def paragraph(self, paragraph: etree._Element) -> tuple:
        own = paragraph.find(w("pPr"))
        style = own.find(w("pStyle")) if own is not None else None
        style_id = style.get(w("val")) if style is not None else self.default.get("paragraph")
        table = next(paragraph.iterancestors(w("tbl")), None)
        table_style = table.find(f"{w('tblPr')}/{w('tblStyle')}") if table is not None else None
        below = [self.doc_p, *self._chain(table_style.get(w("val")) if table_style is not None else None, "pPr")]
        below += self._chain(style_id, "pPr")
        listed = self._resolve("numPr", [*below, own])
        level = None
        if listed is not None:
            found = dict(listed[1])
            level = self.levels.get(
                (
                    dict(found.get("numId", ())).get(f"{{{W_NS}}}val"),
                    dict(found.get("ilvl", ())).get(f"{{{W_NS}}}val", "0"),
                )
            )
        levels = [*below, level.find(w("pPr")) if level is not None else None, own]
        names = dict.fromkeys([*self.PARAGRAPH, *(etree.QName(c).localname for c in (own if own is not None else []))])
        found = [("pStyle", self.name(style_id))]
        for name in names:
            if name in self.UNSEEN or name == "pStyle":
                continue
            value = self._resolve(name, levels)
            if value is not None:
                found.append((name, value))
        return tuple(found)

    def run(self, paragraph: etree._Element, own: etree._Element | None) -> tuple:
        properties = paragraph.find(w("pPr"))
        style = properties.find(w("pStyle")) if properties is not None else None
        style_id = style.get(w("val")) if style is not None else self.default.get("paragraph")
        character = own.find(w("rStyle")) if own is not None else None
        table = next(paragraph.iterancestors(w("tbl")), None)
        table_style = table.find(f"{w('tblPr')}/{w('tblStyle')}") if table is not None else None
        styled = [
            *self._chain(table_style.get(w("val")) if table_style is not None else None, "rPr"),
            *self._chain(style_id, "rPr"),
            *self._chain(character.get(w("val")) if character is not None else None, "rPr"),
        ]
        levels = [self.doc_r, *styled, own]
        toggles = tuple(range(1, len(styled) + 1))
        names = dict.fromkeys([*self.RUN, *(etree.QName(c).localname for c in (own if own is not None else []))])
        found = [("rStyle", self.name(character.get(w("val")) if character is not None else None))]
        for name in names:
            if name in self.UNSEEN or name == "rStyle":
                continue
            value = self._resolve(name, levels, toggles)
            if value is not None:
                found.append((name, value))
        return tuple(found)


def story_formatting(root: etree._Element, styles: StyleSheet | None = None) -> list[tuple]:
    """Every paragraph's formatting in reading order: its own (style, list, indents...), its mark's (the run
    properties of its pilcrow), and its text's as stretches of one run formatting; with styles, each as a reader
    sees it (StyleSheet), else as written."""
    found = []
    for paragraph in root.iter(w("p")):
        if not _visible(paragraph):
            continue
        own = paragraph.find(w("pPr"))
        mark = own.find(w("rPr")) if own is not None else None
        stretches: list[list] = []
        for run in paragraph.iter(w("r")):
            if not _visible(run) or next(run.iterancestors(w("p"))) is not paragraph:
                continue
            text = "".join(t.text or "" for t in run if t.tag == w("t"))
            # A note's reference mark (the superscript number) is seen, and formatted, as text is.
            text += "".join("[note]" for c in run if c.tag in (w("footnoteReference"), w("endnoteReference")))
            properties = run.find(w("rPr"))
            formatting = styles.run(paragraph, properties) if styles is not None else _properties(properties)
            if not text:
                continue
            if stretches and stretches[-1][1] == formatting:
                stretches[-1][0] += text
            else:
                stretches.append([text, formatting])
        if styles is not None:
            found.append((styles.paragraph(paragraph), styles.run(paragraph, mark), tuple(tuple(s) for s in stretches)))
        else:
            found.append((_properties(own), _properties(mark), tuple(tuple(s) for s in stretches)))
    return found


def story_text(root: etree._Element) -> list[str]:
    """Every paragraph of a story in reading order; a text box's paragraphs follow the paragraph holding it."""
    return [paragraph_text(p) for p in root.iter(w("p")) if _visible(p)]


def _picture_hashes(root, package: Package | None, part: str | None) -> list[str]:
    rels = package.relationships(part) if package is not None and part else {}
    found = []
    for blip in root.iter(f"{{{NS['a']}}}blip", f"{{{NS['v']}}}imagedata"):
        if not _visible(blip):
            continue
        rid = blip.get(f"{{{REL}}}embed") or blip.get(f"{{{REL}}}id") or blip.get(f"{{{REL}}}link")
        target = rels.get(rid, ("", "", ""))
        data = package.entries.get(target[1]) if package is not None else None
        found.append(hashlib.sha256(data).hexdigest()[:12] if data else f"({target[1] or rid})")
    return sorted(found)


def structure(root, package: Package | None = None, part: str | None = None) -> Counter:
    """Counts of the things that must survive accept-all and reject-all."""

    def count(*tags):
        return sum(1 for e in root.iter(*tags) if _visible(e))

    counts = Counter(
        {
            "footnote refs": count(w("footnoteReference")),
            "endnote refs": count(w("endnoteReference")),
            "comment anchors": count(w("commentRangeStart"), w("commentReference")),
            "pictures": len(_picture_hashes(root, package, part)),
            "hyperlinks": count(w("hyperlink")),
            "bookmarks": count(w("bookmarkStart")),
            "content controls": count(w("sdt")),
            "text boxes": count(w("txbxContent")),
            "equations": count(f"{{{NS['m']}}}oMath"),
            "section breaks": count(w("sectPr")),
            "fields": count(w("fldSimple"))
            + sum(1 for e in root.iter(w("fldChar")) if e.get(w("fldCharType")) == "begin" and _visible(e)),
            "tables": count(w("tbl")),
            "rows": count(w("tr")),
        }
    )
    for digest in _picture_hashes(root, package, part):
        counts[f"picture {digest}"] += 1
    for control in root.iter(w("sdt")):
        if _visible(control):
            counts[f"content control {_control_shape(control)}"] += 1
    return +counts


def _control_name(control: etree._Element) -> str:
    """A content control's title and tag, as Word's Content Control Properties show them."""
    found = [control.find(f"{w('sdtPr')}/{w(name)}") for name in ("alias", "tag")]
    return "/".join(e.get(w("val"), "") if e is not None else "" for e in found)


def _control_shape(control: etree._Element) -> str:
    """Which controls hold a content control (outermost first), its name, and the paragraphs and tables it
    holds (or its text, in a paragraph), so a control put round other paragraphs, nested otherwise or renamed
    reads as a difference."""
    chain = [_control_name(c) for c in control.iterancestors(w("sdt"))][::-1] + [_control_name(control)]
    held: list[str] = []

    def walk(node: etree._Element) -> None:
        for child in node:
            if child.tag == w("p"):
                held.append(paragraph_text(child)[:40])
            elif child.tag in (w("tbl"), w("tr"), w("tc")):
                held.append(child.tag.rpartition("}")[2])
            elif child.tag in (w("sdt"), w("sdtContent"), w("customXml")):
                walk(child)

    content = control.find(w("sdtContent"))
    if content is not None:
        walk(content)
        if not held:  # a control in a paragraph: its words
            held.append(paragraph_text(content)[:40])
    return f"{' > '.join(repr(n) for n in chain)} holding {held!r}"


@dataclass
class Reading:
    """One version of a document as a reviewer sees it: text and structure of every story."""

    text: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, Counter] = field(default_factory=dict)
    formatting: dict[str, list[tuple]] | None = None
    """Each story's paragraphs' formatting (story_formatting), when it was asked for."""

    def all_text(self) -> str:
        return "\n".join(f"[{story}]\n" + "\n".join(lines) for story, lines in self.text.items())


def read_version(path: Path, *, mode: str = "accept", formatting: bool = False) -> Reading:
    """Text and structure of a .docx after accepting ('accept') or rejecting ('reject') every tracked change; with
    formatting, each paragraph's formatting too."""
    package = Package.read(path)
    reading = Reading(formatting={} if formatting else None)
    styles = StyleSheet(package) if formatting else None
    referenced: dict[str, list[str]] = {"footnotes": [], "endnotes": [], "comments": []}
    for kind, part in package.stories():
        root = resolve(package.xml(part), accept=(mode == "accept"))
        if kind in ("body", "header", "footer"):
            for tag, story in (
                ("footnoteReference", "footnotes"),
                ("endnoteReference", "endnotes"),
                ("commentReference", "comments"),
            ):
                referenced[story] += [e.get(w("id")) for e in root.iter(w(tag)) if _visible(e)]
        if kind in referenced:
            # A reader sees only the notes and comments the text refers to, in the order it refers to them;
            # separator notes and notes or comments no longer referenced are not shown by Word.
            notes = {note.get(w("id")): note for note in root}
            for note in list(root):
                root.remove(note)
            for key in dict.fromkeys(referenced[kind]):
                if key in notes:
                    root.append(notes[key])
            if not len(root):
                continue  # no note or comment shown: a reader sees the same as a document without the part
        name = kind if kind == "body" else f"{kind} {part.rsplit('/', 1)[-1]}"
        reading.text[name] = story_text(root)
        if kind == "body" and not reading.text[name]:
            # A body without a paragraph opens in Word as one empty paragraph (every story ends in a paragraph
            # mark, and Word cannot delete the last one), so the two read alike.
            reading.text[name] = [""]
        reading.counts[name] = structure(root, package, part)
        if reading.formatting is not None:
            reading.formatting[name] = story_formatting(root, styles)
    return reading


def differences(got: Reading, want: Reading) -> list[str]:
    """What differs between two readings, as short located lines (empty when they are the same)."""
    problems = []
    for story in sorted(set(got.text) | set(want.text)):
        a, b = got.text.get(story), want.text.get(story)
        if a != b:
            if a is None or b is None:
                problems.append(f"{story}: present in only one version")
                continue
            for index in range(max(len(a), len(b))):
                x = a[index] if index < len(a) else "(missing)"
                y = b[index] if index < len(b) else "(missing)"
                if x != y:
                    problems.append(f"{story} paragraph {index + 1}: got {x[:80]!r}, expected {y[:80]!r}")
                    break
            if len(a) != len(b):
                problems.append(f"{story}: {len(a)} paragraphs, expected {len(b)}")
        ca, cb = got.counts.get(story, Counter()), want.counts.get(story, Counter())
        for key in sorted(set(ca) | set(cb)):
            if ca[key] != cb[key]:
                problems.append(f"{story}: {key} {ca[key]}, expected {cb[key]}")
        if got.formatting is not None and want.formatting is not None:
            fa, fb = got.formatting.get(story, []), want.formatting.get(story, [])
            for index, (x, y) in enumerate(zip(fa, fb, strict=False)):  # a paragraph missing is told above
                if x != y:
                    problems.append(f"{story} paragraph {index + 1}: formatting {x!r}, expected {y!r}")
                    break
    return problems


def accept_existing(source: Path, target: Path, *, accept: bool = True) -> Path:
    """A copy of source with its own tracked changes accepted (or rejected), so a comparison starts from a clean
    version."""
    package = Package.read(source)
    for _, part in package.stories():
        root = package.xml(part)
        if has_revisions(root):
            package.set_xml(part, resolve(root, accept=accept))
    return package.write(target)


# ---------------------------------------------------------------- the seeded edit generator

WORDS = ("amended", "council", "revised", "committee", "budget", "deferred", "approved", "officer")
EDIT_KINDS = (
    "words",
    "insert paragraph",
    "delete paragraph",
    "table cell",
    "table row insert",
    "table row delete",
    "picture",
    "comment",
    "footnote",
    "endnote",
    "text box",
    "content control",
    "equation",
    "header",
    "footer",
    "header picture",  # last, so the places the seed picks for the kinds above stay as they were
)


def _texts(root, *, under: str | None = None, skip_fallback: bool = True) -> list[etree._Element]:
    nodes = root.iter(w("t")) if under is None else (t for u in root.iter(under) for t in u.iter(w("t")))
    return [t for t in nodes if (t.text or "").strip() and (not skip_fallback or _visible(t))]


def _change_word(t: etree._Element, rng: random.Random) -> str:
    text = t.text or ""
    words = list(re.finditer(r"[A-Za-z]{3,}", text))
    new_word = rng.choice(WORDS)
    if words:
        hit = rng.choice(words)
        if hit.group(0).lower() == new_word:
            new_word = new_word + "s"
        t.text = text[: hit.start()] + new_word + text[hit.end() :]
        return f"{hit.group(0)!r} -> {new_word!r}"
    t.text = text + " " + new_word
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return f"appended {new_word!r}"


def _tiny_png(seed: int) -> bytes:
    """A 2x2 PNG whose colour depends on seed: a picture with different content."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    colour = bytes(((seed * 67) % 256, (seed * 131) % 256, (seed * 29 + 90) % 256))
    raw = b"".join(b"\x00" + colour * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


class _Editor:
    def __init__(self, package: Package, rng: random.Random):
        self.package, self.rng = package, rng
        self.roots: dict[str, etree._Element] = {}

    def root(self, part):
        if part not in self.roots:
            self.roots[part] = self.package.xml(part)
        return self.roots[part]

    def parts(self, kind):
        return [part for k, part in self.package.stories() if k == kind]

    def body(self):
        root = self.root(self.package.main_part)
        return root, root.find(w("body"))

    def save(self):
        for part, root in self.roots.items():
            self.package.set_xml(part, root)

    # Each edit returns a description, or None when the document has nothing it applies to.
    def words(self):
        root, _ = self.body()
        texts = [t for t in _texts(root) if not any(a.tag == w("txbxContent") for a in t.iterancestors())]
        if not texts:
            return None
        return "body words " + _change_word(self.rng.choice(texts), self.rng)

    def _top_paragraphs(self, with_text=True):
        _, body = self.body()
        if body is None:
            return []
        return [
            p
            for p in body.findall(w("p"))
            if p.find(f"{w('pPr')}/{w('sectPr')}") is None and (not with_text or paragraph_text(p).strip())
        ]

    def insert_paragraph(self):
        paragraphs = self._top_paragraphs()
        if not paragraphs:
            return None
        after = self.rng.choice(paragraphs)
        new = etree.Element(w("p"))
        ppr = after.find(w("pPr"))
        if ppr is not None:
            copy = etree.fromstring(etree.tostring(ppr))
            for drop in copy.findall(w("sectPr")):
                copy.remove(drop)
            new.append(copy)
        run = etree.SubElement(new, w("r"))
        t = etree.SubElement(run, w("t"))
        t.text = f"The {self.rng.choice(WORDS)} paragraph {self.rng.randint(10, 99)} was added in this version."
        after.addnext(new)
        return f"inserted paragraph after {paragraph_text(after)[:30]!r}"

    def append_paragraph(self):
        _, body = self.body()
        new = etree.Element(w("p"))
        etree.SubElement(
            etree.SubElement(new, w("r")), w("t")
        ).text = f"A {self.rng.choice(WORDS)} note added at the end."
        last = body[-1] if len(body) else None
        if last is not None and last.tag == w("sectPr"):
            last.addprevious(new)
        else:
            body.append(new)
        return "appended a paragraph to an empty document"

    def delete_paragraph(self):
        candidates = [
            p
            for p in self._top_paragraphs()
            if not p.xpath(".//w:commentRangeStart|.//w:commentReference|.//w:commentRangeEnd", namespaces=NS)
        ]
        if len(candidates) < 2:
            return None
        victim = self.rng.choice(candidates)
        victim.getparent().remove(victim)
        return f"deleted paragraph {paragraph_text(victim)[:30]!r}"

    def _tables(self):
        root, _ = self.body()
        return [t for t in root.iter(w("tbl")) if _visible(t) and len(t.findall(w("tr"))) >= 1]

    def table_cell(self):
        texts = [t for table in self._tables() for t in _texts(table)]
        if not texts:
            return None
        return "table cell " + _change_word(self.rng.choice(texts), self.rng)

    def table_row_insert(self):
        tables = [t for t in self._tables() if _texts(t)]
        if not tables:
            return None
        table = self.rng.choice(tables)
        rows = [r for r in table.findall(w("tr")) if _texts(r)]
        if not rows:
            return None
        row = self.rng.choice(rows)
        copy = etree.fromstring(etree.tostring(row))
        for mark in copy.xpath(
            ".//w:bookmarkStart|.//w:bookmarkEnd|.//w:commentRangeStart|.//w:commentRangeEnd"
            "|.//w:commentReference|.//w:footnoteReference|.//w:endnoteReference",
            namespaces=NS,
        ):
            mark.getparent().remove(mark)
        for t in _texts(copy):
            t.text = f"{self.rng.choice(WORDS)} {self.rng.randint(100, 999)}"
        row.addnext(copy)
        return "inserted a table row"

    def table_row_delete(self):
        tables = [t for t in self._tables() if len(t.findall(w("tr"))) >= 3]
        if not tables:
            return None
        rows = [
            r
            for r in self.rng.choice(tables).findall(w("tr"))[1:]
            if not r.xpath(".//w:commentRangeStart|.//w:commentReference|.//w:vMerge", namespaces=NS)
        ]
        if not rows:
            return None
        victim = self.rng.choice(rows)
        victim.getparent().remove(victim)
        return "deleted a table row"

    def picture(self):
        root, _ = self.body()
        blips = [b for b in root.iter(f"{{{NS['a']}}}blip") if _visible(b) and b.get(f"{{{REL}}}embed")]
        if not blips:
            return None
        self._replace_picture(self.package.main_part, self.rng.choice(blips))
        return "replaced a picture"

    def header_picture(self):
        """A picture (a logo, say) replaced in a header or footer a section shows."""
        found = [
            (part, b)
            for part in self.parts("header") + self.parts("footer")
            for b in self.root(part).iter(f"{{{NS['a']}}}blip")
            if _visible(b) and b.get(f"{{{REL}}}embed")
        ]
        if not found:
            return None
        part, blip = self.rng.choice(found)
        self._replace_picture(part, blip)
        return f"replaced a picture in {part.rsplit('/', 1)[-1]}"

    def _replace_picture(self, part, blip):
        rels_name = self.package.rels_name(part)
        rels = self.package.xml(rels_name)
        number = 1
        while f"word/media/edited{number}.png" in self.package.entries:
            number += 1
        rid = f"rIdEdited{number}"
        etree.SubElement(
            rels, f"{{{NS['pr']}}}Relationship", Id=rid, Target=f"media/edited{number}.png", Type=f"{REL}/image"
        )
        self.package.set_xml(rels_name, rels)
        self.package.entries[f"word/media/edited{number}.png"] = _tiny_png(self.rng.randint(1, 10_000))
        types = self.package.xml("[Content_Types].xml")
        if not any(d.get("Extension", "").lower() == "png" for d in types.iterfind("ct:Default", NS)):
            etree.SubElement(types, f"{{{NS['ct']}}}Default", Extension="png", ContentType="image/png")
            self.package.set_xml("[Content_Types].xml", types)
        blip.set(f"{{{REL}}}embed", rid)

    def _story_words(self, kind, label):
        texts = [(part, t) for part in self.parts(kind) for t in _texts(self.root(part))]
        if kind in ("footnotes", "endnotes"):
            texts = [(part, t) for part, t in texts if int(next(t.iterancestors(w(kind[:-1]))).get(w("id"), "0")) > 0]
        if not texts:
            return None
        _, t = self.rng.choice(texts)
        return f"{label} " + _change_word(t, self.rng)

    def comment(self):
        return self._story_words("comments", "comment")

    def footnote(self):
        return self._story_words("footnotes", "footnote")

    def endnote(self):
        return self._story_words("endnotes", "endnote")

    def header(self):
        return self._story_words("header", "header")

    def footer(self):
        return self._story_words("footer", "footer")

    def text_box(self):
        root, _ = self.body()
        boxes = [b for b in root.iter(w("txbxContent")) if _visible(b) and _texts(b)]
        if not boxes:
            return None
        box = self.rng.choice(boxes)
        index = self.rng.randrange(len(_texts(box)))
        state = self.rng.getstate()
        said = _change_word(_texts(box)[index], self.rng)
        # Word keeps a VML copy of the box for older readers; an edit in Word changes both.
        choice = next((a for a in box.iterancestors(f"{{{NS['mc']}}}AlternateContent")), None)
        if choice is not None:
            for fallback in choice.iterfind("mc:Fallback", NS):
                for twin in fallback.iter(w("txbxContent")):
                    twin_texts = _texts(twin, skip_fallback=False)
                    if index < len(twin_texts):
                        self.rng.setstate(state)
                        _change_word(twin_texts[index], self.rng)
        return "text box " + said

    def content_control(self):
        root, _ = self.body()
        texts = [t for t in _texts(root, under=w("sdtContent"))]
        if not texts:
            return None
        return "content control " + _change_word(self.rng.choice(texts), self.rng)

    def equation(self):
        root, _ = self.body()
        texts = [t for t in root.iter(f"{{{NS['m']}}}t") if _visible(t) and (t.text or "").strip()]
        if not texts:
            return None
        t = self.rng.choice(texts)
        old = t.text
        t.text = old + "+1" if not old.endswith("+1") else old[:-2]
        return f"equation {old!r} -> {t.text!r}"


def edit_document(source: Path, target: Path, *, seed: int, kinds: tuple[str, ...] | None = None) -> list[str]:
    """Writes target as an edited new version of source; returns what was changed, one line per edit.

    With kinds None, every kind that applies is tried once, each at a place the seed picks.
    """
    package = Package.read(source)
    editor = _Editor(package, random.Random(seed))
    done = []
    for kind in kinds or EDIT_KINDS:
        said = getattr(editor, kind.replace(" ", "_"))()
        if said:
            done.append(said)
    if not done:
        # An empty document still gets a change a reader sees.
        done.append(editor.append_paragraph())
    editor.save()
    package.write(target)
    return done


# ---------------------------------------------------------------- LibreOffice, many files per start


def libreoffice_texts(
    documents: list[Path], out_dir: Path, *, soffice: str, timeout: int = 900
) -> dict[Path, str | None]:
    """Each document as LibreOffice's plain text, or None where it produced nothing.

    jtai_docs.libreoffice converts one file per LibreOffice start (seconds each); checking every redline
    of the corpus that way would take minutes, so this starts LibreOffice once for the whole batch.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="corpus-lo-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                "txt:Text (encoded):UTF8,LF,,,",
                "--outdir",
                str(out_dir),
                *map(str, documents),
            ],
            capture_output=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    results = {}
    for document in documents:
        produced = out_dir / (document.stem + ".txt")
        results[document] = produced.read_text(encoding="utf-8", errors="replace") if produced.exists() else None
    return results


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def zip_ok(path: Path) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
            return archive.testzip() is None
    except zipfile.BadZipFile:
        return False


def producer(application_name: str, source_path: str) -> str:
    """The producing application's family, from app.xml, or from the source file's own name where app.xml is silent."""
    if application_name.startswith("Microsoft Office Word"):
        return "Word (Windows)"
    if application_name.startswith("Microsoft Macintosh Word"):
        return "Word (Mac)"
    if application_name.startswith("Microsoft Word for the web"):
        return "Word for the web"
    if application_name.startswith("LibreOffice"):
        return "LibreOffice"
    if application_name.startswith("Microsoft Office Outlook"):
        return "Outlook"
    if application_name.startswith("docx4j"):
        return "docx4j"
    lowered = source_path.lower()
    if "google_docs" in lowered or "google-docs" in lowered:
        return "Google Docs (by its file name; no app.xml)"
    if "created-in-pages" in lowered:
        return "Pages (by its file name; app.xml names none)"
    return "unnamed (app.xml absent or silent)"


# ---------------------------------------------------------------- one case: edit, compare, read back


@dataclass
class Case:
    """The outcome of comparing one corpus document with its seeded edit."""

    document: str
    edits: list[str] = field(default_factory=list)
    error: str = ""
    accept_problems: list[str] = field(default_factory=list)
    reject_problems: list[str] = field(default_factory=list)
    changes: int = 0
    texts_differ: bool = False
    seconds: float = 0.0
    redline: Path | None = None
    old: Path | None = None
    new: Path | None = None

    @property
    def missed(self) -> bool:
        """A real difference reported as "No differences"."""
        return self.texts_differ and self.changes == 0 and not self.error

    @property
    def structure_kept(self) -> bool:
        counted = [
            p
            for p in self.accept_problems + self.reject_problems
            if ": " in p and " paragraph" not in p and "paragraphs," not in p
        ]
        return not counted and not self.error


def seed_for(name: str) -> int:
    """A fixed seed per document, so every run edits the same places."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)


def run_case(
    document: Path, work: Path, *, compare, seed: int | None = None, kinds: tuple[str, ...] | None = None
) -> Case:
    """Edits document, compares old and new with compare(old, new, redline_path=...), and reads the redline back."""
    import time

    case = Case(document=document.name)
    work.mkdir(parents=True, exist_ok=True)
    old = accept_existing(document, work / f"{document.stem}.old.docx")
    new = work / f"{document.stem}.new.docx"
    case.edits = edit_document(old, new, seed=seed_for(document.name) if seed is None else seed, kinds=kinds)
    case.old, case.new, case.redline = old, new, work / f"{document.stem}.redline.docx"
    want_new, want_old = read_version(new), read_version(old)
    case.texts_differ = bool(differences(want_new, want_old))
    started = time.perf_counter()
    try:
        case.changes = len(compare(old, new, redline_path=case.redline))
    except Exception as exc:  # noqa: BLE001 - any failure of the engine is a result to report per document
        case.error = f"{type(exc).__name__}: {str(exc)[:300]}"
        case.redline = None
        return case
    finally:
        case.seconds = time.perf_counter() - started
    case.accept_problems = differences(read_version(case.redline, mode="accept"), want_new)
    case.reject_problems = differences(read_version(case.redline, mode="reject"), want_old)
    return case
