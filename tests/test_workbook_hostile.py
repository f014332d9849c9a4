"""Workbooks made or edited outside Excel: what they hold is read exactly, or refused with the place named."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from msoffcrypto.format.ooxml import OOXMLFile

from helpers import ACTION_HEADERS, ROOT, Row, beside_workbook, edit_workbook, errors_of, make_workbook, run

TEMPLATE = ROOT / "templates" / "committee_report.docx"

ROWS = [
    Row(ref="1.01", theme=1, status="Green", progress="Complete per council policy."),
    Row(ref="1.02", theme=1, status="Amber"),
    Row(ref="2.01", theme=2, status="Yellow"),
]


def _rewrite(path: Path, edit: Callable[[str, bytes], list[tuple[str, bytes]]]) -> None:
    """The package again, each entry replaced by what edit makes of it (none, one or several entries)."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            for name, data in edit(info.filename, source.read(info.filename)):
                target.writestr(name, data)
    path.write_bytes(output.getvalue())


def _part(name: str, change: Callable[[bytes], bytes]) -> Callable[[str, bytes], list[tuple[str, bytes]]]:
    return lambda entry, data: [(entry, change(data) if entry == name else data)]


def _table1(case) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in docx.Document(str(case.output)).tables[0].rows]


# -- a declared document type -------------------------------------------------------------------------------


def _with_doctype(data: bytes, entity: str) -> bytes:
    text = re.sub(rb"^<\?xml[^>]*\?>", b"", data.lstrip())
    declared = f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [{entity}]>'.encode()
    return declared + text.replace(b"council policy", b"&co; policy")


def test_an_entity_declared_in_a_sheet_is_refused_naming_the_part_not_cut(case):
    # Before, "Complete per &co; policy." was read as "Complete per", without a word said.
    make_workbook(case.plan, ROWS)
    entity = '<!ENTITY co "Durham County">'
    _rewrite(case.plan, _part("xl/worksheets/sheet1.xml", lambda b: _with_doctype(b, entity)))
    result = case("build")
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, part xl/worksheets/sheet1.xml: the workbook is damaged: this part declares a document type "
        "of its own (<!DOCTYPE>), which Excel never writes, and text in it could be read as nothing; open the "
        "original in Excel and save it again as an Excel Workbook (.xlsx)"
    ]
    assert not case.output.exists()


def test_an_external_entity_in_the_cell_styles_is_refused_naming_that_part(case):
    make_workbook(case.plan, ROWS)
    entity = '<!ENTITY xxe SYSTEM "file:///etc/hostname">'
    _rewrite(case.plan, _part("xl/styles.xml", lambda b: _with_doctype(b, entity)))
    result = case("check")
    assert result.exit_code == 1
    assert errors_of(result.stderr)[0].startswith(
        "Error: plan.xlsx, part xl/styles.xml: the workbook is damaged: this part declares a document type"
    )


def test_the_same_entity_written_as_utf_16_is_refused_too(case):
    make_workbook(case.plan, ROWS)

    def as_utf16(data: bytes) -> bytes:
        declared = _with_doctype(data, '<!ENTITY co "Durham County">').decode()
        return declared.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")

    _rewrite(case.plan, _part("xl/worksheets/sheet1.xml", as_utf16))
    result = case("check")
    assert result.exit_code == 1
    assert "part xl/worksheets/sheet1.xml: the workbook is damaged: this part declares" in result.stderr


# -- the package's entries and a sheet's rows ------------------------------------------------------------------


def test_a_part_stored_twice_is_refused_as_damaged_naming_the_part(case):
    make_workbook(case.plan, ROWS)
    sheet = "xl/worksheets/sheet1.xml"

    def twice(entry: str, data: bytes) -> list[tuple[str, bytes]]:
        return [(entry, data), (entry, data.replace(b"Green", b"Amber"))] if entry == sheet else [(entry, data)]

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it is told to write
        _rewrite(case.plan, twice)
    result = case("build")
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        f"Error: plan.xlsx, part {sheet}: the workbook is damaged: it holds this part twice, so which copy is "
        "meant cannot be told; open it in Excel, let it repair what it can, check every sheet and save it again "
        "as an Excel Workbook (.xlsx)"
    ]
    assert not case.output.exists()


def test_a_row_given_twice_is_refused_naming_the_row_not_counted_twice(case):
    make_workbook(case.plan, ROWS)
    _rewrite(case.plan, _part("xl/worksheets/sheet1.xml", lambda b: b.replace(b'<row r="3"', b'<row r="2"', 1)))
    result = case("build")
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, 'Action Plan'!2:2: the workbook is damaged: row 2 is stored after row 2 (rows out of "
        "order, or a row given twice), so which cells Excel would show there cannot be told; open it in Excel, let "
        "it repair what it can, check this sheet and save it again as an Excel Workbook (.xlsx)"
    ]


def test_rows_out_of_order_are_refused_naming_the_first_row_out_of_place(case):
    make_workbook(case.plan, ROWS)

    def last_first(data: bytes) -> bytes:
        last = re.search(rb'<row r="4".*?</row>', data)
        assert last is not None
        data = data.replace(last.group(), b"")
        return data.replace(b'<row r="2"', last.group() + b'<row r="2"', 1)

    _rewrite(case.plan, _part("xl/worksheets/sheet1.xml", last_first))
    result = case("check")
    assert result.exit_code == 1
    assert errors_of(result.stderr)[0].startswith(
        "Error: plan.xlsx, 'Action Plan'!2:2: the workbook is damaged: row 2 is stored after row 4"
    )


# -- Excel's _xHHHH_ escape of a character beyond the first 65,536 --------------------------------------------


def test_a_character_escaped_as_a_surrogate_pair_is_read_as_that_character(case):
    # _xD83D__xDE00_ is how Excel's escapes write 😀 (two halves of one UTF-16 pair): it is one character.
    make_workbook(case.plan, [*ROWS[:2], Row(ref="2.01", theme=2, status="Yellow", action="Smile _xD83D__xDE00_ now")])
    result = case("build")
    assert result.exit_code == 0, result.output
    body = [paragraph.text for paragraph in docx.Document(str(case.output)).paragraphs]
    cells = [cell.text for table in docx.Document(str(case.output)).tables for row in table.rows for cell in row.cells]
    assert "Smile 😀 now" in body + cells
    listed = run("actions", case.plan.parent / "report.toml", "--all", "--format", "json")
    assert listed.exit_code == 0 and "Smile 😀 now" in listed.stdout


def test_half_a_surrogate_pair_is_a_located_problem_not_a_crash(case):
    rows = [
        Row(ref="1.01", theme=1, status="Green", progress="Complete _xD800_ lone"),
        Row(ref="1.02", theme=1, status="Amber _xDE00_"),
        Row(ref="2.01", theme=2, status="Yellow"),
    ]
    make_workbook(case.plan, rows)
    for command in ("check", "build"):
        result = case(command)
        assert result.exit_code == 1
        assert errors_of(result.stderr) == [
            "Error: plan.xlsx, 'Action Plan'!G2 (Progress Update): the cell holds a character that is not valid "
            "text (_xD800_); retype the cell in Excel",
            "Error: plan.xlsx, 'Action Plan'!F3 (Status): the cell holds a character that is not valid text "
            "(_xDE00_); retype the cell in Excel",
        ]
    listed = run("actions", case.plan.parent / "report.toml", "--all", "--format", "csv")
    assert listed.exit_code == 1 and "(_xD800_); retype the cell in Excel" in listed.stderr


def test_half_a_surrogate_pair_in_a_header_is_shown_as_it_was_stored(case):
    headers = [f"{name} _xD800_" if name == "Status" else name for name in ACTION_HEADERS]
    make_workbook(case.plan, ROWS, headers=headers)
    result = case("check")
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx, 'Action Plan'!1:1: the column 'Status' is missing from the header row; if "
        "'Status _xD800_' is meant to be it, rename that header to 'Status'"
    ]


# -- hidden sheets ------------------------------------------------------------------------------------------


def test_a_very_hidden_action_plan_beside_a_visible_copy_is_read_with_a_warning_naming_both(case):
    make_workbook(case.plan, ROWS)

    def hide_behind_a_copy(book) -> None:
        copy = book.copy_worksheet(book["Action Plan"])
        copy.title = "Action Plan (March)"
        copy["F2"] = "Amber"  # the officer's edit, on the sheet they see
        book["Action Plan"].sheet_state = "veryHidden"
        book.active = book.sheetnames.index("Action Plan (March)")

    edit_workbook(case.plan, hide_behind_a_copy)
    result = case("build")
    assert result.exit_code == 0, result.output
    assert [line for line in result.stderr.splitlines() if line.startswith("Warning: plan.xlsx")] == [
        "Warning: plan.xlsx, sheet 'Action Plan': the sheet is hidden so that Excel's Unhide does not show it, and "
        "it is the one read (the visible sheet 'Action Plan (March)' is not read); whoever set up the workbook can "
        "show it in Excel's Visual Basic editor (the sheet's Visible property): check that it is the sheet you keep "
        "up to date"
    ]
    assert _table1(case)[2][2:] == ["1", "1", "0", "2"]  # Green, Amber, Yellow, total: the hidden sheet's counts


def test_hidden_themes_and_status_key_sheets_are_read_with_a_warning_saying_how_to_unhide(case):
    make_workbook(case.plan, ROWS)

    def hide(book) -> None:
        book["Themes"].sheet_state = "hidden"
        book["Status Key"].sheet_state = "hidden"

    edit_workbook(case.plan, hide)
    result = case("check")
    assert result.exit_code == 0, result.output
    assert [line for line in result.stderr.splitlines() if line.startswith("Warning: plan.xlsx")] == [
        f"Warning: plan.xlsx, sheet '{name}': the sheet is hidden, and it is the one read; to see it, right-click "
        "any sheet tab in Excel and choose Unhide, and check that it is the sheet you keep up to date"
        for name in ("Themes", "Status Key")
    ]


# -- files of another kind under the expected name ---------------------------------------------------------


def _opendocument(kind: str) -> bytes:
    """An OpenDocument package as LibreOffice starts one: its mimetype first, stored, then its content."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        package.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}")
        office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
        content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}"/>'
        package.writestr("content.xml", content)
        package.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest/>')
    return output.getvalue()


def test_an_opendocument_spreadsheet_renamed_to_xlsx_is_named_as_such(case):
    case.plan.write_bytes(_opendocument("spreadsheet"))
    result = case("check")
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: plan.xlsx: this is an OpenDocument spreadsheet (.ods), not an Excel workbook (.xlsx); open it in "
        "Excel or LibreOffice and save it as an Excel Workbook (.xlsx)"
    ]


def _with_template(tmp_path: Path, name: str, data: bytes) -> Path:
    make_workbook(tmp_path / "plan.xlsx", ROWS)
    (tmp_path / name).write_bytes(data)
    return beside_workbook(tmp_path, template=f'"{name}"', output='"out/report.docx"')


def _content_types(data: bytes, old: bytes, new: bytes) -> bytes:
    path = Path(tempfile.mkdtemp(prefix="types-")) / "t.docx"
    path.write_bytes(data)
    _rewrite(path, _part("[Content_Types].xml", lambda b: b.replace(old, new)))
    return path.read_bytes()


def test_a_password_protected_template_gets_the_password_message_the_workbook_gets(tmp_path):
    encrypted = io.BytesIO()
    with TEMPLATE.open("rb") as plain:
        OOXMLFile(plain).encrypt("secret", encrypted)
    result = run("build", _with_template(tmp_path, "tpl.docx", encrypted.getvalue()))
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: tpl.docx: the template is protected with a password, so it cannot be read; in Word remove the "
        "password (File > Info > Protect Document > Encrypt with Password) and save it"
    ]
    assert not (tmp_path / "out").exists()


def test_a_word_template_or_macro_document_is_named_as_such_with_how_to_save_it(tmp_path):
    main = b"wordprocessingml.document.main+xml"
    kinds = {
        "tpl.dotx": (b"wordprocessingml.template.main+xml", "this is a Word template (.dotx or .dotm)"),
        "tpl.docm": (b"ms-word.document.macroEnabled.main+xml", "this is a Word document with macros (.docm)"),
    }
    for name, (content_type, said) in kinds.items():
        folder = tmp_path / name.replace(".", "_")
        folder.mkdir()
        result = run("check", _with_template(folder, name, _content_types(TEMPLATE.read_bytes(), main, content_type)))
        assert result.exit_code == 1
        assert errors_of(result.stderr)[0].startswith(f"Error: {name}: {said}"), result.stderr
        assert "save it as a Word Document (.docx), then give that file" in result.stderr


def test_an_opendocument_text_file_as_the_template_is_named_as_such(tmp_path):
    result = run("check", _with_template(tmp_path, "tpl.docx", _opendocument("text")))
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: tpl.docx: this is an OpenDocument text file, not a Word document (.docx); open it in Word or "
        "LibreOffice and save it as a Word Document (.docx)"
    ]
