"""Formatting as Word shows it: each aspect of a paragraph or run resolved through its styles.

A paragraph's or run's own (direct) formatting is only part of what a reader sees: the rest comes from its
paragraph style and the styles that style is based on, its character style, its table's style, the document's
defaults and, last, the standard's defaults (ECMA-376 Part 1 §17.7.2). LibreOffice, and Word at times, saves a
document again with formatting written out directly at the values the styles already gave; comparing what each
version's direct formatting says would report every such paragraph as changed. The comparison asks here what each
aspect comes to in each version, with that version's own styles part.

No library kept on PyPI does this: python-docx reads a style's own properties without resolving them, docx2python
and docxcompose extract or merge content and do not resolve toggles (§17.7.3) or numbering; so this small resolver
reads a styles part once per document and caches what it resolves."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree
from lxml.etree import _Element

from .elements import OFF, ON, ON_OFF_ELEMENTS, canonical

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{_W}val"

#: §17.7.3: the run properties that toggle in styles (a style saying "bold" makes bold text of its base plain).
TOGGLES = frozenset(
    _W + n
    for n in ["b", "bCs", "caps", "emboss", "i", "iCs", "imprint", "outline", "shadow", "smallCaps", "strike", "vanish"]
)
#: Properties whose attributes each style level may set apart (a style's spacing after, its base's before).
_MERGED = frozenset(_W + n for n in ("ind", "spacing", "rFonts", "lang"))
#: The standard's value of a property no style sets (§17.3.1, §17.3.2), as an element reading the same.
_STANDARD = {
    f"{_W}{name}": etree.fromstring(f'<w:{name} xmlns:w="{_W[1:-1]}" {attributes}/>')
    for name, attributes in (
        ("jc", 'w:val="left"'),
        ("u", 'w:val="none"'),
        ("color", 'w:val="auto"'),
        ("vertAlign", 'w:val="baseline"'),
        ("kern", 'w:val="0"'),
        ("position", 'w:val="0"'),
        ("w", 'w:val="100"'),
        ("sz", 'w:val="20"'),
        ("szCs", 'w:val="20"'),
        ("outlineLvl", 'w:val="9"'),
        ("highlight", 'w:val="none"'),
        ("textAlignment", 'w:val="auto"'),
    )
}
#: Attributes at their standard value, which say nothing: no indent, no space before or after, single spacing.
_NOTHING = {
    f"{_W}ind": {
        f"{_W}{n}": "0" for n in ["left", "right", "start", "end", "firstLine", "hanging", "leftChars", "rightChars"]
    },
    f"{_W}spacing": {
        f"{_W}before": "0",
        f"{_W}after": "0",
        f"{_W}beforeAutospacing": "0",
        f"{_W}afterAutospacing": "0",
    },
}
_SIDES = {f"{_W}left": f"{_W}start", f"{_W}right": f"{_W}end"}


#: What tells list templates apart without changing how they number: their ids and links to numbering styles.
TEMPLATE_IDS = frozenset({f"{_W}nsid", f"{_W}tmpl", f"{_W}numStyleLink", f"{_W}styleLink"})


def template_levels(template: _Element | None) -> tuple[Any, ...]:
    """A list template's levels as a reader sees them, without its ids (TEMPLATE_IDS)."""
    if template is None:
        return ()
    return tuple(canonical(child) for child in template if child.tag not in TEMPLATE_IDS)


class Styles:
    """One document's styles part (and numbering part), read once: what a paragraph's or run's aspect comes to."""

    def __init__(self, root: _Element | None, numbering: _Element | None = None) -> None:
        self.root = root
        """The styles part's root (w:styles), None where the document has none."""
        self.by_id: dict[str, _Element] = {}
        self.defaults: dict[str, str] = {}
        for style in root.iterfind(f"{_W}style") if root is not None else ():
            style_id = style.get(f"{_W}styleId") or ""
            self.by_id.setdefault(style_id, style)
            if style.get(f"{_W}default") in ON:
                self.defaults.setdefault(style.get(f"{_W}type") or "paragraph", style_id)
        found = root.find(f"{_W}docDefaults") if root is not None else None
        self.paragraph_defaults = found.find(f"{_W}pPrDefault/{_W}pPr") if found is not None else None
        self.run_defaults = found.find(f"{_W}rPrDefault/{_W}rPr") if found is not None else None
        self.numbering = numbering
        """The numbering part's root (w:numbering), None where the document has none."""
        self.levels: dict[tuple[str, str], _Element] = {}
        self.restarts: dict[tuple[str, str], str | None] = {}
        """The number a list (numId) restarts its level at (w:lvlOverride/w:startOverride), by (numId, level)."""
        self._abstracts: dict[str | None, _Element] = {}
        self._nums: dict[str | None, _Element] = {}
        if numbering is not None:
            self._abstracts = {a.get(f"{_W}abstractNumId"): a for a in numbering.iterfind(f"{_W}abstractNum")}
            self._nums = {n.get(f"{_W}numId"): n for n in numbering.iterfind(f"{_W}num")}
            for num in numbering.iterfind(f"{_W}num"):
                abstract = self.template(num)
                for level in abstract.iterfind(f"{_W}lvl") if abstract is not None else ():
                    self.levels[(num.get(f"{_W}numId") or "", level.get(f"{_W}ilvl") or "0")] = level
                for override in num.iterfind(f"{_W}lvlOverride"):
                    key = (num.get(f"{_W}numId") or "", override.get(f"{_W}ilvl") or "0")
                    redefined = override.find(f"{_W}lvl")
                    if redefined is not None:
                        self.levels[key] = redefined
                    self.restarts[key] = _value(override.find(f"{_W}startOverride"))
        self._cache: dict[tuple[Any, ...], _Element | None] = {}
        self._numbers: dict[str | None, dict[str, tuple[Any, ...]]] = {}

    def template(self, num: _Element) -> _Element | None:
        """The list template (w:abstractNum) whose levels a list (w:num) of this document numbers with: the one it
        names, or for a template defined through a numbering style (w:numStyleLink, Word's Define New List
        Style), the template that style's own list uses."""
        return self.template_of(_value(num.find(f"{_W}abstractNumId")))

    def template_of(self, abstract_id: str | None) -> _Element | None:
        """As template, for the template of this id (w:abstractNumId)."""
        abstract = self._abstracts.get(abstract_id)
        link = abstract.find(f"{_W}numStyleLink") if abstract is not None else None
        if link is None:
            return abstract
        style = self.by_id.get(_value(link) or "")
        place = style.find(f"{_W}pPr/{_W}numPr/{_W}numId") if style is not None else None
        linked = self._nums.get(_value(place)) if place is not None else None
        target = self._abstracts.get(_value(linked.find(f"{_W}abstractNumId"))) if linked is not None else None
        return target if target is not None and target.find(f"{_W}numStyleLink") is None else abstract

    def template_link(self, abstract_id: str | None) -> str | None:
        """The numbering style a list template of this id is defined through (w:numStyleLink), if any."""
        abstract = self._abstracts.get(abstract_id)
        link = abstract.find(f"{_W}numStyleLink") if abstract is not None else None
        return _value(link) if link is not None else None

    def list_definition(self, num_id: str | None) -> tuple[Any, ...]:
        """How a list (numId) numbers, every level of it, as a reader sees it: its template's levels (through the
        numbering style it is defined by) and its own overrides, without the ids that differ between packages
        saying the same (nsid, tmpl, links). Two paragraphs of one list count together, so a list whose definition
        changed at any level is another list for all of them."""
        num = self._nums.get(num_id)
        if num is None:
            return ()
        return (
            template_levels(self.template(num)),
            tuple(canonical(override) for override in num.iterfind(f"{_W}lvlOverride")),
        )

    def name(self, style_id: str | None, kind: str = "paragraph") -> str:
        """The style's name as Word shows it ("Heading 1" for the id "Heading1"), its default where it has none."""
        style = self.by_id.get(style_id or self.defaults.get(kind, ""))
        name = _value(style.find(f"{_W}name")) if style is not None else None
        name = name or style_id or ("Normal" if kind == "paragraph" else "Default Paragraph Font")
        # Word stores built-in names in lower case ("heading 1") and shows them capitalised
        return name[0].upper() + name[1:] if name.split(" ")[0] in _BUILT_IN else name

    def paragraph_style(self, paragraph: _Element) -> str:
        """The id of the paragraph's style, the document's default paragraph style where it names none."""
        return _value(paragraph.find(f"{_W}pPr/{_W}pStyle")) or self.defaults.get("paragraph", "")

    def paragraph_aspect(self, tag: str, paragraph: _Element, own: _Element | None) -> _Element | None:
        """What the paragraph's property `tag` comes to, with `own` its direct value: through its list level, its
        style and the styles it is based on, its table's style and the document's defaults."""
        key = ("p", tag, self.paragraph_style(paragraph), _table_style(paragraph))
        if key not in self._cache:
            layers = [self.paragraph_defaults, *self._chain(key[3], "pPr"), *self._chain(key[2], "pPr")]
            self._cache[key] = _resolved(tag, [_find(layer, tag) for layer in layers], toggles=False)
        found = [self._cache[key]]
        if tag != f"{_W}numPr":  # a list level's indents stand over the style's
            level = self._list_level(paragraph)
            found.append(_find(level.find(f"{_W}pPr") if level is not None else None, tag))
        return _resolved(tag, [*found, own], toggles=False)

    def run_aspect(self, tag: str, paragraph: _Element, run_style: str | None, own: _Element | None) -> _Element | None:
        """What a run's property `tag` comes to in the paragraph, with `own` its direct value and `run_style` its
        character style: toggles (bold, italic...) each style saying "on" turns over (§17.7.3)."""
        key = ("r", tag, self.paragraph_style(paragraph), _table_style(paragraph), run_style or "")
        if key not in self._cache:
            layers = [*self._chain(key[3], "rPr"), *self._chain(key[2], "rPr"), *self._chain(run_style or "", "rPr")]
            base = _find(self.run_defaults, tag)
            self._cache[key] = _resolved(
                tag, [_find(layer, tag) for layer in layers], toggles=tag in TOGGLES, base=base
            )
        return _resolved(tag, [self._cache[key], own], toggles=False)

    def list_format(self, numbering: _Element | None) -> tuple[Any, ...]:
        """How a list level numbers its paragraphs (its format, text, first number and the number the list restarts
        it at: "decimal", "%1.", "1", None), to tell two lists apart by what a reader sees rather than by their ids."""
        if numbering is None:
            return ()
        key = (_value(numbering.find(f"{_W}numId")) or "", _value(numbering.find(f"{_W}ilvl")) or "0")
        level = self.levels.get(key)
        if level is None:
            return (key[0],)
        legal = level.find(f"{_W}isLgl")  # legal style numbering: every level's number in digits
        own = (
            *(_value(level.find(f"{_W}{name}")) for name in ("numFmt", "lvlText", "start")),
            *(("legal",) if legal is not None and (_value(legal) or "true").strip().lower() not in OFF else ()),
        )
        look = self.bullet_look(numbering)
        # A number made of its levels' numbers ("%1.%2": 1.1) reads otherwise when a level it names changes.
        named: list[tuple[str | None, ...]] = []
        for reference in sorted(set(_LEVEL_REFERENCE.findall(own[1] or ""))):
            other = (key[0], str(int(reference) - 1))
            if other[1] != key[1] and other in self.levels:
                found = self.levels[other]
                named.append(
                    (_value(found.find(f"{_W}numFmt")), _value(found.find(f"{_W}start")), self.restarts.get(other))
                )
        return (*own, self.restarts.get(key), *named, *((look,) if look else ()))

    def list_numbers(self, num_id: str | None) -> dict[str, tuple[Any, ...]]:
        """How each level of a list (numId) numbers its paragraphs, as list_format tells it, by level: two
        paragraphs of one list count together, so a list whose numbers changed at a level is another list for all
        of its paragraphs (level 2's numbers restart after each level 1 paragraph)."""
        if num_id not in self._numbers:
            numbers = {}
            for listed, level in sorted(k for k in self.levels if k[0] == num_id):
                place = etree.Element(f"{_W}numPr")
                etree.SubElement(place, f"{_W}ilvl").set(f"{_W}val", level)
                etree.SubElement(place, f"{_W}numId").set(f"{_W}val", listed)
                numbers[level] = self.list_format(place)
            self._numbers[num_id] = numbers
        return self._numbers[num_id]

    def bullet_look(self, numbering: _Element | None) -> str:
        """How a bulleted level's bullet looks beyond its character: a picture bullet, or the font its character
        is drawn in (Symbol's and Wingdings' same code are different bullets); "" for a numbered level."""
        if numbering is None:
            return ""
        key = (_value(numbering.find(f"{_W}numId")) or "", _value(numbering.find(f"{_W}ilvl")) or "0")
        level = self.levels.get(key)
        if level is None or _value(level.find(f"{_W}numFmt")) != "bullet":
            return ""
        if level.find(f"{_W}lvlPicBulletId") is not None:
            return "a picture bullet"
        fonts = level.find(f"{_W}rPr/{_W}rFonts")
        font = (fonts.get(f"{_W}ascii") or fonts.get(f"{_W}hAnsi")) if fonts is not None else None
        return f"drawn in {font}" if font else ""

    def _list_level(self, paragraph: _Element) -> _Element | None:
        numbering = self.paragraph_aspect(f"{_W}numPr", paragraph, paragraph.find(f"{_W}pPr/{_W}numPr"))
        if numbering is None:
            return None
        number = _value(numbering.find(f"{_W}numId")) or ""
        return self.levels.get((number, _value(numbering.find(f"{_W}ilvl")) or "0"))

    def _chain(self, style_id: str, part: str) -> list[_Element | None]:
        """The style's properties (pPr or rPr) and those of the styles it is based on, the furthest base first."""
        found: list[_Element | None] = []
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            found.append(style.find(f"{_W}{part}"))
            style_id = _value(style.find(f"{_W}basedOn")) or ""
        return found[::-1]


#: A list level's reference to a level's number in its text ("%1.%2.").
_LEVEL_REFERENCE = re.compile(r"%([1-9])")
_BUILT_IN = frozenset(("heading", "caption", "title", "footer", "header", "normal", "subtitle", "list"))


def _value(element: _Element | None) -> str | None:
    return element.get(_VAL) if element is not None else None


def _table_style(paragraph: _Element) -> str:
    table = next(paragraph.iterancestors(f"{_W}tbl"), None)
    return _value(table.find(f"{_W}tblPr/{_W}tblStyle")) or "" if table is not None else ""


def _find(layer: _Element | None, tag: str) -> _Element | None:
    return layer.find(tag) if layer is not None else None


def _resolved(
    tag: str, values: list[_Element | None], *, toggles: bool, base: _Element | None = None
) -> _Element | None:
    """The property `tag` from its values at each level, the strongest last: each level's stands over those below
    it, attribute by attribute for indents, spacing, fonts and languages; a toggle in a style turns the value below
    over where it says on (§17.7.3)."""
    found = base
    for element in values:
        if element is None:
            continue
        if toggles:
            if element.get(_VAL, "1").strip().lower() in ON:
                on = found is not None and found.get(_VAL, "1").strip().lower() in ON
                found = etree.Element(tag, {_VAL: "0" if on else "1"})
        elif tag in _MERGED and found is not None:
            merged = copy.copy(found)
            for name, value in element.attrib.items():
                name = _SIDES.get(name, name) if tag == f"{_W}ind" else name
                if tag == f"{_W}ind" and name in (f"{_W}hanging", f"{_W}firstLine"):
                    for other in (f"{_W}hanging", f"{_W}firstLine"):
                        merged.attrib.pop(other, None)
                merged.set(name, value)
            found = merged
        elif tag == f"{_W}ind":
            found = etree.Element(tag, {_SIDES.get(k, k): v for k, v in element.attrib.items()})
        else:
            found = element
    return found


def seen(tag: str, element: _Element | None) -> _Element | None:
    """A resolved property as a reader sees it: the standard's value where no level set it, and attributes at
    their standard value (an indent of 0, no space before) left out; None where nothing is set at all."""
    if element is None:
        if tag == f"{_W}widowControl":
            # On where nothing says: Word keeps a paragraph's first and last lines with it unless told not to, and
            # LibreOffice, saving such a paragraph, writes it out on.
            return etree.Element(tag)
        if tag in ON_OFF_ELEMENTS:  # on or off, and set nowhere: off (§17.7.3 for the toggles)
            return etree.Element(tag, {_VAL: "0"})
        return _STANDARD.get(tag)
    nothing = _NOTHING.get(tag)
    if nothing is not None:
        element = copy.copy(element)
        for name, value in list(element.attrib.items()):
            if nothing.get(name) == value.strip().lstrip("+").lstrip("0").rjust(1, "0"):
                del element.attrib[name]
        if (
            tag == f"{_W}spacing"
            and element.get(f"{_W}line") in ("240", None)
            and element.get(f"{_W}lineRule")
            in (
                "auto",
                None,
            )
        ):
            element.attrib.pop(f"{_W}line", None)
            element.attrib.pop(f"{_W}lineRule", None)
    if tag == f"{_W}numPr" and _value(element.find(f"{_W}numId")) == "0":
        return None  # §17.9.18: list 0 takes the paragraph out of any list
    return element


#: Each document's styles, read once, with the copies of its stories read for a comparison (wordfile.read_body
#: reads a copy of a body or header as it reads with its tracked changes accepted or rejected), by the copy's root:
#: the last few documents compared (a web server compares many in turn).
_DOCUMENTS: list[tuple[object, Styles, dict[int, _Element]]] = []


def of_document(document: Any) -> Styles:
    """The styles of a python-docx document, read once."""
    for known, styles, _roots in _DOCUMENTS:
        if known is document:
            return styles
    part = document.part
    roots: list[_Element | None] = []
    for reltype in (RT.STYLES, RT.NUMBERING):
        try:
            related = part.part_related_by(reltype)
        except KeyError:
            roots.append(None)
            continue
        element = getattr(related, "element", None)
        roots.append(element if element is not None else _parsed(related.blob))
    styles = Styles(roots[0], roots[1])
    _DOCUMENTS.append((document, styles, {}))
    if len(_DOCUMENTS) > 8:
        del _DOCUMENTS[0]
    return styles


def adopt(root: _Element, document: Any) -> None:
    """Says that root, a copy of one of the document's stories, is read with the document's styles."""
    of_document(document)
    next(roots for known, _styles, roots in _DOCUMENTS if known is document)[id(root)] = root


def _parsed(blob: bytes) -> _Element | None:
    try:
        return etree.fromstring(blob)
    except etree.XMLSyntaxError:
        return None


_NO_STYLES = Styles(None)


def of(element: _Element) -> Styles:
    """The styles of the document the element was read from (a copy adopted, or one of its parts), or the
    standard's defaults alone for an element of no document known here."""
    root = element.getroottree().getroot()
    for _document, styles, roots in reversed(_DOCUMENTS):
        if roots.get(id(root)) is root:
            return styles
    for document, styles, roots in reversed(_DOCUMENTS):
        if any(r is root for r in _part_roots(document)):
            roots[id(root)] = root
            return styles
    return _NO_STYLES


def _part_roots(document: Any) -> Iterator[_Element]:
    for part in document.part.package.iter_parts():
        for name in ("element", "_jtai_root"):
            root = getattr(part, name, None)
            if root is not None:
                yield root
