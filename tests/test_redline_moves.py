"""A paragraph moved unchanged is shown as a move in the redline and in the summary, and accepting or
rejecting the move gives NEW or OLD."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn

from helpers import libreoffice_lines, paragraphs_document, violations
from jtai_docs import pipeline, revisions
from jtai_docs.display import format_changes
from jtai_docs.wordfile import paragraph_text

PARAGRAPHS = [
    "Introduction to the plan.",
    "Safeguarding partners met in March to agree the plan.",
    "Schools were consulted on the draft.",
    "Health colleagues gave their views.",
    "The board will review progress in June.",
    "Closing words.",
]


def test_a_moved_paragraph_is_a_move(tmp_path):
    moved = [PARAGRAPHS[0], PARAGRAPHS[2], PARAGRAPHS[3], PARAGRAPHS[4], PARAGRAPHS[1], PARAGRAPHS[5]]
    old, new = paragraphs_document(tmp_path / "old.docx", PARAGRAPHS), paragraphs_document(tmp_path / "new.docx", moved)
    redline = tmp_path / "r.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    summary = format_changes(changes, old="old", new="new").splitlines()[1:]
    assert len(changes) == 1, summary
    where_from = PARAGRAPHS.index(PARAGRAPHS[1]) + 1
    where_to = moved.index(PARAGRAPHS[1]) + 1
    assert summary[0].endswith(f"moved from paragraph {where_from} to paragraph {where_to}")
    body = docx.Document(str(redline)).element.body
    moved_from = [
        "".join(t.text for t in m.iter(qn("w:t")))
        for m in body.iter(qn("w:moveFrom"))
        if m.getparent().tag != qn("w:rPr")
    ]
    moved_to = [
        "".join(t.text for t in m.iter(qn("w:t")))
        for m in body.iter(qn("w:moveTo"))
        if m.getparent().tag != qn("w:rPr")
    ]
    assert "".join(moved_from) == "".join(moved_to) == PARAGRAPHS[1]
    assert not list(body.iter(qn("w:ins"))) and not [d for d in body.iter(qn("w:del"))]
    names = {e.get(qn("w:name")) for e in body.iter(qn("w:moveFromRangeStart"), qn("w:moveToRangeStart"))}
    assert len(names) == 1
    assert [paragraph_text(p) for p in revisions.accept_all(body).iter(qn("w:p"))] == moved
    assert [paragraph_text(p) for p in revisions.reject_all(body).iter(qn("w:p"))] == PARAGRAPHS
    assert set(violations(redline)) <= set(violations(old)) | set(violations(new))
    assert any(PARAGRAPHS[1] in line for line in libreoffice_lines(redline)), "LibreOffice opens it"


def test_a_numbered_paragraph_moved_in_the_report_is_placed_by_the_numbers_it_shows(tmp_path):
    """In the committee report, the paragraph before the last numbered one moved up one place: the places are the
    paragraph numbers the reader sees on each side (before, Word's count of every paragraph: "from 26 to 25")."""
    settings = pipeline.create_report_folder(tmp_path / "project")[0]
    report = pipeline.build_report(settings).written.path
    lines = pipeline.document_text(report).splitlines()
    # The numbered paragraphs as `text` shows them ("12 Since the ..."), each with the line before it.
    numbered = [
        (index, line.split(" ", 1))
        for index, line in enumerate(lines)
        if line.split(" ", 1)[0].isdigit() and " " in line
    ]
    # Two numbered paragraphs one after the other, the second not the last numbered one.
    (_, (first_number, first_text)), (_, (second_number, second_text)) = next(
        (a, b) for a, b in zip(numbered[-3::-1], numbered[-2::-1], strict=False) if b[0] == a[0] + 1
    )
    document = docx.Document(str(report))
    by_start = {p.text[:30]: p for p in document.paragraphs if p.text.strip()}
    earlier, later = by_start[first_text[:30]], by_start[second_text[:30]]
    earlier._p.addprevious(later._p)
    new = tmp_path / "moved.docx"
    document.save(str(new))
    changes = pipeline.compare_reports(report, new, redline_path=tmp_path / "r.docx")
    summary = format_changes(changes, old="old", new="new").splitlines()[1:]
    assert len(summary) == 1, summary
    assert summary[0].startswith(f"  paragraph {first_number} "), summary
    assert summary[0].endswith(f"moved from paragraph {second_number} to paragraph {first_number}"), summary
