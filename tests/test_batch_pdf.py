"""Batches: options given to build apply to every report of the batch."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from jtai_docs import pipeline
from jtai_docs.cli import main


def at_cutoff(folder: Path, cutoff: str) -> Path:
    """The example report in its own folder, at the given cutoff."""
    report = pipeline.create_report_folder(folder)[0]
    text = report.read_text(encoding="utf-8")
    report.write_text(re.sub(r"(?m)^cutoff = .*$", f"cutoff = {cutoff}", text), encoding="utf-8")
    return report


def test_strict_applies_to_every_report_of_a_batch(tmp_path):
    reports = [at_cutoff(tmp_path / name, "2018-12-28") for name in ("one", "two")]
    result = CliRunner().invoke(main, ["build", "--strict", *map(str, reports)])
    # The example report has no accessibility findings, so strict builds both.
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Built 2 of 2 report(s).\n")
    for report in reports:
        assert Path(pipeline.check_report(report).settings.output).is_file()
