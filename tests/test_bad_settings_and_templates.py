"""report.toml and template mistakes: located messages, exit status 1, nothing written."""

from __future__ import annotations

import shutil

import docx
import openpyxl
import pytest

from helpers import ROOT, errors_of, run

REPORT = ROOT / "inputs" / "report.toml"


@pytest.fixture
def settings_file(project):
    """Returns a function writing report.toml with a text replacement applied."""
    path = project / "inputs" / "report.toml"
    original = path.read_text(encoding="utf-8")

    def write(old: str, new: str):
        assert old in original, old
        path.write_text(original.replace(old, new, 1), encoding="utf-8")
        return path

    return write


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# -- report.toml ---------------------------------------------------------------------------------------------


def test_report_toml_that_is_not_toml_gives_line_and_column(settings_file):
    path = settings_file("date = 2019-02-11", "date = 11 February 2019")
    result = run("check", path)
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        f"Error: report.toml, line {line_of(path, 'date = 11 February')}, column 11: "
        "this is not valid TOML: Expected newline or end of document after a statement"
    ]


def test_an_unknown_key_gets_a_suggestion_and_a_missing_key_is_named(settings_file):
    path = settings_file("presenter = ", "presentor = ")
    result = run("check", path)
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        f"Error: report.toml, key [report] presentor (line {line_of(path, 'presentor')}): this key is not a setting of "
        "[report]; did you mean 'presenter'?",
        f"Error: report.toml, key [report] (line {line_of(path, '[report]')}): the required key [report] presenter "
        "is missing",
    ]


def test_a_cutoff_that_is_not_a_date(settings_file):
    path = settings_file("cutoff = 2018-12-31", 'cutoff = "31/12/2018"')
    result = run("check", path)
    assert errors_of(result.stderr) == [
        f"Error: report.toml, key cutoff (line {line_of(path, 'cutoff =')}): expected a date "
        "written like 2018-12-31 (no quotes) (found '31/12/2018')"
    ]


def test_every_implication_must_be_addressed(settings_file):
    path = settings_file('"Human Rights" = "None."\n', '"Human Rights" = "  "\n')
    text = path.read_text(encoding="utf-8").replace('Accommodation = "None."\n', "")
    path.write_text(text, encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        f"Error: report.toml, key [implications] Human Rights (line {line_of(path, 'Human Rights')}): the implication "
        "'Human Rights' is blank: every heading must be addressed (write \"None.\" if there are none) (found '  ')",
        f"Error: report.toml, key [implications] (line {line_of(path, '[implications]')}): the implication "
        "'Accommodation' is missing: every heading must be addressed (write \"None.\" if there are none)",
    ]


def test_an_unknown_implication_heading_gets_a_suggestion(settings_file):
    path = settings_file("Staffing = ", "Staff = ")
    result = run("check", path)
    assert errors_of(result.stderr)[0] == (
        f"Error: report.toml, key [implications] Staff (line {line_of(path, 'Staff =')}): "
        "this is not one of the standard Appendix 1 headings; did you mean 'Staffing'?"
    )


# -- templates -----------------------------------------------------------------------------------------------


@pytest.fixture
def template_with(project):
    """Returns a function that adds paragraphs (each a list of run texts) to the project's template."""
    path = project / "templates" / "committee_report.docx"

    def add(*paragraphs: list[str]):
        document = docx.Document(str(path))
        for runs in paragraphs:
            paragraph = document.add_paragraph()
            for index, text in enumerate(runs):
                paragraph.add_run(text).bold = bool(index % 2)
        document.save(str(path))
        return project / "inputs" / "report.toml"

    return add


def built_text(project) -> str:
    return "\n".join(p.text for p in docx.Document(str(project / "outputs" / "committee_report.docx")).paragraphs)


def test_a_jinja_syntax_error_is_shown_with_the_paragraph_around_it(template_with, project):
    report = template_with(["Members of the {{ committee } will meet."])
    result = run("build", report)
    assert result.exit_code == 1
    [error] = errors_of(result.stderr)
    assert error.startswith("Error: committee_report.docx, in the text ")
    assert "'Members of the {{ committee } will meet.'" in error
    assert "a template tag is not written correctly: unexpected '}'" in error
    assert not (project / "outputs").exists()


def test_an_unknown_variable_is_named_with_a_suggestion(template_with, project):
    report = template_with(["The {{ comittee }} meets."])
    result = run("build", report)
    assert errors_of(result.stderr) == [
        "Error: committee_report.docx, in the paragraph 'The {{ comittee }} meets.': the "
        "template uses the variable 'comittee', which jtai-docs does not provide; "
        "did you mean 'committee'?"
    ]
    assert not (project / "outputs").exists()


def test_word_curly_quotes_inside_a_tag_still_work(template_with, project):
    report = template_with(["Green total: {{ status_totals[“Green”] }} and ‘{{ status_totals[‘Amber’] }}’"])
    result = run("build", report)
    assert result.exit_code == 0, result.output
    assert "Green total: 45 and ‘6’" in built_text(project).replace("\u2019", "’")


def test_a_tag_split_across_runs_by_word_still_works(template_with, project):
    report = template_with(["Due: ", "{{ due", "_count }}", " actions; {", "{ theme_count }", "} themes"])
    result = run("build", report)
    assert result.exit_code == 0, result.output
    table1 = result.stdout
    assert "TOTALS:" in table1
    assert "Due: 62 actions; 5 themes" in built_text(project)


def test_a_template_that_is_not_a_docx(project):
    (project / "templates" / "committee_report.docx").write_bytes(b"%PDF-1.7 not a Word document")
    result = run("check", project / "inputs" / "report.toml")
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: committee_report.docx: this is not a Word document (.docx), or it is "
        "damaged; save the template from Word as a Word Document (.docx)"
    ]


def test_workbook_and_template_problems_are_reported_together(template_with, project):
    report = template_with(["The {{ comittee }} meets."])
    shutil.copy(project / "templates" / "committee_report.docx", project / "inputs" / "action_plan.xlsx")
    result = run("check", report)
    assert result.exit_code == 1
    assert len(errors_of(result.stderr)) == 2


def test_report_toml_and_workbook_problems_are_reported_together(settings_file, project):
    plan = project / "inputs" / "action_plan.xlsx"
    book = openpyxl.load_workbook(plan)
    sheet = book["Action Plan"]
    header = next(row for row in sheet.iter_rows() if row[0].value == "Ref")
    status = next(cell for cell in header if cell.value == "Status")
    bad = sheet.cell(row=header[0].row + 1, column=status.column)
    bad.value = "Gren"
    book.save(plan)
    path = settings_file("presenter = ", "presentor = ")
    result = run("check", path)
    assert result.exit_code == 1
    errors = errors_of(result.stderr)
    assert any("presentor" in e for e in errors)
    assert (
        f"Error: action_plan.xlsx, 'Action Plan'!{bad.coordinate} (Status): 'Gren' is not a status in the key"
        in "\n".join(errors)
    )


def test_a_date_the_template_uses_but_report_toml_lacks_is_found_by_check(settings_file):
    path = settings_file("plan_submitted = 2018-12-03\n", "plan_submited = 2018-12-03\n")
    result = run("check", path)
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: committee_report.docx, in the paragraph '…submitted to the joint inspectorate on "
        "{{ dates.plan_submitted|ordinal_date }}.': the template uses dates 'plan_submitted', which is not among "
        "its dates (previous_presentation, inspection_start, inspection_end, plan_submited, cabinet_endorsed, "
        "focused_visit_start, focused_visit_end, focused_visit_report); did you mean 'plan_submited'?"
    ]


def test_a_date_in_dates_that_is_not_a_date(settings_file):
    path = settings_file("cabinet_endorsed = 2018-12-12", 'cabinet_endorsed = "12th December"')
    result = run("check", path)
    assert errors_of(result.stderr) == [
        f"Error: report.toml, key [dates] cabinet_endorsed (line "
        f"{line_of(path, 'cabinet_endorsed')}): expected a date written like 2018-12-31 "
        "(no quotes) (found '12th December')"
    ]


def test_tags_that_cut_across_paragraphs_and_cells_are_refused(template_with, project):
    report = template_with(["Start {% if due_count > 1000 %}hidden"])
    document = docx.Document(str(project / "templates" / "committee_report.docx"))
    document.add_table(rows=1, cols=1).cell(0, 0).text = "more{% endif %} end"
    document.save(str(project / "templates" / "committee_report.docx"))
    result = run("build", report)
    assert result.exit_code == 1
    [error] = errors_of(result.stderr)
    # Both paragraphs are named, so the officer can find each end of the pair in Word (#12).
    assert error == (
        "Error: committee_report.docx, from the paragraph 'Start {% if due_count > 1000 %}hidden' to "
        "the paragraph 'more{% endif %} end': {% if %} opens in one paragraph or table cell and "
        "{% endif %} closes in another, which would cut the document apart; keep both in one paragraph, "
        "or write {%p if ... %} and {%p endif %} in paragraphs of their own ({%tr %} for table rows, "
        "{%tc %} for cells)"
    )
    assert not (project / "outputs").exists()


def test_a_control_character_in_report_toml_is_refused_not_turned_into_a_paragraph(settings_file):
    path = settings_file('background_papers = "None"', 'background_papers = "Bell\\u0007here"')
    result = run("check", path)
    assert errors_of(result.stderr) == [
        f"Error: report.toml, key [report] background_papers (line {line_of(path, 'background_papers')}): the text "
        "holds the invisible control character U+0007, which a Word document cannot contain; remove it (a \\n "
        "escape gives a line break) (found 'Bell\\x07here')"
    ]


def test_a_mistake_in_the_footer_is_reported_not_a_crash(project):
    path = project / "templates" / "committee_report.docx"
    document = docx.Document(str(path))
    document.sections[0].footer.add_paragraph("Contact {{ contact.nmae }}")
    document.save(str(path))
    for command in ("check", "build"):
        result = run(command, project / "inputs" / "report.toml")
        assert result.exit_code == 1, command
        assert errors_of(result.stderr) == [
            "Error: committee_report.docx, in the paragraph 'Contact {{ contact.nmae }}' "
            "in a footer: "
            "the template asks for something jtai-docs does not provide: "
            "'jtai_docs.model.Contact object' has no attribute 'nmae'"
        ]
    assert not (project / "outputs").exists()
