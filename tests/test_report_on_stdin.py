"""`check -` and `build -`: report.toml piped in (from git show, another tool), its files found from the current folder,
and "standard input" named wherever a message would name the file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, run, snapshot
from jtai_docs import pipeline
from jtai_docs.display import format_table1


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A report folder whose report.toml names its files from the folder itself (inputs/..., templates/...)."""
    for name in ("inputs", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name)
    text = (ROOT / "inputs" / "report.toml").read_text(encoding="utf-8")
    for key, value in (
        ("template", "templates/committee_report.docx"),
        ("workbook", "inputs/action_plan.xlsx"),
        ("output", "outputs/committee_report.docx"),
    ):
        old = next(line for line in text.splitlines() if line.startswith(f"{key} = "))
        text = text.replace(old, f'{key} = "{value}"')
    (tmp_path / "report.toml").write_text(text, encoding="utf-8")
    return tmp_path


def piped(*args: str, text: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """jtai-docs as its own process, run in cwd with text on its standard input, as a shell pipe gives it."""
    result = subprocess.run(
        [sys.executable, "-m", "jtai_docs", *args], input=text, capture_output=True, text=True, cwd=cwd, timeout=300
    )
    assert "Traceback" not in result.stderr and "failed unexpectedly" not in result.stderr, result.stderr
    return result


def settings_text(folder: Path, old: str, new: str) -> str:
    text = (folder / "report.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_check_reads_report_toml_from_standard_input_finding_its_files_from_the_current_folder(folder):
    # report.toml sits in a subfolder here, but its paths are relative to the current folder, where it is piped in.
    (folder / "elsewhere").mkdir()
    moved = (folder / "report.toml").rename(folder / "elsewhere" / "report.toml")
    result = piped("check", "-", text=moved.read_text(encoding="utf-8"), cwd=folder)
    assert result.returncode == 0, result.stderr
    expected = pipeline.check_report(moved, relative_to=folder).table1
    assert result.stdout.startswith(format_table1(expected))
    assert "No errors found: the report can be built." in result.stdout


def test_build_from_standard_input_writes_the_same_report_as_from_the_file(folder):
    from_file = run("build", folder / "report.toml")
    assert from_file.exit_code == 0, from_file.output
    report = folder / "outputs" / "committee_report.docx"
    expected = report.read_bytes()
    shutil.rmtree(folder / "outputs")

    result = piped("build", "-", text=(folder / "report.toml").read_text(encoding="utf-8"), cwd=folder)
    assert result.returncode == 0, result.stderr
    assert f"Wrote {report}" in result.stdout
    assert report.read_bytes() == expected


def test_every_message_about_piped_settings_names_standard_input(folder):
    text = settings_text(folder, "cutoff = 2018-12-31", "cutoff = 31/12/2018")
    before = snapshot(folder)
    for command in ("check", "build"):
        result = piped(command, "-", text=text, cwd=folder)
        assert result.returncode == 1
        assert "Error: standard input, line 9, column 12: this is not valid TOML" in result.stderr, result.stderr
        assert "jtai-docs-stdin-" not in result.stderr and "standard input.toml" not in result.stderr
    assert snapshot(folder) == before  # nothing written


def test_a_missing_workbook_is_looked_for_in_the_current_folder(folder):
    text = settings_text(folder, 'workbook = "inputs/action_plan.xlsx"', 'workbook = "plan.xlsx"')
    result = piped("check", "-", text=text, cwd=folder)
    assert result.returncode == 1
    assert f"Error: plan.xlsx: the workbook does not exist (looked for {folder / 'plan.xlsx'})" in result.stderr


def test_check_json_names_standard_input_as_the_report_and_the_file(folder):
    text = settings_text(folder, 'title = "', 'titel = "')
    result = piped("check", "--format", "json", "-", text=text, cwd=folder)
    assert result.returncode == 1
    found = json.loads(result.stdout)
    assert found["report"] == "standard input"
    assert {problem["file"] for problem in found["problems"]} == {"standard input"}
    assert any("titel" in problem["place"] for problem in found["problems"]), found


def test_standard_input_is_the_only_report_of_a_build(folder):
    result = run("build", "-", folder / "report.toml", input="")
    assert result.exit_code == 2
    assert "Error: - (report.toml on standard input) builds one report: give it as the only REPORT" in result.stderr


@pytest.mark.parametrize("command", ["check", "build"])
def test_help_says_what_a_dash_means(command):
    result = run(command, "--help")
    assert "REPORT - reads report.toml from standard input; the files it names are then found from the current" in (
        " ".join(result.output.split())
    )
