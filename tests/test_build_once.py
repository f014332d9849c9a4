"""A build does each piece of work once and loads only what it uses, with the same report and messages (#11)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from jtai_docs import package, pipeline
from jtai_docs.cli import run
from jtai_docs.errors import InvalidInputError


def command(*args: object, cwd: Path, code: str = "") -> subprocess.CompletedProcess[str]:
    """jtai-docs as the installed command runs it (jtai_docs.cli.run), in a fresh Python, after code."""
    script = f"import sys\n{code}\nfrom jtai_docs.cli import run\nsys.argv = ['jtai-docs', *sys.argv[1:]]\nrun()"
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_a_build_loads_no_subdocument_or_date_formatting_library(project):
    """docxtpl's Subdoc (docxcompose, and babel's time-zone look-up) is never used by a build, so never loaded; it
    can still be imported afterwards."""
    code = (
        "import atexit, json\n"
        "def loaded():\n"
        "    print(json.dumps(sorted(n.split('.')[0] for n, m in list(sys.modules.items())"
        " if type(m).__name__ != '_LazyModule')))\n"
        "atexit.register(loaded)"
    )
    result = command("build", cwd=project, code=code)
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert {"docxtpl", "jinja2", "docx"} <= loaded
    assert not loaded & {"docxcompose", "babel"}
    assert (project / "outputs" / "committee_report.docx").stat().st_size > 0
    later = subprocess.run(
        [sys.executable, "-c", "import jtai_docs.render, docxtpl.subdoc; print(docxtpl.subdoc.Subdoc.__name__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert later.stdout.strip() == "Subdoc"


def test_the_command_prints_everything_runs_its_exit_functions_and_keeps_its_exit_status(project):
    code = "import atexit\natexit.register(print, 'exit functions ran')"
    built = command("build", cwd=project, code=code)
    assert built.returncode == 0, built.stderr
    assert "TOTALS:" in built.stdout
    assert built.stdout.splitlines()[-2:] == [
        f"Wrote {project / 'outputs' / 'committee_report.docx'}",
        "exit functions ran",
    ]
    missing = command("build", "missing.toml", cwd=project, code=code)
    assert missing.returncode == 2
    assert missing.stderr.startswith("Error: the report settings file missing.toml does not exist")
    assert missing.stdout == "exit functions ran\n"


def test_under_a_profiler_the_command_exits_as_python_does_so_the_figures_are_written(project, tmp_path):
    figures = tmp_path / "check.prof"
    profiled = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(figures), "-m", "jtai_docs", "check"],
        capture_output=True,
        text=True,
        cwd=project,
        check=False,
    )
    assert profiled.returncode == 0, profiled.stderr
    assert "No errors found" in profiled.stdout
    assert figures.stat().st_size > 0


def test_with_a_thread_still_running_the_command_exits_as_python_does(monkeypatch):
    """run() ends the process at once only when nothing else is running; otherwise Python's own exit waits."""
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    monkeypatch.setattr(sys, "argv", ["jtai-docs", "--version"])
    try:
        with pytest.raises(SystemExit) as exited:
            run()
    finally:
        release.set()
        waiting.join()
    assert exited.value.code == 0


def test_output_to_a_closed_pipe_ends_as_an_ordinary_exit_does(project):
    """When the output cannot be flushed, Python's ordinary exit reports it, with the status it always gave."""
    statuses = []
    for entry in (
        "from jtai_docs.cli import main\nmain(prog_name='jtai-docs')",
        "from jtai_docs.cli import run\nrun()",
    ):
        process = subprocess.Popen(
            [sys.executable, "-c", f"import sys\nsys.argv = ['jtai-docs', '--help']\n{entry}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=project,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # long before Python, still starting, writes its buffered help
        errors = process.stderr.read().decode()
        process.stderr.close()
        statuses.append(process.wait())
        assert "Traceback" not in errors
    assert statuses[0] == statuses[1] != 0


def test_a_build_whose_output_is_closed_early_writes_its_report_and_blames_no_one(project):
    """`jtai-docs build | head -0`: the reader of the output stops early; that is no fault of jtai-docs."""
    report = project / "outputs" / "committee_report.docx"
    process = subprocess.Popen(
        [sys.executable, "-m", "jtai_docs", "build"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=project
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait() == 1
    assert "fault in jtai-docs" not in errors and "Traceback" not in errors, errors
    assert report.stat().st_size > 0


def damaged(report: bytes, part: str) -> bytes:
    """The report with one part cut short, so it is no longer XML."""
    source = zipfile.ZipFile(io.BytesIO(report))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data[: len(data) // 2] if name == part else data)
    return output.getvalue()


@pytest.mark.parametrize(
    "part",
    [
        "word/styles.xml",  # parsed by python-docx when it reopens the report
        "word/webSettings.xml",  # kept as bytes by python-docx, so parsed by the check alone
        "word/_rels/document.xml.rels",
    ],
)
def test_the_reopening_check_locates_a_damaged_part_whoever_parses_it(project, part):
    report = pipeline.build_report(project / "inputs" / "report.toml").written.path
    template = project / "templates" / "committee_report.docx"
    with pytest.raises(InvalidInputError) as caught:
        package.verify_report(damaged(report.read_bytes(), part), template=template)
    [problem] = caught.value.problems
    assert problem.place.startswith(f"part {part}")
    assert "filling in the template committee_report.docx gave a damaged Word part" in problem.message


def test_a_templates_styles_with_effects_part_is_kept_as_its_producer_wrote_it(project):
    """Word 2010's copy of the styles goes into the report with the bytes the template gave it."""
    template = project / "templates" / "committee_report.docx"
    source = zipfile.ZipFile(io.BytesIO(template.read_bytes()))
    kept = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\r\n'
        b"  <w:docDefaults/>\r\n</w:styles>"
    )
    relationship = (
        '<Relationship Id="rIdEffects" Type="http://schemas.microsoft.com/office/2007/relationships/'
        'stylesWithEffects" Target="stylesWithEffects.xml"/></Relationships>'
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", relationship.encode())
            target.writestr(name, data)
        target.writestr("word/stylesWithEffects.xml", kept)
    template.write_bytes(output.getvalue())
    report = pipeline.build_report(project / "inputs" / "report.toml").written.path
    assert zipfile.ZipFile(report).read("word/stylesWithEffects.xml") == kept


def test_every_report_of_a_process_is_told_of_a_variable_its_template_lacks(project):
    """The template's variables are found once per template and kept (#11): the second report still hears of it."""
    import docx

    template = project / "templates" / "committee_report.docx"
    document = docx.Document(str(template))
    document.add_paragraph("Prepared for {{ council_name }}.")
    document.save(str(template))
    for _report in range(2):
        with pytest.raises(InvalidInputError) as caught:
            pipeline.check_report(project / "inputs" / "report.toml")
        [problem] = [p for p in caught.value.problems if "council_name" in p.message]
        assert problem.message == "the template uses the variable 'council_name', which jtai-docs does not provide"
        assert problem.place == "in the paragraph 'Prepared for {{ council_name }}.'"
