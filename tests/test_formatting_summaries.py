"""A change of formatting alone (words made bold, an indent, centring, a list item demoted) is a difference the
summary lists, as the redline tracks it: it was "No differences" with the redline holding formatting changes."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from helpers import corpus_tools, run
from jtai_docs import pipeline

TEXTS = ["The plan is on track.", "Members are asked to note the report."]
SPACE_AFTER, LINES, FIRST_LINE, SIZE, FONT, COLOUR = 8, 1.5, 1.27, 14, "Arial", "C00000"


def _version(path: Path, change: str | None = None) -> Path:
    document = docx.Document()
    for text in TEXTS:
        document.add_paragraph(text)
    document.add_paragraph("First action", style="List Bullet")
    paragraph = document.paragraphs[1]
    if change == "bold":
        paragraph.runs[0].text = "Members are asked to "
        paragraph.add_run("note").bold = True
        paragraph.add_run(" the report.")
    elif change == "split":  # the same words and formatting, in other runs
        paragraph.runs[0].text = "Members are asked to "
        paragraph.add_run("note the report.")
    elif change == "indent":
        paragraph.paragraph_format.left_indent = Cm(2)
    elif change == "centre":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif change == "space after":
        paragraph.paragraph_format.space_after = Pt(SPACE_AFTER)
    elif change == "line spacing":
        paragraph.paragraph_format.line_spacing = LINES
    elif change == "first line":
        paragraph.paragraph_format.first_line_indent = Cm(FIRST_LINE)
    elif change == "keep with next":
        paragraph.paragraph_format.keep_with_next = True
    elif change == "justify":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    elif change == "size":
        paragraph.runs[0].font.size = Pt(SIZE)
    elif change == "font":
        paragraph.runs[0].font.name = FONT
    elif change == "colour":
        paragraph.runs[0].font.color.rgb = RGBColor.from_string(COLOUR)
    elif change == "demote":
        document.paragraphs[2].style = document.styles["List Bullet 2"]
    document.save(str(path))
    return path


def _tracked_formatting(redline: Path) -> int:
    body = docx.Document(str(redline)).element.body
    return len(list(body.iter(qn("w:pPrChange")))) + len(list(body.iter(qn("w:rPrChange"))))


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("bold", ("note: not bold", "note: bold")),
        ("indent", ("indent as the style has it", "indent left 2 cm")),
        ("centre", ("alignment as the style has it", "centred")),
        ("demote", ("style List Bullet", "style List Bullet 2")),
        # In the units of Word's Paragraph and Font dialogs, never twentieths of a point or half-points.
        ("space after", ("spacing as the style has it", f"spacing after {SPACE_AFTER} pt")),
        ("line spacing", ("spacing as the style has it", f"spacing line {LINES} lines")),
        ("first line", ("indent as the style has it", f"indent first line {FIRST_LINE} cm")),
        ("justify", ("alignment as the style has it", "justified")),
        ("keep with next", ("keep with next as the style has it", "keep with next")),
        ("size", (f"{TEXTS[1]}: size as the style has it", f"{TEXTS[1]}: size {SIZE} pt")),
        ("font", (f"{TEXTS[1]}: font as the style has it", f"{TEXTS[1]}: font {FONT}")),
        ("colour", (f"{TEXTS[1]}: colour as the style has it", f"{TEXTS[1]}: colour #{COLOUR}")),
    ],
)
def test_formatting_alone_is_listed_and_tracked(tmp_path, change, said):
    old, new = _version(tmp_path / "old.docx"), _version(tmp_path / "new.docx", change)
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert [(c.kind, c.old, c.new) for c in changes] == [("formatting", *said)]
    assert _tracked_formatting(redline) == len(changes)
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], mode
    result = run("diff", old, new)
    assert result.exit_code == 1 and "formatting:" in result.stdout  # a difference, never "No differences"
    text_only = run("diff", "--text-only", old, new)
    assert text_only.exit_code == 0 and "No differences" in text_only.stdout


def test_the_same_formatting_in_other_runs_is_no_difference(tmp_path):
    old, new = _version(tmp_path / "old.docx"), _version(tmp_path / "new.docx", "split")
    redline = tmp_path / "redline.docx"
    assert pipeline.compare_reports(old, new, redline_path=redline) == ()
    assert _tracked_formatting(redline) == 0


def test_formatting_written_another_way_that_reads_the_same_is_no_difference(tmp_path):
    """ "start" for "left", <w:b w:val="true"/> for <w:b/>: the same to a reader, so no record "left" -> "left"."""

    def version(path: Path, alignment: str, bold: dict[str, str]) -> Path:
        document = docx.Document()
        paragraph = document.add_paragraph()
        run = paragraph.add_run("Same words here.")
        properties = paragraph._p.get_or_add_pPr()
        properties.append(properties.makeelement(qn("w:jc"), {qn("w:val"): alignment}))
        run._r.get_or_add_rPr().append(run._r.makeelement(qn("w:b"), bold))
        document.save(str(path))
        return path

    old = version(tmp_path / "old.docx", "left", {})
    new = version(tmp_path / "new.docx", "start", {qn("w:val"): "true"})
    result = run("diff", old, new)
    assert result.exit_code == 0 and "No differences" in result.stdout, result.stdout


def test_several_aspects_changed_at_once_are_all_told(tmp_path):
    """The summary once cut a formatting record at 60 characters, hiding the aspects that came last."""
    old = _version(tmp_path / "old.docx")
    document = docx.Document(str(old))
    paragraph = document.paragraphs[1].paragraph_format
    paragraph.space_after, paragraph.line_spacing = Pt(SPACE_AFTER), LINES
    paragraph.first_line_indent, paragraph.keep_with_next = Cm(FIRST_LINE), True
    document.paragraphs[1].alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    new = tmp_path / "new.docx"
    document.save(str(new))
    result = run("diff", old, new)
    assert result.exit_code == 1
    [line] = [line for line in result.stdout.splitlines() if "formatting:" in line]
    told = line.split(" -> ")[1]
    for said in ("keep with next;", f"after {SPACE_AFTER} pt", f"line {LINES} lines", f"first line {FIRST_LINE} cm"):
        assert said in told, line
    assert told.endswith('justified"'), line
