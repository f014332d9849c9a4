"""What Table Properties and Borders and Shading change in a table is a change a reader sees: a cell's shading, a
row no longer repeated as a header row, a row kept on one page, cells merged across or down. Each was "No
differences" (merged cells kept their words, and the comparison read a table's words alone); now each is listed,
and the redline records the old row and cell properties (w:trPrChange, w:tcPrChange) or replaces a row whose
cells were merged, so Accept All gives the new table and Reject All the old, read by the tests' own reader."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from helpers import corpus_tools, run
from jtai_docs.elements import OFF, ON_OFF_ELEMENTS

ROWS = [("Theme", "Green", "Amber"), ("Front Door", "8", "3"), ("Leadership", "11", ""), ("Voice", "2", "")]


def _table_document(path: Path, change: Callable | None = None) -> Path:
    document = docx.Document()
    document.add_paragraph("Progress by theme")
    table = document.add_table(rows=len(ROWS), cols=3)
    for row, values in zip(table.rows, ROWS, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    _shade(table.rows[1].cells[1], "C6EFCE")
    document.add_paragraph("Background")
    if change is not None:
        change(table)
    document.save(str(path))
    return path


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    for old in properties.findall(qn("w:shd")):
        properties.remove(old)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _no_header(table) -> None:
    for mark in table._tbl.iter(qn("w:tblHeader")):
        mark.getparent().remove(mark)


def _kept_on_one_page(table) -> None:
    table.rows[2]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _merged_across(table) -> None:
    table.rows[1].cells[1].merge(table.rows[1].cells[2])


def _merged_down(table) -> None:
    merged = table.rows[2].cells[2].merge(table.rows[3].cells[2])
    for extra in merged.paragraphs[1:]:  # Word keeps one paragraph of two empty cells merged; python-docx both
        extra._p.getparent().remove(extra._p)


SHADING = ('"shading #C6EFCE"', '"shading #F4B6B6"')
HEADER = ('"repeated as a header row at the top of each page"', '"not a repeated header row"')
ONE_PAGE = ('"allowed to break across pages"', '"not allowed to break across pages"')
UNMERGED = '"not merged with the cells above or below"'


def _told(before: str, after: str) -> str:
    return f"{before} -> {after}"


#: Each case: the change, and the summary's lines (their ends) from the plain table to the changed one and back.
CASES = {
    "shading": (
        lambda table: _shade(table.rows[1].cells[1], "F4B6B6"),
        [f"Front Door, Green: formatting: {_told(*SHADING)}"],
        [f"Front Door, Green: formatting: {_told(*SHADING[::-1])}"],
    ),
    "header row": (
        _no_header,
        [f"row Theme: formatting: {_told(*HEADER)}"],
        [f"row Theme: formatting: {_told(*HEADER[::-1])}"],
    ),
    "kept on one page": (
        _kept_on_one_page,
        [f"row Leadership: formatting: {_told(*ONE_PAGE)}"],
        [f"row Leadership: formatting: {_told(*ONE_PAGE[::-1])}"],
    ),
    "merged across": (
        _merged_across,
        ['row Front Door, cells merged: "Front Door | 8 | 3" -> "Front Door | 8 / 3"'],
        ['row Front Door, cells split: "Front Door | 8 / 3" -> "Front Door | 8 | 3"'],
    ),
    "merged down": (
        _merged_down,
        [
            f'Leadership, Amber: formatting: {UNMERGED} -> "merged with the cells below"',
            f'Voice, Amber: formatting: {UNMERGED} -> "merged into the cell above"',
        ],
        [
            f'Leadership, Amber: formatting: "merged with the cells below" -> {UNMERGED}',
            f'Voice, Amber: formatting: "merged into the cell above" -> {UNMERGED}',
        ],
    ),
}


def _seen(holder: etree._Element | None) -> tuple:
    """Properties as a reader takes them: an element without children is the same as none, and so is an on/off
    property switched off (the redline writes "may break across pages" into a row it marks inserted or deleted)."""
    if holder is None:
        return ()
    return tuple(
        (child.tag, tuple(sorted(child.attrib.items())), _seen(child))
        for child in holder
        if not child.tag.endswith("Change")
        and not (child.tag in ON_OFF_ELEMENTS and child.get(qn("w:val")) in OFF)
        and child.tag not in (qn("w:ins"), qn("w:del"))
    )


def _table_properties(root: etree._Element) -> list:
    return [
        (_seen(row.find(qn("w:trPr"))), [_seen(cell.find(qn("w:tcPr"))) for cell in row.iter(qn("w:tc"))])
        for row in root.iter(qn("w:tr"))
    ]


def _body(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml"))


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
@pytest.mark.parametrize("direction", ["forward", "back"])
def test_a_changed_row_or_cell_is_listed_and_tracked(tmp_path, case, direction):
    change, forward, back = CASES[case]
    plain, changed = _table_document(tmp_path / "plain.docx"), _table_document(tmp_path / "changed.docx", change)
    old, new = (plain, changed) if direction == "forward" else (changed, plain)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("  table 1, ")]
    expected = forward if direction == "forward" else back
    assert len(lines) == len(result.stdout.splitlines()) - 2 == len(expected), result.stdout
    for line, told in zip(lines, expected, strict=True):
        assert line.endswith(told), (line, told)
    for accept, version in ((True, new), (False, old)):
        resolved = corpus_tools.resolve(_body(redline), accept=accept)
        assert _table_properties(resolved) == _table_properties(_body(version)), f"accept={accept}"
        got = corpus_tools.read_version(redline, mode="accept" if accept else "reject")
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], f"accept={accept}"


def test_text_only_leaves_row_and_cell_formatting_out(tmp_path):
    plain = _table_document(tmp_path / "plain.docx")
    shaded = _table_document(tmp_path / "shaded.docx", CASES["shading"][0])
    result = run("diff", "--text-only", plain, shaded)
    assert result.exit_code == 0, result.output
    assert "No differences" in result.stdout


def _voice_moved_up(table, figure: str = "2") -> None:
    voice, leadership = table.rows[3]._tr, table.rows[2]._tr
    leadership.addprevious(voice)
    table.rows[2].cells[1].paragraphs[0].runs[0].text = figure


@pytest.mark.parametrize(
    ("figure", "said"), [("5", ', moved from row 4 to row 3: "2" -> "5"'), ("2", ": moved from row 4 to row 3")]
)
def test_a_row_moved_is_one_record_not_an_added_and_a_removed_row(tmp_path, figure, said):
    """A row moved up (and edited) was an "added" and a "removed" line under one label; it is one record now, and the
    redline still deletes and inserts it, so Accept All and Reject All give each version."""
    plain = _table_document(tmp_path / "plain.docx")
    moved = _table_document(tmp_path / "moved.docx", lambda table: _voice_moved_up(table, figure))
    redline = tmp_path / "redline.docx"
    result = run("diff", plain, moved, "-o", redline)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    assert lines == [f"  table 1, row Voice{said}"], result.stdout
    for mode, version in (("accept", moved), ("reject", plain)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], mode


def test_a_long_row_label_gives_way_to_the_reference_before_it(tmp_path):
    """Appendix 2's rows start with a reference ("1.01") and then the action's wording: a change in the row is
    placed by the reference, which a reader finds in the first column, not by the action's first words cut short."""
    action = "Ensure police attend every strategy meeting held for a child at risk of harm."

    def document(path: Path, status: str) -> Path:
        made = docx.Document()
        table = made.add_table(rows=2, cols=3)
        for cell, value in zip(table.rows[0].cells, ("Ref", "Action", "Status"), strict=True):
            cell.text = value
        for cell, value in zip(table.rows[1].cells, ("1.01", action, status), strict=True):
            cell.text = value
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        made.save(str(path))
        return path

    result = run("diff", document(tmp_path / "old.docx", "Amber"), document(tmp_path / "new.docx", "Green"))
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[1] == '  table 1, row 1.01, Status: "Amber" -> "Green"', result.stdout


def _spans(path: Path, first_wide: bool) -> Path:
    """One row of two cells over three columns: the first cell two columns wide, or the second."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ("Ref", "Wide", "Narrow"), strict=True):
        cell.text = value
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    row = table.rows[1]
    merged = row.cells[0].merge(row.cells[1]) if first_wide else row.cells[1].merge(row.cells[2])
    merged.text = "A" if first_wide else "B"
    other = row._tr.findall(qn("w:tc"))[1 if first_wide else 0]
    for paragraph in other.findall(qn("w:p"))[1:]:
        other.remove(paragraph)
    words = "B" if first_wide else "A"
    other.find(qn("w:p")).append(
        etree.fromstring(f'<w:r xmlns:w="{qn("w:r")[1:].split("}")[0]}"><w:t>{words}</w:t></w:r>')
    )
    document.save(str(path))
    return path


def test_a_span_moved_to_another_cell_of_the_row_is_listed_and_tracked(tmp_path):
    """The same cells and words, a different cell two columns wide: was "No differences", Reject All kept it."""
    old, new = _spans(tmp_path / "old.docx", True), _spans(tmp_path / "new.docx", False)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code == 1, result.output
    assert [line for line in result.stdout.splitlines() if "spans" in line] == [
        '  table 1, A, Ref: formatting: "spans 2 columns" -> "spans 1 column"',
        '  table 1, A, Wide: formatting: "spans 1 column" -> "spans 2 columns"',
    ], result.stdout
    for accept, version in ((True, new), (False, old)):
        resolved = corpus_tools.resolve(_body(redline), accept=accept)
        assert _table_properties(resolved) == _table_properties(_body(version)), f"accept={accept}"


def test_a_nested_tables_cell_shading_is_listed(tmp_path):
    """A cell of a table inside a table cell: its shading changed was "No differences" though the redline tracked it."""

    def nested(path: Path, fill: str | None) -> Path:
        document = docx.Document()
        outer = document.add_table(rows=1, cols=1)
        inner = outer.cell(0, 0).add_table(rows=1, cols=2)
        inner.cell(0, 0).text, inner.cell(0, 1).text = "Status", "Green"
        if fill:
            _shade(inner.cell(0, 1), fill)
        document.save(str(path))
        return path

    result = run("diff", nested(tmp_path / "old.docx", None), nested(tmp_path / "new.docx", "C6EFCE"))
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[1].endswith(
        'table in it, row 1, column 2: formatting: "no shading" -> "shading #C6EFCE"'
    ), result.stdout
