"""Commands asked for something they cannot do say so plainly with exit status 2, and write nothing."""

from __future__ import annotations

import io
import json

import docx

from helpers import Row, make_workbook, two_versions
from jtai_docs import cli, pipeline
from jtai_docs.cli import main
from jtai_docs.display import changes_as_json


def test_a_redline_of_workbooks_is_refused(runner, tmp_path):
    old = make_workbook(tmp_path / "old.xlsx", [Row(ref="1.01")])
    new = make_workbook(tmp_path / "new.xlsx", [Row(ref="1.01", status="Amber")])
    result = runner.invoke(
        main, ["diff", str(old), str(new), "-o", str(tmp_path / "redline.docx"), "--cutoff", "2019-01-31"]
    )
    assert result.exit_code == 2
    assert "a redline (-o) is made from two Word reports (.docx), not from workbooks" in result.stderr
    assert not (tmp_path / "redline.docx").exists()


def test_a_report_and_a_workbook_cannot_be_compared(runner, project, tmp_path):
    report = pipeline.build_report(project / "inputs" / "report.toml").written.path
    result = runner.invoke(main, ["diff", str(report), str(project / "inputs" / "action_plan.xlsx")])
    assert result.exit_code == 2
    assert "compare two Word reports (.docx) or two workbooks (.xlsx)" in result.stderr


def test_pdf_refuses_what_is_not_a_word_document(runner, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Minutes\n", encoding="utf-8")
    result = runner.invoke(main, ["pdf", str(notes)])
    assert result.exit_code == 2
    assert f"only Word documents (.docx) can be made into PDFs: {notes}" in result.stderr
    assert not notes.with_suffix(".pdf").exists()


def test_standard_input_larger_than_any_document_is_refused(runner, monkeypatch):
    monkeypatch.setattr(cli, "MAX_STDIN_BYTES", 2**20)
    result = runner.invoke(main, ["text", "-"], input=b"x" * (2**20 + 1))
    assert result.exit_code == 2
    assert "standard input holds more than 1 MB, more than a Word document can be" in result.stderr


def test_a_redline_on_standard_output_with_json_changes_on_standard_error(runner, project, tmp_path):
    old, new = two_versions(project / "inputs" / "report.toml", tmp_path)
    result = runner.invoke(main, ["diff", str(old), str(new), "-o", "-", "--format", "json"])
    assert result.exit_code == 1
    changes = pipeline.compare_reports(old, new)
    assert result.stderr == changes_as_json(changes, old=str(old), new=str(new)) + "\n"
    assert json.loads(result.stderr)["changes"]
    assert docx.Document(io.BytesIO(result.stdout_bytes)).element.body.xpath(".//w:ins")


def test_build_of_a_folder_without_report_toml_or_of_missing_paths_is_refused(runner, tmp_path):
    empty = tmp_path / "updates"
    empty.mkdir()
    result = runner.invoke(main, ["build", str(empty)])
    assert result.exit_code == 2
    assert f"the folder {empty} holds no report.toml (its subfolders are searched too)" in result.stderr
    result = runner.invoke(main, ["build", str(tmp_path / "march"), str(tmp_path / "april")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'march'}, {tmp_path / 'april'} do not exist" in result.stderr
    result = runner.invoke(main, ["build", str(tmp_path / "march")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'march'} does not exist" in result.stderr
