"""Summaries a reviewer can trust: places named as a reader finds them, and every record backed by a tracked
change in the redline."""

from __future__ import annotations

import copy

import docx
from click.testing import CliRunner
from docx.oxml.ns import qn

from jtai_docs import pipeline
from jtai_docs.cli import main


def write(path, blocks, *, header_row: bool = False):
    document = docx.Document()
    for kind, content in blocks:
        if kind == "table":
            table = document.add_table(rows=0, cols=len(content[0]))
            for row in content:
                for cell, text in zip(table.add_row().cells, row, strict=False):
                    cell.text = text
            if header_row:
                table.rows[0]._tr.get_or_add_trPr().append(
                    docx.oxml.parse_xml(
                        '<w:tblHeader xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
                    )
                )
        else:
            document.add_paragraph(content, style=kind)
    document.save(str(path))
    return path


def diff_lines(old, new, *extra):
    result = CliRunner().invoke(main, ["diff", str(old), str(new), *extra])
    assert result.exit_code in (0, 1), result.output
    return result.stdout.splitlines()[1:]


def test_a_table_without_a_header_row_is_described_by_row_and_column_numbers(tmp_path):
    rows = [["Action 78", "Blue", "12"], ["Action 79", "Red", "4"], ["80", "Green", "7"]]
    changed = [["Action 78", "Blue", "13"], ["Action 79", "Red", "4"], ["80", "Amber", "7"]]
    old = write(tmp_path / "old.docx", [("table", rows)])
    new = write(tmp_path / "new.docx", [("table", changed)])
    assert diff_lines(old, new) == [
        '  table 1, row 1 "Action 78", column 3: "12" -> "13"',
        '  table 1, row 3, column 2: "Green" -> "Amber"',
    ]


def test_a_table_with_a_marked_header_row_names_columns_by_it(tmp_path):
    rows = [["Area", "Target"], ["Housing", "90"]]
    old = write(tmp_path / "old.docx", [("table", rows)], header_row=True)
    new = write(tmp_path / "new.docx", [("table", [["Area", "Target"], ["Housing", "95"]])], header_row=True)
    assert diff_lines(old, new) == ['  table 1, Housing, Target: "90" -> "95"']


def test_bullets_are_not_paragraph_numbers_and_empty_paragraphs_are_not_quoted(tmp_path):
    old = write(
        tmp_path / "old.docx",
        [
            (
                "Heading 1",
                "A heading long enough that a summary line would run on past the width of any terminal window",
            ),
            ("List Bullet", "First bullet stays."),
            ("Normal", ""),
            ("List Bullet", "Second bullet is edited."),
        ],
    )
    new = write(
        tmp_path / "new.docx",
        [
            (
                "Heading 1",
                "A heading long enough that a summary line would run on past the width of any terminal window",
            ),
            ("List Bullet", "First bullet stays."),
            ("List Bullet", "Second bullet is edited now."),
        ],
    )
    lines = diff_lines(old, new)
    assert lines == [
        "  an empty paragraph (A heading long enough that a summary line would…): removed",
        '  the bullet "Second bullet is edited now." (A heading long enough that a summary line would…): added "now"',
    ]


def test_every_record_has_a_tracked_change_in_the_redline(tmp_path):
    from jtai_docs import pipeline

    old = write(
        tmp_path / "old.docx",
        [
            ("Normal", "One two three."),
            ("Normal", "Kept."),
            ("Normal", "Gone entirely."),
            ("table", [["a", "1"], ["b", "2"]]),
            ("Normal", "Also kept."),
        ],
    )
    new = write(
        tmp_path / "new.docx",
        [
            ("Normal", "One two four."),
            ("Normal", "Kept."),
            ("table", [["a", "1"], ["b", "3"]]),
            ("Normal", "Also kept."),
            ("Normal", "A new closing paragraph."),
        ],
    )
    redline = tmp_path / "r.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    body = docx.Document(str(redline)).element.body
    tracked = []
    for p in body.iter(qn("w:p")):
        # Content tracked; a paragraph mark alone is not counted: Word moves the last one's onto the paragraph
        # before it, since the document's last mark always stays.
        if any(n.tag in (qn("w:ins"), qn("w:del")) and n.getparent().tag != qn("w:rPr") for n in p.iter()):
            tracked.append("".join(t.text or "" for t in p.iter(qn("w:t"), qn("w:delText"))))
    assert [c.kind for c in changes] == ["changed", "removed", "cell", "added"]
    for change in changes:
        # The record's text, old and new together, is what the tracked paragraph shows in Word's markup view.
        shown = {"changed": "One two threefour.", "removed": change.old, "cell": "23", "added": change.new}[change.kind]
        assert shown in tracked, (change, tracked)
    assert len(tracked) == len(changes), "no tracked change without a record"


def test_every_kind_of_change_is_one_of_a_fixed_set_whose_words_the_json_keeps(tmp_path):
    """Kinds are an enumeration, so a misspelt kind is refused where it is made, while the JSON a tool reads
    and the lines an officer reads keep the words "changed", "removed", "cell" and "added"."""
    import json

    import pytest

    from jtai_docs.model import Change, ChangeKind

    old = write(
        tmp_path / "old.docx",
        [("Normal", "Opening words stay put."), ("Normal", "One two three."), ("Normal", "Gone soon.")]
        + [("table", [["Theme", "8"]]), ("Normal", "Closing words stay.")],
    )
    new = write(
        tmp_path / "new.docx",
        [("Normal", "Opening words stay put."), ("Normal", "One two four."), ("table", [["Theme", "10"]])]
        + [("Normal", "Brand new."), ("Normal", "Closing words stay.")],
    )
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"])
    records = json.loads(result.stdout)["changes"]
    assert [r["kind"] for r in records] == ["changed", "removed", "cell", "added"]
    assert diff_lines(old, new) == [
        '  the paragraph "One two four.": "three" -> "four"',
        '  the paragraph "Gone soon.": removed: "Gone soon."',
        '  table 1, row 1 "Theme", column 2: "8" -> "10"',
        '  the paragraph "Brand new.": added: "Brand new."',
    ]
    assert Change(kind="cell", where="", section=None, old="8", new="10", edits=()).kind is ChangeKind.CELL
    with pytest.raises(ValueError, match="'edited' is not a valid ChangeKind"):
        Change(kind="edited", where="", section=None, old="", new="", edits=())


def test_a_cell_that_lost_an_empty_paragraph_says_so_rather_than_quote_the_same_words_twice(tmp_path):
    import docx

    from jtai_docs import display

    for name, lines in (("old.docx", ["Caption", ""]), ("new.docx", ["Caption"])):
        document = docx.Document()
        cell = document.add_table(rows=1, cols=2).rows[0].cells
        cell[0].text = "Label"
        cell[1].text = lines[0]
        for line in lines[1:]:
            cell[1].add_paragraph(line)
        document.save(str(tmp_path / name))
    changes = pipeline.compare_reports(tmp_path / "old.docx", tmp_path / "new.docx")
    shown = display.format_changes(changes, old="old.docx", new="new.docx")
    assert 'table 1, row 1 "Label", column 2: 1 empty paragraph removed' in shown, shown


def test_a_header_two_sections_share_is_reported_once(tmp_path):
    import docx

    for name, title in (("old.docx", "Cabinet, March meeting"), ("new.docx", "Cabinet, April meeting")):
        document = docx.Document()
        document.sections[0].header.paragraphs[0].text = title
        document.add_paragraph("Part one.")
        document.add_section()
        document.add_paragraph("Part two.")
        # Both sections name the same header part, as Word saves a header the sections share.
        sections = list(document.element.body.iter(qn("w:sectPr")))
        reference = next(r for s in sections for r in s.iter(qn("w:headerReference")))
        for section in sections:
            if section.find(qn("w:headerReference")) is None:
                section.insert(0, copy.deepcopy(reference))
        document.save(str(tmp_path / name))
    body = docx.Document(str(tmp_path / "new.docx")).element.body
    assert len({r.get(qn("r:id")) for r in body.iter(qn("w:headerReference"))}) == 1
    assert len(list(body.iter(qn("w:headerReference")))) == 2
    changes = pipeline.compare_reports(tmp_path / "old.docx", tmp_path / "new.docx", redline_path=tmp_path / "r.docx")
    assert [c.where for c in changes] == ['header of section 1, the paragraph "Cabinet, April meeting"']
    deleted = [
        t.text for t in docx.Document(str(tmp_path / "r.docx")).sections[0].header._element.iter(qn("w:delText"))
    ]
    assert deleted == ["March"]  # tracked once, not twice


def test_a_heading_edited_is_not_placed_under_itself(tmp_path):
    """A heading's own change is named by the heading; its words under it by both."""
    old = write(tmp_path / "old.docx", [("Heading 1", "Next steps"), ("Normal", "Body words here.")])
    new = write(tmp_path / "new.docx", [("Heading 1", "Next big steps"), ("Normal", "Body words there.")])
    assert diff_lines(old, new) == [
        '  heading "Next big steps": added "big"',
        '  the paragraph "Body words there." (Next big steps): "here" -> "there"',
    ]
