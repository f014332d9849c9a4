"""Fills the Word template (the only module that knows docxtpl) and packs a byte-for-byte repeatable .docx."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes
import markupsafe
from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import Part
from docx.oxml.ns import nsmap as docx_nsmap
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from lxml.etree import _Element
from markupsafe import Markup

from . import files
from .context import FILTERS
from .errors import InvalidInputError, Problem, ProgramFailedError, Severity, in_plain_words, suggest

#: Every report is in British English; screen readers and spell checkers use this.
LANGUAGE = "en-GB"
# Zip entries carry this time instead of the clock, so the same inputs give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")


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
    text = str(markupsafe.escape(value))
    return Markup(text.replace("{_", "&#123;_").replace("}_", "&#125;_").replace("_}", "_&#125;"))


def make_environment() -> jinja2.Environment:
    """The Jinja environment for every template: sandboxed, escaping data, failing on unknown names."""
    environment = SandboxedEnvironment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True, finalize=_keep_as_typed
    )
    environment.filters.update(FILTERS)
    return environment


def _make_text_environment() -> jinja2.Environment:
    """The environment for document properties, which are plain text: nothing is XML-escaped there."""
    environment = SandboxedEnvironment(autoescape=False, undefined=jinja2.StrictUndefined)
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


class _ReportTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl ships no type information
    """docxtpl's template with properties filled as plain text, and endnotes filled like footnotes.

    Each part is filled in once: the strict check of the filled-in XML (_rendering_problems) and docxtpl's
    render ask for the same parts with the same data, and the second asks gets the first's result.
    """

    def render_xml_part(
        self, src_xml: str, part: Any, context: Mapping[str, Any], jinja_env: jinja2.Environment | None = None
    ) -> str:
        filled: dict[tuple[int, str], tuple[Mapping[str, Any], str]] = self.__dict__.setdefault("_filled", {})
        # The same part's same source with the very same data object: the same XML, since filling is pure.
        key = (id(part), src_xml)
        if key in filled and filled[key][0] is context:
            return filled[key][1]
        xml: str = super().render_xml_part(src_xml, part, context, jinja_env)
        filled[key] = (context, xml)
        return xml

    def resolve_listing(self, xml: str) -> str:
        # docxtpl turns tabs, line breaks and page breaks typed in the data into Word's own elements by running
        # three nested regular-expression substitutions over every run of every paragraph: 60% of filling in
        # a 10,000-action appendix, although nearly no paragraph holds such a character. The same pass over
        # the paragraphs is made here, and only a paragraph that holds one goes through docxtpl's own code,
        # so the result is exactly docxtpl's.
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
    data = files.read_input_file(path, what="template", limit=files.TEMPLATE_LIMIT)
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
            "this is not a Word document (.docx), or it is damaged; "
            "save the template from Word as a Word Document (.docx)",
        ) from exc


def check_template(path: Path, variables: dict[str, Any]) -> list[Problem]:
    """Problems with the template's tags in every part that is filled in (body, text boxes, content controls,
    headers, footers, footnotes, endnotes, document properties): syntax errors, variables the context does not
    provide, block tags crossing paragraphs; and warnings for tags in comments, which are never filled in."""
    template = open_template(path)
    environment = make_environment()
    problems = []
    used: dict[str, str] = {}
    for label, source in _template_sources(template):
        try:
            tree = environment.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            problem = _syntax_problem(path, exc, source)
            problems.append(_in_part(problem, label))
            continue
        for name in jinja2.meta.find_undeclared_variables(tree):
            used.setdefault(name, label)
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
    problems += _crossing_block_tags(path, template)
    problems += _tags_in_comments(path, template)
    return problems


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
    for node in tree.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
        if (
            not isinstance(node, (jinja2.nodes.Getattr, jinja2.nodes.Getitem))
            or not isinstance(node.node, jinja2.nodes.Name)
            or not isinstance(variables.get(node.node.name), Mapping)
        ):
            continue
        if isinstance(node, jinja2.nodes.Getattr):
            key = node.attr
        elif isinstance(node.arg, jinja2.nodes.Const) and isinstance(node.arg.value, str):
            key = node.arg.value
        else:
            continue
        mapping = variables[node.node.name]
        if key not in mapping and (node.node.name, key) not in seen:
            seen.add((node.node.name, key))
            problems.append(
                Problem(
                    file=path.name,
                    place=_place_of(template, key),
                    message=f"the template uses {node.node.name} {key!r}, which is not among its "
                    f"{node.node.name} ({', '.join(mapping) or 'none'})",
                    suggestion=suggest(key, mapping),
                )
            )
    return problems


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
    template = open_template(template_path)
    problems = _rendering_problems(template_path, template, variables)
    if problems:
        raise InvalidInputError(problems=problems)
    try:
        # Every part was filled in once already by the check above; docxtpl reuses that XML here.
        template.render(variables, jinja_env=make_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise InvalidInputError(problems=[_jinja_problem(template_path, template, exc)]) from exc
    _fit_table_grids(template.docx.element.body)
    drop_empty_last_section(template.docx.element.body)
    _order_cell_properties(template.docx.element.body)
    _set_properties(template, properties)
    buffer = io.BytesIO()
    template.save(buffer)
    return repack(buffer.getvalue())


def _rendering_problems(path: Path, template: DocxTemplate, variables: dict[str, Any]) -> list[Problem]:
    """Fills the body in once and parses the result strictly.

    Besides Jinja's own errors, this catches tags that cut across paragraphs or cells: docxtpl parses its
    rendered XML in recover mode, so such a tag pair would otherwise quietly drop or merge text.
    """
    environment = make_environment()
    template.render_init()
    try:
        parts = [("the body", template.build_xml(variables, environment))]
        for uri, kind in ((template.HEADER_URI, "in a header"), (template.FOOTER_URI, "in a footer")):
            parts += [
                (kind, xml.decode("utf-8"))
                for _key, xml in template.build_headers_footers_xml(variables, uri, environment)
            ]
        for part in _note_parts(template.docx):
            parts.append(
                (
                    _NOTES[part.content_type],
                    template.render_xml_part(
                        template.patch_xml(part.blob.decode("utf-8")), part, variables, environment
                    ),
                )
            )
        text_environment = _make_text_environment()
        for name in RENDERED_PROPERTIES:
            value = getattr(template.docx.core_properties, name) or ""
            if _TAG.search(value):
                text_environment.from_string(value).render(variables)
    except jinja2.TemplateError as exc:
        return [_jinja_problem(path, template, exc)]
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


def _offset(text: str, position: tuple[int, int]) -> int:
    """The character offset of an lxml (line, column) position."""
    line, column = position
    lines = text.split("\n")
    return sum(len(item) + 1 for item in lines[: max(line - 1, 0)]) + max(column - 1, 0)


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


def repack(docx: bytes, *, compresslevel: int = 9) -> bytes:
    """The same package with fixed entry times and order, so identical content gives identical bytes.

    compresslevel 6 (zlib's default) takes a third of the time of 9 for a tenth more bytes: the redline of a
    long document, written on every comparison, uses it."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    names = source.namelist()
    ordered = [n for n in _FIRST_ENTRIES if n in names] + sorted(n for n in names if n not in _FIRST_ENTRIES)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name), compresslevel=compresslevel)
    return output.getvalue()


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


# A template's parts unpack to at most this much; far above any real template, far below a zip bomb.
_UNPACKED_LIMIT = 1024 * 1024 * 1024
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


@dataclass(frozen=True)
class _Damage:
    part: str
    """The package part, such as word/footnotes.xml."""
    around: str
    """The document text just before the fault."""
    detail: str
    """What the XML parser found."""


def _find_damage(data: bytes) -> _Damage | None:
    """The first XML part of a package that does not parse, or None when every part does."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        entries = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None  # not a package at all: reported as such where it is opened
    if sum(entry.file_size for entry in entries) > _UNPACKED_LIMIT:
        return _Damage(part="", around="", detail="it unpacks to more than 1 GB")
    for entry in entries:
        if not entry.filename.endswith((".xml", ".rels")):
            continue
        try:
            xml = package.read(entry)
            etree.fromstring(xml, _XML_PARSER)
        except etree.XMLSyntaxError as exc:
            text = xml.decode("utf-8", "replace")
            offset = _offset(text, exc.position) if exc.position else 0
            around = re.sub(r"<[^>]*>|<[^>]*$|^[^<]*>", " ", text[max(offset - 400, 0) : offset])
            return _Damage(part=entry.filename, around=" ".join(around.split())[-120:], detail=exc.msg)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
            return _Damage(part=entry.filename, around="", detail=f"the part cannot be unpacked: {in_plain_words(exc)}")
    return None


def _place_of_damage(damage: _Damage) -> str:
    place = f"part {damage.part}" if damage.part else ""
    if damage.around:
        place += f", after the text {damage.around!r}"
    return place


def _malformed_part(path: Path, data: bytes) -> Problem | None:
    """A template whose Word XML is damaged, located by part and the text before the fault."""
    damage = _find_damage(data)
    if damage is None:
        return None
    return Problem(
        file=path.name,
        place=_place_of_damage(damage),
        message=f"the template is damaged ({damage.detail}); open it in Word and save it again as a "
        "Word Document (.docx)",
    )


def verify_report(data: bytes, *, template: Path | None = None) -> DocxDocument:
    """Reopens the built report as Word would, every part of it, so a broken file is never moved into place.

    Returns the reopened document, so the accessibility check reads it without parsing the report again."""
    damage = _find_damage(data)
    if damage is not None and template is None:
        raise ProgramFailedError(
            message=f"the document made has a damaged Word part ({_place_of_damage(damage)}: "
            f"{damage.detail}); nothing was written"
        )
    if damage is not None and template is not None:
        source = f" {template.name}"
        raise InvalidInputError(
            problems=[
                Problem(
                    file=template.name,
                    place=_place_of_damage(damage),
                    message=f"filling in the template{source} gave a damaged Word part ({damage.detail}), "
                    "so nothing was "
                    "written and the earlier report is unchanged; the usual cause is a tag split by other Word "
                    "content (a hyperlink, a comment, a field): retype the tag there in one piece",
                )
            ]
        )
    try:
        document = Document(io.BytesIO(data))
        document.element.body  # noqa: B018 - parsing the body is the check
    except Exception as exc:  # any failure here means the report is not a sound .docx
        raise ProgramFailedError(
            message=f"the built report could not be reopened ({type(exc).__name__}: {exc}); nothing was written"
        ) from exc
    return document
