"""`text`, `diff` and the compare page given a file that is not a readable .docx: a password-protected document, a
Word template, an OpenDocument or old Word file is named as what it is, with what to do, as the template is."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from test_web import text_of, upload, web  # noqa: F401 - web is a fixture used here

from helpers import errors_of, run
from jtai_docs import libreoffice

PASSWORD = (
    "the document is protected with a password, so it cannot be read; in Word remove the password "
    "(File > Info > Protect Document > Encrypt with Password) and save it"
)
TEMPLATE = (
    "this is a Word template (.dotx or .dotm), not a Word document; open it in Word and save it as a Word "
    "Document (.docx), then give that file"
)


def _document(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("The action plan is on track.")
    document.save(str(path))
    return path


def _locked(plain: Path, path: Path) -> Path:
    """plain encrypted as Word does it (File > Info > Protect Document > Encrypt with Password)."""
    encrypted = io.BytesIO()
    with plain.open("rb") as source:
        OOXMLFile(source).encrypt("secret", encrypted)
    path.write_bytes(encrypted.getvalue())
    return path


def _template(plain: Path, path: Path) -> Path:
    """plain as Word saves it as a template (.dotx): the same package, the main part declared a template's."""
    output = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")
            target.writestr(name, data)
    path.write_bytes(output.getvalue())
    return path


def test_a_password_protected_document_is_named_as_such_by_text_and_diff(tmp_path):
    plain = _document(tmp_path / "paper.docx")
    locked = _locked(plain, tmp_path / "locked paper.docx")
    for command in (["text", locked], ["diff", plain, locked], ["diff", locked, plain, "-o", tmp_path / "r.docx"]):
        result = run(*command)
        assert result.exit_code == 2, command
        assert errors_of(result.stderr) == [f"Error: {locked}: {PASSWORD}"], command
    assert not (tmp_path / "r.docx").exists()


def test_a_word_template_is_named_as_such_by_text_and_diff(tmp_path):
    plain = _document(tmp_path / "paper.docx")
    for name in ("paper template.dotx", "renamed.docx"):
        template = _template(plain, tmp_path / name)
        for command in (["text", template], ["diff", plain, template]):
            result = run(*command)
            assert result.exit_code == 2, command
            assert errors_of(result.stderr) == [f"Error: {template}: {TEMPLATE}"], command


@pytest.mark.libreoffice
def test_opendocument_and_old_word_files_saved_by_libreoffice_are_named_with_how_to_save_them(tmp_path):
    plain = _document(tmp_path / "paper.docx")
    odt = libreoffice.convert_document(plain, tmp_path / "paper.odt", filter_name="odt")
    doc = libreoffice.convert_document(plain, tmp_path / "paper.doc", filter_name="doc:MS Word 97")
    said = {
        odt: "this is an OpenDocument text file, not a Word document (.docx); open it in Word or LibreOffice and "
        "save it as a Word Document (.docx)",
        doc: "this is an old-format Word file (.doc); open it in Word and save it as a Word Document (.docx)",
    }
    for path, reason in said.items():
        # Under its own name, and renamed .docx, as a file sent by e-mail often is.
        renamed = tmp_path / f"{path.stem} {path.suffix[1:]}.docx"
        renamed.write_bytes(path.read_bytes())
        for command in (["text", renamed], ["diff", plain, path], ["diff", renamed, plain]):
            result = run(*command)
            assert result.exit_code == 2, command
            named = next(arg for arg in command[1:] if arg != plain)
            assert errors_of(result.stderr) == [f"Error: {named}: {reason}"], command


def test_two_files_of_other_kinds_are_still_asked_for_as_reports_or_workbooks(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("The action plan is on track.", encoding="utf-8")
    result = run("diff", notes, _document(tmp_path / "paper.docx"))
    assert result.exit_code == 2
    assert errors_of(result.stderr) == ["Error: compare two Word reports (.docx) or two workbooks (.xlsx)"]


def test_the_compare_page_names_a_password_protected_upload_as_uploaded(web, tmp_path):  # noqa: F811 - the fixture
    plain = _document(tmp_path / "paper.docx")
    locked = _locked(plain, tmp_path / "locked.docx").read_bytes()
    page = upload(web, "/compare", old=("January paper.docx", locked), new=("feb.docx", plain.read_bytes()))
    text = text_of(page.data)
    assert page.status_code == 422
    assert f"January paper.docx: {PASSWORD}" in text
    assert "/tmp" not in text and "jtai-docs-" not in text and "upload-" not in text
