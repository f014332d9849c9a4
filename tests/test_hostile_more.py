"""Hostile inputs and faults (#7), the cases a second hostile review found: impossible years, values shown as
Excel shows them, dangling links and wrong names for outputs, stale PDFs and temporary folders, library wording
in messages, template-maker notes in properties, and LibreOffice left running by a stopped server."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from jtai_docs.cli import main


def run(*args, env=None):
    """The command in-process; never a traceback, never the internal-fault status."""
    result = CliRunner(env=env).invoke(main, list(map(str, args)))
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.exit_code != 70, result.output
    return result


def errors_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Error: ")]


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


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

@pytest.mark.parametrize("value, shown", [
    (datetime(1, 1, 1), "01/01/0001"),
    (datetime(18, 6, 30), "30/06/0018"),
    ("30/06/0018", "30/06/0018"),
    ("31 December 1899", "31 December 1899"),
])
def test_a_timescale_with_an_impossible_year_is_refused_with_its_cell(project, value, shown):
    place = set_cell(project, "Timescale", value)
    year = f"{value.year:04d}" if isinstance(value, datetime) else value[-4:]
    result = run("check", project / "inputs" / "report.toml")
    assert result.exit_code == 1, result.output
    assert errors_of(result.stderr) == [
        f"Error: action_plan.xlsx, {place}: the year {year} cannot be right; expected a date between 1900 and "
        f"9999, such as 31/12/2018 (found {shown!r})"]


# -- 8. values as Excel shows them ---------------------------------------------------------------------------

@pytest.mark.parametrize("value, shown, what", [
    (True, "TRUE", "TRUE/FALSE"),
    (datetime(2020, 1, 1), "01/01/2020", "a date"),
    (datetime(2020, 1, 1, 9, 30), "01/01/2020 09:30:00", "a date"),
])
def test_cell_values_in_messages_are_shown_as_excel_shows_them(project, value, shown, what):
    place = set_cell(project, "Lead", value)
    result = run("check", project / "inputs" / "report.toml")
    assert result.exit_code == 1, result.output
    assert errors_of(result.stderr) == [
        f"Error: action_plan.xlsx, {place}: expected text but the cell holds {what} (found {shown!r})"]
    assert "True" not in result.stderr and "00:00:00" not in result.stderr
