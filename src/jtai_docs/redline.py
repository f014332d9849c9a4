"""Writes the redline: the new version with every difference from the old one as Word tracked changes."""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from struct import error as struct_error
from typing import Any, NamedTuple, TypeVar, cast

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.opc.part import Part
from docx.oxml.ns import qn as _qn
from docx.parts.story import StoryPart
from lxml import etree
from lxml.etree import _Element

from .compare import (
    NotePair,
    Step,
    StepKind,
    WordAlignment,
    align,
    block_controls,
    cell_properties_said,
    control_label,
    control_tag,
    controls_around,
    element_key,
    formatting_differs,
    layout_differs,
    list_definition_differs,
    mark_differs,
    note_mark_runs,
    numberings_differ,
    opcodes,
    paragraph_properties_differ,
    row_key,
    row_properties_said,
    runs_alike,
    section_break,
    styles_differ,
    text_boxes,
    tokens,
)
from .elements import canonical as _canonical
from .elements import mark_formatting as _mark_formatting
from .elements import paragraph_formatting as _base_properties
from .elements import parent_of
from .package import pack_document
from .revisions import KEPT_MARK, split_kept_marks
from .styles import TEMPLATE_IDS, Styles, template_levels
from .styles import of_document as _styles_of
from .wordfile import (
    BodyBlock,
    cell_controls,
    changed_part_root,
    inside_controls,
    note_key,
    paragraph_text,
    shape_identity,
    store_part_roots,
)

# Clark names are looked up many times per paragraph; python-docx builds them afresh on each call.
qn = functools.lru_cache(maxsize=None)(_qn)

_R_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

_B = TypeVar("_B")
#: A notes or comments part with each note's text by id and its XML, or (None, {}, None) where there is none.
_Story = tuple[Part | None, dict[str | None, str], _Element | None]


def _element_of(block: BodyBlock) -> _Element:
    return block.element


def _recorded_already(
    existing: _Element | None, tag: str, before: Sequence[_Element], after: Sequence[_Element], marker: _Marker
) -> bool:
    """Whether OLD's formatting (before) needs no record of its own: NEW's (after) is the same, or a formatting
    change kept from NEW (existing) records it already, and then stands as its author left it. A kept change
    recording something else is taken away (a paragraph or its mark holds one), so that rejecting every change
    gives OLD's; the marker notes it as replaced (or only taken away, where NEW's is OLD's)."""
    same = [_canonical(e) for e in before] == [_canonical(e) for e in after]
    if existing is None:
        return same
    recorded = existing.find(qn(tag))
    if [_canonical(e) for e in before] == [_canonical(e) for e in (recorded if recorded is not None else [])]:
        return True
    marker.replace_kept(existing, recorded=not same)
    return same


#: How a tracked change's date is written (w:date), in UTC.
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class _Marker:
    """Stamps tracked changes with unique ids, one author and one date."""

    importer: _Importer
    """Set by write_redline once the marker exists, since the importer numbers what it brings with the marker's ids."""

    def __init__(self, *, author: str, date: datetime, first_id: int) -> None:
        self.author = author
        self.date = date.strftime(DATE_FORMAT)
        self.ids = itertools.count(first_id)
        self.first_id = first_id
        self.text_only = False
        self._atoms: dict[_Element, _Atoms] = {}
        self.control_copies: dict[_Element, _Element] = {}
        """For a content control of OLD taken away, the content of its copy in the redline, by the control (held
        here, so lxml keeps giving the same element for it)."""
        self.copy_tops: dict[_Element, _Element] = {}
        """For a content control of OLD taken away, the outermost control of its copy in the redline."""
        self.placed_after: dict[_Element, _Element] = {}
        """For a content control NEW put around paragraphs, OLD's copy of the last of them, after the control."""
        self.replaced: list[tuple[str, bool]] = []
        self.replaced_ids: set[tuple[str | None, ...]] = set()
        """With --keep-existing, NEW's formatting changes taken away, as they recorded other formatting than OLD's:
        for each, its author and whether the redline's own stands in its place (a run, paragraph or mark holds
        one), recording OLD's; where NEW's formatting is OLD's there is nothing to record."""
        self.styles = (Styles(None), Styles(None))
        """OLD's and NEW's styles, through which formatting is compared as a reader sees it (set by write_redline)."""
        self.lists_differ = False
        """Whether the versions' list definitions (numbering parts) differ at all, so that a paragraph whose XML is
        the same may still be numbered otherwise (set by write_redline)."""

    def atoms(self, paragraph: _Element, *, old: bool) -> _Atoms:
        """The paragraph read as atoms; kept for the step at hand, whose paragraphs are read to see whether
        they differ and then again to write their redline."""
        found = self._atoms.get(paragraph)
        if found is None:
            found = _tokens(paragraph, self.importer.old if old else self.importer.new)
            self._atoms[paragraph] = found
        return found

    def forget(self) -> None:
        """Drops the atoms read for the last step: the next step's paragraphs are others."""
        self._atoms.clear()

    def next_id(self) -> int:
        return next(self.ids)

    def replace_kept(self, change: _Element, *, recorded: bool) -> None:
        """Takes away a formatting change kept from NEW that records other formatting than OLD's, noting its
        author and whether this redline records OLD's in its place."""
        key = (change.get(_ID), change.get(_AUTHOR), change.get(_DATE), str(change.tag))
        if key not in self.replaced_ids:  # a run split in the redline holds copies of its one change
            self.replaced_ids.add(key)
            self.replaced.append((change.get(_AUTHOR) or "Unknown", recorded))
        holder = change.getparent()
        if holder is not None:
            holder.remove(change)

    def stamped(self, revision: _Element) -> bool:
        """Whether this redline made the tracked change (rather than keeping it from NEW)."""
        number = revision.get(_ID, "")
        return number.isdigit() and int(number) >= self.first_id

    def mark_move(self, paragraph: _Element, side: str, *, key: int) -> _Element:
        """Encloses a moved paragraph's content in Word's named move range ("From" or "To"); the name pairs
        the paragraph's two places."""
        self.move_names: dict[int, str] = getattr(self, "move_names", {})
        name = self.move_names.setdefault(key, f"move{len(self.move_names) + 1}")
        start = self.element(f"w:move{side}RangeStart")
        start.set(qn("w:name"), name)
        end = etree.Element(qn(f"w:move{side}RangeEnd"), {qn("w:id"): start.get(qn("w:id"), "")})
        properties = paragraph.find(qn("w:pPr"))
        (properties.addnext if properties is not None else lambda e: paragraph.insert(0, e))(start)
        paragraph.append(end)
        return paragraph

    def mark_object(self, element: _Element, tag: str) -> _Element:
        """An inline object marked inserted or deleted: wrapped whole where the schema allows, else inside."""
        if element.tag == _SIMPLE_FIELD:
            wrapper = self.element(tag)
            wrapper.extend(_field_runs(element))
            if tag == "w:del":
                _to_deleted_text(wrapper)
            return wrapper
        if element.tag == qn("w:r") or element.tag in _MARKERS or element.tag in _WRAPPABLE:
            wrapper = self.element(tag)
            wrapper.append(element)
            if tag == "w:del":
                _to_deleted_text(element)
            return wrapper
        self.wrap_runs(element, tag)  # a link: its runs are marked, as Word does
        return element

    def track_properties(self, old: _Element, paragraph: _Element, new: _Element) -> None:
        """Records OLD's paragraph formatting (style, list, indents) as a formatting change where NEW's (new, whose
        copy paragraph is) reads otherwise, as the summary decides (compare.paragraph_properties_differ)."""
        before, after = _base_properties(old), _base_properties(paragraph)
        properties = paragraph.find(qn("w:pPr"))
        existing = properties.find(qn("w:pPrChange")) if properties is not None else None
        # The same list and level, numbered otherwise because the list's definition changed (1, 2 -> a, b; a
        # restart): OLD's definition is brought in, and the change records the paragraph's place in it.
        renumbered = self.lists_differ and list_definition_differs(old, paragraph, self.styles, (old, new))
        if (
            existing is None
            and not renumbered
            and not paragraph_properties_differ(old, paragraph, self.styles, (old, new))
        ):
            return
        if renumbered:
            if existing is not None:  # a kept change records NEW's list definition, not OLD's
                self.replace_kept(existing, recorded=True)
        elif _recorded_already(existing, "w:pPr", before, after, self):
            if existing is not None and self.lists_differ:
                # A kept change records OLD's list by OLD's id: where NEW defines that id otherwise, it is pointed
                # at OLD's definition, so rejecting it numbers the paragraph as OLD did.
                self.importer.renumber(existing)
            return
        if properties is None:
            properties = etree.Element(qn("w:pPr"))
            paragraph.insert(0, properties)
        change = self.element("w:pPrChange")
        recorded = etree.SubElement(change, qn("w:pPr"))
        recorded.extend(copy.deepcopy(e) for e in before)
        if renumbered and recorded.find(qn("w:numPr")) is None:
            # OLD numbered it through its style: its list and level are written out, naming OLD's definition.
            place = self.styles[0].paragraph_aspect(qn("w:numPr"), old, None)
            if place is not None:
                recorded.append(copy.deepcopy(place))
            else:  # OLD's style numbered nothing and NEW's does: "no list" written out (list 0), as Word writes it
                etree.SubElement(etree.SubElement(recorded, qn("w:numPr")), qn("w:numId"), {qn("w:val"): "0"})
        self.importer.renumber(recorded)
        _in_schema_order(recorded)
        properties.append(change)

    def track_mark(self, old: _Element, paragraph: _Element, new: _Element) -> None:
        """Records OLD's formatting of the paragraph's mark (the pilcrow's run properties) as Word records it, a
        formatting change inside the mark's own (w:pPr/w:rPr/w:rPrChange), where NEW's (new, whose copy paragraph
        is) reads otherwise through the styles."""
        before, after = _mark_formatting(old), _mark_formatting(paragraph)
        properties = paragraph.find(qn("w:pPr"))
        mark = properties.find(qn("w:rPr")) if properties is not None else None
        existing = mark.find(qn("w:rPrChange")) if mark is not None else None
        if existing is None and not mark_differs(old, paragraph, self.styles, (old, new)):
            return
        if _recorded_already(existing, "w:rPr", before, after, self):
            return
        if properties is None:
            properties = etree.Element(qn("w:pPr"))
            paragraph.insert(0, properties)
        if mark is None:
            mark = etree.Element(qn("w:rPr"))
            anchor = next((c for c in properties if c.tag in (qn("w:sectPr"), qn("w:pPrChange"))), None)
            (anchor.addprevious if anchor is not None else properties.append)(mark)
        change = self.element("w:rPrChange")
        recorded = etree.SubElement(change, qn("w:rPr"))
        recorded.extend(copy.deepcopy(e) for e in before)
        _in_schema_order(recorded)
        mark.append(change)

    def track_row(self, old: _Element, new: _Element) -> None:
        """Records OLD's row properties (repeat as header row, height...) in NEW's row as a formatting change
        (w:trPrChange) where a reader sees them otherwise (compare.row_properties_said), so Reject All restores
        them."""
        if not self.text_only:
            self._track_table_properties(old, new, "trPr", _ROW_MARKS, row_properties_said)

    def track_cell(self, old: _Element, new: _Element) -> None:
        """Records OLD's cell properties (shading, vertical merge, alignment...) in NEW's cell as a formatting
        change (w:tcPrChange) where a reader sees them otherwise (compare.cell_properties_said)."""
        if not self.text_only:
            self._track_table_properties(old, new, "tcPr", _CELL_MARKS, cell_properties_said)

    def _track_table_properties(
        self,
        old: _Element,
        new: _Element,
        name: str,
        marks: frozenset[str],
        said: Callable[[_Element, _Element], list[tuple[str, str]]],
    ) -> None:
        """As a paragraph's (_recorded_already): a change kept from NEW that records OLD's properties stands as
        its author left it; one recording others is taken away, and OLD's are recorded where they differ."""
        differs = bool(said(old, new))
        properties = new.find(qn(f"w:{name}"))
        existing = properties.find(qn(f"w:{name}Change")) if properties is not None else None
        if existing is not None:
            theirs = existing.find(qn(f"w:{name}"))
            recorded_by_them = etree.Element(new.tag)
            recorded_by_them.append(copy.deepcopy(theirs) if theirs is not None else etree.Element(qn(f"w:{name}")))
            if not said(old, recorded_by_them):
                return
            self.replace_kept(existing, recorded=differs)
        if not differs:
            return
        if properties is None:
            properties = etree.Element(qn(f"w:{name}"))
            # A row's properties follow its table-level exceptions (w:tblPrEx); a cell's come first.
            first = new.find(qn("w:tblPrEx")) if name == "trPr" else None
            (first.addnext if first is not None else lambda e: new.insert(0, e))(properties)
        change = self.element(f"w:{name}Change")
        recorded = etree.SubElement(change, qn(f"w:{name}"))
        before = old.find(qn(f"w:{name}"))
        recorded.extend(copy.deepcopy(e) for e in (before if before is not None else ()) if e.tag not in marks)
        properties.append(change)  # last, after any inserted or deleted mark (the schema's order)

    def track_section(self, section: _Element, old: _Element) -> None:
        """Records OLD's section layout in NEW's section properties as a formatting change, so Reject All restores
        it; its headers and footers stay NEW's (a section's recorded properties cannot name them). A change kept
        from NEW recording OLD's layout stands; one recording another gives way, as a paragraph's does."""
        existing = section.find(qn("w:sectPrChange"))
        same = not layout_differs(old, section)
        if existing is not None:
            recorded = existing.find(qn("w:sectPr"))
            if not layout_differs(old, recorded if recorded is not None else etree.Element(qn("w:sectPr"))):
                return
            self.replace_kept(existing, recorded=not same)
        if same:
            return
        change = self.element("w:sectPrChange")
        recorded = etree.SubElement(change, qn("w:sectPr"))
        recorded.extend(copy.deepcopy(child) for child in old if child.tag not in _NOT_RECORDED_IN_SECTIONS)
        section.append(change)

    def element(self, tag: str) -> _Element:
        return etree.Element(qn(tag), {_ID: str(next(self.ids)), _AUTHOR: self.author, _DATE: self.date})

    def wrap_runs(self, root: _Element, tag: str) -> None:
        """Wraps every run under root in w:ins or w:del; deleted text becomes w:delText."""
        for run in list(root.iter(qn("w:r"), *_MATH, *_MARKERS)):
            parent = run.getparent()
            if parent is None:
                continue
            revision = next((a for a in run.iterancestors(*_REVISIONS)), None)
            if revision is not None:
                outer = revision.getparent()
                if tag != "w:del" and revision.tag == qn("w:del") and outer is not None and outer.tag not in _REVISIONS:
                    # A deletion kept from NEW in content this redline inserts: inserted, then deleted, so that
                    # rejecting every change takes it away with the rest.
                    wrapper = self.element(tag)
                    outer.replace(revision, wrapper)
                    wrapper.append(revision)
                continue
            if run.tag in _MATH and parent.tag == f"{{{_M}}}oMathPara":
                continue  # the equation paragraph is wrapped whole
            wrapper = self.element(tag)
            parent.replace(run, wrapper)
            wrapper.append(run)
            if tag == "w:del":
                _to_deleted_text(run)

    def mark_paragraph(self, paragraph: _Element, tag: str) -> None:
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
        existing_insertion = run_properties.find(qn("w:ins"))
        if tag == "w:del" and existing_insertion is not None:  # inserted, then deleted: the schema's order
            existing_insertion.addnext(self.element(tag))
        else:
            run_properties.insert(0, self.element(tag))

    def mark_block(self, block: _Element, tag: str, *, marks: bool = True) -> None:
        """Marks a whole paragraph or table as inserted or deleted; with marks False, its paragraphs' marks stay
        unmarked."""
        for field in list(block.iter(_SIMPLE_FIELD)):
            parent = field.getparent()
            if parent is not None and not any(a.tag in _REVISIONS for a in field.iterancestors()):
                index = parent.index(field)
                parent.remove(field)
                for offset, run in enumerate(_field_runs(field)):
                    parent.insert(index + offset, run)
        self.wrap_runs(block, tag)
        for paragraph in list(block.iter(qn("w:p"))) if marks else []:  # the block itself comes first
            self.mark_paragraph(paragraph, tag)
        for row in block.iter(qn("w:tr")):
            row_properties = row.find(qn("w:trPr"))
            if row_properties is None:
                row_properties = etree.Element(qn("w:trPr"))
                anchor = row.find(qn("w:tblPrEx"))
                (anchor.addnext if anchor is not None else lambda e: row.insert(0, e))(row_properties)  # noqa: B023 - called at once
            if all(child.tag in (qn("w:ins"), qn("w:del"), qn("w:trPrChange")) for child in row_properties):
                # The schema wants at least one row property before a revision mark; this one is the default.
                row_properties.insert(0, etree.Element(qn("w:cantSplit"), {qn("w:val"): "off"}))
            change = row_properties.find(qn("w:trPrChange"))
            (change.addprevious if change is not None else row_properties.append)(self.element(tag))


#: What a section formatting change cannot record (the schema's CT_SectPrBase): headers, footers, a change; nor is
#: the printer's data, a relationship of OLD's package, copied into it.
_NOT_RECORDED_IN_SECTIONS = {
    qn("w:headerReference"),
    qn("w:footerReference"),
    qn("w:sectPrChange"),
    qn("w:printerSettings"),
}


@dataclass(frozen=True)
class Story:
    """A header, footer, note or comment to redline: NEW's part, its counterpart in OLD, and the alignment of
    their blocks; with note, a footnote or endnote edited where its reference stands, redlined inside NEW's note
    (new and old are then the notes parts). A comment so paired is left out: it is replaced whole, see
    write_redline."""

    new: Part
    old: Part
    steps: list[Step[BodyBlock]]
    root: _Element | None = None
    """The element of NEW's part whose blocks these are (a footnote of the footnotes part); the part's own root
    (a header's) where None."""
    note: NotePair | None = None


#: Every w:id attribute in an element and under it, in one XPath query (asking each element of a long body for its
#: w:id was a fiftieth of a diff).
_W_IDS = etree.XPath("descendant-or-self::*/@w:id", namespaces={"w": qn("w:id")[1:].split("}")[0]})

#: zlib's level for the redline's package: its default, a third of the time of the highest level for a tenth
#: more bytes (measured on the redline of a 200-page report in which every paragraph changed).
REDLINE_COMPRESSION = 6


def write_redline(
    *,
    new_document: DocxDocument,
    steps: list[Step[BodyBlock]],
    author: str,
    date: datetime,
    old_document: DocxDocument | None = None,
    stories: Sequence[Story] = (),
    text_only: bool = False,
    kept: bool = False,
    replaced: list[tuple[str, bool]] | None = None,
) -> bytes:
    """NEW with OLD's differences as tracked changes, packed repeatably; new_document is changed in place.

    steps is the alignment of the two bodies' blocks (from compare.compare_blocks). With old_document, what
    OLD's deleted content points at (pictures, links, notes, comments) is brought along, so nothing is lost.
    stories are headers and footers to redline the same way, each with its counterpart in OLD.
    kept says the blocks were read with NEW's own tracked changes kept (wordfile.read_body's tracked="keep"), so
    they stay in the redline with their own authors and dates; a formatting change of NEW's recording other
    formatting than OLD's gives way to the redline's own (a run, paragraph or mark holds one), and replaced
    (when given) is filled in with its author, one for each, and whether the redline's own stands in its place.
    """
    body = new_document.element.body
    # Revision ids must not clash with the ids of bookmarks, comments and the like already in the document.
    used = [int(v) for v in _W_IDS(body) if v.lstrip("-").isdigit()]
    comments = _comment_index(new_document.part)[2]
    if comments is not None:
        used += [int(v) for v in _W_IDS(comments) if v.lstrip("-").isdigit()]
    marker = _Marker(author=author, date=date, first_id=max(used, default=0) + 1)
    marker.text_only = text_only  # formatting changes (styles, bold...) left out
    marker.styles = (_styles_of(old_document if old_document is not None else new_document), _styles_of(new_document))
    marker.importer = _Importer(
        _Source(old_document if old_document is not None else new_document),
        new_document,
        next_id=marker.next_id,
        styles=marker.styles,
    )
    marker.importer.numbering = (marker.styles[0].numbering, marker.styles[1].numbering)
    marker.lists_differ = not text_only and (numberings_differ(marker.styles) or styles_differ(marker.styles))
    # A comment edited at the same place is still replaced whole: LibreOffice shows a comment's tracked changes
    # as its deleted and inserted words run together, and Word's own Compare does not track words in comments.
    stories = [story for story in stories if story.note is None or story.note.kind != "comment"]
    for story in stories:
        if story.note is not None:
            _pair_references(marker.importer, story.note)
    section = body.find(qn("w:sectPr"))
    steps = _join_last_pair(steps, get=_element_of)
    placed = _redline_in_place(steps, marker, get=_element_of)
    if placed is not None:
        content = list(placed)  # NEW's accepted body, section properties included
        section = None
    else:
        content = _redline_sequence(steps, marker, get=lambda block: block.element)
    _settle_marks([e for e in content if e.tag != qn("w:sectPr")], marker)
    for child in list(body):
        body.remove(child)
    for element in content:
        body.append(element)
    if section is not None:
        body.append(section)
    last_section, old_section = body.find(qn("w:sectPr")), _last_section(old_document)
    if (
        not text_only
        and last_section is not None
        and old_section is not None
        and (layout_differs(old_section, last_section) or last_section.find(qn("w:sectPrChange")) is not None)
    ):
        marker.track_section(last_section, old_section)
    body_importer = marker.importer
    for story in stories:  # headers and footers, whose pictures and links their own parts name
        marker.importer = body_importer.for_story(
            _Source(old_document if old_document is not None else new_document, story.old), story.new
        )
        if story.note is not None:
            root = _note_root(marker.importer, story.note)
        else:
            root = story.root if story.root is not None else _part_root(story.new)
        # A header or footer, like the body, always keeps its last paragraph mark; so does a note.
        placed = _redline_in_place(_join_last_pair(story.steps, get=_element_of), marker, get=_element_of)
        if placed is not None:
            for child in list(root):
                root.remove(child)
            root.extend(list(placed))
            _settle_marks(list(root), marker)
        if kept:
            split_kept_marks(root)
    if kept:
        split_kept_marks(body)
    if replaced is not None:
        replaced.extend(marker.replaced)
    _store_roots(new_document.part.package)
    _rename_clashing_parts(new_document.part.package)
    return pack_document(new_document, compresslevel=REDLINE_COMPRESSION)


def _pair_references(importer: _Importer, pair: NotePair) -> None:
    """Makes the references to a note redlined inside itself compare equal, so the reference stays as it is."""
    same = f"\x01{pair.kind} {pair.new_id}"
    importer.old.notes[pair.kind][1][pair.old_id] = same
    importer.new.notes[pair.kind][1][pair.new_id] = same


def _note_root(importer: _Importer, pair: NotePair) -> _Element:
    """NEW's footnote or endnote a pair names, in the tree the redline writes back (_note_index read it so)."""
    _part, _texts, root = importer.new.notes[pair.kind]
    notes = root.findall(qn(f"w:{pair.kind}")) if root is not None else []
    note = next((n for n in notes if n.get(qn("w:id")) == pair.new_id), None)
    if note is None:  # never: the comparison read the pair from this note
        raise ValueError(f"NEW has no {pair.kind} {pair.new_id}")
    return note


def _last_section(document: DocxDocument | None) -> _Element | None:
    """The section properties at the end of a document's body: its last section's layout."""
    return document.element.body.find(qn("w:sectPr")) if document is not None else None


def _redline_sequence(steps: list[Step[_B]], marker: _Marker, *, get: Callable[[_B], _Element]) -> list[_Element]:
    """The redline's blocks for one alignment, in order."""
    return [element for step in steps for element in _redline_step(step, marker, get=get)]


def _redline_step(step: Step[_B], marker: _Marker, *, get: Callable[[_B], _Element]) -> list[_Element]:
    """The redline's blocks for one step of an alignment."""
    marker.forget()
    old = get(step.old) if step.old is not None else None
    new = get(step.new) if step.new is not None else None
    if step.kind == StepKind.EQUAL and old is not None and new is not None:
        if (
            new.tag == qn("w:tbl")
            and not marker.text_only
            and (etree.tostring(old) != etree.tostring(new) or marker.lists_differ)
        ):
            return [_redline_table(old, new, marker)]  # the same words, formatted or numbered otherwise in a cell
        if new.tag != qn("w:p"):
            return [new]
        if _differs(old, new, marker) and not (marker.text_only and _same_objects(old, new, marker)):
            return _with_section_change(_redline_paragraph(old, new, marker), old, new, marker)
        return _with_section_change(new, old, new, marker)
    if step.kind == StepKind.ADDED and new is not None:
        marker.mark_block(new, "w:ins")
        return [new]
    if step.kind == StepKind.REMOVED and old is not None:
        return [_deleted_copy(old, marker)]
    if step.kind == StepKind.MOVED_FROM and old is not None:
        return [marker.mark_move(_deleted_copy(old, marker, tag="w:moveFrom"), "From", key=id(step.old))]
    if step.kind == StepKind.MOVED_TO and new is not None:
        marker.mark_block(new, "w:moveTo")
        return [marker.mark_move(new, "To", key=id(step.old))]
    if old is None or new is None:  # never: only the kinds above have one side
        raise ValueError(f"a {step.kind} step needs both of its sides")
    if new.tag == qn("w:tbl"):
        return [_redline_table(old, new, marker, step.rows)]
    if new.tag == qn("w:p") and old.tag == qn("w:p"):
        return _with_section_change(_redline_paragraph(old, new, marker, step.words), old, new, marker)
    deleted = _deleted_copy(old, marker)
    marker.mark_block(new, "w:ins")
    return [deleted, new]


def _with_section_change(paragraph: _Element, old: _Element, new: _Element, marker: _Marker) -> list[_Element]:
    """The redline of a paragraph (NEW's, or its redline) whose mark ends a section in one version and not in the
    other, or ends sections of another layout.

    Word keeps a section break in the paragraph mark that ends the section, so a break added or taken away is
    that mark replaced: the paragraph keeps the mark holding the break (NEW's, inserted; or OLD's, deleted) and
    an empty paragraph after it has the other version's mark (OLD's, deleted; or NEW's, inserted). Accepting or
    rejecting joins one of the two to the next paragraph, and the break goes with its mark. The break stays with
    the paragraph's words because LibreOffice drops an empty paragraph that only holds a section break. A section
    whose layout alone changed (orientation, margins, columns) records OLD's as a section formatting change."""
    before, after = section_break(old), section_break(new)
    if before is None and after is None:
        return [paragraph]
    if before is not None and after is not None:
        held = section_break(paragraph)
        if (
            not marker.text_only
            and held is not None
            and (layout_differs(before, after) or held.find(qn("w:sectPrChange")) is not None)
        ):
            marker.track_section(held, before)
        return [paragraph]
    own = paragraph.find(qn("w:pPr"))
    theirs = old.find(qn("w:pPr"))
    ended = etree.Element(qn("w:p"))
    if after is None:  # taken away: the paragraph takes OLD's mark, and the empty one NEW's
        if own is not None:
            paragraph.remove(own)
            ended.append(own)
        if theirs is not None:
            paragraph.insert(0, marker.importer.bring(theirs))
    elif theirs is not None:  # added: the empty paragraph has OLD's mark
        ended.append(marker.importer.bring(theirs))
    for change in [*paragraph.iterfind(f"{qn('w:pPr')}/{qn('w:pPrChange')}"), *ended.iter(qn("w:pPrChange"))]:
        if marker.stamped(change):  # the mark itself is replaced: no formatting change of this redline's to record
            parent_of(change).remove(change)
    marker.mark_paragraph(paragraph, "w:ins" if after is not None else "w:del")
    marker.mark_paragraph(ended, "w:del" if after is not None else "w:ins")
    return [paragraph, ended]


def _redline_in_place(
    steps: list[Step[_B]],
    marker: _Marker,
    *,
    get: Callable[[_B], _Element],
    container: _Element | None = None,
) -> _Element | None:
    """NEW's body (or container, a table cell) with each block replaced by its redline where it stands, so what
    holds blocks in NEW (content controls such as a table of contents, bookmarks between paragraphs) is kept;
    OLD's deleted blocks go after the block before them. None when NEW has no blocks to stand on."""
    first = next((get(step.new) for step in steps if step.new is not None), None)
    if first is None:
        return None
    root = container
    if root is None:
        root = first
        while (parent := root.getparent()) is not None:
            root = parent
    # Before NEW's first block: at the very start of the body, or after a cell's own properties.
    start = 1 if len(root) and root[0].tag == qn("w:tcPr") else 0
    anchor = None
    for step in steps:
        if step.kind == StepKind.CHANGED and step.old is not None and step.new is not None:
            placed = _redline_control_change(get(step.old), get(step.new), marker)
            if placed is not None:
                anchor = placed
                continue
        if step.kind in (StepKind.EQUAL, StepKind.CHANGED) and step.old is not None and step.new is not None:
            placed = _redline_split_control(get(step.old), get(step.new), marker)
            if placed is not None:
                anchor = placed
                continue
        produced = _redline_step(step, marker, get=get)
        if step.new is None:
            depth = _control_depth(get(step.old)) if step.old is not None else 0
            for element in produced:
                if anchor is None:
                    _place_first(element, first, depth, root=root, start=start)
                else:
                    _place_after(element, anchor, depth)
                anchor = _in_old_controls(element, get(step.old), depth, marker) if step.old is not None else element
                _settle_control_end(element, marker)
            continue
        new = get(step.new)
        position, before = new, True
        for element in produced:
            if element is new:
                before, position = False, new
            elif before:
                new.addprevious(element)
            else:
                position.addnext(element)
                position = element
        if not any(element is new for element in produced):
            parent_of(new).remove(new)
        if step.old is not None and len(produced) == 2 and produced[0] is new:
            _ended_out_of_controls(produced[1])
        if step.old is None:
            for element in produced:
                _settle_control_end(element, marker)
        anchor = produced[-1]
    return root


_WRAPPERS = (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"))


def _redline_control_change(old: _Element, new: _Element, marker: _Marker) -> _Element | None:
    """A paragraph or table put into a content control, taken out of one, or whose controls changed otherwise
    (nested deeper, renamed), redlined where it stands; the element that comes last in OLD's order, for what OLD
    deleted after it; None when the controls around it are the same.

    Word has no tracked change for a control alone, so the block is deleted on one side and inserted on the
    other, each copy in its own controls: OLD's in copies of the controls NEW has not (the next block taken from
    the same control joins the same copy), NEW's in its own. OLD's copy goes after NEW's control where NEW's
    block stands in one OLD's did not, else before NEW's block; a block taken from the end of a control goes
    back into NEW's control just before it. A paragraph's mark at the end of a control is settled so that
    nothing is joined across the end of the control (_settle_control_end)."""
    if old.tag != new.tag or old.tag not in (qn("w:p"), qn("w:tbl")):
        return None
    controls = block_controls(old), block_controls(new)
    if controls[0] == controls[1]:
        return None
    marker.forget()
    shared = next((n for n, (a, b) in enumerate(zip(*controls, strict=False)) if a != b), min(map(len, controls)))
    extra_old, extra_new = controls_around(old)[shared:], controls_around(new)[shared:]
    if shared and extra_new and not extra_old and _holds_only(parent_of(extra_new[0]), extra_new[0]):
        # A control put around all that another holds: OLD's copy would end that control with nothing after it in
        # the control to join, so the other control is given back whole, deleted after NEW's (emptied either way).
        shared -= 1
        extra_old, extra_new = controls_around(old)[shared:], controls_around(new)[shared:]
    marker.mark_block(new, "w:ins")
    copied = _deleted_copy(old, marker)
    last: _Element = new
    holder = marker.control_copies.get(extra_old[-1]) if extra_old else None
    reopened = _control_before(old, new, extra_old[0]) if extra_old and not extra_new and holder is None else None
    top: _Element | None = marker.copy_tops.get(extra_old[-1]) if holder is not None else None
    if holder is not None:
        holder.append(copied)
        if extra_new:
            last = marker.placed_after.get(extra_new[0], last)
    elif reopened is not None:  # the end of a control NEW still has: back into it
        reopened.append(_control_copies(extra_old[1:], copied, marker) if extra_old[1:] else copied)
        marker.control_copies.setdefault(extra_old[-1], parent_of(copied))
    elif extra_old and not extra_new and (started := _control_after(old, new, extra_old[0])) is not None:
        # The start of a control NEW still has: into it, before what it holds.
        started.insert(0, _control_copies(extra_old[1:], copied, marker) if extra_old[1:] else copied)
    else:
        top = _control_copies(extra_old, copied, marker)
        if extra_old:
            marker.copy_tops[extra_old[-1]] = top
        if extra_new:
            outermost = extra_new[0]
            if outermost in marker.placed_after:
                marker.placed_after[outermost].addnext(top)
            elif _ends_in_table(outermost):
                # A paragraph deleted after a control ending in a table could join nothing: OLD's copy goes
                # before the control instead, and its mark to the paragraph before it (as before any table).
                outermost.addprevious(top)
            else:
                outermost.addnext(top)
            marker.placed_after[outermost] = last = top
        else:
            new.addprevious(top)
    if not extra_new and top is not None and _ends_in_table(extra_old[0]):
        # Likewise NEW's paragraph could join nothing before a copy of a control ending in a table: the copy
        # goes after NEW's block (moved along as the control's next blocks come).
        new.addnext(top)
        last = top
    _settle_control_end(copied, marker)
    _settle_control_end(new, marker)
    return last


def _in_old_controls(element: _Element, old: _Element, depth: int, marker: _Marker) -> _Element:
    """A deleted block of OLD placed where no control of NEW holds it as OLD's controls did (a control deleted
    with all it held): put in copies of the controls it lacks, so Reject All gives them back. The element that
    comes last in OLD's order is given back."""
    lacking = depth - _control_depth(element)
    controls = controls_around(old)
    if lacking <= 0 or lacking > len(controls):
        return element
    place = element.getprevious()
    parent = parent_of(element)
    parent.remove(element)
    top = _control_copies(controls[len(controls) - lacking :], element, marker)
    (place.addnext if place is not None else lambda e: parent.insert(0, e))(top)
    return element


def _control_copies(controls: list[_Element], block: _Element, marker: _Marker) -> _Element:
    """The block in copies of OLD's controls, nested as they were (the outermost given back); the content of the
    innermost copy is kept by the marker, for the next block of OLD taken from that control."""
    inner = block
    for control in reversed(controls):
        shell = etree.Element(qn("w:sdt"))
        shell.extend(marker.importer.bring(c) for c in control if c.tag != qn("w:sdtContent"))
        content = etree.Element(qn("w:sdtContent"))
        content.append(inner)
        shell.insert(len([c for c in shell if c.tag == qn("w:sdtPr")]), content)
        if control is controls[-1]:
            marker.control_copies[control] = content
        inner = shell
    return inner


def _holds_only(content: _Element, block: _Element) -> bool:
    """Whether a content control's content holds no paragraph, table or control but the block."""
    return all(c is block for c in content if c.tag in (qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:customXml")))


def _ends_in_table(control: _Element) -> bool:
    """Whether a content control's last paragraph or table is a table."""
    content = control.find(qn("w:sdtContent"))
    blocks = list(inside_controls(content, qn("w:p"), qn("w:tbl"))) if content is not None else []
    return bool(blocks) and blocks[-1].tag == qn("w:tbl")


def _control_before(old: _Element, new: _Element, control: _Element) -> _Element | None:
    """The content of NEW's control standing just before a block, where it is the control (by name) that held
    the block and what came before it in OLD: the control now ends before the block."""
    previous = new.getprevious()
    content = control.find(qn("w:sdtContent"))
    held_more = content is not None and next(inside_controls(content, qn("w:p"), qn("w:tbl")), old) is not old
    if previous is None or previous.tag != qn("w:sdt") or not held_more:
        return None
    if control_label(previous) != control_label(control) or control_tag(previous) != control_tag(control):
        return None
    return previous.find(qn("w:sdtContent"))


def _control_after(old: _Element, new: _Element, control: _Element) -> _Element | None:
    """The content of NEW's control standing just after a block, where it is the control (by name) that held the
    block and what came after it in OLD: the control now starts after the block. The block's inserted mark goes to
    the paragraph before it (_settle_marks), which there must be."""
    following, previous = new.getnext(), new.getprevious()
    content = control.find(qn("w:sdtContent"))
    held = list(inside_controls(content, qn("w:p"), qn("w:tbl"))) if content is not None else []
    if following is None or following.tag != qn("w:sdt") or not held or held[-1] is old:
        return None
    if previous is None or previous.tag not in (qn("w:p"), qn("w:sdt")) or _ends_in_table(previous):
        # No paragraph before takes NEW's inserted mark, which cannot join the control: OLD's control is given
        # back whole, deleted, before NEW's block (_redline_split_control), and emptied on Accept All.
        return None
    if control_label(following) != control_label(control) or control_tag(following) != control_tag(control):
        return None
    return following.find(qn("w:sdtContent"))


def _redline_split_control(old: _Element, new: _Element, marker: _Marker) -> _Element | None:
    """A paragraph or table that stays in a content control of its name, but not in the one OLD's control was
    given back into (a paragraph taken out of the middle of a control splits it in two): deleted into that one
    after what it holds, and inserted where it stands, so Reject All gives one control and Accept All two. Or
    one in a NEW control after which OLD's paragraphs were given back (two controls of one name joined into one):
    deleted in a copy of its own control after them, so Reject All gives two controls and Accept All one. The
    element that comes last in OLD's order; None for any other block."""
    if old.tag != new.tag or old.tag not in (qn("w:p"), qn("w:tbl")):
        return None
    holder = next((marker.control_copies[c] for c in controls_around(old) if c in marker.control_copies), None)
    around = controls_around(new)
    joined = next((n for n, c in enumerate(around) if c in marker.placed_after), None)
    if holder is not None and any(a is parent_of(holder) for a in new.iterancestors()):
        holder = None
    if holder is None and joined is None:
        return None
    marker.forget()
    marker.mark_block(new, "w:ins")
    copied = _deleted_copy(old, marker)
    if holder is not None:
        holder.append(copied)
    else:  # NEW's control joins two of OLD's: OLD's second is given back, deleted, after what OLD had between
        assert joined is not None
        top = _control_copies(controls_around(old)[joined:], copied, marker)
        marker.placed_after[around[joined]].addnext(top)
        marker.placed_after[around[joined]] = top
    _settle_control_end(copied, marker)
    _settle_control_end(new, marker)
    return copied


def _settle_control_end(block: _Element, marker: _Marker) -> None:
    """A marked paragraph mark that ends a content control would join the paragraph after the control when it
    goes: it is given to the paragraph before it in the control (which then joins it, as at the end of the
    body), or, where every paragraph before it goes the same way, taken off, so the emptied control goes."""
    if block.tag != qn("w:p") or parent_of(block).tag != qn("w:sdtContent") or not _ends_control(block):
        return
    _settle_last_paragraph(list(parent_of(block)), marker)
    marks = block.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    if marks is not None:
        for mark in [m for m in marks if m.tag in _MARK_SIDES and marker.stamped(m)]:
            marks.remove(mark)


def _ended_out_of_controls(ended: _Element) -> None:
    """The empty paragraph holding the other version's mark, after a paragraph whose section break was added or
    taken away, goes after the content controls whose last paragraph it would be: inside them, the side on which
    its mark goes would join the paragraph after the controls into them; after them, it joins that paragraph
    there, and the other side joins it to the paragraph with the break, inside, as before."""
    if ended.tag != qn("w:p") or ended.find(qn("w:r")) is not None:
        return
    node, last = ended, None
    while parent_of(node).tag == qn("w:sdtContent") and _ends_control(node):
        node = last = _wrapper(node)
    if last is not None:
        last.addnext(ended)


def _ends_control(block: _Element) -> bool:
    """Whether no paragraph or table follows the block inside the content control holding it."""
    return not any(s.tag in (qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:customXml")) for s in block.itersiblings())


def _control_depth(block: _Element) -> int:
    """How many content controls (or custom XML elements) hold a block within its body or cell."""
    depth, parent = 0, block.getparent()
    while parent is not None and parent.tag in _WRAPPERS:
        depth += parent.tag != qn("w:sdtContent")
        parent = parent.getparent()
    return depth


def _wrapper(block: _Element) -> _Element:
    """The content control (or custom XML) directly holding a block."""
    parent = parent_of(block)
    return parent_of(parent) if parent.tag == qn("w:sdtContent") else parent


def _place_first(element: _Element, first: _Element, depth: int, *, root: _Element, start: int) -> None:
    """Puts a deleted block of OLD that came before every block of NEW where it stood: inside the content
    controls holding NEW's first block as far as it stood inside controls in OLD (a cell's first paragraph
    deleted inside a cell-level control stays inside it, so that accepting joins nothing outside the control),
    else at the very start."""
    node = first
    while _control_depth(node) > depth and node.getprevious() is None:
        node = _wrapper(node)
    if _control_depth(node) == 0:
        root.insert(start, element)
    else:
        node.addprevious(element)


def _place_after(element: _Element, anchor: _Element, depth: int) -> None:
    """Puts a deleted block of OLD after the block before it in the redline, inside or outside the content
    controls around it as it stood in OLD: out of a control it ended, or into one that starts just after."""
    node = anchor
    while _control_depth(node) > depth and node.getnext() is None:
        node = _wrapper(node)
    following = node.getnext()
    while _control_depth(node) < depth and following is not None and following.tag in (qn("w:sdt"), qn("w:customXml")):
        holder = following.find(qn("w:sdtContent")) if following.tag == qn("w:sdt") else following
        inner = next((c for c in holder if c.tag != qn("w:customXmlPr")), None) if holder is not None else None
        if inner is None:
            break
        inner.addprevious(element)
        node, following = element, inner
    if element.getparent() is None:
        node.addnext(element)


def _join_last_pair(steps: list[Step[_B]], get: Callable[[_B], _Element]) -> list[Step[_B]]:
    """The document's last paragraph removed and another added in its place is that paragraph edited: Word
    keeps the last paragraph mark of a document whatever is accepted or rejected, so only one may stand there."""
    if len(steps) >= 2 and {steps[-1].kind, steps[-2].kind} == {StepKind.ADDED, StepKind.REMOVED}:
        old = steps[-1].old if steps[-1].old is not None else steps[-2].old
        new = steps[-1].new if steps[-1].new is not None else steps[-2].new
        if old is not None and new is not None and get(old).tag == qn("w:p") and get(new).tag == qn("w:p"):
            return steps[:-2] + [Step(StepKind.CHANGED, old, new)]
    return steps


def _settle_marks(content: list[_Element], marker: _Marker) -> None:
    """Moves inserted or deleted marks off paragraphs that cannot join the next one: the last of the body or a
    cell, and one standing just before a table (Word and LibreOffice leave such a paragraph empty rather than join
    it into the table) or a content control (whose paragraphs would leave it, or hold one more)."""
    for index, element in enumerate(content[:-1]):
        if element.tag == qn("w:p") and (
            _starts_with_table(content[index + 1]) or content[index + 1].tag == qn("w:sdt")
        ):
            _settle_last_paragraph(content[: index + 1], marker)
    _settle_last_paragraph(content, marker)


def _starts_with_table(element: _Element) -> bool:
    """A table, or a content control or custom XML whose first block is a table (a table in a content control)."""
    if element.tag in (qn("w:sdt"), qn("w:customXml")):
        holder = element.find(qn("w:sdtContent")) if element.tag == qn("w:sdt") else element
        first = next(inside_controls(holder, qn("w:p"), qn("w:tbl")), None) if holder is not None else None
        return first is not None and first.tag == qn("w:tbl")
    return element.tag == qn("w:tbl")


def _settle_last_paragraph(content: list[_Element], marker: _Marker) -> None:
    """Moves an inserted or deleted mark off the body's last paragraph, as Word does: the last mark always stays.

    The mark goes to the nearest paragraph before it whose mark is not already so marked, so accepting (or
    rejecting) joins that paragraph into the last one; the last one takes its formatting on that side.
    """
    if not content or content[-1].tag != qn("w:p"):
        return
    last = content[-1]
    mark = last.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    tracked = next((m for m in mark if m.tag in _MARK_SIDES), None) if mark is not None else None
    if tracked is None or mark is None or not marker.stamped(tracked):
        return  # unmarked, or marked by a tracked change kept from NEW, which stays as its author left it
    # A paragraph moved to (or from) the end is, for its mark, one inserted (or deleted): the move's words stay
    # a move, and the mark that goes to the paragraph before it is an insertion (or a deletion).
    side = _MARK_SIDES[str(tracked.tag)]
    target = None
    for element in _blocks_back(content[:-1]):
        if element.tag in _MARKERS:
            continue  # a bookmark between paragraphs takes no room
        if element.tag != qn("w:p"):
            return  # a table stands between: nothing to join
        marks = element.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
        if marks is None or not any(_MARK_SIDES.get(str(m.tag)) == side for m in marks):
            target = element
            break
    if target is None:
        return
    mark.remove(tracked)
    if section_break(target) is not None:
        # The paragraph before ends a section: joined into the last one, its break would go with its mark and the
        # version keeping it would be one section short. Both stay, and the side with the break keeps an empty
        # paragraph after it (as Word and LibreOffice show a document whose last paragraph holds a break).
        return
    marker.mark_paragraph(target, side)
    held = section_break(last)
    if held is not None:
        # A paragraph holding only a break, added or removed: the paragraph before takes the break with the mark, so
        # the side without it has no break left; the side with it has the break after that paragraph's words and the
        # empty paragraph after the break.
        nearest = next(e for e in _blocks_back(content[:-1]) if e.tag not in _MARKERS)
        properties = nearest.find(qn("w:pPr"))  # never None: the mark went to it or it already had one
        if properties is not None and section_break(nearest) is None:  # a paragraph holds one break at most
            properties.append(held)
            _in_schema_order(properties)
    joined, own = _base_properties(target), _base_properties(last)
    if [_canonical(e) for e in joined] == [_canonical(e) for e in own]:
        return
    properties = last.find(qn("w:pPr"))
    if properties is None:  # never: the mark found above is inside it
        return
    change = marker.element("w:pPrChange")
    if side == "w:del":
        # Accepting joins the target into the last paragraph, which then looks like the target (NEW).
        for child in own:
            properties.remove(child)
        for index, child in enumerate(joined):
            properties.insert(index, copy.deepcopy(child))
        etree.SubElement(change, qn("w:pPr")).extend(copy.deepcopy(e) for e in own)
    else:
        # Rejecting joins the target into the last paragraph, which then looks as the target did (OLD).
        etree.SubElement(change, qn("w:pPr")).extend(copy.deepcopy(e) for e in joined)
    _in_schema_order(change[0])
    properties.append(change)


#: The marks a paragraph's mark may carry, by the side it belongs to: inserted (or moved to) or deleted (or moved
#: away).
_MARK_SIDES = {qn("w:ins"): "w:ins", qn("w:moveTo"): "w:ins", qn("w:del"): "w:del", qn("w:moveFrom"): "w:del"}


def _blocks_back(content: list[_Element]) -> Iterator[_Element]:
    """The blocks before a last paragraph, nearest first; a content control just before it (a chart or a title in
    one) gives its own blocks and ends the walk, for the mark goes to its last paragraph not yet so marked and
    rejecting (or accepting) joins the last paragraph to it across the end of the control, as LibreOffice does.
    Without it, a paragraph added after a control that ended the document left an empty paragraph on Reject All."""
    for element in reversed(content):
        if element.tag not in (qn("w:sdt"), qn("w:customXml")):
            yield element
            continue
        holder = element.find(qn("w:sdtContent")) if element.tag == qn("w:sdt") else element
        inner = list(inside_controls(holder, qn("w:p"), qn("w:tbl"))) if holder is not None else []
        yield from reversed(inner)
        return


_KEPT_PARAGRAPH_CHANGE = f"{qn('w:pPr')}/{qn('w:pPrChange')}"
_KEPT_MARK_CHANGE = f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:rPrChange')}"
_KEPT_RUN_CHANGE = f".//{qn('w:r')}/{qn('w:rPr')}/{qn('w:rPrChange')}"


def _differs(old: _Element, new: _Element, marker: _Marker) -> bool:
    """Whether two paragraphs of equal text differ in an object (a picture, a link, a note) or their formatting."""
    objects = _has_objects(old) or _has_objects(new)
    if objects and not _same_objects(old, new, marker):
        return True
    if marker.text_only:
        return False
    if marker.lists_differ and list_definition_differs(old, new, marker.styles, (old, new)):
        return True  # the same XML, numbered otherwise: its list's definition changed
    if (
        new.find(_KEPT_PARAGRAPH_CHANGE) is not None
        or new.find(_KEPT_MARK_CHANGE) is not None
        or new.find(_KEPT_RUN_CHANGE) is not None
    ):
        return True  # a formatting change kept from NEW: redlined, to see whether it records OLD's
    if not objects and etree.tostring(old) == etree.tostring(new):
        # The same XML, byte for byte, and nothing that points elsewhere in its package: nothing differs. Most
        # paragraphs of two versions are such; comparing them element by element was a tenth of a long diff.
        return False
    if _box_formatting(old) != _box_formatting(new):
        return True
    if _note_mark_formatting(old) != _note_mark_formatting(new):
        return True
    if (
        _run_formatting(old) == _run_formatting(new)
        and [_canonical(e) for e in _mark_formatting(old)] == [_canonical(e) for e in _mark_formatting(new)]
        and [_canonical(e) for e in _base_properties(old)] == [_canonical(e) for e in _base_properties(new)]
    ):
        return False
    # Formatting written otherwise: a difference where it reads otherwise through each version's styles.
    return formatting_differs(old, new, marker.styles, (old, new))


def _note_mark_formatting(paragraph: _Element) -> list[bytes]:
    """The formatting of the paragraph's footnote and endnote reference marks, which hold no words."""
    return [_clean_properties(_without_change(run.find(qn("w:rPr")))) for _kind, run in note_mark_runs(paragraph)]


def _run_formatting(paragraph: _Element) -> list[list[Any]]:
    """The paragraph's text in stretches of one run formatting, to see whether formatting alone changed."""
    out: list[list[Any]] = []
    for run in paragraph.iter(qn("w:r")):
        properties = run.find(qn("w:rPr"))
        key = _canonical(properties)[1:] if properties is not None else None
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if out and out[-1][0] == key:
            out[-1][1] += text
        elif text:
            out.append([key, text])
    return out


def _has_objects(paragraph: _Element) -> bool:
    """Whether a paragraph holds anything besides plain runs of text (most paragraphs do not)."""
    for child in paragraph:
        if child.tag == qn("w:r"):
            if any(piece.tag not in _PLAIN_RUN_CHILDREN for piece in child):
                return True
        elif child.tag != qn("w:pPr") and child.tag not in _DROPPED:
            return True
    return False


def _same_objects(old: _Element, new: _Element, marker: _Marker) -> bool:
    return marker.atoms(old, old=True).object_keys() == marker.atoms(new, old=False).object_keys()


_SIMPLE_FIELD = qn("w:fldSimple")


def _field_runs(field: _Element) -> list[_Element]:
    """A simple field (w:fldSimple) as the runs of the same complex field: begin, instruction, separator, its result,
    end. A revision can only hold runs, and marking the runs inside a simple field left the field itself behind:
    accepting a deleted one (or rejecting an inserted one) kept an empty field, which Word fills in again when it
    updates fields."""
    properties = next((r.find(qn("w:rPr")) for r in field.iter(qn("w:r")) if r.find(qn("w:rPr")) is not None), None)

    def run(child: _Element) -> _Element:
        made = etree.Element(qn("w:r"))
        if properties is not None:
            made.append(copy.deepcopy(properties))
        made.append(child)
        return made

    begin = etree.Element(qn("w:fldChar"), {qn("w:fldCharType"): "begin"})
    for name in ("w:fldLock", "w:dirty"):
        if field.get(qn(name)) is not None:
            begin.set(qn(name), field.get(qn(name), ""))
    instruction = etree.Element(qn("w:instrText"))
    instruction.text = f" {(field.get(qn('w:instr')) or '').strip()} "
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    result = [child for child in field if child.tag != qn("w:fldData")]
    return [
        run(begin),
        run(instruction),
        run(etree.Element(qn("w:fldChar"), {qn("w:fldCharType"): "separate"})),
        *result,
        run(etree.Element(qn("w:fldChar"), {qn("w:fldCharType"): "end"})),
    ]


def _to_deleted_text(element: _Element) -> None:
    for text in element.iter(qn("w:t"), qn("w:instrText")):
        text.tag = qn("w:delText") if text.tag == qn("w:t") else qn("w:delInstrText")


def _deleted_copy(element: _Element, marker: _Marker, *, tag: str = "w:del", marks: bool = True) -> _Element:
    """A copy of an old block, with what it points at in OLD's package brought along, marked as deleted
    (or as moved away, with tag w:moveFrom); with marks False, its paragraph marks are not."""
    copied = marker.importer.bring(element)
    if marker.lists_differ:
        _keep_style_lists(element, copied, marker)
    marker.mark_block(copied, tag, marks=marks)
    return copied


def _keep_style_lists(old: _Element, copied: _Element, marker: _Marker) -> None:
    """A paragraph of OLD's numbered through its style keeps OLD's numbers in its copy: where the style's list
    is defined otherwise in NEW, the copy names the list brought in from OLD in its own properties."""
    originals = [old] if old.tag == qn("w:p") else list(old.iter(qn("w:p")))
    copies = [copied] if copied.tag == qn("w:p") else list(copied.iter(qn("w:p")))
    for original, paragraph in zip(originals, copies, strict=False):
        properties = paragraph.find(qn("w:pPr"))
        if properties is not None and properties.find(qn("w:numPr")) is not None:
            continue  # its own list, already pointed at OLD's by the importer
        place = marker.styles[0].paragraph_aspect(qn("w:numPr"), original, None)
        if place is None:
            continue
        number = place.find(qn("w:numId"))
        if number is None or marker.importer.num_id(number.get(qn("w:val"), "")) == number.get(qn("w:val")):
            continue
        if properties is None:
            properties = etree.Element(qn("w:pPr"))
            paragraph.insert(0, properties)
        listed = copy.deepcopy(place)
        marker.importer.renumber(listed)
        properties.append(listed)
        _in_schema_order(properties)


class _Runs:
    """Writes a paragraph's runs as XML text and reads them in at once, before the next object or at the end.

    A redline of a long document has tens of thousands of runs, each with its formatting, text and often a
    w:ins or w:del around it; building each as lxml elements costs several element creations apiece, while
    libxml2 reads the same XML text many times faster. Objects (pictures, fields, links) stay elements."""

    def __init__(self, paragraph: _Element, marker: _Marker) -> None:
        self.paragraph = paragraph
        self.marker = marker
        self.parts: list[str] = []
        self.stamp = f'w:author="{_attribute(marker.author)}" w:date="{marker.date}"'
        self.boarded: set[int] = set()

    def open(self, state: str) -> None:
        """Starts a w:ins or w:del (tag given as "w:ins") with the marker's next id."""
        self.parts.append(f'<{state} w:id="{self.marker.next_id()}" {self.stamp}>')

    def open_kept(self, kept: _Element) -> None:
        """Starts a copy of a tracked deletion kept from NEW: its own author and date, a fresh id."""
        stamp = " ".join(
            f'w:{etree.QName(name).localname}="{_attribute(value)}"'
            for name, value in kept.attrib.items()
            if name in (_AUTHOR, _DATE)
        )
        self.parts.append(f'<w:del w:id="{self.marker.next_id()}" {stamp}>')

    def close(self, state: str) -> None:
        self.parts.append(f"</{state}>")

    def run(self, text: str, properties: bytes, *, deleted: bool = False, before: bytes | None = None) -> None:
        """One run of text in one formatting; tabs and line breaks become Word's own elements. With before,
        the run's formatting records that one as a formatting change (b"" for none)."""
        formatting = _properties_text(properties) if properties else ""
        if before is not None and b"rPrChange" in properties:
            # A run holds one formatting change: one kept from NEW (--keep-existing) recording OLD's formatting
            # stands as its author left it; one recording other formatting gives way to this redline's own.
            properties, before = _kept_run_change(properties, before, self.marker)
            formatting = _properties_text(properties) if properties else ""
        if before is not None:
            change = (
                f'<w:rPrChange w:id="{self.marker.next_id()}" {self.stamp}>'
                f"{_properties_text(before) if before else '<w:rPr/>'}</w:rPrChange>"
            )
            if not formatting:
                formatting = f"<w:rPr>{change}</w:rPr>"
            elif formatting.endswith("/>"):
                formatting = f"{formatting[:-2]}>{change}</w:rPr>"
            else:
                formatting = f"{formatting[: -len('</w:rPr>')]}{change}</w:rPr>"
        tag = "w:delText" if deleted else "w:t"
        if "\t" not in text and "\n" not in text:  # most runs: one piece of text
            content = f'<{tag} xml:space="preserve">{_character_data(text)}</{tag}>' if text else ""
            self.parts.append(f"<w:r>{formatting}{content}</w:r>")
            return
        pieces = [formatting]
        for part in _BREAKS.split(text):
            if part == "\t":
                pieces.append("<w:tab/>")
            elif part == "\n":
                pieces.append("<w:br/>")
            elif part:
                pieces.append(f'<{tag} xml:space="preserve">{_character_data(part)}</{tag}>')
        self.parts.append(f"<w:r>{''.join(pieces)}</w:r>")

    def element(self, element: _Element) -> None:
        """An object, after the runs written so far."""
        self.flush()
        self.paragraph.append(element)

    def flush(self) -> None:
        if not self.parts:
            return
        holder = etree.fromstring(f'<w:holder xmlns:w="{_W_NAMESPACE}">{"".join(self.parts)}</w:holder>')
        self.paragraph.extend(list(holder))
        self.parts = []


def _kept_run_change(properties: bytes, before: bytes, marker: _Marker) -> tuple[bytes, bytes | None]:
    """A run's formatting holding a formatting change kept from NEW, and OLD's formatting (before) to record: the
    change stands, with nothing to record, where it records OLD's; else it is taken away and OLD's is recorded
    where it differs from the run's."""
    holder = etree.fromstring(properties)
    change = holder.find(qn("w:rPrChange"))
    if change is None:
        return properties, before
    recorded = change.find(qn("w:rPr"))
    if _same_formatting(_clean_properties(recorded) if recorded is not None else b"", before):
        return properties, None
    holder.remove(change)
    bare = _clean_properties(holder) if len(holder) else b""
    same = _same_formatting(bare, before)
    marker.replace_kept(change, recorded=not same)
    return bare, None if same else before


@functools.lru_cache(maxsize=256)
def _properties_text(properties: bytes) -> str:
    """Serialised run formatting as XML text to stand inside a w:r, the w namespace declared by the holder."""
    return properties.decode("utf-8").replace(f' xmlns:w="{_W_NAMESPACE}"', "", 1)


def _character_data(text: str) -> str:
    """Text escaped for XML character data; a carriage return kept as such rather than read as a line end."""
    if not _ESCAPED.search(text):
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attribute(text: str) -> str:
    return _character_data(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


_BREAKS = re.compile(r"([\t\n])")
_ESCAPED = re.compile(r"[&<>\r]")
_ID, _AUTHOR, _DATE = qn("w:id"), qn("w:author"), qn("w:date")


def _redline_table(old: _Element, new: _Element, marker: _Marker, rows: Sequence[Step[int]] = ()) -> _Element:
    """NEW's table with rows matched to OLD's, and each matched cell's paragraphs compared in turn.

    rows is the comparison's own matching of the rows (by their places), so the summary and the redline agree;
    a table inside a cell, which the comparison reads as text, has its rows matched here the same way."""
    # Rows may sit inside content controls (a repeating section) or custom XML, so NEW's rows are redlined where
    # they stand, wrappers and all, and a deleted row is put beside the row before it in NEW's order.
    old_rows, new_rows = list(inside_controls(old, _TR)), list(inside_controls(new, _TR))
    if rows:
        steps = [
            Step(
                step.kind,
                old_rows[step.old] if step.old is not None else None,
                new_rows[step.new] if step.new is not None else None,
            )
            for step in rows
        ]
    else:
        steps = align(old_rows, new_rows, key=lambda row: row_key(_cell_texts(row)))
    previous: _Element | None = None  # the last row placed, in NEW's order

    def place(deleted: _Element) -> _Element:
        if previous is not None:
            previous.addnext(deleted)
        elif new_rows:
            new_rows[0].addprevious(deleted)
        else:
            new.append(deleted)
        return deleted

    for step in steps:
        if step.kind == StepKind.ADDED and step.new is not None:
            marker.mark_block(step.new, "w:ins")
            previous = step.new
        elif step.kind == StepKind.REMOVED and step.old is not None:
            previous = place(_deleted_copy(step.old, marker))
        elif step.old is None or step.new is None:  # never: only added and removed rows have one side
            continue
        elif (
            _cell_texts(step.old) == _cell_texts(step.new)
            and not _objects_differ(step.old, step.new, marker)
            and cell_controls(step.old) == cell_controls(step.new)
        ):
            if not marker.text_only:  # the same words: their formatting may have changed
                marker.track_row(step.old, step.new)
                for old_cell, new_cell in zip(
                    inside_controls(step.old, _TC), inside_controls(step.new, _TC), strict=True
                ):
                    _redline_cell(old_cell, new_cell, marker)
                    marker.track_cell(old_cell, new_cell)
            previous = step.new
        elif len(list(inside_controls(step.old, _TC))) != len(list(inside_controls(step.new, _TC))) or (
            cell_controls(step.old) != cell_controls(step.new)
        ):
            # A content control put around a cell (or its paragraphs), or taken away, has no tracked change of its
            # own in Word's format, so the whole row is replaced: OLD's deleted, NEW's inserted, and rejecting
            # every change gives OLD's row back without the control (or with it).
            previous = place(_deleted_copy(step.old, marker))
            marker.mark_block(step.new, "w:ins")
            previous = step.new
        else:
            marker.track_row(step.old, step.new)
            for old_cell, new_cell in zip(inside_controls(step.old, _TC), inside_controls(step.new, _TC), strict=True):
                _redline_cell(old_cell, new_cell, marker)
                marker.track_cell(old_cell, new_cell)
            previous = step.new
    return new


#: What a row's or cell's recorded old properties leave out: the marks of its own tracked changes.
_ROW_MARKS = frozenset({qn("w:ins"), qn("w:del"), qn("w:trPrChange")})
_CELL_MARKS = frozenset({qn("w:cellIns"), qn("w:cellDel"), qn("w:cellMerge"), qn("w:tcPrChange")})


def _objects_differ(old: _Element, new: _Element, marker: _Marker) -> bool:
    """Whether the paragraphs of two rows or cells of the same text differ in an object they hold (a comment, a
    note, a picture, a link)."""
    old_paragraphs, new_paragraphs = list(old.iter(qn("w:p"))), list(new.iter(qn("w:p")))
    if len(old_paragraphs) != len(new_paragraphs):
        return True
    return any(
        (_has_objects(a) or _has_objects(b)) and not _same_objects(a, b, marker)
        for a, b in zip(old_paragraphs, new_paragraphs, strict=True)
    )


def _cell_texts(row: _Element) -> list[str]:
    return [element_key(cell)[1] for cell in inside_controls(row, _TC)]


_TR, _TC = qn("w:tr"), qn("w:tc")


def _cell_blocks(cell: _Element) -> list[_Element]:
    """A cell's paragraphs and tables in order, including those inside content controls or custom XML."""
    return [*inside_controls(cell, qn("w:p"), qn("w:tbl"))]


def _redline_cell(old_cell: _Element, new_cell: _Element, marker: _Marker) -> None:
    old_blocks, new_blocks = _cell_blocks(old_cell), _cell_blocks(new_cell)
    steps = align(old_blocks, new_blocks, key=element_key)
    if (
        all(step.kind == "equal" for step in steps)
        and not _objects_differ(old_cell, new_cell, marker)
        and not any(
            (step.old.tag == step.new.tag == qn("w:p") and _differs(step.old, step.new, marker))
            # a table in the cell, the same words formatted otherwise: redlined as _redline_step does
            or (
                step.old.tag == step.new.tag == qn("w:tbl")
                and not marker.text_only
                and etree.tostring(step.old) != etree.tostring(step.new)
            )
            for step in steps
            if step.old is not None and step.new is not None
        )
    ):
        return
    if any(block.getparent() is not new_cell for block in new_blocks):
        # Paragraphs inside a content control (a cell-level control) are redlined where they stand, inside it.
        steps = _join_last_pair(steps, get=lambda element: element)
        _redline_in_place(steps, marker, get=lambda element: element, container=new_cell)
        _settle_marks(_cell_blocks(new_cell), marker)
        return
    # A cell, like the document, always keeps its last paragraph mark.
    content = _redline_sequence(
        _join_last_pair(steps, get=lambda element: element), marker, get=lambda element: element
    )
    _settle_marks(content, marker)
    for block in new_blocks:
        new_cell.remove(block)
    for element in content:
        new_cell.append(element)


# -- word-level comparison of paragraphs holding any inline content ---------------------------------------
#
# A paragraph is read as a sequence of atoms: characters (each with its run's formatting) and whole objects
# (a picture, a note reference, a bookmark, a link, a field, a content control, an equation...). Objects are
# compared by what a reader sees of them, so words around them are compared word by word and an object that
# changed is itself deleted and inserted. Deleted objects of OLD are brought into NEW's package (pictures,
# links, notes, comments) so that rejecting every change gives OLD back whole.

_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_MATH = {f"{{{_M}}}oMath", f"{{{_M}}}oMathPara"}
# Run content that is one character of text.
_CHARACTER_CHILDREN = {qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")}
# Zero-width markers: they may stand in a w:ins or w:del, and carry no text.
_MARKERS = {
    qn(f"w:{name}")
    for name in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "permStart", "permEnd")
}
# Inline wrappers that a revision may enclose whole (the schema allows them inside w:ins and w:del).
_WRAPPABLE = {qn("w:sdt"), qn("w:smartTag"), qn("w:customXml"), *_MATH}
# Left out: proofing marks and Word's cache of where it last broke the page carry nothing a reader sees.
_DROPPED = {qn("w:proofErr"), qn("w:lastRenderedPageBreak")}
_REVISIONS = {qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo")}
_PLAIN_RUN_CHILDREN = {qn("w:rPr"), qn("w:t"), qn("w:tab")} | _DROPPED


class _Stretch(NamedTuple):
    """Text between two objects of a paragraph, with the formatting of each stretch of it."""

    text: str
    pieces: tuple[tuple[int, int, bytes], ...]
    """(start, end, run formatting serialised) for each part of the text in one formatting."""


class _Atoms:
    """A paragraph read as atoms in order: words, spaces and punctuation marks of its stretches of text, and
    whole inline objects. Kept as parallel lists rather than an object per atom, since a long document has
    hundreds of thousands of atoms and the redline only ever handles them in ranges."""

    __slots__ = ("ends", "keys", "kept", "offsets", "owners", "passengers", "segments", "uniform")

    def __init__(self) -> None:
        self.keys: list[str] = []
        """What each atom is compared by: the word, or a description of the object."""
        self.owners: list[int] = []
        """For each atom, the segment it belongs to."""
        self.offsets: list[int] = []
        """For each atom of text, where it starts in its stretch's text (0 for objects)."""
        self.segments: list[_Stretch | tuple[_Element, ...]] = []
        """Stretches of text, and objects (the elements that make one up: a complex field spans several runs)."""
        self.ends: list[int] = []
        """For each segment, the index of the first atom after it."""
        self.uniform: bytes | None = None
        """The run formatting of a paragraph of text alone, all in one formatting (most paragraphs); else None."""
        self.kept: dict[int, _Element] = {}
        """For segments that a tracked deletion already in the document holds (diff --keep-existing): the
        deletion, by segment. Their text is compared like any other, as it read before that change."""
        self.passengers: dict[int, list[_Element]] = {}
        """What is carried along without being compared, by the atom it stands before: tracked insertions already
        in the document, and the marks of paragraphs joined to this one (revisions.KEPT_MARK)."""

    def add_stretch(self, stretch: _Stretch) -> None:
        words = tokens(stretch.text)
        segment = len(self.segments)
        self.keys += words
        self.owners += [segment] * len(words)
        offsets = list(itertools.accumulate(map(len, words), initial=0))
        offsets.pop()
        self.offsets += offsets
        self.uniform = stretch.pieces[0][2] if not self.segments and len(stretch.pieces) == 1 else None
        self.segments.append(stretch)
        self.ends.append(len(self.keys))

    def add_passenger(self, element: _Element) -> None:
        self.passengers.setdefault(len(self.keys), []).append(element)
        self.uniform = None

    def add_object(self, key: str, elements: tuple[_Element, ...]) -> None:
        self.owners.append(len(self.segments))
        self.keys.append(key)
        self.offsets.append(0)
        self.uniform = None
        self.segments.append(elements)
        self.ends.append(len(self.keys))

    def object_keys(self) -> list[str]:
        return [
            self.keys[end - 1]
            for end, segment in zip(self.ends, self.segments, strict=True)
            if not isinstance(segment, _Stretch)
        ]

    def spans(self, start: int, stop: int) -> Iterator[tuple[int, int, _Stretch | tuple[_Element, ...]]]:
        """The atoms start..stop split by segment: (first, after last, segment)."""
        while start < stop:
            segment = self.owners[start]
            end = min(stop, self.ends[segment])
            yield start, end, self.segments[segment]
            start = end

    def characters(self, start: int, stop: int) -> tuple[int, int]:
        """Where the atoms start..stop (all of one stretch) begin and end in its text."""
        return self.offsets[start], self.offsets[stop - 1] + len(self.keys[stop - 1])


class _Source:
    """What an element in one package points at, so objects are compared by content and not by id."""

    def __init__(self, document: DocxDocument, part: Part | None = None) -> None:
        self.part = part if part is not None else document.part
        """The part whose relationships name the story's pictures and links: a header's own, or the document's."""
        self.notes = {kind: _note_index(document.part, kind) for kind in ("footnote", "endnote")}
        self.comments = _comment_index(document.part)
        self.bookmarks = {
            node.get(qn("w:id")): node.get(qn("w:name"), "")
            for node in document.element.body.iter(qn("w:bookmarkStart"))
        }

    def target(self, rid: str) -> str:
        """A picture's content hash or a link's address, for a relationship id."""
        rel = self.part.rels.get(rid)
        if rel is None:
            return rid
        if rel.is_external:
            return str(rel.target_ref)
        return hashlib.sha256(rel.target_part.blob).hexdigest()[:16]

    def describe(self, element: _Element) -> str:
        """A comparison key for an object: its kind and what a reader sees of it."""
        tag = element.tag
        if tag == qn("w:bookmarkStart"):
            return f"\x00bookmark<{element.get(qn('w:name'))}"
        if tag == qn("w:bookmarkEnd"):
            return f"\x00bookmark>{self.bookmarks.get(element.get(qn('w:id')), element.get(qn('w:id')))}"
        parts = [etree.QName(element).localname]
        for graphic in element.iter(qn("w:drawing"), qn("w:pict"), qn("w:object")):
            parts.append(shape_identity(graphic, self.target))  # a shape's outline and fill, not only its words
        # The formatting of a text box's paragraphs is compared, and tracked, paragraph by paragraph.
        formatting = {
            node
            for box in element.iter(qn("w:txbxContent"))
            for held in box.iter(qn("w:pPr"), qn("w:rPr"))
            for node in held.iter()
        }
        for node in element.iter():
            node_tag = node.tag
            if node_tag in (qn("w:t"), qn("w:instrText"), f"{{{_M}}}t"):
                parts.append(node.text or "")
            elif node_tag in (qn("w:footnoteReference"), qn("w:endnoteReference")):
                kind = "footnote" if node_tag == qn("w:footnoteReference") else "endnote"
                parts.append(f"[{kind}:{self.notes[kind][1].get(node.get(qn('w:id')), '')}]")
            elif node_tag in (qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:commentReference")):
                parts.append(f"[comment:{self.comments[1].get(node.get(qn('w:id')), '')}]")
            elif node_tag == qn("w:instrText"):
                parts.append(node.text or "")
            for name, value in () if node in formatting else node.attrib.items():
                if name.startswith(f"{{{_R_NAMESPACE}}}"):
                    parts.append(f"[{self.target(value)}]")
                elif value and ((name in ("descr", "title") and node_tag == f"{{{_WP}}}docPr") or name == "alt"):
                    parts.append(f"{name}={value}")  # alt text, which a screen reader announces
                elif name in (
                    qn("w:instr"),
                    qn("w:anchor"),
                    qn("w:fldCharType"),
                    qn("w:char"),
                    qn("w:val"),
                ) and node_tag not in (qn("w:rStyle"), qn("w:sz"), qn("w:szCs"), qn("w:color")):
                    parts.append(f"{etree.QName(name).localname}={value}")
        return "\x00" + "|".join(parts)


_VML = "urn:schemas-microsoft-com:vml"


def _story_parts(part: Part) -> list[Part]:
    """The headers and footers the document part points at."""
    return [
        rel.target_part for rel in part.rels.values() if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER)
    ]


def _known_image(part: Part) -> bool:
    """Whether python-docx can read the picture's header (PNG, JPEG, GIF, BMP, TIFF); others are copied as bytes."""
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image

    try:
        Image.from_blob(part.blob)
    except (UnrecognizedImageError, ValueError, IndexError, struct_error):
        return False
    return True


def _note_index(part: Part, kind: str) -> _Story:
    """The notes part (footnotes or endnotes) as (part, {id: text}, root), or (None, {}, None)."""
    reltype = RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES
    try:
        note_part = part.part_related_by(reltype)
    except KeyError:
        return None, {}, None
    root = _part_root(note_part)
    # Its words and its pictures' content, so a picture replaced in a note is that note replaced.
    texts = {note.get(qn("w:id")): "\x00".join(note_key(note, note_part)) for note in root.findall(qn(f"w:{kind}"))}
    return note_part, texts, root


def _comment_index(part: Part) -> _Story:
    try:
        comments_part = part.part_related_by(RT.COMMENTS)
    except KeyError:
        return None, {}, None
    root = _part_root(comments_part)
    return comments_part, {c.get(qn("w:id")): paragraph_text(c) for c in root.findall(qn("w:comment"))}, root


_W_NUM_IDS = etree.XPath("//w:numId/@w:val", namespaces={"w": _W_NAMESPACE}, smart_strings=False)


def _num_of(root: _Element, num_id: str) -> _Element | None:
    return next((num for num in root.iterfind(qn("w:num")) if num.get(qn("w:numId")) == num_id), None)


def _value_of(element: _Element | None) -> str | None:
    return element.get(qn("w:val")) if element is not None else None


def _largest(root: _Element, tag: str, attribute: str) -> int:
    values = [node.get(qn(attribute), "") for node in root.iterfind(qn(tag))]
    return max((int(v) for v in values if v.isdigit()), default=0)


def _styles_root(part: Part) -> _Element | None:
    """The styles part's XML of the document part, or None where it has none (asking python-docx for the
    document's styles would make a part up)."""
    try:
        return _part_root(part.part_related_by(RT.STYLES))
    except KeyError:
        return None


def _part_root(part: Part) -> _Element:
    """The XML of a part, whether python-docx parsed it or keeps it as bytes (notes parts): the tree the comparison
    read, which the redline may change, so a part held as bytes is written back (_store_roots)."""
    return changed_part_root(part)


def _store_roots(package: OpcPackage) -> None:
    """Writes back the parts read as bytes and changed as XML."""
    store_part_roots(package.iter_parts())


def _rename_clashing_parts(package: OpcPackage) -> None:
    """Gives a fresh name to a part whose name another part already has, so the saved file holds each name once.

    python-docx can add such a part: its own core properties when the document's relationship to them is spelt in
    another case, or a copied picture named after one it did not count. A package with a name twice is not a valid
    Word file (and zipfile only warns)."""
    seen: set[str] = set()
    for part in package.iter_parts():
        name = str(part.partname)
        if name.lower() in seen:
            part.partname = package.next_partname(re.sub(r"\d*(\.\w+)$", r"%d\1", name))
            name = str(part.partname)
        seen.add(name.lower())


def _tokens(paragraph: _Element, source: _Source) -> _Atoms:
    """The paragraph's words and objects in order; a complex field, from its begin to its end, is one object."""
    out = _Atoms()
    field: list[_Element] = []
    depth = 0
    text: list[str] = []
    pieces: list[list[Any]] = []
    length = 0

    def flush() -> None:
        nonlocal text, pieces, length
        if not text:
            return
        out.add_stretch(_Stretch(text="".join(text), pieces=tuple((p[0], p[1], p[2]) for p in pieces)))
        text, pieces, length = [], [], 0

    def add_text(value: str, properties: bytes) -> None:
        nonlocal length
        if not value:
            return
        if pieces and pieces[-1][2] == properties:
            pieces[-1][1] += len(value)
        else:
            pieces.append([length, length + len(value), properties])
        text.append(value)
        length += len(value)

    def add_object(element: _Element) -> None:
        nonlocal depth
        flush()
        types = [n.get(qn("w:fldCharType")) for n in element.iter(qn("w:fldChar"))]
        if depth or "begin" in types:
            field.append(element)
            for kind in types:
                depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            if depth <= 0:
                depth = 0
                out.add_object("\x00field|" + "".join(source.describe(e) for e in field), tuple(field))
                field.clear()
            return
        out.add_object(source.describe(element), (element,))

    def add_run(run: _Element) -> None:
        properties = run.find(_RUN_PROPERTIES)
        key = _clean_properties(properties)
        for piece in run:
            piece_tag = piece.tag
            if piece_tag == _RUN_PROPERTIES or piece_tag in _DROPPED:
                continue
            value = _character_text(piece)
            if value is not None and not depth:
                add_text(value, key)
                continue
            copied = etree.Element(_RUN, dict(run.attrib))
            if properties is not None:
                copied.append(copy.deepcopy(properties))
            copied.append(copy.deepcopy(piece))
            add_object(copied)

    for child in paragraph:
        tag = child.tag
        if tag == _P_PROPERTIES or tag in _DROPPED:
            continue
        if tag == _RUN:
            add_run(child)
        elif tag in (_KEPT_INSERTION, KEPT_MARK):
            # Only in a redline that keeps the tracked changes already in NEW: what they inserted is not part of
            # the version compared (NEW as it read before them), so it is carried along where it stands.
            flush()
            out.add_passenger(child)
        elif tag == _KEPT_DELETION:
            # What they deleted is compared as the text it was, and written back inside the same deletion.
            flush()
            first = len(out.segments)
            for run in child:
                if run.tag == _RUN:
                    add_run(run)
                else:
                    add_object(run)
            flush()
            for segment in range(first, len(out.segments)):
                out.kept[segment] = child
        else:
            add_object(child)
    flush()
    if field:  # a field that goes on into the next paragraph
        out.add_object("\x00field|" + "".join(source.describe(e) for e in field), tuple(field))
    return out


_P_PROPERTIES, _RUN, _RUN_PROPERTIES = qn("w:pPr"), qn("w:r"), qn("w:rPr")
_KEPT_INSERTION, _KEPT_DELETION = qn("w:ins"), qn("w:del")


# The order the schema gives paragraph and run formatting (ECMA-376 Part 1, CT_PPr and CT_RPr with a paragraph
# mark's revision marks first). Some producers write it in another order, or twice; Word and LibreOffice read
# it, but the schema does not allow it, and a redline copies the formatting of OLD's content and records it in
# its formatting changes, so an input's own fault would be repeated. What the redline writes is put in this
# order, and a property repeated word for word is written once.
def _ranks(names: str) -> dict[str, int]:
    """Each w: element named, in order, by its place."""
    return {qn(f"w:{name}"): rank for rank, name in enumerate(names.split())}


_PARAGRAPH_ORDER = _ranks(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
)
_RUN_ORDER = _ranks(
    "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect "
    "bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange"
)
_ORDERS = {qn("w:pPr"): _PARAGRAPH_ORDER, qn("w:rPr"): _RUN_ORDER}
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
#: A shape's position and size (a:xfrm): offset before extent.
_TRANSFORM_ORDER = {f"{{{_A}}}{name}": rank for rank, name in enumerate(("off", "ext", "chOff", "chExt"))}


def _in_schema_order(properties: _Element) -> None:
    """Puts a w:pPr's or w:rPr's children in the schema's order, in place: a child of another vocabulary (Word
    2010's w14 effects) goes after the schema's own, before the recorded change; one the schema does not allow
    there is left out, as is a child repeated word for word."""
    order = _ORDERS[str(properties.tag)]
    ranks = [order.get(str(child.tag), -1) for child in properties]
    if all(a < b for a, b in itertools.pairwise([-1, *ranks])):
        return  # already in order, each once: most formatting is
    last = order[qn("w:pPrChange")] if properties.tag == qn("w:pPr") else order[qn("w:rPrChange")]
    children = list(properties)
    kept: list[tuple[float, int, _Element]] = []
    seen: set[tuple[Any, ...]] = set()
    for index, child in enumerate(children):
        tag = child.tag if isinstance(child.tag, str) else ""  # "" for an XML comment
        rank: float | None = order.get(tag)
        if rank is None:
            rank = None if tag.startswith(f"{{{_W_NAMESPACE}}}") else last - 0.5
        key = _canonical(child)
        if rank is None or key in seen:
            properties.remove(child)
            continue
        seen.add(key)
        kept.append((rank, index, child))
    ordered = [child for _, _, child in sorted(kept, key=lambda item: (item[0], item[1]))]
    if ordered != [child for child in properties]:
        for child in ordered:
            properties.append(child)  # lxml moves an element appended to its own parent to the end


def _schema_tidy(element: _Element) -> None:
    """Copied content in the schema's order and spelling: formatting (above), a shape's offset before its size,
    and a picture's description under its own name (descr; some producers write desc)."""
    for node in list(element.iter(qn("w:pPr"), qn("w:rPr"), f"{{{_A}}}xfrm", f"{{{_PIC}}}cNvPr", f"{{{_WP}}}docPr")):
        if node.tag in _ORDERS:
            _in_schema_order(node)
        elif node.tag == f"{{{_A}}}xfrm":
            ordered = sorted(node, key=lambda child: _TRANSFORM_ORDER.get(str(child.tag), len(_TRANSFORM_ORDER)))
            if ordered != list(node):
                for child in ordered:
                    node.append(child)
        elif "desc" in node.attrib:
            description = node.attrib.pop("desc")
            if "descr" not in node.attrib:
                node.set("descr", description)


def _clean_properties(properties: _Element | None) -> bytes:
    """Run formatting, serialised without the namespace declarations of the package it came from, in the
    schema's order."""
    if properties is None:
        return b""
    bare = etree.Element(qn("w:rPr"), nsmap={"w": _W_NAMESPACE})
    bare.extend(copy.deepcopy(child) for child in properties)
    _in_schema_order(bare)
    etree.cleanup_namespaces(bare)
    return etree.tostring(bare)


def _character_text(piece: _Element) -> str | None:
    """The text of a run's child when it is plain text, a tab or a line break; None for anything else."""
    if piece.tag in (qn("w:t"), qn("w:delText")):  # w:delText: in a kept tracked deletion
        return piece.text or ""
    if piece.tag == qn("w:tab"):
        return "\t"
    if (
        piece.tag in (qn("w:br"), qn("w:cr"))
        and piece.get(qn("w:type")) in (None, "textWrapping")
        and piece.get(qn("w:clear")) in (None, "none")
    ):
        return "\n"
    return None


class _Importer:
    """Brings copies of OLD's content into NEW's package: relationships, notes, comments, bookmark and drawing ids."""

    def __init__(
        self, old: _Source, new_document: DocxDocument, *, next_id: Callable[[], int], styles: tuple[Styles, Styles]
    ) -> None:
        self.old = old
        self.new = _Source(new_document)
        self.part: Part = new_document.part
        """The part that holds what is brought: NEW's main document part, or a header, footer or notes part's own."""
        self.document = new_document
        self.next_id = next_id
        self.rids: dict[str, str] = {}
        self.copied: dict[str, Part] = {}
        """OLD's parts copied into NEW's package so far, by their names in OLD."""
        self.notes: dict[tuple[str, str], str] = {}
        self.comments: dict[str, str] = {}
        self.bookmarks: dict[str | None, str] = {}
        self.style_ids: set[str | None] | None = None
        self.numbering: tuple[_Element | None, _Element | None] = (None, None)
        """OLD's and NEW's numbering parts (w:numbering), set by write_redline."""
        self.styles = styles
        """OLD's and NEW's styles (and lists), those the comparison read."""
        self.num_ids: dict[str, str] = {}
        """For each of OLD's lists (numId) brought in, the list in NEW's package numbering as it did."""
        self.named_num_ids: set[int] | None = None
        """The list ids NEW's paragraphs and styles name, read when a list is first copied in."""
        self.abstract_ids: dict[str, str] = {}
        """For each of OLD's list templates (abstractNumId) copied into NEW's package, the copy's id."""
        names = set(self.new.bookmarks.values())
        self.bookmark_names = names
        # Picture ids (wp:docPr) and VML shape ids are unique across the body, headers and footers.
        roots = [new_document.element.body, *(_part_root(part) for part in _story_parts(new_document.part))]
        drawing_ids = [
            int(v)
            for root in roots
            for node in root.iter(f"{{{_WP}}}docPr")
            for v in [node.get("id")]
            if v and v.isdigit()
        ]
        self.drawing_ids = itertools.count(max(drawing_ids, default=0) + 1)
        self.shape_ids = {
            value
            for root in roots
            for node in root.iter(f"{{{_VML}}}*")
            for value in [node.get("id")]
            if value is not None
        }

    def for_story(self, old: _Source, new_part: Part) -> _Importer:
        """An importer for a header or footer: OLD's story and NEW's name pictures and links by their own parts'
        relationships; picture and shape ids, notes, comments and bookmarks stay shared with the body's."""
        story = copy.copy(self)
        # A notes part may be held as bytes, not a StoryPart: its notes are redlined only where they read the same,
        # so no picture of OLD's is brought into it.
        story.part = cast("StoryPart", new_part)
        story.old, story.new, story.rids = old, _Source(self.document, new_part), {}
        return story

    def bring(self, element: _Element) -> _Element:
        """A copy of an element of OLD that works inside NEW."""
        element = copy.deepcopy(element)
        for node in element.iter():
            tag = node.tag
            for name, value in list(node.attrib.items()):
                if name.startswith(f"{{{_R_NAMESPACE}}}"):
                    node.set(name, self._relationship(value))
            if tag in (qn("w:footnoteReference"), qn("w:endnoteReference")):
                kind = "footnote" if tag == qn("w:footnoteReference") else "endnote"
                node.set(qn("w:id"), self._note(kind, node.get(qn("w:id"), "")))
            elif tag in (qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:commentReference")):
                node.set(qn("w:id"), self._comment(node.get(qn("w:id"), "")))
            elif tag in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
                node.set(qn("w:id"), self.bookmarks.setdefault(node.get(qn("w:id")), str(self.next_id())))
                if (
                    tag == qn("w:bookmarkStart")
                    and node.get(qn("w:name")) in self.bookmark_names
                    and node.get(qn("w:name")) != "_GoBack"
                ):
                    # Two bookmarks of one name would break links to it; OLD's copy gets its own name.
                    node.set(qn("w:name"), f"{(node.get(qn('w:name')) or '')[:30]}_old")
                elif tag == qn("w:bookmarkStart") and node.get(qn("w:name")) == "_GoBack":
                    node.set(qn("w:name"), "_GoBackOld")
            elif tag == f"{{{_WP}}}docPr":
                node.set("id", str(next(self.drawing_ids)))
            elif tag == qn("w:numId") and node.get(qn("w:val")) is not None:
                node.set(qn("w:val"), self.num_id(node.get(qn("w:val"), "")))
            elif tag == f"{{{_W14}}}paraId" or node.get(f"{{{_W14}}}paraId"):
                node.attrib.pop(f"{{{_W14}}}paraId", None)
                node.attrib.pop(f"{{{_W14}}}textId", None)
            if isinstance(tag, str) and tag.startswith(f"{{{_VML}}}") and node.get("id") in self.shape_ids:
                if tag == f"{{{_VML}}}shapetype":
                    node.set("id", "")  # NEW already defines this shape type (a text box's, say): the copy goes
                else:
                    node.set("id", self._fresh_shape_id(node.get("id", "")))
        for shapetype in [n for n in element.iter(f"{{{_VML}}}shapetype") if n.get("id") == ""]:
            parent_of(shapetype).remove(shapetype)
        self._tidy(element)
        return element

    def renumber(self, element: _Element) -> None:
        """Points the lists OLD's content names (w:numId) at definitions in NEW's package that number as OLD's."""
        for node in element.iter(qn("w:numId")):
            value = node.get(qn("w:val"))
            if value is not None:
                node.set(qn("w:val"), self.num_id(value))

    def num_id(self, old_id: str) -> str:
        """The list in NEW's package that numbers as OLD's list old_id does: the same id where NEW's definition
        of it is OLD's, otherwise a copy of OLD's definition (and of its list template, shared by the lists
        that shared it in OLD) under ids of its own, so rejecting every change gives OLD's numbers."""
        if old_id in self.num_ids:
            return self.num_ids[old_id]
        found = old_id
        old_root, new_root = self.numbering
        old_num = _num_of(old_root, old_id) if old_root is not None and old_id != "0" else None
        if old_num is None and old_id != "0" and new_root is not None and _num_of(new_root, old_id) is not None:
            found = "0"  # a list OLD does not define numbers nothing there; NEW's list of that id must not number it
        if old_num is not None and old_root is not None:
            new_root = self._new_numbering()
            new_num = _num_of(new_root, old_id) if new_root is not None else None
            if new_root is not None and (
                new_num is None or self.styles[0].list_definition(old_id) != self.styles[1].list_definition(old_id)
            ):
                found = self._copy_list(old_root, old_num, new_root)
        self.num_ids[old_id] = found
        return found

    def _new_numbering(self) -> _Element | None:
        """NEW's numbering part (w:numbering), made empty where NEW has none, for OLD's lists to be copied into."""
        old_root, new_root = self.numbering
        if new_root is None and old_root is not None:
            from docx.opc.constants import CONTENT_TYPE as CT
            from docx.opc.packuri import PackURI
            from docx.parts.numbering import NumberingPart

            package = self.document.part.package
            empty = etree.Element(old_root.tag, nsmap={"w": _W_NAMESPACE})
            part = NumberingPart.load(
                PackURI(package.next_partname("/word/numbering%d.xml")),
                CT.WML_NUMBERING,
                etree.tostring(empty),
                package,
            )
            self.document.part.relate_to(part, RT.NUMBERING)
            new_root = part.element
            self.numbering = (old_root, new_root)
        return new_root

    def _fresh_num_id(self, new_root: _Element) -> str:
        """An id for a list copied in that no list of NEW's and no paragraph or style of NEW's names (a paragraph
        naming a list NEW does not define shows no number, and must go on showing none)."""
        if self.named_num_ids is None:
            roots = [self.document.element.body, *(_part_root(part) for part in _story_parts(self.document.part))]
            styles = _styles_root(self.document.part)
            roots += [styles] if styles is not None else []
            self.named_num_ids = {int(v) for root in roots for v in _W_NUM_IDS(root) if v.isdigit()}
        number = max([_largest(new_root, "w:num", "w:numId"), *self.named_num_ids]) + 1
        self.named_num_ids.add(number)
        return str(number)

    def _copy_list(self, old_root: _Element, old_num: _Element, new_root: _Element) -> str:
        abstract_id = _value_of(old_num.find(qn("w:abstractNumId"))) or ""
        if abstract_id not in self.abstract_ids and self._same_template(abstract_id):
            # Only the list's own overrides changed (a restart, a level redefined for it): the copy shares NEW's
            # template, which is OLD's, so it goes on counting with the other lists of that template as in OLD
            # (two lists of one template continue each other's numbers: 1, 2 / 3, 4).
            self.abstract_ids[abstract_id] = abstract_id
        if abstract_id not in self.abstract_ids:
            # The template's levels, through the numbering style that defines them where one does: the copy
            # stands on its own, since NEW's numbering style of that name may number otherwise.
            abstract = self.styles[0].template(old_num)
            if abstract is None:
                return old_num.get(qn("w:numId"), "")
            copied = copy.deepcopy(abstract)
            fresh = str(_largest(new_root, "w:abstractNum", "w:abstractNumId") + 1)
            copied.set(qn("w:abstractNumId"), fresh)
            # Word joins lists of one nsid, and a style link would make the copy the style's list again.
            for unique in [c for c in copied if c.tag in TEMPLATE_IDS and c.tag != qn("w:tmpl")]:
                copied.remove(unique)
            last = new_root.findall(qn("w:abstractNum"))
            if last:
                last[-1].addnext(copied)
            else:
                first_num = new_root.find(qn("w:num"))
                (first_num.addprevious if first_num is not None else new_root.append)(copied)
            self.abstract_ids[abstract_id] = fresh
        num = copy.deepcopy(old_num)
        number = self._fresh_num_id(new_root)
        num.set(qn("w:numId"), number)
        template = num.find(qn("w:abstractNumId"))
        if template is not None:  # found above: the list names its template
            template.set(qn("w:val"), self.abstract_ids[abstract_id])
        nums = new_root.findall(qn("w:num"))
        if nums:
            nums[-1].addnext(num)
        else:
            last = new_root.findall(qn("w:abstractNum"))
            (last[-1].addnext if last else new_root.append)(num)
        return number

    def _same_template(self, abstract_id: str) -> bool:
        """Whether NEW's list template of this id (w:abstractNum) numbers as OLD's, levels and all (through the
        numbering style each is defined by, if any; their ids, which number nothing, aside)."""
        old, new = (side.template_of(abstract_id) for side in self.styles)
        return (
            old is not None
            and new is not None
            and self.styles[0].template_link(abstract_id) == self.styles[1].template_link(abstract_id)
            and template_levels(old) == template_levels(new)
        )

    def _tidy(self, element: _Element) -> None:
        """A copy of OLD's content in the schema's order, its style references ones NEW can resolve."""
        _schema_tidy(element)
        for node in list(element.iter(qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))):
            style_id = node.get(qn("w:val"))
            if style_id is not None and not self._style(style_id):
                parent_of(node).remove(node)  # a style neither version defines: Word shows the text unstyled

    def _style(self, style_id: str) -> bool:
        """Whether NEW defines a style of this id, once OLD's definition (and those it leans on) is copied in; a
        reference stays as it is when NEW has no styles part at all."""
        new_styles = _styles_root(self.part)
        if new_styles is None:
            return True
        if self.style_ids is None:
            self.style_ids = {s.get(qn("w:styleId")) for s in new_styles.findall(qn("w:style"))}
        if style_id in self.style_ids:
            return True
        old_styles = _styles_root(self.old.part)
        definition = next(
            (s for s in (old_styles if old_styles is not None else []) if s.get(qn("w:styleId")) == style_id), None
        )
        if definition is None or definition.tag != qn("w:style"):
            return False
        self.style_ids.add(style_id)
        copied = copy.deepcopy(definition)
        for name in ("basedOn", "next", "link"):
            leaned = copied.find(qn(f"w:{name}"))
            if leaned is not None and not self._style(leaned.get(qn("w:val"), "")):
                copied.remove(leaned)
        new_styles.append(copied)
        for rel in self.part.rels.values():  # Word 2010's copy of the styles, which Word expects to agree
            if not rel.is_external and rel.reltype.endswith("/stylesWithEffects"):
                _part_root(rel.target_part).append(copy.deepcopy(copied))
        return True

    def _fresh_shape_id(self, shape_id: str) -> str:
        number = 1
        while f"{shape_id}_old{number}" in self.shape_ids:
            number += 1
        fresh = f"{shape_id}_old{number}"
        self.shape_ids.add(fresh)
        return fresh

    def _relationship(self, rid: str) -> str:
        if rid in self.rids:
            return self.rids[rid]
        rel = self.old.part.rels.get(rid)
        if rel is None:
            return rid
        same = self._same_story(rel)
        if rel.is_external:
            new_rid = self.part.relate_to(rel.target_ref, rel.reltype, is_external=True)
        elif same is not None:
            new_rid = same
        elif rel.reltype == RT.IMAGE and isinstance(self.part, StoryPart) and _known_image(rel.target_part):
            new_rid, _image = self.part.get_or_add_image(io.BytesIO(rel.target_part.blob))
        else:  # an embedded object, a chart or a picture python-docx cannot size (EMF, SVG): its bytes, renamed
            new_rid = self.part.relate_to(self._copy_part(rel.target_part), rel.reltype)
        self.rids[rid] = new_rid
        return new_rid

    def _same_story(self, rel: Any) -> str | None:
        """NEW's relationship to a header or footer holding what OLD's does, word for word: a section break of
        OLD's brought back names it rather than a copy."""
        if rel.is_external or rel.reltype not in (RT.HEADER, RT.FOOTER):
            return None
        blob = rel.target_part.blob
        return next(
            (
                rid
                for rid, mine in self.part.rels.items()
                if not mine.is_external and mine.reltype == rel.reltype and mine.target_part.blob == blob
            ),
            None,
        )

    def _copy_part(self, target: Part) -> Part:
        """A copy of one of OLD's parts under a new name, with copies of the parts it refers to under the same
        relationship ids (a chart's embedded workbook, colours and style), so the copy works as the original."""
        if target.partname in self.copied:
            return self.copied[target.partname]
        template = re.sub(r"\d*(\.\w+)$", r"%d\1", str(target.partname))
        copied = Part(self.part.package.next_partname(template), target.content_type, target.blob, self.part.package)
        self.copied[target.partname] = copied
        for rel in target.rels.values():
            if rel.is_external:
                copied.rels.add_relationship(rel.reltype, rel.target_ref, rel.rId, is_external=True)
            else:
                copied.rels.add_relationship(rel.reltype, self._copy_part(rel.target_part), rel.rId)
        return copied

    def _note(self, kind: str, old_id: str) -> str:
        key = (kind, old_id)
        if key in self.notes:
            return self.notes[key]
        _part, _texts, old_root = self.old.notes[kind]
        note = (
            next((n for n in old_root.findall(qn(f"w:{kind}")) if n.get(qn("w:id")) == old_id), None)
            if old_root is not None
            else None
        )
        new_part, _texts, new_root = self.new.notes[kind]
        if note is None or new_root is None or new_part is None:
            # NEW has no notes part to hold it; the reference still marks where OLD's note stood.
            self.notes[key] = old_id
            return old_id
        used = [
            int(v)
            for n in new_root.findall(qn(f"w:{kind}"))
            for v in [n.get(qn("w:id"), "")]
            if v.lstrip("-").isdigit()
        ]
        new_id = str(max(used, default=0) + 1)
        copied = self._bring_story(note, self.old.notes[kind][0], new_part)
        copied.set(qn("w:id"), new_id)
        new_root.append(copied)
        self.notes[key] = new_id
        return new_id

    def _comment(self, old_id: str) -> str:
        if old_id in self.comments:
            return self.comments[old_id]
        old_part, _texts, old_root = self.old.comments
        comment = (
            next((c for c in old_root.findall(qn("w:comment")) if c.get(qn("w:id")) == old_id), None)
            if old_root is not None
            else None
        )
        if comment is None:
            self.comments[old_id] = old_id
            return old_id
        new_part = self.document.part._comments_part
        new_root = _part_root(new_part)
        new_id = str(self.next_id())
        copied = self._bring_story(comment, old_part, new_part)
        copied.set(qn("w:id"), new_id)
        new_root.append(copied)
        self.comments[old_id] = new_id
        return new_id

    def _bring_story(self, element: _Element, old_part: Part | None, new_part: Part) -> _Element:
        """A note or comment copied across, its own links and pictures brought along where NEW's part can hold them."""
        copied = copy.deepcopy(element)
        for node in copied.iter():
            for name, value in list(node.attrib.items()):
                if not name.startswith(f"{{{_R_NAMESPACE}}}"):
                    continue
                rel = old_part.rels.get(value) if old_part is not None else None
                if rel is not None and rel.is_external:
                    node.set(name, new_part.relate_to(rel.target_ref, rel.reltype, is_external=True))
                elif (
                    rel is not None
                    and rel.reltype == RT.IMAGE
                    and hasattr(new_part, "get_or_add_image")
                    and _known_image(rel.target_part)
                ):
                    node.set(name, new_part.get_or_add_image(io.BytesIO(rel.target_part.blob))[0])
                elif rel is not None:
                    node.set(name, new_part.relate_to(rel.target_part, rel.reltype))
        for node in copied.iter():
            node.attrib.pop(f"{{{_W14}}}paraId", None)
            node.attrib.pop(f"{{{_W14}}}textId", None)
        self._tidy(copied)
        # Bookmark ids are unique across the whole document, notes included: the copy's get fresh ones.
        numbers: dict[str | None, str] = {}
        for node in copied.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
            node.set(qn("w:id"), numbers.setdefault(node.get(qn("w:id")), str(self.next_id())))
            bookmark = node.get(qn("w:name"))
            if node.tag == qn("w:bookmarkStart") and bookmark in self.bookmark_names:
                node.set(qn("w:name"), f"{(bookmark or '')[:30]}_old")
        return copied


def _redline_paragraph(old: _Element, new: _Element, marker: _Marker, words: WordAlignment | None = None) -> _Element:
    """NEW's paragraph with word-level insertions and deletions against OLD around any inline objects,
    NEW's formatting kept and OLD's paragraph formatting recorded as a formatting change.

    words is the comparison's own alignment of the two paragraphs' words, used as it is when the paragraphs
    hold only text (their atoms are then those words); around objects the atoms are aligned here."""
    a, b = marker.atoms(old, old=True), marker.atoms(new, old=False)
    if words is not None and words.old == a.keys and words.new == b.keys:
        found = words.opcodes
    else:
        found = opcodes(a.keys, b.keys)
    paragraph = etree.Element(qn("w:p"), dict(new.attrib))
    properties = new.find(qn("w:pPr"))
    if properties is not None:
        paragraph.append(copy.deepcopy(properties))
    runs = _Runs(paragraph, marker)
    same = _alike_in(old, new, marker)
    for tag, i1, i2, j1, j2 in found:
        if tag in ("delete", "replace"):
            _emit(runs, a, i1, i2, "w:del")
        if tag in ("insert", "replace"):
            _emit(runs, b, j1, j2, "w:ins")
        if tag == "equal":
            if not marker.text_only:
                _track_object_runs(a, i1, i2, b, j1, j2, marker)
            changed = None if marker.text_only else _formatting_changed(a, i1, i2, b, j1, j2, same)
            if changed:
                _emit_reformatted(runs, changed, same)
            else:
                # Beside tracked changes kept from NEW, the words' formatting is weighed against OLD's here, as
                # _emit_reformatted weighs it elsewhere: a change is recorded, and a kept one stands or is replaced.
                weighed = (a, i1, j1, same) if (b.kept or b.passengers) and not marker.text_only else None
                _emit(runs, b, j1, j2, None, counterpart=weighed)
    for index in sorted(b.passengers):  # those after the last atom, or in a paragraph without any
        _board(runs, b, index)
    runs.flush()
    if not marker.text_only:
        _redline_text_boxes(old, paragraph, marker)
        marker.track_mark(old, paragraph, new)
        marker.track_properties(old, paragraph, new)
    return paragraph


def _redline_text_boxes(old: _Element, paragraph: _Element, marker: _Marker) -> None:
    """Records formatting changed in the text boxes the paragraph holds as NEW's (the same words), paragraph by
    paragraph of each box whose words are the same, so Reject All gives OLD's formatting back there too."""
    old_boxes, new_boxes = text_boxes(old), text_boxes(paragraph)
    if len(old_boxes) != len(new_boxes):
        return
    for before, after in zip(old_boxes, new_boxes, strict=True):
        blocks = [list(inside_controls(box, qn("w:p"), qn("w:tbl"))) for box in (before, after)]
        for step in align(*blocks, key=element_key):
            if step.kind != StepKind.EQUAL or step.old is None or step.new is None or step.new.tag != qn("w:p"):
                continue
            if _differs(step.old, step.new, marker):
                step.new.addprevious(_redline_paragraph(step.old, step.new, marker))
                parent_of(step.new).remove(step.new)


def _track_object_runs(a: _Atoms, i1: int, i2: int, b: _Atoms, j1: int, j2: int, marker: _Marker) -> None:
    """Records, in NEW's objects among equal atoms (a link, a field, a content control, copied into the redline
    as they are), OLD's formatting of their words where it differs, run by run, as formatting changes."""
    segments = b.segments[b.owners[j1] : b.owners[j2 - 1] + 1] if j1 < j2 else []
    if b.kept or b.passengers or all(isinstance(segment, _Stretch) for segment in segments):
        return  # most stretches: words alone; with tracked changes kept from NEW, NEW's formatting stands
    for (_f, _l, new), (_of, _ol, old) in zip(b.spans(j1, j2), a.spans(i1, i2), strict=True):
        if isinstance(new, _Stretch) or isinstance(old, _Stretch) or len(new) != len(old):
            continue
        for old_element, new_element in zip(old, new, strict=True):
            old_runs, new_runs = _own_runs(old_element), _own_runs(new_element)
            if [_run_text(r) for r in old_runs] != [_run_text(r) for r in new_runs]:
                continue
            for old_run, new_run in zip(old_runs, new_runs, strict=True):
                before, after = old_run.find(qn("w:rPr")), new_run.find(qn("w:rPr"))
                kept = after.find(qn("w:rPrChange")) if after is not None else None
                if kept is not None:  # a change kept from NEW: it stands where it records OLD's formatting
                    recorded = kept.find(qn("w:rPr"))
                    if _same_formatting(
                        _clean_properties(recorded) if recorded is not None else b"",
                        _clean_properties(_without_change(before)),
                    ):
                        continue
                same = _clean_properties(_without_change(before)) == _clean_properties(_without_change(after))
                if kept is not None:
                    marker.replace_kept(kept, recorded=not same)
                if same:
                    continue
                if after is None:
                    after = etree.Element(qn("w:rPr"))
                    new_run.insert(0, after)
                change = marker.element("w:rPrChange")
                recorded = etree.SubElement(change, qn("w:rPr"))
                bare = _without_change(before)
                recorded.extend(copy.deepcopy(e) for e in (bare if bare is not None else ()))
                _in_schema_order(recorded)
                after.append(change)


def _own_runs(element: _Element) -> list[_Element]:
    """The runs of an object with text of their own or a note's reference mark, not those of a text box in it
    (tracked apart)."""
    return [
        run
        for run in element.iter(qn("w:r"))
        if (_run_text(run) or run.find(_NOTE_REFERENCE) is not None or run.find(_END_REFERENCE) is not None)
        and not any(a.tag == qn("w:txbxContent") for a in run.iterancestors())
    ]


_NOTE_REFERENCE, _END_REFERENCE = qn("w:footnoteReference"), qn("w:endnoteReference")


def _run_text(run: _Element) -> str:
    return "".join(t.text or "" for t in run if t.tag == qn("w:t"))


def _without_change(properties: _Element | None) -> _Element | None:
    """Run formatting without a recorded change in it (a copy, where it held one)."""
    if properties is None or properties.find(qn("w:rPrChange")) is None:
        return properties
    bare = copy.deepcopy(properties)
    for change in bare.findall(qn("w:rPrChange")):
        bare.remove(change)
    return bare


def _box_formatting(paragraph: _Element) -> list[list[Any]]:
    """The formatting of the paragraphs (and their marks) in the text boxes the paragraph holds."""
    return [
        [_canonical(e) for e in [*_base_properties(p), *_mark_formatting(p)]]
        for box in text_boxes(paragraph)
        for p in box.iter(qn("w:p"))
    ]


#: A stretch of unchanged text split where either side's run formatting changes: (text, NEW's, OLD's), or
#: an object (its elements in NEW).
_Reformatted = list[tuple[str, bytes, bytes] | tuple[_Element, ...]]


def _clipped(pieces: tuple[tuple[int, int, bytes], ...], start: int, stop: int) -> list[tuple[int, bytes]]:
    """The formatting pieces of characters start..stop, as (where each ends, relative to start; formatting)."""
    return [
        (min(last, stop) - start, properties) for first, last, properties in pieces if first < stop and last > start
    ]


def _formatting_changed(
    a: _Atoms, i1: int, i2: int, b: _Atoms, j1: int, j2: int, same: Callable[[bytes, bytes], bool] | None = None
) -> _Reformatted | None:
    """For equal atoms OLD i1..i2 and NEW j1..j2: None when no character's run formatting changed (as same, NEW's
    and OLD's formatting, decides), else the stretch split where either side's formatting changes. Objects stand
    at the same places on both sides, since their keys are equal, so the two sides' stretches line up."""
    same = same or _same_formatting
    if a.uniform is not None and b.uniform is not None and same(b.uniform, a.uniform):
        return None
    if b.kept or b.passengers:
        # Tracked changes kept from NEW split its text where OLD's is not split: NEW's formatting stands, with
        # the formatting changes already recorded in it.
        return None
    out: _Reformatted = []
    changed = False
    for (first, last, segment), (old_first, old_last, old_segment) in zip(
        b.spans(j1, j2), a.spans(i1, i2), strict=True
    ):
        if not isinstance(segment, _Stretch) or not isinstance(old_segment, _Stretch):
            out.append(segment if not isinstance(segment, _Stretch) else ())
            continue
        start, stop = b.characters(first, last)
        old_start, old_stop = a.characters(old_first, old_last)
        new_pieces = _clipped(segment.pieces, start, stop)
        old_pieces = _clipped(old_segment.pieces, old_start, old_stop)
        if len(new_pieces) == 1 and len(old_pieces) == 1:
            changed |= not same(new_pieces[0][1], old_pieces[0][1])
            out.append((segment.text[start:stop], new_pieces[0][1], old_pieces[0][1]))
            continue
        # Characters in several formattings: split at every place where either side's formatting changes
        # (pieces of one side always differ from their neighbours, so no two of these splits join up).
        at, new_index, old_index = 0, 0, 0
        while at < stop - start:
            new_end, new_properties = new_pieces[new_index]
            old_end, old_properties = old_pieces[old_index]
            end = min(new_end, old_end)
            changed |= not same(new_properties, old_properties)
            out.append((segment.text[start + at : start + end], new_properties, old_properties))
            at = end
            new_index += new_end == end
            old_index += old_end == end
    return out if changed else None


@functools.lru_cache(maxsize=1024)
def _same_formatting(one: bytes, other: bytes) -> bool:
    """Whether two runs' formatting (as _clean_properties serialises it) reads the same: the decision the summary's
    formatting records take too (elements.canonical), so <w:b w:val="true"/> for <w:b/> is no formatting change."""
    return (
        one == other
        or _canonical(etree.fromstring(one or b"<rPr/>"))[1:] == _canonical(etree.fromstring(other or b"<rPr/>"))[1:]
    )


def _alike_in(old: _Element, new: _Element, marker: _Marker) -> Callable[[bytes, bytes], bool]:
    """Whether NEW's and OLD's run formatting (as _clean_properties serialises it) read the same in the paragraphs
    old and new, through each version's styles: the summary's decision (compare.runs_alike)."""

    @functools.lru_cache(maxsize=64)
    def same(one: bytes, other: bytes) -> bool:
        if _same_formatting(one, other):
            return True
        if b"rPrChange" in one:
            return False  # a formatting change kept from NEW: weighed against OLD's by _kept_run_change
        after, before = (etree.fromstring(data) if data else None for data in (one, other))
        return runs_alike(before, after, marker.styles, (old, new))

    return same


def _emit_reformatted(runs: _Runs, pieces: _Reformatted, same: Callable[[bytes, bytes], bool] | None = None) -> None:
    """Unchanged words whose run formatting changed (bold, italic, font): NEW's formatting, with OLD's recorded
    as a formatting change so Reject All restores it (where same, NEW's and OLD's, says they read otherwise)."""
    for piece in pieces:
        if not piece or isinstance(piece[0], _Element):
            for element in piece:
                if isinstance(element, _Element):  # always, in an object
                    runs.element(copy.deepcopy(element))
            continue
        text, new_properties, old_properties = piece
        if not isinstance(text, str) or not isinstance(new_properties, bytes) or not isinstance(old_properties, bytes):
            continue  # never: text pieces are (text, formatting, formatting)
        alike = (same or _same_formatting)(new_properties, old_properties)
        # A formatting change kept from NEW (--keep-existing) is always weighed against OLD's formatting, even where
        # the two read alike: it stands where it records OLD's and is taken away where not (_kept_run_change).
        kept = b"rPrChange" in new_properties
        runs.run(text, new_properties, before=None if alike and not kept else old_properties)


def _emit(
    runs: _Runs,
    atoms: _Atoms,
    start: int,
    stop: int,
    state: str | None,
    *,
    counterpart: tuple[_Atoms, int, int, Callable[[bytes, bytes], bool]] | None = None,
) -> None:
    """Appends atoms start..stop as runs and objects; state 'w:del' (atoms of OLD), 'w:ins' or None (unchanged).
    counterpart (OLD's atoms, where the unchanged atoms start in OLD's and in these, and whether NEW's and OLD's
    formatting read alike) has the words' formatting weighed against OLD's of the same words: where it reads
    otherwise OLD's is recorded, and a formatting change kept from NEW stands or is replaced (_kept_run_change)."""
    deleted = state == "w:del"
    marker = runs.marker
    owners, ends, segments, offsets, keys = atoms.owners, atoms.ends, atoms.segments, atoms.offsets, atoms.keys
    while start < stop:  # segment by segment (atoms.spans, written out: this runs for every change of every word)
        if atoms.passengers:
            _board(runs, atoms, start)
        owner = owners[start]
        last = min(stop, ends[owner])
        segment = segments[owner]
        kept = atoms.kept.get(owner) if atoms.kept else None
        if not isinstance(segment, _Stretch):
            for element in segment:
                element = marker.importer.bring(element) if deleted else copy.deepcopy(element)
                if kept is not None:
                    # Deleted by a tracked change kept from NEW: inside a copy of that deletion, and, when this
                    # redline inserts it, inside the insertion too (Word's order: inserted, then deleted).
                    element = _kept_deletion(kept, [element], marker)
                    runs.element(_wrapped(element, state, marker) if state else element)
                else:
                    runs.element(marker.mark_object(element, state) if state else element)
            start = last
            continue
        # The atoms of one stretch become one range of its text, a run for each formatting in it.
        begin, end = offsets[start], offsets[last - 1] + len(keys[last - 1])
        if state is not None:
            runs.open(state)
        if kept is not None:
            runs.open_kept(kept)
        for low, high, properties in segment.pieces:
            if low < end and high > begin:
                if counterpart is not None and kept is None:
                    alike = counterpart[3]
                    kept_change = b"rPrChange" in properties
                    for part_low, part_high, before in _old_formatting(counterpart, atoms, start, last, low, high):
                        recorded = before if kept_change or not alike(properties, before) else None
                        runs.run(segment.text[part_low:part_high], properties, before=recorded)
                    continue
                runs.run(
                    segment.text[max(low, begin) : min(high, end)], properties, deleted=deleted or kept is not None
                )
        if kept is not None:
            runs.close("w:del")
        if state is not None:
            runs.close(state)
        start = last


def _old_formatting(
    counterpart: tuple[_Atoms, int, int, Any], atoms: _Atoms, start: int, stop: int, low: int, high: int
) -> list[tuple[int, int, bytes]]:
    """OLD's run formatting of the characters low..high of the stretch holding atoms start..stop, unchanged atoms
    whose counterparts in OLD are known (counterpart: OLD's atoms, where the unchanged atoms start in OLD's and here),
    as (low, high, formatting) pieces of this stretch's text. Character by character: it is for the few paragraphs
    holding tracked changes kept from NEW."""
    old, old_first, first, _alike = counterpart
    pieces: list[tuple[int, int, bytes]] = []
    for index in range(start, stop):
        atom_low = atoms.offsets[index]
        begin, end = max(atom_low, low), min(atom_low + len(atoms.keys[index]), high)
        if begin >= end:
            continue
        at = old_first + index - first  # the same atom in OLD (equal atoms, one for one)
        stretch = old.segments[old.owners[at]]
        if not isinstance(stretch, _Stretch):
            continue  # never: equal keys of text are text on both sides
        shift = old.offsets[at] - atom_low
        for place in range(begin, end):
            before = next((f for s, e, f in stretch.pieces if s <= place + shift < e), b"")
            if pieces and pieces[-1][1] == place and pieces[-1][2] == before:
                pieces[-1] = (pieces[-1][0], place + 1, before)
            else:
                pieces.append((place, place + 1, before))
    return pieces


def _board(runs: _Runs, atoms: _Atoms, index: int) -> None:
    """Writes what is carried along before atom index (tracked insertions kept from NEW, joined paragraphs'
    marks), once."""
    for element in atoms.passengers.get(index, ()):
        if id(element) not in runs.boarded:
            runs.boarded.add(id(element))
            runs.element(copy.deepcopy(element))


def _kept_deletion(kept: _Element, content: list[_Element], marker: _Marker) -> _Element:
    """A copy of a tracked deletion kept from NEW, with its own author and date, a fresh id and the content given."""
    wrapper = etree.Element(kept.tag, dict(kept.attrib))
    wrapper.set(_ID, str(marker.next_id()))
    wrapper.extend(content)
    return wrapper


def _wrapped(element: _Element, tag: str, marker: _Marker) -> _Element:
    wrapper = marker.element(tag)
    wrapper.append(element)
    return wrapper
