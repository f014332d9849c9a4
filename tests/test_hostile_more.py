"""Hostile inputs and faults (#7), the cases a second hostile review found: impossible years, values shown as
Excel shows them, dangling links and wrong names for outputs, stale PDFs and temporary folders, library wording
in messages, template-maker notes in properties, and LibreOffice left running by a stopped server."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from helpers import errors_of, run, snapshot


def set_cell(project: Path, header: str, value, *, row: int = 4) -> str:
    """Puts value in the first action's cell under header; returns the cell's reference as messages give it."""
    path = project / "inputs" / "action_plan.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Action Plan"]
    column = next(cell.column_letter for cell in sheet[3] if cell.value == header)
    sheet[f"{column}{row}"] = value
    book.save(path)
    book.close()
    return f"'Action Plan'!{column}{row} ({header})"


# -- 3. impossible years ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime(1, 1, 1), "01/01/0001"),
        (datetime(18, 6, 30), "30/06/0018"),
        ("30/06/0018", "30/06/0018"),
        ("31 December 1899", "31 December 1899"),
    ],
)
def test_a_timescale_with_an_impossible_year_is_refused_with_its_cell(project, value, shown):
    place = set_cell(project, "Timescale", value)
    year = f"{value.year:04d}" if isinstance(value, datetime) else value[-4:]
    result = run("check", project / "inputs" / "report.toml")
    assert result.exit_code == 1, result.output
    assert errors_of(result.stderr) == [
        f"Error: action_plan.xlsx, {place}: the year {year} cannot be right; expected a date between 1900 and "
        f"9999, such as 31/12/2018 (found {shown!r})"
    ]


# -- 8. values as Excel shows them ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown", "what"),
    [
        (True, "TRUE", "TRUE/FALSE"),
        (datetime(2020, 1, 1), "01/01/2020", "a date"),
        (datetime(2020, 1, 1, 9, 30), "01/01/2020 09:30:00", "a date"),
    ],
)
def test_cell_values_in_messages_are_shown_as_excel_shows_them(project, value, shown, what):
    place = set_cell(project, "Lead", value)
    result = run("check", project / "inputs" / "report.toml")
    assert result.exit_code == 1, result.output
    assert errors_of(result.stderr) == [
        f"Error: action_plan.xlsx, {place}: expected text but the cell holds {what} (found {shown!r})"
    ]
    assert "True" not in result.stderr and "00:00:00" not in result.stderr


# -- 4, 5. outputs: dangling links, names without .docx ------------------------------------------------------


def test_an_output_that_is_a_dangling_link_is_refused_and_nothing_is_created(built_project):
    report, outputs = built_project
    outside = report.parent.parent / "elsewhere" / "stolen.docx"
    outside.parent.mkdir()
    link = outputs / "committee_report.docx"
    link.unlink()
    link.symlink_to(outside)
    before = snapshot(outputs)
    result = run("build", report)
    assert result.exit_code == 1, result.output
    assert errors_of(result.stderr) == [
        f"Error: committee_report.docx: the report is a link to a file that does not exist; delete the link, or "
        f"give the path of a .docx file to write (looked for {link})"
    ]
    assert not outside.exists() and list(outside.parent.iterdir()) == []
    assert snapshot(outputs) == before


@pytest.fixture
def built_project(project):
    report = project / "inputs" / "report.toml"
    result = run("build", report)
    assert result.exit_code == 0, result.output
    return report, project / "outputs"


@pytest.mark.parametrize(
    "name", ["../outputs/committee_report", "../outputs/committee_report.pdf", "../outputs/committee_report.docx.txt"]
)
def test_an_output_name_without_docx_is_refused_with_its_key(project, name):
    path = project / "inputs" / "report.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('output = "../outputs/committee_report.docx"', f'output = "{name}"'), encoding="utf-8")
    line = 1 + path.read_text(encoding="utf-8").splitlines().index(f'output = "{name}"')
    result = run("build", path)
    assert result.exit_code == 1, result.output
    assert errors_of(result.stderr) == [
        f"Error: report.toml, key output (line {line}): the report is a Word document, so its name must end in "
        f".docx (found {name!r})"
    ]
    assert not (project / "outputs").exists()


def test_a_redline_name_without_docx_is_refused(built_project, tmp_path):
    _, outputs = built_project
    report = outputs / "committee_report.docx"
    target = tmp_path / "redline.txt"
    result = run("diff", report, report, "-o", target)
    assert result.exit_code == 2, result.output
    assert errors_of(result.stderr) == [
        f"Error: -o {target}: a redline is a Word document, so its name must end in .docx"
    ]
    assert not target.exists()


# -- 9. init names the folder it made ------------------------------------------------------------------------


def test_init_names_its_own_folder_in_the_build_command(tmp_path):
    folder = tmp_path / "march-update"
    result = run("init", folder)
    assert result.exit_code == 0, result.output
    text = (folder / "report.toml").read_text(encoding="utf-8")
    assert f"jtai-docs build {folder.as_posix()}/report.toml" in text
    assert "inputs/report.toml" not in text
    built = run("build", folder / "report.toml")
    assert built.exit_code == 0, built.output
    assert (folder / "outputs" / "committee_report.docx").is_file()
