"""diff --keep-existing: a redline of a version that already holds tracked changes keeps them where they stand, with
their own authors and dates, beside the differences from the old version; accepting every change gives NEW as it now
reads and rejecting every change gives OLD as it read before its own changes.

Each redline is read back by tests/helpers/corpus_tools.py, which accepts or rejects tracked changes itself
(independently of jtai_docs.revisions), and by LibreOffice.
"""

from __future__ import annotations

import collections
import copy
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from helpers import corpus_tools, libreoffice_lines, run, violations
from jtai_docs import pipeline
from jtai_docs.elements import canonical

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ALICE_DATE = "2024-05-01T09:00:00Z"
BOB_DATE = "2024-05-02T10:00:00Z"


def _revision(tag: str, author: str, number: int, date: str = ALICE_DATE) -> etree._Element:
    return etree.Element(qn(tag), {qn("w:id"): str(number), qn("w:author"): author, qn("w:date"): date})


def _run(text: str, *, deleted: bool = False) -> etree._Element:
    element = etree.Element(qn("w:r"))
    piece = etree.SubElement(element, qn("w:delText" if deleted else "w:t"))
    piece.text = text
    piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def _replace_text(paragraph, *content: etree._Element) -> None:
    for child in [c for c in paragraph if c.tag == qn("w:r")]:
        paragraph.remove(child)
    for child in content:
        paragraph.append(child)


def versions(folder: Path) -> tuple[Path, Path]:
    """OLD, plain; NEW, edited by Alice and Bob with Word's Track Changes on (words inserted, a word replaced, a
    paragraph added) and by someone else with it off (a changed month, a new paragraph holding one of Alice's
    deletions)."""
    old = docx.Document()
    for text in ("The panel met in May.", "Actions are on track.", "Three were late.", "Closing words."):
        old.add_paragraph(text)
    old.save(str(folder / "old.docx"))

    new = docx.Document()
    texts = ("The panel met in June.", "Actions are on track.", "Three were late.", "Closing words.")
    paragraphs = [new.add_paragraph(text)._p for text in texts]
    inserted = _revision("w:ins", "Alice", 901)
    inserted.append(_run(" and agreed"))
    _replace_text(paragraphs[1], _run("Actions are on track"), inserted, _run("."))
    deleted = _revision("w:del", "Alice", 902)
    deleted.append(_run("Three", deleted=True))
    replaced = _revision("w:ins", "Bob", 903, BOB_DATE)
    replaced.append(_run("Two"))
    _replace_text(paragraphs[2], deleted, replaced, _run(" were late."))
    # Alice presses Enter at the end of the third paragraph and types: Word marks that paragraph's mark inserted.
    etree.SubElement(paragraphs[2].get_or_add_pPr(), qn("w:rPr")).append(_revision("w:ins", "Alice", 904))
    added = etree.Element(qn("w:p"))
    typed = _revision("w:ins", "Alice", 905)
    typed.append(_run("A new paragraph by Alice."))
    added.append(typed)
    paragraphs[2].addnext(added)
    # Untracked: a new paragraph in which Alice's tracked deletion stands.
    untracked = etree.Element(qn("w:p"))
    struck = _revision("w:del", "Alice", 906)
    struck.append(_run("Withdrawn ", deleted=True))
    untracked.append(struck)
    untracked.append(_run("Minutes to follow."))
    paragraphs[3].addprevious(untracked)
    new.save(str(folder / "new.docx"))
    return folder / "old.docx", folder / "new.docx"


def revisions_of(path: Path) -> list[tuple[str, str, str]]:
    body = docx.Document(str(path)).element.body
    return sorted(
        (etree.QName(node).localname, node.get(qn("w:author")), node.get(qn("w:date")))
        for node in body.iter(qn("w:ins"), qn("w:del"))
    )


def test_keep_existing_keeps_each_authors_changes_and_gives_new_and_old(tmp_path):
    old, new = versions(tmp_path)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--keep-existing", "--author", "Democratic Services")
    assert result.exit_code == 1, result.output
    # The summary lists what differs beside the tracked changes, and says which tracked changes it kept.
    assert '"May" -> "June"' in result.output
    assert "Minutes to follow." in result.output
    assert "and agreed" not in result.output
    authors = collections.Counter(author for _, author, _ in revisions_of(new))
    who = ", ".join(f"{count} by {name}" for name, count in sorted(authors.items()))
    said = f"Kept {sum(authors.values())} tracked changes already in {new} as their authors left them ({who})"
    assert said in result.output.replace("\n", " ")
    # Accept All gives NEW as it now reads; Reject All gives OLD.
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        want = corpus_tools.read_version(version, mode="accept")
        assert corpus_tools.differences(got, want) == [], mode
    # Every tracked change of NEW is there with its own author and date; the new ones are the reviewer's.
    found = revisions_of(redline)
    for kept in revisions_of(new):
        assert kept in found
        found.remove(kept)
    assert {author for _, author, _ in found} == {"Democratic Services"}
    # The untracked paragraph's kept deletion is inside the reviewer's insertion, as Word writes it.
    body = docx.Document(str(redline)).element.body
    nested = [d for d in body.iter(qn("w:del")) if d.getparent().tag == qn("w:ins")]
    assert [(d.get(qn("w:author")), d.getparent().get(qn("w:author"))) for d in nested] == [
        ("Alice", "Democratic Services")
    ]


def test_keep_existing_redline_opens_in_libreoffice_and_breaks_no_rule_new_keeps(tmp_path):
    old, new = versions(tmp_path)
    redline = tmp_path / "redline.docx"
    pipeline.compare_reports(old, new, redline_path=redline, existing="keep")
    lines = libreoffice_lines(redline)
    assert any("panel met in" in line for line in lines)
    assert any("A new paragraph by Alice." in line for line in lines)
    assert set(violations(redline)) <= set(violations(new))


def test_both_ways_of_treating_existing_changes_cannot_be_asked_for_at_once(tmp_path):
    old, new = versions(tmp_path)
    result = run("diff", old, new, "--keep-existing", "--accept-existing")
    assert result.exit_code == 2
    assert "choose one of --accept-existing and --keep-existing" in result.output
    assert "Traceback" not in result.output


def test_the_refusal_offers_both_choices(tmp_path):
    old, new = versions(tmp_path)
    result = run("diff", old, new)
    assert result.exit_code == 2
    assert "--accept-existing" in result.output and "--keep-existing" in result.output


def test_keep_existing_to_standard_output_keeps_them_too(tmp_path):
    old, new = versions(tmp_path)
    result = run("diff", old, new, "-o", "-", "--keep-existing")
    assert result.exit_code == 1
    redline = tmp_path / "piped.docx"
    redline.write_bytes(result.stdout_bytes)
    assert [r for r in revisions_of(new) if r not in revisions_of(redline)] == []


def test_changes_it_cannot_keep_are_named_and_nothing_is_written(tmp_path):
    old, _ = versions(tmp_path)
    document = docx.Document()
    document.add_paragraph("The panel met in May.")
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text, table.cell(1, 0).text = "Action", "Review"
    row_properties = table.rows[1]._tr.get_or_add_trPr()
    row_properties.append(_revision("w:ins", "Alice", 950))
    new = tmp_path / "rows.docx"
    document.save(str(new))
    result = run("diff", old, new, "-o", tmp_path / "r.docx", "--keep-existing")
    assert result.exit_code == 2
    assert "cannot keep in the redline (1 of inserted table rows: table 1, row 2)" in result.output
    assert "--accept-existing" in result.output
    assert not (tmp_path / "r.docx").exists()


# -- real documents with tracked changes made in Word and other editors -------------------------------------

TRACKED = [row["file"] for row in corpus_tools.read_manifest() if "tracked_changes" in row["features"]]
#: Tracked changes --keep-existing refuses to handle (table rows inserted or deleted), with the message tested above.
REFUSED = {"powertools_HC031-Complicated-Document.docx", "powertools_RP051-Arabic.docx"}
#: This document ends in an empty paragraph whose mark is itself a tracked insertion. Rejected, the reference reader
#: keeps that empty paragraph (a story ends in a paragraph mark) where jtai-docs lets it go, so when OLD still holds
#: the change the two disagree by one empty paragraph at the end of OLD as it read before.
EMPTY_INSERTED_LAST_MARK = "powertools_RP038-Inserted-Paras-at-End.docx"


@pytest.mark.parametrize("name", TRACKED)
@pytest.mark.parametrize("old_holds_them", [False, True], ids=["old-clean", "old-tracked"])
def test_real_documents_with_tracked_changes_keep_them_exactly(tmp_path, name, old_holds_them):
    """NEW is a corpus document holding tracked changes; OLD is it edited by the seeded generator, either as it
    read before those changes (old-clean) or with them still in it (old-tracked)."""
    new = corpus_tools.CORPUS / name
    source = new if old_holds_them else corpus_tools.accept_existing(new, tmp_path / "before.docx", accept=False)
    old = tmp_path / "old.docx"
    corpus_tools.edit_document(
        source, old, seed=corpus_tools.seed_for(name), kinds=("words", "insert paragraph", "delete paragraph")
    )
    redline = tmp_path / "redline.docx"
    if name in REFUSED:
        result = run("diff", old, new, "-o", redline, "--keep-existing")
        assert result.exit_code == 2 and "cannot keep in the redline" in result.output
        return
    pipeline.compare_reports(old, new, redline_path=redline, existing="keep")
    accepted = corpus_tools.differences(
        corpus_tools.read_version(redline, mode="accept"), corpus_tools.read_version(new, mode="accept")
    )
    rejected = corpus_tools.differences(
        corpus_tools.read_version(redline, mode="reject"), corpus_tools.read_version(old, mode="reject")
    )
    if old_holds_them and name == EMPTY_INSERTED_LAST_MARK:
        assert rejected == ["body paragraph 3: got '(missing)', expected ''", "body: 2 paragraphs, expected 3"]
        rejected = []
    assert (accepted, rejected) == ([], [])
    authors = {author for _, author, _ in revisions_of(redline)}
    assert {author for _, author, _ in revisions_of(new)} <= authors


@pytest.mark.parametrize("old_underlined", [False, True], ids=["old as new was before", "old underlined"])
def test_a_formatting_change_kept_from_new_stands_alone_in_its_run(tmp_path, old_underlined):
    """Words Bob made italic with Track Changes on, kept with --keep-existing: the run holds one formatting change
    (a second in the same run breaks the file for Word), his where it records OLD's formatting, else the redline's
    own (tests/test_keep_existing_formatting.py), and the summary never shows the change's own author, date or id
    as if they were formatting."""
    old_document, new_document = docx.Document(), docx.Document()
    old_run = old_document.add_paragraph().add_run("Text of the decision.")
    if old_underlined:
        old_run.underline = True
    new_run = new_document.add_paragraph().add_run("Text of the decision.")
    new_run.italic = True
    change = _revision("w:rPrChange", "Bob", 9, BOB_DATE)
    etree.SubElement(change, qn("w:rPr"))
    new_run._r.get_or_add_rPr().append(change)
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    old_document.save(str(old))
    new_document.save(str(new))
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--keep-existing")
    summary = result.stdout.split("Wrote the redline")[0]
    assert "Bob" not in summary and "r pr change" not in result.stdout, result.stdout
    said = "Replaced 1 tracked formatting change" if old_underlined else "Kept 1 tracked change already in"
    assert said in result.stdout and "(1 by Bob)" in result.stdout
    body = corpus_tools.Package.read(redline).xml("word/document.xml")
    changes = body.findall(f".//{qn('w:rPrChange')}")
    assert [c.get(qn("w:author")) for c in changes] == ["jtai-docs" if old_underlined else "Bob"]
    assert set(violations(redline)) <= set(violations(new))  # nothing beyond what NEW itself holds
    accepted = corpus_tools.read_version(redline, mode="accept", formatting=True)
    assert corpus_tools.differences(accepted, corpus_tools.read_version(new, formatting=True)) == []


@pytest.mark.parametrize("kind", ["cell", "row"])
@pytest.mark.parametrize("old_formatted", [False, True], ids=["old as new was before", "old formatted otherwise"])
def test_a_row_or_cell_change_kept_from_new_stands_where_it_records_old(tmp_path, kind, old_formatted):
    """Bob shaded a cell (or made a row repeat as a header row) with Track Changes on: kept with --keep-existing,
    his change stands under his name where what it records is OLD's, as a run's does; where OLD reads otherwise,
    the redline's own change records OLD's in its place, and the summary says his was replaced."""
    name = "tcPr" if kind == "cell" else "trPr"

    def table(document):
        grid = document.add_table(rows=2, cols=2)
        for row, texts in zip(grid.rows, (("Ref", "Status"), ("1.01", "Green")), strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text
        return grid

    def formatted(grid, fill: str):
        if kind == "cell":
            properties = grid.cell(1, 1)._tc.get_or_add_tcPr()
            properties.append(etree.fromstring(f'<w:shd {W_NS} w:val="clear" w:color="auto" w:fill="{fill}"/>'))
            return properties
        properties = grid.rows[0]._tr.get_or_add_trPr()
        # OLD's other formatting: the row kept on one page rather than repeated
        properties.append(etree.Element(qn("w:cantSplit" if fill == "FF0000" else "w:tblHeader")))
        return properties

    old_document, new_document = docx.Document(), docx.Document()
    old_grid = table(old_document)
    if old_formatted:
        formatted(old_grid, "FF0000")
    recorded = (
        copy.deepcopy((old_grid.cell(1, 1)._tc if kind == "cell" else old_grid.rows[0]._tr).find(qn(f"w:{name}")))
        if not old_formatted
        else etree.Element(qn(f"w:{name}"))
    )
    if recorded is None:
        recorded = etree.Element(qn(f"w:{name}"))
    properties = formatted(table(new_document), "FFD966")
    change = _revision(f"w:{name}Change", "Bob", 9, BOB_DATE)
    change.append(recorded)
    properties.append(change)
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    old_document.save(str(old))
    new_document.save(str(new))
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--keep-existing")
    assert result.exit_code == 1, result.output
    assert ("Replaced 1 tracked formatting change" in result.stdout) == old_formatted, result.stdout
    assert ("already in" in result.stdout and "as its author left it (1 by Bob)" in result.stdout) != old_formatted
    body = corpus_tools.Package.read(redline).xml("word/document.xml")
    authors = [c.get(qn("w:author")) for c in body.iter(qn(f"w:{name}Change"))]
    assert authors == (["jtai-docs"] if old_formatted else ["Bob"]), result.stdout
    rejected = corpus_tools.resolve(body, accept=False)
    place = rejected.find(f".//{qn('w:tbl')}")
    shown = [canonical(e) for e in place.iter(qn("w:shd"), qn("w:tblHeader"), qn("w:cantSplit"))]
    original = corpus_tools.Package.read(old).xml("word/document.xml").find(f".//{qn('w:tbl')}")
    assert shown == [canonical(e) for e in original.iter(qn("w:shd"), qn("w:tblHeader"), qn("w:cantSplit"))]


def _tracked_only(folder: Path) -> tuple[Path, Path]:
    """OLD plain; NEW the same words with one tracked insertion by Alice: the versions differ by it alone."""
    old = docx.Document()
    old.add_paragraph("Actions are on track.")
    old.save(str(folder / "old.docx"))
    new = docx.Document()
    paragraph = new.add_paragraph("Actions are on track.")._p
    inserted = _revision("w:ins", "Alice", 901)
    inserted.append(_run(" and agreed"))
    _replace_text(paragraph, _run("Actions are on track"), inserted, _run("."))
    new.save(str(folder / "new.docx"))
    return folder / "old.docx", folder / "new.docx"


def test_only_kept_changes_differing_is_no_no_differences(tmp_path):
    """Versions that differ only by NEW's own tracked changes are not "No differences" with exit status 0: a script
    checking the status would take them for the same; the redline holds those changes."""
    old, new = _tracked_only(tmp_path)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--keep-existing")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"No differences between {old} and {new} besides the tracked changes already in {new}."
    assert any(line.startswith("Kept 1 tracked change already in") and "1 by Alice" in line for line in lines)
    accepted = corpus_tools.read_version(redline, mode="accept")
    assert corpus_tools.differences(accepted, corpus_tools.read_version(new, mode="accept")) == []


def test_old_compared_before_its_own_tracked_changes_is_said(tmp_path):
    """OLD holding tracked changes of its own is compared as it read before them; the reader is told so, with how
    many and whose, rather than finding them silently gone from the redline."""
    clean, tracked = _tracked_only(tmp_path)
    newer = docx.Document()
    newer.add_paragraph("Actions are late.")
    newer.save(str(tmp_path / "newer.docx"))
    result = run("diff", tracked, tmp_path / "newer.docx", "-o", tmp_path / "redline.docx", "--keep-existing")
    assert result.exit_code == 1, result.output
    said = [line for line in result.stdout.splitlines() if line.startswith("Compared ")]
    assert said == [
        f"Compared {tracked} as it read before its own 1 tracked change (1 by Alice): Reject All gives {tracked} as "
        "it was before it."
    ], result.stdout
    rejected = corpus_tools.read_version(tmp_path / "redline.docx", mode="reject")
    assert corpus_tools.differences(rejected, corpus_tools.read_version(clean, mode="accept")) == []


def test_a_refused_row_is_placed_as_the_summary_counts_tables(tmp_path):
    """Tables are counted as the summary counts them: a table inside a cell of table 1 does not make the next
    table "table 3"."""
    old = docx.Document()
    old.add_paragraph("The panel met in May.")
    old.save(str(tmp_path / "old.docx"))
    document = docx.Document()
    document.add_paragraph("The panel met in May.")
    document.add_table(rows=1, cols=1).cell(0, 0).add_table(rows=1, cols=1).cell(0, 0).text = "inner"
    second = document.add_table(rows=2, cols=1)
    second.cell(0, 0).text, second.cell(1, 0).text = "Action", "Review"
    second.rows[1]._tr.get_or_add_trPr().append(_revision("w:ins", "Alice", 950))
    document.save(str(tmp_path / "new.docx"))
    result = run("diff", tmp_path / "old.docx", tmp_path / "new.docx", "--keep-existing")
    assert result.exit_code == 2
    assert "(1 of inserted table rows: table 2, row 2)" in result.output, result.output
