"""`-` for standard input in diff: one version piped in (from git show, an e-mail tool, a download), the other named."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from helpers import Row, make_workbook, two_versions
from jtai_docs import pipeline
from jtai_docs.cli import main
from jtai_docs.display import changes_as_json, format_changes


@pytest.fixture
def two_reports(project, tmp_path) -> tuple[Path, Path]:
    """Two built versions of the report: the second names a background paper the first does not."""
    return two_versions(project / "inputs" / "report.toml", tmp_path)


def test_diff_reads_the_old_report_from_standard_input(two_reports, runner):
    old, new = two_reports
    result = runner.invoke(main, ["diff", "-", str(new)], input=old.read_bytes())
    assert result.exit_code == 1, result.output
    changes = pipeline.compare_reports(old, new)
    assert changes
    # The same differences as with the file named, shown as coming from standard input.
    assert result.stdout == format_changes(changes, old="standard input", new=str(new)) + "\n"


def test_diff_reads_the_new_report_from_standard_input_and_writes_its_redline(two_reports, runner, tmp_path):
    old, new = two_reports
    redline = tmp_path / "redline.docx"
    result = runner.invoke(
        main, ["diff", "--format", "json", str(old), "-", "-o", str(redline)], input=new.read_bytes()
    )
    assert result.exit_code == 1, result.output
    assert (
        result.stdout == changes_as_json(pipeline.compare_reports(old, new), old=str(old), new="standard input") + "\n"
    )
    # The redline reads, with its changes accepted, as the piped version does.
    assert pipeline.document_text(redline) == pipeline.document_text(new)


def test_diff_of_a_piped_workbook_in_a_real_pipe(tmp_path):
    old = make_workbook(tmp_path / "january.xlsx", [Row(ref="1.01", status="Amber"), Row(ref="1.02")])
    new = make_workbook(tmp_path / "february.xlsx", [Row(ref="1.01", status="Green"), Row(ref="1.02")])
    result = subprocess.run(
        [sys.executable, "-m", "jtai_docs", "diff", str(old), "-", "--cutoff", "2019-01-31"],
        input=new.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr.decode()
    changes = pipeline.compare_workbooks(old, new, cutoff=date(2019, 1, 31))
    assert changes
    assert result.stdout.decode() == format_changes(changes, old=str(old), new="standard input") + "\n"
    assert result.stderr == b""


def test_diff_of_identical_piped_and_named_workbooks_exits_zero(tmp_path):
    plan = make_workbook(tmp_path / "plan.xlsx", [Row(ref="1.01", timescale=datetime(2019, 3, 31))])
    result = subprocess.run(
        [sys.executable, "-m", "jtai_docs", "diff", "-", str(plan), "--cutoff", "2019-01-31"],
        input=plan.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode() == format_changes((), old="standard input", new=str(plan)) + "\n"


def test_diff_refuses_both_versions_from_standard_input(runner):
    result = runner.invoke(main, ["diff", "-", "-"], input=b"")
    assert result.exit_code == 2
    assert "only one of OLD and NEW can be - (standard input)" in result.stderr
    assert "Traceback" not in result.output


def test_diff_names_standard_input_when_what_is_piped_is_not_a_word_document(two_reports, runner):
    old, _ = two_reports
    result = runner.invoke(main, ["diff", str(old), "-"], input=b"Dear Committee,\nplease find attached...\n")
    assert result.exit_code == 2
    assert "standard input" in result.stderr
    assert "jtai-docs-stdin" not in result.stderr  # never the temporary file's name
    assert "Traceback" not in result.output


def test_diff_help_says_how_to_pipe_a_version(runner):
    result = runner.invoke(main, ["diff", "--help"])
    assert result.exit_code == 0
    assert "OLD or NEW (one of them) - reads that version from standard input" in result.output


def test_text_names_standard_input_when_what_is_piped_is_not_a_word_document(runner):
    result = runner.invoke(main, ["text", "-"], input=b"%PDF-1.7 not a Word document")
    assert result.exit_code != 0
    assert result.stderr.startswith("Error: standard input is not a Word document")
    assert "jtai-docs-" not in result.stderr
