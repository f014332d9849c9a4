"""Writes the redline: the new version with every difference from the old one as Word tracked changes."""

from __future__ import annotations

import copy
import io
import itertools
from datetime import datetime

from docx.oxml.ns import qn
from lxml import etree

from .compare import Step, align, element_key, row_key, word_opcodes
from .render import repack

_R_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Paragraph content the word-level rebuild understands; anything else is compared as a whole paragraph.
_SIMPLE_PARAGRAPH_CHILDREN = {qn("w:pPr"), qn("w:r"), qn("w:proofErr")}
_SIMPLE_RUN_CHILDREN = {qn("w:rPr"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:lastRenderedPageBreak")}
# Content of the old version that points into its own package (pictures, links, notes) cannot travel.
_PACKAGE_BOUND = {qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:footnoteReference"),
                  qn("w:endnoteReference"), qn("w:commentReference"), qn("w:commentRangeStart"),
                  qn("w:commentRangeEnd"), qn("w:bookmarkStart"), qn("w:bookmarkEnd")}


class _Marker:
    """Stamps tracked changes with unique ids, one author and one date."""

    def __init__(self, *, author: str, date: datetime, first_id: int) -> None:
        self.author = author
        self.date = date.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.ids = itertools.count(first_id)

    def element(self, tag: str):
        return etree.Element(qn(tag), {qn("w:id"): str(next(self.ids)), qn("w:author"): self.author,
                                       qn("w:date"): self.date})

    def wrap_runs(self, root, tag: str) -> None:
        """Wraps every run under root in w:ins or w:del; deleted text becomes w:delText."""
        for run in list(root.iter(qn("w:r"))):
            parent = run.getparent()
            if parent.tag in (qn("w:ins"), qn("w:del")):
                continue
            wrapper = self.element(tag)
            parent.replace(run, wrapper)
            wrapper.append(run)
            if tag == "w:del":
                for text in run.iter(qn("w:t"), qn("w:instrText")):
                    text.tag = qn("w:delText") if text.tag == qn("w:t") else qn("w:delInstrText")

    def mark_paragraph(self, paragraph, tag: str) -> None:
        """Marks the paragraph mark itself as inserted or deleted."""
        properties = paragraph.find(qn("w:pPr"))
        if properties is None:
            properties = etree.Element(qn("w:pPr"))
            paragraph.insert(0, properties)
        run_properties = properties.find(qn("w:rPr"))
        if run_properties is None:
            run_properties = etree.Element(qn("w:rPr"))
            anchor = next((c for c in properties if c.tag in (qn("w:sectPr"), qn("w:pPrChange"))), None)
            if anchor is None:
                properties.append(run_properties)
            else:
                anchor.addprevious(run_properties)
        run_properties.insert(0, self.element(tag))

    def mark_block(self, block, tag: str) -> None:
        """Marks a whole paragraph or table as inserted or deleted."""
        self.wrap_runs(block, tag)
        for paragraph in list(block.iter(qn("w:p"))):  # the block itself, when it is a paragraph, comes first
            self.mark_paragraph(paragraph, tag)
        for row in block.iter(qn("w:tr")):
            row_properties = row.find(qn("w:trPr"))
            if row_properties is None:
                row_properties = etree.Element(qn("w:trPr"))
                anchor = row.find(qn("w:tblPrEx"))
                (anchor.addnext if anchor is not None else lambda e: row.insert(0, e))(row_properties)
            if all(child.tag in (qn("w:ins"), qn("w:del"), qn("w:trPrChange")) for child in row_properties):
                # The schema wants at least one row property before a revision mark; this one is the default.
                row_properties.insert(0, etree.Element(qn("w:cantSplit"), {qn("w:val"): "off"}))
            change = row_properties.find(qn("w:trPrChange"))
            (change.addprevious if change is not None else row_properties.append)(self.element(tag))


def write_redline(*, new_document, steps: list[Step], author: str, date: datetime) -> bytes:
    """NEW with OLD's differences as tracked changes, packed repeatably; new_document is changed in place.

    steps is the alignment of the two bodies' blocks (from compare.compare_blocks).
    """
    body = new_document.element.body
    # Revision ids must not clash with the ids of bookmarks, comments and the like already in the document.
    used = [int(v) for e in body.iter() for v in [e.get(qn("w:id"))] if v is not None and v.lstrip("-").isdigit()]
    marker = _Marker(author=author, date=date, first_id=max(used, default=0) + 1)
    section = body.find(qn("w:sectPr"))
    content = _redline_sequence(steps, marker, get=lambda block: block.element)
    for child in list(body):
        body.remove(child)
    for element in content:
        body.append(element)
    if section is not None:
        body.append(section)
    buffer = io.BytesIO()
    new_document.save(buffer)
    return repack(buffer.getvalue())


def _redline_sequence(steps: list[Step], marker: _Marker, *, get) -> list:
    """The redline's blocks for one alignment, in order."""
    out = []
    for step in steps:
        old = get(step.old) if step.old is not None else None
        new = get(step.new) if step.new is not None else None
        if step.kind == "equal":
            out.append(new)
        elif step.kind == "added":
            marker.mark_block(new, "w:ins")
            out.append(new)
        elif step.kind == "removed":
            out.append(_deleted_copy(old, marker))
        elif new.tag == qn("w:tbl"):
            out.append(_redline_table(old, new, marker))
        elif _is_simple(old) and _is_simple(new):
            out.append(_redline_paragraph(old, new, marker))
        else:
            out.append(_deleted_copy(old, marker))
            marker.mark_block(new, "w:ins")
            out.append(new)
    return out


def _deleted_copy(element, marker: _Marker):
    """A copy of an old block, stripped of what points into the old package, marked as deleted."""
    element = copy.deepcopy(element)
    for node in list(element.iter()):
        if node.getparent() is None:
            continue
        if node.tag == qn("w:hyperlink"):
            index = node.getparent().index(node)
            for child in list(node):
                node.getparent().insert(index, child)
                index += 1
            node.getparent().remove(node)
        elif node.tag in _PACKAGE_BOUND or any(name.startswith(f"{{{_R_NAMESPACE}}}") for name in node.attrib):
            node.getparent().remove(node)
    marker.mark_block(element, "w:del")
    return element


def _is_simple(paragraph) -> bool:
    return all(child.tag in _SIMPLE_PARAGRAPH_CHILDREN for child in paragraph) and all(
        child.tag in _SIMPLE_RUN_CHILDREN and (child.tag != qn("w:br") or child.get(qn("w:type")) in (None, "textWrapping"))
        for run in paragraph.findall(qn("w:r")) for child in run)


def _characters(paragraph) -> list[tuple[str, bytes]]:
    """The paragraph's characters, each with its run's formatting (as serialised rPr)."""
    out = []
    for run in paragraph.findall(qn("w:r")):
        properties = run.find(qn("w:rPr"))
        key = etree.tostring(properties) if properties is not None else b""
        for child in run:
            if child.tag == qn("w:t"):
                out += [(ch, key) for ch in child.text or ""]
            elif child.tag == qn("w:tab"):
                out.append(("\t", key))
            elif child.tag == qn("w:br"):
                out.append(("\n", key))
    return out


def _runs(characters: list[tuple[str, bytes]], *, deleted: bool) -> list:
    runs = []
    for key, group in itertools.groupby(characters, key=lambda item: item[1]):
        run = etree.Element(qn("w:r"))
        if key:
            run.append(etree.fromstring(key))
        text = ""
        for ch, _key in group:
            if ch in "\t\n":
                if text:
                    run.append(_text(text, deleted))
                    text = ""
                run.append(etree.Element(qn("w:tab" if ch == "\t" else "w:br")))
            else:
                text += ch
        if text:
            run.append(_text(text, deleted))
        runs.append(run)
    return runs


def _text(text: str, deleted: bool):
    element = etree.Element(qn("w:delText" if deleted else "w:t"))
    element.text = text
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def _redline_paragraph(old, new, marker: _Marker):
    """NEW's paragraph with word-level insertions and deletions against OLD, NEW's formatting kept."""
    old_chars, new_chars = _characters(old), _characters(new)
    a, b, opcodes = word_opcodes("".join(c for c, _ in old_chars), "".join(c for c, _ in new_chars))
    old_at = list(itertools.accumulate((len(t) for t in a), initial=0))
    new_at = list(itertools.accumulate((len(t) for t in b), initial=0))
    properties = new.find(qn("w:pPr"))
    paragraph = etree.Element(qn("w:p"), dict(new.attrib))
    if properties is not None:
        paragraph.append(properties)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag in ("delete", "replace"):
            wrapper = marker.element("w:del")
            wrapper.extend(_runs(old_chars[old_at[i1]:old_at[i2]], deleted=True))
            paragraph.append(wrapper)
        if tag in ("insert", "replace"):
            wrapper = marker.element("w:ins")
            wrapper.extend(_runs(new_chars[new_at[j1]:new_at[j2]], deleted=False))
            paragraph.append(wrapper)
        if tag == "equal":
            paragraph.extend(_runs(new_chars[new_at[j1]:new_at[j2]], deleted=False))
    return paragraph


def _redline_table(old, new, marker: _Marker):
    """NEW's table with rows matched to OLD's, and each matched cell's paragraphs compared in turn."""
    old_rows, new_rows = old.findall(qn("w:tr")), new.findall(qn("w:tr"))
    # Rows are matched as the summary matches them (compare.row_key), so both views agree.
    steps = align(old_rows, new_rows, key=lambda row: row_key(_cell_texts(row)))
    for row in new_rows:
        new.remove(row)
    for step in steps:
        if step.kind == "added":
            marker.mark_block(step.new, "w:ins")
            new.append(step.new)
        elif step.kind == "removed":
            new.append(_deleted_copy(step.old, marker))
        elif _cell_texts(step.old) == _cell_texts(step.new):
            new.append(step.new)
        elif len(step.old.findall(qn("w:tc"))) != len(step.new.findall(qn("w:tc"))):
            new.append(_deleted_copy(step.old, marker))
            marker.mark_block(step.new, "w:ins")
            new.append(step.new)
        else:
            for old_cell, new_cell in zip(step.old.findall(qn("w:tc")), step.new.findall(qn("w:tc"))):
                _redline_cell(old_cell, new_cell, marker)
            new.append(step.new)
    return new


def _cell_texts(row) -> list[str]:
    return [element_key(cell)[1] for cell in row.findall(qn("w:tc"))]


def _redline_cell(old_cell, new_cell, marker: _Marker) -> None:
    old_blocks = [c for c in old_cell if c.tag in (qn("w:p"), qn("w:tbl"))]
    new_blocks = [c for c in new_cell if c.tag in (qn("w:p"), qn("w:tbl"))]
    steps = align(old_blocks, new_blocks, key=element_key)
    if all(step.kind == "equal" for step in steps):
        return
    content = _redline_sequence(steps, marker, get=lambda element: element)
    for block in new_blocks:
        new_cell.remove(block)
    for element in content:
        new_cell.append(element)
