"""The corpus tests' own accept-all / reject-all reader agrees with Word's.

Open-XML-PowerTools ships documents holding tracked changes together with the same documents after
Word's Accept All and Reject All (tests/corpus/reader/, MIT, sources in its MANIFEST.csv). Reading
each with tests/helpers/corpus_tools.py must give the same text and structure as Word's results, so a failure
in test_corpus.py is the engine's, not the reader's.

Known gaps of the reader, not covered here: content controls inserted or deleted as a whole (marked with
customXmlInsRange/customXmlDelRange), and paragraphs inserted or whose marks were deleted at the very end
of the document.
"""

from __future__ import annotations

import csv

import pytest

from helpers import corpus_tools

READER = corpus_tools.CORPUS / "reader"
with (READER / "MANIFEST.csv").open(newline="", encoding="utf-8") as handle:
    ROWS = list(csv.DictReader(handle))
TRACKED = sorted(row["file"] for row in ROWS if not row["file"].endswith(("-Accepted.docx", "-Rejected.docx")))


def test_reader_fixtures_have_a_source_and_licence():
    assert {row["file"] for row in ROWS} == {path.name for path in READER.glob("*.docx")}
    assert all(row["licence"] == "MIT" and len(row["commit"]) == 40 for row in ROWS)


@pytest.mark.parametrize("name", TRACKED)
@pytest.mark.parametrize(("mode", "suffix"), [("accept", "-Accepted"), ("reject", "-Rejected")])
def test_reader_resolves_tracked_changes_as_word_does(name, mode, suffix):
    tracked = READER / name
    package = corpus_tools.Package.read(tracked)
    assert corpus_tools.has_revisions(package.xml(package.main_part))
    word = READER / name.replace(".docx", f"{suffix}.docx")
    got = corpus_tools.read_version(tracked, mode=mode)
    assert corpus_tools.differences(got, corpus_tools.read_version(word)) == []
