"""The command line loads only what a command uses: --help and shell completion never pay for the pipeline."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from jtai_docs import cli, pipeline
from jtai_docs.cli import main

HEAVY = ("docx", "docxtpl", "jinja2", "openpyxl", "lxml", "jtai_docs.pipeline")


def loaded_after(code: str) -> list[str]:
    """The heavy modules a fresh Python has loaded after running code."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    modules = json.loads(completed.stdout.splitlines()[-1])
    return [name for name in modules if name in HEAVY or name.split(".")[0] in HEAVY[:-1]]


def test_importing_the_command_line_loads_no_document_or_workbook_library():
    assert loaded_after("import jtai_docs.cli") == []


def test_help_loads_no_document_or_workbook_library():
    code = (
        "import sys\nfrom jtai_docs.cli import main\nsys.argv = ['jtai-docs', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert loaded_after(code) == []


def test_the_diff_commands_default_author_is_the_pipelines():
    result = CliRunner().invoke(main, ["diff", "--help"])
    assert result.exit_code == 0
    assert f"[default: {pipeline.REDLINE_AUTHOR}]" in " ".join(result.output.split())
    assert cli.REDLINE_AUTHOR == pipeline.REDLINE_AUTHOR


PDF_AND_WEB = ("pikepdf", "pypdfium2", "flask", "werkzeug", "rapidfuzz")


def loaded_by_command(arguments: list[str], cwd) -> tuple[int, list[str]]:
    """Runs the command line in a fresh Python; its exit status and which PDF, web or diff libraries it loaded."""
    script = (
        "import json, sys\nfrom jtai_docs.cli import main\n"
        f"sys.argv = ['jtai-docs'] + {arguments!r}\nstatus = 0\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    status = exc.code or 0\n"
        "print(json.dumps([status, sorted(sys.modules)]))"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd)
    status, modules = json.loads(completed.stdout.splitlines()[-1])
    return status, sorted({name.split(".")[0] for name in modules if name.split(".")[0] in PDF_AND_WEB})


def test_check_and_build_without_pdf_load_no_pdf_web_or_diff_library(project):
    report = str(project / "inputs" / "report.toml")
    assert loaded_by_command(["check", report], project) == (0, [])
    assert loaded_by_command(["build", report], project) == (0, [])
    assert (project / "outputs" / "committee_report.docx").stat().st_size > 0


def test_diff_and_text_of_word_documents_load_no_template_or_settings_library(tmp_path):
    """Comparing or reading Word documents needs neither the template engine nor report.toml's reader (#11)."""
    import docx

    for name, words in (("old.docx", "The plan was agreed."), ("new.docx", "The plan was approved.")):
        document = docx.Document()
        document.add_paragraph(words)
        document.save(str(tmp_path / name))
    for arguments in (["diff", "old.docx", "new.docx", "-o", "redline.docx"], ["text", "new.docx"]):
        script = (
            "import json, sys\nfrom jtai_docs.cli import main\n"
            f"sys.argv = ['jtai-docs'] + {arguments!r}\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            # A module Python was told to load on first use and never used is still a _LazyModule.
            "print(json.dumps(sorted(n for n, m in list(sys.modules.items()) if type(m).__name__ != '_LazyModule')))"
        )
        completed = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
        )
        modules = set(json.loads(completed.stdout.splitlines()[-1]))
        assert not modules & {"jinja2", "docxtpl", "openpyxl", "jtai_docs.settings", "jtai_docs.workbook"}, arguments
    assert (tmp_path / "redline.docx").stat().st_size > 0
