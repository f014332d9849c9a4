"""Same reading, same verdict: formatting written in two spellings that Word reads alike is no difference to the
summary nor to the redline, which decide it alike (#10); a text box is named alike everywhere; a quotation shows
where it ends."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from helpers import corpus_tools, run
from jtai_docs import pipeline

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
