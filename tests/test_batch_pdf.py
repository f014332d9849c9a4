"""Batches: options given to build apply to every report of the batch."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
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


def test_strict_refuses_only_the_report_with_accessibility_findings(tmp_path):
    good, faulty = (at_cutoff(tmp_path / name, "2018-12-28") for name in ("good", "faulty"))
    template = Path(pipeline.check_report(faulty).settings.template)
    document = docx.Document(str(template))
    document.paragraphs[1].insert_paragraph_before("")  # an empty paragraph used for spacing
    document.save(str(template))
    result = CliRunner().invoke(main, ["build", "--strict", str(good), str(faulty)])
    assert result.exit_code == 1, result.output
    assert f"{faulty}: not built." in result.stderr
    assert "an empty paragraph is used for spacing" in result.stderr
    assert result.stdout.endswith("Built 1 of 2 report(s).\n")
    assert Path(pipeline.check_report(good).settings.output).is_file()
    assert not Path(pipeline.check_report(faulty).settings.output).exists()


@pytest.mark.libreoffice
def test_a_batch_makes_the_same_checked_pdfs_as_separate_builds(tmp_path):
    cutoffs = ("2018-09-30", "2018-11-30", "2018-12-28")
    batch = [at_cutoff(tmp_path / "batch" / cutoff, cutoff) for cutoff in cutoffs]
    alone = [at_cutoff(tmp_path / "alone" / cutoff, cutoff) for cutoff in cutoffs]
    result = CliRunner().invoke(main, ["build", "--pdf", *map(str, batch)])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Built 3 of 3 report(s).\n")
    for together, single in zip(batch, alone, strict=True):
        built = CliRunner().invoke(main, ["build", "--pdf", str(single)])
        assert built.exit_code == 0, built.output
        batch_pdf = Path(pipeline.check_report(together).settings.output).with_suffix(".pdf")
        single_pdf = Path(pipeline.check_report(single).settings.output).with_suffix(".pdf")
        assert f"{together}: wrote " in result.stdout and f" and {batch_pdf}" in result.stdout
        # Made together or alone, each report's PDF is the same file, and passed the same checks.
        assert batch_pdf.read_bytes() == single_pdf.read_bytes()


def test_each_report_of_a_batch_is_filled_from_its_own_template(tmp_path):
    """Templates are compiled once per process and reused: a report never gets another report's wording."""
    reports = [at_cutoff(tmp_path / name, "2018-12-31") for name in ("first", "edited", "third")]
    template = reports[1].parent / "templates" / "committee_report.docx"
    edited = docx.Document(str(template))
    heading = next(p for p in edited.paragraphs if p.text == "Purpose of the Report")
    heading.runs[0].text = "Purpose of this Report"
    for run in heading.runs[1:]:
        run.text = ""
    edited.save(str(template))
    result = CliRunner().invoke(main, ["build", *map(str, reports)])
    assert result.exit_code == 0, result.output
    headings = []
    for report in reports:
        output = Path(pipeline.check_report(report).settings.output)
        texts = [p.text for p in docx.Document(str(output)).paragraphs]
        headings.append([t for t in texts if t.startswith("Purpose of")])
    assert headings == [["Purpose of the Report"], ["Purpose of this Report"], ["Purpose of the Report"]]
