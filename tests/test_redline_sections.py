"""Redlines exact where a document's last paragraph mark is involved: a header's only paragraph replaced, a
paragraph moved to (or from) the end of the body. Accept All gives NEW and Reject All gives OLD, read by the
independent reader (tests/helpers/corpus_tools.py), never by revisions.py."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import docx.enum.section
import pytest
from docx.oxml.ns import qn

from helpers import corpus_tools, paragraphs_document, run, violations


def diff(tmp_path: Path, old: Path, new: Path) -> tuple[list[str], Path]:
    """The summary's lines after its first, and the redline, from the command as an officer types it."""
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    return [line.strip() for line in lines[1 : lines.index(f"Wrote the redline {redline}")]], redline


def assert_faithful(redline: Path, old: Path, new: Path) -> None:
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        want = corpus_tools.read_version(version, mode="accept")
        assert corpus_tools.differences(got, want) == [], mode


def with_header(path: Path, lines: list[str]) -> Path:
    document = docx.Document()
    document.add_paragraph("Body text stays.")
    header = document.sections[0].header
    header.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        header.add_paragraph(line)
    document.save(str(path))
    return path


@pytest.mark.parametrize("old_lines", [["Just a plain header."], ["Just a plain header.", "Second line"]])
def test_a_headers_only_paragraph_replaced_leaves_one_paragraph(tmp_path, old_lines):
    old = with_header(tmp_path / "old.docx", old_lines)
    new = with_header(tmp_path / "new.docx", ["ODD/even page header shown in BLACK."])
    summary, redline = diff(tmp_path, old, new)
    assert summary[0] == (
        'header of section 1, the paragraph "ODD/even page header shown in BLACK.": '
        'added: "ODD/even page header shown in BLACK."'
    )
    assert_faithful(redline, old, new)


PARAGRAPHS = [
    "First paragraph stays here.",
    "The ward map shows the new boundaries clearly.",
    "Second paragraph stays here too.",
    "Third paragraph is last.",
]


@pytest.mark.parametrize("direction", ["to the end", "from the end"])
def test_a_paragraph_moved_to_or_from_the_end_leaves_no_empty_paragraph(tmp_path, direction):
    at_end = [PARAGRAPHS[0], *PARAGRAPHS[2:], PARAGRAPHS[1]]
    old_texts, new_texts = (PARAGRAPHS, at_end) if direction == "to the end" else (at_end, PARAGRAPHS)
    old = paragraphs_document(tmp_path / "old.docx", old_texts)
    new = paragraphs_document(tmp_path / "new.docx", new_texts)
    summary, redline = diff(tmp_path, old, new)
    before, after = old_texts.index(PARAGRAPHS[1]) + 1, new_texts.index(PARAGRAPHS[1]) + 1
    assert summary == [f'the paragraph "{PARAGRAPHS[1]}": moved from paragraph {before} to paragraph {after}']
    assert_faithful(redline, old, new)
    body = docx.Document(str(redline)).element.body
    assert len(body.findall(".//w:moveFrom", body.nsmap)) and len(body.findall(".//w:moveTo", body.nsmap))


def sections_document(path: Path, *, break_after: bool, landscape: bool = False, columns: int = 1) -> Path:
    """Three paragraphs; with break_after, the second ends a section (Word keeps the break in its mark). The last
    section is landscape, or set in columns, as asked."""
    document = docx.Document()
    for text in ("Intro.", "Part one text.", "Part two text, on pages of their own."):
        document.add_paragraph(text)
    body = document.element.body
    last = body.find(qn("w:sectPr"))
    if break_after:
        paragraphs = body.findall(qn("w:p"))
        paragraphs[1].get_or_add_pPr().append(copy.deepcopy(last))
    size = last.find(qn("w:pgSz"))
    if landscape:
        width, height = size.get(qn("w:w")), size.get(qn("w:h"))
        size.set(qn("w:w"), height)
        size.set(qn("w:h"), width)
        size.set(qn("w:orient"), "landscape")
    if columns > 1:
        last.find(qn("w:cols")).set(qn("w:num"), str(columns))
    document.save(str(path))
    return path


def sections(path: Path, *, mode: str) -> list[tuple[str | None, str | None, str | None]]:
    """Each section's orientation, page width and columns, as a version reads after Accept or Reject All."""
    root = corpus_tools.resolve(corpus_tools.Package.read(path).xml("word/document.xml"), accept=mode == "accept")
    found = []
    for section in root.iter(qn("w:sectPr")):
        size, columns = section.find(qn("w:pgSz")), section.find(qn("w:cols"))
        found.append(
            (size.get(qn("w:orient")), size.get(qn("w:w")), columns.get(qn("w:num")) if columns is not None else None)
        )
    return found


@pytest.mark.parametrize("removed", [True, False])
def test_a_section_break_removed_or_added_is_reported_and_tracked(tmp_path, removed):
    with_break = sections_document(tmp_path / "with.docx", break_after=True)
    without = sections_document(tmp_path / "without.docx", break_after=False)
    old, new = (with_break, without) if removed else (without, with_break)
    summary, redline = diff(tmp_path, old, new)
    said = "removed" if removed else "added"
    assert summary == [f'after the paragraph "Part one text.": {said}: "section break (new page)"']
    assert_faithful(redline, old, new)
    for mode, version in (("accept", new), ("reject", old)):
        assert sections(redline, mode=mode) == sections(version, mode="accept"), mode
    assert set(violations(redline)) <= set(violations(new))


def test_a_section_break_in_an_empty_paragraph_removed_is_reported(tmp_path):
    old = sections_document(tmp_path / "old.docx", break_after=False)
    document = docx.Document(str(old))
    body = document.element.body
    paragraph = body.findall(qn("w:p"))[1]
    empty = copy.deepcopy(paragraph)
    for piece in empty.findall(qn("w:r")):
        empty.remove(piece)
    empty.get_or_add_pPr().append(copy.deepcopy(body.find(qn("w:sectPr"))))
    paragraph.addnext(empty)
    document.save(str(old))
    new = sections_document(tmp_path / "new.docx", break_after=False)
    summary, redline = diff(tmp_path, old, new)
    assert summary == [
        "an empty paragraph: removed",
        'after the paragraph "Part one text.": removed: "section break (new page)"',
    ]
    assert_faithful(redline, old, new)


@pytest.mark.parametrize("middle", [True, False])
def test_a_sections_layout_changed_is_tracked_and_listed(tmp_path, middle):
    old = sections_document(tmp_path / "old.docx", break_after=True)
    new = sections_document(tmp_path / "new.docx", break_after=True, landscape=True, columns=2)
    if middle:  # the first section changed rather than the last: swap the two sections' properties
        for path in (old, new):
            document = docx.Document(str(path))
            body = document.element.body
            inner, last = body.find(f".//{qn('w:pPr')}/{qn('w:sectPr')}"), body.find(qn("w:sectPr"))
            inner_copy = copy.deepcopy(inner)
            inner.getparent().replace(inner, copy.deepcopy(last))
            body.replace(last, inner_copy)
            document.save(str(path))
    summary, redline = diff(tmp_path, old, new)
    number = 1 if middle else 2
    assert summary == [f'page layout of section {number}: formatting: "portrait; 1 column" -> "landscape; 2 columns"']
    assert_faithful(redline, old, new)
    for mode, version in (("accept", new), ("reject", old)):
        assert sections(redline, mode=mode) == sections(version, mode="accept"), mode
    assert set(violations(redline)) <= set(violations(new))
    # Layout is formatting: --text-only leaves it out, of the summary and the redline alike.
    text_only = run("diff", old, new, "--text-only", "-o", tmp_path / "text-only.docx")
    assert text_only.exit_code == 0, text_only.output
    assert sections(tmp_path / "text-only.docx", mode="reject") == sections(new, mode="accept")


def break_document(path: Path, *, position: str, holder: str | None, landscape: bool = False) -> Path:
    """Three paragraphs, with a table after the second where position is "before a table". With holder "text" a
    section break ends "Part one text." (or "Part two text.", the last paragraph, where position is "at the
    end"); with holder "empty" it is held by an empty paragraph of its own there, as Word shows a break on a line
    of its own. The section the break ends is landscape, as asked."""
    document = docx.Document()
    paragraphs = [document.add_paragraph(text)._p for text in ("Intro.", "Part one text.", "Part two text.")]
    if position == "before a table":
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Ward", "Boundary"
        paragraphs[1].addnext(table._tbl)
    body = document.element.body
    section = copy.deepcopy(body.find(qn("w:sectPr")))
    if landscape:
        size = section.find(qn("w:pgSz"))
        width, height = size.get(qn("w:w")), size.get(qn("w:h"))
        size.set(qn("w:w"), height)
        size.set(qn("w:h"), width)
        size.set(qn("w:orient"), "landscape")
    ending = paragraphs[2] if position == "at the end" else paragraphs[1]
    if holder == "empty":
        empty = docx.oxml.parse_xml(f'<w:p xmlns:w="{W}"><w:pPr/></w:p>')
        ending.addnext(empty)
        ending = empty
    if holder is not None:
        ending.get_or_add_pPr().append(section)
    document.save(str(path))
    return path


def section_count(path: Path, *, mode: str) -> int:
    root = corpus_tools.resolve(corpus_tools.Package.read(path).xml("word/document.xml"), accept=mode == "accept")
    return len(root.findall(f".//{qn('w:sectPr')}"))


@pytest.mark.parametrize("holder", ["text", "empty"])
@pytest.mark.parametrize("position", ["in the middle", "before a table", "at the end"])
@pytest.mark.parametrize("removed", [True, False])
def test_a_section_break_in_every_position_is_kept_by_accept_and_reject(tmp_path, removed, position, holder):
    """A break on the last paragraph before a table, or on the document's last paragraph, is as much a break as
    one in the middle: Accept All and Reject All each give the version's own sections, none short."""
    with_break = break_document(tmp_path / "with.docx", position=position, holder=holder)
    without = break_document(tmp_path / "without.docx", position=position, holder=None)
    old, new = (with_break, without) if removed else (without, with_break)
    summary, redline = diff(tmp_path, old, new)
    said = "removed" if removed else "added"
    ending = "Part two text." if position == "at the end" else "Part one text."
    assert summary == [f"an empty paragraph: {said}"] * (holder == "empty") + [
        f'after the paragraph "{ending}": {said}: "section break (new page)"'
    ]
    for mode, version in (("accept", new), ("reject", old)):
        assert section_count(redline, mode=mode) == section_count(version, mode="accept"), mode
        assert sections(redline, mode=mode) == sections(version, mode="accept"), mode
    if holder == "text" and position != "in the middle":
        # Neither Word nor LibreOffice joins a paragraph into a table, nor takes away a document's last paragraph
        # mark: the side with the break has an empty paragraph after it (where the version itself ends with the
        # break, Word and LibreOffice show one there too). The side without the break is exact.
        exact, padded = ("accept", "reject") if removed else ("reject", "accept")
        assert (
            corpus_tools.differences(
                corpus_tools.read_version(redline, mode=exact),
                corpus_tools.read_version(new if exact == "accept" else old),
            )
            == []
        )
        got = corpus_tools.read_version(redline, mode=padded).text["body"]
        want = corpus_tools.read_version(with_break).text["body"]
        at = want.index(ending) + 1
        assert got == [*want[:at], "", *want[at:]], padded
    else:
        assert_faithful(redline, old, new)
    assert set(violations(redline)) <= set(violations(new))


@pytest.mark.parametrize("position", ["before a table", "at the end"])
@pytest.mark.parametrize("removed", [True, False])
def test_a_paragraph_after_a_section_break_added_or_removed_keeps_the_break(tmp_path, removed, position):
    """A paragraph added or removed between a paragraph ending a section and a table (or the end of the document):
    its mark is not settled onto the paragraph with the break, which joined away would take the break with it.
    Both versions keep their sections; the one without the paragraph keeps an empty one in its place."""
    with_break = break_document(tmp_path / "with.docx", position="in the middle", holder="text")
    extra = "A line added after the break."
    document = docx.Document(str(with_break))
    paragraphs = document.element.body.findall(qn("w:p"))
    if position == "before a table":
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Ward", "Boundary"
        paragraphs[1].addnext(table._tbl)
    else:
        paragraphs[2].getparent().remove(paragraphs[2])
    document.save(str(tmp_path / "without.docx"))
    paragraphs[1].addnext(copy.deepcopy(paragraphs[0]))
    for text in document.element.body.findall(qn("w:p"))[2].iter(qn("w:t")):
        text.text = extra
    document.save(str(tmp_path / "with-extra.docx"))
    short, longer = tmp_path / "without.docx", tmp_path / "with-extra.docx"
    old, new = (longer, short) if removed else (short, longer)
    summary, redline = diff(tmp_path, old, new)
    said = "removed" if removed else "added"
    assert summary == [f'the paragraph "{extra}": {said}: "{extra}"']
    for mode, version in (("accept", new), ("reject", old)):
        assert section_count(redline, mode=mode) == section_count(version, mode="accept"), mode
    exact, padded = ("reject", "accept") if removed else ("accept", "reject")
    got = corpus_tools.read_version(redline, mode=exact)
    assert corpus_tools.differences(got, corpus_tools.read_version(old if exact == "reject" else new)) == []
    want = corpus_tools.read_version(short).text["body"]
    at = want.index("Part one text.") + 1
    assert corpus_tools.read_version(redline, mode=padded).text["body"] == [*want[:at], "", *want[at:]]


@pytest.mark.parametrize("position", ["before a table", "at the end"])
def test_a_break_before_a_table_or_at_the_end_opens_in_libreoffice_with_its_sections(tmp_path, position):
    from jtai_docs import libreoffice

    old = break_document(tmp_path / "old.docx", position=position, holder=None)
    new = break_document(tmp_path / "new.docx", position=position, holder="text")
    _, redline = diff(tmp_path, old, new)
    again = libreoffice.convert_document(redline, tmp_path / "again.docx", filter_name="docx:MS Word 2007 XML")
    for mode in ("accept", "reject"):
        assert section_count(again, mode=mode) == section_count(redline, mode=mode), mode
        got, want = corpus_tools.read_version(again, mode=mode), corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, want) == [], mode


@pytest.mark.parametrize("removed", [True, False])
def test_a_landscape_section_added_or_removed_says_how_its_pages_look(tmp_path, removed):
    """A landscape section put between two portrait ones: the breaks say how the pages after each look, in the
    words of the page layout records."""
    plain = break_document(tmp_path / "plain.docx", position="in the middle", holder=None)
    landscape = break_document(tmp_path / "landscape.docx", position="in the middle", holder="text", landscape=True)
    document = docx.Document(str(landscape))
    body = document.element.body
    body.findall(qn("w:p"))[0].get_or_add_pPr().append(copy.deepcopy(body.find(qn("w:sectPr"))))
    document.save(str(landscape))
    old, new = (landscape, plain) if removed else (plain, landscape)
    summary, redline = diff(tmp_path, old, new)
    said = "removed" if removed else "added"
    assert summary == [
        f'after the paragraph "Intro.": {said}: "section break (new page): landscape"',
        f'after the paragraph "Part one text.": {said}: "section break (new page): portrait"',
    ]
    assert_faithful(redline, old, new)
    for mode, version in (("accept", new), ("reject", old)):
        assert sections(redline, mode=mode) == sections(version, mode="accept"), mode


def test_a_break_is_named_by_how_the_section_after_it_starts(tmp_path):
    """Word names a break by the section it begins (Layout > Breaks > Continuous sets that section's start), not
    by the section it ends."""
    old = break_document(tmp_path / "old.docx", position="in the middle", holder=None)
    new = break_document(tmp_path / "new.docx", position="in the middle", holder="text")
    for path in (old, new):  # the last section starts without a new page in both: only the break is new
        document = docx.Document(str(path))
        document.sections[-1].start_type = docx.enum.section.WD_SECTION_START.CONTINUOUS
        document.save(str(path))
    summary, redline = diff(tmp_path, old, new)
    assert summary == ['after the paragraph "Part one text.": added: "section break (continuous)"']
    assert_faithful(redline, old, new)


def margins_document(path: Path, **margins: int) -> Path:
    document = docx.Document()
    document.add_paragraph("Intro.")
    document.sections[0].header.paragraphs[0].text = "Council report"  # a header whose distance from the edge shows
    page = document.element.body.find(qn("w:sectPr")).find(qn("w:pgMar"))
    for side, twips in margins.items():
        page.set(qn(f"w:{side}"), str(twips))
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("margins", "said"),
    [
        ({"top": 1134}, '"top margin 2.54 cm" -> "top margin 2 cm"'),
        ({"left": 1134, "right": 1134}, '"left and right margins 3.17 cm" -> "left and right margins 2 cm"'),
        (
            {"top": 1134, "bottom": 1134, "left": 1134, "right": 1134},
            '"margins top and bottom 2.54 cm, left and right 3.17 cm" -> "margins 2 cm"',
        ),
        ({"header": 1000}, '"header from edge 1.27 cm" -> "header from edge 1.76 cm"'),
    ],
)
def test_margins_changed_are_told_side_by_side_as_word_names_them(tmp_path, margins, said):
    """One margin changed is named alone; sides of one length are told together; the header's distance from the
    edge, which is not a margin, by its name in Word's Layout tab."""
    old = margins_document(tmp_path / "old.docx")  # python-docx's: top and bottom 2.54 cm, left and right 3.17 cm
    new = margins_document(tmp_path / "new.docx", **margins)
    summary, redline = diff(tmp_path, old, new)
    assert summary == [f"page layout of section 1: formatting: {said}"]
    assert_faithful(redline, old, new)


DECISION = ["The committee approved the plan.", "Officers will report back in June."]


def controlled_document(path: Path, *, control: bool, held: int = 1, at_end: bool = False) -> Path:
    """An introduction, the decision's paragraphs (the first `held` of them inside a content control titled
    "Decision" when control is True) and, unless at_end, a closing paragraph."""
    document = docx.Document()
    document.add_paragraph("Intro text.")
    paragraphs = [document.add_paragraph(text)._p for text in DECISION]
    if not at_end:
        document.add_paragraph("End text.")
    if control:
        sdt = docx.oxml.parse_xml(
            f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:alias w:val="Decision"/><w:tag w:val="decision"/>'
            '<w:id w:val="123"/></w:sdtPr><w:sdtContent/></w:sdt>'
        )
        paragraphs[0].addprevious(sdt)
        for paragraph in paragraphs[:held]:
            sdt.find(qn("w:sdtContent")).append(paragraph)
    document.save(str(path))
    return path


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize("held", [1, 2])
@pytest.mark.parametrize("at_end", [False, True])
@pytest.mark.parametrize("removed", [True, False])
def test_a_content_control_taken_from_or_put_around_unchanged_paragraphs_is_tracked(tmp_path, removed, held, at_end):
    with_control = controlled_document(tmp_path / "with.docx", control=True, held=held, at_end=at_end)
    without = controlled_document(tmp_path / "without.docx", control=False, at_end=at_end)
    old, new = (with_control, without) if removed else (without, with_control)
    summary, redline = diff(tmp_path, old, new)
    said = "removed" if removed else "added"
    assert summary == [
        # The control's name is in straight quotes, so the record's own are curly: a reader sees where it ends.
        f'the paragraph "{text}": {said} “content control "Decision" around the paragraph”'
        for text in DECISION[:held]
    ]
    assert_faithful(redline, old, new)
    # Neither version's control is lost from the redline: OLD's copy, or NEW's own, stands in it.
    body = docx.Document(str(redline)).element.body
    held_texts = [corpus_tools.paragraph_text(p) for sdt in body.iter(qn("w:sdt")) for p in sdt.iter(qn("w:p"))]
    assert held_texts == DECISION[:held]
    if held == 2 and not at_end:
        assert set(violations(redline)) <= set(violations(new))


@pytest.mark.parametrize(
    ("first_page", "numbering", "said"),
    [
        (
            True,
            'w:start="5"',
            '"no different first page; page numbers 1, 2, 3, continuing from the section before" -> '
            '"different first page; page numbers 1, 2, 3, starting at 5"',
        ),
        (  # Insert > Page Number > Format: Roman numerals starting at V
            False,
            'w:fmt="upperRoman" w:start="5"',
            '"page numbers 1, 2, 3, continuing from the section before" -> "page numbers I, II, III, starting at V"',
        ),
    ],
    ids=["first page, start 5", "Roman from V"],
)
def test_a_different_first_page_and_page_numbers_are_named_as_word_names_them(tmp_path, first_page, numbering, said):
    old = sections_document(tmp_path / "old.docx", break_after=False)
    new = sections_document(tmp_path / "new.docx", break_after=False)
    document = docx.Document(str(new))
    document.sections[0].different_first_page_header_footer = first_page
    last = document.element.body.find(qn("w:sectPr"))
    last.append(docx.oxml.parse_xml(f'<w:pgNumType xmlns:w="{W}" {numbering}/>'))
    document.save(str(new))
    summary, redline = diff(tmp_path, old, new)
    assert summary == [f"page layout of section 1: formatting: {said}"]
    assert_faithful(redline, old, new)
    reverted = corpus_tools.resolve(corpus_tools.Package.read(redline).xml("word/document.xml"), accept=False)
    assert reverted.find(f".//{qn('w:titlePg')}") is None and reverted.find(f".//{qn('w:pgNumType')}") is None


def test_a_control_emptied_by_the_changes_goes_with_them_and_an_empty_one_stays():
    """The project's own Accept All and Reject All (used for --accept-existing and to read kept changes) remove a
    content control whose whole content the changes take away, as Word does and as the independent reader does;
    a control left empty on purpose (a placeholder) stays."""
    from lxml import etree

    from jtai_docs import revisions

    body = etree.fromstring(
        f'<w:body xmlns:w="{W}">'
        '<w:sdt><w:sdtPr><w:alias w:val="Decision"/></w:sdtPr><w:sdtContent><w:p>'
        '<w:ins w:id="1" w:author="A"><w:r><w:t>Approved.</w:t></w:r></w:ins></w:p></w:sdtContent></w:sdt>'
        '<w:sdt><w:sdtPr><w:alias w:val="Placeholder"/></w:sdtPr><w:sdtContent><w:p/></w:sdtContent></w:sdt>'
        "<w:p><w:r><w:t>Closing.</w:t></w:r></w:p></w:body>"
    )

    def controls(root):
        return [c.find(f"{qn('w:sdtPr')}/{qn('w:alias')}").get(qn("w:val")) for c in root.iter(qn("w:sdt"))]

    assert controls(revisions.accept_all(body)) == ["Decision", "Placeholder"]
    assert controls(revisions.reject_all(body)) == ["Placeholder"]


#: Section properties as LibreOffice writes them on every save, each at the value Word takes where it is left out.
DEFAULT_SPELLINGS = {
    "page numbers 1, 2, 3": '<w:pgNumType w:fmt="decimal"/>',
    "no form protection": '<w:formProt w:val="false"/>',
    "text left to right": '<w:textDirection w:val="lrTb"/>',
    "text at the top": '<w:vAlign w:val="top"/>',
    "no different first page": '<w:titlePg w:val="0"/>',
    "no document grid": '<w:docGrid w:type="default" w:linePitch="360" w:charSpace="4096"/>',
    "a new page at the start": '<w:type w:val="nextPage"/>',
    "one column, its spacing": '<w:cols w:num="1" w:space="708"/>',
    "footnotes numbered 1, 2, 3": '<w:footnotePr><w:numFmt w:val="decimal"/></w:footnotePr>',
    "endnotes numbered i, ii, iii": '<w:endnotePr><w:numFmt w:val="lowerRoman"/><w:numStart w:val="1"/></w:endnotePr>',
}


def with_spelt(path: Path, spelt: str) -> Path:
    """The document with a section property written out, in place of python-docx's own of the same name."""
    document = docx.Document(str(path))
    section = document.element.body.find(qn("w:sectPr"))
    name = spelt[1:].split(" ", 1)[0].split(">", 1)[0].rstrip("/")
    element = docx.oxml.parse_xml(spelt.replace(f"<{name}", f'<{name} xmlns:w="{W}"', 1))
    for same in section.findall(element.tag):
        section.remove(same)
    section.append(element)
    document.save(str(path))
    return path


@pytest.mark.parametrize("spelt", DEFAULT_SPELLINGS.values(), ids=DEFAULT_SPELLINGS.keys())
def test_a_section_property_written_at_its_default_is_no_difference(tmp_path, spelt):
    """What Word takes where a section property is left out, written out (as LibreOffice writes it on every save),
    is no page layout change, in the summary or the redline; beside it a real change is still told alone."""
    old = margins_document(tmp_path / "old.docx")
    new = with_spelt(margins_document(tmp_path / "new.docx"), spelt)
    redline = tmp_path / "redline.docx"
    result = run("diff", str(old), str(new), "-o", str(redline))
    assert result.exit_code == 0 and result.stdout.startswith("No differences"), result.output
    assert not corpus_tools.has_revisions(corpus_tools.Package.read(redline).xml("word/document.xml"))
    moved = with_spelt(margins_document(tmp_path / "moved.docx", top=1134), spelt)
    summary, redline = diff(tmp_path, old, moved)
    assert summary == ['page layout of section 1: formatting: "top margin 2.54 cm" -> "top margin 2 cm"']
    assert_faithful(redline, old, moved)
