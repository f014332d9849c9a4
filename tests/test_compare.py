"""Reviewers compare versions: the summary, the JSON, the redline (accept -> new, reject -> old) and history."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from lxml import etree

from helpers import Row, body_texts, libreoffice_lines, make_workbook, ordinary_report, run
from jtai_docs import libreoffice, pipeline, revisions, workbook
from jtai_docs.context import STATUS_SHADING
from jtai_docs.errors import UsageError


def document_body(path):
    return docx.Document(str(path)).element.body


def change_statuses(plan_path, changes: dict[str, str]) -> None:
    """Sets the Status of the actions with these references, as an officer would in Excel."""
    book = openpyxl.load_workbook(plan_path)
    sheet = book[workbook.ACTIONS_SHEET]
    header = next(row for row in sheet.iter_rows() if row[0].value == "Ref")
    column = next(cell.column for cell in header if cell.value == "Status")
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        if row[0].value in changes:
            row[column - 1].value = changes.pop(row[0].value)
    assert not changes, f"references not found: {changes}"
    book.save(plan_path)


@pytest.fixture
def two_versions(project):
    """The default report, then the same report after three due actions changed status."""
    report = project / "inputs" / "report.toml"
    first = pipeline.build_report(report)
    old = project / "old.docx"
    shutil.copy(first.written.path, old)
    cutoff = first.checked.table1.cutoff
    due = [a for a in first.checked.plan.actions if a.is_due_by(cutoff)]
    amber = [a for a in due if a.status.label == "Amber"][:2]
    yellow = [a for a in due if a.status.label == "Yellow"][:1]
    change_statuses(first.checked.settings.workbook, {a.reference: "Green" for a in amber + yellow})
    second = pipeline.build_report(report)
    return first, second, old


def expected_table1_changes(before, after) -> list[tuple[str, str, str]]:
    """(where, old, new) for every Table 1 cell whose figure differs, from the two builds' own Table 1."""
    cells = []
    for old_row, new_row in zip(before.rows, after.rows, strict=True):
        for status, a, b in zip(after.statuses, old_row.counts, new_row.counts, strict=True):
            if a != b:
                cells.append((f"Table 1, {new_row.theme.name}, {status.label}", str(a), str(b)))
    for status, a, b in zip(after.statuses, before.totals, after.totals, strict=True):
        if a != b:
            cells.append((f"Table 1, TOTALS, {status.label}", str(a), str(b)))
    return cells


def appendix2_changes(first, second) -> list[tuple[str, str]]:
    """(old, new) status of every action whose status changed, in plan order: Appendix 2's changed cells."""
    old = {a.reference: a.status.label for a in first.checked.plan.actions}
    return [
        (old[a.reference], a.status.label) for a in second.checked.plan.actions if old[a.reference] != a.status.label
    ]


def appendix2_shading(first, second) -> list[tuple[str, str]]:
    """The Status cells' shading each changed status changes (STATUS_SHADING's colour of each status word)."""
    return [
        (f"shading #{STATUS_SHADING[before.lower()]}", f"shading #{STATUS_SHADING[after.lower()]}")
        for before, after in appendix2_changes(first, second)
        if STATUS_SHADING[before.lower()] != STATUS_SHADING[after.lower()]
    ]


def assert_appendix2_cells(first, second, changes) -> None:
    """Appendix 2 (the document's table 2) shows each changed status in its action's Status cell, whose shading
    changes with it: listed as a formatting change of the same cell."""
    cells = [c for c in changes if c.where.startswith("table 2, ") and c.kind == "cell"]
    assert [(c.old, c.new) for c in cells] == appendix2_changes(first, second)
    shaded = [c for c in changes if c.where.startswith("table 2, ") and c.kind == "formatting"]
    assert [(c.old, c.new) for c in shaded] == appendix2_shading(first, second)
    assert [c.where for c in shaded] == [
        cell.where
        for cell, (before, after) in zip(cells, appendix2_changes(first, second), strict=True)
        if STATUS_SHADING[before.lower()] != STATUS_SHADING[after.lower()]
    ]
    changed = [
        a
        for a in second.checked.plan.actions
        if (a.reference, a.status.label) not in {(b.reference, b.status.label) for b in first.checked.plan.actions}
    ]
    for cell, action in zip(cells, changed, strict=False):
        assert cell.where == f"table 2, row {action.reference}, Status"


def test_rebuilding_keeps_the_earlier_version_and_reports_what_changed(two_versions):
    first, second, old = two_versions
    kept = second.written.previous
    assert kept.parent.name == "history" and kept.read_bytes() == old.read_bytes()
    assert first.written.sha256[:8] in kept.name
    cells = expected_table1_changes(first.checked.table1, second.checked.table1)
    assert [
        (c.where, c.old, c.new) for c in second.changes if c.kind == "cell" and c.where.startswith("Table 1")
    ] == cells
    assert_appendix2_cells(first, second, second.changes)
    [paragraph] = [c for c in second.changes if c.kind not in ("cell", "formatting")]
    assert paragraph.where == "paragraph 11" and paragraph.section == "Background"


def test_diff_prints_a_summary_by_paragraph_and_table1_cell(two_versions):
    first, second, old = two_versions
    result = run("diff", old, second.written.path)
    assert result.exit_code == 1
    before, after = first.checked.table1, second.checked.table1
    cells = expected_table1_changes(before, after)
    edits = "; ".join(
        f'"{a}" -> "{b}"'
        for a, b in [
            (before.count("Green"), after.count("Green")),
            (before.count("Amber"), after.count("Amber")),
            (before.count("Yellow"), after.count("Yellow")),
            (before.count("Yellow"), after.count("Yellow")),
        ]
    )
    appendix = [(c.where, c.old, c.new) for c in second.changes if c.where.startswith("table 2, ") and c.kind == "cell"]
    assert len(appendix) == len(appendix2_changes(first, second))
    shading = [(c.where, c.old, c.new) for c in second.changes if c.kind == "formatting"]
    assert [(b, a) for _where, b, a in shading] == appendix2_shading(first, second)
    assert result.stdout.splitlines() == [
        f"{len(cells) + 1 + len(appendix) + len(shading)} differences between {old} and {second.written.path}:",
        *(f'  {where}: "{a}" -> "{b}"' for where, a, b in cells),
        f"  paragraph 11 (Background): {edits}",
        *(f'  {where}: "{a}" -> "{b}"' for where, a, b in appendix),
        *(f'  {where}: formatting: "{a}" -> "{b}"' for where, a, b in shading),
    ]


def test_diff_json_gives_the_same_records(two_versions):
    _first, second, old = two_versions
    result = run("diff", old, second.written.path, "--format", "json")
    assert result.exit_code == 1
    records = json.loads(result.stdout)["changes"]
    assert [(r["kind"], r["where"], r["old"], r["new"]) for r in records] == [
        (c.kind, c.where, c.old, c.new) for c in second.changes
    ]


def test_identical_reports_have_no_differences(two_versions):
    _first, second, _old = two_versions
    result = run("diff", second.written.path, second.written.path)
    assert result.exit_code == 0
    assert result.stdout == f"No differences between {second.written.path} and {second.written.path}.\n"


def test_the_redline_accepts_to_new_and_rejects_to_old(two_versions, tmp_path):
    _first, second, old = two_versions
    redline = tmp_path / "redline.docx"
    assert run("diff", old, second.written.path, "-o", redline).exit_code == 1
    body = document_body(redline)
    assert revisions.has_revisions(body)
    assert body_texts(revisions.accept_all(body)) == body_texts(document_body(second.written.path))
    assert body_texts(revisions.reject_all(body)) == body_texts(document_body(old))
    # Numbering and styles are the new version's.
    with zipfile.ZipFile(redline) as a, zipfile.ZipFile(second.written.path) as b:
        assert a.read("word/numbering.xml") == b.read("word/numbering.xml")
        assert a.read("word/styles.xml") == b.read("word/styles.xml")


def test_the_same_two_versions_give_the_same_redline_bytes_from_separate_runs(two_versions, tmp_path):
    """Words, formatting, a tab and characters XML escapes, written twice by separate processes whose string
    hashing differs (as two runs of jtai-docs do): the same bytes, and a redline that accepts to NEW."""
    _first, second, old = two_versions
    new = tmp_path / "new.docx"
    document = docx.Document(str(second.written.path))
    long_paragraphs = [p for p in document.paragraphs if len(p.text.split()) > 8 and p.runs]
    long_paragraphs[0].runs[0].italic = True  # a heading, bold by its style already: italic reads otherwise
    long_paragraphs[1].add_run(" & <one> more\tword")
    long_paragraphs[2].runs[0].text = long_paragraphs[2].runs[0].text.replace(" ", " and ", 1)
    document.save(str(new))
    written = []
    for seed in ("1", "2"):
        target = tmp_path / f"redline-{seed}.docx"
        result = subprocess.run(
            [sys.executable, "-m", "jtai_docs", "diff", str(old), str(new), "-o", str(target), "--author", AUTHOR],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=False,
        )
        assert result.returncode == 1, result.stderr.decode()
        written.append(target.read_bytes())
    assert written[0] == written[1]
    body = document_body(tmp_path / "redline-1.docx")
    assert body_texts(revisions.accept_all(body)) == body_texts(document_body(new))
    assert body_texts(revisions.reject_all(body)) == body_texts(document_body(old))
    assert "& <one> more\tword" in "\n".join(body_texts(revisions.accept_all(body)))
    assert body.find(f".//{qn('w:rPrChange')}") is not None  # the italic words are a formatting change
    marks = list(body.iter(qn("w:ins"), qn("w:del"), qn("w:rPrChange")))
    assert marks and {mark.get(qn("w:author")) for mark in marks} == {AUTHOR}


#: An author name with every character XML quotes specially.
AUTHOR = "Democratic Services & \"Scrutiny\" <Team> 'B'"


def tracked(body) -> list[tuple[str, str]]:
    """Every tracked change in document order, as (kind, text)."""
    out = []
    for node in body.iter(qn("w:ins"), qn("w:del")):
        if node.getparent().tag == qn("w:rPr"):
            continue  # a paragraph mark
        text = "".join(t.text or "" for t in node.iter(qn("w:t"), qn("w:delText")))
        out.append(("ins" if node.tag == qn("w:ins") else "del", text))
    return out


@pytest.mark.libreoffice
def test_libreoffice_opens_the_redline_and_sees_exactly_the_changed_figures(two_versions, tmp_path):
    first, second, old = two_versions
    redline = tmp_path / "redline.docx"
    run("diff", old, second.written.path, "-o", redline)
    # LibreOffice reads the redline and writes it back out; the tracked changes must survive as such.
    again = libreoffice.convert_document(redline, tmp_path / "again.docx", filter_name="docx:MS Word 2007 XML")
    seen = tracked(document_body(again))
    ours = tracked(document_body(redline))
    assert seen == ours
    before, after = first.checked.table1, second.checked.table1
    cells = expected_table1_changes(before, after)
    prose = [
        (before.count("Green"), after.count("Green")),
        (before.count("Amber"), after.count("Amber")),
        (before.count("Yellow"), after.count("Yellow")),
        (before.count("Yellow"), after.count("Yellow")),
    ]
    expected = [pair for _where, a, b in cells for pair in (("del", a), ("ins", b))]
    expected += [pair for a, b in prose for pair in (("del", str(a)), ("ins", str(b)))]
    expected += [pair for a, b in appendix2_changes(first, second) for pair in (("del", a), ("ins", b))]
    assert ours == expected
    assert libreoffice_lines(redline)  # and LibreOffice renders it to text


def test_the_workbook_diff_lists_action_changes_and_table1_effects(project):
    report = project / "inputs" / "report.toml"
    checked = pipeline.check_report(report)
    plan = checked.settings.workbook
    old = project / "old.xlsx"
    shutil.copy(plan, old)
    cutoff = checked.table1.cutoff
    amber = next(a for a in checked.plan.actions if a.is_due_by(cutoff) and a.status.label == "Amber")
    change_statuses(plan, {amber.reference: "Green"})
    result = run("diff", old, plan, "--report", report)
    assert result.exit_code == 1
    theme = amber.theme.name
    assert result.stdout.splitlines()[1:] == [
        f'  action {amber.reference}, Status ({theme}): "Amber" -> "Green"',
        *(
            f'  Table 1, {name}, {status}: "{a}" -> "{b}"'
            for name, status, a, b in [
                (
                    theme,
                    "Green",
                    checked.table1.rows[amber.theme.number - 1].counts[0],
                    checked.table1.rows[amber.theme.number - 1].counts[0] + 1,
                ),
                (
                    theme,
                    "Amber",
                    checked.table1.rows[amber.theme.number - 1].counts[1],
                    checked.table1.rows[amber.theme.number - 1].counts[1] - 1,
                ),
                ("TOTALS", "Green", checked.table1.count("Green"), checked.table1.count("Green") + 1),
                ("TOTALS", "Amber", checked.table1.count("Amber"), checked.table1.count("Amber") - 1),
            ]
        ),
    ]


def test_diff_refuses_mixed_files_with_status_2(project, tmp_path):
    result = run("diff", project / "inputs" / "action_plan.xlsx", project / "templates" / "committee_report.docx")
    assert result.exit_code == 2
    assert result.stderr == "Error: compare two Word reports (.docx) or two workbooks (.xlsx)\n"
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"not a zip")
    result = run("diff", junk, project / "templates" / "committee_report.docx")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {junk} is not a Word document (.docx) that can be read")


# -- documents jtai-docs did not build ---------------------------------------------------------------------


@pytest.mark.libreoffice
def test_two_hand_made_reports_give_a_valid_redline(tmp_path):
    old = ordinary_report(
        tmp_path / "old.docx",
        paragraphs=[
            "Introduction to the quarter.",
            "# First point stays.",
            "# Second point will be removed.",
            "# Third point, where one word changes.",
            "Closing words.",
        ],
        rows=[["Area", "Target", "Actual"], ["Housing", "90", "85"], ["Roads", "70", "72"]],
        link=True,
    )
    new = ordinary_report(
        tmp_path / "new.docx",
        paragraphs=[
            "Introduction to the quarter.",
            "# First point stays.",
            "# Third point, where one term changes.",
            "# A new fourth point.",
            "Closing words.",
        ],
        rows=[["Area", "Target", "Actual"], ["Housing", "90", "88"], ["Parks", "50", "55"], ["Roads", "70", "72"]],
    )
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[1:] == [
        '  paragraph 2 (Quarterly performance): removed: "Second point will be removed."',
        '  paragraph 2 (Quarterly performance): "word" -> "term"',
        '  paragraph 3 (Quarterly performance): added: "A new fourth point."',
        # No row of this table is marked as its header, so rows and columns are named by their numbers.
        '  table 1, row 2 "Housing", column 3: "85" -> "88"',
        '  table 1, row 3 "Parks" (Quarterly performance): added: "Parks | 50 | 55"',
        '  the paragraph "See the full report" (Quarterly performance): removed: "See the full report"',
        f"Wrote the redline {redline}",
    ]
    body = document_body(redline)
    assert body_texts(revisions.accept_all(body)) == body_texts(document_body(new))
    assert body_texts(revisions.reject_all(body)) == body_texts(document_body(old))
    pdf = libreoffice.convert_document(redline, tmp_path / "redline.pdf", filter_name="pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_tracked_changes_already_in_a_document_are_read_as_accepted(tmp_path):
    path = ordinary_report(tmp_path / "tracked.docx", paragraphs=["Kept text."], rows=[["a", "b", "c"]])
    document = docx.Document(str(path))
    paragraph = document.paragraphs[1]._p
    inserted = etree.SubElement(
        paragraph, qn("w:ins"), {qn("w:id"): "1", qn("w:author"): "A", qn("w:date"): "2019-01-01T00:00:00Z"}
    )
    etree.SubElement(etree.SubElement(inserted, qn("w:r")), qn("w:t")).text = " Added."
    deleted = etree.SubElement(
        paragraph, qn("w:del"), {qn("w:id"): "2", qn("w:author"): "A", qn("w:date"): "2019-01-01T00:00:00Z"}
    )
    etree.SubElement(etree.SubElement(deleted, qn("w:r")), qn("w:delText")).text = " Gone."
    document.save(str(path))
    result = run("text", path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == "Kept text. Added."


def test_the_same_two_versions_give_the_same_redline_bytes(two_versions, tmp_path):
    _first, second, old = two_versions
    run("diff", old, second.written.path, "-o", tmp_path / "a.docx")
    run("diff", old, second.written.path, "-o", tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def without_core_properties(source, target):
    """A copy of a .docx with no document properties part, as some generators write them."""
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w") as out:
        for name in package.namelist():
            data = package.read(name)
            if name == "docProps/core.xml":
                continue
            if name == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*core-properties\"[^>]*/>", b"", data)
            out.writestr(name, data)
    return target


def test_versions_without_document_properties_give_the_same_redline_dated_by_neither(tmp_path):
    import time

    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    for path, text in ((old, "Hello there."), (new, "Hello over there.")):
        document = docx.Document()
        document.add_paragraph(text)
        document.save(str(path))
        without_core_properties(path, path.with_name(f"bare-{path.name}"))
    bare_old, bare_new = tmp_path / "bare-old.docx", tmp_path / "bare-new.docx"
    assert "docProps/core.xml" not in zipfile.ZipFile(bare_new).namelist()
    run("diff", bare_old, bare_new, "-o", tmp_path / "a.docx")
    time.sleep(1.1)  # a redline dated by the clock would differ now
    run("diff", bare_old, bare_new, "-o", tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.docx") as package:
        # No properties made up for the redline (python-docx's defaults), and changes dated by no clock.
        assert "docProps/core.xml" not in package.namelist()
        assert set(re.findall(rb'w:date="([^"]+)"', package.read("word/document.xml"))) == {b"1980-01-01T00:00:00Z"}


def test_comparing_workbooks_without_a_cutoff_or_report_toml_says_what_to_give(tmp_path):
    workbook_file = make_workbook(tmp_path / "plan.xlsx", [Row(ref="1.01", status="Green")])
    with pytest.raises(UsageError) as caught:
        pipeline.compare_workbooks(workbook_file, workbook_file, cutoff=None)
    assert "--cutoff" in caught.value.message and "report.toml" in caught.value.message


def test_the_workbook_diff_lists_added_removed_and_rescheduled_actions(tmp_path):
    rows = [
        Row(ref="1.01", status="Green"),
        Row(ref="1.02", status="Amber", timescale="December 2018"),
        Row(ref="2.01", theme=2, status="Yellow", lead="CCG – Designated Nurse"),
    ]
    old = make_workbook(tmp_path / "old.xlsx", rows)
    rows[1].timescale = "March 2019"
    rows[2].lead = "CCG – Named GP"
    new = make_workbook(
        tmp_path / "new.xlsx",
        [rows[1], rows[2], Row(ref="2.02", theme=2, status="Green", action="Publish the new protocol.")],
    )
    result = run("diff", old, new, "--cutoff", "2018-12-31")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        '  action 1.02, Timescale (Strategy Meetings): "31 December 2018" -> "31 March 2019"',
        '  action 2.01, Lead (Front Door & MASH): "CCG – Designated Nurse" -> "CCG – Named GP"',
        '  action 2.02 (Front Door & MASH): added: "Publish the new protocol. (Green, due 30 November 2018)"',
        '  action 1.01 (Strategy Meetings): removed: "Hold a strategy meeting for every referral. (Green, due 30 '
        'November 2018)"',
        '  Table 1, Strategy Meetings, Green: "1" -> "0"',
        '  Table 1, Strategy Meetings, Amber: "1" -> "0"',
        '  Table 1, Strategy Meetings, TOTAL: "2" -> "0"',
        '  Table 1, Front Door & MASH, Green: "0" -> "1"',
        '  Table 1, Front Door & MASH, TOTAL: "1" -> "2"',
        '  Table 1, TOTALS, Amber: "1" -> "0"',
        '  Table 1, TOTALS, TOTAL: "3" -> "2"',
    ]


def _isolate(paragraph, words: str):
    """Splits the paragraph's run holding words into three, as Word does around a comment or an edit, and
    returns the run of the words themselves (with the run's own formatting)."""
    import copy

    run = next(r for r in paragraph.runs if words in r.text)
    before, after = run.text.split(words, 1)
    for text in (before, after):
        twin = copy.deepcopy(run._r)
        for t in twin.findall(qn("w:t")):
            twin.remove(t)
        twin.append(etree.fromstring(f'<w:t xmlns:w="{W}" xml:space="preserve">{text}</w:t>'))
        (run._r.addprevious if text is before else run._r.addnext)(twin)
    run.text = words
    return run


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: What an officer changes in Word in the built report: (start of the paragraph, words, replacement).
WORD_EDITS = (
    ("The presentation will be given", "seek comment", "seek views"),
    ("Between 9 and 13 July 2018", "'deep dive'", "detailed"),
    ("The Durham Local Safeguarding", "governance", "leadership"),
)


def test_the_default_report_edited_in_word_is_redlined_word_by_word(project, tmp_path):
    """The built report against a copy an officer edited in Word: a comment on a name, a footnote, Word's hidden
    _GoBack bookmark where the cursor was, and a word changed in each of those paragraphs. The redline tracks
    just the changed words; the comment and footnote stand where the officer put them; accepting every change
    gives the edited copy and rejecting every change gives the built report."""
    from helpers import corpus_tools
    from helpers.worddocs import _Builder

    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    old, new, redline = tmp_path / "old.docx", tmp_path / "edited.docx", tmp_path / "redline.docx"
    shutil.copy(built, old)
    document = docx.Document(str(built))
    paragraphs = {start: next(p for p in document.paragraphs if p.text.startswith(start)) for start, _, _ in WORD_EDITS}
    for start, words, replacement in WORD_EDITS:
        _isolate(paragraphs[start], words).text = replacement
    commented = _isolate(paragraphs[WORD_EDITS[0][0]], "Michael Banks")
    document.add_comment(commented, text="Confirm the chair's title.", author="Democratic Services", initials="DS")
    builder = _Builder(document)
    paragraphs[WORD_EDITS[1][0]]._p.append(
        docx.oxml.parse_xml(builder.footnote("Inspection report published in September 2018."))
    )
    builder.finish()
    goback = paragraphs[WORD_EDITS[2][0]].runs[0]._r
    goback.addnext(etree.fromstring(f'<w:bookmarkEnd xmlns:w="{W}" w:id="0"/>'))
    goback.addnext(etree.fromstring(f'<w:bookmarkStart xmlns:w="{W}" w:id="0" w:name="_GoBack"/>'))
    document.save(str(new))

    changes = pipeline.compare_reports(old, new, redline_path=redline)
    described = [(c.old, c.new) for c in changes]
    for _start, words, replacement in WORD_EDITS:
        assert any(words in before and replacement in after for before, after in described), described
    assert any("footnote: Inspection report published" in after for _before, after in described), described

    body = docx.Document(str(redline)).element.body
    for start, words, replacement in WORD_EDITS:
        paragraph = next(
            p for p in body.iter(qn("w:p")) if "".join(t.text or "" for t in p.iter(qn("w:t"))).startswith(start)
        )
        deleted = "".join(t.text or "" for t in paragraph.iter(qn("w:delText")))
        inserted = "".join(t.text or "" for i in paragraph.iter(qn("w:ins")) for t in i.iter(qn("w:t")))
        # Only the changed words are tracked, not the paragraph (a word-by-word diff may keep a shared letter).
        assert deleted.strip() and deleted.strip() in words, (start, deleted)
        assert inserted.strip() and inserted.strip() in replacement, (start, inserted)
        assert paragraph.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:ins')}") is None  # not a new paragraph
    footnote = next(body.iter(qn("w:footnoteReference")))
    assert footnote.getparent().getparent().tag == qn("w:ins")  # the officer's footnote, marked inserted
    assert [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))].count("_GoBack") == 1
    # The comment still covers the words the officer commented on.
    anchored, inside = [], False
    for node in body.iter(qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:t")):
        inside = {qn("w:commentRangeStart"): True, qn("w:commentRangeEnd"): False}.get(node.tag, inside)
        if inside and node.tag == qn("w:t"):
            anchored.append(node.text or "")
    assert "".join(anchored).strip() == "Michael Banks"
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], mode
