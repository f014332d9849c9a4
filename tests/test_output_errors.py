"""A report that cannot be written is a specific error with a message an officer can act on, and nothing is left
half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import ROOT, write_settings
from jtai_docs import pipeline
from jtai_docs.cli import main
from jtai_docs.errors import OutputWriteError

# The kernel's own folder: no one, root included, can make a folder in it, yet nothing there stops the check.
UNWRITABLE = Path("/sys/jtai-docs-test")


def report_into_an_unwritable_folder(project) -> Path:
    return write_settings(project / "inputs", source=ROOT / "inputs" / "report.toml",
                          changes={"output": f'"{UNWRITABLE.as_posix()}/committee_report.docx"'})


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
