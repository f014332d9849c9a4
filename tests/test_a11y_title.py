"""A paragraph in Word's Title style is the top of the heading outline (as Word's navigation pane shows it), so the
Heading 2 after it skips no level; without it, the same Heading 2 does."""

from __future__ import annotations

import docx

from helpers import run


def document_starting_with(style: str, path):
    document = docx.Document()
    document.core_properties.title = "Progress update"
    document.core_properties.language = "en-GB"
    document.add_paragraph("Progress update", style=style)
    document.add_paragraph("Purpose of the report", style="Heading 2")
    document.add_paragraph("This report gives Members an update on the plan.")
    document.save(str(path))
    return path


def test_heading_2_after_a_title_skips_no_level(tmp_path):
    result = run("a11y", document_starting_with("Title", tmp_path / "titled.docx"))
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_heading_2_with_nothing_above_it_skips_a_level(tmp_path):
    path = document_starting_with("Normal", tmp_path / "untitled.docx")
    result = run("a11y", path)
    assert result.exit_code == 1
    assert (
        "untitled.docx, paragraph 2 ('Purpose of the report'): heading level 2 follows level none: a level is "
        "skipped; use the next Heading style down" in result.stdout
    ), result.output
