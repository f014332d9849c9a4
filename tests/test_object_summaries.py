"""Pictures, shapes and charts in a summary are named as the text view shows them (kind and alt text, never a
content hash), a shape redrawn is a difference tracked both ways, and a version whose chart is damaged or
missing is refused with a message naming that file and part."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from helpers import corpus_tools, libreoffice_lines, run
from jtai_docs import pipeline, revisions
from jtai_docs.errors import UsageError, damaged_xml_in_plain_words


def _shape(geometry: str, *, alt: str = "", fill: str = "FF0000") -> str:
    described = f' descr="{alt}"' if alt else ""
    return (
        f'<w:r {nsdecls("w", "wp", "a")}><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/>'
        f'<wp:docPr id="3" name="Shape 3"{described}/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:cNvSpPr/><wps:spPr>'
        '<a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
        f'<a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="{fill}"/>'
        "</a:solidFill></wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def _version(path: Path, middle: list[str], *, text: str = "") -> Path:
    """Intro, a paragraph holding text and the given runs of XML, and a closing line."""
    document = docx.Document()
    document.add_paragraph("The plan is on track.")
    paragraph = document.add_paragraph(text)
    for xml in middle:
        paragraph._p.append(parse_xml(xml))
    document.add_paragraph("Members are asked to note the report.")
    document.save(str(path))
    return path


def _picture_run(document_path: Path, png: Path, alt: str) -> Path:
    document = docx.Document(str(document_path))
    paragraph = document.paragraphs[1]
    paragraph.add_run().add_picture(str(png))
    document.inline_shapes[-1]._inline.docPr.set("descr", alt)
    document.save(str(document_path))
    return document_path


def _pictures(folder: Path, name: str) -> dict[int, Path]:
    """Two small pictures of different content, numbered 1 and 2."""
    found = {}
    for number in (1, 2):
        found[number] = folder / f"{name}{number}.png"
        found[number].write_bytes(corpus_tools._tiny_png(number))
    return found


def _exact_both_ways(redline: Path, old: Path, new: Path) -> None:
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], mode


def _geometry(path: Path, mode: str | None = None) -> list[tuple[str | None, str | None]]:
    body = docx.Document(str(path)).element.body
    if mode is not None:
        body = revisions.accept_all(body) if mode == "accept" else revisions.reject_all(body)
    fills = [f.get("val") for f in body.iter(qn("a:srgbClr"))]
    return list(zip([g.get("prst") for g in body.iter(qn("a:prstGeom"))], fills, strict=True))


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        ({"geometry": "rect"}, {"geometry": "ellipse"}, ("shape", "shape (changed)")),
        ({"geometry": "rect"}, {"geometry": "rect", "fill": "0000FF"}, ("shape", "shape (changed)")),
        # Redrawn and given alt text: both told, the alt text in its label (#10).
        ({"geometry": "rect"}, {"geometry": "rightArrow", "alt": "Direction of travel"}, None),
    ],
    ids=["outline", "fill", "alt text"],
)
def test_a_shape_redrawn_is_a_difference_tracked_both_ways(tmp_path, before, after, said):
    """A rectangle redrawn as an ellipse, or filled in another colour, is what a reader sees change: it was
    "No differences". The redline replaces the shape, so Accept All gives the new one and Reject All the old."""
    old = _version(tmp_path / "old.docx", [_shape(**before)])
    new = _version(tmp_path / "new.docx", [_shape(**after)])
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    expected = said or ("shape", "shape (changed): Direction of travel")
    assert [(c.where, c.old, c.new) for c in changes] == [("a paragraph without text", *expected)]
    for mode, version in (("accept", new), ("reject", old)):
        assert _geometry(redline, mode) == _geometry(version), mode
    _exact_both_ways(redline, old, new)


def test_a_shape_whose_words_alone_changed_is_the_same_shape(tmp_path):
    """A shape is compared by how it is drawn; the words in a text box are compared as words."""
    box = "<wps:txbx><w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/>"
    old = _version(tmp_path / "old.docx", [_shape("rect").replace("<wps:bodyPr/>", box.format("Due in May"))])
    new = _version(tmp_path / "new.docx", [_shape("rect").replace("<wps:bodyPr/>", box.format("Due in June"))])
    changes = pipeline.compare_reports(old, new)
    assert [(c.old, c.new) for c in changes] and all("shape" not in c.new for c in changes), changes
    assert [e.new for c in changes for e in c.edits] == ["June"]


def test_a_shape_added_alone_is_named_not_called_an_empty_paragraph(tmp_path):
    old = tmp_path / "old.docx"
    document = docx.Document()
    document.add_paragraph("The plan is on track.")
    document.add_paragraph("Members are asked to note the report.")
    document.save(str(old))
    new = _version(tmp_path / "new.docx", [_shape("rightArrow", alt="Direction of travel")])
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert [(c.kind, c.where, c.new) for c in changes] == [
        ("added", "a paragraph without text", "shape: Direction of travel")
    ]
    _exact_both_ways(redline, old, new)


def test_pictures_are_named_by_alt_text_and_a_replaced_one_is_said_to_be_changed(tmp_path):
    """A summary names a picture as the text view does; a picture replaced by another with the same alt text is
    "changed", not two strings of hexadecimal."""
    logos = _pictures(tmp_path, "logo")
    old = _picture_run(_version(tmp_path / "old.docx", []), logos[1], "Council logo")
    new = _picture_run(_version(tmp_path / "new.docx", []), logos[2], "Council logo")
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert [(c.where, c.old, c.new) for c in changes] == [
        ("a paragraph without text", "picture: Council logo", "picture (changed): Council logo")
    ]
    _exact_both_ways(redline, old, new)


def test_a_caption_typed_beside_a_picture_is_those_words_added(tmp_path):
    """Typing "Figure 1" beside a picture edits that paragraph: the summary says the words were added (not the
    picture removed and a paragraph added) and the redline inserts only those words."""
    logo = tmp_path / "logo.png"
    logo.write_bytes(corpus_tools._tiny_png(1))
    old = _picture_run(_version(tmp_path / "old.docx", []), logo, "Council logo")
    new = _picture_run(_version(tmp_path / "new.docx", [], text="Figure 1 "), logo, "Council logo")
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert [(c.kind, c.where, [(e.old, e.new) for e in c.edits]) for c in changes] == [
        ("changed", 'the paragraph "Figure 1"', [("", "Figure 1 ")])
    ]
    body = docx.Document(str(redline)).element.body
    assert ["".join(t.text for t in i.iter(qn("w:t"))) for i in body.iter(qn("w:ins"))] == ["Figure 1 "]
    assert not list(body.iter(qn("w:del")))
    _exact_both_ways(redline, old, new)
    assert "The plan is on track." in libreoffice_lines(redline)


def _chart_versions(tmp_path: Path, chart: bytes | None) -> tuple[Path, Path]:
    """A real chart document and a copy whose chart part holds chart (None: the part is missing)."""
    source = corpus_tools.CORPUS / "powertools_CU014-Chart-Embedded-Xlsx-06.docx"
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    old.write_bytes(source.read_bytes())
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(new, "w") as edited:
        for item in original.infolist():
            if item.filename == "word/charts/chart1.xml":
                if chart is not None:
                    edited.writestr(item, chart)
            else:
                edited.writestr(item, original.read(item))
    return old, new


def test_a_version_whose_chart_part_is_missing_is_refused_naming_that_part(tmp_path):
    """A chart part is one the document refers to, not one every Word file has: the message says so."""
    old, new = _chart_versions(tmp_path, None)
    with pytest.raises(UsageError) as raised:
        pipeline.compare_reports(old, new, redline_path=tmp_path / "redline.docx")
    message = raised.value.message
    assert str(new) in message and "word/charts/chart1.xml" in message
    assert "which another part of it refers to, is missing" in message
    assert f"{new} is a damaged Word document that cannot be read" in message  # still a Word document
    assert "every file of this kind" not in message
    assert not (tmp_path / "redline.docx").exists()


def test_a_version_whose_chart_part_is_damaged_is_refused_naming_that_file(tmp_path):
    """The damage is the version's, not the redline's: the message names the file to repair, and nothing is
    written."""
    old, new = _chart_versions(tmp_path, b"")
    result = run("diff", str(old), str(new), "-o", str(tmp_path / "redline.docx"))
    assert result.exit_code != 0
    assert f"{new} has a damaged part (part word/charts/chart1.xml, a chart: it is empty)" in result.stderr
    assert "the document made" not in result.stderr
    assert not (tmp_path / "redline.docx").exists()


@pytest.mark.parametrize(
    ("part", "damaged", "said", "library"),
    [
        (
            "word/charts/chart1.xml",
            b"this is not xml <<<",
            "word/charts/chart1.xml, a chart: it does not hold XML at all",
            "Start tag expected",
        ),
        (
            "word/charts/chart1.xml",
            b"<c:chartSpace>",
            "word/charts/chart1.xml, a chart: it uses a name it does not declare",
            "Namespace prefix",
        ),
    ],
    ids=["not XML", "undeclared name"],
)
def test_a_damaged_part_is_told_in_plain_words_not_the_parser_s(tmp_path, part, damaged, said, library):
    """The XML parser's own phrases ("Start tag expected, '<' not found") mean nothing to an officer: the message
    says which part is damaged, what it is, and how, and what to do."""
    old, new = _chart_versions(tmp_path, damaged)
    result = run("diff", str(old), str(new), "-o", str(tmp_path / "redline.docx"))
    assert result.exit_code != 0
    assert said in result.stderr
    assert "open it in Word, let it recover what it can" in result.stderr
    assert library not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("detail", "said"),
    [
        ("it unpacks to more than 1 GB", "it unpacks to more than 1 GB"),
        ("Specification mandates value for attribute ole, line 1, column 9", "its XML is not written as XML must be"),
        ("Excessive depth in document: 256 use XML_PARSE_HUGE option", "more than 256 levels deep"),
        ("Premature end of data in tag hdr line 1, line 1, column 20", "it is cut short"),
    ],
    ids=["said plainly already", "any other fault", "too deep", "cut short"],
)
def test_what_the_xml_parser_says_is_put_in_plain_words(detail, said):
    assert said in damaged_xml_in_plain_words(detail)
    assert "line 1" not in damaged_xml_in_plain_words(detail)


def test_a_damaged_header_is_told_in_plain_words_not_the_parser_s(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Council"
    document.add_paragraph("The plan is on track.")
    source = tmp_path / "source.docx"
    document.save(str(source))
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(damaged, "w") as out:
        for name in package.namelist():
            header = name.startswith("word/header")
            out.writestr(name, b"<w:hdr><unclosed" if header else package.read(name))
    result = run("diff", str(source), str(damaged))
    assert result.exit_code == 2, result.output
    assert "its XML is damaged in its part word/header1.xml, line 1, column 7" in result.stderr
    assert "(it uses a name it does not declare, which Word never writes)" in result.stderr
    assert "Namespace prefix" not in result.stderr


def test_a_text_box_s_words_do_not_run_into_the_paragraph_s(tmp_path):
    """A paragraph "Here" holding a text box "Box" is named "Here Box", as the text view shows them one after the
    other, not "HereBox"."""

    def box(words: str) -> str:
        return (
            f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape id="tb1" '
            'style="width:200pt;height:100pt" type="#_x0000_t202"><v:textbox><w:txbxContent><w:p><w:r>'
            f"<w:t>{words}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        )

    old = _version(tmp_path / "old.docx", [box("Box")], text="Here")
    new = _version(tmp_path / "new.docx", [box("Boxes")], text="Here")
    result = run("diff", str(old), str(new))
    assert result.stdout.splitlines()[1:] == ['  the paragraph "Here Boxes": "Box" -> "Boxes"']


def test_quotes_in_alt_text_or_words_are_quoted_so_the_quotation_s_end_is_plain(tmp_path):
    """Alt text or words holding straight double quotes are quoted in curly ones, so a reader sees where the
    quotation ends; other words in straight ones, as before."""
    logos = _pictures(tmp_path, "logo")
    alt = 'The "Council" logo & <crest>'
    old = _picture_run(_version(tmp_path / "old.docx", [], text='He said "yes"'), logos[1], alt)
    new = _picture_run(_version(tmp_path / "new.docx", [], text='He said "no"'), logos[2], alt)
    result = run("diff", str(old), str(new))
    assert result.stdout.splitlines()[1:] == [
        '  the paragraph “He said "no"”: "yes" -> "no"',
        f'  the paragraph “He said "no"”: “picture: {alt}” -> “picture (changed): {alt}”',
    ]


@pytest.mark.parametrize("where", ["paragraph", "cell"])
def test_a_word_changed_at_the_end_of_a_long_paragraph_or_cell_is_quoted(tmp_path, where):
    """A summary says which words changed however far into a long text they are: a change past the first
    sixty characters was told as "spacing between the words changed"."""
    opening = "The partnership reviewed the improvement plan and agreed the revised timescales for completion in "

    def version(path: Path, month: str) -> Path:
        document = docx.Document()
        if where == "paragraph":
            document.add_paragraph(opening + month + ".")
        else:
            table = document.add_table(rows=2, cols=2)
            for column, heading in enumerate(("Action", "Progress")):
                table.cell(0, column).text = heading
            table.cell(1, 0).text = "Review of the plan"
            table.cell(1, 1).text = opening + month + "."
        document.save(str(path))
        return path

    result = run("diff", version(tmp_path / "old.docx", "March"), version(tmp_path / "new.docx", "April"))
    assert result.exit_code == 1
    assert '"March" -> "April"' in result.stdout, result.stdout
    assert "spacing" not in result.stdout


def _vml_rect(style: str) -> str:
    return (
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:rect style="{style}" '
        'fillcolor="#4472C4" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" o:spid="_x0000_s1026"/></w:pict></w:r>'
    )


@pytest.mark.parametrize(
    ("before", "after", "different"),
    [
        (_shape("rect", fill="FF0000"), _shape("rect", fill="ff0000"), False),
        (
            _vml_rect("position:absolute;z-index:1;width:72pt;height:36pt"),
            _vml_rect("position:absolute;z-index:7;width:72pt;height:36pt"),
            False,
        ),
        (
            _vml_rect("position:absolute;z-index:1;width:72pt;height:36pt"),
            _vml_rect("position:absolute;z-index:1;width:144pt;height:36pt"),
            True,
        ),
    ],
    ids=["colour in capitals or not", "stacking order", "width"],
)
def test_a_shape_is_the_same_however_its_colour_is_written_or_wherever_it_stacks(tmp_path, before, after, different):
    """Word renumbers a shape's place in the stacking order and writes colours in either case; neither is a
    change a reader sees. A shape made wider is: resized."""
    old = _version(tmp_path / "old.docx", [before])
    new = _version(tmp_path / "new.docx", [after])
    changes = pipeline.compare_reports(old, new)
    assert [(c.old, c.new) for c in changes] == ([("shape", "shape (resized)")] if different else [])


def test_a_picture_with_long_alt_text_replaced_is_said_to_be_changed_within_the_quote(tmp_path):
    alt = "Map of the county's early help hubs, with the wards each one serves and the schools they work with"
    logos = _pictures(tmp_path, "map")
    old = _picture_run(_version(tmp_path / "old.docx", []), logos[1], alt)
    new = _picture_run(_version(tmp_path / "new.docx", []), logos[2], alt)
    result = run("diff", old, new)
    assert '-> "picture (changed): Map of the county' in result.stdout, result.stdout


def test_a_picture_replaced_in_a_footnote_is_a_change_of_that_footnote_tracked_both_ways(tmp_path):
    """A footnote's words unchanged but its picture replaced was "No differences", and Reject All kept the new
    picture. The note is compared by its words and its pictures' content, named by the notes part's own links."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    logos = _pictures(tmp_path, "map")

    def version(path: Path, logo: Path) -> Path:
        document = docx.Document(str(corpus_tools.CORPUS / "docxjs_footnote-document.docx"))
        notes_part = document.part.part_related_by(RT.FOOTNOTES)  # read by python-docx as bytes
        rid = notes_part.relate_to(document.part.package.get_or_add_image_part(str(logo)), RT.IMAGE)
        notes = etree.fromstring(notes_part.blob)
        note = next(n for n in notes.findall(qn("w:footnote")) if n.get(qn("w:type")) is None)
        picture = parse_xml(
            f'<w:r {nsdecls("w", "wp", "a", "pic", "r")}><w:drawing><wp:inline><wp:extent cx="91440" cy="91440"/>'
            '<wp:docPr id="90" name="Map" descr="Source map"/><a:graphic><a:graphicData '
            'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="90" '
            f'name="map.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill>'
            "<pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )
        note.findall(qn("w:p"))[-1].append(picture)
        notes_part._blob = etree.tostring(notes)
        document.save(str(path))
        return path

    old, new = version(tmp_path / "old.docx", logos[1]), version(tmp_path / "new.docx", logos[2])
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert len(changes) == 1 and changes[0].new.startswith("footnote (changed): "), changes
    assert changes[0].new.endswith("[picture: Source map]")
    _exact_both_ways(redline, old, new)


def _with_pending_note_insertion(path: Path, body_word: str) -> Path:
    """A document whose footnote holds Dave's tracked insertion of "very", and whose first paragraph ends with
    body_word."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = docx.Document(str(corpus_tools.CORPUS / "docxjs_footnote-document.docx"))
    notes_part = document.part.part_related_by(RT.FOOTNOTES)
    notes = etree.fromstring(notes_part.blob)
    note = next(n for n in notes.findall(qn("w:footnote")) if n.get(qn("w:type")) is None)
    note.findall(qn("w:p"))[-1].append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="901" w:author="Dave" w:date="2026-01-05T10:00:00Z"><w:r>'
            '<w:t xml:space="preserve"> very</w:t></w:r></w:ins>'
        )
    )
    notes_part._blob = etree.tostring(notes)
    document.paragraphs[0].add_run(f" {body_word}")
    document.save(str(path))
    return path


def test_tracked_changes_in_footnotes_are_seen_refused_accepted_or_kept(tmp_path):
    """Tracked changes in a footnote count as those in the body do: without a choice the comparison is refused
    naming them; with --accept-existing the redline holds none of them, so Accept All and Reject All give the
    versions as they read with them accepted; with --keep-existing they are counted in the "Kept" line."""
    old = _with_pending_note_insertion(tmp_path / "old.docx", "today")
    new = _with_pending_note_insertion(tmp_path / "new.docx", "tomorrow")
    refused = run("diff", old, new)
    assert refused.exit_code == 2 and "already holds tracked changes (1 by Dave)" in refused.stderr
    redline = tmp_path / "redline.docx"
    accepted = run("diff", "--accept-existing", old, new, "-o", redline)
    assert accepted.exit_code == 1 and '"today" -> "tomorrow"' in accepted.stdout
    package = corpus_tools.Package.read(redline)
    authors = {e.get(qn("w:author")) for p in package.entries if p.endswith(".xml") for e in _revisions(package, p)}
    assert authors == {"jtai-docs"}, authors
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version, mode="accept")) == [], mode
    kept = run("diff", "--keep-existing", old, new, "-o", tmp_path / "kept.docx")
    assert "Kept 1 tracked change already in" in kept.stdout and "(1 by Dave)" in kept.stdout


def _revisions(package: corpus_tools.Package, part: str) -> list[etree._Element]:
    try:
        root = package.xml(part)
    except Exception:  # a part that is not XML (a picture): no revisions in it
        return []
    return [e for e in root.iter(qn("w:ins"), qn("w:del"))]


def test_a_paragraph_of_words_and_a_picture_added_names_the_picture_too(tmp_path):
    logo = tmp_path / "map.png"
    logo.write_bytes(corpus_tools._tiny_png(1))
    old = tmp_path / "old.docx"
    document = docx.Document()
    document.add_paragraph("The plan is on track.")
    document.save(str(old))
    new = tmp_path / "new.docx"
    document = docx.Document()
    document.add_paragraph("The plan is on track.")
    document.add_paragraph("Map of the wards: ").add_run().add_picture(str(logo))
    document.inline_shapes[-1]._inline.docPr.set("descr", "Ward map")
    document.save(str(new))
    changes = pipeline.compare_reports(old, new)
    assert [(c.kind, c.new) for c in changes] == [("added", "Map of the wards:  [picture: Ward map]")]


def test_an_embedded_object_is_named_as_an_object_not_a_picture(tmp_path):
    """An embedded workbook shows a preview picture; the summary names it as `text` does, an object."""

    def version(path: Path, seed: int) -> Path:
        document = docx.Document()
        paragraph = document.add_paragraph("See ")
        preview = tmp_path / f"preview{seed}.png"
        preview.write_bytes(corpus_tools._tiny_png(seed))
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        rid = document.part.relate_to(document.part.package.get_or_add_image_part(str(preview)), RT.IMAGE)
        paragraph._p.append(
            parse_xml(
                f'<w:r {nsdecls("w", "r")} xmlns:v="urn:schemas-microsoft-com:vml"><w:object><v:shape '
                f'style="width:72pt;height:36pt" alt="Budget workbook"><v:imagedata r:id="{rid}"/></v:shape>'
                "</w:object></w:r>"
            )
        )
        document.save(str(path))
        return path

    old, new = version(tmp_path / "old.docx", 1), version(tmp_path / "new.docx", 2)
    changes = pipeline.compare_reports(old, new)
    assert [(c.old, c.new) for c in changes] == [("object: Budget workbook", "object (changed): Budget workbook")]
    assert "[object: Budget workbook]" in run("text", new).stdout


def test_a_chart_titled_from_a_cell_is_named_by_that_title(tmp_path):
    """A chart whose title is taken from a cell of its workbook keeps the text last shown; the summary and the
    text view name the chart by it, as they do a title typed in."""
    source = corpus_tools.CORPUS / "powertools_CU014-Chart-Embedded-Xlsx-06.docx"
    title = (
        '<c:title><c:tx><c:strRef><c:f>Sheet1!$A$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0">'
        "<c:v>{}</c:v></c:pt></c:strCache></c:strRef></c:tx>"
    )
    paths = {}
    for name, words in (("old", "Actions by status"), ("new", "Actions by theme")):
        paths[name] = tmp_path / f"{name}.docx"
        with zipfile.ZipFile(source) as original, zipfile.ZipFile(paths[name], "w") as edited:
            for item in original.infolist():
                data = original.read(item)
                if item.filename == "word/charts/chart1.xml":
                    # The chart's own title, until now drawn by Word from its series, now taken from a cell.
                    data = data.replace(b"<c:title>", title.format(words).encode(), 1)
                    assert title.format(words).encode() in data
                edited.writestr(item, data)
    changes = pipeline.compare_reports(paths["old"], paths["new"])
    assert [(c.old, c.new) for c in changes] == [("chart: Actions by status", "chart: Actions by theme")]
    assert "[chart: Actions by theme]" in run("text", paths["new"]).stdout
