"""A file to be written whose name is a link to a file of another kind (x.pdf linked to x.docx) is refused before
anything runs: writing through the link would put a PDF in place of the Word document."""

from __future__ import annotations

import docx

from helpers import errors_of, run, snapshot


def _document(path):
    document = docx.Document()
    document.add_paragraph("Minutes of the meeting.")
    document.save(str(path))
    return path


def test_a_pdf_whose_name_links_to_its_own_word_document_is_refused_and_the_document_kept(tmp_path):
    minutes = _document(tmp_path / "minutes.docx")
    (tmp_path / "minutes.pdf").symlink_to("minutes.docx")
    before = snapshot(tmp_path)
    result = run("pdf", minutes)
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        f"Error: minutes.pdf: the PDF to write is a link to {minutes.resolve()}, which is not a .pdf file, so "
        "writing here would replace it; delete the link, or give the path of a .pdf file to write (looked for "
        f"{tmp_path / 'minutes.pdf'})"
    ]
    assert "1 problem must be fixed before minutes.pdf can be written. Nothing was written." in result.stderr
    assert snapshot(tmp_path) == before
    assert docx.Document(str(minutes)).paragraphs[0].text == "Minutes of the meeting."


def test_a_pdf_whose_name_links_to_another_word_document_is_refused(tmp_path):
    agenda = _document(tmp_path / "agenda.docx")
    minutes = _document(tmp_path / "minutes.docx")
    (tmp_path / "minutes.pdf").symlink_to(agenda)
    before = snapshot(tmp_path)
    result = run("pdf", minutes)
    assert result.exit_code == 1
    assert f"the PDF to write is a link to {agenda.resolve()}, which is not a .pdf file" in result.stderr
    assert snapshot(tmp_path) == before


def test_a_redline_whose_name_links_to_a_workbook_is_refused(tmp_path):
    old, new = _document(tmp_path / "old.docx"), _document(tmp_path / "new.docx")
    workbook = tmp_path / "plan.xlsx"
    workbook.write_bytes(b"the officer's workbook")
    (tmp_path / "redline.docx").symlink_to(workbook)
    result = run("diff", old, new, "-o", tmp_path / "redline.docx")
    assert result.exit_code == 2
    assert f"is a link to {workbook.resolve()}, which is not a .docx file" in result.stderr
    assert workbook.read_bytes() == b"the officer's workbook"
