"""Workbook mistakes officers make get located, actionable messages, all at once, and exit status 1."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import datetime

import docx
import pytest
import xlwt
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl.styles import PatternFill

from helpers import ACTION_HEADERS, ROOT, Row, edit_workbook, errors_of, make_workbook

TEMPLATE = ROOT / "templates" / "committee_report.docx"


def good_rows() -> list[Row]:
    return [
        Row(ref="1.01", theme=1, status="Green"),
        Row(ref="1.02", theme=1, status="Amber", timescale="December 2018"),
        Row(ref="2.01", theme=2, status="Yellow", timescale="30/11/2018"),
        Row(ref="2.02", theme=2, status="Not yet due", timescale="March 2019"),
    ]


def test_a_good_workbook_checks_clean(case):
    make_workbook(case.plan, good_rows())
    result = case()
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


# -- not an .xlsx at all -----------------------------------------------------------------------------------


def test_a_password_protected_workbook_is_refused_with_what_to_do(case):
    # Encrypted as Excel does it ("Encrypt with Password"), with msoffcrypto-tool.
    make_workbook(case.plan, good_rows())
    with case.plan.open("rb") as plain:
        encrypted = io.BytesIO()
        OOXMLFile(plain).encrypt("secret", encrypted)
    case.plan.write_bytes(encrypted.getvalue())
    result = case()
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx: the workbook is protected with a password, so it cannot be read; "
        "in Excel remove the password (File > Info > Protect Workbook > Encrypt with "
        "Password) and save it"
    ]


def test_an_old_xls_file_is_refused_with_what_to_do(case):
    # A real Excel 97-2003 workbook, written by xlwt, saved under the .xlsx name.
    book = xlwt.Workbook()
    sheet = book.add_sheet("Action Plan")
    for column, header in enumerate(ACTION_HEADERS):
        sheet.write(0, column, header)
    book.save(str(case.plan))
    result = case()
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx: this is an old-format Excel file (.xls); open it in Excel and save "
        "it as an Excel Workbook (.xlsx)"
    ]


def test_a_word_document_renamed_to_xlsx_is_named_as_such(case):
    shutil.copy(TEMPLATE, case.plan)
    result = case()
    assert result.exit_code == 1
    assert errors_of(result.stderr) == ["Error: plan.xlsx: this is a Word document, not an Excel workbook (.xlsx)"]


def test_a_package_without_its_workbook_part_is_refused_naming_the_part(case):
    make_workbook(case.plan, good_rows())
    with zipfile.ZipFile(case.plan) as package:
        parts = {name: package.read(name) for name in package.namelist() if name != "xl/workbook.xml"}
    with zipfile.ZipFile(case.plan, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    result = case()
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx: this is not an Excel workbook (.xlsx): its part xl/workbook.xml, which every workbook "
        "has, is missing; save it from Excel as an Excel Workbook (.xlsx)"
    ]


def test_a_package_without_a_sheet_part_is_told_how_excel_mends_it_not_word(case):
    make_workbook(case.plan, good_rows())
    with zipfile.ZipFile(case.plan) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/")]
        parts = {name: package.read(name) for name in package.namelist() if name != sheets[0]}
    with zipfile.ZipFile(case.plan, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    result = case()
    assert result.exit_code == 1
    assert f"its part {sheets[0]}, which another part of it refers to, is missing" in result.stderr
    assert "Excel" in result.stderr and "Word" not in result.stderr


def cut_short(plan, part_of) -> str:
    """Cuts one XML part of the workbook in half, as a failed copy or sync leaves it; returns the part's name."""
    with zipfile.ZipFile(plan) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    part = next(name for name in parts if part_of(name))
    parts[part] = parts[part][: len(parts[part]) // 2]
    with zipfile.ZipFile(plan, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return part


def test_a_sheet_cut_short_is_named_by_its_sheet_and_part(case):
    make_workbook(case.plan, good_rows())
    with zipfile.ZipFile(case.plan) as package:
        first_sheet = sorted(n for n in package.namelist() if n.startswith("xl/worksheets/sheet"))[0]
    part = cut_short(case.plan, lambda name: name == first_sheet)
    result = case()
    assert result.exit_code == 1
    assert (
        f"{case.plan.name}, sheet 'Action Plan': the workbook is damaged: {part}, a sheet: it is cut short; "
        "Excel offers to repair such a workbook: open it in Excel, let it repair what it can, check that sheet"
    ) in result.stderr
    assert "Traceback" not in result.output


def test_cell_formats_cut_short_are_named_as_such(case):
    make_workbook(case.plan, good_rows())
    cut_short(case.plan, lambda name: name == "xl/styles.xml")
    result = case()
    assert result.exit_code == 1
    assert "the workbook is damaged: xl/styles.xml, its cell formats: it is cut short" in result.stderr
    assert "check every sheet" in result.stderr


def test_a_truncated_workbook_is_refused(case):
    make_workbook(case.plan, good_rows())
    data = case.plan.read_bytes()
    case.plan.write_bytes(data[: len(data) // 2])
    result = case()
    assert result.exit_code == 1
    assert "it is not a zip package, or it is damaged or truncated" in result.stderr


def test_a_zip_bomb_is_refused_by_size_before_parsing(case):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>")
    case.plan.write_bytes(buffer.getvalue())
    result = case()
    assert result.exit_code == 1
    assert "so it is refused as damaged or malicious" in result.stderr


# -- sheets and columns --------------------------------------------------------------------------------------


def test_a_missing_sheet_is_named_with_the_sheets_there_are(case):
    make_workbook(case.plan, good_rows())
    edit_workbook(case.plan, lambda book: book.remove(book["Themes"]))
    result = case()
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, sheet 'Themes': the sheet is missing; the workbook has: Action Plan, Status Key"
    ]


def test_a_missing_column_is_named_with_the_header_row(case):
    headers = [h if h != "Lead" else "Lead Officer Name" for h in ACTION_HEADERS]
    make_workbook(case.plan, good_rows(), headers=headers)
    result = case()
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, 'Action Plan'!1:1: the column 'Lead' is missing from the header row"
    ]


def test_headers_match_ignoring_case_spacing_and_order_and_extra_columns_are_ignored(case):
    rows = good_rows()
    make_workbook(case.plan, rows, title_rows=2)

    def shuffle(book):
        sheet = book["Action Plan"]
        sheet.insert_cols(1)  # an extra column partners keep for their own notes
        sheet.cell(row=3, column=1, value="Partner notes")
        for cell in sheet[3][1:]:
            cell.value = {"Progress Update": "  PROGRESS\u00a0 update ", "Ref": "ref"}.get(cell.value, cell.value)
        sheet.move_range("B3:B10", cols=7)  # Ref becomes the last column

    edit_workbook(case.plan, shuffle)
    result = case("build")
    assert result.exit_code == 0, result.output
    assert "TOTALS:" in result.stdout


# -- cells ---------------------------------------------------------------------------------------------------


def test_three_mistakes_give_three_located_messages_in_one_run_and_leave_the_report_alone(case):
    make_workbook(case.plan, good_rows())
    assert case("build").exit_code == 0
    before = case.output.read_bytes()
    rows = good_rows()
    rows[0].status = "Gren"
    rows[1].lead = None
    rows[2].timescale = "31/02/2019"
    make_workbook(case.plan, rows)
    result = case("build")
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, 'Action Plan'!F2 (Status): 'Gren' is not a status in the key "
        "(Green, Amber, Yellow, Not yet due); did you mean 'Green'?",
        "Error: plan.xlsx, 'Action Plan'!D3 (Lead): the cell is blank; every action needs this filled in",
        "Error: plan.xlsx, 'Action Plan'!E4 (Timescale): '31/02/2019' is not a real date; expected a date such as "
        "31/12/2018 or 31 December 2018 (day first), or a month such as December 2018 (meaning the end of that "
        "month) (found '31/02/2019')",
    ]
    assert result.stderr.rstrip().endswith(
        "3 problems must be fixed before the report can be built. Nothing was written."
    )
    assert case.output.read_bytes() == before


def test_an_unknown_theme_and_a_duplicate_reference(case):
    rows = good_rows()
    rows[1].theme = 9
    rows[3].ref = "1.01"
    make_workbook(case.plan, rows)
    result = case()
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, 'Action Plan'!B3 (Theme): 9 is not a theme number from the Themes sheet (1, 2)",
        "Error: plan.xlsx, 'Action Plan'!A5 (Ref): this reference is also used at A2; each action needs its own "
        "reference (found '1.01')",
    ]


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("Q1 2019", "this is not a date or month Excel or jtai-docs can read"),
        ("Spring 2019", "'Spring' is not a month"),
        ("12/31/2018", "'12/31/2018' is not a real date (dates are day first: 31/12/2018)"),
        ("31/12/18", "the year '18' is ambiguous; write all four digits"),
        ("Ongoing", "this is not a date or month Excel or jtai-docs can read"),
    ],
)
def test_a_timescale_that_is_not_a_date_is_explained(case, typed, why):
    rows = good_rows()
    rows[0].timescale = typed
    make_workbook(case.plan, rows)
    result = case()
    assert result.exit_code == 1
    [error] = errors_of(result.stderr)
    assert error.startswith(f"Error: plan.xlsx, 'Action Plan'!E2 (Timescale): {why}")
    assert error.endswith(f"(found {typed!r})")


def test_a_due_action_with_a_status_that_table1_does_not_show_is_not_silently_dropped(case):
    rows = good_rows()
    rows[0].status = "Not yet due"  # but its timescale is November 2018
    make_workbook(case.plan, rows)
    result = case()
    assert result.exit_code == 1
    assert (
        "action 1.01 is due by 31 December 2018 (timescale 30 November 2018) but its status 'Not yet due' "
        "has no column in Table 1" in result.stderr
    )


def test_excel_error_values_and_formulas_never_recalculated(case):
    rows = good_rows()
    rows[0].lead = "#REF!"
    rows[1].action = "#N/A"
    rows[2].progress = "#DIV/0!"
    rows[3].lead = '=CONCAT("Police", " – DI")'  # openpyxl saves formulas without a result, as a script would
    make_workbook(case.plan, rows)
    result = case()
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, 'Action Plan'!D2 (Lead): the cell holds an Excel error; correct the formula or type "
        "the value (found '#REF!')",
        "Error: plan.xlsx, 'Action Plan'!C3 (Action): the cell holds an Excel error; correct the formula or type "
        "the value (found '#N/A')",
        "Error: plan.xlsx, 'Action Plan'!G4 (Progress Update): the cell holds an Excel error; correct the formula "
        "or type the value (found '#DIV/0!')",
        "Error: plan.xlsx, 'Action Plan'!D5 (Lead): the cell's formula has no saved result (the workbook was never "
        'recalculated); open the workbook in Excel and save it (found \'=CONCAT("Police", " – DI")\')',
    ]


def test_merged_cells_inside_the_table_are_refused(case):
    make_workbook(case.plan, good_rows())
    edit_workbook(case.plan, lambda book: book["Action Plan"].merge_cells("D2:D3"))
    result = case()
    assert result.exit_code == 1
    assert "Error: plan.xlsx, 'Action Plan'!D2:D3: merged cells inside the table" in result.stderr


def test_hidden_rows_are_counted_with_a_warning(case):
    make_workbook(case.plan, good_rows())
    edit_workbook(case.plan, lambda book: setattr(book["Action Plan"].row_dimensions[3], "hidden", True))
    checked = case("check")
    assert checked.exit_code == 0
    assert checked.stdout.endswith("No errors found: the report can be built (1 warning above).\n")
    result = case("build")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: plan.xlsx, sheet 'Action Plan': 1 hidden row is counted like any other: "
        "row 3; unhide it in Excel to check it\n"
    )
    table = docx.Document(str(case.output)).tables[0]
    assert [c.text for c in table.rows[2].cells] == ["1.", "Strategy Meetings", "1", "1", "0", "2"]


def test_several_hidden_rows_are_listed_in_one_warning(case):
    make_workbook(case.plan, good_rows())

    def hide(book) -> None:
        for row in (2, 3, 5):
            book["Action Plan"].row_dimensions[row].hidden = True

    edit_workbook(case.plan, hide)
    checked = case("check")
    assert checked.exit_code == 0
    assert (
        "Warning: plan.xlsx, sheet 'Action Plan': 3 hidden rows are counted like any other: rows 2-3, 5; "
        "unhide them in Excel to check them\n"
    ) in checked.stderr


def test_trailing_and_formatted_blank_rows_are_ignored(case):
    make_workbook(case.plan, good_rows())

    def pad(book):
        sheet = book["Action Plan"]
        for row in range(6, 60):
            for column in range(1, 8):
                sheet.cell(row=row, column=column).fill = PatternFill("solid", fgColor="FFFF00")
        sheet["C61"] = "   "

    edit_workbook(case.plan, pad)
    result = case("build")
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in docx.Document(str(case.output)).paragraphs)
    assert "contains a total of 4 actions" in text


def test_an_absurdly_long_cell_is_refused_not_cut(case):
    rows = good_rows()
    rows[2].progress = "word " * 7000
    make_workbook(case.plan, rows)
    result = case()
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, 'Action Plan'!G4 (Progress Update): the text reaches 32,767 characters, the most an "
        "Excel cell holds, so its end may have been cut off; shorten it"
    ]


# -- text is printed exactly ---------------------------------------------------------------------------------


def test_special_characters_and_line_breaks_are_printed_exactly(case):
    themes = [(1, "Front Door & MASH <“Quotes” ’s> – café 🚀 {{ 7*7 }}", 1), (2, "Line one_x000B_Line two", 2)]
    statuses = [
        ("Green", "Done & dusted\nsecond line", 1, "Yes"),
        ("Amber", "<b>not bold</b> 'quoted'", 2, "Yes"),
        ("Yellow", "Revised", 3, "Yes"),
        ("Not yet due", "Later", 4, "No"),
    ]
    make_workbook(case.plan, good_rows(), themes=themes, statuses=statuses)
    result = case("build")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(case.output))
    table = document.tables[0]
    assert table.rows[2].cells[1].text == themes[0][1]
    assert table.rows[3].cells[1].text == "Line one\nLine two"  # Excel's escaped vertical tab is a line break
    keys = [p.text for p in document.paragraphs if p.style.name == "Table Key"]
    assert keys[:2] == ["¹ Key: Green: Done & dusted\nsecond line", "² Key: Amber: <b>not bold</b> 'quoted'"]


def test_an_escaped_control_character_is_refused_with_its_cell(case):
    themes = [(1, "Bell_x0007_here", 1), (2, "Front Door", 2)]
    make_workbook(case.plan, good_rows(), themes=themes)
    result = case()
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, 'Themes'!B2 (Theme): the text holds the invisible control character U+0007, which a "
        "Word document cannot contain; retype the text in this cell (found 'Bell\\x07here')"
    ]


def test_dates_in_text_columns_and_numbers_in_reference_columns(case):
    rows = good_rows()
    rows[0].lead = datetime(2018, 1, 1)
    rows[1].ref = 1.1  # typed as a number; Excel shows 1.1
    make_workbook(case.plan, rows)
    result = case()
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, 'Action Plan'!D2 (Lead): expected text but the cell holds a date (found '01/01/2018')"
    ]


def test_a_misspelt_header_is_pointed_out(case):
    headers = [h if h != "Progress Update" else "Progres Updates" for h in ACTION_HEADERS]
    make_workbook(case.plan, good_rows(), headers=headers)
    result = case()
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, 'Action Plan'!1:1: the column 'Progress Update' is missing from "
        "the header row; if 'Progres Updates' is meant to be it, rename that header to "
        "'Progress Update'"
    ]
