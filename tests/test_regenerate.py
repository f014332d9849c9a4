"""Regenerating after data changes: same inputs give the same bytes; one status change moves only its figures."""

from __future__ import annotations

import difflib
import hashlib
import shutil
from datetime import date, datetime

import docx
import openpyxl
import pytest

from helpers import Row, due_counts, libreoffice_lines, make_workbook, write_settings
from jtai_docs import pipeline, workbook


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_builds_of_the_same_inputs_are_byte_identical(project, tmp_path_factory):
    first = pipeline.build_report(project / "inputs" / "report.toml").written.path
    first_digest = sha256(first)
    # A second, separate copy: nothing may depend on the folder, the clock or an earlier build.
    other = tmp_path_factory.mktemp("again")
    for folder in ("inputs", "templates"):
        shutil.copytree(project / folder, other / folder)
    second = pipeline.build_report(other / "inputs" / "report.toml").written.path
    assert sha256(second) == first_digest
    assert sha256(pipeline.build_report(project / "inputs" / "report.toml").written.path) == first_digest


@pytest.mark.libreoffice
def test_one_status_change_changes_only_its_table1_cells_and_the_prose(project):
    settings_path = project / "inputs" / "report.toml"
    before = pipeline.build_report(settings_path)
    old_lines = libreoffice_lines(before.written.path)
    shutil.copy(before.written.path, project / "before.docx")

    # Choose a due Amber action and make it Green in the workbook, as an officer would in Excel.
    plan = before.checked.plan
    action = next(a for a in plan.actions if a.status.label == "Amber" and a.is_due_by(before.checked.table1.cutoff))
    book = openpyxl.load_workbook(before.checked.settings.workbook)
    sheet = book[workbook.ACTIONS_SHEET]
    header = next(row for row in sheet.iter_rows() if row[0].value == "Ref")
    status_column = next(cell.column for cell in header if cell.value == "Status")
    assert sheet.cell(row=action.row, column=1).value == action.reference
    sheet.cell(row=action.row, column=status_column).value = "Green"
    book.save(before.checked.settings.workbook)

    after = pipeline.build_report(settings_path, force=True)
    new_lines = libreoffice_lines(after.written.path)
    assert len(new_lines) == len(old_lines)
    changed = {
        i
        for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes()
        if tag != "equal"
        for i in range(i1, i2)
    }

    # Where the figures stand in LibreOffice's rendering: each table cell is its own line.
    theme_line = old_lines.index(f"{action.theme.number}.")
    totals_line = old_lines.index("TOTALS:")
    labels = [s.label for s in before.checked.table1.statuses]
    green, amber = 2 + labels.index("Green"), 2 + labels.index("Amber")
    paragraph_11 = next(i for i, line in enumerate(old_lines) if line.strip().startswith("11 Of the"))
    cells = [theme_line + green, theme_line + amber, totals_line + green, totals_line + amber]
    # Appendix 2 prints the action's status word in the cell after its timescale (five cells after its Ref).
    appendix2 = old_lines.index("Appendix 2: JTAI Improvement Action Plan")
    status_cell = old_lines.index(action.reference, appendix2) + 4
    assert (old_lines[status_cell], new_lines[status_cell]) == ("Amber", "Green")
    assert changed == set(cells) | {paragraph_11, status_cell}
    for line, delta in zip(cells, (1, -1, 1, -1), strict=True):
        assert int(new_lines[line]) == int(old_lines[line]) + delta

    old_table1 = before.checked.table1
    assert new_lines[paragraph_11] == old_lines[paragraph_11].replace(
        f", {old_table1.count('Green')} have been completed, {old_table1.count('Amber')} have commenced",
        f", {old_table1.count('Green') + 1} have been completed, {old_table1.count('Amber') - 1} have commenced",
    )


def test_a_later_update_is_built_from_its_own_settings_and_workbook(project):
    """Another cutoff, meeting date and set of statuses: no code change, figures follow the data."""
    rows = [
        Row(ref="1.01", theme=1, timescale=datetime(2018, 12, 31), status="Green"),
        Row(ref="1.02", theme=1, timescale="January 2019", status="Amber"),
        Row(ref="1.03", theme=1, timescale="30/04/2019", status="Not yet due"),
        Row(ref="2.01", theme=2, timescale="March 2019", status="Yellow"),
        Row(ref="2.02", theme=2, timescale=datetime(2019, 3, 31), status="Green"),
        Row(ref="2.03", theme=2, timescale="September 2019", status="Not yet due"),
    ]
    update = project / "march"
    update.mkdir()
    make_workbook(update / "plan.xlsx", rows)
    cutoff, meeting = date(2019, 3, 31), date(2019, 5, 20)
    settings = write_settings(
        update,
        source=project / "inputs" / "report.toml",
        changes={
            "template": '"../templates/committee_report.docx"',
            "workbook": '"plan.xlsx"',
            "output": '"update.docx"',
            "cutoff": cutoff.isoformat(),
            "date": meeting.isoformat(),
        },
    )
    result = pipeline.build_report(settings)
    document = docx.Document(str(result.written.path))
    table = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    expected = due_counts(
        rows,
        cutoff,
        text_dates={
            "January 2019": date(2019, 1, 31),
            "30/04/2019": date(2019, 4, 30),
            "March 2019": date(2019, 3, 31),
            "September 2019": date(2019, 9, 30),
        },
    )
    labels = ["Green", "Amber", "Yellow"]
    assert table[0][0].endswith("with a March 2019 timescale")
    for row, theme in zip(table[2:4], (1, 2), strict=True):
        assert row[2:5] == [str(expected.get((theme, label), 0)) for label in labels]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "20 May 2019" in text
    assert (
        f"contains a total of {len(rows)} actions. Of these {sum(expected.values())} had a completion "
        "timescale on or before March 2019."
    ) in text
    assert document.core_properties.created.date() == meeting
