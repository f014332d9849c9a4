"""A list's definition changed in the numbering part (1, 2, 3 -> a, b, c; "1." -> "1)"; starting at 5; restarted)
leaves every paragraph's XML as it was, yet each reads otherwise. It was "No differences", and Reject All kept the
new numbers. Now each renumbered paragraph is listed with the numbers each version shows, and the redline brings
the old definition in, so that Reject All gives the old numbers back: checked by LibreOffice's own numbering of the
accepted and rejected copies (resolved by the tests' reader, independent of jtai_docs.revisions)."""

from __future__ import annotations

import copy
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from helpers import corpus_tools, libreoffice_lines_of, run

ITEMS = ["Agree the plan.", "Fund the posts.", "Train the staff.", "Audit the cases.", "Report in June."]


def _list_document(path: Path, change: Callable[[docx.document.Document], None] | None = None) -> Path:
    document = docx.Document()
    document.add_paragraph("Recommendations")
    for item in ITEMS:
        document.add_paragraph(item, style="List Number")
    document.add_paragraph("Background")
    if change is not None:
        change(document)
    document.save(str(path))
    return path


def _numbered_level(document) -> etree._Element:
    """Level 1 of the list the List Number style numbers its paragraphs with."""
    numbering = document.part.numbering_part.element
    style = document.styles["List Number"].element
    num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    num = next(n for n in numbering.iterfind(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.iterfind(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    return next(level for level in abstract.iterfind(qn("w:lvl")) if level.get(qn("w:ilvl")) == "0")


def _set(name: str, value: str) -> Callable:
    def change(document) -> None:
        _numbered_level(document).find(qn(f"w:{name}")).set(qn("w:val"), value)

    return change


def _restart_from_third(document) -> None:
    """Items 3 to 5 put in a list of their own, which restarts at 1 (Word's "Restart at 1")."""
    numbering = document.part.numbering_part.element
    style = document.styles["List Number"].element
    num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    old = next(n for n in numbering.iterfind(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    fresh = copy.deepcopy(old)
    fresh.set(qn("w:numId"), "90")
    override = etree.SubElement(fresh, qn("w:lvlOverride"), {qn("w:ilvl"): "0"})
    etree.SubElement(override, qn("w:startOverride"), {qn("w:val"): "1"})
    old.addnext(fresh)
    for paragraph in document.paragraphs[3:6]:
        properties = paragraph._p.get_or_add_pPr()
        place = etree.SubElement(properties, qn("w:numPr"))
        etree.SubElement(place, qn("w:ilvl"), {qn("w:val"): "0"})
        etree.SubElement(place, qn("w:numId"), {qn("w:val"): "90"})


def _resolved(redline: Path, target: Path, *, accept: bool) -> Path:
    """The redline with every tracked change accepted (or rejected) by the tests' own reader, as a .docx."""
    with zipfile.ZipFile(redline) as source, zipfile.ZipFile(target, "w") as copied:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = etree.tostring(corpus_tools.resolve(etree.fromstring(data), accept=accept))
            copied.writestr(item, data)
    return target


def _formatting_said(*arguments: object) -> list[str]:
    """The formatting lines of `jtai-docs diff` with these arguments, which must find differences."""
    result = run("diff", *arguments)
    assert result.exit_code == 1, result.output
    return [line.strip() for line in result.stdout.splitlines() if "formatting:" in line]


def _as_libreoffice_numbers_them(old: Path, new: Path, redline: Path) -> list[list[str]]:
    """The lines of OLD, NEW, and the redline with every change accepted and with every change rejected (by the
    tests' own reader), as LibreOffice numbers them: four documents, one LibreOffice start."""
    accepted = _resolved(redline, redline.with_name("accepted.docx"), accept=True)
    rejected = _resolved(redline, redline.with_name("rejected.docx"), accept=False)
    return libreoffice_lines_of([old, new, accepted, rejected])


CASES = {
    "format": (_set("numFmt", "lowerLetter"), ["1", "a"]),
    "text": (_set("lvlText", "%1)"), ["1.", "1)"]),
    "start": (_set("start", "5"), ["1.", "5."]),
    "restart": (_restart_from_third, ["3.", "1."]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
@pytest.mark.parametrize("direction", ["forward", "back"])
def test_a_changed_list_definition_is_listed_and_rejected_back(tmp_path, case, direction):
    change, _numbers = CASES[case]
    plain, changed = _list_document(tmp_path / "plain.docx"), _list_document(tmp_path / "changed.docx", change)
    old, new = (plain, changed) if direction == "forward" else (changed, plain)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code == 1, result.output
    assert "No differences" not in result.stdout
    old_lines, new_lines, accepted_lines, rejected_lines = _as_libreoffice_numbers_them(old, new, redline)
    assert old_lines != new_lines  # LibreOffice numbers the two versions otherwise: the case is a real change
    # Each paragraph whose number reads otherwise is listed with both numbers, as LibreOffice shows them.
    listed = [line for line in result.stdout.splitlines() if "list level 1" in line]
    renumbered = [(o, n) for o, n in zip(old_lines, new_lines, strict=True) if o != n]
    assert len(listed) == len(renumbered), result.stdout
    for line, (before, after) in zip(listed, renumbered, strict=True):
        old_number, new_number = before.split(None, 1)[0].rstrip(".)"), after.split(None, 1)[0].rstrip(".)")
        assert f'"list level 1, {old_number}' in line and f'"list level 1, {new_number}' in line, line
    assert accepted_lines == new_lines
    assert rejected_lines == old_lines


def test_text_only_leaves_a_changed_list_definition_out(tmp_path):
    plain = _list_document(tmp_path / "plain.docx")
    changed = _list_document(tmp_path / "changed.docx", _set("numFmt", "lowerLetter"))
    result = run("diff", "--text-only", plain, changed)
    assert result.exit_code == 0, result.output
    assert "No differences" in result.stdout


def test_a_number_moved_on_by_an_added_paragraph_is_not_a_list_change(tmp_path):
    plain = _list_document(tmp_path / "plain.docx")

    def add_first(document) -> None:
        document.paragraphs[1].insert_paragraph_before("Set the budget.", style="List Number")

    added = _list_document(tmp_path / "added.docx", add_first)
    result = run("diff", plain, added)
    assert result.exit_code == 1, result.output
    assert "list level" not in result.stdout, result.stdout


BULLET = "\uf0b7"  # Symbol's bullet, as Word writes it
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _own_list(paragraph, num_id: str, level: str = "0") -> None:
    place = etree.SubElement(paragraph._p.get_or_add_pPr(), qn("w:numPr"))
    etree.SubElement(place, qn("w:ilvl"), {qn("w:val"): level})
    etree.SubElement(place, qn("w:numId"), {qn("w:val"): num_id})


def _define(document, *templates: str, nums: dict[str, str]) -> None:
    """Adds list templates (w:abstractNum XML) and lists (numId -> template id) to the document's numbering."""
    numbering = document.part.numbering_part.element
    first = numbering.find(qn("w:num"))
    for template in templates:
        first.addprevious(etree.fromstring(template))
    for num_id, template_id in nums.items():
        numbering.append(
            etree.fromstring(f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{template_id}"/></w:num>')
        )


def _level(ilvl: int, fmt: str, text: str, font: str | None = None) -> str:
    fonts = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{360 * (ilvl + 1)}" w:hanging="360"/></w:pPr>{fonts}</w:lvl>'
    )


def _multilevel(path: Path, top: str, second: str = "%1.%2") -> Path:
    document = docx.Document()
    levels = _level(0, top, "%1.") + _level(1, "decimal", second)
    template = f'<w:abstractNum {W_NS} w:abstractNumId="50">{levels}</w:abstractNum>'
    _define(document, template, nums={"50": "50"})
    document.add_paragraph("Intro")
    for text, level in (("Top one", "0"), ("Sub a", "1"), ("Sub b", "1"), ("Top two", "0"), ("Sub c", "1")):
        _own_list(document.add_paragraph(text), "50", level)
    document.save(str(path))
    return path


def _style_linked(path: Path, fmt: str) -> Path:
    """A list defined through a numbering style (w:styleLink, w:numStyleLink), as Word's Define New List Style does."""
    document = docx.Document()
    level = _level(0, fmt, "%1.")
    defined = f'<w:abstractNum {W_NS} w:abstractNumId="60"><w:styleLink w:val="MyList"/>{level}</w:abstractNum>'
    linked = f'<w:abstractNum {W_NS} w:abstractNumId="61"><w:numStyleLink w:val="MyList"/></w:abstractNum>'
    _define(document, defined, linked, nums={"60": "60", "61": "61"})
    document.styles.element.append(
        etree.fromstring(
            f'<w:style {W_NS} w:type="numbering" w:styleId="MyList"><w:name w:val="My List"/>'
            '<w:pPr><w:numPr><w:numId w:val="60"/></w:numPr></w:pPr></w:style>'
        )
    )
    document.add_paragraph("Intro")
    for text in ("Alpha", "Beta", "Gamma"):
        _own_list(document.add_paragraph(text), "61")
    document.save(str(path))
    return path


def _bulleted(path: Path, font: str) -> Path:
    document = docx.Document()
    _define(
        document,
        f'<w:abstractNum {W_NS} w:abstractNumId="70">{_level(0, "bullet", BULLET, font)}</w:abstractNum>',
        nums={"70": "70"},
    )
    document.add_paragraph("Intro")
    for text in ("Alpha", "Beta"):
        _own_list(document.add_paragraph(text), "70")
    document.save(str(path))
    return path


def _in_a_cell(path: Path, change: Callable | None = None, *, deleted: bool = False) -> Path:
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "Heading cell"
    for item in ITEMS:
        if deleted and item == ITEMS[1]:
            continue
        cell.add_paragraph(item, style="List Number")
    if change is not None:
        change(document)
    document.save(str(path))
    return path


def _without_numbering(source: Path, target: Path) -> Path:
    """The document with its numbering part taken out: its paragraphs name lists it no longer defines."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copied:
        for item in original.infolist():
            if item.filename == "word/numbering.xml":
                continue
            data = original.read(item)
            if item.filename in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
                data = re.sub(rb"<(Relationship|Override) [^>]*numbering[^>]*/>", b"", data)
            copied.writestr(item, data)
    return target


def _continued(path: Path, overrides: dict[str, str] | None = None, nsid: str = "") -> Path:
    """Two pieces of one list (two lists, w:num, of one template), which continue each other's numbers: 1. 2. /
    3. 4.; overrides gives a list its own lvlOverride XML (a restart, a level redefined for it); nsid, the
    template's id Word gives it, which numbers nothing."""
    document = docx.Document()
    ident = f'<w:nsid w:val="{nsid}"/>' if nsid else ""
    template = f'<w:abstractNum {W_NS} w:abstractNumId="80">{ident}{_level(0, "decimal", "%1.")}</w:abstractNum>'
    _define(document, template, nums={})
    numbering = document.part.numbering_part.element
    for num_id in ("80", "81"):
        override = (overrides or {}).get(num_id, "")
        numbering.append(
            etree.fromstring(f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="80"/>{override}</w:num>')
        )
    for text, num_id in (("A1", "80"), ("A2", "80"), ("Between the pieces", None), ("B1", "81"), ("B2", "81")):
        paragraph = document.add_paragraph(text)
        if num_id is not None:
            _own_list(paragraph, num_id)
    document.save(str(path))
    return path


RESTART = f'<w:lvlOverride {W_NS} w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
LETTERS = f'<w:lvlOverride {W_NS} w:ilvl="0">{_level(0, "upperLetter", "%1.")}</w:lvlOverride>'


def _style_numbered(path: Path, num_id: str | None) -> Path:
    """Paragraphs numbered only through their style, whose list (numId 90: 1. 2.; 91: A. B.; None: no list) is
    set in the styles part; the paragraphs' own XML is the same whichever it is."""
    document = docx.Document()
    _define(
        document,
        f'<w:abstractNum {W_NS} w:abstractNumId="90">{_level(0, "decimal", "%1.")}</w:abstractNum>',
        f'<w:abstractNum {W_NS} w:abstractNumId="91">{_level(0, "upperLetter", "%1.")}</w:abstractNum>',
        nums={"90": "90", "91": "91"},
    )
    listed = f'<w:pPr><w:numPr><w:numId w:val="{num_id}"/></w:numPr></w:pPr>' if num_id else ""
    document.styles.element.append(
        etree.fromstring(
            f'<w:style {W_NS} w:type="paragraph" w:styleId="Point"><w:name w:val="Point"/>'
            f'<w:basedOn w:val="Normal"/>{listed}</w:style>'
        )
    )
    document.add_paragraph("Intro")
    for text in ("First point", "Second point"):
        document.add_paragraph(text, style="Point")
    document.save(str(path))
    return path


def _letters_deleting_second(document) -> None:
    _set("numFmt", "lowerLetter")(document)
    second = next(p for p in document.paragraphs if p.text == ITEMS[1])
    second._p.getparent().remove(second._p)


MORE = {
    "multi-level": lambda folder: (
        _multilevel(folder / "a.docx", "decimal"),
        _multilevel(folder / "b.docx", "upperRoman"),
    ),
    "numbering style": lambda folder: (
        _style_linked(folder / "a.docx", "decimal"),
        _style_linked(folder / "b.docx", "lowerLetter"),
    ),
    "bullet font": lambda folder: (_bulleted(folder / "a.docx", "Symbol"), _bulleted(folder / "b.docx", "Wingdings")),
    "deleted too": lambda folder: (
        _list_document(folder / "a.docx"),
        _list_document(folder / "b.docx", _letters_deleting_second),
    ),
    "in a cell": lambda folder: (
        _in_a_cell(folder / "a.docx"),
        _in_a_cell(folder / "b.docx", _set("numFmt", "lowerLetter")),
    ),
    "in a cell, one deleted": lambda folder: (
        _in_a_cell(folder / "a.docx"),
        _in_a_cell(folder / "b.docx", _set("numFmt", "lowerLetter"), deleted=True),
    ),
    "continued, second piece restarted": lambda folder: (
        _continued(folder / "a.docx"),
        _continued(folder / "b.docx", {"81": RESTART}),
    ),
    "continued, first piece lettered": lambda folder: (
        _continued(folder / "a.docx"),
        _continued(folder / "b.docx", {"80": LETTERS}),
    ),
    "multi-level, level 2 alone": lambda folder: (
        _multilevel(folder / "a.docx", "upperRoman"),
        _multilevel(folder / "b.docx", "upperRoman", "%1.%2)"),
    ),
    "continued, restarted, another nsid": lambda folder: (
        _continued(folder / "a.docx", nsid="AAAA0001"),
        _continued(folder / "b.docx", {"81": RESTART}, nsid="BBBB0002"),
    ),
    "style given a list": lambda folder: (
        _style_numbered(folder / "a.docx", None),
        _style_numbered(folder / "b.docx", "90"),
    ),
    "style given another list": lambda folder: (
        _style_numbered(folder / "a.docx", "90"),
        _style_numbered(folder / "b.docx", "91"),
    ),
    "no numbering part": lambda folder: (
        _list_document(folder / "a.docx"),
        _without_numbering(_list_document(folder / "x.docx"), folder / "b.docx"),
    ),
}


@pytest.mark.parametrize("case", MORE, ids=list(MORE))
@pytest.mark.parametrize("direction", ["forward", "back"])
def test_lists_in_every_shape_give_each_version_back(tmp_path, case, direction):
    """Levels named in another level's number (1.1 -> I.1), lists defined by a numbering style, a bullet drawn
    in another font, a list's definition changed where a paragraph was deleted too, lists in table cells, a
    version without any numbering part, one piece of a list that continues another restarted or relettered, and
    a style given a list in the styles part: each is listed, and Accept All and Reject All give each version's
    numbers as LibreOffice shows them (the untouched piece of a continued list goes on counting from the other)."""
    first, second = MORE[case](tmp_path)
    old, new = (first, second) if direction == "forward" else (second, first)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline)
    assert result.exit_code == 1 and "No differences" not in result.stdout, result.output
    old_lines, new_lines, accepted_lines, rejected_lines = _as_libreoffice_numbers_them(old, new, redline)
    if case != "bullet font":  # LibreOffice's text shows a bullet's character, not the font drawing it
        assert old_lines != new_lines
    assert accepted_lines == new_lines
    assert rejected_lines == old_lines


def test_a_style_list_change_and_one_piece_of_a_continued_list_are_said_as_shown(tmp_path):
    """A list given to a style in the styles part renumbers its paragraphs though their XML is the same: each is
    listed with the numbers each version shows. Relettering one piece of a continued list lists that piece's
    paragraphs only: the other piece's numbers (3., 4.) read the same in both versions."""
    plain, styled = _style_numbered(tmp_path / "plain.docx", None), _style_numbered(tmp_path / "styled.docx", "90")
    assert _formatting_said(plain, styled) == [
        'paragraph 1: formatting: "no list" -> "list level 1, 1."',
        'paragraph 2: formatting: "no list" -> "list level 1, 2."',
    ]
    continued = _continued(tmp_path / "continued.docx")
    lettered = _continued(tmp_path / "lettered.docx", {"80": LETTERS})
    assert _formatting_said(continued, lettered) == [
        'paragraph A: formatting: "list level 1, 1." -> "list level 1, A."',
        'paragraph B: formatting: "list level 1, 2." -> "list level 1, B."',
    ]


def _kept_list_change(path: Path, *, new: bool) -> Path:
    """Alpha, Beta and Zeta numbered 1. 2. 3. (OLD); in NEW the list is lettered and Bob has moved Zeta to a
    bulleted list with Word's tracking on (his w:pPrChange records list 80, as Zeta was)."""
    document = docx.Document()
    numbers = _level(0, "upperLetter" if new else "decimal", "%1.")
    _define(
        document,
        f'<w:abstractNum {W_NS} w:abstractNumId="80">{numbers}</w:abstractNum>',
        f'<w:abstractNum {W_NS} w:abstractNumId="81">{_level(0, "bullet", BULLET)}</w:abstractNum>',
        nums={"80": "80", "81": "81"},
    )
    for text in ("Alpha", "Beta", "Zeta"):
        _own_list(document.add_paragraph(text), "81" if new and text == "Zeta" else "80")
    if new:
        properties = document.paragraphs[-1]._p.get_or_add_pPr()
        change = etree.SubElement(
            properties,
            qn("w:pPrChange"),
            {qn("w:id"): "9", qn("w:author"): "Bob", qn("w:date"): "2024-03-02T11:00:00Z"},
        )
        recorded = etree.SubElement(etree.SubElement(change, qn("w:pPr")), qn("w:numPr"))
        etree.SubElement(recorded, qn("w:ilvl"), {qn("w:val"): "0"})
        etree.SubElement(recorded, qn("w:numId"), {qn("w:val"): "80"})
    document.add_paragraph("End")
    document.save(str(path))
    return path


def test_a_kept_list_change_naming_a_redefined_list_rejects_to_old_numbers(tmp_path):
    """--keep-existing keeps Bob's change as he left it, but the list it names (80) is lettered in NEW: rejecting
    it must give OLD's "3." back, not NEW's "C.", so his record is pointed at OLD's definition, brought in."""
    old, new = _kept_list_change(tmp_path / "old.docx", new=False), _kept_list_change(tmp_path / "new.docx", new=True)
    redline = tmp_path / "redline.docx"
    result = run("diff", "--keep-existing", old, new, "-o", redline)
    assert result.exit_code == 1, result.output
    assert "(1 by Bob)" in result.stdout
    with zipfile.ZipFile(redline) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    assert [c.get(qn("w:author")) for c in body.iter(qn("w:pPrChange")) if c.get(qn("w:author")) == "Bob"] == ["Bob"]
    old_lines, new_lines, accepted_lines, rejected_lines = _as_libreoffice_numbers_them(old, new, redline)
    assert "3. Zeta" in [line.strip() for line in old_lines]
    assert rejected_lines == old_lines
    assert accepted_lines == new_lines


def _legal(path: Path, *, legal: bool) -> Path:
    """Level 1 in Roman numerals, level 2 numbered "%1.%2"; with legal, level 2 set to Word's legal style
    numbering (w:isLgl), which shows I.1 as 1.1."""
    document = docx.Document()
    second = _level(1, "decimal", "%1.%2")
    if legal:
        second = second.replace("<w:lvlText", "<w:isLgl/><w:lvlText")
    template = f'<w:abstractNum {W_NS} w:abstractNumId="50">{_level(0, "upperRoman", "%1.")}{second}</w:abstractNum>'
    _define(document, template, nums={"50": "50"})
    for text, level in (("Top one", "0"), ("Sub a", "1"), ("Sub b", "1")):
        _own_list(document.add_paragraph(text), "50", level)
    document.save(str(path))
    return path


def test_legal_style_numbering_is_listed_and_rejected_back(tmp_path):
    """Legal style numbering turned on for level 2 changes what Word shows (I.1 -> 1.1): listed with both numbers
    and tracked. LibreOffice does not follow w:isLgl, so the accepted and rejected copies are read by jtai-docs's
    own text view, whose numbers Word's rule gives."""
    old, new = _legal(tmp_path / "old.docx", legal=False), _legal(tmp_path / "new.docx", legal=True)
    redline = tmp_path / "redline.docx"
    assert _formatting_said(old, new, "-o", redline) == [
        'paragraph 1.1: formatting: "list level 2, I.1" -> "list level 2, 1.1"',
        'paragraph 1.2: formatting: "list level 2, I.2" -> "list level 2, 1.2"',
    ]
    assert "I.1 Sub a" in run("text", old).stdout and "1.1 Sub a" in run("text", new).stdout
    for accept, version in ((True, new), (False, old)):
        resolved = _resolved(redline, tmp_path / f"resolved-{accept}.docx", accept=accept)
        assert run("text", resolved).stdout == run("text", version).stdout, f"accept={accept}"


def test_numbers_in_words_are_shown_and_named_as_word_shows_them(tmp_path):
    """A list numbered First:, Second: (ordinalText) reads so in `text` and in the summary, whose paragraphs are
    named by their numbers without the punctuation after them."""
    plain = _list_document(tmp_path / "plain.docx")
    worded = _list_document(
        tmp_path / "worded.docx", lambda d: (_set("numFmt", "ordinalText")(d), _set("lvlText", "%1:")(d))
    )
    assert "Second: Fund the posts." in run("text", worded).stdout
    result = run("diff", plain, worded)
    assert result.exit_code == 1, result.output
    assert 'paragraph Second: formatting: "list level 1, 2." -> "list level 1, Second:"' in result.stdout
    from_100 = _list_document(
        tmp_path / "hundred.docx",
        lambda d: (_set("numFmt", "ordinalText")(d), _set("lvlText", "%1:")(d), _set("start", "100")(d)),
    )
    shown = run("text", from_100).stdout
    assert "One hundredth: Agree the plan." in shown and "One hundred first: Fund the posts." in shown, shown
