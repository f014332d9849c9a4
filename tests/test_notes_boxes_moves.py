"""What the summary says of notes, text boxes and moved paragraphs agrees with what the redline tracks (#10): a
footnote's reference mark made bold, two notes swapped, a note emptied, a note in a table cell, a text box edited
and made bold, a paragraph moved and made bold. Accept All gives NEW and Reject All OLD, formatting included, as
the independent reader (tests/helpers/corpus_tools.py) reads them."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from lxml import etree

from helpers import corpus_tools, run
from helpers.worddocs import _Builder, write_document

W = corpus_tools.W_NS
NS = f'xmlns:w="{W}"'


def diff(tmp_path: Path, old: Path, new: Path) -> tuple[list[str], Path]:
    """The summary's lines after its first, and the redline; Accept All reads as NEW and Reject All as OLD,
    formatting included."""
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode, formatting=True)
        want = corpus_tools.read_version(version, mode="accept", formatting=True)
        assert corpus_tools.differences(got, want) == [], mode
    return [line.strip() for line in lines[1 : lines.index(f"Wrote the redline {redline}")]], redline


def _edited(path: Path, name: str, edit: Callable[[etree._Element], None]) -> Path:
    """The document at path with one of its parts changed by edit."""
    package = corpus_tools.Package.read(path)
    root = package.xml(name)
    edit(root)
    package.set_xml(name, root)
    package.write(path)
    return path


def _revisions(redline: Path, *names: str) -> int:
    """How many of these tracked changes (w:ins, w:rPrChange...) the redline's parts hold."""
    with zipfile.ZipFile(redline) as package:
        xml = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".xml"))
    return sum(xml.count(f"<w:{name} ") + xml.count(f"<w:{name}>") for name in names)


def _bold(run_: etree._Element) -> None:
    properties = run_.find(corpus_tools.w("rPr"))
    if properties is None:
        properties = etree.SubElement(run_, corpus_tools.w("rPr"))
        run_.insert(0, properties)
    properties.insert(0, etree.fromstring(f"<w:b {NS}/>"))


def test_a_text_box_edited_and_made_bold_lists_both_and_the_box_is_replaced_whole(tmp_path):
    def edit(root: etree._Element) -> None:
        for box in root.iter(corpus_tools.w("txbxContent")):
            run_ = box.find(f".//{corpus_tools.w('r')}")
            run_.find(corpus_tools.w("t")).text = "Homes built: 450"
            _bold(run_)

    def version(path: Path) -> Path:
        return write_document(path, [["Key figures:", ("textbox", "Homes built: 420")], ["Closing remarks."]])

    old = version(tmp_path / "old.docx")
    new = _edited(version(tmp_path / "new.docx"), "word/document.xml", edit)
    summary, redline = diff(tmp_path, old, new)
    assert summary == [
        'the paragraph "Key figures: Homes built: 450": "420" -> "450"',
        'the paragraph "Key figures: Homes built: 450", text box: formatting: '
        '"Homes built:: not bold" -> "Homes built:: bold"',
    ]
    # The box is deleted as OLD had it and inserted as NEW has it: its words and its formatting both tracked.
    assert _revisions(redline, "del") == 1 and _revisions(redline, "ins") == 1


def test_a_paragraph_moved_and_made_bold_lists_the_move_and_the_formatting(tmp_path):
    moved = "Members agreed the budget for libraries."

    def version(path: Path, *, after: bool) -> Path:
        document = docx.Document()
        if not after:
            document.add_paragraph(moved)
        document.add_paragraph("The council reviewed its plans for the coming year.")
        document.add_paragraph("Closing remarks.")
        if after:
            document.add_paragraph().add_run(moved).bold = True
        document.save(str(path))
        return path

    old, new = version(tmp_path / "old.docx", after=False), version(tmp_path / "new.docx", after=True)
    summary, redline = diff(tmp_path, old, new)
    assert summary == [
        f'the paragraph "{moved}": moved from paragraph 1 to paragraph 3',
        f'the paragraph "{moved}": formatting: "{moved}: not bold" -> "{moved}: bold"',
    ]
    # The move holds OLD's runs where it stood and NEW's where it stands: Reject gives it back unbolded.
    assert _revisions(redline, "moveTo") == 1


def _notes(path: Path, *notes: str) -> Path:
    """A paragraph with a footnote after each of its two points."""
    return write_document(
        path, [["Report."], ["First point", ("fn", notes[0]), " and second point", ("fn", notes[1]), " end."]]
    )


def test_a_footnote_reference_mark_made_bold_is_listed_and_tracked(tmp_path):
    def edit(root: etree._Element) -> None:
        _bold(next(root.iter(corpus_tools.w("footnoteReference"))).getparent())

    old = _notes(tmp_path / "old.docx", "Minute 12.", "Minute 14.")
    new = _edited(_notes(tmp_path / "new.docx", "Minute 12.", "Minute 14."), "word/document.xml", edit)
    summary, redline = diff(tmp_path, old, new)
    assert summary == [
        'the paragraph "First point and second point end.": formatting: '
        '"footnote reference mark: not bold" -> "footnote reference mark: bold"'
    ]
    assert _revisions(redline, "rPrChange") == 1  # on the mark's run: Reject All gives it back unbolded


def test_two_footnotes_swapped_are_each_named_with_their_own_words(tmp_path):
    old = _notes(tmp_path / "old.docx", "Note about the first point.", "Note about the second point.")
    new = _notes(tmp_path / "new.docx", "Note about the second point.", "Note about the first point.")
    summary, redline = diff(tmp_path, old, new)
    # Each note is edited where its reference stands, as Word's Compare tracks it; before, both lines named the
    # second note ("added" and "removed") and a reader could not tell which went where.
    assert summary == [
        'footnote 1 (after "First point"): "first" -> "second"',
        'footnote 2 (after "…and second point"): "second" -> "first"',
    ]
    assert _revisions(redline, "ins") == 2 and _revisions(redline, "del") == 2


def test_a_footnote_whose_words_were_all_removed_says_so_in_one_line(tmp_path):
    def edit(root: etree._Element) -> None:
        note = [n for n in root.iter(corpus_tools.w("footnote")) if n.get(corpus_tools.w("id")) == "1"][0]
        for text in note.iter(corpus_tools.w("t")):
            text.getparent().remove(text)

    old = _notes(tmp_path / "old.docx", "Minute 12.", "Minute 14.")
    new = _edited(_notes(tmp_path / "new.docx", "Minute 12.", "Minute 14."), "word/footnotes.xml", edit)
    summary, _redline = diff(tmp_path, old, new)
    assert summary == ['footnote 1 (after "First point"): removed: "Minute 12."']


def _table_with_notes(path: Path, notes: tuple[str, str], *, parks: bool = False, housing: str = "Target met") -> Path:
    """A table of themes whose Status cells each hold a footnote; parks adds a row before them."""
    document = docx.Document()
    document.add_paragraph("Progress by theme.")
    rows = [("Theme", "Lead", "Status"), *([("Parks", "Cy Dee", "New")] if parks else []), ("Housing", "Ann Lee", "")]
    rows.append(("Roads", "Bo Tan", ""))
    table = document.add_table(rows=len(rows), cols=3)
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    builder = _Builder(document)
    for row, words, source in zip(table.rows[-2:], (housing, "Mostly"), notes, strict=True):
        for item in (words, ("fn", source), " so far."):
            builder.add(row.cells[2].paragraphs[0], item)
    builder.finish()
    document.save(str(path))
    return path


def test_a_footnote_in_a_table_cell_is_named_by_its_cell_and_tracked_word_by_word(tmp_path):
    old = _table_with_notes(tmp_path / "old.docx", ("Source: survey 2025.", "Count of 10."))
    new = _table_with_notes(tmp_path / "new.docx", ("Source: survey 2026.", "Count of 10."))
    summary, redline = diff(tmp_path, old, new)
    # Placed as a cell's words are; it said 'table 1: "footnote: Source: survey 2025." -> ...' of the whole note.
    assert summary == ['table 1, row 2 "Housing", column 3, footnote 1 (after "Target met"): "2025" -> "2026"']
    with zipfile.ZipFile(redline) as package:
        body, notes = (package.read(f"word/{name}.xml").decode() for name in ("document", "footnotes"))
    assert "<w:ins " not in body and "<w:del " not in body  # the reference stays; the words change in the note
    assert notes.count("<w:ins ") == 1 and notes.count("<w:del ") == 1


def test_footnotes_swapped_between_cells_and_a_row_added_are_each_told(tmp_path):
    old = _table_with_notes(tmp_path / "old.docx", ("Source: survey 2025.", "Count of 10."))
    new = _table_with_notes(tmp_path / "new.docx", ("Count of 10.", "Source: survey 2025."), parks=True)
    summary, _redline = diff(tmp_path, old, new)
    # The row added was left out where a note of the table changed too (the redline inserted it all the same).
    assert summary == [
        'table 1, row 2 "Parks": added: "Parks | Cy Dee | New"',
        'table 1, row 3 "Housing", column 3, footnote 1 (after "Target met"): "Source: survey 2025." -> "Count of 10."',
        'table 1, row 4 "Roads", column 3, footnote 2 (after "Mostly"): "Count of 10." -> "Source: survey 2025."',
    ]


def test_a_footnote_in_a_cell_after_an_edited_word_is_replaced_whole_at_its_cell(tmp_path):
    old = _table_with_notes(tmp_path / "old.docx", ("Source: survey 2025.", "Count of 10."))
    new = _table_with_notes(tmp_path / "new.docx", ("Source: survey 2026.", "Count of 10."), housing="Target hit")
    summary, _redline = diff(tmp_path, old, new)
    assert summary == [
        'table 1, row 2 "Housing", column 3: "Target met so far." -> "Target hit so far."',
        'table 1, row 2 "Housing", column 3: "footnote: Source: survey 2025." -> "footnote: Source: survey 2026."',
    ]


def test_a_reference_mark_whose_bold_new_already_records_keeps_that_change_alone(tmp_path):
    def edit(root: etree._Element) -> None:
        run_ = next(root.iter(corpus_tools.w("footnoteReference"))).getparent()
        run_.insert(
            0,
            etree.fromstring(
                f'<w:rPr {NS}><w:b/><w:rPrChange w:id="901" w:author="Bob" w:date="2026-01-01T00:00:00Z">'
                "<w:rPr/></w:rPrChange></w:rPr>"
            ),
        )

    old = _notes(tmp_path / "old.docx", "Minute 12.", "Minute 14.")
    new = _edited(_notes(tmp_path / "new.docx", "Minute 12.", "Minute 14."), "word/document.xml", edit)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--keep-existing")
    # Bob's change stands as he left it: no second one in the same run, no record of ours beside it.
    assert "reference mark" not in result.stdout, result.output
    assert result.stdout.startswith("No differences") and "(1 by Bob)" in result.stdout, result.output
    assert _revisions(redline, "rPrChange") == 1
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode, formatting=True)
        want = corpus_tools.read_version(version, mode="accept", formatting=True)
        assert corpus_tools.differences(got, want) == [], mode
