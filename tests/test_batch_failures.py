"""A batch that goes partly wrong: each report's own outcome is said, the others are still built, the exit status
is 1; and the refusals of init and of oversized inputs, located."""

from __future__ import annotations

import os
from pathlib import Path

import docx

from helpers import errors_of, run, snapshot
from jtai_docs import pipeline
from jtai_docs.wordfile import MAX_DOCUMENT_BYTES


def example(folder: Path) -> Path:
    return pipeline.create_report_folder(folder)[0]


def test_a_batch_whose_pdfs_cannot_be_made_still_writes_every_report_and_says_so(tmp_path):
    reports = [example(tmp_path / name) for name in ("one", "two")]
    # A LibreOffice that converts nothing and exits 1.
    result = run("build", "--pdf", *reports, env={"JTAI_DOCS_SOFFICE": "false"})
    assert result.exit_code == 1
    for report in reports:
        output = Path(pipeline.check_report(report).settings.output)
        assert docx.Document(str(output)).paragraphs, output  # the Word report is written and opens
        assert not output.with_suffix(".pdf").exists()
        assert f"{report}: wrote {output}\n" in result.stdout
        assert f"{report}: no PDF was made: " in result.stderr
    assert "\nBuilt 2 of 2 report(s)." in result.stdout
    assert f"Without a sound PDF (2): {reports[0]}, {reports[1]}" in result.stderr


def test_a_report_with_wrong_settings_is_listed_while_the_others_are_built(tmp_path):
    good, bad = example(tmp_path / "good"), example(tmp_path / "bad")
    bad.write_text(bad.read_text(encoding="utf-8").replace("cutoff = ", "cutoff = x", 1), encoding="utf-8")
    result = run("build", good, bad)
    assert result.exit_code == 1
    assert Path(pipeline.check_report(good).settings.output).is_file()
    assert not (tmp_path / "bad" / "outputs").exists()
    assert f"{bad}: not built. 1 problem must be fixed" in result.stderr
    assert "report.toml, line " in result.stderr  # located
    assert "\nBuilt 1 of 2 report(s)." in result.stdout
    assert f"Not built (1): {bad}" in result.stderr


def test_init_refuses_a_file_where_the_folder_should_be(tmp_path):
    (tmp_path / "report").write_text("notes", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("init", tmp_path / "report")
    assert result.exit_code == 2
    assert f"Error: Invalid value for 'FOLDER': Directory '{tmp_path / 'report'}' is a file." in result.stderr
    assert snapshot(tmp_path) == before


def test_a_report_toml_larger_than_any_real_one_is_refused_before_it_is_read(tmp_path):
    settings = tmp_path / "report.toml"
    with settings.open("wb") as file:  # 5 MB with no disk used: a sparse file
        file.truncate(5 * 1024 * 1024)
    result = run("check", settings)
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: report.toml: the report settings file is 5 MB, larger than the 1 MB a report settings file can "
        f"reasonably be (looked for {settings})"
    ]


def test_a_workbook_larger_than_any_real_one_is_refused_before_it_is_opened(tmp_path):
    report = example(tmp_path / "r")
    workbook = Path(pipeline.check_report(report).settings.workbook)
    os.truncate(workbook, 300 * 1024 * 1024)  # sparse: the size is what is checked
    result = run("check", report)
    assert result.exit_code == 1
    assert "is 300 MB, larger than the 200 MB a workbook can reasonably be" in result.stderr, result.stderr
    assert workbook.name in result.stderr


def test_a_word_document_larger_than_any_real_one_is_refused_before_it_is_opened(tmp_path):
    document = tmp_path / "huge.docx"
    with document.open("wb") as file:  # sparse
        file.truncate(MAX_DOCUMENT_BYTES + 100 * 2**20)
    result = run("text", document)
    assert result.exit_code == 2  # as text refuses a damaged document
    assert errors_of(result.stderr) == [
        f"Error: huge.docx: the Word document is {MAX_DOCUMENT_BYTES // 2**20 + 100} MB, larger than the "
        f"{MAX_DOCUMENT_BYTES // 2**20} MB a Word document can reasonably be (looked for {document})"
    ]


def test_a_document_just_over_the_limit_is_never_said_to_be_the_limit(tmp_path):
    """Rounded to whole MB both sizes would read alike ("200 MB, larger than the 200 MB"): the sizes are shown
    with the decimals it takes to tell them apart, or in bytes."""
    cases = {
        MAX_DOCUMENT_BYTES + 2**20 // 10: (
            f"{(MAX_DOCUMENT_BYTES + 2**20 // 10) / 2**20:.1f} MB",
            f"{MAX_DOCUMENT_BYTES / 2**20:.1f} MB",
        ),
        MAX_DOCUMENT_BYTES + 1: (f"{MAX_DOCUMENT_BYTES + 1:,} bytes", f"{MAX_DOCUMENT_BYTES:,} bytes"),
    }
    for size, (shown, limit) in cases.items():
        document = tmp_path / "near.docx"
        with document.open("wb") as file:  # sparse
            file.truncate(size)
        result = run("text", document)
        assert result.exit_code == 2
        assert errors_of(result.stderr) == [
            f"Error: near.docx: the Word document is {shown}, larger than the {limit} a Word document can "
            f"reasonably be (looked for {document})"
        ]
        assert shown != limit
