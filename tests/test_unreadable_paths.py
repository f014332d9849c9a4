"""Paths the operating system itself refuses, and files that are not what their size says: each is a located
message naming the file, never a traceback, and nothing is written."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import Row, beside_workbook, errors_of, make_workbook, run, snapshot
from jtai_docs import files
from jtai_docs.errors import InvalidInputError


def test_workbook_below_an_ordinary_file_is_refused_with_the_systems_reason(tmp_path):
    """workbook = notes.txt/plan.xlsx: the system says 'Not a directory', which is neither missing nor a folder."""
    (tmp_path / "notes.txt").write_text("not a folder", encoding="utf-8")
    settings = beside_workbook(tmp_path, workbook='"notes.txt/plan.xlsx"')
    before = snapshot(tmp_path)

    result = run("build", settings)

    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx: the workbook cannot be read (Not a directory) "
        f"(looked for {tmp_path / 'notes.txt' / 'plan.xlsx'})"
    ]
    assert snapshot(tmp_path) == before


def test_a_workbook_name_longer_than_the_system_allows_is_refused_with_its_reason(tmp_path):
    name = "a" * 300 + ".xlsx"
    settings = beside_workbook(tmp_path, workbook=f'"{name}"')

    result = run("check", settings)

    assert result.exit_code == 1
    assert f"Error: {name}: the workbook cannot be read (File name too long)" in result.stderr


def test_report_below_an_ordinary_file_is_refused_before_anything_is_written(tmp_path):
    """output = plan.xlsx/report.docx: the place to write cannot exist, and the build says so instead of failing
    half-way through writing."""
    make_workbook(tmp_path / "plan.xlsx", [Row()])
    settings = beside_workbook(tmp_path, output='"plan.xlsx/report.docx"')
    before = snapshot(tmp_path)

    result = run("build", settings)

    assert result.exit_code == 1
    assert any("cannot be written (Not a directory)" in line for line in errors_of(result.stderr)), result.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's /proc")
def test_a_file_that_grows_beyond_its_limit_while_read_is_refused():
    """/proc files are ordinary files whose size reads as 0 and which hold more when read: a real file that is
    larger when read than when checked, as one being written by another program would be."""
    path = Path("/proc/self/status")
    assert path.stat().st_size == 0

    with pytest.raises(InvalidInputError) as raised:
        files.read_input_file(path, what="settings file", limit=100)

    (problem,) = raised.value.problems
    assert problem.file == "status"
    assert problem.message.startswith("the settings file grew beyond the")
    assert problem.message.endswith("while it was being read (looked for /proc/self/status)")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's /proc")
def test_a_file_that_fails_while_read_is_refused_with_the_systems_reason():
    """/proc/self/mem is an ordinary file whose first byte cannot be read (address 0 is never mapped): a real
    read error after a successful open, as a failing disk gives."""
    with pytest.raises(InvalidInputError) as raised:
        files.read_input_file(Path("/proc/self/mem"), what="workbook", limit=100)

    (problem,) = raised.value.problems
    assert problem.message == "the workbook cannot be read (Input/output error) (looked for /proc/self/mem)"
