"""Mistakes in the workbook's Themes and Status Key sheets and in its actions, each found by `check` as a located
problem naming the sheet and cell, with what was found and what is expected; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import STATUSES, THEMES, Row, beside_workbook, make_workbook
from jtai_docs.cli import main

CASES = {
    "theme number twice": (
        dict(themes=[(1, "Strategy Meetings", 1), (1, "Front Door & MASH", 2)]),
        "'Themes'!A3 (Number): this theme number is used twice (found '1')",
    ),
    "theme number as words": (
        dict(themes=[("one", "Strategy Meetings", 1), (2, "Front Door & MASH", 2)]),
        "'Themes'!A2 (Number): expected a whole number (found 'one')",
    ),
    "status twice": (
        dict(statuses=STATUSES + [("amber", "Again", 5, "Yes")]),
        "'Status Key'!A6 (Status): this status is in the key twice (found 'amber')",
    ),
    "in Table 1 neither yes nor no": (
        dict(statuses=[STATUSES[0], ("Amber", "Commenced", 2, "Maybe")]),
        "'Status Key'!D3 (In Table 1): expected Yes or No (found 'Maybe')",
    ),
    "status as TRUE": (
        dict(statuses=[STATUSES[0], (True, "Commenced", 2, "Yes")]),
        "'Status Key'!A3 (Status): expected text but the cell holds TRUE/FALSE",
    ),
    "no actions": (dict(rows=[]), "sheet 'Action Plan': the sheet lists no actions"),
    "timescale as TRUE": (
        dict(rows=[Row(ref="1.01"), Row(ref="1.02", timescale=True)]),
        "'Action Plan'!E3 (Timescale): expected a date (format the cell as a date) or text such as 'December 2018'",
    ),
}


def report_with(folder: Path, *, rows=None, themes=THEMES, statuses=STATUSES) -> Path:
    make_workbook(
        folder / "plan.xlsx",
        [Row(ref="1.01"), Row(ref="1.02", theme=2)] if rows is None else rows,
        themes=themes,
        statuses=statuses,
    )
    return beside_workbook(folder, output='"out/report.docx"')


@pytest.mark.parametrize("case", list(CASES))
def test_a_workbook_mistake_is_a_located_problem(tmp_path, case):
    changes, expected = CASES[case]
    report = report_with(tmp_path, **changes)
    result = CliRunner().invoke(main, ["check", str(report)])
    assert result.exit_code == 1, result.output
    assert expected in result.stderr
    assert "plan.xlsx" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_the_workbook_as_made_here_passes_check(tmp_path):
    result = CliRunner().invoke(main, ["check", str(report_with(tmp_path))])
    assert result.exit_code == 0, result.output
