"""A footnote, endnote or comment edited where its reference stands is compared word by word, as Word's own
Compare does: the summary names the note and the words, and the redline keeps the reference and tracks the
words inside the note (#10)."""

from __future__ import annotations

import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from helpers import corpus_tools, run
from helpers.worddocs import write_document
from jtai_docs import libreoffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _diff(tmp_path: Path, old: Path, new: Path) -> tuple[list[str], Path]:
    """The summary lines a reviewer reads, and the redline; Accept All gives NEW and Reject All gives OLD, notes
    included, as the independent reader reads them."""
    redline = tmp_path / "redline.docx"
    result = run("diff", str(old), str(new), "-o", str(redline))
    assert result.exit_code == 1, result.output
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], mode
    return result.stdout.splitlines()[1:-1], redline


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def _tracked(root: etree._Element) -> list[tuple[str, str]]:
    """The tracked insertions and deletions in a part, with their words."""
    return [
        (etree.QName(change).localname, "".join(t.text or "" for t in change.iter(f"{W}t", f"{W}delText")))
        for change in root.iter(f"{W}ins", f"{W}del")
        if change.getparent().tag != f"{W}rPr"
    ]


def _as_endnotes(path: Path) -> Path:
    """The same document with its footnotes made endnotes."""
    renamed = {"word/footnotes.xml": "word/endnotes.xml"}
    changed = ("[Content_Types].xml", "word/_rels/document.xml.rels", "word/document.xml", "word/footnotes.xml")
    with zipfile.ZipFile(path) as source:
        items = [(name, source.read(name)) for name in source.namelist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items:
            if name in changed:
                data = data.replace(b"footnote", b"endnote")
            target.writestr(renamed.get(name, name), data)
    return path


def test_an_edited_footnote_keeps_its_reference_and_is_tracked_word_by_word(tmp_path):
    body = ["Agreed as recorded in the minutes", ("fn", "Minute 12 of the Cabinet.")]
    old = write_document(tmp_path / "old.docx", [["Report."], body])
    new = write_document(tmp_path / "new.docx", [["Report."], [body[0], ("fn", "Minute 13 of the Cabinet.")]])
    lines, redline = _diff(tmp_path, old, new)
    # Named by its mark in `jtai-docs text` ([1]) and the words it follows; the words that changed, not the note.
    assert lines == ['  footnote 1 (after "…in the minutes"): "12" -> "13"']
    # The reference is left alone in the body; the change is inside the note, where Word's Compare puts it.
    assert _tracked(_part(redline, "word/document.xml")) == []
    assert _tracked(_part(redline, "word/footnotes.xml")) == [("del", "12"), ("ins", "13")]
    assert len(_part(redline, "word/footnotes.xml").findall(f"{W}footnote")) == 3  # no copy of OLD's note


def test_a_paragraph_and_its_note_edited_together_are_each_tracked_word_by_word(tmp_path):
    old = write_document(tmp_path / "old.docx", [["Agreed at the April meeting", ("fn", "Minute 12.")]])
    new = write_document(tmp_path / "new.docx", [["Agreed at the May meeting", ("fn", "Minute 13.")]])
    lines, redline = _diff(tmp_path, old, new)
    assert lines == [
        '  the paragraph "Agreed at the May meeting": "April" -> "May"',
        '  footnote 1 (after "…the May meeting"): "12" -> "13"',
    ]
    assert _tracked(_part(redline, "word/document.xml")) == [("del", "April"), ("ins", "May")]
    assert _tracked(_part(redline, "word/footnotes.xml")) == [("del", "12"), ("ins", "13")]


def test_a_note_after_a_word_that_was_edited_is_replaced_whole(tmp_path):
    # Its reference no longer follows the word it followed: it cannot be said to stand where it stood.
    old = write_document(tmp_path / "old.docx", [["Agreed in April", ("fn", "Minute 12.")]])
    new = write_document(tmp_path / "new.docx", [["Agreed in May", ("fn", "Minute 13.")]])
    lines, _redline = _diff(tmp_path, old, new)
    assert lines == [
        '  the paragraph "Agreed in May": "April" -> "May"',
        '  the paragraph "Agreed in May": "footnote: Minute 12." -> "footnote: Minute 13."',
    ]


def test_an_edited_endnote_is_tracked_word_by_word(tmp_path):
    old = _as_endnotes(write_document(tmp_path / "old.docx", [["Spend", ("fn", "Outturn for the year.")]]))
    new = _as_endnotes(write_document(tmp_path / "new.docx", [["Spend", ("fn", "Forecast for the year.")]]))
    lines, redline = _diff(tmp_path, old, new)
    # Word numbers endnotes i, ii, iii unless the document says otherwise, as `jtai-docs text` does.
    assert lines == ['  endnote i (after "Spend"): "Outturn" -> "Forecast"']
    assert _tracked(_part(redline, "word/document.xml")) == []
    assert _tracked(_part(redline, "word/endnotes.xml")) == [("del", "Outturn"), ("ins", "Forecast")]


def test_a_paragraph_added_to_a_note_is_tracked_inside_it(tmp_path):
    old = write_document(tmp_path / "old.docx", [["Agreed", ("fn", "Minute 12.")]])
    new = write_document(tmp_path / "new.docx", [["Agreed", ("fn", "Minute 12.")]])
    with zipfile.ZipFile(new) as source:
        items = [(name, source.read(name)) for name in source.namelist()]
    with zipfile.ZipFile(new, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items:
            if name == "word/footnotes.xml":
                added = b"<w:p><w:r><w:t>See also 14.</w:t></w:r></w:p>"
                data = data.replace(b"</w:footnote></w:footnotes>", added + b"</w:footnote></w:footnotes>")
            target.writestr(name, data)
    lines, redline = _diff(tmp_path, old, new)
    assert lines == ['  footnote 1 (after "Agreed"), the paragraph "See also 14.": added: "See also 14."']
    assert _tracked(_part(redline, "word/document.xml")) == []
    assert ("ins", "See also 14.") in _tracked(_part(redline, "word/footnotes.xml"))


def test_a_note_whose_reference_moved_is_still_replaced_whole(tmp_path):
    old = write_document(tmp_path / "old.docx", [["First", ("fn", "Minute 12."), " and second."]])
    new = write_document(tmp_path / "new.docx", [["First and second.", ("fn", "Minute 13.")]])
    lines, _redline = _diff(tmp_path, old, new)
    assert lines == ['  the paragraph "First and second.": "footnote: Minute 12." -> "footnote: Minute 13."']


def test_a_note_added_with_its_reference_is_still_a_whole_note(tmp_path):
    old = write_document(tmp_path / "old.docx", [["Agreed."]])
    new = write_document(tmp_path / "new.docx", [["Agreed.", ("fn", "Minute 13.")]])
    lines, redline = _diff(tmp_path, old, new)
    assert lines == ['  the paragraph "Agreed.": added "footnote: Minute 13."']
    assert [kind for kind, _words in _tracked(_part(redline, "word/document.xml"))] == ["ins"]


def test_an_edited_comment_is_told_word_by_word_and_replaced_whole_in_the_redline(tmp_path):
    old = write_document(tmp_path / "old.docx", [["Check ", ("comment", "the sum", "Is the sum right?")]])
    new = write_document(tmp_path / "new.docx", [["Check ", ("comment", "the sum", "Is the total right?")]])
    lines, redline = _diff(tmp_path, old, new)
    # Named by its number in `jtai-docs text` and the words it is about.
    assert lines == ['  comment 1 (on "the sum"): "sum" -> "total"']
    # LibreOffice runs a comment's deleted and inserted words together, so the comment is replaced whole.
    assert _tracked(_part(redline, "word/comments.xml")) == []
    texts = ["".join(t.text or "" for t in c.iter(f"{W}t")) for c in _part(redline, "word/comments.xml")]
    assert texts == ["Is the total right?", "Is the sum right?"]


@pytest.mark.libreoffice
def test_libreoffice_shows_the_tracked_words_inside_the_footnote(tmp_path):
    old = write_document(tmp_path / "old.docx", [["Agreed", ("fn", "Minute 12 of the Cabinet.")]])
    new = write_document(tmp_path / "new.docx", [["Agreed", ("fn", "Minute 13 of the Cabinet.")]])
    _lines, redline = _diff(tmp_path, old, new)
    with tempfile.TemporaryDirectory(prefix="notes-lo-") as profile:
        subprocess.run(
            [
                libreoffice.find_soffice(),
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "odt",
                "--outdir",
                str(tmp_path),
                str(redline),
            ],
            capture_output=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
            check=True,
        )
    with zipfile.ZipFile(tmp_path / "redline.odt") as converted:
        content = converted.read("content.xml").decode()
    note = re.search(r"<text:note-body>(.*?)</text:note-body>", content)
    assert note is not None
    # The deletion and the insertion are LibreOffice tracked changes inside the note; the note's text reads as NEW.
    assert "<text:change " in note.group(1) and "<text:change-start " in note.group(1)
    assert "13" in note.group(1) and re.search(r"<text:deletion>.*?12</text:p>", content) is not None


def test_a_note_edited_and_reformatted_has_both_records_and_reject_gives_its_old_formatting(tmp_path):
    body = "Agreed as recorded in the minutes"
    old = write_document(tmp_path / "old.docx", [[body, ("fn", "Minute 12 of the Cabinet.")]])
    new = write_document(tmp_path / "new.docx", [[body, ("fn", "Minute 13 of the Cabinet.")]])
    with zipfile.ZipFile(new) as source:
        items = [(name, source.read(name)) for name in source.namelist()]
    with zipfile.ZipFile(new, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items:
            if name == "word/footnotes.xml":  # "Cabinet." made bold in NEW's note
                root = etree.fromstring(data)
                text = next(t for t in root.iter(f"{W}t") if "Cabinet" in (t.text or ""))
                run_ = text.getparent()
                text.text = text.text.replace("Cabinet.", "")
                bold = etree.fromstring(f'<w:r xmlns:w="{W[1:-1]}"><w:rPr><w:b/></w:rPr><w:t>Cabinet.</w:t></w:r>')
                run_.addnext(bold)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(name, data)
    lines, redline = _diff(tmp_path, old, new)
    assert lines[0] == '  footnote 1 (after "…in the minutes"): "12" -> "13"'
    assert any("formatting" in line and "Cabinet." in line and "bold" in line for line in lines[1:]), lines
    assert len(lines) == 2, lines  # the words, then the formatting: one record each
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode, formatting=True)
        assert corpus_tools.differences(got, corpus_tools.read_version(version, formatting=True)) == [], mode
