"""The web server's kept-running LibreOffice when it cannot be had: a Python without LibreOffice's bridge, or no
LibreOffice at all. Each PDF is then made (or refused) as the command line does, and nothing is left running."""

from __future__ import annotations

import sys

import pytest

from helpers import paragraphs_document
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
