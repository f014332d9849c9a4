"""Fills the Word template (the only module that knows docxtpl) and packs a byte-for-byte repeatable .docx."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Mapping

import jinja2
import jinja2.meta
import jinja2.nodes
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import nsmap as docx_nsmap, qn
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree

from .context import FILTERS
from .errors import InvalidInputError, Problem, ProgramFailedError, suggest

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


def make_environment() -> jinja2.Environment:
    """The Jinja environment for every template: sandboxed, escaping data, failing on unknown names."""
    environment = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    environment.filters.update(FILTERS)
    return environment


def open_template(path: Path) -> DocxTemplate:
    """Opens the Word template, or raises InvalidInputError when it is not a Word document."""
    try:
        template = DocxTemplate(path)
        template.init_docx()
        return template
    except FileNotFoundError:
        raise _template_problem(path, "", f"the template does not exist (looked for {path})")
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _template_problem(path, "", "this is not a Word document (.docx), or it is damaged; "
                                "save the template from Word as a Word Document (.docx)") from exc


def check_template(path: Path, variables: dict[str, Any]) -> list[Problem]:
    """Problems with the template's tags: syntax errors, and variables the context does not provide."""
    template = open_template(path)
    environment = make_environment()
    problems = []
    used: set[str] = set()
    for source in _template_sources(template):
        try:
            tree = environment.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(_syntax_problem(path, exc, source))
            continue
        used |= jinja2.meta.find_undeclared_variables(tree)
        problems += _missing_keys(path, template, tree, variables)
    for name in sorted(used - set(variables)):
        problems.append(Problem(
            file=path.name, place=_place_of(template, name),
            message=f"the template uses the variable {name!r}, which jtai-docs does not provide",
            suggestion=_suggest_variable(name, variables)))
    return problems


def _missing_keys(path: Path, template: DocxTemplate, tree, variables: dict[str, Any]) -> list[Problem]:
    """Names looked up in a mapping the context provides (dates.plan_submitted, status_totals['Green'])
    that the mapping does not hold: caught here rather than halfway through rendering."""
    problems = []
    seen = set()
    for node in tree.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
        if not isinstance(node.node, jinja2.nodes.Name) or not isinstance(variables.get(node.node.name), Mapping):
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
            problems.append(Problem(
                file=path.name, place=_place_of(template, key),
                message=f"the template uses {node.node.name} {key!r}, which is not among its "
                        f"{node.node.name} ({', '.join(mapping) or 'none'})",
                suggestion=suggest(key, mapping)))
    return problems


def _template_sources(template: DocxTemplate):
    """The Jinja source of the body, headers and footers, prepared exactly as docxtpl prepares them to render."""
    parts = [template.get_xml()]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        parts += [template.get_part_xml(part) for _key, part in template.get_headers_footers(uri)]
    for xml in parts:
        # docxtpl starts each paragraph on a new line before rendering; do the same so line numbers agree.
        yield re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml))


def render_report(*, template_path: Path, variables: dict[str, Any], properties: DocumentProperties) -> bytes:
    """The filled-in report as .docx bytes; raises InvalidInputError when the template cannot be filled."""
    template = open_template(template_path)
    problems = _rendering_problems(template_path, template, variables)
    if problems:
        raise InvalidInputError(problems=problems)
    try:
        # The body was filled in once already; headers, footers and footnotes are filled in here.
        template.render(variables, jinja_env=make_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise InvalidInputError(problems=[_jinja_problem(template_path, template, exc)])
    _fit_table_grids(template.docx.element.body)
    drop_empty_last_section(template.docx.element.body)
    _order_cell_properties(template.docx.element.body)
    _set_properties(template, properties)
    buffer = io.BytesIO()
    template.save(buffer)
    return repack(buffer.getvalue())


def check_rendering(path: Path, variables: dict[str, Any]) -> list[Problem]:
    """Problems that only filling the template in shows, found without writing anything."""
    return _rendering_problems(path, open_template(path), variables)


def _rendering_problems(path: Path, template: DocxTemplate, variables: dict[str, Any]) -> list[Problem]:
    """Fills the body in once and parses the result strictly.

    Besides Jinja's own errors, this catches tags that cut across paragraphs or cells: docxtpl parses its
    rendered XML in recover mode, so such a tag pair would otherwise quietly drop or merge text.
    """
    environment = make_environment()
    template.render_init()
    try:
        parts = [template.build_xml(variables, environment)]
        for uri in (template.HEADER_URI, template.FOOTER_URI):
            parts += [xml.decode("utf-8") for _key, xml in template.build_headers_footers_xml(variables, uri, environment)]
    except jinja2.TemplateError as exc:
        return [_jinja_problem(path, template, exc)]
    for rendered in parts:
        problem = _structure_problem(path, rendered)
        if problem:
            return [problem]
    return []


def _structure_problem(path: Path, rendered: str) -> Problem | None:
    try:
        etree.fromstring(rendered.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        offset = _offset(rendered, exc.position)
        around = re.sub(r"<[^>]*>|<[^>]*$|^[^<]*>", " ", rendered[max(offset - 400, 0): offset])
        around = " ".join(around.split())[-120:]
        return Problem(
            file=path.name, place=f"near the text {around!r}" if around else "",
            message="template tags cut across paragraphs or table cells, which would lose or merge text; keep "
                    "{% if %} ... {% endif %} inside one paragraph, or put {%p if ... %} and {%p endif %} in "
                    "paragraphs of their own")
    return None


def _jinja_problem(path: Path, template: DocxTemplate, exc: jinja2.TemplateError) -> Problem:
    """A Jinja error as a located problem in the officer's words."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return _syntax_problem(path, exc)
    if isinstance(exc, SecurityError):
        return Problem(file=path.name, place=_place_in_message(template, exc),
                       message=f"the template tries something templates may not do: {exc}")
    if isinstance(exc, jinja2.UndefinedError):
        return Problem(file=path.name, place=_place_in_message(template, exc),
                       message=f"the template asks for something jtai-docs does not provide: {exc.message}")
    return Problem(file=path.name, place="", message=f"the template cannot be filled in: {exc}")


def _offset(text: str, position: tuple[int, int]) -> int:
    """The character offset of an lxml (line, column) position."""
    line, column = position
    lines = text.split("\n")
    return sum(len(item) + 1 for item in lines[: max(line - 1, 0)]) + max(column - 1, 0)


def _fit_table_grids(body) -> None:
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
            if width is None or width.get(qn("w:type")) != "dxa" or cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}") is not None:
                break
            widths.append(width.get(qn("w:w")))
        else:
            for column in list(grid):
                grid.remove(column)
            for width in widths:
                column = grid.makeelement(qn("w:gridCol"), {qn("w:w"): width})
                grid.append(column)


# The order WordprocessingML requires inside a cell's properties (CT_TcPr).
_CELL_PROPERTY_ORDER = {qn(f"w:{name}"): index for index, name in enumerate((
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
    "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge", "tcPrChange"))}


def drop_empty_last_section(body) -> None:
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


def _order_cell_properties(body) -> None:
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
    stamp = datetime.combine(properties.date, datetime.min.time(), tzinfo=timezone.utc).replace(tzinfo=None)
    core.title = properties.title
    core.author = properties.author
    core.last_modified_by = properties.author
    core.language = LANGUAGE
    core.created = stamp
    core.modified = stamp
    core.last_printed = stamp
    core.revision = 1


def repack(docx: bytes) -> bytes:
    """The same package with fixed entry times and order, so identical content gives identical bytes."""
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
            target.writestr(info, source.read(name), compresslevel=9)
    return output.getvalue()


def _template_problem(path: Path, place: str, message: str) -> InvalidInputError:
    return InvalidInputError(problems=[Problem(file=path.name, place=place, message=message)])


def _syntax_problem(path: Path, exc: jinja2.TemplateSyntaxError, source: str | None = None) -> Problem:
    """A syntax error with the paragraph text around it, so the officer can find it in Word."""
    around = [line.strip() for line in getattr(exc, "docx_context", None) or [] if line.strip()]
    if not around and source is not None and exc.lineno:
        lines = source.splitlines()[max(exc.lineno - 2, 0): exc.lineno + 1]
        around = [text for text in (re.sub(r"<[^>]+>", "", line).strip() for line in lines) if text]
    place = "in the text " + " / ".join(repr(text[:100]) for text in around) if around else ""
    return Problem(file=path.name, place=place,
                   message=f"a template tag is not written correctly: {exc.message}; tags look like "
                   "{{ name }}, {% if ... %}, {%p for ... %}")


def _place_of(template: DocxTemplate, name: str) -> str:
    """The paragraph text around the first use of a variable, so the officer can find it in Word."""
    for paragraph in _all_paragraphs(template.docx):
        match = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", paragraph.text)
        if match and "{" in paragraph.text:
            text = paragraph.text
            start, end = max(match.start() - 50, 0), min(match.end() + 50, len(text))
            if start:  # begin and end on whole words
                start = text.find(" ", start, match.start()) + 1 or start
            if end < len(text):
                end = text.rfind(" ", match.end(), end) if " " in text[match.end():end] else end
            excerpt = ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
            return f"in the paragraph {excerpt!r}"
    return ""


def _place_in_message(template: DocxTemplate, exc: Exception) -> str:
    """The paragraph holding the first name quoted in a Jinja error message, such as attribute '__init__'."""
    names = re.findall(r"'([^']+)'", str(exc))
    for name in names:
        place = _place_of(template, name)
        if place:
            return place
    return ""


def _all_paragraphs(document):
    """Paragraphs of the body, its tables, and every header and footer."""
    containers = [document]
    for section in document.sections:
        containers += [section.header, section.footer]
    for container in containers:
        yield from container.paragraphs
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from cell.paragraphs


def _suggest_variable(name: str, variables: dict[str, Any]) -> str:
    return suggest(name, variables) or f"the variables are: {', '.join(sorted(variables))}"


def verify_report(data: bytes) -> None:
    """Reopens the built report as Word would, so a broken file is never moved into place."""
    try:
        document = Document(io.BytesIO(data))
        document.element.body  # noqa: B018 - parsing the body is the check
    except Exception as exc:  # any failure here means the report is not a sound .docx
        raise ProgramFailedError(message=f"the built report could not be reopened ({type(exc).__name__}: {exc}); "
                                 "nothing was written") from exc
