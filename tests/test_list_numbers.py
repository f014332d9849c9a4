"""List numbers as a reader sees them, read once per list level: levels that refer to levels the list leaves out,
bullets, lists and levels that are not defined, and properties that do not stand first in their paragraph."""

from __future__ import annotations

import dataclasses
import pickle

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from jtai_docs import compare, wordfile

NUMBERING = f"""<w:numbering {nsdecls("w")}>
  <w:abstractNum w:abstractNumId="90">
    <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3"/></w:lvl>
    <w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
    <w:lvl w:ilvl="2"><w:numFmt w:val="none"/><w:lvlText w:val="%3"/></w:lvl>
    <w:lvl w:ilvl="3"><w:start w:val="2"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1(%4)"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="91"><w:abstractNumId w:val="90"/></w:num>
  <w:num w:numId="92"><w:abstractNumId w:val="99"/></w:num>
</w:numbering>"""


def numbered(document, text: str, num_id: str, ilvl: str, *, properties_last: bool = False) -> None:
    paragraph = document.add_paragraph(text)
    properties = paragraph._p.get_or_add_pPr()
    properties.append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    if properties_last:  # as some producers write it: the paragraph's properties after its runs
        paragraph._p.append(properties)


def test_list_numbers_follow_each_level_and_ignore_what_is_not_defined(tmp_path):
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for child in parse_xml(NUMBERING):
        numbering.append(child)
    numbered(document, "First", "91", "0")
    numbered(document, "A bullet", "91", "1")
    numbered(document, "No number shown", "91", "2")
    numbered(document, "Fourth level", "91", "3")
    numbered(document, "Second", "91", "0", properties_last=True)
    numbered(document, "A level the list does not define", "91", "5")
    numbered(document, "A list without a definition", "92", "0")
    numbered(document, "Taken out of its list", "0", "0")
    document.add_heading("A heading", 2)
    path = tmp_path / "lists.docx"
    document.save(str(path))

    blocks = wordfile.read_word_document(path).blocks
    numbers = {block.text: block.number for block in blocks}
    assert numbers == {
        "First": "3.1",  # level 3 is not counted yet: it shows as 1
        "A bullet": "•",
        "No number shown": "",
        "Fourth level": "3(ii)",
        "Second": "4.1",
        "A level the list does not define": None,
        "A list without a definition": None,
        "Taken out of its list": None,
        "A heading": None,
    }
    assert [block.heading_level for block in blocks if block.text == "A heading"] == [2]


def test_words_of_a_long_paragraph_changed_either_side_of_a_comma_make_one_edit():
    """Beyond the small alignment, two changes with only a comma and a space between them are one edit."""
    middle = " ".join(f"word{n}" for n in range(60))
    old, new = f"Alpha, beta {middle} end.", f"Gamma, delta {middle} ending."
    edits = compare.text_edits(old, new)
    assert [(edit.old, edit.new) for edit in edits] == [("Alpha, beta", "Gamma, delta"), ("end", "ending")]


def test_the_tokens_of_a_text_are_a_new_list_each_time():
    first = compare.tokens("The council agreed.")
    first.append("changed by the caller")
    assert compare.tokens("The council agreed.") == ["The", " ", "council", " ", "agreed", "."]


def test_words_alike_are_judged_without_any_kind_of_space():
    """Spaces of every kind (a non-breaking space, an em space, a tab) separate words without counting as one."""
    assert compare.similarity("the\u00a0council\u2003agreed\tit", "the council agreed it") == 1.0


def test_paragraphs_and_blocks_read_are_what_their_constructors_make(tmp_path):
    # (#11) Reading a body fills in each Paragraph's and BodyBlock's fields without their __init__: the same fields
    # in the same order, so equal, hashed, shown, copied and pickled alike.
    document = docx.Document()
    document.add_heading("Progress", 1)
    document.add_paragraph("First point.", style="List Number")
    document.add_paragraph("Second point.", style="List Number")
    document.add_paragraph("Plain words.")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "Theme"
    path = tmp_path / "read.docx"
    document.save(str(path))
    blocks = wordfile.read_body(wordfile.open_document(path))
    paragraphs = [block.block for block in blocks if isinstance(block.block, wordfile.Paragraph)]
    assert [(p.text, p.number, p.heading_level) for p in paragraphs] == [
        ("Progress", None, 1),
        ("First point.", "1.", None),
        ("Second point.", "2.", None),
        ("Plain words.", None, None),
    ]
    for paragraph in paragraphs:
        made = wordfile.Paragraph(**vars(paragraph))
        assert list(vars(paragraph).items()) == list(vars(made).items())
        assert (paragraph, hash(paragraph), repr(paragraph)) == (made, hash(made), repr(made))
        assert pickle.loads(pickle.dumps(paragraph)) == made
        with pytest.raises(dataclasses.FrozenInstanceError):
            paragraph.text = ""  # type: ignore[misc]
    for block in blocks:
        made_block = wordfile.BodyBlock(**vars(block))
        assert list(vars(block).items()) == list(vars(made_block).items())
        assert (block, hash(block), repr(block)) == (made_block, hash(made_block), repr(made_block))
        with pytest.raises(dataclasses.FrozenInstanceError):
            block.objects = ()  # type: ignore[misc]
