"""Same reading, same verdict: formatting written in two spellings that Word reads alike is no difference to the
summary nor to the redline, which decide it alike (#10); a text box is named alike everywhere; a quotation shows
where it ends."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from helpers import corpus_tools, run
from jtai_docs import pipeline
from jtai_docs.display import quoted

WORDS = "Members are asked to note the report."
OTHER = "The plan is on track."

#: (what is written, in which properties, its old spelling, its new spelling), each the same to Word (ECMA-376
#: Part 1 §17.17.4 ST_OnOff, §17.18.44 ST_Jc, §17.3.1.12 ind, and whole numbers).
SPELLINGS = {
    "bold true": ("rPr", "<w:b/>", '<w:b w:val="true"/>'),
    "bold 1": ("rPr", "<w:b/>", '<w:b w:val="1"/>'),
    "bold on": ("rPr", '<w:b w:val="true"/>', '<w:b w:val="on"/>'),
    "italic off": ("rPr", '<w:i w:val="0"/>', '<w:i w:val="false"/>'),
    "caps off": ("rPr", '<w:caps w:val="off"/>', '<w:caps w:val="0"/>'),
    "keep with next": ("pPr", "<w:keepNext/>", '<w:keepNext w:val="on"/>'),
    "left is start": ("pPr", '<w:jc w:val="left"/>', '<w:jc w:val="start"/>'),
    "right is end": ("pPr", '<w:jc w:val="right"/>', '<w:jc w:val="end"/>'),
    "indent start": ("pPr", '<w:ind w:left="720" w:right="360"/>', '<w:ind w:start="720" w:end="360"/>'),
    "leading zero": ("pPr", '<w:spacing w:after="160"/>', '<w:spacing w:after="0160"/>'),
    "size 024": ("rPr", '<w:sz w:val="24"/>', '<w:sz w:val="024"/>'),
    "autospacing": ("pPr", '<w:spacing w:beforeAutospacing="1"/>', '<w:spacing w:beforeAutospacing="true"/>'),
    "line rule auto": ("pPr", '<w:spacing w:line="360"/>', '<w:spacing w:line="360" w:lineRule="auto"/>'),
    "colour in capitals": ("rPr", '<w:color w:val="C00000"/>', '<w:color w:val="c00000"/>'),
}


def _version(path: Path, where: str, spelling: str, *, centred: bool = False) -> Path:
    """Two paragraphs: the first with the formatting in the spelling given, the second centred or not."""
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run(WORDS)
    holder = paragraph._p.get_or_add_pPr() if where == "pPr" else paragraph.runs[0]._r.get_or_add_rPr()
    holder.append(_parsed(spelling))
    other = document.add_paragraph(OTHER)
    if centred:
        other.alignment = 1
    document.save(str(path))
    return path


def _parsed(xml: str):
    return parse_xml(f'<w:x xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{xml}</w:x>')[0]


def _tracked_formatting(redline: Path) -> int:
    body = docx.Document(str(redline)).element.body
    return len(list(body.iter(qn("w:pPrChange")))) + len(list(body.iter(qn("w:rPrChange"))))


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_the_same_formatting_spelt_another_way_is_no_difference(tmp_path, name):
    where, old_spelling, new_spelling = SPELLINGS[name]
    old = _version(tmp_path / "old.docx", where, old_spelling)
    new = _version(tmp_path / "new.docx", where, new_spelling)
    result = run("diff", old, new, "-o", tmp_path / "redline.docx")
    assert result.exit_code == 0 and "No differences" in result.stdout, result.stdout
    assert _tracked_formatting(tmp_path / "redline.docx") == 0


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_beside_a_real_change_it_is_one_record_and_one_tracked_change(tmp_path, name):
    where, old_spelling, new_spelling = SPELLINGS[name]
    old = _version(tmp_path / "old.docx", where, old_spelling)
    new = _version(tmp_path / "new.docx", where, new_spelling, centred=True)
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert [(c.kind, c.where, c.old, c.new) for c in changes] == [
        ("formatting", f'the paragraph "{OTHER}"', "alignment as the style has it", "centred")
    ]
    assert _tracked_formatting(redline) == 1
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], mode
    for accept, alignment in ((True, ["center"]), (False, [])):  # the second paragraph's, as Word shows it
        body = corpus_tools.resolve(corpus_tools.Package.read(redline).xml("word/document.xml"), accept=accept)
        second = body.findall(f"{qn('w:body')}/{qn('w:p')}")[1]
        assert [jc.get(qn("w:val")) for jc in second.iter(qn("w:jc"))] == alignment


_BOX_NAMESPACES = nsdecls("w", "wp", "a", "r") + (
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _text_box(words: str, width: int = 914400) -> str:
    """A text box in line with the text, as Word writes one: drawn, with the copy older applications read."""
    content = f"<w:txbxContent><w:p><w:r><w:t>{words}</w:t></w:r></w:p></w:txbxContent>"
    return (
        f'<w:r {_BOX_NAMESPACES}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline>'
        f'<wp:extent cx="{width}" cy="914400"/><wp:docPr id="3" name="Text Box 3"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="914400"/></a:xfrm><a:prstGeom prst="rect">'
        f"<a:avLst/></a:prstGeom></wps:spPr><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData>"
        "</a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape "
        f'style="width:72pt;height:72pt"><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>'
        "</mc:AlternateContent></w:r>"
    )


def _boxed(path: Path, box: str | None) -> Path:
    document = docx.Document()
    document.add_paragraph(OTHER)
    if box is not None:
        document.add_paragraph("Notice ")._p.append(parse_xml(box))
    document.add_paragraph(WORDS)
    document.save(str(path))
    return path


def test_a_text_box_is_named_as_the_text_view_names_it(tmp_path):
    """The text view shows a text box's words under "[text box]"; the summary named the same box "shape"."""
    none = _boxed(tmp_path / "none.docx", None)
    monday = _boxed(tmp_path / "monday.docx", _text_box("Meeting on Monday"))
    tuesday = _boxed(tmp_path / "tuesday.docx", _text_box("Meeting on Tuesday", width=2 * 914400))
    assert "[text box]" in run("text", monday).stdout.splitlines()
    added = run("diff", none, monday)
    assert added.stdout.splitlines()[1:] == [
        '  the paragraph "Notice Meeting on Monday": added: "Notice Meeting on Monday [text box]"'
    ]
    redline = tmp_path / "redline.docx"
    edited = run("diff", monday, tuesday, "-o", redline)
    assert edited.stdout.splitlines()[1:-1] == [
        '  the paragraph "Notice Meeting on Tuesday": "Monday" -> "Tuesday"',
        '  the paragraph "Notice Meeting on Tuesday": "text box" -> "text box (resized)"',
    ]
    for mode, version in (("accept", tuesday), ("reject", monday)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], mode


def _unquoted(shown: str) -> str:
    """The words of a quotation as a reader takes them: from after the opening mark to the first closing mark
    (a doubled straight quote inside straight ones standing for one)."""
    opening = shown[0]
    closing = {"“": "”", "«": "»"}.get(opening, opening)
    words, at = "", 1
    while True:
        end = shown.index(closing, at)
        if closing == '"' and shown[end + 1 : end + 2] == '"':
            words, at = words + shown[at : end + 1], end + 2
            continue
        return words + shown[at:end] if end == len(shown) - 1 else "(ends early)"


@pytest.mark.parametrize(
    "words",
    [
        "plain words",
        'The "Council" logo',
        "He said “yes” today",
        'He said “yes" to "no”',
        'He said “yes" to "no” and «maybe»',
        '"',
        "”",
    ],
)
def test_a_quotation_always_shows_where_it_ends(words):
    assert _unquoted(quoted(words)) == words


def test_words_holding_curly_and_straight_quotes_are_quoted_so_the_end_is_plain(tmp_path):
    def version(path: Path, said: str) -> Path:
        document = docx.Document()
        document.add_paragraph(f'He said “{said}" to "no”')
        document.save(str(path))
        return path

    result = run("diff", version(tmp_path / "old.docx", "yes"), version(tmp_path / "new.docx", "maybe"))
    assert result.stdout.splitlines()[1:] == ['  the paragraph «He said “maybe" to "no”»: "yes" -> "maybe"']
