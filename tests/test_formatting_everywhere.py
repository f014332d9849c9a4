"""Formatting changed alone (bold, alignment, a style, a paragraph mark's formatting) is a summary line and a
tracked formatting change wherever a reader sees it: in a table cell, a header or footer, on a paragraph's mark,
and in a paragraph whose words were edited too. Reject All gives OLD's formatting back and Accept All NEW's, read
by the independent reader (tests/helpers/corpus_tools.py, which compares formatting when asked), never by
revisions.py. --text-only leaves all of it out."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from lxml import etree

from helpers import corpus_tools, run
from helpers.worddocs import write_document

Edit = Callable[[Document], None]


def _document(path: Path, edit: Edit | None = None) -> Path:
    """A short report: two paragraphs, a table of two rows, a header and a footer; edit makes it NEW."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Audit Committee, March 2025"
    document.sections[0].footer.paragraphs[0].text = "Official"
    document.add_paragraph("The council reviewed its plans for the coming year.")
    document.add_paragraph("Members agreed the budget for libraries.")
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("Theme", "Lead", "Status"), ("Housing", "Ann Lee", "On track")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("Closing remarks.")
    if edit is not None:
        edit(document)
    document.save(str(path))
    return path


def diff(tmp_path: Path, old: Path, new: Path, *options: str) -> tuple[list[str], Path]:
    """The summary's lines after its first, and the redline, from the command as an officer types it."""
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, *options)
    lines = result.stdout.splitlines()
    if result.exit_code == 0:
        return [], redline
    assert result.exit_code == 1, result.output
    return [line.strip() for line in lines[1 : lines.index(f"Wrote the redline {redline}")]], redline


def assert_faithful(redline: Path, old: Path, new: Path) -> None:
    """Accept All reads as NEW and Reject All as OLD, formatting included (which alone tells them apart)."""
    versions = [corpus_tools.read_version(v, formatting=True) for v in (old, new)]
    assert corpus_tools.differences(*versions) != []
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode, formatting=True)
        want = corpus_tools.read_version(version, mode="accept", formatting=True)
        assert corpus_tools.differences(got, want) == [], mode


def _revisions(redline: Path, *names: str) -> int:
    """How many of Word's formatting change records the redline's parts hold."""
    with zipfile.ZipFile(redline) as package:
        xml = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".xml"))
    return sum(xml.count(f"<w:{name} ") for name in names)


def _bold_cell(document: Document) -> None:
    document.tables[0].cell(1, 2).paragraphs[0].runs[0].bold = True


def _centred_cell(document: Document) -> None:
    document.tables[0].cell(1, 1).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _italic_header(document: Document) -> None:
    document.sections[0].header.paragraphs[0].runs[0].italic = True


def _right_footer(document: Document) -> None:
    document.sections[0].footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _bold_mark(paragraph) -> None:
    properties = paragraph._p.get_or_add_pPr()
    mark = OxmlElement("w:rPr")
    mark.append(OxmlElement("w:b"))
    properties.append(mark)


def _bold_mark_of_second(document: Document) -> None:
    _bold_mark(document.paragraphs[1])


def test_a_word_made_bold_in_a_table_cell_is_listed_and_tracked(tmp_path):
    old, new = _document(tmp_path / "old.docx"), _document(tmp_path / "new.docx", _bold_cell)
    summary, redline = diff(tmp_path, old, new)
    assert summary == ['table 1, row 2 "Housing", column 3: formatting: "On track: not bold" -> "On track: bold"']
    assert _revisions(redline, "rPrChange") == 1
    assert_faithful(redline, old, new)


def test_a_table_cell_centred_is_listed_and_tracked(tmp_path):
    old, new = _document(tmp_path / "old.docx"), _document(tmp_path / "new.docx", _centred_cell)
    summary, redline = diff(tmp_path, old, new)
    assert summary == ['table 1, row 2 "Housing", column 2: formatting: "alignment as the style has it" -> "centred"']
    assert _revisions(redline, "pPrChange") == 1
    assert_faithful(redline, old, new)


def test_header_and_footer_formatting_is_listed_and_tracked(tmp_path):
    def edit(document: Document) -> None:
        _italic_header(document)
        _right_footer(document)

    old, new = _document(tmp_path / "old.docx"), _document(tmp_path / "new.docx", edit)
    summary, redline = diff(tmp_path, old, new)
    assert summary == [
        'header of section 1, the paragraph "Audit Committee, March 2025": formatting: '
        '"Audit Committee, March 2025: not italic" -> "Audit Committee, March 2025: italic"',
        'footer of section 1, the paragraph "Official": formatting: "alignment as the style has it" -> "aligned right"',
    ]
    assert _revisions(redline, "rPrChange", "pPrChange") == 2
    assert_faithful(redline, old, new)


def test_a_paragraph_marks_formatting_alone_is_listed_and_tracked(tmp_path):
    old, new = _document(tmp_path / "old.docx"), _document(tmp_path / "new.docx", _bold_mark_of_second)
    summary, redline = diff(tmp_path, old, new)
    assert summary == [
        'the paragraph "Members agreed the budget for libraries.": formatting: '
        '"paragraph mark: not bold" -> "paragraph mark: bold"'
    ]
    assert _revisions(redline, "rPrChange") == 1
    assert_faithful(redline, old, new)


def test_a_paragraph_edited_and_reformatted_lists_both(tmp_path):
    def edit(document: Document) -> None:
        paragraph = document.paragraphs[0]
        paragraph.runs[0].text = "The council reviewed its plans for the next year."
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        second = document.paragraphs[1]
        second.runs[0].text = "Members agreed "
        second.add_run("the budget").bold = True
        second.add_run(" for parks.")

    old, new = _document(tmp_path / "old.docx"), _document(tmp_path / "new.docx", edit)
    summary, redline = diff(tmp_path, old, new)
    assert summary == [
        'the paragraph "The council reviewed its plans for the next year.": "coming" -> "next"',
        'the paragraph "Members agreed the budget for parks.": "libraries" -> "parks"',
        'the paragraph "The council reviewed its plans for the next year.": formatting: '
        '"alignment as the style has it" -> "aligned right"',
        'the paragraph "Members agreed the budget for parks.": formatting: '
        '"the budget: not bold" -> "the budget: bold"',
    ]
    assert _revisions(redline, "rPrChange", "pPrChange") == 2
    assert_faithful(redline, old, new)


def test_text_only_leaves_every_formatting_change_out(tmp_path):
    def edit(document: Document) -> None:
        _bold_cell(document)
        _italic_header(document)
        _bold_mark_of_second(document)
        document.paragraphs[0].runs[0].text = "The council reviewed its plans for the next year."
        document.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    old, new = _document(tmp_path / "old.docx"), _document(tmp_path / "new.docx", edit)
    summary, redline = diff(tmp_path, old, new, "--text-only")
    assert summary == ['the paragraph "The council reviewed its plans for the next year.": "coming" -> "next"']
    assert _revisions(redline, "rPrChange", "pPrChange") == 0
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], mode


def _with_notes(path: Path, edit: Callable[[corpus_tools.Package], None] | None = None) -> Path:
    """A paragraph with a footnote and a comment; edit changes the package's XML to make NEW."""
    write_document(
        path,
        [
            ["Housing starts rose by a tenth.", ("fn", "Source: census of 2021.")],
            ["Libraries stay open.", ("comment", " Check the hours.", "Hours agreed with staff.")],
        ],
    )
    if edit is not None:
        package = corpus_tools.Package.read(path)
        edit(package)
        package.write(path)
    return path


def test_formatting_in_a_footnote_and_a_comment_is_listed_and_tracked(tmp_path):
    def edit(package: corpus_tools.Package) -> None:
        notes = package.xml("word/footnotes.xml")
        run_ = [r for r in notes.iter(corpus_tools.w("r")) if r.find(corpus_tools.w("t")) is not None][0]
        run_.insert(0, etree.fromstring(f'<w:rPr xmlns:w="{corpus_tools.W_NS}"><w:i/></w:rPr>'))
        package.set_xml("word/footnotes.xml", notes)
        comments = package.xml("word/comments.xml")
        paragraph = comments.find(f".//{corpus_tools.w('p')}")
        properties = paragraph.find(corpus_tools.w("pPr"))
        if properties is None:
            properties = etree.SubElement(paragraph, corpus_tools.w("pPr"))
            paragraph.insert(0, properties)
        etree.SubElement(properties, corpus_tools.w("jc")).set(corpus_tools.w("val"), "center")
        package.set_xml("word/comments.xml", comments)

    old, new = _with_notes(tmp_path / "old.docx"), _with_notes(tmp_path / "new.docx", edit)
    summary, redline = diff(tmp_path, old, new)
    assert summary == [
        'footnote 1, the paragraph "Source: census of 2021.": formatting: '
        '"Source: census of 2021.: not italic" -> "Source: census of 2021.: italic"',
        'comment 1, the paragraph "Hours agreed with staff.": formatting: "alignment as the style has it" -> "centred"',
    ]
    assert _revisions(redline, "rPrChange", "pPrChange") == 2
    assert_faithful(redline, old, new)


def _with_text_box(path: Path, edit: Callable[[etree._Element], None] | None = None) -> Path:
    """A paragraph holding a text box; edit changes the box's paragraph to make NEW."""
    write_document(path, [["Key figures:", ("textbox", "Homes built: 420")], ["Closing remarks."]])
    if edit is not None:
        package = corpus_tools.Package.read(path)
        root = package.xml("word/document.xml")
        edit(next(root.iter(corpus_tools.w("txbxContent"))).find(corpus_tools.w("p")))
        package.set_xml("word/document.xml", root)
        package.write(path)
    return path


def test_formatting_in_a_text_box_is_listed_and_tracked(tmp_path):
    def edit(paragraph: etree._Element) -> None:
        namespace = f'xmlns:w="{corpus_tools.W_NS}"'
        paragraph.insert(0, etree.fromstring(f'<w:pPr {namespace}><w:jc w:val="center"/></w:pPr>'))
        paragraph.find(corpus_tools.w("r")).insert(0, etree.fromstring(f"<w:rPr {namespace}><w:b/></w:rPr>"))

    old, new = _with_text_box(tmp_path / "old.docx"), _with_text_box(tmp_path / "new.docx", edit)
    summary, redline = diff(tmp_path, old, new)
    assert summary == [
        'the paragraph "Key figures: Homes built: 420", text box: formatting: '
        '"alignment as the style has it" -> "centred"',
        'the paragraph "Key figures: Homes built: 420", text box: formatting: '
        '"Homes built: 420: not bold" -> "Homes built: 420: bold"',
    ]
    assert _revisions(redline, "rPrChange", "pPrChange") == 2
    assert_faithful(redline, old, new)


def test_a_whole_paragraph_made_bold_is_one_record_and_reject_all_restores_it(tmp_path):
    def edit(document: Document) -> None:
        document.paragraphs[1].runs[0].bold = True
        _bold_mark(document.paragraphs[1])

    old, new = _document(tmp_path / "old.docx"), _document(tmp_path / "new.docx", edit)
    summary, redline = diff(tmp_path, old, new)
    assert summary == [
        'the paragraph "Members agreed the budget for libraries.": formatting: '
        '"Members agreed the budget for libraries.: not bold" -> "Members agreed the budget for libraries.: bold"'
    ]
    assert_faithful(redline, old, new)


def test_a_cell_edited_and_reformatted_lists_both(tmp_path):
    def edit(document: Document) -> None:
        cell = document.tables[0].cell(1, 2).paragraphs[0]
        cell.runs[0].text = "On"
        cell.runs[0].bold = True
        cell.add_run(" schedule")

    old, new = _document(tmp_path / "old.docx"), _document(tmp_path / "new.docx", edit)
    summary, redline = diff(tmp_path, old, new)
    assert summary == [
        'table 1, row 2 "Housing", column 3: "On track" -> "On schedule"',
        'table 1, row 2 "Housing", column 3: formatting: "On: not bold" -> "On: bold"',
    ]
    assert _revisions(redline, "rPrChange") == 1
    assert_faithful(redline, old, new)


def test_words_made_bold_in_a_link_are_listed_and_tracked(tmp_path):
    old = write_document(tmp_path / "old.docx", [["See ", ("link", "https://example.org/plan", "the plan"), " now."]])
    new = write_document(tmp_path / "new.docx", [["See ", ("link", "https://example.org/plan", "the plan"), " now."]])
    package = corpus_tools.Package.read(new)
    root = package.xml("word/document.xml")
    run_ = next(root.iter(corpus_tools.w("hyperlink"))).find(corpus_tools.w("r"))
    run_.insert(0, etree.fromstring(f'<w:rPr xmlns:w="{corpus_tools.W_NS}"><w:b/></w:rPr>'))
    package.set_xml("word/document.xml", root)
    package.write(new)
    summary, redline = diff(tmp_path, old, new)
    assert summary == ['the paragraph "See the plan now.": formatting: "the plan: not bold" -> "the plan: bold"']
    assert _revisions(redline, "rPrChange") == 1
    assert_faithful(redline, old, new)


def test_words_made_italic_in_a_table_inside_a_cell_are_listed_and_tracked(tmp_path):
    """A table inside a table's cell, its words the same but one made italic: listed by both tables' places, and
    tracked, so Reject All gives the plain words back (the redline left the inner table as NEW had it)."""

    def nested(italic: bool) -> Edit:
        def edit(document: Document) -> None:
            outer = document.tables[0].cell(1, 2)
            inner = outer.add_table(rows=1, cols=2)
            inner.cell(0, 0).text = "Inner a"
            inner.cell(0, 1).text = "Inner b"
            inner.cell(0, 1).paragraphs[0].runs[0].italic = italic or None

        return edit

    old = _document(tmp_path / "old.docx", nested(False))
    new = _document(tmp_path / "new.docx", nested(True))
    summary, redline = diff(tmp_path, old, new)
    assert len(summary) == 1 and summary[0].endswith('formatting: "Inner b: not italic" -> "Inner b: italic"'), summary
    assert summary[0].startswith('table 1, row 2 "Housing", column 3, table in it, ')
    assert _revisions(redline, "rPrChange") == 1
    assert_faithful(redline, old, new)
