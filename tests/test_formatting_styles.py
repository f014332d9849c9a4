"""Formatting compared as Word shows it, through the styles (#10): a paragraph or run whose formatting is written
out directly at the value its style (or the document's defaults, or the standard's) already gives reads the same,
so it is no difference, in the summary or in the redline. Accept All gives NEW and Reject All gives OLD, read with
the independent reader (tests/helpers/corpus_tools.py), which resolves the styles on its own."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from lxml import etree

from helpers import corpus_tools, run
from jtai_docs import libreoffice, pipeline

WORDS = "The committee noted the report."


def summary(tmp_path: Path, old: Path, new: Path) -> tuple[int, list[str], Path]:
    """The exit code, the summary's lines after its first, and the redline, from the command as an officer types it."""
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code in (0, 1), result.output
    lines = result.stdout.splitlines()
    return result.exit_code, [line.strip() for line in lines[1 : lines.index(f"Wrote the redline {redline}")]], redline


def revisions(redline: Path) -> int:
    """How many formatting change records the redline holds."""
    with zipfile.ZipFile(redline) as package:
        xml = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".xml"))
    return sum(xml.count(f"<w:{name} ") for name in ("pPrChange", "rPrChange", "sectPrChange"))


def assert_faithful(redline: Path, old: Path, new: Path) -> None:
    """Accept All reads as NEW and Reject All as OLD, formatting as a reader sees it included."""
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode, formatting=True)
        want = corpus_tools.read_version(version, mode="accept", formatting=True)
        assert corpus_tools.differences(got, want) == [], mode


def styled_document(path: Path, *, paragraph=None, run=None) -> Path:
    """One paragraph of WORDS in the paragraph style "Decision" (centred, bold) holding a run in the character
    style "Key Words" (bold); paragraph and run change the paragraph's and the run's own formatting."""
    document = docx.Document()
    decision = document.styles.add_style("Decision", WD_STYLE_TYPE.PARAGRAPH)
    decision.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    decision.font.bold = True
    key = document.styles.add_style("Key Words", WD_STYLE_TYPE.CHARACTER)
    key.font.bold = True
    body = document.add_paragraph("", style="Decision")
    words = body.add_run(WORDS, style="Key Words")
    if paragraph is not None:
        paragraph(body)
    if run is not None:
        run(words)
    document.save(str(path))
    return path


def plain_document(path: Path, *, run=None) -> Path:
    """One paragraph of WORDS in the Normal style, its run changed by run."""
    document = docx.Document()
    words = document.add_paragraph().add_run(WORDS)
    if run is not None:
        run(words)
    document.save(str(path))
    return path


def _set(tag: str, **attributes: str):
    """Adds <w:tag .../> to a run's properties."""

    def change(words) -> None:
        properties = words._r.get_or_add_rPr()
        properties.append(etree.Element(qn(f"w:{tag}"), {qn(f"w:{k}"): v for k, v in attributes.items()}))

    return change


@pytest.mark.libreoffice
def test_the_built_report_saved_again_by_libreoffice_differs_only_where_libreoffice_changed_it(project, tmp_path):
    """LibreOffice writes every paragraph's and run's formatting out at the values its styles already give (1,424
    lines before styles were resolved). What is left is what LibreOffice did change: it moved the landscape
    section's break from its own empty paragraph onto the paragraph before (three lines), turned the appendix
    heading's own page break before into a page break character at the end of the paragraph before it (two lines:
    the break added there, the heading's page break before taken off). It also wrote the footer's page number field
    with the number of its last page ("4") as the field's stored result: no difference, since Word works a page
    number out afresh on every page (it was listed as "1" -> "4")."""
    built = pipeline.build_report(project / "inputs" / "report.toml")
    old = tmp_path / "committee_report.docx"
    shutil.copy(built.written.path, old)
    new = libreoffice.convert_document(old, tmp_path / "resaved.docx", filter_name="docx:MS Word 2007 XML")
    code, lines, redline = summary(tmp_path, old, new)
    assert code == 1
    telephone = built.checked.settings.contact.telephone  # the contact block's last line: "Tel. 03000 261630"
    assert lines == [
        f'the paragraph "Tel. {telephone}" (Background papers): added "page break"',
        'after the paragraph "A procurement process may be required to facilitate…" (Procurement): added: '
        '"section break (new page): landscape"',
        "an empty paragraph (Procurement): removed",
        'after the paragraph "A procurement process may be required to facilitate…" (Procurement): removed: '
        '"section break (new page): landscape"',
        'heading "Appendix 1: Implications": formatting: "page break before" -> '
        '"page break before as the style has it"',
    ]
    # One formatting record in the redline: the heading's page break before, which Reject All puts back.
    assert revisions(redline) == 1


@pytest.mark.parametrize(
    "written",
    [
        pytest.param(_set("b", val="0"), id="not bold"),
        pytest.param(_set("i", val="false"), id="not italic"),
        pytest.param(_set("highlight", val="none"), id="highlight none"),
        pytest.param(_set("shd", val="clear", color="auto", fill="auto"), id="shading auto"),
        pytest.param(_set("u", val="none"), id="not underlined"),
        pytest.param(_set("vertAlign", val="baseline"), id="baseline"),
    ],
)
def test_words_formatted_as_nothing_already_formats_them_are_no_difference(tmp_path, written):
    """<w:b w:val="0"/> against no w:b, highlight none against none, shading fill auto against none: in the Normal
    style each reads the same, so there is nothing to list and nothing to track."""
    old = plain_document(tmp_path / "old.docx")
    new = plain_document(tmp_path / "new.docx", run=written)
    code, lines, redline = summary(tmp_path, old, new)
    assert (code, lines) == (0, [])
    assert revisions(redline) == 0
    assert_faithful(redline, old, new)


def linked_document(path: Path, written: str) -> Path:
    """WORDS, then a link to a bookmark whose run's own formatting is written (run properties' XML)."""
    document = docx.Document()
    paragraph = document.add_paragraph(WORDS + " ")
    link = etree.SubElement(paragraph._p, qn("w:hyperlink"), {qn("w:anchor"): "minutes"})
    words = etree.SubElement(link, qn("w:r"))
    words.append(etree.fromstring(f'<w:rPr xmlns:w="{qn("w:r")[1:].split("}")[0]}">{written}</w:rPr>'))
    etree.SubElement(words, qn("w:t")).text = "See the minutes."
    document.save(str(path))
    return path


def test_a_link_s_words_written_as_nothing_formats_them_are_no_difference(tmp_path):
    """Words inside a link are compared as those outside it: "not bold" written out is no tracked change."""
    old = linked_document(tmp_path / "old.docx", "")
    new = linked_document(tmp_path / "new.docx", '<w:b w:val="0"/><w:highlight w:val="none"/>')
    code, lines, redline = summary(tmp_path, old, new)
    assert (code, lines) == (0, [])
    assert revisions(redline) == 0
    bold = linked_document(tmp_path / "bold.docx", "<w:b/>")
    code, lines, redline = summary(tmp_path, old, bold)
    link = "See the minutes."
    assert lines == [f'the paragraph "{WORDS} {link}": formatting: "{link}: not bold" -> "{link}: bold"']
    assert revisions(redline) == 1
    assert_faithful(redline, old, bold)


def test_a_language_written_in_small_letters_is_the_same_language(tmp_path):
    """ "en-gb" and "en-GB" name one language (BCP 47 tags are read in either case)."""
    old = plain_document(tmp_path / "old.docx", run=_set("lang", val="en-GB"))
    new = plain_document(tmp_path / "new.docx", run=_set("lang", val="en-gb"))
    code, lines, redline = summary(tmp_path, old, new)
    assert (code, lines) == (0, [])
    assert revisions(redline) == 0


def test_aligned_left_where_the_style_aligns_left_is_no_difference(tmp_path):
    """Left is the standard's alignment: a paragraph of the Normal style aligned left directly reads the same."""
    old = plain_document(tmp_path / "old.docx")
    document = docx.Document(str(old))
    document.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    new = tmp_path / "new.docx"
    document.save(str(new))
    code, lines, redline = summary(tmp_path, old, new)
    assert (code, lines) == (0, [])
    assert revisions(redline) == 0


def test_aligned_left_where_the_style_centres_is_a_difference_that_reject_all_undoes(tmp_path):
    """The same direct alignment in a paragraph whose style centres it moves the words: listed, tracked, and
    Reject All gives the centred paragraph back."""
    old = styled_document(tmp_path / "old.docx")
    new = styled_document(tmp_path / "new.docx", paragraph=lambda p: setattr(p, "alignment", WD_ALIGN_PARAGRAPH.LEFT))
    code, lines, redline = summary(tmp_path, old, new)
    assert code == 1
    assert lines == [f'the paragraph "{WORDS}": formatting: "alignment as the style has it" -> "aligned left"']
    assert revisions(redline) == 1
    assert_faithful(redline, old, new)


def test_bold_turns_over_through_the_styles(tmp_path):
    """A bold character style in a bold paragraph style turns bold over (ECMA-376 §17.7.3): the words read plain.
    Writing "not bold" on them changes nothing a reader sees; making them bold directly does."""
    old = styled_document(tmp_path / "old.docx")
    same = styled_document(tmp_path / "same.docx", run=_set("b", val="0"))
    code, lines, redline = summary(tmp_path, old, same)
    assert (code, lines) == (0, [])
    assert revisions(redline) == 0
    bold = styled_document(tmp_path / "bold.docx", run=_set("b"))
    code, lines, redline = summary(tmp_path, old, bold)
    assert code == 1
    assert lines == [f'the paragraph "{WORDS}": formatting: "{WORDS}: not bold" -> "{WORDS}: bold"']
    assert revisions(redline) == 1
    assert_faithful(redline, old, bold)


def test_not_bold_in_a_bold_style_is_told_as_it_reads(tmp_path):
    """ "Not bold" written on words of a bold paragraph style (no character style) makes them plain: told as
    "bold" -> "not bold", not as two sides that read alike."""

    def plain_run(words) -> None:
        words.style = None

    old = styled_document(tmp_path / "old.docx", run=plain_run)
    new = styled_document(tmp_path / "new.docx", run=lambda r: (plain_run(r), _set("b", val="0")(r)))
    code, lines, redline = summary(tmp_path, old, new)
    assert code == 1
    assert lines == [f'the paragraph "{WORDS}": formatting: "{WORDS}: bold" -> "{WORDS}: not bold"']
    assert_faithful(redline, old, new)


def table_document(path: Path, style: str | None) -> Path:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Housing"
    table.cell(0, 1).text = "On track"
    if style is not None:
        table.cell(0, 1).paragraphs[0].style = document.styles[style]
    document.save(str(path))
    return path


def test_a_cell_paragraph_s_style_is_told_by_its_name(tmp_path):
    """Word's styles pane shows "Heading 1", not the id "Heading1" the document keeps."""
    old = table_document(tmp_path / "old.docx", None)
    new = table_document(tmp_path / "new.docx", "Heading 1")
    code, lines, redline = summary(tmp_path, old, new)
    assert code == 1
    assert lines == ['table 1, row 1 "Housing", column 2: formatting: "style Normal" -> "style Heading 1"']
    assert_faithful(redline, old, new)


def header_distance_document(path: Path, distance: int, *, header: bool) -> Path:
    document = docx.Document()
    document.add_paragraph(WORDS)
    if header:
        document.sections[0].header.paragraphs[0].text = "Council report"
    document.element.body.find(qn("w:sectPr")).find(qn("w:pgMar")).set(qn("w:header"), str(distance))
    document.save(str(path))
    return path


def test_the_header_s_distance_is_no_difference_where_there_is_no_header(tmp_path):
    """LibreOffice writes 0 as the distance of a header a section does not have: nothing a reader could see."""
    old = header_distance_document(tmp_path / "old.docx", 720, header=False)
    new = header_distance_document(tmp_path / "new.docx", 0, header=False)
    code, lines, redline = summary(tmp_path, old, new)
    assert (code, lines) == (0, [])
    assert revisions(redline) == 0
    with_header = header_distance_document(tmp_path / "headed.docx", 720, header=True)
    moved = header_distance_document(tmp_path / "moved.docx", 0, header=True)
    code, lines, redline = summary(tmp_path, with_header, moved)
    assert lines == ['page layout of section 1: formatting: "header from edge 1.27 cm" -> "header from edge 0 cm"']
    assert revisions(redline) == 1


def test_a_style_changed_is_told_with_only_the_own_formatting_that_reads_otherwise(tmp_path):
    """A paragraph made a heading keeps its record of the style; its own centring, the same in both, is not
    listed, nor "not bold" written on its words in the heading alone: they read plain in both versions."""

    def paragraph(path: Path, style: str, written: str) -> Path:
        document = docx.Document()
        body = document.add_paragraph("", style=style)
        body.alignment = WD_ALIGN_PARAGRAPH.CENTER
        words = body.add_run(WORDS)
        if written:
            _set("b", val="0")(words)
        document.save(str(path))
        return path

    old = paragraph(tmp_path / "old.docx", "Normal", "b")
    new = paragraph(tmp_path / "new.docx", "Heading 1", "b")
    code, lines, redline = summary(tmp_path, old, new)
    assert lines == [f'heading "{WORDS}": formatting: "style Normal" -> "style Heading 1"']
    assert_faithful(redline, old, new)
    plain = paragraph(tmp_path / "plain.docx", "Normal", "")
    code, lines, redline = summary(tmp_path, plain, new)
    assert lines == [f'heading "{WORDS}": formatting: "style Normal" -> "style Heading 1"']
    assert_faithful(redline, plain, new)


def test_a_character_style_given_to_words_is_named_as_the_styles_pane_names_it(tmp_path):
    """Words given the character style "Strong Point" (id StrongPoint) are told by its name, and words without
    one as having none."""

    def document(path: Path, styled: bool) -> Path:
        made = docx.Document()
        made.styles.add_style("Strong Point", WD_STYLE_TYPE.CHARACTER).font.bold = True
        paragraph = made.add_paragraph("Agreed ")
        paragraph.add_run("subject to funding", style="Strong Point" if styled else None)
        made.save(str(path))
        return path

    code, lines, redline = summary(
        tmp_path, document(tmp_path / "old.docx", False), document(tmp_path / "new.docx", True)
    )
    assert code == 1
    assert lines == [
        'the paragraph "Agreed subject to funding": formatting: "subject to funding: no character style" -> '
        '"subject to funding: character style Strong Point"'
    ]
    assert_faithful(redline, tmp_path / "old.docx", tmp_path / "new.docx")
