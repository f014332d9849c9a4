"""The PDF check's reading of tables in the tag tree: each of the report's tables must be tagged as a table with
header cells, so a screen reader can say which column a figure is in. The tag trees here are made by hand, as
LibreOffice never writes a table without headers for a report, nor a tree that loops."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from jtai_docs import pdffile
from jtai_docs.model import Table, WordDocument

TABLE_FAULT = "the table has no header cells (TH) in the PDF's tags"


def element(pdf: pikepdf.Pdf, kind: str, *kids: object) -> pikepdf.Dictionary:
    """A structure element of the kind holding the kids (elements, or marked-content numbers)."""
    return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name(kind), K=list(kids)))


def cell_row(pdf: pikepdf.Pdf, *kinds: str) -> pikepdf.Dictionary:
    return element(pdf, "/TR", *(element(pdf, kind, number) for number, kind in enumerate(kinds)))


def tagged_pdf(path: Path, build) -> Path:
    """A one-page PDF whose tag tree's document element holds what build(pdf) gives."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    document = element(pdf, "/Document", *build(pdf))
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=document))
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    pdf.save(path)
    return path


def word_tables(*captions: str | None) -> WordDocument:
    tables = tuple(Table(rows=(("Heading",), ("Figure",)), header_rows=1, caption=caption) for caption in captions)
    return WordDocument(name="report.docx", blocks=tables)


def table_problems(path: Path, document: WordDocument) -> list[str]:
    found = pdffile.check_pdf(path, document=document, title="")
    return [f"{p.place}: {p.message}" for p in found if p.place == "tag tree" or TABLE_FAULT in p.message]


def test_each_table_without_header_cells_is_named_by_its_caption_or_its_place(tmp_path):
    def build(pdf):
        with_headers = element(pdf, "/Table", cell_row(pdf, "/TH", "/TH"), cell_row(pdf, "/TD", "/TD"))
        without = element(pdf, "/Table", cell_row(pdf, "/TD", "/TD"))
        also_without = element(pdf, "/Table", cell_row(pdf, "/TD"))
        # Elements may also be written in place (not as objects of their own), and cells hold marked-content
        # references, which are not elements.
        in_place = pikepdf.Dictionary(S=pikepdf.Name.TH, K=pikepdf.Dictionary(Type=pikepdf.Name.MCR, MCID=9))
        headers_in_place = element(pdf, "/Table", element(pdf, "/TR", in_place))
        return [with_headers, element(pdf, "/P", 7), without, also_without, headers_in_place]

    path = tagged_pdf(tmp_path / "report.pdf", build)
    assert table_problems(path, word_tables("Table 1:", "Table 2:", None, "Table 4:")) == [
        f"Table 2: {TABLE_FAULT}, so a screen reader cannot say which column a figure is in",
        f"table 3: {TABLE_FAULT}, so a screen reader cannot say which column a figure is in",
    ]


def test_a_header_cell_counts_for_every_table_it_is_inside(tmp_path):
    """A table in a table's cell: its header cells are inside the outer table too; the outer table's cells are not
    inside the inner one."""

    def build(pdf):
        inner = element(pdf, "/Table", cell_row(pdf, "/TH"))
        outer = element(pdf, "/Table", element(pdf, "/TR", element(pdf, "/TD", inner)))
        inner_without = element(pdf, "/Table", cell_row(pdf, "/TD"))
        outer_with = element(
            pdf, "/Table", cell_row(pdf, "/TH"), element(pdf, "/TR", element(pdf, "/TD", inner_without))
        )
        return [outer, outer_with]

    path = tagged_pdf(tmp_path / "nested.pdf", build)
    assert table_problems(path, word_tables("Outer:", "Inner:", "Second outer:", "Second inner:")) == [
        f"Second inner: {TABLE_FAULT}, so a screen reader cannot say which column a figure is in"
    ]


def test_fewer_tables_in_the_tags_than_in_the_report_is_one_problem(tmp_path):
    path = tagged_pdf(tmp_path / "short.pdf", lambda pdf: [element(pdf, "/Table", cell_row(pdf, "/TH"))])
    assert table_problems(path, word_tables("Table 1:", "Table 2:")) == [
        "tag tree: the report has 2 tables but the PDF tags 1 as tables"
    ]


def test_a_tag_tree_that_loops_back_on_itself_is_read_once(tmp_path):
    def build(pdf):
        row = cell_row(pdf, "/TD")
        table = element(pdf, "/Table", row)
        row.K.append(table)  # the row holds the table it is in
        return [table, table]  # and the document holds the table twice

    path = tagged_pdf(tmp_path / "loop.pdf", build)
    assert table_problems(path, word_tables("Table 1:")) == [
        f"Table 1: {TABLE_FAULT}, so a screen reader cannot say which column a figure is in"
    ]
