"""The jtai-docs command as officers use it: exact output, exit statuses, help and README."""

from __future__ import annotations

import re

import pikepdf
import pytest

from helpers import ROOT
from jtai_docs import pipeline
from jtai_docs.cli import main
from jtai_docs.display import format_table1


def test_build_with_no_arguments_builds_the_default_report_and_prints_table1(project, runner, monkeypatch):
    monkeypatch.chdir(project)
    expected_table = format_table1(pipeline.check_report(project / "inputs" / "report.toml").table1)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    output = (project / "outputs" / "committee_report.docx").resolve()
    assert result.stdout == f"{expected_table}\n\nWrote {output}\n"
    assert output.is_file()


def test_build_takes_another_report_toml(project, runner):
    result = runner.invoke(main, ["build", str(project / "inputs" / "report.toml")])
    assert result.exit_code == 0, result.output
    assert (project / "outputs" / "committee_report.docx").is_file()


def test_rebuilding_unchanged_inputs_says_the_report_is_unchanged(project, runner):
    report = str(project / "inputs" / "report.toml")
    runner.invoke(main, ["build", report])
    result = runner.invoke(main, ["build", report])
    assert result.exit_code == 0
    assert result.stdout.endswith("committee_report.docx (unchanged)\n")


def test_check_prints_table1_and_writes_nothing(project, runner, monkeypatch):
    monkeypatch.chdir(project)
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "TOTALS:" in result.stdout and result.stdout.endswith("No errors found: the report can be built.\n")
    assert not (project / "outputs").exists()


def test_a_missing_report_toml_is_a_usage_error(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the report settings file inputs/report.toml does not exist")
    assert "Traceback" not in result.output


COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert re.search(rf"Example:\s+jtai-docs {command}\b", result.output)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"jtai-docs {command}" in readme


def test_an_unknown_option_is_a_usage_error(runner):
    result = runner.invoke(main, ["build", "--colour"])
    assert result.exit_code == 2
    assert re.search(r"No such option:? '?--colour", result.output)  # click 8.4 started quoting the option


def test_build_after_a_change_keeps_the_earlier_report_and_prints_what_changed(project, runner):
    report = project / "inputs" / "report.toml"
    runner.invoke(main, ["build", str(report)])
    text = report.read_text(encoding="utf-8").replace(
        'background_papers = "None"', 'background_papers = "Ofsted letter"'
    )
    report.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["build", str(report)])
    assert result.exit_code == 0, result.output
    [kept] = (project / "outputs" / "history").iterdir()
    assert result.stdout.splitlines()[-3:] == [
        f"The earlier version is kept as {kept}",
        "1 difference between the earlier version and this build:",
        '  the paragraph "Ofsted letter" (Background papers): "None" -> "Ofsted letter"',
    ]


@pytest.mark.libreoffice
def test_build_pdf_makes_a_tagged_accessible_pdf(project, runner):
    result = runner.invoke(main, ["build", "--pdf", str(project / "inputs" / "report.toml")])
    assert result.exit_code == 0, result.output
    pdf = project / "outputs" / "committee_report.pdf"
    assert result.stdout.endswith(f"Wrote {pdf}\n")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/StructTreeRoot" in data, "tagged, so screen readers get headings, lists and tables"
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == "en-GB"
    assert b"pdfuaid:part" in data, "declares PDF/UA conformance"
    settings = pipeline.check_report(project / "inputs" / "report.toml").settings
    assert settings.title.encode("utf-8") in data, "the title is in the PDF's metadata"
