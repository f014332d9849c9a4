"""The accessibility checker: the default report passes; a document with each fault gets that finding."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from jtai_docs import pipeline
from jtai_docs.cli import main

W = nsdecls("w")


def good_document():
    """A small document that passes every check: title, language, headings in order, a table with a header."""
    document = docx.Document()
    document.core_properties.title = "Progress update"
    document.core_properties.language = "en-GB"
    document.add_paragraph("Progress update", style="Heading 1")
    document.add_paragraph("Purpose of the report", style="Heading 2")
    document.add_paragraph("This report gives Members an update on the plan.")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Ref", "Status"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "1.01", "Green"
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {W}/>"))
    document.add_paragraph("The plan continues.")
    return document


def findings(document, tmp_path: Path) -> list[str]:
    path = tmp_path / "document.docx"
    document.save(path)
    return [problem.describe() for problem in pipeline.accessibility_report(path)]


def test_the_small_good_document_passes(tmp_path):
    assert findings(good_document(), tmp_path) == []


def test_the_built_report_with_appendix_2_passes_with_no_finding(project):
    report = pipeline.build_report(project / "inputs" / "report.toml").written.path
    result = CliRunner().invoke(main, ["a11y", str(report)])
    assert (result.exit_code, result.output) == (0, "")


def no_title(document):
    document.core_properties.title = ""


def no_language(document):
    document.core_properties.language = ""
    for language in document.styles.element.iter(qn("w:lang")):
        language.getparent().remove(language)


def skipped_level(document):
    document.add_paragraph("Detail", style="Heading 4")


def fake_heading(document):
    document.paragraphs[2].insert_paragraph_before("Background").runs[0].bold = True


def large_fake_heading(document):
    document.paragraphs[2].insert_paragraph_before("Background").runs[0].font.size = Pt(16)


def no_header_row(document):
    row = document.tables[0].rows[0]._tr
    row.trPr.remove(row.trPr.find(qn("w:tblHeader")))


def merged_data_cells(document):
    table = document.tables[0]
    table.add_row().cells[1].text = "Amber"
    table.cell(1, 0).merge(table.cell(2, 0))  # one reference for two statuses: merged down the column


def colour_only(document):
    cell = document.tables[0].rows[1].cells[1]
    cell.text = ""
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {W} w:val="clear" w:color="auto" w:fill="C6EFCE"/>'))


def empty_paragraph(document):
    document.paragraphs[2].insert_paragraph_before("")


def small_text(document):
    document.add_paragraph().add_run("Footnote-sized remark.").font.size = Pt(9)


def vague_link(document):
    paragraph = document.add_paragraph("Read the statement: ")
    relationship = document.part.relate_to(
        "https://www.example.gov.uk/accessibility",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships" r:id="{relationship}"><w:r><w:t>click here</w:t></w:r>'
            f"</w:hyperlink>"
        )
    )


def image_without_alt_text(document, tmp_path):
    import struct
    import zlib

    # A 1x1 PNG, written here so the test needs no image file.
    raw = b"\x00\xff\xff\xff"
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))  # noqa: E731
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    picture = tmp_path / "dot.png"
    picture.write_bytes(png)
    document.add_picture(str(picture))


FAULTS = [
    (no_title, "document properties: the document has no title"),
    (no_language, "document properties: the document's language is not set"),
    (skipped_level, "paragraph 5 ('Detail'): heading level 4 follows level 2"),
    (fake_heading, "paragraph 3 ('Background'): the text is formatted by hand to look like a heading"),
    (large_fake_heading, "paragraph 3 ('Background'): the text is formatted by hand to look like a heading"),
    (no_header_row, "table 1, row 1: the table has no header row marked to repeat"),
    (merged_data_cells, "table 1, row 2, column 1: a data row has merged cells"),
    (colour_only, "table 1, row 2, column 2 (Status): the cell has a colour but no text"),
    (empty_paragraph, "paragraph 3 (after 'Purpose of the report'): an empty paragraph is used for spacing"),
    (small_text, "paragraph 5 ('Footnote-sized remark.'): text is 9 pt; body text must be at least 11 pt"),
    (vague_link, "paragraph 5 ('Read the statement: click here'): the link text does not say where it goes"),
    (image_without_alt_text, "image 1 (Picture 1): the image has no alt text"),
]


@pytest.mark.parametrize(("fault", "expected"), FAULTS, ids=[fault.__name__ for fault, _ in FAULTS])
def test_each_fault_gives_its_finding(fault, expected, tmp_path):
    document = good_document()
    if fault is image_without_alt_text:
        fault(document, tmp_path)
    else:
        fault(document)
    found = findings(document, tmp_path)
    assert len(found) == 1 and found[0].startswith(f"document.docx, {expected}"), found


@pytest.mark.parametrize(("value", "finding"), [("1", False), ("0", True)], ids=["decorative", "not-decorative"])
def test_a_picture_marked_as_decorative_in_word_needs_no_alt_text(tmp_path, value, finding):
    """Edit Alt Text > Mark as decorative, as Word writes it: the finding's own advice clears it."""
    document = good_document()
    image_without_alt_text(document, tmp_path)
    properties = next(document.element.body.iter(qn("wp:docPr")))
    properties.append(
        parse_xml(
            '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
            f'<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="{value}"/>'
            "</a:ext></a:extLst>"
        )
    )
    found = findings(document, tmp_path)
    if finding:
        assert len(found) == 1 and found[0].startswith("document.docx, image 1 (Picture 1): the image has no alt text")
    else:
        assert found == []


def test_hand_made_markup_word_tolerates_is_checked_without_failing(tmp_path):
    """A cell span without its value, and a paragraph given a numbering style (which has no font or base style)."""
    document = good_document()
    cell = document.tables[0].rows[0].cells[0]._tc
    cell.get_or_add_tcPr().append(parse_xml(f"<w:gridSpan {W}/>"))
    paragraph = document.add_paragraph("Listed under a numbering style.")
    paragraph._p.get_or_add_pPr().append(parse_xml(f'<w:pStyle {W} w:val="{document.styles["No List"].style_id}"/>'))
    assert findings(document, tmp_path) == []


def test_a11y_command_lists_findings_and_exits_1(tmp_path):
    document = good_document()
    no_title(document)
    colour_only(document)
    path = tmp_path / "paper.docx"
    document.save(path)
    result = CliRunner().invoke(main, ["a11y", str(path)])
    assert result.exit_code == 1
    assert "paper.docx, document properties: the document has no title" in result.output
    assert "paper.docx, table 1, row 2, column 2 (Status): the cell has a colour but no text" in result.output
    assert "2 accessibility finding(s)." in result.output


def test_check_warns_and_strict_build_refuses_a_template_with_a_fault(project):
    template = project / "templates" / "committee_report.docx"
    document = docx.Document(str(template))
    document.paragraphs[1].insert_paragraph_before("")  # an empty paragraph for spacing under the committee name
    document.save(template)
    report = project / "inputs" / "report.toml"
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(report)])
    assert checked.exit_code == 0
    assert "committee_report.docx, paragraph 2 (after " in checked.stderr
    assert "an empty paragraph is used for spacing" in checked.stderr
    strict = runner.invoke(main, ["build", "--strict", str(report)])
    assert strict.exit_code == 1 and "an empty paragraph is used for spacing" in strict.stderr
    assert not (project / "outputs" / "committee_report.docx").exists()
    relaxed = runner.invoke(main, ["build", str(report)])
    assert relaxed.exit_code == 0 and "an empty paragraph is used for spacing" in relaxed.stderr


def test_build_finds_in_its_own_document_what_the_written_report_shows(project):
    # build reads the document it verified rather than parsing the report again: the findings must be exactly
    # those read back from the written file.
    template = project / "templates" / "committee_report.docx"
    document = docx.Document(str(template))
    document.paragraphs[1].insert_paragraph_before("")
    document.save(template)
    result = pipeline.build_report(project / "inputs" / "report.toml")
    found = [problem.describe() for problem in result.accessibility]
    assert any("an empty paragraph is used for spacing" in text for text in found)
    assert found == [problem.describe() for problem in pipeline.accessibility_report(result.written.path)]
