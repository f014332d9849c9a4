"""Formatting as a reviewer reads it in Word's dialogs: "indent left 2 cm", "spacing after 8 pt", "centred".

WordprocessingML keeps lengths in twentieths of a point, font sizes in half-points and line spacing in 240ths of a
line; a summary that showed those ("indents left 1134", "spacing after 160, line 259") would mean nothing to the
officer reading it. Each aspect is told in the units Word's Paragraph and Font dialogs use."""

from __future__ import annotations

import re

from docx.oxml.ns import qn
from lxml.etree import _Element

from .elements import OFF, ON_OFF_ELEMENTS
from .elements import localname as _localname

#: Formatting as a reviewer names it, by the WordprocessingML element that holds it. Paragraph properties first.
_WORDS = {
    "numPr": "list",
    "jc": "alignment",
    "ind": "indent",
    "spacing": "spacing",
    "keepNext": "keep with next",
    "keepLines": "keep lines together",
    "pageBreakBefore": "page break before",
    "widowControl": "widow and orphan control",
    "contextualSpacing": "no space between paragraphs of the same style",
    "suppressAutoHyphens": "no hyphenation",
    "suppressLineNumbers": "no line numbers",
    "mirrorIndents": "mirror indents",
    "snapToGrid": "snap to grid",
    "bidi": "right-to-left",
    "outlineLvl": "outline level",
    "shd": "shading",
    "pBdr": "borders",
    "tabs": "tab stops",
    "textAlignment": "text alignment",
    "b": "bold",
    "i": "italic",
    "u": "underline",
    "strike": "strikethrough",
    "dstrike": "double strikethrough",
    "rFonts": "font",
    "sz": "size",
    "color": "colour",
    "highlight": "highlight",
    "caps": "capitals",
    "smallCaps": "small capitals",
    "vertAlign": "superscript or subscript",
    "rStyle": "character style",
    "vanish": "hidden",
    "noProof": "not checked for spelling",
    "lang": "language",
    "w": "character width",
    "kern": "kerning",
    "position": "position",
    "rtl": "right-to-left",
    "emboss": "embossed",
    "imprint": "engraved",
    "outline": "outline",
    "shadow": "shadow",
}
#: Properties that are on or off: present means on unless their value says off.
_TOGGLES = frozenset(_localname(tag) for tag in ON_OFF_ELEMENTS)
#: Properties whose absence means there is none, rather than whatever the style says.
_NONE_WHEN_ABSENT = frozenset({"numPr", "shd", "pBdr", "tabs", "highlight"})
_ALIGNMENTS = {
    "center": "centred",
    "both": "justified",
    "distribute": "distributed",
    "left": "aligned left",
    "start": "aligned left",
    "right": "aligned right",
    "end": "aligned right",
}
_INDENTS = (
    ("left", "left"),
    ("start", "left"),
    ("right", "right"),
    ("end", "right"),
    ("firstLine", "first line"),
    ("hanging", "hanging"),
)
_THEME_FONTS = {"minor": "the theme's body font", "major": "the theme's headings font"}
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def aspect(element: _Element | None, name: str, *, number: str = "", in_run: bool = False) -> str:
    """One formatting aspect in words: "centred", "indent left 2 cm", "list level 2, 1)", "not bold". `name` is the
    element's local name; `element` is None where the paragraph or run leaves it to the style; `number` is the
    paragraph's list marker; `in_run` tells a run's properties (character spacing) from a paragraph's."""
    if name == "spacing" and in_run:
        return _character_spacing(element)
    word = _WORDS.get(name) or _CAMEL.sub(" ", name).lower()
    if element is None:
        if name in _TOGGLES and in_run:
            return f"not {word}"  # words are plain unless made bold: "not bold" reads truer than "as the style has it"
        return f"no {word}" if name in _NONE_WHEN_ABSENT else f"{word} as the style has it"
    value = element.get(qn("w:val"))
    if name in _TOGGLES:
        return f"not {word}" if value in OFF else word
    described = _DESCRIBE.get(name)
    if described is not None:
        return described(element, value, number)
    values = [f"{_localname(k)} {v}" if _localname(k) != "val" else v for k, v in sorted(element.attrib.items())]
    return f"{word} {', '.join(values)}".strip()


def _number(value: float) -> str:
    """A measure as Word shows it: at most two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def _twips(value: str | None) -> float | None:
    try:
        return int(value) / 20 if value is not None else None
    except ValueError:
        return None


def _centimetres(twips: str) -> str:
    points = _twips(twips)
    return f"{_number(points * 2.54 / 72)} cm" if points is not None else twips


def _points(twips: str) -> str:
    points = _twips(twips)
    return f"{_number(points)} pt" if points is not None else twips


def _list(element: _Element, value: str | None, number: str) -> str:
    level = element.find(qn("w:ilvl"))
    text = level.get(qn("w:val"), "") if level is not None else ""
    depth = int(text) + 1 if text.isdigit() else 1
    return f"list level {depth}, {number}" if number else f"list level {depth}"


def _alignment(element: _Element, value: str | None, number: str) -> str:
    return _ALIGNMENTS.get(value or "", f"alignment {value}")


def _indent(element: _Element, value: str | None, number: str) -> str:
    parts = []
    for attribute, word in _INDENTS:
        length = element.get(qn(f"w:{attribute}"))
        if length is not None:
            parts.append(f"{word} {_centimetres(length)}")
        characters = element.get(qn(f"w:{attribute}Chars"))
        if characters is not None and characters.lstrip("-").isdigit():
            parts.append(f"{word} {_number(int(characters) / 100)} characters")
    return "indent " + ", ".join(parts) if parts else "indent none"


def _paragraph_spacing(element: _Element, value: str | None, number: str) -> str:
    parts = []
    for side in ("before", "after"):
        if element.get(qn(f"w:{side}Autospacing")) in ("1", "true", "on"):
            parts.append(f"{side} automatic")
        elif element.get(qn(f"w:{side}")) is not None:
            parts.append(f"{side} {_points(element.get(qn(f'w:{side}')) or '')}")
        lines = element.get(qn(f"w:{side}Lines"))
        if lines is not None and lines.isdigit():
            parts.append(f"{side} {_number(int(lines) / 100)} lines")
    line, rule = element.get(qn("w:line")), element.get(qn("w:lineRule"), "auto")
    if line is not None and line.lstrip("-").isdigit():
        if rule == "auto":
            parts.append(f"line {_number(int(line) / 240)} lines")
        else:
            parts.append(f"line {'exactly' if rule == 'exact' else 'at least'} {_points(line)}")
    return "spacing " + ", ".join(parts) if parts else "spacing as the style has it"


def _character_spacing(element: _Element | None) -> str:
    if element is None:
        return "character spacing as the style has it"
    value = element.get(qn("w:val"), "0")
    return f"character spacing {_points(value)}"


def _half_points(value: str | None) -> str | None:
    try:
        return _number(int(value) / 2) if value is not None else None
    except ValueError:
        return None


def _size(element: _Element, value: str | None, number: str) -> str:
    points = _half_points(value)
    return f"size {points} pt" if points is not None else f"size {value}"


def _font(element: _Element, value: str | None, number: str) -> str:
    for attribute in ("ascii", "hAnsi", "cs", "eastAsia"):
        name = element.get(qn(f"w:{attribute}"))
        if name:
            return f"font {name}"
    for attribute in ("asciiTheme", "hAnsiTheme"):
        theme = element.get(qn(f"w:{attribute}"))
        if theme:
            return f"font: {_THEME_FONTS.get(theme[:5], theme)}"
    return "font as the style has it"


def _colour(element: _Element, value: str | None, number: str) -> str:
    theme = element.get(qn("w:themeColor"))
    if theme:
        return f"colour {_CAMEL.sub(' ', theme).lower()} of the theme"
    return "colour automatic" if value in (None, "auto") else f"colour #{value}"


def _underline(element: _Element, value: str | None, number: str) -> str:
    if value == "none":
        return "not underlined"
    return "underline" if value in (None, "single") else f"underline {_CAMEL.sub(' ', value).lower()}"


def _shading(element: _Element, value: str | None, number: str) -> str:
    fill = element.get(qn("w:fill"))
    return "no shading" if fill in (None, "auto") else f"shading #{fill}"


def _vertical(element: _Element, value: str | None, number: str) -> str:
    return value if value in ("superscript", "subscript") else "not superscript or subscript"


def _highlight(element: _Element, value: str | None, number: str) -> str:
    return "no highlight" if value in (None, "none") else f"highlight {_CAMEL.sub(' ', value).lower()}"


def _kerning(element: _Element, value: str | None, number: str) -> str:
    points = _half_points(value)
    return "no kerning" if points in (None, "0") else f"kerning from {points} pt"


def _position(element: _Element, value: str | None, number: str) -> str:
    points = _half_points(value)
    if points is None or points == "0":
        return "position normal"
    return f"lowered {points.lstrip('-')} pt" if points.startswith("-") else f"raised {points} pt"


def _width(element: _Element, value: str | None, number: str) -> str:
    return f"character width {value}%"


_DESCRIBE = {
    "numPr": _list,
    "jc": _alignment,
    "ind": _indent,
    "spacing": _paragraph_spacing,
    "sz": _size,
    "rFonts": _font,
    "color": _colour,
    "u": _underline,
    "shd": _shading,
    "vertAlign": _vertical,
    "highlight": _highlight,
    "kern": _kerning,
    "position": _position,
    "w": _width,
}
