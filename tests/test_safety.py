"""Data is never code, templates cannot reach Python, and reports are never half-written or silently lost."""

from __future__ import annotations

import docx
import openpyxl
import pytest

from helpers import run, snapshot
from jtai_docs import output, pipeline, render
from jtai_docs.errors import InvalidInputError


def test_text_that_looks_like_a_template_tag_is_printed_as_typed(project):
    report = project / "inputs" / "report.toml"
    text = report.read_text(encoding="utf-8").replace(
        'background_papers = "None"', 'background_papers = "{{ 7*7 }} {% raw %} <w:t> & done"'
    )
    report.write_text(text, encoding="utf-8")
    plan = project / "inputs" / "action_plan.xlsx"
    book = openpyxl.load_workbook(plan)
    book["Themes"]["B2"] = "{{ cycler.__init__.__globals__ }}"
    book.save(plan)
    result = pipeline.build_report(report)
    document = docx.Document(str(result.written.path))
    assert "{{ 7*7 }} {% raw %} <w:t> & done" in [p.text for p in document.paragraphs]
    assert document.tables[0].rows[2].cells[1].text == "{{ cycler.__init__.__globals__ }}"


@pytest.mark.parametrize(
    "payload",
    [
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ contact.__class__.__init__.__globals__ }}",
        "{{ self._TemplateReference__context }}",
    ],
)
def test_a_template_cannot_reach_python_internals(project, payload):
    template = project / "templates" / "committee_report.docx"
    document = docx.Document(str(template))
    document.add_paragraph(f"Injected: {payload}")
    document.save(str(template))
    with pytest.raises(InvalidInputError) as caught:
        pipeline.build_report(project / "inputs" / "report.toml")
    [problem] = caught.value.problems
    assert problem.file == "committee_report.docx"
    assert "uid=" not in problem.describe()
    assert not (project / "outputs" / "committee_report.docx").exists()


def test_a_failure_while_writing_leaves_the_previous_report_and_no_temporary_file(project, monkeypatch):
    report = project / "inputs" / "report.toml"
    pipeline.build_report(report)
    outputs = project / "outputs"
    before = snapshot(outputs)
    book = openpyxl.load_workbook(project / "inputs" / "action_plan.xlsx")
    book["Themes"]["B2"] = "Renamed theme"
    book.save(project / "inputs" / "action_plan.xlsx")

    def fail(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", fail)
    result = run("build", report)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: could not keep the earlier report in the history folder {outputs / 'history'}: No space left on "
        "device. The earlier report is unchanged."
    )
    assert snapshot(outputs) == before


def test_a_report_that_does_not_reopen_is_never_moved_into_place(project, monkeypatch):
    report = project / "inputs" / "report.toml"
    pipeline.build_report(report)
    before = snapshot(project / "outputs")
    packed = render.pack_document
    # A truncated package.
    monkeypatch.setattr(render, "pack_document", lambda document, **options: packed(document, **options)[:5000])
    result = run("build", report, "--force")
    assert result.exit_code == 1
    assert "the built report could not be reopened" in result.stderr
    assert snapshot(project / "outputs") == before


def test_a_hand_edited_report_is_not_overwritten_without_force(project):
    report = project / "inputs" / "report.toml"
    built = pipeline.build_report(report).written.path
    document = docx.Document(str(built))
    document.add_paragraph("A note the officer typed into the built report.")
    document.save(str(built))
    edited = built.read_bytes()

    result = run("build", report)
    assert result.exit_code == 1
    history = built.parent / "history"
    assert result.stderr == (
        f"Error: {built} was changed after jtai-docs built it, so it has not been overwritten. "
        "Copy your edits into the template or report.toml, then build again with --force to "
        f"replace it (the edited version is then kept in {history}).\n"
    )
    assert built.read_bytes() == edited

    forced = run("build", report, "--force")
    assert forced.exit_code == 0, forced.output
    assert built.read_bytes() != edited
    assert [p.read_bytes() for p in history.iterdir()] == [edited], "the officer's edits are never lost"
    assert run("build", report).exit_code == 0, "after a forced build the report is jtai-docs's own again"
