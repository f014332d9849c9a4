"""The quick guard against tables too long for LibreOffice (libreoffice.fits_layout): it counts the rows' start tags
without parsing, and must give the same answer as counting the longest table's rows, whatever the document's XML
looks like, so that no document LibreOffice would choke on gets to it and no document it can lay out is refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jtai_docs import libreoffice

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def table(rows: int, *, prefix: str = "w:", filler: str = "") -> str:
    cell = f"<{prefix}tc><{prefix}p><{prefix}r><{prefix}t>cell{filler}</{prefix}t></{prefix}r></{prefix}p></{prefix}tc>"
    row = f"<{prefix}tr>{cell}</{prefix}tr>"
    return f"<{prefix}tbl>{row * rows}</{prefix}tbl>"


def word_file(path: Path, body: str, *, prefixed: bool = True, encoding: str = "utf-8") -> Path:
    """A package holding only word/document.xml: all the guard reads."""
    if prefixed:
        xml = (
            f'<?xml version="1.0" encoding="{encoding}"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
        )
    else:
        xml = f'<?xml version="1.0" encoding="{encoding}"?><document xmlns="{W}"><body>{body}</body></document>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", xml.encode(encoding))
    return path


def agree(docx: Path, limit: int, monkeypatch) -> bool:
    """fits_layout under the limit, having checked it against the longest table's row count."""
    monkeypatch.setattr(libreoffice, "MAX_TABLE_ROWS", limit)
    fits = libreoffice.fits_layout(docx)
    assert fits == (libreoffice.largest_table_rows(docx) <= limit)
    return fits


def test_rows_of_every_table_count_toward_the_quick_bound_but_only_the_longest_table_decides(tmp_path, monkeypatch):
    docx = word_file(tmp_path / "two.docx", table(3) + "<w:p/>" + table(4))
    assert libreoffice._row_tags_at_most(docx, 7) and not libreoffice._row_tags_at_most(docx, 6)
    assert agree(docx, 7, monkeypatch)  # settled by the bound
    assert agree(docx, 4, monkeypatch)  # the bound is over (7 tags), the longest table is not
    assert not agree(docx, 3, monkeypatch)


def test_a_table_inside_a_table_is_counted_on_its_own(tmp_path, monkeypatch):
    inner = table(5)
    outer = f"<w:tbl><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"
    docx = word_file(tmp_path / "nested.docx", outer)
    assert libreoffice.largest_table_rows(docx) == 5
    assert agree(docx, 5, monkeypatch)
    assert not agree(docx, 4, monkeypatch)


def test_rows_written_without_a_prefix_are_counted(tmp_path, monkeypatch):
    docx = word_file(tmp_path / "plain.docx", table(6, prefix=""), prefixed=False)
    assert libreoffice.largest_table_rows(docx) == 6
    assert not libreoffice._row_tags_at_most(docx, 5)
    assert not agree(docx, 5, monkeypatch)
    assert agree(docx, 6, monkeypatch)


def test_a_row_tag_cut_between_two_pieces_of_the_xml_is_counted_once(tmp_path, monkeypatch):
    """The XML is read 64 KB at a time; rows of every length put a tag across each boundary at some point."""
    for filler_length in range(0, 40, 3):
        docx = word_file(tmp_path / f"long{filler_length}.docx", table(3000, filler="x" * filler_length))
        assert libreoffice._row_tags_at_most(docx, 3000) and not libreoffice._row_tags_at_most(docx, 2999)
    assert not agree(docx, 2999, monkeypatch)


def test_xml_in_utf_16_is_parsed_rather_than_guessed(tmp_path, monkeypatch):
    docx = word_file(tmp_path / "utf16.docx", table(5), encoding="utf-16")
    assert not libreoffice._row_tags_at_most(docx, 100)  # its tags are not the bytes looked for
    assert libreoffice.largest_table_rows(docx) == 5
    assert agree(docx, 5, monkeypatch)
    assert not agree(docx, 4, monkeypatch)


def test_xml_too_big_to_unpack_is_refused_by_both_counts(tmp_path, monkeypatch):
    docx = word_file(tmp_path / "big.docx", table(2))
    monkeypatch.setattr(libreoffice, "_MAX_DOCUMENT_XML", 100)
    assert not libreoffice._row_tags_at_most(docx, 2500)
    assert not libreoffice.fits_layout(docx)


@pytest.mark.parametrize("content", [b"plain text, not a Word package", b"PK\x03\x04 cut short"])
def test_a_file_that_is_not_a_word_package_is_left_to_its_reader(tmp_path, content):
    not_word = tmp_path / "notes.docx"
    not_word.write_bytes(content)
    assert not libreoffice._row_tags_at_most(not_word, 2500)
    assert libreoffice.fits_layout(not_word)  # largest_table_rows finds no table: the reader says what is wrong


def test_a_package_without_a_document_part_is_left_to_its_reader(tmp_path):
    docx = tmp_path / "empty.docx"
    with zipfile.ZipFile(docx, "w") as package:
        package.writestr("word/styles.xml", "<styles/>")
    assert not libreoffice._row_tags_at_most(docx, 2500)
    assert libreoffice.fits_layout(docx)


def test_a_tag_longer_than_a_piece_of_the_xml_leaves_the_count_to_the_parser(tmp_path, monkeypatch):
    long_tag = f'<w:p><w:r><w:t xml:space="preserve" w:custom="{"a" * 140_000}">x</w:t></w:r></w:p>'
    docx = word_file(tmp_path / "long-tag.docx", long_tag + table(2))
    assert not libreoffice._row_tags_at_most(docx, 2500)
    assert agree(docx, 2, monkeypatch)
    assert not agree(docx, 1, monkeypatch)
