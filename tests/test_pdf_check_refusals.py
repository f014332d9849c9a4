"""The PDF check given a file that is not a PDF (a download cut short, say): one problem saying so in plain words,
rather than a crash or a list of accessibility faults that would mislead."""

from __future__ import annotations

from helpers import paragraphs_document
from jtai_docs import pdffile, wordfile


def test_a_file_that_is_not_a_pdf_is_one_plain_problem(tmp_path):
    document = wordfile.read_word_document(paragraphs_document(tmp_path / "minutes.docx", ["Minutes."]))
    broken = tmp_path / "minutes.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"cut short")

    problems = pdffile.check_pdf(broken, document=document, title="Minutes")

    assert len(problems) == 1
    (problem,) = problems
    assert problem.file == "minutes.pdf" and problem.place == ""
    assert problem.message == "this is not a readable PDF: its contents are not what a file of this kind holds"
