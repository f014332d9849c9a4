"""Breaks typed into a paragraph are changes a reader sees: a page or column break (Ctrl+Enter) added or taken
away is named as such (it was "No differences"), a line break (Shift+Enter) as a line break, not an empty
paragraph; the redline tracks each, Accept All giving the new version and Reject All the old."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK

from helpers import corpus_tools, run

WORDS = "The partnership agreed the plan."


def _paragraphs(path: Path, brk: WD_BREAK | None = None) -> Path:
    document = docx.Document()
    document.add_paragraph("Executive summary")
    paragraph = document.add_paragraph("The partnership agreed ")
    if brk is not None:
        paragraph.add_run().add_break(brk)
    paragraph.add_run("the plan.")
    document.add_paragraph("Background")
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("brk", "said"),
    [(WD_BREAK.PAGE, '"page break"'), (WD_BREAK.COLUMN, '"column break"'), (WD_BREAK.LINE, "1 line break")],
    ids=["page", "column", "line"],
)
@pytest.mark.parametrize("direction", ["added", "removed"])
def test_a_break_typed_into_a_paragraph_is_named_and_tracked(tmp_path, brk, said, direction):
    plain, broken = _paragraphs(tmp_path / "plain.docx"), _paragraphs(tmp_path / "broken.docx", brk)
    old, new = (plain, broken) if direction == "added" else (broken, plain)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code == 1, result.output
    if brk == WD_BREAK.LINE:
        expected = f'the paragraph "{WORDS}": {said} {direction}'
    else:
        expected = f'the paragraph "{WORDS}": {direction} {said}'
    assert result.stdout.splitlines()[1].strip() == expected, result.stdout
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        want = corpus_tools.read_version(version, mode="accept")
        assert corpus_tools.differences(got, want) == [], mode
