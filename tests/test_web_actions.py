"""`jtai-docs actions`: the actions behind any Table 1 figure, the same answer the web page's links give."""

from __future__ import annotations

import calendar
import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from jtai_docs import pipeline
from jtai_docs.cli import main


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _workbook_rows(report: Path) -> list[dict]:
    """The Action Plan rows straight from the workbook, read here without jtai-docs."""
    book = openpyxl.load_workbook(report.parent / "action_plan.xlsx", read_only=True)
    try:
        rows = list(book["Action Plan"].iter_rows(values_only=True))
    finally:
        book.close()  # a read-only workbook keeps its file open until closed
    header_index = next(i for i, row in enumerate(rows) if row and "Ref" in row)
    headers = rows[header_index]
    return [dict(zip(headers, row, strict=False)) for row in rows[header_index + 1 :] if row and row[0] is not None]


def _timescale(value) -> date:
    """A timescale as the README documents them: a date, day-first text, or a month meaning its last day."""
    if isinstance(value, datetime):
        return value.date()
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        month = datetime.strptime(value, "%B %Y")
        return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def test_amber_due_lists_exactly_the_actions_in_table1s_amber_total(project: Path):
    report = project / "inputs" / "report.toml"
    checked = pipeline.check_report(report)
    status, out, _ = _run("actions", str(report), "--status", "Amber", "--due", "--format", "json")
    assert status == 0
    listed = json.loads(out)
    assert len(listed) == checked.table1.count("Amber")
    expected = {
        str(row["Ref"])
        for row in _workbook_rows(report)
        if row["Status"] == "Amber" and _timescale(row["Timescale"]) <= checked.settings.cutoff
    }
    assert {record["Ref"] for record in listed} == expected
    assert {record["Status"] for record in listed} == {"Amber"}


def test_every_table1_figure_is_the_number_of_actions_listed_behind_it(project: Path):
    report = project / "inputs" / "report.toml"
    table1 = pipeline.check_report(report).table1
    for row in table1.rows:
        for status, figure in zip(table1.statuses, row.counts, strict=True):
            _, found = pipeline.list_actions(report, theme=str(row.theme.number), status=status.label)
            assert len(found) == figure, (row.theme.name, status.label)
    _, due = pipeline.list_actions(report)
    assert len(due) == table1.total


def test_all_lists_every_action_and_csv_opens_as_a_table(project: Path):
    report = project / "inputs" / "report.toml"
    status, out, _ = _run("actions", str(report), "--all", "--format", "csv")
    assert status == 0
    records = list(csv.DictReader(io.StringIO(out)))
    assert [r["Ref"] for r in records] == [str(row["Ref"]) for row in _workbook_rows(report)]


def test_table_format_names_each_action_and_counts_them(project: Path):
    report = project / "inputs" / "report.toml"
    status, out, _ = _run("actions", str(report), "--theme", "front door & mash", "--status", "green")
    _, found = pipeline.list_actions(report, theme="2", status="Green")
    assert status == 0
    assert out.splitlines()[0].split()[:3] == ["Ref", "Theme", "Action"]
    for action in found:
        assert any(line.startswith(action.reference + " ") for line in out.splitlines())
    assert out.splitlines()[-1] == f"{len(found)} actions"


def test_an_unknown_status_or_theme_is_a_usage_error_naming_the_choices(project: Path):
    report = project / "inputs" / "report.toml"
    status, _, err = _run("actions", str(report), "--status", "Amberr")
    assert status == 2
    assert "did you mean 'Amber'?" in err and "Green, Amber, Yellow" in err
    status, _, err = _run("actions", str(report), "--theme", "9")
    assert status == 2
    assert "no theme '9'" in err and "2 (Front Door & MASH)" in err
    assert "Traceback" not in err
