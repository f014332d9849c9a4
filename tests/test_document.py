"""The built report read as a Word document: numbering, styles, Table 1, the key and the file's properties."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from helpers import normalise, seed_path
from jtai_docs import pipeline, render


@pytest.fixture
def built(project):
    result = pipeline.build_report(project / "inputs" / "report.toml")
    return result, docx.Document(str(result.written.path))


def numbering_of(paragraph) -> str | None:
    """The numId a paragraph is numbered with, directly or through its style chain (as Word resolves it)."""
    num_pr = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    style = paragraph.style
    while num_pr is None and style is not None:
        num_pr = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        style = style.base_style
    if num_pr is None:
        return None
    num_id = num_pr.find(qn("w:numId"))
    return None if num_id is None or num_id.get(qn("w:val")) == "0" else num_id.get(qn("w:val"))


@pytest.mark.seed
def test_numbered_paragraphs_are_one_word_list_matching_the_seed(built):
    _, document = built
    numbered = [p for p in document.paragraphs if numbering_of(p)]
    seed_numbered = [
        normalise(m.group(2).replace("**", ""))
        for m in re.finditer(r"(?m)^- (\d+) (.*)$", seed_path().read_text(encoding="utf-8"))
    ]
    assert [normalise(p.text) for p in numbered] == seed_numbered
    assert {numbering_of(p) for p in numbered} == {"1"}, "all numbered paragraphs continue one list"
    # Numbering comes from the paragraph style, so a paragraph an officer adds in that style is numbered too.
    assert {p.style.name for p in numbered} == {"Numbered Paragraph"}
    assert all(p._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is None for p in numbered)


def test_numbering_definition_is_a_decimal_list_starting_at_one(built):
    _, document = built
    numbering = document.part.numbering_part.element
    nums = numbering.findall(qn("w:num"))
    assert [n.get(qn("w:numId")) for n in nums] == ["1"]
    level = numbering.find(f"{qn('w:abstractNum')}/{qn('w:lvl')}")
    assert level.find(qn("w:numFmt")).get(qn("w:val")) == "decimal"
    assert level.find(qn("w:start")).get(qn("w:val")) == "1"
    assert level.find(qn("w:lvlText")).get(qn("w:val")) == "%1"


def test_section_headings_use_heading_styles_and_are_not_numbered(built):
    _, document = built
    headings = {p.text: p for p in document.paragraphs if p.style.name.startswith("Heading")}
    for heading in (
        "Purpose of the Report",
        "Executive summary",
        "Recommendations",
        "Background",
        "Conclusion",
        "Background papers",
    ):
        assert headings[heading].style.name == "Heading 2"
        assert numbering_of(headings[heading]) is None
    assert headings["Appendix 1: Implications"].style.name == "Heading 1"
    settings = built[0].checked.settings
    assert headings[settings.title].style.name == "Heading 1"
    for implication in settings.implications:
        assert headings[implication.heading].style.name == "Heading 2"


def test_house_style_is_arial_12_on_a4(built):
    _, document = built
    normal = document.styles["Normal"]
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert defaults.find(qn("w:rFonts")).get(qn("w:ascii")) == "Arial"
    assert defaults.find(qn("w:sz")).get(qn("w:val")) == "24"  # half-points
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    assert normal.font.name is None and normal.font.size is None, "Normal inherits the document defaults"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    [theme_language] = document.settings.element.findall(qn("w:themeFontLang"))
    assert theme_language.get(qn("w:val")) == "en-GB"


def workbook_table1(path, cutoff):
    """Table 1 counted straight from the workbook's cells, independently of jtai-docs's reader."""
    book = openpyxl.load_workbook(path, data_only=True)
    themes = {row[0]: row[1] for row in book["Themes"].iter_rows(min_row=2, values_only=True) if row[0]}
    key = [row for row in book["Status Key"].iter_rows(min_row=2, values_only=True) if row[0]]
    shown = [label for label, _meaning, _order, in_table in sorted(key, key=lambda r: r[2]) if in_table == "Yes"]
    sheet = book["Action Plan"]
    header_row = next(r for r in sheet.iter_rows() if r[0].value == "Ref")[0].row
    counts = {}
    for _ref, theme, _a, _l, timescale, status, _p in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        if isinstance(timescale, datetime):
            timescale = timescale.date()
        elif "/" in timescale:  # 31/12/2018
            timescale = datetime.strptime(timescale, "%d/%m/%Y").date()
        else:  # December 2018: the month's last day
            first = datetime.strptime(timescale, "%B %Y")
            timescale = first.replace(day=calendar.monthrange(first.year, first.month)[1]).date()
        if timescale <= cutoff:
            counts[(theme, status)] = counts.get((theme, status), 0) + 1
    return themes, shown, counts


def test_table1_cells_are_the_workbook_counts(built):
    result, document = built
    settings = result.checked.settings
    themes, shown, counts = workbook_table1(settings.workbook, settings.cutoff)
    table = document.tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert (
        cells[0][0]
        == f"JTAI Improvement Action Plan: Progress against actions with a {settings.cutoff:%B %Y} timescale"
    )
    markers = "¹²³⁴⁵⁶⁷⁸⁹"
    assert cells[1] == ["NO", "THEME", *(f"“{label}”{markers[i]}" for i, label in enumerate(shown)), "TOTAL"]
    for row, (number, name) in zip(cells[2:], sorted(themes.items()), strict=False):
        figures = [counts.get((number, label), 0) for label in shown]
        assert row == [f"{number}.", name, *map(str, figures), str(sum(figures))]
    totals = [sum(counts.get((n, label), 0) for n in themes) for label in shown]
    assert cells[-1] == ["TOTALS:", "", *map(str, totals), str(sum(totals))]
    assert len(cells) == len(themes) + 3


def test_table1_title_and_header_rows_repeat_on_each_page(built):
    _, document = built
    rows = document.tables[0].rows
    repeats = [row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for row in rows]
    assert repeats == [True, True] + [False] * (len(rows) - 2)


def test_status_key_lines_match_the_header_markers(built):
    result, document = built
    header = [cell.text for cell in document.tables[0].rows[1].cells][2:-1]
    key_lines = [p.text for p in document.paragraphs if p.style.name == "Table Key"]
    assert len(key_lines) == len(header)
    for heading, line, status in zip(header, key_lines, result.checked.table1.statuses, strict=True):
        marker = heading[-1]
        assert heading == f"“{status.label}”{marker}"
        assert line == f"{marker} Key: {status.label}: {status.meaning}"


def test_prose_figures_come_from_table1(built):
    result, document = built
    table1 = result.checked.table1
    text = "\n".join(p.text for p in document.paragraphs)
    plan = result.checked.plan
    assert (
        f"covers {len(plan.themes)} thematic improvement areas and contains a total of "
        f"{len(plan.actions)} actions. Of these {table1.total} had a completion timescale on or before "
        f"{table1.cutoff:%B %Y}."
    ) in text
    assert (
        f"Of the {table1.total} actions, {table1.count('Green')} have been completed, "
        f"{table1.count('Amber')} have commenced"
    ) in text
    assert f"None of the {table1.count('Yellow')} actions" in text


def test_core_properties_come_from_the_report_settings(built):
    result, document = built
    settings = result.checked.settings
    core = document.core_properties
    assert core.title == settings.title
    assert core.author == settings.author
    assert core.language == "en-GB"
    assert core.created.date() == settings.meeting_date
    assert core.modified.date() == settings.meeting_date
    # Word shows these in File > Info: a report carries no note meant for whoever fills the template in.
    assert (core.comments, core.subject, core.keywords, core.category) == ("", "", "", "")


def test_table1_has_alt_text_for_screen_readers(built):
    result, document = built
    properties = document.tables[0]._tbl.tblPr
    assert properties.find(qn("w:tblCaption")).get(qn("w:val")) == "Table 1"
    description = properties.find(qn("w:tblDescription")).get(qn("w:val"))
    assert f"with a {result.checked.table1.cutoff:%B %Y} timescale" in description


def test_a_table_cell_width_without_its_value_leaves_the_table_grid_as_the_template_has_it(tmp_path):
    """A hand-made template may give a cell's width type without the width; the report is still built."""
    template = docx.Document()
    template.add_paragraph("Figures for {{ title }}")
    table = template.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Ref", "Status"
    width = table.rows[0].cells[0]._tc.get_or_add_tcPr().get_or_add_tcW()
    width.set(qn("w:type"), "dxa")
    width.attrib.pop(qn("w:w"), None)
    grid_before = [column.get(qn("w:w")) for column in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    template.save(tmp_path / "template.docx")
    data = render.render_report(
        template_path=tmp_path / "template.docx",
        variables={"title": "the plan"},
        properties=render.DocumentProperties(title="T", author="A", date=date(2019, 1, 1)),
    )
    (tmp_path / "report.docx").write_bytes(data)
    report = docx.Document(tmp_path / "report.docx")
    assert report.paragraphs[0].text == "Figures for the plan"
    assert [column.get(qn("w:w")) for column in report.tables[0]._tbl.tblGrid.iter(qn("w:gridCol"))] == grid_before
