"""Fills the Word template: the only module that knows docxtpl and Jinja (packing the .docx is package.py's)."""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import io
import json
import marshal
import operator
import re
import sys
import threading
import types
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import jinja2.compiler
import jinja2.meta
import jinja2.nodes
import markupsafe
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import Part
from docx.oxml.ns import nsmap as docx_nsmap
from docx.oxml.ns import qn
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment, safe_range
from lxml import etree
from lxml.etree import _Element
from markupsafe import Markup

from . import a11y, cache, files
from .context import FILTERS
from .errors import InvalidInputError, Problem, Severity, damaged_xml_in_plain_words, suggest
from .package import XML_PARSER as _XML_PARSER
from .package import find_damage as _find_damage
from .package import not_a_word_document, pack_document
from .package import place_of_damage as _place_of_damage
from .package import xml_offset as _offset


def _import_docxtpl_without_subdocuments() -> None:
    """Imports docxtpl without its Subdoc, which jtai-docs never uses (#11).

    docxtpl's package imports Subdoc only if it can (an ImportError is passed over), and Subdoc brings docxcompose
    and babel, whose start-up (reading the local time zone) is about 25 ms of every build. An import of
    docxtpl.subdoc is declined while docxtpl loads and allowed again straight after, so anything that asks for
    it later (docxtpl's own new_subdoc) still gets it."""
    if "docxtpl" in sys.modules or "docxtpl.subdoc" in sys.modules:
        return
    sys.modules["docxtpl.subdoc"] = None  # type: ignore[assignment]  # None makes Python refuse the import
    try:
        import docxtpl  # noqa: F401, PLC0415 - loaded here, with the refusal in place
    finally:
        del sys.modules["docxtpl.subdoc"]


_import_docxtpl_without_subdocuments()

from docxtpl import DocxTemplate  # noqa: E402 - after docxtpl was loaded without its Subdoc

#: Every report is in British English; screen readers and spell checkers use this.
LANGUAGE = "en-GB"
# Zip entries carry this time instead of the clock, so the same inputs give the same bytes.


@dataclass(frozen=True)
class DocumentProperties:
    """What File > Properties shows for the report."""

    title: str
    """The report title."""
    author: str
    """Who the report is from."""
    date: date
    """Used for both created and modified, so rebuilding does not change the file."""


def _keep_as_typed(value: Any) -> Markup:
    """Data escaped for XML, with docxtpl's escape syntax ({_{ }_} {_% %_}) broken up by character references.

    docxtpl turns {_{ into {{ in everything it renders, data included; an XML character reference for the
    brace is read back as the brace itself, so what was typed is printed.
    """
    if type(value) is str:
        # markupsafe.escape of a str, step for step as its own Python version writes it (its compiled version gives
        # the same text), without its two Python-level calls: 7 of them a row in Appendix 2 (#11).
        text = value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
        text = text.replace("'", "&#39;").replace('"', "&#34;")
    else:
        escaped = markupsafe.escape(value)
        if "_" not in escaped:
            return escaped
        text = str(escaped)
    if "_" in text:
        text = text.replace("{_", "&#123;_").replace("}_", "&#125;_").replace("_}", "_&#125;")
    return str.__new__(Markup, text)  # Markup(text), for a str that is not already Markup


_T = TypeVar("_T")


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, but for each {{ }} it writes the finalize function's result as it is instead of
    escaping it again: escaping Markup (markupsafe.escape) gives a Markup of the same text, and finalize
    (_keep_as_typed) always returns Markup, so the output is the same text, for about a fifth less of each tag's
    time (#11). Only the plain autoescaping case changes; under {% autoescape %} blocks (volatile) or without a
    finalize, Jinja's own code is written."""

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: Any, finalize: Any) -> None:
        if (
            finalize.src == "environment.finalize("
            and self.environment.finalize is _keep_as_typed
            and not frame.eval_ctx.volatile
            and frame.eval_ctx.autoescape
        ):
            self.write("(" + finalize.src)  # _output_child_post closes both
            return
        super()._output_child_pre(node, frame, finalize)


#: The most characters one tag may make by repeating text ('-' * 80 is fine; 'a' * 10**9 is refused at once),
#: the largest power it may raise a number to, and the most characters one part of the report may fill in to.
MOST_REPEATED = 1_000_000
MOST_POWER = 1_000
MOST_FILLED = 256 * 2**20
#: The most numbers range() may give in all while one report is filled in: loops inside loops each below the
#: sandbox's 100,000 would otherwise count for hours while writing nothing. Appendix 2 of a 100,000-action plan
#: counts through each action a few times at most.
MOST_COUNTED = 10_000_000
#: What range() has given while the current report is filled in (None outside a fill: range() is then bounded by
#: the sandbox's per-call limit only).
_COUNTED: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("jtai_docs_counted", default=None)


class TemplateTooBig(SecurityError):
    """A tag would make more than a template may: its work is refused at once rather than done for minutes."""


class _Bounded(SandboxedEnvironment):
    """The sandbox, with work that would take minutes or fill memory refused: repeating text (or a list) into more
    than MOST_REPEATED characters, powers above MOST_POWER, and more than MOST_FILLED characters filled in for
    one part. The sandbox's own range() already refuses more than 100,000 numbers."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = _counted_range

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for repeated, times in ((left, right), (right, left)):
                if (
                    isinstance(repeated, str | list | tuple)
                    and isinstance(times, int)
                    and len(repeated) * times > MOST_REPEATED
                ):
                    raise TemplateTooBig(
                        f"a tag repeats text {times:,} times, more than the {MOST_REPEATED:,} characters a tag may make"
                    )
        if operator == "**" and isinstance(right, int | float) and abs(right) > MOST_POWER:
            raise TemplateTooBig(f"a tag raises a number to the power {right:,}, more than the {MOST_POWER:,} allowed")
        return super().call_binop(context, operator, left, right)

    @staticmethod
    def concat(parts: Any) -> str:
        filled = []
        size = 0
        for piece in parts:
            filled.append(piece)
            size += len(piece)
            if size > MOST_FILLED:
                raise TemplateTooBig(
                    f"the template fills in more than {MOST_FILLED // 2**20} MB of text, more than any report "
                    "needs; look for loops inside loops"
                )
        return "".join(filled)


def _counted_range(*args: int) -> range:
    """The sandbox's range(), counted against MOST_COUNTED for the report being filled in."""
    numbers = safe_range(*args)
    counted = _COUNTED.get()
    if counted is not None:
        counted[0] += len(numbers)
        if counted[0] > MOST_COUNTED:
            raise TemplateTooBig(
                f"the template's loops count through more than {MOST_COUNTED:,} numbers with range(), more than "
                "any report needs; look for loops inside loops"
            )
    return numbers


@contextlib.contextmanager
def _counting() -> Iterator[None]:
    """range() counted afresh for one filling-in of a report."""
    token = _COUNTED.set([0])
    try:
        yield
    finally:
        _COUNTED.reset(token)


class _Environment(_Bounded):
    """A sandboxed environment that parses and compiles each template source once.

    Every report of a batch (and every build of the web server) fills the same template: parsing and compiling
    its XML again cost about 50 ms of each report's build. A compiled template is never changed by rendering it,
    so the same source is given the same one; at most _KEPT sources are kept, the oldest dropped first.
    """

    _KEPT = 8
    code_generator_class = _CodeGenerator
    #: Whether compiled templates are kept in the cache folder too: only for make_environment's environment, whose
    #: options are part of render.py's code, which every entry's key holds (cache._fingerprint).
    keep_on_disk = False

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._lock = threading.Lock()
        self._parsed: OrderedDict[str, jinja2.nodes.Template] = OrderedDict()
        self._compiled: OrderedDict[str, jinja2.Template] = OrderedDict()
        self._undeclared: OrderedDict[str, frozenset[str]] = OrderedDict()
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # SandboxedEnvironment's answer depends only on the attribute's name and the object's type (isinstance
        # checks against Python's function, method, code and generator types), so it is kept per type and name:
        # a 10,000-row appendix asks 70,000 times for the same few (#11).
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = super().is_safe_attribute(obj, attr, value)
            if len(self._safe) < 4096:
                self._safe[key] = safe
        return safe

    def parse(self, source: str, name: str | None = None, filename: str | None = None) -> jinja2.nodes.Template:
        if name is not None or filename is not None:
            return super().parse(source, name, filename)
        return self._kept(self._parsed, source, lambda: super(_Environment, self).parse(source))

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> jinja2.Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return self._kept(self._compiled, source, lambda: super(_Environment, self).from_string(source))

    def compile(
        self,
        source: str | jinja2.nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        """Jinja's compile, with the code of a template source kept in the cache folder: the next build of the same
        template takes it from there instead of parsing the XML and generating and compiling its code again (#11)."""
        plain = name is None and filename is None and not raw and not defer_init
        if not (self.keep_on_disk and plain and isinstance(source, str)):
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
        kept = cache.load_entry("code", source)
        if kept is not None:
            try:
                code = marshal.loads(kept)
            except (ValueError, EOFError, TypeError):
                code = None
            if isinstance(code, types.CodeType):
                return code
        code = super().compile(source)  # a syntax error is raised here, and nothing is kept
        cache.store_entry("code", source, marshal.dumps(code))
        return code

    def undeclared_variables(self, source: str) -> frozenset[str]:
        """jinja2.meta.find_undeclared_variables of the source's parse, kept: Jinja finds them by generating the
        template's code (about 15 ms for the report's body), and every report of a batch asks for the same (#11)."""
        return self._kept(
            self._undeclared, source, lambda: frozenset(jinja2.meta.find_undeclared_variables(self.parse(source)))
        )

    def _kept(self, kept: OrderedDict[str, _T], source: str, make: Callable[[], _T]) -> _T:
        with self._lock:
            if source in kept:
                kept.move_to_end(source)
                return kept[source]
        made = make()  # a syntax error is raised here, and nothing is kept
        with self._lock:
            kept[source] = made
            while len(kept) > self._KEPT:
                kept.popitem(last=False)
        return made


@functools.cache
def make_environment() -> _Environment:
    """The Jinja environment for every template: sandboxed, escaping data, failing on unknown names (one for the
    whole process, so each template is compiled once)."""
    environment = _Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True, finalize=_keep_as_typed
    )
    environment.filters.update(FILTERS)
    environment.keep_on_disk = True
    return environment


def _make_text_environment() -> jinja2.Environment:
    """The environment for document properties, which are plain text: nothing is XML-escaped there."""
    environment = _Bounded(autoescape=False, undefined=jinja2.StrictUndefined)
    environment.filters.update(FILTERS)
    return environment


#: docxtpl renders only these of the core properties; the check looks for tags in the same ones.
RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_NOTES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml": "in the footnotes",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml": "in the endnotes",
}
_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_TAG = re.compile(r"\{[{%]|[}%]\}")
#: docxtpl's own pattern for a paragraph (docxtpl.template.DocxTemplate.resolve_listing), and the characters
#: that make it change one.
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING = re.compile("[\t\a\n\f]")
#: docxtpl starts each paragraph on a line of its own before filling in, and joins them again after.
_NEW_LINES = re.compile(r"<w:p([ >])")


class _ReportTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl ships no type information
    """docxtpl's template with properties filled as plain text, and endnotes filled like footnotes.

    Each part is filled in once: the strict check of the filled-in XML (_rendering_problems) and docxtpl's
    render ask for the same parts with the same data, and the second asks gets the first's result.
    """

    #: The row loops filled in row by row (_RowStream), set by _fill when the body's loops could be isolated.
    _stream: _RowStream | None = None

    def render_xml_part(
        self, src_xml: str, part: Any, context: Mapping[str, Any], jinja_env: jinja2.Environment | None = None
    ) -> str:
        filled: dict[tuple[int, str], tuple[Mapping[str, Any], str]] = self.__dict__.setdefault("_filled", {})
        # The same part's same source with the very same data object: the same XML, since filling is pure.
        key = (id(part), src_xml)
        if key in filled and filled[key][0] is context:
            return filled[key][1]
        stream = self._stream
        if stream is not None and part is self.docx._part and jinja_env is not None:
            xml = stream.fill_body(self, part, context, jinja_env)
        else:
            xml = super().render_xml_part(src_xml, part, context, jinja_env)
        filled[key] = (context, xml)
        return xml

    def fill_part(self, src_xml: str, part: Any, context: Mapping[str, Any], jinja_env: jinja2.Environment) -> str:
        """docxtpl's own filling of a piece of XML (its line handling, escapes and listing pass), not kept."""
        xml: str = super().render_xml_part(src_xml, part, context, jinja_env)
        return xml

    def row_filler(
        self, body: str, target: str, context: Mapping[str, Any], jinja_env: jinja2.Environment
    ) -> Callable[[list[Any]], list[str]]:
        """fill_part for one loop body, for a list of items at a time, one row's XML per item: the same steps as
        docxtpl's render_xml_part (docxtpl 0.20), with the body prepared and compiled once and the data shared
        rather than copied for every row.

        The items are filled in by one Jinja call: a template that loops over them with the same loop variable,
        writing the body and then _ROW_END for each, and the result is cut at _ROW_END. The body holds only {{ }}
        tags using the loop variable and the report's own variables (_row_loops), none of them `loop`, so each
        turn of the loop writes what filling the body in on its own writes for that item. Data may be Markup that
        is written as it is, so the cut is trusted only when it gives exactly one piece per item; otherwise, and
        whenever the Jinja call fails, the items are filled in one by one as before, which gives the same rows
        and raises the same error (filling in is pure). docxtpl's steps after Jinja work on each row's piece."""
        prepared = _NEW_LINES.sub(r"\n<w:p\1", body)
        compiled = jinja_env.from_string(prepared)
        data: dict[str, Any] = {**compiled.globals, **context}
        render = compiled.root_render_func
        new_context = compiled.new_context
        concat = jinja_env.concat
        resolve = self.resolve_listing
        self.current_rendering_part = self.docx._part
        many = None
        if _ROW_END not in prepared and _ITEMS not in prepared and _ITEMS not in context:
            many = jinja_env.from_string(f"{{% for {target} in {_ITEMS} %}}{prepared}{_ROW_END}{{% endfor %}}")

        def one_by_one(items: list[Any]) -> list[str]:
            rows = []
            for item in items:
                data[target] = item
                rows.append(resolve(_unescaped(concat(render(new_context(data, shared=True))))))
            return rows

        def fill(items: list[Any]) -> list[str]:
            if many is None:
                return one_by_one(items)
            data[_ITEMS] = items
            try:
                xml = concat(many.root_render_func(many.new_context(data, shared=True)))
            except Exception:  # noqa: BLE001 - filled in again one by one, which raises it as before
                return one_by_one(items)
            finally:
                del data[_ITEMS]
            # _unescaped of the whole is _unescaped of each piece: none of its patterns can overlap _ROW_END, and
            # it cannot remove one; one it made would leave a piece too many.
            xml = _unescaped(xml)
            pieces = xml.split(_ROW_END)
            if len(pieces) != len(items) + 1 or pieces[-1]:
                return one_by_one(items)
            del pieces[-1]
            if not _listed(xml):
                return pieces  # no piece holds a character resolve_listing acts on, so it changes none
            return [resolve(piece) for piece in pieces]

        return fill

    def map_tree(self, tree: _Element) -> None:
        super().map_tree(tree)
        if self._stream is not None:
            # After docxtpl has moved the body into the document, so each row is moved once, from its batch.
            self._stream.splice(self.docx._element.body)

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def resolve_listing(self, xml: str) -> str:
        # docxtpl turns tabs, line breaks and page breaks typed in the data into Word's own elements by running
        # three nested regular-expression substitutions over every run of every paragraph: 60% of filling in
        # a 10,000-action appendix, although nearly no paragraph holds such a character. The same pass over
        # the paragraphs is made here, and only a paragraph that holds one goes through docxtpl's own code,
        # so the result is exactly docxtpl's.
        if not _listed(xml):
            return xml  # no paragraph holds such a character: nothing changes
        resolve = super().resolve_listing

        def paragraph(match: re.Match[str]) -> str:
            text = match.group(0)
            return resolve(text) if _LISTING.search(text) else text

        return _PARAGRAPH.sub(paragraph, xml)

    def render_properties(self, context: Mapping[str, Any], jinja_env: jinja2.Environment | None = None) -> None:
        environment = _make_text_environment()
        for name in RENDERED_PROPERTIES:
            initial = getattr(self.docx.core_properties, name)
            if _TAG.search(initial or ""):
                setattr(self.docx.core_properties, name, environment.from_string(initial).render(context))

    def render_footnotes(self, context: Mapping[str, Any], jinja_env: jinja2.Environment | None = None) -> None:
        # docxtpl fills the footnotes once per section and leaves endnotes as typed; fill each part once.
        for part in _note_parts(self.docx):
            xml = self.patch_xml(part.blob.decode("utf-8"))
            part._blob = self.render_xml_part(xml, part, context, jinja_env).encode("utf-8")


def _listed(xml: str) -> bool:
    """Whether the XML holds a character of _LISTING (four scans of the text are quicker than the pattern's)."""
    return "\t" in xml or "\a" in xml or "\n" in xml or "\f" in xml


def _unescaped(xml: str) -> str:
    """docxtpl's steps between Jinja and its listing pass (docxtpl 0.20's render_xml_part): the new lines it put
    before paragraphs taken out again (its re.sub(r"\\n<w:p([ >])")), and its escape syntax turned into tags."""
    xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    if "_" not in xml:
        return xml  # every pattern below holds one
    return xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")


@functools.lru_cache(maxsize=32)
def _patched(xml: str) -> str:
    """docxtpl's clean-up of a part's XML before Jinja reads it (tags split by Word's runs joined, and so on).

    It is a pure function of the XML (it reads nothing else of the template), and a build asks for the same part's
    several times (checking the tags, filling in, every report of a batch): 40 ms of each build, now done once per
    distinct XML, and kept in the cache folder for the next build of the same template. The tests run against the
    lowest docxtpl allowed as well."""
    kept = cache.load_entry("patched", xml)
    if kept is not None:
        return kept.decode("utf-8", "surrogatepass")
    patched: str = DocxTemplate.patch_xml(None, xml)
    cache.store_entry("patched", xml, patched.encode("utf-8", "surrogatepass"))
    return patched


class _Unstreamable(Exception):
    """The row loops could not be filled in row by row after all (or filling in found a problem): the template is
    filled in again as a whole, as docxtpl fills it, which gives today's bytes and today's messages."""


#: A {%tr for NAME in EXPRESSION %} tag as docxtpl leaves it ({% for ... %}), with no whitespace control.
_FOR_TAG = re.compile(r"\{%\s*for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+((?:(?!%\}).)+?)\s*%\}", re.DOTALL)
_END_FOR = re.compile(r"\{%\s*endfor\s*%\}")
#: How the body asks for loop i's rows, and the parents a row loop may sit in (not a macro, call, filter or set
#: block, whose output goes somewhere other than the document).
_ROWS_CALL = "_jtai_docs_rows_{}"
_OPEN_PARENTS = (jinja2.nodes.Template, jinja2.nodes.If, jinja2.nodes.For)
#: Rows filled in by one Jinja call and parsed together (the namespace declarations around them read once per
#: batch, not per row).
_BATCH = 256
#: The name a batch of items is given in the template that fills them in, and what it writes after each row.
_ITEMS = "_jtai_docs_items"
_ROW_END = "<!--jtai-docs row end-->"


@dataclass(frozen=True)
class _RowLoop:
    """A {%tr for %} loop of the body whose rows can be filled in one at a time."""

    start: int
    """Where its {% for %} tag starts in the body's source."""
    end: int
    """Where its {% endfor %} tag ends."""
    target: str
    """The loop variable."""
    iterable: str
    """The expression looped over, as typed."""
    body: str
    """The source of one row (or several rows): from <w:tr to </w:tr>, with no tag but {{ ... }} in it."""


def _row_loops(source: str, variables: Mapping[str, Any]) -> list[_RowLoop]:
    """_find_row_loops, kept in the cache folder for the next build of the same template: the loops depend on the
    body's source and the names of the report's variables alone (#11)."""
    key = "\0".join([source, *sorted(set(variables) | set(make_environment().globals))])
    kept = cache.load_entry("row-loops", key)
    if kept is not None:
        try:
            loops = [_RowLoop(*fields) for fields in json.loads(kept)]
            if all(loop.body in source[loop.start : loop.end] for loop in loops):
                return loops
        except (ValueError, TypeError):
            pass  # not what this code keeps: found again
    loops = _find_row_loops(source, variables)
    cache.store_entry("row-loops", key, json.dumps([dataclasses.astuple(loop) for loop in loops]).encode("utf-8"))
    return loops


def _find_row_loops(source: str, variables: Mapping[str, Any]) -> list[_RowLoop]:
    """The body's row loops that can be filled in row by row with the very same result (#11).

    docxtpl fills the whole body in as one Jinja template, then runs regular expressions over the result and
    parses it: for the 100,000-row table of Appendix 2 that text, its copies and trees take gigabytes and the
    time per row grows with the table. A loop qualifies only when filling its body in on its own, once per item,
    must give exactly the text the whole template gives: a {% for name in expression %} without else, filter,
    recursion or whitespace control, whose body is whole table rows (<w:tr ...</w:tr>) holding only {{ ... }}
    tags and no nested table, picture or repeated header row, and uses nothing but its loop variable and the
    report's own variables (none of them set elsewhere in the template, and not `loop`), in a template with no
    comments or raw blocks. Jinja's own parse of the template must agree. Any other loop (Table 1's rows, which
    hold a loop of cells; loops of paragraphs) is left to docxtpl as before.
    """
    if "{#" in source or re.search(r"\{%-?\s*raw\b", source):
        return []
    loops = []
    for match in _FOR_TAG.finditer(source):
        following = source.find("{%", match.end())
        end = _END_FOR.match(source, following) if following >= 0 else None
        if end is None:
            continue
        body = source[match.end() : following]
        if (
            not body.startswith("<w:tr")
            or not body.endswith("</w:tr>")
            or any(part in body for part in ("{%", "<w:tbl", "docPr", "tblHeader"))
        ):
            continue
        loops.append(_RowLoop(match.start(), end.end(), match.group(1), match.group(2), body))
    if not loops:
        return []
    environment = make_environment()
    skeleton = _skeleton(source, loops)
    try:
        # The body and the loops' rows are parsed as docxtpl fills them in (a new line before each paragraph), so
        # the body's parse is the one check_template made of the same text, kept by the environment (#11).
        whole, outline = environment.parse(_NEW_LINES.sub(r"\n<w:p\1", source)), environment.parse(skeleton)
        prepared = [_NEW_LINES.sub(r"\n<w:p\1", loop.body) for loop in loops]
        bodies = [environment.parse(body) for body in prepared]
    except jinja2.TemplateSyntaxError:
        return []
    stored = {node.name for node in whole.find_all(jinja2.nodes.Name) if node.ctx != "load"}
    stored |= {
        node.name for node in whole.find_all((jinja2.nodes.Macro, jinja2.nodes.CallBlock)) if hasattr(node, "name")
    }
    if any(whole.find_all((jinja2.nodes.Import, jinja2.nodes.FromImport, jinja2.nodes.Include, jinja2.nodes.Extends))):
        return []
    loops_found = list(_for_nodes(whole))
    calls = [node for node in outline.find_all(jinja2.nodes.Call) if _call_index(node) is not None]
    if len(loops_found) != len(list(_for_nodes(outline))) + len(loops) or len(calls) != len(loops):
        return []
    known = set(variables) | set(environment.globals)
    for index, (loop, parsed, body) in enumerate(zip(loops, bodies, prepared, strict=True)):
        names = environment.undeclared_variables(body) - {loop.target}
        call = calls[index]
        same = [
            node
            for node, parents in loops_found
            if isinstance(node.target, jinja2.nodes.Name)
            and node.target.name == loop.target
            and node.body == parsed.body
            and not node.else_
            and node.test is None
            and not node.recursive
            and len(call.args) == 1
            and node.iter == call.args[0]
            and all(isinstance(parent, _OPEN_PARENTS) for parent in parents)
        ]
        if not same or _call_index(call) != index or "loop" in names or not names <= known or names & stored:
            return []
    return loops


def _skeleton(source: str, loops: list[_RowLoop]) -> str:
    """The body's source with each row loop replaced by a call that stands for its rows."""
    pieces, done = [], 0
    for index, loop in enumerate(loops):
        pieces += [source[done : loop.start], "{{ ", _ROWS_CALL.format(index), "((", loop.iterable, ")) }}"]
        done = loop.end
    pieces.append(source[done:])
    return "".join(pieces)


def _for_nodes(
    node: jinja2.nodes.Node, parents: tuple[jinja2.nodes.Node, ...] = ()
) -> Iterator[tuple[jinja2.nodes.For, tuple[jinja2.nodes.Node, ...]]]:
    """Every for loop in a parsed template, with the nodes it sits in."""
    for child in node.iter_child_nodes():
        if isinstance(child, jinja2.nodes.For):
            yield child, (*parents, node)
        yield from _for_nodes(child, (*parents, node))


def _call_index(node: jinja2.nodes.Call) -> int | None:
    """Which row loop a call in the skeleton stands for."""
    if isinstance(node.node, jinja2.nodes.Name):
        match = re.fullmatch(_ROWS_CALL.format(r"(\d+)"), node.node.name)
        if match:
            return int(match.group(1))
    return None


class _RowStream:
    """The body's row loops filled in one row at a time, for a check (each row parsed, checked for accessibility
    and dropped: memory stays bounded) or a build (the rows parsed in batches and put into the document).

    The body itself is filled in with a marker (an XML comment) where each loop's rows go. Every row is then
    filled in from the loop's body with the same Jinja environment (sandboxed, escaping, StrictUndefined) and by
    docxtpl's own code, and parsed strictly, as the whole body is. Only rows that cannot change how docxtpl and
    _fit_table_grids set the table's columns are accepted (no more cells than a row above them, no wider than
    the table's rows), so the columns of the document with markers are those of the whole one; anything else,
    and any problem, raises _Unstreamable and the body is filled in as a whole.
    """

    def __init__(self, template: DocxTemplate, loops: list[_RowLoop], skeleton: str, *, check: bool) -> None:
        self.loops = loops
        self.skeleton = skeleton
        self.rows = a11y.StreamedRows(template.docx) if check else None
        self.kept: dict[int, list[_Element]] = {}
        self._sizes: dict[str, list[tuple[int, int]]] = {}
        self._shapes: dict[str, list[_RowFacts]] = {}
        #: For check: (loop body, table opening) -> a row's key (_RowKeys) -> the facts of a row with that key.
        self._keyed: dict[tuple[str, str], dict[tuple[Any, ...], list[_RowFacts]]] = {}

    @classmethod
    def of(cls, template: DocxTemplate, variables: Mapping[str, Any], *, check: bool) -> _RowStream | None:
        source = _patched(template.get_xml())
        loops = _row_loops(source, variables)
        return cls(template, loops, _skeleton(source, loops), check=check) if loops else None

    def fill_body(
        self, template: _ReportTemplate, part: Any, context: Mapping[str, Any], environment: jinja2.Environment
    ) -> str:
        """The body filled in with a marker for each run of a loop, its rows filled in after it."""
        asked: list[tuple[_RowLoop, Any]] = []

        def rows_of(loop: _RowLoop) -> Callable[[Any], Markup]:
            def rows(items: Any) -> Markup:
                asked.append((loop, items))
                return Markup(f"<!--{a11y.StreamedRows.MARKER.format(len(asked) - 1)}-->")

            return rows

        outline_context = dict(context)
        for index, loop in enumerate(self.loops):
            outline_context[_ROWS_CALL.format(index)] = rows_of(loop)
        xml = template.fill_part(self.skeleton, part, outline_context, environment)
        self._fill_rows(template, part, context, environment, xml, asked)
        return xml

    def _fill_rows(
        self,
        template: _ReportTemplate,
        part: Any,
        context: Mapping[str, Any],
        environment: jinja2.Environment,
        xml: str,
        asked: list[tuple[_RowLoop, Any]],
    ) -> None:
        try:
            root = etree.fromstring(xml.encode("utf-8"))
        except etree.XMLSyntaxError as exc:
            raise _Unstreamable from exc
        markers = {}
        for comment in root.iter(etree.Comment):
            block = a11y.StreamedRows.block_of(comment)
            if block is not None:
                if block in markers or block >= len(asked):
                    raise _Unstreamable
                markers[block] = comment
        if len(markers) != len(asked):
            raise _Unstreamable
        limits: dict[_Element, int] = {}
        for block, (loop, items) in enumerate(asked):
            comment = markers[block]
            table = comment.getparent()
            # A table of the body itself: the accessibility check reads only those, and docxtpl's passes over
            # paragraphs and over a table's rows (which take in nested tables' rows) cannot reach across its rows.
            if table is None or table.tag != qn("w:tbl") or table.getparent() is not root or comment.tail:
                raise _Unstreamable
            widest_above = max(
                (len(row.findall(qn("w:tc"))) for row in comment.itersiblings(qn("w:tr"), preceding=True)),
                default=0,
            )
            if table not in limits:
                limits[table] = max((_span_sum(row) for row in table.iter(_TR)), default=0)
            opening = (
                "<w:tbl "
                + " ".join(f'xmlns{":" + prefix if prefix else ""}="{uri}"' for prefix, uri in table.nsmap.items())
                + ">"
            )
            fill = template.row_filler(loop.body, loop.target, context, environment)
            keys = _RowKeys.of(loop, environment) if self.rows is not None else None
            batch: list[Any] = []
            for item in items:
                batch.append(item)
                if len(batch) == _BATCH:
                    self._fill_batch(block, opening, batch, fill, keys, widest_above, limits[table])
                    batch = []
            if batch:
                self._fill_batch(block, opening, batch, fill, keys, widest_above, limits[table])

    def _fill_batch(
        self,
        block: int,
        opening: str,
        batch: list[Any],
        fill: Callable[[list[Any]], list[str]],
        keys: _RowKeys | None,
        widest: int,
        span: int,
    ) -> None:
        """Fills in a batch of rows and takes them; for check, a row whose key (_RowKeys) is that of a row already
        checked takes that row's facts without being filled in at all."""
        if keys is None:
            self._take(block, opening, fill(batch), widest, span)
            return
        assert self.rows is not None
        known = self._keyed.setdefault((keys.body, opening), {})
        row_keys = keys.keys(batch)
        fresh = [key is None or key not in known for key in row_keys]
        filled = iter(fill([item for item, new in zip(batch, fresh, strict=True) if new]) if any(fresh) else ())
        for key, new in zip(row_keys, fresh, strict=True):
            if new or key is None:
                facts, shared = self._row_facts(opening, next(filled))
                if shared and key is not None and len(known) < _SHAPES:
                    known[key] = facts
            else:
                facts = known[key]
            self._record(block, facts, widest, span)

    def _take(self, block: int, opening: str, batch: list[str], widest: int, span: int) -> None:
        """Parses a batch of filled-in rows strictly and keeps them (build) or checks and drops them (check)."""
        if self.rows is not None:
            for xml in batch:
                self._check_row(block, opening, xml, widest, span)
            return
        for xml in batch:
            # Each row's cells and columns, taken from an earlier row of the same shape where there is one.
            shape = _shape(xml) if _plain(xml) else None
            sizes = self._sizes.get(shape) if shape is not None else None
            if sizes is None:
                sizes = [(len(row.findall(_TC)), _span_sum(row)) for row in _parse_rows(opening, xml)]
                if shape is not None and len(self._sizes) < _SHAPES:
                    self._sizes[shape] = sizes
            if any(cells > widest or columns > span for cells, columns in sizes):
                raise _Unstreamable
        self.kept.setdefault(block, []).extend(_parse_rows(opening, "".join(batch)))

    def _check_row(self, block: int, opening: str, xml: str, widest: int, span: int) -> None:
        """Checks one filled-in row for check, as _take would after parsing it, and drops it."""
        self._record(block, self._row_facts(opening, xml)[0], widest, span)

    def _row_facts(self, opening: str, xml: str) -> tuple[list[_RowFacts], bool]:
        """The facts of one filled-in row (of each row its body makes), and whether they hold for every row of the
        same shape.

        Rows filled in from the same loop body differ almost only in their text: a row whose XML is that of a row
        already parsed and checked, but for the text of its w:t elements (each still blank or not blank, with no
        character or reference that could make it other than plain text), is as well formed and has the same
        findings, which are then taken from that row instead of parsing this one. Findings that quote the text
        (a size too small) are never taken from another row.
        """
        assert self.rows is not None
        shape = _shape(xml) if _plain(xml) else None
        facts = self._shapes.get(shape) if shape is not None else None
        if facts is not None:
            return facts, True
        facts = []
        for row in _parse_rows(opening, xml):
            cells, single, faults = self.rows.facts(row)
            facts.append((cells, _span_sum(row), single, faults))
        shared = shape is not None and all(kind != "size" for *_, faults in facts for kind, _column, _found in faults)
        if shared and shape is not None and len(self._shapes) < _SHAPES:
            self._shapes[shape] = facts
        return facts, shared

    def _record(self, block: int, facts: list[_RowFacts], widest: int, span: int) -> None:
        """Counts a checked row (each row its body made) with its facts, or _Unstreamable for one that could change
        the table's columns."""
        assert self.rows is not None
        for cells, columns, single, faults in facts:
            if cells > widest or columns > span:
                raise _Unstreamable
            self.rows.record(block, cells, single, faults)

    def splice(self, tree: _Element) -> None:
        """Puts the kept rows where their markers are (build), in the body docxtpl has just parsed and put in the
        document (docxtpl's fix_tables has set its grids from the rows around the markers, which is what it
        would have set with these rows there: _take accepted only rows that cannot change it)."""
        if self.rows is not None:
            return
        for comment in list(tree.iter(etree.Comment)):
            block = a11y.StreamedRows.block_of(comment)
            if block is None:
                continue
            for row in self.kept.pop(block, []):
                comment.addprevious(row)
            parent = comment.getparent()
            assert parent is not None
            parent.remove(comment)


#: What check keeps of one filled-in row: its cells, the columns it spans, the span of its only cell, its findings.
_RowFacts = tuple[int, int, int | None, list[a11y.RowFault]]
#: The report's own filters, plain functions of one value (_RowKeys).
_FILTER_FUNCTIONS: dict[str, Callable[[Any], Any]] = dict(FILTERS)
_OBJECT_LOOK_UP = object.__getattribute__
#: The end of a w:t element's start tag, with no text between it and a tag (_RowKeys).
_TEXT_START = re.compile(r"<w:t(?: [^<>]*)?>\Z")


@dataclass(frozen=True)
class _RowKeys:
    """For check: a key for each item of a row loop, from the item alone, such that two items with the same key
    fill the body in as rows of the same shape (_shape), both plain (_plain), so they have the same facts (#11).

    Only a body whose every tag is `{{ target.attribute }}`, perhaps through the report's own filters (FILTERS),
    with no tab, line or page break typed in it, has keys. A tag that is the whole text of a w:t element writes
    the escaped text of its value there: escaping neither makes nor removes white space, printable text holds no
    character _plain refuses (a test checks every character), escaping leaves no `<`, `>`, other reference or
    docxtpl escape, and docxtpl's steps after Jinja change nothing in it, so all _shape and _plain see of it is
    whether it is blank. Any other tag's value is in the key as it is. An item without a key (another type of
    value, a look-up or filter that fails, text that is not printable) is filled in and checked as before, which
    also raises what filling it in raises."""

    body: str
    """The loop's body, as typed in the template."""
    attributes: tuple[str, ...]
    """The attribute of the item each tag shows, in order."""
    filters: tuple[tuple[int, tuple[Callable[[Any], Any], ...]], ...]
    """The filters each tag applies (innermost first), for the tags that apply any."""
    texts: tuple[int, ...]
    """The tags that are the whole text of a w:t element."""
    others: tuple[int, ...]
    """The rest of the tags."""
    environment: jinja2.Environment
    """The environment that fills the rows in, whose look-ups the key's must match."""
    look_up: Callable[[Any], tuple[Any, ...]] = dataclasses.field(compare=False)
    """The item's values of `attributes`, as a tuple."""
    columns: tuple[Callable[[Any], Any], ...] = dataclasses.field(compare=False)
    """The item's value of each of `attributes`."""
    types: dict[type, bool] = dataclasses.field(default_factory=dict, compare=False)
    """Per type of item, whether looking its attributes up in Python gives what the sandbox gives."""

    @classmethod
    def of(cls, loop: _RowLoop, environment: jinja2.Environment) -> _RowKeys | None:
        if _listed(loop.body):
            return None
        parsed = environment.parse(loop.body)
        if len(parsed.body) != 1 or not isinstance(parsed.body[0], jinja2.nodes.Output):
            return None
        nodes = parsed.body[0].nodes
        attributes: list[str] = []
        filters: list[tuple[int, tuple[Callable[[Any], Any], ...]]] = []
        texts: list[int] = []
        others: list[int] = []
        for index, node in enumerate(nodes):
            if isinstance(node, jinja2.nodes.TemplateData):
                continue
            applied: list[Callable[[Any], Any]] = []
            while (
                isinstance(node, jinja2.nodes.Filter)
                and node.node is not None
                and not node.args
                and not node.kwargs
                and node.dyn_args is None
                and node.dyn_kwargs is None
            ):
                ours = _FILTER_FUNCTIONS.get(node.name)
                if ours is None or environment.filters.get(node.name) is not ours:
                    return None
                applied.append(_FILTER_FUNCTIONS[node.name])
                node = node.node
            if not (
                isinstance(node, jinja2.nodes.Getattr)
                and isinstance(node.node, jinja2.nodes.Name)
                and node.node.name == loop.target
            ):
                return None
            tag = len(attributes)
            attributes.append(node.attr)
            if applied:
                filters.append((tag, tuple(reversed(applied))))
            before, after = nodes[index - 1] if index else None, nodes[index + 1] if index + 1 < len(nodes) else None
            whole_text = (
                isinstance(before, jinja2.nodes.TemplateData)
                and isinstance(after, jinja2.nodes.TemplateData)
                and _TEXT_START.search(before.data) is not None
                and after.data.startswith("</w:t>")
            )
            (texts if whole_text else others).append(tag)
        if not attributes:
            return None
        look_up = operator.attrgetter(*attributes)
        return cls(
            loop.body,
            tuple(attributes),
            tuple(filters),
            tuple(texts),
            tuple(others),
            environment,
            look_up if len(attributes) > 1 else lambda item: (look_up(item),),
            tuple(map(operator.attrgetter, attributes)),
        )

    def plain_type(self, item: Any) -> bool:
        """Whether the sandbox looks this type's attributes up as Python does: a dataclass's own fields, read the
        ordinary way, that the sandbox allows (its answer depends on the type and the name only)."""
        kind = type(item)
        known = self.types.get(kind)
        if known is None:
            fields = getattr(kind, "__dataclass_fields__", None)
            known = (
                isinstance(fields, dict)
                and getattr(kind, "__getattribute__", None) is _OBJECT_LOOK_UP
                and not hasattr(kind, "__getattr__")
                and all(
                    name in fields
                    and not hasattr(type(getattr(kind, name, None)), "__get__")
                    and name in vars(item)
                    and self.environment.is_safe_attribute(item, name, vars(item)[name])  # type: ignore[attr-defined]
                    for name in self.attributes
                )
            )
            self.types[kind] = known
        return known

    def keys(self, items: list[Any]) -> list[tuple[Any, ...] | None]:
        """Each item's key (key()), worked out a column at a time: each step is one call into C for all the items,
        not one a row. Where a step does not hold for every item, each item's key is made on its own."""
        kinds = set(map(type, items))
        if len(kinds) != 1 or not self.plain_type(items[0]):
            return [self.key(item) for item in items]
        try:
            columns = [list(map(look_up, items)) for look_up in self.columns]
            for tag, applied in self.filters:
                for function in applied:
                    columns[tag] = list(map(function, columns[tag]))
        except Exception:  # noqa: BLE001 - made one at a time, where the item that fails has no key
            return [self.key(item) for item in items]
        texts = [columns[tag] for tag in self.texts]
        if (
            any(set(map(type, column)) != _ONLY_TEXT for column in columns)
            or not "".join(["".join(column) for column in texts]).isprintable()
        ):
            return [self.key(item) for item in items]
        parts = [list(map(bool, map(str.strip, column))) for column in texts]
        return list(zip(*parts, *[columns[tag] for tag in self.others], strict=True))

    def key(self, item: Any) -> tuple[Any, ...] | None:
        """The item's key, or None when it has none. (Each step is one call into C where it can be: the key is
        made for every row of the plan.)"""
        kind = type(item)
        if not (self.types[kind] if kind in self.types else self.plain_type(item)):
            return None
        values: tuple[Any, ...] | list[Any] = self.look_up(item)
        if self.filters:
            filtered = list(values)
            try:
                for tag, applied in self.filters:
                    for function in applied:
                        filtered[tag] = function(filtered[tag])
            except Exception:  # noqa: BLE001 - the row is filled in, which raises it as filling it in always has
                return None
            values = filtered
        if set(map(type, values)) != _ONLY_TEXT:
            return None
        texts = [values[tag] for tag in self.texts]
        if not "".join(texts).isprintable():
            return None
        return (*map(bool, map(str.strip, texts)), *[values[tag] for tag in self.others])


_ONLY_TEXT = {str}


def _parse_rows(opening: str, xml: str) -> list[_Element]:
    """Filled-in rows parsed strictly inside the table's opening tag (its namespaces), or _Unstreamable."""
    try:
        fragment = etree.fromstring((opening + xml + "</w:tbl>").encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise _Unstreamable from exc
    rows = list(fragment)
    if fragment.text or any(row.tag != _TR or row.tail for row in rows):
        raise _Unstreamable
    return rows


#: Rows of different shapes remembered by a check (each a row's XML, about 2 KB).
_SHAPES = 256
#: What could make the text of a w:t other than plain text: characters XML refuses, references other than those
#: escaping gives (which could stand for white space), the end of a CDATA section.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_OTHER_REFERENCE = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#34|#39|#123|#125);)")
_BLANK_TEXT = re.compile(r">\s+</w:t>")
_SOME_TEXT = re.compile(r">[^<]+</w:t>")


def _plain(xml: str) -> bool:
    """Whether every text in the row's XML is plain text (none of _REFUSED, _OTHER_REFERENCE or ]]>)."""
    # Every character of _REFUSED is one str.isprintable refuses (control, surrogate or unassigned), and its scan
    # is about twice as quick as the pattern's over text that is not all ASCII (#11).
    return (
        (xml.isprintable() or _REFUSED.search(xml) is None)
        and "]]>" not in xml
        and ("&" not in xml or _OTHER_REFERENCE.search(xml) is None)
    )


def _shape(xml: str) -> str:
    """A row's XML with the text of each w:t left out, but whether it is blank."""
    return _SOME_TEXT.sub(">x</w:t>", _BLANK_TEXT.sub("></w:t>", xml))


def _span_sum(row: _Element) -> int:
    """The columns a row spans, as docxtpl's fix_tables counts them; a span that is not a number (on which
    docxtpl itself would fail) raises _Unstreamable, so the whole body is filled in as before."""
    total = 0
    for cell in row.iterchildren(_TC):
        properties = cell.find(_TC_PR)
        span = properties.find(_GRID_SPAN) if properties is not None else None
        if span is None:
            total += 1
            continue
        value = span.get(_VAL)
        if value is None or not value.isdigit():
            raise _Unstreamable
        total += int(value)
    return total


_TR, _TC, _TC_PR, _GRID_SPAN, _VAL = qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:gridSpan"), qn("w:val")


def _note_parts(document: DocxDocument) -> Iterator[Part]:
    """The footnotes and endnotes parts of a document, each once."""
    seen = set()
    for part in document.part.package.iter_parts():
        if part.content_type in _NOTES and part.partname not in seen:
            seen.add(part.partname)
            yield part


def _ignore_deleted_tags(template: DocxTemplate) -> None:
    """Tags inside tracked deletions are not live: docxtpl's escape syntax makes them print as typed."""

    def neutralise(root: _Element) -> None:
        for element in root.iter(qn("w:delText"), qn("w:delInstrText")):
            if element.text and ("{" in element.text or "}" in element.text):
                element.text = (
                    element.text.replace("{{", "{_{").replace("}}", "}_}").replace("{%", "{_%").replace("%}", "%_}")
                )

    neutralise(template.docx.element)
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _key, part in template.get_headers_footers(uri):
            neutralise(part.element)
    for part in _note_parts(template.docx):
        if b"delText" in part.blob:
            root = etree.fromstring(part.blob)
            neutralise(root)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def open_template(path: Path) -> DocxTemplate:
    """Opens the Word template, or raises InvalidInputError when it is not a Word document."""
    return _open_template_data(path, files.read_input_file(path, what="template", limit=files.TEMPLATE_LIMIT))


def _open_template_data(path: Path, data: bytes) -> DocxTemplate:
    """open_template of the template's bytes, once read."""
    problem = _malformed_part(path, data)
    if problem:
        raise InvalidInputError(problems=[problem])
    try:
        template = _ReportTemplate(io.BytesIO(data))
        template.init_docx()
        _ignore_deleted_tags(template)
        return template
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _template_problem(
            path,
            "",
            not_a_word_document(data, what="template")
            or "this is not a Word document (.docx), or it is damaged; "
            "save the template from Word as a Word Document (.docx)",
        ) from exc


def check_template(path: Path, variables: dict[str, Any]) -> list[Problem]:
    """Problems with the template's tags in every part that is filled in (body, text boxes, content controls,
    headers, footers, footnotes, endnotes, document properties): syntax errors, variables the context does not
    provide, block tags crossing paragraphs; and warnings for tags in comments, which are never filled in.

    What the check finds in the template alone (the names and keys its tags use, and that nothing else is wrong) is
    kept in the cache folder: the next check of the same template's bytes only looks those up in the variables,
    and checks the whole template again as below as soon as one is missing, so every problem reads as always (#11).
    """
    data = files.read_input_file(path, what="template", limit=files.TEMPLATE_LIMIT)
    kept = _kept_tags(data)
    if kept is not None and _tags_provided(kept, variables):
        return []
    template = _open_template_data(path, data)
    environment = make_environment()
    problems = []
    used: dict[str, str] = {}
    lookups: list[tuple[str, str]] = []
    parsed = True
    for label, source in _template_sources(template):
        try:
            tree = environment.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            problem = _syntax_problem(path, exc, source)
            problems.append(_in_part(problem, label))
            parsed = False
            continue
        mistakes = _tag_mistakes(path, template, tree, environment)
        problems += [_in_part(problem, label) for problem in mistakes]
        try:
            names = environment.undeclared_variables(source) if not mistakes else _names_used(source, tree)
        except jinja2.TemplateSyntaxError as exc:  # what Jinja finds only when it compiles the tags
            problems.append(_in_part(_syntax_problem(path, exc, source), label))
            parsed = False
            continue
        parsed = parsed and not mistakes
        for name in names:
            used.setdefault(name, label)
        lookups += _mapping_lookups(tree)
        problems += _missing_keys(path, template, tree, variables)
    for name in sorted(set(used) - set(variables)):
        problems.append(
            Problem(
                file=path.name,
                place=_place_of(template, name) or used[name],
                message=f"the template uses the variable {name!r}, which jtai-docs does not provide",
                suggestion=_suggest_variable(name, variables),
            )
        )
    found_in_template = _crossing_block_tags(path, template) + _tags_in_comments(path, template)
    if parsed and not found_in_template:
        tags = {"names": sorted(used), "lookups": sorted(set(lookups))}
        cache.store_entry("tags", data, json.dumps(tags).encode("utf-8"))
    return problems + found_in_template


#: Tags that bring in another template, which a report's template cannot do: it is one Word document.
_OTHER_TEMPLATES = {
    jinja2.nodes.Include: "{% include %}",
    jinja2.nodes.Import: "{% import %}",
    jinja2.nodes.FromImport: "{% from ... import %}",
    jinja2.nodes.Extends: "{% extends %}",
}


def _tag_mistakes(
    path: Path, template: DocxTemplate, tree: jinja2.nodes.Template, environment: jinja2.Environment
) -> list[Problem]:
    """Filters and tests the environment does not have, and tags that bring in other templates, each located:
    Jinja would stop at the first of them only when filling in, with no place given."""
    problems = []
    seen: set[tuple[str, str]] = set()
    for node in tree.find_all((jinja2.nodes.Filter, jinja2.nodes.Test, *_OTHER_TEMPLATES)):
        if isinstance(node, jinja2.nodes.Filter | jinja2.nodes.Test):
            kind, known = (
                ("filter", environment.filters)
                if isinstance(node, jinja2.nodes.Filter)
                else (
                    "test",
                    environment.tests,
                )
            )
            if node.name in known or (kind, node.name) in seen:
                continue
            seen.add((kind, node.name))
            near = suggest(node.name, FILTERS) if kind == "filter" else suggest(node.name, known)
            problems.append(
                Problem(
                    file=path.name,
                    place=_place_of(template, node.name),
                    message=f"unknown {kind} {node.name!r}",
                    suggestion=near
                    or (f"the report's own filters are {', '.join(FILTERS)}" if kind == "filter" else ""),
                )
            )
            continue
        tag = _OTHER_TEMPLATES[type(node)]  # type: ignore[index]
        if ("tag", tag) in seen:
            continue
        seen.add(("tag", tag))
        keyword = tag.split()[1]
        problems.append(
            Problem(
                file=path.name,
                place=_place_of(template, keyword),
                message=f"{tag} brings in another template file, which a report's template cannot do; "
                "put the text in this Word document instead",
            )
        )
    return problems


def _names_used(source: str, tree: jinja2.nodes.Template) -> frozenset[str]:
    """jinja2.meta.find_undeclared_variables of a source whose unknown filters and tests _tag_mistakes reported,
    found with stand-ins for them (Jinja cannot compile tags that use them), so its unknown names are reported too."""
    stand_in = jinja2.Environment()
    stand_in.filters.update({node.name: str for node in tree.find_all(jinja2.nodes.Filter)})
    stand_in.tests.update({node.name: callable for node in tree.find_all(jinja2.nodes.Test)})
    return frozenset(jinja2.meta.find_undeclared_variables(stand_in.parse(source)))


def _kept_tags(data: bytes) -> dict[str, Any] | None:
    """What check_template kept of the template with these bytes: the names its tags use and the keys they look up
    in them ({"names": [...], "lookups": [[name, key], ...]}), or None."""
    kept = cache.load_entry("tags", data)
    if kept is None:
        return None
    try:
        tags = json.loads(kept)
        names, lookups = tags["names"], tags["lookups"]
    except (ValueError, TypeError, KeyError):
        return None
    if not all(isinstance(name, str) for name in names) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair) for pair in lookups
    ):
        return None
    return {"names": names, "lookups": [tuple(pair) for pair in lookups]}


def _tags_provided(tags: dict[str, Any], variables: dict[str, Any]) -> bool:
    """Whether the variables provide every name and every key in a mapping (_missing_keys) that the tags use."""
    if not set(tags["names"]) <= set(variables):
        return False
    for name, key in tags["lookups"]:
        mapping = variables.get(name)
        if isinstance(mapping, Mapping) and key not in mapping:
            return False
    return True


def _in_part(problem: Problem, label: str) -> Problem:
    """The problem with the part it is in added to its place, unless that is the body."""
    if label == "the body":
        return problem
    place = f"{problem.place} {label}" if problem.place else label
    return dataclasses.replace(problem, place=place)


# A block tag's keyword and its docxtpl prefix (p, tr, tc, r), which makes it apply to the whole element.
_BLOCK_TAG = re.compile(
    r"\{%-?\s*(?:(p|tr|tc|r)\s+)?(if|for|with|filter|macro|call|endif|endfor|endwith|"
    r"endfilter|endmacro|endcall)\b"
)


def _crossing_block_tags(path: Path, template: DocxTemplate) -> list[Problem]:
    """{% if %} ... {% endif %} without a p/tr/tc prefix that open in one paragraph and close in another.

    docxtpl leaves such a pair inside the XML, so filling it in would cut the document's structure apart.
    """
    problems = []
    for label, paragraphs in _paragraphs_by_part(template):
        open_tags: list[tuple[str, int, str]] = []
        for index, (text, _where) in enumerate(paragraphs):
            for match in _BLOCK_TAG.finditer(text):
                prefix, keyword = match.groups()
                if prefix:
                    continue
                if not keyword.startswith("end"):
                    open_tags.append((keyword, index, text))
                    continue
                opener = next((i for i in range(len(open_tags) - 1, -1, -1) if open_tags[i][0] == keyword[3:]), None)
                if opener is None:
                    continue
                keyword_open, opened_in, opened_text = open_tags[opener]
                del open_tags[opener:]
                if opened_in != index:
                    problems.append(
                        Problem(
                            file=path.name,
                            place=f"from the paragraph {_excerpt(opened_text)!r} to the paragraph {_excerpt(text)!r}"
                            + ("" if label == "the body" else f" {label}"),
                            message=f"{{% {keyword_open} %}} opens in one paragraph or table cell and "
                            f"{{% {keyword} %}} "
                            "closes in another, which would cut the document apart; keep both in one "
                            f"paragraph, or write {{%p {keyword_open} ... %}} and {{%p {keyword} %}} in "
                            "paragraphs of their own ({%tr %} for table rows, {%tc %} for cells)",
                        )
                    )
    return problems


def _excerpt(text: str, size: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _tags_in_comments(path: Path, template: DocxTemplate) -> list[Problem]:
    """Comments are never filled in, so a tag in one would reach the report as typed: say so."""
    problems = []
    for part in template.docx.part.package.iter_parts():
        if part.content_type != _COMMENTS:
            continue
        root = etree.fromstring(part.blob, _XML_PARSER)
        for paragraph, _where in _paragraph_texts(root):
            if _TAG.search(paragraph):
                problems.append(
                    Problem(
                        file=path.name,
                        place=f"the comment {_excerpt(paragraph)!r}",
                        severity=Severity.WARNING,
                        message="a template tag in a Word comment is not filled in; comments reach the report as "
                        "typed (delete the comment, or move the tag into the text)",
                    )
                )
    return problems


def _paragraph_texts(root: _Element) -> Iterator[tuple[str, str]]:
    """(text, where) for each paragraph under root, text boxes and content controls as paragraphs of their own."""
    paragraph_tag, text_tags = qn("w:p"), (qn("w:t"),)
    texts: dict[Any, list[str]] = {}
    order = []
    for element in root.iter(paragraph_tag, *text_tags):
        if element.tag == paragraph_tag:
            texts[element] = []
            order.append(element)
            continue
        owner = next(element.iterancestors(paragraph_tag), None)
        if owner is not None:
            texts[owner].append(element.text or "")
    for paragraph in order:
        where = ""
        for ancestor in paragraph.iterancestors():
            if ancestor.tag == qn("w:txbxContent"):
                where = "in a text box"
                break
            if ancestor.tag == qn("w:sdtContent"):
                where = "in a content control"
                break
        yield "".join(texts[paragraph]), where


def _paragraphs_by_part(template: DocxTemplate) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(label, [(text, where), ...]) for every XML part the renderer fills."""
    yield "the body", list(_paragraph_texts(template.docx.element))
    for uri, kind in ((template.HEADER_URI, "in a header"), (template.FOOTER_URI, "in a footer")):
        for _key, part in template.get_headers_footers(uri):
            yield kind, list(_paragraph_texts(part.element))
    for part in _note_parts(template.docx):
        yield _NOTES[part.content_type], list(_paragraph_texts(etree.fromstring(part.blob, _XML_PARSER)))


def _missing_keys(
    path: Path, template: DocxTemplate, tree: jinja2.nodes.Template, variables: dict[str, Any]
) -> list[Problem]:
    """Names looked up in a mapping the context provides (dates.plan_submitted, status_totals['Green'])
    that the mapping does not hold: caught here rather than halfway through rendering."""
    problems = []
    seen = set()
    for name, key in _mapping_lookups(tree):
        mapping = variables.get(name)
        if not isinstance(mapping, Mapping):
            continue
        if key not in mapping and (name, key) not in seen:
            seen.add((name, key))
            problems.append(
                Problem(
                    file=path.name,
                    place=_place_of(template, key),
                    message=f"the template uses {name} {key!r}, which is not among its {name} "
                    f"({', '.join(mapping) or 'none'})",
                    suggestion=suggest(key, mapping),
                )
            )
    return problems


def _mapping_lookups(tree: jinja2.nodes.Template) -> Iterator[tuple[str, str]]:
    """(name, key) for each key looked up by name in a variable (dates.plan_submitted, status_totals['Green'])."""
    for node in tree.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
        if not isinstance(node, (jinja2.nodes.Getattr, jinja2.nodes.Getitem)) or not isinstance(
            node.node, jinja2.nodes.Name
        ):
            continue
        if isinstance(node, jinja2.nodes.Getattr):
            yield node.node.name, node.attr
        elif isinstance(node.arg, jinja2.nodes.Const) and isinstance(node.arg.value, str):
            yield node.node.name, node.arg.value


def _template_sources(template: DocxTemplate) -> Iterator[tuple[str, str]]:
    """(label, Jinja source) for every part the renderer fills, prepared exactly as docxtpl prepares them."""
    parts = [("the body", template.get_xml())]
    for uri, kind in ((template.HEADER_URI, "in a header"), (template.FOOTER_URI, "in a footer")):
        parts += [(kind, template.get_part_xml(part)) for _key, part in template.get_headers_footers(uri)]
    parts += [(_NOTES[part.content_type], part.blob.decode("utf-8")) for part in _note_parts(template.docx)]
    for label, xml in parts:
        # docxtpl starts each paragraph on a new line before rendering; do the same so line numbers agree.
        yield label, re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml))
    for name in RENDERED_PROPERTIES:
        value = getattr(template.docx.core_properties, name) or ""
        if _TAG.search(value):
            yield f"in the document property {name.capitalize()} (File > Properties)", value


def render_report(*, template_path: Path, variables: dict[str, Any], properties: DocumentProperties) -> bytes:
    """The filled-in report as .docx bytes; raises InvalidInputError when the template cannot be filled."""
    return _render(template_path, variables, properties, check=False)[0]


def fill_in_report(
    *, template_path: Path, variables: dict[str, Any], properties: DocumentProperties
) -> tuple[bytes, a11y.StreamedRows | None]:
    """What check fills in: the report as render_report makes it, except that the rows of a row loop that could
    be isolated (such as Appendix 2's, one row per action) are filled in, parsed and checked for accessibility
    one at a time and then dropped (#11): the .docx bytes hold a marker in their place, and the StreamedRows
    (None when every row is in the bytes) what a11y.check_document needs to report on them as if they were
    there. Raises InvalidInputError exactly as render_report does."""
    return _render(template_path, variables, properties, check=True)


def _render(
    template_path: Path, variables: dict[str, Any], properties: DocumentProperties, *, check: bool
) -> tuple[bytes, a11y.StreamedRows | None]:
    """The report filled in, row loops row by row where they can be isolated (_RowStream), otherwise, and whenever
    anything goes wrong on the way, as docxtpl fills it, so every problem is reported exactly as it always was."""
    template = open_template(template_path)
    stream = _RowStream.of(template, variables, check=check)
    if stream is not None:
        template._stream = stream
        try:
            data = _render_template(template_path, template, variables, properties, streaming=True)
            return data, stream.rows if stream.rows is not None and stream.rows.counts else None
        except _Unstreamable:
            template = open_template(template_path)
    return _render_template(template_path, template, variables, properties, streaming=False), None


def _render_template(
    template_path: Path,
    template: DocxTemplate,
    variables: dict[str, Any],
    properties: DocumentProperties,
    *,
    streaming: bool,
) -> bytes:
    with _counting():
        problems = _rendering_problems(template_path, template, variables)
    if problems and streaming:
        raise _Unstreamable  # filled in again as a whole, which reports the problem as it always has
    if problems:
        raise InvalidInputError(problems=problems)
    try:
        # Every part was filled in once already by the check above; docxtpl reuses that XML here.
        with _counting():
            template.render(variables, jinja_env=make_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        if streaming:
            raise _Unstreamable from exc
        raise InvalidInputError(problems=[_jinja_problem(template_path, template, exc)]) from exc
    _fit_table_grids(template.docx.element.body)
    drop_empty_last_section(template.docx.element.body)
    _order_cell_properties(template.docx.element.body)
    _set_properties(template, properties)
    # The parts as docxtpl's save writes them (jtai-docs asks it for no picture or media replacement, which only its
    # save would put in), each compressed once rather than saved and then packed again (#11).
    return pack_document(template.docx, mirror_styles=False)


def _rendering_problems(path: Path, template: DocxTemplate, variables: dict[str, Any]) -> list[Problem]:
    """Fills the body in once and parses the result strictly.

    Besides Jinja's own errors, this catches tags that cut across paragraphs or cells: docxtpl parses its
    rendered XML in recover mode, so such a tag pair would otherwise quietly drop or merge text.
    """
    environment = make_environment()
    template.render_init()
    label = "the body"
    parts: list[tuple[str, str]] = []
    try:
        parts.append((label, template.build_xml(variables, environment)))
        for uri, label in ((template.HEADER_URI, "in a header"), (template.FOOTER_URI, "in a footer")):
            parts += [
                (label, xml.decode("utf-8"))
                for _key, xml in template.build_headers_footers_xml(variables, uri, environment)
            ]
        for part in _note_parts(template.docx):
            label = _NOTES[part.content_type]
            parts.append(
                (
                    label,
                    template.render_xml_part(
                        template.patch_xml(part.blob.decode("utf-8")), part, variables, environment
                    ),
                )
            )
        text_environment = _make_text_environment()
        for name in RENDERED_PROPERTIES:
            value = getattr(template.docx.core_properties, name) or ""
            if _TAG.search(value):
                label = f"in the document property {name.capitalize()} (File > Properties)"
                text_environment.from_string(value).render(variables)
    except _Unstreamable:
        raise
    except jinja2.TemplateSyntaxError as exc:
        return [_jinja_problem(path, template, exc)]
    except Exception as exc:
        if template._stream is not None:
            raise _Unstreamable from exc  # filled in again as a whole, which locates the problem as below
        problem = _filling_problem(path, template, exc, label)
        if problem is None:
            raise
        return [problem]
    for label, rendered in parts:
        problem = _structure_problem(path, rendered, label)
        if problem:
            return [problem]
    return []


def _structure_problem(path: Path, rendered: str, label: str = "the body") -> Problem | None:
    try:
        etree.fromstring(rendered.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        offset = _offset(rendered, exc.position)
        around = re.sub(r"<[^>]*>|<[^>]*$|^[^<]*>", " ", rendered[max(offset - 400, 0) : offset])
        around = " ".join(around.split())[-120:]
        place = f"near the text {around!r}" if around else ""
        if label != "the body":
            place = f"{place} {label}".strip()
        return Problem(
            file=path.name,
            place=place,
            message="template tags cut across paragraphs, table cells or other Word content (a hyperlink, a "
            "field, a comment), which would lose or merge text; retype each tag in one piece inside one "
            "paragraph, keep {% if %} ... {% endif %} inside one paragraph, or put {%p if ... %} and "
            "{%p endif %} in paragraphs of their own",
        )
    return None


def _jinja_problem(path: Path, template: DocxTemplate, exc: jinja2.TemplateError) -> Problem:
    """A Jinja error as a located problem in the officer's words."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return _syntax_problem(path, exc)
    if isinstance(exc, SecurityError):
        return Problem(
            file=path.name,
            place=_place_in_message(template, exc),
            message=f"the template tries something templates may not do: {exc}",
        )
    if isinstance(exc, jinja2.UndefinedError):
        return Problem(
            file=path.name,
            place=_place_in_message(template, exc),
            message=f"the template asks for something jtai-docs does not provide: {exc.message}",
        )
    return Problem(file=path.name, place="", message=f"the template cannot be filled in: {exc}")


def _filling_problem(path: Path, template: DocxTemplate, exc: Exception, label: str) -> Problem | None:
    """What went wrong working out a tag (dividing by zero, a date filter given text, a macro calling itself
    without end, work refused as too big), placed at the paragraph holding the tag; None when the error did not
    come from a tag, which is then a fault in jtai-docs."""
    line = _template_line(exc)
    if line is None:
        return _jinja_problem(path, template, exc) if isinstance(exc, jinja2.TemplateError) else None
    place = _place_of_line(template, label, line)
    if isinstance(exc, TemplateTooBig):
        return Problem(file=path.name, place=place, message=str(exc))
    if isinstance(exc, jinja2.TemplateError):
        problem = _jinja_problem(path, template, exc)
        return problem if problem.place else dataclasses.replace(problem, place=place)
    if isinstance(exc, ZeroDivisionError):
        message = (
            "a tag divides by zero (as by due_count when no action is due yet); put it inside "
            "{% if due_count %} ... {% endif %}"
        )
    elif isinstance(exc, RecursionError):
        message = "a macro calls itself without end"
    elif isinstance(exc, OverflowError) and "MAX_RANGE" in str(exc):
        message = "a tag asks range() for more than 100,000 numbers, more than a template may"
    elif (used := _filter_given(exc)) is not None:
        message = f"the filter {used} is for dates (such as meeting_date), but this tag gives it something else"
    else:
        message = f"a tag cannot be worked out: {exc}"
    return Problem(file=path.name, place=place, message=message)


def _template_line(exc: BaseException) -> int | None:
    """The template line (Jinja's rewritten traceback) where the error was raised, innermost first."""
    line = None
    traceback = exc.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _filter_given(exc: BaseException) -> str | None:
    """The report's own filter (long_date...) the error was raised in, if it was."""
    traceback = exc.__traceback__
    found = None
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if code.co_name in FILTERS and FILTERS[code.co_name].__code__ is code:
            found = code.co_name
        traceback = traceback.tb_next
    return found


def _place_of_line(template: DocxTemplate, label: str, line: int) -> str:
    """The paragraph at a line of a part's Jinja source (docxtpl puts each paragraph on a line of its own)."""
    for source_label, source in _template_sources(template):
        if source_label != label:
            continue
        lines = source.splitlines()
        if not 0 < line <= len(lines):
            continue
        text = re.sub(r"<[^>]+>", "", lines[line - 1]).strip()
        if text:
            place = f"in the paragraph {_excerpt(text, 120)!r}"
            return place if label == "the body" else f"{place} {label}"
    return "" if label == "the body" else label


def _fit_table_grids(body: _Element) -> None:
    """Sets each table's column grid from its cells' own widths.

    A {%tc for %} loop adds cells that docxtpl gives equal shares of the table, squeezing narrow columns
    such as NO; the cells still carry the widths the template designer gave them, so the grid follows those.
    """
    for table in body.iter(qn("w:tbl")):
        grid = table.find(qn("w:tblGrid"))
        rows = [row.findall(qn("w:tc")) for row in table.iter(qn("w:tr"))]
        if grid is None or not rows:
            continue
        widest = max(rows, key=len)
        widths = []
        for cell in widest:
            width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            value = width.get(qn("w:w")) if width is not None and width.get(qn("w:type")) == "dxa" else None
            if value is None or cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}") is not None:
                break
            widths.append(value)
        else:
            for column in list(grid):
                grid.remove(column)
            for value in widths:
                column = grid.makeelement(qn("w:gridCol"), {qn("w:w"): value})
                grid.append(column)


# The order WordprocessingML requires inside a cell's properties (CT_TcPr).
_CELL_PROPERTY_ORDER: dict[object, int] = {
    qn(f"w:{name}"): index
    for index, name in enumerate(
        (
            "cnfStyle",
            "tcW",
            "gridSpan",
            "hMerge",
            "vMerge",
            "tcBorders",
            "shd",
            "noWrap",
            "tcMar",
            "textDirection",
            "tcFitText",
            "vAlign",
            "hideMark",
            "headers",
            "cellIns",
            "cellDel",
            "cellMerge",
            "tcPrChange",
        )
    )
}


def drop_empty_last_section(body: _Element) -> None:
    """When a switched-off part (such as Appendix 2) leaves the last section empty, drops that section.

    A template's last section is laid out by the body's closing section properties; when everything after the
    last section break was left out, the break's empty paragraph would print a blank page in the last section's
    layout. The break's own layout (Appendix 1's portrait page) then becomes the document's last.
    """
    blocks = [child for child in body if child.tag != qn("w:sectPr")]
    final = body.find(qn("w:sectPr"))
    if not blocks or final is None or blocks[-1].tag != qn("w:p"):
        return
    last = blocks[-1]
    properties = last.find(qn("w:pPr"))
    section = properties.find(qn("w:sectPr")) if properties is not None else None
    if section is None or last.find(f".//{qn('w:t')}") is not None:
        return
    # The dropped section's headers and footers are kept if the break's section had none of its own.
    for reference in final:
        if reference.tag in (qn("w:headerReference"), qn("w:footerReference")) and section.find(reference.tag) is None:
            section.insert(0, reference)
    body.replace(final, section)
    body.remove(last)


def _order_cell_properties(body: _Element) -> None:
    """Puts cell properties in schema order: docxtpl's colspan adds gridSpan before tcW, which Word may reject."""
    for properties in body.iter(qn("w:tcPr")):
        children = sorted(properties, key=lambda child: _CELL_PROPERTY_ORDER.get(child.tag, len(_CELL_PROPERTY_ORDER)))
        properties[:] = children


#: Where lastModifiedBy, lastPrinted and revision belong (ECMA-376 Part 2).
_CORE_PROPERTIES_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


def _set_properties(template: DocxTemplate, properties: DocumentProperties) -> None:
    # docxcompose (pulled in by docxtpl 0.18-0.19, or merely imported beside it) rebinds python-docx's shared "cp"
    # prefix to the custom-properties namespace; pin it while the core properties are written, then put it back.
    saved_cp = docx_nsmap["cp"]
    docx_nsmap["cp"] = _CORE_PROPERTIES_NS
    try:
        _write_core_properties(template, properties)
    finally:
        docx_nsmap["cp"] = saved_cp


def _write_core_properties(template: DocxTemplate, properties: DocumentProperties) -> None:
    core = template.docx.core_properties
    stamp = datetime.combine(properties.date, datetime.min.time(), tzinfo=UTC).replace(tzinfo=None)
    core.title = properties.title
    core.author = properties.author
    core.last_modified_by = properties.author
    core.language = LANGUAGE
    core.created = stamp
    core.modified = stamp
    core.last_printed = stamp
    core.revision = 1


def _template_problem(path: Path, place: str, message: str) -> InvalidInputError:
    return InvalidInputError(problems=[Problem(file=path.name, place=place, message=message)])


def _syntax_problem(path: Path, exc: jinja2.TemplateSyntaxError, source: str | None = None) -> Problem:
    """A syntax error with the paragraph text around it, so the officer can find it in Word."""
    around = [line.strip() for line in getattr(exc, "docx_context", None) or [] if line.strip()]
    if not around and source is not None and exc.lineno:
        lines = source.splitlines()[max(exc.lineno - 2, 0) : exc.lineno + 1]
        around = [text for text in (re.sub(r"<[^>]+>", "", line).strip() for line in lines) if text]
    place = "in the text " + " / ".join(repr(text[:100]) for text in around) if around else ""
    return Problem(
        file=path.name,
        place=place,
        message=f"a template tag is not written correctly: {exc.message}; tags look like "
        "{{ name }}, {% if ... %}, {%p for ... %}",
    )


def _place_of(template: DocxTemplate, name: str) -> str:
    """The paragraph text around the first use of a variable in any part, so the officer can find it in Word."""
    for label, paragraphs in _paragraphs_by_part(template):
        for text, where in paragraphs:
            match = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text)
            if match and "{" in text:
                start, end = max(match.start() - 50, 0), min(match.end() + 50, len(text))
                if start:  # begin and end on whole words
                    start = text.find(" ", start, match.start()) + 1 or start
                if end < len(text):
                    end = text.rfind(" ", match.end(), end) if " " in text[match.end() : end] else end
                excerpt = ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
                place = f"in the paragraph {excerpt!r}" + (f" {where}" if where else "")
                return place if label == "the body" else f"{place} {label}"
    for prop in RENDERED_PROPERTIES:
        value = getattr(template.docx.core_properties, prop) or ""
        if _TAG.search(value) and re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", value):
            return f"the document property {prop.capitalize()} (File > Properties): {_excerpt(value)!r}"
    return ""


def _place_in_message(template: DocxTemplate, exc: Exception) -> str:
    """The paragraph holding the first name quoted in a Jinja error message, such as attribute '__init__'."""
    names = re.findall(r"'([^']+)'", str(exc))
    for name in names:
        place = _place_of(template, name)
        if place:
            return place
    return ""


def _suggest_variable(name: str, variables: dict[str, Any]) -> str:
    return suggest(name, variables) or f"the variables are: {', '.join(sorted(variables))}"


#: find_damage of a template's bytes, kept: a build opens its template twice (to check its tags, then to fill it
#: in) and a batch once per report, and parsing every part of the same bytes again finds nothing new (#11).
_template_damage = functools.lru_cache(maxsize=8)(_find_damage)


def _malformed_part(path: Path, data: bytes) -> Problem | None:
    """A template whose Word XML is damaged, located by part and the text before the fault."""
    damage = _template_damage(data)
    if damage is None:
        return None
    return Problem(
        file=path.name,
        place=_place_of_damage(damage),
        message=f"the template is damaged ({damaged_xml_in_plain_words(damage.detail)}); open it in Word and save "
        "it again as a Word Document (.docx)",
    )
