"""Word documents holding what Word puts in real ones (notes, comments, pictures, links, fields, content
controls, text boxes, equations, bookmarks), built in code from a short description, and an independent reader
that counts what accepting or rejecting every tracked change leaves, without revisions.py."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
V = "urn:schemas-microsoft-com:vml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = f'xmlns:w="{W}" xmlns:m="{M}" xmlns:v="{V}" xmlns:r="{R}"'
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def png(red: int, green: int, blue: int) -> bytes:
    """A 2x2 PNG of one colour: a picture whose content differs with its colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes([red, green, blue]) * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


COLOURS = {"red": (200, 0, 0), "blue": (0, 0, 200), "green": (0, 160, 0)}


def _run(text: str) -> str:
    return f'<w:r {NS}><w:t xml:space="preserve">{text}</w:t></w:r>'


class _Builder:
    def __init__(self, document) -> None:
        self.document = document
        self.footnotes = None
        self.next_note = 1
        self.next_bookmark = 100

    def footnote(self, text: str) -> str:
        if self.footnotes is None:
            self.footnotes = parse_xml(
                f'<w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
                f'</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
                f"<w:continuationSeparator/></w:r></w:p></w:footnote></w:footnotes>"
            )
        note_id = self.next_note
        self.next_note += 1
        self.footnotes.append(
            parse_xml(
                f'<w:footnote {NS} w:id="{note_id}"><w:p><w:r><w:footnoteRef/></w:r>'
                f"{_run(' ' + text)}</w:p></w:footnote>"
            )
        )
        return f'<w:r {NS}><w:footnoteReference w:id="{note_id}"/></w:r>'

    def add(self, paragraph, item) -> None:
        p = paragraph._p
        if isinstance(item, str):
            paragraph.add_run(item)
            return
        kind, *args = item
        if kind == "fn":
            p.append(parse_xml(self.footnote(args[0])))
        elif kind == "comment":
            run = paragraph.add_run(args[0])
            self.document.add_comment(run, text=args[1], author="Officer", initials="O")
        elif kind == "pic":
            paragraph.add_run().add_picture(io.BytesIO(png(*COLOURS[args[0]])))
        elif kind == "link":
            rid = self.document.part.relate_to(args[0], RT.HYPERLINK, is_external=True)
            p.append(parse_xml(f'<w:hyperlink {NS} r:id="{rid}">{_run(args[1])}</w:hyperlink>'))
        elif kind == "field":
            for xml in (
                f'<w:r {NS}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {NS}><w:instrText xml:space="preserve"> {args[0]} </w:instrText></w:r>',
                f'<w:r {NS}><w:fldChar w:fldCharType="separate"/></w:r>',
                _run(args[1]),
                f'<w:r {NS}><w:fldChar w:fldCharType="end"/></w:r>',
            ):
                p.append(parse_xml(xml))
        elif kind == "sdt":
            p.append(
                parse_xml(
                    f'<w:sdt {NS}><w:sdtPr><w:alias w:val="{args[0]}"/><w:id w:val="{self.next_bookmark}"/>'
                    f"</w:sdtPr><w:sdtContent>{_run(args[1])}</w:sdtContent></w:sdt>"
                )
            )
            self.next_bookmark += 1
        elif kind == "textbox":
            p.append(
                parse_xml(
                    f'<w:r {NS}><w:pict><v:shape id="box{self.next_bookmark}" style="width:120pt;height:40pt" '
                    f'type="#_x0000_t202"><v:textbox><w:txbxContent><w:p>{_run(args[0])}</w:p></w:txbxContent>'
                    f"</v:textbox></v:shape></w:pict></w:r>"
                )
            )
            self.next_bookmark += 1
        elif kind == "math":
            p.append(parse_xml(f"<m:oMath {NS}><m:r><m:t>{args[0]}</m:t></m:r></m:oMath>"))
        elif kind == "bookmark":
            number = self.next_bookmark
            self.next_bookmark += 1
            p.append(parse_xml(f'<w:bookmarkStart {NS} w:id="{number}" w:name="{args[0]}"/>'))
            p.append(parse_xml(f'<w:bookmarkEnd {NS} w:id="{number}"/>'))
        else:
            raise ValueError(kind)

    def finish(self) -> None:
        if self.footnotes is not None:
            blob = etree.tostring(self.footnotes, xml_declaration=True, encoding="UTF-8", standalone=True)
            part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, blob, self.document.part.package)
            self.document.part.relate_to(part, RT.FOOTNOTES)


def write_document(path: Path, paragraphs) -> Path:
    """A .docx whose body is these paragraphs; each is a list of text and (kind, ...) items."""
    document = docx.Document()
    builder = _Builder(document)
    for items in paragraphs:
        style = "Normal"
        if items and isinstance(items[0], tuple) and items[0][0] == "style":
            style, items = items[0][1], items[1:]
        paragraph = document.add_paragraph(style=style)
        for item in items:
            builder.add(paragraph, item)
    builder.finish()
    document.save(str(path))
    return path


# -- an independent reader: what a reader sees once every change is accepted or rejected -------------------


def _inside(node, tags) -> bool:
    return any(ancestor.tag in tags for ancestor in node.iterancestors())


def _gone(node, *, accept: bool) -> bool:
    """Whether accepting (or rejecting) every change removes this node: it sits in a deletion (or insertion)."""
    removed = {qn("w:del"), qn("w:moveFrom")} if accept else {qn("w:ins"), qn("w:moveTo")}
    return any(a.tag in removed and a.getparent().tag != qn("w:rPr") for a in node.iterancestors())


def structure(path: Path, *, accept: bool | None = None) -> dict[str, list]:
    """What the document holds, as lists a reader can check: note and comment texts, picture hashes, link
    targets, bookmark names, content controls, equations, text boxes and fields; with accept=True/False,
    as Word shows it after Accept All or Reject All."""
    document = docx.Document(str(path))
    body = document.element.body
    part = document.part
    keep = (lambda node: True) if accept is None else (lambda node: not _gone(node, accept=accept))
    notes = {}
    try:
        footnotes = etree.fromstring(part.part_related_by(RT.FOOTNOTES).blob)
        # A note's words as they read once its own tracked changes are accepted or rejected too.
        notes = {
            n.get(qn("w:id")): "".join(
                t.text or ""
                for t in n.iter(qn("w:t"), qn("w:delText"))
                if (t.tag == qn("w:t") if accept is None else keep(t))
            ).strip()
            for n in footnotes.findall(qn("w:footnote"))
        }
    except KeyError:
        pass
    comments = {}
    try:
        root = part.part_related_by(RT.COMMENTS).element
        comments = {c.get(qn("w:id")): "".join(t.text or "" for t in c.iter(qn("w:t"))) for c in root}
    except KeyError:
        pass

    def blob(rid: str) -> str:
        return hashlib.sha256(part.related_parts[rid].blob).hexdigest()[:12]

    def text(node) -> str:
        return "".join(t.text or "" for t in node.iter(qn("w:t"), qn("w:delText"), f"{{{M}}}t") if keep(t))

    found = {
        "footnotes": [notes.get(n.get(qn("w:id"))) for n in body.iter(qn("w:footnoteReference")) if keep(n)],
        "comments": [comments.get(n.get(qn("w:id"))) for n in body.iter(qn("w:commentReference")) if keep(n)],
        "comment ranges": [comments.get(n.get(qn("w:id"))) for n in body.iter(qn("w:commentRangeStart")) if keep(n)],
        "pictures": [blob(n.get(qn("r:embed"))) for n in body.iter(qn("a:blip")) if keep(n)],
        "links": [
            (part.rels[n.get(qn("r:id"))].target_ref, text(n))
            for n in body.iter(qn("w:hyperlink"))
            if keep(n) and text(n)
        ],
        "bookmarks": sorted(
            n.get(qn("w:name")).replace("_GoBackOld", "_GoBack").removesuffix("_old")
            for n in body.iter(qn("w:bookmarkStart"))
            if keep(n)
        ),
        "content controls": [text(n) for n in body.iter(qn("w:sdt")) if keep(n)],
        "equations": [text(n) for n in body.iter(f"{{{M}}}oMath") if keep(n)],
        "text boxes": [text(n) for n in body.iter(qn("w:txbxContent")) if keep(n)],
        "fields": [],
    }
    # A field's code is the instruction text following its beginning, in document order.
    waiting = False
    for node in body.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:delInstrText")):
        if node.tag == qn("w:fldChar") and node.get(qn("w:fldCharType")) == "begin" and keep(node):
            waiting = True
        elif node.tag != qn("w:fldChar") and waiting:
            found["fields"].append((node.text or "").strip())
            waiting = False
    return found
