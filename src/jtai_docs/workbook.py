"""Reads the action-plan workbook, streaming each sheet once, and checks every cell it uses."""

from __future__ import annotations

import bisect
import functools
import os
import posixpath
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from lxml import etree
from lxml.etree import _Element

from . import cycles, files, timescales
from .errors import (
    InvalidInputError,
    Problem,
    Severity,
    closest,
    damaged_xml_in_plain_words,
    in_plain_words,
    suggest,
)
from .model import Action, ActionPlan, Status, Theme, unprintable_character
from .package import OLE2_MAGIC, declares_document_type, opendocument_kind, password_message, password_protected

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
#: Refuse workbook files larger than this before reading them: an action plan of 100,000 actions is under 5 MB.
MAX_WORKBOOK_BYTES = 100 * 1024 * 1024
#: Header rows are looked for in the first rows only, below any title rows.
HEADER_SEARCH_ROWS = 20

_LINE_BREAKS = re.compile("\r\n|\r|\x0b")
#: Characters after which text needs a closer look: line breaks to convert, control characters to refuse.
_NEEDS_CARE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
#: Half of a UTF-16 surrogate pair, which Excel's _xHHHH_ escapes can write (_xD83D__xDE00_ is 😀) but no text holds.
_SURROGATE = re.compile("[\ud800-\udfff]")
_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}


def read_workbook(path: Path) -> tuple[ActionPlan, tuple[Problem, ...]]:
    """Reads the workbook; returns the plan and its warnings, or raises InvalidInputError listing every problem."""
    name = path.name
    files.check_input_file(path, what="workbook", limit=files.WORKBOOK_LIMIT)  # no folder, pipe or device
    inflated = _check_package(path)
    # Reading makes hundreds of thousands of small objects that all live on; Python's cycle collector would
    # walk them again and again as they pile up (measured: 40% of a 100,000-action read), and they hold no cycles.
    try:
        with cycles.paused(), zipfile.ZipFile(path) as archive:
            reader = _Reader(name=name, book=_Book(archive, inflated))
            plan = reader.read()
    except InvalidInputError:
        raise
    except (
        etree.LxmlError,
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        ValueError,
        IndexError,
        EOFError,
        OSError,
    ) as exc:  # a damaged package or part: name what failed, never a traceback
        raise InvalidInputError(problems=[_cannot_be_opened(path, exc)]) from exc
    errors = [p for p in reader.problems if p.severity is Severity.ERROR]
    if errors or plan is None:
        raise InvalidInputError(problems=reader.problems)
    return plan, tuple(reader.problems)


def _cannot_be_opened(path: Path, exc: Exception) -> Problem:
    """Why a workbook could not be read: where one of its parts' XML is damaged (a sheet cut short, say), which
    sheet and part, in plain words; else what failed."""
    damage = _damaged_part(path) if isinstance(exc, etree.XMLSyntaxError) else None
    if damage is None:
        return Problem(
            file=path.name,
            place="",
            message=f"the workbook cannot be opened: {in_plain_words(exc)}; "
            "open it in Excel and save it again as an Excel Workbook (.xlsx)",
        )
    part, detail = damage
    sheet = next((s for s, (_kind, target) in _sheet_parts(path).items() if target == part), None)
    return Problem(
        file=path.name,
        place=f"sheet '{sheet}'" if sheet is not None else "",
        message=f"the workbook is damaged: {damaged_xml_in_plain_words(detail, part=part)}; Excel offers to repair "
        "such a workbook: open it in Excel, let it repair what it can, check "
        + ("that sheet" if sheet is not None else "every sheet")
        + " and save it again as an Excel Workbook (.xlsx)",
    )


def _damaged_part(path: Path) -> tuple[str, str] | None:
    """The first XML part of the workbook that does not parse, and what the parser found; read only once the
    workbook has failed, so a sound workbook is never parsed twice."""
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            if part.endswith((".xml", ".rels")):
                try:
                    etree.fromstring(archive.read(part), etree.XMLParser(**_parser_options()))
                except etree.XMLSyntaxError as exc:
                    return part, exc.msg
    return None


def _sheet_parts(path: Path) -> dict[str, tuple[str, str]]:
    """Sheet name -> (kind, part), as far as the workbook's list of sheets can be read; empty where it cannot."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _Book(archive).sheets
    except (etree.LxmlError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError):
        return {}


def _check_package(path: Path) -> dict[str, bytes]:
    """Refuses files that are not .xlsx packages, or that would unpack to an absurd size, before parsing them;
    returns the worksheets and shared strings as inflated while checking them (see _test_parts)."""
    name = path.name

    def refuse(message: str) -> InvalidInputError:
        return InvalidInputError(problems=[Problem(file=name, place="", message=message)])

    try:
        with path.open("rb") as handle:
            # Sizes are checked on the opened file itself, so what is measured is what gets read.
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise refuse(
                    "this is not a file that can be read as a workbook (it is a folder, a device or a "
                    "pipe); give the path of the .xlsx file saved from Excel"
                )
            if status.st_size > MAX_WORKBOOK_BYTES:
                raise refuse(
                    f"the file is {status.st_size:,} bytes; an action plan is far smaller (at most "
                    f"{MAX_WORKBOOK_BYTES:,} bytes), so it is not read; check that this is the right file"
                )
            head = handle.read(8)
            # Excel keeps an encrypted workbook in an OLE2 file as a stream named EncryptedPackage.
            encrypted = head == OLE2_MAGIC and password_protected(head + handle.read(MAX_UNPACKED_BYTES))
    except FileNotFoundError as exc:
        raise refuse(f"the workbook does not exist (looked for {path})") from exc
    except IsADirectoryError as exc:
        raise refuse("this is a folder, not a workbook; give the path of the .xlsx file saved from Excel") from exc
    except OSError as exc:
        raise refuse(f"the workbook cannot be read ({exc.strerror})") from exc
    if encrypted:
        raise refuse(password_message("Excel", "workbook", "Protect Workbook"))
    if head == OLE2_MAGIC:
        raise refuse(
            "this is an old-format Excel file (.xls); open it in Excel and save it as an Excel Workbook (.xlsx)"
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise refuse(
            "this is not an Excel workbook (.xlsx): it is not a zip package, or it is damaged or truncated; "
            "save it from Excel as an Excel Workbook (.xlsx)"
        ) from exc
    with archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        unpacked = sum(entry.file_size for entry in entries)
        packed = sum(entry.compress_size for entry in entries) or 1
        if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
            raise refuse(
                f"the workbook would unpack to {unpacked:,} bytes from {packed:,}; an action plan is far "
                f"smaller (at most {MAX_UNPACKED_BYTES:,} bytes and {MAX_COMPRESSION_RATIO} times its packed "
                "size), "
                "so it is refused as damaged or malicious"
            )
        if len(names) < len(entries):  # which copy is meant cannot be told: Excel asks to repair such a file
            stored = [entry.filename for entry in entries]
            twice = next(part for index, part in enumerate(stored) if part in stored[:index])
            raise InvalidInputError(
                problems=[
                    Problem(
                        file=name,
                        place=f"part {twice}",
                        message="the workbook is damaged: it holds this part twice, so which copy is meant cannot "
                        "be told; open it in Excel, let it repair what it can, check every sheet and save it again "
                        "as an Excel Workbook (.xlsx)",
                    )
                ]
            )
        if "xl/workbook.xml" not in names:
            if "word/document.xml" in names:
                raise refuse("this is a Word document, not an Excel workbook (.xlsx)")
            if "mimetype" in names and opendocument_kind(path.read_bytes()) == "spreadsheet":
                raise refuse(
                    "this is an OpenDocument spreadsheet (.ods), not an Excel workbook (.xlsx); open it in Excel "
                    "or LibreOffice and save it as an Excel Workbook (.xlsx)"
                )
            raise refuse(
                "this is not an Excel workbook (.xlsx): its part xl/workbook.xml, which every workbook has, is "
                "missing; save it from Excel as an Excel Workbook (.xlsx)"
            )
        inflated: dict[str, bytes] = {}
        declared: list[str] = []
        bad = _test_parts(archive, inflated, declared) if unpacked < MAX_UNPACKED_BYTES else None
        if bad is not None:
            raise refuse(f"the workbook is damaged ({bad} fails its check); save it again from Excel")
        if declared:
            raise InvalidInputError(
                problems=[
                    Problem(
                        file=name,
                        place=f"part {declared[0]}",
                        message="the workbook is damaged: this part declares a document type of its own "
                        "(<!DOCTYPE>), which Excel never writes, and text in it could be read as nothing; open the "
                        "original in Excel and save it again as an Excel Workbook (.xlsx)",
                    )
                ]
            )
    return inflated


#: Parts kept as inflated while the package is checked: the big ones, which the quick way reads whole.
_KEPT_PARTS = re.compile(r"xl/(?:worksheets/[^/]+\.xml|sharedStrings\.xml)")


def _test_parts(archive: zipfile.ZipFile, kept: dict[str, bytes], declared: list[str]) -> str | None:
    """The first part that fails its check (CRC-32), or None, as ZipFile.testzip finds it; the worksheets and
    shared strings are put in kept as inflated, so that reading them does not inflate them again (a tenth of a
    second for 100,000 actions, #11). The XML parts that declare a document type are put in declared (see
    package.declares_document_type)."""
    for info in archive.filelist:
        try:
            with archive.open(info.filename) as stream:
                if _KEPT_PARTS.fullmatch(info.filename) or info.filename.endswith((".xml", ".rels")):
                    data = stream.read()
                    if _KEPT_PARTS.fullmatch(info.filename):
                        kept[info.filename] = data
                    if declares_document_type(data):
                        declared.append(info.filename)
                else:
                    while stream.read(2**20):
                        pass
        except zipfile.BadZipFile:
            return info.filename
    return None


def _normalise_header(value: Any) -> str:
    return " ".join(str(value).replace("\u00a0", " ").split()).casefold() if value is not None else ""


_Found = TypeVar("_Found")


class _Layout(NamedTuple):
    """Where the wanted columns' cells are in the groups of a row read the quick way.

    A row read the quick way is kept as its groups: the row's attributes, then for each cell of the layout its row
    digits ("" when the row leaves that cell out), style, type and "<v>...</v>" or "" (the column letters are the
    layout's). Rows whose cells are in the same columns share one layout, so a row costs a tuple rather than a tuple
    and a dict per cell (#11)."""

    cells: dict[str, tuple[str, int]]  # column header -> (column letters, index of the cell's row digits in groups)
    at: tuple[int, ...]  # for each wanted column, in the order asked for, that index, or -1 when the layout has none


#: Given a data row's number, its groups and its layout's indexes (_Layout.at), what the row plainly makes or None.
_QuickRow = Callable[[int, tuple[str, ...], tuple[int, ...]], Any]


class _Row(NamedTuple):
    """One data row (a named tuple: a frozen dataclass costs several times more to make, 100,000 times over).

    A row read the quick way whose cells are all numbers or shared text (which can be typed later without
    fail) keeps them as stored, with empty cells, until _Book.fill types them: an action row that is plainly
    right is made into an action straight from what is stored (_Reader.quick_action)."""

    number: int
    cells: dict[str, Any]  # column header -> cell
    #: The row as stored (see _Layout), until filled in; a plainly right row keeps the match it was read by, which
    #: gives its groups again if ever needed: making them again is cheaper than keeping them all (#11).
    groups: tuple[str, ...] | re.Match[str] | None = None
    layout: _Layout | None = None  # where its wanted cells are in groups
    origin: tuple[str, dict[str, str]] | None = None  # the sheet and its columns (letters -> header)
    action: Action | None = None  # the action a plainly right row makes, before its reference is checked


# -- the package, read as it is stored ---------------------------------------------------------------------
# The sheets are streamed straight from their XML with lxml rather than loaded through openpyxl: openpyxl
# builds every cell up to the sheet's declared dimension (one formatted cell at row 1,048,576 cost 58 s and
# 3.4 GB) and needed a second load for formulas. Streaming reads each stored cell once, whatever the dimension
# says, keeps the formula, the style and the row's hidden flag together, and costs what the real cells cost.
# python-calamine was measured too: it gives no number formats, hidden rows or formulas without a saved result,
# reports an Excel error as a blank cell, and aborts the whole process (allocating 512 GB) for a 16 KB workbook with
# values at A1 and XFD1048576. On the generated plans (benchmarks/workbooks.py; python-calamine 0.9.1, CPU time,
# same process, best of 3) it took 0.13 s for the values alone of the Action Plan sheet of 10,000 actions and
# 0.93 s of 100,000, where read_workbook takes 0.22 s and 1.71 s for all three sheets read, every cell checked and
# the actions made (#11): what it would save is less than the scan for hidden rows, formulas and formats, and the
# making of the actions, that would still be needed beside it.

# Excel's built-in number formats (ECMA-376 Part 1, 18.8.30), the test for a format that shows a date, time or
# duration, and the conversion of Excel's day numbers, as openpyxl implements them. They are kept here rather
# than imported: importing openpyxl costs every command 0.1-0.2 s (python -X importtime), a third of what
# `check` costs before it reads a cell, and nothing else of it is needed to read a workbook.
_BUILTIN_FORMATS = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
#: Quoted text and bracketed parts other than elapsed hours, minutes or seconds, which say nothing of dates.
_NOT_DATE_PARTS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE)
_WINDOWS_EPOCH = datetime(1899, 12, 30)
_MAC_EPOCH = datetime(1904, 1, 1)


def _format_kind(code: str) -> str | None:
    """'date' when the format shows a date or time, 'duration' for elapsed time such as [h]:mm, else None."""
    first = code.split(";")[0]  # the format for positive numbers decides
    if _DURATION.search(first):
        return "duration"
    return "date" if _DATE_PART.search(_NOT_DATE_PARTS.sub("", first)) else None


def _from_day_number(value: float, epoch: datetime, *, duration: bool) -> datetime | time | timedelta:
    """Excel's day number as a date and time, a time of day (below 1), or an elapsed time."""
    if duration:
        elapsed = timedelta(days=value)
        if elapsed.microseconds:
            elapsed = timedelta(seconds=elapsed.total_seconds() // 1, microseconds=round(elapsed.microseconds, -3))
        return elapsed
    day, fraction = divmod(value, 1)
    part = timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= value < 1 and part.days == 0:
        minutes, seconds = divmod(part.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return time(hours, minutes, seconds, part.microseconds)
    if 0 < value < 60 and epoch == _WINDOWS_EPOCH:
        day += 1  # Excel counts a 29 February 1900 that never was
    return epoch + timedelta(days=day) + part


def _from_iso(text: str) -> datetime | time:
    """A date stored as ISO 8601 text (t="d"), as some programs write them."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return time.fromisoformat(text)


_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")
_DIGITS = "0123456789"

# -- the quick way through a sheet ---------------------------------------------------------------------------
# Excel, and libraries that write as it does (XlsxWriter), store the rows of a sheet in one plain form:
# <row r=".." ...> holding <c r="B7" s="2" t="s"><v>12</v></c> after <c ...>. When every row between <sheetData>
# and </sheetData> is in that form (the patterns below match nothing else: no entity or character reference, no
# comment, no formula, no inline string, no text outside ASCII), the rows are read with regular expressions, and
# the rest of the sheet (what comes before and after the rows) is parsed by lxml as before, to find merged cells
# and to refuse damage. Anything else in the rows, however valid, sends the whole sheet down the general way
# (lxml's iterparse), so what is read is the same either way; only the cost differs
# (tests/test_workbook_reader_scale.py, benchmarks/read_speed.py).
_SPACE = "[ \t\r\n]*+"
#: A cell: reference (letters, digits), style, type, and the <v> element if there is one. Values are printable
#: ASCII without <, > or & and short (numbers, shared-string indexes, TRUE/FALSE, error codes, ISO dates).
#: (Possessive quantifiers: nothing matched is ever given back, which keeps the scan linear and quick.)
_QUICK_CELL_REST = (
    r'([0-9]{1,7}+)"(?: s="([0-9]{1,9}+)")?+(?: t="(s|n|b|e|str|d)")?+'
    r"(?:/>|>(<v>[\t\n\x20-\x25\x27-\x3b\x3d\x3f-\x7e]{0,400}+</v>)?+</c>)"
)
_QUICK_CELL = _SPACE + r'<c r="([A-Z]{1,3}+)' + _QUICK_CELL_REST
_QUICK_CELLS = re.compile(_QUICK_CELL)
#: A row: its attributes (names and values in plain ASCII, double-quoted), and its cells.
_QUICK_ROW_START = (
    _SPACE
    + r"<row((?: [A-Za-z][A-Za-z0-9_.-]{0,40}+(?::[A-Za-z_][A-Za-z0-9_.-]{0,40}+)?+"
    + r'="[\x20\x21\x23-\x25\x27-\x3b\x3d-\x7e]{0,200}+")*+)'
    + _SPACE
)
_QUICK_ROW = re.compile(_QUICK_ROW_START + r"(?:/>|>((?:" + _QUICK_CELL + ")*+)" + _SPACE + "</row>)")
#: Layouts (the columns of a row's cells, in order) with a pattern of their own (_quick_layout).
_LAYOUTS = 16


@functools.lru_cache(maxsize=_LAYOUTS)
def _quick_layout(letters: tuple[str, ...]) -> re.Pattern[str]:
    """A row in the plain form (_QUICK_ROW) whose cells are in these columns, in this order, any of them left out.

    Down a plan most rows have their cells in the same columns, some without a cell or two (a blank progress
    update): matched by this pattern, a row gives its attributes and, for each cell, the groups _QUICK_CELLS gives
    after the column letters, in one match (groups of a cell not there are "", its row digits included), instead
    of a match and a findall (#11). It matches a subset of what _QUICK_ROW matches, with the same parts: a row it
    matches ends where _QUICK_ROW's match ends, with the same attributes and cells."""
    cells = "".join("(?:" + _SPACE + '<c r="' + letters_of + _QUICK_CELL_REST + ")?+" for letters_of in letters)
    return re.compile(_QUICK_ROW_START + ">" + cells + _SPACE + "</row>")


#: One attribute of a row (an XML name with at most one prefix, as namespaces allow).
_QUICK_ATTRIBUTE = re.compile(r' ([A-Za-z][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?)="([^"]*)"')
#: The shared strings as Excel writes them: a plain <sst> root holding <si><t>text</t></si> only.
_QUICK_SST_HEAD = re.compile(
    rb'(?:<\?xml version="1\.0"(?: encoding="[Uu][Tt][Ff]-8")?(?: standalone="(?:yes|no)")?\?>)?[ \t\r\n]*'
    rb'<sst xmlns="http://schemas\.openxmlformats\.org/spreadsheetml/2006/main"'
    rb'(?: count="[0-9]{0,12}")?(?: uniqueCount="[0-9]{0,12}")?>[ \t\r\n]*'
)
_QUICK_SST_TAIL = re.compile(rb"[ \t\r\n]*</sst>[ \t\r\n]*")
#: Text of one shared string: any character XML allows except < and a carriage return (which a parser would
#: turn into a line feed), & only as one of the five predefined entities.
_QUICK_SST_ITEMS = re.compile(
    '(?:[ \t\r\n]*<si><t(?: xml:space="preserve")?>'
    "[^<&\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*+"
    "(?:&(?:amp|lt|gt|quot|apos);[^<&\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*+)*+</t></si>)*+[ \t\r\n]*"
)
_QUICK_SST_TEXT = re.compile('<si><t(?: xml:space="preserve")?>([^<]*)</t></si>')
_INVALID, _BLANK, _FILLED = object(), object(), object()
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _parser_options() -> dict[str, Any]:
    # Workbook text is data: no entities expanded, no DTD or network fetched, no huge-tree mode.
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def _unescape(text: str) -> str:
    """Undoes Excel's _xHHHH_ escapes in one left-to-right pass, as Excel does (a typed `_x0041_` is stored
    as `_x005F_x0041_` and comes back as `_x0041_`)."""
    if "_x" not in text:
        return text
    text = _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)
    if _SURROGATE.search(text):  # a pair escaped one half at a time (_xD83D__xDE00_) is its character, as in Excel
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return text


def _escaped(text: str) -> str:
    """Text that can be printed: a surrogate left alone (see _SURROGATE) shown as the _xHHHH_ it was stored as."""
    return _SURROGATE.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def _entities(text: str) -> str:
    """The text of a plain <t> as a parser gives it: the five predefined entities undone."""
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
    return text.replace("&amp;", "&")


class _Cell:
    """One cell as stored: its value already typed, its number format, and its formula if it has one."""

    __slots__ = ("sheet", "coordinate", "value", "data_type", "number_format", "formula")

    def __init__(
        self,
        sheet: str,
        coordinate: str,
        value: Any = None,
        data_type: str = "n",
        number_format: str = "General",
        formula: str | None = None,
    ) -> None:
        self.sheet = sheet
        self.coordinate = coordinate
        self.value = value
        #: 's' text, 'n' number, 'd' date or time, 'b' TRUE/FALSE, 'e' Excel error.
        self.data_type = data_type
        self.number_format = number_format
        self.formula = formula


@dataclass(frozen=True)
class _SheetTable:
    """What one sheet holds for a table: its header row, the data rows below it and what surrounds them."""

    header_row: int | None
    header_cells: tuple[_Cell, ...]
    columns: tuple[str, ...]
    duplicates: dict[str, tuple[_Cell, ...]]  # column name -> every header cell that carries it
    rows: list[_Row]
    hidden: list[int]
    merged: list[tuple[str, int, int, int]]  # (range, first row, last row, first column)
    #: The first row stored after a row of the same or a later number (row, the row before it), or None: rows out
    #: of order or given twice, which Excel repairs, so what it would show cannot be told.
    disorder: tuple[int, int] | None = None


class _Book:
    """The workbook package: sheet names and kinds, shared strings and styles, each sheet streamed once."""

    def __init__(self, archive: zipfile.ZipFile, inflated: dict[str, bytes] | None = None) -> None:
        self.archive = archive
        #: Parts already inflated (see _check_package), each given out once by read_whole.
        self.inflated = inflated if inflated is not None else {}
        root = self.parse("xl/workbook.xml")
        self.ns = etree.QName(root).namespace or ""
        self.q = (lambda tag: f"{{{self.ns}}}{tag}") if self.ns else (lambda tag: tag)
        self.v_tag, self.f_tag, self.is_tag, self.t_tag = self.q("v"), self.q("f"), self.q("is"), self.q("t")
        self.moments: dict[tuple[str, str], Any] = {}
        relations = self.relations("xl/_rels/workbook.xml.rels", base="xl")
        properties = root.find(self.q("workbookPr"))
        epoch_1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self.epoch = _MAC_EPOCH if epoch_1904 else _WINDOWS_EPOCH
        self.sheets: dict[str, tuple[str, str]] = {}  # name -> (kind, part)
        self.states: dict[str, str] = {}  # name -> "visible", "hidden" or "veryHidden" (see Excel's Unhide)
        for sheet in root.iter(self.q("sheet")):
            rid = next((sheet.get(f"{{{ns}}}id") for ns in _OFFICE_REL_NAMESPACES if sheet.get(f"{{{ns}}}id")), None)
            kind, target = relations.get(rid, ("", ""))
            self.sheets[sheet.get("name", "")] = (kind, target)
            self.states[sheet.get("name", "")] = sheet.get("state", "visible")
        self.sheetnames = list(self.sheets)
        by_kind = {kind: target for kind, target in relations.values()}
        self.shared = self.read_shared_strings(by_kind.get("sharedStrings", "xl/sharedStrings.xml"))
        self.formats = self.read_cell_formats(by_kind.get("styles", "xl/styles.xml"))
        #: Style index as stored -> what its number format shows (see style_kind), for the styles as numbered.
        self.style_kinds = {"": None, **{str(index): kind for index, (_, kind) in enumerate(self.formats)}}

    def parse(self, part: str) -> _Element:
        with self.archive.open(part) as stream:
            root: _Element = etree.parse(stream, etree.XMLParser(**_parser_options())).getroot()
            return root

    def read_whole(self, part: str) -> bytes:
        """The part's bytes, inflated."""
        data = self.inflated.pop(part, None)
        if data is None:
            with self.archive.open(part) as stream:
                data = stream.read()
        return data

    def relations(self, part: str, *, base: str) -> dict[str | None, tuple[str, str]]:
        """Relationship id -> (kind such as 'worksheet', part name inside the package)."""
        if part not in self.archive.NameToInfo:
            return {}
        found: dict[str | None, tuple[str, str]] = {}
        for rel in self.parse(part).iter(f"{{{_REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            found[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
        return found

    def iter_elements(self, part: str, tags: tuple[str, ...]) -> Iterator[_Element]:
        """The part's elements with these tags, each freed once used, so memory stays flat however long."""
        with self.archive.open(part) as stream:
            for done, (_, element) in enumerate(
                etree.iterparse(stream, events=("end",), tag=[self.q(t) for t in tags], **_parser_options()), start=1
            ):
                yield element
                element.clear(keep_tail=True)
                if done % 1024 == 0:  # drop the emptied elements now and then: cheaper than one at a time
                    parent = element.getparent()
                    if parent is not None:
                        del parent[:-1]

    def rich_text(self, element: _Element) -> str:
        """The text of a shared or inline string: plain, or runs joined; phonetic guides left out."""
        plain = element.find(self.t_tag)
        if plain is not None:
            text = plain.text or ""
        else:
            text = "".join(run.findtext(self.t_tag) or "" for run in element.iterfind(self.q("r")))
        return _unescape(text)

    def read_shared_strings(self, part: str) -> list[str]:
        if part not in self.archive.NameToInfo:
            return []
        quick = self.quick_shared_strings(part)
        if quick is not None:
            return quick
        t_tag, rich_text = self.t_tag, self.rich_text
        strings = []
        for item in self.iter_elements(part, ("si",)):
            if len(item) == 1 and item[0].tag == t_tag:  # plain text, by far the most common
                text = item[0].text or ""
                strings.append(_unescape(text) if "_x" in text else text)
            else:
                strings.append(rich_text(item))
        return strings

    def quick_shared_strings(self, part: str) -> list[str] | None:
        """The shared strings read with regular expressions when they are all plain text in Excel's own form
        (nothing else in the part); None when anything differs, to be read the general way."""
        if self.ns != _MAIN_NS:
            return None
        data = self.read_whole(part)
        head = _QUICK_SST_HEAD.match(data)
        end = data.rfind(b"</sst>")
        if head is None or end < head.end() or not _QUICK_SST_TAIL.fullmatch(data, end):
            return None
        try:
            items = data[head.end() : end].decode("utf-8")
        except UnicodeDecodeError:
            return None
        if "]]>" in items or not _QUICK_SST_ITEMS.fullmatch(items):
            return None  # "]]>" may not stand in text
        texts: list[str] = _QUICK_SST_TEXT.findall(items)
        if "&" in items:  # the five predefined entities undone as a parser does, only where there are any
            texts = [_entities(text) if "&" in text else text for text in texts]
        if "_x" in items:
            return [_unescape(text) for text in texts]
        return texts

    def read_cell_formats(self, part: str) -> list[tuple[str, str | None]]:
        """The number format of each cell style, by style index, and whether it shows a date or a duration."""
        if part not in self.archive.NameToInfo:
            return [("General", None)]
        root = self.parse(part)
        custom = {fmt.get("numFmtId"): fmt.get("formatCode", "General") for fmt in root.iter(self.q("numFmt"))}
        styles = root.find(self.q("cellXfs"))
        formats = []
        for xf in styles if styles is not None else []:
            number = xf.get("numFmtId", "0")
            code = custom.get(number) or _BUILTIN_FORMATS.get(int(number) if number.isdigit() else 0, "General")
            formats.append((code, _format_kind(code)))
        return formats or [("General", None)]

    def cell(self, sheet: str, element: _Element, coordinate: str) -> _Cell:
        """A stored <c> element as a typed cell."""
        raw = formula = None
        inline: str | None = None
        if len(element) == 1 and element[0].tag == self.v_tag:  # a value alone, as nearly every cell is
            raw = element[0].text or ""
        else:
            has_inline = False
            for child in element:
                tag = child.tag
                if tag == self.v_tag:
                    raw = child.text or ""
                elif tag == self.f_tag:
                    formula = "=" + (child.text or "")
                elif tag == self.is_tag:
                    has_inline, inline_element = True, child
            if has_inline:
                inline = self.rich_text(inline_element)
        return self.typed(sheet, coordinate, element.get("t", "n"), element.get("s"), raw, formula, inline)

    def typed(
        self,
        sheet: str,
        coordinate: str,
        kind: str,
        style: str | None,
        raw: str | None,
        formula: str | None = None,
        inline: str | None = None,
    ) -> _Cell:
        """A cell from what is stored of it: its t and s attributes, the text of its <v>, <f> and <is>."""
        number_format, moment_kind = (
            self.formats[int(style)]
            if style and style.isdigit() and int(style) < len(self.formats)
            else ("General", None)
        )
        if kind == "s" and raw:
            return _Cell(sheet, coordinate, self.shared[int(raw)], "s", number_format, formula)
        if kind == "inlineStr":
            return _Cell(sheet, coordinate, inline, "s", number_format, formula)
        if raw is None or (raw == "" and kind != "str"):
            return _Cell(sheet, coordinate, None, "n", number_format, formula)
        if kind == "str":
            return _Cell(sheet, coordinate, _unescape(raw), "s", number_format, formula)
        if kind == "b":
            return _Cell(sheet, coordinate, raw.strip() in ("1", "true"), "b", number_format, formula)
        if kind == "e":
            return _Cell(sheet, coordinate, raw, "e", number_format, formula)
        if kind == "d":
            return _Cell(sheet, coordinate, _from_iso(raw), "d", number_format, formula)
        value: int | float = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
        if moment_kind is not None:
            moment = self.moment(raw, value, moment_kind)
            if moment is not None:
                return _Cell(sheet, coordinate, moment, "d", number_format, formula)
        return _Cell(sheet, coordinate, value, "n", number_format, formula)

    def moment(self, raw: str, value: float, kind: str) -> Any:
        """A day number under a date or duration format as a date, time or elapsed time; None outside Excel's
        dates (then kept as the number, which the messages show)."""
        moment = self.moments.get((raw, kind), False)
        if moment is False:  # the same dates recur down a plan: convert each once
            try:
                moment = _from_day_number(value, self.epoch, duration=kind == "duration")
            except (OverflowError, ValueError):
                moment = None
            self.moments[(raw, kind)] = moment
        return moment

    def style_kind(self, style: str) -> str | None:
        """Whether a cell style's number format shows a date ('date'), an elapsed time ('duration') or neither."""
        if style and style.isdigit() and int(style) < len(self.formats):
            return self.formats[int(style)][1]
        return None

    def fill(self, row: _Row) -> None:
        """Types the cells of a row kept as stored (see _Row), as the quick way would have typed them at once."""
        groups, layout = _groups_of(row), row.layout
        if groups is None or layout is None or row.origin is None or row.cells:
            return
        title, columns = row.origin
        cells, shared, typed = row.cells, self.shared, self.typed
        for name, (letters, at) in layout.cells.items():
            digits, style, kind, value = groups[at : at + 4]
            if not digits:
                continue  # no cell in this column (see _quick_layout): an empty one is made below
            if kind == "s" and len(value) > 7:  # shared text, as most cells are: the short way
                cells[name] = _Cell(title, letters + digits, shared[int(value[3:-4])], "s")
            else:
                cells[name] = typed(title, letters + digits, kind or "n", style or None, value[3:-4] if value else None)
        for letters, name in columns.items():
            if name not in cells:
                cells[name] = _Cell(title, f"{letters}{row.number}")

    def read_table(
        self, title: str, wanted: dict[str, str], *, search_rows: int, quick_row: _QuickRow | None = None
    ) -> _SheetTable:
        """Streams the sheet once: finds the header row among the first rows, then keeps only the wanted columns.

        quick_row, given a data row's number and cells as stored, returns what the row plainly makes (an
        action) or None; it is asked of the rows read the quick way, as they are read."""
        part = self.sheets[title][1]
        quick = self.quick_table(title, part, wanted, search_rows=search_rows, quick_row=quick_row)
        return quick if quick is not None else self.stored_table(title, part, wanted, search_rows=search_rows)

    def quick_table(
        self, title: str, part: str, wanted: dict[str, str], *, search_rows: int, quick_row: _QuickRow | None = None
    ) -> _SheetTable | None:
        """The sheet read the quick way (see _QUICK_CELL), or None when its rows are not all in the plain form."""
        if part not in self.archive.NameToInfo:
            return None
        data = self.read_whole(part)
        if data.count(b"<sheetData") != 1:
            return None
        start = data.find(b"<sheetData>")
        if start >= 0:
            end = data.find(b"</sheetData>", start)
            if end < 0:
                return None
            body = data[start + len(b"<sheetData>") : end]
            skeleton = data[:start] + b"<sheetData/>" + data[end + len(b"</sheetData>") :]
        elif b"<sheetData/>" in data:
            body, skeleton = b"", data
        else:
            return None
        # The rest of the sheet, parsed as before: damage there goes the general way, which names it as before.
        try:
            root = etree.fromstring(skeleton, etree.XMLParser(**_parser_options()))
        except etree.LxmlError:
            return None
        holders = list(root.iter("{*}sheetData"))
        if (
            len(holders) != 1
            or holders[0].tag != self.q("sheetData")
            or next(root.iter(self.q("row")), None) is not None
        ):
            return None  # the rows are not where the general way would find them
        declared = holders[0].nsmap
        merged = [_merged_area(element.get("ref", "")) for element in root.iter(self.q("mergeCell"))]
        try:
            text = body.decode("ascii")
        except UnicodeDecodeError:
            return None
        del data, body, skeleton

        header_cells: tuple[_Cell, ...]
        columns: dict[str, str]
        duplicates: dict[str, tuple[_Cell, ...]]
        header_row, header_cells, columns, duplicates = None, (), {}, {}  # columns: letters -> column name
        complete = False
        rows: list[_Row] = []
        hidden: list[int] = []
        names_seen: set[str] = set()
        typed, shared, row_match, cells_of = self.typed, self.shared, _QUICK_ROW.match, _QUICK_CELLS.findall
        shared_count = len(shared)
        # Row attributes but a leading number -> (number, hidden); one table for rows with a leading number,
        # one for rows without, so that a second r among the rest is caught whichever comes first.
        numbered: dict[str, tuple[str | None, bool]] = {}
        unnumbered: dict[str, tuple[str | None, bool]] = {}
        states: dict[str, object] = {}  # <v> of shared text -> _INVALID, _BLANK or _FILLED
        origin: tuple[str, dict[str, str]] = (title, columns)
        number, position = 0, 0
        disorder: tuple[int, int] | None = None
        layout_match: Callable[[str, int], re.Match[str] | None] | None = None
        layout: _Layout | None = None
        match_layout: _Layout | None = None  # the layout layout_match matches
        patterns = 0
        layouts: dict[tuple[str, ...], tuple[_Layout, Callable[[str, int], re.Match[str] | None] | None]] = {}
        wanted_names = tuple(wanted.values())
        while True:
            found_row = layout_match(text, position) if layout_match is not None else None
            if found_row is not None:
                # The row's cells from the one match: the layout's columns, each cell's other groups in turn.
                position = found_row.end()
                groups: tuple[str, ...] = found_row.groups("")
                layout = match_layout
                kept: tuple[str, ...] | re.Match[str] = found_row  # gives the same groups again
            else:
                found_row = row_match(text, position)
                if found_row is None:
                    break
                position = found_row.end()
                given, cells_text = found_row.group(1, 2)
                stored = cells_of(cells_text) if cells_text else []
                groups = kept = (given, *[part for cell_stored in stored for part in cell_stored[1:]])
                if complete:
                    letters_of = tuple(cell_stored[0] for cell_stored in stored)
                    known = layouts.get(letters_of)
                    if known is None:
                        known = layouts[letters_of] = (
                            _layout_of(letters_of, columns, wanted_names),
                            _quick_layout(letters_of).match if letters_of and patterns < _LAYOUTS else None,
                        )
                        patterns += known[1] is not None
                    layout = known[0]
                    if letters_of:
                        # The next rows are tried against this row's layout first (at most _LAYOUTS patterns a
                        # sheet, so a sheet whose rows all differ makes few patterns).
                        match_layout, layout_match = known
            given_text = groups[0]
            # Rows differ in their number only: the rest of their attributes is looked at once per form.
            if given_text.startswith(' r="'):
                close = given_text.index('"', 4)
                given_number, given_text = given_text[4:close], given_text[close + 1 :]
            else:
                given_number = None
            forms = unnumbered if given_number is None else numbered
            form = forms.get(given_text)
            if form is None:
                attributes = _QUICK_ATTRIBUTE.findall(given_text)
                given_attributes = dict(attributes)
                if len(given_attributes) != len(attributes) or (given_number is not None and "r" in given_attributes):
                    return None  # an attribute given twice: the general way refuses the sheet
                names_seen.update(given_attributes)
                form = forms[given_text] = (given_attributes.get("r"), given_attributes.get("hidden") in ("1", "true"))
            before, number = number, int((given_number if given_number is not None else form[0]) or number + 1)
            if number <= before and disorder is None:
                disorder = (number, before)
            if not complete:
                if number > search_rows:
                    break  # no complete header row: the missing columns are reported, nothing else
                header = [
                    typed(title, letters + digits, kind or "n", style or None, value[3:-4] if value else None)
                    for letters, digits, style, kind, value in stored
                ]
                matched = _match_header(header, wanted, better_than=len(columns))
                if matched is not None:
                    header_row, header_cells = number, tuple(header)
                    columns, duplicates, complete = matched
                    origin = (title, columns)
                continue
            assert layout is not None  # set by every row read once the header is complete
            if quick_row is not None:
                try:
                    made = quick_row(number, groups, layout.at)
                except (ValueError, IndexError):  # a value that is no number or no shared string: see below
                    made = None
                if made is not None:  # every value typed without fail, and the row is not blank
                    if form[1]:
                        hidden.append(number)
                    rows.append(_Row(number, {}, kept, layout, origin, made))
                    continue
            plain, filled = True, False  # plain: every value a whole number or a shared string that exists
            for _, at in layout.cells.values():
                value = groups[at + 3]
                if value and plain:
                    kind = groups[at + 2]
                    if kind == "s":
                        state = states.get(value)
                        if state is None:
                            digits = value[3:-4]
                            state = states[value] = (
                                _INVALID
                                if not digits.isdigit() or int(digits) >= shared_count
                                else _FILLED
                                if shared[int(digits)].strip()
                                else _BLANK
                            )
                        if state is _INVALID:
                            plain = False
                        elif state is _FILLED:
                            filled = True
                    elif kind in ("", "n") and value[3:-4].isdigit():
                        filled = True
                    else:
                        plain = False
            row = _Row(number, {}, groups, layout, origin)
            if not plain:
                self.fill(row)  # typed now, so that a value that cannot be fails here, in order, as before
                filled = not all(_is_blank(cell) for cell in row.cells.values())
            if not filled:
                continue  # blank rows, formatted or not, are not data
            if form[1]:
                hidden.append(number)
            rows.append(row)
        if (complete or number <= search_rows) and text[position:].strip(" \t\r\n"):
            return None  # something other than plain rows before the end: read the sheet the general way
        for name in names_seen:
            prefix, colon, _ = name.partition(":")
            if name.startswith("xmlns") or (colon and prefix not in declared):
                return None
        return _SheetTable(
            header_row=header_row,
            header_cells=header_cells,
            columns=tuple(columns.values()),
            duplicates=duplicates,
            rows=rows,
            hidden=hidden,
            merged=merged,
            disorder=disorder,
        )

    def stored_table(self, title: str, part: str, wanted: dict[str, str], *, search_rows: int) -> _SheetTable:
        """The sheet read the general way, with lxml's iterparse: any form a writer may give the rows."""
        header_cells: tuple[_Cell, ...]
        columns: dict[str, str]
        duplicates: dict[str, tuple[_Cell, ...]]
        header_row, header_cells, columns, duplicates = None, (), {}, {}  # columns: letters -> column name
        complete = False
        rows: list[_Row] = []
        hidden: list[int] = []
        merged: list[tuple[str, int, int, int]] = []
        row_tag, cell_tag = self.q("row"), self.q("c")
        make_cell, shared, v_tag = self.cell, self.shared, self.v_tag
        number = 0
        disorder: tuple[int, int] | None = None
        for element in self.iter_elements(part, ("row", "mergeCell")):
            if element.tag != row_tag:
                merged.append(_merged_area(element.get("ref", "")))
                continue
            before, number = number, int(element.get("r") or number + 1)
            if number <= before and disorder is None:
                disorder = (number, before)
            if not complete:
                if number > search_rows:
                    break  # no complete header row: the missing columns are reported, nothing else
                header = [self.cell(title, c, ref) for c, ref in _cells_of(element, cell_tag, number)]
                matched = _match_header(header, wanted, better_than=len(columns))
                if matched is not None:
                    header_row, header_cells = number, tuple(header)
                    columns, duplicates, complete = matched
                continue
            cells: dict[str, _Cell] = {}
            for c in element:
                ref = c.get("r")
                if ref is None:  # a writer may leave references out: read the row the careful way
                    cells = {
                        columns[ref.rstrip(_DIGITS)]: self.cell(title, c, ref)
                        for c, ref in _cells_of(element, cell_tag, number)
                        if ref.rstrip(_DIGITS) in columns
                    }
                    break
                name = columns.get(ref.rstrip(_DIGITS))
                if name is None:
                    continue
                if c.get("t") == "s" and len(c) == 1:  # shared text alone, as most cells are: the short way
                    value = c[0]
                    if value.tag == v_tag and value.text:
                        cells[name] = _Cell(title, ref, shared[int(value.text)], "s")
                        continue
                cells[name] = make_cell(title, c, ref)
            if not cells or all(_is_blank(cell) for cell in cells.values()):
                continue  # blank rows, formatted or not, are not data
            for letters, name in columns.items():
                if name not in cells:
                    cells[name] = _Cell(title, f"{letters}{number}")
            if element.get("hidden") in ("1", "true"):
                hidden.append(number)
            rows.append(_Row(number=number, cells=cells))
        return _SheetTable(
            header_row=header_row,
            header_cells=header_cells,
            columns=tuple(columns.values()),
            duplicates=duplicates,
            rows=rows,
            hidden=hidden,
            merged=merged,
            disorder=disorder,
        )


def _groups_of(row: _Row) -> tuple[str, ...] | None:
    """The groups of a row kept as stored (see _Row.groups)."""
    groups = row.groups
    return groups.groups("") if isinstance(groups, re.Match) else groups


def _layout_of(letters: tuple[str, ...], columns: dict[str, str], wanted: tuple[str, ...]) -> _Layout:
    """Where a row whose cells are in these columns, in this order, has the wanted columns' cells (a column given
    twice: its last cell, as typing the cells one after the other would keep)."""
    cells: dict[str, tuple[str, int]] = {}
    for index, letters_of in enumerate(letters):
        name = columns.get(letters_of)
        if name is not None:
            cells[name] = (letters_of, 1 + 4 * index)
    return _Layout(cells, tuple(cells[name][1] if name in cells else -1 for name in wanted))


def _merged_area(area: str) -> tuple[str, int, int, int]:
    """A merged range as (range, first row, last row, first column)."""
    first, _, last = area.partition(":")
    return (area, _row_of(first), _row_of(last or first), _column_index(first.replace("$", "").rstrip(_DIGITS)))


def _match_header(
    header: list[_Cell], wanted: dict[str, str], *, better_than: int
) -> tuple[dict[str, str], dict[str, tuple[_Cell, ...]], bool] | None:
    """A row read as the header: (column letters -> column name, names found more than once -> their cells,
    whether every wanted column is there), or None when it names no more wanted columns than better_than."""
    found: dict[str, list[_Cell]] = {}
    for cell in header:
        key = _normalise_header(cell.value)
        if key in wanted:
            found.setdefault(wanted[key], []).append(cell)
    if len(found) <= better_than:
        return None
    columns = {found[name][0].coordinate.rstrip(_DIGITS): name for name in found}
    duplicates = {name: tuple(same) for name, same in found.items() if len(same) > 1}
    return columns, duplicates, len(found) == len(wanted)


def _cells_of(row: _Element, cell_tag: str, number: int) -> Iterator[tuple[_Element, str]]:
    """Each <c> of a row with its reference; a writer may leave references out, meaning the next column."""
    letters = ""
    for c in row.iter(cell_tag):
        ref = c.get("r")
        if ref is None:
            letters = _column_letters(_column_index(letters) + 1)
            ref = f"{letters}{number}"
        else:
            letters = ref.rstrip(_DIGITS)
        yield c, ref


def _is_blank(cell: _Cell) -> bool:
    if cell.value is None:
        return cell.formula is None
    return isinstance(cell.value, str) and not cell.value.strip()


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


def _column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _row_of(ref: str) -> int:
    digits = ref.lstrip("$ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz").replace("$", "")
    return int(digits) if digits.isdigit() else 0


class _Reader:
    """Reads the three sheets, collecting every problem instead of stopping at the first."""

    def __init__(self, *, name: str, book: _Book) -> None:
        self.name = name
        self.book = book
        self.problems: list[Problem] = []
        self._plain: list[str | None] | None = None
        #: What quick_action found each stored value to mean: status, theme, timescale typed as text, as a day.
        self._quick: tuple[
            dict[str, Status | None], dict[str, Theme | None], dict[str, date | None], dict[str, date | None]
        ] = ({}, {}, {}, {})

    # -- reporting ---------------------------------------------------------------------------
    def problem(
        self,
        place: str,
        message: str,
        *,
        found: Any = None,
        suggestion: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.problems.append(
            Problem(
                file=self.name,
                place=place,
                message=_escaped(message),
                found=None if found is None else _escaped(as_excel_shows(found)),
                suggestion=None if suggestion is None else _escaped(suggestion),
                severity=severity,
            )
        )

    @staticmethod
    def where(cell: _Cell, header: str | None = None) -> str:
        ref = f"'{cell.sheet}'!{cell.coordinate}"
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

    def sheet_rows(
        self, title: str, columns: tuple[str, ...], *, typed: bool = True, quick_row: _QuickRow | None = None
    ) -> list[_Row] | None:
        """The sheet's data rows keyed by header, or None when the sheet or a column is missing; with typed
        False, rows may keep their cells as stored (see _Row) for the caller to fill in."""
        names = self.book.sheetnames
        if title not in names:
            self.problem(
                f"sheet '{title}'",
                "the sheet is missing",
                suggestion=suggest(title, names) or f"the workbook has: {', '.join(names)}",
            )
            return None
        kind = self.book.sheets[title][0]
        if kind != "worksheet":
            what = {"chartsheet": "a chart sheet", "dialogsheet": "a dialog sheet"}.get(kind, "not a sheet of cells")
            self.problem(
                f"sheet '{title}'",
                f"this sheet is {what}, not a sheet of cells; put the table on an "
                f"ordinary worksheet named {title!r} (rename or move the chart)",
            )
            return None
        self.check_hidden_sheet(title)
        wanted = {_normalise_header(column): column for column in columns}
        table = self.book.read_table(title, wanted, search_rows=HEADER_SEARCH_ROWS, quick_row=quick_row)
        if table.disorder is not None:
            again, before = table.disorder
            self.problem(
                f"'{title}'!{again}:{again}",
                f"the workbook is damaged: row {again} is stored after row {before} (rows out of order, or a row "
                "given twice), so which cells Excel would show there cannot be told; open it in Excel, let it "
                "repair what it can, check this sheet and save it again as an Excel Workbook (.xlsx)",
            )
            return None
        header_row = table.header_row
        if header_row is None:
            self.problem(
                f"sheet '{title}'",
                f"no header row found in the first {HEADER_SEARCH_ROWS} rows; "
                f"expected the columns {', '.join(columns)}",
            )
            return None
        for column, cells in table.duplicates.items():
            places = " and ".join(cell.coordinate for cell in cells)
            self.problem(
                f"'{title}'!{header_row}:{header_row}",
                f"two columns are headed {column!r} ({places}), so it is not clear which one to read; "
                "rename or delete all but one of them",
            )
        missing = [column for column in columns if column not in table.columns]
        for column in missing:
            self.problem(
                f"'{title}'!{header_row}:{header_row}",
                f"the column {column!r} is missing from the header row",
                suggestion=self.closest_header(table.header_cells, column),
            )
        if missing or table.duplicates:
            return None
        self.check_merged(title, table.merged, header_row)
        if table.hidden:
            rows = _ranges(table.hidden)
            self.problem(
                f"sheet '{title}'",
                f"1 hidden row is counted like any other: row {rows}; unhide it in Excel to check it"
                if len(table.hidden) == 1
                else f"{len(table.hidden)} hidden rows are counted like any other: rows {rows}; unhide them in Excel "
                "to check them",
                severity=Severity.WARNING,
            )
        if typed:
            for row in table.rows:
                self.book.fill(row)
        return table.rows

    def check_hidden_sheet(self, title: str) -> None:
        """A hidden sheet is read like any other, as hidden rows are, with a warning that says how to see it: the
        officer may be editing a visible copy of it that is not read."""
        state = self.book.states.get(title, "visible")
        if state not in ("hidden", "veryHidden"):
            return
        copies = [
            name
            for name, shown in self.book.states.items()
            if name != title and shown not in ("hidden", "veryHidden") and title.casefold() in name.casefold()
        ]
        others = ""
        if copies:
            others = f" (the visible sheet{'s' if len(copies) > 1 else ''} {', '.join(map(repr, copies))} "
            others += ("are" if len(copies) > 1 else "is") + " not read)"
        if state == "hidden":
            message = (
                f"the sheet is hidden, and it is the one read{others}; to see it, right-click any sheet tab in "
                "Excel and choose Unhide, and check that it is the sheet you keep up to date"
            )
        else:
            message = (
                f"the sheet is hidden so that Excel's Unhide does not show it, and it is the one read{others}; "
                "whoever set up the workbook can show it in Excel's Visual Basic editor (the sheet's Visible "
                "property): check that it is the sheet you keep up to date"
            )
        self.problem(
            f"sheet '{title}'",
            message,
            severity=Severity.WARNING,
        )

    def closest_header(self, header_cells: tuple[_Cell, ...], column: str) -> str | None:
        """A header in the row that is probably the missing column, misspelt."""
        headers = [_escaped(str(c.value)) for c in header_cells if c.value is not None]
        match = closest(column, headers)
        return f"if {match!r} is meant to be it, rename that header to {column!r}" if match else None

    def check_merged(self, title: str, merged: list[tuple[str, int, int, int]], header_row: int) -> None:
        for ref, _, last, _ in sorted(merged, key=lambda m: (m[1], m[3])):
            if last >= header_row:
                self.problem(
                    f"'{title}'!{ref}",
                    "merged cells inside the table: each row needs its own value in every column; "
                    "unmerge these cells and fill each one in",
                )

    # -- cells ------------------------------------------------------------------------------
    def value(self, row: _Row, header: str) -> Any:
        """The cell's value, or None after recording why it cannot be used."""
        cell = row.cells[header]
        if cell.data_type == "e":
            self.problem(
                self.where(cell, header),
                "the cell holds an Excel error; correct the formula or type the value",
                found=cell.value,
            )
            return None
        if cell.value is None:
            formula = cell.formula
            place = self.where(cell, header)
            if formula is not None:
                # A cell that shares the formula above it stores no text of its own: nothing to show then.
                self.problem(
                    place,
                    "the cell's formula has no saved result (the workbook was never recalculated); "
                    "open the workbook in Excel and save it",
                    found=formula if formula != "=" else None,
                )
            elif header not in OPTIONAL_CELLS:
                self.problem(place, "the cell is blank; every action needs this filled in")
            return None
        return cell.value

    def text(self, row: _Row, header: str) -> str | None:
        value = row.cells[header].value
        if (
            type(value) is str
            and row.cells[header].data_type == "s"
            and len(value) < MAX_CELL_CHARACTERS
            and not _NEEDS_CARE.search(value)
            and value.strip()
        ):
            return value  # plain text, as nearly every cell is: nothing to check or convert
        value = self.value(row, header)
        if value is None:
            return "" if header in OPTIONAL_CELLS else None
        cell = row.cells[header]
        if type(value) is not str:
            value = self.displayed_text(cell, header, value)
            if value is None:
                return None
        if "\r" in value or "\x0b" in value:
            value = _LINE_BREAKS.sub("\n", value)
        lone = _SURROGATE.search(value)
        if lone:
            self.problem(
                self.where(cell, header),
                f"the cell holds a character that is not valid text (_x{ord(lone.group()):04X}_); "
                "retype the cell in Excel",
            )
            return None
        illegal = unprintable_character(value)
        if illegal:
            self.problem(
                self.where(cell, header),
                f"the text holds the invisible control character U+{ord(illegal):04X}, "
                "which a Word document cannot contain; retype the text in this cell",
                found=value[:80],
            )
            return None
        if len(value) >= MAX_CELL_CHARACTERS:
            # Excel cuts longer text to this length when it opens the file, so such text was not typed in Excel.
            self.problem(
                self.where(cell, header),
                f"the text reaches {MAX_CELL_CHARACTERS:,} characters, the most an Excel cell holds, "
                "so its end may have been cut off; shorten it",
            )
            return None
        if not value.strip():
            if header in OPTIONAL_CELLS:
                return ""
            self.problem(self.where(cell, header), "the cell is blank; every action needs this filled in")
            return None
        # Text is kept exactly as typed (it may be printed in the report); only Excel's encoding is undone.
        return value

    def displayed_text(self, cell: _Cell, header: str, value: Any) -> str | None:
        """A value that is not text, in a text column: numbers as Excel shows them; dates and the like refused."""
        place = self.where(cell, header)
        if isinstance(value, (datetime, date)):
            self.problem(place, "expected text but the cell holds a date", found=value)
            return None
        if isinstance(value, (time, timedelta)):
            self.problem(
                place,
                "expected text but the cell holds a time; type the text, or format the cell as "
                "Text in Excel and retype it",
                found=value,
            )
            return None
        if isinstance(value, bool):
            self.problem(place, "expected text but the cell holds TRUE/FALSE", found=value)
            return None
        if isinstance(value, (int, float)):
            return _format_number(value, cell.number_format)
        self.problem(place, "expected text", found=value)
        return None

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
    def read_themes(self) -> dict[int, Theme | None] | None:
        rows = self.sheet_rows(THEMES_SHEET, THEME_COLUMNS)
        if rows is None:
            return None
        themes: dict[int, Theme | None] = {}  # None: known but faulty
        for row in rows:
            number, name, order = (
                self.whole_number(row, "Number"),
                self.text(row, "Theme"),
                self.whole_number(row, "Order"),
            )
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

    def read_statuses(self) -> dict[str, Status | None] | None:
        rows = self.sheet_rows(STATUS_SHEET, STATUS_COLUMNS)
        if rows is None:
            return None
        statuses: dict[str, Status | None] = {}  # None: known but faulty
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
            self.problem(
                f"sheet '{STATUS_SHEET}'", "no status has Yes in 'In Table 1', so Table 1 would have no columns"
            )
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

    def read_actions(
        self, themes: dict[int, Theme | None] | None, statuses: dict[str, Status | None] | None
    ) -> list[Action] | None:
        # A partial object rather than a function calling quick_action: one Python call a row fewer.
        quick_row = (
            functools.partial(self.quick_action, themes, statuses)
            if themes is not None and statuses is not None
            else None
        )
        rows = self.sheet_rows(ACTIONS_SHEET, ACTION_COLUMNS, typed=False, quick_row=quick_row)
        if rows is None:
            return None
        actions: list[Action] = []
        seen: dict[str, str | _Row] = {}  # reference -> where it is first used: the cell's place, or the quick row
        fill = self.book.fill
        for row in rows:
            action = row.action
            # A plainly right row is taken as made unless its reference was used above: the checks below say so.
            if action is not None and action.reference not in seen:
                seen[action.reference] = row  # its Ref cell's place is worked out only if the reference recurs
                actions.append(action)
                continue
            if row.groups is not None and not row.cells:
                fill(row)
            reference = self.text(row, "Ref")
            reference = reference.strip() if reference is not None else None
            theme = self.lookup(
                row,
                "Theme",
                themes,
                key=self.whole_number,
                choices=lambda: [str(n) for n in sorted(themes or {})],
                expected="a theme number from the Themes sheet",
            )
            status = self.lookup(
                row,
                "Status",
                statuses,
                key=lambda r, h: (self.text(r, h) or "").strip().casefold() or None,
                choices=lambda: [s.label for s in (statuses or {}).values() if s],
                expected="a status in the key",
            )
            timescale = self.timescale(row)
            fields = {h: self.text(row, h) for h in ("Action", "Lead", "Progress Update")}
            if reference is not None:
                cell = row.cells["Ref"]
                if reference in seen:
                    first = seen[reference]
                    if isinstance(first, _Row):
                        groups, layout = _groups_of(first), first.layout
                        assert groups is not None and layout is not None  # a quick row's action is made from them
                        letters, at = layout.cells["Ref"]
                        first = letters + groups[at]
                    self.problem(
                        self.where(cell, "Ref"),
                        f"this reference is also used at {first}; each action needs its own reference",
                        found=reference,
                    )
                    continue
                seen[reference] = cell.coordinate
            text, lead, progress = fields["Action"], fields["Lead"], fields["Progress Update"]
            if (
                reference is None
                or theme is None
                or status is None
                or timescale is None
                or text is None
                or lead is None
                or progress is None
            ):
                continue
            actions.append(
                Action(
                    reference=reference,
                    theme=theme,
                    text=text,
                    lead=lead,
                    timescale=timescale,
                    status=status,
                    progress=progress,
                    row=row.number,
                )
            )
        if not actions and not rows:
            self.problem(f"sheet '{ACTIONS_SHEET}'", "the sheet lists no actions")
        return actions

    def plain_texts(self) -> list[str | None]:
        """For each shared string, the text that text() takes as it is (see there), or None; worked out once."""
        if self._plain is None:
            shared = self.book.shared
            careful: set[int] = set()
            joined = "\n".join(shared)  # a line feed is no character _NEEDS_CARE looks for
            if _NEEDS_CARE.search(joined):
                starts, offset = [], 0
                for item in shared:
                    starts.append(offset)
                    offset += len(item) + 1
                careful = {bisect.bisect_right(starts, found.start()) - 1 for found in _NEEDS_CARE.finditer(joined)}
            if (
                careful
                or max(map(len, shared), default=0) >= MAX_CELL_CHARACTERS
                or "" in shared
                or any(map(str.isspace, shared))  # blank: what strip() would leave nothing of
            ):
                self._plain = [
                    None if index in careful or len(item) >= MAX_CELL_CHARACTERS or not item.strip() else item
                    for index, item in enumerate(shared)
                ]
            else:  # every one plain, as in most workbooks: asked of all at once, without a Python step each
                self._plain = list(shared)
        return self._plain

    def quick_action(
        self,
        themes: dict[int, Theme | None],
        statuses: dict[str, Status | None],
        number: int,
        groups: tuple[str, ...],
        at: tuple[int, ...],
    ) -> Action | None:
        """The action of a row read the quick way (its groups, and where each of ACTION_COLUMNS is in them: see
        _Layout) when every cell of it is plainly right, as the checks in read_actions would find it, with nothing
        to report; None to leave the row to those checks. Whether its reference is used twice is left to
        read_actions, which sees the rows in order.

        Raises ValueError or IndexError for a value that is no number or no shared string, which the quick
        way then leaves to typing as usual (see _Book.quick_table). What a stored value means is worked out
        once for each value (the same statuses, themes and dates recur down a plan) and remembered in
        self._quick, keyed by the stored <v>."""
        plain = self._plain if self._plain is not None else self.plain_texts()
        memo_status, memo_theme, memo_month, memo_day = self._quick
        ref_at, theme_at, text_at, lead_at, when_at, status_at, progress_at = at
        # Each cell: its type at +2 and its "<v>...</v>" at +3 from its index (-1: no cell in the row).
        if ref_at < 0 or groups[ref_at + 2] != "s" or not groups[ref_at + 3]:
            return None
        reference = plain[int(groups[ref_at + 3][3:-4])]
        if reference is None:
            return None
        reference = reference.strip()
        if text_at < 0 or groups[text_at + 2] != "s" or not groups[text_at + 3]:
            return None
        text = plain[int(groups[text_at + 3][3:-4])]
        if text is None or lead_at < 0 or groups[lead_at + 2] != "s" or not groups[lead_at + 3]:
            return None
        lead = plain[int(groups[lead_at + 3][3:-4])]
        if lead is None or status_at < 0 or groups[status_at + 2] != "s" or not groups[status_at + 3]:
            return None
        value = groups[status_at + 3]
        if value in memo_status:
            status = memo_status[value]
        else:
            label = plain[int(value[3:-4])]
            status = memo_status[value] = statuses.get(label.strip().casefold()) if label is not None else None
        if progress_at < 0 or not groups[progress_at + 3]:
            progress: str | None = ""
        elif groups[progress_at + 2] == "s":
            progress = plain[int(groups[progress_at + 3][3:-4])]
        else:
            return None
        if status is None or progress is None:
            return None
        book = self.book
        kinds = book.style_kinds
        if theme_at < 0 or groups[theme_at + 2] not in ("", "n") or not groups[theme_at + 3]:
            return None
        style = groups[theme_at + 1]
        if (kinds[style] if style in kinds else book.style_kind(style)) is not None:
            return None  # a date or a duration, not a theme number
        value = groups[theme_at + 3]
        if value in memo_theme:
            theme = memo_theme[value]
        else:
            theme = memo_theme[value] = themes.get(int(value[3:-4]))
        if theme is None or when_at < 0 or not groups[when_at + 3]:
            return None
        value, kind, style = groups[when_at + 3], groups[when_at + 2], groups[when_at + 1]
        when: date | None
        if kind == "s":
            if value in memo_month:
                when = memo_month[value]
            else:
                try:
                    when = timescales.parse_timescale(book.shared[int(value[3:-4])])
                except ValueError:
                    when = None
                if when is not None and not FIRST_YEAR <= when.year <= LAST_YEAR:
                    when = None
                memo_month[value] = when
        elif kind in ("", "n") and (kinds[style] if style in kinds else book.style_kind(style)) == "date":
            if value in memo_day:
                when = memo_day[value]
            else:
                raw = value[3:-4]
                moment = book.moments.get((raw, "date"), False)
                if moment is False:
                    moment = book.moment(raw, int(raw), "date")
                when = moment.date() if isinstance(moment, datetime) else None
                if when is not None and not FIRST_YEAR <= when.year <= LAST_YEAR:
                    when = None
                memo_day[value] = when
        else:
            return None
        if when is None:
            return None
        # The Action that Action(...) makes (see _new_object), its fields put in its __dict__ in field order by
        # name: no call a row to a helper and no pairing of names with values, a third of making it (#11).
        action: Action = _new_object(Action)
        action.__dict__.update(
            reference=reference,
            theme=theme,
            text=text,
            lead=lead,
            timescale=when,
            status=status,
            progress=progress,
            row=number,
        )
        return action

    def lookup(
        self,
        row: _Row,
        header: str,
        table: dict[Any, _Found | None] | None,
        *,
        key: Callable[[_Row, str], Any],
        choices: Callable[[], list[str]],
        expected: str,
    ) -> _Found | None:
        found = key(row, header)
        if found is None or table is None:
            return None
        if found in table:
            return table[found]
        shown = row.cells[header].value
        shown = as_excel_shows(shown) if isinstance(shown, (bool, date, time, timedelta)) else shown
        names = choices()
        self.problem(
            self.where(row.cells[header], header),
            f"{shown!r} is not {expected} ({', '.join(names)})",
            suggestion=suggest(str(shown), names),
        )
        return None

    def timescale(self, row: _Row) -> date | None:
        value = self.value(row, "Timescale")
        if value is None:
            return None
        place = self.where(row.cells["Timescale"], "Timescale")
        if isinstance(value, (datetime, date)):
            when = value.date() if isinstance(value, datetime) else value
        elif isinstance(value, str):
            try:
                when = timescales.parse_timescale(value)
            except ValueError as exc:
                self.problem(place, str(exc), found=value)
                return None
        else:
            when = None
        if when is not None:
            if not FIRST_YEAR <= when.year <= LAST_YEAR:
                # Word and Excel cannot show such a year, and no action plan runs to it: a typing slip.
                self.problem(
                    place,
                    f"the year {when.year:04d} cannot be right; expected a date between "
                    f"{FIRST_YEAR} and {LAST_YEAR}, such as 31/12/2018",
                    found=value,
                )
                return None
            return when
        self.problem(
            place,
            "expected a date (format the cell as a date) or text such as 'December 2018' or '31/12/2018'",
            found=value,
        )
        return None


#: The years a timescale may fall in: Excel's own dates start in 1900 and end in 9999.
FIRST_YEAR, LAST_YEAR = 1900, 9999


#: Makes an Action without its __init__: a frozen dataclass sets each field through object.__setattr__, one call at
#: a time, 3 µs an action, a tenth of reading a plain row (#11). _Reader.quick_action makes the same object the way
#: Python copies one (its fields put in its __dict__ in field order), so equality, hashing and what is shown of it
#: are the same (tests/test_workbook_reader_scale.py compares them with Action(...): a field added is caught there).
_new_object = object.__new__


def as_excel_shows(value: Any) -> str:
    """A cell's value as Excel shows it in a message: TRUE/FALSE, dates day first (UK), times as hh:mm:ss."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d} {value:%H:%M:%S}"
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, time):
        return f"{value:%H:%M:%S}"
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return str(value)


def _format_number(value: float | int, number_format: str) -> str:
    """A number as Excel displays it under the cell's number format (2.10 stays 2.10, 0.5 as 50% stays 50%)."""
    # Excel's number-format language (sections, percentages, literals, fractions, General's 11 significant
    # digits) is implemented by ssf, the Python port of SheetJS's formatter; it is imported only when a number
    # sits in a text column. Its locale support is switched off: it fails with current Babel releases, and
    # Excel stores formats in one invariant (en-US) form anyway.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ssf import SSF

        formatter = SSF(locale_support=False, decimal_separator=".", thousands_separator=",")
        for code in (number_format or "General", "General"):
            try:
                return str(formatter.format(code, value))
            except Exception:  # noqa: BLE001 - a format ssf cannot read falls back to General, as LibreOffice does
                continue
    return str(int(value)) if float(value).is_integer() else repr(value)  # is_integer() is False for inf, nan


def _ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9'."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
