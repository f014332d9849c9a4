"""JTAI_DOCS_SOFFICE names the LibreOffice to run; a name that is not a program, or a program that fails, is a plain
message with exit status 1, and no PDF is left behind."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from jtai_docs import libreoffice, pipeline
from jtai_docs.cli import main


def test_a_setting_that_names_no_program_is_said_plainly(project, monkeypatch):
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    monkeypatch.setenv("JTAI_DOCS_SOFFICE", str(project / "no-such-soffice"))
    result = CliRunner().invoke(main, ["pdf", str(built)])
    assert result.exit_code == 1
    assert f"JTAI_DOCS_SOFFICE is set to {project / 'no-such-soffice'}, which is not a program" in result.stderr
    assert not built.with_suffix(".pdf").exists()


@pytest.mark.libreoffice
def test_the_setting_is_found_on_the_path_by_name(monkeypatch):
    monkeypatch.setenv("JTAI_DOCS_SOFFICE", "soffice")
    assert libreoffice.find_soffice() == shutil.which("soffice")


def test_a_program_that_fails_is_reported_with_its_exit_status(project, monkeypatch):
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    monkeypatch.setenv("JTAI_DOCS_SOFFICE", "false")  # a program that converts nothing and exits 1
    result = CliRunner().invoke(main, ["pdf", str(built)])
    assert result.exit_code == 1
    assert f"LibreOffice could not convert {built.name} (exit status 1)" in result.stderr
    assert "Traceback" not in result.output
    assert not built.with_suffix(".pdf").exists()
