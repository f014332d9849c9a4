"""The web pages' downloads and their "not found" answers: files come back byte for byte as built, and a report,
file or redline that does not exist (yet) is a plain 404, never an error page or someone else's file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from jtai_docs import pipeline
from jtai_docs.web import WebConfig, create_app, name_reports


@pytest.fixture
def web(project: Path):
    app = create_app(WebConfig(reports=name_reports([project / "inputs" / "report.toml"]), max_upload=2 * 2**20))
    client = app.test_client()
    client.project = project
    yield client
    app.extensions["jtai_docs"].libreoffice.close()


def rebuilt_with_a_change(project: Path) -> tuple[Path, Path]:
    """The report built twice, the second time with other background papers: (the earlier build kept, current)."""
    report = project / "inputs" / "report.toml"
    pipeline.build_report(report)
    report.write_text(
        report.read_text(encoding="utf-8").replace('background_papers = "None"', 'background_papers = "Letter"'),
        encoding="utf-8",
    )
    current = pipeline.build_report(report).written.path
    [earlier] = pipeline.report_files(report).history
    return earlier, current


@pytest.mark.parametrize(
    "url",
    [
        "/reports/elsewhere",
        "/reports/elsewhere/files/report.docx",
        "/reports/elsewhere/files/report.pdf",
        "/reports/elsewhere/actions",
        "/compare/redline/0123456789abcdef",
    ],
)
def test_a_report_or_redline_that_does_not_exist_is_not_found(web, url):
    assert web.get(url).status_code == 404


def test_downloads_before_the_first_build_are_not_found(web):
    assert web.get("/reports/inputs").status_code == 200
    assert web.get("/reports/inputs/files/report.docx").status_code == 404
    assert web.get("/reports/inputs/files/report.pdf").status_code == 404
    assert web.get("/reports/inputs/history/committee_report.2019-01-28T101500Z.1a2b3c4d.docx").status_code == 404


def test_the_report_downloads_as_built_and_its_pdf_only_once_made(web):
    built = pipeline.build_report(web.project / "inputs" / "report.toml").written.path
    download = web.get("/reports/inputs/files/report.docx")
    assert download.status_code == 200
    assert download.data == built.read_bytes()
    assert f"filename={built.name}" in download.headers["Content-Disposition"]
    assert web.get("/reports/inputs/files/report.pdf").status_code == 404


def test_an_earlier_build_downloads_as_kept(web):
    earlier, current = rebuilt_with_a_change(web.project)
    download = web.get(f"/reports/inputs/history/{earlier.name}")
    assert download.status_code == 200
    assert download.data == earlier.read_bytes()
    assert download.data != current.read_bytes()


def test_comparing_with_an_earlier_build_once_the_report_is_gone_is_not_found(web):
    earlier, current = rebuilt_with_a_change(web.project)
    current.unlink()
    assert web.get(f"/reports/inputs/history/{earlier.name}/compare").status_code == 404
    assert web.get(f"/reports/inputs/history/{earlier.name}/redline.docx").status_code == 404
    # The earlier build itself is still there to download.
    assert web.get(f"/reports/inputs/history/{earlier.name}").data == earlier.read_bytes()


def test_a_report_whose_settings_became_unreadable_has_no_files_to_download(web):
    pipeline.build_report(web.project / "inputs" / "report.toml")
    (web.project / "inputs" / "report.toml").write_text("cutoff = \n", encoding="utf-8")
    assert web.get("/reports/inputs/files/report.docx").status_code == 404


def test_sign_in_without_an_access_code_goes_straight_to_the_reports(web):
    response = web.get("/sign-in")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_redline_of_an_earlier_build_reads_as_the_current_report_once_accepted(web, tmp_path):
    earlier, current = rebuilt_with_a_change(web.project)
    response = web.get(f"/reports/inputs/history/{earlier.name}/redline.docx")
    assert response.status_code == 200
    redline = tmp_path / "redline.docx"
    redline.write_bytes(response.data)
    assert docx.Document(io.BytesIO(response.data)).element.body.xpath(".//w:ins")
    assert pipeline.document_text(redline) == pipeline.document_text(current)
    assert re.search(rf'filename="?{re.escape(current.stem)}\.redline\.docx', response.headers["Content-Disposition"])
