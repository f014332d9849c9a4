"""Reads the action-plan workbook (the only module that knows openpyxl), checking every cell it uses."""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

import openpyxl
from openpyxl.utils.escape import unescape

from . import files, timescales
from .errors import InvalidInputError, Problem, Severity, closest, suggest
from .model import Action, ActionPlan, Status, Theme, unprintable_character

ACTIONS_SHEET = "Action Plan"
THEMES_SHEET = "Themes"
STATUS_SHEET = "Status Key"

#: Column headers of each sheet; every one must be present (in any order, ignoring case and spacing).
ACTION_COLUMNS = ("Ref", "Theme", "Action", "Lead", "Timescale", "Status", "Progress Update")
THEME_COLUMNS = ("Number", "Theme", "Order")
STATUS_COLUMNS = ("Status", "Meaning", "Order", "In Table 1")
#: Columns whose cells may be left blank.
OPTIONAL_CELLS = {"Progress Update"}

#: Excel's own limit on the characters in one cell; anything longer was not typed in Excel.
MAX_CELL_CHARACTERS = 32_767
#: Refuse workbooks that would unpack to more than this, before parsing (zip bombs).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
#: Header rows are looked for in the first rows only, below any title rows.
HEADER_SEARCH_ROWS = 20

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_LINE_BREAKS = re.compile("\r\n|\r|\x0b")
_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}


def read_workbook(path: Path) -> tuple[ActionPlan, tuple[Problem, ...]]:
    """Reads the workbook; returns the plan and its warnings, or raises InvalidInputError listing every problem."""
    name = path.name
    files.check_input_file(path, what="workbook", limit=files.WORKBOOK_LIMIT)  # no folder, pipe or device
    _check_package(path)
    with warnings.catch_warnings():
        # openpyxl warns about features it drops (data validation, conditional formats); they do not matter here.
        warnings.simplefilter("ignore")
        try:
            values = openpyxl.load_workbook(path, data_only=True)
            formulas = openpyxl.load_workbook(path, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise InvalidInputError(problems=[Problem(
                file=name, place="", message=f"the workbook cannot be opened ({type(exc).__name__}: {exc}); "
                "open it in Excel and save it again as an Excel Workbook (.xlsx)")])
    reader = _Reader(name=name, values=values, formulas=formulas)
    plan = reader.read()
    errors = [p for p in reader.problems if p.severity is Severity.ERROR]
    if errors or plan is None:
        raise InvalidInputError(problems=reader.problems)
    return plan, tuple(reader.problems)


def _check_package(path: Path) -> None:
    """Refuses files that are not .xlsx packages, or that would unpack to an absurd size, before parsing them."""
    name = path.name

    def refuse(message: str) -> InvalidInputError:
        return InvalidInputError(problems=[Problem(file=name, place="", message=message)])

    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            # Excel keeps an encrypted workbook in an OLE2 file as a stream named EncryptedPackage.
            encrypted = head == _OLE2_MAGIC and _ENCRYPTED_STREAM in handle.read(MAX_UNPACKED_BYTES)
    except FileNotFoundError:
        raise refuse(f"the workbook does not exist (looked for {path})")
    except OSError as exc:
        raise refuse(f"the workbook cannot be read ({exc.strerror})")
    if encrypted:
        raise refuse("the workbook is protected with a password, so it cannot be read; in Excel remove the "
                     "password (File > Info > Protect Workbook > Encrypt with Password) and save it")
    if head == _OLE2_MAGIC:
        raise refuse("this is an old-format Excel file (.xls); open it in Excel and save it as an "
                     "Excel Workbook (.xlsx)")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise refuse("this is not an Excel workbook (.xlsx): it is not a zip package, or it is damaged or truncated; "
                     "save it from Excel as an Excel Workbook (.xlsx)")
    with archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        unpacked = sum(entry.file_size for entry in entries)
        packed = sum(entry.compress_size for entry in entries) or 1
        if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
            raise refuse(f"the workbook would unpack to {unpacked:,} bytes from {packed:,}; an action plan is far "
                         f"smaller (at most {MAX_UNPACKED_BYTES:,} bytes and {MAX_COMPRESSION_RATIO} times its packed size), "
                         "so it is refused as damaged or malicious")
        if "xl/workbook.xml" not in names:
            kind = "a Word document" if "word/document.xml" in names else "not an Excel workbook"
            raise refuse(f"this is {kind}, not an Excel workbook (.xlsx)")
        bad = archive.testzip() if unpacked < MAX_UNPACKED_BYTES else None
        if bad is not None:
            raise refuse(f"the workbook is damaged ({bad} fails its check); save it again from Excel")


def _normalise_header(value: Any) -> str:
    return " ".join(str(value).replace("\u00a0", " ").split()).casefold() if value is not None else ""


@dataclass(frozen=True)
class _Row:
    number: int
    cells: dict[str, Any]  # column header -> openpyxl cell


class _Reader:
    """Reads the three sheets, collecting every problem instead of stopping at the first."""

    def __init__(self, *, name: str, values, formulas) -> None:
        self.name = name
        self.values = values
        self.formulas = formulas
        self.problems: list[Problem] = []

    # -- reporting ---------------------------------------------------------------------------
    def problem(self, place: str, message: str, *, found: Any = None, suggestion: str | None = None,
                severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(file=self.name, place=place, message=message,
                                     found=None if found is None else str(found),
                                     suggestion=suggestion, severity=severity))

    @staticmethod
    def where(cell, header: str | None = None) -> str:
        ref = f"'{cell.parent.title}'!{cell.coordinate}"
        return f"{ref} ({header})" if header else ref

    # -- sheets ----------------------------------------------------------------------------
    def read(self) -> ActionPlan | None:
        themes = self.read_themes()
        statuses = self.read_statuses()
        actions = self.read_actions(themes, statuses)
        if themes is None or statuses is None or actions is None:
            return None
        return ActionPlan(
            themes=tuple(sorted((t for t in themes.values() if t), key=lambda t: (t.order, t.number))),
            statuses=tuple(sorted((s for s in statuses.values() if s), key=lambda s: s.order)),
            actions=tuple(actions),
        )

    def sheet_rows(self, title: str, columns: tuple[str, ...]) -> list[_Row] | None:
        """The sheet's data rows keyed by header, or None when the sheet or a column is missing."""
        if title not in self.values.sheetnames:
            self.problem(f"sheet '{title}'", "the sheet is missing",
                         suggestion=suggest(title, self.values.sheetnames) or
                         f"the workbook has: {', '.join(self.values.sheetnames)}")
            return None
        sheet = self.values[title]
        wanted = {_normalise_header(column): column for column in columns}
        header_row, positions = None, {}
        for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, HEADER_SEARCH_ROWS)):
            found = {_normalise_header(cell.value): cell.column for cell in row if cell.value is not None}
            matched = {wanted[key]: column for key, column in found.items() if key in wanted}
            if len(matched) > len(positions):
                header_row, positions = row[0].row, matched
            if len(matched) == len(columns):
                break
        if not positions:
            self.problem(f"sheet '{title}'", f"no header row found in the first {HEADER_SEARCH_ROWS} rows; "
                         f"expected the columns {', '.join(columns)}")
            return None
        missing = [column for column in columns if column not in positions]
        for column in missing:
            self.problem(f"'{title}'!{header_row}:{header_row}",
                         f"the column {column!r} is missing from the header row",
                         suggestion=self.closest_header(sheet, header_row, column))
        if missing:
            return None
        self.check_merged(sheet, header_row)
        formulas = self.formulas[title]
        rows: list[_Row] = []
        hidden: list[int] = []
        for number in range(header_row + 1, sheet.max_row + 1):
            cells = {column: sheet.cell(row=number, column=index) for column, index in positions.items()}
            if all(self.is_blank(cell, formulas) for cell in cells.values()):
                continue  # blank rows, formatted or not, are not data
            if sheet.row_dimensions[number].hidden:
                hidden.append(number)
            rows.append(_Row(number=number, cells=cells))
        if hidden:
            self.problem(f"sheet '{title}'",
                         f"{len(hidden)} hidden row(s) are counted like any other: rows {_ranges(hidden)}; "
                         "unhide them in Excel to check them", severity=Severity.WARNING)
        return rows

    def closest_header(self, sheet, header_row: int, column: str) -> str | None:
        """A header in the row that is probably the missing column, misspelt."""
        headers = [str(c.value) for c in sheet[header_row] if c.value is not None]
        match = closest(column, headers)
        return f"if {match!r} is meant to be it, rename that header to {column!r}" if match else None

    def check_merged(self, sheet, header_row: int) -> None:
        for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            if merged.max_row >= header_row:
                self.problem(f"'{sheet.title}'!{merged.coord}",
                             "merged cells inside the table: each row needs its own value in every column; "
                             "unmerge these cells and fill each one in")

    def is_blank(self, cell, formulas) -> bool:
        if cell.value is None:
            return formulas[cell.coordinate].value is None
        return isinstance(cell.value, str) and not cell.value.strip()

    # -- cells ------------------------------------------------------------------------------
    def value(self, row: _Row, header: str) -> Any:
        """The cell's value, or None after recording why it cannot be used."""
        cell = row.cells[header]
        place = self.where(cell, header)
        if cell.data_type == "e":
            self.problem(place, "the cell holds an Excel error; correct the formula or type the value", found=cell.value)
            return None
        if cell.value is None:
            formula = self.formulas[cell.parent.title][cell.coordinate].value
            if isinstance(formula, str) and formula.startswith("="):
                self.problem(place, "the cell's formula has no saved result (the workbook was never recalculated); "
                             "open the workbook in Excel and save it", found=formula)
            elif header not in OPTIONAL_CELLS:
                self.problem(place, "the cell is blank; every action needs this filled in")
            return None
        return cell.value

    def text(self, row: _Row, header: str) -> str | None:
        value = self.value(row, header)
        if value is None:
            return "" if header in OPTIONAL_CELLS else None
        cell = row.cells[header]
        place = self.where(cell, header)
        if isinstance(value, (datetime, date)):
            self.problem(place, "expected text but the cell holds a date", found=value)
            return None
        if isinstance(value, bool):
            self.problem(place, "expected text but the cell holds TRUE/FALSE", found=value)
            return None
        if isinstance(value, (int, float)):
            value = _format_number(value, cell.number_format)
        value = _LINE_BREAKS.sub("\n", unescape(value))
        illegal = unprintable_character(value)
        if illegal:
            self.problem(place, f"the text holds the invisible control character U+{ord(illegal):04X}, "
                         "which a Word document cannot contain; retype the text in this cell", found=value[:80])
            return None
        if len(value) >= MAX_CELL_CHARACTERS:
            # openpyxl cuts longer text to this length while reading, so reaching it means text may be lost.
            self.problem(place, f"the text reaches {MAX_CELL_CHARACTERS:,} characters, the most an Excel cell holds, "
                         "so its end may have been cut off; shorten it")
            return None
        if not value.strip():
            if header in OPTIONAL_CELLS:
                return ""
            self.problem(place, "the cell is blank; every action needs this filled in")
            return None
        # Text is kept exactly as typed (it may be printed in the report); only Excel's encoding is undone.
        return value

    def whole_number(self, row: _Row, header: str) -> int | None:
        value = self.value(row, header)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            return int(value)
        self.problem(self.where(row.cells[header], header), "expected a whole number", found=value)
        return None

    # -- the three sheets -------------------------------------------------------------------
    def read_themes(self) -> dict[int, Theme] | None:
        rows = self.sheet_rows(THEMES_SHEET, THEME_COLUMNS)
        if rows is None:
            return None
        themes: dict[int, Theme] = {}
        for row in rows:
            number, name, order = (self.whole_number(row, "Number"), self.text(row, "Theme"),
                                   self.whole_number(row, "Order"))
            if number is not None and (name is None or order is None):
                themes.setdefault(number, None)  # known but faulty: its actions are not reported again
            if number is None or name is None or order is None:
                continue
            if themes.get(number) is not None:
                self.problem(self.where(row.cells["Number"], "Number"), "this theme number is used twice", found=number)
                continue
            themes[number] = Theme(number=number, name=name, order=order)
        if not themes:
            self.problem(f"sheet '{THEMES_SHEET}'", "no themes are listed")
        return themes

    def read_statuses(self) -> dict[str, Status] | None:
        rows = self.sheet_rows(STATUS_SHEET, STATUS_COLUMNS)
        if rows is None:
            return None
        statuses: dict[str, Status] = {}
        for row in rows:
            label, meaning, order = self.text(row, "Status"), self.text(row, "Meaning"), self.whole_number(row, "Order")
            label = label.strip() if label is not None else None
            shown = self.yes_no(row, "In Table 1")
            if label is not None and (meaning is None or order is None or shown is None):
                statuses.setdefault(label.casefold(), None)  # known but faulty: its actions are not reported again
            if label is None or meaning is None or order is None or shown is None:
                continue
            if statuses.get(label.casefold()) is not None:
                self.problem(self.where(row.cells["Status"], "Status"), "this status is in the key twice", found=label)
                continue
            statuses[label.casefold()] = Status(label=label, meaning=meaning, order=order, in_table=shown)
        if statuses and not any(status and status.in_table for status in statuses.values()):
            self.problem(f"sheet '{STATUS_SHEET}'", "no status has Yes in 'In Table 1', so Table 1 would have no columns")
        return statuses

    def yes_no(self, row: _Row, header: str) -> bool | None:
        value = self.value(row, header)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        word = str(value).strip().casefold()
        if word in _YES or word in _NO:
            return word in _YES
        self.problem(self.where(row.cells[header], header), "expected Yes or No", found=value)
        return None

    def read_actions(self, themes: dict[int, Theme] | None, statuses: dict[str, Status] | None) -> list[Action] | None:
        rows = self.sheet_rows(ACTIONS_SHEET, ACTION_COLUMNS)
        if rows is None:
            return None
        actions: list[Action] = []
        seen: dict[str, str] = {}
        for row in rows:
            reference = self.text(row, "Ref")
            reference = reference.strip() if reference is not None else None
            theme = self.lookup(row, "Theme", themes, key=self.whole_number,
                                choices=lambda: [str(n) for n in sorted(themes or {})],
                                expected="a theme number from the Themes sheet")
            status = self.lookup(row, "Status", statuses, key=lambda r, h: (self.text(r, h) or "").strip().casefold() or None,
                                 choices=lambda: [s.label for s in (statuses or {}).values() if s],
                                 expected="a status in the key")
            timescale = self.timescale(row)
            fields = {h: self.text(row, h) for h in ("Action", "Lead", "Progress Update")}
            if reference is not None:
                cell = row.cells["Ref"]
                if reference in seen:
                    self.problem(self.where(cell, "Ref"), f"this reference is also used at {seen[reference]}; "
                                 "each action needs its own reference", found=reference)
                    continue
                seen[reference] = cell.coordinate
            if None in (reference, theme, status, timescale) or None in fields.values():
                continue
            actions.append(Action(reference=reference, theme=theme, text=fields["Action"], lead=fields["Lead"],
                                  timescale=timescale, status=status, progress=fields["Progress Update"],
                                  row=row.number))
        if not actions and not rows:
            self.problem(f"sheet '{ACTIONS_SHEET}'", "the sheet lists no actions")
        return actions

    def lookup(self, row: _Row, header: str, table: dict | None, *, key: Callable, choices: Callable[[], list[str]],
               expected: str):
        found = key(row, header)
        if found is None or table is None:
            return None
        if found in table:
            return table[found]
        shown = row.cells[header].value
        names = choices()
        self.problem(self.where(row.cells[header], header),
                     f"{shown!r} is not {expected} ({', '.join(names)})", suggestion=suggest(str(shown), names))
        return None

    def timescale(self, row: _Row) -> date | None:
        value = self.value(row, "Timescale")
        if value is None:
            return None
        place = self.where(row.cells["Timescale"], "Timescale")
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return timescales.parse_timescale(value)
            except ValueError as exc:
                self.problem(place, str(exc), found=value)
                return None
        self.problem(place, "expected a date (format the cell as a date) or text such as 'December 2018' or "
                     "'31/12/2018'", found=value)
        return None


def _format_number(value: float | int, number_format: str) -> str:
    """A number as Excel displays it under a plain decimal format (so 2.10 stays 2.10)."""
    match = re.fullmatch(r"0(?:\.(0+))?", number_format or "")
    if match:
        return f"{value:.{len(match.group(1) or '')}f}"
    return str(int(value)) if float(value).is_integer() else repr(value)


def _ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9'."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)

