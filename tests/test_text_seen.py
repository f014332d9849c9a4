"""`jtai-docs text` shows words as a reader sees them: hidden words (Font > Hidden) are not seen in Word or in
print, so they are marked rather than shown as ordinary words; All Caps words read in capitals; an alignment tab
(a header's or footer's) parts words as a tab does; a Wingdings tick is the tick it shows."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from helpers import run


def _document(path: Path) -> Path:
    document = docx.Document()
    paragraph = document.add_paragraph("The plan was agreed")
    hidden = paragraph.add_run(" subject to funding")
    hidden.font.hidden = True
    also_hidden = paragraph.add_run(" in March")
    also_hidden.font.hidden = True
    paragraph.add_run(".")
    shouted = document.add_paragraph("Status: ")
    shouted.add_run("complete").font.all_caps = True
    footer = document.sections[0].footer.paragraphs[0]
    footer.add_run("Durham County Council")
    footer.add_run()._r.append(OxmlElement("w:ptab"))
    footer.add_run("Page")
    ticked = document.add_paragraph("Done ")
    symbol = OxmlElement("w:sym")
    symbol.set(qn("w:font"), "Wingdings")
    symbol.set(qn("w:char"), "F0FC")
    ticked.add_run()._r.append(symbol)
    document.save(str(path))
    return path


def test_text_shows_words_as_a_reader_sees_them(tmp_path):
    result = run("text", _document(tmp_path / "seen.docx"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "The plan was agreed [hidden: subject to funding in March]." in lines
    assert "Status: COMPLETE" in lines
    assert "  Durham County Council\tPage" in lines  # the footer's line, under its heading
    assert "Done ✓" in lines


def test_capitals_and_hidden_words_set_by_styles_read_as_a_reader_sees_them(tmp_path):
    """All Caps set by a paragraph style (a heading style in capitals, common in council templates) or by a
    character style, and Hidden set by a character style, read as they do when the words set them; a character
    style's capitals turned off again by the words themselves read as typed."""
    document = docx.Document()
    shouting = document.styles.add_style("Shouting Heading", WD_STYLE_TYPE.PARAGRAPH)
    shouting.font.all_caps = True
    document.styles.add_style("Quiet Note", WD_STYLE_TYPE.CHARACTER).font.hidden = True
    document.styles.add_style("Loud Word", WD_STYLE_TYPE.CHARACTER).font.all_caps = True
    document.add_paragraph("Background papers", style="Shouting Heading")
    paragraph = document.add_paragraph("The plan was agreed")
    paragraph.add_run(" subject to funding", style="Quiet Note")
    paragraph.add_run(" and is ")
    paragraph.add_run("urgent", style="Loud Word")
    paragraph.add_run(" but ")
    paragraph.add_run("typed", style="Loud Word").font.all_caps = False
    path = tmp_path / "styled.docx"
    document.save(str(path))
    result = run("text", path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "BACKGROUND PAPERS" in lines
    assert "The plan was agreed [hidden: subject to funding] and is URGENT but typed" in lines


def _hidden_words(path: Path, hidden: str, *, added: bool = False) -> Path:
    document = docx.Document()
    paragraph = document.add_paragraph("The plan was agreed")
    paragraph.add_run(f" subject to {hidden}").font.hidden = True
    paragraph.add_run(".")
    if added:
        note = document.add_paragraph("Officers to report back")
        note.add_run(" in March").font.hidden = True
    document.save(str(path))
    return path


def test_diff_marks_hidden_words_as_text_shows_them(tmp_path):
    """Hidden words edited, and a paragraph added with hidden words in it: the summary quotes them marked, as
    `text` shows them, not as words a reviewer would look for on the page."""
    old = _hidden_words(tmp_path / "old.docx", "funding")
    new = _hidden_words(tmp_path / "new.docx", "grant", added=True)
    result = run("diff", old, new)
    assert result.exit_code == 1, result.output
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert (
        'the paragraph "The plan was agreed [hidden: subject to grant].": "[hidden: funding]" -> "[hidden: grant]"'
        in lines
    )
    assert (
        'the paragraph "Officers to report back [hidden: in March]": added: '
        '"Officers to report back [hidden: in March]"' in lines
    ), result.stdout
    assert '"funding" -> "grant"' not in result.stdout


def test_a_paragraph_quoted_whole_marks_its_hidden_words(tmp_path):
    """Visible and hidden words both edited: where the summary quotes the paragraph's two versions whole, the
    hidden words are marked in each."""

    def document(path: Path, verb: str, hidden: str) -> Path:
        made = docx.Document()
        paragraph = made.add_paragraph(f"The plan was {verb}")
        paragraph.add_run(f" subject to {hidden}").font.hidden = True
        paragraph.add_run(".")
        made.save(str(path))
        return path

    old, new = (
        document(tmp_path / "old.docx", "agreed", "funding"),
        document(tmp_path / "new.docx", "approved", "grant"),
    )
    result = run("diff", old, new)
    assert result.exit_code == 1, result.output
    assert "subject to funding" not in result.stdout.replace("[hidden: subject to funding]", ""), result.stdout
    assert "subject to grant" not in result.stdout.replace("[hidden: subject to grant]", ""), result.stdout
