"""The LibreOffice the web server keeps running: the same accessible PDF, restarted when it dies, never left behind."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from jtai_docs import libreoffice, pipeline


@pytest.fixture
def report(project: Path) -> Path:
    return pipeline.build_report(project / "inputs" / "report.toml").written.path


@pytest.fixture
def running():
    kept = libreoffice.RunningLibreOffice()
    yield kept
    kept.close()


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_info(pdf: Path) -> dict[str, str]:
    lines = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def group_alive(process_group: int) -> bool:
    """True while any process of the group is still running (zombies waiting to be reaped do not count)."""
    states = subprocess.run(["ps", "-eo", "pgid=,stat="], capture_output=True, text=True).stdout.split("\n")
    return any(
        line.split()[0] == str(process_group) and not line.split()[1].startswith("Z") for line in states if line.strip()
    )


def test_the_kept_libreoffice_makes_the_same_accessible_pdf_as_the_cli(report, running, tmp_path):
    made = pipeline.make_pdfs([report], running=running)[0]
    assert running.available, "LibreOffice could not be kept running (is python3-uno installed?)"
    assert made.problems == (), "the kept LibreOffice's PDF must pass the same checks as build --pdf's"
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(made.pdf.read_bytes())
    cli = pipeline.make_pdfs([report])[0].pdf
    assert made.pdf == report.with_suffix(".pdf")
    assert pdf_text(kept) == pdf_text(cli)
    info, cli_info = pdf_info(kept), pdf_info(cli)
    assert info["Tagged"] == "yes" and info["Title"] == cli_info["Title"] and info["Pages"] == cli_info["Pages"]


def test_a_libreoffice_that_died_is_restarted_and_closing_leaves_nothing_running(report, running, tmp_path):
    running.convert_to_pdf(report, tmp_path / "first.pdf")
    first = running._process.pid
    os.killpg(first, signal.SIGKILL)
    running._process.wait()
    second_pdf = running.convert_to_pdf(report, tmp_path / "second.pdf")
    assert running.available and running._process.pid != first
    assert pdf_text(second_pdf) == pdf_text(tmp_path / "first.pdf")
    second = running._process.pid
    running.close()
    assert not group_alive(second) and not group_alive(first)


def test_without_libreoffices_python_bridge_each_pdf_is_made_the_cli_way(report, tmp_path, monkeypatch):
    monkeypatch.setenv("JTAI_DOCS_UNO_PYTHON", str(tmp_path / "no-such-python"))
    kept = libreoffice.RunningLibreOffice()
    try:
        pdf = kept.convert_to_pdf(report, tmp_path / "made.pdf")
    finally:
        kept.close()
    assert not kept.available
    assert pdf_info(pdf)["Tagged"] == "yes"
