"""Batches: options given to build apply to every report of the batch, and PDFs made by LibreOffice workers started
before the reports are written are the ones a build of each report makes."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from helpers import paragraphs_document, run
from jtai_docs import libreoffice, pdffile, pipeline, wordfile
from jtai_docs.cli import main


def document_title(path: Path) -> str:
    return docx.Document(str(path)).core_properties.title or ""


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
    for later in heading.runs[1:]:
        later.text = ""
    edited.save(str(template))
    result = CliRunner().invoke(main, ["build", *map(str, reports)])
    assert result.exit_code == 0, result.output
    headings = []
    for report in reports:
        output = Path(pipeline.check_report(report).settings.output)
        texts = [p.text for p in docx.Document(str(output)).paragraphs]
        headings.append([t for t in texts if t.startswith("Purpose of")])
    assert headings == [["Purpose of the Report"], ["Purpose of this Report"], ["Purpose of the Report"]]


@pytest.mark.libreoffice
def test_workers_started_first_convert_what_is_put_in_time_and_refuse_what_comes_after_they_end(tmp_path):
    document = paragraphs_document(tmp_path / "minutes.docx", ["Minutes of the meeting."])
    with libreoffice.EarlyWorkers(3, filter_name=libreoffice.ACCESSIBLE_PDF, workers=1) as workers:
        assert workers.put(1, document)  # places 0 and 2 are never filled: LibreOffice passes them by
        finished = dict(workers.finished())
        assert list(finished) == [1]  # only the place a document was put in is given back
        assert finished[1] is not None
        assert pdffile.extract_text(finished[1]) == "Minutes of the meeting."
        assert not workers.put(2, document)  # its worker has ended: the caller converts it another way
    assert not finished[1].exists()  # the working folder goes with the workers


@pytest.mark.libreoffice
def test_reports_libreoffice_passed_before_they_were_written_still_get_the_same_pdfs(tmp_path):
    """LibreOffice reaching a report's place before it is written (a slow build) is simulated by a LibreOffice
    that skips documents missing when it starts: the workers started first convert nothing, and each report is
    converted afterwards, into the same PDF as a build of its own."""
    wrapper = tmp_path / "soffice"
    wrapper.write_text(
        "#!/bin/sh\n"
        'for argument in "$@"; do case "$argument" in *.docx) [ -e "$argument" ] || exit 0;; esac; done\n'
        f'exec "{libreoffice.find_soffice()}" "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    cutoffs = ("2018-11-30", "2018-12-28")
    batch = [at_cutoff(tmp_path / "batch" / cutoff, cutoff) for cutoff in cutoffs]
    alone = [at_cutoff(tmp_path / "alone" / cutoff, cutoff) for cutoff in cutoffs]
    result = run("build", "--pdf", *batch, env={"JTAI_DOCS_SOFFICE": str(wrapper)})
    assert result.exit_code == 0, result.output
    for together, single in zip(batch, alone, strict=True):
        assert run("build", "--pdf", single).exit_code == 0
        made = Path(pipeline.check_report(together).settings.output).with_suffix(".pdf")
        assert made.read_bytes() == Path(pipeline.check_report(single).settings.output).with_suffix(".pdf").read_bytes()


@pytest.mark.libreoffice
def test_one_failing_report_among_several_with_pdfs_is_listed_and_the_others_get_checked_pdfs(tmp_path):
    first, faulty, last = (at_cutoff(tmp_path / name, "2018-12-28") for name in ("first", "faulty", "last"))
    faulty.write_text(faulty.read_text(encoding="utf-8").replace("cutoff = ", "cutoff = x", 1), encoding="utf-8")
    result = run("build", "--pdf", first, faulty, last)
    assert result.exit_code == 1
    assert f"{faulty}: not built. 1 problem must be fixed" in result.stderr
    written = [line for line in result.stdout.splitlines() if ": wrote " in line]
    for line, report in zip(written, (first, last), strict=True):  # in the order given, as before
        output = Path(pipeline.check_report(report).settings.output)
        assert line == f"{report}: wrote {output} and {output.with_suffix('.pdf')}"
        document = wordfile.read_word_document(output)
        assert pdffile.check_pdf(output.with_suffix(".pdf"), document=document, title=document_title(output)) == []
    assert result.stdout.endswith("Built 2 of 3 report(s).\n")
    assert f"Not built (1): {faulty}" in result.stderr
    assert "Without a sound PDF" not in result.stderr


@pytest.mark.libreoffice
def test_a_report_too_long_for_libreoffice_has_no_pdf_while_the_others_of_the_batch_do(tmp_path, monkeypatch):
    long, short = (at_cutoff(tmp_path / name, "2018-12-28") for name in ("long", "short"))
    short.write_text(
        short.read_text(encoding="utf-8").replace("action_plan = true", "action_plan = false"), encoding="utf-8"
    )
    rows = 1 + 5 + 108  # Appendix 2 of the example report; the report without it has no table half as long
    monkeypatch.setattr(libreoffice, "MAX_TABLE_ROWS", rows - 1)
    result = run("build", "--pdf", long, short)
    assert result.exit_code == 1
    long_output = Path(pipeline.check_report(long).settings.output)
    refused = f"{long}: no PDF was made: committee_report.docx, its longest table: a table of {rows} rows"
    assert refused in result.stderr
    assert not long_output.with_suffix(".pdf").exists()
    short_output = Path(pipeline.check_report(short).settings.output)
    assert f"{short}: wrote {short_output} and {short_output.with_suffix('.pdf')}" in result.stdout
    assert f"Without a sound PDF (1): {long}" in result.stderr


def test_without_libreoffice_every_report_of_a_batch_is_written_and_says_why_it_has_no_pdf(tmp_path):
    reports = [at_cutoff(tmp_path / name, "2018-12-28") for name in ("one", "two")]
    missing = tmp_path / "no-such-soffice"
    result = run("build", "--pdf", *reports, env={"JTAI_DOCS_SOFFICE": str(missing)})
    assert result.exit_code == 1
    for report in reports:
        output = Path(pipeline.check_report(report).settings.output)
        assert f"{report}: wrote {output}\n" in result.stdout
        assert f"{report}: no PDF was made: JTAI_DOCS_SOFFICE is set to {missing}, which is not a program" in (
            result.stderr
        )
        assert not output.with_suffix(".pdf").exists()
    assert f"Without a sound PDF (2): {reports[0]}, {reports[1]}" in result.stderr
