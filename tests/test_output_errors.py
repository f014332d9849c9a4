"""A report that cannot be written is a specific error with a message an officer can act on, and nothing is left
half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import ROOT, two_versions, write_settings
from jtai_docs import pipeline
from jtai_docs.cli import main
from jtai_docs.errors import OutputWriteError

# The kernel's own folder: no one, root included, can make a folder in it, yet nothing there stops the check.
UNWRITABLE = Path("/sys/jtai-docs-test")


def report_into_an_unwritable_folder(project) -> Path:
    return write_settings(
        project / "inputs",
        source=ROOT / "inputs" / "report.toml",
        changes={"output": f'"{UNWRITABLE.as_posix()}/committee_report.docx"'},
    )


def test_an_output_folder_that_cannot_be_made_is_an_output_error_naming_it(project):
    report = report_into_an_unwritable_folder(project)
    with pytest.raises(OutputWriteError) as raised:
        pipeline.build_report(report)
    assert raised.value.message.startswith(f"could not create the folder {UNWRITABLE}: ")
    assert not UNWRITABLE.exists()


def test_the_command_says_so_and_exits_one(project):
    report = report_into_an_unwritable_folder(project)
    result = CliRunner().invoke(main, ["build", str(report)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: could not create the folder {UNWRITABLE}: ")
    assert "Traceback" not in result.output


def test_a_lock_file_that_cannot_be_made_is_an_output_error_naming_it(project):
    lock = project / "outputs" / ".jtai-docs.lock"
    lock.mkdir(parents=True)  # a folder where the lock file goes
    result = CliRunner().invoke(main, ["build", str(project / "inputs" / "report.toml")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: could not create the lock file {lock}: ")
    assert not (project / "outputs" / "committee_report.docx").exists()


def test_a_record_of_builds_that_lists_no_reports_by_name_is_refused_with_the_way_out(project):
    record = project / "outputs" / ".jtai-docs-builds.json"
    record.parent.mkdir()
    record.write_text('["committee_report.docx"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(project / "inputs" / "report.toml")])
    assert result.exit_code == 1
    assert "is damaged (it does not list reports by name); delete" in result.stderr
    assert str(record) in result.stderr
    assert not (project / "outputs" / "committee_report.docx").exists()


def test_a_redline_that_cannot_be_written_is_an_output_error(project, tmp_path):
    old, new = two_versions(project / "inputs" / "report.toml", tmp_path)
    with pytest.raises(OutputWriteError) as raised:
        pipeline.compare_reports(old, new, redline_path=UNWRITABLE.parent / "redline.docx")
    assert raised.value.message.startswith(f"could not write {UNWRITABLE.parent / 'redline.docx'}: ")
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "-o", str(UNWRITABLE.parent / "redline.docx")])
    assert result.exit_code == 2
    assert "If it is open in another program, close it and try again." in result.stderr
