"""Tables whose rows or cells sit inside content controls (Word's repeating sections, cell-level controls):
compared like any other rows, and redlined where they stand, so Accept All gives NEW and Reject All gives OLD."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
from docx.oxml.ns import qn

from helpers import corpus_tools, run, violations
from jtai_docs import pipeline

HEADER = ["Ref", "Action", "Status"]


def _control(tag: str, children) -> object:
    """A content control (w:sdt) with the given content, named by its tag."""
    sdt = docx.oxml.parse_xml(
        f'<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:sdtPr>'
        f'<w:tag w:val="{tag}"/></w:sdtPr><w:sdtContent/></w:sdt>'
    )
    content = sdt.find(qn("w:sdtContent"))
    for child in children:
        content.append(child)
    return sdt


def write_plan(path: Path, rows: list[list[str]], *, repeating: range, cell_control: tuple[int, int]) -> Path:
    """A document with a header row and the rows given; rows[repeating] wrapped in one row-level content
    control, and one cell (row, column) holding its text in a cell-level content control."""
    document = docx.Document()
    document.add_paragraph("Action plan progress.")
    table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    header_properties = table.rows[0]._tr.get_or_add_trPr()
    header_properties.append(header_properties.makeelement(qn("w:tblHeader"), {}))
    for row, texts in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    element = table._tbl
    all_rows = element.findall(qn("w:tr"))
    row_index, column = cell_control
    cell = all_rows[1 + row_index].findall(qn("w:tc"))[column]
    cell.addprevious(_control("status", [copy.deepcopy(cell)]))
    cell.getparent().remove(cell)
    wrapped = [all_rows[1 + index] for index in repeating]
    wrapped[0].addprevious(_control("actions", [copy.deepcopy(row) for row in wrapped]))
    for row in wrapped:
        element.remove(row)
    document.add_paragraph("End of the plan.")
    document.save(str(path))
    return path


OLD_ROWS = [
    ["1.1", "Review strategy meetings", "Green"],
    ["1.2", "Audit referral thresholds", "Amber"],
    ["1.3", "Train staff on screening", "Amber"],
    ["1.4", "Publish the annual report", "Yellow"],
]
NEW_ROWS = [
    ["1.1", "Review strategy meetings", "Green"],
    ["1.2", "Audit referral thresholds again", "Amber"],
    ["1.3", "Train staff on screening", "Green"],
    ["1.5", "Monitor supervision", "Amber"],
]


def versions(tmp_path: Path) -> tuple[Path, Path]:
    """OLD and NEW: a changed row inside the repeating section, a changed value in a cell-level control, the
    last row (outside the section) replaced by another."""
    old = write_plan(tmp_path / "old.docx", OLD_ROWS, repeating=range(0, 3), cell_control=(2, 2))
    new = write_plan(tmp_path / "new.docx", NEW_ROWS, repeating=range(0, 3), cell_control=(2, 2))
    return old, new


def test_rows_and_cells_inside_content_controls_are_compared(tmp_path):
    old, new = versions(tmp_path)
    result = run("diff", old, new)
    assert result.exit_code == 1, result.output
    assert "No differences" not in result.output
    assert "again" in result.output  # the changed row inside the repeating section
    assert '"Amber" -> "Green"' in result.output  # the value in the cell-level content control
    assert "Publish the annual report" in result.output and "Monitor supervision" in result.output


def test_the_redline_of_controlled_rows_gives_new_on_accept_and_old_on_reject(tmp_path):
    old, new = versions(tmp_path)
    redline = tmp_path / "redline.docx"
    pipeline.compare_reports(old, new, redline_path=redline)
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        want = corpus_tools.read_version(version, mode="accept")
        assert corpus_tools.differences(got, want) == [], mode
    # The header row stays first, and both content controls are still there.
    table = docx.Document(str(redline)).element.body.find(qn("w:tbl"))
    first = table.find(qn("w:tr"))
    assert [corpus_tools.paragraph_text(p) for p in first.iter(qn("w:p"))] == HEADER
    tags = [tag.get(qn("w:val")) for tag in table.iter(qn("w:tag"))]
    assert sorted(tags) == ["actions", "status"]
    # Word's own rules find nothing in the redline that they do not find in NEW (python-docx's blank document
    # already lacks some styles in stylesWithEffects.xml).
    assert set(violations(redline)) <= set(violations(new))


def write_controlled(path: Path, *, status: str, note: str | None) -> Path:
    """A document whose table sits inside a content control, with a status cell whose paragraph is wrapped in a
    content control inside the cell (as Word's cell-level plain-text controls are saved), and, when note is
    given, a paragraph of that text just before the table."""
    document = docx.Document()
    document.add_paragraph("Action plan progress.")
    if note is not None:
        document.add_paragraph(note)
    table = document.add_table(rows=2, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1.1", "Review strategy meetings", status], strict=True):
        cell.text = text
    status_cell = table.rows[1].cells[2]._tc
    paragraph = status_cell.find(qn("w:p"))
    paragraph.addprevious(_control("status", [copy.deepcopy(paragraph)]))
    status_cell.remove(paragraph)
    element = table._tbl
    element.addprevious(_control("plan", [copy.deepcopy(element)]))
    element.getparent().remove(element)
    document.add_paragraph("End of the plan.")
    document.save(str(path))
    return path


def test_a_value_in_a_control_inside_a_cell_is_tracked_and_a_paragraph_before_a_controlled_table_joins(tmp_path):
    old = write_controlled(tmp_path / "old.docx", status="Amber", note=None)
    new = write_controlled(tmp_path / "new.docx", status="Green", note="Two actions were completed this month.")
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert changes, "a changed status is a difference"
    document = docx.Document(str(redline))
    inserted = "".join(
        t.text for t in document.element.body.iter(qn("w:t")) if t.getparent().getparent().tag == qn("w:ins")
    )
    deleted = "".join(t.text for t in document.element.body.iter(qn("w:delText")))
    assert "Green" in inserted and "Amber" in deleted  # tracked inside the cell's control, not only reported
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        want = corpus_tools.read_version(version, mode="accept")
        assert corpus_tools.differences(got, want) == [], mode
    # Both controls are still there, the status one still inside its cell.
    cell_controls = [sdt for sdt in document.element.body.iter(qn("w:sdt")) if sdt.getparent().tag == qn("w:tc")]
    assert [c.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val")) for c in cell_controls] == ["status"]
    assert set(violations(redline)) <= set(violations(new))
