"""jtai-docs text: list numbers as Word shows them (LibreOffice as the referee), stable output, git textconv."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from helpers import corpus_tools, libreoffice_lines, run
from jtai_docs import pipeline, wordfile
from jtai_docs.cli import main
from jtai_docs.model import Paragraph

W = nsdecls("w")


def normalise(line: str) -> str:
    return " ".join(line.split())


@pytest.mark.libreoffice
def test_default_report_numbers_match_libreoffice(project):
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    document = wordfile.read_word_document(built)
    numbered = [f"{b.number} {b.text}" for b in document.blocks if isinstance(b, Paragraph) and b.number]
    assert [line.split(" ")[0] for line in numbered] == [str(n) for n in range(1, 14)]
    theirs = [normalise(line) for line in libreoffice_lines(built)]
    ours = [normalise(line) for line in pipeline.document_text(built).splitlines()]
    for line in map(normalise, numbered):
        assert line in theirs and line in ours


LEVELS = [("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "(%3)")]


def numbering_document(path: Path) -> Path:
    """Three-level lists in several formats, a second list restarting at 5, and a bulleted list."""
    document = docx.Document()
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(LEVELS)
    )
    numbering = parse_xml(
        f"<w:numbering {W}>"
        f'<w:abstractNum w:abstractNumId="10"><w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="11"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
        f'<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="12"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        f'<w:lvlText w:val="•"/></w:lvl></w:abstractNum>'
        f'<w:num w:numId="20"><w:abstractNumId w:val="10"/></w:num>'
        f'<w:num w:numId="21"><w:abstractNumId w:val="11"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/>'
        f"</w:lvlOverride></w:num>"
        f'<w:num w:numId="22"><w:abstractNumId w:val="12"/></w:num>'
        f"</w:numbering>"
    )
    document.part.numbering_part._element = numbering
    items = [
        (20, 0, "Alpha"),
        (20, 1, "Alpha one"),
        (20, 1, "Alpha two"),
        (20, 2, "Deep one"),
        (20, 2, "Deep two"),
        (20, 1, "Alpha three"),
        (20, 0, "Beta"),
        (20, 1, "Beta one"),
        (21, 0, "Roman five"),
        (21, 0, "Roman six"),
        (22, 0, "A bullet"),
        (20, 0, "Gamma"),
    ]
    for num_id, level, text in items:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
        )
    document.save(str(path))
    return path


@pytest.mark.libreoffice
def test_list_numbers_in_every_format_match_libreoffice(tmp_path):
    path = numbering_document(tmp_path / "lists.docx")
    ours = [normalise(line) for line in pipeline.document_text(path).splitlines() if line.strip()]
    theirs = [normalise(line) for line in libreoffice_lines(path) if line.strip()]
    assert ours == theirs
    assert "c) Alpha three" in ours and "(ii) Deep two" in ours and "VI. Roman six" in ours and "3. Gamma" in ours


def test_text_output_is_stable_and_shows_tables_as_rows(project):
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    result = CliRunner().invoke(main, ["text", str(built)])
    assert result.exit_code == 0
    assert result.stdout == CliRunner().invoke(main, ["text", str(built)]).stdout
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| NO "))
    assert set(lines[header + 1]) == {"|", "-"}
    end = next(i for i in range(header, len(lines)) if not lines[i].startswith("|"))
    rows = lines[header + 2 : end]  # Table 1's rows (Appendix 2's table follows later)
    assert len(rows) >= 6 and all(len(row) == len(lines[header]) for row in rows), "columns line up"
    assert "## Background" in lines and "# Appendix 1: Implications" in lines


def test_text_works_as_a_git_textconv_driver(project, tmp_path):
    git = shutil.which("git")
    assert git, "git is needed for this test"
    repo = tmp_path / "repo"
    repo.mkdir()
    textconv = f"{sys.executable} -m jtai_docs text"

    def git_run(*args):
        return subprocess.run([git, *args], cwd=repo, check=True, capture_output=True, text=True).stdout

    git_run("init", "-q")
    git_run("config", "user.email", "officer@example.org")
    git_run("config", "user.name", "Officer")
    git_run("config", "diff.jtai-docs.textconv", textconv)
    (repo / ".gitattributes").write_text("*.docx diff=jtai-docs\n")
    report = project / "inputs" / "report.toml"
    built = pipeline.build_report(report).written.path
    shutil.copy(built, repo / "report.docx")
    git_run("add", ".")
    git_run("commit", "-qm", "first")
    text = report.read_text(encoding="utf-8").replace(
        'background_papers = "None"', 'background_papers = "The inspection report"'
    )
    report.write_text(text, encoding="utf-8")
    shutil.copy(pipeline.build_report(report, force=True).written.path, repo / "report.docx")
    diff = git_run("diff", "--", "report.docx")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-None", "+The inspection report"]


GOLDEN = Path(__file__).parent / "golden" / "committee_report.txt"


def test_text_view_of_the_default_report_matches_the_golden_file(project):
    """The text view is what reviewers read in git; any change to it must be deliberate.

    After an intended change, regenerate with: JTAI_DOCS_REGENERATE=1 .venv/bin/python -m pytest tests/test_text.py
    and review the golden file's diff before committing it.
    """
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    text = pipeline.document_text(built)
    if os.environ.get("JTAI_DOCS_REGENERATE"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_a_style_whose_name_has_no_value_is_shown_by_its_id(tmp_path):
    """A hand-made styles part may give <w:name/> without w:val; the paragraph is still read."""
    document = docx.Document()
    document.add_paragraph("Under a heading", style="Heading 1")
    style = document.styles["Heading 1"].element
    name = style.find(qn("w:name"))
    del name.attrib[qn("w:val")]
    path = tmp_path / "nameless.docx"
    document.save(path)
    [paragraph] = [block for block in wordfile.read_word_document(path).blocks if block.text]
    assert (paragraph.text, paragraph.style) == ("Under a heading", style.get(qn("w:styleId")))


# ---------------------------------------------------------------- everything a reader sees, on real documents

STORY_FEATURES = {
    "footnotes",
    "endnotes",
    "comments",
    "headers_footers",
    "text_boxes",
    "content_controls",
    "equations",
    "strict",
}
CORPUS_WITH_STORIES = sorted(
    row["file"] for row in corpus_tools.read_manifest() if STORY_FEATURES & set(row["features"].split())
)
MARK = re.compile(r"\[(?:[0-9]+|[ivxlcdm]+|[IVXLCDM]+|([a-zA-Z])\1*|[*†‡§]+)\]")


def squeezed(text: str) -> str:
    return "".join(text.split())


GRAPHIC = re.compile(r"\[(?:picture|chart|shape|object|diagram)(?:: [^\]\n]*)?\]")


def corpus_path(name: str) -> Path:
    return corpus_tools.CORPUS / name


def _page_field(paragraph) -> bool:
    codes = [node.text or "" for node in paragraph.iter(corpus_tools.w("instrText"))]
    codes += [node.get(corpus_tools.w("instr"), "") for node in paragraph.iter(corpus_tools.w("fldSimple"))]
    return any(code.split()[:1] and code.split()[0].upper() in ("PAGE", "NUMPAGES", "SECTIONPAGES") for code in codes)


def _shown_header_parts(package) -> set[str]:
    """The header and footer parts Word shows: each section's default ones, first-page ones where the section
    has a title page, even-page ones where the document has different odd and even pages (read from the XML)."""
    main = package.main_part
    rels = package.relationships(main)
    settings = [t for kind, t, _ in rels.values() if kind == "settings"]
    even = (
        bool(settings)
        and settings[0] in package.entries
        and package.xml(settings[0]).find(corpus_tools.w("evenAndOddHeaders")) is not None
    )
    shown = set()
    for section in package.xml(main).iter(corpus_tools.w("sectPr")):
        if not corpus_tools._visible(section) or section.getparent().tag == corpus_tools.w("sectPrChange"):
            continue
        title_page = section.find(corpus_tools.w("titlePg")) is not None
        for reference in section:
            if reference.tag in (corpus_tools.w("headerReference"), corpus_tools.w("footerReference")):
                kind = reference.get(corpus_tools.w("type"), "default")
                if kind == "default" or (kind == "first" and title_page) or (kind == "even" and even):
                    shown.add(rels[reference.get(f"{{{corpus_tools.REL}}}id")][1])
    return shown


def expected_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(story, paragraph text) of every paragraph a reader sees, read from the XML by the corpus reader (changes
    accepted, text boxes' paragraphs on their own, field codes left out): the body, the headers and footers Word
    shows, the footnotes, endnotes and comments the text refers to. Paragraphs holding a page number, a note
    mark or an equation are left to the tests below, which check how text shows those."""
    package = corpus_tools.Package.read(path)
    shown_headers = _shown_header_parts(package)
    referenced: dict[str, list[str]] = {"footnotes": [], "endnotes": [], "comments": []}
    found = []
    for kind, part in package.stories():
        if kind in ("header", "footer") and part not in shown_headers:
            continue
        root = corpus_tools.resolve(package.xml(part), accept=True)
        if kind == "body":
            for tag, story in (
                ("footnoteReference", "footnotes"),
                ("endnoteReference", "endnotes"),
                ("commentReference", "comments"),
            ):
                referenced[story] += [e.get(corpus_tools.w("id")) for e in root.iter(corpus_tools.w(tag))]
        notes = None
        if kind in referenced:
            notes = [note for note in root if note.get(corpus_tools.w("id")) in referenced[kind]]
        for holder in notes if notes is not None else [root]:
            for paragraph in holder.iter(corpus_tools.w("p")):
                if not corpus_tools._visible(paragraph) or _page_field(paragraph):
                    continue
                held = {etree.QName(e).localname for e in paragraph.iter() if isinstance(e.tag, str)}
                if held & {"footnoteReference", "endnoteReference", "oMath"}:
                    continue
                text = corpus_tools.paragraph_text(paragraph)
                if text.strip():
                    found.append((f"{kind} {part}", text))
    return found


@pytest.mark.parametrize("name", CORPUS_WITH_STORIES)
def test_text_shows_every_story_a_reader_sees(name):
    """Headers, footers, text boxes, content controls (block, row, cell and inline), notes and comments of real
    documents, Strict ones too: every paragraph the independent corpus reader finds is in text's output."""
    # Pictures, charts and shapes are shown by their kind and alt text between the words (tested below). Words
    # a style sets in All Caps read in capitals (tests/test_text_seen.py), which the corpus reader does not follow.
    shown = squeezed(GRAPHIC.sub("", pipeline.document_text(corpus_path(name)))).casefold()
    missing = [
        f"{story}: {text[:80]!r}"
        for story, text in expected_paragraphs(corpus_path(name))
        if squeezed(text).casefold() not in shown
    ]
    assert not missing, "\n".join(missing)


NOTE_DOCUMENTS = sorted(
    row["file"] for row in corpus_tools.read_manifest() if {"footnotes", "endnotes"} & set(row["features"].split())
)


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", NOTE_DOCUMENTS)
def test_note_marks_are_numbered_as_libreoffice_numbers_them(name, tmp_path):
    """A paragraph with footnote or endnote marks reads as LibreOffice's text export renders it (which puts
    the mark, numbered as Word numbers it, where the reference is), once the brackets of [1] and [i] are
    taken away; and each note is listed under its mark."""
    path = shutil.copy(corpus_path(name), tmp_path / "notes.docx")
    text = pipeline.document_text(path)
    body = text.split("\n[footnotes]\n")[0].split("\n[endnotes]\n")[0]
    titles = re.compile(r"^\[[^\]]* [^\]]*\]$")  # [header of section 1], [text box]
    marked = [line for line in body.splitlines() if MARK.search(line) and not line.startswith("|")]
    marked = [line for line in marked if not titles.match(line)]
    assert marked, "the document's note marks are shown"
    unbracketed = str.maketrans("", "", "[]")
    theirs = {squeezed(line).translate(unbracketed) for line in libreoffice_lines(path)}
    for line in marked:
        bare = squeezed(line.lstrip("# ")).translate(unbracketed)
        assert bare in theirs or any(bare in other for other in theirs), line
    listed = [line.split(" ")[2] for line in text.splitlines() if line.startswith("  [") and MARK.match(line[2:])]
    assert all(mark in body for mark in listed), "each note listed after the body has its mark in the text"
    package = corpus_tools.Package.read(path)
    root = corpus_tools.resolve(package.xml(package.main_part), accept=True)
    references = {
        (e.tag, e.get(corpus_tools.w("id")))
        for e in root.iter(corpus_tools.w("footnoteReference"), corpus_tools.w("endnoteReference"))
        if corpus_tools._visible(e)
    }
    assert len(listed) == len(references), "every note the text refers to is listed once"


COMMENT_DOCUMENTS = sorted(row["file"] for row in corpus_tools.read_manifest() if "comments" in row["features"].split())


def _comment_anchors(body) -> dict[str, str]:
    """The text between each comment's range start and end, read from the XML in document order."""
    anchors: dict[str, list[str]] = {}
    open_ranges: set[str] = set()
    for node in body.iter():
        if not isinstance(node.tag, str) or not corpus_tools._visible(node):
            continue
        key = node.get(corpus_tools.w("id"))
        if node.tag == corpus_tools.w("commentRangeStart"):
            open_ranges.add(key)
            anchors.setdefault(key, [])
        elif node.tag == corpus_tools.w("commentRangeEnd"):
            open_ranges.discard(key)
        elif node.tag == corpus_tools.w("t"):
            for open_key in open_ranges:
                anchors[open_key].append(node.text or "")
    return {key: " ".join("".join(parts).split()) for key, parts in anchors.items()}


@pytest.mark.parametrize("name", COMMENT_DOCUMENTS)
def test_comments_show_their_author_text_and_the_words_they_are_about(name):
    package = corpus_tools.Package.read(corpus_path(name))
    body = corpus_tools.resolve(package.xml(package.main_part), accept=True)
    order = list(dict.fromkeys(e.get(corpus_tools.w("id")) for e in body.iter(corpus_tools.w("commentReference"))))
    comments_part = next(part for kind, part in package.stories() if kind == "comments")
    comments = {c.get(corpus_tools.w("id")): c for c in corpus_tools.resolve(package.xml(comments_part), accept=True)}
    anchors = _comment_anchors(body)
    text = pipeline.document_text(corpus_path(name))
    shown = text.split("\n[comments]\n", 1)[1].splitlines()
    listed = [line for line in shown if line.startswith("  [comment ")]
    assert len(listed) == len([key for key in order if key in comments])
    for number, line in enumerate(listed, start=1):
        key = [key for key in order if key in comments][number - 1]
        comment = comments[key]
        author = comment.get(corpus_tools.w("author")) or "Unknown"
        assert line.startswith(f"  [comment {number}] {author}"), line
        first = next((corpus_tools.paragraph_text(p) for p in comment.iter(corpus_tools.w("p"))), "")
        assert squeezed(first) in squeezed(GRAPHIC.sub("", line))
        anchor = anchors.get(key, "")
        if anchor:
            shown_anchor = line.split(' on "', 1)[1].split('": ', 1)[0]
            assert anchor.startswith(shown_anchor.rstrip("…")), (shown_anchor, anchor)


EQUATION_DOCUMENTS = sorted(
    row["file"] for row in corpus_tools.read_manifest() if "equations" in row["features"].split()
)
LINEAR_SIGNS = set("()^_/¦√∛∜▒■█@& ")


@pytest.mark.parametrize("name", EQUATION_DOCUMENTS)
def test_equations_read_as_linear_text_in_place(name):
    """Each equation is in the text as Word's linear format: its characters in order (read from the XML), with a
    ^ for each superscript, a _ for each subscript, a / or ¦ for each fraction."""
    package = corpus_tools.Package.read(corpus_path(name))
    body = corpus_tools.resolve(package.xml(package.main_part), accept=True)
    text = pipeline.document_text(corpus_path(name))
    m = functools.partial("{{{}}}{}".format, corpus_tools.NS["m"])
    equations = [e for e in body.iter(m("oMath")) if corpus_tools._visible(e)]
    assert equations
    lines = text.splitlines()
    for equation in equations:
        characters = "".join(t.text or "" for t in equation.iter(m("t")))
        # Operators and brackets an equation names by attribute (∑, ⟨ ⟩) rather than as text.
        signs = LINEAR_SIGNS | {
            e.get(m("val"), "") for e in equation.iter(m("chr"), m("begChr"), m("endChr"), m("sepChr"))
        }
        wanted = "".join(ch for ch in characters if ch not in signs)
        holders = [line for line in lines if wanted and wanted in "".join(ch for ch in line if ch not in signs)]
        assert holders, f"equation {characters!r} not in the text"
        line = holders[0]
        assert line.count("^") >= sum(1 for _ in equation.iter(m("sSup"), m("sSubSup")))
        assert line.count("_") >= sum(1 for _ in equation.iter(m("sSub"), m("sSubSup")))
        assert line.count("/") + line.count("¦") >= sum(1 for _ in equation.iter(m("f")))


@pytest.mark.parametrize("name", ["docx2python_example.docx", "powertools_HC031-Complicated-Document.docx"])
def test_strict_open_xml_reads_the_same(name, tmp_path):
    """The same document saved in Word's Strict Open XML namespaces gives the same text."""
    package = corpus_tools.Package.read(corpus_path(name))
    package.strict = True
    strict = package.write(tmp_path / "strict.docx")
    with zipfile.ZipFile(strict) as archive:
        assert b"purl.oclc.org/ooxml/wordprocessingml/main" in archive.read("word/document.xml")
    assert pipeline.document_text(strict) == pipeline.document_text(corpus_path(name))


def test_headers_and_footers_come_with_their_sections_named_as_word_names_them(tmp_path):
    """Each section's header before its text and footer after it; a first-page header where the section has a
    different first page; a header linked to the previous section's is named, not repeated."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Council header"
    document.sections[0].footer.paragraphs[0].text = "Council footer"
    document.add_paragraph("Body of the first section")
    second = document.add_section()
    second.different_first_page_header_footer = True
    second.first_page_header.paragraphs[0].text = "Cover header"
    document.add_paragraph("Body of the second section")
    document.save(tmp_path / "sections.docx")
    lines = pipeline.document_text(tmp_path / "sections.docx").splitlines()
    assert lines == [
        "[header of section 1]",
        "  Council header",
        "Body of the first section",
        "",  # the paragraph holding the section break
        "[footer of section 1]",
        "  Council footer",
        "[header of section 2, first page]",
        "  Cover header",
        "[header of section 2: same as previous]",
        "Body of the second section",
        "[footer of section 2: same as previous]",
    ]


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("footnotes", "endnotes", "marks"),
    [
        ('<w:numFmt w:val="upperRoman"/><w:numStart w:val="3"/>', '<w:numFmt w:val="chicago"/>', "III IV * †"),
        ('<w:numFmt w:val="lowerLetter"/>', '<w:numFmt w:val="decimal"/><w:numStart w:val="5"/>', "a b 5 6"),
    ],
)
def test_note_marks_follow_the_documents_own_number_format(footnotes, endnotes, marks, tmp_path):
    """A document numbering its footnotes III, IV... and its endnotes *, †...: the marks read as LibreOffice's
    text export renders them, brackets aside."""
    package = corpus_tools.Package.read(corpus_path("docx2python_example.docx"))
    document = package.xml("word/document.xml")
    section = document.find(f"{corpus_tools.w('body')}/{corpus_tools.w('sectPr')}")
    last_reference = [c for c in section if etree.QName(c).localname.endswith("Reference")][-1]
    for name, inner in (("endnotePr", endnotes), ("footnotePr", footnotes)):  # footnotePr ends up first
        last_reference.addnext(etree.fromstring(f'<w:{name} xmlns:w="{corpus_tools.W_NS}">{inner}</w:{name}>'))
    package.set_xml("word/document.xml", document)
    path = package.write(tmp_path / "formats.docx")
    text = pipeline.document_text(path)
    theirs = [squeezed(line) for line in libreoffice_lines(path)]
    marked = [line for line in text.split("\n[footnotes]\n")[0].splitlines() if line.startswith("Reference ")]
    assert len(marked) == 4
    for line in marked:
        assert squeezed(line).translate(str.maketrans("", "", "[]")) in theirs, (line, theirs)
    assert [line.rsplit("[", 1)[1].rstrip("]") for line in marked] == marks.split()


TEXT_BOX_DOCUMENTS = sorted(
    row["file"] for row in corpus_tools.read_manifest() if "text_boxes" in row["features"].split()
)


@pytest.mark.parametrize("name", TEXT_BOX_DOCUMENTS)
def test_text_boxes_follow_the_paragraph_holding_them(name):
    """A text box's text comes after the text of the paragraph it is anchored in and before the next
    paragraph's (positions read from the XML by the corpus reader)."""
    package = corpus_tools.Package.read(corpus_path(name))
    body = corpus_tools.resolve(package.xml(package.main_part), accept=True)

    def flat(text: str) -> str:  # a text box may hold a table: its cells' text read across the | lines
        return squeezed(text).replace("|", "")

    shown = flat(pipeline.document_text(corpus_path(name)))
    paragraphs = [
        p
        for p in body.iter(corpus_tools.w("p"))
        if corpus_tools._visible(p) and not any(a.tag == corpus_tools.w("txbxContent") for a in p.iterancestors())
    ]
    checked = 0
    for box in body.iter(corpus_tools.w("txbxContent")):
        if not corpus_tools._visible(box):
            continue
        inside = flat("".join(corpus_tools.story_text(box)))
        anchor = next(a for a in box.iterancestors(corpus_tools.w("p")))
        if not inside or any(a.tag == corpus_tools.w("txbxContent") for a in anchor.iterancestors()):
            continue  # an empty shape, or a box inside another box
        before = flat(corpus_tools.paragraph_text(anchor))
        later = [flat(corpus_tools.paragraph_text(p)) for p in paragraphs[paragraphs.index(anchor) + 1 :]]
        after = next((text for text in later if text and text not in inside), "")
        start = shown.find(before)
        assert start >= 0
        at = shown.find(inside, start + len(before))
        assert at >= 0, f"text box {inside[:60]!r} not after {before[:60]!r}"
        assert shown.find(after, at + len(inside)) >= 0, f"{after[:60]!r} not after the text box {inside[:60]!r}"
        checked += 1
    assert checked, "the document has a text box with text"


def test_text_from_standard_input_shows_every_story_too():
    """`jtai-docs text -` reads the same parts as `jtai-docs text FILE`: headers, footers, notes."""
    path = corpus_path("docx2python_example.docx")
    result = CliRunner().invoke(main, ["text", "-"], input=path.read_bytes())
    assert result.exit_code == 0
    assert result.stdout == pipeline.document_text(path)
    assert "[footnotes]" in result.stdout and "[header of section 1]" in result.stdout


#: Each construct of Office Math and how Word's Linear format (UnicodeMath, Unicode Technical Note 28) writes it.
MATH_CONSTRUCTS = [
    ("<m:f><m:num><m:r><m:t>a+b</m:t></m:r></m:num><m:den><m:r><m:t>2</m:t></m:r></m:den></m:f>", "(a+b)/2"),
    (
        '<m:f><m:fPr><m:type m:val="noBar"/></m:fPr><m:num><m:r><m:t>n</m:t></m:r></m:num>'
        "<m:den><m:r><m:t>k</m:t></m:r></m:den></m:f>",
        "n¦k",
    ),
    (
        "<m:sSubSup><m:e><m:r><m:t>x</m:t></m:r></m:e><m:sub><m:r><m:t>i</m:t></m:r></m:sub>"
        "<m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSubSup>",
        "x_i^2",
    ),
    (
        "<m:sPre><m:sub><m:r><m:t>1</m:t></m:r></m:sub><m:sup><m:r><m:t>2</m:t></m:r></m:sup>"
        "<m:e><m:r><m:t>F</m:t></m:r></m:e></m:sPre>",
        "_1^2 F",
    ),
    ("<m:rad><m:deg/><m:e><m:r><m:t>x</m:t></m:r></m:e></m:rad>", "√x"),
    ("<m:rad><m:deg><m:r><m:t>3</m:t></m:r></m:deg><m:e><m:r><m:t>y</m:t></m:r></m:e></m:rad>", "∛y"),
    ("<m:rad><m:deg><m:r><m:t>n</m:t></m:r></m:deg><m:e><m:r><m:t>z</m:t></m:r></m:e></m:rad>", "√(n&z)"),
    (
        '<m:nary><m:naryPr><m:chr m:val="∑"/></m:naryPr><m:sub><m:r><m:t>i=1</m:t></m:r></m:sub>'
        "<m:sup><m:r><m:t>n</m:t></m:r></m:sup><m:e><m:r><m:t>i</m:t></m:r></m:e></m:nary>",
        "∑_(i=1)^n i",
    ),
    (
        '<m:d><m:dPr><m:begChr m:val="["/><m:endChr m:val="]"/><m:sepChr m:val=","/></m:dPr>'
        "<m:e><m:r><m:t>a</m:t></m:r></m:e><m:e><m:r><m:t>b</m:t></m:r></m:e></m:d>",
        "[a,b]",
    ),
    (
        "<m:func><m:fName><m:r><m:t>sin</m:t></m:r></m:fName><m:e><m:r><m:t>θ</m:t></m:r></m:e></m:func>",
        "sin θ",
    ),
    ('<m:acc><m:accPr><m:chr m:val="̃"/></m:accPr><m:e><m:r><m:t>a</m:t></m:r></m:e></m:acc>', "ã"),
    ("<m:bar><m:e><m:r><m:t>z</m:t></m:r></m:e></m:bar>", "z\u0305"),
    ("<m:groupChr><m:e><m:r><m:t>abc</m:t></m:r></m:e></m:groupChr>", "abc\u23df"),  # a run of letters is one operand
    (
        "<m:limLow><m:e><m:r><m:t>lim</m:t></m:r></m:e><m:lim><m:r><m:t>n→∞</m:t></m:r></m:lim></m:limLow>",
        "lim_(n→∞)",
    ),
    (
        "<m:eqArr><m:e><m:r><m:t>x=1</m:t></m:r></m:e><m:e><m:r><m:t>y=2</m:t></m:r></m:e></m:eqArr>",
        "█(x=1@y=2)",
    ),
    (
        "<m:m><m:mr><m:e><m:r><m:t>1</m:t></m:r></m:e><m:e><m:r><m:t>0</m:t></m:r></m:e></m:mr>"
        "<m:mr><m:e><m:r><m:t>0</m:t></m:r></m:e><m:e><m:r><m:t>1</m:t></m:r></m:e></m:mr></m:m>",
        "■(1&0@0&1)",
    ),
]


@pytest.mark.parametrize(("xml", "linear"), MATH_CONSTRUCTS, ids=[linear for _, linear in MATH_CONSTRUCTS])
def test_each_kind_of_equation_reads_in_words_linear_format(tmp_path, xml, linear):
    """An equation in a paragraph is shown by `text` in place, as Word shows it switched to Linear."""
    import unicodedata

    document = docx.Document()
    paragraph = document.add_paragraph("Where ")
    math = docx.oxml.parse_xml(
        '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">' + xml + "</m:oMath>"
    )
    paragraph._p.append(math)
    path = tmp_path / "equation.docx"
    document.save(str(path))
    shown = run("text", path)
    assert shown.exit_code == 0, shown.output
    assert unicodedata.normalize("NFC", f"Where {linear}") in unicodedata.normalize("NFC", shown.output)


def test_text_shows_pictures_charts_and_shapes_by_kind_and_alt_text(tmp_path):
    """A reader sees a picture, a chart or a shape where it stands; text names each by its kind and by what a
    screen reader announces (its alt text, or a chart's own title), so a changed picture shows in a text diff."""
    # A picture in a comment, between words.
    assert "Text with inline image [picture] in the middle." in pipeline.document_text(
        corpus_path("pythondocx_comments-rich-para.docx")
    )
    # Pictures with alt text, and a shape with none.
    shown = pipeline.document_text(corpus_path("docx2python_example.docx"))
    assert "[picture: A jellyfish in water Description automatically generated]" in shown
    # A chart, alone in a document, then given a title in its own part.
    chart = corpus_path("powertools_CU014-Chart-Embedded-Xlsx-06.docx")
    assert pipeline.document_text(chart).strip() == "[chart]"
    titled = tmp_path / "titled.docx"
    with zipfile.ZipFile(chart) as source, zipfile.ZipFile(titled, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/charts/chart1.xml":
                # The chart's title is shown automatically; give it words of its own.
                title = b"<c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>Actions by status</a:t></a:r></a:p></c:rich></c:tx>"
                data = data.replace(b"<c:chart><c:title>", b"<c:chart><c:title>" + title, 1)
                assert title in data
            target.writestr(item, data)
    assert pipeline.document_text(titled).strip() == "[chart: Actions by status]"
    # A picture with alt text made the way a template author adds one.
    document = docx.Document()
    paragraph = document.add_paragraph("Logo: ")
    (tmp_path / "logo.png").write_bytes(corpus_tools._tiny_png(1))
    paragraph.add_run().add_picture(str(tmp_path / "logo.png"))
    document.inline_shapes[0]._inline.docPr.set("descr", "Durham County Council\nlogo")
    document.save(str(tmp_path / "logo.docx"))
    assert "Logo: [picture: Durham County Council logo]" in pipeline.document_text(tmp_path / "logo.docx")


def test_alt_text_labels_stay_on_one_line_short_and_unmistakable(tmp_path):
    """Alt text is shown on one line, shortened, with square brackets shown as round ones so it cannot pass for
    a label; a description of only spaces gives way to the title; an axis title is not the chart's title."""
    (tmp_path / "logo.png").write_bytes(corpus_tools._tiny_png(1))
    document = docx.Document()
    for descr, title in (("line1\nline2] [chart: fake", ""), ("x" * 500, ""), ("   ", "Council logo")):
        document.add_paragraph().add_run().add_picture(str(tmp_path / "logo.png"))
        document.inline_shapes[-1]._inline.docPr.set("descr", descr)
        if title:
            document.inline_shapes[-1]._inline.docPr.set("title", title)
    document.save(str(tmp_path / "labels.docx"))
    lines = pipeline.document_text(tmp_path / "labels.docx").splitlines()
    assert lines[0] == "[picture: line1 line2) (chart: fake]"
    assert lines[1].startswith("[picture: xxx") and lines[1].endswith("…]") and len(lines[1]) < 120
    assert lines[2] == "[picture: Council logo]"
    chart = corpus_path("powertools_CU014-Chart-Embedded-Xlsx-06.docx")
    axis = tmp_path / "axis.docx"
    with zipfile.ZipFile(chart) as source, zipfile.ZipFile(axis, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/charts/chart1.xml":
                title = (
                    b"<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>Financial year</a:t></a:r></a:p></c:rich></c:tx>"
                )
                data = re.sub(rb"<c:chart><c:title>.*?</c:title>", b"<c:chart>", data, count=1, flags=re.S)
                data = data.replace(b"<c:plotArea>", b"<c:plotArea><c:catAx>" + title + b"</c:title></c:catAx>", 1)
                assert b"Financial year" in data
            target.writestr(item, data)
    assert pipeline.document_text(axis).strip() == "[chart]"
