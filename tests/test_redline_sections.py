"""Redlines exact where a document's last paragraph mark is involved: a header's only paragraph replaced, a
paragraph moved to (or from) the end of the body. Accept All gives NEW and Reject All gives OLD, read by the
independent reader (tests/helpers/corpus_tools.py), never by revisions.py."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from helpers import corpus_tools, paragraphs_document, run


def diff(tmp_path: Path, old: Path, new: Path) -> tuple[list[str], Path]:
    """The summary's lines after its first, and the redline, from the command as an officer types it."""
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    return [line.strip() for line in lines[1 : lines.index(f"Wrote the redline {redline}")]], redline


def assert_faithful(redline: Path, old: Path, new: Path) -> None:
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        want = corpus_tools.read_version(version, mode="accept")
        assert corpus_tools.differences(got, want) == [], mode


def with_header(path: Path, lines: list[str]) -> Path:
    document = docx.Document()
    document.add_paragraph("Body text stays.")
    header = document.sections[0].header
    header.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        header.add_paragraph(line)
    document.save(str(path))
    return path


@pytest.mark.parametrize("old_lines", [["Just a plain header."], ["Just a plain header.", "Second line"]])
def test_a_headers_only_paragraph_replaced_leaves_one_paragraph(tmp_path, old_lines):
    old = with_header(tmp_path / "old.docx", old_lines)
    new = with_header(tmp_path / "new.docx", ["ODD/even page header shown in BLACK."])
    summary, redline = diff(tmp_path, old, new)
    assert summary[0] == (
        'header of section 1, the paragraph "ODD/even page header shown in BLACK.": '
        'added: "ODD/even page header shown in BLACK."'
    )
    assert_faithful(redline, old, new)


PARAGRAPHS = [
    "First paragraph stays here.",
    "The ward map shows the new boundaries clearly.",
    "Second paragraph stays here too.",
    "Third paragraph is last.",
]


@pytest.mark.parametrize("direction", ["to the end", "from the end"])
def test_a_paragraph_moved_to_or_from_the_end_leaves_no_empty_paragraph(tmp_path, direction):
    at_end = [PARAGRAPHS[0], *PARAGRAPHS[2:], PARAGRAPHS[1]]
    old_texts, new_texts = (PARAGRAPHS, at_end) if direction == "to the end" else (at_end, PARAGRAPHS)
    old = paragraphs_document(tmp_path / "old.docx", old_texts)
    new = paragraphs_document(tmp_path / "new.docx", new_texts)
    summary, redline = diff(tmp_path, old, new)
    before, after = old_texts.index(PARAGRAPHS[1]) + 1, new_texts.index(PARAGRAPHS[1]) + 1
    assert summary == [f'the paragraph "{PARAGRAPHS[1]}": moved from paragraph {before} to paragraph {after}']
    assert_faithful(redline, old, new)
    body = docx.Document(str(redline)).element.body
    assert len(body.findall(".//w:moveFrom", body.nsmap)) and len(body.findall(".//w:moveTo", body.nsmap))
