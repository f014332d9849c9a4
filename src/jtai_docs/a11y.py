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
from lxml.etree import _Element

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


def check_document(document: DocxDocument, *, name: str) -> list[Problem]:
    """Every accessibility finding for a python-docx Document, in document order."""
    checker = _Checker(document, name)
    return checker.run()


class _Checker:
    def __init__(self, document: DocxDocument, name: str) -> None:
        self.document = document
        self.name = name
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
        paragraph_size = self.style_size(style_id)
        for run in element.iter(_W + "r"):
            if not _text(run).strip():
                continue
            size = _half_points(run.find(_W + "rPr"))
            if size is None:
                size = self.character_style_size(run) or paragraph_size
            if size is not None and size < MIN_POINTS * 2:
                self.fault(
                    place,
                    f"text is {size / 2:g} pt; body text must be at least {MIN_POINTS} pt",
                    found=_short(_text(run)),
                )
                return

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
        reference = run.find(f"{_W}rPr/{_W}rStyle")
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
        rows = table.findall(_W + "tr")
        if not rows:
            return
        columns = len(table.findall(f"{_W}tblGrid/{_W}gridCol")) or len(rows[0].findall(_W + "tc"))
        header_rows = 0
        for row in rows:
            if row.find(f"{_W}trPr/{_W}tblHeader") is None:
                break
            header_rows += 1
        if header_rows == 0:
            self.fault(
                f"{label}, row 1",
                "the table has no header row marked to repeat (Table Properties > Row > "
                "Repeat as header row at the top of each page), so screen readers cannot name its columns",
            )
        headers = [_text(cell).strip() for cell in rows[header_rows - 1].findall(_W + "tc")] if header_rows else []
        for row_number, row in enumerate(rows[header_rows:], start=header_rows + 1):
            cells = row.findall(_W + "tc")
            if len(cells) == 1 and _span(cells[0]) >= columns > 1:
                continue  # a group heading row across the whole table, such as a theme's name
            column = 0
            for cell in cells:
                span = _span(cell)
                column += span
                place = f"{label}, row {row_number}, column {column}"
                merged = cell.find(f"{_W}tcPr/{_W}vMerge")
                # Cells merged down a column are reported once, where the merge starts.
                if span > 1 or (merged is not None and merged.get(_W + "val") == "restart"):
                    self.fault(
                        place,
                        "a data row has merged cells, which screen readers cannot read cell by "
                        "cell; split them (Table Layout > Split Cells)",
                    )
                fill = cell.find(f"{_W}tcPr/{_W}shd")
                colour = (fill.get(_W + "fill") or "").upper() if fill is not None else ""
                if colour not in _NO_FILL and not _text(cell).strip():
                    heading = headers[column - 1] if column - 1 < len(headers) else ""
                    self.fault(
                        place + (f" ({heading})" if heading else ""),
                        "the cell has a colour but no text: colour must never be the only signal; write the "
                        "status (such as Green) in the cell as well",
                    )
            for paragraph in row.iter(_W + "p"):
                self.check_sizes(paragraph, _style_id(paragraph), f"{label}, row {row_number}")

    # -- images ---------------------------------------------------------------------------------------------
    def check_images(self) -> None:
        for number, properties in enumerate(
            self.document.element.body.iter(
                "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
            ),
            start=1,
        ):
            if not (properties.get("descr") or "").strip() and not (properties.get("title") or "").strip():
                self.fault(
                    f"image {number} ({properties.get('name') or 'unnamed'})",
                    "the image has no alt text (right-click > Edit Alt Text); describe what it shows, or "
                    "mark it as decorative",
                )


def _paragraph_type() -> WD_STYLE_TYPE:
    from docx.enum.style import WD_STYLE_TYPE

    return WD_STYLE_TYPE.PARAGRAPH


def _text(element: _Element) -> str:
    return "".join(node.text or "" for node in element.iter(_W + "t"))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _style_id(paragraph: _Element) -> str | None:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return style.get(_W + "val") if style is not None else None


def _half_points(properties: _Element | None) -> int | None:
    if properties is None:
        return None
    size = properties.find(_W + "sz")
    value = size.get(_W + "val") if size is not None else None
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
    span = cell.find(f"{_W}tcPr/{_W}gridSpan")
    value = span.get(_W + "val") if span is not None else None
    return int(value) if value is not None and value.isdigit() else 1  # a hand-made file may leave it out
