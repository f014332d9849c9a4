"""Word files that are damaged, deeply nested, huge or in Word's Strict format: read, or refused with a message
that says which part and where, never an internal error."""

from __future__ import annotations

import zipfile

import docx

from helpers import paragraphs_document, run

STRICT = [
    (
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
    ),
    (
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    ),
    (b"http://schemas.openxmlformats.org/drawingml/2006/", b"http://purl.oclc.org/ooxml/drawingml/"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/", b"http://purl.oclc.org/ooxml/officeDocument/"),
]


def rewrite(source, target, change):
    """A copy of a .docx with change(name, data) applied to each of its parts."""
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w") as out:
        for name in package.namelist():
            out.writestr(name, change(name, package.read(name)))
    return target


def test_a_strict_open_xml_document_is_read(tmp_path):
    source = paragraphs_document(tmp_path / "plain.docx", ["First paragraph.", "Second paragraph."])

    def strict(name, data):
        if name.endswith((".xml", ".rels")):
            for transitional, strict_name in STRICT:
                data = data.replace(transitional, strict_name)
        return data

    strict_file = rewrite(source, tmp_path / "strict.docx", strict)
    assert b"purl.oclc.org" in zipfile.ZipFile(strict_file).read("word/document.xml")
    result = run("text", strict_file)
    assert result.exit_code == 0, result.output
    assert result.stdout == run("text", source).stdout
    edited = paragraphs_document(tmp_path / "edited.docx", ["First paragraph.", "Second paragraph, edited."])
    result = run("diff", strict_file, edited, "-o", tmp_path / "r.docx")
    assert result.exit_code == 1, result.output
    assert 'added ", edited"' in result.stdout


def test_damaged_xml_is_refused_naming_the_part_line_and_column(tmp_path):
    source = paragraphs_document(tmp_path / "plain.docx", ["Hello there."])
    damaged = rewrite(
        source,
        tmp_path / "damaged.docx",
        lambda name, data: (
            data.replace(b"Hello there.</w:t>", b"Hello there.</w:x>") if name == "word/document.xml" else data
        ),
    )
    for args in (("text", damaged), ("diff", source, damaged)):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert "damaged.docx cannot be read: its XML is damaged in its part word/document.xml, line 2" in result.output
        assert "fault in jtai-docs" not in result.output and "Traceback" not in result.output


def nested(depth: int, text: str) -> bytes:
    inner = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = f"<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    return inner.encode()


def with_nesting(source, target, depth, text):
    def change(name, data):
        if name == "word/document.xml":
            return data.replace(b"<w:body>", b"<w:body>" + nested(depth, text), 1)
        return data

    return rewrite(source, target, change)


def test_tables_nested_fifty_deep_are_read_and_compared(tmp_path):
    source = paragraphs_document(tmp_path / "plain.docx", ["After the tables."])
    old = with_nesting(source, tmp_path / "old.docx", 50, "deep text")
    new = with_nesting(source, tmp_path / "new.docx", 50, "deeper text")
    assert "deep text" in run("text", old).stdout
    result = run("diff", old, new, "-o", tmp_path / "r.docx")
    assert result.exit_code == 1, result.output
    # The outer cell holds all fifty tables' text: the summary quotes the words that changed in it.
    assert '"deep" -> "deeper"' in result.stdout


def test_nesting_beyond_what_word_writes_is_refused_with_a_message(tmp_path):
    source = paragraphs_document(tmp_path / "plain.docx", ["After the tables."])
    deep = with_nesting(source, tmp_path / "deep.docx", 100, "too deep")
    result = run("text", deep)
    assert result.exit_code == 2, result.output
    assert "more than 256 levels deep" in result.output


def test_a_huge_paragraph_rewritten_is_compared_and_redlined_exactly(tmp_path):
    from docx.oxml.ns import qn

    from jtai_docs import revisions
    from jtai_docs.wordfile import paragraph_text

    words = [f"w{i % 97}" for i in range(20_000)]  # about 100,000 characters of repetitive text
    changed = [("edited" if i % 7 == 0 else w) for i, w in enumerate(words)]
    old, new = (
        paragraphs_document(tmp_path / "old.docx", [" ".join(words)]),
        paragraphs_document(tmp_path / "new.docx", [" ".join(changed)]),
    )
    redline = tmp_path / "r.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code == 1, result.output
    body = docx.Document(str(redline)).element.body
    assert [paragraph_text(p) for p in revisions.accept_all(body).iter(qn("w:p"))] == [" ".join(changed)]
    assert [paragraph_text(p) for p in revisions.reject_all(body).iter(qn("w:p"))] == [" ".join(words)]


#: Library wording that means nothing to an officer, and must never reach a message.
LIBRARY_WORDING = (
    "XML_PARSE_HUGE",
    "Excessive depth",
    "amplification",
    "There is no item named",
    "Package not found",
    "File is not a zip file",
    "BadZipFile",
    "KeyError",
    "Traceback",
)


def billion_laughs(name, data):
    """word/document.xml with entities that expand a thousand-million-fold (the "billion laughs" file)."""
    if name != "word/document.xml":
        return data
    entities = b'<!ENTITY l0 "lol">' + b"".join(
        b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10)
    )
    return (
        b"<?xml version='1.0'?><!DOCTYPE w:document ["
        + entities
        + b"]>"
        + data.split(b"?>", 1)[1].replace(b"Hello there.", b"&l9;")
    )


def test_damaged_files_are_described_in_plain_words(tmp_path):
    source = paragraphs_document(tmp_path / "plain.docx", ["Hello there."])
    cases = {
        "deep.docx": (with_nesting(source, tmp_path / "deep.docx", 300, "too deep"), "more than 256 levels deep"),
        "laughs.docx": (
            rewrite(source, tmp_path / "laughs.docx", billion_laughs),
            "it defines text that expands to far more than the file holds",
        ),
        "missing.docx": (
            rewrite(source, tmp_path / "missing.docx", lambda n, d: b"" if n == "word/document.xml" else d),
            "word/document.xml",
        ),
        "cut.docx": (tmp_path / "cut.docx", "it is not a package of parts, or it is cut short"),
        "text.docx": (tmp_path / "text.docx", "it is not a package of parts"),
    }
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(cases["missing.docx"][0], "w") as out:
        for name in package.namelist():
            if name != "word/document.xml":
                out.writestr(name, package.read(name))
    (tmp_path / "cut.docx").write_bytes(source.read_bytes()[:-200])
    (tmp_path / "text.docx").write_text("Minutes of the meeting", encoding="utf-8")
    for name, (path, plain) in cases.items():
        for args in (("text", path), ("diff", source, path)):
            result = run(*args)
            assert result.exit_code == 2, (name, result.output)
            assert f"{name} " in result.output and plain in result.output, (name, result.output)
            assert not [words for words in LIBRARY_WORDING if words in result.output], (name, result.output)


def test_a_document_declaring_its_own_entities_is_refused_not_read_without_their_words(tmp_path):
    """XML that declares a document type with entities (Word never writes one, and will not open it) is refused
    with the part named: read as it stands, an entity's words came out as nothing, and the redline marked the words
    after it deleted."""
    old = tmp_path / "old.docx"
    document = docx.Document()
    document.add_paragraph("Hello there world here.")
    document.save(str(old))
    crafted = tmp_path / "crafted.docx"
    with zipfile.ZipFile(old) as source, zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:document ", b'<!DOCTYPE w:document [<!ENTITY e "there">]><w:document ', 1)
                data = data.replace(b"there", b"&e;", 1)
            target.writestr(item, data)
    redline = tmp_path / "redline.docx"
    for args in (("diff", old, crafted, "-o", redline), ("text", crafted)):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert (
            "crafted.docx is a damaged Word document that cannot be read: its part word/document.xml declares a "
            "document type of its own (<!DOCTYPE>)"
        ) in result.stderr
    assert not redline.exists()
