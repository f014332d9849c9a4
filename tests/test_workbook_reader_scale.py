"""The quick way through a workbook (issue #11) reads exactly what the general way and openpyxl read.

jtai_docs.workbook reads a sheet whose rows are all in the plain form Excel writes with regular expressions,
keeps plainly right action rows as stored and makes their actions straight away; anything else goes the
general way (lxml's iterparse, every cell typed and checked). These tests hold the two ways to the same plan
and the same located messages, on generated Excel-like plans (benchmarks/workbooks.py), on openpyxl-written
workbooks with random cells, and on hand-made sheets at the edges of the plain form; and hold the plan read to
what openpyxl, an independent reader, finds in the same cells.
"""

from __future__ import annotations

import dataclasses
import pickle
import re
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ACTION_HEADERS, ROOT, STATUSES, THEMES, Row, make_workbook
from jtai_docs import workbook
from jtai_docs.errors import InvalidInputError
from jtai_docs.model import Action

sys.path.insert(0, str(ROOT / "benchmarks"))
from workbooks import STATUSES as PLAN_STATUSES  # noqa: E402
from workbooks import THEMES as PLAN_THEMES  # noqa: E402
from workbooks import make_workbook as make_plan  # noqa: E402


@contextmanager
def general_way_only() -> Iterator[None]:
    """Every quick way switched off: sheets, shared strings and action rows all read the general way."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workbook._Book, "quick_table", lambda *args, **kwargs: None)
        patch.setattr(workbook._Book, "quick_shared_strings", lambda *args, **kwargs: None)
        patch.setattr(workbook._Reader, "quick_action", lambda *args, **kwargs: None)
        yield


@contextmanager
def counting_quick_sheets() -> Iterator[list[str]]:
    """The titles of the sheets read the quick way while inside."""
    read: list[str] = []
    quick_table = workbook._Book.quick_table

    def spy(book: Any, title: str, *args: Any, **kwargs: Any) -> Any:
        table = quick_table(book, title, *args, **kwargs)
        if table is not None:
            read.append(title)
        return table

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workbook._Book, "quick_table", spy)
        yield read


def outcome(path: Path) -> tuple[Any, ...]:
    """The plan and warnings read, or every problem reported, as comparable values."""
    try:
        plan, warnings = workbook.read_workbook(path)
    except InvalidInputError as exc:
        return ("refused", tuple(exc.problems))
    return ("read", plan, warnings)


def both_ways(path: Path) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    quick = outcome(path)
    with general_way_only():
        general = outcome(path)
    return quick, general


@pytest.mark.parametrize(("actions", "faults"), [(1_500, False), (300, True)])
def test_generated_plans_read_the_same_either_way(tmp_path, actions, faults):
    path = make_plan(tmp_path / "plan.xlsx", actions, seed=3, faults=faults)
    with counting_quick_sheets() as quick_sheets:
        quick, general = both_ways(path)
    assert quick == general
    if not faults:
        assert quick[0] == "read"
        assert len(quick[1].actions) == actions
        assert workbook.ACTIONS_SHEET in quick_sheets  # the quick way was taken, so the comparison means something


def test_the_example_workbook_reads_the_same_either_way():
    quick, general = both_ways(ROOT / "inputs" / "action_plan.xlsx")
    assert quick == general
    assert quick[0] == "read"


def test_a_generated_plan_reads_as_openpyxl_reads_its_cells(tmp_path):
    """An independent reader: each action holds what openpyxl finds in its row, at the same row."""
    path = make_plan(tmp_path / "plan.xlsx", 2_000, seed=5)
    plan, _ = workbook.read_workbook(path)
    book = openpyxl.load_workbook(path, read_only=True)
    labels = {s.label.casefold(): s for s in plan.statuses}
    expected = []
    for number, cells in enumerate(book["Action Plan"].iter_rows(min_row=3, values_only=True), start=3):
        if not any(value is not None for value in cells):
            continue
        ref, theme, text, lead, timescale, status, progress = (list(cells) + [None] * 7)[:7]
        expected.append(
            (
                number,
                ref.strip(),
                theme,
                text,
                lead,
                timescale.date() if isinstance(timescale, datetime) else timescale,
                labels[status.strip().casefold()].label,
                progress or "",
            )
        )
    book.close()
    got = [
        (
            action.row,
            action.reference,
            action.theme.number,
            action.text,
            action.lead,
            action.timescale,
            action.status.label,
            action.progress,
        )
        for action in plan.actions
    ]
    # Timescales typed as text ("March 2019") are read as the last day of that month; openpyxl gives the text.
    for (*ours, when), (*theirs, typed) in zip(
        [(g[0], g[1], g[2], g[3], g[4], g[6], g[7], g[5]) for g in got],
        [(e[0], e[1], e[2], e[3], e[4], e[6], e[7], e[5]) for e in expected],
        strict=True,
    ):
        assert ours == theirs
        if isinstance(typed, date):
            assert when == typed
        else:
            assert isinstance(typed, str) and when.strftime("%B %Y") == typed


# Cell values an officer's workbook may hold in any column: text (with XML's and Excel's special characters),
# whole and decimal numbers, dates, booleans and blanks (a formula, which sends the sheet the general way, is
# put in now and then).
VALUES = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "1.01", "2", "Green", "amber ", "Not yet due", "March 2019", "31/12/2018", "13/13/2018"]),
    st.sampled_from(["a & b", "<w:t>", "]]>", "_x0007_", "_x005F_x0041_", "line\nbreak", "tab\tstop", "é – 🚀"]),
    st.integers(min_value=-3, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.booleans(),
)


THEME_HEADERS = ["Number", "Theme", "Order"]
STATUS_HEADERS = ["Status", "Meaning", "Order", "In Table 1"]


def write_plan(path: Path, cells: list[list[Any]], *, hidden: Any = (), formula: str | None = None) -> Path:
    """An action plan written as Excel writes one (XlsxWriter: shared strings, styles), the actions from row 2."""
    book = xlsxwriter.Workbook(str(path))
    when = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet("Action Plan")
    sheet.write_row(0, 0, ACTION_HEADERS)
    for number, values in enumerate(cells, start=1):
        for column, value in enumerate(values):
            if isinstance(value, datetime):
                sheet.write_datetime(number, column, value, when)
            elif isinstance(value, str):
                sheet.write_string(number, column, value)
            elif value is not None:
                sheet.write(number, column, value)
    if formula and cells:
        sheet.write_formula(1, 2, formula, None, "")  # no saved result
    for number in hidden:
        sheet.set_row(number - 1, None, None, {"hidden": True})
    for title, header, rows in (("Themes", THEME_HEADERS, THEMES), ("Status Key", STATUS_HEADERS, STATUSES)):
        other = book.add_worksheet(title)
        other.write_row(0, 0, header)
        for number, row in enumerate(rows, start=1):
            other.write_row(number, 0, row)
    book.close()
    return path


def test_references_used_twice_are_found_in_row_order_whichever_way_each_row_went(tmp_path):
    """Plainly right rows are made into actions as the sheet is read; their references are still checked in
    row order with the rows that needed every check, so the message names the first use either way."""
    day = datetime(2018, 11, 30)
    cells = [
        ["1.01", 1, "Act", "Lead", day, "Green", "Done"],  # plainly right
        ["1.02", "one", "Act", "Lead", day, "Green", "Done"],  # a theme that is no number: every check
        ["1.02", 1, "Act", "Lead", day, "Green", "Done"],  # plainly right, its reference used by the faulty row
        ["1.01", 2, "Act", "Lead", day, "Amber", ""],  # plainly right, its reference used by the first row
        ["1.03", 1, "Act", "Lead", day, "Purple", "Done"],  # a status not in the key: every check
        ["1.03", 1, "Act", "Lead", "March 2019", "Green", "Done"],  # plainly right, month typed as text
        ["1.04", 1, "Act", "Lead", day, "Green", "Done"],
        ["1.04", 1, "Act", "Lead", day, "Green", "Done"],
    ]
    path = write_plan(tmp_path / "plan.xlsx", cells)
    with counting_quick_sheets() as quick_sheets:
        quick, general = both_ways(path)
    assert workbook.ACTIONS_SHEET in quick_sheets
    assert quick == general
    assert quick[0] == "refused"
    twice = [(p.place, p.message) for p in quick[1] if "also used" in p.message]
    assert twice == [
        ("'Action Plan'!A4 (Ref)", "this reference is also used at A3; each action needs its own reference"),
        ("'Action Plan'!A5 (Ref)", "this reference is also used at A2; each action needs its own reference"),
        ("'Action Plan'!A7 (Ref)", "this reference is also used at A6; each action needs its own reference"),
        ("'Action Plan'!A9 (Ref)", "this reference is also used at A8; each action needs its own reference"),
    ]


def test_a_reference_first_used_by_a_row_read_by_its_layout_is_located_at_that_row(tmp_path):
    # (#11) A plainly right row read by its layout's pattern keeps only that match; the place of its reference is
    # worked out from it when a later row uses the same reference.
    day = datetime(2018, 11, 30)
    cells = [[f"1.{n:02d}", 1, "Act", "Lead", day, "Green", "Done" if n % 3 else None] for n in range(1, 31)]
    cells[24][0] = "1.10"  # row 26 uses the reference of row 11
    path = write_plan(tmp_path / "plan.xlsx", cells)
    quick, general = both_ways(path)
    assert quick == general
    assert [(p.place, p.message) for p in quick[1]] == [
        ("'Action Plan'!A26 (Ref)", "this reference is also used at A11; each action needs its own reference")
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(st.lists(VALUES, min_size=7, max_size=7), min_size=0, max_size=8),
    hidden=st.sets(st.integers(min_value=2, max_value=10), max_size=2),
    formula=st.sampled_from([None, None, None, "=1+1", '="text"']),
)
def test_random_cells_read_the_same_either_way(cells, hidden, formula):
    """Written as Excel writes (shared strings, styles), so the quick way is taken unless a formula is there."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_plan(Path(folder) / "plan.xlsx", cells, hidden=hidden, formula=formula)
        quick, general = both_ways(path)
        assert quick == general


def rewrite_sheet(source: Path, target: Path, change: Any) -> Path:
    """A copy of the workbook with the Action Plan sheet's XML changed by change(text)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            new.writestr(item, data)
    return target


EDGES = {
    # Forms a writer may use that the quick way leaves to the general way; each must read the same.
    "pretty-printed": lambda xml: xml.replace("<row ", "\n  <row ").replace("<c ", "\n    <c "),
    "a comment among the rows": lambda xml: xml.replace("</row>", "</row><!-- note -->", 3),
    "a character reference in a value": lambda xml: re.sub(r"<v>(\d)", r"<v>&#x3\1;", xml, count=5),
    "attributes in another order": lambda xml: re.sub(r'<c r="(B\d+)" t="s"', r'<c t="s" r="\1"', xml),
    "a row attribute given twice": lambda xml: xml.replace('<row r="3"', '<row r="3" r="3"', 1),
    "a row number given twice, after a row numbered last": lambda xml: xml.replace(
        '<row r="3" spans="1:7">', '<row spans="1:7" r="3">', 1
    ).replace('<row r="4" spans="1:7">', '<row r="4" spans="1:7" r="3">', 1),
    "rows without numbers": lambda xml: re.sub(r'<row r="\d+"', "<row", xml),
    "a hidden row": lambda xml: xml.replace('<row r="4"', '<row r="4" hidden="1"', 1),
    "a hidden row, spelt true": lambda xml: xml.replace('<row r="5"', '<row r="5" hidden="true"', 1),
    "a row outside the rows": lambda xml: xml.replace("</sheetData>", '</sheetData><row r="99"/>', 1),
    "damage after the rows": lambda xml: xml.replace("</sheetData>", "</sheetData><oops>", 1),
    "damage in the rows": lambda xml: xml.replace("</row>", "</rows>", 1),
    "an undefined entity": lambda xml: xml.replace("<v>", "<v>&nbsp;", 1),
    "an undeclared prefix": lambda xml: xml.replace('<row r="3"', '<row r="3" x9:note="1"', 1),
    "a name with two prefixes": lambda xml: xml.replace("<worksheet ", '<worksheet xmlns:x9="urn:x9" ', 1).replace(
        '<row r="3"', '<row r="3" x9:a:b="1"', 1
    ),
    "a declared prefix": lambda xml: xml.replace("<worksheet ", '<worksheet xmlns:x9="urn:x9" ', 1).replace(
        '<row r="3"', '<row r="3" x9:note="1"', 1
    ),
    "a document type with entities": lambda xml: xml.replace(
        "<worksheet", '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><worksheet', 1
    ),
    "an empty sheet data": lambda xml: re.sub(r"<sheetData>.*</sheetData>", "<sheetData/>", xml, flags=re.S),
    "cells with no value": lambda xml: xml.replace("</row>", '<c r="Z1" s="1"/><c r="Y1"></c></row>', 2),
    "a shared string index out of range": lambda xml: xml.replace('t="s"><v>', 't="s"><v>9999', 1),
    "text stored as a formula's result": lambda xml: re.sub(
        r'<c r="G5"[^>]*><v>\d+</v>', '<c r="G5" t="str"><v>plain text</v>', xml, count=1
    ),
    "an Excel error and TRUE": lambda xml: re.sub(
        r'<c r="G6"[^>]*><v>\d+</v>', '<c r="G6" t="e"><v>#N/A</v>', xml, count=1
    ).replace('<c r="G7" s="1" t="s">', '<c r="G7" t="b">', 1),
    "a date stored as ISO text": lambda xml: re.sub(
        r'<c r="E8"[^>]*><v>\d+</v>', '<c r="E8" t="d"><v>2019-03-31T00:00:00</v>', xml, count=1
    ),
    "a date stored as ISO text that is no date": lambda xml: re.sub(
        r'<c r="E9"[^>]*><v>\d+</v>', '<c r="E9" t="d"><v>2019-13-45</v>', xml, count=1
    ),
    "a value that is no number": lambda xml: re.sub(r'(<c r="B5"[^>]*>)<v>\d+', r"\1<v>x", xml, count=1),
}


@pytest.mark.parametrize("edge", EDGES)
def test_sheets_at_the_edges_of_the_plain_form_read_the_same_either_way(tmp_path, edge):
    source = make_plan(tmp_path / "plan.xlsx", 40, seed=1)
    path = rewrite_sheet(source, tmp_path / "edge.xlsx", EDGES[edge])
    quick, general = both_ways(path)
    assert quick == general


def test_shared_strings_with_entities_and_escapes_read_the_same_either_way(tmp_path):
    rows = [Row(ref=f"1.{n:02d}", action=text) for n, text in enumerate(["a & b < c > d", "\"q\" 'a'", "_x0041_"])]
    path = make_workbook(tmp_path / "plan.xlsx", rows)
    quick, general = both_ways(path)
    assert quick == general
    assert [a.text for a in quick[1].actions] == ["a & b < c > d", "\"q\" 'a'", "A"]


def test_a_billion_laughs_in_the_shared_strings_is_not_expanded(tmp_path):
    source = make_plan(tmp_path / "plan.xlsx", 20, seed=1)
    laughs = '<!DOCTYPE sst [<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    target = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                text = data.decode("utf-8").replace("<sst", laughs + "]><sst", 1)
                data = text.replace("<t>Ref</t>", "<t>Ref&l9;</t>", 1).encode("utf-8")
            new.writestr(item, data)
    quick, general = both_ways(target)
    assert quick == general
    assert quick[0] == "refused"  # the header is no longer 'Ref', and nothing was expanded a billion times


def test_the_general_way_is_kept_for_sheets_with_formulas(tmp_path):
    """The planted mistakes include a formula, which sends that sheet the general way; the others stay quick."""
    path = make_plan(tmp_path / "plan.xlsx", 100, seed=2, faults=True)
    with counting_quick_sheets() as quick_sheets:
        outcome(path)
    assert workbook.ACTIONS_SHEET not in quick_sheets
    assert workbook.THEMES_SHEET in quick_sheets


def test_actions_made_the_quick_way_are_what_their_constructor_makes(tmp_path):
    # (#11) The quick way fills in an Action's fields without its __init__: the same fields, in the same order, so
    # equal, hashed, shown, copied and pickled alike.
    plan, _warnings = workbook.read_workbook(make_plan(tmp_path / "plan.xlsx", 200, seed=5))
    assert len(plan.actions) == 200
    for action in plan.actions:
        made = Action(**vars(action))
        assert list(vars(action).items()) == list(vars(made).items())
        assert (action, hash(action), repr(action)) == (made, hash(made), repr(made))
        assert pickle.loads(pickle.dumps(action)) == made
        with pytest.raises(dataclasses.FrozenInstanceError):
            action.row = 1  # type: ignore[misc]


class _CountedLayout:
    """A layout's pattern that counts the rows it matches."""

    def __init__(self, pattern: re.Pattern[str], matched: list[int]) -> None:
        self.pattern, self.matched = pattern, matched

    def match(self, text: str, position: int) -> re.Match[str] | None:
        found = self.pattern.match(text, position)
        self.matched[0] += found is not None
        return found


@pytest.mark.parametrize("faults", [False, True])
def test_rows_read_by_their_layout_read_as_rows_read_one_cell_at_a_time(tmp_path, monkeypatch, faults):
    # (#11) A row whose cells are in the columns of the row before it is read by one match of that layout's pattern.
    path = make_plan(tmp_path / "plan.xlsx", 700, seed=7, faults=faults)
    matched = [0]
    layout = workbook._quick_layout.__wrapped__
    with monkeypatch.context() as patch:
        patch.setattr(workbook, "_quick_layout", lambda letters: _CountedLayout(layout(letters), matched))
        quick = outcome(path)
    with monkeypatch.context() as patch:
        patch.setattr(workbook, "_LAYOUTS", 0)
        assert outcome(path) == quick
    assert quick == both_ways(path)[1]
    if not faults:  # (the planted formula sends the whole sheet the general way)
        # Every row after the first is read by one match: the layout of a full row also takes the rows whose
        # progress update is blank (a cell left out). So on each sheet, its data rows but the first.
        first_rows = 3  # of the Action Plan, Themes and Status Key sheets
        assert quick[0] == "read"
        assert matched[0] == 700 + len(PLAN_THEMES) + len(PLAN_STATUSES) - first_rows


def stored_plan(source: Path, target: Path, damage: str | None = None) -> Path:
    """A copy of the workbook with its parts stored uncompressed; with damage, that part's first byte changed
    after its CRC-32 was recorded, as a disk or a transfer may damage a file."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as new:
        for item in old.infolist():
            new.writestr(item.filename, old.read(item.filename))
    if damage is not None:
        with zipfile.ZipFile(target) as archive:
            info = archive.getinfo(damage)
        data = bytearray(target.read_bytes())
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        data[start] = ord(b" ") if data[start] != ord(b" ") else ord(b"\t")
        target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize(
    "part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "docProps/app.xml"]
)
def test_a_damaged_part_is_named_whether_or_not_it_is_kept_inflated(tmp_path, part):
    # (#11) The worksheets and shared strings are kept as inflated while every part's check is made, and read from
    # there; a part that fails its check is named as before, kept or not.
    source = make_plan(tmp_path / "plan.xlsx", 30, seed=4)
    assert outcome(stored_plan(source, tmp_path / "stored.xlsx")) == outcome(source)  # the copy itself reads
    damaged = outcome(stored_plan(source, tmp_path / "damaged.xlsx", damage=part))
    assert damaged[0] == "refused"
    assert [(p.file, p.place, p.message) for p in damaged[1]] == [
        ("damaged.xlsx", "", f"the workbook is damaged ({part} fails its check); save it again from Excel")
    ]
