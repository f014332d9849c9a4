"""The web server's kept-running LibreOffice when it cannot be had: a Python without LibreOffice's bridge, or no
LibreOffice at all. Each PDF is then made (or refused) as the command line does, and nothing is left running."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import errors_of, paragraphs_document, run
from jtai_docs import libreoffice
from jtai_docs.errors import ProgramMissingError


@pytest.mark.libreoffice
def test_a_python_without_the_bridge_falls_back_to_one_conversion_per_pdf(tmp_path, monkeypatch):
    """This test environment's own Python has no `uno` module, so unoserver starts and exits at once, as it does
    on a machine without python3-uno."""
    monkeypatch.setenv("JTAI_DOCS_UNO_PYTHON", sys.executable)
    document = paragraphs_document(tmp_path / "minutes.docx", ["Minutes of the meeting."])
    kept = libreoffice.RunningLibreOffice()
    try:
        kept.warm_up()
        assert not kept.available  # given up on for the life of the server, not retried for every PDF
        pdf = kept.convert_to_pdf(document, tmp_path / "minutes.pdf")
    finally:
        kept.close()
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert kept._process is None and kept._work is None  # nothing of it left running or on disk


def test_without_libreoffice_the_pdf_is_refused_with_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("JTAI_DOCS_SOFFICE", str(tmp_path / "no-such-soffice"))
    document = paragraphs_document(tmp_path / "minutes.docx", ["Minutes of the meeting."])
    kept = libreoffice.RunningLibreOffice()
    try:
        with pytest.raises(ProgramMissingError) as raised:
            kept.convert_to_pdf(document, tmp_path / "minutes.pdf")
    finally:
        kept.close()
    assert not kept.available
    assert raised.value.message == f"JTAI_DOCS_SOFFICE is set to {tmp_path / 'no-such-soffice'}, which is not a program"
    assert not (tmp_path / "minutes.pdf").exists()


def test_on_a_mac_without_a_home_folder_only_the_applications_folder_is_searched(tmp_path):
    """No HOME (a service account): ~/Applications cannot be looked in, and nothing else is made up."""
    found = libreoffice.find_installed_soffice(system="Darwin", environ={})
    assert found == (
        "/Applications/LibreOffice.app/Contents/MacOS/soffice"
        if Path("/Applications/LibreOffice.app/Contents/MacOS/soffice").is_file()
        else None
    )


def test_a_pdf_of_a_file_that_is_not_a_word_document_is_refused_by_its_reader_not_its_table_count(tmp_path):
    """The table-size guard reads the document's XML; a file that is no Word package gives it nothing to count,
    so the file is left to the step that names what is wrong with it."""
    not_word = tmp_path / "notes.docx"
    not_word.write_text("plain text, not a Word package", encoding="utf-8")
    assert libreoffice.largest_table_rows(not_word) == 0
    libreoffice.check_layout_size([not_word])  # no refusal from the guard itself

    result = run("pdf", not_word)

    assert result.exit_code == 2
    assert errors_of(result.stderr) == [
        f"Error: {not_word} is not a Word document (.docx) that can be read: it is not a package of parts, or it is "
        "cut short (a .docx or .xlsx is a zip file of them)"
    ]
    assert not (tmp_path / "notes.pdf").exists()
