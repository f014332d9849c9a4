"""When LibreOffice takes too long, and when jtai-docs itself fails: the officer is told what happened, nothing
half-made is left behind, and the exit status says which kind of failure it was."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from helpers import errors_of, paragraphs_document, snapshot
from jtai_docs import libreoffice, pipeline
from jtai_docs.cli import INTERNAL_ERROR, main
from jtai_docs.errors import ProgramFailedError


@pytest.mark.libreoffice
def test_pdf_that_takes_longer_than_allowed_is_reported_and_no_pdf_is_written(tmp_path, monkeypatch):
    """Real LibreOffice given a hundredth of a second, which no start of it can meet: the batch time-out path."""
    document = paragraphs_document(tmp_path / "minutes.docx", ["Minutes of the meeting."])
    monkeypatch.setattr(libreoffice, "START_SECONDS", 0)
    monkeypatch.setattr(libreoffice, "SECONDS_PER_DOCUMENT", 0.01)
    before = snapshot(tmp_path)

    result = CliRunner().invoke(main, ["pdf", str(document)])

    assert result.exit_code == 1, result.output
    assert errors_of(result.stderr) == [
        "Error: LibreOffice did not finish converting minutes.docx within 0.01 seconds; output so far: nothing"
    ]
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before  # no PDF, whole or part, beside the document


@pytest.mark.libreoffice
def test_single_conversion_that_takes_longer_than_allowed_is_reported_and_no_target_is_written(tmp_path, monkeypatch):
    """The one-document conversion (the web server's fallback) given a hundredth of a second by real LibreOffice."""
    document = paragraphs_document(tmp_path / "minutes.docx", ["Minutes of the meeting."])
    monkeypatch.setattr(libreoffice, "TIMEOUT", 0.01)

    with pytest.raises(ProgramFailedError) as raised:
        libreoffice.convert_document(document, tmp_path / "out" / "minutes.pdf", filter_name=libreoffice.ACCESSIBLE_PDF)

    assert raised.value.message.startswith("LibreOffice did not finish converting minutes.docx within 0.01 seconds")
    assert not (tmp_path / "out").exists()


@pytest.mark.libreoffice
def test_single_conversion_lets_a_document_through_when_there_is_time(tmp_path):
    """The same conversion with the usual time allowed gives the PDF, so the time-out above is the only difference."""
    document = paragraphs_document(tmp_path / "minutes.docx", ["Minutes of the meeting."])

    target = libreoffice.convert_document(document, tmp_path / "out" / "minutes.pdf", filter_name="pdf")

    assert target.read_bytes().startswith(b"%PDF-")


def test_a_fault_in_jtai_docs_itself_is_reported_plainly_with_its_own_status(tmp_path, monkeypatch):
    """No input makes jtai-docs fail unexpectedly (that would be a bug to fix), so the fault is simulated by making
    the text stage raise an error no stage raises; this is the only way to reach the CLI's last-resort handler."""
    document = paragraphs_document(tmp_path / "minutes.docx", ["Minutes of the meeting."])

    def broken(path):
        raise RuntimeError("the reader broke")

    monkeypatch.setattr(pipeline, "document_text", broken)
    monkeypatch.delenv("JTAI_DOCS_DEBUG", raising=False)

    result = CliRunner().invoke(main, ["text", str(document)])

    assert result.exit_code == INTERNAL_ERROR == 70
    assert errors_of(result.stderr) == [
        "Error: jtai-docs failed unexpectedly (RuntimeError: the reader broke). This is a fault in jtai-docs, "
        "not in your files; please report it. Set JTAI_DOCS_DEBUG=1 to see the details."
    ]
    assert "Traceback" not in result.output

    debugged = CliRunner(env={"JTAI_DOCS_DEBUG": "1"}).invoke(main, ["text", str(document)])
    assert isinstance(debugged.exception, RuntimeError)  # the details, for whoever fixes it
    assert str(debugged.exception) == "the reader broke"


def _timed_out(monkeypatch) -> None:
    monkeypatch.setattr(libreoffice, "START_SECONDS", 0)
    monkeypatch.setattr(libreoffice, "SECONDS_PER_DOCUMENT", 0.01)


@pytest.mark.libreoffice
def test_build_whose_pdf_times_out_keeps_the_report_says_no_pdf_and_fails(tmp_path, monkeypatch):
    """build --pdf with real LibreOffice given no time: the report is written, the PDF is not, and the exit status
    says the whole job did not succeed."""
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(tmp_path / "paper")]).exit_code == 0
    _timed_out(monkeypatch)

    result = runner.invoke(main, ["build", "--pdf", str(tmp_path / "paper" / "report.toml")])

    assert result.exit_code == 1, result.output
    assert any(
        line.startswith("Error: no PDF was made: LibreOffice did not finish converting")
        for line in errors_of(result.stderr)
    ), result.stderr
    assert "Traceback" not in result.output
    written = list((tmp_path / "paper").rglob("*.docx"))
    assert any(path.parent.name == "outputs" for path in written)
    assert not list((tmp_path / "paper").rglob("*.pdf"))


@pytest.mark.libreoffice
def test_batch_whose_pdfs_time_out_names_each_report_without_a_pdf(tmp_path, monkeypatch):
    runner = CliRunner()
    for name in ("cabinet", "scrutiny"):
        assert runner.invoke(main, ["init", str(tmp_path / name)]).exit_code == 0
    _timed_out(monkeypatch)

    result = runner.invoke(
        main, ["build", "--pdf", str(tmp_path / "cabinet" / "report.toml"), str(tmp_path / "scrutiny" / "report.toml")]
    )

    assert result.exit_code == 1, result.output
    for name in ("cabinet", "scrutiny"):
        assert f"{tmp_path / name / 'report.toml'}: no PDF was made: LibreOffice did not finish" in result.stderr
    assert not list(tmp_path.rglob("*.pdf"))
