"""A redline adds no schema error to those its new version has itself: what it copies from OLD, what its tracked
changes record and what it converts from Strict Open XML is written as the schema (and Word) expects, even where
the inputs are not.

Each corpus document here is one whose redline did add errors: its own out-of-order or repeated formatting, a
picture description under a wrong name, a style reference its styles do not define, python-docx's blank
document's stylesWithEffects.xml, and Strict values such as "72pt" or "50%". openxml-audit reads the redline and
the new version; the errors of the first, less those of the second, must be none.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from lxml import etree
from openxml_audit import OpenXmlValidator

from helpers import corpus_tools
from jtai_docs import pipeline

W = corpus_tools.W_NS


def errors(path: Path) -> Counter:
    """openxml-audit's errors in a .docx, each as (part, element, message): where in the part is left out, as a
    redline's paragraphs stand elsewhere than its new version's."""
    found = OpenXmlValidator(max_errors=1000).validate(str(path)).errors
    return Counter((error.part_uri, error.node or "", error.description) for error in found)


def seeded_pair(name: str, folder: Path) -> tuple[Path, Path]:
    """The corpus document with its own changes accepted (OLD) and its seeded edit (NEW), as the corpus tests
    make them."""
    source = corpus_tools.CORPUS / name
    old = corpus_tools.accept_existing(source, folder / "old.docx")
    new = folder / "new.docx"
    corpus_tools.edit_document(old, new, seed=corpus_tools.seed_for(name))
    return old, new


@pytest.mark.parametrize(
    "name",
    [
        "mammoth_strict-format.docx",  # Strict values: "72pt", "800%"
        "docxrs_decoration.docx",  # a paragraph mark's formatting repeated
        "docxrs_extended_comments.docx",  # run formatting out of order
        "docxrs_image_node_docx-image.docx",  # a picture's desc, its size before its offset
        "docxrs_footnotes.docx",  # a note reference's style that no styles part defines
        "pythondocx_comments-rich-para.docx",  # a comment paragraph's run style where the schema has none
    ],
)
def test_a_redline_adds_no_schema_error_to_its_new_versions_own(name, tmp_path):
    old, new = seeded_pair(name, tmp_path)
    redline = tmp_path / "redline.docx"
    pipeline.compare_reports(old, new, redline_path=redline)

    added = errors(redline) - errors(new)

    assert not added, sorted(added)
    assert not corpus_tools.differences(corpus_tools.read_version(redline), corpus_tools.read_version(new))
    assert not corpus_tools.differences(
        corpus_tools.read_version(redline, mode="reject"), corpus_tools.read_version(old)
    )


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def test_word_2010s_copy_of_the_styles_still_agrees_with_them(tmp_path):
    """python-docx's blank document has stylesWithEffects.xml, which Word checks against styles.xml: their
    document defaults must read the same, layout whitespace included (openxml-audit compares them so; checked
    here directly, as openxml-audit takes seconds over the blank document's 400 KB of styles)."""
    old, new = seeded_pair("pythondocx_default.docx", tmp_path)
    redline = tmp_path / "redline.docx"
    pipeline.compare_reports(old, new, redline_path=redline)

    def defaults(name: str) -> bytes:
        found = part(redline, name).find(qn("w:docDefaults"))
        return etree.tostring(etree.fromstring(etree.tostring(found)), method="c14n2")

    assert defaults("word/styles.xml") == defaults("word/stylesWithEffects.xml")


def test_strict_values_are_written_in_their_transitional_forms(tmp_path):
    old, new = seeded_pair("docx2python_strict.docx", tmp_path)
    redline = tmp_path / "redline.docx"
    pipeline.compare_reports(old, new, redline_path=redline)
    strict_page = part(new, "word/document.xml").find(".//{http://purl.oclc.org/ooxml/wordprocessingml/main}pgSz")
    strict_theme = part(new, "word/theme/theme1.xml")
    document, theme = part(redline, "word/document.xml"), part(redline, "word/theme/theme1.xml")

    # A page width of "612pt" in twips; a theme's "50%" stop in thousandths of a percent.
    page = document.find(f".//{{{W}}}pgSz")
    width = strict_page.get("{http://purl.oclc.org/ooxml/wordprocessingml/main}w")
    assert width.endswith("pt")
    assert page.get(f"{{{W}}}w") == str(round(float(width[:-2]) * 20))
    strict_stops = [stop.get("pos") for stop in strict_theme.iter("{http://purl.oclc.org/ooxml/drawingml/main}gs")]
    stops = [stop.get("pos") for stop in theme.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}gs")]
    assert stops == [str(round(float(value[:-1]) * 1000)) for value in strict_stops]
    # A table's width in percent, in fiftieths; a list level aligned at its start, "left".
    widths = [(w.get(f"{{{W}}}w"), w.get(f"{{{W}}}type")) for w in document.iter(f"{{{W}}}tblW")]
    assert widths and all(value.lstrip("-").isdigit() for value, _ in widths)
    alignments = {jc.get(f"{{{W}}}val") for jc in part(redline, "word/numbering.xml").iter(f"{{{W}}}lvlJc")}
    assert alignments <= {"left", "center", "right"}
    # The redline no longer says it is Strict Open XML.
    assert document.get(f"{{{W}}}conformance") == "transitional"


def test_a_deleted_paragraph_in_a_style_new_lacks_brings_the_style(tmp_path):
    """OLD's paragraph in a style of its own, which NEW no longer defines, is deleted: the redline defines the
    style (and the one it is based on), so rejecting the deletion shows it as OLD did."""
    old_document = docx.Document()
    base = old_document.styles.add_style("Council Base", WD_STYLE_TYPE.PARAGRAPH)
    quote = old_document.styles.add_style("Council Quote", WD_STYLE_TYPE.PARAGRAPH)
    quote.base_style = base
    # A style leaning on one that no version defines keeps the rest of its definition, without that link.
    orphan = old_document.styles.add_style("Council Orphan", WD_STYLE_TYPE.PARAGRAPH)
    orphan.element.append(etree.fromstring(f'<w:next xmlns:w="{W}" w:val="Nowhere"/>'))
    old_document.add_paragraph("The plan was agreed.")
    old_document.add_paragraph("A quoted passage that goes.", style="Council Quote")
    old_document.add_paragraph("An orphan passage that goes.", style="Council Orphan")
    old_document.add_paragraph("Closing words.")
    old = tmp_path / "old.docx"
    old_document.save(old)
    new_document = docx.Document()
    new_document.add_paragraph("The plan was agreed.")
    new_document.add_paragraph("Closing words.")
    new = tmp_path / "new.docx"
    new_document.save(new)
    redline = tmp_path / "redline.docx"

    pipeline.compare_reports(old, new, redline_path=redline)

    styles = {s.get(qn("w:styleId")): s for s in part(redline, "word/styles.xml").iter(qn("w:style"))}
    used = [p.get(qn("w:val")) for p in part(redline, "word/document.xml").iter(qn("w:pStyle"))]
    assert {quote.style_id, base.style_id, orphan.style_id} <= set(styles)
    assert set(used) <= set(styles)
    assert styles[quote.style_id].find(qn("w:basedOn")).get(qn("w:val")) == base.style_id
    assert styles[orphan.style_id].find(qn("w:next")) is None
    # Word 2010's copy of the styles, which Word expects to agree with them, has them too.
    mirrored = {s.get(qn("w:styleId")) for s in part(redline, "word/stylesWithEffects.xml").iter(qn("w:style"))}
    assert {quote.style_id, base.style_id, orphan.style_id} <= mirrored


def strict_document(path: Path, closing: str) -> Path:
    """A Strict Open XML document written as Word writes one: a table half the page wide, text at 12pt scaled to
    90% after 6pt of space, a theme line 0.75pt wide; the ordinary namespaces mapped to Strict's."""
    document = docx.Document()
    document.add_paragraph("The plan was agreed.")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Housing"
    document.add_paragraph(closing)
    ordinary = path.with_suffix(".ordinary.docx")
    document.save(ordinary)
    strict = [(transitional, strict) for strict, transitional in corpus_tools.STRICT_TO_TRANSITIONAL]
    with zipfile.ZipFile(ordinary) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = data.replace(b'<w:tblW w:type="auto" w:w="0"/>', b'<w:tblW w:w="50%" w:type="pct"/>')
                data = data.replace(
                    b"<w:p><w:r><w:t>The plan",
                    b'<w:p><w:pPr><w:spacing w:after="6pt"/></w:pPr>'
                    b'<w:r><w:rPr><w:w w:val="90%"/><w:sz w:val="12pt"/></w:rPr><w:t>The plan',
                )
            if name == "word/theme/theme1.xml":
                data = data.replace(b'<a:ln w="9525"', b'<a:ln w="0.75pt"', 1)
            if name.endswith((".xml", ".rels")):
                for before, after in strict:
                    data = data.replace(before, after)
            target.writestr(name, data)
    return path


def test_strict_measures_and_percentages_in_their_units(tmp_path):
    old = strict_document(tmp_path / "old.docx", "Closing words.")
    new = strict_document(tmp_path / "new.docx", "Closing remarks.")
    redline = tmp_path / "redline.docx"
    pipeline.compare_reports(old, new, redline_path=redline)
    document, theme = part(redline, "word/document.xml"), part(redline, "word/theme/theme1.xml")

    assert [w.get(qn("w:w")) for w in document.iter(qn("w:tblW"))] == [str(50 * 50)]  # fiftieths of a percent
    assert [s.get(qn("w:after")) for s in document.iter(qn("w:spacing"))] == [str(6 * 20)]  # twips
    assert [s.get(qn("w:val")) for s in document.iter(qn("w:sz"))] == [str(12 * 2)]  # half-points
    assert [s.get(qn("w:val")) for s in document.iter(qn("w:w"))] == ["90"]  # whole percents
    line = theme.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}ln")
    assert line.get("w") == str(round(0.75 * 12700))  # EMUs
    with_units = [
        value
        for root in (document, theme)
        for element in root.iter()
        for value in element.attrib.values()
        if re.fullmatch(r"-?[0-9.]+(%|pt|in|cm|mm|pc|pi)", value)
    ]
    assert with_units == []
