"""Each kind of formatting is told in the units of Word's Paragraph and Font dialogs (points, centimetres, lines),
never in the twentieths of a point, half-points and 240ths of a line that WordprocessingML keeps."""

from __future__ import annotations

import pytest
from lxml import etree

from jtai_docs.formatting_words import aspect

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _element(xml: str) -> etree._Element:
    return etree.fromstring(f'<w:x xmlns:w="{W}">{xml}</w:x>')[0]


@pytest.mark.parametrize(
    ("xml", "in_run", "said"),
    [
        ('<w:ind w:left="1440" w:hanging="360"/>', False, "indent left 2.54 cm, hanging 0.64 cm"),
        ('<w:ind w:firstLineChars="200"/>', False, "indent first line 2 characters"),
        ("<w:ind/>", False, "indent none"),
        ('<w:ind w:left="wide"/>', False, "indent left wide"),
        ('<w:spacing w:beforeAutospacing="1" w:afterLines="50"/>', False, "spacing before automatic, after 0.5 lines"),
        ('<w:spacing w:line="360" w:lineRule="exact"/>', False, "spacing line exactly 18 pt"),
        ('<w:spacing w:line="280" w:lineRule="atLeast"/>', False, "spacing line at least 14 pt"),
        ("<w:spacing/>", False, "spacing as the style has it"),
        ('<w:spacing w:val="-10"/>', True, "character spacing -0.5 pt"),
        ('<w:jc w:val="right"/>', False, "aligned right"),
        ('<w:jc w:val="thaiDistribute"/>', False, "alignment thaiDistribute"),
        ('<w:sz w:val="23"/>', True, "size 11.5 pt"),
        ('<w:sz w:val="big"/>', True, "size big"),
        ('<w:rFonts w:asciiTheme="majorHAnsi"/>', True, "font: the theme's headings font"),
        ("<w:rFonts/>", True, "font as the style has it"),
        ('<w:color w:val="auto"/>', True, "colour automatic"),
        ('<w:color w:val="1F3864" w:themeColor="accent1"/>', True, "colour accent1 of the theme"),
        ('<w:u w:val="double"/>', True, "underline double"),
        ('<w:u w:val="none"/>', True, "not underlined"),
        ('<w:u w:val="dottedHeavy"/>', True, "underline dotted heavy"),
        ('<w:shd w:val="clear" w:fill="D9D9D9"/>', False, "shading #D9D9D9"),
        ('<w:shd w:val="clear" w:fill="auto"/>', False, "no shading"),
        ('<w:vertAlign w:val="superscript"/>', True, "superscript"),
        ('<w:vertAlign w:val="baseline"/>', True, "not superscript or subscript"),
        ('<w:highlight w:val="darkYellow"/>', True, "highlight dark yellow"),
        ('<w:highlight w:val="none"/>', True, "no highlight"),
        ('<w:kern w:val="28"/>', True, "kerning from 14 pt"),
        ('<w:kern w:val="0"/>', True, "no kerning"),
        ('<w:position w:val="-6"/>', True, "lowered 3 pt"),
        ('<w:position w:val="4"/>', True, "raised 2 pt"),
        ('<w:position w:val="0"/>', True, "position normal"),
        ('<w:w w:val="150"/>', True, "character width 150%"),
        ('<w:b w:val="0"/>', True, "not bold"),
        ("<w:vanish/>", True, "hidden"),
        ('<w:lang w:val="en-GB"/>', True, "language en-GB"),
        ('<w:textDirection w:val="tbRl"/>', False, "text direction tbRl"),
    ],
)
def test_each_aspect_in_a_reviewers_words(xml, in_run, said):
    element = _element(xml)
    assert aspect(element, etree.QName(element).localname, in_run=in_run) == said


def test_absent_formatting_is_the_styles_or_none():
    assert aspect(None, "b", in_run=True) == "not bold"
    assert aspect(None, "keepNext") == "keep with next as the style has it"
    assert aspect(None, "numPr") == "no list"
    assert aspect(None, "spacing", in_run=True) == "character spacing as the style has it"
    assert aspect(None, "suppressOverlap") == "suppress overlap as the style has it"
    list_item = _element('<w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr>')
    assert aspect(list_item, "numPr", number="b)") == "list level 2, b)"
    assert aspect(_element("<w:numPr/>"), "numPr") == "list level 1"
