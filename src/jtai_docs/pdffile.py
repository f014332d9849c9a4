"""The PDF after LibreOffice has written it: made reproducible, then checked rather than trusted.

pikepdf (qpdf) rewrites the dates and the document ID and reads the structure: tags, language, title,
bookmarks, fonts, tables. pypdfium2 (PDFium, the PDF engine of Chromium) extracts the text, to check every
numbered paragraph and Table 1 figure made it into the PDF. Both are pure reading or rewriting of the file;
no external program runs here.
"""

from __future__ import annotations

import io
import re
import tempfile
import threading
from datetime import date
from pathlib import Path

import pikepdf
import pypdfium2
from docx.oxml.ns import qn
from lxml.etree import _Element

from .errors import Problem, counted, in_plain_words
from .model import Paragraph, Table, WordDocument

#: The language every report is published in.
LANGUAGE = "en-GB"
#: Pages whose text is extracted at most: a bound on the work for any PDF given to the checker.
MAX_PAGES = 2000
_SPACE = re.compile(r"\s+")
#: What PDFium gives for a hyphen at the end of a line, where it joins the word's two halves: a hyphen the text
#: has (information-sharing) or one the layout added (hyphenation), which only the document can tell apart.
_LINE_END_HYPHEN = "\ufffe"
#: PDFium must never be called from two threads at once, even for two documents (pypdfium2's documentation), and
#: the web page builds in threads: every PDFium call is made holding this lock.
_PDFIUM = threading.Lock()


def make_reproducible(source: bytes | Path, *, when: date) -> bytes:
    """The PDF (its bytes, or the file they are in) with its creation and modification dates set to `when` and a
    document ID derived from its content.

    LibreOffice stamps the clock into the PDF's dates (document info and XMP metadata) and a random ID into
    its trailer, so two PDFs of the same report differed in every build. With the meeting date as the date and
    the ID computed from the content, the same report gives the same bytes, and a published PDF can be
    verified against its inputs by rebuilding it.
    """
    stamp_pdf = f"D:{when:%Y%m%d}000000Z"
    stamp_xmp = f"{when:%Y-%m-%d}T00:00:00Z"
    # Read from the file when there is one: qpdf reads a file in a third of the time it reads the same bytes in memory.
    with pikepdf.open(source if isinstance(source, Path) else io.BytesIO(source)) as pdf:
        pdf.docinfo["/CreationDate"] = stamp_pdf
        pdf.docinfo["/ModDate"] = stamp_pdf
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
            metadata["xmp:CreateDate"] = stamp_xmp
            metadata["xmp:ModifyDate"] = stamp_xmp
            if "xmp:MetadataDate" in metadata:
                metadata["xmp:MetadataDate"] = stamp_xmp
        # qpdf keeps an existing first ID; without one, both halves are computed from the content. LibreOffice's
        # /DocChecksum changes with every run too, and nothing reads it.
        for key in ("/ID", "/DocChecksum"):
            if key in pdf.trailer:
                del pdf.trailer[key]
        # Saved to a file and read back: qpdf hands a Python stream its output in about a hundred thousand pieces
        # (one call each) for a 20-page report, and writes the same bytes to a file of its own a sixth quicker.
        with tempfile.TemporaryDirectory(prefix="jtai-docs-pdf-") as work:
            saved = Path(work) / "reproducible.pdf"
            pdf.save(
                saved, deterministic_id=True, linearize=False, object_stream_mode=pikepdf.ObjectStreamMode.preserve
            )
            return saved.read_bytes()


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u00ad", "")).strip()


def extract_text(path: Path) -> str:
    """The PDF's text in reading order, whitespace collapsed; a word broken across lines at a hyphen is joined
    with the hyphen."""
    return _normalise(_raw_text(path).replace(_LINE_END_HYPHEN, "-"))


def _raw_text(path: Path) -> str:
    """The text of the PDF's pages (at most MAX_PAGES), as PDFium reads it.

    pypdfium2 rather than pypdf: on the example report's PDF (20 pages) PDFium takes 0.06 s of CPU where pypdf
    took 1.3 s, which was most of the work of a build with --pdf after LibreOffice; and it joins a word broken at
    a line-end hyphen, where pypdf gave "information- sharing" for "information-sharing".
    """
    with _PDFIUM:
        document = pypdfium2.PdfDocument(str(path))
        try:
            texts = []
            for index in range(min(len(document), MAX_PAGES)):
                page = document[index]
                text_page = page.get_textpage()
                texts.append(text_page.get_text_range())
                text_page.close()
                page.close()
            return " ".join(texts)
        finally:
            document.close()


def check_pdf(path: Path, *, document: WordDocument, title: str) -> list[Problem]:
    """Every accessibility check of the published PDF, each failure a located problem.

    document is the Word document the PDF was made from: its headings, numbered paragraphs and tables are
    what the PDF must carry (for a document with tracked changes, read after show_changes).
    """
    name = path.name
    problems: list[Problem] = []

    def fault(place: str, message: str, found: str | None = None) -> None:
        problems.append(Problem(file=name, place=place, message=message, found=found))

    try:
        pdf = pikepdf.open(path)
    except pikepdf.PdfError as exc:
        return [Problem(file=name, place="", message=f"this is not a readable PDF: {in_plain_words(exc)}")]
    with pdf:
        root = pdf.Root
        mark = root.get("/MarkInfo")
        if "/StructTreeRoot" not in root or mark is None or not bool(mark.get("/Marked", False)):
            fault(
                "document catalogue",
                "the PDF is not tagged (no structure tree), so screen readers cannot "
                "follow its headings, lists and tables",
            )
        language = str(root.get("/Lang", ""))
        if language != LANGUAGE:
            fault(
                "document language",
                f"the PDF's language must be {LANGUAGE} (found {language or 'none'!r}); in Word select all the text, "
                "then Review > Language > Set Proofing Language > English (United Kingdom), and set the Normal "
                "style's language to it too",
            )
        shown = str(pdf.docinfo.get("/Title", ""))
        if not title.strip():
            fault(
                "document properties",
                "the Word document has no title (File > Info > Properties > Title), so "
                "the PDF's title bar shows its file name",
            )
        elif _normalise(shown) != _normalise(title):
            fault("document properties", "the PDF's title must be the report's title", found=shown or "none")
        preferences = root.get("/ViewerPreferences")
        if preferences is None or not bool(preferences.get("/DisplayDocTitle", False)):
            fault(
                "viewer preferences",
                "the PDF must show its title, not its file name, in the title bar (DisplayDocTitle)",
            )
        problems += _bookmark_problems(pdf, document, name)
        problems += _font_problems(pdf, name)
        problems += _table_problems(pdf, document, name)
    problems += _text_problems(path, document, name)
    return problems


def _outline_titles(pdf: pikepdf.Pdf) -> list[str]:
    titles = []
    with pdf.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop(0)
            titles.append(_normalise(item.title or ""))
            stack = list(item.children) + stack
    return titles


def _bookmark_problems(pdf: pikepdf.Pdf, document: WordDocument, name: str) -> list[Problem]:
    headings = [
        _normalise(block.text)
        for block in document.blocks
        if isinstance(block, Paragraph) and block.heading_level and block.text.strip()
    ]
    titles = set(_outline_titles(pdf))
    return [
        Problem(file=name, place=f"heading {heading!r}", message="the heading has no bookmark in the PDF")
        for heading in headings
        if heading not in titles
    ]


def _font_problems(pdf: pikepdf.Pdf, name: str) -> list[Problem]:
    missing: dict[str, int] = {}
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for _key, font in fonts.items():
            ident = font.objgen
            if ident in seen and ident != (0, 0):
                continue
            seen.add(ident)
            descendants = font.get("/DescendantFonts")
            for each in [font] if descendants is None else list(descendants):
                if str(each.get("/Subtype")) == "/Type3":
                    continue  # drawn with the PDF's own operators: nothing to embed
                descriptor = each.get("/FontDescriptor")
                if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.setdefault(str(each.get("/BaseFont", "?")).lstrip("/"), number)
    return [
        Problem(
            file=name,
            place=f"page {page}",
            message="the font is not embedded, so the PDF may look different, or be unreadable, on another computer",
            found=font,
        )
        for font, page in missing.items()
    ]


def _tagged_tables(pdf: pikepdf.Pdf) -> list[bool]:
    """For each table of the tag tree, in document order, whether it has a header cell (TH) anywhere inside it.

    One walk of the tree (bounded by the objects in the file: an element met again, in a malformed tree that
    loops back on itself, is not walked twice), keeping the tables the walk is inside.
    """
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return []
    tables: list[bool] = []
    inside: list[int] = []  # the tables (their places in `tables`) the walk is in
    stack: list[object] = [tree.get("/K")]
    visited: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if node is _LEAVE_TABLE:
            inside.pop()
            continue
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        tag = node.get("/S")
        if tag is None:
            continue
        ident = node.objgen
        if ident != (0, 0):
            if ident in visited:
                continue
            visited.add(ident)
        kind = str(tag)
        if kind == "/TH":
            for table in inside:
                tables[table] = True
        elif kind == "/Table":
            inside.append(len(tables))
            tables.append(False)
            stack.append(_LEAVE_TABLE)
        stack.append(node.get("/K"))
    return tables


#: Put on the walk's stack after a table's contents: the walk has left the table when it reaches it.
_LEAVE_TABLE = object()


def _table_problems(pdf: pikepdf.Pdf, document: WordDocument, name: str) -> list[Problem]:
    tables = [block for block in document.blocks if isinstance(block, Table)]
    tagged = _tagged_tables(pdf)
    problems = []
    if len(tagged) < len(tables):
        problems.append(
            Problem(
                file=name,
                place="tag tree",
                message=f"the report has {counted(len(tables), 'table')} but the PDF tags {len(tagged)} as tables",
            )
        )
    for number, (table, has_headers) in enumerate(zip(tables, tagged, strict=False), start=1):
        if not has_headers:
            label = table.caption or f"table {number}"
            problems.append(
                Problem(
                    file=name,
                    place=label.rstrip(":"),
                    message="the table has no header cells (TH) in the PDF's tags, so a screen "
                    "reader cannot say which column a figure is in",
                )
            )
    return problems


def _text_problems(path: Path, document: WordDocument, name: str) -> list[Problem]:
    """Every numbered paragraph and every Table 1 figure must be in the PDF's text."""
    raw = _raw_text(path)  # check_pdf has opened the file with pikepdf already: it is a readable PDF
    text = _normalise(raw.replace(_LINE_END_HYPHEN, "-"))
    # A paragraph is found with each line-end hyphen read as the text's own or as the layout's (left out).
    unhyphenated = _normalise(raw.replace(_LINE_END_HYPHEN, "")) if _LINE_END_HYPHEN in raw else text
    problems = []
    for block in document.blocks:
        if (
            isinstance(block, Paragraph)
            and block.number
            and block.text.strip()
            and _normalise(block.text) not in text
            and _normalise(block.text) not in unhyphenated
        ):
            problems.append(
                Problem(
                    file=name,
                    place=f"paragraph {block.number}",
                    message="the paragraph's text is missing from the PDF",
                    found=_normalise(block.text)[:80],
                )
            )
    table1 = next(
        (
            block
            for block in document.blocks
            if isinstance(block, Table) and (block.caption or "").startswith("Table 1")
        ),
        None,
    )
    if table1 is not None:
        for row in table1.rows:
            cells = [_normalise(cell) for cell in row if cell.strip()]
            position = 0
            for cell in cells:
                found = text.find(cell, position)
                if found < 0:
                    problems.append(
                        Problem(
                            file=name,
                            place=f"Table 1, row {cells[0]!r}",
                            message="a figure of Table 1 is missing from the PDF's text",
                            found=cell,
                        )
                    )
                    break
                position = found + len(cell)
    return problems


def show_changes(body: _Element) -> None:
    """Turns tracked changes into plain text as the PDF shows them: deleted words beside inserted ones.

    A redline's PDF prints both, so its text is checked against this view rather than the changes accepted.
    Changes the document does not show as text (formatting, paragraph marks) are left for the reader to settle.
    """
    for deleted in list(body.iter(qn("w:delText"))):
        deleted.tag = qn("w:t")
    for tag in ("w:ins", "w:del"):
        for node in list(body.iter(qn(tag))):
            parent = node.getparent()
            if parent is None or parent.tag == qn("w:rPr"):
                continue  # a paragraph mark's change: no text
            index = parent.index(node)
            for child in reversed(list(node)):
                parent.insert(index, child)
            parent.remove(node)
