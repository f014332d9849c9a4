"""The workbook is read as Excel shows it, whatever wrote it, at a cost that follows its real cells."""

from __future__ import annotations

import csv
import tracemalloc
import zipfile
from datetime import datetime, time
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
import xlsxwriter
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from helpers import ACTION_HEADERS, ROOT, STATUSES, THEMES, Row, edit_workbook, errors_of, make_workbook
from jtai_docs import libreoffice, workbook
from jtai_docs.errors import InvalidInputError

TEMPLATE = ROOT / "templates" / "committee_report.docx"


def good_rows() -> list[Row]:
    return [
        Row(ref="1.01", theme=1),
        Row(ref="1.02", theme=1, status="Amber"),
        Row(ref="2.01", theme=2, status="Yellow"),
        Row(ref="2.02", theme=2),
    ]


def libreoffice_shows(plan: Path, tmp_path: Path) -> list[list[str]]:
    """The first sheet as LibreOffice displays it (its CSV export writes each cell as shown)."""
    target = libreoffice.convert_document(
        plan, tmp_path / "shown.csv", filter_name="csv:Text - txt - csv (StarCalc):44,34,76,1"
    )
    with target.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# -- numbers in text columns ---------------------------------------------------------------------------------

#: (value, number format) typed into the Ref and Progress Update columns, as officers format them.
NUMBERS = [
    (2.1, "0.00"),
    (2.2, "0.00"),
    (2.1, "General"),
    (2.2, "General"),
    (7, "General"),
    (3, "000"),
    (0.5, "0%"),
    (0.125, "0.0%"),
    (1234.5, "#,##0.00"),
    (5, '"Phase "0'),
    (-2.5, "0.00;[Red]-0.00"),
    (1234567, "#,##0"),
    (12345678901, "General"),
    (1.5, "# ?/?"),
    (1500, "0.0E+00"),
    (42, "@"),
    (1 / 3, "General"),
]


def test_numbers_in_text_columns_read_exactly_as_the_spreadsheet_shows_them(tmp_path):
    rows = [Row(ref=value, progress=value) for value, _ in NUMBERS]
    plan = make_workbook(tmp_path / "plan.xlsx", rows)

    def format_cells(book):
        sheet = book["Action Plan"]
        for index, (_, number_format) in enumerate(NUMBERS, start=2):
            sheet.cell(row=index, column=1).number_format = number_format
            sheet.cell(row=index, column=7).number_format = number_format

    edit_workbook(plan, format_cells)
    read, _ = workbook.read_workbook(plan)
    shown = libreoffice_shows(plan, tmp_path)
    # The last number is where the two programs part: Excel's General shows at most 11 characters
    # (0.333333333), LibreOffice's export every digit. jtai-docs follows Excel.
    assert [a.reference for a in read.actions][:-1] == [line[0] for line in shown[1:-1]]
    assert [a.progress for a in read.actions][:-1] == [line[6] for line in shown[1:-1]]
    assert shown[-1][0] == "0.333333333333333" and read.actions[-1].reference == "0.333333333"
    # What officers rely on: 2.10 is not 2.1, and a percentage stays a percentage.
    assert [a.reference for a in read.actions[:4]] == ["2.10", "2.20", "2.1", "2.2"]
    assert read.actions[6].progress == "50%"


# -- Excel's _xHHHH_ escapes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("inline", [False, True], ids=["shared strings", "inline strings"])
def test_escapes_read_the_same_from_shared_and_inline_strings_as_excel_reads_them(tmp_path, inline):
    typed = {
        "Action": "Literal a_x0041_b as typed",
        "Lead": "Line one\x0bLine two",
        "Progress Update": "Tab\there _x005F_ and _x00e9_",
    }
    path = tmp_path / "plan.xlsx"
    # XlsxWriter stores text as Excel does: a typed _x0041_ as _x005F_x0041_, a vertical tab as _x000B_;
    # its constant-memory mode writes inline strings instead of the shared-strings table.
    book = xlsxwriter.Workbook(str(path), {"constant_memory": inline})
    sheet = book.add_worksheet("Action Plan")
    sheet.write_row(0, 0, ACTION_HEADERS)
    sheet.write_row(
        1, 0, ["1.01", 1, typed["Action"], typed["Lead"], "November 2018", "Green", typed["Progress Update"]]
    )
    for title, header, rows in (
        ("Themes", ["Number", "Theme", "Order"], THEMES),
        ("Status Key", ["Status", "Meaning", "Order", "In Table 1"], STATUSES),
    ):
        extra = book.add_worksheet(title)
        extra.write_row(0, 0, header)
        for index, values in enumerate(rows, start=1):
            extra.write_row(index, 0, list(values))
    book.close()
    stored = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml" if inline else "xl/sharedStrings.xml")
    assert b"a_x005F_x0041_b" in stored and (b't="inlineStr"' in stored) == inline
    action = workbook.read_workbook(path)[0].actions[0]
    assert (action.text, action.lead, action.progress) == (
        typed["Action"],
        "Line one\nLine two",
        typed["Progress Update"],
    )


# -- the table's shape ---------------------------------------------------------------------------------------


def test_two_columns_with_the_same_header_are_a_located_error_naming_both(case):
    headers = ACTION_HEADERS + ["Status"]
    rows = good_rows()
    make_workbook(case.plan, rows, headers=headers)
    edit_workbook(case.plan, lambda book: [book["Action Plan"].cell(row=r, column=8, value="Red") for r in range(2, 6)])
    result = case()
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, 'Action Plan'!1:1: two columns are headed 'Status' (F1 and H1), so it is not clear which "
        "one to read; rename or delete all but one of them"
    ]


def test_a_chart_sheet_where_a_sheet_of_cells_is_expected_is_a_located_error(case):
    make_workbook(case.plan, good_rows())

    def chart_instead(book):
        del book["Themes"]
        chart = BarChart()
        chart.add_data(Reference(book["Status Key"], min_col=3, min_row=1, max_row=5), titles_from_data=True)
        book.create_chartsheet("Themes").add_chart(chart)

    edit_workbook(case.plan, chart_instead)
    result = case()
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, sheet 'Themes': this sheet is a chart sheet, not a sheet of cells; put the table on an "
        "ordinary worksheet named 'Themes' (rename or move the chart)"
    ]


def test_a_time_in_a_text_column_is_a_located_error(case):
    rows = good_rows()
    rows[1].lead = time(9, 30)
    make_workbook(case.plan, rows)
    result = case()
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, 'Action Plan'!D3 (Lead): expected text but the cell holds a time; type the text, or "
        "format the cell as Text in Excel and retype it (found '09:30:00')"
    ]


def test_dates_in_the_1904_date_system_are_read_as_the_same_days(tmp_path):
    rows = good_rows()
    rows[2].timescale = datetime(2018, 10, 31)
    plan = make_workbook(tmp_path / "plan.xlsx", rows)
    edit_workbook(plan, lambda book: setattr(book, "epoch", CALENDAR_MAC_1904))
    assert b'date1904="1"' in zipfile.ZipFile(plan).read("xl/workbook.xml")
    read, _ = workbook.read_workbook(plan)
    assert [a.timescale for a in read.actions] == [
        r.timescale.date() if isinstance(r.timescale, datetime) else None for r in rows
    ]


# -- cost follows the real cells -----------------------------------------------------------------------------


@pytest.mark.parametrize("far_cell", ["formatted A1048576", "value at XFD1048576"])
def test_a_cell_at_the_last_row_costs_nothing_and_changes_nothing(case, far_cell):
    make_workbook(case.plan, good_rows())
    before = case()

    def reach_far(book):
        sheet = book["Action Plan"]
        if far_cell.startswith("formatted"):
            sheet.cell(row=1_048_576, column=1).font = Font(bold=True)
        else:
            sheet.cell(row=1_048_576, column=16_384, value="far away")

    edit_workbook(case.plan, reach_far)
    assert case.plan.stat().st_size < 16_000
    tracemalloc.start()
    try:
        read, _ = workbook.read_workbook(case.plan)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # openpyxl built every cell up to the declared dimension: 3.4 GB for this 16 KB file.
    assert peak < 20_000_000
    assert [a.reference for a in read.actions] == [r.ref for r in good_rows()]
    result = case()
    assert result.exit_code == 0
    # The far cell changes nothing: the same Table 1, the same verdict, the same warnings.
    assert (result.stdout, result.stderr) == (before.stdout, before.stderr)
    assert "No errors found: the report can be built" in result.stdout


def test_a_huge_file_is_refused_by_its_size_before_it_is_read(case):
    with case.plan.open("wb") as handle:
        handle.truncate(workbook.MAX_WORKBOOK_BYTES + 1)  # sparse: costs no disk
    result = case()
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        f"Error: plan.xlsx: the file is {workbook.MAX_WORKBOOK_BYTES + 1:,} bytes; an action plan is far smaller "
        f"(at most {workbook.MAX_WORKBOOK_BYTES:,} bytes), so it is not read; check that this is the right file"
    ]


def test_an_endless_device_is_refused_without_reading_it():
    with pytest.raises(InvalidInputError) as raised:
        workbook.read_workbook(Path("/dev/zero"))
    (problem,) = raised.value.problems
    assert problem.message.startswith("the workbook is a device, not an ordinary file")


# -- what other programs write -------------------------------------------------------------------------------


def _inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def test_a_sheet_written_without_cell_references_with_rich_text_and_formula_results_reads_the_same(tmp_path):
    """Some programs leave out row and cell references, split text into formatted runs with phonetic guides,
    or store a formula's text result; the plan read must be the one the same rows give when Excel-made."""
    rows = good_rows()
    plain = make_workbook(tmp_path / "plain.xlsx", rows)
    expected, _ = workbook.read_workbook(plain)

    def cells(row: Row) -> str:
        first, rest = row.action.split(" ", 1)
        rich = (
            f'<c t="inlineStr"><is><r><rPr><b/></rPr><t>{escape(first)}</t></r>'
            f'<r><t xml:space="preserve"> {escape(rest)}</t></r>'
            '<rPh sb="0" eb="1"><t>phonetic guide, not text</t></rPh></is></c>'
        )
        lead = f'<c t="str"><f>"{escape(row.lead)}"</f><v>{escape(row.lead)}</v></c>'
        serial = (row.timescale - datetime(1899, 12, 30)).days
        return (
            _inline(row.ref)
            + f"<c><v>{row.theme}</v></c>"
            + rich
            + lead
            + f'<c s="1"><v>{serial}</v></c>'
            + _inline(row.status)
            + _inline(row.progress)
        )

    header = "".join(_inline(h) for h in ACTION_HEADERS)
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"<row>{header}</row>" + "".join(f"<row>{cells(row)}</row>" for row in rows) + "</sheetData></worksheet>"
    )
    styles = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'
    )
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(other, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode("utf-8")
            elif item.filename == "xl/styles.xml":
                data = styles.encode("utf-8")
            target.writestr(item, data)
    read, _ = workbook.read_workbook(other)
    assert read == expected


def test_excel_day_numbers_and_date_formats_are_understood_exactly_as_openpyxl_understands_them():
    """The reader keeps its own copy of openpyxl's date rules (importing openpyxl would slow every command)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
    from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

    assert workbook._BUILTIN_FORMATS == BUILTIN_FORMATS
    codes = [
        *BUILTIN_FORMATS.values(),
        "mmmm yyyy",
        "dd/mm/yyyy",
        '"day "0',
        "[Red]0.00",
        "[h]:mm",
        "[mm]:ss",
        "[$-F800]dddd, mmmm dd, yyyy",
        '0.00\\ "ms"',
        "_-* #,##0_-",
        "yyyy-mm-dd h:mm:ss",
    ]
    for code in codes:
        expected = "duration" if is_timedelta_format(code) else "date" if is_date_format(code) else None
        assert workbook._format_kind(code) == expected, code
    numbers = [0, 0.25, 0.999999, 1, 59, 60, 60.5, 61, 43465, 43465.75, 2_957_000.5]
    for epoch, mine in ((CALENDAR_WINDOWS_1900, workbook._WINDOWS_EPOCH), (CALENDAR_MAC_1904, workbook._MAC_EPOCH)):
        for number in numbers:
            for duration in (False, True):
                assert workbook._from_day_number(number, mine, duration=duration) == from_excel(
                    number, epoch, timedelta=duration
                ), (number, epoch, duration)


def test_dates_stored_as_iso_text_read_as_the_same_days(tmp_path):
    rows = good_rows()
    plan = tmp_path / "plan.xlsx"
    make_workbook(plan, rows)
    book = openpyxl.load_workbook(plan)
    book.iso_dates = True  # stored as <c t="d"><v>2018-11-30T00:00:00</v></c>, as some programs write dates
    book.save(plan)
    assert b't="d"' in zipfile.ZipFile(plan).read("xl/worksheets/sheet1.xml")
    read, _ = workbook.read_workbook(plan)
    assert [a.timescale for a in read.actions] == [r.timescale.date() for r in rows]
