"""Documents that already hold Word's tracked changes of every kind — moved paragraphs, inserted and deleted cells
and rows, split paragraphs, formatting changes to runs, paragraphs, tables, rows and cells — read as Word shows them
with every change accepted (`text`, `diff --accept-existing`) and, rejected, as they read before the changes.

Each case writes the version before and the version after as ordinary documents with python-docx, and a third
document holding the change as Word records it; expectations come from reading the first two."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from jtai_docs import pipeline, revisions
from jtai_docs.cli import main

AUTHOR = "Jane Officer"
_ids = itertools.count(800)


def mark(tag: str, *content) -> object:
    """A tracked-change element as Word writes it: id, author and date, holding the given children."""
    element = parse_xml(
        f'<w:{tag} {nsdecls("w")} w:id="{next(_ids)}" w:author="{AUTHOR}" w:date="2024-05-01T09:00:00Z"/>'
    )
    for child in content:
        element.append(child)
    return element


def run(text: str, *, deleted: bool = False) -> object:
    tag = "w:delText" if deleted else "w:t"
    return parse_xml(f'<w:r {nsdecls("w")}><{tag} xml:space="preserve">{text}</{tag}></w:r>')


def paragraph(*content, mark_change: str | None = None) -> object:
    """A w:p holding the content; mark_change records its paragraph mark as inserted, deleted or moved."""
    element = parse_xml(f"<w:p {nsdecls('w')}/>")
    if mark_change:
        properties = parse_xml(f"<w:pPr {nsdecls('w')}><w:rPr/></w:pPr>")
        properties[0].append(mark(mark_change))
        element.append(properties)
    for child in content:
        element.append(child)
    return element


def write(path: Path, paragraphs: list[str], rows: list[list[str]] | None = None) -> Path:
    """An ordinary document: the paragraphs, then a table of the rows."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for cells, row in zip(rows, table.rows, strict=True):
            for text, cell in zip(cells, row.cells, strict=True):
                cell.text = text
    document.save(str(path))
    return path


def resolved(path: Path, target: Path, *, accept: bool) -> Path:
    """The document with every tracked change accepted or rejected, saved as a document of its own."""
    document = docx.Document(str(path))
    body = document.element.body
    result = (revisions.accept_all if accept else revisions.reject_all)(body)
    for child in list(body):
        body.remove(child)
    for child in list(result):
        body.append(child)
    document.save(str(target))
    return target


def check_both_ways(tracked: Path, before: Path, after: Path) -> None:
    """Accepted, the tracked document reads as the version after; rejected, as the version before."""
    assert revisions.has_revisions(docx.Document(str(tracked)).element.body)
    runner = CliRunner()
    shown = runner.invoke(main, ["text", str(tracked)])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == pipeline.document_text(after)
    assert shown.stdout != pipeline.document_text(before)
    rejected = resolved(tracked, tracked.with_name("rejected.docx"), accept=False)
    assert pipeline.document_text(rejected) == pipeline.document_text(before)
    assert not revisions.has_revisions(docx.Document(str(rejected)).element.body)
    # Compared as it reads with its changes accepted, it is the version after.
    compared = runner.invoke(main, ["diff", str(after), str(tracked), "--accept-existing", "--text-only"])
    assert compared.exit_code == 0, compared.output


def test_a_moved_paragraph_reads_at_its_new_place_and_rejected_at_its_old_one(tmp_path):
    before = write(tmp_path / "before.docx", ["First.", "Second.", "Third."])
    after = write(tmp_path / "after.docx", ["First.", "Third.", "Second."])
    document = docx.Document(str(before))
    body = document.element.body
    first, second, third = document.paragraphs
    # Word's move: the paragraph stays where it was inside moveFrom and appears again inside moveTo.
    moved_from = paragraph(
        parse_xml(
            f'<w:moveFromRangeStart {nsdecls("w")} w:id="1" w:name="move1" '
            f'w:author="{AUTHOR}" w:date="2024-05-01T09:00:00Z"/>'
        ),
        mark("moveFrom", run("Second.")),
        parse_xml(f'<w:moveFromRangeEnd {nsdecls("w")} w:id="1"/>'),
        mark_change="moveFrom",
    )
    moved_to = paragraph(
        parse_xml(
            f'<w:moveToRangeStart {nsdecls("w")} w:id="2" w:name="move1" '
            f'w:author="{AUTHOR}" w:date="2024-05-01T09:00:00Z"/>'
        ),
        mark("moveTo", run("Second.")),
        parse_xml(f'<w:moveToRangeEnd {nsdecls("w")} w:id="2"/>'),
        mark_change="moveTo",
    )
    second._p.addprevious(moved_from)
    body.remove(second._p)
    third._p.addnext(moved_to)
    tracked = tmp_path / "tracked.docx"
    document.save(str(tracked))
    check_both_ways(tracked, before, after)
    assert revisions.revision_authors(docx.Document(str(tracked)).element.body) == {AUTHOR: 4}


def test_inserted_and_deleted_words_and_a_split_paragraph(tmp_path):
    before = write(tmp_path / "before.docx", ["The plan was agreed in May.", "Closing."])
    after = write(tmp_path / "after.docx", ["The revised plan", "was agreed in June.", "Closing."])
    document = docx.Document(str(before))
    body = document.element.body
    # "The [revised ]plan¶(inserted mark) was agreed in [May→June]."
    tracked_first = paragraph(run("The "), mark("ins", run("revised ")), run("plan"), mark_change="ins")
    tracked_second = paragraph(
        run("was agreed in "), mark("del", run("May", deleted=True)), mark("ins", run("June")), run(".")
    )
    # The space before "was" goes with the split.
    tracked_first.append(mark("del", run(" ", deleted=True)))
    old = document.paragraphs[0]._p
    old.addprevious(tracked_first)
    old.addprevious(tracked_second)
    body.remove(old)
    tracked = tmp_path / "tracked.docx"
    document.save(str(tracked))
    check_both_ways(tracked, before, after)


def test_a_deleted_paragraph_mark_joins_the_paragraph_to_the_next_once_accepted(tmp_path):
    before = write(tmp_path / "before.docx", ["The plan", "was agreed.", "Closing."])
    after = write(tmp_path / "after.docx", ["The plan was agreed.", "Closing."])
    document = docx.Document(str(before))
    first = document.paragraphs[0]._p
    joined = paragraph(run("The plan"), mark("ins", run(" ")), mark_change="del")
    first.addprevious(joined)
    document.element.body.remove(first)
    tracked = tmp_path / "tracked.docx"
    document.save(str(tracked))
    check_both_ways(tracked, before, after)


def test_a_deleted_empty_paragraph_goes_once_accepted(tmp_path):
    before = write(tmp_path / "before.docx", ["Intro.", "", "Closing."])
    after = write(tmp_path / "after.docx", ["Intro.", "Closing."])
    document = docx.Document(str(before))
    empty = document.paragraphs[1]._p
    empty.addprevious(paragraph(mark_change="del"))
    document.element.body.remove(empty)
    tracked = tmp_path / "tracked.docx"
    document.save(str(tracked))
    assert pipeline.document_text(resolved(tracked, tmp_path / "accepted.docx", accept=True)) == pipeline.document_text(
        after
    )
    assert pipeline.document_text(
        resolved(tracked, tmp_path / "rejected.docx", accept=False)
    ) == pipeline.document_text(before)


def _cell_change(cell, tag: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    properties.append(mark(tag))


def delete_runs(element) -> None:
    """Every run in the element as Word records deleted text: inside w:del, its w:t become w:delText."""
    for text_run in list(element.iter(qn("w:r"))):
        for text in text_run.iter(qn("w:t")):
            text.tag = qn("w:delText")
        text_run.addprevious(mark("del", copy.deepcopy(text_run)))
        text_run.getparent().remove(text_run)


def test_inserted_cells_are_kept_when_accepted_and_removed_when_rejected(tmp_path):
    before = write(tmp_path / "before.docx", ["Table 1."], [["Theme", "Due"], ["Strategy", "4"]])
    after = write(tmp_path / "after.docx", ["Table 1."], [["Theme", "Green", "Due"], ["Strategy", "3", "4"]])
    tracked = write(tmp_path / "tracked.docx", ["Table 1."], [["Theme", "Green", "Due"], ["Strategy", "3", "4"]])
    document = docx.Document(str(tracked))
    for row in document.tables[0].rows:
        _cell_change(row.cells[1], "cellIns")
    document.save(str(tracked))
    check_both_ways(tracked, before, after)


def test_deleted_cells_go_when_accepted_and_stay_when_rejected(tmp_path):
    before = write(tmp_path / "before.docx", ["Table 1."], [["Theme", "Amber", "Due"], ["Strategy", "2", "4"]])
    after = write(tmp_path / "after.docx", ["Table 1."], [["Theme", "Due"], ["Strategy", "4"]])
    document = docx.Document(str(before))
    for row in document.tables[0].rows:
        _cell_change(row.cells[1], "cellDel")
        delete_runs(row.cells[1]._tc)
    tracked = tmp_path / "tracked.docx"
    document.save(str(tracked))
    check_both_ways(tracked, before, after)


def test_inserted_and_deleted_rows(tmp_path):
    before = write(tmp_path / "before.docx", ["Table 1."], [["Theme", "Due"], ["Strategy", "4"], ["MASH", "2"]])
    after = write(tmp_path / "after.docx", ["Table 1."], [["Theme", "Due"], ["Strategy", "4"], ["Health", "5"]])
    tracked = write(
        tmp_path / "tracked.docx", ["Table 1."], [["Theme", "Due"], ["Strategy", "4"], ["MASH", "2"], ["Health", "5"]]
    )
    document = docx.Document(str(tracked))
    rows = document.tables[0].rows
    for row, tag in ((rows[2], "del"), (rows[3], "ins")):
        row._tr.get_or_add_trPr().append(mark(tag))
        if tag == "del":
            delete_runs(row._tr)
    document.save(str(tracked))
    check_both_ways(tracked, before, after)


def styled(path: Path, *, heading: bool, bold: bool, table_style: str | None, shaded: bool, tall: bool) -> Path:
    """Two paragraphs and a one-cell table, each formatted or not."""
    document = docx.Document()
    document.add_paragraph("Summary", style="Heading 1" if heading else None)
    document.add_paragraph().add_run("Decision required.").bold = True if bold else None
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Cell"
    if table_style:
        table.style = document.styles[table_style]
    if shaded:
        table.cell(0, 0)._tc.get_or_add_tcPr().append(
            parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="FFFF00"/>')
        )
    if tall:
        table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:trHeight {nsdecls("w")} w:val="900"/>'))
    document.save(str(path))
    return path


def formatting(path: Path) -> dict[str, object]:
    """The formatting a reader sees, as python-docx reads it from the saved document."""
    document = docx.Document(str(path))
    table = document.tables[0]
    shading = table.cell(0, 0)._tc.tcPr.find(qn("w:shd")) if table.cell(0, 0)._tc.tcPr is not None else None
    height = table.rows[0]._tr.trPr.find(qn("w:trHeight")) if table.rows[0]._tr.trPr is not None else None
    return {
        "style": document.paragraphs[0].style.name,
        "bold": document.paragraphs[1].runs[0].bold,
        "table style": table.style.name if table.style is not None else None,
        "shading": shading.get(qn("w:fill")) if shading is not None else None,
        "height": height.get(qn("w:val")) if height is not None else None,
        "text": [p.text for p in document.paragraphs],
    }


def test_formatting_changes_to_paragraphs_runs_tables_rows_and_cells(tmp_path):
    before = styled(tmp_path / "before.docx", heading=False, bold=False, table_style=None, shaded=False, tall=False)
    after = styled(tmp_path / "after.docx", heading=True, bold=True, table_style="Table Grid", shaded=True, tall=True)
    # Word keeps the new formatting and records the old inside a *PrChange element.
    old_document = docx.Document(str(before))
    document = docx.Document(str(after))
    pairs = [
        (document.paragraphs[0]._p.pPr, old_document.paragraphs[0]._p.pPr, "pPr"),
        (document.paragraphs[1].runs[0]._r.rPr, old_document.paragraphs[1].runs[0]._r.rPr, "rPr"),
        (document.tables[0]._tbl.tblPr, old_document.tables[0]._tbl.tblPr, "tblPr"),
        (document.tables[0].rows[0]._tr.trPr, old_document.tables[0].rows[0]._tr.trPr, "trPr"),
        (document.tables[0].cell(0, 0)._tc.tcPr, old_document.tables[0].cell(0, 0)._tc.tcPr, "tcPr"),
    ]
    for new_properties, old_properties, name in pairs:
        recorded = (
            copy.deepcopy(old_properties) if old_properties is not None else parse_xml(f"<w:{name} {nsdecls('w')}/>")
        )
        new_properties.append(mark(f"{name}Change", recorded))
    tracked = tmp_path / "tracked.docx"
    document.save(str(tracked))
    assert revisions.revision_authors(docx.Document(str(tracked)).element.body) == {AUTHOR: 5}
    accepted = resolved(tracked, tmp_path / "accepted.docx", accept=True)
    rejected = resolved(tracked, tmp_path / "rejected.docx", accept=False)
    assert formatting(accepted) == formatting(after)
    assert formatting(rejected) == formatting(before)
    assert formatting(before) != formatting(after)
    # The text view shows the heading as the document now reads.
    assert CliRunner().invoke(main, ["text", str(tracked)]).stdout == pipeline.document_text(after)


def test_an_inserted_run_made_bold_is_bold_when_accepted_and_gone_when_rejected(tmp_path):
    """An inserted run later made bold: rejecting undoes both, accepting keeps both."""
    before = write(tmp_path / "before.docx", ["Decision."])
    document = docx.Document(str(before))
    inserted_run = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> Now.</w:t></w:r>')
    inserted_run.find(qn("w:rPr")).append(mark("rPrChange", parse_xml(f"<w:rPr {nsdecls('w')}/>")))
    document.paragraphs[0]._p.append(mark("ins", inserted_run))
    tracked = tmp_path / "tracked.docx"
    document.save(str(tracked))
    accepted = docx.Document(str(resolved(tracked, tmp_path / "accepted.docx", accept=True)))
    assert [(r.text, r.bold) for r in accepted.paragraphs[0].runs] == [("Decision.", None), (" Now.", True)]
    rejected = docx.Document(str(resolved(tracked, tmp_path / "rejected.docx", accept=False)))
    assert [r.text for r in rejected.paragraphs[0].runs] == ["Decision."]


def test_a_section_formatting_change_is_rejected_to_the_old_page_size(tmp_path):
    before = write(tmp_path / "before.docx", ["Landscape annex."])
    document = docx.Document(str(before))
    section = document.sections[0]
    old_width, old_height = section.page_width, section.page_height
    recorded = copy.deepcopy(section._sectPr)
    for child in list(recorded):
        if child.tag != qn("w:pgSz"):
            recorded.remove(child)
    section.page_width, section.page_height = old_height, old_width
    section._sectPr.append(mark("sectPrChange", recorded))
    tracked = tmp_path / "tracked.docx"
    document.save(str(tracked))
    accepted = docx.Document(str(resolved(tracked, tmp_path / "accepted.docx", accept=True))).sections[0]
    rejected = docx.Document(str(resolved(tracked, tmp_path / "rejected.docx", accept=False))).sections[0]
    assert (accepted.page_width, accepted.page_height) == (old_height, old_width)
    assert (rejected.page_width, rejected.page_height) == (old_width, old_height)


def test_a_deleted_field_code_comes_back_when_rejected(tmp_path):
    document = docx.Document()
    document.add_paragraph("Page ")
    field = parse_xml(f'<w:r {nsdecls("w")}><w:delInstrText xml:space="preserve"> PAGE </w:delInstrText></w:r>')
    document.paragraphs[0]._p.append(mark("del", field))
    tracked = tmp_path / "tracked.docx"
    document.save(str(tracked))
    rejected = revisions.reject_all(docx.Document(str(tracked)).element.body)
    assert [node.text for node in rejected.iter(qn("w:instrText"))] == [" PAGE "]
    assert not list(rejected.iter(qn("w:delInstrText")))
    assert not list(revisions.accept_all(docx.Document(str(tracked)).element.body).iter(qn("w:instrText")))


@pytest.mark.parametrize("who", [AUTHOR, None])
def test_tracked_changes_are_counted_by_author_with_words_unknown_for_unnamed(tmp_path, who):
    document = docx.Document()
    document.add_paragraph("Intro.")
    inserted = mark("ins", run(" Added."))
    if who is None:
        del inserted.attrib[qn("w:author")]
    document.paragraphs[0]._p.append(inserted)
    document.add_paragraph().add_run().add_break(WD_BREAK.LINE)
    assert revisions.revision_authors(document.element.body) == {who or "Unknown": 1}


def test_a_document_whose_only_change_is_an_inserted_cell_is_refused_without_accept_existing(tmp_path):
    plain = write(tmp_path / "plain.docx", ["Table 1."], [["Theme", "Green"], ["Strategy", "3"]])
    tracked = write(tmp_path / "tracked.docx", ["Table 1."], [["Theme", "Green"], ["Strategy", "3"]])
    document = docx.Document(str(tracked))
    for row in document.tables[0].rows:
        _cell_change(row.cells[1], "cellIns")
    document.save(str(tracked))
    result = CliRunner().invoke(main, ["diff", str(plain), str(tracked)])
    assert result.exit_code == 2
    assert f"already holds tracked changes (2 by {AUTHOR})" in result.stderr
