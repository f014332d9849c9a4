"""A picture, shape, chart or embedded object that differs in any way a reader sees (resized, moved, redrawn,
its alt text, title or click-link, the file inside it) is a summary line saying how, where that can be said
simply, and a tracked change: Reject All gives OLD's drawing back, Accept All NEW's. Run through the real CLI,
the redline read back by tests/helpers/corpus_tools.py (independent of jtai_docs.revisions)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree

from helpers import corpus_tools, run

_NAMESPACES = nsdecls("w", "wp", "a", "pic", "r") + (
    ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"'
)
_EMU = 914400
#: Attributes that name or number a drawing, which Word renumbers on every save.
_IDS = {"id", "name", "spid", "ShapeID", "ObjectID"}


def _picture(rid: str, *, size: int = _EMU, docpr: str = 'descr="Council logo"', inside: str = "") -> str:
    """A picture in line with the text, in DrawingML as Word writes it."""
    return (
        f'<w:r {_NAMESPACES}><w:drawing><wp:inline><wp:extent cx="{size}" cy="{size}"/>'
        f'<wp:docPr id="1" name="Picture 1" {docpr}>{inside}</wp:docPr><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
        '<pic:cNvPr id="1" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
        f'<a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm>'
        f'<a:off x="0" y="0"/><a:ext cx="{size}" cy="{size}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def _floating_shape(*, offset: int = 0, geometry: str = "rect", fill: str = "") -> str:
    """A shape anchored to the paragraph, floating at offset from the column's edge; filled with a colour, or
    with the picture of relationship fill when that starts with rId."""
    painted = (
        f'<a:blipFill><a:blip r:embed="{fill}"/><a:stretch><a:fillRect/></a:stretch></a:blipFill>'
        if fill.startswith("rId")
        else '<a:solidFill><a:srgbClr val="FF0000"/></a:solidFill>'
    )
    return (
        f'<w:r {_NAMESPACES}><w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" '
        'simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column">'
        f'<wp:posOffset>{offset}</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph">'
        f'<wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="{_EMU}" cy="{_EMU}"/><wp:wrapNone/>'
        '<wp:docPr id="3" name="Shape 3"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{_EMU}" cy="{_EMU}"/></a:xfrm>'
        f'<a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom>{painted}</wps:spPr><wps:bodyPr/></wps:wsp>'
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )


def _group(rid: str, colour: str) -> str:
    """A picture grouped with a coloured rectangle beside it."""
    return (
        f'<w:r {_NAMESPACES}><w:drawing><wp:inline><wp:extent cx="{2 * _EMU}" cy="{_EMU}"/>'
        '<wp:docPr id="9" name="Group 9"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"><wpg:wgp><wpg:cNvGrpSpPr/>'
        '<wpg:grpSpPr/><pic:pic><pic:nvPicPr><pic:cNvPr id="10" name="p"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{_EMU}" cy="{_EMU}"/></a:xfrm><a:prstGeom prst="rect">'
        "<a:avLst/></a:prstGeom></pic:spPr></pic:pic><wps:wsp><wps:cNvSpPr/><wps:spPr><a:xfrm>"
        f'<a:off x="{_EMU}" y="0"/><a:ext cx="{_EMU}" cy="{_EMU}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        f'</a:prstGeom><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></wps:spPr><wps:bodyPr/></wps:wsp>'
        "</wpg:wgp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def _embedded_workbook(preview: str, workbook: str) -> str:
    """A workbook embedded as an object, shown by its preview picture."""
    return (
        f'<w:r {_NAMESPACES}><w:object w:dxaOrig="1440" w:dyaOrig="1440"><v:shape id="_x0000_i1025" '
        'type="#_x0000_t75" style="width:72pt;height:72pt" o:ole="" alt="Budget workbook">'
        f'<v:imagedata r:id="{preview}" o:title=""/></v:shape><o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" '
        f'ShapeID="_x0000_i1025" DrawAspect="Content" ObjectID="_1234567890" r:id="{workbook}"/></w:object></w:r>'
    )


def _vml_picture(rid: str, href: str) -> str:
    """A picture in VML, as older versions of Word write it, leading to href when clicked."""
    return (
        f'<w:r {_NAMESPACES}><w:pict><v:shape id="_x0000_i1026" type="#_x0000_t75" alt="Council logo" '
        f'href="{href}" style="width:72pt;height:72pt"><v:imagedata r:id="{rid}" o:title=""/></v:shape>'
        "</w:pict></w:r>"
    )


def _with_image(document: Document, seed: int = 1) -> str:
    """The relationship id of a small picture added to the document's package."""
    part = Part(
        PackURI(f"/word/media/drawn{seed}.png"), "image/png", corpus_tools._tiny_png(seed), document.part.package
    )
    return document.part.relate_to(part, RT.IMAGE)


def _with_link(document: Document, url: str) -> str:
    return document.part.relate_to(url, RT.HYPERLINK, is_external=True)


def _with_workbook(document: Document, data: bytes) -> str:
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    part = Part(PackURI("/word/embeddings/Budget.xlsx"), kind, data, document.part.package)
    return document.part.relate_to(part, RT.PACKAGE)


Drawn = Callable[[Document], str]
"""Makes the run holding a drawing, adding to the document's package what it refers to."""

CASES: dict[str, tuple[Drawn, Drawn, str]] = {
    "picture resized": (
        lambda d: _picture(_with_image(d)),
        lambda d: _picture(_with_image(d), size=3 * _EMU),
        "picture (resized): Council logo",
    ),
    "shape moved": (
        lambda d: _floating_shape(),
        lambda d: _floating_shape(offset=3 * _EMU),
        "shape (moved)",
    ),
    "picture-filled shape redrawn": (
        lambda d: _floating_shape(fill=_with_image(d)),
        lambda d: _floating_shape(geometry="ellipse", fill=_with_image(d)),
        "picture (changed)",
    ),
    "group's other shape recoloured": (
        lambda d: _group(_with_image(d), "FF0000"),
        lambda d: _group(_with_image(d), "00FF00"),
        "picture (changed)",
    ),
    "title alone": (
        lambda d: _picture(_with_image(d), docpr='descr="Council logo" title="Logo, 2025"'),
        lambda d: _picture(_with_image(d), docpr='descr="Council logo" title="Logo, 2026"'),
        "picture (title changed): Council logo",
    ),
    "click-link": (
        lambda d: _picture(_with_image(d), inside=f'<a:hlinkClick r:id="{_with_link(d, "https://example.org/a")}"/>'),
        lambda d: _picture(_with_image(d), inside=f'<a:hlinkClick r:id="{_with_link(d, "https://example.org/b")}"/>'),
        "picture (link changed): Council logo",
    ),
    "click-link of an older picture": (
        lambda d: _vml_picture(_with_image(d), "https://example.org/a"),
        lambda d: _vml_picture(_with_image(d), "https://example.org/b"),
        "picture (link changed): Council logo",
    ),
    "alt text spacing": (
        lambda d: _picture(_with_image(d)),
        lambda d: _picture(_with_image(d), docpr='descr="Council  logo "'),
        "picture (alt text changed): Council logo",
    ),
    "embedded file under the same preview": (
        lambda d: _embedded_workbook(_with_image(d), _with_workbook(d, b"PK budget 2025")),
        lambda d: _embedded_workbook(_with_image(d), _with_workbook(d, b"PK budget 2026")),
        "object (changed): Budget workbook",
    ),
    "resized and moved": (
        lambda d: _floating_shape(),
        lambda d: _floating_shape(offset=_EMU).replace(f'<wp:extent cx="{_EMU}"', f'<wp:extent cx="{2 * _EMU}"'),
        "shape (resized, moved)",
    ),
}


def _version(path: Path, drawn: Drawn) -> Path:
    document = docx.Document()
    document.add_paragraph("The plan is on track.")
    paragraph = document.add_paragraph("Logo ")
    paragraph._p.append(parse_xml(drawn(document)))
    document.add_paragraph("Members are asked to note the report.")
    document.save(str(path))
    return path


def _drawings(path: Path, *, accept: bool = True) -> list[str]:
    """Each drawing of the body, with changes accepted or rejected, as canonical text: its elements, attributes
    (ids left out, relationships by the content or address they lead to) and element text."""
    package = corpus_tools.Package.read(path)
    part = package.main_part
    relationships = package.relationships(part)
    root = corpus_tools.resolve(package.xml(part), accept=accept)
    found = []
    for drawing in root.iter(corpus_tools.w("drawing"), corpus_tools.w("pict"), corpus_tools.w("object")):
        lines = []
        for node in drawing.iter():
            if not isinstance(node.tag, str):
                continue
            line = etree.QName(node).localname
            for name, value in sorted(node.attrib.items()):
                local = etree.QName(name).localname
                if name.startswith("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"):
                    _kind, target, _mode = relationships[value]
                    data = package.entries.get(target)
                    value = hashlib.sha256(data).hexdigest() if data is not None else target
                elif local in _IDS:
                    continue
                line += f" {local}={value}"
            line += f" '{(node.text or '').strip()}'"
            lines.append(line)
        found.append("\n".join(lines))
    return found


@pytest.mark.parametrize(("before", "after", "said"), CASES.values(), ids=CASES.keys())
def test_a_drawing_changed_is_said_and_tracked_both_ways(tmp_path, before, after, said):
    old = _version(tmp_path / "old.docx", before)
    new = _version(tmp_path / "new.docx", after)
    redline = tmp_path / "redline.docx"
    result = run("diff", str(old), str(new), "-o", str(redline))
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[1:-1] == [f'  the paragraph "Logo": "{said.split(" (")[0]}{_label_tail(said)}" -> "{said}"']
    assert _drawings(old) != _drawings(new)  # the pair differs in its drawing, as the case says
    assert _drawings(redline, accept=True) == _drawings(new)
    assert _drawings(redline, accept=False) == _drawings(old)
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], mode


def _label_tail(said: str) -> str:
    """The name after the kind in a label such as "picture (resized): Council logo": ": Council logo"."""
    _head, colon, name = said.partition(": ")
    return f"{colon}{name}"


def test_a_drawing_the_same_but_for_its_ids_is_no_difference(tmp_path):
    """Word renumbers drawings (docPr ids and names, stacking order) on every save: not a difference."""
    old = _version(tmp_path / "old.docx", lambda d: _floating_shape(offset=_EMU))
    new = _version(
        tmp_path / "new.docx",
        lambda d: (
            _floating_shape(offset=_EMU)
            .replace('id="3" name="Shape 3"', 'id="7" name="Shape 7"')
            .replace('relativeHeight="251659264"', 'relativeHeight="251660288"')
        ),
    )
    result = run("diff", str(old), str(new))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("No differences")


def _added_picture(
    path: Path, resave: Callable[[etree._Element], None] | None = None, *, alt: str | None = "Council logo"
) -> Path:
    """A document with a picture added as python-docx adds one (alt text "Council logo"), its drawing then edited
    by resave as another application writes the same picture."""
    document = docx.Document()
    document.add_paragraph("The plan is on track.")
    paragraph = document.add_paragraph("Logo ")
    image = tmp_image = path.with_suffix(".png")
    tmp_image.write_bytes(corpus_tools._tiny_png(3))
    paragraph.add_run().add_picture(str(image), width=_EMU)
    drawing = paragraph._p.find(f".//{corpus_tools.w('drawing')}")
    if alt is not None:
        drawing.find(f".//{{{_WP}}}docPr").set("descr", alt)
    if resave is not None:
        resave(drawing)
    document.add_paragraph("Members are asked to note the report.")
    document.save(str(path))
    return path


_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def _first(drawing: etree._Element, namespace: str, name: str) -> etree._Element:
    return drawing.find(f".//{{{namespace}}}{name}")


def _inserted_after(drawing: etree._Element, namespace: str, name: str, xml: str) -> None:
    _first(drawing, namespace, name).addnext(parse_xml(xml))


def _extension_list(drawing: etree._Element) -> None:
    _first(drawing, _A, "blip").append(
        parse_xml(
            f'<a:extLst xmlns:a="{_A}"><a:ext uri="{{28A0092B-C50C-407E-A947-70E740481C1C}}">'
            '<a14:useLocalDpi xmlns:a14="http://schemas.microsoft.com/office/drawing/2010/main" val="0"/>'
            "</a:ext></a:extLst>"
        )
    )


def _empty_frame_locks(drawing: etree._Element) -> None:
    holder = _first(drawing, _WP, "cNvGraphicFramePr")
    for child in list(holder):
        holder.remove(child)


def _picture_locks(drawing: etree._Element) -> None:
    _first(drawing, _PIC, "cNvPicPr").append(
        parse_xml(f'<a:picLocks xmlns:a="{_A}" noChangeAspect="1" noChangeArrowheads="1"/>')
    )


def _distances(drawing: etree._Element) -> None:
    for side in "TBLR":
        _first(drawing, _WP, "inline").set(f"dist{side}", "0")


#: How applications re-saving a document write the same picture (LibreOffice writes several of these at once).
RESAVED = {
    "effect extent of zeros": lambda d: _inserted_after(
        d, _WP, "extent", f'<wp:effectExtent xmlns:wp="{_WP}" l="0" t="0" r="0" b="0"/>'
    ),
    "distances from the text of zero": _distances,
    "frame locks left out": _empty_frame_locks,
    "local resolution extension": _extension_list,
    "empty alt text title": lambda d: _first(d, _WP, "docPr").set("title", ""),
    "picture locks": _picture_locks,
    "black-and-white mode": lambda d: _first(d, _PIC, "spPr").set("bwMode", "auto"),
    "empty adjustments": lambda d: _first(d, _A, "prstGeom").append(parse_xml(f'<a:avLst xmlns:a="{_A}"/>')),
    "all at once": lambda d: [
        change(d) for change in (_distances, _empty_frame_locks, _extension_list, _picture_locks)
    ],
}


@pytest.mark.parametrize("resave", RESAVED.values(), ids=RESAVED.keys())
def test_a_picture_resaved_with_default_values_is_no_difference(tmp_path, resave):
    """An application that re-saves a document writes a picture's defaults (no effect extent, no distance from the
    text, locks against editing, its own extensions): nothing a reader sees, so "No differences" and no tracked
    replacement."""
    old = _added_picture(tmp_path / "old.docx")
    new = _added_picture(tmp_path / "new.docx", resave)
    redline = tmp_path / "redline.docx"
    result = run("diff", str(old), str(new), "-o", str(redline))
    assert result.exit_code == 0 and result.stdout.startswith("No differences"), result.output
    assert (
        corpus_tools.differences(corpus_tools.read_version(redline, mode="reject"), corpus_tools.read_version(old))
        == []
    )
    body = corpus_tools.Package.read(redline).xml("word/document.xml")
    assert not corpus_tools.has_revisions(body)


def test_a_picture_resaved_with_an_empty_description_is_no_difference(tmp_path):
    """descr="" is no alt text, as is no descr at all: the summary and the redline agree there is no difference."""
    old = _added_picture(tmp_path / "old.docx", alt=None)
    new = _added_picture(tmp_path / "new.docx", alt="")
    redline = tmp_path / "redline.docx"
    result = run("diff", str(old), str(new), "-o", str(redline))
    assert result.exit_code == 0 and result.stdout.startswith("No differences"), result.output
    assert not corpus_tools.has_revisions(corpus_tools.Package.read(redline).xml("word/document.xml"))


def _resized(drawing: etree._Element) -> None:
    for extent in (_first(drawing, _WP, "extent"), _first(drawing, _A, "ext")):
        extent.set("cx", str(2 * _EMU))


def _cropped(drawing: etree._Element) -> None:
    _first(drawing, _A, "blip").addnext(parse_xml(f'<a:srcRect xmlns:a="{_A}" l="10000" r="10000"/>'))


def _new_alt_text(drawing: etree._Element) -> None:
    _first(drawing, _WP, "docPr").set("descr", "Town hall")


def _floating(drawing: etree._Element, offset: int = 0) -> None:
    """The picture made to float, at offset from the column's edge."""
    inline = _first(drawing, _WP, "inline")
    inline.tag = f"{{{_WP}}}anchor"
    for name, value in (
        ("distT", "0"),
        ("distB", "0"),
        ("distL", "114300"),
        ("distR", "114300"),
        ("simplePos", "0"),
        ("relativeHeight", "1"),
        ("behindDoc", "0"),
        ("locked", "0"),
        ("layoutInCell", "1"),
        ("allowOverlap", "1"),
    ):
        inline.set(name, value)
    inline.insert(
        0,
        parse_xml(
            f'<wp:positionV xmlns:wp="{_WP}" relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        ),
    )
    inline.insert(
        0,
        parse_xml(
            f'<wp:positionH xmlns:wp="{_WP}" relativeFrom="column"><wp:posOffset>{offset}</wp:posOffset></wp:positionH>'
        ),
    )
    inline.insert(0, parse_xml(f'<wp:simplePos xmlns:wp="{_WP}" x="0" y="0"/>'))
    _first(drawing, _WP, "extent").addnext(parse_xml(f'<wp:wrapSquare xmlns:wp="{_WP}" wrapText="bothSides"/>'))


def _moved(drawing: etree._Element) -> None:
    _first(drawing, _WP, "posOffset").text = str(_EMU)


REAL = {
    "resized": (None, _resized, '"picture: Council logo" -> "picture (resized): Council logo"'),
    "moved": (_floating, _moved, '"picture: Council logo" -> "picture (moved): Council logo"'),
    "cropped": (None, _cropped, '"picture: Council logo" -> "picture (changed): Council logo"'),
    "alt text": (None, _new_alt_text, '"picture: Council logo" -> "picture: Town hall"'),
    # Both told: the new alt text in its label, the new size in words (#10, A9).
    "resized and alt text": (
        None,
        lambda d: [_resized(d), _new_alt_text(d)],
        '"picture: Council logo" -> "picture (resized): Town hall"',
    ),
}


@pytest.mark.parametrize(("before", "after", "said"), REAL.values(), ids=REAL.keys())
def test_a_real_change_of_a_resaved_picture_is_still_said_and_tracked(tmp_path, before, after, said):
    """Beside default values written by a re-saving application, a real change is still told and tracked."""

    def resaved(drawing: etree._Element) -> None:
        if before is None:  # a floating picture has its distances from the text written already
            _distances(drawing)
        _extension_list(drawing)
        _picture_locks(drawing)
        if before is not None:
            before(drawing)
        after(drawing)

    old = _added_picture(tmp_path / "old.docx", before)
    new = _added_picture(tmp_path / "new.docx", resaved)
    redline = tmp_path / "redline.docx"
    result = run("diff", str(old), str(new), "-o", str(redline))
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[1:-1] == [f'  the paragraph "Logo": {said}']
    assert _drawings(redline, accept=True) == _drawings(new)
    assert _drawings(redline, accept=False) == _drawings(old)
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], mode


def _size_rounded_to_twips(drawing: etree._Element) -> None:
    """The picture's size as LibreOffice writes it back, rounded to its own unit (a twip, 635 EMU)."""
    for extent in (_first(drawing, _WP, "extent"), _first(drawing, _A, "ext")):
        extent.set("cx", str(round(int(extent.get("cx")) / 635) * 635))
        extent.set("cy", str(round(int(extent.get("cy")) / 635) * 635 + 635))


def _width(emu: int) -> Callable[[etree._Element], None]:
    def sized(drawing: etree._Element) -> None:
        for extent in (_first(drawing, _WP, "extent"), _first(drawing, _A, "ext")):
            extent.set("cx", str(emu))

    return sized


ROUNDED = {
    "size rounded to twips": (None, _size_rounded_to_twips),
    "place rounded to twips": (_floating, lambda d: _first(d, _WP, "posOffset").__setattr__("text", "635")),
    # LibreOffice re-saving 5.0051 cm as 5.0042 cm: 0.0009 cm apart, though rounded they read 5.01 and 5.00.
    "size either side of 0.005 cm": (_width(1_801_836), _width(1_801_512)),
    "size just under 0.01 cm more": (None, lambda d: _first(d, _WP, "extent").set("cx", str(_EMU + 3599))),
    # Laid out in its table cell or not means nothing outside a table; LibreOffice writes 0 where Word wrote 1.
    "floating picture outside a table re-saved with layoutInCell 0": (
        _floating,
        lambda d: _first(d, _WP, "anchor").set("layoutInCell", "0"),
    ),
}


@pytest.mark.parametrize(("before", "after"), ROUNDED.values(), ids=ROUNDED.keys())
def test_a_picture_whose_size_or_place_was_rounded_on_resaving_is_no_difference(tmp_path, before, after):
    """Word's Size and Layout dialogs show a picture's size and position to a hundredth of a centimetre; an
    application re-saving the document in its own units moves them by less than that: nothing a reader can see,
    so "No differences" and no tracked replacement (LibreOffice's re-save said "picture (resized)")."""

    def resaved(drawing: etree._Element) -> None:
        if before is not None:
            before(drawing)
        after(drawing)

    old = _added_picture(tmp_path / "old.docx", before)
    new = _added_picture(tmp_path / "new.docx", resaved)
    assert _drawings(old) != _drawings(new)  # the XML differs
    redline = tmp_path / "redline.docx"
    result = run("diff", str(old), str(new), "-o", str(redline))
    assert result.exit_code == 0 and result.stdout.startswith("No differences"), result.output
    assert not corpus_tools.has_revisions(corpus_tools.Package.read(redline).xml("word/document.xml"))


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        (None, lambda d: _first(d, _WP, "extent").set("cx", str(_EMU + 3600)), "resized"),
        (_floating, lambda d: _first(d, _WP, "posOffset").__setattr__("text", "3600"), "moved"),
    ],
    ids=["resized by 0.01 cm", "moved by 0.01 cm"],
)
def test_a_picture_resized_or_moved_by_what_words_dialog_shows_is_a_change(tmp_path, before, after, said):
    def changed(drawing: etree._Element) -> None:
        if before is not None:
            before(drawing)
        after(drawing)

    old = _added_picture(tmp_path / "old.docx", before)
    new = _added_picture(tmp_path / "new.docx", changed)
    result = run("diff", str(old), str(new))
    assert result.exit_code == 1, result.output
    assert f'"picture: Council logo" -> "picture ({said}): Council logo"' in result.stdout


def test_words_edited_beside_a_picture_resaved_within_a_hundredth_of_a_centimetre_track_only_the_words(tmp_path):
    """The picture is the same to the summary and to the redline alike: only the edited word is tracked, and
    Accept All keeps NEW's picture as it is."""

    def edited(drawing: etree._Element) -> None:
        _width(1_801_512)(drawing)
        paragraph = next(drawing.iterancestors(corpus_tools.w("p")))
        paragraph.find(f"{corpus_tools.w('r')}/{corpus_tools.w('t')}").text = "Crest "

    old = _added_picture(tmp_path / "old.docx", _width(1_801_836))
    new = _added_picture(tmp_path / "new.docx", edited)
    redline = tmp_path / "redline.docx"
    result = run("diff", str(old), str(new), "-o", str(redline))
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[1:-1] == ['  the paragraph "Crest": "Logo" -> "Crest"']
    assert _drawings(redline, accept=True) == _drawings(new)
    body = corpus_tools.Package.read(redline).xml("word/document.xml")
    tracked = [change for change in body.iter(corpus_tools.w("ins"), corpus_tools.w("del"))]
    assert all(change.find(f".//{corpus_tools.w('drawing')}") is None for change in tracked)
