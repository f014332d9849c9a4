"""Any two versions give a redline whose accepted text is the new version and whose rejected text is the old."""

from __future__ import annotations

import tempfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ROOT, body_texts, violations
from jtai_docs import pipeline, revisions

TEMPLATE = ROOT / "templates" / "committee_report.docx"
# A small vocabulary, so versions share words and paragraphs the way real revisions do.
WORDS = st.sampled_from(
    [
        "the",
        "plan",
        "actions",
        "45",
        "46",
        "Green",
        "Amber",
        "&",
        "<b>",
        "“quoted”",
        "–",
        "café",
        "\t",
        "\n",
        "  ",
        "MASH",
        "update",
        ",",
        ".",
    ]
)
TEXT = st.lists(WORDS, max_size=8).map(" ".join)
BLOCK = st.one_of(
    st.tuples(st.sampled_from(["Normal", "Numbered Paragraph", "Heading 1"]), TEXT),
    st.tuples(st.just("table"), st.lists(st.lists(TEXT, min_size=2, max_size=2), min_size=1, max_size=3)),
)
VERSION = st.lists(BLOCK, max_size=7)


def write(path: Path, blocks) -> Path:
    """A document on the project's template (its styles and numbering), with these blocks as its body."""
    document = docx.Document(str(TEMPLATE))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    for kind, content in blocks:
        if kind == "table":
            table = document.add_table(rows=0, cols=2)
            for row in content:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=False):
                    cell.text = text
        else:
            document.add_paragraph(content, style=kind)
    document.save(str(path))
    return path


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VERSION, VERSION)
def test_accepting_the_redline_gives_new_and_rejecting_gives_old(old_blocks, new_blocks):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        old, new = write(folder / "old.docx", old_blocks), write(folder / "new.docx", new_blocks)
        redline = folder / "redline.docx"
        changes = pipeline.compare_reports(old, new, redline_path=redline)
        body = docx.Document(str(redline)).element.body
        old_text, new_text = (
            body_texts(docx.Document(str(old)).element.body),
            body_texts(docx.Document(str(new)).element.body),
        )
        assert body_texts(revisions.accept_all(body)) == new_text
        assert body_texts(revisions.reject_all(body)) == old_text
        assert changes or old_text == new_text, "a difference in the text is always reported"
        assert violations(redline) == [], "the redline is valid WordprocessingML"
