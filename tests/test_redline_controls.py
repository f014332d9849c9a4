"""Content controls at a table cell (Word's cell-level controls, around a cell or around its paragraphs): a
paragraph deleted from the start of one stays inside it, and a control put around a cell or taken away is reported
and tracked, so Accept All gives NEW and Reject All gives OLD, read independently of revisions.py."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from helpers import corpus_tools, libreoffice_lines, run, violations
from jtai_docs import pipeline

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _control(children, tag: str = "status"):
    sdt = docx.oxml.parse_xml(f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:tag w:val="{tag}"/></w:sdtPr><w:sdtContent/></w:sdt>')
    content = sdt.find(qn("w:sdtContent"))
    for child in children:
        content.append(child)
    return sdt


def write_status(path: Path, lines: list[str], *, control: str, label: str | None = None) -> Path:
    """A two-cell table, "Status" and a cell of these lines; control says where a content control stands in the
    second cell: "in" (around the lines, inside the cell), "around" (around the cell) or "none". With label, the
    cell starts with a paragraph of that text outside the control."""
    document = docx.Document()
    document.add_paragraph("Progress this quarter.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Status"
    cell = table.rows[0].cells[1]
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)
    element = cell._tc
    paragraphs = element.findall(qn("w:p"))
    if control == "in":
        paragraphs[0].addprevious(_control([copy.deepcopy(p) for p in paragraphs]))
        for paragraph in paragraphs:
            element.remove(paragraph)
    if label is not None:
        paragraph = copy.deepcopy(paragraphs[0])
        for text in paragraph.iter(qn("w:t")):
            text.text = label
        element.find(qn("w:tcPr")).addnext(paragraph)
    if control == "around":
        element.addprevious(_control([copy.deepcopy(element)]))
        element.getparent().remove(element)
    document.add_paragraph("End of the update.")
    document.save(str(path))
    return path


def redline_of(tmp_path: Path, old: Path, new: Path) -> tuple[Path, tuple]:
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    return redline, changes


def assert_faithful(redline: Path, old: Path, new: Path) -> None:
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode, formatting=True)
        want = corpus_tools.read_version(version, mode="accept", formatting=True)
        assert corpus_tools.differences(got, want) == [], mode


def controlled_paragraphs(redline: Path) -> list[str]:
    """The text of each paragraph inside the cell's content control, deleted words included."""
    body = docx.Document(str(redline)).element.body
    control = next(sdt for sdt in body.iter(qn("w:sdt")) if sdt.find(f".//{qn('w:tag')}").get(qn("w:val")) == "status")
    return [corpus_tools.paragraph_text(p) for p in control.iter(qn("w:p"))]


@pytest.mark.parametrize("control", ["in", "around"])
@pytest.mark.parametrize("label", [None, "Rating:"])
def test_a_first_paragraph_deleted_in_a_cell_control_stays_inside_it(tmp_path, control, label):
    old = write_status(tmp_path / "old.docx", ["Amber", "Awaiting the audit."], control=control, label=label)
    new = write_status(tmp_path / "new.docx", ["Awaiting the audit."], control=control, label=label)
    redline, changes = redline_of(tmp_path, old, new)
    assert [(c.old, c.new) for c in changes] == [
        (
            "\n".join(filter(None, [label, "Amber", "Awaiting the audit."])),
            "\n".join(filter(None, [label, "Awaiting the audit."])),
        )
    ]
    assert_faithful(redline, old, new)
    # A control around the cell holds the label too; one inside it only the lines.
    held = [label] if label is not None and control == "around" else []
    assert controlled_paragraphs(redline) == [*held, "Amber", "Awaiting the audit."]
    assert set(violations(redline)) <= set(violations(new))


@pytest.mark.parametrize("control", ["in", "around"])
def test_a_first_paragraph_added_in_a_cell_control_is_inside_it(tmp_path, control):
    old = write_status(tmp_path / "old.docx", ["Awaiting the audit."], control=control)
    new = write_status(tmp_path / "new.docx", ["Amber", "Awaiting the audit."], control=control)
    redline, _ = redline_of(tmp_path, old, new)
    assert_faithful(redline, old, new)
    assert controlled_paragraphs(redline) == ["Amber", "Awaiting the audit."]


def _with_lines_after_control(path: Path, lines: list[str]) -> Path:
    """The document at path with these lines added to the cell after its content control."""
    document = docx.Document(str(path))
    cell = document.tables[0].rows[0].cells[1]._tc
    for line in lines:
        cell.append(copy.deepcopy(cell.find(f".//{qn('w:p')}")))
        for text in cell[-1].iter(qn("w:t")):
            text.text = line
    document.save(str(path))
    return path


def test_a_paragraph_deleted_after_a_cell_control_stays_outside_it(tmp_path):
    old = write_status(tmp_path / "old.docx", ["Amber"], control="in")
    _with_lines_after_control(old, ["Checked by the board.", "Signed off."])
    new = write_status(tmp_path / "new.docx", ["Amber"], control="in")
    _with_lines_after_control(new, ["Signed off."])
    redline, _ = redline_of(tmp_path, old, new)
    assert_faithful(redline, old, new)
    assert controlled_paragraphs(redline) == ["Amber"]


def test_the_last_paragraph_of_a_cell_deleted_after_a_control_stays_outside_it(tmp_path):
    # Nothing follows in the cell: the deleted paragraph's mark goes to the control's last paragraph, which
    # accepting joins to it across the end of the control, as LibreOffice does.
    old = write_status(tmp_path / "old.docx", ["Amber"], control="in")
    _with_lines_after_control(old, ["Checked by the board."])
    new = write_status(tmp_path / "new.docx", ["Amber"], control="in")
    redline, _ = redline_of(tmp_path, old, new)
    assert_faithful(redline, old, new)
    assert controlled_paragraphs(redline) == ["Amber"]


@pytest.mark.parametrize("control", ["in", "around"])
def test_a_control_put_around_a_cell_is_reported_and_rejecting_takes_it_away(tmp_path, control):
    old = write_status(tmp_path / "old.docx", ["Green"], control="none")
    new = write_status(tmp_path / "new.docx", ["Green"], control=control)
    result = run("diff", old, new, "-o", tmp_path / "redline.docx")
    assert result.exit_code == 1, result.output
    assert f'table 1: added “content control "status" {control} a cell”' in result.output
    redline = tmp_path / "redline.docx"
    assert_faithful(redline, old, new)
    # Word has no tracked change for a control alone: the row is replaced, OLD's deleted and NEW's inserted.
    rows = docx.Document(str(redline)).element.body.find(qn("w:tbl")).findall(qn("w:tr"))
    assert [row.find(f"{qn('w:trPr')}/{qn('w:del')}") is not None for row in rows] == [True, False]
    assert [row.find(f"{qn('w:trPr')}/{qn('w:ins')}") is not None for row in rows] == [False, True]
    assert set(violations(redline)) <= set(violations(new))


@pytest.mark.parametrize("control", ["in", "around"])
def test_a_control_taken_away_from_a_cell_is_reported_and_rejecting_gives_it_back(tmp_path, control):
    old = write_status(tmp_path / "old.docx", ["Green"], control=control)
    new = write_status(tmp_path / "new.docx", ["Amber"], control="none")
    result = run("diff", old, new, "-o", tmp_path / "redline.docx")
    assert result.exit_code == 1, result.output
    assert f'table 1: removed “content control "status" {control} a cell”' in result.output
    assert '"Green" -> "Amber"' in result.output
    assert_faithful(tmp_path / "redline.docx", old, new)


def write_ending_in_control(path: Path, after: list[str], inside: tuple[str, ...] = ("Actions by status",)) -> Path:
    """A document whose body ends with a content control holding paragraphs of these lines (as a chart in a
    control is saved), with these paragraphs after the control."""
    document = docx.Document()
    document.add_paragraph("Progress this quarter.")
    paragraphs = [document.add_paragraph(line)._p for line in inside]
    paragraphs[0].addprevious(_control([copy.deepcopy(p) for p in paragraphs], tag="chart"))
    for paragraph in paragraphs:
        paragraph.getparent().remove(paragraph)
    for text in after:
        document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.mark.parametrize("direction", ["added", "deleted"])
def test_a_paragraph_after_a_control_that_ends_the_document_leaves_no_empty_paragraph(tmp_path, direction):
    short = write_ending_in_control(tmp_path / "short.docx", [])
    long = write_ending_in_control(tmp_path / "long.docx", ["A note added at the end."])
    old, new = (short, long) if direction == "added" else (long, short)
    redline, changes = redline_of(tmp_path, old, new)
    assert [c.kind.value for c in changes] == [direction.replace("deleted", "removed")]
    assert_faithful(redline, old, new)
    # The control's paragraph takes the tracked paragraph mark, as Word records a paragraph added after the last;
    # the note stays after the control.
    body = docx.Document(str(redline)).element.body
    control = body.find(qn("w:sdt"))
    inside = control.find(f"{qn('w:sdtContent')}/{qn('w:p')}")
    marked = "w:ins" if direction == "added" else "w:del"
    assert inside.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn(marked)}") is not None
    assert corpus_tools.paragraph_text(control.getnext()) == "A note added at the end."


def test_paragraphs_added_at_the_end_of_a_control_and_after_it_are_taken_back_together(tmp_path):
    old = write_ending_in_control(tmp_path / "old.docx", [])
    new = write_ending_in_control(tmp_path / "new.docx", ["A note added at the end."], ("Actions by status", "Figures"))
    redline, _ = redline_of(tmp_path, old, new)
    assert_faithful(redline, old, new)
    # The mark goes to the control's last paragraph not already marked: the chart's own.
    control = docx.Document(str(redline)).element.body.find(qn("w:sdt"))
    marked = [p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:ins')}") is not None for p in control.iter(qn("w:p"))]
    assert marked == [True, True]


# Paragraph-level controls in every shape: nested, around a paragraph and a table together, renamed, or holding
# fewer paragraphs. A document is described as a list of blocks: a paragraph's text, ("table", text) for a one-cell
# table, or (name, [blocks]) for a content control of that title around the blocks.


def control_document(path: Path, blocks: list, *, intro: bool = True) -> Path:
    """A document of these blocks between an introduction (unless not asked for) and a closing paragraph."""
    document = docx.Document()
    body = document.element.body
    end = body.find(qn("w:sectPr"))

    def element(block):
        if isinstance(block, str):
            return copy.deepcopy(document.add_paragraph(block)._p)
        name, inner = block
        if name == "table":
            table = document.add_table(rows=1, cols=1)
            table.rows[0].cells[0].text = inner
            return copy.deepcopy(table._tbl)
        sdt = _control([element(b) for b in inner], tag=name.lower())
        sdt.find(qn("w:sdtPr")).insert(0, docx.oxml.parse_xml(f'<w:alias xmlns:w="{W}" w:val="{name}"/>'))
        return sdt

    made = [element(b) for b in [*(["Intro text."] if intro else []), *blocks, "End text."]]
    for child in list(body):
        if child is not end:
            body.remove(child)
    for child in made:
        end.addprevious(child)
    document.save(str(path))
    return path


def redline_summary(tmp_path: Path, old: Path, new: Path) -> tuple[list[str], Path]:
    """The summary's lines after its first, and the redline, from the command as an officer types it."""
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    return [line.strip() for line in lines[1 : lines.index(f"Wrote the redline {redline}")]], redline


def assert_exact(tmp_path: Path, old_blocks: list, new_blocks: list, *, intro: bool = True) -> list[str]:
    """Both documents redlined: Accept All gives NEW and Reject All gives OLD, controls counted by name and by
    what they hold, and LibreOffice opens the redline. The summary's lines are given back."""
    old = control_document(tmp_path / "old.docx", old_blocks, intro=intro)
    new = control_document(tmp_path / "new.docx", new_blocks, intro=intro)
    summary, redline = redline_summary(tmp_path, old, new)
    assert_faithful(redline, old, new)
    assert "End text." in libreoffice_lines(redline)
    assert set(violations(redline)) <= set(violations(new))
    return summary


A, B, C = "The committee approved the plan.", "Officers will report back in June.", "The budget is unchanged."


def said(text: str, how: str, name: str) -> str:
    return f'the paragraph "{text}": {how} “content control "{name}" around the paragraph”'


def test_the_reader_counts_controls_by_name_nesting_and_what_they_hold(tmp_path):
    """The independent reader tells apart what the redline must get right: a control renamed, nested otherwise,
    or holding other paragraphs."""
    shapes = [
        [("Decision", [A, B])],
        [("Resolution", [A, B])],
        [("Decision", [A]), B],
        [("Outer", [("Decision", [A, B])])],
        [("Decision", [A]), ("Decision", [B])],
    ]
    readings = [corpus_tools.read_version(control_document(tmp_path / f"{n}.docx", s)) for n, s in enumerate(shapes)]
    for n, reading in enumerate(readings):
        for m, other in enumerate(readings):
            assert (corpus_tools.differences(reading, other) == []) == (n == m), (n, m)


@pytest.mark.parametrize("removed", [False, True])
def test_a_control_put_around_or_taken_from_a_paragraph_already_in_another_control(tmp_path, removed):
    plain, nested = [("Outer", [A, B])], [("Outer", [("Decision", [A]), B])]
    old, new = (nested, plain) if removed else (plain, nested)
    summary = assert_exact(tmp_path, old, new)
    assert summary == [said(A, "removed" if removed else "added", "Decision")]


@pytest.mark.parametrize("held", [[A], [A, B]])
@pytest.mark.parametrize("removed", [False, True])
def test_a_control_put_around_another_control_nests_it_one_deeper(tmp_path, removed, held):
    plain, nested = [("Decision", held), C], [("Outer", [("Decision", held)]), C]
    old, new = (nested, plain) if removed else (plain, nested)
    summary = assert_exact(tmp_path, old, new)
    assert summary == [said(text, "removed" if removed else "added", "Outer") for text in held]


@pytest.mark.parametrize("kept", ["Outer", "Decision"])
def test_one_of_two_controls_around_a_paragraph_removed(tmp_path, kept):
    summary = assert_exact(tmp_path, [("Outer", [("Decision", [A])]), B], [(kept, [A]), B])
    gone = "Decision" if kept == "Outer" else "Outer"
    assert summary == [said(A, "removed", gone)]


def test_a_renamed_control_is_tracked(tmp_path):
    summary = assert_exact(tmp_path, [("Decision", [A, B])], [("Resolution", [A, B])])
    assert summary == [
        f'the paragraph "{text}": “content control "Decision" around the paragraph” -> '
        f'“content control "Resolution" around the paragraph”'
        for text in (A, B)
    ]


@pytest.mark.parametrize("shrunk", [True, False])
def test_a_control_holding_one_paragraph_fewer_or_more_stays_one_control(tmp_path, shrunk):
    three, two = [("Decision", [A, B, C])], [("Decision", [A, B]), C]
    old, new = (three, two) if shrunk else (two, three)
    summary = assert_exact(tmp_path, old, new)
    assert summary == [said(C, "removed" if shrunk else "added", "Decision")]


def test_the_second_of_two_controls_of_one_name_taken_away_stays_a_control_of_its_own(tmp_path):
    summary = assert_exact(tmp_path, [("Decision", [A]), ("Decision", [B])], [("Decision", [A]), B])
    assert summary == [said(B, "removed", "Decision")]


@pytest.mark.parametrize("table_first", [False, True])
@pytest.mark.parametrize("removed", [False, True])
def test_a_control_around_a_paragraph_and_a_table_together(tmp_path, removed, table_first):
    both = [A, ("table", "Budget line")][:: -1 if table_first else 1]
    plain, held = [*both, B], [("Decision", both), B]
    old, new = (held, plain) if removed else (plain, held)
    summary = assert_exact(tmp_path, old, new)
    how = "removed" if removed else "added"
    assert said(A, how, "Decision") in summary
    assert f'table 1: {how} “content control "Decision" around the table”' in summary


@pytest.mark.parametrize("held", [[("table", "Budget line")], [C, ("table", "Budget line")], [C, "Signed off."]])
@pytest.mark.parametrize("removed", [False, True])
def test_a_table_or_paragraphs_inside_a_control_added_or_removed(tmp_path, removed, held):
    short, long = [A, B], [A, ("Decision", held), B]
    old, new = (long, short) if removed else (short, long)
    assert_exact(tmp_path, old, new)


@pytest.mark.parametrize("intro", [True, False], ids=["after a paragraph", "at the start"])
def test_the_first_paragraph_taken_out_of_a_control_leaves_it_one_control(tmp_path, intro):
    """Reject All gave the control split in two and an empty paragraph between: OLD's paragraph goes back into
    the start of NEW's control, NEW's inserted mark to the paragraph before; at the start of the document, where
    there is none, OLD's control is given back whole, deleted, and NEW's emptied by Reject All."""
    summary = assert_exact(tmp_path, [("Decision", [A, B])], [A, ("Decision", [B])], intro=intro)
    assert summary == [said(A, "removed", "Decision")]


@pytest.mark.parametrize("intro", [True, False], ids=["after a paragraph", "at the start"])
@pytest.mark.parametrize("kept", [[C], [C, "Signed off."]], ids=["one after", "two after"])
def test_a_paragraph_taken_out_of_the_middle_of_a_control_splits_it_only_on_accept(tmp_path, intro, kept):
    """NEW has the control before and after the paragraph: Reject All gave both, and an empty paragraph. The
    paragraphs NEW holds in its second control are deleted into the first, after the one taken out, and inserted
    where they stand, so Reject All gives one control and Accept All two."""
    summary = assert_exact(
        tmp_path, [("Decision", [A, B, *kept])], [("Decision", [A]), B, ("Decision", kept)], intro=intro
    )
    assert summary == [said(B, "removed", "Decision")]


@pytest.mark.parametrize("intro", [True, False], ids=["after a paragraph", "at the start"])
@pytest.mark.parametrize("kept", [[C], [C, "Signed off."]], ids=["one after", "two after"])
def test_two_controls_of_one_name_joined_into_one_come_apart_on_reject(tmp_path, intro, kept):
    """The paragraph between two controls of one name put into one control with them: Reject All gave one control
    holding the paragraphs of both and the paragraph between after it."""
    summary = assert_exact(
        tmp_path, [("Decision", [A]), B, ("Decision", kept)], [("Decision", [A, B, *kept])], intro=intro
    )
    assert summary == [said(B, "added", "Decision")]


def header_document(path: Path, names: list[str]) -> Path:
    """A document whose header's only paragraph is in content controls of these titles, outermost first."""
    document = docx.Document()
    document.add_paragraph("End text.")
    header = document.sections[0].header
    header.paragraphs[0].text = "Cabinet, 12 May"
    root = header._element
    paragraph = root.find(qn("w:p"))
    inner = copy.deepcopy(paragraph)
    for name in reversed(names):
        inner = _control([inner], tag=name.lower())
        inner.find(qn("w:sdtPr")).insert(0, docx.oxml.parse_xml(f'<w:alias xmlns:w="{W}" w:val="{name}"/>'))
    paragraph.addprevious(inner)
    root.remove(paragraph)
    document.save(str(path))
    return path


@pytest.mark.parametrize("removed", [False, True])
def test_a_control_put_inside_the_control_around_a_headers_only_paragraph(tmp_path, removed):
    """Accept All left the outer control holding an empty paragraph after the inner one: OLD's copy had nothing
    after it in the header to join. The outer control is given back whole, deleted, after NEW's."""
    plain = header_document(tmp_path / "plain.docx", ["Heading"])
    nested = header_document(tmp_path / "nested.docx", ["Heading", "Meeting"])
    old, new = (nested, plain) if removed else (plain, nested)
    summary, redline = redline_summary(tmp_path, old, new)
    how = "removed" if removed else "added"
    assert summary == [
        f'header of section 1, the paragraph "Cabinet, 12 May": {how} “content control "Meeting" around the paragraph”'
    ]
    assert_faithful(redline, old, new)
    assert "End text." in libreoffice_lines(redline)
    assert set(violations(redline)) <= set(violations(new))


def test_a_control_whose_tag_alone_changed_says_which_tag_and_is_tracked(tmp_path):
    """Word's Content Control Properties show a control's Title and Tag: the tag alone changed is told as that,
    not as the control "(changed)"."""
    old = control_document(tmp_path / "old.docx", [("Decision", [A])])
    new = control_document(tmp_path / "new.docx", [("Decision", [A])])
    document = docx.Document(str(new))
    document.element.body.find(f".//{qn('w:tag')}").set(qn("w:val"), "resolution")
    document.save(str(new))
    summary, redline = redline_summary(tmp_path, old, new)
    assert summary == [f'the paragraph "{A}", content control "Decision": “tag "decision"” -> “tag "resolution"”']
    assert_faithful(redline, old, new)
    assert "Intro text." in libreoffice_lines(redline)


def _with_empty_control(path: Path) -> Path:
    """The document with a content control holding nothing (as a generator may leave one) before its last
    paragraph."""
    document = docx.Document(str(path))
    end = document.paragraphs[-1]._p
    end.addprevious(
        docx.oxml.parse_xml(f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:alias w:val="Signature"/></w:sdtPr></w:sdt>')
    )
    document.save(str(path))
    return path


def test_an_empty_control_taken_away_is_reported(tmp_path):
    """A content control holding nothing was "No differences". It is told; Word has no tracked change for a
    control, and this one holds nothing to delete, so the redline is NEW's: Accept All gives NEW, and Reject All
    gives OLD but for that empty control."""
    old = _with_empty_control(control_document(tmp_path / "old.docx", [A]))
    new = control_document(tmp_path / "new.docx", [A])
    summary, redline = redline_summary(tmp_path, old, new)
    assert summary == ['the paragraph "End text.": removed “empty content control "Signature" before the paragraph”']
    got = corpus_tools.read_version(redline, mode="accept", formatting=True)
    assert corpus_tools.differences(got, corpus_tools.read_version(new, formatting=True)) == []
    got = corpus_tools.read_version(redline, mode="reject", formatting=True)
    assert corpus_tools.differences(got, corpus_tools.read_version(old, formatting=True)) == [
        "body: content control 'Signature/' holding [] 0, expected 1",
        "body: content controls 0, expected 1",
    ]


def _with_break_in_control(path: Path) -> Path:
    """The document with a landscape section ending at the last paragraph inside its content control."""
    document = docx.Document(str(path))
    paragraph = list(document.element.body.find(qn("w:sdt")).iter(qn("w:p")))[-1]
    section = copy.deepcopy(document.element.body.find(qn("w:sectPr")))
    size = section.find(qn("w:pgSz"))
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    size.set(qn("w:w"), height)
    size.set(qn("w:h"), width)
    size.set(qn("w:orient"), "landscape")
    paragraph.get_or_add_pPr().append(section)
    document.save(str(path))
    return path


@pytest.mark.parametrize("held", [[A], [A, B]])
@pytest.mark.parametrize("removed", [True, False])
def test_a_section_break_at_the_end_of_a_control_added_or_removed_keeps_the_control(tmp_path, removed, held):
    """The empty paragraph holding the other version's mark went inside the control, so the paragraph after the
    control was joined into it (Reject All, or Accept All) and the control held it."""
    plain = control_document(tmp_path / "plain.docx", [("Part", held), C])
    broken = _with_break_in_control(control_document(tmp_path / "broken.docx", [("Part", held), C]))
    old, new = (broken, plain) if removed else (plain, broken)
    summary, redline = redline_summary(tmp_path, old, new)
    said = "removed" if removed else "added"
    assert summary == [f'after the paragraph "{held[-1]}": {said}: "section break (new page): portrait"']
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode, formatting=True)
        want = corpus_tools.read_version(version, mode="accept", formatting=True)
        assert corpus_tools.differences(got, want) == [], mode
    assert "Intro text." in libreoffice_lines(redline)
    assert set(violations(redline)) <= set(violations(new))


def _words_in_control(path: Path, *, control: bool) -> Path:
    """ "The plan was approved today.", with "approved" in a content control titled "Decision" when control."""
    document = docx.Document()
    paragraph = document.add_paragraph("The plan was ")
    if control:
        paragraph._p.append(
            docx.oxml.parse_xml(
                '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:sdtPr>'
                '<w:alias w:val="Decision"/></w:sdtPr><w:sdtContent><w:r><w:t>approved</w:t></w:r></w:sdtContent>'
                "</w:sdt>"
            )
        )
    else:
        paragraph.add_run("approved")
    paragraph.add_run(" today.")
    document.save(str(path))
    return path


@pytest.mark.parametrize("removed", [True, False], ids=["taken away", "put around"])
def test_a_control_around_words_put_on_or_taken_away_is_reported_and_tracked(tmp_path, removed):
    """A content control around some words of a paragraph (Word's inline, or plain text, control) was "No
    differences", exit 0, though the redline tracked it."""
    with_control = _words_in_control(tmp_path / "with.docx", control=True)
    without = _words_in_control(tmp_path / "without.docx", control=False)
    old, new = (with_control, without) if removed else (without, with_control)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code == 1, result.output
    said = "removed" if removed else "added"
    assert result.stdout.splitlines()[1] == (
        f'  the paragraph "The plan was approved today.": {said} “content control "Decision" around words”'
    )
    assert_faithful(redline, old, new)
