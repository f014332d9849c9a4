"""A page number or page count field (PAGE, NUMPAGES, SECTIONPAGES) is compared as its placeholder, [page] or
[pages], not by the number Word last saved in it: Word works it out afresh on every page, so a copy saved at
another length (LibreOffice stores the last page's number) is no difference, and a footer is named by what it
says around the number ("[page] DRAFT"), not by a stored "1"."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from helpers import corpus_tools, run


def _field_run(paragraph, **attributes: str):
    run = paragraph.add_run()
    if "text" in attributes:
        piece = OxmlElement("w:instrText")
        piece.text = attributes["text"]
    else:
        piece = OxmlElement("w:fldChar")
        piece.set(qn("w:fldCharType"), attributes["kind"])
    run._r.append(piece)


def _document(path: Path, *, stored: str, label: str = "DRAFT", simple: bool = False, code: str = " PAGE ") -> Path:
    document = docx.Document()
    document.add_paragraph("The plan was agreed.")
    footer = document.sections[0].footer.paragraphs[0]
    if simple:
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), code)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = stored
        run.append(text)
        field.append(run)
        footer._p.append(field)
    else:
        _field_run(footer, kind="begin")
        _field_run(footer, text=code)
        _field_run(footer, kind="separate")
        footer.add_run(stored)
        _field_run(footer, kind="end")
    footer.add_run(f" {label}")
    document.save(str(path))
    return path


def test_a_page_number_saved_otherwise_is_no_difference(tmp_path):
    for simple in (False, True):
        old = _document(tmp_path / f"old-{simple}.docx", stored="1", simple=simple)
        new = _document(tmp_path / f"new-{simple}.docx", stored="4", simple=simple)
        result = run("diff", old, new)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("No differences"), result.stdout


def test_a_footer_is_named_by_its_words_around_the_page_number(tmp_path):
    old = _document(tmp_path / "old.docx", stored="1")
    new = _document(tmp_path / "new.docx", stored="1", label="FINAL")
    result = run("diff", old, new)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[1] == '  footer of section 1, the paragraph "[page] FINAL": "DRAFT" -> "FINAL"'
    text = run("text", new)
    assert "  [page] FINAL" in text.stdout.splitlines()


def test_page_numbers_given_another_format_are_a_difference_tracked_both_ways(tmp_path):
    """A page number made Roman (PAGE \\* ROMAN: 3 shows as III on every page) is a change a reader sees: listed,
    and tracked in the footer, so Accept All gives the Roman numbers and Reject All the digits; `text` shows the
    format in the placeholder."""
    for simple in (False, True):
        old = _document(tmp_path / f"old-{simple}.docx", stored="3", simple=simple)
        new = _document(
            tmp_path / f"new-{simple}.docx", stored="III", simple=simple, code=" PAGE  \\* ROMAN  \\* MERGEFORMAT "
        )
        shown = run("text", new)
        assert "[page: I, II, III] DRAFT" in shown.stdout, shown.stdout
        redline = tmp_path / f"redline-{simple}.docx"
        result = run("diff", old, new, "-o", redline)
        assert result.exit_code == 1, result.output
        assert "footer" in result.stdout and "I, II, III" in result.stdout, result.stdout
        for mode, version in (("accept", new), ("reject", old)):
            resolved = corpus_tools.read_version(redline, mode=mode)
            assert corpus_tools.differences(resolved, corpus_tools.read_version(version)) == [], (simple, mode)
