"""The accessibility checker: any .docx against the checks a published committee paper must pass.

The checks follow WCAG 2.1 AA as it applies to documents (the Public Sector Bodies Accessibility
Regulations 2018): title and language set; headings in Heading styles, in order, none skipped; no text
formatted by hand to look like a heading; every table with a marked, repeating header row and no merged cells
in its data rows; alt text on every image; colour never the only signal; no empty paragraphs for spacing;
body text at least 11 pt; link text that says where it goes. Each finding names the paragraph or the table
and cell, as `check` does.

Written here rather than taken from a library: no maintained Python package checks .docx accessibility
(Word's own checker runs only inside Word); python-docx gives the styles and XML the checks need.
"""

from __future__ import annotations

import re

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.styles.style import BaseStyle, CharacterStyle
from lxml.etree import _Comment, _Element

from .errors import Problem, Severity

#: The smallest text size for body text, in points.
MIN_POINTS = 11
#: Text at least this size, bold or not, reads as a heading when it is a whole short paragraph.
HEADING_POINTS = 14
#: A paragraph longer than this is body text, however it is formatted.
HEADING_LENGTH = 100
#: Link texts that do not say where the link goes.
VAGUE_LINKS = {
    "click here",
    "here",
    "link",
    "this link",
    "more",
    "read more",
    "click",
    "this",
    "website",
    "web page",
    "page",
    "find out more",
    "more information",
    "more info",
}
_HEADING_STYLE = re.compile(r"^heading ([1-9])$", re.IGNORECASE)
_NO_FILL = {"", "auto", "FFFFFF"}
# WordprocessingML's namespace, written out once: the checks look up tags hundreds of thousands of times.
_W = qn("w:p")[:-1]
_P, _R, _T, _TC, _TC_PR, _V_MERGE, _SHD = (_W + tag for tag in ("p", "r", "t", "tc", "tcPr", "vMerge", "shd"))
_SZ, _R_STYLE = _W + "sz", _W + "rStyle"
_VAL, _FILL, _P_PR, _P_STYLE, _GRID_SPAN, _R_PR = (
    _W + tag for tag in ("val", "fill", "pPr", "pStyle", "gridSpan", "rPr")
)


def check_document(document: DocxDocument, *, name: str, streamed: StreamedRows | None = None) -> list[Problem]:
    """Every accessibility finding for a python-docx Document, in document order.

    streamed holds the rows a check filled in and checked one at a time (render.fill_in_report): the document has
    a marker in their place, and they are reported as if they were there."""
    checker = _Checker(document, name, streamed)
    return checker.run()


#: (kind, column, found) of one finding in a table row: kind is "merged" or "colour" (column is the cell's last
#: grid column) or "size" (column is the text's size in half-points).
RowFault = tuple[str, int, str | None]


class StreamedRows:
    """What the accessibility check needs of table rows that were checked one at a time and dropped (#11): how many
    rows each marker stands for, and the findings of the rows that have any, to be placed and numbered once the
    table around them is known. The same checks as for any other row (_Checker.row_faults)."""

    #: The text of the XML comment that stands for run `block` of a row loop in a document that was checked.
    MARKER = "jtai-docs rows {}"
    _MARKER = re.compile(r"jtai-docs rows (\d+)")

    def __init__(self, document: DocxDocument) -> None:
        # The template's styles are the report's: filling in changes none of them.
        self._checker = _Checker(document, "")
        self.counts: dict[int, int] = {}
        self.first_cells: dict[int, int] = {}
        self.faults: dict[int, list[tuple[int, int | None, list[RowFault]]]] = {}

    def add(self, block: int, row: _Element) -> None:
        """Checks one row of run `block` (in order), keeping only its findings."""
        self.record(block, *self.facts(row))

    def facts(self, row: _Element) -> tuple[int, int | None, list[RowFault]]:
        """A row's number of cells, the span of its only cell (None when it has several) and its findings: all
        that is kept of it."""
        single, faults = self._checker.row_faults(row)
        return len(row.findall(_TC)), single, faults

    def record(self, block: int, cells: int, single: int | None, faults: list[RowFault]) -> None:
        """Counts the next row of run `block`, with its facts (as facts() gives them)."""
        index = self.counts.get(block, 0)
        self.counts[block] = index + 1
        if not index:
            self.first_cells[block] = cells
        if faults:
            self.faults.setdefault(block, []).append((index, single, faults))

    @classmethod
    def block_of(cls, element: _Element) -> int | None:
        """The run of rows a marker comment stands for (None for any other element)."""
        if not isinstance(element, _Comment):
            return None
        match = cls._MARKER.fullmatch(element.text or "")
        return int(match.group(1)) if match else None


class _Checker:
    def __init__(self, document: DocxDocument, name: str, streamed: StreamedRows | None = None) -> None:
        self.document = document
        self.name = name
        self.streamed = streamed
        self.problems: list[Problem] = []
        self.styles = document.styles
        self.by_id = {style.style_id: style for style in document.styles}
        # The effective size per paragraph or character style.
        self.sizes: dict[str | None | tuple[str, str | None], int | None] = {}
        defaults = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self.default_size = _half_points(defaults)
        self.default_language = _language(defaults)

    def fault(self, place: str, message: str, found: str | None = None) -> None:
        self.problems.append(
            Problem(file=self.name, place=place, message=message, found=found, severity=Severity.WARNING)
        )

    def run(self) -> list[Problem]:
        core = self.document.core_properties
        if not (core.title or "").strip():
            self.fault(
                "document properties",
                "the document has no title (File > Info > Properties > Title); "
                "screen readers and the PDF's title bar show it",
            )
        if not ((core.language or "").strip() or self.default_language):
            self.fault(
                "document properties",
                "the document's language is not set (Review > Language), so screen readers cannot pick the right voice",
            )
        self.check_body()
        self.check_images()
        return self.problems

    # -- paragraphs ---------------------------------------------------------------------------------------
    def check_body(self) -> None:
        body = self.document.element.body
        paragraph_number = table_number = 0
        previous_level = 0
        last_text = ""
        for element in body.iterchildren(_W + "p", _W + "tbl"):
            if element.tag == _W + "tbl":
                table_number += 1
                self.check_table(element, table_number)
                continue
            paragraph_number += 1
            text = _text(element)
            place = f"paragraph {paragraph_number}" + (
                f" ({_short(text)!r})" if text.strip() else f" (after {_short(last_text)!r})" if last_text else ""
            )
            style_id = _style_id(element)
            level = self.heading_level(style_id)
            if level is not None and text.strip():
                if level > previous_level + 1:
                    self.fault(
                        place,
                        f"heading level {level} follows level {previous_level or 'none'}: a level "
                        "is skipped; use the next Heading style down",
                    )
                previous_level = level
            elif level is None and text.strip():
                self.check_fake_heading(element, text, place)
            if not text.strip() and self.is_spacing(element):
                self.fault(
                    place,
                    "an empty paragraph is used for spacing; use Spacing Before/After in the "
                    "paragraph's style instead, so screen readers do not announce blanks",
                )
            self.check_sizes(element, style_id, place)
            self.check_links(element, place)
            if text.strip():
                last_text = text

    def heading_level(self, style_id: str | None) -> int | None:
        style = self.style(style_id)
        while isinstance(style, CharacterStyle):  # paragraph styles too; not table or numbering styles
            match = _HEADING_STYLE.match(style.name or "")
            if match:
                return int(match.group(1))
            if (style.name or "").casefold() == "title":
                return 1
            style = style.base_style
        return None

    def style(self, style_id: str | None) -> BaseStyle | None:
        if not style_id:
            return self.styles.default(_paragraph_type()) if hasattr(self.styles, "default") else None
        return self.by_id.get(style_id)

    def is_spacing(self, element: _Element) -> bool:
        properties = element.find(_W + "pPr")
        if properties is not None and properties.find(_W + "sectPr") is not None:
            return False  # a section break, not spacing
        # Pictures, page breaks and fields are content even without text.
        return not element.xpath(".//w:drawing | .//w:pict | .//w:br | .//w:object | .//w:fldSimple")

    def check_fake_heading(self, element: _Element, text: str, place: str) -> None:
        """Text made to look like a heading by direct formatting (bold or large) rather than a Heading style."""
        if len(text.strip()) > HEADING_LENGTH or text.rstrip().endswith((".", ":", ";", ",")):
            return
        runs = [run for run in element.iter(_W + "r") if _text(run).strip()]
        if not runs:
            return
        bold = all(_direct(run, "w:b") for run in runs)
        large = all((_half_points(run.find(_W + "rPr")) or 0) >= HEADING_POINTS * 2 for run in runs)
        if bold or large:
            self.fault(
                place,
                "the text is formatted by hand to look like a heading; give it a Heading style so "
                "it is in the navigation pane and read out as a heading",
                found=_short(text),
            )

    def check_sizes(self, element: _Element, style_id: str | None, place: str) -> None:
        found = self.undersized(element, style_id)
        if found is not None:
            self.fault(place, _size_message(found[0]), found=found[1])

    def undersized(self, element: _Element, style_id: str | None) -> tuple[int, str] | None:
        """The size (half-points) and text of the paragraph's first run of text below MIN_POINTS, if any."""
        paragraph_size = self.style_size(style_id)
        for run in element.iter(_R):
            if not _text(run).strip():
                continue
            size = _half_points(_child(run, _R_PR))
            if size is None:
                size = self.character_style_size(run) or paragraph_size
            if size is not None and size < MIN_POINTS * 2:
                return size, _short(_text(run))
        return None

    def style_size(self, style_id: str | None) -> int | None:
        if style_id not in self.sizes:
            self.sizes[style_id] = self._style_size(style_id)
        return self.sizes[style_id]

    def _style_size(self, style_id: str | None) -> int | None:
        style = self.style(style_id)
        while isinstance(style, CharacterStyle):  # paragraph styles too; not table or numbering styles
            if style.font.size is not None:
                return int(style.font.size / Pt(0.5))
            style = style.base_style
        return self.default_size

    def character_style_size(self, run: _Element) -> int | None:
        properties = _child(run, _R_PR)
        reference = _child(properties, _R_STYLE) if properties is not None else None
        if reference is None:
            return None
        key = ("character", reference.get(_W + "val"))
        if key not in self.sizes:
            self.sizes[key] = self._character_size(reference.get(_W + "val"))
        return self.sizes[key]

    def _character_size(self, style_id: str | None) -> int | None:
        style = self.style(style_id)
        while isinstance(style, CharacterStyle):  # paragraph styles too; not table or numbering styles
            if style.font.size is not None:
                return int(style.font.size / Pt(0.5))
            style = style.base_style
        return None

    def check_links(self, element: _Element, place: str) -> None:
        for link in element.iter(_W + "hyperlink"):
            text = " ".join(_text(link).split())
            if text.casefold().strip(" .") in VAGUE_LINKS or re.fullmatch(r"(https?://|www\.)\S+", text):
                self.fault(
                    place,
                    "the link text does not say where it goes; write the page's name, such as "
                    "'the council's accessibility statement'",
                    found=text,
                )

    # -- tables ---------------------------------------------------------------------------------------------
    def check_table(self, table: _Element, number: int) -> None:
        label = f"table {number}"
        streamed = self.streamed
        # The table's rows, and in place of each marker the number of its run of streamed rows.
        rows: list[_Element | int] = []
        for child in table:
            if child.tag == _W + "tr":
                rows.append(child)
            elif streamed is not None:
                block = streamed.block_of(child)
                if block is not None and streamed.counts.get(block):
                    rows.append(block)
        if not rows:
            return
        first = rows[0]
        columns = len(table.findall(f"{_W}tblGrid/{_W}gridCol")) or (
            streamed.first_cells[first]
            if isinstance(first, int) and streamed is not None
            else len(first.findall(_W + "tc"))
            if not isinstance(first, int)
            else 0
        )
        header_rows = 0
        for row in rows:
            if isinstance(row, int) or row.find(f"{_W}trPr/{_W}tblHeader") is None:
                break  # streamed rows are never header rows (render refuses to stream those)
            header_rows += 1
        if header_rows == 0:
            self.fault(
                f"{label}, row 1",
                "the table has no header row marked to repeat (Table Properties > Row > "
                "Repeat as header row at the top of each page), so screen readers cannot name its columns",
            )
        last_header = rows[header_rows - 1] if header_rows else None
        headers = (
            [_text(cell).strip() for cell in last_header.findall(_W + "tc")]
            if last_header is not None and not isinstance(last_header, int)
            else []
        )
        row_number = header_rows
        for row in rows[header_rows:]:
            if isinstance(row, int):
                assert streamed is not None
                for index, single, faults in streamed.faults.get(row, []):
                    self.report_row(label, row_number + 1 + index, columns, headers, single, faults)
                row_number += streamed.counts[row]
                continue
            row_number += 1
            single, faults = self.row_faults(row)
            self.report_row(label, row_number, columns, headers, single, faults)

    def row_faults(self, row: _Element) -> tuple[int | None, list[RowFault]]:
        """The span of the row's only cell (None when it has several), and its findings, in the order reported."""
        cells = list(row.iterchildren(_TC))
        single = _span(cells[0]) if len(cells) == 1 else None
        faults: list[RowFault] = []
        column = 0
        for cell in cells:
            properties = _child(cell, _TC_PR)
            span = _span(cell)
            column += span
            if properties is None:
                continue
            merged = _child(properties, _V_MERGE)
            # Cells merged down a column are reported once, where the merge starts.
            if span > 1 or (merged is not None and merged.get(_VAL) == "restart"):
                faults.append(("merged", column, None))
            fill = _child(properties, _SHD)
            colour = (fill.get(_FILL) or "").upper() if fill is not None else ""
            if colour not in _NO_FILL and not _text(cell).strip():
                faults.append(("colour", column, None))
        for paragraph in row.iter(_P):
            found = self.undersized(paragraph, _style_id(paragraph))
            if found is not None:
                faults.append(("size", found[0], found[1]))
        return single, faults

    def report_row(
        self, label: str, row_number: int, columns: int, headers: list[str], single: int | None, faults: list[RowFault]
    ) -> None:
        if single is not None and single >= columns > 1:
            return  # a group heading row across the whole table, such as a theme's name
        for kind, column, found in faults:
            place = f"{label}, row {row_number}, column {column}"
            if kind == "merged":
                self.fault(
                    place,
                    "a data row has merged cells, which screen readers cannot read cell by "
                    "cell; split them (Table Layout > Split Cells)",
                )
            elif kind == "colour":
                heading = headers[column - 1] if column - 1 < len(headers) else ""
                self.fault(
                    place + (f" ({heading})" if heading else ""),
                    "the cell has a colour but no text: colour must never be the only signal; write the "
                    "status (such as Green) in the cell as well",
                )
            else:
                self.fault(f"{label}, row {row_number}", _size_message(column), found=found)

    # -- images ---------------------------------------------------------------------------------------------
    def check_images(self) -> None:
        for number, properties in enumerate(
            self.document.element.body.iter(
                "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
            ),
            start=1,
        ):
            described = (properties.get("descr") or "").strip() or (properties.get("title") or "").strip()
            if not described and not _decorative(properties):
                self.fault(
                    f"image {number} ({properties.get('name') or 'unnamed'})",
                    "the image has no alt text (right-click > Edit Alt Text); describe what it shows, or "
                    "mark it as decorative",
                )


#: Word's "Mark as decorative" (Edit Alt Text), kept in the picture's properties as an extension of Office 2019.
_DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"


def _decorative(properties: _Element) -> bool:
    """Whether the picture is marked as decorative, so a screen reader passes it by and it needs no alt text."""
    return any((mark.get("val") or "").strip().lower() in ("1", "true", "on") for mark in properties.iter(_DECORATIVE))


def _size_message(half_points: int) -> str:
    return f"text is {half_points / 2:g} pt; body text must be at least {MIN_POINTS} pt"


def _paragraph_type() -> WD_STYLE_TYPE:
    from docx.enum.style import WD_STYLE_TYPE

    return WD_STYLE_TYPE.PARAGRAPH


def _text(element: _Element) -> str:
    return "".join(node.text or "" for node in element.iter(_T))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _child(element: _Element, tag: str) -> _Element | None:
    """element.find(tag) for a child's tag, without ElementPath (twice as fast; the checks ask hundreds of thousands
    of times)."""
    return next(element.iterchildren(tag), None)


def _style_id(paragraph: _Element) -> str | None:
    properties = _child(paragraph, _P_PR)
    style = _child(properties, _P_STYLE) if properties is not None else None
    return style.get(_VAL) if style is not None else None


def _half_points(properties: _Element | None) -> int | None:
    if properties is None:
        return None
    size = _child(properties, _SZ)
    value = size.get(_VAL) if size is not None else None
    return int(value) if value is not None and value.isdigit() else None


def _language(properties: _Element | None) -> str | None:
    if properties is None:
        return None
    language = properties.find(_W + "lang")
    return language.get(_W + "val") if language is not None else None


def _direct(run: _Element, tag: str) -> bool:
    """Whether the run itself (not a style) switches the property on."""
    value = run.find(f"{_W}rPr/{qn(tag)}")
    return value is not None and value.get(_W + "val", "true") not in ("0", "false", "off")


def _span(cell: _Element) -> int:
    properties = _child(cell, _TC_PR)
    span = _child(properties, _GRID_SPAN) if properties is not None else None
    value = span.get(_VAL) if span is not None else None
    return int(value) if value is not None and value.isdigit() else 1  # a hand-made file may leave it out
