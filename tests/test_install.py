"""jtai-docs as a user installs it: from a wheel with no checkout, `init` for a new report, and whatever else is
installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from helpers import ROOT
from jtai_docs import libreoffice, pipeline
from jtai_docs.cli import main

CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
#: What a clean clone holds that a wheel is built from (outputs/, .venv and caches are never committed).
PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE", "src", "templates", "inputs")


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=600)
    assert completed.returncode == 0, f"{command} failed:\n{completed.stdout}\n{completed.stderr}"
    return completed


def test_wheel_in_a_fresh_environment_starts_and_builds_a_report(tmp_path):
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, clone / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, clone / name)
    run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"), "."], clone)
    wheel = next((tmp_path / "dist").glob("jtai_docs-*.whl"))
    assert {
        "jtai_docs/templates/committee_report.docx",
        "jtai_docs/inputs/action_plan.xlsx",
        "jtai_docs/inputs/report.toml",
    } <= set(zipfile.ZipFile(wheel).namelist())

    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=True)
    scripts = fresh / ("Scripts" if os.name == "nt" else "bin")
    run([str(scripts / "python"), "-m", "pip", "install", "-q", str(wheel)], tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Run from a folder with no checkout, with nothing of this project's environment on the path.
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = run([str(scripts / "python"), "-c", "import jtai_docs; print(jtai_docs.__file__)"], elsewhere, env)
    assert Path(where.stdout.strip()).is_relative_to(fresh)
    run([str(scripts / "jtai-docs"), "init", "r"], elsewhere, env)
    built = run([str(scripts / "jtai-docs"), "build", "r/report.toml"], elsewhere, env)
    report = elsewhere / "r" / "outputs" / "committee_report.docx"
    assert f"Wrote {report}" in built.stdout
    # The same report a checkout builds from the same example inputs.
    expected = pipeline.check_report(elsewhere / "r" / "report.toml")
    assert pipeline.document_text(report).count(expected.settings.title) >= 1
    assert f"{expected.table1.total}" in built.stdout


def test_init_writes_a_folder_that_builds(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(tmp_path / "march")])
    assert result.exit_code == 0, result.output
    settings = tmp_path / "march" / "report.toml"
    assert f"jtai-docs build {settings}" in result.stdout
    built = runner.invoke(main, ["build", str(settings)])
    assert built.exit_code == 0, built.output
    report = tmp_path / "march" / "outputs" / "committee_report.docx"
    # The example folder is the project's own example: the same workbook and template give the same Table 1.
    example = pipeline.check_report(ROOT / "inputs" / "report.toml")
    assert pipeline.check_report(settings).table1 == example.table1
    assert (tmp_path / "march" / "action_plan.xlsx").read_bytes() == (ROOT / "inputs" / "action_plan.xlsx").read_bytes()
    assert report.is_file()


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path):
    folder = tmp_path / "march"
    folder.mkdir()
    (folder / "report.toml").write_text("# mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(folder)])
    assert result.exit_code == 2
    assert f"{folder / 'report.toml'} already exist(s); nothing was written" in result.stderr
    assert (folder / "report.toml").read_text(encoding="utf-8") == "# mine\n"
    assert sorted(path.name for path in folder.iterdir()) == ["report.toml"]


def test_core_properties_stay_in_their_namespace_with_docxcompose_installed(project):
    # docxcompose (docxtpl 0.18-0.19 import it) rebinds python-docx's "cp" prefix; build in a process that has it.
    script = (
        "import sys, docxcompose.utils; from docx.oxml.ns import nsmap; print(nsmap['cp']); "
        "from jtai_docs.cli import main; sys.argv = ['jtai-docs', 'build', sys.argv[1]]; main()"
    )
    completed = run([sys.executable, "-c", script, str(project / "inputs" / "report.toml")], project)
    assert completed.stdout.splitlines()[0] != CORE, "docxcompose no longer rebinds the prefix; the test shows nothing"
    settings = pipeline.check_report(project / "inputs" / "report.toml").settings
    with zipfile.ZipFile(project / "outputs" / "committee_report.docx") as package:
        core = etree.fromstring(package.read("docProps/core.xml"))
    assert {etree.QName(child).namespace for child in core} <= {CORE, DC, DCTERMS}
    values = {etree.QName(child).localname: child.text for child in core}
    assert [etree.QName(child).localname for child in core].count("lastModifiedBy") == 1
    assert values["lastModifiedBy"] == settings.author
    assert values["revision"] == "1"
    assert values["lastPrinted"].startswith(settings.meeting_date.isoformat())


def test_libreoffice_is_found_in_its_standard_places_on_windows_and_macos(tmp_path):
    windows = tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe"
    mac = tmp_path / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice"
    for program in (windows, mac):
        program.parent.mkdir(parents=True)
        program.write_bytes(b"")
    assert libreoffice.find_installed_soffice(system="Windows", environ={}) is None
    assert libreoffice.find_installed_soffice(
        system="Windows", environ={"ProgramFiles(x86)": "C:/none", "ProgramFiles": str(tmp_path / "Program Files")}
    ) == str(windows)
    assert libreoffice.find_installed_soffice(system="Darwin", environ={"HOME": str(tmp_path)}) == str(mac)
    # On Linux the distribution's package puts soffice on PATH, so only PATH is searched.
    assert libreoffice.find_installed_soffice(system="Linux", environ={"HOME": str(tmp_path)}) is None
