"""Typed helpers for walking lxml element trees (the .docx parts' XML)."""

from __future__ import annotations

from lxml.etree import _Element


def parent_of(node: _Element) -> _Element:
    """The node's parent element, for nodes found inside a part's tree (which always have one there)."""
    parent = node.getparent()
    if parent is None:
        raise ValueError(f"the element {node.tag!r} has no parent element")
    return parent
