"""Command-line conventions scripts and other tools rely on: -, JSON problems, --quiet, help, batches."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import docx

from helpers import Row, beside_workbook, make_workbook, two_versions
from jtai_docs import pipeline
from jtai_docs.cli import main
from jtai_docs.display import format_changes


def bad_report(folder: Path) -> Path:
    """A report whose workbook has a mistyped status, so check and build find a located problem."""
    folder.mkdir(parents=True, exist_ok=True)
    make_workbook(folder / "plan.xlsx", [Row(ref="1.01"), Row(ref="1.02", status="Gren")])
    return beside_workbook(folder)


def test_main_help_lists_every_command_in_full_with_the_exit_statuses(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    listing = result.output.split("Commands:\n")[1]
    for name in main.commands:
        line = next(line for line in listing.splitlines() if line.strip().startswith(name + " "))
        assert not line.rstrip().endswith("..."), f"the summary of {name} is cut off: {line!r}"
    assert "Exit status: 0 success; 1 the inputs have problems" in result.output
    assert "_JTAI_DOCS_COMPLETE=bash_source jtai-docs" in result.output


def test_quiet_build_prints_nothing_but_writes_the_report(project, runner):
    result = runner.invoke(main, ["--quiet", "build", str(project / "inputs" / "report.toml")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert (project / "outputs" / "committee_report.docx").is_file()


def test_quiet_check_still_prints_the_problems(tmp_path, runner):
    report = bad_report(tmp_path)
    result = runner.invoke(main, ["-q", "check", str(report)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Gren" in result.stderr


def test_check_json_gives_the_same_problem_records(tmp_path, runner):
    report = bad_report(tmp_path)
    result = runner.invoke(main, ["check", "--format", "json", str(report)])
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    expected = pipeline.check_problems(report)
    assert printed["ok"] is False and printed["errors"] >= 1
    assert [
        (r["file"], r["place"], r["found"], r["expected"], r["severity"], r["message"]) for r in printed["problems"]
    ] == [(p.file, p.place, p.found, p.suggestion, p.severity.value, p.message) for p in expected]
    # The mistyped status is on the second action's row, under the header row.
    assert {
        "file": "plan.xlsx",
        "place": "'Action Plan'!F3 (Status)",
        "expected": "did you mean 'Green'?",
        "severity": "error",
    }.items() <= printed["problems"][0].items()


def test_check_json_of_good_inputs_says_ok(project, runner):
    result = runner.invoke(main, ["check", "--format", "json", str(project / "inputs" / "report.toml")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True


def test_text_reads_standard_input(project, runner):
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    result = runner.invoke(main, ["text", "-"], input=built.read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout == pipeline.document_text(built)


def test_diff_writes_the_redline_to_standard_output(project, runner, tmp_path):
    old, new = two_versions(project / "inputs" / "report.toml", tmp_path)
    result = runner.invoke(main, ["diff", str(old), str(new), "-o", "-"])
    assert result.exit_code == 1, result.stderr
    changes = pipeline.compare_reports(old, new)
    assert result.stderr == format_changes(changes, old=str(old), new=str(new)) + "\n"
    redline = tmp_path / "redline.docx"
    redline.write_bytes(result.stdout_bytes)
    # Word sees the change as tracked: accepting it gives the new version's text.
    assert docx.Document(io.BytesIO(result.stdout_bytes)).element.body.xpath(".//w:ins")
    assert pipeline.document_text(redline) == pipeline.document_text(new)


def batch(folder: Path) -> tuple[Path, Path, Path]:
    """Two good report folders and one with a problem, side by side in folder."""
    good = [pipeline.create_report_folder(folder / name)[0] for name in ("april", "march")]
    return good[0], good[1], bad_report(folder / "broken")


def test_a_batch_builds_every_good_report_and_lists_the_failing_one(tmp_path, runner):
    april, march, broken = batch(tmp_path / "updates")
    result = runner.invoke(main, ["build", str(tmp_path / "updates")])
    assert result.exit_code == 1
    for report in (april, march):
        assert (report.parent / "outputs" / "committee_report.docx").is_file()
    assert not (broken.parent / "outputs").exists()
    lines = result.stdout.splitlines()
    assert lines == [
        f"{april}: wrote {(april.parent / 'outputs' / 'committee_report.docx').resolve()}",
        f"{march}: wrote {(march.parent / 'outputs' / 'committee_report.docx').resolve()}",
        "",
        "Built 2 of 3 report(s).",
    ]
    assert f"{broken}: not built." in result.stderr
    assert "'Gren'" in result.stderr
    assert result.stderr.rstrip().endswith(f"Not built (1): {broken}")
    assert "Building reports" not in result.output


def test_a_batch_of_named_reports_that_all_build_exits_zero(tmp_path, runner):
    april, march, _ = batch(tmp_path)
    result = runner.invoke(main, ["build", str(april), str(march)])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Built 2 of 2 report(s).\n")


def test_a_batch_shows_a_progress_bar_on_a_terminal_only(tmp_path):
    april, march, _ = batch(tmp_path)
    command = [sys.executable, "-m", "jtai_docs", "build", str(april), str(march)]
    piped = subprocess.run(command, capture_output=True, text=True, timeout=300)
    primary, secondary = pty.openpty()
    with_terminal = subprocess.run(command, stdout=subprocess.PIPE, stderr=secondary, text=True, timeout=300)
    os.close(secondary)
    terminal = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        terminal += chunk
    os.close(primary)
    assert piped.returncode == with_terminal.returncode == 0
    assert "Building reports" not in piped.stderr
    assert re.search(rb"Building reports.*100%", terminal)
    # What goes to a pipe is the same either way; "(unchanged)" because the second run rebuilt the same bytes.
    assert with_terminal.stdout == piped.stdout.replace(".docx\n", ".docx (unchanged)\n")


def test_a_batch_never_overwrites_a_report_it_has_just_built(tmp_path, runner):
    first = pipeline.create_report_folder(tmp_path / "april")[0]
    second = tmp_path / "april" / "copy.toml"
    second.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(main, ["build", str(first), str(second)])
    assert result.exit_code == 1
    output = pipeline.check_report(first).settings.output
    assert f"{second}: not built. its output {output} is the report {first} has just built" in result.stderr
    assert result.stdout.endswith("Built 1 of 2 report(s).\n")
    assert not (tmp_path / "april" / "outputs" / "history").exists()
