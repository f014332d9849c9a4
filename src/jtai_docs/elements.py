"""Typed helpers for walking lxml element trees (the .docx parts' XML)."""

from __future__ import annotations

from typing import Any

from lxml.etree import _Element


def parent_of(node: _Element) -> _Element:
    """The node's parent element, for nodes found inside a part's tree (which always have one there)."""
    parent = node.getparent()
    if parent is None:
        raise ValueError(f"the element {node.tag!r} has no parent element")
    return parent


def canonical(element: _Element) -> tuple[Any, ...]:
    """An element's content without namespace declarations, which differ between packages saying the same."""
    return (
        element.tag,
        tuple(sorted(element.attrib.items())),
        (element.text or "").strip(),
        tuple(canonical(child) for child in element),
    )


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
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
