"""A paragraph taken away from, or added just before, a table that starts the document: no paragraph comes before
the table to take the paragraph's mark, so the redline marks the paragraph's words and its mark, and Accept All
(for a removal) or Reject All (for an addition) removes the whole paragraph, as Word's buttons do."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn

from helpers import corpus_tools, run


def write(path: Path, intro: str | None) -> Path:
    """A document that starts with the intro paragraph (or with the table itself when there is none)."""
    document = docx.Document()
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    if intro is not None:
        document.add_paragraph(intro)
    table = document.add_table(rows=2, cols=2)
    for row_number, row in enumerate(table.rows, start=1):
        for column_number, cell in enumerate(row.cells, start=1):
            cell.text = f"Row {row_number} column {column_number}"
    document.add_paragraph("End of the paper.")
    document.save(str(path))
    return path


def test_a_paragraph_removed_before_a_table_that_starts_the_document_goes_on_accept(tmp_path):
    old = write(tmp_path / "old.docx", "Summary of the plan")
    new = write(tmp_path / "new.docx", None)
    redline = tmp_path / "redline.docx"
    result = run("diff", str(old), str(new), "-o", str(redline))
    assert result.exit_code == 1, result.output  # 1: the versions differ, as diff says
    assert 'the paragraph "Summary of the plan": removed: "Summary of the plan"' in result.output
    accepted = corpus_tools.read_version(redline, mode="accept")
    assert corpus_tools.differences(accepted, corpus_tools.read_version(new)) == []
    assert (
        corpus_tools.differences(corpus_tools.read_version(redline, mode="reject"), corpus_tools.read_version(old))
        == []
    )
    # The document starts with the table again: no empty paragraph is left above it.
    body = corpus_tools.resolve(docx.Document(str(redline)).element.body, accept=True)
    assert next(child for child in body if child.tag != qn("w:sectPr")).tag == qn("w:tbl")


def test_a_paragraph_added_before_a_table_that_starts_the_document_goes_on_reject(tmp_path):
    old = write(tmp_path / "old.docx", None)
    new = write(tmp_path / "new.docx", "Summary of the plan")
    redline = tmp_path / "redline.docx"
    result = run("diff", str(old), str(new), "-o", str(redline))
    assert result.exit_code == 1, result.output  # 1: the versions differ, as diff says
    assert 'the paragraph "Summary of the plan": added: "Summary of the plan"' in result.output
    assert (
        corpus_tools.differences(corpus_tools.read_version(redline, mode="accept"), corpus_tools.read_version(new))
        == []
    )
    rejected = corpus_tools.resolve(docx.Document(str(redline)).element.body, accept=False)
    assert next(child for child in rejected if child.tag != qn("w:sectPr")).tag == qn("w:tbl")
    assert (
        corpus_tools.differences(corpus_tools.read_version(redline, mode="reject"), corpus_tools.read_version(old))
        == []
    )


def test_a_paragraph_that_keeps_words_before_a_table_is_never_dropped(tmp_path):
    """Only a paragraph whose every word is taken away goes with its mark: one with words kept stays."""
    old = write(tmp_path / "old.docx", "Summary of the plan")
    new = write(tmp_path / "new.docx", "Summary of the new plan")
    redline = tmp_path / "redline.docx"
    result = run("diff", str(old), str(new), "-o", str(redline))
    assert result.exit_code == 1, result.output  # 1: the versions differ, as diff says
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], mode
