"""--quiet with a redline on standard output: the redline alone, no summary, and the exit status says it differs."""

from __future__ import annotations

from helpers import run, two_versions
from jtai_docs import pipeline


def test_quiet_diff_to_standard_output_prints_only_the_redline(project, tmp_path):
    old, new = two_versions(project / "inputs" / "report.toml", tmp_path)
    result = run("--quiet", "diff", old, new, "-o", "-")
    assert result.exit_code == 1  # they differ
    assert result.stderr == ""
    changes, redline = pipeline.compare_reports_to_bytes(old, new)
    assert changes and result.stdout_bytes == redline
