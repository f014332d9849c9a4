"""Typed helpers for walking lxml element trees (the .docx parts' XML)."""

from __future__ import annotations

import re
from typing import Any

from lxml.etree import _Element


def parent_of(node: _Element) -> _Element:
    """The node's parent element, for nodes found inside a part's tree (which always have one there)."""
    parent = node.getparent()
    if parent is None:
        raise ValueError(f"the element {node.tag!r} has no parent element")
    return parent


def canonical(element: _Element) -> tuple[Any, ...]:
    """An element's content as a reader of the document takes it: without namespace declarations, which differ
    between packages saying the same, and with WordprocessingML's values in one spelling where the standard
    gives several for one meaning (spelling), so that whatever compares formatting by it decides alike."""
    tag, attributes = spelling(element)
    return (
        tag,
        attributes,
        (element.text or "").strip(),
        tuple(canonical(child) for child in element),
    )


def localname(name: str) -> str:
    """The name of an element or attribute without its namespace: "b" for "{...wordprocessingml...}b"."""
    return name.rpartition("}")[2]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{_W}val"


def _names(names: str) -> list[str]:
    return names.split()


#: ECMA-376 Part 1 §17.17.4 ST_OnOff: "true", "on" and "1" say on; "false", "off" and "0" say off.
ON, OFF = frozenset({"1", "true", "on"}), frozenset({"0", "false", "off"})
#: Elements whose w:val is an ST_OnOff, where leaving the value out says on (CT_OnOff): run and paragraph toggles,
#: and those of sections, tables, rows and cells. The one list of them: the styles (styles.py) and the words for
#: formatting (formatting_words.py) take theirs from it.
ON_OFF_ELEMENTS = frozenset(
    _W + name
    for name in _names(
        "b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid vanish webHidden "
        "specVanish rtl cs oMath keepNext keepLines pageBreakBefore suppressLineNumbers widowControl "
        "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
        "contextualSpacing mirrorIndents suppressOverlap titlePg rtlGutter formProt noEndnote bidiVisual tblHeader "
        "cantSplit hideMark noWrap tcFitText"
    )
)
#: Other attributes of type ST_OnOff.
_ON_OFF_ATTRIBUTES = frozenset(
    _W + name
    for name in _names(
        "beforeAutospacing afterAutospacing equalWidth sep firstRow lastRow firstColumn lastColumn noHBand noVBand "
        "shadow frame fldLock dirty anchorLock"
    )
)
#: Attributes holding a whole number (ST_DecimalNumber, ST_TwipsMeasure, ST_HpsMeasure, ...), which may be written
#: with leading zeros or a plus sign ("0120" for "120"); colours and ids, in hexadecimal, are not among them.
_NUMBER_ATTRIBUTES = frozenset(
    _W + name
    for name in _names(
        "left right start end hanging firstLine leftChars rightChars startChars endChars hangingChars firstLineChars "
        "before after line beforeLines afterLines w h top bottom header footer gutter num space pos sz"
    )
)
#: Elements whose w:val holds a whole number: sizes, kerning, raised or lowered text, character spacing and width,
#: list level and list, outline level.
_NUMBER_VALUES = frozenset(_W + name for name in _names("sz szCs kern position spacing w ilvl numId outlineLvl"))
#: Transitional "left" and "right" are Strict's "start" and "end" (of a paragraph's or table's alignment, its
#: indents, borders and cell margins): Word reads them alike.
_SIDES = {"left": "start", "right": "end", "leftChars": "startChars", "rightChars": "endChars"}
_SIDE_ELEMENTS = {f"{_W}left": f"{_W}start", f"{_W}right": f"{_W}end"}
_NUMBER = re.compile(r"[+-]?\d+")
#: Attributes holding a colour (ST_HexColor: "FF0000" and "ff0000" are one red).
_COLOURS = frozenset({f"{_W}color", f"{_W}fill"})
_HEX_COLOUR = re.compile(r"[0-9A-Fa-f]{6}")


def spelling(element: _Element) -> tuple[Any, tuple[tuple[str, str], ...]]:
    """An element's tag and sorted attributes, WordprocessingML's in one spelling: on and off (§17.17.4 ST_OnOff)
    as "1" and "0", left out where it says on for an element that is on when present (<w:b/> for
    <w:b w:val="true"/>); whole numbers without leading zeros; "start" and "end" for "left" and "right"; colours
    in capitals; languages in small letters; line spacing "auto", the default, left out."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(_W):
        return tag, tuple(sorted(element.attrib.items()))
    attributes = []
    for name, value in element.attrib.items():
        if name.startswith(_W):
            if name == _VAL and tag in ON_OFF_ELEMENTS or name in _ON_OFF_ATTRIBUTES:
                value = "1" if value.strip() in ON else "0" if value.strip() in OFF else value
                if value == "1" and name == _VAL:
                    continue
            elif (name in _NUMBER_ATTRIBUTES or name == _VAL and tag in _NUMBER_VALUES) and _NUMBER.fullmatch(
                value.strip()
            ):
                value = str(int(value))
            elif name == _VAL and tag == f"{_W}jc":
                value = _SIDES.get(value, value)
            elif (name in _COLOURS or name == _VAL and tag == f"{_W}color") and _HEX_COLOUR.fullmatch(value):
                value = value.upper()
            elif tag == f"{_W}lang":
                value = value.lower()  # BCP 47: "en-GB" and "en-gb" are one language
            elif (name, value) == (f"{_W}lineRule", "auto") and tag == f"{_W}spacing":
                continue  # §17.3.1.33: line spacing is in 240ths of a line unless it says otherwise
            if tag == f"{_W}ind":
                name = _W + _SIDES.get(localname(name), localname(name))
        attributes.append((name, value))
    return _SIDE_ELEMENTS.get(tag, tag), tuple(sorted(attributes))


#: What a paragraph's properties hold besides its own formatting: its mark's run formatting, a section break,
#: and recorded changes.
_NOT_PARAGRAPH_FORMATTING = frozenset({f"{_W}rPr", f"{_W}sectPr", f"{_W}pPrChange"})


def paragraph_formatting(paragraph: _Element) -> list[_Element]:
    """A paragraph's own formatting (style, list, indents, alignment...), without its mark's run formatting,
    section break or recorded changes."""
    properties = paragraph.find(f"{_W}pPr")
    if properties is None:
        return []
    return [c for c in properties if c.tag not in _NOT_PARAGRAPH_FORMATTING]


#: What a paragraph mark's run properties hold besides its formatting: marks of its insertion, deletion or move,
#: and a recorded change.
_NOT_MARK_FORMATTING = frozenset({f"{_W}{n}" for n in ("ins", "del", "moveFrom", "moveTo", "rPrChange")})


def mark_formatting(paragraph: _Element) -> list[_Element]:
    """The formatting of a paragraph's mark (the pilcrow's run properties, w:pPr/w:rPr), without the marks of its
    insertion or deletion or a recorded change."""
    mark = paragraph.find(f"{_W}pPr/{_W}rPr")
    if mark is None:
        return []
    return [c for c in mark if c.tag not in _NOT_MARK_FORMATTING]
