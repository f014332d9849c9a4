"""Compares two versions of a Word report: which paragraphs and table cells changed, as records a reviewer reads."""

from __future__ import annotations

import difflib
import enum
import functools
import itertools
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Generic, TypeGuard, TypeVar

from docx.oxml.ns import qn as _qn
from lxml import etree
from lxml.etree import _Element
from rapidfuzz.distance import Indel

from .display import quoted
from .elements import OFF, canonical, mark_formatting, paragraph_formatting
from .elements import localname as _localname
from .figures import count_due_actions
from .formatting_words import aspect
from .model import ActionPlan, Change, ChangeKind, Paragraph, Table, Table1, TextEdit
from .styles import Styles, seen
from .styles import of as styles_of
from .wordfile import (
    DRAWN_KINDS,
    BodyBlock,
    ObjectKind,
    SeenObject,
    control_name,
    format_number,
    inside_controls,
    note_key,
    paragraph_text,
    part_root,
)

# Clark names are looked up many times per paragraph; python-docx builds them afresh on each call.
qn = functools.lru_cache(maxsize=None)(_qn)

T = TypeVar("T")
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_MARKERS = re.compile(r"[“”\"'‘’⁰¹²³⁴⁵⁶⁷⁸⁹]")
#: Two paragraphs are the same paragraph, changed, when this share of their words survives.
SIMILAR = 0.5
#: How many blocks ahead a changed block's counterpart is looked for.
LOOKAHEAD = 100


class StepKind(enum.StrEnum):
    """How two aligned blocks (paragraphs, tables, rows) relate; compares equal to its value for older callers."""

    EQUAL = "equal"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"
    MOVED_FROM = "moved from"
    """The block stood here in OLD and stands elsewhere, unchanged, in NEW."""
    MOVED_TO = "moved to"
    """The block stands here in NEW and stood elsewhere, unchanged, in OLD."""


@dataclass(frozen=True)
class WordAlignment:
    """Two paragraphs' words (words, spaces and punctuation marks) and the opcodes turning OLD's into NEW's:
    computed once, for the change records and the redline alike."""

    old: list[str]
    new: list[str]
    opcodes: list[tuple[str, int, int, int, int]]


@dataclass(frozen=True)
class Step(Generic[T]):
    """One step of an alignment: both sides equal, one changed into the other, or one side only."""

    kind: StepKind
    """Equal, changed, added or removed."""

    def __post_init__(self) -> None:
        if not isinstance(self.kind, StepKind):  # a long comparison makes thousands of steps, nearly all by kind
            object.__setattr__(self, "kind", StepKind(self.kind))

    old: T | None
    new: T | None
    words: WordAlignment | None = None
    """For a changed paragraph, the alignment of its words."""
    rows: tuple[Step[int], ...] = ()
    """For a changed table, its rows matched: each side is a row's place (from 0) in its table."""


def tokens(text: str) -> list[str]:
    """Words, runs of spaces and single punctuation marks: the units of a word-level comparison."""
    return list(_tokens(text))


#: How many texts' tokens are kept. A comparison splits each changed paragraph's two versions into tokens to
#: judge whether they are alike, again to align their words, and the redline again to mark them: a third of the
#: comparison of two long reports that differ throughout, when each was split afresh.
TOKENS_KEPT = 8192


@functools.lru_cache(maxsize=TOKENS_KEPT)
def _tokens(text: str) -> tuple[str, ...]:
    # Interned: the kept tokens of a long report are a few thousand words repeated, held once each.
    return tuple(map(sys.intern, _TOKEN.findall(text)))


#: Beyond this many token pairs a word-by-word alignment costs more than it tells: the middle of two very long
#: paragraphs is aligned by sentences, and sentences by words only where they are short enough.
FULL_ALIGNMENT = 400_000
_SENTENCE_END = {".", "!", "?", "\n", ";"}


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes turning token list a into b, in time close to linear for very long texts.

    difflib's SequenceMatcher is quadratic on long runs of repeated tokens (spaces, "the"); common starts and
    ends are taken off first, and what is left is aligned sentence by sentence when it is still long.
    """
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    out: list[tuple[str, int, int, int, int]] = []
    if start:
        out.append(("equal", 0, start, 0, start))
    if len(middle_a) * len(middle_b) <= FULL_ALIGNMENT:
        found = _word_opcodes(middle_a, middle_b)
        out += [
            (tag, i1 + start, i2 + start, j1 + start, j2 + start)
            for tag, i1, i2, j1, j2 in found
            if i1 != i2 or j1 != j2
        ]
    else:
        out += _sentence_opcodes(middle_a, middle_b, offset_a=start, offset_b=start)
    if end:
        out.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return out


#: Up to this many token pairs, difflib's longest-match alignment, which reads best; beyond it rapidfuzz's
#: bit-parallel longest common subsequence (C++), tidied so one edit is not split at every space it keeps.
SMALL_ALIGNMENT = 1_600


def _word_opcodes(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    if len(a) * len(b) <= SMALL_ALIGNMENT:
        return list(difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes())
    merged: list[list[Any]] = []
    raw = [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end) for op in Indel.opcodes(a, b)]
    last = len(raw) - 1
    for index, (tag, i1, i2, j1, j2) in enumerate(raw):
        kind = "change"
        if tag == "equal":
            kind = "equal"
            if 0 < index < last:
                # Equal stretches of only spaces or single punctuation between two changes are part of one edit.
                for t in a[i1:i2]:
                    if not (t.isspace() or len(t) == 1 and not t.isalnum()):
                        break
                else:
                    kind = "change"
        if kind == "change" and merged and merged[-1][0] == "change":
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([kind, i1, i2, j1, j2])
    out = []
    for kind, i1, i2, j1, j2 in merged:
        if kind == "change":
            kind = "replace" if i1 < i2 and j1 < j2 else "delete" if i1 < i2 else "insert"
        out.append((kind, i1, i2, j1, j2))
    return out


def _sentences(tokens_: Sequence[str]) -> list[tuple[int, int]]:
    bounds, begin = [], 0
    for index, token in enumerate(tokens_):
        if token in _SENTENCE_END or index - begin >= 200:
            bounds.append((begin, index + 1))
            begin = index + 1
    if begin < len(tokens_):
        bounds.append((begin, len(tokens_)))
    return bounds


def _sentence_opcodes(
    a: Sequence[str], b: Sequence[str], *, offset_a: int, offset_b: int
) -> list[tuple[str, int, int, int, int]]:
    """Aligns sentences as units (hashable tuples, few repeats), then words inside replaced sentence pairs."""
    sa, sb = _sentences(a), _sentences(b)
    keys_a, keys_b = [tuple(a[i:j]) for i, j in sa], [tuple(b[i:j]) for i, j in sb]
    out = []
    matcher = difflib.SequenceMatcher(a=keys_a, b=keys_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a1 = sa[i1][0] if i1 < len(sa) else len(a)
        a2 = sa[i2 - 1][1] if i2 > i1 else a1
        b1 = sb[j1][0] if j1 < len(sb) else len(b)
        b2 = sb[j2 - 1][1] if j2 > j1 else b1
        if tag == "replace" and (a2 - a1) * (b2 - b1) <= FULL_ALIGNMENT:
            inner = _word_opcodes(a[a1:a2], b[b1:b2])
            out += [
                (t, x1 + a1 + offset_a, x2 + a1 + offset_a, y1 + b1 + offset_b, y2 + b1 + offset_b)
                for t, x1, x2, y1, y2 in inner
            ]
        else:
            out.append((tag, a1 + offset_a, a2 + offset_a, b1 + offset_b, b2 + offset_b))
    return out


def word_opcodes(old: str, new: str) -> tuple[list[str], list[str], list[tuple[str, int, int, int, int]]]:
    """Opcodes over the two texts' tokens, with the tokens."""
    a, b = tokens(old), tokens(new)
    return a, b, opcodes(a, b)


def align_words(old: str, new: str) -> WordAlignment:
    """The word-by-word alignment of two texts."""
    return WordAlignment(*word_opcodes(old, new))


def text_edits(old: str, new: str, words: WordAlignment | None = None) -> tuple[TextEdit, ...]:
    """The words that differ, from the texts' alignment (made here when none is given)."""
    if words is None:
        words = align_words(old, new)
    a, b = words.old, words.new
    return tuple(
        TextEdit(old="".join(a[i1:i2]), new="".join(b[j1:j2]))
        for tag, i1, i2, j1, j2 in words.opcodes
        if tag != "equal"
    )


def similarity(old: str, new: str) -> float:
    """The share of words (spaces left out, so they do not make unrelated texts look alike) the texts share."""

    a, b = _words(old), _words(new)
    if not a and not b:
        return 1.0
    # The share of words in order in both (2 x common subsequence / total), as difflib's ratio, computed in C++.
    return float(Indel.normalized_similarity(a, b))


@functools.lru_cache(maxsize=TOKENS_KEPT)
def _words(text: str) -> tuple[str, ...]:
    """The words and punctuation marks of a text: its tokens without the runs of spaces, and without the objects
    a block's key adds after its text. Kept, as a block looking for its counterpart is compared with many."""
    return tuple(itertools.filterfalse(str.isspace, _tokens(text.split("\x00", 1)[0])))


def align(old: Sequence[T], new: Sequence[T], *, key: Callable[[T], tuple[str, str]]) -> list[Step[T]]:
    """Matches two sequences of blocks: equal ones first, then similar ones of the same kind as changes."""
    old_keys, new_keys = [key(x) for x in old], [key(x) for x in new]
    steps: list[Step[T]] = []
    matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            steps += [Step(StepKind.EQUAL, old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        if i2 - i1 == j2 - j1 and all(
            _same_place(old_keys[i], new_keys[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
        ):
            # As many blocks replaced as replaced them, each like its counterpart: each was edited in place.
            steps += [Step(StepKind.CHANGED, old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        position = i1
        for j in range(j1, j2):
            kind, text = new_keys[j]
            # Looking a bounded way ahead keeps a rewrite of thousands of blocks linear.
            match = next(
                (
                    i
                    for i in range(position, min(i2, position + LOOKAHEAD))
                    if old_keys[i][0] == kind and (kind == "t" or _alike(old_keys[i][1], text))
                ),
                None,
            )
            if match is None:
                steps.append(Step(StepKind.ADDED, None, new[j]))
                continue
            steps += [Step(StepKind.REMOVED, old[i], None) for i in range(position, match)]
            steps.append(Step(StepKind.CHANGED, old[match], new[j]))
            position = match + 1
        steps += [Step(StepKind.REMOVED, old[i], None) for i in range(position, i2)]
    return steps


def _same_place(old: tuple[str, str], new: tuple[str, str]) -> bool:
    """Whether a block replaced by another at the same place is that block edited: same kind, and similar
    text or both short (a figure in a table cell changing from 8 to 10 shares no words, yet is an edit)."""
    if old[0] != new[0]:
        return False
    return old[0] == "t" or _short_text(old[1]) and _short_text(new[1]) or _alike(old[1], new[1])


def _alike(old: str, new: str) -> bool:
    """Whether two paragraphs' keys are of one paragraph edited: similar words, or the same pictures, charts or
    shapes (a caption typed beside a picture)."""
    if similarity(old, new) >= SIMILAR:
        return True
    objects = old.partition("\x00")[2]
    return bool(objects) and objects == new.partition("\x00")[2]


def _short_text(text: str) -> bool:
    """Whether the text (objects left out) is at most three tokens; only the first four are looked for."""
    return len(list(itertools.islice(_TOKEN.finditer(text.split("\x00", 1)[0]), 4))) <= 3


def element_key(element: _Element) -> tuple[str, str]:
    """What an XML block is compared by: its kind and its text; a table's with its cells told apart, so cells
    merged or split (the same words in other cells) are a change."""
    if element.tag == qn("w:tbl"):
        texts: list[str] = []
        cell = None
        for paragraph in element.iter(_P):
            holder = next(paragraph.iterancestors(_TC), None)
            if texts:
                texts.append("\n" if holder is cell else _CELL_BREAK)
            cell = holder
            texts.append(paragraph_text(paragraph))
        return "t", "".join(texts)
    return "p", paragraph_text(element)


_P, _TC = qn("w:p"), qn("w:tc")
#: Between two cells' words in a table's comparison key: no text holds it.
_CELL_BREAK = "\x01"


def _block_key(block: BodyBlock) -> tuple[str, str]:
    """A body block's comparison key; a paragraph's text is already read."""
    if isinstance(block.block, Paragraph):
        # Objects join the text after a separator no text holds, so a replaced picture alone is a change, as does
        # a content control put around the paragraph or taken away.
        seen = block.objects + block_controls(block.element) + empty_controls(block.element)
        return "p", block.block.text + "".join(f"\x00{o.label}\x00{o.compared}" for o in seen)
    kind, text = element_key(block.element)
    seen = block.objects + block_controls(block.element) + empty_controls(block.element)
    return kind, text + "".join(f"\x00{o.label}\x00{o.compared}" for o in seen)


def controls_around(block: _Element) -> list[_Element]:
    """The content controls directly holding a block (a paragraph in a control, or controls nested round it),
    outermost first; custom XML between them is looked through."""
    found = []
    for ancestor in block.iterancestors():
        if ancestor.tag == qn("w:sdt"):
            found.append(ancestor)
        elif ancestor.tag not in (qn("w:sdtContent"), qn("w:customXml")):
            break
    return found[::-1]


def control_label(control: _Element) -> str:
    """A content control as a reviewer is told of it: by its title in Word (alias), else its tag."""
    return control_name(control)


def block_controls(block: _Element) -> tuple[SeenObject, ...]:
    """The content controls around a paragraph or table, outermost first, as objects a reader sees: one put
    around an unchanged block (or taken away, or renamed) is a change, though no word changed. Its tag is
    compared too, though a control with a title is named by that."""
    kind = "table" if block.tag == qn("w:tbl") else "paragraph"
    return tuple(
        SeenObject(ObjectKind.CONTENT_CONTROL, f"{control_label(c)} around the {kind}", control_tag(c))
        for c in controls_around(block)
    )


def empty_controls(block: _Element) -> tuple[SeenObject, ...]:
    """The content controls holding nothing that stand just before a paragraph or table (or just after the last
    one): Word shows each as its placeholder, so one put in or taken away is a change a reader sees. The redline
    cannot track one (Word has no tracked change for a control, and one holding nothing has nothing to delete), so
    they are compared here only."""
    kind = "table" if block.tag == qn("w:tbl") else "paragraph"
    before = list(itertools.takewhile(_is_empty_control, block.itersiblings(preceding=True)))[::-1]
    after = list(itertools.takewhile(_is_empty_control, block.itersiblings()))
    following = block.itersiblings()
    last = next(itertools.islice(following, len(after), None), None)
    if last is not None and last.tag != qn("w:sectPr"):
        after = []  # told with the block after them
    return tuple(
        SeenObject(ObjectKind.CONTENT_CONTROL, f"empty {control_label(c)} {where} the {kind}")
        for where, controls in (("before", before), ("after", after))
        for c in controls
    )


def _is_empty_control(element: _Element) -> bool:
    """Whether an element is a content control holding no paragraph or table."""
    if element.tag != qn("w:sdt"):
        return False
    content = element.find(qn("w:sdtContent"))
    return content is None or next(inside_controls(content, qn("w:p"), qn("w:tbl")), None) is None


def _controls_seen(block: _Element) -> tuple[SeenObject, ...]:
    """The content controls around a block and the empty ones beside it, as they are compared."""
    return block_controls(block) + empty_controls(block)


def control_tag(control: _Element) -> str:
    """A content control's tag (Developer > Properties), compared but not shown where it has a title."""
    tag = control.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
    return tag.get(qn("w:val"), "") if tag is not None else ""


def _retagged_controls(
    old: BodyBlock, new: BodyBlock, section: str | None, table_number: int
) -> tuple[BodyBlock, BodyBlock, list[Change]]:
    """The content controls around a block that kept their title but whose tag changed, each told by what changed
    (Word's Content Control Properties call them Title and Tag), and the blocks with those controls made alike, so
    what else changed is told as before."""
    if len(old.objects) != len(new.objects):
        return old, new, []
    block = new.block
    place = _table_name(block, table_number) if isinstance(block, Table) else _paragraph_place(block, None)
    changes, kept = [], []
    for before, after in zip(old.objects, new.objects, strict=True):
        if (
            before.kind == after.kind == ObjectKind.CONTENT_CONTROL
            and before.label == after.label
            and before.identity != after.identity
        ):
            name = after.label.rsplit(" around the ", 1)[0]
            changes.append(
                Change(
                    kind=ChangeKind.CHANGED,
                    where=f"{place}, {name}",
                    section=section,
                    old=_tag_words(before.identity),
                    new=_tag_words(after.identity),
                    edits=(),
                )
            )
            after = before
        kept.append(after)
    return old, replace(new, objects=tuple(kept)), changes


def _tag_words(tag: str) -> str:
    return f"tag {quoted(tag)}" if tag else "no tag"


def row_key(cells: Sequence[str]) -> tuple[str, str]:
    """What a table row is matched by: its label (the theme, say), so a row whose figures change stays the row."""
    return "r", _row_label(tuple(cells))


def compare_blocks(
    old: Sequence[BodyBlock], new: Sequence[BodyBlock]
) -> tuple[list[Step[BodyBlock]], tuple[Change, ...]]:
    """The alignment of two documents' blocks, and the changes a reviewer reads.

    A changed paragraph's step carries the alignment of its words, and a changed table's step its rows matched:
    the change records are read from them here and the redline writes its tracked changes from the same."""
    steps = [_with_detail(step) for step in _find_moves(align(old, new, key=_block_key))]
    changes: list[Change] = []
    places = _move_places(steps)
    sections: dict[str, str | None] = {"old": None, "new": None}
    tables = {"old": 0, "new": 0}
    last_new_number: str | None = None
    # On each side, the last paragraph with words so far: a section break is placed after it.
    written: dict[str, Paragraph | None] = {"old": None, "new": None}
    for step in steps:
        for side in ("old", "new"):
            block: BodyBlock | None = getattr(step, side)
            if block is None:
                continue
            if isinstance(block.block, Paragraph) and block.block.heading_level:
                sections[side] = _short(block.block.text.strip(), 50)
            if isinstance(block.block, Table):
                tables[side] += 1
        if step.kind == StepKind.MOVED_TO and step.new is not None and isinstance(step.new.block, Paragraph):
            before, after = places[id(step.new)]
            changes.append(
                Change(
                    kind=ChangeKind.MOVED,
                    where=f"{_paragraph_place(step.new.block, None)}",
                    section=sections["new"],
                    old=before,
                    new=after,
                    edits=(),
                )
            )
        elif step.kind == StepKind.REMOVED and step.old is not None:
            changes += _block_changes(
                ChangeKind.REMOVED, step.old.block, None, sections["old"], tables["old"], None, objects=step.old.objects
            )
        elif step.kind == StepKind.ADDED and step.new is not None:
            changes += _block_changes(
                ChangeKind.ADDED,
                None,
                step.new.block,
                sections["new"],
                tables["new"],
                last_new_number,
                objects=step.new.objects,
            )
        elif step.kind == StepKind.CHANGED and step.old is not None and step.new is not None:
            found = _block_changes(
                ChangeKind.CHANGED,
                step.old.block,
                step.new.block,
                sections["new"],
                tables["new"],
                None,
                step.words,
                step.rows,
            )
            old_block, new_block = step.old, step.new
            if old_block.element.tag == new_block.element.tag:
                # The content controls around the paragraph or table are compared as its objects are.
                old_block = replace(old_block, objects=old_block.objects + _controls_seen(old_block.element))
                new_block = replace(new_block, objects=new_block.objects + _controls_seen(new_block.element))
            if old_block.objects != new_block.objects:
                # A note edited where its reference stands is told word by word from its own text (note_pairs).
                old_block, new_block = _without_pairs(old_block, new_block, note_pairs(step))
                found = found if old_block.objects != new_block.objects else [c for c in found if _told(c)]
            if old_block.objects != new_block.objects:
                old_block, new_block, retagged = _retagged_controls(
                    old_block, new_block, sections["new"], tables["new"]
                )
                found = [c for c in found if c.edits] + retagged if retagged else found
            if old_block.objects != new_block.objects:
                found = _object_changes(found, old_block, new_block, sections["new"], tables["new"])
            changes += found
        changes += _section_break_changes(step, written, sections)
        for side in ("old", "new"):
            block = getattr(step, side)
            if block is not None and isinstance(block.block, Paragraph) and block.block.text.strip():
                written[side] = block.block
        if step.new is not None and isinstance(step.new.block, Paragraph) and _is_number(step.new.block.number):
            last_new_number = step.new.block.number
    return steps, tuple(changes)


#: How a section starts, as Word's Layout > Breaks names it (w:type; a new page where none is given).
_SECTION_STARTS = {
    "nextPage": "new page",
    "continuous": "continuous",
    "evenPage": "even page",
    "oddPage": "odd page",
    "nextColumn": "new column",
}
_PARAGRAPH_PROPERTIES, _SECTION_PROPERTIES = qn("w:pPr"), qn("w:sectPr")
_NEXT_SECTION = etree.XPath("following::w:sectPr[1]", namespaces={"w": qn("w:p")[1:].partition("}")[0]})
#: What a section's properties hold besides its layout: its headers and footers (compared as stories of their own,
#: and named by relationship ids that differ between two files) and a recorded change.
#: The printer's own settings are left out too: they are a relationship to a part of printer data, not layout.
_NOT_LAYOUT = frozenset(
    {qn("w:headerReference"), qn("w:footerReference"), qn("w:sectPrChange"), qn("w:printerSettings")}
)


def section_break(paragraph: _Element) -> _Element | None:
    """The section properties a paragraph's mark holds where the paragraph ends a section (a section break).

    Asked several times of every paragraph of a diff: the paragraph's properties are its first child (as the schema
    has them, and Word opens no other), and lxml filters their children by tag in C, where find() would go through
    its Python ElementPath."""
    properties = paragraph[0] if len(paragraph) else None
    if properties is None or properties.tag != _PARAGRAPH_PROPERTIES:
        return None
    return next(properties.iterchildren(_SECTION_PROPERTIES), None)


def section_layout(section: _Element) -> list[tuple[Any, ...]]:
    """A section's page layout (size, orientation, margins, columns, how it starts...), to compare two sections
    by; its headers and footers are left out."""
    return [canonical(child) for child in section if child.tag not in _NOT_LAYOUT and not _as_if_left_out(child)]


def layout_differs(before: _Element, after: _Element) -> bool:
    """Whether two sections' page layouts read otherwise: as section_layout says, the distance of a header (or
    footer) from the page's edge left aside where neither section has one to place (LibreOffice writes 0 there)."""
    if section_layout(before) == section_layout(after):
        return False
    unshown = _unshown(before, after)
    return [canonical(c) for c in _layout_seen(before, unshown)] != [canonical(c) for c in _layout_seen(after, unshown)]


def _unshown(before: _Element, after: _Element) -> list[str]:
    """ "header" and "footer", those that neither section shows (its own, or one it carries on from a section
    before it)."""
    return [
        kind
        for kind in ("header", "footer")
        if not any(
            section.find(qn(f"w:{kind}Reference")) is not None or _CARRIED_ON[kind](section)
            for section in (before, after)
        )
    ]


_CARRIED_ON = {
    kind: etree.XPath(
        f"boolean(preceding::w:sectPr/w:{kind}Reference)",
        namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"},
    )
    for kind in ("header", "footer")
}


def _layout_seen(section: _Element, unshown: list[str]) -> list[_Element]:
    """A section's layout settings (as section_layout takes them), without the distances of what it does not show."""
    found = []
    for child in section:
        if child.tag in _NOT_LAYOUT or not isinstance(child.tag, str) or _as_if_left_out(child):
            continue
        if child.tag == qn("w:pgMar") and unshown:
            child = etree.Element(child.tag, {k: v for k, v in child.attrib.items() if _localname(k) not in unshown})
        found.append(child)
    return found


#: Section properties that are on/off switches, off where they are left out.
_SECTION_SWITCHES = frozenset(qn(f"w:{name}") for name in ("formProt", "titlePg", "bidi", "rtlGutter", "noEndnote"))


def _as_if_left_out(child: _Element) -> bool:
    """Whether a section property is written out at the value Word takes where it is left out, as LibreOffice
    writes them on every save: an on/off switch off, text running left to right, pages numbered 1, 2, 3 from where
    the numbering stands, text aligned to the top, no document grid (whose pitches then change nothing), a new page
    at the start, one column, notes numbered as Word numbers them."""
    value = child.get(qn("w:val"))
    if child.tag in _SECTION_SWITCHES:
        return value in ("0", "false", "off")
    if child.tag == qn("w:textDirection"):
        return value in ("lrTb", "tb")  # the transitional and the strict name of the same direction
    if child.tag == qn("w:vAlign"):
        return value == "top"
    if child.tag == qn("w:pgNumType"):
        return all(name == qn("w:fmt") and number == "decimal" for name, number in child.attrib.items())
    if child.tag == qn("w:docGrid"):
        return child.get(qn("w:type"), "default") == "default"
    if child.tag == qn("w:type"):
        return value in (None, "nextPage")
    if child.tag == qn("w:cols"):  # one column: its spacing and line between columns change nothing
        return child.get(qn("w:num"), "1") == "1" and child.find(qn("w:col")) is None
    if child.tag in _NOTE_NUMBERING:
        return all(_note_numbering_as_if_left_out(child.tag, setting) for setting in child)
    return False


#: A section's footnote and endnote numbering, and the number format Word numbers each with where it is not set.
_NOTE_NUMBERING = {qn("w:footnotePr"): "decimal", qn("w:endnotePr"): "lowerRoman"}


def _note_numbering_as_if_left_out(kind: str, setting: _Element) -> bool:
    value = setting.get(qn("w:val"))
    return (
        (setting.tag == qn("w:numFmt") and value == _NOTE_NUMBERING[kind])
        or (setting.tag == qn("w:numStart") and value == "1")
        or (setting.tag == qn("w:numRestart") and value == "continuous")
    )


def _section_kind(section: _Element) -> str:
    start = section.find(qn("w:type"))
    value = start.get(qn("w:val"), "nextPage") if start is not None else "nextPage"
    return f"section break ({_SECTION_STARTS.get(value, value)})"


def _section_break_changes(
    step: Step[BodyBlock], written: dict[str, Paragraph | None], sections: dict[str, str | None]
) -> list[Change]:
    """A section break added or removed (a paragraph's mark that ends a section in one version and not in the
    other), placed after the last paragraph with words before it."""
    breaks = {
        side: section_break(block.element) if block is not None and isinstance(block.block, Paragraph) else None
        for side, block in (("old", step.old), ("new", step.new))
    }
    found = []
    for side, other, kind in (("old", "new", ChangeKind.REMOVED), ("new", "old", ChangeKind.ADDED)):
        block: BodyBlock | None = getattr(step, side)
        section = breaks[side]
        if block is None or section is None or breaks[other] is not None or not isinstance(block.block, Paragraph):
            continue
        before = block.block if block.block.text.strip() else written[side]
        where = f"after {_paragraph_place(before, None)}" if before is not None else "at the start of the document"
        found.append(_one_sided(kind, where, sections[side], _break_words(section, _next_section(block.element))))
    return found


def _next_section(paragraph: _Element) -> _Element | None:
    """The properties of the section after a paragraph's break: the next break's, or the body's own."""
    found = _NEXT_SECTION(paragraph)
    return found[0] if isinstance(found, list) and found and isinstance(found[0], _Element) else None


def _break_words(ended: _Element, started: _Element | None) -> str:
    """A section break as a reviewer reads it: how the section after it starts, as Word names the break ("section
    break (new page)"), and where that section's page layout differs from the one before the break, how it looks
    there: "section break (new page): landscape; 2 columns"."""
    if started is None:  # never in a document Word wrote: its body ends with its last section's properties
        return _section_kind(ended)
    before, after = _layout_words(ended), _layout_words(started)
    for words in (before, after):
        words.pop("start")  # said by the break's own name
    return ": ".join(part for part in (_section_kind(started), _layout_difference(before, after)[1]) if part)


def _with_detail(step: Step[BodyBlock]) -> Step[BodyBlock]:
    """A changed paragraph's step with the alignment of its words, a changed table's with its rows matched."""
    if step.kind != StepKind.CHANGED or step.old is None or step.new is None:
        return step
    old, new = step.old.block, step.new.block
    if isinstance(old, Paragraph) and isinstance(new, Paragraph):
        return Step(step.kind, step.old, step.new, words=align_words(old.text, new.text))
    if isinstance(old, Table) and isinstance(new, Table):
        return Step(step.kind, step.old, step.new, rows=tuple(align_rows(old, new)))
    return step


def align_rows(old: Table, new: Table) -> list[Step[int]]:
    """Matches two tables' rows by their labels (the theme, say), so a row whose figures change stays the row;
    each side of a step is a row's place in its table."""
    steps = align(list(enumerate(old.rows)), list(enumerate(new.rows)), key=lambda row: row_key(row[1]))
    return [
        Step(step.kind, step.old[0] if step.old is not None else None, step.new[0] if step.new is not None else None)
        for step in steps
    ]


#: A paragraph is taken as moved, rather than deleted in one place and written again in another, when it has
#: at least this many words and the same text in both places.
MOVE_WORDS = 4


def _find_moves(steps: list[Step[BodyBlock]]) -> list[Step[BodyBlock]]:
    """Paragraphs removed in one place and added, with the same text, in another are moves."""
    removed: dict[str, list[int]] = {}
    for index, step in enumerate(steps):
        if (
            step.kind == StepKind.REMOVED
            and step.old is not None
            and isinstance(step.old.block, Paragraph)
            and len(step.old.block.text.split()) >= MOVE_WORDS
        ):
            removed.setdefault(_block_key(step.old)[1], []).append(index)
    if not removed:
        return steps
    steps = list(steps)
    for index, step in enumerate(steps):
        if step.kind != StepKind.ADDED or step.new is None or not isinstance(step.new.block, Paragraph):
            continue
        candidates = removed.get(_block_key(step.new)[1])
        if candidates:
            source = candidates.pop(0)
            steps[index] = Step(StepKind.MOVED_TO, steps[source].old, step.new)
            steps[source] = Step(StepKind.MOVED_FROM, steps[source].old, None)
    return steps


def _move_places(steps: list[Step[BodyBlock]]) -> dict[int, tuple[str, str]]:
    """For each moved paragraph (by its NEW block), where it stood and where it stands: "paragraph 4" -> "9"."""
    positions: dict[tuple[str, int], int] = {}
    counters = {"old": 0, "new": 0}
    for step in steps:
        for side in ("old", "new"):
            if step.kind == (StepKind.MOVED_TO if side == "old" else StepKind.MOVED_FROM):
                continue  # each side of a move is counted where it stands on that side
            block = getattr(step, side)
            if block is not None and isinstance(block.block, Paragraph):
                counters[side] += 1
                positions[(side, id(block))] = counters[side]

    def place(side: str, block: BodyBlock | None) -> str:
        # A numbered paragraph by the number it shows on that side, as the summary names it elsewhere; any other by
        # how many paragraphs come before it (counting headings and empty ones: Word's own count).
        if block is not None and isinstance(block.block, Paragraph) and _is_number(block.block.number):
            return f"paragraph {block.block.number.rstrip('.')}"
        return f"paragraph {positions.get((side, id(block)), '?')}"

    return {
        id(step.new): (place("old", step.old), place("new", step.new))
        for step in steps
        if step.kind == StepKind.MOVED_TO
    }


def _block_changes(
    kind: ChangeKind,
    old: Paragraph | Table | None,
    new: Paragraph | Table | None,
    section: str | None,
    table_number: int,
    previous_number: str | None,
    words: WordAlignment | None = None,
    rows: Sequence[Step[int]] = (),
    *,
    objects: tuple[SeenObject, ...] = (),
) -> list[Change]:
    """The change records of one step; objects are what an added or removed paragraph holds besides its text."""
    block = new if new is not None else old
    if isinstance(block, Table):
        name = _table_name(block, table_number)
        if kind == "changed" and isinstance(old, Table) and isinstance(new, Table):
            return _table_changes(name, old, new, section, rows or align_rows(old, new))
        return [_one_sided(kind, name, section, "\n".join(" | ".join(row) for row in block.rows))]
    if block is None:  # never: a step has at least one side
        return []
    # A paragraph whose words all went (a picture in their place) is found by the words it had.
    named = old if isinstance(old, Paragraph) and not block.text.strip() else block
    where = _paragraph_place(named, previous_number if kind == "added" else None)
    if kind != "changed" and not block.text.strip() and objects:
        # A picture or chart on a line of its own: named by what it holds.
        return [_one_sided(kind, where, section, "; ".join(o.label for o in objects))]
    if kind != "changed" and not block.text.strip():
        # An empty paragraph is a line of space on the page: said so, not quoted as "".
        return [Change(kind=kind, where="an empty paragraph", section=section, old="", new="", edits=())]
    if kind == "changed" and isinstance(old, Paragraph) and isinstance(new, Paragraph):
        edits = text_edits(old.text, new.text, words)
        if old.hidden or new.hidden:
            edits = _hidden_marked(old, new, words or align_words(old.text, new.text))
        return [
            Change(
                kind=kind,
                where=where,
                section=section,
                old=with_hidden_marked(old.text, old.hidden),
                new=with_hidden_marked(new.text, new.hidden),
                edits=edits,
            )
        ]
    # Pictures, charts and shapes added or removed with the words beside them are named after those words.
    shown = "".join(f" [{o.label}]" for o in objects if o.kind in DRAWN_KINDS)
    return [
        Change(
            kind=kind,
            where=where,
            section=section,
            old=with_hidden_marked(old.text, old.hidden) + shown if isinstance(old, Paragraph) else "",
            new=with_hidden_marked(new.text, new.hidden) + shown if isinstance(new, Paragraph) else "",
            edits=(),
        )
    ]


def with_hidden_marked(text: str, hidden: Sequence[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """text[start:end] with the words formatted Hidden marked as `text` shows them, `[hidden: subject to funding]`
    (the spaces at a stretch's ends standing outside the mark): Word and print do not show them, so a summary that
    quoted them as ordinary words would send a reviewer looking for words the page does not have."""
    end = len(text) if end is None else end
    out, place = [], start
    for first, last in hidden:
        first, last = max(first, start), min(last, end)
        if first >= last:
            continue
        inner = text[first:last]
        words = inner.strip()
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :] if words else ""
        out += [text[place:first], lead, f"[hidden: {words}]" if words else "", trail]
        place = last
    out.append(text[place:end])
    return "".join(out)


def _hidden_marked(old: Paragraph, new: Paragraph, words: WordAlignment) -> tuple[TextEdit, ...]:
    """text_edits' words, with the words formatted Hidden on either side marked."""
    old_starts = list(itertools.accumulate(map(len, words.old), initial=0))
    new_starts = list(itertools.accumulate(map(len, words.new), initial=0))
    return tuple(
        TextEdit(
            old=with_hidden_marked(old.text, old.hidden, old_starts[i1], old_starts[i2]),
            new=with_hidden_marked(new.text, new.hidden, new_starts[j1], new_starts[j2]),
        )
        for tag, i1, i2, j1, j2 in words.opcodes
        if tag != "equal"
    )


def _one_sided(kind: ChangeKind, where: str, section: str | None, text: str) -> Change:
    """The record of something added (text is what NEW has) or removed (text is what OLD had)."""
    return Change(
        kind=kind,
        where=where,
        section=section,
        old=text if kind == ChangeKind.REMOVED else "",
        new=text if kind == ChangeKind.ADDED else "",
        edits=(),
    )


def _is_number(label: str | None) -> TypeGuard[str]:
    """Whether a list label is a number or letter a reader can cite ("3.2", "b)"), not a bullet."""
    return bool(label and re.search(r"[^\W_]", label))


def formatting_changes(steps: list[Step[BodyBlock]]) -> tuple[Change, ...]:
    """Formatting changes, listed apart from the changes of text: a style (a heading made body text), a list's
    level or kind, indents or alignment, a paragraph mark's formatting, or words made bold, italic or another font;
    in paragraphs whose words are unchanged or edited, and in the paragraphs of table cells. The redline records
    each as a formatting change, so Reject All restores it."""
    changes = []
    tables = 0
    for step in steps:
        old, new = step.old, step.new
        if new is not None and isinstance(new.block, Table):
            tables += 1
        if old is None or new is None or step.kind not in (StepKind.EQUAL, StepKind.CHANGED, StepKind.MOVED_TO):
            continue  # a moved paragraph's formatting is told too: its move keeps OLD's runs and NEW's apart
        if etree.tostring(old.element) == etree.tostring(new.element):
            # The same XML, in C: most blocks of two versions. A list's definition may still have changed.
            if isinstance(old.block, Paragraph) and isinstance(new.block, Paragraph):
                where = _paragraph_place(new.block, None)
                changes += [_formatting_record(where, b, a) for b, a in _list_definition_said(old, new)]
            elif isinstance(new.block, Table) and old.block != new.block:  # the numbers of its cells' lists
                changes += _cell_formatting_changes(_table_name(new.block, tables), old, new, _rows_by_xml(old, new))
            continue
        if isinstance(old.block, Paragraph) and isinstance(new.block, Paragraph):
            where = _paragraph_place(new.block, None)
            said = (
                [(f"style {old.block.style}", f"style {new.block.style}")] if old.block.style != new.block.style else []
            )
            said += _formatting_said(old.element, new.element, old.block.number or "", new.block.number or "")
            if not any(b.startswith("list ") or "; list " in b for b, _a in said):
                said += _list_definition_said(old, new)
            changes += [_formatting_record(where, before, after) for before, after in said]
            changes += _text_box_changes(where, old.element, new.element)
        elif isinstance(old.block, Table) and isinstance(new.block, Table):
            changes += _cell_formatting_changes(_table_name(new.block, tables), old, new, step.rows)
    return tuple(changes) + tuple(_layout_changes(steps))


def same_note_pairs(
    kind: str, old_part: Any, new_part: Any, old: Sequence[BodyBlock], new: Sequence[BodyBlock]
) -> Iterator[tuple[str, _Element, _Element]]:
    """The footnotes, endnotes or comments (kind) that the two bodies refer to and that read the same (the same
    words and pictures: one that differs is a change of the paragraph referring to it), each with its counterpart,
    matched in the order the text refers to them: (how a reader finds it, "footnote 2"; OLD's; NEW's)."""
    found = []
    for part, blocks in ((old_part, old), (new_part, new)):
        root = part_root(part)
        notes = {n.get(qn("w:id")): n for n in root.iter(qn(f"w:{kind}"))} if root is not None else {}
        references = (r.get(qn("w:id")) for b in blocks for r in b.element.iter(qn(f"w:{kind}Reference")))
        found.append([(note_key(notes[i], part), notes[i]) for i in dict.fromkeys(references) if i in notes])
    before, after = found
    matcher = difflib.SequenceMatcher(a=[k for k, _n in before], b=[k for k, _n in after], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                yield f"{kind} {j + 1}", before[i][1], after[j][1]


def _list_definition_said(old: BodyBlock, new: BodyBlock) -> list[tuple[str, str]]:
    """A paragraph left in the same list and level whose number reads otherwise because the list's definition
    changed (its format, 1 -> a; its text, 11 -> 11.; its first number or a restart), as old and new words with
    the numbers each version shows. A number moved on by a paragraph added above is no change of the paragraph's."""
    assert isinstance(old.block, Paragraph) and isinstance(new.block, Paragraph)
    old_number, new_number = old.block.number or "", new.block.number or ""
    sides = (styles_of(old.element), styles_of(new.element))
    if old_number == new_number and not old_number:
        return []
    through_style = _style_list_places(old.element, new.element, sides, (old.element, new.element))
    if through_style is not None:
        before, after = (
            _list_words(side, place, number) if place is not None else "no list"
            for side, place, number in zip(sides, through_style, (old_number, new_number), strict=True)
        )
        return [(before, after)] if before != after else []
    if not numberings_differ(sides):
        return []
    places = _list_places(old.element, new.element, sides, (old.element, new.element))
    if places is None or sides[0].list_format(places[0]) == sides[1].list_format(places[1]):
        return []
    if old_number == new_number:  # the same bullet character, drawn otherwise (another font, a picture)
        looks = sides[0].bullet_look(places[0]), sides[1].bullet_look(places[1])
        if looks[0] == looks[1]:
            return []
        before, after = (
            f"{_list_words(side, place, old_number)} {look or 'as its text'}"
            for side, place, look in zip(sides, places, looks, strict=True)
        )
        return [(before, after)]
    return [
        (_list_words(sides[0], places[0], old_number), _list_words(sides[1], places[1], new_number)),
    ]


def _list_words(styles: Styles, place: _Element, number: str) -> str:
    """A paragraph's list and level in words, with the number it shows; "no list" where its document does not
    define the list it names (Word shows no number there)."""
    return aspect(place, "numPr", number=number) if len(styles.list_format(place)) > 1 else "no list"


def _list_places(
    old: _Element, new: _Element, styles: Sides, context: tuple[_Element, _Element]
) -> tuple[_Element, _Element] | None:
    """Each paragraph's list and level (w:numPr, its own or its style's), where both are in the same one."""
    found = []
    for side, paragraph, resolved_in in zip(styles, (old, new), context, strict=True):
        properties = paragraph.find(qn("w:pPr"))
        own = properties.find(qn("w:numPr")) if properties is not None else None
        place = seen(qn("w:numPr"), side.paragraph_aspect(qn("w:numPr"), resolved_in, own))
        if place is None:
            return None
        found.append(place)
    if canonical(found[0]) != canonical(found[1]):
        return None  # another list or level: told as the paragraph's own change
    return found[0], found[1]


def _style_list_places(
    old: _Element, new: _Element, styles: Sides, context: tuple[_Element, _Element]
) -> tuple[_Element | None, _Element | None] | None:
    """Each paragraph's list and level (None for none) where the paragraphs name the same list and level of their
    own (or none) and their styles put them in different ones (a style given a list, or its list taken away or
    changed, in the styles part): otherwise None."""
    if not styles_differ(styles):
        return None
    own = [p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") for p in (old, new)]
    first, second = own
    if (first is None) != (second is None) or (
        first is not None and second is not None and canonical(first) != canonical(second)
    ):
        return None  # the paragraph's own list changed: told as the paragraph's own change
    places = [
        seen(qn("w:numPr"), side.paragraph_aspect(qn("w:numPr"), resolved_in, mine))
        for side, resolved_in, mine in zip(styles, context, own, strict=True)
    ]
    if places[0] is None and places[1] is None:
        return None
    if places[0] is not None and places[1] is not None and canonical(places[0]) == canonical(places[1]):
        return None  # the same list and level: whether its definition changed is list_definition_differs's
    return places[0], places[1]


def style_list_differs(old: _Element, new: _Element, styles: Sides, context: tuple[_Element, _Element]) -> bool:
    """Whether two paragraphs are numbered otherwise because their styles' lists changed (a style given a list,
    its list taken away or changed), though neither paragraph's XML says so."""
    places = _style_list_places(old, new, styles, context)
    if places is None:
        return False
    formats = [side.list_format(place) if place is not None else () for side, place in zip(styles, places, strict=True)]
    levels = [_level_of(place) for place in places]
    return (formats[0], levels[0]) != (formats[1], levels[1])


def _level_of(place: _Element | None) -> str | None:
    """The level (w:ilvl, 0 where unsaid) a list place names; None for no list."""
    if place is None:
        return None
    level = place.find(qn("w:ilvl"))
    return (level.get(qn("w:val")) or "0") if level is not None else "0"


def styles_differ(styles: Sides) -> bool:
    """Whether the two versions' styles parts differ at all (worked out once per pair of versions, as
    numberings_differ)."""
    key = (id(styles[0]), id(styles[1]))
    if key not in _STYLES_DIFFER:
        parts = [etree.tostring(side.root) if side.root is not None else b"" for side in styles]
        _STYLES_DIFFER.clear()
        _STYLES_DIFFER[key] = (parts[0] != parts[1], styles)
    return _STYLES_DIFFER[key][0]


_STYLES_DIFFER: dict[tuple[int, int], tuple[bool, Sides]] = {}


def numberings_differ(styles: Sides) -> bool:
    """Whether the two versions' numbering parts differ at all (worked out once per pair of versions): where they
    do not, no list's definition changed, and no paragraph needs its list resolved to say so."""
    key = (id(styles[0]), id(styles[1]))
    if key not in _NUMBERINGS_DIFFER:
        parts = [etree.tostring(side.numbering) if side.numbering is not None else b"" for side in styles]
        _NUMBERINGS_DIFFER.clear()  # one pair of versions at a time; a web server compares many in turn
        _NUMBERINGS_DIFFER[key] = (parts[0] != parts[1], styles)
    return _NUMBERINGS_DIFFER[key][0]


#: numberings_differ's answer for the pair of versions being compared (the styles kept, so their ids stay theirs).
_NUMBERINGS_DIFFER: dict[tuple[int, int], tuple[bool, Sides]] = {}


def list_definition_differs(old: _Element, new: _Element, styles: Sides, context: tuple[_Element, _Element]) -> bool:
    """Whether two paragraphs in the same list and level number otherwise because the list's definition changed
    in the numbering part (format, text, first number, restart), though neither paragraph's XML says so."""
    if style_list_differs(old, new, styles, context):
        return True
    if not numberings_differ(styles):
        return False
    places = _list_places(old, new, styles, context)
    if places is None:
        return False
    # Any level of the list changed moves every paragraph of it to OLD's definition on Reject All, so that they
    # go on counting together (level 2's numbers restart after each level 1 paragraph).
    num_id = places[0].find(qn("w:numId"))
    listed = num_id.get(qn("w:val")) if num_id is not None else None
    if styles[0].list_format(places[0]) != styles[1].list_format(places[1]):
        return True
    # A level defined in one version only numbers nothing the other shows otherwise (LibreOffice writes all nine
    # levels of a list that defined one): only levels both define are compared.
    before, after = styles[0].list_numbers(listed), styles[1].list_numbers(listed)
    return any(before[level] != after[level] for level in before.keys() & after.keys())


def _formatting_record(where: str, before: str, after: str) -> Change:
    return Change(kind=ChangeKind.FORMATTING, where=where, section=None, old=before, new=after, edits=())


def _formatting_said(old: _Element, new: _Element, old_number: str = "", new_number: str = "") -> list[tuple[str, str]]:
    """A paragraph's formatting changes other than its style, as old and new words: its own (indents, alignment),
    its words' (bold, font), and its mark's where its words' formatting did not change (Word formats the mark
    with the words when a whole paragraph is made bold: one change, said once)."""
    said = _paragraph_formatting_change(old, new, old_number, new_number)
    runs = _run_formatting_change(old, new)
    return said + (runs or _mark_formatting_change(old, new)) + _note_mark_formatting_change(old, new)


#: Each version's styles, OLD's then NEW's, and the paragraphs each version's formatting is resolved in.
Sides = tuple[Styles, Styles]


def formatting_differs(old: _Element, new: _Element, styles: Sides, context: tuple[_Element, _Element]) -> bool:
    """Whether two paragraphs of the same words differ in formatting as a reader sees it (their style, their own
    formatting, their mark's or their words'), each resolved through its version's styles: the summary's decision,
    which the redline takes too."""
    return (
        paragraph_properties_differ(old, new, styles, context)
        or list_definition_differs(old, new, styles, context)
        or bool(_mark_differing(old, new, styles, context))
        or bool(_run_formatting_change(old, new, styles, context))
    )


def paragraph_properties_differ(
    old: _Element, new: _Element, styles: Sides, context: tuple[_Element, _Element]
) -> bool:
    """Whether the paragraphs' own formatting (their style, list, indents, alignment...) reads otherwise."""
    if [canonical(e) for e in paragraph_formatting(old)] == [canonical(e) for e in paragraph_formatting(new)]:
        return False
    named = [side.name(side.paragraph_style(p)) for side, p in zip(styles, (old, new), strict=True)]
    if named[0] != named[1]:
        return True  # a style is told by its name, which LibreOffice keeps where it renames the id ("Caption1")
    return bool(_paragraph_differing(old, new, styles, context))


def mark_differs(old: _Element, new: _Element, styles: Sides, context: tuple[_Element, _Element]) -> bool:
    """Whether the paragraphs' marks (the pilcrows' run formatting) read otherwise."""
    return bool(_mark_differing(old, new, styles, context))


def runs_alike(old: _Element | None, new: _Element | None, styles: Sides, context: tuple[_Element, _Element]) -> bool:
    """Whether two runs' formatting (their w:rPr) reads the same in their paragraphs (context)."""
    return not _runs_differing(old, new, styles, context)


def _reader_key(styles: Styles, tag: str, resolved: _Element | None, *, in_run: bool) -> tuple[Any, _Element | None]:
    """A resolved aspect as a reader takes it: its words ("aligned left"), the list's kind for a list, the
    character style's name; with the aspect as the reader sees it."""
    element = seen(tag, resolved)
    if tag == qn("w:numPr"):
        return (aspect(element, "numPr"), styles.list_format(element)), element
    if tag == qn("w:rStyle"):
        return (styles.name(element.get(qn("w:val")), "character") if element is not None else None), element
    return aspect(element, _localname(tag), in_run=in_run), element


def _resolved_differing(
    before: Sequence[_Element],
    after: Sequence[_Element],
    keys: tuple[Callable[[str, _Element | None], tuple[Any, _Element | None]], ...],
    *,
    in_run: bool = False,
) -> list[tuple[str, _Element | None, _Element | None]]:
    """The aspects directly set otherwise (_differing) that also read otherwise once resolved (keys: OLD's, NEW's).
    Where the words of what each sets directly would read alike ("not bold" left to a bold style, against "not
    bold"), each is told as it reads through the styles ("bold" -> "not bold")."""
    found = []
    for name, b, a in _differing(before, after):
        tag = (a if a is not None else b).tag  # type: ignore[union-attr]
        if not isinstance(tag, str) or not tag.startswith(_W):
            found.append((name, b, a))
            continue
        (old_key, old_seen), (new_key, new_seen) = keys[0](tag, b), keys[1](tag, a)
        if old_key == new_key:
            continue
        if tag == _NUM_PR or aspect(b, name, in_run=in_run) == aspect(a, name, in_run=in_run):
            # A list is always told as the paragraph is in it: one left to its style is in the style's list
            # (a paragraph of the Numbered Paragraph style is "list level 1", not "no list").
            b, a = old_seen, new_seen
        found.append((name, b, a))
    return found


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NUM_PR = _W + "numPr"


def _sides(old: _Element, new: _Element, styles: Sides | None) -> Sides:
    return styles if styles is not None else (styles_of(old), styles_of(new))


def _paragraph_differing(
    old: _Element, new: _Element, styles: Sides | None = None, context: tuple[_Element, _Element] | None = None
) -> list[tuple[str, _Element | None, _Element | None]]:
    sides, (first, second) = _sides(old, new, styles), context or (old, new)
    return _resolved_differing(
        paragraph_formatting(old),
        paragraph_formatting(new),
        (
            lambda tag, own: _reader_key(sides[0], tag, sides[0].paragraph_aspect(tag, first, own), in_run=False),
            lambda tag, own: _reader_key(sides[1], tag, sides[1].paragraph_aspect(tag, second, own), in_run=False),
        ),
    )


def _run_keys(
    before: Sequence[_Element], after: Sequence[_Element], sides: Sides, context: tuple[_Element, _Element]
) -> tuple[Callable[[str, _Element | None], tuple[Any, _Element | None]], ...]:
    """How OLD's and NEW's run properties (before, after) read, each in its paragraph and character style."""
    keys = []
    for styles, properties, paragraph in zip(sides, (before, after), context, strict=True):
        style = next((e.get(qn("w:val")) for e in properties if e.tag == qn("w:rStyle")), None)
        keys.append(
            lambda tag, own, styles=styles, paragraph=paragraph, style=style: _reader_key(
                styles, tag, styles.run_aspect(tag, paragraph, style, own), in_run=True
            )
        )
    return tuple(keys)


def _mark_differing(
    old: _Element, new: _Element, styles: Sides | None = None, context: tuple[_Element, _Element] | None = None
) -> list[tuple[str, _Element | None, _Element | None]]:
    before, after = mark_formatting(old), mark_formatting(new)
    if [canonical(e) for e in before] == [canonical(e) for e in after]:
        return []
    keys = _run_keys(before, after, _sides(old, new, styles), context or (old, new))
    return _resolved_differing(before, after, keys, in_run=True)


def _runs_differing(
    old: _Element | None, new: _Element | None, styles: Sides, context: tuple[_Element, _Element]
) -> list[tuple[str, _Element | None, _Element | None]]:
    before, after = _run_properties(old), _run_properties(new)
    return _resolved_differing(before, after, _run_keys(before, after, styles, context), in_run=True)


def _cell_formatting_changes(name: str, old: BodyBlock, new: BodyBlock, rows: Sequence[Step[int]]) -> list[Change]:
    """The formatting changes of the paragraphs in a table's cells, placed as the cells' changes of text are:
    "table 1, row 2 "Housing", column 3". Rows are matched as for the text; a cell's paragraphs as the redline
    matches them."""
    if not isinstance(old.block, Table) or not isinstance(new.block, Table):
        return []
    old_rows, new_rows = list(inside_controls(old.element, qn("w:tr"))), list(inside_controls(new.element, qn("w:tr")))
    if not rows:
        rows = align_rows(old.block, new.block)
    header = _column_labels(new.block)
    headed = bool(new.block.header_rows or old.block.header_rows)
    changes = []
    for step in rows:
        if step.old is None or step.new is None:
            continue
        old_cells = list(inside_controls(old_rows[step.old], qn("w:tc")))
        new_cells = list(inside_controls(new_rows[step.new], qn("w:tc")))
        if len(old_cells) != len(new_cells):
            continue  # the row is replaced whole
        label = _row_name(new.block.rows[step.new], step.new + 1, headed=headed)
        changes += [
            _formatting_record(f"{name}, {_row_place(label)}", b, a)
            for b, a in row_properties_said(old_rows[step.old], new_rows[step.new])
        ]
        for index, (old_cell, new_cell) in enumerate(zip(old_cells, new_cells, strict=True)):
            column = header[index] if index < len(header) and header[index] else f"column {index + 1}"
            changes += [
                _formatting_record(f"{name}, {label}, {column}", b, a)
                for b, a in cell_properties_said(old_cell, new_cell)
            ]
            changes += _paragraphs_formatting_changes(f"{name}, {label}, {column}", old_cell, new_cell)
    return changes


#: A row's properties a reader sees (Table Properties > Row), in the order they are told.
_ROW_ASPECTS = ("tblHeader", "cantSplit", "trHeight", "hidden", "jc")
#: A cell's (Table Properties > Cell, and Borders and Shading), in the order they are told. Borders are left out:
#: a cell's own come on top of its table's and the table style's, and LibreOffice writes every cell's out at the
#: values those give, so compared as written they would differ in every cell of a re-saved document.
_CELL_ASPECTS = ("gridSpan", "shd", "vMerge", "vAlign", "textDirection", "noWrap")
#: Text direction (Table Properties > Cell > Text Direction) as Word's dialog shows it.
_TEXT_DIRECTIONS = {
    "lrTb": "text across",
    "tb": "text across",
    "btLr": "text upwards",
    "tbRl": "text downwards",
    "rl": "text downwards",
    "lrTbV": "text across, rotated",
    "tbRlV": "text downwards, rotated",
    "tbLrV": "text downwards, left to right",
}


def row_properties_said(old: _Element, new: _Element) -> list[tuple[str, str]]:
    """A table row's own properties (repeated as a header row, kept on one page, height...) that differ, as old
    and new words; the redline records OLD's with a w:trPrChange where there are any."""
    return _properties_said(old.find(qn("w:trPr")), new.find(qn("w:trPr")), _ROW_ASPECTS)


def cell_properties_said(old: _Element, new: _Element) -> list[tuple[str, str]]:
    """A table cell's own properties (shading, merged with the cell above, vertical alignment, borders...) that
    differ, as old and new words; the redline records OLD's with a w:tcPrChange where there are any."""
    return _properties_said(old.find(qn("w:tcPr")), new.find(qn("w:tcPr")), _CELL_ASPECTS)


def _properties_said(old: _Element | None, new: _Element | None, names: tuple[str, ...]) -> list[tuple[str, str]]:
    said = []
    for name in names:
        before = old.find(qn(f"w:{name}")) if old is not None else None
        after = new.find(qn(f"w:{name}")) if new is not None else None
        if before is None and after is None:
            continue
        if before is not None and after is not None and canonical(before) == canonical(after):
            continue
        words = (_table_aspect(before, name), _table_aspect(after, name))
        if words[0] != words[1]:
            said.append(words)
    return said


def _table_aspect(element: _Element | None, name: str) -> str:
    """A row's or cell's property in the words of Word's Table Properties."""
    value = element.get(qn("w:val")) if element is not None else None
    on = element is not None and value not in OFF
    if name == "tblHeader":
        return "repeated as a header row at the top of each page" if on else "not a repeated header row"
    if name == "cantSplit":
        return "not allowed to break across pages" if on else "allowed to break across pages"
    if name == "hidden":
        return "row hidden" if on else "row shown"
    if name == "noWrap":
        return "text not wrapped" if on else "text wrapped"
    if name == "vMerge":
        if element is None:
            return "not merged with the cells above or below"
        return "merged with the cells below" if value == "restart" else "merged into the cell above"
    if name == "trHeight":
        if element is None:
            return "height automatic"
        height = _cm(_twips(element.get(qn("w:val"))))
        return f"height {'exactly' if element.get(qn('w:hRule')) == 'exact' else 'at least'} {height} cm"
    if name == "gridSpan":
        columns = int(value) if value is not None and value.isdigit() else 1
        return f"spans {columns} columns" if columns > 1 else "spans 1 column"
    if name == "textDirection":
        return _TEXT_DIRECTIONS.get(value or "lrTb", f"text direction {value}")
    if name == "vAlign":
        return f"text aligned {value or 'top'} in the cell".replace("center", "centre")
    if name == "jc":
        return "row " + aspect(element, name) if element is not None else "row aligned as the table"
    return aspect(element, name)


def _paragraphs_formatting_changes(where: str, old: _Element, new: _Element, *, changed: bool = True) -> list[Change]:
    """The formatting changes of the paragraphs in a table cell or text box, matched as the redline matches them;
    with changed False, only of those whose words are the same. A paragraph is named where there are several."""
    changes = []
    several = len(list(inside_controls(new, qn("w:p")))) > 1
    for pair in align(
        list(inside_controls(old, qn("w:p"), qn("w:tbl"))),
        list(inside_controls(new, qn("w:p"), qn("w:tbl"))),
        key=element_key,
    ):
        if pair.old is None or pair.new is None or pair.new.tag != pair.old.tag:
            continue
        if pair.new.tag == qn("w:tbl"):
            if changed:
                changes += _inner_table_changes(f"{where}, table in it", pair.old, pair.new)
            continue
        if pair.kind != StepKind.EQUAL and not changed:
            continue
        place = where
        if several:
            place += f", {_paragraph_place(Paragraph(paragraph_text(pair.new), None, '', None), None)}"
        said = _style_said(pair.old, pair.new) + _formatting_said(pair.old, pair.new)
        if not any(b.startswith("list ") or "; list " in b for b, _a in said):
            said += _list_definition_in_words(pair.old, pair.new)
        changes += [_formatting_record(place, before, after) for before, after in said]
        changes += _text_box_changes(place, pair.old, pair.new)
    return changes


def _rows_by_xml(old: BodyBlock, new: BodyBlock) -> list[Step[int]]:
    """Two tables' rows matched by their cells' words alone (the list numbers a cell shows left out), by place."""
    old_rows, new_rows = list(inside_controls(old.element, qn("w:tr"))), list(inside_controls(new.element, qn("w:tr")))

    def key(row: _Element) -> tuple[str, str]:
        return row_key([element_key(cell)[1] for cell in inside_controls(row, qn("w:tc"))])

    places = {id(row): index for index, row in enumerate(old_rows)} | {
        id(row): index for index, row in enumerate(new_rows)
    }
    return [
        Step(
            step.kind,
            places[id(step.old)] if step.old is not None else None,
            places[id(step.new)] if step.new is not None else None,
        )
        for step in align(old_rows, new_rows, key=key)
    ]


def _list_definition_in_words(old: _Element, new: _Element) -> list[tuple[str, str]]:
    """A paragraph in a cell or text box whose list's definition changed, in words of the definition (the numbers
    a cell's paragraph shows are not counted here): "list level 1, numbered 1., 2., 3." -> "... a., b., c."."""
    sides = (styles_of(old), styles_of(new))
    places = _list_places(old, new, sides, (old, new)) if numberings_differ(sides) else None
    if places is None:
        return []
    before, after = _numbered_as(sides[0], places[0]), _numbered_as(sides[1], places[1])
    return [(before, after)] if before != after else []


def _numbered_as(styles: Styles, place: _Element) -> str:
    found = styles.list_format(place)
    if len(found) < 4:  # a list the document does not define
        return "no list"
    fmt, text, start, restart = found[0] or "decimal", found[1] or "", found[2], found[3]
    depth = place.find(qn("w:ilvl"))
    level = int(depth.get(qn("w:val"), "0")) if depth is not None and depth.get(qn("w:val"), "0").isdigit() else 0
    if fmt == "bullet":
        return f"list level {level + 1}, bullet {text}"
    begins = restart or start or "1"
    first = int(begins) if begins.isdigit() else 1

    def shown(value: int) -> str:
        return re.sub(r"%([1-9])", lambda m: format_number(value if int(m.group(1)) == level + 1 else 1, fmt), text)

    return f"list level {level + 1}, numbered {', '.join(shown(value) for value in range(first, first + 3))}"


def _inner_table_changes(where: str, old: _Element, new: _Element) -> list[Change]:
    """The formatting changes in a table inside a table cell, its rows matched as the redline matches them."""
    changes = []

    def key(row: _Element) -> tuple[str, str]:
        return row_key([element_key(cell)[1] for cell in inside_controls(row, qn("w:tc"))])

    old_rows, new_rows = list(inside_controls(old, qn("w:tr"))), list(inside_controls(new, qn("w:tr")))
    for step in align(old_rows, new_rows, key=key):
        if step.old is None or step.new is None:
            continue
        old_cells, new_cells = list(inside_controls(step.old, qn("w:tc"))), list(inside_controls(step.new, qn("w:tc")))
        if len(old_cells) != len(new_cells):
            continue
        row = new_rows.index(step.new) + 1
        changes += [_formatting_record(f"{where}, row {row}", b, a) for b, a in row_properties_said(step.old, step.new)]
        for column, (before, after) in enumerate(zip(old_cells, new_cells, strict=True), start=1):
            changes += [
                _formatting_record(f"{where}, row {row}, column {column}", b, a)
                for b, a in cell_properties_said(before, after)
            ]
            changes += _paragraphs_formatting_changes(f"{where}, row {row}, column {column}", before, after)
    return changes


_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def text_boxes(paragraph: _Element) -> list[_Element]:
    """The text boxes (their content) drawn in the paragraph itself, not in another text box in it, and not the
    copies kept for older applications (mc:Fallback)."""
    return [
        box
        for box in paragraph.iter(qn("w:txbxContent"))
        if next(box.iterancestors(qn("w:p")), None) is paragraph
        and not any(a.tag == _FALLBACK for a in box.iterancestors())
    ]


def _text_box_changes(where: str, old: _Element, new: _Element) -> list[Change]:
    """The formatting changes in the text boxes of a paragraph, box by box, in paragraphs whose words are the
    same or edited (the redline replaces a box whose words changed whole, its formatting with it)."""
    old_boxes, new_boxes = text_boxes(old), text_boxes(new)
    if not new_boxes or len(old_boxes) != len(new_boxes):
        return []
    changes = []
    for number, (before, after) in enumerate(zip(old_boxes, new_boxes, strict=True), start=1):
        place = f"{where}, text box" + (f" {number}" if len(new_boxes) > 1 else "")
        changes += _paragraphs_formatting_changes(place, before, after)
    return changes


def _style_said(old: _Element, new: _Element) -> list[tuple[str, str]]:
    """A cell paragraph's style changed, by the name each version's styles give it ("Heading 1", not its id)."""
    sides = _sides(old, new, None)
    ids = [styles.paragraph_style(p) for styles, p in zip(sides, (old, new), strict=True)]
    names = [styles.name(i) for styles, i in zip(sides, ids, strict=True)]
    return [(f"style {names[0]}", f"style {names[1]}")] if names[0] != names[1] else []


def note_mark_runs(paragraph: _Element) -> list[tuple[str, _Element]]:
    """The runs of the paragraph's footnote and endnote reference marks (the superscript numbers in its text),
    in order, each with its kind: runs without words, which the words' formatting leaves out."""
    return [
        (str(etree.QName(reference).localname).removesuffix("Reference"), run)
        for reference in paragraph.iter(_REFERENCES[ObjectKind.FOOTNOTE], _REFERENCES[ObjectKind.ENDNOTE])
        if next(reference.iterancestors(qn("w:p")), None) is paragraph
        for run in [reference.getparent()]
        if run is not None
    ]


def _note_mark_formatting_change(old: _Element, new: _Element) -> list[tuple[str, str]]:
    """A footnote's or endnote's reference mark formatted otherwise (made bold, say), mark by mark, as old and new
    words: "footnote reference mark: not bold" -> "footnote reference mark: bold"."""
    before, after = note_mark_runs(old), note_mark_runs(new)
    if [kind for kind, _r in before] != [kind for kind, _r in after]:
        return []  # a note added or removed: a change of the paragraph's objects
    said = []
    for (kind, old_run), (_kind, new_run) in zip(before, after, strict=True):
        if new_run.find(f"{qn('w:rPr')}/{qn('w:rPrChange')}") is not None:
            continue  # a formatting change kept from NEW (--keep-existing) stands as its author left it
        aspects = _differing(_run_properties(old_run.find(qn("w:rPr"))), _run_properties(new_run.find(qn("w:rPr"))))
        told = _told_apart([(aspect(b, name, in_run=True), aspect(a, name, in_run=True)) for name, b, a in aspects])
        if told:
            said.append(
                (
                    f"{kind} reference mark: " + "; ".join(b for b, _a in told),
                    f"{kind} reference mark: " + "; ".join(a for _b, a in told),
                )
            )
    return said


def _mark_formatting_change(old: _Element, new: _Element) -> list[tuple[str, str]]:
    """The formatting of the paragraph's mark (the pilcrow: what Word gives text typed at the end of the
    paragraph, and an empty paragraph's line), as old and new words; none when it is the same."""
    told = _told_apart(
        [(aspect(b, name, in_run=True), aspect(a, name, in_run=True)) for name, b, a in _mark_differing(old, new)]
    )
    if not told:
        return []
    return [tuple(f"paragraph mark: {'; '.join(side)}" for side in zip(*told, strict=True))]  # type: ignore[list-item]


def _layout_changes(steps: list[Step[BodyBlock]]) -> list[Change]:
    """Sections whose page layout changed (orientation, page size, margins, columns, how they start), numbered as
    NEW's sections; a section break added or removed is a change of its own (compare_blocks)."""
    changes = []
    number = 0
    for step in steps:
        if step.new is None or not isinstance(step.new.block, Paragraph):
            continue
        after = section_break(step.new.element)
        if after is None:
            continue
        number += 1
        before = section_break(step.old.element) if step.old is not None else None
        if before is not None:
            changes += _layout_change(f"page layout of section {number}", before, after)
    ends = [_body_section(step.old for step in steps), _body_section(step.new for step in steps)]
    if ends[0] is not None and ends[1] is not None:
        changes += _layout_change(f"page layout of section {number + 1}", ends[0], ends[1])
    return changes


def _body_section(blocks: Iterator[BodyBlock | None]) -> _Element | None:
    """The section properties at the end of the body the blocks were read from (its last section's), if any."""
    first = next((block for block in blocks if block is not None), None)
    if first is None:
        return None
    body = next((a for a in first.element.iterancestors(qn("w:body"))), None)
    return body.find(qn("w:sectPr")) if body is not None else None


def _layout_change(where: str, before: _Element, after: _Element) -> list[Change]:
    if not layout_differs(before, after):
        return []
    unshown = _unshown(before, after)
    old, new = _layout_difference(
        *({k: v for k, v in _layout_words(s).items() if k not in unshown} for s in (before, after))
    )
    return [Change(kind=ChangeKind.FORMATTING, where=where, section=None, old=old, new=new, edits=())]


def _layout_difference(old: dict[str, str], new: dict[str, str]) -> tuple[str, str]:
    """The aspects of two layouts (from _layout_words) that differ, as OLD's and NEW's words: "portrait; 1 column",
    "landscape; 2 columns"; empty where none does."""
    names = [name for name in dict.fromkeys([*new, *old]) if old.get(name) != new.get(name)]
    sides = [name for name in _MARGINS if name in names]
    if sides:  # the margins that changed, told together where they stand together: "margins 2.54 cm"
        names[names.index(sides[0])] = "margins"
        names = [name for name in names if name not in sides[1:]]
    said = []
    for words in (old, new):
        if sides and any(side in words for side in sides):
            words = {**words, "margins": _margin_words({side: words.get(side, "0") for side in sides})}
        elif sides:
            words = {**words, "margins": "margins not set"}
        said.append("; ".join(words.get(name, f"no {_LAYOUT_WORDS.get(name, name)}") for name in names))
    return said[0], said[1]


#: A page's margins in the order of Word's Page Setup > Margins tab.
_MARGINS = ("top", "bottom", "left", "right")


def _margin_words(lengths: dict[str, str]) -> str:
    """Some of a page's margins in words, sides of one length together: "top margin 2 cm", "left and right margins
    2.54 cm", "margins 2.54 cm" (all four), "margins top and bottom 2.54 cm, left and right 3.17 cm"."""
    groups: dict[str, list[str]] = {}
    for side, length in lengths.items():
        groups.setdefault(length, []).append(side)
    told = {length: _and(sides) for length, sides in groups.items()}
    if len(groups) > 1:
        return "margins " + ", ".join(f"{sides} {length} cm" for length, sides in told.items())
    length, sides = next(iter(told.items()))
    if len(lengths) == len(_MARGINS):
        return f"margins {length} cm"
    return f"{sides} margin{'s' if len(lengths) > 1 else ''} {length} cm"


def _and(names: list[str]) -> str:
    return f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else names[0]


#: Section settings as Word's Layout tab names them, by the element holding each.
_LAYOUT_WORDS = {
    "pgBorders": "page borders",
    "lnNumType": "line numbers",
    "pgNumType": "page numbering",
    "vAlign": "vertical alignment",
    "titlePg": "different first page",
    "textDirection": "text direction",
    "docGrid": "document grid",
    "footnotePr": "footnote numbering",
    "endnotePr": "endnote numbering",
    "paperSrc": "paper source",
    "bidi": "right to left",
    "formProt": "form protection",
    "noEndnote": "no endnotes",
    "rtlGutter": "gutter on the right",
}


def _layout_words(section: _Element) -> dict[str, str]:
    """A section's layout in words, by aspect: "landscape", "page 21 x 29.7 cm", each margin's length in cm,
    "2 columns", "starts on a new page"; any other setting by its name in Word and its values."""
    words = {}
    for child in section:
        if child.tag in _NOT_LAYOUT or not isinstance(child.tag, str) or _as_if_left_out(child):
            continue
        name = _localname(child.tag)
        if name == "pgSz":
            width, height = _twips(child.get(qn("w:w"))), _twips(child.get(qn("w:h")))
            words["orientation"] = child.get(qn("w:orient")) or ("landscape" if width > height else "portrait")
            words["page size"] = f"page {_cm(min(width, height))} x {_cm(max(width, height))} cm"
        elif name == "pgMar":
            # Each margin by itself (told together with the others that changed), then the Layout tab's distances
            for side in _MARGINS:
                words[side] = _cm(_twips(child.get(qn(f"w:{side}"))))
            for side in ("header", "footer"):
                words[side] = f"{side} from edge {_cm(_twips(child.get(qn(f'w:{side}'))))} cm"
            words["gutter"] = f"gutter {_cm(_twips(child.get(qn('w:gutter'))))} cm"
        elif name == "cols":
            count = child.get(qn("w:num"), "1")
            words["columns"] = f"{count} column{'s' if count != '1' else ''}"
        elif name == "type":
            value = child.get(qn("w:val"), "nextPage")
            words["start"] = f"starts: {_SECTION_STARTS.get(value, value)}"
        elif name == "pgNumType":
            words[name] = _page_numbering_words(child)
        else:
            values = ", ".join(f"{_localname(k)} {v}" for k, v in sorted(child.attrib.items()))
            words[name] = f"{_LAYOUT_WORDS.get(name, name)} {values}".strip()
    words.setdefault("columns", "1 column")
    words.setdefault("pgNumType", _page_numbering_words(None))
    words.setdefault("start", f"starts: {_SECTION_STARTS['nextPage']}")
    return words


def _page_numbering_words(numbering: _Element | None) -> str:
    """A section's page numbers as Word's Page Number Format dialog sets them: their format, shown by its first
    numbers ("page numbers I, II, III"), and where they start."""
    fmt = numbering.get(qn("w:fmt"), "decimal") if numbering is not None else "decimal"
    start = numbering.get(qn("w:start")) if numbering is not None else None
    shown = ", ".join(format_number(value, fmt) for value in (1, 2, 3))
    if start and start.isdigit():
        # Word's dialog shows the first number in the format (V); a number the format cannot show (0 in Roman
        # numerals) in digits.
        return f"page numbers {shown}, starting at {format_number(int(start), fmt) or start}"
    return f"page numbers {shown}, continuing from the section before"


def _twips(value: str | None) -> int:
    """A length in twentieths of a point, as WordprocessingML writes page sizes and margins (0 where unreadable)."""
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


def _cm(twips: int) -> str:
    return f"{twips * 2.54 / 1440:.2f}".rstrip("0").rstrip(".")


#: Properties a reviewer does not see apart from others: the style (said on its own) and complex-script twins.
_IGNORED_IN_WORDS = frozenset({qn("w:pStyle"), qn("w:szCs"), qn("w:bCs"), qn("w:iCs")})


def _differing(old: Sequence[_Element], new: Sequence[_Element]) -> list[tuple[str, _Element | None, _Element | None]]:
    """The formatting elements that differ between two lists of them, by name, in NEW's order then OLD's."""
    before = {str(e.tag): e for e in old if e.tag not in _IGNORED_IN_WORDS}
    after = {str(e.tag): e for e in new if e.tag not in _IGNORED_IN_WORDS}
    names = list(after) + [tag for tag in before if tag not in after]
    return [
        (_localname(tag), before.get(tag), after.get(tag))
        for tag in names
        if before.get(tag) is None or after.get(tag) is None or canonical(before[tag]) != canonical(after[tag])
    ]


def _paragraph_formatting_change(
    old: _Element, new: _Element, old_number: str = "", new_number: str = ""
) -> list[tuple[str, str]]:
    """The paragraph's own formatting, other than its style, as old and new words (a list's level said with the
    list number each version shows); none when it is the same."""
    before, after = paragraph_formatting(old), paragraph_formatting(new)
    if [canonical(e) for e in before] == [canonical(e) for e in after]:
        return []
    said = [
        (aspect(b, name, number=old_number), aspect(a, name, number=new_number))
        for name, b, a in _paragraph_differing(old, new)
    ]
    said = _told_apart(said)
    if not said:
        return []
    return [("; ".join(b for b, _a in said), "; ".join(a for _b, a in said))]


def _told_apart(said: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The aspects whose words differ. One version saying "not right-to-left" where the other leaves it to the
    style, "left" where the other says "start", or <w:b/> where the other says <w:b w:val="true"/>, reads the same
    and is left out; where every aspect reads the same there is no difference a reader could see, and no record."""
    return [(b, a) for b, a in said if b != a]


def _run_formatting_change(
    old: _Element, new: _Element, styles: Sides | None = None, context: tuple[_Element, _Element] | None = None
) -> list[tuple[str, str]]:
    """Words whose run formatting changed (bold, italic, font, size...), as old and new words; none when the
    words' formatting is the same as a reader sees it (through the styles). Where words were edited too, the words
    both versions share are compared, as the redline aligns them."""
    old_runs, new_runs = _formatted_runs(old), _formatted_runs(new)
    if [(text, key) for text, key, _r in old_runs] == [(text, key) for text, key, _r in new_runs]:
        return []
    if len({key for _t, key, _r in old_runs} | {key for _t, key, _r in new_runs}) <= 1:
        return []  # all the words of both in one formatting (most edited paragraphs): none changed
    old_chars = [(c, key, rpr) for text, key, rpr in old_runs for c in text]
    new_chars = [(c, key, rpr) for text, key, rpr in new_runs for c in text]
    found = []
    # Runs of characters kept on both sides whose formatting changed in the same way, as (OLD's, NEW's) places.
    stretches: list[list[tuple[int, int]]] = []
    for i, j in _kept_characters("".join(c for c, _k, _r in old_chars), "".join(c for c, _k, _r in new_chars)):
        if old_chars[i][1] == new_chars[j][1]:
            continue
        last = stretches[-1][-1] if stretches else None
        if last is not None and (i, j) == (last[0] + 1, last[1] + 1):
            first = stretches[-1][0]
            if (old_chars[i][1], new_chars[j][1]) == (old_chars[first[0]][1], new_chars[first[1]][1]):
                stretches[-1].append((i, j))
                continue
        stretches.append([(i, j)])
    for stretch in stretches:
        words = _short("".join(new_chars[j][0] for _i, j in stretch), 40)
        before_rpr, after_rpr = old_chars[stretch[0][0]][2], new_chars[stretch[0][1]][2]
        # A formatting change kept from NEW (--keep-existing) is listed like any other, as a paragraph's is: the
        # redline keeps it where it records OLD's formatting and replaces it by its own where not (the README).
        sides = _sides(old, new, styles)
        aspects = _runs_differing(before_rpr, after_rpr, sides, context or (old, new))
        told = _told_apart([(_run_aspect(sides[0], b, name), _run_aspect(sides[1], a, name)) for name, b, a in aspects])
        if not told or not words.strip():
            continue
        found.append((f"{words}: " + "; ".join(b for b, _a in told), f"{words}: " + "; ".join(a for _b, a in told)))
    return found


def _run_aspect(styles: Styles, element: _Element | None, name: str) -> str:
    """A run's formatting aspect in words; a character style by the name Word's Styles pane shows ("Hidden Char",
    not its id "HiddenChar")."""
    if name == "rStyle":
        named = styles.name(element.get(qn("w:val")), "character") if element is not None else None
        return f"character style {named}" if named else "no character style"
    return aspect(element, name, in_run=True)


def _kept_characters(old: str, new: str) -> Iterator[tuple[int, int]]:
    """The places (in OLD, in NEW) of the characters both texts keep, by their words' alignment."""
    if old == new:
        yield from zip(range(len(old)), range(len(new)), strict=True)
        return
    a, b, found = word_opcodes(old, new)
    starts_a, starts_b = (
        list(itertools.accumulate(map(len, a), initial=0)),
        list(itertools.accumulate(map(len, b), initial=0)),
    )
    for tag, i1, i2, j1, j2 in found:
        if tag == "equal":
            yield from zip(range(starts_a[i1], starts_a[i2]), range(starts_b[j1], starts_b[j2]), strict=True)


def _formatted_runs(paragraph: _Element) -> list[tuple[str, tuple[Any, ...], _Element | None]]:
    """The paragraph's own runs of text (not those of a text box in it) with their formatting."""
    found = []
    for run in paragraph.iter(qn("w:r")):
        holder = next(run.iterancestors(qn("w:p")), None)
        if holder is not paragraph:
            continue
        properties = run.find(qn("w:rPr"))
        text = "".join(t.text or "" for t in run if t.tag == qn("w:t"))
        if text:
            found.append((text, tuple(canonical(e) for e in _run_properties(properties)), properties))
    return found


def _run_properties(properties: _Element | None) -> list[_Element]:
    """A run's own formatting, without a formatting change recorded in it."""
    return [] if properties is None else [e for e in properties if e.tag != qn("w:rPrChange")]


def _object_changes(
    found: list[Change], old: BodyBlock, new: BodyBlock, section: str | None, table_number: int
) -> list[Change]:
    """The changes of a paragraph or table whose pictures, links, notes, comments or equations changed too."""
    matcher = difflib.SequenceMatcher(a=old.objects, b=new.objects, autojunk=False)
    edits = tuple(
        _object_edit(old.objects[i1:i2], new.objects[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )
    if isinstance(new.block, Table):
        where = _table_name(new.block, table_number)
    else:  # a paragraph whose words all went is found by the words it had
        named = old.block if isinstance(old.block, Paragraph) and not new.block.text.strip() else new.block
        where = _paragraph_place(named, None)
    places = [
        _note_cell(where, old, new, old.objects[i1:i2], new.objects[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
    text_changes = [change for change in found if _told(change)]
    return text_changes + [
        Change(kind=ChangeKind.CHANGED, where=place, section=section, old=e.old, new=e.new, edits=(e,))
        for e, place in zip(edits, places, strict=True)
    ]


def _told(change: Change) -> bool:
    """Whether a record of a paragraph or table whose objects changed tells something of its own: words edited, or
    a table's row added or removed (not a paragraph's record of its objects alone, told by _object_changes)."""
    return bool(change.edits) or change.kind in (ChangeKind.ADDED, ChangeKind.REMOVED)


def _note_cell(
    where: str, old: BodyBlock, new: BodyBlock, old_objects: Sequence[SeenObject], new_objects: Sequence[SeenObject]
) -> str:
    """Where a note changed in a table is: in the cell holding its reference, named as a cell's changes of text
    are ('table 1, row 2 "Housing", column 3'); where (the table's name) for anything else."""
    for block, objects in ((new, new_objects), (old, old_objects)):
        if not isinstance(block.block, Table):
            return where
        for found in objects:
            if found.kind not in _NOTE_KINDS or found.note_id is None:
                continue
            for number, row in enumerate(inside_controls(block.element, qn("w:tr"))):
                for column, cell in enumerate(inside_controls(row, qn("w:tc"))):
                    if any(r.get(qn("w:id")) == found.note_id for r in cell.iter(_REFERENCES[found.kind])):
                        header = _column_labels(block.block)
                        label = _row_name(block.block.rows[number], number + 1, headed=bool(block.block.header_rows))
                        name = header[column] if column < len(header) and header[column] else f"column {column + 1}"
                        return f"{where}, {label}, {name}"
    return where


_NOTE_KINDS = frozenset({ObjectKind.FOOTNOTE, ObjectKind.ENDNOTE, ObjectKind.COMMENT})
_REFERENCES = {
    ObjectKind.FOOTNOTE: qn("w:footnoteReference"),
    ObjectKind.ENDNOTE: qn("w:endnoteReference"),
    ObjectKind.COMMENT: qn("w:commentReference"),
}


@dataclass(frozen=True)
class NotePair:
    """A footnote, endnote or comment whose reference stands in the same place in both versions but whose words
    differ: compared, and redlined, word by word inside the note, its reference left alone."""

    kind: str
    """"footnote", "endnote" or "comment"."""
    old_id: str
    new_id: str
    after: str
    """The words just before its reference in NEW, which a reviewer finds it by."""
    anchored: bool = False
    """Whether after is all the words a comment is about (from where its range starts)."""
    cell: str = ""
    """For a note in a table's cell, the cell, as its changes of text are placed: 'table 1, row 2 "Housing",
    column 3'."""


def all_note_pairs(steps: Sequence[Step[BodyBlock]]) -> list[NotePair]:
    """note_pairs of every step of a body, those in a table placed at their cell of the table as NEW numbers it."""
    pairs, tables = [], 0
    for step in steps:
        if step.new is not None and isinstance(step.new.block, Table):
            tables += 1
            pairs += note_pairs(step, _table_name(step.new.block, tables))
        else:
            pairs += note_pairs(step)
    return pairs


def note_pairs(step: Step[BodyBlock], table: str = "table") -> list[NotePair]:
    """The notes of a paragraph edited in place (or whose notes alone changed) that stand where they stood: of the
    same kind, at the same place among the paragraph's objects, after the same word, with the same pictures
    (a picture replaced in a note is that note replaced). A note added, removed or moved keeps its whole. In a
    table (named table), those of each of its cells, in rows matched as for their text."""
    if step.kind not in (StepKind.EQUAL, StepKind.CHANGED) or step.old is None or step.new is None:
        return []
    old, new = step.old, step.new
    if old.objects == new.objects:
        return []
    if isinstance(old.block, Table) and isinstance(new.block, Table):
        return _cell_note_pairs(old, new, step.rows, table)
    if not isinstance(old.block, Paragraph) or not isinstance(new.block, Paragraph):
        return []
    return _note_pairs_in(old.element, new.element, old.objects, new.objects)


def _cell_note_pairs(old: BodyBlock, new: BodyBlock, rows: Sequence[Step[int]], table: str) -> list[NotePair]:
    """The notes edited where they stand in a table's cells, cell by cell of its matched rows."""
    if not isinstance(old.block, Table) or not isinstance(new.block, Table):
        return []
    seen = [{(str(o.kind), o.note_id): o for o in block.objects if o.note_id is not None} for block in (old, new)]
    header, headed = _column_labels(new.block), bool(new.block.header_rows or old.block.header_rows)
    old_rows, new_rows = (list(inside_controls(block.element, qn("w:tr"))) for block in (old, new))
    pairs = []
    for row in rows or align_rows(old.block, new.block):
        if row.old is None or row.new is None:
            continue
        old_cells, new_cells = (list(inside_controls(r, qn("w:tc"))) for r in (old_rows[row.old], new_rows[row.new]))
        if len(old_cells) != len(new_cells):
            continue  # the row is replaced whole
        label = _row_name(new.block.rows[row.new], row.new + 1, headed=headed)
        for index, (old_cell, new_cell) in enumerate(zip(old_cells, new_cells, strict=True)):
            before, after = (
                [
                    found[key]
                    for reference in cell.iter(*_KIND_OF)
                    for key in [(_KIND_OF[str(reference.tag)], reference.get(qn("w:id")))]
                    if key in found
                ]
                for cell, found in ((old_cell, seen[0]), (new_cell, seen[1]))
            )
            column = header[index] if index < len(header) and header[index] else f"column {index + 1}"
            pairs += _note_pairs_in(old_cell, new_cell, before, after, cell=f"{table}, {label}, {column}")
    return pairs


def _note_pairs_in(
    old: _Element, new: _Element, old_objects: Sequence[SeenObject], new_objects: Sequence[SeenObject], cell: str = ""
) -> list[NotePair]:
    """The notes edited where they stand among the objects of a paragraph (or a table's cell), old and new."""
    pairs = []
    for before, after in _note_counterparts(old_objects, new_objects):
        if (
            before.kind != after.kind
            or before.kind not in _NOTE_KINDS
            or before.identity != after.identity
            or before.note_id is None
            or after.note_id is None
        ):
            continue
        words_before = _words_before(old, _REFERENCES[before.kind], before.note_id)
        words_after = _words_before(new, _REFERENCES[after.kind], after.note_id)
        if words_before is None or words_after is None or words_before[0][-1:] != words_after[0][-1:]:
            continue  # its reference moved, or the word it follows was edited: the note as a whole
        words, anchored = words_after
        shown = "".join(words[-_AFTER:]).strip()
        after_words = f"…{shown}" if len(words) > _AFTER else shown
        pairs.append(NotePair(str(before.kind), before.note_id, after.note_id, after_words, anchored, cell))
    return pairs


def _note_counterparts(old: Sequence[SeenObject], new: Sequence[SeenObject]) -> Iterator[tuple[Any, Any]]:
    """The objects of a paragraph that may be one note edited where it stands: where the paragraph has notes of
    the same kinds in the same order in both versions, each note that differs with its counterpart in that order
    (two notes swapped are each edited, as Word's Compare tracks them, not one added and one removed); else the
    objects replaced one for one."""
    old_notes, new_notes = ([o for o in side if o.kind in _NOTE_KINDS] for side in (old, new))
    if [o.kind for o in old_notes] == [o.kind for o in new_notes]:
        yield from ((before, after) for before, after in zip(old_notes, new_notes, strict=True) if before != after)
        return
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            yield from zip(old[i1:i2], new[j1:j2], strict=True)


#: Each kind of note by the element referring to it.
_KIND_OF = {tag: str(kind) for kind, tag in _REFERENCES.items()}
#: How many words and spaces before a note's reference name its place: its last three words.
_AFTER = 5


def _words_before(paragraph: _Element, reference: str, note_id: str) -> tuple[list[str], bool] | None:
    """The words and spaces of a paragraph before a note's reference (trailing spaces left out), or None when the
    paragraph holds no such reference; for a comment whose range starts in the paragraph, those from its start
    (the words it is about), said by True."""
    text: list[str] = []
    anchored = False
    for node in paragraph.iter(qn("w:t"), reference, qn("w:commentRangeStart")):
        if node.tag == reference:
            if node.get(qn("w:id")) == note_id:
                return list(tokens("".join(text).strip())), anchored
        elif node.tag == qn("w:commentRangeStart"):
            if reference == _REFERENCES[ObjectKind.COMMENT] and node.get(qn("w:id")) == note_id:
                text, anchored = [], True
        else:
            text.append(node.text or "")
    return None


def _without_pairs(old: BodyBlock, new: BodyBlock, pairs: Sequence[NotePair]) -> tuple[BodyBlock, BodyBlock]:
    """Both blocks with the notes compared word by word taken out of their objects."""
    old_ids = {(p.kind, p.old_id) for p in pairs}
    new_ids = {(p.kind, p.new_id) for p in pairs}
    return (
        replace(old, objects=tuple(o for o in old.objects if (str(o.kind), o.note_id) not in old_ids)),
        replace(new, objects=tuple(o for o in new.objects if (str(o.kind), o.note_id) not in new_ids)),
    )


def note_place(pair: NotePair, mark: str | None) -> str:
    """Where a reviewer finds a note compared word by word: 'footnote 2 (after "…the minutes")', by the mark the
    text view gives it; a comment by its number there and the words it is about: 'comment 1 (on "the sum")'."""
    name = mark if pair.kind == "comment" and mark else f"{pair.kind} {mark}" if mark else pair.kind
    name = f"{pair.cell}, {name}" if pair.cell else name
    after = " ".join(pair.after.split())
    if pair.anchored and after:
        return f"{name} (on {quoted(after)})"
    return f"{name} (after {quoted(after)})" if after else f"{name} (at the start of its paragraph)"


def note_changes(place: str, steps: Sequence[Step[BodyBlock]], changes: Sequence[Change]) -> tuple[Change, ...]:
    """The changes of a note compared word by word (note_pairs), placed at the note (note_place): a note of one
    paragraph by that place alone, one of several by its paragraph too. A note whose words were all taken out
    (Word keeps an empty paragraph in it) is one record of the words removed, not a paragraph added and one
    removed."""
    old_text = " ".join(
        s.old.block.text.strip() for s in steps if s.old is not None and isinstance(s.old.block, Paragraph)
    )
    emptied = all(
        s.new is None or isinstance(s.new.block, Paragraph) and not s.new.block.text.strip() and not s.new.objects
        for s in steps
    )
    replaced = sorted(s.kind for s in steps) == [StepKind.ADDED, StepKind.REMOVED]
    texts = [" ".join(b.block.text.split()) for b in _replaced_blocks(steps) if isinstance(b.block, Paragraph)]
    if replaced and not emptied and len(texts) == 2:
        # A note of one paragraph whose words were all replaced: the old words and the new, in one record.
        before, after = texts
        return (
            Change(
                kind=ChangeKind.CHANGED,
                where=place,
                section=None,
                old=before,
                new=after,
                edits=text_edits(before, after),
            ),
        )
    if emptied and old_text.strip():
        return (
            Change(
                kind=ChangeKind.REMOVED, where=place, section=None, old=" ".join(old_text.split()), new="", edits=()
            ),
        )
    single = len(steps) == 1
    return tuple(
        # Without the space Word puts after the note's own mark, as the text view shows it.
        replace(c, where=place if single else f"{place}, {c.where}", section=None, old=c.old.strip(), new=c.new.strip())
        for c in changes
    )


def _replaced_blocks(steps: Sequence[Step[BodyBlock]]) -> list[BodyBlock]:
    """The block removed and the block added of a story whose one block was replaced, in that order."""
    return [s.old for s in steps if s.old is not None] + [s.new for s in steps if s.new is not None]


def _object_edit(old: Sequence[SeenObject], new: Sequence[SeenObject]) -> TextEdit:
    """Objects replaced, by their labels; one whose label is the same but which differs (a picture replaced by one
    with the same alt text, resized or moved, a chart's figures, a shape's outline) is said to be changed, and
    how where that can be said simply: "picture (resized): Council logo"."""
    before, after = "; ".join(o.label for o in old), "; ".join(o.label for o in new)
    relabelled = before != after
    if not relabelled or len(old) == len(new):  # how each changed, said after the kind (a quote cut keeps it)
        after = "; ".join(
            "{} ({}){}{}".format(o.label.partition(": ")[0], how, *o.label.partition(": ")[1:]) if how else o.label
            for was, o in itertools.zip_longest(old, new)
            if o is not None
            for how in [_how_changed(was, o, relabelled=relabelled)]
        )
    return TextEdit(old=before, new=after)


def _how_changed(old: SeenObject | None, new: SeenObject, *, relabelled: bool = False) -> str:
    """What differs between two objects of the same label, in a reviewer's words: "resized", "moved", "alt text
    changed", or "changed" for what has no simpler word (its content, outline or fill). Of objects whose labels
    differ (a picture given other alt text), what else changed in the same one ("resized"), "" for nothing else
    or for another object in its place, which its label tells."""
    if relabelled and (old is None or old.kind != new.kind or old.identity != new.identity):
        return ""
    if old is None or old.drawing is None or new.drawing is None:
        return "" if relabelled else "changed"
    before, after = old.drawing, new.drawing
    said = [
        words
        for differs, words in (
            (old.identity != new.identity or before.look != after.look, "changed"),
            (before.size != after.size, "resized"),
            (before.place != after.place, "moved"),
            (before.alt != after.alt and not relabelled, "alt text changed"),
            # A title is the label only where there is no description.
            (
                before.title != after.title and not (relabelled and not (before.alt.strip() and after.alt.strip())),
                "title changed",
            ),
            (before.link != after.link, "link changed"),
        )
        if differs
    ]
    return ", ".join(said) or ("" if relabelled else "changed")


def _paragraph_place(paragraph: Paragraph, previous_number: str | None) -> str:
    if not paragraph.text.strip() and not _is_number(paragraph.number):
        return "a paragraph without text"  # a picture or chart on a line of its own, named in the record itself
    if _is_number(paragraph.number):
        return f"paragraph {paragraph.number.rstrip('.:')}"
    text = with_hidden_marked(paragraph.text, paragraph.hidden) if paragraph.hidden else paragraph.text
    if paragraph.number:
        return f"the bullet {quoted(_short(text))}"
    if paragraph.heading_level:
        return f"heading {quoted(_short(text))}"
    if previous_number:
        return f"the paragraph after {previous_number.rstrip('.')}, {quoted(_short(text))}"
    return f"the paragraph {quoted(_short(text))}"


def _short(text: str, limit: int = 60) -> str:
    """The text on one line, cut at a word where it is longer than limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _table_name(table: Table, number: int) -> str:
    if table.caption:
        return table.caption.strip().rstrip(":").strip()
    return f"table {number}"


def _table_changes(name: str, old: Table, new: Table, section: str | None, rows: Sequence[Step[int]]) -> list[Change]:
    header = _column_labels(new)
    steps = [
        Step(
            step.kind,
            old.rows[step.old] if step.old is not None else None,
            new.rows[step.new] if step.new is not None else None,
        )
        for step in rows
    ]
    changes: list[Change] = []
    # The rows added and removed under each label, with their places: a row moved (and edited) is both.
    one_sided: dict[str, list[tuple[int, ChangeKind, int]]] = {}
    positions = {"old": 0, "new": 0}
    for step in steps:
        row = step.new if step.new is not None else step.old
        if row is None:  # never: a step has at least one side
            continue
        positions["old"] += step.old is not None
        positions["new"] += step.new is not None
        number = positions["new"] if step.new is not None else positions["old"]
        label = _row_name(row, number, headed=bool(new.header_rows or old.header_rows))
        if step.old == step.new:
            continue
        # Rows are matched by their label, so a matched row whose cells differ is a changed row.
        kind = ChangeKind.CHANGED if step.old is not None and step.new is not None else ChangeKind(step.kind.value)
        if step.old is None or step.new is None or len(step.old) != len(step.new):
            text = " | ".join(row)
            if step.old is not None and step.new is not None:
                # Cells merged or split: the row is told whole, each version's cells apart, since its words
                # alone may read the same ("8 | 3" merged into one cell holding 8 and 3).
                same_words = " ".join(step.old).split() == " ".join(step.new).split()
                fewer = len(step.new) < len(step.old)
                merged = (
                    ("cells merged" if fewer else "cells split")
                    if same_words
                    else ("fewer cells" if fewer else "more cells")
                )
                changes.append(
                    Change(
                        kind=ChangeKind.CHANGED,
                        where=f"{name}, {_row_place(label)}, {merged}",
                        section=section,
                        old=" | ".join(cell.replace("\n", " / ") for cell in step.old),
                        new=" | ".join(cell.replace("\n", " / ") for cell in step.new),
                        edits=(),
                    )
                )
            else:
                one_sided.setdefault(label, []).append((len(changes), kind, number))
                changes.append(_one_sided(kind, f"{name}, {_row_place(label)}", section, text))
            continue
        for index, (before, after) in enumerate(zip(step.old, step.new, strict=True)):
            if before != after:
                column = header[index] if index < len(header) and header[index] else f"column {index + 1}"
                changes.append(
                    Change(
                        kind=ChangeKind.CELL,
                        where=f"{name}, {label}, {column}",
                        section=section,
                        old=before,
                        new=after,
                        edits=text_edits(before, after),
                    )
                )
    return _moved_rows(changes, one_sided, name)


def _moved_rows(
    changes: list[Change], one_sided: dict[str, list[tuple[int, ChangeKind, int]]], name: str
) -> list[Change]:
    """A row removed in one place and added in another under the same label is one row moved (the redline deletes
    and inserts it, as moved rows are not yet tracked as moves): one record, with what changed in it."""
    dropped = set()
    for label, found in one_sided.items():
        kinds = [kind for _index, kind, _number in found]
        if sorted(kinds) != [ChangeKind.ADDED, ChangeKind.REMOVED]:
            continue
        (added, _kind, to_row), (removed, _other, from_row) = sorted(found, key=lambda f: f[1] != ChangeKind.ADDED)
        before, after = changes[removed].old, changes[added].new
        moved = f"{name}, {_row_place(label)}"
        changes[added] = (
            Change(
                kind=ChangeKind.MOVED,
                where=moved,
                section=changes[added].section,
                old=f"row {from_row}",
                new=f"row {to_row}",
                edits=(),
            )
            if before == after
            else Change(
                kind=ChangeKind.CHANGED,
                where=f"{moved}, moved from row {from_row} to row {to_row}",
                section=changes[added].section,
                old=before,
                new=after,
                edits=text_edits(before, after),
            )
        )
        dropped.add(removed)
    return [change for index, change in enumerate(changes) if index not in dropped]


def _row_name(row: tuple[str, ...], number: int, *, headed: bool) -> str:
    """How a row is named: by its label where the table has a header row; else by its number, and its first cell
    where that is a label."""
    if headed:
        # A long text (an action's wording) names its row less well than the reference before it ("1.01"), which
        # the reader finds in the table's first column.
        for index, cell in enumerate(row):
            if re.search(r"[^\W\d_]", cell):
                reference = next((c.strip() for c in row[:index] if c.strip()), "")
                if (
                    len(cell.strip().rstrip(":")) > 40
                    and reference
                    and len(reference) <= 20
                    and not re.fullmatch(r"\d+[.)]?", reference)  # a row's number (Table 1's "3."): no name
                ):
                    return f"row {reference}"
                break
        return _row_label(row)
    first = row[0].strip() if row else ""
    return f"row {number}" + (f" {quoted(_short(first, 40))}" if re.search(r"[^\W\d_]", first) else "")


def _row_place(label: str) -> str:
    return label if label.startswith("row ") else f"row {label}"


def _row_label(row: tuple[str, ...]) -> str:
    """A row's name: its first cell with letters in it (the theme, say), without a trailing colon."""
    for cell in row:
        if re.search(r"[^\W\d_]", cell):
            return _short(cell.strip().rstrip(":"), 40)
    return _short(" ".join(row), 40)


def _column_labels(table: Table) -> list[str]:
    """Column names from the last header row that has a cell per column, quotes and key markers removed."""
    width = max((len(row) for row in table.rows), default=0)
    # Without a row marked as the header, the first row is data: its values are no column names.
    candidates = [row for row in table.rows[: table.header_rows] if len(row) == width]
    if not candidates:
        return []
    return [_MARKERS.sub("", cell).strip() for cell in candidates[-1]]


def compare_plans(old: ActionPlan, new: ActionPlan, cutoff: date) -> tuple[Change, ...]:
    """What changed in the action plan, action by action (by reference), then the resulting Table 1 cells."""
    changes: list[Change] = []
    old_actions = {a.reference: a for a in old.actions}
    new_actions = {a.reference: a for a in new.actions}
    fields = (
        ("Status", lambda a: a.status.label),
        ("Timescale", lambda a: f"{a.timescale:%d %B %Y}"),
        ("Theme", lambda a: f"{a.theme.number} {a.theme.name}"),
        ("Lead", lambda a: a.lead),
        ("Action", lambda a: a.text),
        ("Progress Update", lambda a: a.progress),
    )
    for reference, action in new_actions.items():
        before = old_actions.get(reference)
        if before is None:
            changes.append(
                Change(
                    kind=ChangeKind.ADDED,
                    where=f"action {reference}",
                    section=action.theme.name,
                    old="",
                    new=f"{action.text} ({action.status.label}, due {action.timescale:%d %B %Y})",
                    edits=(),
                )
            )
            continue
        for name, value in fields:
            if value(before) != value(action):
                worded = name in ("Action", "Progress Update", "Lead")
                edits = text_edits(value(before), value(action)) if worded else ()
                changes.append(
                    Change(
                        kind=ChangeKind.CHANGED,
                        where=f"action {reference}, {name}",
                        section=action.theme.name,
                        old=value(before),
                        new=value(action),
                        edits=edits,
                    )
                )
    for reference, action in old_actions.items():
        if reference not in new_actions:
            changes.append(
                Change(
                    kind=ChangeKind.REMOVED,
                    where=f"action {reference}",
                    section=action.theme.name,
                    old=f"{action.text} ({action.status.label}, due {action.timescale:%d %B %Y})",
                    new="",
                    edits=(),
                )
            )
    changes += _table1_changes(count_due_actions(old, cutoff), count_due_actions(new, cutoff))
    return tuple(changes)


def _table1_cells(table1: Table1) -> dict[tuple[str, str], int]:
    cells = {}
    for row in table1.rows:
        for status, figure in zip(table1.statuses, row.counts, strict=True):
            cells[(row.theme.name, status.label)] = figure
        cells[(row.theme.name, "TOTAL")] = row.total
    for status, figure in zip(table1.statuses, table1.totals, strict=True):
        cells[("TOTALS", status.label)] = figure
    cells[("TOTALS", "TOTAL")] = table1.total
    return cells


def _table1_changes(old: Table1, new: Table1) -> list[Change]:
    before, after = _table1_cells(old), _table1_cells(new)
    changes = []
    for key in list(after) + [k for k in before if k not in after]:
        if before.get(key) != after.get(key):
            old_text = "" if key not in before else str(before[key])
            new_text = "" if key not in after else str(after[key])
            changes.append(
                Change(
                    kind=ChangeKind.CELL,
                    where=f"Table 1, {key[0]}, {key[1]}",
                    section=None,
                    old=old_text,
                    new=new_text,
                    edits=(),
                )
            )
    return changes
