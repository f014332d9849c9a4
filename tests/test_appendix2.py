"""Appendix 2: the whole action plan from the workbook, in a landscape section, grouped by theme."""

from __future__ import annotations

import docx
import openpyxl
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from helpers import libreoffice_lines
from jtai_docs import pipeline
from jtai_docs.context import AA_CONTRAST, STATUS_SHADING, TEXT_COLOUR, contrast_ratio, status_shading

HEADING = "Appendix 2: JTAI Improvement Action Plan"
COLUMNS = ["Ref", "Action", "Lead", "Timescale", "Status", "Progress update"]


def workbook_rows(path):
    """(ref, theme number, status) of every action, and the theme names in order, read straight from the sheets."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["Action Plan"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Ref")
    actions = [(str(row[0]), row[1], row[5]) for row in rows[header + 1 :] if row and row[0] is not None]
    themes = [(row[0], row[1]) for row in list(book["Themes"].iter_rows(values_only=True))[1:] if row[0] is not None]
    return actions, themes


def appendix_table(document):
    return document.tables[-1]


def test_appendix_2_lists_every_action_under_its_theme_in_a_landscape_section(project):
    result = pipeline.build_report(project / "inputs" / "report.toml")
    document = docx.Document(str(result.written.path))
    actions, themes = workbook_rows(result.checked.settings.workbook)
    table = appendix_table(document)
    assert [cell.text for cell in table.rows[0].cells] == COLUMNS

    # Walk the table: theme heading rows (one cell across the table) and action rows below them.
    seen, current = [], None
    headings = []
    for row in table.rows[1:]:
        cells = row._tr.findall(qn("w:tc"))
        if len(cells) == 1:
            current = row.cells[0].text
            headings.append(current)
            continue
        texts = [cell.text for cell in row.cells]
        seen.append((texts[0], current, texts[4]))
    assert headings == [f"{number}. {name}" for number, name in themes]
    names = dict(themes)
    assert seen == [(ref, f"{theme}. {names[theme]}", status) for ref, theme, status in actions]
    assert len(seen) == 108 and len(headings) == 5

    # The table sits in a landscape section; the report before it stays portrait.
    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    assert document.sections[-1].page_width > document.sections[-1].page_height
    assert all(section.orientation == WD_ORIENT.PORTRAIT for section in document.sections[:-1])


def test_header_row_repeats_and_rows_do_not_split(project):
    result = pipeline.build_report(project / "inputs" / "report.toml")
    table = appendix_table(docx.Document(str(result.written.path)))
    rows = table._tbl.findall(qn("w:tr"))
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert all(row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for row in rows[1:])
    assert all(row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for row in rows)


def test_status_is_a_word_with_its_colour_as_shading_at_aa_contrast(project):
    result = pipeline.build_report(project / "inputs" / "report.toml")
    table = appendix_table(docx.Document(str(result.written.path)))
    shaded = {}
    for row in table.rows[1:]:
        if len(row._tr.findall(qn("w:tc"))) == 1:
            continue
        cell = row.cells[4]
        fill = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
        assert fill is not None, f"no shading on {row.cells[0].text}"
        shaded[cell.text] = fill.get(qn("w:fill")).upper()
    assert set(shaded) == {status.label for status in result.checked.plan.statuses}
    for word, fill in shaded.items():
        assert fill == status_shading(word)
        assert contrast_ratio(TEXT_COLOUR, fill) >= AA_CONTRAST, word


def test_every_status_shading_meets_wcag_aa_with_black_text():
    for word, fill in STATUS_SHADING.items():
        assert contrast_ratio(TEXT_COLOUR, fill) >= AA_CONTRAST, word
    # The formula itself, on WCAG's own end points: black on white is 21:1, a colour on itself 1:1.
    assert round(contrast_ratio("000000", "FFFFFF"), 2) == 21.0
    assert contrast_ratio("777777", "777777") == 1.0
    # #767676 is the lightest grey that passes AA on white; #777777 fails it.
    assert contrast_ratio("767676", "FFFFFF") >= AA_CONTRAST > contrast_ratio("777777", "FFFFFF")


def test_paragraph_8_and_appendix_2_count_the_same_records(project):
    result = pipeline.build_report(project / "inputs" / "report.toml")
    context = result.checked.context
    rows = [action for group in context.action_plan for action in group.actions]
    assert context.action_count == len(rows) == len(result.checked.plan.actions)
    assert context.theme_count == len(context.action_plan)
    assert context.due_count == sum(action.due for action in rows)
    lines = [line.strip() for line in libreoffice_lines(result.written.path)]
    paragraph_8 = next(line for line in lines if line.startswith("8 The finalised Action Plan"))
    assert (
        f"covers {len(context.action_plan)} thematic improvement areas and contains a total of {len(rows)} "
        f"actions. Of these {sum(action.due for action in rows)} had"
    ) in paragraph_8
    # As LibreOffice lays it out, every reference appears in Appendix 2, once.
    appendix = lines[lines.index(HEADING) :]
    assert all(appendix.count(action.reference) == 1 for action in rows)


def test_switched_off_the_report_ends_with_appendix_1_in_portrait(project):
    settings = project / "inputs" / "report.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("action_plan = true", "action_plan = false"), encoding="utf-8"
    )
    result = pipeline.build_report(settings)
    document = docx.Document(str(result.written.path))
    assert len(document.tables) == 1
    assert HEADING not in [p.text for p in document.paragraphs]
    assert [section.orientation for section in document.sections] == [WD_ORIENT.PORTRAIT]
    assert document.sections[0].footer.paragraphs[0]._p.xpath(".//w:fldSimple")  # page numbers kept


def test_the_switch_must_be_true_or_false(project):
    settings = project / "inputs" / "report.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        .replace("action_plan = true", 'action_plan = "yes"')
        .replace("[appendices]", "[appendices]\nactionplan = true"),
        encoding="utf-8",
    )
    try:
        pipeline.check_report(settings)
    except pipeline.InvalidInputError as exc:
        messages = [problem.describe() for problem in exc.problems]
    else:
        raise AssertionError("a switch that is not true or false was accepted")
    assert any("[appendices] action_plan" in m and "expected true or false" in m and "'yes'" in m for m in messages)
    assert any("[appendices] actionplan" in m and "did you mean 'action_plan'" in m for m in messages)
